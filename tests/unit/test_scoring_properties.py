"""Ordering invariants of score model 2, as hypothesis properties (issue 15).

Small random suppliers (criticality, category, a contract with random facts, random
answers including unknown and unanswered) are scored with the default config and checked
against what the model promises a board: known-bad > unknown > known-good, criticality
first for the same exposure, improving anything never raises risk, one finding never lifts
a low-criticality supplier more than one band, and the figures stay in their ranges.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supplier_register.domain.enums import AnswerValue, Criticality, SupplyCategory
from supplier_register.domain.models import Answer, Contract, Person, Supplier
from supplier_register.scoring import Band, Scorer, SupplierScore
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.engine import supplier_order
from supplier_register.scoring.questions import default_question_bank
from tests.support.scoring_fixtures import NAME, PEOPLE, TODAY, clean_contract

BANK = default_question_bank()
SCORER = Scorer()
CONTEXT = ScoringContext.build([Person.model_validate(p) for p in PEOPLE], config=SCORER.config)
RECENT = dt.date(2025, 6, 1)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CRITICALITIES = sorted(Criticality, key=lambda c: c.rank)  # low first

# Contract facts, each with its good value first: changing one to its good value can only
# remove a finding.
FACTS: dict[str, tuple[Any, ...]] = {
    "auto_renewal": (False, True),
    "break_clause": (True, False, None),
    "exit_assistance_clause": (True, False, None),
    "data_ownership_clause": (True, False, None),
    "milestone_payments": (True, False, None),
    "ip_owner": ("trust", "shared", "supplier", "unknown"),
    "lifetime_cost": (12_000_000, None),
    "notice_period_days": (180, None),
    "contract_type": ("capped_time_and_materials", "fixed_scope_fixed_price"),
    "procurement_route": ("framework", "direct_award"),
}
ANSWERS = (None, AnswerValue.YES, AnswerValue.PARTLY, AnswerValue.NO, AnswerValue.UNKNOWN)
# The model's order of answers, worst first (None: not answered, the same as unknown).
BETTER = {
    AnswerValue.NO: AnswerValue.PARTLY,
    AnswerValue.PARTLY: AnswerValue.UNKNOWN,
    AnswerValue.UNKNOWN: AnswerValue.YES,
    None: AnswerValue.YES,
}


@dataclass(frozen=True)
class Case:
    """A random small supplier: its kind, its contract facts and its answers."""

    category: SupplyCategory
    criticality: Criticality
    facts: dict[str, Any]
    answers: dict[str, AnswerValue | None]
    owner: str | None = "Ada Chief"

    def but(self, **changes: Any) -> Case:
        return replace(self, **changes)

    def score(self) -> SupplierScore:
        supplier = Supplier(
            name=NAME,
            category=self.category,
            criticality=self.criticality,
            owner=self.owner,
            last_review=dt.date(2025, 5, 1),
        )
        contract = Contract.model_validate(clean_contract(**self.facts))
        answers = [
            Answer(supplier=NAME, question_id=qid, answer=value, answered_on=RECENT)
            for qid, value in self.answers.items()
            if value is not None
        ]
        return SCORER.score(supplier, [contract], answers, today=TODAY, context=CONTEXT)


@st.composite
def cases(
    draw: st.DrawFn,
    criticality: Criticality | None = None,
    answer_values: tuple[AnswerValue | None, ...] = ANSWERS,
    facts: bool = True,
) -> Case:
    """A random supplier; questions not drawn are answered 'yes' so examples stay small."""
    category = draw(st.sampled_from(list(SupplyCategory)))
    crit = criticality or draw(st.sampled_from(CRITICALITIES))
    drawn = draw(
        st.dictionaries(
            st.sampled_from([q.id for q in BANK.questions]),
            st.sampled_from(answer_values),
            max_size=8,
        )
    )
    answers: dict[str, AnswerValue | None] = {q.id: AnswerValue.YES for q in BANK.questions}
    answers.update(drawn)
    chosen: dict[str, Any] = {}
    if facts:
        for name in draw(st.lists(st.sampled_from(sorted(FACTS)), max_size=3, unique=True)):
            chosen[name] = draw(st.sampled_from(FACTS[name]))
    return Case(category, crit, chosen, answers)


def applicable(case: Case) -> list[str]:
    return [q.id for q in BANK.questions if q.applies(case.category, case.criticality)]


@FAST
@given(case=cases(facts=False), data=st.data())
def test_known_bad_above_unknown_above_known_good(case: Case, data: st.DataObject) -> None:
    ids = applicable(case)
    assume(ids)
    chosen = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))

    def answered(value: AnswerValue) -> SupplierScore:
        return case.but(answers={**case.answers, **dict.fromkeys(chosen, value)}).score()

    bad, unknown, good = (
        answered(AnswerValue.NO),
        answered(AnswerValue.UNKNOWN),
        answered(AnswerValue.YES),
    )
    assert bad.impact == unknown.impact == good.impact
    assert bad.priority >= unknown.priority >= good.priority
    assert bad.exposure > unknown.exposure > good.exposure
    assert unknown.confidence < min(bad.confidence, good.confidence)
    if sum(v is not AnswerValue.YES for v in case.answers.values()) <= 2:
        # Beside few other findings the order is strict in the risk itself.
        assert bad.priority > unknown.priority > good.priority


@FAST
@given(case=cases(), lower=st.sampled_from(CRITICALITIES[:-1]), data=st.data())
def test_higher_criticality_ranks_first_for_the_same_or_worse_exposure(
    case: Case, lower: Criticality, data: st.DataObject
) -> None:
    higher = data.draw(st.sampled_from([c for c in CRITICALITIES if c.rank > lower.rank]))
    low = case.but(criticality=lower).score()
    high = case.but(criticality=higher).score()
    assert high.impact > low.impact
    # Only the criticality differs; which questions apply may differ with it, so the
    # exposure may too: where the higher one's is the same or worse, it ranks first.
    assume(high.exposure >= low.exposure)
    assert supplier_order(high) < supplier_order(low)
    if low.exposure > 0:
        assert high.priority > low.priority


@FAST
@given(first=cases(), second=cases())
def test_no_lower_criticality_outranks_a_higher_one_with_the_same_or_worse_exposure(
    first: Case, second: Case
) -> None:
    a, b = first.score(), second.score()
    if a.criticality.rank < b.criticality.rank:
        a, b = b, a
    assume(a.criticality.rank > b.criticality.rank and a.exposure >= b.exposure)
    assert supplier_order(a) < supplier_order(b)
    assert a.priority >= b.priority


@FAST
@given(case=cases(), data=st.data())
def test_improving_one_answer_never_raises_the_risk(case: Case, data: st.DataObject) -> None:
    qid = data.draw(st.sampled_from(sorted(case.answers)))
    value = data.draw(st.sampled_from(list(BETTER)))
    before = case.but(answers={**case.answers, qid: value}).score()
    after = case.but(answers={**case.answers, qid: BETTER[value]}).score()
    assert after.exposure <= before.exposure
    assert after.priority <= before.priority
    assert after.score <= before.score
    assert after.risk_low <= before.risk_low or BETTER[value] is AnswerValue.UNKNOWN
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert new.score <= old.score


@FAST
@given(case=cases(), fact=st.sampled_from(sorted(FACTS)))
def test_a_fact_that_removes_a_finding_never_raises_the_risk(case: Case, fact: str) -> None:
    before = case.score()
    after = case.but(facts={**case.facts, fact: FACTS[fact][0]}).score()
    codes_before = {(f.code, f.contract) for f in before.findings}
    assert {(f.code, f.contract) for f in after.findings} <= codes_before
    assert after.exposure <= before.exposure
    assert after.priority <= before.priority


@FAST
@given(case=cases(criticality=Criticality.LOW, answer_values=(AnswerValue.YES,), facts=False))
def test_one_finding_lifts_a_low_criticality_supplier_at_most_one_band(case: Case) -> None:
    clean = case.score()
    assert [f for f in clean.findings if f.points > 0] == []
    assert clean.band is Band.LOW
    ids = applicable(case)
    assume(ids)
    for value in (AnswerValue.NO, AnswerValue.PARTLY):
        for qid in ids:
            one = case.but(answers={**case.answers, qid: value}).score()
            assert len([f for f in one.findings if f.points > 0]) == 1
            assert one.band.rank <= Band.MEDIUM.rank
    for fact, values in FACTS.items():
        for bad in values[1:]:
            one = case.but(facts={fact: bad}).score()
            if len([f for f in one.findings if f.points > 0]) == 1:
                assert one.band.rank <= Band.MEDIUM.rank


@FAST
@given(case=cases())
def test_figures_stay_in_their_ranges(case: Case) -> None:
    score = case.score()
    assert 0 <= score.exposure <= 1
    assert 0 <= score.confidence <= 1
    assert score.risk_low <= score.score <= score.risk_high
    assert abs(score.score - score.priority) <= 0.5 + 1e-9
    base = SCORER.config.impact.base[case.criticality]
    assert base <= score.impact <= base + SCORER.config.impact.max_uplift
    if case.criticality is Criticality.LOW:
        assert score.risk_high < SCORER.config.bands.high
        assert score.band.rank <= Band.MEDIUM.rank
    assert (score.band is Band.UNASSESSED) == (
        score.confidence < SCORER.config.exposure.unassessed_below
    )


def test_partly_to_unknown_beside_many_weaknesses_does_not_raise_the_risk() -> None:
    # Found by the property above over whole questionnaires: when the exposure averaged
    # the known weaknesses' combination with that of every finding as if bad, a 'partly'
    # deep among many known weaknesses turned 'unknown' ranked higher among them all and
    # raised the risk.  Unknowns now count in the same combination at a share of their
    # severity, which is never more than the 'partly' they replace.
    weak = {
        "buying.change_requests_priced": "no",
        "buying.lifetime_costs": "partly",
        "expertise.value_not_price": "partly",
        "expertise.client_side": "partly",
        "turnkey.claims_verified": "no",
        "options.open_formats": "partly",
        "options.standards_in_contract": "no",
        "options.export_tested": "no",
        "options.dependence_limited": "no",
        "options.other_trusts_linked": "no",
        "exit.plan_exists": "partly",
        "exit.plan_tested": "partly",
        "exit.continuity_assured": "partly",
        "relationship.help_and_cost": "no",
        "relationship.tailored_approach": "no",
        "relationship.transparency": "no",
        "relationship.leverage_used": "no",
    }
    answers: dict[str, AnswerValue | None] = {q.id: AnswerValue.YES for q in BANK.questions}
    answers.update({qid: AnswerValue(value) for qid, value in weak.items()})
    case = Case(SupplyCategory.EPR, Criticality.STRATEGIC, {}, answers)
    before = case.score()
    after = case.but(answers={**answers, "expertise.client_side": AnswerValue.UNKNOWN}).score()
    assert after.exposure <= before.exposure
    assert after.priority <= before.priority
