"""The trust's own findings as board questions (issue 15, point 5): one question per finding
that is not a data gap, ranked with the suppliers' questions by one priority (the trust's
question impact x severity x the points scale), and merged into the register's top lists
exactly as if every question had been ranked together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain.enums import (
    ContractType,
    Criticality,
    ProcurementRoute,
    PurchaseKind,
    SupplyCategory,
)
from supplier_register.domain.models import Contract, Register, Supplier, TrustProfile
from supplier_register.scoring import BoardQuestion, KeyQuestion, ScoringConfig
from supplier_register.scoring.engine import question_order
from supplier_register.scoring.trust import TrustThresholds, trust_findings
from supplier_register.services.register_scoring import RegisterScoring, prepare_scoring
from supplier_register.services.register_view import Scoring, read_records
from supplier_register.services.trust_board import (
    TRUST_SUBJECT,
    _top,
    trust_headline,
    trust_questions,
)
from supplier_register.storage import Repository, open_database
from tests.support.scoring_fixtures import (
    PEOPLE,
    clean_contract,
    clean_supplier,
    yes_answers,
)

TODAY = dt.date(2025, 6, 30)
POINTS = 10.0
"""The exposure's default points scale."""


def contractors(digital: int, hired: int) -> TrustProfile:
    return TrustProfile(
        digital_staff=Decimal(digital), contractors=Decimal(hired), commercial_staff=Decimal(5)
    )


def answers(supplier: str, no: int) -> list[dict[str, Any]]:
    """Every question answered, the first ``no`` of them 'no'."""
    given = yes_answers(supplier)
    for answer in given[:no]:
        answer["answer"] = "no"
    return given


EXIT_WEAKNESSES = ("exit.plan_exists", "options.bulk_export", "options.dependence_limited")


def register() -> Register:
    """A strategic supplier (shared with a partner trust) whose decide-by date has passed and
    which has no exit plan and cannot get its data out, and a low-criticality one with a single
    weakness, both otherwise clean."""
    strategic, low = "Strategic EPR Ltd", "Low Print Ltd"
    return Register.model_validate(
        {
            "people": PEOPLE,
            "suppliers": [
                clean_supplier(strategic, shared_with=["Fellside Hospitals NHS FT"]),
                clean_supplier(low, criticality="low", category="other", annual_spend=20_000),
            ],
            "contracts": [
                clean_contract(strategic, "EPR", end_date="2025-12-31"),  # decide-by passed
                clean_contract(low, "Print", annual_value=20_000, lifetime_cost=80_000),
            ],
            "answers": [
                dict(a, answer="no") if a["question_id"] in EXIT_WEAKNESSES else a
                for a in answers(strategic, 0)
            ]
            + answers(low, 1),
        }
    )


@pytest.fixture
def scoring(tmp_path: Path) -> Any:
    db = open_database(tmp_path / "r.db")
    repo = Repository(db)
    repo.import_register(register())
    repo.save_profile(contractors(34, 16), 0)  # 32% of the digital team
    try:
        yield prepare_scoring(db, TODAY)
    finally:
        db.close()


def every_question(scoring: RegisterScoring) -> list[BoardQuestion]:
    return [q for _, s in scoring.iter_full_scores(scoring.suppliers) for q in s.questions]


def test_a_finding_that_is_not_a_gap_is_one_question_about_the_trust() -> None:
    found = trust_findings(contractors(34, 16), [], [], TODAY)
    asked = trust_questions(found, TrustThresholds(), POINTS)
    assert [f.code for f in found] == ["trust.contractor_dependence"]
    (question,) = asked
    assert question.scope == "trust"
    assert question.supplier == TRUST_SUBJECT
    assert question.key_question is KeyQuestion.SKILLS
    assert question.supplier_id is None
    assert question.finding_codes == ["trust.contractor_dependence"]
    assert question.text == (
        "Contractors and interims are 32% of our digital team (16 FTE beside 34 FTE "
        "in-house): what is our plan to build in-house skills?"
    )
    # question impact 4 (a strategic supplier's) x severity x the points scale
    assert question.priority == pytest.approx(4.0 * found[0].severity * POINTS)


def test_a_supplier_providing_people_is_named_in_the_question() -> None:
    # A strategic staff-augmentation supplier and a small in-house team (contractors below
    # the share that raises the finding alone): the question names the supplier, not the share.
    profile = contractors(5, 1)
    people = Supplier(
        name="Interim Co", category=SupplyCategory.OTHER, criticality=Criticality.STRATEGIC
    )
    live = [
        Contract(
            supplier="Interim Co",
            title="Interims",
            what_is_bought=PurchaseKind.STAFF_AUGMENTATION,
            contract_type=ContractType.UNKNOWN,
            # so that only the people it provides can raise anything
            procurement_route=ProcurementRoute.JOINT_PROCUREMENT,
            annual_value=Decimal(300_000),
        )
    ]
    found = trust_findings(profile, [people], live, TODAY)
    (question,) = trust_questions(found, TrustThresholds(), POINTS)
    assert question.text == (
        "Our digital team relies on people from Interim Co under staff-augmentation "
        "contracts, while our own team is 5 FTE, with contractors and interims 17% of it: "
        "what is our plan to build in-house skills?"
    )


def test_no_sme_question_says_what_is_recorded() -> None:
    # Suppliers not marked as SMEs may still be SMEs: the question says "recorded as".
    many = [
        Supplier(
            name=f"Supplier {i}",
            category=SupplyCategory.OTHER,
            criticality=Criticality.LOW,
            sme=False,
        )
        for i in range(TrustThresholds().sme_min_suppliers)
    ]
    found = [f for f in trust_findings(contractors(34, 0), many, [], TODAY) if not f.data_gap]
    assert [f.code for f in found] == ["trust.no_smes"]
    assert found[0].title == "No supplier recorded as small or medium-sized"
    (question,) = trust_questions(found, TrustThresholds(), POINTS)
    assert question.text == (
        f"None of our {len(many)} suppliers is recorded as a small or medium-sized enterprise: "
        "are we missing skilled SMEs and lower-cost technology?"
    )
    assert trust_headline(found) == "no supplier recorded as an SME"


def test_a_data_gap_is_no_question_for_the_board() -> None:
    found = trust_findings(None, [], [], TODAY)
    assert found and all(f.data_gap for f in found)
    assert trust_questions(found, TrustThresholds(), POINTS) == []


def test_the_question_impact_is_a_setting() -> None:
    found = trust_findings(contractors(34, 16), [], [], TODAY)
    (default,) = trust_questions(found, TrustThresholds(), POINTS)
    (halved,) = trust_questions(found, TrustThresholds(question_impact=2.0), POINTS)
    assert halved.priority == pytest.approx(default.priority / 2)
    with pytest.raises(ValueError, match="question_impact"):
        TrustThresholds(question_impact=0.5)


def test_ranked_between_a_low_supplier_and_a_severe_strategic_one(
    scoring: RegisterScoring,
) -> None:
    found = scoring.trust_findings()
    overview = scoring.overview(question_limit=500, trust_findings=found)
    order = [q.supplier for q in overview.top_questions]
    trust_at = order.index(TRUST_SUBJECT)
    assert order[0] == "Strategic EPR Ltd"  # a severe strategic question outranks it
    assert "Low Print Ltd" in order[trust_at + 1 :]  # it outranks the low supplier's
    assert "Low Print Ltd" not in order[:trust_at]
    plain = scoring.overview(question_limit=500)
    assert overview.question_counts[KeyQuestion.SKILLS] == (
        plain.question_counts[KeyQuestion.SKILLS] + 1
    )
    assert len(overview.top_questions) == len(plain.top_questions) + 1


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 8])
def test_top_list_is_that_of_every_question_ranked_together(
    scoring: RegisterScoring, limit: int
) -> None:
    found = scoring.trust_findings()
    per_key = scoring.scorer.config.top_questions_per_key
    overview = scoring.overview(question_limit=limit, trust_findings=found, ranked_per_key=3)
    asked = trust_questions(found, TrustThresholds(), POINTS)
    everything = [*every_question(scoring), *asked]
    assert overview.top_questions == _top(everything, limit, per_key)
    for key in KeyQuestion:
        under = sorted((q for q in everything if q.key_question is key), key=question_order)
        assert overview.ranked_questions[key] == under[:3]


def test_cached_runs_give_the_same_list(scoring: RegisterScoring) -> None:
    found = scoring.trust_findings()
    first = scoring.overview(question_limit=6, trust_findings=found)
    again = scoring.overview(question_limit=6, trust_findings=found)  # from the score cache
    assert again.top_questions == first.top_questions
    assert any(q.scope == "trust" for q in again.top_questions)


def test_headline_names_each_finding_with_its_figure() -> None:
    found = trust_findings(contractors(34, 16), [], [], TODAY)
    assert trust_headline(found) == "contractor dependence 32%"
    assert trust_headline(trust_findings(None, [], [], TODAY)) == "staffing not recorded"
    assert trust_headline([]) == ""


def test_the_scoring_configs_trust_table_sets_the_thresholds(
    scoring: RegisterScoring, tmp_path: Path
) -> None:
    # The profile's contractors are 32% of the digital team: a finding from 30%, not from 50%.
    raised = ScoringConfig(trust=TrustThresholds(contractor_share=0.5))
    assert [f.code for f in scoring.trust_findings()] == ["trust.contractor_dependence"]
    assert prepare_scoring(scoring.db, TODAY, config=raised).trust_findings() == []
    # The app's scoring, of the whole register and again after a change to one supplier.
    records = read_records(tmp_path / "r.db")
    supplier = records.suppliers[0]
    patched = records.patched(supplier.id, supplier, *records.own(supplier.id))
    skills: dict[int, list[int]] = {}
    for config, expected in ((ScoringConfig(), 1), (raised, 0)):
        app = Scoring(config)
        scores = app.score_all(records, TODAY)
        assert len([f for f in scores.trust or [] if not f.data_gap]) == expected
        again = app.rescore(scores, records, patched, {supplier.id}, TODAY)
        assert again is not None
        for result in (scores, again):
            asked = [q for key in KeyQuestion for q in result.board.ranked[key]]
            assert len([q for q in asked if q.scope == "trust"]) == expected
        skills[expected] = [r.board.counts[KeyQuestion.SKILLS] for r in (scores, again)]
    assert skills[1] == [count + 1 for count in skills[0]]
