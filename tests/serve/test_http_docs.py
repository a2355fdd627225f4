"""The HTTP how-to's curl and JavaScript examples run as written against a real service."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from seatalloc import Allocation, Event, check

ROOT = Path(__file__).resolve().parents[2]
HOWTO = ROOT / "docs" / "howto" / "http.md"
EXAMPLES = re.findall(
    r"<!-- run with a service -->\n```(\w+)\n(.*?)```", HOWTO.read_text(encoding="utf-8"), re.S
)


def test_the_howto_marks_a_shell_and_a_javascript_example() -> None:
    assert [language for language, _ in EXAMPLES] == ["sh", "js"]


@pytest.mark.parametrize(("language", "code"), EXAMPLES, ids=[language for language, _ in EXAMPLES])
def test_each_example_runs_as_written(server, s1_path, tmp_path, language: str, code: str) -> None:
    if shutil.which({"sh": "curl", "js": "node"}[language]) is None:
        pytest.skip(f"needs {'curl' if language == 'sh' else 'node'}")
    shutil.copy(s1_path, tmp_path / "event.json")
    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")
    if language == "sh":
        command = ["bash", "-euo", "pipefail", "-c", code]
    else:
        (tmp_path / "client.mjs").write_text(code, encoding="utf-8")
        command = ["node", "client.mjs"]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    allocation = Allocation.from_json(tmp_path / "allocation.json")
    assert allocation.status == "optimal" and check(Event.from_json(s1_path), allocation).ok
    if language == "sh":
        assert '"status":"done"' in run.stdout
        assert (tmp_path / "report.html").read_text().startswith("<!doctype html>")
        assert (tmp_path / "rosters.xlsx").read_bytes()[:2] == b"PK"
    else:
        assert run.stdout.startswith("optimal: objective ")
