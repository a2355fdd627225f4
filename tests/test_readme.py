"""The README's and the docs' JSON examples are what seatalloc reads: the README's event solves
as written, and every fragment in the docs uses the event's own keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import seatalloc
from seatalloc.schema.event import Event

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```json\n(.*?)```", re.DOTALL)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCKS = [(path, text) for path in DOCS for text in BLOCK.findall(path.read_text(encoding="utf-8"))]


def test_the_readme_event_solves_as_written() -> None:
    (text,) = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    event = Event.model_validate_json(text)
    allocation = seatalloc.solve(event, work_limit=5)
    assert allocation.status == "optimal", allocation.conflicts
    assert seatalloc.check(event, allocation).ok


@pytest.mark.parametrize(("path", "text"), BLOCKS, ids=[f"{p.name}-{i}" for i, (p, _) in enumerate(BLOCKS)])
def test_every_json_example_uses_the_events_keys(path: Path, text: str) -> None:
    data = json.loads(text if text.lstrip().startswith("{") else "{" + text.strip().rstrip(",") + "}")
    keys = {field.alias or name for name, field in Event.model_fields.items()}
    assert set(data) <= keys, (path.name, set(data) - keys)
