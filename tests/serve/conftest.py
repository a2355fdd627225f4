"""Servers for the service's tests: real ``seatalloc serve`` processes (benchmarks/service.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.service import Server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """Start servers with ``serve(data, *options, token=None)``; every one is stopped at the end."""
    started: list[Server] = []

    def start(data: Path | None = None, *options: str, token: str | None = None) -> Server:
        server = Server(data or tmp_path, *options, token=token)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests of a module."""
    running = Server(tmp_path_factory.mktemp("service"))
    yield running
    running.close()


@pytest.fixture(scope="session")
def s1() -> dict[str, Any]:
    return json.loads((ROOT / "examples" / "jamlikhetskonferensen-2019.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def long_job() -> dict[str, Any]:
    """A job that runs until cancelled: 3,000 attendees in a catalogue whose seminars run in 2 of 4
    passes, which the flow method finds allocations for at once and keeps improving (seat prices,
    neighbourhoods) until its time limit (the command line's Ctrl-C test uses it too)."""
    from benchmarks.generate import catalog

    return {"event": catalog(3000, seed=2, runs=2), "options": {"method": "flow", "time_limit": 3000}}
