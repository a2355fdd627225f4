"""A one-page HTML report of an allocation, for organisers, managers and the web.

Self-contained: the bars are HTML drawn with inline CSS, labels are text that
wraps (never cut), and the page makes no network request and runs no script,
so it opens offline, from a mail or an intranet, reads on a phone and prints
on A4 (one section per page). Aggregates only: no attendee appears by id or
attribute, and groups under ``MIN_GROUP`` are suppressed as in the audit. The
words are the organiser's (see :mod:`seatalloc.explain.overview`), with the
technical term beside each figure.
"""

from __future__ import annotations

from html import escape as _escape

from seatalloc.explain.overview import MIN_GROUP, Count, Figure, Overview, overview
from seatalloc.schema.allocation import Allocation
from seatalloc.schema.event import Event


def escape(text: str) -> str:
    """Return ``text`` safe in an element's content (attributes carry no text from the input)."""
    return _escape(text, quote=False)


_BAR = "#2f6db5"
_FULL = "#b53a2f"
_STYLE = f"""
html{{font-size:16px}}
body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b;
line-height:1.4}}
h1{{font-size:1.5rem;margin:.2rem 0}}h2{{font-size:1.15rem;margin:1.8rem 0 .5rem}}
p{{margin:.4rem 0}}.verdict{{font-size:1.05rem}}
.figures{{display:flex;flex-wrap:wrap;gap:.5rem}}
.figure{{background:#f2f4f7;border-radius:.4rem;padding:.5rem .8rem;flex:1 1 9rem}}
.figure b{{display:block;font-size:1.3rem}}.term{{color:#555;font-size:.8rem}}
table{{border-collapse:collapse;width:100%;font-size:.9rem}}
td,th{{padding:.25rem .4rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top;
overflow-wrap:break-word}}
th{{font-weight:600}}td.n{{text-align:right;white-space:nowrap}}th.pass{{padding-top:.8rem}}
td.bar{{width:35%}}.sub{{display:block;color:#555;font-size:.8rem}}
@media (max-width:36rem){{td.bar{{width:22%}}body{{padding:.6rem}}table{{font-size:.8rem}}
td,th{{padding:.2rem .25rem}}td:first-child{{overflow-wrap:anywhere}}}}
.track{{display:block;background:#dde3ea;height:.9rem;margin-top:.2rem}}
.fill{{display:block;background:{_BAR};height:100%}}.fill.full{{background:{_FULL}}}
@media print{{
@page{{size:A4;margin:14mm}}
body{{max-width:none;padding:0}}
section{{break-before:page}}section:first-of-type{{break-before:auto}}
tr{{break-inside:avoid}}
.track,.fill,.figure{{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
}}
"""


def render_report(event: Event, allocation: Allocation) -> str:
    """Return the report as one HTML page."""
    o = overview(event, allocation)
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{escape(o.title)}: allocation report</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>{escape(o.title)}</h1><p class='verdict'>{escape(o.verdict)}</p>",
        "<div class='figures'>",
        *(_figure(f) for f in o.figures),
        "</div>",
    ]
    if o.goal:
        parts.append(f"<p>Optimised for {escape(o.goal)}; the score then decides between equals.</p>")
    parts.append("</header>")
    if o.not_running:
        parts += _section("not-running", "Seminars that do not run", _items(o.not_running))
    if not o.seated_any:  # no seats: what stands in the way, and the least change
        said = (
            "<p>These rules cannot all hold together (a smallest set of them that conflicts):</p>"
            + _items(o.conflicts)
            if o.conflicts
            else _items(("not known",))
        )
        parts += _section("conflicts", "Why there is no allocation", said)
        if o.fixes:
            parts += _section("fix", "The smallest change that makes one possible", _items(o.fixes))
        if o.note:
            parts.append(f"<p>{escape(o.note)}</p>")
    else:
        parts += _section("choices", "Choices met", _choices(o))
        parts += _section("fill", "Fill of each session", _fill(o))
        parts += _section("groups", "First choices per group", _groups(o))
        if o.venue_moves is not None or o.needs:
            parts += _section("venues", "Venues and needs", _venues(o))
        if o.pins:
            parts += _section("pins", "Pinned seats", _counts("why pinned", o.pins, "places"))
        if o.unseated or o.unranked:
            parts += _section("reasons", "Without a seat, or without a ranked seminar", _reasons(o))
        if o.waitlist or o.admission:
            parts += _section("waitlist", "Admission and waitlist", _waitlist(o))
    parts += _section("reproduce", "How to reproduce this result", _reproduce(o))
    parts.append("</body></html>")
    return "".join(parts)


def _section(key: str, title: str, body: str) -> list[str]:
    return [f"<section id='{key}'><h2>{escape(title)}</h2>", body, "</section>"]


def _items(lines: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"


def _figure(f: Figure) -> str:
    term = f"<span class='term'>{escape(f.term)}</span>" if f.term else ""
    return f"<div class='figure'>{escape(f.words)}<b>{escape(f.value)}</b>{term}</div>"


def _bar(part: float, whole: float, *, track: float = 1.0, full: bool = False) -> str:
    """A bar: the pale track is ``track`` of the cell, the dark fill ``part / whole`` of the track."""
    share = part / whole if whole else 0.0
    kind = "fill full" if full else "fill"
    return (
        f"<td class='bar'><span class='track' style='width:{100 * track:.1f}%'>"
        f"<span class='{kind}' style='width:{100 * min(1.0, share):.1f}%'></span></span></td>"
    )


def _table(header: tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _counts(title: str, counts: tuple[Count, ...], unit: str) -> str:
    total = sum(c.count for c in counts)
    top = max((c.count for c in counts), default=0)
    rows = [
        f"<tr><td>{escape(c.words)}</td>{_bar(c.count, top)}<td class='n'>{c.count:,} "
        f"({c.count / total if total else 0:.0%})</td></tr>"
        for c in counts
    ]
    return _table((title, "", unit), rows)


def _choices(o: Overview) -> str:
    places = sum(c.count for c in o.outcomes)
    return (
        f"<p>{o.first_any:,} of {o.attendees:,} attendees got their first choice in some pass. "
        f"Each attendee has a seat, or none, in every pass: {places:,} places in all "
        "<span class='term'>(attendee-passes)</span>.</p>" + _counts("what they got", o.outcomes, "places")
    )


def _fill(o: Overview) -> str:
    """Per pass (a heading row with its time), each session: seminar and title, room and venue
    below, a bar of seated against seats (the pale track is the room, scaled to the largest)."""
    top = max((s.capacity for s in o.sessions), default=0) or 1
    out: list[str] = []
    shown = None
    for s in o.sessions:
        if s.pass_ != shown:
            shown = s.pass_
            out.append(f"<tr><th class='pass' colspan='3'>pass {escape(s.pass_)}</th></tr>")
        out.append(
            f"<tr><td>{escape(s.seminar)}<span class='sub'>{escape(s.room)}</span></td>"
            f"{_bar(s.seated, s.capacity, track=s.capacity / top, full=s.seated >= s.capacity)}"
            f"<td class='n'>{s.seated} / {s.capacity}</td></tr>"
        )
    return _table(("seminar and room", "", "seated / seats"), out)


def _groups(o: Overview) -> str:
    rows = [
        f"<tr><td>{escape(g.name)}<span class='sub'>{g.attendees} attendees</span></td>"
        f"{_bar(g.first_any or 0, 1)}<td class='n'>{g.first_any or 0:.0%}"
        f"<span class='sub'>{g.first_per_pass or 0:.0%} per place</span></td></tr>"
        for g in o.groups
    ]
    out = (
        "<p>The share of each group's attendees who got their first choice in some pass, and beside it "
        "the share of their places (attendee-passes) that were a first choice: with several passes a "
        "seminar is given once, so that one is at most one in the number of passes.</p>"
        + _table(("group", "", "first choice in some pass"), rows)
    )
    if o.hidden_groups:
        out += (
            f"<p>Groups of fewer than {MIN_GROUP} attendees, not shown so nobody is singled out: "
            f"{escape(', '.join(o.hidden_groups))}.</p>"
        )
    return out


def _venues(o: Overview) -> str:
    out = ""
    if o.venue_moves is not None:
        out += f"<p>{o.venue_moves:,} attendees change venue between two passes.</p>"
    if o.needs:
        rows = [_row(n.need, n.attendees, n.seated_with, n.seated_without, n.unseated) for n in o.needs]
        out += "<p>Attendees' needs, and whether each place met them.</p>" + _table(
            ("need", "attendees", "seated in a room with it", "seated without it", "no seat"), rows
        )
    return out


def _reasons(o: Overview) -> str:
    out = ""
    if o.unseated:
        out += "<p>Places without a seat, by reason.</p>" + _counts("reason", o.unseated, "places")
    if o.unranked:
        out += (
            "<p>Places in a seminar the attendee did not rank, by why their ranked seminars were not "
            "given.</p>" + _counts("reason", o.unranked, "places")
        )
    return out


def _waitlist(o: Overview) -> str:
    out = ""
    if o.waitlist:
        out += _counts("why not admitted", o.waitlist, "registrants")
    if o.admission:
        rows = [_row(w.organisation, _dash(w.reserved), w.admitted, w.waiting) for w in o.admission]
        out += "<p>Per organisation: seats reserved, attendees admitted and waiting.</p>" + _table(
            ("organisation", "reserved", "admitted", "waiting"), rows
        )
    return out


def _row(label: str, *figures: object) -> str:
    """A table row: the label, then the figures aligned right."""
    cells = "".join(f"<td class='n'>{figure}</td>" for figure in figures)
    return f"<tr><td>{escape(label)}</td>{cells}</tr>"


def _dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def _reproduce(o: Overview) -> str:
    rows = [f"<tr><td>{escape(f.words)}</td><td>{escape(f.value)}</td></tr>" for f in o.reproduce]
    return (
        "<p>The same event with the same seed, method and work limit gives the same allocation.</p>"
        + _table(("setting", "value"), rows)
        if rows
        else "<p>The allocation does not say how it was solved.</p>"
    )
