"""The interchange JSON written in pieces equals the whole-register dump, character for character."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from supplier_register import cli
from supplier_register.domain.models import Register
from supplier_register.interchange import (
    dump_register_json,
    iter_register_json,
    jsonio,
    parse_register_json,
    read_register_file,
    sample_register_path,
)
from supplier_register.interchange.synthetic import generate_register
from supplier_register.services.exports import register_json
from supplier_register.storage import Repository, open_database
from tests.support.registers import linked_register
from tests.support.reportdata import hostile_register


def _database(register: Register) -> Database:
    db = open_database(":memory:")
    Repository(db).import_register(register)
    return db


@pytest.fixture(params=["sample", "synthetic", "hostile", "linked", "empty"])
def loaded(request: pytest.FixtureRequest) -> Database:
    if request.param == "sample":
        return _database(read_register_file(sample_register_path()))
    if request.param == "synthetic":
        return _database(generate_register(60, seed=2))
    if request.param == "hostile":
        return _database(hostile_register())
    if request.param == "linked":
        return _database(linked_register())
    return open_database(":memory:")


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_streamed_dump_is_the_whole_dump(
    loaded: Database, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonio, "CHUNK_ITEMS", chunk)
    whole = dump_register_json(Repository(loaded).load_register())
    pieces = list(register_json(loaded))
    assert "".join(pieces) == whole
    assert parse_register_json(whole) == Repository(loaded).load_register()
    counts = Repository(loaded).counts()
    data = json.loads(whole)
    assert (len(data["services"]), len(data["dependencies"])) == (
        counts["services"],
        counts["dependencies"],
    )


def test_many_pieces_for_a_large_register(monkeypatch: pytest.MonkeyPatch) -> None:
    db = _database(generate_register(40, seed=4))
    monkeypatch.setattr(jsonio, "CHUNK_ITEMS", 10)
    counts = Repository(db).counts()
    pieces = list(register_json(db))
    records = sum(counts[k] for k in ("people", "suppliers", "contracts", "answers"))
    assert len(pieces) >= records // 10
    assert max(len(p) for p in pieces) < len("".join(pieces)) // 5


def test_trust_and_empty_lists_in_place() -> None:
    text = "".join(iter_register_json('Riverside [NHS] Trust "x"', [], [], [], [], [], []))
    assert text == dump_register_json(Register(trust='Riverside [NHS] Trust "x"'))
    assert json.loads(text)["people"] == []


def test_cli_json_export_is_the_dump(tmp_path: Path) -> None:
    db_path = tmp_path / "r.db"
    db = open_database(db_path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    expected = dump_register_json(Repository(db).load_register())
    db.close()
    out = tmp_path / "register.json"
    result = CliRunner().invoke(cli.main, ["--db", str(db_path), "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == expected
