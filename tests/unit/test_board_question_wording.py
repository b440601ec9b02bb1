"""How a merged board question names the contracts it concerns (scoring/engine.py)."""

from __future__ import annotations

from supplier_register.scoring.engine import _naming_contracts


def test_a_question_names_every_contract_it_concerns() -> None:
    named = "Our contract 'A' has no break clause: how would we leave?"
    assert _naming_contracts(named, ["A", "B"]) == f"{named} This also concerns 'B'."
    unnamed = "Who in the trust owns the relationship?"
    assert _naming_contracts(unnamed, ["A", "B"]) == f"{unnamed} This concerns 'A' and 'B'."
    assert _naming_contracts(unnamed, ["A"]) == unnamed  # one contract: the list line names it
    assert _naming_contracts("'A' and 'B' end soon?", ["A", "B"]) == "'A' and 'B' end soon?"
