"""HTML export parsed back: self-contained, escaped, with a well-formed SVG matrix and trends."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from supplier_register.reports import TrendPoint, render_summary
from tests.support.htmlcheck import collect
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    PAYLOADS,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
)

SVG = "{http://www.w3.org/2000/svg}"


def render(**kwargs: object) -> str:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY, **kwargs)  # type: ignore[arg-type]
    html = render_summary("html", summary)
    assert isinstance(html, str)
    return html


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG, parsed as XML (so it must be well-formed)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_self_contained_without_scripts_or_external_assets() -> None:
    html = render(trust="Riverside NHS Foundation Trust")
    assert html.startswith("<!DOCTYPE html>")
    parsed = collect(html)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags
    for tag in ("link", "img", "iframe", "object", "embed"):
        assert tag not in tags
    for _, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), name
            if name in ("href", "src"):
                raise AssertionError(f"external reference {name}={value}")
    assert "@page" in html and "size: A4" in html and "break-before: page" in html
    assert "Riverside NHS Foundation Trust" in parsed.text
    assert "Board paper" in parsed.text
    assert "26 November 2026" in parsed.text
    assert "Author: not recorded" in parsed.text and "Version 1.0" in parsed.text


def test_user_text_is_escaped_and_shown_literally() -> None:
    html = render(trust='<script>alert("t")</script>')
    parsed = collect(html)
    tags = {t for t, _ in parsed.tags}
    assert "b" not in tags and "i" not in tags and "script" not in tags
    assert all("onmouseover" not in attrs for _, attrs in parsed.tags)
    text = parsed.text
    assert '<script>alert("t")</script>' in text
    assert "What lies behind the scores of the strategic and high-criticality" in text
    for payload in (HOSTILE_SUPPLIER, SCRIPT_SUPPLIER, MARKUP_SUPPLIER, '" onmouseover="x'):
        assert payload in text, payload
    assert "<b>bold</b>" in text and "=3 <i>really</i>?" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for payload in PAYLOADS:
        if payload.strip().startswith("<"):
            assert payload not in html


def test_supplier_table_values() -> None:
    parsed = collect(render())
    rows = [r for r in parsed.cells if r and r[0] in ("#", "1", "2", "3")]
    header, first, second, third = rows[:4]
    assert header[:4] == ["#", "Supplier", "Criticality / owner", "Risk"]
    assert first[1] == HOSTILE_SUPPLIER
    assert first[2] == "Strategic-1+2"
    assert first[3] == "82Severe"
    assert header[4:6] == ["Impact × exposure", "Confidence (range)"]
    assert first[4:6] == ["4.4× 93%", "75%80-84"]
    assert first[6:12] == ["82", "83", "84", "85", "86", "87"]
    assert header[12:14] == ["Spend / contracts", "Decide by / notice by"]
    assert first[12] == "£1,250,000.50 a yearno current contract"
    assert first[13].startswith("2026-10-02passed 55 days ago")
    assert second[1] == SCRIPT_SUPPLIER
    assert third[2] == "Lowno owner"
    findings = [r for r in parsed.cells if len(r) == 2 and r[0] == ""]
    assert findings[0] == ["", "Top findings: +1 (@SUM(A1)); \t=1; Auto-renews"]
    assert findings[2] == ["", "No findings."]
    assert "Trend" not in header  # no reviews yet


def test_matrix_svg_is_well_formed_and_counts() -> None:
    (matrix,) = svgs(render())
    assert matrix.tag == f"{SVG}svg"
    texts = [t.text for t in matrix.iter(f"{SVG}text")]
    assert texts[1:6] == ["Low", "Medium", "High", "Severe", "Unassessed"]
    assert "Strategic" in texts and SCRIPT_SUPPLIER in texts  # it fits its cell
    cut = [t for t in texts if t and t.endswith("…")]  # long names are shortened in the cell
    assert cut[0].startswith(HOSTILE_SUPPLIER[:15]) and HOSTILE_SUPPLIER not in texts
    titles = [t.text for t in matrix.iter(f"{SVG}title")]
    assert f"High criticality, high risk: 1 ({SCRIPT_SUPPLIER})" in titles
    assert f"Strategic criticality, severe risk: 1 ({HOSTILE_SUPPLIER})" in titles
    assert "Medium criticality, medium risk: 0" in titles
    for element in matrix.iter():
        for value in element.attrib.values():
            assert HOSTILE_SUPPLIER not in value


def test_trend_sparklines_once_reviews_exist() -> None:
    history = {
        HOSTILE_SUPPLIER: [
            TrendPoint(label="2026-Q2", score=60),
            TrendPoint(label="2026-Q3", score=70),
        ]
    }
    html = render(history=history)
    _matrix, spark = svgs(html)
    polyline = spark.find(f"{SVG}polyline")
    assert polyline is not None
    points = [tuple(map(float, p.split(","))) for p in polyline.attrib["points"].split()]
    assert len(points) == 3
    ys = [y for _, y in points]
    assert ys[0] > ys[1] > ys[2]  # risk rising draws upwards
    title = spark.find(f"{SVG}title")
    assert title is not None and title.text == "Risk score: 2026-Q2 60, 2026-Q3 70, now 82"
    parsed = collect(html)
    header = next(r for r in parsed.cells if r and r[0] == "#")
    assert header[4] == "Trend" and header[5] == "Impact × exposure"
    first = next(r for r in parsed.cells if r and r[0] == "1")
    assert first[4].endswith("▲12")
    second = next(r for r in parsed.cells if r and r[0] == "2")
    assert second[4] == "no reviews yet"


def test_empty_register() -> None:
    from supplier_register.domain.models import Register
    from supplier_register.scoring.results import RegisterScores

    summary = build_summary(
        Register(), RegisterScores(today=TODAY, suppliers=[], top_questions=[]), TODAY
    )
    parsed = collect(render_summary("html", summary))  # type: ignore[arg-type]
    assert "0 suppliers scored against principle 6" in parsed.text
    assert "No supplier raised a finding that needs the board." in parsed.text


def test_notes_and_method_state_the_score_model() -> None:
    html = render()
    parsed = collect(html)
    text = parsed.text
    assert "How the score is built. A supplier's risk is its impact" in text
    assert 'is marked "unassessed" and its gaps become actions for the team.' in text
    assert (
        "Risk 82/100, severe; impact 4.4 of 5 x exposure 93%; confidence 75% (range 80-84)." in text
    )
    assert (
        "Impact 4.4 of 5: Strategic criticality: impact 4 of 5; +0.2: it supports 1 clinical "
        "service (<script>alert(2)</script>); +0.2: =SUM(A1) other suppliers depend on it."
    ) in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "script" not in {t for t, _ in parsed.tags}
    assert "Columns: the supplier's risk band; Unassessed: too little is known" in text


def test_one_review_gives_movers_not_a_trend_column() -> None:
    history = {HOSTILE_SUPPLIER: [TrendPoint(label="2026-Q3", score=70)]}
    html = render(history=history)
    parsed = collect(html)
    header = next(r for r in parsed.cells if r and r[0] == "#")
    assert "Trend" not in header  # one past review: a change, not a trend
    assert len(svgs(html)) == 1  # the matrix only, no sparkline
    assert "Changes since the last review (2026-Q3)" in parsed.text
    moved = next(r for r in parsed.cells if r and r[0] == HOSTILE_SUPPLIER)
    assert moved[2:] == ["70", "82 Severe", "▲ up 12"]
    assert "1 supplier moved; the largest changes first." in parsed.text


def test_no_movers_section_without_a_review_and_none_moved_said_so() -> None:
    assert "Changes since the last review" not in collect(render()).text
    history = {HOSTILE_SUPPLIER: [TrendPoint(label="2026-Q3", score=82)]}
    text = collect(render(history=history)).text
    assert "No supplier's score has moved since 2026-Q3." in text
