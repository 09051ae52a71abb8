"""People read from an import file: checked row by row before anything is written."""

from coach import people

ROLES = {"technician": "Technician", "installer": "Installer", "service_manager": "Service Manager"}


def read(text, known=()):
    return people.read(people.csv_rows(text), ROLES, known)


def test_the_template_reads_back_without_a_problem():
    found, problems = read(people.template_csv())
    assert problems == []
    assert [p.name for p in found] == ["Sam Reyes", "Luis Ortega", "Maya Patel", "Dan Kim"]
    luis = found[1]
    assert (luis.mobile, luis.manager, luis.roles, luis.login, luis.language) == \
        ("(312) 555-0111", "Sam Reyes", ("technician",), "luis@example.com", "es")
    assert found[3].roles == ("technician", "installer")


def test_spreadsheet_headings_names_and_semicolons_are_understood():
    text = "Full Name;Cell Phone;Reports To;Roles;Work Email;Lang\nRosa Díaz;312 555 0120;Ivy Chen;Installer;;Español\n"
    found, problems = read(text, known=["Ivy Chen"])
    assert problems == []
    assert found[0].roles == ("installer",) and found[0].language == "es" and found[0].manager == "Ivy Chen"


def test_each_problem_names_its_line():
    text = ("name,mobile,manager,role,login,language\n"
            "Tom,,Nobody Here,plumber,tom at example,fr\n"
            ",555,,technician,,\n"
            "Tom,,,technician,,\n")
    _found, problems = read(text)
    assert "line 2: role 'plumber' is not one of installer, service_manager, technician" in problems
    assert "line 2: language 'fr' is not English or Spanish" in problems
    assert "line 2: login 'tom at example' is not an email address" in problems
    assert "line 3: no name" in problems
    assert "line 4: Tom is in the file twice" in problems
    assert "line 2: manager Nobody Here is neither in the file nor in Odoo" in problems


def test_a_file_without_names_or_rows_says_what_to_do():
    assert read("")[1] == ["the file is empty: fill in the template"]
    assert read("mobile,role\n555,technician\n")[1][0].startswith("no 'name' column")


def test_the_managers_named_are_read_from_their_column_whatever_its_heading():
    rows = people.csv_rows("Full name,Reports to\nA,Ivy Chen\nB, Ivy  Chen \nC,\n")
    assert people.column(rows, "manager") == ["Ivy Chen"]
    assert people.column(rows, "login") == []
