"""Rosters for room hosts, attendees and organisations, as CSV or Excel.

Attendees appear with their contact fields (``name``, ``email``, ``contact``)
when the event has them, and organisations by name: a room host reads who
comes, not ids. Columns no attendee fills are left out. Rosters never carry
attributes such as gender, and needs only as the room's features.

An ``.xlsx`` workbook has an overview sheet (every session, how full, and the
sheet that lists it), one printable sheet per session (seminar and title,
pass and time, room and venue above the list of names), and a sheet per
attendee and per organisation; every list has a frozen header row, filters,
and column widths that fit.

Every cell that a spreadsheet would read as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is kept as text, so an id or
a title from a form can never run in Excel or LibreOffice (OWASP's advice on
CSV injection): in CSV with a leading apostrophe, in .xlsx as a text cell with
Excel's quote-prefix style (shown as typed, no apostrophe).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from seatalloc.check.belongs import ensure_belongs
from seatalloc.errors import InputError, Problem
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

RosterKind = Literal["session", "attendee", "organisation"]
_RISKY = ("=", "+", "-", "@", "\t", "\r")
#: Contact fields, in the order they appear in a roster.
CONTACT = ("name", "email", "contact")
#: Widest column in an .xlsx roster, in characters.
MAX_WIDTH = 60


def safe(value: object) -> str:
    """Return ``value`` as text no spreadsheet will read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_RISKY) else text


class _Names:
    """The look-ups every roster needs: times, titles, venues, organisation names, contacts."""

    def __init__(self, event: Event) -> None:
        self.order = {p.id: i for i, p in enumerate(event.passes)}
        self.times = {p.id: f"{p.start}-{p.end}" if p.start and p.end else "" for p in event.passes}
        self.titles = {m.id: m.title or "" for m in event.seminars}
        self.venues = {r.id: r.venue or "" for r in event.rooms}
        names = {o.id: o.name or o.id for o in event.organisations}
        self.org = {a.id: names.get(a.organisation or "", a.organisation or "") for a in event.attendees}
        self.fields = [f for f in CONTACT if any(getattr(a, f) for a in event.attendees)]
        self.contact = {a.id: [getattr(a, f) or "" for f in self.fields] for a in event.attendees}
        self.pinned = {(a.id, p): a.pin_note(p) or "" for a in event.attendees if a.fixed for p in a.fixed}

    def who(self, attendee: str) -> list[str]:
        """The attendee's columns: id, organisation name, contact fields."""
        return [attendee, self.org[attendee], *self.contact[attendee]]


def roster(event: Event, allocation: Allocation, by: RosterKind) -> tuple[list[str], list[list[str]]]:
    """Return the header and rows of one roster, sorted for reading on paper.

    ``session``: who sits in each session (pass, time, seminar, title, room,
    venue, then the attendee); ``attendee``: each attendee's seminar, room,
    venue and time per pass, or why they have none; ``organisation``: the same
    grouped by organisation. The attendee is their id, organisation name and
    contact fields (those any attendee has). A pinned seat says so in the note,
    with the event's reason (``pinned: speaker``).
    """
    ensure_belongs(event, allocation)
    n = _Names(event)
    who = n.who
    people = ["attendee", "organisation", *n.fields]
    place = ["pass", "time", "seminar", "title", "room", "venue"]
    seated = [
        [
            x.pass_,
            n.times[x.pass_],
            x.seminar,
            n.titles[x.seminar],
            x.room,
            n.venues[x.room],
            *who(x.attendee),
            n.pinned.get((x.attendee, x.pass_), ""),
        ]
        for x in allocation.assignments
    ]
    if by == "session":
        rows = sorted(seated, key=lambda r: (n.order[r[0]], r[2], r[4], r[6]))
        if not n.pinned:  # (a column nobody fills is left out)
            return place + people, [r[:-1] for r in rows]
        return place + people + ["note"], rows
    at = len(people)  # where the pass is in a row that starts with the attendee
    every = seated + [
        [u.pass_, n.times[u.pass_], "", "", "", "", *who(u.attendee), u.reason]
        for u in allocation.unseated_places()
    ]
    attendee_first = [r[len(place) :][:-1] + r[: len(place)] + r[-1:] for r in every]
    header = people + place + ["note"]
    if by == "attendee":
        return header, sorted(attendee_first, key=lambda r: (r[0], n.order[r[at]]))
    org_first = [[r[1], r[0], *r[2:]] for r in attendee_first]
    header = [header[1], header[0], *header[2:]]
    return header, sorted(org_first, key=lambda r: (r[0], r[1], n.order[r[at]]))


def write_rosters(
    event: Event, allocation: Allocation, path: str | Path, kinds: Sequence[RosterKind] = ("session",)
) -> None:
    """Write rosters to ``path``: an .xlsx workbook (see the module documentation), or CSV (one roster).

    Raises
    ------
    InputError
        The path is not .xlsx or .csv, or a CSV file was asked to hold several rosters.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        why = f"rosters are written as .xlsx or .csv, not {path.suffix or 'a file without a suffix'}"
        raise InputError([Problem("rosters", "output", f"{why}: {str(path)!r}")], "request")
    if path.suffix.lower() == ".xlsx":
        _workbook(event, allocation, kinds).save(path)
        return
    if len(kinds) != 1:
        why = "a CSV file holds one roster: choose one kind, or write .xlsx"
        raise InputError([Problem("rosters", "kinds", why)], "request")
    header, rows = roster(event, allocation, kinds[0])
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([header, *([safe(c) for c in row] for row in rows)])
    path.write_text(text.getvalue(), encoding="utf-8-sig")  # with a BOM, Excel reads UTF-8 right


def _workbook(event: Event, allocation: Allocation, kinds: Sequence[RosterKind]) -> Workbook:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for kind in kinds:
        header, rows = roster(event, allocation, kind)
        if kind == "session":
            _sessions(book, event, allocation, header, rows)
        else:
            _list(book.create_sheet(f"by {kind}"), [], header, rows)
    return book


def _sessions(
    book: Workbook, event: Event, allocation: Allocation, header: list[str], rows: list[list[str]]
) -> None:
    """The overview sheet, then one sheet per session: its heading lines above its list of names."""
    n = _Names(event)
    by_session: defaultdict[tuple[str, str, str], list[list[str]]] = defaultdict(list)
    for row in rows:
        by_session[(row[0], row[2], row[4])].append(row[6:])
    capacity = {r.id: r.capacity for r in event.rooms}
    sessions = sorted(
        {(x.pass_, x.seminar, x.room) for x in allocation.assignments} | set(by_session),
        key=lambda s: (n.order[s[0]], s[1], s[2]),
    )
    overview = book.create_sheet("overview")
    names: set[str] = {"overview"}
    listed = []
    for pass_id, seminar, room in sessions:
        title = _sheet_title(f"{pass_id} {seminar} {room}", names)
        people = by_session[(pass_id, seminar, room)]
        listed.append(
            [pass_id, n.times[pass_id], seminar, n.titles[seminar], room, n.venues[room],
             str(len(people)), str(capacity[room]), title]
        )  # fmt: skip
        heading = [
            [f"Seminar {seminar}" + (f": {n.titles[seminar]}" if n.titles[seminar] else "")],
            [f"Pass {pass_id}" + (f", {n.times[pass_id]}" if n.times[pass_id] else "")],
            [f"Room {room}" + (f", {n.venues[room]}" if n.venues[room] else "")],
            [f"{len(people)} seated of {capacity[room]} seats"],
        ]
        sheet = book.create_sheet(title)
        by_name = 2 if "name" in n.fields else 0  # the list by name when there are names
        _list(sheet, heading, header[6:], sorted(people, key=lambda r: (r[by_name], r[0])))
        sheet.print_title_rows = f"{len(heading) + 1}:{len(heading) + 1}"  # the header on every page
    columns = ["pass", "time", "seminar", "title", "room", "venue", "seated", "seats", "sheet"]
    _list(overview, [], columns, listed)


def _sheet_title(text: str, taken: set[str]) -> str:
    """A unique sheet title: Excel allows 31 characters and none of : \\ / ? * [ ]."""
    base = re.sub(r"[:\\/?*\[\]]", "-", text).strip("'")[:31] or "session"
    title, i = base, 1
    while title.lower() in {t.lower() for t in taken}:
        i += 1
        title = f"{base[: 31 - len(str(i)) - 1]}~{i}"
    taken.add(title)
    return title


def _list(sheet: Worksheet, heading: list[list[str]], header: list[str], rows: list[list[str]]) -> None:
    """Write heading lines, then a table: frozen header row, filters, widths that fit, no formulas."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for line in heading:
        sheet.append(line)
        _guard(sheet[sheet.max_row])
        sheet[sheet.max_row][0].font = Font(bold=len(line) > 0 and sheet.max_row == 1, size=12)
    top = len(heading) + 1
    sheet.append(header)
    for cell in sheet[top]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        _guard(sheet[sheet.max_row])
    sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    last = get_column_letter(max(1, len(header)))
    sheet.auto_filter.ref = f"A{top}:{last}{top + len(rows)}"
    for i, name in enumerate(header):
        longest = max([len(name), *(len(r[i]) for r in rows if i < len(r))])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(MAX_WIDTH, longest + 2)
    sheet.page_setup.orientation = "landscape" if len(header) > 5 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0


def _guard(cells: tuple[Cell, ...]) -> None:
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(_RISKY):
            cell.data_type = "s"  # text, never a formula,
            cell.quotePrefix = True  # and shown as typed (Excel's own text mark)
