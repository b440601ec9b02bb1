"""The cheap whole-register path (overviews) gives exactly what full scoring gives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from supplier_register.domain.models import Register
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import KeyQuestion, Scorer, ScoringConfig, SupplierOverview
from supplier_register.scoring.engine import question_order
from supplier_register.scoring.results import Dimension, FindingHead, RegisterScores
from tests.support.oracles import overview_register, score_register

DAYS = (dt.date(2025, 6, 30), dt.date(2026, 11, 26), dt.date(2028, 2, 29))


@pytest.fixture(scope="module")
def sample() -> Register:
    return read_register_file(sample_register_path())


@pytest.fixture(scope="module")
def synthetic() -> Register:
    return generate_register(400, seed=7, today=dt.date(2026, 3, 1))


def _check_same(register: Register, today: dt.date, config: ScoringConfig | None = None) -> None:
    full = score_register(register, today=today, config=config)
    scorer = Scorer(config)
    cheap = overview_register(
        register, today=today, scorer=scorer, top_findings=5, ranked_per_key=40
    )
    assert cheap.today == today
    assert cheap.suppliers == [SupplierOverview.of(s, 5) for s in full.suppliers]
    assert cheap.top_questions == full.top_questions
    every = sorted((q for s in full.suppliers for q in s.questions), key=question_order)
    for key_question in KeyQuestion:
        under = [q for q in every if q.key_question is key_question]
        assert cheap.question_counts[key_question] == len(under)
        assert cheap.ranked_questions[key_question] == under[:40]
    _check_one_by_one(register, today, scorer, cheap.context, full)


def _check_one_by_one(
    register: Register, today: dt.date, scorer: Scorer, context: object, full: RegisterScores
) -> None:
    """Scoring any one supplier with the overview's context gives its full score."""
    contracts = defaultdict(list)
    for c in register.contracts:
        contracts[c.supplier.casefold()].append(c)
    answers = defaultdict(list)
    for a in register.answers:
        answers[a.supplier.casefold()].append(a)
    by_name = {s.name: s for s in register.suppliers}
    for expected in full.suppliers[:: max(1, len(full.suppliers) // 25)]:
        supplier = by_name[expected.supplier]
        key = supplier.name.casefold()
        args = (supplier, contracts[key], answers[key])
        assert scorer.score(*args, today=today, context=context) == expected  # type: ignore[arg-type]
        overview = scorer.overview(*args, today=today, context=context)  # type: ignore[arg-type]
        assert overview == SupplierOverview.of(expected)


@pytest.mark.parametrize("today", DAYS)
def test_sample_overviews_match_full_scores(sample: Register, today: dt.date) -> None:
    _check_same(sample, today)


@pytest.mark.parametrize("today", DAYS)
def test_synthetic_overviews_match_full_scores(synthetic: Register, today: dt.date) -> None:
    _check_same(synthetic, today)


def test_overviews_follow_the_config(sample: Register) -> None:
    config = ScoringConfig.model_validate(
        {
            "top_questions": 30,
            "top_questions_per_key": 7,
            "impact": {"base": {"low": 1.4, "medium": 2.1}, "max_uplift": 0.3},
            "exposure": {"unknown_share": 0.4, "further_share": 0.5, "points_scale": 6},
            "dimension_weights": {"exit": 3.0},
            "rule_weights": {"rule.auto_renewal": 0},
            "answer_factors": {"yes": 0.1, "unknown": 1.0},
        }
    )
    _check_same(sample, DAYS[1], config)


def test_overview_names_the_most_serious_findings(sample: Register) -> None:
    full = score_register(sample, today=DAYS[1])
    first = full.suppliers[0]
    overview = SupplierOverview.of(first)
    assert overview.finding_count == len(first.findings) > 3
    assert overview.top_findings == tuple(
        FindingHead(f.title, f.contract) for f in first.findings[:3]
    )
    assert overview.top_finding is not None
    assert overview.top_finding.title == first.findings[0].title
    assert overview.data_gap_count == len(first.data_gaps)
    assert overview.question_count == len(first.questions)
    assert overview.dimensions == {d.dimension: d.score for d in first.dimensions}
    assert list(overview.dimensions) == list(Dimension)
    with_contract = next(f for f in first.findings if f.contract)
    head = FindingHead(with_contract.title, with_contract.contract)
    assert head.headline == f"{with_contract.title} ({with_contract.contract})"
    assert FindingHead("Auto-renews", None).headline == "Auto-renews"


def test_empty_register_has_nothing_to_ask() -> None:
    cheap = overview_register(Register(), today=DAYS[0])
    assert cheap.suppliers == [] and cheap.top_questions == []
    assert cheap.question_counts == dict.fromkeys(KeyQuestion, 0)
    assert all(not q for q in cheap.ranked_questions.values())
