"""The peer fairpyx, driven through files from its own virtual environment.

Runs under fairpyx's interpreter (it imports nothing from seatalloc): reads a
seatalloc event JSON, gives fairpyx the sessions as items (capacity = room
capacity), the attendees as agents (capacity = passes), a valuation per
session from the attendee's rank (listed seminars only), as item conflicts
the other sessions in the same pass and of the same seminar, and as agent
conflicts the rooms without what they need; writes the
seats it returns. The suite then validates them with seatalloc's checker.

    .../fairpyx-venv/bin/python benchmarks/fairpyx_peer.py ALGORITHM EVENT.json RESULT.json
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import fairpyx
    from fairpyx.algorithms import iterated_maximum_matching, utilitarian_matching

    algorithm, event_path, out_path = sys.argv[1:4]
    with open(event_path, encoding="utf-8") as f:
        event = json.load(f)
    started = time.perf_counter()
    rooms = {r["id"]: r["capacity"] for r in event["rooms"]}
    sessions = {f"{s['seminar']}|{s['pass']}|{s['room']}": s for s in event["sessions"]}
    valuations = {}
    for person in event["attendees"]:
        ranked = person.get("choices", [])
        valuations[person["id"]] = {
            key: len(ranked) - ranked.index(s["seminar"])
            for key, s in sessions.items()
            if s["seminar"] in ranked
        }
    conflicts = {
        key: {
            other
            for other, t in sessions.items()
            if other != key and (t["pass"] == s["pass"] or t["seminar"] == s["seminar"])
        }
        for key, s in sessions.items()
    }
    # What an attendee may not get: rooms without what they need, and unlisted seminars when the
    # event gives only listed ones.
    features = {r["id"]: set(r.get("features", [])) for r in event["rooms"]}
    only_listed = event.get("objective", {}).get("only_listed", False)
    forbidden = {
        person["id"]: {
            key
            for key, s in sessions.items()
            if not set(person.get("needs", [])) <= features[s["room"]]
            or s["seminar"] in person.get("excluded", [])
            or (only_listed and key not in valuations[person["id"]])
        }
        for person in event["attendees"]
    }
    instance = fairpyx.Instance(
        valuations=valuations,
        agent_conflicts=forbidden,
        agent_capacities={a["id"]: len(event["passes"]) for a in event["attendees"]},
        item_capacities={key: rooms[s["room"]] for key, s in sessions.items()},
        item_conflicts=conflicts,
    )
    chosen = iterated_maximum_matching if algorithm == "imm" else utilitarian_matching
    bundles = fairpyx.divide(chosen, instance=instance)
    assignments = []
    for who, items in bundles.items():
        for key in items:
            seminar, pass_id, room = key.split("|")
            assignments.append({"attendee": who, "pass": pass_id, "seminar": seminar, "room": room})
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(
            {"status": "feasible", "assignments": assignments, "seconds": time.perf_counter() - started}, f
        )


if __name__ == "__main__":
    main()
