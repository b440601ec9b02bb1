"""The criticality x risk matrix of the HTML paper: no label is drawn over another at any size."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import pytest

from supplier_register.domain.enums import Criticality
from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports.svg import (
    AXIS_SIZE,
    COUNT_SIZE,
    HEAD_SIZE,
    NAME_SIZE,
    NAMES_PER_CELL,
    cell_lines,
    risk_matrix,
    text_width,
)
from supplier_register.scoring.results import Band

SVG = "{http://www.w3.org/2000/svg}"
SIZES = {"count": COUNT_SIZE, "name": NAME_SIZE, "colhead": HEAD_SIZE, "rowhead": HEAD_SIZE}
Box = tuple[float, float, float, float]
Cells = dict[tuple[Criticality, Band], list[str]]


def _names(count: int) -> list[str]:
    register = generate_register(min(count, 300), seed=5)
    base = [s.name for s in register.suppliers]
    return [base[i % len(base)] + ("" if i < len(base) else f" {i}") for i in range(count)]


def spread(count: int) -> Cells:
    """``count`` suppliers spread unevenly over the cells (most in a few, as in a register)."""
    keys = list(itertools.product(Criticality, Band))
    cells: Cells = {k: [] for k in keys}
    for i, name in enumerate(_names(count)):
        cells[keys[(i * i + 3 * i) % 7 if i % 3 else i % len(keys)]].append(name)
    return cells


def crowded(count: int) -> Cells:
    """Every supplier in one cell, with long and wide names."""
    wide = ["W" * 60, "MMMMMMMMMMMMMMMMMMMMMMMMMM Ltd", "医療情報システム株式会社" * 3]
    return {(Criticality.STRATEGIC, Band.SEVERE): [*wide, *_names(count - len(wide))]}


def boxes(svg: ET.Element) -> list[tuple[str, str, Box]]:
    """Every label's class, text and (generous) bounding box: left, top, right, bottom."""
    out = []
    for text in svg.iter(f"{SVG}text"):
        cls = text.get("class", "")
        size = SIZES.get(cls, AXIS_SIZE)
        label = text.text or ""
        width = text_width(label, size, bold=cls != "name")
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        anchor = text.get("text-anchor", "start")
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        out.append((cls, label, (left, y - 0.8 * size, left + width, y + 0.25 * size)))
    return out


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _rects(svg: ET.Element) -> list[Box]:
    return [
        (
            float(r.get("x", 0)),
            float(r.get("y", 0)),
            float(r.get("x", 0)) + float(r.get("width", 0)),
            float(r.get("y", 0)) + float(r.get("height", 0)),
        )
        for r in svg.iter(f"{SVG}rect")
    ]


def check_geometry(svg: ET.Element) -> None:
    labels = boxes(svg)
    for (cls_a, a, box_a), (cls_b, b, box_b) in itertools.combinations(labels, 2):
        assert not _overlap(box_a, box_b), f"{cls_a} {a!r} is drawn over {cls_b} {b!r}"
    rects = _rects(svg)
    for cls, label, box in labels:
        if cls in ("count", "name"):
            inside = [r for r in rects if r[0] <= box[0] and box[2] <= r[2]]
            assert any(r[1] <= box[1] and box[3] <= r[3] for r in inside), (cls, label, box)


@pytest.mark.parametrize("count", [32, 231, 3000])
@pytest.mark.parametrize("shape", [spread, crowded])
def test_no_label_overlaps_another_or_leaves_its_cell(
    count: int, shape: Callable[[int], Cells]
) -> None:
    cells = shape(count)
    svg = ET.fromstring(ET.tostring(risk_matrix(cells), encoding="unicode"))
    check_geometry(svg)
    counts = [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("class") == "count"]
    assert sum(int(c.replace(",", "")) for c in counts if c != "–") == count


def test_a_full_cell_says_how_many_more_instead_of_naming_them() -> None:
    names = [f"Supplier {i}" for i in range(3000)]
    lines = cell_lines(names)
    assert len(lines) == NAMES_PER_CELL
    assert lines == ["Supplier 0", "Supplier 1", "+2,998 more"]
    assert cell_lines(names[:3]) == ["Supplier 0", "Supplier 1", "Supplier 2"]
    svg = risk_matrix({(Criticality.HIGH, Band.HIGH): names})
    texts = [t.text for t in svg.iter("text")]
    assert "3,000" in texts and "+2,998 more" in texts and "Supplier 2" not in texts


def test_a_long_or_wide_name_is_cut_to_fit_its_cell() -> None:
    wide = "W" * 60
    (line,) = cell_lines([wide])
    assert line.endswith("…") and len(line) < 30
    assert text_width(line, NAME_SIZE) <= 172 - 4 - 20


def test_the_tooltip_lists_at_most_twenty_names_then_how_many_more() -> None:
    names: Sequence[str] = [f"S{i}" for i in range(25)]
    svg = risk_matrix({(Criticality.LOW, Band.LOW): list(names)})
    titles = [t.text or "" for t in svg.iter("title")]
    tip = next(t for t in titles if t.startswith("Low criticality, low risk: 25"))
    assert "S19; and 5 more" in tip and "S20" not in tip
