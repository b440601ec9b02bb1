"""Bulk reads build models without validating trusted rows again: they must equal validated ones."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from supplier_register.domain import Criticality, SupplierRecord
from supplier_register.domain.models import AnswerRecord, ContractRecord, PersonRecord, Register
from supplier_register.domain.trusted import maker
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.storage import Repository
from supplier_register.storage.records import converter
from tests.support.registers import small_register


def assert_same_as_validated(model: BaseModel) -> None:
    """Equal to the model validated from its own dump, with every value of the same type."""
    validated = type(model).model_validate(model.model_dump())
    assert model == validated
    assert model.model_fields_set == validated.model_fields_set
    for name in type(model).model_fields:
        mine, theirs = getattr(model, name), getattr(validated, name)
        assert type(mine) is type(theirs), (type(model).__name__, name, mine, theirs)
        if isinstance(mine, list):
            assert [type(x) for x in mine] == [type(x) for x in theirs]


@pytest.fixture(params=["small", "sample", "synthetic"])
def register(request: pytest.FixtureRequest) -> Register:
    if request.param == "small":
        return small_register()
    if request.param == "sample":
        return read_register_file(sample_register_path())
    return generate_register(40, seed=7, today=dt.date(2026, 11, 26))


def test_bulk_reads_equal_validated_models(repo: Repository, register: Register) -> None:
    repo.import_register(register)
    records: list[BaseModel] = [
        *repo.list_people(),
        *repo.list_suppliers(),
        *repo.list_contracts(),
        *repo.list_answers(),
    ]
    assert len(records) == sum(
        len(x) for x in (register.people, register.suppliers, register.contracts, register.answers)
    )
    for record in records:
        assert_same_as_validated(record)
    loaded = repo.load_register()
    for model in [*loaded.people, *loaded.suppliers, *loaded.contracts, *loaded.answers]:
        assert_same_as_validated(model)
    assert loaded == Register.model_validate(loaded.model_dump())
    assert (
        loaded.model_dump_json() == Register.model_validate(loaded.model_dump()).model_dump_json()
    )


def test_bulk_reads_equal_single_reads(loaded_repo: Repository) -> None:
    for supplier in loaded_repo.list_suppliers():
        assert loaded_repo.get_supplier(supplier.id) == supplier
    for contract in loaded_repo.list_contracts():
        assert loaded_repo.get_contract(contract.id) == contract
    for person in loaded_repo.list_people():
        assert loaded_repo.get_person(person.id) == person


def test_read_models_still_validate_assignment(loaded_repo: Repository) -> None:
    first, second = loaded_repo.list_suppliers()
    first.notes = "  reviewed  "
    assert first.notes == "reviewed"
    with pytest.raises(ValidationError):
        first.criticality = "enormous"  # type: ignore[assignment]
    assert second.notes == ""
    assert first.model_fields_set == set(SupplierRecord.model_fields)
    copy = first.model_copy(update={"name": "Other"})
    assert copy.name == "Other" and first.name == "Acme [UK] Ltd"


def test_repeated_values_are_shared_not_copied(repo: Repository) -> None:
    repo.import_register(generate_register(20, seed=3))
    answers = repo.list_answers()
    by_supplier: dict[str, list[AnswerRecord]] = {}
    for answer in answers:
        by_supplier.setdefault(answer.supplier, []).append(answer)
    for group in by_supplier.values():
        assert all(a.supplier is group[0].supplier for a in group)
    contracts = repo.list_contracts()
    assert len({id(c.model_fields_set) for c in contracts}) == 1
    ends = {c.end_date for c in contracts if c.end_date is not None}
    assert len({id(c.end_date) for c in contracts if c.end_date is not None}) == len(ends)


def test_read_fields_come_in_the_models_order(loaded_repo: Repository) -> None:
    """Built rows keep the field order validation gives (serialisation and repr follow it)."""
    for record in [*loaded_repo.list_suppliers(), *loaded_repo.list_contracts()]:
        assert list(record.__dict__) == list(type(record).model_fields)


def test_a_row_edited_by_hand_fails_as_validation_did(loaded_repo: Repository) -> None:
    loaded_repo.db.execute(
        "UPDATE suppliers SET criticality = 'enormous' WHERE name = 'Beta Cloud'"
    )
    with pytest.raises(ValidationError, match="criticality"):
        loaded_repo.list_suppliers()
    with pytest.raises(ValidationError, match="criticality"):
        loaded_repo.load_register()


def test_a_row_with_an_unconvertible_date_falls_back_to_validation(
    loaded_repo: Repository,
) -> None:
    loaded_repo.db.execute("UPDATE contracts SET start_date = '2022-04-01T00:00:00'")
    contracts = loaded_repo.list_contracts()
    assert {c.start_date for c in contracts} == {dt.date(2022, 4, 1)}


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (
            SupplierRecord,
            {
                **small_register().suppliers[0].model_dump(),
                "criticality": Criticality.HIGH,
                "annual_spend": Decimal("12.50"),
                "id": 4,
                "version": 2,
            },
        ),
        (PersonRecord, {"name": "A", "role": "cio_cdo", "contact": None, "id": 1, "version": 1}),
        (
            ContractRecord,
            {**small_register().contracts[1].model_dump(), "id": 9, "supplier_id": 2, "version": 1},
        ),
    ],
)
def test_constructor_does_what_model_construct_does(
    model: type[BaseModel], values: dict[str, Any]
) -> None:
    fields_set = set(model.model_fields)
    fast = maker(model)(dict(values), fields_set)
    slow = model.model_construct(fields_set, **values)
    assert fast.__dict__ == slow.__dict__
    assert fast.__pydantic_fields_set__ is fields_set
    assert fast.__pydantic_extra__ == slow.__pydantic_extra__
    assert fast.__pydantic_private__ == slow.__pydantic_private__
    assert fast == slow


def test_a_field_type_without_a_reader_is_refused() -> None:
    with pytest.raises(TypeError, match="no database reader"):
        converter(float)
    with pytest.raises(TypeError, match="money field"):
        converter(int, money=True)
    read_date = converter(dt.date | None)
    assert read_date is not None and read_date("2026-01-02") == dt.date(2026, 1, 2)
    assert converter(str) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was(loaded_repo: Repository, enabled: bool) -> None:
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        loaded_repo.load_register()
        assert gc.isenabled() is enabled
        loaded_repo.db.execute("UPDATE suppliers SET criticality = 'enormous'")
        with pytest.raises(ValidationError):
            loaded_repo.list_suppliers()
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()


def test_a_query_shape_is_compiled_once(loaded_repo: Repository, monkeypatch: Any) -> None:
    """Many small reads (the impact view makes several per supplier) compile no code again."""
    import builtins

    loaded_repo.list_suppliers()
    first = loaded_repo.get_supplier(loaded_repo.list_suppliers()[0].id)
    compiled: list[str] = []
    real = builtins.compile

    def counting(source: Any, filename: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(filename))
        return real(source, filename, *args, **kwargs)

    monkeypatch.setattr(builtins, "compile", counting)
    again = [loaded_repo.get_supplier(s.id) for s in loaded_repo.list_suppliers()]
    assert not [name for name in compiled if "row builder" in name]
    assert again[0] == first
    assert all(type(s) is SupplierRecord for s in again)
