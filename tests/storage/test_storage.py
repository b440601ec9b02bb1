"""Storage: migrations, the repository's reads and writes, and all-or-nothing imports."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from supplier_register.domain import (
    Contract,
    Duplicate,
    InvalidInput,
    NotFound,
    Person,
    Register,
    StaleRecord,
    Supplier,
)
from supplier_register.domain.errors import BadFile
from supplier_register.storage import Repository, open_database, schema_version
from supplier_register.storage.migrations import SCHEMA_VERSION
from tests.support.registers import dump, small_register


def test_open_creates_owner_only_file_with_wal_and_foreign_keys(db_path: Path) -> None:
    db = open_database(db_path)
    try:
        assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert schema_version(db) == SCHEMA_VERSION
        assert {"people", "suppliers", "contracts", "answers"} <= set(db.table_names())
    finally:
        db.close()


def test_reopen_does_not_migrate_again(db_path: Path) -> None:
    open_database(db_path).close()
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_refuses_a_file_that_is_not_a_register(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("hello, not sqlite at all" * 100)
    with pytest.raises(BadFile, match="not a SQLite database"):
        open_database(junk)
    other = tmp_path / "other.db"
    Database(other).table("things").insert({"a": 1})
    with pytest.raises(BadFile, match="another program"):
        open_database(other)


def test_missing_database_without_create(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="does not exist"):
        open_database(tmp_path / "nope.db", create=False)


def test_import_then_read_back(loaded_repo: Repository) -> None:
    reg = loaded_repo.load_register()
    assert [s.name for s in reg.suppliers] == ["Acme [UK] Ltd", "Beta Cloud"]
    acme = loaded_repo.find_supplier("acme [uk] ltd")
    assert acme.owner == "Dana Whitfield"
    assert str(acme.annual_spend) == "1250000.50"
    assert reg == small_register().model_copy(
        update={"people": sorted(small_register().people, key=lambda p: p.name)}
    )


def test_import_twice_is_idempotent(loaded_repo: Repository) -> None:
    summary = loaded_repo.import_register(small_register())
    assert summary.suppliers.created == 0 and summary.suppliers.updated == 0
    assert summary.suppliers.unchanged == 2
    assert summary.contracts.unchanged == 2 and summary.answers.unchanged == 1
    assert loaded_repo.counts() == {
        "people": 2,
        "suppliers": 2,
        "contracts": 2,
        "answers": 1,
        "services": 0,
        "dependencies": 0,
    }


def test_import_upserts_by_natural_key_case_insensitively(loaded_repo: Repository) -> None:
    part = Register(
        suppliers=[Supplier(name="ACME [uk] LTD", category="epr", criticality="high")],
    )
    summary = loaded_repo.import_register(part)
    assert summary.suppliers.updated == 1 and summary.suppliers.created == 0
    acme = loaded_repo.find_supplier("Acme [UK] Ltd")
    assert acme.criticality == "high" and acme.version == 2
    assert loaded_repo.counts()["suppliers"] == 2


def test_import_with_bad_reference_changes_nothing(loaded_repo: Repository) -> None:
    before = dump(loaded_repo.db)
    bad = Register(
        suppliers=[Supplier(name="Gamma", category="other", criticality="low", owner="Nobody")],
        contracts=[
            Contract(
                supplier="Ghost Ltd",
                title="X",
                what_is_bought="commodity",
                contract_type="pay_as_you_go",
            )
        ],
    )
    with pytest.raises(InvalidInput) as info:
        loaded_repo.import_register(bad)
    assert info.value.problems == [
        "suppliers[0] (Gamma): owner: no person named 'Nobody' in the file or the register",
        "contracts[0]: supplier: no supplier named 'Ghost Ltd' in the file or the register",
    ]
    assert dump(loaded_repo.db) == before


def test_import_with_duplicates_in_file_changes_nothing(repo: Repository) -> None:
    before = dump(repo.db)
    bad = Register(
        suppliers=[
            Supplier(name="Gamma", category="other", criticality="low"),
            Supplier(name="GAMMA", category="other", criticality="low"),
        ]
    )
    with pytest.raises(
        InvalidInput, match=r"suppliers\[1\] \(GAMMA\): duplicate of suppliers\[0\]"
    ):
        repo.import_register(bad)
    assert dump(repo.db) == before


def test_failure_half_way_through_import_rolls_everything_back(
    loaded_repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(loaded_repo.db)
    calls = {"n": 0}
    original = loaded_repo._upsert_answer

    def boom(*args: object, **kw: object) -> str:
        calls["n"] += 1
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(loaded_repo, "_upsert_answer", boom)
    reg = small_register()
    reg.suppliers.append(Supplier(name="Delta", category="devices", criticality="low"))
    with pytest.raises(RuntimeError):
        loaded_repo.import_register(reg)
    assert calls["n"] == 1 and original is not None
    assert dump(loaded_repo.db) == before


def test_add_update_delete_supplier_with_versions(loaded_repo: Repository) -> None:
    s = loaded_repo.add_supplier(
        Supplier(name="Gamma Apps", category="patient_facing_app", criticality="medium")
    )
    assert s.version == 1
    s2 = loaded_repo.update_supplier(s.id, s.model_copy(update={"sme": True}), expected_version=1)
    assert s2.version == 2 and s2.sme is True
    with pytest.raises(StaleRecord, match="changed by someone else"):
        loaded_repo.update_supplier(s.id, s.model_copy(update={"sme": False}), expected_version=1)
    assert loaded_repo.get_supplier(s.id).sme is True
    with pytest.raises(StaleRecord):
        loaded_repo.delete_supplier(s.id, expected_version=1)
    loaded_repo.delete_supplier(s.id, expected_version=2)
    with pytest.raises(NotFound):
        loaded_repo.get_supplier(s.id)


def test_duplicate_supplier_name_is_refused(loaded_repo: Repository) -> None:
    before = dump(loaded_repo.db)
    with pytest.raises(Duplicate, match="name: a supplier named 'beta cloud' already exists"):
        loaded_repo.add_supplier(Supplier(name="beta cloud", category="other", criticality="low"))
    assert dump(loaded_repo.db) == before


def test_unknown_owner_is_refused(loaded_repo: Repository) -> None:
    before = dump(loaded_repo.db)
    with pytest.raises(NotFound, match="owner: no person named 'Zed'"):
        loaded_repo.add_supplier(
            Supplier(name="Z", category="other", criticality="low", owner="Zed")
        )
    assert dump(loaded_repo.db) == before


def test_deleting_supplier_cascades_to_contracts_and_answers(loaded_repo: Repository) -> None:
    acme = loaded_repo.find_supplier("Acme [UK] Ltd")
    loaded_repo.delete_supplier(acme.id)
    assert loaded_repo.counts() == {
        "people": 2,
        "suppliers": 1,
        "contracts": 1,
        "answers": 0,
        "services": 0,
        "dependencies": 0,
    }


def test_deleting_person_leaves_supplier_unowned(loaded_repo: Repository) -> None:
    sam = loaded_repo.find_person("Sam Okafor")
    loaded_repo.delete_person(sam.id)
    assert loaded_repo.find_supplier("Beta Cloud").owner is None


def test_contract_crud_and_duplicate_title(loaded_repo: Repository) -> None:
    c = loaded_repo.add_contract(
        Contract(
            supplier="Beta Cloud",
            title="Backup",
            what_is_bought="commodity",
            contract_type="pay_as_you_go",
        )
    )
    assert c.supplier == "Beta Cloud" and c.version == 1
    with pytest.raises(
        Duplicate, match="title: this supplier already has a contract titled 'backup'"
    ):
        loaded_repo.add_contract(c.model_copy(update={"title": "backup"}))
    updated = loaded_repo.update_contract(c.id, c.model_copy(update={"notice_period_days": 30}), 1)
    assert updated.notice_period_days == 30 and updated.version == 2
    loaded_repo.delete_contract(c.id, 2)
    assert [x.title for x in loaded_repo.list_contracts(c.supplier_id)] == ["Hosting"]


def test_set_answer_replaces_previous(loaded_repo: Repository) -> None:
    from supplier_register.domain import Answer

    a = loaded_repo.set_answer(
        Answer(
            supplier="Acme [UK] Ltd",
            question_id="options.bulk_export",
            answer="yes",
            evidence="tested",
        ),
        expected_version=1,
    )
    assert a.answer == "yes" and a.evidence == "tested" and a.version == 2
    assert loaded_repo.counts()["answers"] == 1


def test_people_crud(repo: Repository) -> None:
    p = repo.add_person(Person(name="Alex", role="senior_manager"))
    p2 = repo.update_person(p.id, p.model_copy(update={"role": "cio_cdo"}), 1)
    assert p2.role == "cio_cdo" and p2.version == 2
    with pytest.raises(Duplicate):
        repo.add_person(Person(name="ALEX", role="other"))
