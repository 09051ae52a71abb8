"""Static checks that need no Odoo: manifest, data files, XML, CSV.

Exits non-zero and names every problem found.
"""

import ast
import csv
import pathlib
import re
import sys

import polib
from lxml import etree

ROOT = pathlib.Path(__file__).resolve().parent.parent
CSV_HEADER = ["id", "name", "model_id:id", "group_id:id", "perm_read", "perm_write",
              "perm_create", "perm_unlink"]


def check_manifest(problems):
    manifest = ast.literal_eval((ROOT / "__manifest__.py").read_text())
    for key in ("name", "version", "license", "depends", "data"):
        if key not in manifest:
            problems.append(f"__manifest__.py: missing key {key!r}")
    if not str(manifest.get("version", "")).startswith("18.0."):
        problems.append("__manifest__.py: version must start with 18.0.")
    listed = manifest.get("data", []) + manifest.get("demo", [])
    for name in listed:
        if not (ROOT / name).is_file():
            problems.append(f"__manifest__.py: data file {name} does not exist")
    for path in ROOT.glob("*/*.xml"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in ("views", "data", "security", "demo") and relative not in listed:
            problems.append(f"{relative}: not listed in the manifest, so never loaded")
    return len(listed)


def check_xml(problems):
    count = 0
    for path in sorted(ROOT.rglob("*.xml")):
        if ".venv" in path.parts or ".ci-work" in path.parts:
            continue
        count += 1
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError as error:
            problems.append(f"{path.relative_to(ROOT)}: not well-formed: {error}")
            continue
        for node in tree.iter():
            if not isinstance(node.tag, str):
                continue
            if node.tag == "tree" or node.get("attrs") is not None or node.get("states") is not None:
                problems.append(f"{path.relative_to(ROOT)}:{node.sourceline}: pre-18 view syntax "
                                f"(<tree>, attrs or states)")
    return count


def check_csv(problems):
    path = ROOT / "security" / "ir.model.access.csv"
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    if rows[0] != CSV_HEADER:
        problems.append(f"{path.name}: header must be {','.join(CSV_HEADER)}")
    ids = [row[0] for row in rows[1:]]
    if len(ids) != len(set(ids)):
        problems.append(f"{path.name}: duplicate ids")
    return len(rows) - 1


PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_0-9]+\}")
CHOICES = re.compile(r"^[a-z_]+(:[^|]*)?(\|[a-z_]+(:[^|]*)?)+$")


def check_translations(problems):
    """Each translation fills the same placeholders as its English, and a
    translated step's choices keep the stored values (only the words change)."""
    translated = 0
    for path in sorted((ROOT / "i18n").glob("*.po")):
        for entry in polib.pofile(str(path)).translated_entries():
            translated += 1
            if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
                problems.append(f"{path.name}: placeholders differ in {entry.msgid[:60]!r}")
            if CHOICES.match(entry.msgid):
                values = [part.split(":")[0] for part in entry.msgid.split("|")]
                if [part.split(":")[0] for part in entry.msgstr.split("|")] != values:
                    problems.append(f"{path.name}: choices must keep their values {values}: {entry.msgstr[:60]!r}")
    return translated


def main():
    problems = []
    files = check_manifest(problems)
    xml_count = check_xml(problems)
    acl_count = check_csv(problems)
    translated = check_translations(problems)
    for problem in problems:
        print("static: " + problem)
    print(f"static: manifest lists {files} files, {xml_count} XML files parsed, "
          f"{acl_count} access rules, {translated} translations; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
