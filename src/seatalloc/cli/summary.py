"""The text summary printed after a solve, in the report's words. Aggregates only: no personal data."""

from __future__ import annotations

from collections import Counter

from seatalloc.explain.overview import Overview, overview
from seatalloc.schema import Allocation, Event


def _ordinal(rank: str) -> str:
    if not rank.isdigit():
        return rank
    n = int(rank)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} choice"


def summary(event: Event, allocation: Allocation) -> str:
    """Return the report's words as text: the verdict, the figures with their technical terms,
    what attendees got, venue moves and needs, reasons, admission and the fill per session."""
    a = allocation
    o = overview(event, a)
    people, passes = a.stats.attendees, len(event.passes)
    sizes = f"{people} attendee{'s' * (people != 1)}, {passes} pass{'es' * (passes != 1)}"
    lines = [f"{event.name or 'event'}: {sizes}", o.verdict]
    width = max(len(f.words) for f in o.figures)
    for f in o.figures:
        term = f"  ({f.term})" if f.term else ""
        lines.append(f"  {f.words:<{width}}  {f.value}{term}")
    if a.solver is not None:
        line = f"  solved by {a.solver.method}"
        if a.solver.wall_time is not None:
            line += f" in {a.solver.wall_time:.2f} s"
        if a.solver.stop in ("time-limit", "work-limit"):  # Ctrl-C is said on a line of its own
            line += f", stopped by its {a.solver.stop.replace('-', ' ')}"
        lines.append(line)
    if o.note:
        lines.append(f"  {o.note}")
    for seminar in o.not_running:
        lines.append(f"  {seminar}")
    if len(a.stages) > 1:
        for stage in a.stages:
            lines.append(f"  stage {stage.name}: {stage.value} ({stage.status}, bound {stage.bound})")
    if o.conflicts:
        lines.append("  these rules cannot all hold together (a smallest set of them that conflicts):")
    for conflict in o.conflicts:
        lines.append(f"  conflict: {conflict}")
    for change in o.fixes:
        lines.append(f"  smallest fix: {change}")
    if not o.seated_any:  # nobody is seated: no table of 100 % unseated
        return "\n".join(lines)
    places = sum(c.count for c in o.outcomes)
    lines.append(f"what they got, in {places:,} places (attendee-passes):")
    width = max(len(c.words) for c in o.outcomes)
    for c in o.outcomes:
        lines.append(f"  {c.words:<{width}}  {c.count:>8,}  {c.count / places if places else 0:6.1%}")
    if o.moves_line:
        lines.append(f"venues and needs: {o.moves_line}")
    for title, counts in (
        ("pinned", o.pins),
        ("without a seat", o.unseated),
        ("in a seminar they did not rank", o.unranked),
    ):
        if counts:
            lines.append(f"{title}: " + "; ".join(f"{c.words} ({c.count:,})" for c in counts))
    lines += _admission_lines(a, o)
    if a.moves:
        kinds = Counter(m.code for m in a.moves)
        lines.append(
            f"moves since published: {len(a.moves)} ({', '.join(f'{c} {n}' for c, n in kinds.items())})"
        )
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


def _admission_lines(a: Allocation, o: Overview) -> list[str]:
    """Admitted and waiting per organisation beside its reserve, for events that admit attendees."""
    if not o.admission:
        return []
    waiting = "; ".join(f"{c.words} ({c.count})" for c in o.waitlist)
    lines = [
        f"admission as of {a.as_of}: {o.attendees - len(a.waitlist)} admitted, {len(a.waitlist)} not"
        + (f": {waiting}" if waiting else "")
    ]
    width = max(len("organisation"), *(len(w.organisation) for w in o.admission))
    lines.append(f"  {'organisation':<{width}}  {'reserved':>8}  {'admitted':>8}  {'waiting':>8}")
    for w in o.admission:
        held = "-" if w.reserved is None else str(w.reserved)
        lines.append(f"  {w.organisation:<{width}}  {held:>8}  {w.admitted:>8}  {w.waiting:>8}")
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
