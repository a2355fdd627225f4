"""Write examples/natverksdag-heldag.json: a full network day with a two-part workshop, seeded.

A regional network day in the shape of S4 (three county boards, a workshop to
share experiences), grown to a full day: four passes, two before lunch and
two after, six seminars and a workshop that takes two passes in a row with
the same people ("parts": 2). The optimiser chooses which two passes the
workshop runs in, and the two of seminar F in the same hall. Some attendees
come only for the morning or only for the afternoon ("available"), and the
speakers are pinned to their seminars with the reason.
Names, choices and times are invented.

Run ``python examples/make_workshop_day.py`` to regenerate the file byte for byte.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 2021
NAME = "natverksdag-heldag.json"
SEMINARS = {
    "W": ("Verkstad: erfarenhetsutbyte mellan länen", 2),
    "A": ("Digital samverkan i praktiken", 1),
    "B": ("Upphandling av digitala tjänster", 1),
    "C": ("Informationssäkerhet för kommuner", 1),
    "D": ("Öppna data i länen", 1),
    "E": ("Tillgänglighet i digitala möten", 1),
    "F": ("Länens digitala agenda", 1),
}
COUNTIES = ["uppsala", "vastmanland", "orebro"]
PASSES = [
    ("P1", "09:00", "10:00"),
    ("P2", "10:15", "11:15"),
    ("P3", "13:00", "14:00"),
    ("P4", "14:15", "15:15"),
]
MORNING, AFTERNOON = ["P1", "P2"], ["P3", "P4"]


def make_event(seed: int = SEED) -> dict:
    """Return the event as a JSON-ready dict."""
    rng = random.Random(seed)
    weights = {"W": 30, "A": 20, "B": 12, "C": 18, "D": 10, "E": 10, "F": 15}
    people = []
    for i in range(1, 97):
        choices = []
        while len(choices) < 3:
            pick = rng.choices(list(weights), list(weights.values()))[0]
            if pick not in choices:
                choices.append(pick)
        person: dict = {
            "id": f"nd-{i:03d}",
            "organisation": rng.choice(COUNTIES),
            "choices": choices,
        }
        stay = rng.random()
        if stay < 0.15:
            person["available"] = MORNING
        elif stay < 0.3:
            person["available"] = AFTERNOON
        people.append(person)
    # The speakers: one per seminar that runs once, pinned in the pass it runs in.
    speakers = [("A", "P1"), ("B", "P2"), ("C", "P3"), ("D", "P4")]
    for k, (seminar, pass_id) in enumerate(speakers, start=1):
        people.append(
            {
                "id": f"nd-talare-{k}",
                "organisation": COUNTIES[k % 3],
                "choices": [seminar],
                "available": [pass_id],
                "fixed": {pass_id: {"seminar": seminar, "reason": "speaker"}},
            }
        )
    return {
        "name": "Nätverksdag för digital samverkan, heldag",
        "passes": [{"id": p, "start": start, "end": end} for p, start, end in PASSES],
        "rooms": [
            {"id": "Aulan", "capacity": 40, "features": ["step-free", "hearing-loop"]},
            {"id": "Sal 2", "capacity": 30, "features": ["step-free"]},
            {"id": "Sal 3", "capacity": 24},
        ],
        "seminars": [{"id": j, "title": title, "parts": parts} for j, (title, parts) in SEMINARS.items()],
        "sessions": [
            {"seminar": "W", "room": "Aulan"},  # the optimiser chooses its two passes
            {"seminar": "F", "room": "Aulan"},  # ... and F's in the passes left
            {"seminar": "F", "room": "Aulan"},
            {"seminar": "A", "pass": "P1", "room": "Sal 2"},
            {"seminar": "A", "pass": "P3", "room": "Sal 3"},
            {"seminar": "B", "pass": "P2", "room": "Sal 2"},
            {"seminar": "C", "pass": "P3", "room": "Sal 2"},
            {"seminar": "C", "pass": "P1", "room": "Sal 3"},
            {"seminar": "D", "pass": "P4", "room": "Sal 2"},
            {"seminar": "E", "pass": "P2", "room": "Sal 3"},
            {"seminar": "E", "pass": "P4", "room": "Sal 3"},
        ],
        "organisations": [
            {"id": "uppsala", "name": "Länsstyrelsen i Uppsala län"},
            {"id": "vastmanland", "name": "Länsstyrelsen Västmanland"},
            {"id": "orebro", "name": "Länsstyrelsen Örebro län"},
        ],
        "attendees": people,
        "objective": {"rank_costs": [0, 1, 4], "unranked_cost": 10, "unseated_cost": 1000},
    }


def main() -> None:
    target = Path(__file__).with_name(NAME)
    target.write_text(json.dumps(make_event(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
