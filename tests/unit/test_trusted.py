"""The one module that reaches past pydantic's public API, checked against the installed pydantic.

If a pydantic release changes what a model instance holds, or what ``model_construct``
sets, these fail: ``supplier_register.domain.trusted`` must then be brought up to date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import ContractRecord, PersonRecord, Supplier, SupplierRecord
from supplier_register.domain.trusted import (
    INSTANCE_SLOTS,
    every_field,
    is_plain,
    maker,
    share_fields_set,
    whole_maker,
)
from supplier_register.reports.summary import RiskSummary, SupplierRow
from supplier_register.scoring import Band, BoardQuestion, Finding, KeyQuestion
from supplier_register.scoring.results import Dimension, DimensionScore, SupplierScore, Theme

MADE_FAST = [
    SupplierScore,
    Finding,
    DimensionScore,
    BoardQuestion,
    SupplierRow,
    SupplierRecord,
    PersonRecord,
    ContractRecord,
]
"""The models the program makes by setting their slots (scoring, summaries, storage reads)."""


def test_a_model_instance_holds_exactly_the_slots_set() -> None:
    assert BaseModel.__slots__ == INSTANCE_SLOTS
    instance = DimensionScore(dimension=Dimension.EXIT, score=1, points=1.0, max_points=2.0)
    assert set(INSTANCE_SLOTS) <= set(dir(instance))


@pytest.mark.parametrize("model", MADE_FAST)
def test_the_models_made_fast_are_plain(model: type[BaseModel]) -> None:
    """Otherwise maker silently takes model_construct's slower road."""
    assert is_plain(model)


def test_a_model_with_private_attributes_is_not_plain() -> None:
    assert not is_plain(RiskSummary)
    made = maker(RiskSummary)(
        {"today": dt.date(2026, 1, 2), "suppliers": [], "questions": []}, {"today"}
    )
    assert made.__pydantic_private__ == {"_every_finding": None, "_supplier_ids": {}}


def _finding() -> dict[str, Any]:
    return {
        "code": "x",
        "supplier": "Acme",
        "contract": None,
        "dimension": Dimension.EXIT,
        "key_question": KeyQuestion.IF_WRONG,
        "points": 2.0,
        "title": "T",
        "explanation": "E",
        "reference": "R",
        "data_gap": False,
        "question_id": None,
        "evidence": None,
        "supplier_id": 7,
        "contract_id": 3,
    }


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Finding, _finding()),
        (
            DimensionScore,
            {"dimension": Dimension.BUYING, "score": 5, "points": 1.0, "max_points": 9.0},
        ),
        (
            BoardQuestion,
            {
                "supplier": "Acme",
                "key_question": KeyQuestion.SKILLS,
                "text": "Why?",
                "priority": 3.5,
                "criticality": Criticality.HIGH,
                "finding_codes": ["x"],
                "contracts": [],
                "evidence": [],
                "supplier_id": 7,
                "theme": Theme.EXIT,
                "also": ["And?"],
                "scope": "supplier",
            },
        ),
        (
            SupplierScore,
            {
                "supplier": "Acme",
                "criticality": Criticality.LOW,
                "score": 40,
                "band": Band.MEDIUM,
                "priority": 40.0,
                "impact": 2.2,
                "exposure": 0.9091,
                "confidence": 0.75,
                "risk_low": 35,
                "risk_high": 44,
                "impact_reasons": ["it supports a clinical service"],
                "dimensions": [],
                "findings": [],
                "data_gaps": [],
                "questions": [],
                "next_decide_by": None,
                "next_decide_by_contract": None,
                "decisions": [],
                "gap_phrases": ["whether it works"],
                "gap_priority": 1.5,
                "exit_plan": "no",
                "notice_dates": [],
                "supplier_id": 7,
            },
        ),
    ],
)
def test_made_models_equal_what_model_construct_and_validation_give(
    model: type[BaseModel], values: dict[str, Any]
) -> None:
    fast = whole_maker(model)(dict(values))
    slow = model.model_construct(set(model.model_fields), **values)
    assert fast == slow == model.model_validate(values)
    for slot in INSTANCE_SLOTS:
        assert getattr(fast, slot) == getattr(slow, slot), slot
    assert fast.model_fields_set is every_field(model)
    assert fast.model_dump_json() == slow.model_dump_json()
    assert model.model_validate(fast.model_dump()) == fast
    copied = fast.model_copy(update={next(iter(model.model_fields)): values[next(iter(values))]})
    assert copied == fast and copied is not fast


def test_a_validated_record_shares_the_class_fields_set() -> None:
    given = Supplier.model_validate({"name": "Acme", "category": "other", "criticality": "low"})
    whole = Supplier.model_validate(given.model_dump())
    assert whole.model_fields_set == every_field(Supplier)
    assert whole.model_fields_set is not every_field(Supplier)
    share_fields_set(whole)
    assert whole.model_fields_set is every_field(Supplier)
    partial = Supplier.model_validate({"name": "Acme", "category": "other", "criticality": "low"})
    share_fields_set(partial)
    assert partial.model_fields_set is not every_field(Supplier)
    assert partial.model_fields_set == {"name", "category", "criticality"}
