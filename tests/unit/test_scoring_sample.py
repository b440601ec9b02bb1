"""Scoring the bundled sample register: a realistic spread and valid, explained results."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Register
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring import (
    Band,
    BoardQuestion,
    KeyQuestion,
    RegisterScores,
    Scorer,
    ScoringConfig,
    SupplierScore,
    top_questions,
)
from supplier_register.scoring.config import TrustThresholds, parse_config
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.engine import question_order, supplier_order
from supplier_register.scoring.questions import default_question_bank
from supplier_register.scoring.rules import REFERENCES, RULES
from tests.support.oracles import iter_scores, score_register

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def scores() -> RegisterScores:
    return score_register(read_register_file(sample_register_path()), today=TODAY)


def test_scores_spread_over_every_band(scores: RegisterScores) -> None:
    bands = Counter(s.band for s in scores.suppliers)
    assert set(bands) == set(Band)
    # The sample leaves many suppliers' questionnaires open: they are unassessed, not banded.
    assert bands[Band.UNASSESSED] >= 3, bands
    assert sum(bands[b] for b in (Band.SEVERE, Band.HIGH, Band.MEDIUM)) >= 9, bands
    assert bands[Band.LOW] >= 1, bands


def test_results_honour_the_result_contract(scores: RegisterScores) -> None:
    again = RegisterScores.model_validate(scores.model_dump())
    assert again == scores
    assert RegisterScores.model_validate_json(scores.model_dump_json()) == scores


def test_every_finding_is_explained_and_referenced(scores: RegisterScores) -> None:
    known = set(RULES) | set(default_question_bank().by_id)
    for score in scores.suppliers:
        assert score.data_gaps == [f for f in score.findings if f.data_gap]
        # A mostly-unknown supplier's first finding says so (unassessed, or banded because what
        # is known is already serious); it is the model's, not a rule's.
        mostly_unknown = score.confidence < ScoringConfig().exposure.unassessed_below
        assert (score.findings[0].code == "model.unassessed") == mostly_unknown
        if score.band is Band.UNASSESSED:
            assert mostly_unknown
        for finding in score.findings:
            if finding.code == "model.unassessed":
                assert finding.data_gap
                assert finding.points == 0
                assert finding.reference.startswith("Principle 6:")
                continue
            assert finding.code in known
            assert finding.reference in REFERENCES
            assert finding.explanation.endswith(".")
            assert finding.supplier == score.supplier


def test_suppliers_and_questions_come_highest_priority_first(scores: RegisterScores) -> None:
    priorities = [s.priority for s in scores.suppliers]
    assert priorities == sorted(priorities, reverse=True)
    assert scores.suppliers[0].criticality in (Criticality.STRATEGIC, Criticality.HIGH)
    top = [q.priority for q in scores.top_questions]
    assert top == sorted(top, reverse=True)
    assert {q.key_question for q in scores.top_questions} >= {
        KeyQuestion.IF_WRONG,
        KeyQuestion.CONTRACTING,
    }


def test_rules_that_the_sample_exercises(scores: RegisterScores) -> None:
    fired = {f.code for s in scores.suppliers for f in s.findings if f.code.startswith("rule.")}
    # The sample register is built to show the board the main record rules at work.
    for code in (
        "rule.fixed_scope_bespoke",
        "rule.committed_cloud_spend",
        "rule.auto_renewal",
        "rule.decide_by_passed",
        "rule.decide_by_soon",
        "rule.no_owner",
        "rule.owner_too_junior",
        "rule.review_overdue",
        "rule.lifetime_cost_missing",
    ):
        assert code in fired, code


def _reference_top(scores: RegisterScores, limit: int, per_key: int) -> list[BoardQuestion]:
    """The top list worked out the slow, obvious way."""
    every = sorted((q for s in scores.suppliers for q in s.questions), key=question_order)
    kept: list[BoardQuestion] = []
    for key_question in KeyQuestion:
        kept += [q for q in every if q.key_question is key_question][:per_key]
    kept = sorted(kept, key=question_order)[:limit]
    for q in every:
        if len(kept) >= limit:
            break
        if q not in kept:
            kept.append(q)
    return sorted(kept, key=question_order)


@pytest.mark.parametrize(("limit", "per_key"), [(1, 0), (5, 0), (5, 2), (10, 2), (12, 5), (400, 3)])
def test_top_questions_streaming_matches_reference(
    scores: RegisterScores, limit: int, per_key: int
) -> None:
    expected = _reference_top(scores, limit, per_key)
    assert top_questions(iter(scores.suppliers), limit, per_key) == expected
    if per_key and 3 * per_key <= limit:
        raised = Counter(q.key_question for s in scores.suppliers for q in s.questions)
        kept = Counter(q.key_question for q in expected)
        for key_question, available in raised.items():
            assert kept[key_question] >= min(per_key, available)


def test_iter_scores_streams_the_same_results(scores: RegisterScores) -> None:
    register = read_register_file(sample_register_path())
    streamed = list(iter_scores(register, today=TODAY))
    assert [s.supplier for s in streamed] == [s.name for s in register.suppliers]
    assert sorted(streamed, key=supplier_order) == scores.suppliers


def test_sample_ranking_makes_sense_to_a_cio() -> None:
    # The date docs/scoring.md's top ten was taken on.
    register = read_register_file(sample_register_path())
    ranked = _as_the_app_scores(register)
    kinds = {s.name: (s.category.value, s.criticality) for s in register.suppliers}
    epr = next(s for s in ranked if kinds[s.supplier] == ("epr", Criticality.STRATEGIC))
    pacs = next(s for s in ranked if kinds[s.supplier] == ("imaging_pacs", Criticality.STRATEGIC))
    top_ten = ranked[:10]
    assert epr in top_ten and pacs in top_ten
    low = [s for s in ranked if s.criticality is Criticality.LOW]
    assert low
    for s in low:
        assert s not in top_ten
        assert s.band.rank <= Band.MEDIUM.rank
        assert ranked.index(epr) < ranked.index(s) and ranked.index(pacs) < ranked.index(s)
        assert min(epr.priority, pacs.priority) > s.priority
    known_bad_strategic = [
        s
        for s in ranked
        if s.criticality is Criticality.STRATEGIC and s.band.rank >= Band.HIGH.rank
    ]
    unassessed = [s for s in ranked if s.band is Band.UNASSESSED]
    assert known_bad_strategic and unassessed
    for u in unassessed:
        assert u.confidence < 0.5
        assert all(u.band.rank < s.band.rank for s in known_bad_strategic)


def test_docs_top_ten_and_worked_example_are_what_the_code_gives() -> None:
    # docs/scoring.md quotes figures computed by the code: they must not drift from it.
    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "scoring.md").read_text(encoding="utf-8")
    ranked = _as_the_app_scores(read_register_file(sample_register_path()))
    rows = re.findall(
        r"^\| (\d+) \| ([^|]+?) \| (\w+) \| ([\d.]+) \| (\d+)% \| (\d+)% \| (\d+) (\w+) \|",
        text,
        re.M,
    )
    assert len(rows) == 10
    for (rank, name, crit, impact, exposure, confidence, score, band), s in zip(
        rows, ranked[:10], strict=True
    ):
        assert (name, crit, band) == (s.supplier, s.criticality.value, s.band.value), rank
        assert float(impact) == s.impact
        assert int(score) == s.score
        assert int(exposure) == round(100 * s.exposure)
        assert int(confidence) == round(100 * s.confidence)
    example = next(s for s in ranked if s.supplier == "Calderbrook Laboratory Systems Ltd")
    assert (example.impact, example.score, example.band, example.confidence) == (
        4.2,
        37,
        Band.HIGH,
        1.0,
    )
    assert f"Exposure {100 * example.exposure:.1f}%" in text
    assert f"= **{example.priority:.1f}**" in text


def _as_the_app_scores(register: Register) -> list[SupplierScore]:
    """Every supplier scored on 7 December 2026 (the date docs/scoring.md was taken on) with the
    whole register's context as the application builds it (dependencies included), in order."""
    scorer = Scorer()
    context = ScoringContext.build(
        register.people,
        register.suppliers,
        scorer.config,
        register.services,
        register.dependencies,
    )
    today = dt.date(2026, 12, 7)
    scores = [
        scorer.score(
            supplier,
            [c for c in register.contracts if c.supplier.casefold() == supplier.name.casefold()],
            [a for a in register.answers if a.supplier.casefold() == supplier.name.casefold()],
            today=today,
            context=context,
        )
        for supplier in register.suppliers
    ]
    return sorted(scores, key=supplier_order)


def test_docs_configuration_example_is_the_defaults() -> None:
    # docs/scoring.md's Configuration section shows every table with its default values.
    root = Path(__file__).resolve().parents[2]
    text = (root / "docs" / "scoring.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```toml\n(.*?)^```", text, re.M | re.S)
    data = tomllib.loads(example)
    config = parse_config(data, "docs/scoring.md")
    bank = default_question_bank().by_id
    # The question-weight override restates the bank's own weight: no change.
    assert all(bank[key].weight == weight for key, weight in config.question_weights.items())
    assert config.model_copy(update={"question_weights": {}}) == ScoringConfig()
    # Every trust threshold is shown, so a trust sees what it can set.
    assert set(data["trust"]) == set(TrustThresholds.model_fields)
