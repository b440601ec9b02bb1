"""Every record rule fires on a register that should trigger it and stays quiet on a near miss."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from supplier_register.scoring.engine import DECISION_CODES
from supplier_register.scoring.rules import REFERENCES, RULES
from tests.support.scoring_fixtures import (
    NAME,
    change_supplier,
    clean_contract,
    clean_register,
    clean_supplier,
    codes,
    score_of,
    yes_answers,
)

Data = dict[str, Any]
Mutation = Callable[[Data], None]


def supplier(**changes: Any) -> Mutation:
    def mutate(data: Data) -> None:
        change_supplier(data["suppliers"][0], **changes)

    return mutate


def contract(**changes: Any) -> Mutation:
    def mutate(data: Data) -> None:
        data["contracts"][0].update(changes)

    return mutate


def both(*mutations: Mutation) -> Mutation:
    def mutate(data: Data) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


def answered(question_id: str, value: str = "no") -> Mutation:
    def mutate(data: Data) -> None:
        for answer in data["answers"]:
            if answer["question_id"] == question_id:
                answer["answer"] = value

    return mutate


def extra_contracts(count: int, **changes: Any) -> Mutation:
    def mutate(data: Data) -> None:
        for i in range(count):
            data["contracts"].append(clean_contract(title=f"Extra {i}", **changes))

    return mutate


def services_supported(count: int) -> Mutation:
    """The register runs ``count`` (non-clinical) services, all supported by the first contract."""

    def mutate(data: Data) -> None:
        names = [f"Service {i}" for i in range(count)]
        data["services"] = [{"name": name, "clinical": False} for name in names]
        data["contracts"][0]["services"] = names

    return mutate


def ceo_owns(count: int) -> Mutation:
    """The chief executive owns the clean supplier plus ``count - 1`` smaller ones."""

    def mutate(data: Data) -> None:
        for i in range(count - 1):
            name = f"Big {i}"
            data["suppliers"].append(
                clean_supplier(name, annual_spend=5_000_000 + i, owner="Ada Chief")
            )
            data["contracts"].append(clean_contract(name))
            data["answers"].extend(yes_answers(name))
        data["suppliers"][0].update(criticality="medium", annual_spend=10)

    return mutate


def strategic_rank(position: int) -> Mutation:
    """Make the clean supplier the ``position``-th biggest strategic supplier (1-based)."""

    def mutate(data: Data) -> None:
        for i in range(position - 1):
            name = f"Bigger {i}"
            data["suppliers"].append(
                clean_supplier(name, annual_spend=9_000_000 + i, owner="Ada Chief")
            )
            data["contracts"].append(clean_contract(name))
            data["answers"].extend(yes_answers(name))

    return mutate


# Each rule: (mutation that triggers it, near-miss mutation that must not).
CASES: dict[str, tuple[Mutation, Mutation]] = {
    "rule.fixed_scope_bespoke": (
        contract(contract_type="fixed_scope_fixed_price"),
        contract(contract_type="fixed_scope_fixed_price", what_is_bought="configurable_product"),
    ),
    "rule.committed_cloud_spend": (
        contract(contract_type="committed_cloud_spend", start_date="2024-01-01"),
        contract(
            contract_type="committed_cloud_spend",
            start_date="2025-01-01",
            end_date="2025-12-31",
            notice_period_days=0,
            migration_lead_time_days=0,
        ),
    ),
    "rule.auto_renewal": (
        contract(auto_renewal=True),
        # An auto-renewing contract whose term has ended is term_ended's business.
        both(contract(auto_renewal=True, start_date="2020-01-01", end_date="2025-01-01")),
    ),
    "rule.decide_by_passed": (
        # 2025-12-31 - 180 - 365 days = 2024-07-04, before today.
        contract(end_date="2025-12-31"),
        # Decide-by exactly today has not passed.
        contract(end_date="2025-12-27", notice_period_days=180, migration_lead_time_days=0),
    ),
    "rule.decide_by_soon": (
        contract(end_date="2026-12-31"),  # decide-by 2025-07-04, in 4 days
        # decide-by 183 days away, just beyond two quarters (182 days).
        contract(end_date="2025-12-30", notice_period_days=0, migration_lead_time_days=0),
    ),
    "rule.term_ended": (
        contract(start_date="2020-01-01", end_date="2025-01-01", auto_renewal=True),
        # Ended without renewing: the service runs without a contract (rule.ended_in_use).
        contract(start_date="2020-01-01", end_date="2025-01-01"),
    ),
    "rule.ended_in_use": (
        contract(start_date="2020-01-01", end_date="2025-01-01"),
        both(
            contract(start_date="2020-01-01", end_date="2025-01-01"),
            extra_contracts(1),  # a current contract exists; the old one is history
        ),
    ),
    "rule.exit_dates_unknown": (
        contract(notice_period_days=None),
        contract(notice_period_days=None, what_is_bought="commodity"),
    ),
    "rule.no_owner": (supplier(owner=None), supplier(owner="Ben Digital")),
    "rule.owner_too_junior": (
        supplier(criticality="high", owner="Cat Manager"),
        supplier(criticality="high", owner="Ben Digital"),
    ),
    "rule.ceo_span": (ceo_owns(4), ceo_owns(3)),
    "rule.review_overdue": (
        supplier(last_review="2024-12-01"),  # strategic: every 3 months
        supplier(last_review="2024-12-01", review_cadence_months=12),
    ),
    "rule.lifetime_cost_missing": (
        contract(lifetime_cost=None),
        both(contract(lifetime_cost=None), supplier(criticality="medium", owner="Cat Manager")),
    ),
    "rule.concentration": (
        services_supported(3),  # three services behind one contract
        both(
            services_supported(3),
            supplier(criticality="low", runs_clinical_systems=False, owner="Cat Manager"),
        ),
    ),
    "rule.contract_terms_unknown": (
        contract(contract_type="unknown"),
        contract(contract_type="unknown", start_date="2020-01-01", end_date="2021-01-01"),
    ),
    "rule.no_contract": (
        lambda data: data["contracts"].clear(),
        contract(start_date="2020-01-01", end_date="2021-01-01"),
    ),
    "rule.no_exit_assistance": (
        contract(exit_assistance_clause=False),
        both(
            contract(exit_assistance_clause=False),
            supplier(criticality="low", owner="Cat Manager", runs_clinical_systems=False),
        ),
    ),
    "rule.no_data_ownership": (
        contract(data_ownership_clause=False),
        contract(data_ownership_clause=False, what_is_bought="staff_augmentation"),
    ),
    "rule.supplier_owns_ip": (
        contract(ip_owner="supplier"),
        contract(ip_owner="supplier", what_is_bought="configurable_product"),
    ),
    "rule.payments_not_leveraged": (
        contract(milestone_payments=False),
        contract(milestone_payments=False, what_is_bought="configurable_product"),
    ),
    "rule.no_break_clause": (
        contract(break_clause=False),
        contract(break_clause=False, start_date="2024-01-01", end_date="2026-12-31"),
    ),
    "rule.clinical_safety_case": (
        supplier(clinical_safety_case=False),
        supplier(clinical_safety_case=False, runs_clinical_systems=False),
    ),
    "rule.dspt": (
        supplier(dspt_status="standards_not_met"),
        supplier(dspt_status="standards_not_met", category="devices"),
    ),
    "rule.cyber_essentials": (
        supplier(cyber_essentials="none"),
        supplier(cyber_essentials="none", criticality="low", owner="Cat Manager"),
    ),
    "rule.assurance_lapsed": (
        supplier(cyber_essentials_expiry="2025-06-29"),
        supplier(cyber_essentials_expiry="2025-06-29", criticality="low", owner="Cat Manager"),
    ),
    "rule.fake_off_the_shelf": (
        # A product bought off the shelf beside the customisation of it (the clean contract).
        extra_contracts(1, what_is_bought="configurable_product"),
        both(
            extra_contracts(1, what_is_bought="configurable_product"),
            contract(what_is_bought="managed_service"),
        ),
    ),
    "rule.partner_trusts": (
        both(
            supplier(shared_with=["Northgate NHS Trust"]), answered("options.other_trusts_linked")
        ),
        both(
            supplier(
                shared_with=["Northgate NHS Trust"], criticality="medium", owner="Cat Manager"
            ),
            answered("options.other_trusts_linked"),
        ),
    ),
    "rule.no_further_competition": (
        contract(competition="framework_direct_award"),
        contract(competition="framework_direct_award", what_is_bought="commodity"),
    ),
    "rule.direct_award": (
        contract(procurement_route="direct_award"),
        contract(procurement_route="direct_award", what_is_bought="commodity"),
    ),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


def test_clean_register_raises_nothing() -> None:
    score = score_of(clean_register())
    assert score.findings == []
    assert score.score == 0
    assert score.band == "low"
    assert score.questions == []


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code: str) -> None:
    data = clean_register()
    CASES[code][0](data)
    score = score_of(data)
    hits = [f for f in score.findings if f.code == code]
    assert hits, f"{code} did not fire"
    rule = RULES[code]
    for finding in hits:
        assert finding.points > 0
        assert finding.dimension is rule.dimension
        assert finding.key_question is rule.key_question
        assert finding.reference == rule.reference
        assert finding.explanation.endswith(".")
        assert finding.supplier == NAME
    if code in DECISION_CODES:
        # A time-bound finding is a decision for the board, not a question.
        assert not [q for q in score.questions if code in q.finding_codes]
        titles = {f.contract for f in hits}
        assert titles <= {d.contract for d in score.decisions}
        return
    if all(f.data_gap for f in hits):
        # Something unknown is the CIO's team's to find out: a management action.
        assert not [q for q in score.questions if code in q.finding_codes]
        assert score.gap_phrases
        return
    # Its board question names the supplier and cites the finding.
    asked = [q for q in score.questions if code in q.finding_codes]
    assert len(asked) == 1
    assert all(NAME in q.text and q.text.endswith("?") for q in asked)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_near_miss_stays_quiet(code: str) -> None:
    data = clean_register()
    CASES[code][1](data)
    assert code not in codes(score_of(data))


def test_rules_cite_principle_six() -> None:
    for rule in RULES.values():
        assert rule.reference in REFERENCES
        assert rule.code.startswith("rule.")


# --- details of individual rules ------------------------------------------------------------


def test_decide_by_passed_explains_the_arithmetic() -> None:
    data = clean_register()
    contract(end_date="2025-12-31")(data)
    finding = next(f for f in score_of(data).findings if f.code == "rule.decide_by_passed")
    assert finding.contract == "EPR"
    assert "4 July 2024" in finding.explanation
    assert "180 days' notice" in finding.explanation
    assert "365 days to move" in finding.explanation


def test_decide_by_soon_is_reported_as_next_decision() -> None:
    data = clean_register()
    contract(end_date="2026-12-31")(data)
    score = score_of(data)
    assert str(score.next_decide_by) == "2025-07-04"
    assert score.next_decide_by_contract == "EPR"


@pytest.mark.parametrize(
    ("mutation", "code"),
    [
        (contract(exit_assistance_clause=None), "rule.no_exit_assistance"),
        (contract(data_ownership_clause=None), "rule.no_data_ownership"),
        (contract(ip_owner="unknown"), "rule.supplier_owns_ip"),
        (contract(milestone_payments=None), "rule.payments_not_leveraged"),
        (contract(break_clause=None), "rule.no_break_clause"),
        (contract(lifetime_cost=None), "rule.lifetime_cost_missing"),
        (contract(migration_lead_time_days=None), "rule.exit_dates_unknown"),
        (supplier(clinical_safety_case=None), "rule.clinical_safety_case"),
        (supplier(dspt_status="unknown"), "rule.dspt"),
        (supplier(cyber_essentials="unknown"), "rule.cyber_essentials"),
        (supplier(cyber_essentials_expiry=None), "rule.assurance_lapsed"),
        (supplier(dspt_year=None), "rule.assurance_lapsed"),
        (supplier(dtac_date=None), "rule.assurance_lapsed"),
        (supplier(clinical_safety_case_date=None), "rule.assurance_lapsed"),
        (supplier(last_review=None), "rule.review_overdue"),
        (supplier(owner="Nobody Known"), "rule.owner_too_junior"),
        (
            contract(start_date="2020-01-01", end_date="2025-01-01", auto_renewal=True),
            "rule.term_ended",
        ),
        (lambda data: data["contracts"].clear(), "rule.no_contract"),
        (contract(what_is_bought="unknown"), "rule.contract_terms_unknown"),
        (contract(competition="unknown"), "rule.no_further_competition"),
    ],
)
def test_unknown_facts_are_data_gaps(mutation: Mutation, code: str) -> None:
    data = clean_register()
    mutation(data)
    score = score_of(data)
    gaps = [f for f in score.data_gaps if f.code == code]
    assert gaps, code
    assert all(f.data_gap and f.title.startswith("Not known") for f in gaps)
    # Unknowns are never put to the board: they are found out by the CIO's team, and the
    # supplier's overview names the most important of them for that management action.
    assert not [q for q in score.questions if code in q.finding_codes]
    assert not [q for q in score.questions if "do not yet know" in q.text]
    assert gaps[0].code and score.gap_priority > 0
    assert score.gap_phrases


def test_strategic_supplier_outside_ceo_tier_may_be_held_by_cio() -> None:
    data = clean_register()
    supplier(owner="Ben Digital")(data)
    assert "rule.owner_too_junior" in codes(score_of(data))  # top strategic: needs the CEO
    data = clean_register()
    both(supplier(owner="Ben Digital"), strategic_rank(4))(data)
    assert "rule.owner_too_junior" not in codes(score_of(data))


def test_ceo_span_flags_only_the_least_important() -> None:
    data = clean_register()
    ceo_owns(4)(data)
    flagged = {
        s.supplier for s in _all_scores(data) if any(f.code == "rule.ceo_span" for f in s.findings)
    }
    assert flagged == {NAME}


def test_review_overdue_grows_when_two_reviews_are_missed() -> None:
    once, twice = clean_register(), clean_register()
    supplier(last_review="2025-03-01")(once)  # due 2025-06-01
    supplier(last_review="2024-06-01")(twice)  # due 2024-09-01, then 2024-12-01
    points_once = next(f.points for f in score_of(once).findings if f.code == "rule.review_overdue")
    points_twice = next(
        f.points for f in score_of(twice).findings if f.code == "rule.review_overdue"
    )
    assert 0 < points_once < points_twice


def test_contracts_sharing_a_rule_share_one_board_question() -> None:
    data = clean_register()
    contract(auto_renewal=True)(data)
    extra_contracts(1, auto_renewal=True)(data)
    score = score_of(data)
    assert sum(f.code == "rule.auto_renewal" for f in score.findings) == 2
    asked = [q for q in score.questions if "rule.auto_renewal" in q.finding_codes]
    assert len(asked) == 1
    assert "'EPR' and 'Extra 0' renew automatically" in asked[0].text


def _all_scores(data: Data) -> list[Any]:
    import datetime as dt

    from supplier_register.domain.models import Register
    from tests.support.oracles import score_register

    return score_register(Register.model_validate(data), today=dt.date(2025, 6, 30)).suppliers


def test_a_term_of_about_one_year_reads_in_the_singular() -> None:
    # 13 months of committed cloud spend: "for 1 year", never "for 1 years".
    data = clean_register()
    contract(
        contract_type="committed_cloud_spend",
        start_date="2025-01-01",
        end_date="2026-01-20",
        notice_period_days=0,
        migration_lead_time_days=0,
    )(data)
    found = [f for f in score_of(data).findings if f.code == "rule.committed_cloud_spend"]
    assert len(found) == 1
    assert "to cloud spend for 1 year." in found[0].explanation
    assert "1 years" not in found[0].explanation
