"""Render the HTML report in headless Chromium: pictures for the docs, and a layout check.

``python examples/report_pictures.py`` writes ``docs/img/report-*.png``: the S1
conference (an optimal allocation), S2 (admission with reserves and a waitlist)
and S1 made infeasible (90 attendees pinned to a room of 80), each at 1280 and
420 CSS pixels wide. The tests use :func:`layout_problems` to check that every
label is whole and at least 12 CSS pixels at both widths. Needs Debian's
``chromium`` on the PATH.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from seatalloc import Event, render_report, solve

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 420)
MIN_FONT_PX = 12

_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip

# Run inside the report (in an iframe as wide as the page under test): every element with
# text of its own must be at least MIN_FONT_PX, not wider than its box, and inside the page.
_MEASURE = """<script>
const bad = [], width = document.documentElement.clientWidth;
for (const el of document.body.querySelectorAll('*')) {
  if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  const text = el.textContent.trim().slice(0, 40);
  if (parseFloat(style.fontSize) < MIN) bad.push(`${text}: ${style.fontSize} font`);
  if (style.display !== 'inline' && el.scrollWidth > el.clientWidth + 1) bad.push(`${text}: cut`);
  if (box.left < -0.5 || box.right > width + 0.5) bad.push(`${text}: outside the page`);
}
const out = parent.document.createElement('pre');
out.id = 'layout';
out.textContent = JSON.stringify({width, bad});
parent.document.body.append(out);
</script>"""


def chromium() -> str | None:
    """Return the Chromium command, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(*args: str, profile: Path) -> str:
    browser = chromium()
    if browser is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    done = subprocess.run(
        [browser, *_FLAGS, f"--user-data-dir={profile}", *args],
        check=True, capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    return done.stdout


def layout_problems(page: str, width: int) -> list[str]:
    """Return every label of the HTML ``page`` that is cut, outside the page or under 12 CSS px
    when the page is ``width`` CSS pixels wide (empty: the layout is right)."""
    probe = page.replace("</body>", _MEASURE.replace("MIN", str(MIN_FONT_PX)) + "</body>")
    frame = (
        f"<!doctype html><html><body style='margin:0'><iframe style='border:0' width='{width}' "
        f"height='4000' srcdoc=\"{html.escape(probe, quote=True)}\"></iframe></body></html>"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "frame.html"
        path.write_text(frame, encoding="utf-8")
        dom = _run("--window-size=1400,4000", "--dump-dom", path.as_uri(), profile=Path(tmp) / "profile")
    found = re.search(r"<pre id=\"layout\">(.*?)</pre>", dom, re.S)
    if found is None:
        return ["the measuring script did not run"]
    result = json.loads(html.unescape(found.group(1)))
    return [f"at {width} px: {problem}" for problem in result["bad"]]


def screenshot(page: str, png: Path, width: int, height: int = 1600) -> None:
    """Save a picture of the HTML ``page`` at ``width`` x ``height`` CSS pixels to ``png``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.html"
        path.write_text(page, encoding="utf-8")
        _run(f"--window-size={width},{height}", f"--screenshot={png}", path.as_uri(), profile=Path(tmp) / "p")


def examples() -> dict[str, str]:
    """Return the three example reports by name: s1, s2 (waitlist) and infeasible."""
    s1 = Event.from_json(ROOT / "examples" / "jamlikhetskonferensen-2019.json")
    s2 = Event.from_json(ROOT / "examples" / "jamlikhetskonferensen-2020.json")
    pinned = tuple(
        a.model_copy(update={"fixed": {"P1": "C"}}) if i < 90 else a for i, a in enumerate(s1.attendees)
    )
    stuck = Event.model_validate(
        {**s1.model_dump(by_alias=True, exclude_defaults=True), "attendees": [
            a.model_dump(by_alias=True, exclude_defaults=True) for a in pinned
        ], "name": f"{s1.name}, 90 pinned to seminar C"}
    )  # fmt: skip
    return {
        name: render_report(event, solve(event, work_limit=30, seed=1))
        for name, event in (("s1", s1), ("s2", s2), ("infeasible", stuck))
    }


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    for name, page in examples().items():
        for width in WIDTHS:
            height = 1400 if width > 600 else 1800
            screenshot(page, out / f"report-{name}-{width}.png", width, height)
            print(f"wrote docs/img/report-{name}-{width}.png")


if __name__ == "__main__":
    main()
