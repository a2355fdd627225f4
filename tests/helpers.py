"""Small builders for test events: plain dicts, so tests can break them on purpose."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

BASE: dict[str, Any] = {
    "name": "tiny",
    "passes": [{"id": "P1"}, {"id": "P2"}],
    "rooms": [
        {"id": "R1", "capacity": 2, "features": ["step-free"]},
        {"id": "R2", "capacity": 1},
    ],
    "seminars": [{"id": "A"}, {"id": "B"}],
    "sessions": [
        {"seminar": "A", "pass": "P1", "room": "R1"},
        {"seminar": "B", "pass": "P1", "room": "R2"},
        {"seminar": "A", "pass": "P2", "room": "R2"},
        {"seminar": "B", "pass": "P2", "room": "R1"},
    ],
    "organisations": [{"id": "o1"}, {"id": "o2"}],
    "quotas": [],
    "attendees": [
        {"id": "x1", "organisation": "o1", "choices": ["A", "B"]},
        {"id": "x2", "organisation": "o1", "choices": ["A", "B"], "needs": ["step-free"]},
        {"id": "x3", "organisation": "o2", "choices": ["B"]},
    ],
}


def event_dict(**changes: Any) -> dict[str, Any]:
    """Return a deep copy of the base event with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(copy.deepcopy(changes))
    return data


def queue_event(people: list[tuple[str, str | None, str]], **changes: Any) -> dict[str, Any]:
    """Return an event with roomy sessions and registrants ``(id, organisation, 'YYYY-MM-DD')``.

    Two passes of seminars A and B, 10 seats each: rooms never limit who gets in,
    so the admission rule alone decides.
    """
    data = event_dict(
        rooms=[
            {"id": "R1", "capacity": 10, "features": ["step-free"]},
            {"id": "R2", "capacity": 10},
        ],
        attendees=[
            {
                "id": ident,
                "choices": ["A", "B"],
                "registered": f"{day}T{9 + i % 8:02d}:{i % 60:02d}:00",
                **({"organisation": org} if org else {}),
            }
            for i, (ident, org, day) in enumerate(people)
        ],
    )
    data.update(copy.deepcopy(changes))
    return data


def add_workshop(
    data: dict[str, Any], seats: int, wanted: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """Add to a ``queue_event`` a workshop W in two parts (P1 and P2) in a room R3 of ``seats``,
    ranked first by the attendees ``wanted`` picks; return ``data``."""
    data["seminars"].append({"id": "W", "parts": 2})
    data["rooms"].append({"id": "R3", "capacity": seats})
    data["sessions"].append({"seminar": "W", "pass": "P1", "room": "R3"})
    for person in data["attendees"]:
        if wanted(person):
            person["choices"] = ["W", *person["choices"]]
    return data
