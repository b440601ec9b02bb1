"""JSON interchange: parsing with named problems, lossless round trips, and the checked-in schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import small_register
from supplier_register.domain import BadFile, InvalidInput
from supplier_register.interchange import (
    dump_register_json,
    parse_register_json,
    read_register_file,
    register_schema_json,
)
from supplier_register.storage import Repository, open_database

ROOT = Path(__file__).resolve().parents[1]


def test_round_trip_is_lossless() -> None:
    text = dump_register_json(small_register())
    db1 = Repository(open_database(":memory:"))
    db1.import_register(parse_register_json(text))
    first = dump_register_json(db1.load_register())
    db2 = Repository(open_database(":memory:"))
    db2.import_register(parse_register_json(first))
    assert dump_register_json(db2.load_register()) == first
    assert '"annual_spend": 1250000.5' in first
    assert '"annual_value": 900000,' in first


def test_problems_name_record_and_field() -> None:
    data = json.loads(dump_register_json(small_register()))
    data["suppliers"][1]["criticality"] = "sort of"
    data["contracts"][0]["notice_period_days"] = 9999
    data["contracts"][0]["colour"] = "red"
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(data), "f.json")
    assert info.value.problems[0].startswith(
        "suppliers[1] (Beta Cloud): criticality: must be one of"
    )
    assert info.value.problems[1:] == [
        "contracts[0] (EPR licence and support): notice_period_days: "
        "input should be less than or equal to 3650",
        "contracts[0] (EPR licence and support): colour: unknown field",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "f.json: not valid JSON (Expecting property name enclosed in double quotes"),
        ("[1, 2]", "f.json: expected a JSON object"),
    ],
)
def test_bad_json_is_one_line(text: str, message: str) -> None:
    with pytest.raises(BadFile) as info:
        parse_register_json(text, "f.json")
    assert info.value.message.startswith(message)
    assert "\n" not in info.value.message


def test_unknown_top_level_field_and_wrong_format_version() -> None:
    with pytest.raises(InvalidInput) as info:
        parse_register_json('{"format_version": 2, "vendors": []}', "f.json")
    assert info.value.problems == [
        "f.json: format_version: input should be 1",
        "f.json: vendors: unknown field",
    ]


def test_answer_to_unknown_question_is_refused() -> None:
    data = json.loads(dump_register_json(small_register()))
    data["answers"][0]["question_id"] = "options.bulk_exprot"
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(data), "f.json")
    assert info.value.problems == [
        "answers[0] (Acme [UK] Ltd / options.bulk_exprot): question_id: "
        "not a question in the question bank"
    ]


def test_read_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="no such file"):
        read_register_file(tmp_path / "missing.json")
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"people": [{"name": "Jos\xe9"}]}'.encode("latin-1"))
    with pytest.raises(BadFile, match="not UTF-8"):
        read_register_file(bad)


def test_checked_in_schema_matches_the_models() -> None:
    checked_in = (ROOT / "schemas" / "register.schema.json").read_text(encoding="utf-8")
    assert checked_in == register_schema_json(), (
        "schemas/register.schema.json is out of date: "
        "run `supplier-register schema > schemas/register.schema.json`"
    )


def test_schema_rejects_unknown_fields_everywhere() -> None:
    schema = json.loads(register_schema_json())
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition["additionalProperties"] is False, name
