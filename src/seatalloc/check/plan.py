"""Independent checks of a session plan: which sessions run, in which pass and room.

The plan is the allocation's ``stats.sessions`` when the optimiser planned
sessions (see :meth:`Allocation.sessions_run`). Plain Python, like the rest
of the checker.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from seatalloc.schema.event import Event
from seatalloc.schema.records import Session


def run_starts(
    event: Event, plan: list[tuple[str, str, str]]
) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """Return, per seminar, the (pass, room) of each run's first part in ``plan``, and how the plan
    breaks runs: a seminar with ``parts`` k runs in blocks of k consecutive passes in one room."""
    order = {p.id: i for i, p in enumerate(event.passes)}
    parts = {m.id: m.parts for m in event.seminars}
    by_room: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for seminar, pass_id, room in sorted(set(plan)):
        if seminar in parts and pass_id in order:
            by_room[(seminar, room)].append(order[pass_id])
    starts: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    v = []
    for (seminar, room), positions in sorted(by_room.items()):
        k = parts[seminar]
        positions.sort()
        blocks = [positions[i : i + k] for i in range(0, len(positions), k)]
        for block in blocks:
            if len(block) < k or block[-1] - block[0] != k - 1:
                names = [event.passes[p].id for p in block]
                v.append(
                    f"seminar {seminar!r} in room {room!r}: passes {names} are not a run of its {k} parts"
                )
            else:
                starts[seminar].append((event.passes[block[0]].id, room))
    return dict(starts), v


def check_plan(event: Event, plan: list[tuple[str, str, str]]) -> list[str]:
    """Return every way ``plan`` breaks the event's sessions, runs, rooms and same-pass groups."""
    v: list[str] = []
    passes = {p.id for p in event.passes}
    rooms = {r.id for r in event.rooms}
    seminars = {m.id: m for m in event.seminars}
    for key, times in Counter(plan).items():
        if times > 1:
            v.append(f"session {key!r} is planned {times} times")
    for (room, pass_id), times in Counter((r, p) for _, p, r in set(plan)).items():
        if times > 1:
            v.append(f"room {room!r} hosts {times} sessions in pass {pass_id!r}")
    planned: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for seminar, pass_id, room in sorted(set(plan)):
        if seminar not in seminars or pass_id not in passes or room not in rooms:
            v.append(f"planned session {(seminar, pass_id, room)!r} names an unknown seminar, pass or room")
            continue
        planned[seminar].append((pass_id, room))
    starts, broken = run_starts(event, plan)
    v += broken
    listed: defaultdict[str, list[Session]] = defaultdict(list)
    for s in event.sessions:
        listed[s.seminar].append(s)
    for m in event.seminars:
        runs = len(listed[m.id]) if m.runs is None else m.runs
        mine = starts.get(m.id, [])
        if len(mine) > runs or (not m.optional and len(mine) < runs):
            v.append(f"seminar {m.id!r} runs {len(mine)} session(s), not {runs}")
        if not m.optional and _matched(listed[m.id], mine) < len(listed[m.id]):
            v.append(f"seminar {m.id!r}: the planned sessions do not match the sessions listed for it")
    for group in event.different_pass:
        for pass_id in sorted(passes):
            running = [j for j in group if any(p == pass_id for p, _ in planned[j])]
            if len(running) > 1:
                v.append(f"different_pass {list(group)}: {running} all run in pass {pass_id!r}")
    for p in event.passes:
        count = sum(1 for _, pass_id, _ in set(plan) if pass_id == p.id)
        if count < p.min_sessions:
            v.append(f"pass {p.id!r} runs {count} sessions, fewer than its min_sessions {p.min_sessions}")
    for group in event.same_pass:
        for pass_id in sorted(passes):
            counts = {j: sum(p == pass_id for p, _ in planned[j]) for j in group}
            if len(set(counts.values())) > 1:
                v.append(f"same_pass {list(group)}: pass {pass_id!r} runs {counts}")
    return v


def _matched(runs: list[Session], sessions: list[tuple[str, str]]) -> int:
    """Return how many listed runs can each get a distinct planned session that fits them."""
    owner: dict[int, int] = {}  # planned session -> run

    def fits(run: Session, session: tuple[str, str]) -> bool:
        return run.pass_ in (None, session[0]) and run.room in (None, session[1])

    def assign(k: int, seen: set[int]) -> bool:
        for i, session in enumerate(sessions):
            if i in seen or not fits(runs[k], session):
                continue
            seen.add(i)
            if i not in owner or assign(owner[i], seen):
                owner[i] = k
                return True
        return False

    return sum(assign(k, set()) for k in range(len(runs)))
