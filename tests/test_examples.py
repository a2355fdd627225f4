"""The bundled examples are what their scripts make, and they solve within every rule."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from seatalloc import Allocation, Event, check, solve
from seatalloc.io.responses import read_responses

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
sys.path.insert(0, str(EXAMPLES))

import make_fairness_examples  # noqa: E402
import make_s1  # noqa: E402
import make_s2  # noqa: E402
import make_workshop_day  # noqa: E402

MADE = {
    "jamlikhetskonferensen-2019.json": make_s1.make_event,
    "jamlikhetskonferensen-2019-rooms-open.json": make_s1.make_rooms_open,
    "jamlikhetskonferensen-2020.json": make_s2.make_event,
    **make_fairness_examples.EXAMPLES,
    make_workshop_day.NAME: make_workshop_day.make_event,
}


@pytest.mark.parametrize("name", sorted(MADE))
def test_example_matches_its_script(name: str) -> None:
    assert json.loads((EXAMPLES / name).read_text(encoding="utf-8")) == MADE[name]()


@pytest.mark.parametrize("name", sorted(MADE))
def test_example_solves_optimally_within_every_rule(name: str) -> None:
    event = Event.from_json(EXAMPLES / name)
    allocation = solve(event, work_limit=30)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    assert len(allocation.assignments) + len(allocation.unseated) == len(event.attendees) * len(event.passes)


def test_the_network_day_runs_its_workshop_in_two_passes_with_the_same_people() -> None:
    event = Event.from_json(EXAMPLES / make_workshop_day.NAME)
    allocation = solve(event, work_limit=30)
    runs = sorted((s.pass_, s.room) for s in allocation.stats.sessions if s.seminar == "W")
    assert [room for _, room in runs] == ["Aulan", "Aulan"]
    first, second = (p for p, _ in runs)
    assert [p.id for p in event.passes].index(second) == [p.id for p in event.passes].index(first) + 1
    seated = {
        p: {x.attendee for x in allocation.assignments if x.seminar == "W" and x.pass_ == p}
        for p in (first, second)
    }
    assert seated[first] == seated[second] and seated[first]
    away = {u.code for u in allocation.unseated}
    assert away == {"not-attending"}  # everyone has a seat in every pass they attend


def test_s4_groups_each_mix_at_least_two_counties() -> None:
    event = Event.from_json(EXAMPLES / "digital-natverkstraff-2021.json")
    allocation = solve(event, work_limit=30)
    county = {a.id: a.attributes["county"] for a in event.attendees}
    mix: dict[str, set[str]] = {}
    for x in allocation.assignments:
        mix.setdefault(x.room, set()).add(county[x.attendee])
    assert mix and all(len(c) >= 2 for c in mix.values())


# S2: reserves until 27 April. The generator's table (examples/make_s2.py) gives, per
# administration: reserve, registrations 14-20 April, 21-27 April, 28 April.
S2 = EXAMPLES / "jamlikhetskonferensen-2020.json"
# As of 20 April the lock holds: min(reserve, registrations by 20 April).
AS_OF_20_APRIL = {
    "sdf": 150, "srf": 20, "gsf": 25, "fsf": 10, "ubf": 20, "avux": 5, "sbk": 12,
    "kmf": 6, "kul": 30, "ovr": 30, "slk": 15, "bolag": 20, "ext": 40,
}  # fmt: skip
# As of 28 April each keeps min(reserve, registrations by 27 April): 465 seats, so 34 are
# open. By registration time they go to kul's 10 and ext's 10 beyond their reserves
# (registered by 20 April), gsf's 5 (21 April), sbk's 3 (22 April), kul's 5 (23 April)
# and the first of sdf's 20 (24-25 April): 20 + 5 + 3 + 5 + 1 = 34.
AS_OF_28_APRIL = {
    "sdf": 201, "srf": 25, "gsf": 30, "fsf": 15, "ubf": 20, "avux": 10, "sbk": 15,
    "kmf": 8, "kul": 45, "ovr": 40, "slk": 15, "bolag": 25, "ext": 50,
}  # fmt: skip


@pytest.mark.parametrize(
    ("day", "expected", "waiting"),
    [
        (date(2020, 4, 20), AS_OF_20_APRIL, {"reserve-full": 20, "not-yet-registered": 155}),
        (date(2020, 4, 28), AS_OF_28_APRIL, {"event-full": 59}),
    ],
)
def test_s2_admits_per_administration_as_derived_by_hand(day, expected, waiting) -> None:
    event = Event.from_json(S2)
    allocation = solve(event, as_of=day, work_limit=30)
    assert allocation.status == "optimal"
    assert check(event, allocation).ok
    org = {a.id: a.organisation for a in event.attendees}
    seated = {x.attendee for x in allocation.assignments}
    assert Counter(org[a] for a in seated) == expected
    assert Counter(w.code for w in allocation.waitlist) == waiting


def test_s4_refuses_registrations_after_the_deadline() -> None:
    event = Event.from_json(EXAMPLES / "digital-natverkstraff-2021.json")
    allocation = solve(event, work_limit=30)
    assert len({x.attendee for x in allocation.assignments}) == 64
    assert [w.attendee for w in allocation.waitlist] == ["s4-065", "s4-066", "s4-067", "s4-068"]
    assert {w.code for w in allocation.waitlist} == {"late"}
    assert all("after the registration deadline 2021-09-17" in w.reason for w in allocation.waitlist)


def test_s1_with_rooms_open_puts_popular_seminars_in_big_rooms_and_beats_the_fixed_plan() -> None:
    fixed_event = Event.from_json(EXAMPLES / "jamlikhetskonferensen-2019.json")
    event = Event.from_json(EXAMPLES / "jamlikhetskonferensen-2019-rooms-open.json")
    fixed, planned = solve(fixed_event), solve(event, work_limit=60)
    assert planned.status == fixed.status == "optimal"
    assert planned.objective < fixed.objective
    first = Counter(a.choices[0] for a in event.attendees)
    for p in ("P1", "P2"):
        sessions = sorted((s for s in planned.stats.sessions if s.pass_ == p), key=lambda s: -s.capacity)
        # The largest room of each pass goes to one of the two seminars most often ranked first.
        assert sessions[0].seminar in {s for s, _ in first.most_common(2)}


def test_s2_responses_are_what_their_script_makes() -> None:
    made = make_s2.make_responses(make_s2.make_event())
    assert (EXAMPLES / make_s2.RESPONSES).read_text(encoding="utf-8") == made


def test_s2_response_round_runs_as_the_docs_show(tmp_path, monkeypatch, capsys) -> None:
    # docs/admission.md, "S2's response round": the three commands, and the figures it gives.
    from seatalloc.cli.main import main

    monkeypatch.chdir(EXAMPLES.parent)
    s2, answers = "examples/jamlikhetskonferensen-2020.json", f"examples/{make_s2.RESPONSES}"
    published, offers, now = (
        str(tmp_path / name) for name in ("published.json", "offers.json", "round2.json")
    )
    limit = ["--work-limit", "30"]
    assert main(["solve", s2, "--as-of", "2020-04-20", "-o", published, *limit]) == 0
    assert main(["resolve", s2, published, "--as-of", "2020-04-28", "-o", offers, *limit]) == 0
    assert (
        main(["resolve", s2, offers, "--as-of", "2020-05-12", "--responses", answers, "-o", now, *limit]) == 0
    )
    printed = capsys.readouterr().out
    assert "176 left (declined or lapsed); new offers to 54:" in printed
    event = Event.from_json(S2)
    before, after = (Allocation.from_json(path) for path in (offers, now))
    (cost,) = [s for s in after.stages if s.name == "rank cost"]  # those who left count in both
    assert cost.value == after.objective and f"stage rank cost: {after.objective} (optimal" in printed
    assert len(before.assignments) == 2 * 499 and len({x.attendee for x in after.assignments}) == 382
    assert Counter(w.code for w in after.waitlist) == {"lapsed": 109, "declined": 67}
    assert len(after.offers) == 54 and set(after.offers) <= {w.attendee for w in before.waitlist}
    said = {r.attendee: r for r in read_responses(EXAMPLES / make_s2.RESPONSES).responses}
    confirmed = {a for a, r in said.items() if r.response == "accepted" and r.when.date() <= date(2020, 5, 8)}
    assert len(confirmed) == 328
    kept = {(x.attendee, x.pass_): (x.seminar, x.room) for x in after.assignments}
    assert all(
        kept.get((x.attendee, x.pass_)) == (x.seminar, x.room)
        for x in before.assignments
        if x.attendee in confirmed
    )
    assert check(event, after).ok
