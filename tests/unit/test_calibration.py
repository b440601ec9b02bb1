"""Calibration suite of score model 2: small scenarios written from principle 6 (issue 15).

Each scenario is a register of one supplier built from a sentence of principle 6 of NHS
Providers' "Digital delivery principles" ("Get the best out of technology suppliers") or
its case study, quoted in ``principle``.  Each states the band (or bands) a careful reader
of the guide would give it and the findings that must appear; ``ORDER`` states which
scenarios must rank above which.  Every scenario starts from a strategic EPR supplier whose
records are all in good order (``tests.support.scoring_fixtures``) and changes only what
the sentence is about, so what moves the score is the sentence.

Today is 30 June 2025 throughout (the fixtures' date); answers are dated 1 June 2025.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

from supplier_register.domain.models import Register
from supplier_register.scoring import Band, SupplierScore
from supplier_register.scoring.engine import supplier_order
from tests.support.oracles import score_register
from tests.support.scoring_fixtures import (
    NAME,
    PEOPLE,
    TODAY,
    clean_contract,
    clean_supplier,
    yes_answers,
)

LOW, MEDIUM, HIGH, SEVERE, UNASSESSED = (
    Band.LOW,
    Band.MEDIUM,
    Band.HIGH,
    Band.SEVERE,
    Band.UNASSESSED,
)


@dataclass(frozen=True)
class Scenario:
    """One small register: what changes from a clean strategic EPR, and what is expected."""

    name: str
    principle: str
    """The sentence of principle 6 (or its case study) the scenario is written from."""
    bands: tuple[Band, ...]
    findings: tuple[str, ...] = ()
    supplier: dict[str, Any] = field(default_factory=dict)
    contract: dict[str, Any] | None = field(default_factory=dict)
    """Changes to the clean contract; None: no contract at all."""
    answers: dict[str, str] = field(default_factory=dict)
    """Question id -> answer; "unanswered" removes the answer."""
    no_answers: bool = False

    def register(self) -> dict[str, Any]:
        answers = [] if self.no_answers else yes_answers()
        for item in answers:
            value = self.answers.get(item["question_id"])
            if value is not None:
                item["answer"] = value
        answers = [a for a in answers if a["answer"] != "unanswered"]
        return {
            "people": copy.deepcopy(PEOPLE),
            "suppliers": [clean_supplier(**self.supplier)],
            "contracts": [] if self.contract is None else [clean_contract(**self.contract)],
            "answers": answers,
        }


LOCK_IN_NO = {
    "options.bulk_export": "no",
    "options.open_formats": "no",
    "options.standards_in_contract": "no",
    "options.integrations_included": "no",
    "options.export_tested": "no",
    "options.dependence_limited": "no",
    "options.customisations_portable": "no",
    "options.epr_lockin_mitigated": "no",
    "exit.plan_exists": "no",
    "exit.plan_tested": "no",
    "exit.continuity_assured": "no",
}
LOW_PRINT = {
    "category": "devices",
    "criticality": "low",
    "owner": "Cat Manager",
    "annual_spend": 120_000,
    "runs_clinical_systems": False,
}
PRINT_CONTRACT = {
    "title": "Managed print",
    "what_is_bought": "managed_service",
    "contract_type": "pay_as_you_go",
    "annual_value": 120_000,
    "lifetime_cost": 600_000,
}

SCENARIOS = [
    Scenario(
        "epr_locked_in",
        "Some level of supplier lock-in is inevitable if you're adopting a trust-wide EPR, "
        "but there are ways to mitigate.",
        (SEVERE,),
        ("exit.plan_exists", "options.bulk_export", "options.open_formats"),
        answers={
            "exit.plan_exists": "no",
            "options.bulk_export": "no",
            "options.integrations_included": "no",
            "options.open_formats": "no",
            "options.standards_in_contract": "unknown",
            "options.epr_lockin_mitigated": "no",
        },
    ),
    Scenario(
        "epr_lock_in_mitigated",
        "For example, you should understand how you can get data in and out of the system.",
        (LOW,),
    ),
    Scenario(
        "epr_every_lock_in_and_exit_answer_no",
        "Trusts should beware of the danger of 'lock-in' to technology suppliers.",
        (SEVERE,),
        tuple(LOCK_IN_NO),
        answers=LOCK_IN_NO,
    ),
    Scenario(
        "strategic_nothing_recorded",
        "What would happen if your relationship with an important technology supplier went wrong?",
        (UNASSESSED,),
        ("model.unassessed",),
        supplier={"owner": None, "last_review": None, "annual_spend": None},
        contract=None,
        no_answers=True,
    ),
    Scenario(
        "strategic_lock_in_unknown",
        "What guarantees do you have about data standards?",
        (UNASSESSED, LOW, MEDIUM),
        ("options.bulk_export", "options.standards_in_contract"),
        answers=dict.fromkeys(LOCK_IN_NO, "unknown"),
    ),
    Scenario(
        "low_print_several_weaknesses",
        "There's a big difference between buying established technologies like cloud "
        "services or laptops and buying complex software systems that need to be customised "
        "to the needs of your organisation.",
        (LOW, MEDIUM),
        # Exit and dependence questions do not apply to low-criticality devices.
        ("expertise.alternatives_considered", "rule.auto_renewal"),
        supplier=LOW_PRINT,
        contract={**PRINT_CONTRACT, "auto_renewal": True},
        answers={
            "exit.plan_exists": "no",
            "options.dependence_limited": "no",
            "expertise.alternatives_considered": "no",
            "relationship.leverage_used": "no",
            "buying.lifetime_costs": "partly",
        },
    ),
    Scenario(
        "low_print_clean",
        "There's a big difference between buying established technologies like cloud "
        "services or laptops and buying complex software systems that need to be customised "
        "to the needs of your organisation.",
        (LOW,),
        supplier=LOW_PRINT,
        contract=PRINT_CONTRACT,
    ),
    Scenario(
        "bespoke_fixed_scope",
        "Equally, adopting fixed scope contracts for complex software development projects "
        "is a recipe for disaster; building good digital services requires a user-centred, "
        "iterative approach.",
        (HIGH, SEVERE),
        ("rule.fixed_scope_bespoke", "buying.contract_fits", "buying.change_requests_priced"),
        supplier={"category": "bespoke_development", "criticality": "high", "owner": "Ben Digital"},
        contract={
            "title": "Patient flow app",
            "what_is_bought": "bespoke_development",
            "contract_type": "fixed_scope_fixed_price",
        },
        answers={"buying.contract_fits": "no", "buying.change_requests_priced": "no"},
    ),
    Scenario(
        "bespoke_iterative",
        "Fixed scope contracts prohibit this, resulting in costly 'change requests' to make "
        "the digital service fit-for-purpose and ensure it keeps pace with changing needs.",
        (LOW,),
        supplier={"category": "bespoke_development", "criticality": "high", "owner": "Ben Digital"},
        contract={
            "title": "Patient flow app",
            "what_is_bought": "bespoke_development",
            "contract_type": "capped_time_and_materials",
        },
    ),
    Scenario(
        "cloud_fixed_multi_year",
        "For example, signing a fixed, multi-year contract for cloud services is probably a "
        "bad idea given the cost of cloud computing is decreasing year-on-year.",
        (MEDIUM, HIGH),
        ("rule.committed_cloud_spend", "buying.contract_fits"),
        supplier={"category": "cloud_hosting", "criticality": "high", "owner": "Ben Digital"},
        contract={
            "title": "Cloud platform",
            "what_is_bought": "commodity",
            "contract_type": "committed_cloud_spend",
            "start_date": "2025-01-01",
            "end_date": "2029-12-31",
        },
        answers={"buying.contract_fits": "no"},
    ),
    Scenario(
        "cloud_pay_as_you_go",
        "Problems arise when organisations adopt a one-size-fits-all purchasing approach, "
        "especially when this approach is out-of-step with modern approaches to technology.",
        (LOW,),
        supplier={"category": "cloud_hosting", "criticality": "high", "owner": "Ben Digital"},
        contract={
            "title": "Cloud platform",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
        },
    ),
    Scenario(
        "direct_award_usual_supplier",
        "This is essential to overcome familiarity bias; if you only consider the usual NHS "
        "technology suppliers you risk missing out on skilled small and medium sized "
        "enterprises or more modern, lower cost technologies used widely outside the NHS.",
        (MEDIUM, HIGH),
        ("rule.direct_award", "expertise.alternatives_considered"),
        supplier={"criticality": "high", "owner": "Ben Digital"},
        contract={"procurement_route": "direct_award"},
        answers={"expertise.alternatives_considered": "no", "expertise.market_knowledge": "no"},
    ),
    Scenario(
        "fake_off_the_shelf",
        "This kind of 'fake' off-the-shelf system can be the worst of both worlds, the amount "
        "of customisation required can negate many of the benefits of adopting an "
        "off-the-shelf system in the first place.",
        (HIGH, SEVERE),
        ("turnkey.customisation_known", "turnkey.claims_verified"),
        answers={
            "turnkey.customisation_known": "no",
            "turnkey.claims_verified": "no",
            "options.customisations_portable": "no",
        },
    ),
    Scenario(
        "peers_not_consulted",
        "If you know of the technology being used elsewhere in the NHS, pick up the phone to "
        "your peers and find out what they did.",
        (MEDIUM,),
        ("turnkey.peers_consulted",),
        answers={"turnkey.peers_consulted": "no", "turnkey.test_drive": "no"},
    ),
    Scenario(
        "weak_client_side",
        "You need to have a strong 'client side', and not just during the implementation period.",
        (HIGH,),
        ("expertise.client_side", "expertise.digital_commercial_together"),
        answers={
            "expertise.client_side": "no",
            "expertise.digital_commercial_together": "no",
            "expertise.negotiation_capability": "no",
        },
    ),
    Scenario(
        "lifetime_costs_unseen",
        "Boards need to understand life time costs.",
        (MEDIUM, HIGH),
        ("buying.lifetime_costs",),
        contract={"lifetime_cost": None},
        answers={"buying.lifetime_costs": "no", "buying.business_model_understood": "no"},
    ),
    Scenario(
        "no_owner",
        "As a general rule, it is our chief executive who leads and is involved in our top "
        "two or three key IT supplier relationships",
        (HIGH, SEVERE),
        ("rule.no_owner",),
        supplier={"owner": None},
    ),
    Scenario(
        "owner_too_junior",
        "It depends on the scale and importance to the organisation.",
        (MEDIUM, HIGH),
        ("rule.owner_too_junior",),
        supplier={"owner": "Cat Manager"},
    ),
    Scenario(
        "leverage_not_used",
        "Boards should be clear on their organisational leverage that can be used to manage "
        "suppliers: payment schedules, a deeper understanding of the clinical safety "
        "imperative and your influence as leaders across the health and care system.",
        (MEDIUM, HIGH),
        ("rule.payments_not_leveraged", "relationship.leverage_used"),
        contract={"milestone_payments": False},
        answers={"relationship.leverage_used": "no"},
    ),
    Scenario(
        "decision_process_not_understood",
        "How does your supplier make decisions and who is authorised to make these?",
        (MEDIUM,),
        ("relationship.decision_process",),
        answers={"relationship.decision_process": "no", "relationship.roles_clear": "no"},
    ),
    Scenario(
        "decision_process_unknown",
        "What is their process?",
        (LOW, MEDIUM),
        ("relationship.decision_process",),
        answers={
            "relationship.decision_process": "unknown",
            "relationship.roles_clear": "unanswered",
        },
    ),
    Scenario(
        "adversarial_relationship",
        "You need to develop a mature relationship with your supplier to move beyond lengthy "
        "contract negotiations and into the collaboration space.",
        (MEDIUM, HIGH),
        ("relationship.collaboration", "relationship.ongoing_effort"),
        answers={
            "relationship.collaboration": "no",
            "relationship.ongoing_effort": "no",
            "relationship.transparency": "no",
        },
    ),
    Scenario(
        "not_tailored",
        "Our experience is that suppliers will have a certain way of working but you need to "
        "push for a tailored approach that works for your organisation.",
        (MEDIUM,),
        ("relationship.tailored_approach",),
        answers={"relationship.tailored_approach": "no", "relationship.personnel_fit": "no"},
    ),
    Scenario(
        "not_linked_with_other_trusts",
        "How are you linking up with other trusts who are using the same supplier?",
        (MEDIUM,),
        ("options.other_trusts_linked", "buying.ics_coordinated"),
        answers={"options.other_trusts_linked": "no", "buying.ics_coordinated": "no"},
    ),
    Scenario(
        "integrations_cost_extra",
        "Will you need to pay the vendor more money to build integrations when you need them?",
        (MEDIUM,),  # one weakness alone, on the strategic EPR: medium, not yet high
        ("options.integrations_included",),
        answers={"options.integrations_included": "no"},
    ),
    Scenario(
        "auto_renews_without_decision",
        "Supplier management doesn't end with the signing of a contract – successful "
        "partnerships require ongoing effort and strong communication.",
        (MEDIUM, HIGH),
        ("rule.auto_renewal",),
        contract={"auto_renewal": True},
    ),
    Scenario(
        "decide_by_passed",
        "Being too dependent on a single supplier can limit your commercial leverage, control "
        "and flexibility.",
        (HIGH, SEVERE),
        ("rule.decide_by_passed",),
        contract={"end_date": "2026-03-31"},
    ),
    Scenario(
        "supplier_owns_the_ip",
        "It's important to understand the business model of your technology vendors, and "
        "design contracts with this in mind.",
        (MEDIUM, HIGH),
        ("rule.supplier_owns_ip",),
        supplier={"category": "bespoke_development", "criticality": "high", "owner": "Ben Digital"},
        contract={"what_is_bought": "bespoke_development", "ip_owner": "supplier"},
    ),
    Scenario(
        "business_model_unknown",
        "Consider their business model, and how they're making money – is this through "
        "upfront costs or further down the line in terms of development and licensing?",
        (LOW, MEDIUM),
        ("buying.business_model_understood",),
        answers={"buying.business_model_understood": "unknown"},
    ),
    Scenario(
        "one_of_many_customers",
        "For example, board leaders should understand the dynamic of being one of many "
        "customers, which will have an impact on timescales and the personnel you're "
        "allocated.",
        (LOW, MEDIUM),
        ("relationship.customer_standing",),
        answers={"relationship.customer_standing": "no"},
    ),
    Scenario(
        "sme_low_clean",
        "This is essential to overcome familiarity bias; if you only consider the usual NHS "
        "technology suppliers you risk missing out on skilled small and medium sized "
        "enterprises or more modern, lower cost technologies used widely outside the NHS.",
        (LOW,),
        supplier={
            "category": "bespoke_development",
            "criticality": "medium",
            "owner": "Cat Manager",
            "annual_spend": 300_000,
        },
        contract={"what_is_bought": "bespoke_development", "annual_value": 300_000},
    ),
    Scenario(
        "high_epr_locked_in",
        "Some level of supplier lock-in is inevitable if you're adopting a trust-wide EPR, "
        "but there are ways to mitigate.",
        (HIGH, SEVERE),
        ("exit.plan_exists", "options.bulk_export"),
        supplier={"criticality": "high", "owner": "Ben Digital"},
        answers={
            "exit.plan_exists": "no",
            "options.bulk_export": "no",
            "options.integrations_included": "no",
            "options.open_formats": "no",
            "options.standards_in_contract": "unknown",
            "options.epr_lockin_mitigated": "no",
        },
    ),
]

# (higher, lower): the first must rank above the second (priority and the register order).
ORDER = [
    ("epr_locked_in", "epr_lock_in_mitigated"),
    ("epr_every_lock_in_and_exit_answer_no", "epr_locked_in"),
    ("epr_locked_in", "strategic_lock_in_unknown"),
    ("strategic_lock_in_unknown", "epr_lock_in_mitigated"),
    ("epr_locked_in", "strategic_nothing_recorded"),
    ("epr_locked_in", "low_print_several_weaknesses"),
    ("epr_locked_in", "high_epr_locked_in"),
    ("high_epr_locked_in", "low_print_several_weaknesses"),
    ("low_print_several_weaknesses", "low_print_clean"),
    ("bespoke_fixed_scope", "bespoke_iterative"),
    ("bespoke_fixed_scope", "low_print_several_weaknesses"),
    ("cloud_fixed_multi_year", "cloud_pay_as_you_go"),
    ("decision_process_not_understood", "decision_process_unknown"),
    ("decide_by_passed", "auto_renews_without_decision"),
    ("epr_every_lock_in_and_exit_answer_no", "fake_off_the_shelf"),
    ("integrations_cost_extra", "not_linked_with_other_trusts"),
    ("fake_off_the_shelf", "peers_not_consulted"),
]
# (not above, other): the first's band must not be above the second's.
BAND_NOT_ABOVE = [
    ("strategic_nothing_recorded", "epr_locked_in"),
    ("strategic_lock_in_unknown", "epr_locked_in"),
    ("low_print_several_weaknesses", "epr_locked_in"),
    ("decision_process_unknown", "decision_process_not_understood"),
    ("business_model_unknown", "lifetime_costs_unseen"),
]

BY_NAME = {s.name: s for s in SCENARIOS}


@cache
def scored(name: str) -> SupplierScore:
    register = Register.model_validate(BY_NAME[name].register())
    return next(s for s in score_register(register, today=TODAY).suppliers if s.supplier == NAME)


def test_enough_distinct_scenarios() -> None:
    assert len(SCENARIOS) >= 25
    assert len(BY_NAME) == len(SCENARIOS)
    for a, b in ORDER + BAND_NOT_ABOVE:
        assert a in BY_NAME and b in BY_NAME


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_band_and_findings(scenario: Scenario) -> None:
    score = scored(scenario.name)
    assert score.band in scenario.bands, (score.band, score.score, score.confidence)
    codes = {f.code for f in score.findings}
    for code in scenario.findings:
        assert code in codes, code


@pytest.mark.parametrize(("higher", "lower"), ORDER, ids=lambda name: name)
def test_scenario_order(higher: str, lower: str) -> None:
    a, b = scored(higher), scored(lower)
    assert a.priority > b.priority, (a.priority, b.priority)
    assert supplier_order(a) < supplier_order(b)


@pytest.mark.parametrize(("first", "second"), BAND_NOT_ABOVE, ids=lambda name: name)
def test_scenario_band_not_above(first: str, second: str) -> None:
    assert scored(first).band.rank <= scored(second).band.rank
