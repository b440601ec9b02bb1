"""Validation rules of the domain models: each rule, with the message it gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from supplier_register.domain import (
    Contract,
    Criticality,
    Person,
    Role,
    Supplier,
    describe_validation_error,
)


def problems(exc_info: pytest.ExceptionInfo[ValidationError], record: str = "r") -> list[str]:
    return describe_validation_error(exc_info.value, record)


def supplier(**kw: object) -> Supplier:
    base: dict[str, object] = {"name": "Acme", "category": "epr", "criticality": "high"}
    return Supplier.model_validate({**base, **kw})


def contract(**kw: object) -> Contract:
    base: dict[str, object] = {
        "supplier": "Acme",
        "title": "EPR",
        "what_is_bought": "commodity",
        "contract_type": "pay_as_you_go",
    }
    return Contract.model_validate({**base, **kw})


def test_names_are_trimmed() -> None:
    assert supplier(name="  Acme Ltd  ").name == "Acme Ltd"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_name_must_be_non_empty_and_at_most_200(name: str) -> None:
    with pytest.raises(ValidationError) as info:
        supplier(name=name)
    (line,) = problems(info, "suppliers[0]")
    assert line.startswith("suppliers[0]: name: ")


def test_name_of_200_characters_is_accepted() -> None:
    assert len(supplier(name="y" * 200).name) == 200


def test_end_date_not_before_start_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        contract(start_date="2026-04-01", end_date="2026-03-31")
    assert problems(info) == ["r: end_date: must not be before the start date, 1 Apr 2026"]


def test_end_date_equal_to_start_is_fine() -> None:
    assert contract(start_date="2026-04-01", end_date="2026-04-01").end_date == dt.date(2026, 4, 1)


@pytest.mark.parametrize("field", ["annual_value", "total_value", "lifetime_cost"])
def test_money_is_never_negative(field: str) -> None:
    with pytest.raises(ValidationError) as info:
        contract(**{field: -1})
    (line,) = problems(info)
    assert line == f"r: {field}: must be at least 0"


def test_money_keeps_pence_and_rejects_fractions_of_a_penny() -> None:
    assert supplier(annual_spend="1234.56").annual_spend == Decimal("1234.56")
    with pytest.raises(ValidationError) as info:
        supplier(annual_spend="1.234")
    assert problems(info)[0].startswith("r: annual_spend: ")


@pytest.mark.parametrize(("days", "ok"), [(0, True), (3650, True), (-1, False), (3651, False)])
def test_notice_period_is_0_to_3650_days(days: int, ok: bool) -> None:
    if ok:
        assert contract(notice_period_days=days).notice_period_days == days
    else:
        with pytest.raises(ValidationError) as info:
            contract(notice_period_days=days)
        assert problems(info)[0].startswith("r: notice_period_days: ")


def test_enums_only() -> None:
    with pytest.raises(ValidationError) as info:
        supplier(criticality="critical")
    (line,) = problems(info)
    assert line.startswith("r: criticality: must be one of 'strategic'")


def test_unknown_fields_rejected() -> None:
    with pytest.raises(ValidationError) as info:
        supplier(colour="red")
    assert problems(info) == ["r: colour: unknown field"]


def test_company_number_normalised_and_checked() -> None:
    assert supplier(company_number=" sc 123456 ").company_number == "SC123456"
    assert supplier(company_number="").company_number is None
    with pytest.raises(ValidationError) as info:
        supplier(company_number="12345")
    assert problems(info) == [
        "r: company_number: must be 8 digits, or 2 letters followed by 6 digits"
    ]


def test_shared_with_deduplicated_case_insensitively() -> None:
    assert supplier(
        shared_with=["Riverside ICS", "riverside ics", "Hilltop Trust"]
    ).shared_with == [
        "Riverside ICS",
        "Hilltop Trust",
    ]


def test_decide_by_is_end_minus_notice_minus_migration() -> None:
    c = contract(end_date="2027-03-31", notice_period_days=90, migration_lead_time_days=180)
    assert c.decide_by() == dt.date(2027, 3, 31) - dt.timedelta(days=270)
    assert contract(end_date="2027-03-31").decide_by() == dt.date(2027, 3, 31)
    assert contract().decide_by() is None


def test_default_review_cadence_follows_criticality() -> None:
    assert supplier(criticality="strategic").effective_cadence_months == 3
    assert supplier(criticality="low").effective_cadence_months == 12
    assert supplier(criticality="low", review_cadence_months=6).effective_cadence_months == 6


def test_every_enum_member_has_a_label_and_criticality_a_meaning() -> None:
    for c in Criticality:
        assert c.label and c.meaning
    assert Person(name="A", role="cio_cdo").role.label == "CIO / CDO"


def test_criticality_ranks_and_role_seniority_order_every_member() -> None:
    # Every member has its place (a new member without one would raise here, not mid-scoring).
    assert [c.rank for c in Criticality] == [4, 3, 2, 1]
    assert {r: r.seniority for r in Role} == {
        Role.CHIEF_EXECUTIVE: 3,
        Role.CIO_CDO: 2,
        Role.CCIO_CNIO: 2,
        Role.SENIOR_MANAGER: 1,
        Role.COMMERCIAL_LEAD: 1,
        Role.OTHER: 0,
    }


def test_a_field_with_a_title_is_named_by_it_when_the_model_is_given() -> None:
    from supplier_register.domain.errors import describe_validation_error
    from supplier_register.domain.models import Service

    with pytest.raises(ValidationError) as info:
        Service.model_validate(
            {"name": "ED triage", "clinical": True, "max_outage_hours": 100000, "sites": 3}
        )
    assert describe_validation_error(info.value, "s") == [
        "s: sites: must be text",
        "s: max_outage_hours: must be at most 8760",
    ]
    assert describe_validation_error(info.value, "s", Service) == [
        "s: sites: must be text",  # no title: its key
        "s: tolerable outage (hours): must be at most 8760",
    ]
