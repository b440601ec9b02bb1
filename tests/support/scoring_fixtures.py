"""Builders of small registers for scoring tests: a 'clean' supplier that raises nothing."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from supplier_register.domain.models import Register
from supplier_register.scoring import SupplierScore
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.questions import default_question_bank
from tests.support.oracles import score_register

TODAY = dt.date(2025, 6, 30)
NAME = "Acme [UK] Ltd"


def clean_supplier(name: str = NAME, **changes: Any) -> dict[str, Any]:
    """A strategic EPR supplier with every record field in good order."""
    supplier: dict[str, Any] = {
        "name": name,
        "category": "epr",
        "criticality": "strategic",
        "annual_spend": 2_000_000,
        "owner": "Ada Chief",
        "last_review": "2025-05-01",
        "runs_clinical_systems": True,
        "clinical_safety_case": True,
        "clinical_safety_case_date": "2025-03-01",
        "dspt_status": "standards_met",
        "dspt_year": "2024-25",
        "cyber_essentials": "plus",
        "cyber_essentials_expiry": "2026-02-28",
        "dtac_complete": True,
        "dtac_date": "2025-01-15",
    }
    return change_supplier(supplier, **changes)


def change_supplier(supplier: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``supplier`` changed: a change that takes an assurance away takes its date with it (the
    model refuses a date for an assurance not held), unless the change gives the date too."""
    supplier.update(changes)
    for date, (status, held) in _DATED.items():
        if date not in changes and supplier.get(status) not in held:
            supplier.pop(date, None)
    return supplier


_DATED: dict[str, tuple[str, tuple[object, ...]]] = {
    "clinical_safety_case_date": ("clinical_safety_case", (True,)),
    "dspt_year": (
        "dspt_status",
        (
            "standards_met",
            "standards_exceeded",
            "approaching_standards",
            "standards_not_met",
            "not_published",
        ),
    ),
    "cyber_essentials_expiry": ("cyber_essentials", ("plus", "basic")),
    "dtac_date": ("dtac_complete", (True,)),
}


def clean_contract(supplier: str = NAME, title: str = "EPR", **changes: Any) -> dict[str, Any]:
    """A current, well-drafted contract whose decide-by date is years away."""
    contract: dict[str, Any] = {
        "supplier": supplier,
        "title": title,
        "what_is_bought": "customised_product",
        "contract_type": "capped_time_and_materials",
        "procurement_route": "framework",
        "competition": "further_competition",
        "start_date": "2024-01-01",
        "end_date": "2030-12-31",
        "notice_period_days": 180,
        "migration_lead_time_days": 365,
        "auto_renewal": False,
        "annual_value": 1_500_000,
        "lifetime_cost": 12_000_000,
        "milestone_payments": True,
        "break_clause": True,
        "exit_assistance_clause": True,
        "data_ownership_clause": True,
        "ip_owner": "trust",
    }
    contract.update(changes)
    return contract


def yes_answers(supplier: str = NAME, on: str = "2025-06-01") -> list[dict[str, Any]]:
    """'yes' to every question of the bank, recently dated."""
    return [
        {"supplier": supplier, "question_id": q.id, "answer": "yes", "answered_on": on}
        for q in default_question_bank().questions
    ]


PEOPLE = [
    {"name": "Ada Chief", "role": "chief_executive"},
    {"name": "Ben Digital", "role": "cio_cdo"},
    {"name": "Cat Manager", "role": "senior_manager"},
    {"name": "Dan Other", "role": "other"},
]


def clean_register() -> dict[str, Any]:
    """A register of one clean supplier (as interchange data, easy to mutate)."""
    return {
        "people": copy.deepcopy(PEOPLE),
        "suppliers": [clean_supplier()],
        "contracts": [clean_contract()],
        "answers": yes_answers(),
    }


def score_of(
    data: dict[str, Any],
    name: str = NAME,
    today: dt.date = TODAY,
    config: ScoringConfig | None = None,
) -> SupplierScore:
    """Score a register given as data and return one supplier's score."""
    scores = score_register(Register.model_validate(data), today=today, config=config)
    return next(s for s in scores.suppliers if s.supplier == name)


def codes(score: SupplierScore) -> set[str]:
    """The finding codes of a score."""
    return {f.code for f in score.findings}
