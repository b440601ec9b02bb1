"""JSON interchange: parsing with named problems, lossless round trips, and the checked-in schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain import BadFile, InvalidInput
from supplier_register.domain.models import V2_ONLY_FIELDS, Register
from supplier_register.interchange import (
    dump_register_json,
    parse_register_json,
    read_register_file,
    register_schema_json,
)
from supplier_register.interchange.jsonio import V2_ONLY, V3_ONLY, validate_register_data
from supplier_register.interchange.synthetic import generate_register as synthetic_register
from supplier_register.storage import Repository, open_database
from tests.support.paths import REPO_ROOT
from tests.support.registers import small_register

ROOT = REPO_ROOT


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
        "contracts[0] (EPR licence and support): notice_period_days: must be at most 3650",
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
        parse_register_json('{"format_version": 5, "vendors": []}', "f.json")
    assert info.value.problems == [
        "f.json: format_version: must be 1, 2, 3 or 4",
        "f.json: vendors: unknown field",
    ]


def test_format_version_written_is_4_and_every_version_read() -> None:
    text = dump_register_json(small_register())
    assert json.loads(text)["format_version"] == 4
    assert parse_register_json(text).format_version == 4
    assert parse_register_json('{"format_version": 3}').format_version == 3
    assert parse_register_json('{"format_version": 2}').format_version == 2
    v1 = parse_register_json(
        '{"format_version": 1, "people": [{"name": "Sam Okafor", "role": "cio_cdo"}]}'
    )
    assert v1.format_version == 1
    assert v1.people[0].name == "Sam Okafor"
    assert parse_register_json("{}").format_version == 4


def test_the_v2_only_fields_are_one_list_each_a_supplier_or_contract_field() -> None:
    """jsonio refuses by the domain's list: every name in it is checked, none is a typo."""
    assert V2_ONLY["suppliers"] == ("parent_group",)
    assert {name for fields in V2_ONLY.values() for name in fields} == V2_ONLY_FIELDS
    assert "services" in V2_ONLY["contracts"] and "exit_plan" in V2_ONLY["contracts"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (
            lambda d: d.update(services=[]),
            'f.json: services: only format_version 2 has it; set "format_version": 2 to import it',
        ),
        (
            lambda d: d.update(dependencies=[]),
            "f.json: dependencies: only format_version 2 has it; set "
            '"format_version": 2 to import it',
        ),
        (
            lambda d: d["suppliers"][1].update(parent_group="Beta Holdings"),
            "suppliers[1] (Beta Cloud): parent group: only format_version 2 has it; set "
            '"format_version": 2 to import it',
        ),
        (
            lambda d: d["contracts"][0].update(exit_plan="none"),
            "contracts[0] (EPR licence and support): exit plan: only format_version 2 has it; "
            'set "format_version": 2 to import it',
        ),
        (
            lambda d: d["contracts"][1].update(services=[]),
            "contracts[1] (Hosting): services: only format_version 2 has it; set "
            '"format_version": 2 to import it',
        ),
    ],
)
def test_a_version_1_file_cannot_carry_what_only_version_2_has(damage: Any, problem: str) -> None:
    """Refused, not half imported: a v1 import leaves v2 fields as stored, so they would be lost."""
    data = json.loads(dump_register_json(small_register().model_copy(update={"format_version": 1})))
    suppliers = ("parent_group", *V3_ONLY)
    for kind, fields in (("suppliers", suppliers), ("contracts", V2_ONLY["contracts"])):
        for record in data[kind]:
            for name in fields:
                record.pop(name, None)
    for key in ("services", "dependencies"):
        data.pop(key)
    assert parse_register_json(json.dumps(data)).format_version == 1
    damage(data)
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(data), "f.json")
    assert info.value.problems == [problem]


def test_services_and_dependencies_are_named_in_problems() -> None:
    data = json.loads(dump_register_json(small_register()))
    data["services"] = [
        {"name": "Payroll", "clinical": False},
        {"name": "Radiology reporting", "clinical": True, "max_outage_hours": -4},
    ]
    data["dependencies"] = [
        {"supplier": "Acme [UK] Ltd", "depends_on": "Beta Cloud", "kind": "hosting"},
        {"supplier": "Beta Cloud", "depends_on": "beta cloud", "kind": "network"},
        {"supplier": "Acme [UK] Ltd", "depends_on": "Beta Cloud", "kind": "sort of"},
    ]
    with pytest.raises(InvalidInput) as info:
        parse_register_json(json.dumps(data), "f.json")
    problems = info.value.problems
    assert problems[0].startswith("services[1] (Radiology reporting): ")
    assert "tolerable outage (hours): must be at least 0" in problems[0]
    assert problems[1] == (
        "dependencies[1] (Beta Cloud → beta cloud): depends on: a supplier cannot depend on itself"
    )
    assert problems[2].startswith("dependencies[2] (Acme [UK] Ltd → Beta Cloud): kind: must be")
    assert len(problems) == 3


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


def _whole(data: dict[str, object]) -> list[str] | Register:
    """What validating the data as one Register gives: the register, or its problems."""
    from pydantic import ValidationError

    from supplier_register.interchange.jsonio import _problems

    try:
        return Register.model_validate(data)
    except ValidationError as exc:
        return _problems(exc, data, "f.json", ())


def _streamed(data: dict[str, object]) -> list[str] | Register:
    try:
        return validate_register_data(data, "f.json")
    except InvalidInput as exc:
        return exc.problems


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: None,
        lambda d: d["suppliers"][1].update(criticality="sort of", sme="perhaps"),
        lambda d: d["contracts"].append("not a record"),
        lambda d: d["people"][0].pop("name"),
        lambda d: d["answers"][2].update(answered_on="yesterday", colour="red"),
        lambda d: d.update(suppliers={"not": "a list"}),
        lambda d: d.update(trust=""),
        lambda d: d.pop("contracts"),
        lambda d: d["services"].append({"name": "ED triage", "clinical": "maybe"}),
        lambda d: d["dependencies"].append({"supplier": "X", "depends_on": "x", "kind": "hosting"}),
        lambda d: d.update(services=None),
    ],
)
def test_records_validated_one_at_a_time_equal_the_whole_register(damage: Any) -> None:
    """The memory-saving validation gives the same register, and the same problems in order."""
    base = json.loads(dump_register_json(synthetic_register(30, seed=3)))
    damage(base)
    whole = _whole(json.loads(json.dumps(base)))
    streamed = _streamed(json.loads(json.dumps(base)))
    assert streamed == whole
    if isinstance(streamed, Register):
        assert isinstance(whole, Register)
        assert streamed.model_fields_set == whole.model_fields_set
        assert dump_register_json(streamed) == dump_register_json(whole)


def test_records_given_every_field_share_one_fields_set_safely() -> None:
    """Sharing the fields-set never lets setting a field on one record show on another."""
    data = json.loads(dump_register_json(synthetic_register(3, seed=2)))
    del data["suppliers"][0]["notes"]  # this one leaves a field to its default
    register = validate_register_data(data)
    first, second = register.suppliers[0], register.suppliers[1]
    assert "notes" not in first.model_fields_set
    assert second.model_fields_set == set(type(second).model_fields)
    assert second.model_fields_set is register.suppliers[2].model_fields_set
    second.notes = "changed"
    assert "notes" not in first.model_fields_set
    assert register.suppliers[2].notes != "changed"


def test_the_readme_example_is_a_valid_version_3_file() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### The JSON interchange format", 1)[1].split("\n### ", 1)[0]
    block = section.split("```json\n", 1)[1].split("```", 1)[0]
    register = parse_register_json(block, "README.md")
    assert register.format_version == 3
    assert register.suppliers[0].cyber_essentials_expiry == dt.date(2027, 3, 3)
    assert [len(getattr(register, k)) for k in ("services", "dependencies")] == [1, 1]
    assert register.contracts[0].services == ["ED triage"]
