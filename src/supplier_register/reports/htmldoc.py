"""The printable board-paper page shared by the HTML exports: A4 print CSS and masthead.

A document is self-contained: styles are inline in ``<style>``, pictures are
inline SVG, and there are no scripts, fonts, images or links to fetch.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from supplier_register.reports.htmltree import Child, h, to_html
from supplier_register.reports.svg import BAND_COLOURS, COUNT_SIZE, NAME_SIZE
from supplier_register.scoring.results import Band

CSS = (
    """
@page { size: A4; margin: 14mm 13mm 16mm 13mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 7.5pt Arial, Helvetica, sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 9pt/1.38 Arial, Helvetica, sans-serif; color: #1a1a1a; margin: 0; }
@media screen { body { max-width: 200mm; margin: 8mm auto; padding: 0 6mm; } }
.masthead { display: flex; justify-content: space-between; align-items: flex-end;
  border-bottom: 2.5pt solid #005eb8; padding-bottom: 3mm; margin-bottom: 4mm; }
.masthead .trust { font-size: 13pt; font-weight: bold; color: #005eb8; }
.masthead .paper { font-size: 8.5pt; color: #444; text-transform: uppercase; letter-spacing: .04em; }
.masthead .when { text-align: right; font-size: 8.5pt; color: #444; }
h1 { font-size: 17pt; margin: 0 0 2mm; color: #003087; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; color: #003087; border-bottom: .75pt solid #c8d3e0;
  padding-bottom: 1mm; break-after: avoid; }
h3 { font-size: 10pt; margin: 4mm 0 1mm; break-after: avoid; }
h2 + p.note, h3 + p.note { break-after: avoid; }
p { margin: 0 0 2mm; }
.lede { font-size: 10pt; }
ul.facts { margin: 0 0 3mm; padding-left: 5mm; }
ul.facts li { margin-bottom: .8mm; }
.note { color: #555; font-size: 7.5pt; }
.method { border-left: 2pt solid #005eb8; background: #f2f6fb; padding: 1.2mm 2.4mm;
  font-size: 8.5pt; }
.model { font-size: 8.5pt; margin-bottom: 1mm; }
.page-break { break-before: page; }
.notes-left-out { border-left: 2pt solid #005eb8; background: #f2f6fb; padding: 1.2mm 2.4mm;
  font-size: 8pt; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #e8edf4; color: #1a1a1a; text-align: left; font-weight: bold;
  padding: 1.2mm 1.2mm; border-bottom: .75pt solid #8a9bb3; vertical-align: bottom; }
td { padding: 1.1mm 1.2mm; border-bottom: .5pt solid #d9dee6; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { white-space: normal; }
td.dim { text-align: center; font-variant-numeric: tabular-nums; width: 7mm; }
th.dim { text-align: center; width: 7mm; font-size: 7pt; }
td.date, td.nowrap { white-space: nowrap; }
table.suppliers tbody.supplier { break-inside: avoid; }
table.suppliers tr.main td { border-bottom: none; padding-bottom: .4mm; }
table.suppliers tr.sub td { padding-top: 0; color: #333; font-size: 7.5pt; }
table.suppliers td.name { width: 24%; }
table.suppliers td.date { width: 16%; white-space: normal; }
table.suppliers td.date span:nth-child(-n+3) { white-space: nowrap; }
table.suppliers td.crit { width: 14%; }
table.suppliers td.trend { width: 17mm; }
.band { display: inline-block; padding: .2mm 1.6mm; border-radius: 1mm; color: #fff;
  font-weight: bold; font-size: 7.5pt; }
.overdue { color: #b3261e; font-weight: bold; }
.muted { color: #777; }
.matrix { max-width: 175mm; display: block; margin: 1mm 0 2mm; break-inside: avoid; }
.matrix text { font-family: Arial, Helvetica, sans-serif; }
.matrix .axis { font-size: 11px; fill: #555; }
.matrix .colhead { font-size: 12px; font-weight: bold; }
.matrix .rowhead { font-size: 12px; font-weight: bold; fill: #1a1a1a; }
.matrix .count { font-weight: bold; }
.spark { vertical-align: middle; }
ol.questions { padding-left: 7mm; margin: 0; }
ol.questions li { margin-bottom: 1.6mm; break-inside: avoid; }
.kq { color: #555; font-size: 7.5pt; }
.evidence { color: #555; font-style: italic; font-size: 7.5pt; }
.supplier-note { break-inside: avoid; margin-bottom: 3mm; }
.supplier-note ul { margin: 1mm 0 0; padding-left: 5mm; }
.supplier-note li { margin-bottom: .8mm; }
.ref { color: #555; font-style: italic; }
.impact { margin-bottom: 4mm; }
.impact h3 { border-top: .5pt solid #c8d3e0; padding-top: 2mm; }
.impact .crit-label { font-weight: normal; font-size: 8pt; color: #555; }
.impact-summary { font-size: 9pt; }
.tag { display: inline-block; padding: 0 1.2mm; border-radius: .8mm; font-size: 6.5pt;
  font-weight: bold; text-transform: uppercase; letter-spacing: .03em; }
.tag.clinical { background: #e8f1fb; color: #003087; border: .5pt solid #8fb4e3; }
table.impact-services tbody.service { break-inside: avoid; }
table.impact-services tr.main td { border-bottom: none; padding-bottom: .3mm; }
table.impact-services tr.sub td { padding-top: 0; color: #555; font-size: 7.5pt; }
table.impact-services td.name { width: 24%; }
table.impact-exit td.name { width: 20%; }
table.impact-exit, table.concentration { font-size: 7.5pt; }
p.fallen { font-size: 8pt; }
.concentration-head { margin-top: 5mm; }
ul.exec { margin: 0 0 3mm; padding-left: 5mm; font-size: 9.5pt; }
ul.exec li { margin-bottom: 1mm; }
table.decisions, table.actions, table.movers { font-size: 7.5pt; }
table.decisions td.name { width: 16%; }
table.decisions td.date { white-space: normal; width: 13%; }
table.actions td.date { white-space: nowrap; }
table.suppliers caption { caption-side: top; text-align: left; padding-bottom: 1.5mm; }
table.suppliers caption p { margin: 0 0 1mm; }
table.suppliers td.money { width: 12%; font-variant-numeric: tabular-nums; }
.amount { white-space: nowrap; }
.legend .band { margin-right: 1mm; }
table.decisions td:nth-child(4), table.decisions td:nth-child(5) { width: 11%; }
table.decisions td:nth-child(6) { width: 22%; }
table.decisions td:nth-child(7) { width: 30%; }
.marking { text-align: right; font-weight: bold; font-size: 8pt; letter-spacing: .03em;
  color: #1a1a1a; margin-bottom: 1mm; }
@media print { .screen-only { display: none; } }
footer { margin-top: 6mm; border-top: .5pt solid #c8d3e0; padding-top: 1.5mm; color: #555;
  font-size: 7.5pt; }
"""
    + (
        f".matrix .count {{ font-size: {COUNT_SIZE}px; }}\n.matrix .name {{ font-size: {NAME_SIZE}px; }}\n"
    )
    + "".join(
        f".band-{b.value} {{ background: {c}; }}\n.text-{b.value} {{ color: {c}; }}\n"
        for b, c in BAND_COLOURS.items()
    )
)


def band_badge(band: Band) -> ET.Element:
    """The band as a coloured label that also says it in words."""
    return h("span", band.value.capitalize(), class_=f"band band-{band.value}")


def masthead(
    trust: str | None, paper: str, when: str, *, details: Sequence[str] = ()
) -> ET.Element:
    """The header of the first page: trust name, kind of paper and date (then ``details``,
    such as the author and version, a line each)."""
    return h(
        "header",
        h("div", h("div", trust or "Board paper", class_="trust"), h("div", paper, class_="paper")),
        h("div", when, [[h("br"), d] for d in details], class_="when"),
        class_="masthead",
    )


def table(
    headers: Sequence[tuple[str, str | None]],
    rows: Sequence[Sequence[tuple[Child, str | None]]],
) -> ET.Element:
    """A table from (header, class) pairs and rows of (content, class) cells."""
    return h(
        "table",
        h("thead", h("tr", [h("th", text, class_=cls) for text, cls in headers])),
        h(
            "tbody",
            [h("tr", [h("td", content, class_=cls) for content, cls in row]) for row in rows],
        ),
    )


DEFAULT_MARKING = "OFFICIAL-SENSITIVE: COMMERCIAL"
"""The protective marking of a paper when the config names none (``[board] classification``)."""


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element: quotes, backslashes,
    angle brackets and control characters are written as CSS escapes, so user text (a trust's
    name) can neither end the string nor the element."""
    out = []
    for char in text:
        if char.isalnum() or char in " .,:;-_()'&/[]!?+%£@#*=|~":
            out.append(char)
        else:
            out.append(f"\\{ord(char):x} ")
    return '"' + "".join(out) + '"'


def page_css(running: str | None, marking: str | None) -> str:
    """Print rules for one paper: its running header (top left) and protective marking (top
    right and bottom left) on every printed page, beside the page number."""
    boxes = []
    if running:
        boxes.append(f"@top-left {{ content: {css_string(running)}; }}")
    if marking:
        boxes.append(f"@top-right {{ content: {css_string(marking)}; font-weight: bold; }}")
        boxes.append(f"@bottom-left {{ content: {css_string(marking)}; font-weight: bold; }}")
    if not boxes:
        return ""
    font = "font: 7.5pt Arial, Helvetica, sans-serif; color: #555;"
    return "@page { " + " ".join(b.replace("content:", f"{font} content:") for b in boxes) + " }"


def marking_line(marking: str) -> ET.Element:
    """The protective marking as the first line of the paper (it also heads every printed
    page, through :func:`page_css`)."""
    return h("div", marking, class_="marking")


def document(
    title: str,
    body: Sequence[Child],
    *,
    running: str | None = None,
    marking: str | None = None,
    extra_css: str = "",
) -> str:
    """A complete, self-contained HTML document; with ``running`` and ``marking`` every printed
    page is headed by them (and the marking also shows at the top on screen).  ``extra_css``
    (a constant of the paper, never user text) follows the shared styles."""
    head = [
        h("meta", charset="utf-8"),
        h("meta", name="viewport", content="width=device-width, initial-scale=1"),
        h("title", title),
        h("style", CSS + extra_css),
    ]
    extra = page_css(running, marking)
    if extra:
        head.append(h("style", extra))
    shown: list[Child] = [h("div", marking, class_="marking screen-only")] if marking else []
    root = h("html", h("head", head), h("body", [*shown, *body]), lang="en-GB")
    return to_html(root)
