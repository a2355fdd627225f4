"""Rosters out: every seat and every attendee-pass, CSV and Excel, safe from formula injection."""

from __future__ import annotations

import csv

from helpers import event_dict
from seatalloc import Event, InputError, solve
from seatalloc.cli.main import main
from seatalloc.io.rosters import _sheet_title, roster, safe, write_rosters

EVIL = '=HYPERLINK("http://x","y")'


def solved():
    data = event_dict()
    data["attendees"][0]["id"] = EVIL
    data["seminars"][0]["title"] = "@SUM(A1:A9)"
    event = Event.model_validate(data)
    return event, solve(event, work_limit=30)


def test_cells_that_look_like_formulas_are_quoted() -> None:
    assert [safe(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "plain", None, 7)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "plain", "", "7",
    ]  # fmt: skip


def test_session_roster_lists_every_seat_once() -> None:
    event, allocation = solved()
    header, rows = roster(event, allocation, "session")
    assert header[:3] == ["pass", "time", "seminar"]
    assert len(rows) == len(allocation.assignments)
    assert {r[6] for r in rows} == {x.attendee for x in allocation.assignments}


def test_attendee_roster_has_every_attendee_in_every_pass() -> None:
    event, allocation = solved()
    _, rows = roster(event, allocation, "attendee")
    assert len(rows) == len(event.attendees) * len(event.passes)
    assert {r[0] for r in rows} == {a.id for a in event.attendees}


def test_csv_and_excel_files_hold_no_formula(tmp_path) -> None:
    from openpyxl import load_workbook

    event, allocation = solved()
    write_rosters(event, allocation, tmp_path / "r.csv", ["organisation"])
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as f:
        cells = [cell for row in csv.reader(f) for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells
    write_rosters(event, allocation, tmp_path / "r.xlsx", ["session", "attendee", "organisation"])
    book = load_workbook(tmp_path / "r.xlsx")
    sessions = {(x.pass_, x.seminar, x.room) for x in allocation.assignments}
    assert book.sheetnames[0] == "overview" and book.sheetnames[-2:] == ["by attendee", "by organisation"]
    assert len(book.sheetnames) == 3 + len(sessions)  # one sheet per session
    values = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in values)
    risky = [c for c in values if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.value for c in risky} == {EVIL, "@SUM(A1:A9)"}  # as typed: no apostrophe shown
    assert all(c.quotePrefix and c.data_type == "s" for c in risky)


def test_cli_writes_rosters(tmp_path, capsys) -> None:
    event, allocation = solved()
    (tmp_path / "e.json").write_text(event.to_json(), encoding="utf-8")
    (tmp_path / "a.json").write_text(allocation.to_json(), encoding="utf-8")
    out = str(tmp_path / "r.xlsx")
    assert main(["rosters", str(tmp_path / "e.json"), str(tmp_path / "a.json"), "-o", out]) == 0
    assert (
        main(
            [
                "rosters",
                str(tmp_path / "e.json"),
                str(tmp_path / "a.json"),
                "-o",
                str(tmp_path / "r.csv"),
                "--by",
                "session",
                "--by",
                "attendee",
            ]
        )
        == 2
    )


def contact_event() -> tuple[Event, object]:
    data = event_dict()
    data["organisations"] = [{"id": "o1", "name": "Office One"}, {"id": "o2", "name": "Office Two"}]
    for i, person in enumerate(data["attendees"]):
        person["name"] = f"Person {chr(90 - i)}"  # Z, Y, X: the name order is not the id order
        person["email"] = f"p{i}@example.org"
    data["attendees"][0]["contact"] = "-0701234567"  # looks like a formula to a spreadsheet
    event = Event.model_validate(data)
    return event, solve(event, work_limit=30)


def test_rosters_carry_names_contacts_and_organisation_names() -> None:
    event, allocation = contact_event()
    header, rows = roster(event, allocation, "session")
    assert header[6:] == ["attendee", "organisation", "name", "email", "contact"]
    people = {a.id: a for a in event.attendees}
    names = {o.id: o.name for o in event.organisations}
    for row in rows:
        person = people[row[6]]
        assert row[7:10] == [names[person.organisation], person.name, person.email]
    header, rows = roster(event, allocation, "attendee")
    assert header[:5] == ["attendee", "organisation", "name", "email", "contact"]
    plain = Event.model_validate(event_dict())
    assert roster(plain, solve(plain, work_limit=30), "session")[0][6:] == ["attendee", "organisation"]


def test_contact_fields_never_change_the_allocation() -> None:
    event, allocation = contact_event()
    plain = Event.model_validate(event_dict())
    again = solve(plain, work_limit=30)
    assert allocation.assignments == again.assignments and allocation.objective == again.objective


def test_a_bad_contact_field_is_named_without_its_value() -> None:
    data = event_dict()
    data["attendees"][0]["email"] = ["secret@example.org"]
    data["attendees"][1]["name"] = "x" * 600
    try:
        Event.model_validate(data)
    except InputError as err:
        text = str(err)
    else:
        raise AssertionError("a list is not an e-mail address")
    assert ".email" in text and ".name" in text and "secret" not in text and "xxxx" not in text


def test_excel_roster_has_a_printable_sheet_per_session_and_an_overview(tmp_path) -> None:
    from openpyxl import load_workbook

    event, allocation = contact_event()
    write_rosters(event, allocation, tmp_path / "r.xlsx", ["session", "attendee"])
    book = load_workbook(tmp_path / "r.xlsx")
    overview = book["overview"]
    table = [[c.value for c in row] for row in overview.iter_rows()]
    assert table[0][:8] == ["pass", "time", "seminar", "title", "room", "venue", "seated", "seats"]
    seated = {}
    for x in allocation.assignments:
        seated.setdefault((x.pass_, x.seminar, x.room), []).append(x.attendee)
    assert len(table) == 1 + len(seated)
    people = {a.id: a for a in event.attendees}
    for row in table[1:]:
        key = (row[0], row[2], row[4])
        assert int(row[6]) == len(seated[key])
        sheet = book[row[8]]
        lines = [[c.value for c in r] for r in sheet.iter_rows()]
        assert lines[0][0].startswith(f"Seminar {row[2]}") and lines[1][0].startswith(f"Pass {row[0]}")
        assert lines[2][0].startswith(f"Room {row[4]}")
        top = 5  # four heading lines, then the header row
        assert lines[top - 1][:3] == ["attendee", "organisation", "name"]
        listed = [r[0] for r in lines[top:]]
        assert sorted(listed) == sorted(seated[key])
        assert [r[2] for r in lines[top:]] == sorted(people[a].name for a in listed)  # by name
        assert sheet.freeze_panes == f"A{top + 1}" and sheet.auto_filter.ref.startswith(f"A{top}:")
        width = sheet.column_dimensions["C"].width  # the names fit
        assert width >= max(len(r[2]) for r in lines[top - 1 :])
    by_attendee = book["by attendee"]
    assert by_attendee.freeze_panes == "A2" and by_attendee.auto_filter.ref.startswith("A1:")
    contact = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == "-0701234567"]
    assert contact and all(c.quotePrefix and c.data_type == "s" for c in contact)


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = {"overview"}
    titles = [_sheet_title(t, taken) for t in ("P1 A R:1", "P1 A R/1", "x" * 40, "x" * 40, "'Overview'")]
    assert all(len(t) <= 31 and not set(t) & set(":\\/?*[]") for t in titles)
    assert len({t.lower() for t in titles} | {"overview"}) == len(titles) + 1
