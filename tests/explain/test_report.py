"""The HTML report: self-contained, aggregates only, and it renders in a real browser."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from html import escape
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import seatalloc
from helpers import event_dict, queue_event
from seatalloc import Event, solve
from seatalloc.cli.main import main
from seatalloc.explain.overview import overview
from seatalloc.explain.report import render_report
from strategies import events

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


def test_the_page_shows_the_figures_by_name(s1_path) -> None:
    event = Event.from_json(s1_path)
    allocation = solve(event, work_limit=30)
    html = render_report(event, allocation)
    for section in ("choices", "fill", "groups", "venues", "reproduce"):
        assert f"id='{section}'" in html
    assert "<svg" not in html  # bars are HTML: labels are text that wraps, never cut
    assert "viewport" in html and "@media print" in html and "size:A4" in html
    names = [o.name for o in event.organisations if o.name] + [m.title for m in event.seminars if m.title]
    assert all(escape(n) in html for n in names if n != "Externa/Övriga") or names == []
    assert "Stadsdelsförvaltningarna" in html and "organisation sdf" not in html
    assert "13:00-13:45" in html and "Angered Arena" in html  # passes with times, rooms with venues
    assert "total disappointment score (lower is better)" in html and "objective" in html
    assert "no allocation can score below" in html


def test_venue_moves_and_first_choices_per_attendee_are_counted_right(s1_path) -> None:
    event = Event.from_json(s1_path)
    allocation = solve(event, work_limit=30)
    venue = {r.id: r.venue for r in event.rooms}
    seats: dict[str, dict[str, str]] = {}
    for x in allocation.assignments:
        seats.setdefault(x.attendee, {})[x.pass_] = x.room
    moving = sum(1 for s in seats.values() if venue[s["P1"]] != venue[s["P2"]])
    lucky = sum(
        1
        for a in event.attendees
        if any(x.seminar == a.choices[0] for x in allocation.assignments if x.attendee == a.id)
    )
    told = overview(event, allocation)
    assert told.venue_moves == moving > 0
    assert told.first_any == lucky
    html = render_report(event, allocation)
    assert f"{moving:,} attendees change venue" in html
    assert f"{lucky:,} of {len(event.attendees):,} attendees got their first choice in some pass" in html
    needs = {n.need: n for n in told.needs}
    assert needs["step-free"].attendees == sum("step-free" in a.needs for a in event.attendees)
    assert needs["step-free"].seated_without == 0


def test_the_page_says_how_to_reproduce_it(s1_path) -> None:
    event = Event.from_json(s1_path)
    allocation = solve(event, work_limit=30, seed=7)
    html = render_report(event, allocation)
    assert allocation.solver is not None and allocation.solver.version == seatalloc.__version__
    for words, value in (("seed", "7"), ("method", allocation.solver.method), ("work limit", "30")):
        assert f"<td>{words}</td><td>{value}</td>" in html
    assert allocation.solver.finished is not None
    assert allocation.solver.finished.strftime("%Y-%m-%d") in html
    assert "finished" not in allocation.to_json(timings=False)  # the date never breaks same bytes


def test_unranked_places_are_counted_by_their_reason() -> None:
    data = event_dict()
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=30)
    told = overview(event, allocation)
    unranked = allocation.stats.choice_counts.get("unranked", 0)
    assert sum(c.count for c in told.unranked) == unranked
    assert sum(c.count for c in told.unseated) == len(allocation.unseated)


def test_the_page_names_no_attendee() -> None:
    event, html = page()
    assert not any(a.id in html for a in event.attendees)


def test_waitlist_section_with_admission_beside_the_reserve() -> None:
    people = [(f"q{i}", "o1", f"2020-04-{i + 1:02d}") for i in range(6)]
    data = queue_event(people, seat_limit=2, reserves=[{"organisation": "o1", "reserved": 1}])
    data["organisations"] = [{"id": "o1", "name": "Office <one>"}]
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=30)
    html = render_report(event, allocation)
    waiting = len(allocation.waitlist)
    assert waiting > 0 and "id='waitlist'" in html and "reserved seats were taken" in html
    # the organisation by name, its reserve beside who was admitted and who waits
    row = "<td>Office &lt;one&gt;</td>" + "".join(
        f"<td class='n'>{n}</td>" for n in (1, 6 - waiting, waiting)
    )
    assert row in html


def test_an_infeasible_event_shows_conflicts_and_no_fill() -> None:
    data = event_dict()
    for person in data["attendees"]:
        person["fixed"] = {"P1": "B"}
    event = Event.model_validate(data)
    allocation = solve(event, work_limit=30)
    assert allocation.status == "infeasible"
    html = render_report(event, allocation)
    assert "id='conflicts'" in html and "id='fill'" not in html
    assert "No allocation meets every rule" in html


def test_cli_report(tmp_path, s1_path) -> None:
    allocation = tmp_path / "a.json"
    assert main(["solve", str(s1_path), "-o", str(allocation), "--work-limit", "30"]) == 0
    out = tmp_path / "report.html"
    assert main(["report", str(s1_path), str(allocation), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def _pictures():
    spec = importlib.util.spec_from_file_location("report_pictures", ROOT / "examples" / "report_pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


needs_chromium = pytest.mark.skipif(
    not CHROMIUM and not os.environ.get("CI"), reason="no Chromium here (CI installs it)"
)


@needs_chromium
def test_every_label_is_whole_and_readable_at_phone_and_desktop_width() -> None:
    pictures = _pictures()
    for name, html in pictures.examples().items():
        for width in (420, 1280):
            assert pictures.layout_problems(html, width) == [], name


@needs_chromium
def test_the_layout_check_catches_small_and_cut_labels() -> None:
    pictures = _pictures()
    bad = (
        "<!doctype html><html><body><p style='font-size:8px'>tiny words</p>"
        "<p style='white-space:nowrap;width:5rem'>a label far too long for its narrow box</p></body></html>"
    )
    problems = pictures.layout_problems(bad, 420)
    assert any("tiny words: 8px font" in p for p in problems)
    assert any("too long" in p and "cut" in p for p in problems)


@needs_chromium
def test_the_report_renders_in_headless_chromium(tmp_path, s1_path) -> None:
    from PIL import Image

    pictures = _pictures()
    event = Event.from_json(s1_path)
    shot = tmp_path / "shot.png"
    pictures.screenshot(render_report(event, solve(event, work_limit=30)), shot, 420, 1600)
    image = Image.open(shot).convert("RGB")
    assert image.size == (420, 1600)
    pixels = np.asarray(image, dtype=np.int64)
    bars = int((np.abs(pixels - np.array([0x2F, 0x6D, 0xB5])) < 12).all(axis=2).sum())
    assert bars > 2000, "the charts' bars are not on the screenshot"
    (ROOT / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    image.save(ROOT / "benchmarks" / "out" / "report-screenshot.png")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=events(max_attendees=12, venues=True))
def test_the_overview_counts_as_the_audit_and_the_allocation_say(event: Event) -> None:
    allocation = solve(event, work_limit=10)
    if allocation.status not in ("optimal", "feasible"):
        return
    told = overview(event, allocation)
    seats: dict[str, dict[str, str]] = {}
    for x in allocation.assignments:
        seats.setdefault(x.attendee, {})[x.pass_] = x.seminar
    lucky = sum(1 for a in event.attendees if a.choices and a.choices[0] in seats.get(a.id, {}).values())
    assert told.first_any == lucky
    # Each group's shares, counted here from the assignments, one attendee at a time.
    expected = set()
    for dim in ["organisation"] * any(a.organisation for a in event.attendees):
        members: dict[str, list] = {}
        for a in event.attendees:
            if a.organisation is not None:
                members.setdefault(a.organisation, []).append(a)
        for people in members.values():
            if len(people) >= 5:
                got = [seats.get(a.id, {}) for a in people]
                firsts = sum(
                    1
                    for a, g in zip(people, got, strict=True)
                    for s in g.values()
                    if a.choices and s == a.choices[0]
                )
                some = sum(
                    1 for a, g in zip(people, got, strict=True) if a.choices and a.choices[0] in g.values()
                )
                attended = sum(a.attends(p.id) for a in people for p in event.passes)  # places due
                expected.add((dim, some / len(people), firsts / attended if attended else 0.0))
    assert {
        (g.dimension, g.first_any, g.first_per_pass) for g in told.groups if g.dimension == "organisation"
    } == expected
    unranked = allocation.stats.choice_counts.get("unranked", 0)
    assert sum(c.count for c in told.unranked) == unranked
