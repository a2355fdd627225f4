"""The HTML report: self-contained, aggregates only, and it renders in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from helpers import event_dict, queue_event
from seatalloc import Event, solve
from seatalloc.cli.main import main
from seatalloc.explain.report import render_report

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def page(data: dict | None = None) -> tuple[Event, str]:
    event = Event.model_validate(data or event_dict(name="<script>alert(1)</script> day"))
    return event, render_report(event, solve(event, work_limit=30))


def test_the_page_makes_no_network_request_and_escapes_text() -> None:
    _, html = page()
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", html)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<script" not in html  # no scripts at all


def test_the_page_shows_the_figures(s1_path) -> None:
    event = Event.from_json(s1_path)
    html = render_report(event, solve(event, work_limit=30))
    assert html.count("<svg") == 3  # choices met, fill, first choices per organisation
    for section in ("choices", "fill", "groups"):
        assert f"id='{section}'" in html
    assert "viewport" in html  # readable on a phone


def test_the_page_names_no_attendee() -> None:
    event, html = page()
    assert not any(a.id in html for a in event.attendees)


def test_waitlist_section_with_admission() -> None:
    people = [(f"q{i}", "o1", f"2020-04-{i + 1:02d}") for i in range(6)]
    _, html = page(queue_event(people, seat_limit=2))
    assert "id='waitlist'" in html and "event-full" in html


def test_cli_report(tmp_path, s1_path) -> None:
    allocation = tmp_path / "a.json"
    assert main(["solve", str(s1_path), "-o", str(allocation), "--work-limit", "30"]) == 0
    out = tmp_path / "report.html"
    assert main(["report", str(s1_path), str(allocation), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="no Chromium here (CI installs it)")
def test_the_report_renders_in_headless_chromium(tmp_path, s1_path) -> None:
    from PIL import Image

    assert CHROMIUM, "CI must install Debian's chromium"
    event = Event.from_json(s1_path)
    html = tmp_path / "report.html"
    html.write_text(render_report(event, solve(event, work_limit=30)), encoding="utf-8")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", "--window-size=420,1600",  # a phone-sized page
            f"--screenshot={shot}", html.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = Image.open(shot).convert("RGB")
    assert image.size == (420, 1600)
    pixels = np.asarray(image, dtype=np.int64)
    bars = int((np.abs(pixels - np.array([0x2F, 0x6D, 0xB5])) < 12).all(axis=2).sum())
    assert bars > 2000, "the charts' bars are not on the screenshot"
    (ROOT / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    image.save(ROOT / "benchmarks" / "out" / "report-screenshot.png")
