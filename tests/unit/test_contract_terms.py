"""How a contract was competed and its extension options: validation, and the dates they give."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from supplier_register.domain import (
    Competition,
    Contract,
    ContractType,
    ProcurementRoute,
    PurchaseKind,
    describe_validation_error,
)
from supplier_register.domain.bounds import STORED
from supplier_register.domain.terms import (
    competition_text,
    extension_months_total,
    extensions_text,
    latest_decide_by,
    latest_possible_end,
)


def contract(**kw: object) -> Contract:
    base: dict[str, object] = {
        "supplier": "Acme",
        "title": "EPR",
        "what_is_bought": "configurable_product",
        "contract_type": "subscription_saas",
    }
    return Contract.model_validate({**base, **kw})


def problems(**kw: object) -> list[str]:
    with pytest.raises(ValidationError) as info:
        contract(**kw)
    return describe_validation_error(info.value, "contracts[0] (EPR)", Contract)


def test_competition_is_not_recorded_until_told() -> None:
    made = contract()
    assert made.competition is Competition.UNKNOWN
    assert (made.extension_count, made.extension_months) == (None, None)


def test_every_competition_has_its_own_label() -> None:
    """Labels are looked up by value: no other vocabulary may reuse one of these values."""
    labels = [member.label for member in Competition]
    assert len(set(labels)) == len(labels)
    assert Competition.FRAMEWORK_DIRECT_AWARD.label.startswith("Framework direct award")
    assert Competition.NO_COMPETITION.label.startswith("Direct award without competition")
    others = {m.value for e in (ProcurementRoute, ContractType, PurchaseKind) for m in e}
    assert {m.value for m in Competition} & others == {"unknown"}


def test_a_count_without_months_is_refused_naming_both_fields() -> None:
    assert problems(extension_count=2) == [
        "contracts[0] (EPR): months per extension: needed with the number of extensions (2): "
        "give both, or neither"
    ]


def test_months_without_a_count_is_refused_naming_both_fields() -> None:
    assert problems(extension_months=12) == [
        "contracts[0] (EPR): months per extension: needs the number of extensions too: "
        "give both, or neither"
    ]


def test_no_extensions_needs_no_months() -> None:
    assert contract(extension_count=0).extension_count == 0


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("extension_count", 11, "number of extensions: must be at most 10"),
        ("extension_count", -1, "number of extensions: must be at least"),
        ("extension_months", 0, "months per extension: must be at least"),
        ("extension_months", 121, "months per extension: must be at most"),
    ],
)
def test_extensions_stay_within_their_limits(field: str, value: int, reason: str) -> None:
    other = {"extension_count": 1} if field == "extension_months" else {"extension_months": 12}
    lines = problems(**{field: value, **other})
    assert lines[0].startswith(f"contracts[0] (EPR): {reason}")
    assert len(lines) == 1  # a bad count is reported once, not also as "months without a count"


def test_a_stored_record_is_read_as_it_is() -> None:
    stored = Contract.model_validate(
        {
            "supplier": "Acme",
            "title": "EPR",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
            "extension_count": 2,
        },
        context=STORED,
    )
    assert stored.extension_months is None
    assert latest_possible_end(stored) is None  # not known, never guessed


def test_latest_possible_end_adds_every_extension() -> None:
    made = contract(end_date="2027-03-31", extension_count=2, extension_months=12)
    assert extension_months_total(made) == 24
    assert latest_possible_end(made) == dt.date(2029, 3, 31)


def test_latest_possible_end_keeps_to_the_end_of_a_shorter_month() -> None:
    made = contract(end_date="2026-08-31", extension_count=1, extension_months=6)
    assert latest_possible_end(made) == dt.date(2027, 2, 28)


def test_no_extensions_end_with_the_current_term() -> None:
    made = contract(end_date="2027-03-31", extension_count=0)
    assert latest_possible_end(made) == dt.date(2027, 3, 31)


@pytest.mark.parametrize(
    "kw",
    [
        {"end_date": "2027-03-31"},  # extensions not recorded
        {"extension_count": 2, "extension_months": 12},  # no end date
    ],
)
def test_latest_possible_end_is_unknown_when_a_fact_is(kw: dict[str, object]) -> None:
    made = contract(**kw)
    assert latest_possible_end(made) is None
    assert latest_decide_by(made) is None


def test_latest_decide_by_takes_notice_and_migration_from_the_latest_end() -> None:
    made = contract(
        end_date="2027-03-31",
        extension_count=1,
        extension_months=24,
        notice_period_days=180,
        migration_lead_time_days=365,
    )
    assert made.decide_by() == dt.date(2027, 3, 31) - dt.timedelta(days=545)
    assert latest_decide_by(made) == dt.date(2029, 3, 31) - dt.timedelta(days=545)


def test_latest_possible_end_never_raises_for_a_stored_date_at_the_end_of_the_calendar() -> None:
    stored = Contract.model_validate(
        {
            "supplier": "Acme",
            "title": "EPR",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
            "end_date": "9999-06-30",
            "extension_count": 10,
            "extension_months": 120,
        },
        context=STORED,
    )
    assert latest_possible_end(stored) == dt.date.max


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        ({}, "not recorded"),
        ({"extension_count": 0}, "none"),
        ({"extension_count": 2, "extension_months": 12}, "2 x 12 months"),
        ({"extension_count": 1, "extension_months": 1}, "1 x 1 month"),
    ],
)
def test_extensions_in_words(kw: dict[str, object], text: str) -> None:
    assert extensions_text(contract(**kw)) == text


def test_competition_in_words_says_not_recorded_never_no() -> None:
    assert competition_text(Competition.UNKNOWN) == "not recorded"
    assert competition_text(Competition.OPEN) == "Open competition"
