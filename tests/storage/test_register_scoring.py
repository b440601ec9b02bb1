"""Scoring straight from the database (streamed records, overviews, full scores on demand).

Everything here must equal what loading the whole register and scoring it gives.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from pydantic import ValidationError

from supplier_register.domain.models import Register, Supplier
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports.jsonstream import stream_document
from supplier_register.scoring import ScoringConfig, SupplierOverview
from supplier_register.services.register_scoring import BATCH, prepare_scoring
from supplier_register.storage import AnswerFacts, Repository, open_database
from tests.support.oracles import score_register
from tests.support.registers import small_register

TODAY = dt.date(2026, 11, 26)


ODD_NAMES = ['Q "uote" \\ back', "emoji 😀 Ltd", "ls \u2028 sep", "rtl \u202e x", "nbsp\u00a0x"]


def odd_register() -> Register:
    """Suppliers and contracts whose names JSON must escape or keep exactly."""
    data = small_register().model_dump()
    for supplier, name in zip(data["suppliers"], ODD_NAMES, strict=False):
        old = supplier["name"]
        supplier["name"] = name
        for item in data["contracts"] + data["answers"]:
            if item["supplier"] == old:
                item["supplier"] = name
        for contract in data["contracts"]:
            if contract["supplier"] == name:
                contract["title"] = f"{contract['title']} «{name}»"
    return Register.model_validate(data)


@pytest.fixture(params=["small", "odd", "sample", "synthetic"])
def register(request: pytest.FixtureRequest) -> Register:
    if request.param == "small":
        return small_register()
    if request.param == "odd":
        return odd_register()
    if request.param == "sample":
        return read_register_file(sample_register_path())
    return generate_register(BATCH + 60, seed=11, today=TODAY)


def test_streamed_records_are_each_suppliers_own(repo: Repository, register: Register) -> None:
    repo.import_register(register)
    # A supplier with no contracts and no answers.
    repo.add_supplier(Supplier(name="Nothing Yet Ltd", category="other", criticality="low"))
    suppliers = repo.list_suppliers()
    contracts = repo.list_contracts()
    answers = repo.list_answers()
    streamed = list(repo.iter_scoring_records(reversed(suppliers)))
    assert [s.id for s, _, _ in streamed] == sorted(s.id for s in suppliers)
    for supplier, own_contracts, own_answers in streamed:
        assert own_contracts == [c for c in contracts if c.supplier_id == supplier.id]
        expected = sorted(
            (a for a in answers if a.supplier_id == supplier.id), key=lambda a: a.question_id
        )
        assert own_answers == [
            AnswerFacts(a.question_id, a.answer, a.answered_on, a.evidence) for a in expected
        ]
        for fact in own_answers:
            assert type(fact.answer) is type(expected[0].answer)
    assert any(not c and not a for _, c, a in streamed)
    chosen = suppliers[::-2]
    assert repo.scoring_records_for(chosen) == [
        next(item for item in streamed if item[0].id == s.id) for s in chosen
    ]


def test_a_hand_edited_answer_fails_as_validation_did(repo: Repository) -> None:
    repo.import_register(small_register())
    suppliers = repo.list_suppliers()
    repo.db.execute("UPDATE answers SET answered_on = '2026-01-02T00:00:00'")
    streamed = list(repo.iter_scoring_records(suppliers))
    assert {a.answered_on for _, _, own in streamed for a in own} == {dt.date(2026, 1, 2)}
    repo.db.execute("UPDATE answers SET answer = 'maybe'")
    with pytest.raises(ValidationError, match="answer"):
        list(repo.iter_scoring_records(suppliers))


@pytest.mark.parametrize("today", [TODAY, dt.date(2025, 3, 31)])
def test_database_scoring_equals_whole_register_scoring(
    repo: Repository, register: Register, today: dt.date
) -> None:
    repo.import_register(register)
    config = ScoringConfig(top_questions=20, top_questions_per_key=3)
    full = score_register(repo.load_register(), today=today, config=config)
    scoring = prepare_scoring(repo.db, today, config=config)
    overview = scoring.overview()
    assert overview.suppliers == [SupplierOverview.of(s) for s in full.suppliers]
    assert overview.top_questions == full.top_questions
    ordered = scoring.in_priority_order(overview)
    assert [s.name for s, _ in ordered] == [s.supplier for s in full.suppliers]
    assert [score for _, score in scoring.iter_full_scores([s for s, _ in ordered])] == (
        full.suppliers
    )
    last = ordered[-1][0]
    assert scoring.full_score(last) == full.suppliers[-1]
    assert scoring.supplier_named(last.name.upper()) == last
    assert scoring.supplier_named("no such supplier") is None


@pytest.mark.parametrize(
    "items",
    [[], [1], [{"a": [1, {"b": 'é\n\t"x"'}], "c": {}}, [], "text", None, 2.5]],
)
def test_streamed_json_is_what_json_dumps_writes(items: list[object]) -> None:
    document = {"format": "x", "items": None, "after": {"nested": [1, 2]}}
    expected = json.dumps({**document, "items": items}, indent=2, ensure_ascii=False)
    assert "".join(stream_document(document, "items", iter(items))) == expected
    with pytest.raises(KeyError):
        list(stream_document(document, "missing", iter(items)))


def test_pydantic_writes_scores_as_json_dumps_does(repo: Repository, register: Register) -> None:
    """``score --format json`` writes each score with pydantic, for speed: the text must not change."""
    repo.import_register(register)
    for today in (TODAY, dt.date(2024, 2, 29)):
        for score in score_register(repo.load_register(), today=today).suppliers:
            expected = json.dumps(score.model_dump(mode="json"), indent=2, ensure_ascii=False)
            assert score.model_dump_json(indent=2) == expected


@pytest.mark.parametrize("cache", [False, True])
def test_overviews_carry_their_supplier_id_and_are_joined_by_it(cache: bool) -> None:
    """Names are for display: each overview names its record's id, and records are found by it."""
    db = open_database(":memory:")
    Repository(db).import_register(generate_register(30, seed=4, today=TODAY))
    for _ in range(2):  # cold, then (with the cache) read back from the rows
        scoring = prepare_scoring(db, TODAY)
        overview = scoring.overview(cache=cache)
        ids = {s.id: s for s in scoring.suppliers}
        assert sorted(o.supplier_id or 0 for o in overview.suppliers) == sorted(ids)
        for record, o in scoring.in_priority_order(overview):
            assert o.supplier_id == record.id and ids[record.id].name == o.supplier
    renamed = [replace(o, supplier="a name no record has") for o in overview.suppliers[:3]]
    assert scoring.suppliers_of(renamed) == [ids[o.supplier_id or 0] for o in renamed]
    with pytest.raises(ValueError, match="without a supplier id"):
        scoring.suppliers_of([replace(overview.suppliers[0], supplier_id=None)])
