"""wassign instances as seatalloc events, and wassign's own end-to-end cases.

wassign (github.com/MaximilianAzendorf/wassign) schedules workshops
("choices") into time slots and assigns every participant ("chooser") one
workshop per slot. Its input language maps onto seatalloc:

- ``+slot("s1")``: a pass;
- ``+choice("a", bounds(lo, hi))``: a seminar run once in a room of its own,
  its pass chosen by the optimiser, ``min_attendance`` lo, ``max_attendance`` hi;
  ``parts(k)``: its ``parts``;
- ``optional``, ``optional_if(true)``: ``optional``, it may be left out;
- ``+chooser("p", [3, 0, 2])``: an attendee with ``scores`` (higher is better);
- ``choice("a").slot == slot("s1")``: the session's pass is fixed;
- ``choice("a").slot == choice("b").slot``: a ``same_pass`` group, ``!=``
  a ``different_pass`` group;
- ``slot("s").size >= n``: the pass's ``min_sessions``;
- ``chooser("p").choices.contains(choice("a"))``: ``required``,
  ``contains_not``: ``excluded``.

Every chooser must be seated in every slot: no seat costs more than any
other outcome. wassign minimises the worst mirrored preference, then the sum
of powers; seatalloc minimises the sum of score costs: on these cases the
outcomes are the same. A multi-part workshop (``parts(k)``, k consecutive
slots with the same people) is a seminar with ``parts``.

Run from the repository root::

    python -m benchmarks.wassign      # every e2e case: outcome against wassign's expected one
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from seatalloc import Allocation, Event, check, solve

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "wassign-tests"

_STATEMENT = re.compile(r"^\+(\w+)\((.*)\);$")
_NAME = re.compile(r'^"([^"]+)"')
_SLOT_PIN = re.compile(r'^choice\("([^"]+)"\)\.slot == slot\("([^"]+)"\)$')
_SAME_SLOT = re.compile(r'^choice\("([^"]+)"\)\.slot == choice\("([^"]+)"\)\.slot$')
_OTHER_SLOT = re.compile(r'^choice\("([^"]+)"\)\.slot != choice\("([^"]+)"\)\.slot$')
_SLOT_SIZE = re.compile(r'^slot\("([^"]+)"\)\.size >= (\d+)$')
_CONTAINS = re.compile(r'^chooser\("([^"]+)"\)\.choices\.(contains|contains_not)\(choice\("([^"]+)"\)\)$')


class Unsupported(ValueError):
    """The instance uses a wassign feature that has no seatalloc translation."""


def parse(text: str) -> dict:
    """Return the event (as a JSON-ready dict) of a wassign instance."""
    slots: list[str] = []
    choices: list[dict] = []
    choosers: list[tuple[str, list[int]]] = []
    pinned: dict[str, str] = {}
    same: list[list[str]] = []
    apart: list[list[str]] = []
    least: dict[str, int] = {}
    wishes: dict[str, dict[str, list[str]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _STATEMENT.match(line)
        if match is None:
            raise Unsupported(f"line {number}: cannot read {line!r}")
        kind, body = match.groups()
        name = _NAME.match(body)
        if kind == "slot" and name:
            slots.append(name.group(1))
        elif kind == "choice" and name:
            choices.append(_choice(name.group(1), body[name.end() :], number))
        elif kind == "chooser" and name:
            values = body[name.end() :].strip().lstrip(",").strip()
            choosers.append((name.group(1), [int(x) for x in values.strip("[]").split(",") if x.strip()]))
        elif kind == "constraint" and (pin := _SLOT_PIN.match(body)):
            pinned[pin.group(1)] = pin.group(2)
        elif kind == "constraint" and (pair := _SAME_SLOT.match(body)):
            same.append([pair.group(1), pair.group(2)])
        elif kind == "constraint" and (pair := _OTHER_SLOT.match(body)):
            apart.append([pair.group(1), pair.group(2)])
        elif kind == "constraint" and (size := _SLOT_SIZE.match(body)):
            least[size.group(1)] = int(size.group(2))
        elif kind == "constraint" and (wish := _CONTAINS.match(body)):
            field = "required" if wish.group(2) == "contains" else "excluded"
            wishes.setdefault(wish.group(1), {}).setdefault(field, []).append(wish.group(3))
        else:
            raise Unsupported(f"line {number}: {kind} {body!r} has no seatalloc translation")
    names = [c["id"] for c in choices]
    return {
        "name": "wassign instance",
        "passes": [{"id": s, **({"min_sessions": least[s]} if s in least else {})} for s in slots],
        "rooms": [{"id": f"room-{c['id']}", "capacity": c.pop("capacity")} for c in choices],
        "seminars": choices,
        "sessions": [
            {"seminar": c, "room": f"room-{c}", **({"pass": pinned[c]} if c in pinned else {})} for c in names
        ],
        "same_pass": same,
        "different_pass": apart,
        "attendees": [
            {"id": who, "scores": dict(zip(names, prefs, strict=True)), **wishes.get(who, {})}
            for who, prefs in choosers
        ],
        # Everyone is seated in every slot: no seat costs more than the worst choice.
        "objective": {"unseated_cost": 10**6},
    }


def _choice(name: str, rest: str, number: int) -> dict:
    bounds = re.search(r"bounds\((\d+),\s*(\d+)\)", rest)
    low, high = (int(bounds.group(1)), int(bounds.group(2))) if bounds else (1, 1)
    parts = re.search(r"parts\((\d+)\)", rest)
    optional = "optional_if(true)" in rest or re.search(r"\boptional\b(?!_)", rest) is not None
    return {
        "id": name,
        "min_attendance": low,
        "max_attendance": high,
        "optional": optional,
        "capacity": high,
        **({"parts": int(parts.group(1))} if parts else {}),
    }


def outcome(
    event: Event, allocation: Allocation
) -> tuple[dict[str, str | tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Return the schedule (choice -> slot, or its slots when it has parts) and each chooser's
    choice per slot, in wassign's terms."""
    order = {p.id: i for i, p in enumerate(event.passes)}
    slots: dict[str, list[str]] = {}
    for s in sorted(allocation.stats.sessions, key=lambda s: order[s.pass_]):
        slots.setdefault(s.seminar, []).append(s.pass_)
    schedule = {j: ps[0] if len(ps) == 1 else tuple(ps) for j, ps in slots.items()}
    got = {(x.attendee, x.pass_): x.seminar for x in allocation.assignments}
    return schedule, {a.id: tuple(got.get((a.id, p.id), "-") for p in event.passes) for a in event.attendees}


def main() -> None:
    for path in sorted((DATA / "e2e_solutions").glob("*.wassign")):
        try:
            event = Event.model_validate(parse(path.read_text(encoding="utf-8")))
        except Unsupported as err:
            print(f"{path.stem}: not translated ({err})")
            continue
        allocation = solve(event, time_limit=10)
        if allocation.status == "infeasible":
            print(f"{path.stem}: infeasible")
            continue
        schedule, seats = outcome(event, allocation)
        ok = "checker ok" if check(event, allocation).ok else "CHECKER FAILED"
        print(f"{path.stem}: {allocation.status}; schedule {schedule}; choosers {seats}; {ok}")
    # The realistic fixtures (synthetic, 120 and 300 choosers): upstream only smoke-tests them.
    for name in ("realistic120", "realistic300"):
        event = Event.model_validate(
            parse((DATA / "realistic" / f"{name}.wassign").read_text(encoding="utf-8"))
        )
        allocation = solve(event, time_limit=60)
        gap = "-" if allocation.gap is None else f"{allocation.gap:.1%}"
        valid = check(event, allocation).ok if allocation.objective is not None else "-"
        found = f"objective {allocation.objective}, bound {allocation.bound}, gap {gap}"
        print(f"{name}: {allocation.status}, {found}, valid {valid}")


if __name__ == "__main__":
    sys.exit(main())
