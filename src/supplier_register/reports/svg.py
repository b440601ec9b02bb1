"""Inline SVG pictures for the HTML exports: the criticality x risk-band matrix and sparklines.

Both are element trees (see :mod:`htmltree`); user text appears only as text
nodes (labels and ``<title>`` tooltips), never inside an attribute.
"""

from __future__ import annotations

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
NAME_CHARS = 21


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def risk_matrix(cells: Mapping[tuple[Criticality, Band], Sequence[str]]) -> ET.Element:
    """A 4 x 4 grid: criticality (strategic at the top) against risk band (severe on the right).

    Each cell shows how many suppliers fall in it and names the first few; the
    deeper the colour, the more exposed the trust is.
    """
    label_w, head_h, cell_w, cell_h = 84, 40, 172, 66
    crits = sorted(Criticality, key=lambda c: -c.rank)
    width = label_w + cell_w * len(Band)
    height = head_h + cell_h * len(crits) + 6
    total = sum(len(v) for v in cells.values())
    svg = h(
        "svg",
        h("title", f"Suppliers by criticality and risk band ({total} suppliers)"),
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
            tip = f"{crit.label} criticality, {band.value} risk: {len(names)}"
            group = h("g", h("title", f"{tip} ({'; '.join(names)})" if names else tip))
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
                    str(len(names)) if names else "–",
                    x=x + 12,
                    y=y + 26,
                    class_="count",
                    fill=ink if names else "#9a9a9a",
                )
            )
            shown = names[:NAMES_PER_CELL]
            for k, name in enumerate(shown):
                line = _short(name)
                if k == NAMES_PER_CELL - 1 and len(names) > NAMES_PER_CELL:
                    line = f"+{len(names) - k} more"
                group.append(h("text", line, x=x + 36, y=y + 20 + 14 * k, class_="name", fill=ink))
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
