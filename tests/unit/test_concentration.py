"""The concentration rule counts the services (and clinical services) a supplier's current
contracts support; where services are not recorded, the number of contracts counts as before."""

from __future__ import annotations

from typing import Any

import pytest

from supplier_register.domain.errors import BadFile
from supplier_register.domain.models import Contract, Service, Supplier
from supplier_register.scoring import Finding, Scorer, ScoringConfig, ScoringContext
from supplier_register.scoring.config import parse_config
from tests.support.scoring_fixtures import (
    NAME,
    TODAY,
    clean_contract,
    clean_register,
    clean_supplier,
    codes,
    score_of,
)

CODE = "rule.concentration"
Data = dict[str, Any]


def with_services(data: Data, **clinical: bool) -> Data:
    """The register with these services (name: clinical?), named as given."""
    data["services"] = [{"name": name, "clinical": flag} for name, flag in clinical.items()]
    return data


def finding(data: Data, config: ScoringConfig | None = None) -> Finding | None:
    score = score_of(data, config=config)
    return next((f for f in score.findings if f.code == CODE), None)


def board(data: Data) -> str:
    score = score_of(data)
    return next(q.text for q in score.questions if CODE in q.finding_codes)


def test_three_clinical_services_under_one_contract_raise_it() -> None:
    """The issue's 'done when': one contract of one supplier, three clinical services."""
    data = with_services(clean_register(), ED_triage=True, Maternity=True, Pharmacy=True)
    data["contracts"][0]["services"] = ["ED_triage", "Maternity", "Pharmacy"]
    found = finding(data)
    assert found is not None
    assert found.explanation == (
        f"{NAME}'s contract 'EPR' supports 3 of our services, all of them clinical "
        "(ED_triage, Maternity and Pharmacy): one failure would stop them all. Depending on "
        "one supplier for so much limits leverage, control and flexibility."
    )
    assert board(data) == (
        f"{NAME}'s contract 'EPR' supports 3 of our services, all of them clinical "
        f"(ED_triage, Maternity and Pharmacy): how would we keep them running if {NAME} "
        "failed or the relationship went wrong?"
    )


def test_clinical_services_are_named_first_then_the_others() -> None:
    data = with_services(
        clean_register(),
        **{
            "Payroll": False,
            "ED triage": True,
            "Maternity records": True,
            "Medicines administration": True,
            "Rostering": False,
        },
    )
    data["contracts"][0]["services"] = [
        "Rostering",
        "Medicines administration",
        "Payroll",
        "ED triage",
        "Maternity records",
    ]
    found = finding(data)
    assert found is not None
    assert found.explanation.startswith(
        f"{NAME}'s contract 'EPR' supports 5 of our services, 3 of them clinical (ED triage, "
        "Maternity records and Medicines administration) and also Payroll and Rostering: one "
        "failure would stop them all."
    )


def test_two_non_clinical_services_under_one_contract_do_not() -> None:
    data = with_services(clean_register(), Payroll=False, Rostering=False)
    data["contracts"][0]["services"] = ["Payroll", "Rostering"]
    assert CODE not in codes(score_of(data))


def test_distinct_services_are_counted_across_contracts() -> None:
    data = with_services(clean_register(), Payroll=False, Rostering=False, HR=False)
    data["contracts"][0]["services"] = ["Payroll", "Rostering"]
    data["contracts"].append(clean_contract(title="Workforce", services=["rostering", "HR"]))
    found = finding(data)
    assert found is not None  # Payroll, Rostering, HR: 3, Rostering once in any case
    assert found.explanation.startswith(
        f"{NAME}'s current contracts 'EPR' and 'Workforce' support 3 of our services "
        "(HR, Payroll and Rostering)"
    )
    # The same two services under two contracts are still two.
    data["contracts"][1]["services"] = ["Rostering", "payroll"]
    assert CODE not in codes(score_of(data))


def test_ended_contracts_services_do_not_count() -> None:
    data = with_services(clean_register(), Payroll=False, Rostering=False, HR=False)
    data["contracts"][0]["services"] = ["Payroll", "Rostering"]
    data["contracts"].append(
        clean_contract(
            title="Old HR", services=["HR"], start_date="2019-01-01", end_date="2024-12-31"
        )
    )
    assert CODE not in codes(score_of(data))
    data["contracts"][1].update(end_date="2026-12-31")  # current again: three services
    assert CODE in codes(score_of(data))


def test_the_clinical_flag_comes_from_the_register() -> None:
    """A medium-criticality supplier without clinical systems: only clinical services make it
    concentrated, and which services are clinical is the register's word (the context)."""
    quiet = clean_supplier(criticality="medium", runs_clinical_systems=False, owner="Cat Manager")
    data = with_services(clean_register(), Theatres=True, Radiology=True)
    data["suppliers"] = [quiet]
    data["contracts"][0]["services"] = ["theatres", "RADIOLOGY"]
    assert CODE in codes(score_of(data))
    with_services(data, Theatres=True, Radiology=False)
    assert CODE not in codes(score_of(data))  # one clinical service of two
    with_services(data, Theatres=False, Radiology=False)
    assert CODE not in codes(score_of(data))  # not clinical: not critical enough to count


def test_a_service_not_in_the_register_counts_but_is_not_clinical() -> None:
    """Scoring a supplier on its own: the context knows no services, so none is clinical."""
    supplier = Supplier(name="Veridane", category="epr", criticality="medium")
    contract = Contract(
        supplier="Veridane",
        title="EPR",
        what_is_bought="configurable_product",
        contract_type="subscription_saas",
        services=["ED triage", "Maternity records"],
    )
    scorer = Scorer()

    def fired(context: ScoringContext) -> bool:
        score = scorer.score(supplier, [contract], [], today=TODAY, context=context)
        return CODE in {f.code for f in score.findings}

    assert not fired(ScoringContext.build([]))
    clinical = [
        Service(name="ed TRIAGE", clinical=True),
        Service(name="Maternity records", clinical=True),
    ]
    context = ScoringContext.build([], [supplier], services=clinical)
    assert context.clinical_services == frozenset({"ed triage", "maternity records"})
    assert fired(context)


def test_without_services_the_contract_count_still_counts() -> None:
    """A register that records no services keeps its finding, worded as before."""
    data = clean_register()
    data["contracts"] += [clean_contract(title=f"Extra {i}") for i in range(2)]
    found = finding(data)
    assert found is not None
    assert found.explanation == (
        f"{NAME} holds 3 of our current contracts ('EPR', 'Extra 0' and 'Extra 1') and runs "
        "clinical systems. Depending on one supplier for several critical services limits "
        "leverage, control and flexibility, and one failure would hit them all."
    )
    assert board(data) == (
        f"{NAME} holds 3 of our contracts ('EPR', 'Extra 0' and 'Extra 1') and runs clinical "
        "systems: what would happen to these services if the relationship went wrong?"
    )


def test_services_recorded_for_some_contracts_only_keep_the_contract_count() -> None:
    """Unknown is not none: two contracts without services may support more."""
    data = with_services(clean_register(), Payroll=False)
    data["contracts"][0]["services"] = ["Payroll"]
    data["contracts"] += [clean_contract(title=f"Extra {i}") for i in range(2)]
    found = finding(data)
    assert found is not None
    assert found.explanation.endswith(
        "The services 'Extra 0' and 'Extra 1' support are not recorded."
    )
    # Once every contract records its services, they decide: one service is not several.
    for contract in data["contracts"]:
        contract["services"] = ["Payroll"]
    assert CODE not in codes(score_of(data))


def test_the_thresholds_come_from_the_config() -> None:
    data = with_services(clean_register(), Payroll=False, Rostering=False, Theatres=True)
    data["contracts"][0]["services"] = ["Payroll", "Rostering"]
    assert finding(data) is None
    assert finding(data, ScoringConfig(concentration_min_services=2)) is not None
    data["contracts"][0]["services"] = ["Theatres"]
    assert finding(data) is None
    found = finding(data, ScoringConfig(concentration_min_clinical_services=1))
    assert found is not None
    assert found.explanation.startswith(
        f"{NAME}'s contract 'EPR' supports our clinical service Theatres: one failure would "
        "stop it."
    )


def test_the_old_config_key_is_still_read() -> None:
    """A trust's config file written before services keeps loading (unknown keys are refused)."""
    config = parse_config({"concentration_min_contracts": 5})
    assert config.concentration_min_contracts == 5
    data = clean_register()
    data["contracts"] += [clean_contract(title=f"Extra {i}") for i in range(2)]
    assert finding(data, config) is None
    with pytest.raises(BadFile, match="concentration_min_clinical_services"):
        parse_config({"concentration_min_clinical_services": 0})


def test_a_low_criticality_supplier_needs_two_clinical_services_not_three_of_any_kind() -> None:
    """Several services of any kind raise the finding only for a critical supplier; several
    clinical services raise it for any supplier."""
    low = Supplier(name="Smallco", category="other", criticality="low")
    services = [
        Service(name="Renal", clinical=True),
        Service(name="Payroll", clinical=False),
        Service(name="Rostering", clinical=False),
        Service(name="Dialysis", clinical=True),
    ]
    context = ScoringContext.build([], [low], services=services)

    def fires(names: list[str]) -> bool:
        contract = Contract(
            supplier="Smallco",
            title="All",
            what_is_bought="managed_service",
            contract_type="subscription_saas",
            services=names,
        )
        score = Scorer().score(low, [contract], [], today=TODAY, context=context)
        return any(f.code == "rule.concentration" for f in score.findings)

    assert not fires(["Renal", "Payroll", "Rostering"])
    assert fires(["Renal", "Dialysis"])
