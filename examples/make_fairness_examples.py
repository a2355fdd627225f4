"""Write the S3, S4 and S5 examples: events where fairness between groups is the point.

- S3, Fokus jämställdhet, Eskilstuna 2017 (seed 002): a national conference for
  people who lead equality work in private and public sectors. Attendees carry
  a sector; no session may be more than 60 % one sector (sessions of 10+).
- S4, regional digital network meeting 2021 (seed 003): three county boards
  (Uppsala, Västmanland, Örebro) run one workshop in digital breakout groups
  of at most 8; every group mixes at least two counties, none over half.
  Registration closed on 17 September 2021; four later registrations are refused.
- S5, gender mainstreaming in the coordination federations (seed 004): three
  federations; the first-choice share of women and men may differ by at most
  5 percentage points.

Programme titles and counts are plausible inventions around the sources. Run
``python examples/make_fairness_examples.py`` to regenerate the files byte for byte.
"""

from __future__ import annotations

import json
import random
from pathlib import Path


def _choices(rng: random.Random, seminars: list[str], weights: list[int], k: int) -> list[str]:
    picked: list[str] = []
    while len(picked) < k:
        pick = rng.choices(seminars, weights)[0]
        if pick not in picked:
            picked.append(pick)
    return picked


def make_s3(seed: int = 2017) -> dict:
    """Fokus jämställdhet: four seminars in two passes, sector balance per session."""
    rng = random.Random(seed)
    seminars = {
        "A": "Jämställd etablering av nyanlända",
        "B": "Jämställdhetsintegrering i styrning och ledning",
        "C": "Arbetsliv, heltid och jämställda villkor",
        "D": "Mäns våld mot kvinnor som arbetsmiljöfråga",
    }
    rooms = [("Aula", 90), ("Sal 1", 60), ("Sal 2", 50), ("Sal 3", 40)]
    sectors = (["public"] * 6) + (["private"] * 3) + (["civil-society"] * 2)
    people = []
    for i in range(1, 221):
        people.append(
            {
                "id": f"s3-{i:03d}",
                "choices": _choices(rng, list(seminars), [30, 25, 25, 20], 3),
                "attributes": {"sector": rng.choice(sectors)},
            }
        )
    return {
        "name": "Fokus jämställdhet, Eskilstuna 2017",
        "passes": [
            {"id": "P1", "start": "10:30", "end": "11:30"},
            {"id": "P2", "start": "13:00", "end": "14:00"},
        ],
        "rooms": [{"id": r, "venue": "Eskilstuna", "capacity": c} for r, c in rooms],
        "seminars": [{"id": s, "title": t} for s, t in seminars.items()],
        "sessions": [
            {"seminar": s, "pass": p, "room": rooms[k][0]}
            for p in ("P1", "P2")
            for k, s in enumerate(seminars)
        ],
        "attendees": people,
        "diversity": [{"attribute": "sector", "max_share": 60, "min_session_size": 10}],
        "objective": {"rank_costs": [0, 1, 4], "unranked_cost": 20, "unseated_cost": 1000},
    }


def make_s4(seed: int = 2021) -> dict:
    """Digital network meeting: one workshop in breakout groups that mix counties."""
    rng = random.Random(seed)
    counties = ["Uppsala"] * 26 + ["Västmanland"] * 18 + ["Örebro"] * 20
    rng.shuffle(counties)
    counties += ["Örebro", "Uppsala", "Västmanland", "Uppsala"]  # registered after the deadline
    groups = [f"grupp-{g}" for g in range(1, 9)]
    return {
        "name": "Perspektivträngsel eller perspektivumgänge? Digital nätverksträff 2021",
        "passes": [{"id": "workshop", "start": "10:15", "end": "11:15"}],
        "rooms": [{"id": g, "venue": "digital", "capacity": 8} for g in groups],
        "seminars": [{"id": "W", "title": "Workshop med Gertrud Åström"}],
        "sessions": [{"seminar": "W", "pass": "workshop", "room": g} for g in groups],
        "attendees": [
            {
                "id": f"s4-{i:03d}",
                "choices": ["W"],
                "attributes": {"county": c},
                # Registration opened 1 September; the last four came after the deadline.
                "registered": f"2021-09-{(rng.randint(1, 17) if i <= 64 else rng.randint(18, 24)):02d}T"
                f"{rng.randint(8, 16):02d}:{rng.randint(0, 59):02d}:00",
            }
            for i, c in enumerate(counties, start=1)
        ],
        "diversity": [{"attribute": "county", "max_share": 50, "min_distinct": 2}],
        "registration_deadline": "2021-09-17",
    }


def make_s5(seed: int = 2016) -> dict:
    """Coordination federations: equal first-choice shares for women and men."""
    rng = random.Random(seed)
    seminars = {
        "A": "Jämställd arbetslivsinriktad rehabilitering",
        "B": "Könsuppdelad statistik i insatserna",
        "C": "Bemötande och normer: Hon, hen, han",
    }
    federations = [
        ("vaster", "Samordningsförbundet Göteborg Väster"),
        ("centrum", "Samordningsförbundet Göteborg Centrum"),
        ("mphla", "Samordningsförbundet Mölndal, Partille, Härryda, Lerum och Alingsås"),
    ]
    people = []
    for i in range(1, 151):
        gender = "woman" if rng.random() < 0.62 else "man"
        # Women favour A a little more often in this invented sample.
        weights = [45, 30, 25] if gender == "woman" else [30, 35, 35]
        people.append(
            {
                "id": f"s5-{i:03d}",
                "organisation": rng.choice(federations)[0],
                "choices": _choices(rng, list(seminars), weights, 2),
                "attributes": {"gender": gender},
            }
        )
    return {
        "name": "Jämställdhetsintegrering i samordningsförbunden",
        "passes": [
            {"id": "P1", "start": "09:00", "end": "10:00"},
            {"id": "P2", "start": "10:30", "end": "11:30"},
        ],
        "rooms": [
            {"id": "Stora salen", "capacity": 60},
            {"id": "Trappscenen", "capacity": 50},
            {"id": "Lilla salen", "capacity": 45},
        ],
        "seminars": [{"id": s, "title": t} for s, t in seminars.items()],
        "sessions": [
            {"seminar": s, "pass": p, "room": room}
            for p in ("P1", "P2")
            for s, room in zip(seminars, ["Stora salen", "Trappscenen", "Lilla salen"], strict=True)
        ],
        "organisations": [{"id": o, "name": n} for o, n in federations],
        "attendees": people,
        "parity": [{"attribute": "gender", "max_gap": 5}],
        "objective": {"rank_costs": [0, 1], "unranked_cost": 10, "unseated_cost": 1000},
    }


EXAMPLES = {
    "fokus-jamstalldhet-2017.json": make_s3,
    "digital-natverkstraff-2021.json": make_s4,
    "samordningsforbunden-jamstalldhet.json": make_s5,
}


def main() -> None:
    for name, make in EXAMPLES.items():
        target = Path(__file__).with_name(name)
        target.write_text(json.dumps(make(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
