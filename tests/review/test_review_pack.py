"""The review pack in Markdown and HTML, read back: sections, values, escaping, sparklines."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from markdown_it import MarkdownIt

from supplier_register.reports.review_pack import (
    render_review_html,
    render_review_markdown,
    sections,
)
from supplier_register.review.models import ReviewReport
from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as review_service
from supplier_register.storage import open_database
from supplier_register.storage.reviews import ReviewStore
from tests.support.htmlcheck import collect
from tests.support.review_scenario import Q2_CLOSE, Q2_START, Q3_START, A, B, C, E, register, scores

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def report() -> ReviewReport:
    store = ReviewStore(open_database(":memory:"))
    q2, q3 = Quarter(2026, 2), Quarter(2026, 3)
    store.start(q2, Q2_START, register(2), scores(2, Q2_START))
    store.add_action(
        q2,
        {"supplier": A, "what": SCRIPT, "owner": FORMULA, "due": dt.date(2026, 8, 31)},
        Q2_START,
    )
    review_service.close(store, q2, Q2_CLOSE)
    store.start(q3, Q3_START, register(3), scores(3, Q3_START))
    store.add_action(
        q3,
        {"what": '" onmouseover="x | *bold*', "owner": "Dana", "due": dt.date(2026, 12, 1)},
        Q3_START,
    )
    return review_service.report_of(store, store.get_review(q3), Q3_START)


def test_sections_say_what_the_report_says(report: ReviewReport) -> None:
    by_key = {s.key: s for s in sections(report)}
    assert list(by_key) == ["movers", "due", "deadlines", "actions", "gaps", "scores", "questions"]
    movers = by_key["movers"]
    assert movers.title == "Movers since 2026-Q2"
    assert [r[0] for r in movers.rows] == [C, A, E]
    assert movers.rows[1][2:6] == ["60", "70", "▲ 10", "High"]
    assert movers.rows[0][5] == "Low → Medium"
    assert movers.rows[2][4] == "new"
    assert "No longer in the register: Delta Devices." in movers.intro
    assert [r[0] for r in by_key["due"].rows] == [A, B]
    assert by_key["due"].rows[1][4:] == ["never", "now", "Overdue"]
    actions = by_key["actions"].rows
    assert actions[0][1:] == [
        "2026-Q2 (carried forward)",
        A,
        SCRIPT,
        FORMULA,
        "2026-08-31",
        "Overdue",
    ]
    assert actions[1][2] == "(general)"
    assert by_key["scores"].rows[0][5] == "60 → 70"
    assert by_key["gaps"].rows == [[B, "High", "1", "Bulk export unknown"]]


def test_markdown_pack_reads_back_escaped(report: ReviewReport) -> None:
    md = render_review_markdown(report, trust="Northmoor *Valley*")
    html = MarkdownIt("commonmark").enable("table").render(md)
    parsed = collect(html)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "em" not in tags
    assert "Northmoor *Valley*" in parsed.text
    assert "Quarterly supplier review 2026-Q3" in parsed.text
    assert "Started 20 September 2026; open (position at 20 September 2026)" in parsed.text
    action_rows = [r for r in parsed.cells if len(r) == 7 and r[0].isdigit()]
    assert action_rows[0][3:5] == [SCRIPT, FORMULA]
    assert action_rows[1][3] == '" onmouseover="x | *bold*'
    assert "2 actions open, 1 overdue." in parsed.text
    assert "1 data gap on strategic and high suppliers." in parsed.text  # singular


def test_html_pack_reads_back_escaped_with_sparklines(report: ReviewReport) -> None:
    html = render_review_html(report, trust=SCRIPT)
    parsed = collect(html)
    tags = [t for t, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert all(not k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    assert SCRIPT in parsed.text and FORMULA in parsed.text
    assert '" onmouseover="x | *bold*' in parsed.text
    assert "size: A4" in html
    sparks = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]
    titles = [s.find(f"{SVG}title") for s in sparks]
    labels = [t.text for t in titles if t is not None]
    assert "Risk score: 2026-Q2 60, 2026-Q3 70" in labels
    assert len(sparks) == 3  # A, B and C have two reviews; E is new
    overdue = [
        cells for cells in parsed.cells if cells and cells[-1] == "Overdue" and cells[0] == "1"
    ]
    assert overdue, "the overdue carried-forward action is listed"


def test_first_review_pack_says_so() -> None:
    store = ReviewStore(open_database(":memory:"))
    store.start(Quarter(2026, 2), Q2_START, register(2), scores(2, Q2_START))
    first = review_service.report_of(store, store.get_review(Quarter(2026, 2)), Q2_START)
    parsed = collect(render_review_html(first))
    assert "This is the first review: there is nothing to compare with yet." in parsed.text
    assert "No actions yet." in parsed.text


def test_questions_quote_their_evidence_and_name_the_trust(report: ReviewReport) -> None:
    [first, *_] = report.top_questions
    hostile = first.model_copy(update={"evidence": [SCRIPT, FORMULA, "Bulk extracts cost £18,000"]})
    trust = first.model_copy(update={"supplier": "The trust", "scope": "trust", "evidence": []})
    shown = report.model_copy(update={"top_questions": [hostile, trust]})
    [questions] = [s for s in sections(shown) if s.key == "questions"]
    assert questions.headers[-1] == "Evidence recorded"
    assert questions.rows[0][-1] == f"{SCRIPT} · {FORMULA} · Bulk extracts cost £18,000"
    assert questions.rows[1][1] == "The trust (its own finding)" and questions.rows[1][-1] == ""
    html = render_review_html(shown, trust=None)
    parsed = collect(html)
    assert "script" not in {t for t, _ in parsed.tags}
    assert f"{SCRIPT} · {FORMULA}" in parsed.text
    md = render_review_markdown(shown, trust=None)
    assert (
        f"{SCRIPT} · {FORMULA}" in collect(MarkdownIt("commonmark").enable("table").render(md)).text
    )


def test_first_review_pack_has_no_trend_column() -> None:
    """A trend needs two reviews: the first review's scores carry no one-point 'trend'."""
    store = ReviewStore(open_database(":memory:"))
    store.start(Quarter(2026, 2), Q2_START, register(2), scores(2, Q2_START))
    first = review_service.report_of(store, store.get_review(Quarter(2026, 2)), Q2_START)
    scores_section = {s.key: s for s in sections(first)}["scores"]
    assert "Trend" not in scores_section.headers
    assert all(len(row) == len(scores_section.headers) for row in scores_section.rows)
    assert scores_section.headers[-1] == "Board questions"
    assert scores_section.numeric == frozenset({0, 3, 5})
    assert "a trend shows from the second review" in scores_section.intro
    parsed = collect(render_review_html(first))
    assert "Trend" not in [c for row in parsed.cells for c in row]
    assert "<svg" not in render_review_html(first).split("Scores at this review", 1)[1]
    assert "| Trend |" not in render_review_markdown(first)
