"""Inline SVG pictures for the HTML exports: the criticality x risk-band matrix and sparklines.

Both are element trees (see :mod:`htmltree`); user text appears only as text
nodes (labels and ``<title>`` tooltips), never inside an attribute.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from supplier_register.domain.enums import Criticality
from supplier_register.reports.htmltree import h
from supplier_register.review.models import TrendPoint
from supplier_register.scoring.results import Band

SVG_NS = "http://www.w3.org/2000/svg"

BAND_COLOURS = {
    Band.LOW: "#2e7d32",
    Band.MEDIUM: "#8a6500",
    Band.HIGH: "#c0500c",
    Band.SEVERE: "#a51d18",
    Band.UNASSESSED: "#5f6368",
}
"""One colour per band; every picture also says the band in words."""

# Exposure (criticality rank + band rank, 2..8) to cell fill and text colour.
_EXPOSURE_FILL = {
    2: "#e6f2e8",
    3: "#e6f2e8",
    4: "#f6f0d2",
    5: "#fbe2c6",
    6: "#f6c09c",
    7: "#e58a73",
    8: "#b3261e",
}
NAMES_PER_CELL = 3
"""Lines of names a matrix cell has room for; a fuller cell names one fewer and says
"+N more" on the last line."""
NAME_CHARS = 40

# The matrix's layout, in SVG units (the picture scales to the page): a cell's count on a
# line of its own at the top, the names on the lines below it, so neither is drawn over the
# other whatever the count.
LABEL_W, HEAD_H, CELL_W, CELL_H = 84, 40, 172, 84
CELL_PAD = 10
COUNT_SIZE, NAME_SIZE, HEAD_SIZE, AXIS_SIZE = 20, 12, 12, 11
COUNT_BASELINE = 26
NAME_BASELINES = (46, 61, 76)
"""Baselines of the name lines below a cell's top (one per :data:`NAMES_PER_CELL`)."""

_NARROW = set("fijlrtI.,;:'|!()[]{} ")
_WIDE = set("MWmw@%")


def _char_em(char: str, bold: bool) -> float:
    """A generous width of ``char`` in Arial (or a metric twin), in ems: at least the widest
    of its kind (W is 0.944, capitals at most 0.833 otherwise, lowercase at most 0.556)."""
    if char in _NARROW:
        em = 0.34
    elif char in _WIDE:
        em = 0.96
    elif char.isascii() and char.isupper():
        em = 0.79
    elif char.isascii():
        em = 0.58
    elif unicodedata.east_asian_width(char) in ("W", "F"):
        em = 1.02
    else:
        em = 0.85
    return em * 1.1 if bold else em


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of how wide ``text`` is drawn at font ``size`` (Arial)."""
    return sum(_char_em(c, bold) for c in text) * size


def fit(text: str, width: float, size: float) -> str:
    """``text``, cut at the end with an ellipsis to fit ``width`` at font ``size``."""
    if text_width(text, size) <= width:
        return text
    room = width - text_width("…", size)
    cut = ""
    for char in text:
        if text_width(cut + char, size) > room:
            break
        cut += char
    return cut.rstrip() + "…"


def _short(name: str) -> str:
    shorter = name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"
    return fit(shorter, CELL_W - 4 - 2 * CELL_PAD, NAME_SIZE)


def cell_lines(names: Sequence[str]) -> list[str]:
    """The lines a matrix cell shows under its count: every name when they fit, else the
    first names and "+N more" on the last line."""
    if len(names) <= NAMES_PER_CELL:
        return [_short(n) for n in names]
    shown = NAMES_PER_CELL - 1
    return [*(_short(n) for n in names[:shown]), f"+{len(names) - shown:,} more"]


TIP_NAMES = 20
"""How many names a cell's tooltip lists (then how many more)."""


def risk_matrix(cells: Mapping[tuple[Criticality, Band], Sequence[str]]) -> ET.Element:
    """A 4 x 5 grid: criticality (strategic at the top) against risk band (severe on the right,
    then unassessed).

    Each cell shows how many suppliers fall in it on a line of its own and, below, names
    the first few (a full cell says how many more); the deeper the colour, the more exposed
    the trust is.
    """
    label_w, head_h, cell_w, cell_h = LABEL_W, HEAD_H, CELL_W, CELL_H
    crits = sorted(Criticality, key=lambda c: -c.rank)
    width = label_w + cell_w * len(Band)
    height = head_h + cell_h * len(crits) + 6
    total = sum(len(v) for v in cells.values())
    svg = h(
        "svg",
        h("title", f"Suppliers by criticality and risk band ({total:,} suppliers)"),
        xmlns=SVG_NS,
        viewBox=f"0 0 {width} {height}",
        width="100%",
        role="img",
        class_="matrix",
    )
    svg.append(
        h(
            "text",
            "Risk band →",
            x=label_w + cell_w * len(Band) / 2,
            y=13,
            text_anchor="middle",
            class_="axis",
        )
    )
    for j, band in enumerate(Band):
        svg.append(
            h(
                "text",
                band.value.capitalize(),
                x=label_w + cell_w * j + cell_w / 2,
                y=head_h - 8,
                text_anchor="middle",
                class_="colhead",
                fill=BAND_COLOURS[band],
            )
        )
    for i, crit in enumerate(crits):
        y = head_h + cell_h * i
        svg.append(
            h(
                "text",
                crit.label,
                x=label_w - 10,
                y=y + cell_h / 2 + 4,
                text_anchor="end",
                class_="rowhead",
            )
        )
        for j, band in enumerate(Band):
            x = label_w + cell_w * j
            names = list(cells.get((crit, band), []))
            exposure = crit.rank + band.rank
            dark = exposure >= 7 and band is not Band.UNASSESSED
            tip = f"{crit.label} criticality, {band.value} risk: {len(names):,}"
            if names:
                listed = "; ".join(names[:TIP_NAMES])
                more = len(names) - TIP_NAMES
                tip += f" ({listed}{f'; and {more:,} more' if more > 0 else ''})"
            group = h("g", h("title", tip))
            group.append(
                h(
                    "rect",
                    x=x + 2,
                    y=y + 2,
                    width=cell_w - 4,
                    height=cell_h - 4,
                    rx=4,
                    fill=(
                        "#e8eaed"
                        if band is Band.UNASSESSED and names
                        else _EXPOSURE_FILL[exposure]
                        if names
                        else "#f4f4f4"
                    ),
                    stroke="#ffffff",
                )
            )
            ink = "#ffffff" if dark and names else "#1a1a1a"
            group.append(
                h(
                    "text",
                    f"{len(names):,}" if names else "–",
                    x=x + CELL_PAD,
                    y=y + COUNT_BASELINE,
                    class_="count",
                    fill=ink if names else "#9a9a9a",
                )
            )
            for line, baseline in zip(cell_lines(names), NAME_BASELINES, strict=False):
                group.append(
                    h("text", line, x=x + CELL_PAD, y=y + baseline, class_="name", fill=ink)
                )
            svg.append(group)
    return svg


def sparkline(points: Sequence[TrendPoint], band: Band) -> ET.Element | None:
    """A small line of a supplier's score over the reviews (risk up is up), or ``None``.

    Needs at least two points; the last one is marked in the colour of ``band``.
    """
    if len(points) < 2:
        return None
    w, hgt, pad = 64, 20, 3
    step = (w - 2 * pad) / (len(points) - 1)

    def xy(i: int, score: int) -> tuple[float, float]:
        return pad + step * i, hgt - pad - (hgt - 2 * pad) * score / 100

    coords = [xy(i, p.score) for i, p in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    return h(
        "svg",
        h("title", "Risk score: " + ", ".join(f"{p.label} {p.score}" for p in points)),
        h("line", x1=pad, y1=hgt - pad, x2=w - pad, y2=hgt - pad, stroke="#cccccc"),
        h("polyline", points=path, fill="none", stroke="#44546a", stroke_width="1.5"),
        h("circle", cx=f"{last_x:.1f}", cy=f"{last_y:.1f}", r="2.6", fill=BAND_COLOURS[band]),
        xmlns=SVG_NS,
        viewBox=f"0 0 {w} {hgt}",
        width=w,
        height=hgt,
        role="img",
        class_="spark",
    )
