"""The short text summary printed after a solve. Aggregates only: no personal data."""

from __future__ import annotations

from collections import Counter

from seatalloc.schema import Allocation, Event


def _ordinal(rank: str) -> str:
    if not rank.isdigit():
        return rank
    n = int(rank)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} choice"


def summary(event: Event, allocation: Allocation) -> str:
    """Return a few lines: status, objective, bound, choices met, fill per session."""
    a = allocation
    lines = [f"{event.name or 'event'}: {a.stats.attendees} attendees, {len(event.passes)} passes"]
    line = f"status {a.status}"
    if a.objective is not None:
        line += f", objective {a.objective}, bound {a.bound}, gap {a.gap:.2%}"
    if a.solver is not None and a.solver.wall_time is not None:
        line += f", {a.solver.wall_time:.2f}s"
    if a.solver is not None:
        line += f" ({a.solver.method})"
        if a.solver.stop in ("time-limit", "work-limit"):  # Ctrl-C is said on a line of its own
            line += f", stopped by its {a.solver.stop.replace('-', ' ')}"
    lines.append(line)
    if a.solver is not None and a.solver.note:
        lines.append(f"  {a.solver.note}")
    if len(a.stages) > 1:
        for stage in a.stages:
            lines.append(f"  stage {stage.name}: {stage.value} ({stage.status}, bound {stage.bound})")
    for conflict in a.conflicts:
        lines.append(f"  conflict: {conflict}")
    for change in a.relaxation:
        lines.append(f"  smallest fix: {change}")
    if a.status not in ("optimal", "feasible"):  # nobody is seated: no table of 100 % unseated
        return "\n".join(lines)
    places = sum(a.stats.choice_counts.values())
    lines.append("attendee-passes:")
    for key, count in a.stats.choice_counts.items():
        share = count / places if places else 0.0
        lines.append(f"  {_ordinal(key):>12}  {count:>8}  {share:6.1%}")
    lines += _admission_lines(event, a)
    if a.moves:
        kinds = Counter(m.code for m in a.moves)
        lines.append(
            f"moves since published: {len(a.moves)} ({', '.join(f'{c} {n}' for c, n in kinds.items())})"
        )
    why = Counter(u.code for u in a.unseated)
    if why:
        lines.append("unseated by reason: " + ", ".join(f"{c} {n}" for c, n in why.most_common()))
    lines.append("fill per session:")
    lines += _fill_table(event, a)
    return "\n".join(lines)


#: Characters of a seminar's title shown in the table; longer ones end in an ellipsis.
TITLE_WIDTH = 40


def _fill_table(event: Event, a: Allocation) -> list[str]:
    """The sessions as an aligned table with headers: pass, seminar, title, room, venue, seated /
    capacity (each column as wide as its longest cell)."""
    titles = {m.id: m.title or "" for m in event.seminars}
    venues = {r.id: r.venue or "" for r in event.rooms}

    def cut(text: str) -> str:
        return text if len(text) <= TITLE_WIDTH else text[: TITLE_WIDTH - 1] + "…"

    rows = [("pass", "seminar", "title", "room", "venue", "seated / capacity")]
    rows += [
        (
            s.pass_,
            s.seminar,
            cut(titles.get(s.seminar, "")),
            s.room,
            venues.get(s.room, ""),
            f"{s.seated} / {s.capacity}",
        )
        for s in a.stats.sessions
    ]
    keep = [i for i in range(6) if i not in (2, 4) or any(r[i] for r in rows[1:])]  # no empty columns
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    return ["  " + "  ".join(r[i].ljust(widths[i]) for i in keep).rstrip() for r in rows]


def _admission_lines(event: Event, a: Allocation) -> list[str]:
    """Admitted and waiting per organisation, for events that admit attendees."""
    if not event.admits or a.objective is None:
        return []
    waiting = {w.attendee: w.code for w in a.waitlist}
    org = {p.id: p.organisation or "-" for p in event.attendees}
    lines = [
        f"admission as of {a.as_of}: {len(org) - len(waiting)} admitted, "
        + ", ".join(f"{c} {n}" for c, n in Counter(waiting.values()).most_common())
    ]
    admitted = Counter(org[p] for p in org if p not in waiting)
    queued = Counter(org[p] for p, code in waiting.items() if code in ("event-full", "reserve-full"))
    reserved = {r.organisation: r.reserved for r in event.reserves}
    lines.append(f"  {'organisation':<14} {'reserved':>8} {'admitted':>8} {'waiting':>8}")
    for name in sorted(set(admitted) | set(queued)):
        held = reserved.get(name, "-")
        lines.append(f"  {name:<14} {held:>8} {admitted[name]:>8} {queued[name]:>8}")
    return lines


def compare_table(results: dict[str, Allocation]) -> str:
    """Return the price of fairness: cost and rank profile per objective, side by side."""
    keys: list[str] = []
    for allocation in results.values():
        keys += [k for k in allocation.stats.choice_counts if k not in keys]
    header = f"{'objective':<20} {'status':<10} {'rank cost':>10} " + " ".join(
        f"{_ordinal(k).replace(' choice', ''):>9}" for k in keys
    )
    lines = [header]
    for kind, a in results.items():
        cost = "-" if a.objective is None else str(a.objective)
        counts = " ".join(f"{a.stats.choice_counts.get(k, 0):>9}" for k in keys)
        lines.append(f"{kind:<20} {a.status:<10} {cost:>10} {counts}")
    return "\n".join(lines)
