"""Cached overview rows are written and read through one typed schema: they read back equal."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import ValidationError

from supplier_register.domain.enums import Criticality
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import Band, FindingHead, Scorer, ScoringContext, SupplierOverview
from supplier_register.scoring.engine import OverviewEntry
from supplier_register.services.register_scoring import _decode, _encode

TODAY = dt.date(2026, 11, 26)

TRICKY = [
    "x,[[1,2.0]]]",
    ",[]]",
    '"],[[',
    "\\,[[\\",
    "[]]",
    "a\u2028b,[[",
    "=1,[[\u00e9]]",
    "two\nlines\r\n",
    "tab\there \x00 \x1b[31m",
    "Stra\u00dfe \U0001f600",
]
"""Text holding JSON punctuation, escapes, line breaks (the parts' separator) and control codes."""


def _entry(text: str, ranks: tuple[tuple[int, float], ...], contract: str | None) -> OverviewEntry:
    return OverviewEntry(
        SupplierOverview(
            supplier=f"Supplier {text}",
            criticality=Criticality.HIGH,
            score=42,
            band=Band.SEVERE,
            priority=84.5,
            impact=3.7,
            exposure=0.1 + 0.2,  # not a short decimal: must read back to the same float
            confidence=2 / 3,
            risk_low=30,
            risk_high=55,
            dimension_scores=(1, 2, 3, 4, 5, 6),
            finding_count=3,
            data_gap_count=1,
            question_count=len(ranks),
            questions_by_key=(1, 0, 2),
            top_findings=(FindingHead(f"Title {text}", contract), FindingHead(text, None)),
            next_decide_by=dt.date(2027, 1, 31) if contract else None,
            next_decide_by_contract=contract,
            supplier_id=7,
            notice_dates=(dt.date(2026, 10, 2), dt.date(2027, 4, 1)) if contract else (),
        ),
        ranks,
    )


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("ranks", [(), ((1, 6.0),), ((0, 2.25), (2, 4.5), (1, 1e-05))])
@pytest.mark.parametrize("last", ["contract", None])
def test_rows_with_tricky_text_decode_the_same_without_ranks(
    text: str, ranks: tuple[tuple[int, float], ...], last: str | None
) -> None:
    entry = _entry(text, ranks, text + (last or "") if last else None)
    data = _encode(entry)
    assert _decode(data) == entry
    assert _decode(data, ranks=False) == OverviewEntry(entry.overview, ())
    assert _decode(data).overview.supplier_id == 7  # not compared by ==: checked on its own
    assert data.count("\n") == 1  # the separator between the overview and its ranks


def test_scored_rows_decode_the_same_without_ranks() -> None:
    register = generate_register(60, seed=5, today=TODAY)
    scorer = Scorer()
    context = ScoringContext.build(
        register.people, register.suppliers, scorer.config, register.services
    )
    by_supplier = [
        (
            s,
            [c for c in register.contracts if c.supplier == s.name],
            [a for a in register.answers if a.supplier == s.name],
        )
        for s in register.suppliers
    ]
    entries = list(scorer.overview_entries(by_supplier, context=context, today=TODAY))
    assert any(e.questions for e in entries) and len(entries) == 60
    for entry in entries:
        data = _encode(entry)
        assert _decode(data, ranks=False) == OverviewEntry(entry.overview, ())


def test_every_field_of_an_overview_is_stored() -> None:
    """A field added to the overview is in the schema: every one reads back as written."""
    entry = _entry("x", ((1, 2.0),), "c")
    back = _decode(_encode(entry)).overview
    for field in dataclasses.fields(entry.overview):
        assert getattr(back, field.name) == getattr(entry.overview, field.name), field.name


@pytest.mark.parametrize(
    "data",
    [
        "",
        "[]\n[]",
        '["x"]\n[]',
        _encode(_entry("x", (), "c")).replace('"high"', '"urgent"'),
        _encode(_entry("x", ((1, 2.0),), "c")).replace("[[1,2.0]]", '[["a",2.0]]'),
    ],
)
def test_rows_of_another_shape_are_refused(data: str) -> None:
    """A row not of the schema (truncated, an unknown value, a wrong type) is never half-read."""
    with pytest.raises(ValidationError):
        _decode(data)
