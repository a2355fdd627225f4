"""A caller cancels a running solve from another thread and gets the best allocation found."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from seatalloc import Allocation, Event, InputError, SolveOptions, check, solve


def _catalogue(people: int = 2000, seed: int = 3) -> Event:
    """Unique attendees ranking 6 of 40 seminars, each run in 2 of 4 passes, 13 organisations
    capped at 30 % of every session: a model the search keeps improving for seconds."""
    rng = np.random.default_rng(seed)
    passes = [f"P{p}" for p in range(4)]
    seminars = [f"S{j}" for j in range(40)]
    seats = int(people * 1.1 / 20) + 1
    sessions = [
        {"seminar": j, "pass": passes[p], "room": f"R{j}-{p}"}
        for i, j in enumerate(seminars)
        for p in (i % 4, (i + 1) % 4)
    ]
    organisations = [f"o{k}" for k in range(13)]
    return Event.model_validate(
        {
            "passes": [{"id": p} for p in passes],
            "rooms": [{"id": s["room"], "capacity": seats} for s in sessions],
            "seminars": [{"id": j} for j in seminars],
            "sessions": sessions,
            "organisations": [{"id": o} for o in organisations],
            "quotas": [{"organisation": o, "max_per_session": int(seats * 0.3)} for o in organisations],
            "attendees": [
                {
                    "id": f"a{i}",
                    "organisation": organisations[int(rng.integers(13))],
                    "choices": [seminars[j] for j in rng.choice(40, 6, replace=False)],
                }
                for i in range(people)
            ],
        }
    )


def test_cancelling_from_another_thread_returns_the_best_allocation_found() -> None:
    event = _catalogue()
    cancel = threading.Event()
    found: list[Allocation] = []

    def heard(stage: str, seconds: float, best: float | None, bound: float | None) -> None:
        if best is not None:
            cancel.set()  # at the first allocation: the search would go on for a long while

    options = SolveOptions(work_limit=1e9, progress=heard, cancel=cancel)  # no time limit at all
    worker = threading.Thread(target=lambda: found.append(solve(event, options)), daemon=True)
    worker.start()
    worker.join(timeout=600)
    assert not worker.is_alive(), "the cancelled solve did not return"
    (allocation,) = found
    assert allocation.solver is not None and allocation.solver.stop == "interrupted"
    assert allocation.status in ("feasible", "optimal") and check(event, allocation).ok


def test_a_cancel_that_is_no_event_is_an_input_error() -> None:
    with pytest.raises(InputError, match="cancel"):
        SolveOptions(cancel=True)  # type: ignore[arg-type]
