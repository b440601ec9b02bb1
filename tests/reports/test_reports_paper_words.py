"""Words a board member reads in the papers: counts in plain English, no '(s)', no name twice."""

from __future__ import annotations

import pytest

from supplier_register.reports import render_summary
from supplier_register.reports.summary import DETAIL_FINDINGS, FindingLine, RiskSummary
from supplier_register.scoring.results import Dimension, FindingHead
from tests.support.oracles import build_summary
from tests.support.reportdata import TODAY, hostile_register, hostile_scores


def _with_findings(count: int) -> RiskSummary:
    """The hostile summary with its first (strategic) supplier holding `count` findings."""
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    first, *rest = summary.suppliers
    assert len(first.findings) <= DETAIL_FINDINGS < count
    return summary.model_copy(
        update={"suppliers": [first.model_copy(update={"finding_count": count}), *rest]}
    )


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_findings_left_out_of_a_note_are_counted_in_words(fmt: str) -> None:
    one_more = render_summary(fmt, _with_findings(DETAIL_FINDINGS + 1))
    three_more = render_summary(fmt, _with_findings(DETAIL_FINDINGS + 3))
    assert isinstance(one_more, str) and isinstance(three_more, str)
    assert "and 1 more finding" in one_more and "1 more findings" not in one_more
    assert "and 3 more findings" in three_more
    assert "finding(s)" not in one_more + three_more


def test_a_finding_that_names_its_contract_does_not_name_it_twice() -> None:
    named = "Not known: whether 'Enterprise PACS' was competed or called off directly"
    line = FindingLine(
        title=named,
        contract="Enterprise PACS",
        dimension=Dimension.BUYING,
        points=0,
        explanation="",
        reference="",
        data_gap=True,
    )
    assert line.headline == named
    assert FindingHead(named, "Enterprise PACS").headline == named
    # a title that does not quote it still names the contract, even when it shares a word
    other = line.model_copy(update={"title": "Enterprise lock-in"})
    assert other.headline == "Enterprise lock-in (Enterprise PACS)"
    assert FindingHead("Exit plan not tested", "PACS").headline == "Exit plan not tested (PACS)"
