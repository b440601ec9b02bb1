"""Cached overview rows read back without their question ranks equal the entries written."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from supplier_register.domain.enums import Criticality
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import Band, FindingHead, Scorer, ScoringContext, SupplierOverview
from supplier_register.scoring.engine import OverviewEntry
from supplier_register.services.register_scoring import _decode, _encode, _fields_but_ranks

TODAY = dt.date(2026, 11, 26)

TRICKY = ["x,[[1,2.0]]]", ",[]]", '"],[[', "\\,[[\\", "[]]", "a\u2028b,[[", "=1,[[\u00e9]]"]
"""Text holding what marks where the ranks start, escapes, and line separators."""


def _entry(text: str, ranks: tuple[tuple[int, float], ...], contract: str | None) -> OverviewEntry:
    return OverviewEntry(
        SupplierOverview(
            supplier=f"Supplier {text}",
            criticality=Criticality.HIGH,
            score=42,
            band=Band.SEVERE,
            priority=84.5,
            dimension_scores=(1, 2, 3, 4, 5, 6),
            finding_count=3,
            data_gap_count=1,
            question_count=len(ranks),
            questions_by_key=(1, 0, 2),
            top_findings=(FindingHead(f"Title {text}", contract), FindingHead(text, None)),
            next_decide_by=dt.date(2027, 1, 31) if contract else None,
            next_decide_by_contract=contract,
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
    assert _fields_but_ranks(data)[:13] == json.loads(data)[:13]


def test_scored_rows_decode_the_same_without_ranks() -> None:
    register = generate_register(60, seed=5, today=TODAY)
    scorer = Scorer()
    context = ScoringContext.build(register.people, register.suppliers, scorer.config)
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


@pytest.mark.parametrize("tail", ["", ",[]", ',"x"', ",[[1,2.0]],[]"])
def test_rows_of_another_shape_are_parsed_whole(tail: str) -> None:
    """Text not ending in the ranks as written is parsed whole, never cut short."""
    fields = json.loads(_encode(_entry("x", ((1, 2.0),), "c")))[:13]
    data = json.dumps(fields)[:-1] + tail + "]"
    got, whole = _fields_but_ranks(data), json.loads(data)
    assert got[:13] == whole[:13] == fields
    if len(whole) == 14 and whole[13] == []:
        assert got == [*fields, None]  # the ranks as written (empty): cut off
    else:
        assert got == whole
