"""A one-page HTML report of an allocation, for managers and for the web.

Self-contained: the charts are inline SVG drawn here, the style is inline,
and the page makes no network request, so it opens offline, from a mail or
an intranet, and reads on a phone. Aggregates only: no attendee appears by
id or attribute, and groups under ``MIN_GROUP`` are suppressed as in the audit.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from seatalloc.explain.audit import audit
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:56rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
.figures{display:flex;flex-wrap:wrap;gap:.5rem}
.figure{background:#f2f4f7;border-radius:.4rem;padding:.5rem .8rem;min-width:8rem}
.figure b{display:block;font-size:1.3rem}
svg{width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{padding:.2rem .4rem;border-bottom:1px solid #ddd;text-align:left}
"""
_BAR = "#2f6db5"
_FULL = "#b53a2f"


def render_report(event: Event, allocation: Allocation) -> str:
    """Return the report as one HTML page."""
    a = allocation
    review = audit(event, allocation)
    seated = len({x.attendee for x in a.assignments})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(event.name or 'Allocation')}: report</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(event.name or 'Allocation')}</h1>",
        "<div class='figures'>",
        _figure("status", a.status),
        _figure("attendees", str(len(event.attendees))),
        _figure("seated", str(seated)),
        _figure("objective", "-" if a.objective is None else f"{a.objective:,}"),
        _figure("proven bound", "-" if a.bound is None else f"{a.bound:,}"),
        _figure("gap", "-" if a.gap is None else f"{a.gap:.2%}"),
        "</div>",
    ]
    if a.status not in ("optimal", "feasible"):  # no seats: what stands in the way, and the least change
        parts += ["<h2 id='conflicts'>Why there is no allocation</h2>", _items(a.conflicts or ("not known",))]
        if a.relaxation:
            parts += ["<h2 id='fix'>The smallest change that makes one possible</h2>", _items(a.relaxation)]
        if a.solver is not None and a.solver.note:
            parts.append(f"<p>{escape(a.solver.note)}</p>")
        parts.append("</body></html>")
        return "".join(parts)
    parts += [
        "<h2 id='choices'>Choices met</h2>",
        _bars([(_label(k), v) for k, v in a.stats.choice_counts.items()], "attendee-passes by outcome"),
        "<h2 id='fill'>Fill of each session</h2>",
        _fill(a),
        "<h2 id='groups'>First choices per group</h2>",
        f"<p>Share of each group's attendee-passes seated in a first choice (at most "
        f"{1 / max(1, len(event.passes)):.0%} with {len(event.passes)} passes: a seminar is given once).</p>",
        _groups(review.groups),
    ]
    if a.waitlist:
        parts += ["<h2 id='waitlist'>Waitlist</h2>", _waitlist(event, a)]
    parts.append("</body></html>")
    return "".join(parts)


def _items(lines: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def _figure(name: str, value: str) -> str:
    return f"<div class='figure'>{escape(name)}<b>{escape(value)}</b></div>"


def _label(key: str) -> str:
    return f"choice {key}" if key.isdigit() else key


def _bars(items: list[tuple[str, float]], title: str, *, percent: bool = False) -> str:
    """Horizontal bars with labels and values."""
    top = max((v for _, v in items), default=0) or 1
    return _chart(
        title,
        [
            (label, 0.0, value / top, _BAR, f"{value:.0%}" if percent else f"{value:,.0f}")
            for label, value in items
        ],
    )


def _fill(a: Allocation) -> str:
    """Seated against capacity per session: the pale bar is the capacity, the dark one who sits."""
    top = max((s.capacity for s in a.stats.sessions), default=0) or 1
    return _chart(
        "seated against capacity",
        [
            (
                f"{s.pass_} {s.seminar} · {s.room}",
                s.capacity / top,
                s.seated / top,
                _FULL if s.seated >= s.capacity else _BAR,
                f"{s.seated}/{s.capacity}",
            )
            for s in a.stats.sessions
        ],
    )


def _chart(title: str, rows: list[tuple[str, float, float, str, str]]) -> str:
    """An inline SVG of labelled bars: (label, background length, bar length, colour, value text),
    lengths as fractions of the widest."""
    if not rows:
        return "<p>nothing to show</p>"
    row, width, left, span = 26, 640, 200, 350
    out = [f"<svg role='img' viewBox='0 0 {width} {row * len(rows) + 10}'><title>{escape(title)}</title>"]
    for i, (label, back, length, colour, text) in enumerate(rows):
        y = 5 + i * row
        end = span * max(back, length)
        out.append(
            f"<text x='{left - 6}' y='{y + 16}' text-anchor='end' font-size='13'>{escape(label)}</text>"
        )
        if back:
            out.append(
                f"<rect x='{left}' y='{y}' width='{span * back:.1f}' height='{row - 8}' fill='#dde3ea'/>"
            )
        out.append(
            f"<rect x='{left}' y='{y}' width='{span * length:.1f}' height='{row - 8}' fill='{colour}'/>"
            f"<text x='{left + end + 4:.1f}' y='{y + 16}' font-size='13'>{escape(text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _groups(groups: tuple) -> str:
    shown = [
        (f"{g.dimension} {g.value}", g.first_choice_share) for g in groups if g.first_choice_share is not None
    ]
    hidden = [f"{g.dimension} {g.value}" for g in groups if g.first_choice_share is None]
    out = _bars(shown, "share of attendee-passes given a first choice", percent=True)
    if hidden:
        out += f"<p>Fewer than five attendees, not shown: {escape(', '.join(hidden))}.</p>"
    return out


def _waitlist(event: Event, a: Allocation) -> str:
    org = {p.id: p.organisation or "-" for p in event.attendees}
    counts = Counter((org[w.attendee], w.code) for w in a.waitlist)
    rows = "".join(
        f"<tr><td>{escape(o)}</td><td>{escape(code)}</td><td>{n}</td></tr>"
        for (o, code), n in sorted(counts.items())
    )
    return (
        _bars(sorted(Counter(w.code for w in a.waitlist).items()), "waiting by reason")
        + f"<table><tr><th>organisation</th><th>reason</th><th>waiting</th></tr>{rows}</table>"
    )
