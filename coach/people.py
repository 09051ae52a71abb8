"""People imported from a file: one row a person, read and checked before
anything is written.

Columns (any order, headings in any case): name, mobile, manager, role, login,
language. A manager is someone else in the file or already in Odoo; roles are
named by code or name, several joined by ";"; language is a code or a name
("es", "Spanish", "español"). Every problem names its line.
"""

import csv
import dataclasses
import io

from .lexicon import fold

COLUMNS = ("name", "mobile", "manager", "role", "login", "language")
# what spreadsheets call the same columns
ALIASES = {"full name": "name", "employee": "name", "mobile phone": "mobile", "phone": "mobile", "cell": "mobile",
           "cell phone": "mobile", "roles": "role", "email": "login", "work email": "login", "lang": "language",
           "reports to": "manager"}
LANGUAGE_WORDS = {"en": "en", "english": "en", "ingles": "en", "es": "es", "spanish": "es", "espanol": "es"}
TEMPLATE_ROWS = (
    ("Sam Reyes", "+1 312 555 0101", "", "service_manager", "sam@example.com", "en"),
    ("Luis Ortega", "(312) 555-0111", "Sam Reyes", "technician", "luis@example.com", "es"),
    ("Maya Patel", "(312) 555-0112", "Sam Reyes", "technician", "", "en"),
    ("Dan Kim", "(312) 555-0113", "Sam Reyes", "technician; installer", "", ""),
)
MAX_ROWS = 2000


@dataclasses.dataclass(frozen=True)
class Person:
    line: int
    name: str
    mobile: str = ""
    manager: str = ""
    roles: tuple = ()  # role codes
    login: str = ""
    language: str = ""  # a lexicon code ("es"), "" for the company's


def template_csv():
    """The file to fill in: the headings and four example people."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def csv_rows(text):
    """The rows of a CSV text as lists of cells (comma, semicolon or tab separated)."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _headings(row):
    return [ALIASES.get(fold(" ".join(cell.split())), fold(" ".join(cell.split()))) for cell in row]


def column(rows, name):
    """The non-empty values of one column (e.g. the managers named), headings read as :func:`read` reads them."""
    if not rows or name not in _headings(rows[0]):
        return []
    index = _headings(rows[0]).index(name)
    return sorted({" ".join(str(row[index]).split()) for row in rows[1:] if len(row) > index and str(row[index]).strip()})


def read(rows, roles, known_people):
    """``(people, problems)`` from rows of cells, the first row the headings.

    ``roles``: {role code: role name}; ``known_people``: names already in Odoo
    (a manager may be one of them)."""
    if not rows:
        return [], ["the file is empty: fill in the template"]
    headings = _headings(rows[0])
    if "name" not in headings:
        return [], [f"no 'name' column: the columns are {', '.join(COLUMNS)}"]
    if len(rows) - 1 > MAX_ROWS:
        return [], [f"at most {MAX_ROWS} people in one file"]
    by_word = {fold(word): code for code, name in roles.items() for word in (code, name, code.replace("_", " "))}
    people, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {heading: " ".join(str(cell).split()) for heading, cell in zip(headings, row) if heading in COLUMNS}
        person, row_problems = _person(number, cells, by_word, roles)
        problems += row_problems
        if person:
            people.append(person)
    names = [fold(person.name) for person in people]
    problems += [f"line {person.line}: {person.name} is in the file twice" for index, person in enumerate(people)
                 if fold(person.name) in names[:index]]
    known = set(names) | {fold(name) for name in known_people}
    problems += [f"line {person.line}: manager {person.manager} is neither in the file nor in Odoo"
                 for person in people if person.manager and fold(person.manager) not in known]
    return people, problems


def _person(number, cells, by_word, roles):
    name = cells.get("name", "")
    if not name:
        return None, [f"line {number}: no name"]
    problems = []
    codes = []
    for said in filter(None, (part.strip() for part in cells.get("role", "").replace("/", ";").split(";"))):
        code = by_word.get(fold(said))
        if code:
            codes.append(code)
        else:
            problems.append(f"line {number}: role '{said}' is not one of {', '.join(sorted(roles))}")
    language = cells.get("language", "")
    code = LANGUAGE_WORDS.get(fold(language).split("_")[0].split("-")[0], None) if language else ""
    if code is None:
        problems.append(f"line {number}: language '{language}' is not English or Spanish")
    login = cells.get("login", "")
    if login and ("@" not in login or " " in login):
        problems.append(f"line {number}: login '{login}' is not an email address")
    person = Person(number, name, cells.get("mobile", ""), cells.get("manager", ""), tuple(dict.fromkeys(codes)),
                    login, code or "")
    return person, problems
