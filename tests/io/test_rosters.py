"""Rosters out: every seat and every attendee-pass, CSV and Excel, safe from formula injection."""

from __future__ import annotations

import csv

from helpers import event_dict
from seatalloc import Event, solve
from seatalloc.cli.main import main
from seatalloc.io.rosters import roster, safe, write_rosters

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
    assert book.sheetnames == ["by session", "by attendee", "by organisation"]
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
