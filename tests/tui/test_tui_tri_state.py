"""The TUI offers Yes/No/Unknown for SME, clinical systems and auto-renewal, and shows an
unknown one as "not recorded", never "No"."""

from __future__ import annotations

import datetime as dt

import pytest

from supplier_register.domain.models import ContractRecord, SupplierRecord
from supplier_register.tui.forms import CONTRACT_FIELDS, SUPPLIER_FIELDS, to_input, to_raw
from supplier_register.tui.screens.supplier import contract_option, overview_blocks

TODAY = dt.date(2026, 1, 15)
TRI_STATE = {"sme", "runs_clinical_systems", "auto_renewal"}


def _supplier(**changes: object) -> SupplierRecord:
    data = {"id": 1, "version": 1, "name": "Acme", "category": "epr", "criticality": "high"}
    return SupplierRecord.model_validate(data | changes)


def _contract(**changes: object) -> ContractRecord:
    data = {
        "id": 1,
        "version": 1,
        "supplier_id": 1,
        "supplier": "Acme",
        "title": "EPR",
        "what_is_bought": "commodity",
        "contract_type": "outcome_based",
    }
    return ContractRecord.model_validate(data | changes)


def test_the_forms_offer_unknown_and_a_new_record_starts_unknown() -> None:
    specs = [s for s in (*SUPPLIER_FIELDS, *CONTRACT_FIELDS) if s.name in TRI_STATE]
    assert {s.name for s in specs} == TRI_STATE
    assert {s.kind for s in specs} == {"maybe"}
    assert to_raw(None, SUPPLIER_FIELDS)["sme"] is None
    assert to_raw(None, CONTRACT_FIELDS)["auto_renewal"] is None


@pytest.mark.parametrize("value", [True, False, None])
def test_each_choice_is_saved_as_chosen(value: bool | None) -> None:
    raw = to_raw(_supplier(sme=value, runs_clinical_systems=value), SUPPLIER_FIELDS)
    data = to_input(raw, SUPPLIER_FIELDS)
    assert (data["sme"], data["runs_clinical_systems"]) == (value, value)
    contract = to_input(to_raw(_contract(auto_renewal=value), CONTRACT_FIELDS), CONTRACT_FIELDS)
    assert contract["auto_renewal"] is value


def _text(blocks: list) -> str:  # type: ignore[type-arg]
    return "\n".join(b.content.plain for b in blocks)


def test_supplier_view_says_not_recorded() -> None:
    text = _text(overview_blocks(_supplier(), None, TODAY))
    assert "SME                     not recorded" in text
    assert "Runs clinical systems   not recorded" in text
    text = _text(overview_blocks(_supplier(sme=False, runs_clinical_systems=True), None, TODAY))
    assert "SME                     No" in text
    assert "Runs clinical systems   Yes" in text


def test_contract_view_says_auto_renewal_not_recorded() -> None:
    assert "auto-renewal not recorded" in contract_option(_contract(), [], TODAY).plain
    assert "auto-renew" not in contract_option(_contract(auto_renewal=False), [], TODAY).plain
    assert "auto-renews" in contract_option(_contract(auto_renewal=True), [], TODAY).plain
