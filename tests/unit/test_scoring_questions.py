"""The question bank: shipped data is valid, complete and loads through one validator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from supplier_register.domain.enums import AnswerValue, Criticality, SupplyCategory
from supplier_register.domain.errors import BadFile
from supplier_register.scoring.questions import (
    default_question_bank,
    load_question_bank,
    parse_question_bank,
    question_ids,
)
from supplier_register.scoring.results import Dimension, KeyQuestion

BANK = default_question_bank()


def test_bank_is_versioned_and_covers_every_dimension_and_key_question() -> None:
    assert BANK.version == 1
    assert 30 <= len(BANK.questions) <= 45
    assert {q.dimension for q in BANK.questions} == set(Dimension)
    assert {q.key_question for q in BANK.questions} == set(KeyQuestion)


def test_ids_are_unique_and_valid_answer_keys() -> None:
    ids = question_ids()
    assert len(ids) == len(set(ids))
    # The domain's Answer.question_id pattern must accept every id.
    for qid in ids:
        assert re.fullmatch(r"[a-z][a-z0-9_.-]{1,63}", qid), qid


def test_board_question_names_the_supplier() -> None:
    for q in BANK.questions:
        text = q.board_text("Acme [UK] Ltd")
        assert "Acme [UK] Ltd" in text
        assert "{" not in text
        assert text.endswith("?"), q.id
        assert q.wording.endswith("?"), q.id


def test_applies_to_filters_by_category_and_criticality() -> None:
    epr_only = BANK.by_id["options.epr_lockin_mitigated"]
    assert epr_only.applies(SupplyCategory.EPR, Criticality.LOW)
    assert not epr_only.applies(SupplyCategory.DEVICES, Criticality.STRATEGIC)
    tested = BANK.by_id["exit.plan_tested"]
    assert tested.applies(SupplyCategory.DEVICES, Criticality.HIGH)
    assert not tested.applies(SupplyCategory.DEVICES, Criticality.MEDIUM)
    everyone = BANK.by_id["relationship.roles_clear"]
    assert everyone.applies(SupplyCategory.OTHER, Criticality.LOW)


def test_the_answer_scale_is_the_domain_enum() -> None:
    assert [v.value for v in AnswerValue] == ["yes", "partly", "no", "unknown", "not_applicable"]


def test_load_from_file_round_trips(tmp_path: Path) -> None:
    data = json.loads(BANK.model_dump_json())
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_question_bank(path) == BANK
    assert load_question_bank(None) is BANK


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["questions"].append(dict(d["questions"][0])), "duplicate question id"),
        (lambda d: d["questions"][0].update(dimension="exit"), "must start with its dimension"),
        (lambda d: d["questions"][0].update(weight=-1), "weight"),
        (lambda d: d["questions"][0].update(colour="red"), "unknown field"),
    ],
)
def test_bad_bank_is_a_one_line_bad_file(mutate: object, fragment: str) -> None:
    data = json.loads(BANK.model_dump_json())
    mutate(data)  # type: ignore[operator]
    with pytest.raises(BadFile) as info:
        parse_question_bank(json.dumps(data), "bank.json")
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_unreadable_file_is_bad_file(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="cannot read"):
        load_question_bank(tmp_path / "missing.json")
