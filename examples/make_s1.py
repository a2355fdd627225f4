"""Write examples/jamlikhetskonferensen-2019.json: the S1 conference, seeded.

Jämlikhetskonferensen 2019 (Gothenburg, 18 January 2019): about 430 attendees,
two seminar passes (13.00-13.45 and 14.15-15.00) of six parallel seminars A-F
at Angered Arena and Blå Stället. The seminar titles and times are from the
programme; rooms and capacities are plausible inventions; attendees come from
the 13 organisations of the 2020 conference's seat table, in proportion to
their seats, with ranked top-3 choices drawn with a skewed popularity.

``jamlikhetskonferensen-2019-rooms-open.json`` is the same event with the
rooms left to the optimiser (each seminar still runs in both passes).

Run ``python examples/make_s1.py`` to regenerate the files byte for byte.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SEED = 2019
ATTENDEES = 430

SEMINARS = {
    "A": "Skolan som arena för att främja goda uppväxtvillkor för barn",
    "B": "Lokalt jämlikhetsarbete i praktiken",
    "C": "Att vända en stadsdel. Exemplet Gårdsten",
    "D": "Stadens jämlikhetsarbete för barnens bästa - ett socialtjänstperspektiv",
    "E": "Skapa förutsättningar för delaktighet, inflytande och tillit - två exempel",
    "F": "En god start i livet - tre exempel som gör skillnad för barnen i Göteborg",
}
# How often a seminar is picked, relative: popular topics in small rooms make it hard.
POPULARITY = {"A": 25, "B": 12, "C": 22, "D": 13, "E": 10, "F": 18}

ROOMS = [
    ("AA-arenan", "Angered Arena", 150, ["step-free", "hearing-loop"]),
    ("AA-konferens", "Angered Arena", 80, ["step-free", "hearing-loop"]),
    ("AA-studion", "Angered Arena", 60, ["step-free"]),
    ("BS-salongen", "Blå Stället", 90, ["step-free", "hearing-loop"]),
    ("BS-blackbox", "Blå Stället", 60, ["step-free"]),
    ("BS-horsalen", "Blå Stället", 50, ["hearing-loop"]),
]
# Each seminar keeps its room in both passes, as speakers do.
ROOM_OF = {
    "A": "AA-arenan",
    "B": "BS-salongen",
    "C": "AA-konferens",
    "D": "BS-blackbox",
    "E": "AA-studion",
    "F": "BS-horsalen",
}

# The 13 organisations and their reserved seats (seed 001, "Fördelade platser").
ORGANISATIONS = [
    ("sdf", "Stadsdelsförvaltningarna", 200),
    ("srf", "Social resursförvaltning", 30),
    ("gsf", "Grundskoleförvaltningen", 25),
    ("fsf", "Förskoleförvaltningen", 25),
    ("ubf", "Utbildningsförvaltningen", 20),
    ("avux", "Arbetsmarknad och vuxenutbildning", 15),
    ("sbk", "Stadsbyggnadskontoret", 12),
    ("kmf", "Konsument och medborgarservice", 12),
    ("kul", "Kulturförvaltningen", 30),
    ("ovr", "Övriga fackförvaltningar", 40),
    ("slk", "Kommunstyrelsen och Stadsledningskontoret", 20),
    ("bolag", "Bolag inom Stadshus AB", 30),
    ("ext", "Externa/Övriga", 40),
]


def proportional(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` by largest remainder."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def make_event(seed: int = SEED, attendees: int = ATTENDEES) -> dict:
    """Return the S1 event as a JSON-ready dict.

    Other sizes than 430 attendees scale the room capacities and quotas in
    proportion (benchmarks use this for S1-shaped events of any size).
    """
    rng = random.Random(seed)
    labels = list(SEMINARS)
    weights = [POPULARITY[s] for s in labels]
    people = []
    counts = proportional(attendees, [seats for _, _, seats in ORGANISATIONS])
    orgs = [org for (org, _, _), n in zip(ORGANISATIONS, counts, strict=True) for _ in range(n)]
    rng.shuffle(orgs)
    for number, org in enumerate(orgs, start=1):
        choices: list[str] = []
        while len(choices) < 3:
            pick = rng.choices(labels, weights)[0]
            if pick not in choices:
                choices.append(pick)
        person: dict = {"id": f"a{number:04d}", "organisation": org, "choices": choices}
        roll = rng.random()
        if roll < 0.04:
            person["needs"] = ["step-free"]
        elif roll < 0.07:
            person["needs"] = ["hearing-loop"]
        people.append(person)
    return {
        "name": "Jämlikhetskonferensen 2019",
        "passes": [
            {"id": "P1", "start": "13:00", "end": "13:45"},
            {"id": "P2", "start": "14:15", "end": "15:00"},
        ],
        "rooms": [
            {
                "id": rid,
                "venue": venue,
                "capacity": -(-cap * attendees // ATTENDEES),
                "features": feats,
            }
            for rid, venue, cap, feats in ROOMS
        ],
        "seminars": [{"id": s, "title": title} for s, title in SEMINARS.items()],
        "sessions": [{"seminar": s, "pass": p, "room": ROOM_OF[s]} for p in ("P1", "P2") for s in SEMINARS],
        "organisations": [{"id": org, "name": name} for org, name, _ in ORGANISATIONS],
        "quotas": [
            {"organisation": "sdf", "max_per_session": -(-70 * attendees // ATTENDEES)},
            {
                "organisation": "ext",
                "max_per_session": -(-10 * attendees // ATTENDEES),
                "seminar": "C",
            },
        ],
        "attendees": people,
        "objective": {"rank_costs": [0, 1, 4], "unranked_cost": 20, "unseated_cost": 1000},
    }


def make_rooms_open(seed: int = SEED, attendees: int = ATTENDEES) -> dict:
    """Return S1 with each seminar's pass fixed and its room left to the optimiser."""
    event = make_event(seed=seed, attendees=attendees)
    event["name"] += " (rooms chosen by the optimiser)"
    event["sessions"] = [{"seminar": s["seminar"], "pass": s["pass"]} for s in event["sessions"]]
    return event


def main() -> None:
    for name, make in (
        ("jamlikhetskonferensen-2019.json", make_event),
        ("jamlikhetskonferensen-2019-rooms-open.json", make_rooms_open),
    ):
        target = Path(__file__).with_name(name)
        text = json.dumps(make(), ensure_ascii=False, indent=1)
        target.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
