"""The board paper's section "The trust's own findings": near the top of the HTML and Markdown
risk summaries (after the summary), each finding with its figures, explanation and principle-6
quote, user text escaped; the trust's board questions are among the paper's questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import pytest
from sqlite_utils import Database

from supplier_register.domain import TrustProfile
from supplier_register.reports.htmltree import h, to_html
from supplier_register.reports.trust_section import (
    NONE,
    TITLE,
    trust_section_html,
    trust_section_markdown,
)
from supplier_register.scoring import KeyQuestion
from supplier_register.scoring.trust import TrustFinding
from supplier_register.services.exports import summary_export
from supplier_register.storage import Repository, open_database
from tests.support.registers import small_register

TODAY = dt.date(2026, 11, 26)
HOSTILE = "<script>alert('x')</script> *bold* [link](http://e.vil) | pipe"

FINDING = TrustFinding(
    code="trust.test",
    title=f"Title {HOSTILE}",
    explanation=f"Explained {HOSTILE}",
    key_question=KeyQuestion.SKILLS,
    severity=0.5,
    reference="Bring together digital and commercial experts",
    quote="To make smart buying decisions, you need digital and commercial experts in-house.",
    figures={"integrated care system": HOSTILE, "contractors": "16 FTE"},
)


@pytest.fixture
def db() -> Database:
    database = open_database(":memory:")
    repo = Repository(database)
    repo.import_register(small_register())
    repo.save_profile(
        TrustProfile(
            digital_staff=Decimal(20), contractors=Decimal(20), commercial_staff=Decimal(5)
        ),
        0,
    )
    return database


def text(data: Iterable[str] | bytes) -> str:
    assert not isinstance(data, bytes)
    return "".join(data)


def test_markdown_paper_has_the_section_after_the_board_questions(db: Database) -> None:
    paper = text(summary_export(db, "md", TODAY))
    asked, section = paper.index("## Board questions"), paper.index(f"## {TITLE}")
    assert asked < section < paper.index("## Criticality and risk")  # as in the HTML
    part = paper[section : paper.index("## Criticality and risk")]
    assert "### The digital team depends on contractors (severity 57%)" in part
    assert "Contractors and interims are 20 FTE of the 40 FTE in the digital team (50%)" in part
    assert "- contractors' share of the digital team: 50%" in part
    assert "> Principle 6, " in part and "To make smart buying decisions" in part
    # and its question is among the board's
    questions = paper[paper.index("Contractors and interims are 50% of our digital team") - 200 :]
    assert "The trust" in questions[:300]


def test_html_paper_has_the_section_after_the_board_questions(db: Database) -> None:
    paper = text(summary_export(db, "html", TODAY))
    questions = paper.index('<ol class="questions">')
    section = paper.index(f'<h2 class="trust-findings">{TITLE}</h2>')
    assert questions < section < paper.index("Criticality and risk</h2>")
    assert "The digital team depends on contractors" in paper[section:]
    assert "contractors' share of the digital team: 50%" in paper[section:]
    assert "Contractors and interims are 50% of our digital team" in paper


def test_user_text_is_escaped_in_html() -> None:
    html = to_html(h("div", trust_section_html([FINDING])))
    assert "<script>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "integrated care system: &lt;script&gt;" in html
    assert "(severity 50%)" in html


def test_user_text_is_escaped_in_markdown() -> None:
    lines = trust_section_markdown([FINDING])
    joined = "\n".join(lines)
    assert "\\*bold\\*" in joined and "\\[link\\]" in joined and "\\|" in joined
    assert "*bold*" not in joined.replace("\\*bold\\*", "")
    assert lines[1] == f"## {TITLE}"


def test_without_findings_nothing_or_that_there_are_none() -> None:
    assert trust_section_html(None) == []
    assert trust_section_markdown(None) == []
    assert trust_section_markdown([])[-1] == NONE
    assert NONE in to_html(h("div", trust_section_html([])))
