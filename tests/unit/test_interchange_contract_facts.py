"""The interchange format carries how a contract was competed and its extension options."""

from __future__ import annotations

import json
from typing import Any

import pytest

from supplier_register.domain import Competition, InvalidInput
from supplier_register.interchange import dump_register_json, parse_register_json
from supplier_register.storage import Repository, open_database
from tests.support.registers import small_register


def _data(**facts: object) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dump_register_json(small_register()))
    data["contracts"][0].update(facts)
    return data


def test_the_facts_round_trip_through_json() -> None:
    data = _data(competition="further_competition", extension_count=2, extension_months=12)
    register = parse_register_json(json.dumps(data))
    contract = register.contracts[0]
    assert contract.competition is Competition.FURTHER_COMPETITION
    assert (contract.extension_count, contract.extension_months) == (2, 12)
    text = dump_register_json(register)
    assert json.loads(text)["contracts"][0]["competition"] == "further_competition"
    assert parse_register_json(text) == register


def test_a_file_that_leaves_them_out_reads_them_as_not_recorded() -> None:
    data = _data()
    for contract in data["contracts"]:
        for name in ("competition", "extension_count", "extension_months"):
            del contract[name]
    contract = parse_register_json(json.dumps(data)).contracts[0]
    assert contract.competition is Competition.UNKNOWN
    assert contract.extension_count is None and contract.extension_months is None


def test_a_count_without_months_is_one_line_naming_the_record_and_fields() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(_data(extension_count=2)), "r.json")
    assert info.value.problems == [
        "contracts[0] (EPR licence and support): months per extension: needed with the number "
        "of extensions (2): give both, or neither"
    ]


def test_a_version_1_file_giving_them_is_refused_naming_them() -> None:
    data = _data(competition="open")
    data["format_version"] = 1
    for key in ("services", "dependencies"):
        del data[key]
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(data), "v1.json")
    assert any(
        line.startswith(
            "contracts[0] (EPR licence and support): competition: only format_version 2"
        )
        for line in info.value.problems
    )


def test_a_version_1_import_leaves_the_facts_as_stored() -> None:
    db = open_database(":memory:")
    try:
        repo = Repository(db)
        register = parse_register_json(
            json.dumps(_data(competition="no_competition", extension_count=0))
        )
        repo.import_register(register)
        repo.import_register(register.model_copy(update={"format_version": 1}))
        stored = {c.title: c for c in repo.list_contracts()}["EPR licence and support"]
        assert stored.competition is Competition.NO_COMPETITION
        assert stored.extension_count == 0
    finally:
        db.close()
