"""Write the S1 conference as an organiser has it: a form export and a column mapping.

``examples/s1-form/`` gets ``registrations.xlsx`` (as the web form exports it,
Swedish column names, display names for organisations and seminars),
``registrations.csv`` (the same, as Swedish Excel saves CSV: semicolons,
Windows code page), ``mapping.toml`` and ``skeleton.json`` (the event
without attendees). ``seatalloc import`` turns them back into the S1 event.

Run ``python examples/make_s1_spreadsheet.py``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

from make_s1 import ORGANISATIONS, SEMINARS, make_event

FOLDER = Path(__file__).with_name("s1-form")
HEADER = [
    "Anmälnings-id",
    "Förvaltning",
    "Förstahandsval",
    "Andrahandsval",
    "Tredjehandsval",
    "Behov",
    "Tidsstämpel",
    "Namn",
    "E-post",
]
#: Invented names for the example (the seed lists no attendees): first and last names combined.
FIRST = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Mikael",
    "Fatima",
    "Ali",
    "Linnea",
    "Oskar",
    "Elin",
    "Ahmed",
    "Ingrid",
    "Nils",
    "Amira",
    "Per",
    "Sofia",
    "Jonas",
)
LAST = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Berg",
    "Holm",
    "Lund",
    "Mohammed",
    "Hassan",
    "Sandberg",
    "Ek",
)
NEED = {"step-free": "Rullstol", "hearing-loop": "Hörslinga"}
MAPPING = """\
# How the form export of Jämlikhetskonferensen 2019 becomes an event.
skeleton = "skeleton.json"

[columns]
id = "Anmälnings-id"
organisation = "Förvaltning"
choices = ["Förstahandsval", "Andrahandsval", "Tredjehandsval"]
needs = "Behov"
registered = "Tidsstämpel"
name = "Namn"
email = "E-post"
"""


def rows() -> list[list[str]]:
    """The registrations as the form shows them: display names, not ids."""
    event = make_event()
    org_name = {org: name for org, name, _ in ORGANISATIONS}
    start = datetime(2018, 12, 3, 9, 0)
    out = []
    for i, person in enumerate(event["attendees"]):
        choices = [f"{s}. {SEMINARS[s]}" for s in person["choices"]] + [""] * (3 - len(person["choices"]))
        needs = ", ".join(NEED[n] for n in person.get("needs", []))
        when = (start + timedelta(minutes=37 * i)).strftime("%Y-%m-%d %H:%M")
        name = f"{FIRST[i % len(FIRST)]} {LAST[(7 * i) % len(LAST)]}"
        email = f"{person['id']}@example.org"  # a reserved domain: nobody's address
        out.append([person["id"], org_name[person["organisation"]], *choices, needs, when, name, email])
    return out


def mapping_values() -> str:
    lines = ["", "[values.organisation]"]
    lines += [f'"{name}" = "{org}"' for org, name, _ in ORGANISATIONS]
    lines += ["", "[values.choices]"]
    lines += [f'"{s}. {title}" = "{s}"' for s, title in SEMINARS.items()]
    lines += ["", "[values.needs]"]
    lines += [f'"{text}" = "{need}"' for need, text in NEED.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    from openpyxl import Workbook

    FOLDER.mkdir(exist_ok=True)
    skeleton = {k: v for k, v in make_event().items() if k != "attendees"}
    (FOLDER / "skeleton.json").write_text(
        json.dumps(skeleton, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (FOLDER / "mapping.toml").write_text(MAPPING + mapping_values(), encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "Anmälningar"
    sheet.append(HEADER)
    for row in rows():
        sheet.append(row)
    book.save(FOLDER / "registrations.xlsx")
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([HEADER, *rows()])
    (FOLDER / "registrations.csv").write_bytes(text.getvalue().encode("cp1252"))
    print(f"wrote {FOLDER}")


if __name__ == "__main__":
    main()
