"""The review pack of the sample register's 2026-Q4 review: the board pack's three lists, data
gaps as one compact table, and the running header and marking in both formats."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markdown_it import MarkdownIt
from sqlite_utils import Database

from supplier_register.domain.models import Register
from supplier_register.reports.board_text import ACTIONS_SHOWN
from supplier_register.reports.htmldoc import DEFAULT_MARKING
from supplier_register.reports.review_pack import GAP_UNKNOWNS, sections
from supplier_register.scoring.config import BoardConfig, ScoringConfig
from supplier_register.services import reviews as review_service
from supplier_register.services.board import board
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect
from tests.support.paths import REPO_ROOT

SAMPLE = REPO_ROOT / "sample_data" / "register.json"
TODAY = dt.date(2026, 11, 26)
QUARTER = "2026-Q4"


@pytest.fixture(scope="module")
def db() -> Database:
    database = open_database(":memory:")
    Repository(database).import_register(
        Register.model_validate_json(SAMPLE.read_text(encoding="utf-8"))
    )
    review_service.start_review(database, QUARTER, TODAY)
    return database


@pytest.fixture(scope="module")
def markdown(db: Database) -> str:
    return review_service.review_pack(db, QUARTER, TODAY, "md")


@pytest.fixture(scope="module")
def html(db: Database) -> str:
    return review_service.review_pack(db, QUARTER, TODAY, "html")


def section(markdown: str, title: str) -> str:
    """The text of the ``## title`` section, up to the next one."""
    [found] = re.findall(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    return str(found)


def rows_of(markdown: str) -> list[list[str]]:
    """The body rows of the one table in ``markdown``."""
    _, *rows = collect(MarkdownIt("commonmark").enable("table").render(markdown)).cells
    return rows


def test_gaps_are_one_row_per_supplier_with_its_most_important_unknowns(db: Database) -> None:
    report = review_service.review_report(db, QUARTER, TODAY)
    [gaps] = [s for s in sections(report) if s.key == "gaps"]
    suppliers = [row[0] for row in gaps.rows]
    with_gaps = list(dict.fromkeys(g.supplier for g in report.data_gaps))
    assert suppliers == with_gaps and len(set(suppliers)) == len(suppliers)
    assert gaps.headers == ["Supplier", "Criticality", "Unknowns", "Most important unknowns"]
    for name, _, count, unknowns in gaps.rows:
        assert int(count) == sum(1 for g in report.data_gaps if g.supplier == name)
        named = report.gap_unknowns[name]
        assert 1 <= len(named) <= GAP_UNKNOWNS and unknowns == "; ".join(named)
    assert len(gaps.rows) >= 5  # the sample's strategic and high suppliers with gaps


def test_html_pack_has_one_gap_table_and_no_page_per_supplier(html: str) -> None:
    assert html.count("Data gaps on strategic and high suppliers</h2>") == 1
    assert html.count('class="page-break"') == 1  # only before the scores
    gaps = html.split("Data gaps on strategic and high suppliers</h2>")[1].split("<h2")[0]
    assert gaps.count("<table") == 1


def test_pack_carries_the_board_packs_three_lists(db: Database, markdown: str) -> None:
    pack = board(db, TODAY)
    titles = re.findall(r"^## (.+)$", markdown, re.M)
    assert titles[:2] == ["Decisions required", "Board questions"]
    assert "Management actions" in titles and "Questions for the board" not in titles
    decisions = rows_of(section(markdown, "Decisions required"))
    assert [r[1] for r in decisions[:3]] == [
        "Veridane Health Systems Ltd",
        "Brightwater [UK] Ltd",
        "Hollinfell Networks Ltd",
    ]
    assert [r[1] for r in decisions] == [d.supplier for d in pack.decisions]
    assert decisions[2][2:4] == ["decide by 1 December 2026", "in 5 days"]
    questions = rows_of(section(markdown, "Board questions"))
    assert [r[0] for r in questions] == [str(i) for i in range(1, len(pack.questions) + 1)]
    assert [r[2] for r in questions] == [q.text for q in pack.questions]
    assert 1 <= len(questions) <= 10
    assert not any("do not yet know" in r[2].lower() for r in questions)
    actions = rows_of(section(markdown, "Management actions"))
    assert [r[2] for r in actions] == [a.text for a in pack.actions[:ACTIONS_SHOWN]]
    more = len(pack.actions) - ACTIONS_SHOWN
    assert f"{more} more management actions not listed here" in markdown


def test_marking_and_running_header_on_every_page(markdown: str, html: str) -> None:
    lines = markdown.strip().splitlines()
    assert lines[0] == "# Quarterly supplier review 2026-Q4"
    assert lines[2] == lines[-1] == f"**{DEFAULT_MARKING}**"
    running = "Northmoor Valley NHS Foundation Trust: Quarterly supplier review 2026-Q4"
    [page_css] = re.findall(r"@page \{ @top-left.*? \}\s*\}", html, re.S)
    assert "@top-left {" in page_css and running in page_css
    assert page_css.count(DEFAULT_MARKING) == 2  # top right and bottom left


def test_the_configured_marking_heads_the_pack(db: Database) -> None:
    config = ScoringConfig(board=BoardConfig(classification="OFFICIAL <draft>"))
    html = review_service.review_pack(db, QUARTER, TODAY, "html", config=config)
    assert DEFAULT_MARKING not in html
    assert "OFFICIAL \\3c draft\\3e" in html and "OFFICIAL &lt;draft&gt;" in html
    md = review_service.review_pack(db, QUARTER, TODAY, "md", config=config)
    assert md.splitlines()[2] == "**OFFICIAL \\<draft\\>**"
