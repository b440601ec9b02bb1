"""Board questions quote the evidence recorded behind them ("Recorded: …") in every paper,
as plain text; a question about the trust itself is not shown as a strategic supplier's."""

from __future__ import annotations

import csv
import datetime as dt
import io
from functools import cache

from markdown_it import MarkdownIt
from openpyxl import load_workbook

from supplier_register.domain.enums import Criticality
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.reports import RiskSummary, render_summary
from supplier_register.reports.safety import unguard_cell
from supplier_register.reports.scores import board_paper
from supplier_register.reports.summary import question_row
from supplier_register.reports.tabular import TRUST_OWN
from supplier_register.scoring.results import (
    BoardQuestion,
    KeyQuestion,
    SupplierOverview,
    SupplierScore,
)
from tests.support.htmlcheck import collect
from tests.support.oracles import build_summary, score_register

TODAY = dt.date(2026, 12, 7)
HOSTILE = ["[b]x[/b] <script>alert(1)</script> *bold*", '=HYPERLINK("http://x","y")']


@cache
def _sample() -> tuple[RiskSummary, SupplierScore]:
    register = read_register_file(sample_register_path())
    scores = score_register(register, today=TODAY)
    veridane = next(s for s in scores.suppliers if s.supplier.startswith("Veridane"))
    return build_summary(register, scores, TODAY), veridane


def _bulk(veridane: SupplierScore) -> BoardQuestion:
    """The sample's question whose answer records what bulk extracts cost."""
    return next(q for q in veridane.questions if "options.bulk_export" in q.finding_codes)


def _questions() -> list[BoardQuestion]:
    """The £18,000 question, a question with hostile evidence and one about the trust itself."""
    _, veridane = _sample()
    bulk = _bulk(veridane)
    hostile = bulk.model_copy(
        update={"text": "Can we leave?", "evidence": HOSTILE, "finding_codes": []}
    )
    trust = BoardQuestion(
        supplier="The trust",
        key_question=KeyQuestion.SKILLS,
        text="What is our plan to build in-house skills?",
        priority=16.8,
        criticality=Criticality.STRATEGIC,
        finding_codes=["trust.contractor_share"],
        scope="trust",
    )
    return [bulk, hostile, trust]


def _summary() -> RiskSummary:
    summary, _ = _sample()
    rows = [question_row(rank, q) for rank, q in enumerate(_questions(), start=1)]
    return summary.model_copy(update={"questions": rows})


def test_the_sample_evidence_is_quoted_under_its_question() -> None:
    _, veridane = _sample()
    assert any("£18,000" in e for e in _bulk(veridane).evidence)
    row = question_row(1, _bulk(veridane))
    assert row.evidence == _bulk(veridane).evidence and row.scope == "supplier"


def test_html_quotes_evidence_escaped() -> None:
    html = render_summary("html", _summary())
    assert isinstance(html, str)
    parsed = collect(html)
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "b" not in tags
    text = parsed.text
    assert "Recorded: Bulk extracts cost £18,000 each" in text
    assert f"Recorded: {HOSTILE[0]}" in text and f"Recorded: {HOSTILE[1]}" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="evidence"' in html
    assert "The trust (its own finding): What is our plan" in text
    assert "The trust (strategic)" not in text


def test_markdown_quotes_evidence_escaped() -> None:
    md = render_summary("md", _summary())
    assert isinstance(md, str)
    html = MarkdownIt("commonmark").render(md)
    parsed = collect(html)
    assert "script" not in {t for t, _ in parsed.tags}
    text = parsed.text
    assert "Recorded: Bulk extracts cost £18,000 each" in text
    assert f"Recorded: {HOSTILE[0]}" in text
    assert f"Recorded: {HOSTILE[1]}" in text
    assert "**The trust** (its own finding): What is our plan" in md
    assert "**The trust** (strategic)" not in md


def test_csv_and_xlsx_have_an_evidence_column_guarded() -> None:
    text = render_summary("csv", _summary())
    assert isinstance(text, str)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    gap = rows.index([])
    questions = [dict(zip(rows[gap + 1], r, strict=True)) for r in rows[gap + 2 :]]
    bulk, hostile, trust = questions[:3]
    assert "£18,000" in bulk["Evidence"]
    assert hostile["Evidence"] == "\n".join(HOSTILE)
    assert trust["Evidence"] == "" and trust["Criticality"] == TRUST_OWN
    assert bulk["Criticality"] == "Strategic"

    formula_first = _summary().questions[1].model_copy(update={"evidence": HOSTILE[::-1]})
    summary = _summary().model_copy(update={"questions": [formula_first]})
    text = render_summary("csv", summary)
    assert isinstance(text, str)
    cell = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))[-1][-1]
    assert cell.startswith("'=HYPERLINK") and unguard_cell(cell) == "\n".join(HOSTILE[::-1])

    data = render_summary("xlsx", summary)
    assert isinstance(data, bytes)
    ws = load_workbook(io.BytesIO(data))["Board questions"]
    header = [c.value for c in ws[1]]
    value = ws.cell(2, header.index("Evidence") + 1).value
    assert value == "'" + "\n".join(HOSTILE[::-1])


def test_board_paper_quotes_evidence_once_and_names_the_trust() -> None:
    _, veridane = _sample()
    asked = _questions()
    explained = {veridane.supplier_id: veridane}
    paper = board_paper(asked, [SupplierOverview.of(veridane)], explained, TODAY, "Trust")
    # The £18,000 finding's explanation already ends with what was recorded: quoted once.
    assert paper.count("Bulk extracts cost £18,000") == 1
    assert "Recorded: Bulk extracts cost £18,000" in paper
    parsed = collect(MarkdownIt("commonmark").render(paper))
    assert "script" not in {t for t, _ in parsed.tags}
    text = parsed.text
    for excerpt in HOSTILE:
        assert f"Recorded: {excerpt}" in text
    assert "The trust itself: one of its own findings" in text
