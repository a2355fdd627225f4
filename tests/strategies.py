"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from helpers import queue_event
from seatalloc import Event


@st.composite
def events(
    draw,
    min_attendees: int = 1,
    max_attendees: int = 6,
    max_passes: int = 3,
    planned: bool = False,
    venues: bool = False,
):
    """Small valid events with every rule; with ``planned``, the optimiser also places sessions;
    with ``venues``, rooms are in two venues and moving between them is limited."""
    n_passes = draw(st.integers(1, max_passes))
    seminars = [f"S{i}" for i in range(draw(st.integers(1, 4)))]
    rooms = _rooms(draw, most=3, capacity=3)
    sessions = []
    for p in range(n_passes):
        for room in rooms:
            if draw(st.booleans()):
                sessions.append(
                    {"seminar": draw(st.sampled_from(seminars)), "pass": f"P{p}", "room": room["id"]}
                )
    catalog = [{"id": s} for s in seminars]
    sessions = _parts(draw, catalog, sessions, n_passes)
    orgs = ["o1", "o2"]
    quotas = []
    if draw(st.booleans()):
        quota = {"organisation": "o1", "max_per_session": draw(st.integers(0, 2))}
        if draw(st.booleans()):
            quota["seminar"] = draw(st.sampled_from(seminars))
        quotas.append(quota)
    if draw(st.booleans()):
        quotas.append({"organisation": "o2", "max_seats": draw(st.integers(0, 2))})
    offered = {(s["pass"], s["seminar"]) for s in sessions}
    attendees = []
    for a in range(draw(st.integers(min_attendees, max_attendees))):
        choices = draw(st.permutations(seminars))[: draw(st.integers(0, len(seminars)))]
        person = {"id": f"a{a}", "organisation": draw(st.sampled_from(orgs)), "choices": list(choices)}
        if draw(st.integers(0, 3)) == 0:  # (two features: no room may have both)
            person["needs"] = draw(st.sampled_from([["sf"], ["sf"], ["hl"], ["sf", "hl"]]))
        if draw(st.integers(0, 5)) == 0:
            person["excluded"] = [draw(st.sampled_from(seminars))]
        if offered and draw(st.integers(0, 6)) == 0:
            p, j = draw(st.sampled_from(sorted(offered)))
            if j not in person.get("excluded", []):  # the short form, or the long one with a reason
                person["fixed"] = {p: draw(st.sampled_from([j, {"seminar": j, "reason": "speaker"}]))}
        _attend(draw, person, n_passes)
        if draw(st.integers(0, 4)) == 0:  # fared badly at earlier editions
            person["history"] = {"score": draw(st.integers(0, 2)), "note": "no seat at 2019"}
        if draw(st.booleans()):
            person["attributes"] = {"c": draw(st.sampled_from(["x", "y"]))}
        attendees.append(person)
    objective = {
        "rank_costs": draw(st.lists(st.integers(0, 9), min_size=0, max_size=4)),
        "unranked_cost": draw(st.integers(0, 20)),
        "unseated_cost": draw(st.integers(0, 60)),
        "history_weight": draw(st.sampled_from([0, 0, 1, 2])),
    }
    parity = []
    if draw(st.integers(0, 3)) == 0:
        parity.append({"attribute": "organisation", "max_gap": draw(st.integers(0, 100))})
    diversity = []
    if draw(st.integers(0, 3)) == 0:
        limit = draw(st.sampled_from(["max_share", "max_seats", "min_distinct"]))
        value = draw(st.integers(0, 2))
        rule = {
            "attribute": "c",
            "min_session_size": draw(st.integers(1, 3)),
            limit: value * 50 if limit == "max_share" else value,
        }
        diversity.append(rule)
    for seminar in catalog:
        if draw(st.integers(0, 4)) == 0:
            seminar["min_attendance"] = draw(st.integers(1, 2))
        if draw(st.integers(0, 4)) == 0:
            seminar["max_attendance"] = draw(st.integers(0, 2))
    for person in attendees:
        if draw(st.integers(0, 4)) == 0:
            person["size"] = draw(st.integers(2, 3))
        if draw(st.integers(0, 4)) == 0:
            person["party"] = draw(st.sampled_from(["t1", "t2"]))
        if draw(st.integers(0, 4)) == 0:
            person["max_sessions"] = draw(st.integers(0, 2))
        if draw(st.integers(0, 6)) == 0:
            wanted = draw(st.sampled_from(seminars))
            if wanted not in person.get("excluded", []):
                person["required"] = [wanted]
        kind = draw(st.integers(0, 5))
        if kind == 0 and person["choices"]:
            person["costs"] = {c: draw(st.integers(0, 9)) for c in person["choices"]}
        elif kind == 1 and person["choices"]:
            person["scores"] = {c: draw(st.integers(0, 9)) for c in person["choices"]}
    extra: dict = {}
    if len(seminars) > 1 and not venues and not any("parts" in m for m in catalog) and draw(st.booleans()):
        extra["clashes"] = [draw(st.lists(st.sampled_from(seminars), min_size=2, max_size=3, unique=True))]
    if not venues and not any("parts" in m for m in catalog) and draw(st.integers(0, 3)) == 0:
        objective["kind"] = "value-leximin"
    if planned:
        sessions = _open_up(draw, sessions, catalog)
        if len(seminars) > 1 and draw(st.booleans()):
            extra["different_pass"] = [seminars[:2]]
    return Event.model_validate(
        {
            "passes": [
                {"id": f"P{p}", **({"min_sessions": 1} if planned and draw(st.integers(0, 4)) == 0 else {})}
                for p in range(n_passes)
            ],
            "rooms": rooms,
            "seminars": catalog,
            "parties": [{"id": "t1", "passes": ["P0"]}] if draw(st.booleans()) else [],
            "shared_limits": (
                [
                    {
                        "seminars": seminars[: draw(st.integers(1, len(seminars)))],
                        "max_seats": draw(st.integers(0, 3)),
                    }
                ]
                if draw(st.integers(0, 3)) == 0
                else []
            ),
            "venue_moves": _venue_rules(draw, rooms) if venues else None,
            **extra,
            "sessions": sessions,
            "organisations": [{"id": o} for o in orgs],
            "quotas": quotas,
            "attendees": attendees,
            "objective": objective,
            "parity": parity,
            "diversity": diversity,
        }
    )


ORGS = ["o1", "o2", "o3"]


@st.composite
def admission_events(draw, reserves: int = 2):
    """Registrants of three organisations over April 2020, a seat limit, reserves; and an as-of day."""
    people = [
        (f"p{i}", draw(st.sampled_from([*ORGS, None])), f"2020-04-{draw(st.integers(1, 28)):02d}")
        for i in range(draw(st.integers(1, 14)))
    ]
    held = draw(st.lists(st.sampled_from(ORGS), max_size=reserves, unique=True))
    data = queue_event(
        people,
        seat_limit=draw(st.integers(0, 12)),
        reserves=[
            {
                "organisation": org,
                "reserved": draw(st.integers(0, 3)),
                "until": f"2020-04-{draw(st.integers(1, 28)):02d}",
                "locked": draw(st.booleans()),
            }
            for org in held
        ],
        admission={"order": draw(st.sampled_from(["reserved-first", "open-first"]))},
        organisations=[{"id": org} for org in ORGS],
    )
    for person in data["attendees"]:
        person["priority"] = draw(st.integers(0, 1))
    if sum(r["reserved"] for r in data["reserves"]) > data["seat_limit"]:
        data["seat_limit"] = sum(r["reserved"] for r in data["reserves"])
    return Event.model_validate(data), date(2020, 4, draw(st.integers(1, 28)))


def _open_up(draw, sessions: list[dict], catalog: list[dict]) -> list[dict]:
    """Leave passes or rooms open, add runs, make seminars optional."""
    out = []
    for session in sessions:
        how = draw(st.integers(0, 3))
        if how == 0:
            out.append({"seminar": session["seminar"], "pass": session["pass"]})
        elif how == 1:
            out.append({"seminar": session["seminar"], "room": session["room"]})
        else:
            out.append(session)
    # A planned seminar runs at most once per pass: keep one listed session per seminar and pass.
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for session in out:
        key = (session["seminar"], session.get("pass"))
        if key[1] is None or key not in seen:
            seen.add(key)
            kept.append(session)
    for seminar in catalog:
        if draw(st.integers(0, 3)) == 0:
            seminar["optional"] = True
        if draw(st.integers(0, 3)) == 0:
            listed = sum(s["seminar"] == seminar["id"] for s in kept)
            seminar["runs"] = listed + draw(st.integers(0, 1))
    return kept


def _venue_rules(draw, rooms: list[dict]) -> dict:
    """Put the rooms in venues X and Y; return a random venue_moves rule."""
    for room in rooms:
        room["venue"] = draw(st.sampled_from(["X", "Y"]))
    rule = {
        "rule": draw(st.sampled_from(["allowed", "penalised", "forbidden"])),
        "cost": draw(st.integers(0, 5)),
    }
    if draw(st.booleans()):
        rule["forbidden_for"] = ["sf"]
    return rule


@st.composite
def plain_events(draw, max_attendees: int = 25):
    """Events the flow method solves: room capacities, needs, costs and pins, no rule that ties
    attendees together. Seminars may run twice in one pass or not at all in some."""
    n_passes = draw(st.integers(1, 4))
    seminars = [f"S{i}" for i in range(draw(st.integers(1, 6)))]
    rooms = _rooms(draw, most=5, capacity=8)
    sessions = [
        {"seminar": draw(st.sampled_from(seminars)), "pass": f"P{p}", "room": room["id"]}
        for p in range(n_passes)
        for room in rooms
        if draw(st.integers(0, 3)) > 0
    ]
    attendees = []
    for a in range(draw(st.integers(1, max_attendees))):
        choices = draw(st.permutations(seminars))[: draw(st.integers(0, len(seminars)))]
        person = {"id": f"a{a}", "choices": list(choices)}
        if draw(st.integers(0, 3)) == 0:  # (two features: no room may have both)
            person["needs"] = draw(st.sampled_from([["sf"], ["sf"], ["hl"], ["sf", "hl"]]))
        if draw(st.integers(0, 5)) == 0:
            person["excluded"] = [draw(st.sampled_from(seminars))]
        if draw(st.integers(0, 5)) == 0 and person["choices"]:
            person["costs"] = {c: draw(st.integers(0, 30)) for c in person["choices"]}
        if sessions and draw(st.integers(0, 5)) == 0:  # a speaker, pinned to a session
            pinned = draw(st.sampled_from(sessions))
            if pinned["seminar"] not in person.get("excluded", []):
                pin = draw(
                    st.sampled_from([pinned["seminar"], {"seminar": pinned["seminar"], "reason": "staff"}])
                )
                person["fixed"] = {pinned["pass"]: pin}
        _attend(draw, person, n_passes)
        attendees.append(person)
    return Event.model_validate(
        {
            "passes": [{"id": f"P{p}"} for p in range(n_passes)],
            "rooms": rooms,
            "seminars": [{"id": s} for s in seminars],
            "sessions": sessions,
            "attendees": attendees,
            "objective": {
                "rank_costs": draw(st.lists(st.integers(0, 25), min_size=0, max_size=6)),
                "unranked_cost": draw(st.integers(0, 40)),
                "unseated_cost": draw(st.integers(0, 100)),
                "only_listed": draw(st.booleans()),
            },
        }
    )


def _parts(draw, catalog: list[dict], sessions: list[dict], n_passes: int) -> list[dict]:
    """Now and then, give a seminar two parts, keeping the sessions whose parts fit (before the
    last pass, in a room free in both passes)."""
    if n_passes < 2 or draw(st.integers(0, 3)) > 0:
        return sessions
    double = draw(st.sampled_from(catalog))
    double["parts"] = 2
    taken: set[tuple[str, int]] = set()
    kept = []
    for session in sessions:
        p = int(session["pass"][1:])
        passes = [p, p + 1] if session["seminar"] == double["id"] else [p]
        if passes[-1] < n_passes and not taken & {(session["room"], q) for q in passes}:
            taken |= {(session["room"], q) for q in passes}
            kept.append(session)
    return kept


def _attend(draw, person: dict, n_passes: int) -> None:
    """Now and then, the passes ``person`` attends: some of them, their pinned pass among them."""
    if n_passes > 1 and draw(st.integers(0, 3)) == 0:
        some = draw(st.lists(st.sampled_from([f"P{p}" for p in range(n_passes)]), min_size=1, unique=True))
        person["available"] = sorted({*some, *person.get("fixed", {})})


def _rooms(draw, most: int, capacity: int) -> list[dict]:
    """One to ``most`` rooms of up to ``capacity`` seats, some step-free ('sf'), some with a
    hearing loop ('hl')."""
    return [
        {
            "id": f"R{i}",
            "capacity": draw(st.integers(0, capacity)),
            "features": draw(st.sampled_from([[], ["sf"], ["hl"], ["sf", "hl"]])),
        }
        for i in range(draw(st.integers(1, most)))
    ]


def written_families_only(event: Event, mix: dict, limited: int) -> Event:
    """``event`` without the rule families :mod:`seatalloc.solve.methods.lns.linear` leaves to the
    read-back, with the mix rule ``mix`` on every attendee's attribute ``c`` and every
    ``limited``-th attendee at one session."""
    drawn = event.model_dump(by_alias=True, exclude_none=True)
    drawn["objective"]["kind"] = "rank-cost"
    drawn["objective"].pop("history_weight", None)
    drawn["quotas"] = [q for q in drawn.get("quotas", []) if q.get("max_seats") is None]
    for key in ("parties", "clashes", "parity"):
        drawn.pop(key, None)
    for seminar in drawn["seminars"]:
        for key in ("min_attendance", "parts"):
            seminar.pop(key, None)
    for session in drawn["sessions"]:
        session.pop("min_attendance", None)
    for i, person in enumerate(drawn["attendees"]):
        for key in ("fixed", "required", "size", "party"):
            person.pop(key, None)
        person["attributes"] = {"c": "xyz"[i % 3]}
        if i % limited == 0:
            person["max_sessions"] = 1
    drawn["diversity"] = [{"attribute": "c", **mix}]
    return Event.model_validate(drawn)
