"""Rosters for room hosts, attendees and organisations, as CSV or Excel.

Every cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is kept as text, so an id or
a title from a form can never run in Excel or LibreOffice (OWASP's advice on
CSV injection): in CSV with a leading apostrophe, in .xlsx as a text cell with
Excel's quote-prefix style (shown as typed, no apostrophe). Rosters carry ids, never
attributes such as gender or needs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from seatalloc.check.belongs import ensure_belongs
from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

RosterKind = Literal["session", "attendee", "organisation"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> str:
    """Return ``value`` as text no spreadsheet will read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_RISKY) else text


def roster(event: Event, allocation: Allocation, by: RosterKind) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of one roster, sorted for reading on paper.

    ``session``: who sits in each session (pass, time, seminar, room, venue);
    ``attendee``: each attendee's seminar, room, venue and time per pass, or
    why they have none; ``organisation``: the same grouped by organisation.
    """
    ensure_belongs(event, allocation)
    passes = {p.id: p for p in event.passes}
    titles = {m.id: m.title or "" for m in event.seminars}
    venue = {r.id: r.venue or "" for r in event.rooms}
    org = {a.id: a.organisation or "" for a in event.attendees}
    order = {p.id: i for i, p in enumerate(event.passes)}

    def time(pass_id: str) -> str:
        p = passes[pass_id]
        return f"{p.start}-{p.end}" if p.start and p.end else ""

    seated = [
        [
            x.pass_,
            time(x.pass_),
            x.seminar,
            titles[x.seminar],
            x.room,
            venue[x.room],
            x.attendee,
            org[x.attendee],
        ]
        for x in allocation.assignments
    ]
    if by == "session":
        header = ["pass", "time", "seminar", "title", "room", "venue", "attendee", "organisation"]
        rows = sorted(seated, key=lambda r: (order[r[0]], r[2], r[4], r[6]))
    else:
        unseated = [
            [u.pass_, time(u.pass_), "", "", "", "", u.attendee, org[u.attendee], u.reason]
            for u in allocation.unseated
        ]
        header = ["organisation", "attendee", "pass", "time", "seminar", "title", "room", "venue", "note"]
        every = [[r[7], r[6], *r[:6], r[8] if len(r) > 8 else ""] for r in seated + unseated]
        if by == "attendee":
            header = header[1:] + header[:1]
            rows = [r[1:] + r[:1] for r in sorted(every, key=lambda r: (r[1], order[r[2]]))]
        else:
            rows = sorted(every, key=lambda r: (r[0], r[1], order[r[2]]))
    return header, [["" if cell is None else str(cell) for cell in row] for row in rows]


def write_rosters(
    event: Event, allocation: Allocation, path: str | Path, kinds: Sequence[RosterKind] = ("session",)
) -> None:
    """Write rosters to ``path``: one sheet each in ``.xlsx``, else CSV (one roster only)."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        why = f"rosters are written as .xlsx or .csv, not {path.suffix or 'a file without a suffix'}"
        raise InputError([Problem("rosters", "output", f"{why}: {str(path)!r}")], "request")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for kind in kinds:
            header, rows = roster(event, allocation, kind)
            sheet = book.create_sheet(f"by {kind}")
            sheet.append(header)
            for row in rows:
                sheet.append(row)
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith(_RISKY):
                        cell.data_type = "s"  # text, never a formula,
                        cell.quotePrefix = True  # and shown as typed (Excel's own text mark)
        book.save(path)
        return
    if len(kinds) != 1:
        why = "a CSV file holds one roster: choose one kind, or write .xlsx"
        raise InputError([Problem("rosters", "kinds", why)], "request")
    header, rows = roster(event, allocation, kinds[0])
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([header, *([safe(c) for c in row] for row in rows)])
    path.write_text(text.getvalue(), encoding="utf-8-sig")  # with a BOM, Excel reads UTF-8 right
