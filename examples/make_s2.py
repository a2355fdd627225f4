"""Write examples/jamlikhetskonferensen-2020.json: the S2 conference, seeded.

Jämlikhetskonferensen 2020 (Gothenburg, 27 May 2020, Burgården konferens):
499 seats, reserved per administration as in the seed's table ("Fördelade
platser fram till 27 april"), with a registration lock until 27 April and
the seats released to everyone after it. Seminar titles are from the
programme; rooms, choices and registration times are invented, in blocks
that make the admitted counts easy to derive by hand:

- ``EARLY``: registrations from 14 to 20 April;
- ``LATER``: registrations from 21 to 27 April, on the day ``LATER_DAY``
  names per organisation (days 24-25 for sdf);
- ``RELEASED``: registrations on 28 April, after the release.

As of 20 April each administration gets ``min(reserve, EARLY)``. As of 28
April each keeps ``min(reserve, EARLY + LATER)`` and the unclaimed seats go
by registration time to those beyond their reserve (docs/admission.md works
the numbers through).

Run ``python examples/make_s2.py`` to regenerate the file byte for byte.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

SEED = 2020
#: Offers of the 28 April allocation are confirmed by this day; the answers are in ``RESPONSES``.
RESPOND_BY = "2020-05-08"
RESPONSES = "jamlikhetskonferensen-2020-responses.csv"

SEMINARS = {
    "A": "Socialt innovationslabb - för jämlik stad och hållbart arbetsliv",
    "B": "Närområden som bryr sig",
    "C": "Barn bygger Göteborg - inflytande i stadens utveckling",
    "D": "Nudging som verktyg för Agenda 2030",
    "E": "Kan den nya socialtjänstlagen bana väg för ett långsiktigt hållbart arbete?",
}
POPULARITY = {"A": 14, "B": 10, "C": 12, "D": 22, "E": 30}
ROOMS = [
    ("Stora salen", 200, ["step-free", "hearing-loop"]),
    ("Sal Mölndal", 120, ["step-free", "hearing-loop"]),
    ("Sal Kungsbacka", 80, ["step-free"]),
    ("Sal Partille", 60, ["step-free"]),
    ("Sal Lerum", 60, []),
]
ROOM_OF = dict(zip(SEMINARS, (room for room, _, _ in ROOMS), strict=True))

# id, name, reserved seats (seed 001), registrations EARLY, LATER, RELEASED
ORGANISATIONS = [
    ("sdf", "Stadsdelsförvaltningarna", 200, 150, 70, 10),
    ("srf", "Social resursförvaltning", 30, 20, 5, 5),
    ("gsf", "Grundskoleförvaltningen", 25, 25, 5, 0),
    ("fsf", "Förskoleförvaltningen", 25, 10, 5, 0),
    ("ubf", "Utbildningsförvaltningen", 20, 20, 0, 0),
    ("avux", "Arbetsmarknad och vuxenutbildning", 15, 5, 5, 0),
    ("sbk", "Stadsbyggnadskontoret", 12, 12, 3, 0),
    ("kmf", "Konsument och medborgarservice", 12, 6, 2, 0),
    ("kul", "Kulturförvaltningen", 30, 40, 5, 0),
    ("ovr", "Övriga fackförvaltningar", 40, 30, 10, 0),
    ("slk", "Kommunstyrelsen och Stadsledningskontoret", 20, 15, 0, 0),
    ("bolag", "Bolag inom Stadshus AB", 30, 20, 5, 0),
    ("ext", "Externa/Övriga", 40, 50, 10, 15),
]
# The April day(s) of each organisation's LATER registrations; the others register any day 21-27.
LATER_DAY = {"gsf": (21, 21), "sbk": (22, 22), "kul": (23, 23), "sdf": (24, 25), "ext": (26, 26)}


def _time(rng: random.Random, first_day: int, last_day: int) -> str:
    day = datetime(2020, 4, first_day, 8, 0) + timedelta(days=rng.randint(0, last_day - first_day))
    return (day + timedelta(minutes=rng.randrange(10 * 60))).isoformat()


def make_event(seed: int = SEED, scale: int = 1) -> dict:
    """Return the S2 event as a JSON-ready dict.

    ``scale`` multiplies every count (registrations, reserves, rooms, seats),
    so the admitted counts scale too; benchmarks use it.
    """
    rng = random.Random(seed)
    labels = list(SEMINARS)
    weights = [POPULARITY[s] for s in labels]
    people = []
    for org, _, _, early, later, released in ORGANISATIONS:
        first, last = LATER_DAY.get(org, (21, 27))
        windows = [(14, 20)] * early * scale + [(first, last)] * later * scale + [(28, 28)] * released * scale
        for window in windows:
            choices: list[str] = []
            while len(choices) < 3:
                pick = rng.choices(labels, weights)[0]
                if pick not in choices:
                    choices.append(pick)
            person: dict = {"organisation": org, "choices": choices, "registered": _time(rng, *window)}
            if rng.random() < 0.04:
                person["needs"] = ["step-free"]
            people.append(person)
    rng.shuffle(people)  # a form export is not sorted by organisation
    for number, person in enumerate(people, start=1):
        person["id"] = f"b{number:04d}" if scale == 1 else f"b{number}"
    return {
        "name": "Jämlikhetskonferensen 2020",
        "passes": [
            {"id": "P1", "start": "13:00", "end": "14:00"},
            {"id": "P2", "start": "14:30", "end": "15:30"},
        ],
        "rooms": [
            {"id": rid, "venue": "Burgården konferens", "capacity": cap * scale, "features": feats}
            for rid, cap, feats in ROOMS
        ],
        "seminars": [{"id": s, "title": title} for s, title in SEMINARS.items()],
        "sessions": [{"seminar": s, "pass": p, "room": ROOM_OF[s]} for p in ("P1", "P2") for s in SEMINARS],
        "organisations": [{"id": org, "name": name} for org, name, *_ in ORGANISATIONS],
        "attendees": [{"id": p.pop("id"), **p} for p in people],
        "objective": {"rank_costs": [0, 1, 4], "unranked_cost": 20, "unseated_cost": 1000},
        "seat_limit": scale * sum(reserved for _, _, reserved, *_ in ORGANISATIONS),
        "reserves": [
            {"organisation": org, "reserved": reserved * scale, "until": "2020-04-27"}
            for org, _, reserved, *_ in ORGANISATIONS
        ],
        "admission": {"rule": "registration", "order": "reserved-first"},
        "respond_by": RESPOND_BY,
    }


def make_responses(event: dict, seed: int = SEED) -> str:
    """Return the answers to the offers of 28 April as CSV (attendee, response, when).

    Those who registered by 20 April all have an offer (each administration keeps its reserve, and
    the open seats go to the earliest): most accept by ``RESPOND_BY``, a few decline, a few accept
    two days late, some never answer. Of the later registrants (an offer or a place in the queue)
    one in ten withdraws. The offers nobody confirmed lapse once the round is solved after
    ``RESPOND_BY``.
    """
    rng = random.Random(seed + 1)
    lines = ["attendee,response,when"]
    for person in event["attendees"]:
        early = person["registered"] < "2020-04-21"
        draw = rng.random()
        when = datetime(2020, 5, rng.randint(2, 8), 8) + timedelta(minutes=rng.randrange(10 * 60))
        if early and draw < 0.8:
            lines.append(f"{person['id']},accepted,{when.isoformat()}")
        elif early and draw < 0.85:
            lines.append(f"{person['id']},accepted,{(when + timedelta(days=2)).isoformat()}")
        elif draw > 0.9:
            lines.append(f"{person['id']},declined,{when.isoformat()}")
    return "\n".join(lines) + "\n"


def main() -> None:
    event = make_event()
    target = Path(__file__).with_name("jamlikhetskonferensen-2020.json")
    text = json.dumps(event, ensure_ascii=False, indent=1)
    target.write_text(text + "\n", encoding="utf-8")
    answers = Path(__file__).with_name(RESPONSES)
    answers.write_text(make_responses(event), encoding="utf-8")
    print(f"wrote {target} and {answers}")


if __name__ == "__main__":
    main()
