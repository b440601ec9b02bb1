"""Contracts whose pricing or purchase kind the source does not give are 'unknown', not guessed."""

from __future__ import annotations

from supplier_register.domain.enums import ContractType, PurchaseKind
from supplier_register.domain.models import Contract


def test_unknown_purchase_kind_and_contract_type_validate_and_read_as_unknown() -> None:
    contract = Contract.model_validate(
        {
            "supplier": "Acme Ltd",
            "title": "Published award",
            "what_is_bought": "unknown",
            "contract_type": "unknown",
        }
    )
    assert contract.what_is_bought is PurchaseKind.UNKNOWN
    assert contract.contract_type is ContractType.UNKNOWN
    assert contract.what_is_bought.label == contract.contract_type.label == "Unknown"
