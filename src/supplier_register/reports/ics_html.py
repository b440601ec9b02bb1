"""The ICS paper: the ICS view as a self-contained, printable HTML document (``ics --format html``).

Written for an ICS meeting (the trusts' CIOs, the ICS digital board) to read unedited: the
files read and their redaction policies, a summary in plain words, the joint-procurement
opportunities soonest first (each with what to do), a timeline drawn as inline SVG with
its text equivalent, the suppliers two or more trusts use, the data gaps in words, and
what the paper does not say.  Pure: it takes the :class:`IcsView` built by
``services.ics.ics_view``.  Built as an element tree (:mod:`.htmltree`), so every name a
trust typed is escaped; the page looks like the board paper (:mod:`.htmldoc`).  Facts a
trust's policy left out are said to be "not shared", never zero or "no".
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from supplier_register.domain.bounds import add_months
from supplier_register.ics.analysis import (
    WINDOW_MONTHS,
    ContractLine,
    IcsView,
    JointWindow,
    MatchedSupplier,
    TrustUse,
)
from supplier_register.ics.text import (
    NOT_SHARED,
    WINDOW_RULE,
    criticality_text,
    file_name,
    score_text,
)
from supplier_register.reports.htmldoc import DEFAULT_MARKING, band_badge, document, masthead
from supplier_register.reports.htmltree import Child, h
from supplier_register.reports.svg import SVG_NS, fit
from supplier_register.reports.wording import long_date
from supplier_register.scoring.config import SHARE_FIELDS
from supplier_register.scoring.results import Band
from supplier_register.scoring.text import plural, sentence_start

PAPER = "ICS paper: suppliers across the trusts"
HORIZON_MONTHS = 24
"""The summary counts the joint windows opening within this many months of today."""
DRAWN_WINDOWS = 12
"""Windows the timeline draws (the soonest); the others are listed in the tables."""
OPPORTUNITIES_LISTED = 30
"""Opportunities set out in full, soonest first, before "and N more" (a meeting paper stays
readable at a national pool of 200 trusts; the Markdown, JSON and SQLite list every one)."""
SUPPLIERS_LISTED = 100
"""Rows of the suppliers table, in the view's order, before "and N more" (same reason)."""


def _every_one() -> tuple[Child, ...]:
    """Where every item left out of a capped list is (new elements each time: a tree node
    has one parent)."""
    return (
        "The Markdown paper (",
        h("code", "ics --format md"),
        "), the JSON and the analysts' database (",
        h("code", "--format sqlite"),
        ") list every one.",
    )


CHART_MONTHS_MAX = 36
"""The timeline runs at most this many months from today's month (later dates are listed)."""
GAP_LINES = 40
"""Per-supplier data-gap lines listed before "and N more"."""

EXTRA_CSS = """
.opportunity { break-inside: avoid; margin-bottom: 4mm; }
.opportunity h3 { border-top: .5pt solid #c8d3e0; padding-top: 2mm; }
.opportunity .window { font-weight: normal; color: #003087; }
.todo { border-left: 2pt solid #005eb8; background: #f2f6fb; padding: 1.2mm 2.4mm;
  margin: 1mm 0 1.5mm; }
table.files, table.opportunity-trusts, table.timeline-text, table.shared { font-size: 7.5pt; }
table.files td.file { word-break: break-all; width: 22%; }
table.shared td.name { width: 24%; }
table.shared ul { margin: 0; padding-left: 0; list-style: none; }
table.shared li { margin-bottom: .5mm; }
.timeline { max-width: 184mm; display: block; margin: 1mm 0 2mm; break-inside: avoid; }
.timeline text { font-family: Arial, Helvetica, sans-serif; }
.timeline .month { font-size: 10px; fill: #555; }
.timeline .year { font-size: 10px; font-weight: bold; fill: #1a1a1a; }
.timeline .supplier { font-size: 11px; font-weight: bold; fill: #003087; }
.timeline .span { font-size: 10px; fill: #555; }
.timeline .trust { font-size: 10px; fill: #1a1a1a; }
.timeline .legend { font-size: 10px; fill: #1a1a1a; }
ul.gaps li { margin-bottom: .6mm; }
"""

_BANDS = {b.value: b for b in Band}

LEFT_OUT = {
    "notes": "notes",
    "evidence": "answer evidence",
    "people": "people's names and contacts",
    "values": "money (spend, contract values)",
    "provenance": "import provenance",
}
"""Each field a redaction policy can leave out (``SHARE_FIELDS``), in a few words."""


def left_out_text(redacted: Sequence[str]) -> str:
    """'notes, answer evidence and money (spend, contract values)'."""
    return _and([LEFT_OUT.get(r, SHARE_FIELDS.get(r, r)) for r in redacted])


def _and(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True, slots=True)
class Opportunity:
    """One joint window of one supplier."""

    supplier: MatchedSupplier
    window: JointWindow


def opportunities(view: IcsView) -> list[Opportunity]:
    """Every joint window of every supplier, soonest first (then by supplier)."""
    found = [Opportunity(s, w) for s in view.with_windows for w in s.windows]
    found.sort(key=lambda o: (o.window.start, o.supplier.name.casefold(), o.window.end))
    return found


def summary_sentence(view: IcsView) -> str:
    """'3 suppliers are used by two or more of the 4 trusts; 2 joint-procurement windows open
    in the next 24 months; the soonest opens on 1 March 2027 (Acme: Hillside and Riverside).'"""
    shared = len(view.shared)
    trusts = len(view.files)
    if trusts == 1:
        return (
            f"Only one trust's shared file was read ({view.files[0].trust}): a supplier can be "
            "matched, and a joint window found, only across two or more trusts' files."
        )
    used = (
        f"{plural(shared, 'supplier')} {'is' if shared == 1 else 'are'} used by two or more "
        f"of the {plural(trusts, 'trust')}"
    )
    found = opportunities(view)
    horizon = add_months(view.today, HORIZON_MONTHS)
    soon = [o for o in found if o.window.start <= horizon]
    later = len(found) - len(soon)
    later_text = f" (and {later:,} later)" if later else ""
    if not soon:
        windows = (
            f"no joint-procurement window opens in the next {HORIZON_MONTHS} months{later_text}"
        )
        return f"{used}; {windows}."
    first = soon[0]
    return (
        f"{used}; {plural(len(soon), 'joint-procurement window')} "
        f"{'opens' if len(soon) == 1 else 'open'} in the next {HORIZON_MONTHS} months"
        f"{later_text}; the soonest opens on {long_date(first.window.start)} "
        f"({first.supplier.name}: {_and(first.window.trusts)})."
    )


def action_sentence(opportunity: Opportunity) -> str:
    """What the trusts in the window should do, in one sentence."""
    window, supplier = opportunity.window, opportunity.supplier
    when = (
        f"on {long_date(window.start)}"
        if window.start == window.end
        else f"between {long_date(window.start)} and {long_date(window.end)}"
    )
    return (
        f"Agree with {_and(window.trusts)} by {long_date(window.start)} whether to "
        f"procure {supplier.name} jointly: their decide-by dates fall {when}."
    )


def _others_sentence(opportunity: Opportunity) -> str | None:
    others = [t for t in opportunity.supplier.trusts if t not in opportunity.window.trusts]
    if not others:
        return None
    verb = "uses" if len(others) == 1 else "use"
    return (
        f"{_and(others)} also {verb} this supplier; their decide-by dates fall outside "
        "this window, have passed or were not shared."
    )


def _use_of(supplier: MatchedSupplier, line: ContractLine) -> TrustUse | None:
    for use in supplier.uses:
        if use.trust == line.trust and use.name == line.supplier:
            return use
    return None


def _score_cell(use: TrustUse | None) -> Child:
    if use is None:
        return h("span", NOT_SHARED, class_="muted")
    band = _BANDS.get(use.band or "")
    if use.score is None:
        text = score_text(use)
        return band_badge(band) if band is Band.UNASSESSED else h("span", text, class_="muted")
    return [str(use.score), " ", band_badge(band)] if band is not None else str(use.score)


def _criticality_cell(use: TrustUse | None) -> Child:
    if use is None or use.criticality is None:
        return h("span", NOT_SHARED, class_="muted")
    return criticality_text(use)


def _date(day: dt.date | None, missing: str = NOT_SHARED) -> Child:
    return h("span", missing, class_="muted") if day is None else long_date(day)


def _files_html(view: IcsView) -> list[Child]:
    rows: list[list[tuple[Child, str | None]]] = [
        [
            (h("strong", f.trust), None),
            (file_name(f.label), "file"),
            (f.exported_by, None),
            (
                f"{long_date(f.exported_at.date())}, " + f.exported_at.strftime("%H:%M %Z").strip(),
                "nowrap",
            ),
            (long_date(f.as_of), "nowrap"),
            (
                left_out_text(f.redacted)
                if f.redacted
                else h("span", "nothing left out", class_="muted"),
                None,
            ),
            (f"{f.suppliers:,} / {f.contracts:,}", "num"),
        ]
        for f in view.files
    ]
    headers: list[tuple[str, str | None]] = [
        ("Trust", None),
        ("File", "file"),
        ("Exported by", None),
        ("Exported at", None),
        ("As of", None),
        ("Left out by its redaction policy", None),
        ("Suppliers / contracts", "num"),
    ]
    out: list[Child] = [h("h2", "The files read"), _table(headers, rows, "files")]
    if view.warnings:
        out.append(h("ul", [h("li", w) for w in view.warnings], class_="facts"))
    return out


def _table(
    headers: Sequence[tuple[str, str | None]],
    rows: Sequence[Sequence[tuple[Child, str | None]]],
    cls: str,
    caption: str | None = None,
) -> ET.Element:
    return h(
        "table",
        h("caption", caption, class_="note") if caption else None,
        h("thead", h("tr", [h("th", text, class_=c) for text, c in headers])),
        h("tbody", [h("tr", [h("td", v, class_=c) for v, c in row]) for row in rows]),
        class_=cls,
    )


def _opportunity_html(opportunity: Opportunity) -> ET.Element:
    supplier, window = opportunity.supplier, opportunity.window
    span = (
        long_date(window.start)
        if window.start == window.end
        else f"{long_date(window.start)} to {long_date(window.end)}"
    )
    facts = [f"Used by {plural(len(supplier.trusts), 'trust')}"]
    if len(supplier.names) > 1:
        facts.append("recorded as " + "; ".join(supplier.names))
    if supplier.company_numbers:
        facts.append("company number " + ", ".join(supplier.company_numbers))
    rows: list[list[tuple[Child, str | None]]] = []
    for line in window.contracts:
        use = _use_of(supplier, line)
        rows.append(
            [
                (h("strong", line.trust), None),
                (_criticality_cell(use), None),
                (_score_cell(use), "nowrap"),
                (line.title, None),
                (_date(line.decide_by), "date"),
                (_date(line.end_date, "not recorded"), "date"),
            ]
        )
    headers: list[tuple[str, str | None]] = [
        ("Trust", None),
        ("Criticality to the trust", None),
        ("Score (band)", None),
        ("Contract", None),
        ("Decide by", None),
        ("Contract ends", None),
    ]
    return h(
        "section",
        h("h3", supplier.name, " ", h("span", f"· {span}", class_="window")),
        h("p", "; ".join(facts) + ".", class_="note"),
        h("p", h("strong", "To do: "), action_sentence(opportunity), class_="todo"),
        _table(headers, rows, "opportunity-trusts"),
        h("p", _others_sentence(opportunity), class_="note")
        if _others_sentence(opportunity)
        else None,
        class_="opportunity",
    )


def _opportunities_html(view: IcsView) -> list[Child]:
    found = opportunities(view)
    head = h("h2", "Joint-procurement opportunities, soonest first")
    if not found:
        return [
            head,
            h(
                "p",
                "No two trusts must decide about the same supplier within "
                f"{WINDOW_MONTHS} months of each other.",
            ),
        ]
    more = len(found) - OPPORTUNITIES_LISTED
    return [
        head,
        [_opportunity_html(o) for o in found[:OPPORTUNITIES_LISTED]],
        h(
            "p",
            f"And {plural(more, 'more opportunity', 'more opportunities')}, later. ",
            *_every_one(),
            class_="muted",
        )
        if more > 0
        else None,
    ]


# --- the timeline -------------------------------------------------------------------------

LABEL_W, PLOT_W, RIGHT_PAD = 230, 490, 14
AXIS_H, GROUP_H, ROW_H, LEGEND_H = 34, 18, 16, 26


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def chart_range(view: IcsView, drawn: Sequence[Opportunity]) -> tuple[dt.date, dt.date]:
    """The months the timeline spans: from today's month to the month after the last date it
    shows (at least six months, at most :data:`CHART_MONTHS_MAX`)."""
    start = _month_start(view.today)
    last = view.today
    for o in drawn:
        last = max(last, o.window.end)
        for line in o.window.contracts:
            if line.end_date is not None:
                last = max(last, line.end_date)
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    months = min(max(months, WINDOW_MONTHS), CHART_MONTHS_MAX)
    return start, add_months(start, months)


def _rows_of(o: Opportunity) -> list[tuple[str, list[ContractLine]]]:
    """The trusts in the window, each with its contracts with the supplier."""
    rows: list[tuple[str, list[ContractLine]]] = []
    for trust in o.window.trusts:
        lines = [c for use in o.supplier.uses if use.trust == trust for c in use.contracts]
        rows.append((trust, lines))
    return rows


def timeline_svg(view: IcsView, drawn: Sequence[Opportunity]) -> ET.Element:
    """One group per window drawn: the supplier, then a row per trust in the window with its
    decide-by dates (diamonds, filled when in the window) and contract end dates (bars); the
    window shaded; months along the top; today as a dashed line."""
    start, end = chart_range(view, drawn)
    total_days = (end - start).days
    x0 = LABEL_W
    width = LABEL_W + PLOT_W + RIGHT_PAD
    groups = [(o, _rows_of(o)) for o in drawn]
    height = AXIS_H + sum(GROUP_H + ROW_H * len(rows) + 6 for _, rows in groups) + LEGEND_H

    def x(day: dt.date) -> float:
        return x0 + PLOT_W * (day - start).days / total_days

    def inside(day: dt.date | None) -> bool:
        return day is not None and start <= day <= end

    description = (
        f"Months from {long_date(start)} to {long_date(end)}. "
        + " ".join(
            f"{o.supplier.name}: window {long_date(o.window.start)} to "
            f"{long_date(o.window.end)} ({_and(o.window.trusts)})."
            for o in drawn
        )
        + " The same dates are listed in the table below."
    )
    svg = h(
        "svg",
        h("title", "Timeline of the joint-procurement windows", id="ics-timeline-title"),
        h("desc", description, id="ics-timeline-desc"),
        xmlns=SVG_NS,
        viewBox=f"0 0 {width} {height}",
        width="100%",
        role="img",
        aria_labelledby="ics-timeline-title ics-timeline-desc",
        class_="timeline",
    )
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 12 else 3 if months <= 24 else 6 if months > 30 else 3
    body_top = AXIS_H
    body_bottom = height - LEGEND_H
    for i in range(months + 1):
        day = add_months(start, i)
        px = x(day)
        svg.append(
            h(
                "line",
                x1=f"{px:.1f}",
                y1=AXIS_H - 6,
                x2=f"{px:.1f}",
                y2=body_bottom,
                stroke="#e3e7ee" if day.month != 1 else "#b8c2d1",
            )
        )
        if i < months and (day.month - 1) % step == 0:
            svg.append(
                h("text", day.strftime("%b"), x=f"{px + 2:.1f}", y=AXIS_H - 9, class_="month")
            )
        if i < months and (day.month == 1 or i == 0):
            svg.append(h("text", str(day.year), x=f"{px + 2:.1f}", y=11, class_="year"))
    y = body_top
    for o, rows in groups:
        group_h = GROUP_H + ROW_H * len(rows)
        wx1, wx2 = x(max(o.window.start, start)), x(min(o.window.end, end))
        svg.append(
            h(
                "g",
                h(
                    "title",
                    f"{o.supplier.name}: joint window {long_date(o.window.start)} to "
                    f"{long_date(o.window.end)}",
                ),
                h(
                    "rect",
                    x=f"{wx1 - 3:.1f}",
                    y=y + GROUP_H - 2,
                    width=f"{max(wx2 - wx1, 0) + 6:.1f}",
                    height=ROW_H * len(rows) + 2,
                    rx=3,
                    fill="#d6e4f5",
                    stroke="#8fb4e3",
                ),
            )
        )
        svg.append(
            h("text", fit(o.supplier.name, LABEL_W - 8, 11), x=0, y=y + 13, class_="supplier")
        )
        svg.append(
            h(
                "text",
                f"window {long_date(o.window.start)} to {long_date(o.window.end)}",
                x=f"{min(wx1, x0 + PLOT_W - 190):.1f}",
                y=y + 13,
                class_="span",
            )
        )
        for r, (trust, lines) in enumerate(rows):
            ry = y + GROUP_H + ROW_H * r
            mid = ry + ROW_H / 2
            svg.append(h("text", fit(trust, LABEL_W - 16, 10), x=8, y=mid + 3.5, class_="trust"))
            svg.append(
                h("line", x1=x0, y1=mid, x2=x0 + PLOT_W, y2=mid, stroke="#d0d6df", stroke_width=0.5)
            )
            for line in lines:
                if inside(line.end_date):
                    assert line.end_date is not None
                    ex = x(line.end_date)
                    svg.append(
                        h(
                            "g",
                            h("title", f"{trust}: {line.title} ends {long_date(line.end_date)}"),
                            h(
                                "rect",
                                x=f"{ex - 1.5:.1f}",
                                y=mid - 6,
                                width=3,
                                height=12,
                                fill="#5f6368",
                            ),
                        )
                    )
                if inside(line.decide_by):
                    assert line.decide_by is not None
                    dx = x(line.decide_by)
                    in_window = line in o.window.contracts
                    svg.append(
                        h(
                            "g",
                            h(
                                "title",
                                f"{trust}: {line.title}, decide by {long_date(line.decide_by)}",
                            ),
                            h(
                                "path",
                                d=f"M{dx:.1f},{mid - 5.5:.1f} l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 z",
                                fill="#003087" if in_window else "#ffffff",
                                stroke="#003087",
                                stroke_width=1.2,
                            ),
                        )
                    )
        y += group_h + 6
    tx = x(view.today)
    svg.append(
        h(
            "line",
            x1=f"{tx:.1f}",
            y1=AXIS_H - 6,
            x2=f"{tx:.1f}",
            y2=body_bottom,
            stroke="#b3261e",
            stroke_dasharray="3,2",
        )
    )
    ly = height - 8
    legend = h("g", class_="legend")
    legend.append(
        h(
            "path",
            d=f"M{x0:.1f},{ly - 9:.1f} l5,5 l-5,5 l-5,-5 z",
            fill="#003087",
            stroke="#003087",
        )
    )
    legend.append(h("text", "decide by (in the window)", x=x0 + 9, y=ly, class_="legend"))
    lx = x0 + 140
    legend.append(
        h(
            "path",
            d=f"M{lx:.1f},{ly - 9:.1f} l5,5 l-5,5 l-5,-5 z",
            fill="#ffffff",
            stroke="#003087",
        )
    )
    legend.append(h("text", "decide by (outside it)", x=lx + 9, y=ly, class_="legend"))
    lx += 125
    legend.append(h("rect", x=lx - 1.5, y=ly - 10, width=3, height=12, fill="#5f6368"))
    legend.append(h("text", "contract ends", x=lx + 6, y=ly, class_="legend"))
    lx += 85
    legend.append(
        h("rect", x=lx - 4, y=ly - 10, width=14, height=12, rx=2, fill="#d6e4f5", stroke="#8fb4e3")
    )
    legend.append(h("text", "joint window", x=lx + 14, y=ly, class_="legend"))
    legend.append(
        h("line", x1=8, y1=ly - 4, x2=22, y2=ly - 4, stroke="#b3261e", stroke_dasharray="3,2")
    )
    legend.append(h("text", "today", x=26, y=ly, class_="legend"))
    svg.append(legend)
    return svg


def timeline_rows(
    view: IcsView, drawn: Sequence[Opportunity]
) -> list[tuple[dt.date, str, Opportunity, ContractLine]]:
    """The timeline's dates in words: each decide-by and end date of the trusts in each window
    drawn, by date."""
    events: list[tuple[dt.date, str, Opportunity, ContractLine]] = []
    for o in drawn:
        for _, lines in _rows_of(o):
            for line in lines:
                if line.decide_by is not None and line.decide_by >= view.today:
                    events.append((line.decide_by, "decide by", o, line))
                if line.end_date is not None and line.end_date >= view.today:
                    events.append((line.end_date, "contract ends", o, line))
    events.sort(key=lambda e: (e[0], e[2].supplier.name.casefold(), e[3].trust.casefold(), e[1]))
    return events


def _timeline_html(view: IcsView) -> list[Child]:
    found = opportunities(view)
    if not found:
        return []
    drawn = found[:DRAWN_WINDOWS]
    start, end = chart_range(view, drawn)
    intro = (
        "One group per joint window"
        + (f" (the soonest {len(drawn)} of {len(found)})" if len(found) > len(drawn) else "")
        + f", a row per trust in it, from {long_date(start)} to {long_date(end)}; the "
        "dates drawn are listed below, and every window is in the tables above."
    )
    rows: list[list[tuple[Child, str | None]]] = [
        [
            (long_date(day), "date"),
            (what, None),
            (h("strong", o.supplier.name), None),
            (line.trust, None),
            (line.title, None),
            ("yes" if what == "decide by" and line in o.window.contracts else "", None),
        ]
        for day, what, o, line in timeline_rows(view, drawn)
    ]
    headers: list[tuple[str, str | None]] = [
        ("Date", None),
        ("What", None),
        ("Supplier", None),
        ("Trust", None),
        ("Contract", None),
        ("Counts in the window", None),
    ]
    return [
        h("h2", "Timeline"),
        h("p", intro, class_="note"),
        timeline_svg(view, drawn),
        h("h3", "The timeline in words"),
        _table(headers, rows, "timeline-text"),
    ]


# --- the shared suppliers, the gaps, what the paper does not say -------------------------


def _decide_by_words(line: ContractLine) -> Child:
    if line.decide_by is None:  # a date the file gives is shown, whatever else is missing
        return h("span", line.gap or "not shared", class_="muted")
    day = long_date(line.decide_by)
    return h("span", f"{day} (passed)", class_="muted") if line.passed else day


def _use_line(use: TrustUse, supplier: MatchedSupplier) -> ET.Element:
    name = None if use.name == supplier.name else h("span", f" (as {use.name})", class_="note")
    lines = use.contracts
    dates: Child = (
        [[", " if i else None, _decide_by_words(c)] for i, c in enumerate(lines)]
        if lines
        else h("span", "no contract shared", class_="muted")
    )
    return h(
        "li",
        h("strong", use.trust),
        name,
        ": ",
        criticality_text(use),
        " · ",
        _score_cell(use),
        " · decide by ",
        dates,
    )


def _shared_html(view: IcsView, every_supplier: bool) -> list[Child]:
    listed = view.suppliers if every_supplier else view.shared
    title = "Every supplier" if every_supplier else "Suppliers used by two or more trusts"
    head = h("h2", title, class_="page-break")
    if not listed:
        return [head, h("p", "None.")]
    rows: list[list[tuple[Child, str | None]]] = []
    for s in listed[:SUPPLIERS_LISTED]:
        windows: Child = (
            [[long_date(w.start), " to ", long_date(w.end), h("br")] for w in s.windows]
            if s.windows
            else h("span", "none", class_="muted")
        )
        rows.append(
            [
                (
                    [
                        h("strong", s.name),
                        [
                            h("br"),
                            h(
                                "span",
                                "company number " + ", ".join(s.company_numbers),
                                class_="note",
                            ),
                        ]
                        if s.company_numbers
                        else None,
                    ],
                    "name",
                ),
                (str(len(s.trusts)), "num"),
                (h("ul", [_use_line(u, s) for u in s.uses]), None),
                (windows, "date"),
            ]
        )
    headers: list[tuple[str, str | None]] = [
        ("Supplier", "name"),
        ("Trusts", "num"),
        ("Each trust: criticality · score (band) · decide-by dates", None),
        ("Joint window", None),
    ]
    more = len(listed) - SUPPLIERS_LISTED
    return [
        head,
        _table(headers, rows, "shared"),
        h(
            "p",
            f"And {plural(more, 'more supplier')}, in the same order. ",
            *_every_one(),
            class_="muted",
        )
        if more > 0
        else None,
    ]


def gap_sentences(view: IcsView, listed: Sequence[MatchedSupplier]) -> list[str]:
    """The data gaps of the suppliers listed, per trust, in words: 'Hillside did not share
    decide-by dates for 3 contracts'."""
    counts: dict[str, Counter[str]] = {}
    for s in listed:
        for use in s.uses:
            c = counts.setdefault(use.trust, Counter())
            if use.criticality is None:
                c["criticality"] += 1
            if use.score is None:
                c["unassessed" if use.band == "unassessed" else "score"] += 1
            lines = use.contracts
            if not lines:
                c["no contract"] += 1
            for line in lines:
                if line.end_date is None:
                    c["end"] += 1
                elif line.decide_by is None:
                    c["decide"] += 1
    out = []
    for trust in sorted(counts, key=str.casefold):
        c = counts[trust]
        if c["decide"]:
            out.append(
                f"{trust} did not share decide-by dates for {plural(c['decide'], 'contract')}."
            )
        if c["end"]:
            out.append(
                f"{trust} has no end date recorded for {plural(c['end'], 'contract')}, so no "
                "decide-by date either."
            )
        if c["no contract"]:
            out.append(
                f"{trust} shared no contract with {plural(c['no contract'], 'supplier')} it uses."
            )
        if c["score"]:
            out.append(f"{trust} did not share a score for {plural(c['score'], 'supplier')}.")
        if c["unassessed"]:
            out.append(
                f"{trust} has not yet assessed {plural(c['unassessed'], 'supplier')} "
                "(too little known to score)."
            )
        if c["criticality"]:
            out.append(
                f"{trust} did not share how critical {plural(c['criticality'], 'supplier')} "
                f"{'is' if c['criticality'] == 1 else 'are'} to it."
            )
    return out


def _gaps_html(view: IcsView, every_supplier: bool) -> list[Child]:
    listed = view.suppliers if every_supplier else view.shared
    scope = "every supplier" if every_supplier else "the suppliers two or more trusts use"
    head = h("h2", "Data gaps")
    sentences = gap_sentences(view, listed)
    if not sentences:
        return [head, h("p", f"None: every trust shared every date and score for {scope}.")]
    details = [g for s in listed for g in s.gaps]
    more = len(details) - GAP_LINES
    return [
        head,
        h("p", f"Among {scope}:"),
        h("ul", [h("li", s) for s in sentences], class_="facts gaps"),
        h("h3", "In detail"),
        h(
            "ul",
            [h("li", g) for g in details[:GAP_LINES]],
            h("li", f"and {more:,} more (the Markdown paper lists every one)", class_="muted")
            if more > 0
            else None,
            class_="facts gaps note",
        ),
    ]


def not_said_lines(view: IcsView) -> list[str]:
    """What the paper does not say, a line each."""
    redacted = sorted({r for f in view.files for r in f.redacted}, key=list(SHARE_FIELDS).index)
    left_out = left_out_text(redacted) if redacted else "nothing (no file left anything out)"
    return [
        "Facts a trust did not share (its redaction policy left them out, or it never recorded "
        f"them) are written “{NOT_SHARED}” or “not recorded”: never zero, never “no”.",
        f"Left out by at least one trust's policy: {left_out}. This paper shows no notes, "
        "evidence, names of people or money in any case.",
        "A joint window says when two or more trusts must decide about the same supplier; "
        "it does not say that buying together is possible or wise (routes, terms and "
        "services differ). It is a prompt to talk, not a recommendation.",
        "Suppliers are matched by company number and identifiers, then by name; two "
        "suppliers with similar names and no company number may be joined, and one "
        "supplier recorded under very different names may be missed.",
        "A score is the risk the trust's own register gives the supplier, from 0 (none) to "
        "100 (impact times exposure), with its band (unassessed: too little is known to band "
        "it); each trust scores with its own settings, so one supplier's scores may differ.",
        "Each file is its trust's register on its own “as of” date (see the files above); "
        "a decide-by date before today is shown as passed and never counted in a window.",
        "No register was opened and nothing was merged into any trust's register: the "
        "files were only read.",
    ]


def render_ics_html(view: IcsView, *, every_supplier: bool = False) -> str:
    """The ICS paper (see the module's docstring)."""
    when = long_date(view.today)
    body: list[Child] = [
        masthead(
            "ICS digital board",
            PAPER,
            f"As on {when}",
            details=[f"{plural(len(view.files), 'shared file')} read"],
        ),
        h("h1", "Suppliers shared across the trusts, and when to buy together"),
        h("p", sentence_start(summary_sentence(view)), class_="lede"),
        h("p", h("strong", "The rule. "), WINDOW_RULE, class_="method"),
        _files_html(view),
        _opportunities_html(view),
        _timeline_html(view),
        _shared_html(view, every_supplier),
        _gaps_html(view, every_supplier),
        h("h2", "What this paper does not say"),
        h("ul", [h("li", line) for line in not_said_lines(view)], class_="facts"),
        h(
            "footer",
            f"Generated by supplier-register from {plural(len(view.files), 'shared file')} "
            f"on {view.today.isoformat()}. Joint windows follow the ICS view's rule above; "
            "principle 6 of NHS Providers' Digital delivery principles asks how trusts link up "
            "with others using the same supplier.",
        ),
    ]
    return document(
        f"ICS paper on {when}: suppliers shared across the trusts",
        body,
        running=f"ICS paper · {when}",
        marking=DEFAULT_MARKING,
        extra_css=EXTRA_CSS,
    )
