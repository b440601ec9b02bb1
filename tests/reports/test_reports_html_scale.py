"""The HTML board paper at scale: supplier blocks written as text, and notes capped and said so."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import exports as cli_exports
from supplier_register.cli import root as cli
from supplier_register.domain.enums import Criticality
from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports import NOTES_LIMIT, RiskSummary, TrendPoint
from supplier_register.reports.html_export import (
    _has_trends,
    _table_headers,
    render_html,
    supplier_block_html,
    supplier_blocks,
    text_html,
)
from supplier_register.reports.htmltree import h
from supplier_register.reports.markdown import render_markdown
from supplier_register.reports.summary import ContractFacts
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect
from tests.support.oracles import build_summary, score_register
from tests.support.reportdata import HOSTILE_SUPPLIER, TODAY, hostile_register, hostile_scores


def _synthetic_summary(size: int = 200) -> RiskSummary:
    register = generate_register(size, seed=3, today=TODAY)
    return build_summary(register, score_register(register, today=TODAY), TODAY)


def _hostile_with_trends() -> RiskSummary:
    history = {HOSTILE_SUPPLIER: [TrendPoint(label="2026-Q2", score=60)]}
    return build_summary(hostile_register(), hostile_scores(), TODAY, history=history)


@pytest.mark.parametrize(
    "summary",
    [
        build_summary(hostile_register(), hostile_scores(), TODAY),
        _hostile_with_trends(),
        _synthetic_summary(),
    ],
    ids=["hostile", "hostile-trends", "synthetic"],
)
def test_blocks_written_as_text_equal_the_serialised_tree(summary: RiskSummary) -> None:
    width, trends = len(_table_headers(summary)), _has_trends(summary)
    trees = list(supplier_blocks(summary))
    assert len(trees) == len(summary.suppliers) > 0
    for row, tree in zip(summary.suppliers, trees, strict=True):
        expected = ET.tostring(tree, encoding="unicode", method="html")
        assert supplier_block_html(row, width, trends) == expected


def test_blocks_with_dimensions_missing_or_out_of_order_equal_the_serialised_tree() -> None:
    """A row whose dimensions are not every one in order takes the general path, same text."""
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    width, trends = len(_table_headers(summary)), _has_trends(summary)
    row = summary.suppliers[0]
    scores = list(row.dimensions.items())
    for dimensions in (dict(scores[1:]), dict(reversed(scores)), {}):
        changed = row.model_copy(update={"dimensions": dimensions})
        one = summary.model_copy(update={"suppliers": [changed]})
        (tree,) = supplier_blocks(one)
        expected = ET.tostring(tree, encoding="unicode", method="html")
        assert supplier_block_html(changed, width, trends) == expected


@pytest.mark.parametrize(
    "text",
    ["Nul\x00Byte", "bell\x07 & <b>", "esc\x1b[31m", "del\x7f", "tab\tcr\rlf\n", "Café £ – ok"],
)
def test_text_with_control_characters_is_written_as_the_tree_writes_it(text: str) -> None:
    """The printable fast path of text_html changes nothing: control characters still show as U+FFFD."""
    tree = ET.tostring(h("span", text), encoding="unicode", method="html")
    assert f"<span>{text_html(text)}</span>" == tree


def test_user_text_in_blocks_never_becomes_markup() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    html = render_html(summary)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    names = [cells[1] for cells in collect(html).cells if cells and cells[0].isdigit()]
    assert names[: len(summary.suppliers)] == [r.supplier for r in summary.suppliers]


def _notes(html: str) -> list[str]:
    """The supplier names of the notes, in order."""
    return [
        m.group(1) for m in re.finditer(r'<div class="supplier-note"><h3>\d+\. ([^<]*) <span', html)
    ]


def test_notes_are_capped_to_the_most_pressing_and_say_what_was_left_out() -> None:
    summary = _synthetic_summary(300)
    noted = summary.noted()
    assert len(noted) > 12
    html = render_html(summary, notes=5)
    assert _notes(html) == [r.supplier for r in noted[:5]]
    last = noted[4]
    left = len(noted) - 5
    text = collect(html).texts
    joined = " ".join(text)
    assert (
        f"These notes explain the 5 most pressing of the {len(noted):,} strategic and "
        f"high-criticality suppliers, down to {last.supplier} (rank {last.rank:,}). Left out: "
        f"the other {left:,}, every one ranked below rank {last.rank:,}."
    ) in joined
    assert "--format summary-json" in joined and "--notes N" in joined
    assert (
        f"Supplier notes explain the 5 most pressing of the {len(noted):,} strategic and "
        f"high-criticality suppliers; the other {left:,} are in the table only."
    ) in joined
    # Every supplier is still in the table.
    ranks = [cells[0] for cells in collect(html).cells if cells and cells[0].isdigit()]
    assert len(ranks) == len(summary.suppliers)


def test_no_cap_and_zero_notes() -> None:
    summary = _synthetic_summary(300)
    noted = summary.noted()
    every = render_html(summary, notes=None)
    assert _notes(every) == [r.supplier for r in noted]
    assert "Left out" not in every and "most pressing" not in every
    assert render_html(summary, notes=len(noted)) == every
    none = render_html(summary, notes=0)
    assert _notes(none) == []
    assert f"none of the {len(noted):,} strategic and high-criticality suppliers" in none


def test_markdown_notes_are_capped_the_same_way() -> None:
    summary = _synthetic_summary(300)
    noted = summary.noted()
    md = render_markdown(summary, notes=4)
    headings = re.findall(r"^### \d+\. (.*): \w+ risk \(\d+\)$", md, flags=re.M)
    assert len(headings) == 4
    assert f"These notes explain the 4 most pressing of the {len(noted):,}" in md
    assert "Left out" not in render_markdown(summary, notes=None)


def test_default_cap_keeps_a_small_register_whole() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    assert len(summary.noted()) <= NOTES_LIMIT
    assert render_html(summary) == render_html(summary, notes=None)
    assert cli_exports.NOTES_LIMIT == NOTES_LIMIT


def test_cli_notes_option(tmp_path: Path) -> None:
    db_path = tmp_path / "r.db"
    db = open_database(db_path)
    Repository(db).import_register(generate_register(300, seed=3, today=TODAY))
    noted = [
        r
        for r in risk_summary(db, TODAY).suppliers
        if r.criticality in (Criticality.STRATEGIC, Criticality.HIGH)
    ]
    db.close()
    out = tmp_path / "paper.html"
    args = ["--db", str(db_path), "export", "--format", "html", "--today", "2026-11-26"]
    result = CliRunner().invoke(cli.main, [*args, "--out", str(out), "--notes", "3"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert _notes(html) == [r.supplier for r in noted[:3]]
    assert f"the other {len(noted) - 3:,}" in html
    result = CliRunner().invoke(cli.main, [*args, "--out", str(out), "--force", "--notes", "-1"])
    assert result.exit_code == 2
    assert "--notes" in result.output


def test_the_left_out_line_shows_a_hostile_name_literally() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    name = "<script>alert(1)</script> & [x](javascript:y) *z*"
    first = summary.suppliers[0].model_copy(update={"supplier": name})
    summary = summary.model_copy(update={"suppliers": [first, *summary.suppliers[1:]]})
    assert len(summary.noted()) == 2 and summary.noted()[0].supplier == name
    html = render_html(summary, notes=1)
    assert "<script>" not in html
    assert f"down to {name} (rank 1)" in " ".join(collect(html).texts)
    md = render_markdown(summary, notes=1)
    assert "<script>" not in md and "[x](javascript:y)" not in md
    assert (
        "down to \\<script\\>alert(1)\\</script\\> \\& \\[x\\](javascript:y) \\*z\\* (rank 1)" in md
    )


def test_blocks_with_contract_facts_equal_the_serialised_tree() -> None:
    base = _synthetic_summary(40)
    variants = [
        ContractFacts(value=Decimal("1250000.50"), unvalued=2, notice_by=TODAY),
        ContractFacts(ended_on=TODAY.replace(day=1)),
        ContractFacts(unvalued=1),
        ContractFacts(value=Decimal(7), notice_by=TODAY, notice_contract="<b>x</b>"),
    ]
    facts = {r.rank: variants[r.rank % len(variants)] for r in base.suppliers}
    summary = base.model_copy(update={"contract_facts": facts})
    width, trends = len(_table_headers(summary)), _has_trends(summary)
    texts = []
    for row, tree in zip(summary.suppliers, supplier_blocks(summary), strict=True):
        text = supplier_block_html(row, width, trends, facts[row.rank])
        assert text == ET.tostring(tree, encoding="unicode", method="html")
        texts.append(text)
    joined = "".join(texts)
    assert "contracts £1,250,000.50 (+2 without a value)" in joined
    assert "contract value not recorded" in joined and "notice by 2026-11-26" in joined
    ended = [r for r in summary.suppliers if r.rank % 4 == 1 and r.next_decide_by is None]
    assert ended, "the synthetic register has a supplier with no decide-by date"
    assert "ended on 1 November 2026" in joined
    assert "<b>" not in joined
