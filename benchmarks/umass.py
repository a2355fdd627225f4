"""UMass Amherst CICS course survey, Fall 2024 (real, anonymised), as a seatalloc event.

1,061 responses rate 96 sections of 65 courses from 1 (not interested) to 7
(very interested), 8 meaning needed for a requirement; each says how many
courses they will keep (the course load) and which weekday hours they would
rather avoid. Sections have capacities and meeting times. No reference
result is published (SOURCE.md); the suite compares seatalloc with first come
first served and random serial dictatorship.

The conversion:

- a course is a seminar and a section a session in a room of its capacity;
- sections meet in 26 weekly patterns (days and times) that may overlap;
  overlapping patterns are merged into one pass (13 passes). Exact for most:
  in 3 merged blocks some pairs of patterns do not overlap (Tue and Thu 1:00
  PM one-day sections; MWF 10:10 and 11:15; MWF 12:20 and 1:25), and the
  merge forbids taking both: a conservative simplification;
- a student's score for a course is the best rating they gave any of its
  sections (``scores``, ``only_listed``; courses rated 1 at best are not
  listed); the course load is ``max_sessions``;
- a section a student rated 1 while rating another section of the course
  higher, or meeting at an hour they avoid, is closed to them: rooms carry a
  feature "not X" for every time pattern and such section X they are not,
  and the student ``needs`` it;
- sections rated in the survey but missing from the course list (12 of 108,
  no capacity) are left out, as are responses with no load or no course
  rated 2 or more.

Run from the repository root::

    python -m benchmarks.umass
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter, defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path

from seatalloc import Event, check, solve

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "umass-cics-course-survey-2024"
#: Hour bands of question 5, in minutes from midnight.
BANDS = [(0, 540), *((m, m + 60) for m in range(540, 1080, 60)), (1080, 1440)]
DAYS = {"Mon": 1, "Tue": 2, "Wed": 3, "Thu": 4, "Fri": 5}


def _minutes(text: str) -> tuple[int, int]:
    start, end = (datetime.strptime(t.strip(), "%I:%M %p") for t in text.split(" - "))
    return start.hour * 60 + start.minute, end.hour * 60 + end.minute


def _overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (days_a, time_a), (days_b, time_b) = a, b
    (s1, e1), (s2, e2) = _minutes(time_a), _minutes(time_b)
    return bool(set(days_a.split()) & set(days_b.split())) and s1 < e2 and s2 < e1


def _blocks(patterns: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Merge overlapping meeting patterns (transitively); return each pattern's block number."""
    parent = list(range(len(patterns)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in combinations(range(len(patterns)), 2):
        if _overlap(patterns[i], patterns[j]):
            parent[root(i)] = root(j)
    roots = sorted({root(i) for i in range(len(patterns))})
    return {p: roots.index(root(i)) for i, p in enumerate(patterns)}


def _columns(header: list[str]) -> list[str]:
    """Name repeated columns as pandas does (``7 _1``, ``7 _1.1``), as survey_column_mapping.csv does."""
    seen: Counter[str] = Counter()
    out = []
    for name in header:
        out.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return out


def _avoided(row: dict[str, str]) -> set[tuple[int, int]]:
    """(weekday, band) pairs a student would rather avoid; none if question 5 was skipped."""
    answers = [row.get(f"5#1_{b + 1}", "") for b in range(len(BANDS))]
    if not any(answers):
        return set()
    return {
        (day, b)
        for b, answer in enumerate(answers)
        for day in range(1, 6)
        if str(day) not in answer.split(",")
    }


def _clashes(pattern: tuple[str, str], avoided: set[tuple[int, int]]) -> bool:
    start, end = _minutes(pattern[1])
    return any(
        (DAYS[d], b) in avoided
        for d in pattern[0].split()
        for b, (lo, hi) in enumerate(BANDS)
        if start < hi and lo < end
    )


def umass_event() -> Event:
    """The survey as an event (see the module docstring for the conversion)."""
    with (DATA / "anonymized_courses.csv").open(encoding="utf-8") as f:
        sections = {(r["Catalog"], r["Section"]): r for r in csv.DictReader(f)}
    pattern_of = {key: (r["zc.days"].strip(), r["Mtg Time"].strip()) for key, r in sections.items()}
    patterns = sorted(set(pattern_of.values()))
    block = _blocks(patterns)
    column_section: dict[str, tuple[str, str]] = {}
    with (DATA / "survey_column_mapping.csv").open(encoding="utf-8") as f:
        for line in f.read().splitlines()[1:]:
            key, _, description = line.partition("|")
            found = re.search(r"DEPT (\d+)(?:-(\d+))?", description)
            if key.startswith("7") and found and (found[1], found[2] or "01") in sections:
                column_section[key] = (found[1], found[2] or "01")
    with (DATA / "survey_data.csv").open(encoding="utf-8") as f:
        reader = csv.reader(f)
        header = _columns(next(reader))
        rows = [dict(zip(header, row, strict=False)) for row in reader]

    attendees, closed_sections = [], set()
    for n, row in enumerate(rows):
        load = row.get("3", "").strip()
        ratings = {column_section[c]: int(row[c]) for c in column_section if row.get(c, "").strip().isdigit()}
        best: defaultdict[str, int] = defaultdict(int)
        for (course, _), rating in ratings.items():
            best[course] = max(best[course], rating)
        scores = {f"C{course}": score for course, score in best.items() if score >= 2}
        if not load.isdigit() or int(load) == 0 or not scores:
            continue
        avoided = _avoided(row)
        needs = {f"not {p[0]} {p[1]}" for p in patterns if _clashes(p, avoided)}
        for (course, section), rating in ratings.items():
            if rating == 1 and best[course] >= 2:
                needs.add(f"not {course}-{section}")
                closed_sections.add((course, section))
        attendees.append(
            {"id": f"s{n:04d}", "scores": scores, "max_sessions": int(load), "needs": sorted(needs)}
        )
    rooms = []
    for (course, section), r in sorted(sections.items()):
        here = pattern_of[(course, section)]
        features = [f"not {p[0]} {p[1]}" for p in patterns if p != here]
        features += [f"not {c}-{s}" for c, s in sorted(closed_sections) if (c, s) != (course, section)]
        rooms.append(
            {"id": f"R{course}-{section}", "capacity": int(r["Enrl Capacity"]), "features": features}
        )
    return Event.model_validate(
        {
            "name": "UMass CICS course survey, Fall 2024",
            "passes": [{"id": f"T{b + 1:02d}"} for b in range(max(block.values()) + 1)],
            "rooms": rooms,
            "seminars": [{"id": f"C{course}"} for course in sorted({c for c, _ in sections})],
            "sessions": [
                {
                    "seminar": f"C{course}",
                    "pass": f"T{block[pattern_of[(course, section)]] + 1:02d}",
                    "room": f"R{course}-{section}",
                }
                for course, section in sorted(sections)
            ],
            "attendees": attendees,
            "objective": {"only_listed": True, "unseated_cost": 100},
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args()
    started = time.perf_counter()
    event = umass_event()
    built = time.perf_counter() - started
    allocation = solve(event, time_limit=args.time_limit)
    report = check(event, allocation)
    loads = sum(min(a.max_sessions or 0, len(a.scores or {})) for a in event.attendees)
    print(
        f"{len(event.attendees)} students, {len(event.sessions)} sections in {len(event.passes)} passes "
        f"(built in {built:.1f} s): {allocation.status}, objective {allocation.objective}, bound "
        f"{allocation.bound}, {len(allocation.assignments)} of {loads} wanted courses seated, "
        f"checker {'ok' if report.ok else report.violations[:3]}, {allocation.solver.wall_time:.1f} s"
    )


if __name__ == "__main__":
    main()
