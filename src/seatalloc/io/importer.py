"""Import registrations from a form export (CSV or Excel) with a declared column mapping.

The mapping is a TOML file::

    skeleton = "skeleton.json"      # passes, rooms, seminars, sessions, organisations, ...

    [columns]
    id = "Anmälnings-id"            # optional: without it rows are numbered r2, r3, ...
    organisation = "Förvaltning"
    choices = ["Förstahandsval", "Andrahandsval", "Tredjehandsval"]
    needs = "Behov"                 # several needs separated by commas or semicolons
    available = "Närvaro"           # the passes attended, likewise; empty: every pass
    registered = "Tidsstämpel"
    party = "Sällskap"
    name = "Namn"                   # name, email and contact: shown in rosters, nothing else
    email = "E-post"

    [attributes]                    # attribute name = column
    gender = "Kön"

    [values.organisation]           # text in the sheet = id in the event
    "Stadsdelsförvaltningarna" = "sdf"

    [values.choices]
    "A. Skolan som arena" = "A"

    [values.available]              # a pass's name in the sheet = its id
    "Förmiddag" = "P1"

Every bad row is reported with its row number and column, all at once;
nothing is skipped silently. Empty rows are not registrations.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from seatalloc.errors import InputError, Problem
from seatalloc.io.sheets import Cell, by_row, decode, read_rows
from seatalloc.schema.base import Record
from seatalloc.schema.event import Event


class Columns(Record):
    """Which column holds what."""

    id: str | None = Field(None, description="Column of a unique registration id.")
    organisation: str | None = Field(None, description="Column of the organisation.")
    choices: tuple[str, ...] = Field((), description="Columns of the first, second, ... choice.")
    needs: str | None = Field(None, description="Column of room needs, separated by commas or semicolons.")
    available: str | None = Field(
        None,
        description="Column of the passes attended, separated by commas or semicolons; empty: every pass.",
    )
    registered: str | None = Field(None, description="Column of the registration time.")
    party: str | None = Field(None, description="Column of the party (registered together).")
    name: str | None = Field(None, description="Column of the attendee's name (for rosters only).")
    email: str | None = Field(None, description="Column of the e-mail address (for rosters only).")
    contact: str | None = Field(None, description="Column of free contact text (for rosters only).")


class Mapping(Record):
    """How a form export becomes an event."""

    skeleton: str | None = Field(None, description="Event JSON without attendees, relative to the mapping.")
    columns: Columns = Field(description="Which column holds what.")
    attributes: dict[str, str] = Field(default_factory=dict, description="Attribute name = column.")
    values: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Per field ('organisation', 'choices', 'needs', 'available'): sheet text = id.",
    )


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M")


def import_event(registrations: str | Path, mapping: str | Path, skeleton: str | Path | None = None) -> Event:
    """Return the event made of a skeleton and the registrations in a spreadsheet.

    Parameters
    ----------
    registrations
        A ``.csv`` or ``.xlsx`` form export, one row per registration.
    mapping
        The TOML column mapping (see the module documentation).
    skeleton
        Event JSON without attendees; default: the mapping's ``skeleton``.

    Raises
    ------
    InputError
        Every problem: in the mapping, a missing column, and each bad row by
        row number and column.
    """
    rules = _mapping(Path(mapping))
    base = Path(skeleton) if skeleton else _skeleton_path(rules, Path(mapping))
    try:
        event = json.loads(decode(base.read_bytes()))
    except (OSError, json.JSONDecodeError, RecursionError) as err:
        raise InputError([Problem(str(base), "", f"cannot read the skeleton: {err}")], "skeleton") from None
    if not isinstance(event, dict):
        kind = "an array" if isinstance(event, list) else f"a {type(event).__name__}"
        why = f"the skeleton must be a JSON object (an event without attendees), not {kind}"
        raise InputError([Problem(str(base), "", why)], "skeleton")
    header, rows = read_rows(registrations, _columns(rules))
    problems = [
        Problem("row 1", column, "no such column in the sheet")
        for column in _columns(rules)
        if column not in header
    ]
    if problems:
        raise InputError(problems, "registrations")
    seminars = _ids(event.get("seminars"))  # (records without an id: the event's validation says so)
    organisations = _ids(event.get("organisations"))
    passes = _ids(event.get("passes"))
    attendees, row_of = [], []
    for number, row in rows:
        person = _attendee(rules, number, row, (seminars, organisations, passes), problems)
        attendees.append(person)
        row_of.append(number)
    seen: dict[str, int] = {}
    for person, number in zip(attendees, row_of, strict=True):
        if person["id"] in seen:
            where = rules.columns.id or "id"
            problems.append(
                Problem(f"row {number}", where, f"id {person['id']!r} is also in row {seen[person['id']]}")
            )
        seen.setdefault(person["id"], number)
    if problems:
        raise InputError(problems, "registrations")
    try:
        return Event.model_validate({**event, "attendees": attendees})
    except InputError as err:
        raise InputError([by_row(p, "attendees", row_of) for p in err.problems], "registrations") from None


def _mapping(path: Path) -> Mapping:
    try:
        data = tomllib.loads(decode(path.read_bytes()))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise InputError([Problem(str(path), "", f"cannot read the mapping: {err}")], "mapping") from None
    try:
        return Mapping.model_validate(data)
    except ValidationError as err:
        problems = [Problem(str(path), ".".join(map(str, e["loc"])), e["msg"]) for e in err.errors()]
        raise InputError(problems, "mapping") from None


def _ids(records: object) -> set[str]:
    """The ids of a skeleton's list of records, leaving out whatever is not one."""
    if not isinstance(records, list):
        return set()
    return {r["id"] for r in records if isinstance(r, dict) and isinstance(r.get("id"), str)}


def _skeleton_path(rules: Mapping, mapping: Path) -> Path:
    if rules.skeleton is None:
        raise InputError(
            [Problem(str(mapping), "skeleton", "give the event skeleton here or with --skeleton")], "mapping"
        )
    return mapping.parent / rules.skeleton


def _columns(rules: Mapping) -> list[str]:
    c = rules.columns
    named = [c.id, c.organisation, *c.choices, c.needs, c.available, c.registered, c.party]
    named += [c.name, c.email, c.contact]
    named += rules.attributes.values()
    return [column for column in named if column]


def _attendee(
    rules: Mapping,
    number: int,
    row: dict[str, Cell],
    ids: tuple[set[str], set[str], set[str]],
    problems: list[Problem],
) -> dict[str, Any]:
    """One registration: ``ids`` are the skeleton's seminars, organisations and passes."""
    c = rules.columns
    seminars, organisations, passes = ids
    where = f"row {number}"

    def text(column: str | None) -> str:
        value = row.get(column) if column else None
        return "" if value is None else str(value).strip()

    def known(field: str, column: str, value: str, ids: set[str]) -> str | None:
        ident = rules.values.get(field, {}).get(value, value)
        if ident not in ids:
            noun = "pass" if field == "available" else field.rstrip("s")
            problems.append(Problem(where, column, f"unknown {noun} {value!r}"))
            return None
        return ident

    person: dict[str, Any] = {"id": text(c.id) or f"r{number}"}
    if c.organisation and text(c.organisation):
        person["organisation"] = known("organisation", c.organisation, text(c.organisation), organisations)
    choices = []
    for column in c.choices:
        if text(column):
            seminar = known("choices", column, text(column), seminars)
            if seminar in choices:
                problems.append(Problem(where, column, f"seminar {seminar!r} is chosen twice"))
            elif seminar is not None:
                choices.append(seminar)
    person["choices"] = choices
    if c.needs and text(c.needs):
        person["needs"] = [rules.values.get("needs", {}).get(n, n) for n in _listed(text(c.needs))]
    if c.available and text(c.available):
        attended = [known("available", c.available, name, passes) for name in _listed(text(c.available))]
        person["available"] = list(dict.fromkeys(p for p in attended if p is not None))
    if c.registered and (value := row.get(c.registered)) not in (None, ""):
        when = value if isinstance(value, datetime) else _time(str(value))
        if when is None:
            problems.append(Problem(where, c.registered, f"not a date and time: {value!r}"))
        else:
            person["registered"] = when.isoformat()
    if c.party and text(c.party):
        person["party"] = text(c.party)
    for field in ("name", "email", "contact"):  # for rosters only; never in a decision or a message
        column = getattr(c, field)
        if column and text(column):
            person[field] = text(column)
    attributes = {name: text(column) for name, column in rules.attributes.items() if text(column)}
    if attributes:
        person["attributes"] = attributes
    return person


def _listed(value: str) -> list[str]:
    """The items of a cell that lists several, separated by commas or semicolons."""
    return [item.strip() for item in re.split(r"[,;]", value) if item.strip()]


def _time(value: str) -> datetime | None:
    for layout in _TIME_FORMATS:
        try:
            return datetime.strptime(value.strip(), layout)
        except ValueError:
            continue
    return None
