"""``--dry-run`` never creates, migrates or touches the register file (issue 18)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from supplier_register.storage import open_database
from supplier_register.storage.audit import ensure_audit_triggers
from supplier_register.storage.db import open_preview, schema_version, write_transaction
from supplier_register.storage.migrations import SCHEMA_VERSION, migrations
from tests.importers.import_helpers import FIXTURES, write_csv
from tests.support.registers import small_register

SHEET = "Supplier,Contract,Contract end\nAcme Ltd,EPR support,31/03/2028\n"


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def files_beside(path: Path) -> dict[str, str]:
    """Every file in the register's folder, with a digest of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file()
    }


def sources(tmp_path: Path) -> dict[str, list[str]]:
    json_file = tmp_path / "in" / "small.json"
    json_file.parent.mkdir()
    json_file.write_text(dump_register_json(small_register()), encoding="utf-8")
    sheet = write_csv(tmp_path / "in" / "register.csv", SHEET)
    notices = [FIXTURES / "ocds_reissued_first.json", FIXTURES / "ocds_reissued_second.json"]
    folder = tmp_path / "in" / "notices"
    folder.mkdir()
    for notice in notices:
        shutil.copy(notice, folder / notice.name)
    return {
        "json": ["import", str(json_file), "--dry-run"],
        "csv": ["import", str(sheet), "--dry-run"],
        "ocds": [
            "import-ocds",
            str(FIXTURES / "ocds_release_package.json"),
            "--buyer",
            "GB-NHS-RNV",
            "--dry-run",
        ],
        "ocds-files": ["import-ocds", *map(str, notices), "--dry-run"],
        "ocds-folder": ["import-ocds", str(folder), "--dry-run"],
    }


KINDS = ["json", "csv", "ocds", "ocds-files", "ocds-folder"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_dry_run_against_a_missing_register_leaves_no_file(tmp_path: Path, kind: str) -> None:
    args = sources(tmp_path)[kind]
    folder = tmp_path / "registers"
    folder.mkdir()
    db = folder / "new.db"
    code, out, err = run(*args, db=db)
    assert code == 0, err
    assert "would" in out or "Dry run" in out
    assert list(folder.iterdir()) == []


def older_register(path: Path) -> None:
    """A register as the release before dated assurance left it, holding one supplier."""
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m014_dated_assurance")
    with write_transaction(db):
        ensure_audit_triggers(db)
        db.execute(
            "INSERT INTO suppliers (name, category, criticality, dspt_status, cyber_essentials) "
            "VALUES ('Acme Ltd', 'epr', 'strategic', 'standards_met', 'plus')"
        )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


@pytest.mark.parametrize("kind", KINDS)
def test_a_dry_run_against_an_older_register_leaves_it_byte_identical(
    tmp_path: Path, kind: str
) -> None:
    args = sources(tmp_path)[kind]
    folder = tmp_path / "registers"
    folder.mkdir()
    db = folder / "old.db"
    older_register(db)
    opened = open_database(db, migrate=False)
    try:
        older_version = schema_version(opened)
    finally:
        opened.close()
    assert older_version < SCHEMA_VERSION
    before = files_beside(db)
    code, out, err = run(*args, db=db)
    assert code == 0, err
    assert files_beside(db) == before
    assert "backup" not in out + err
    reopened = open_database(db, migrate=False)
    try:
        assert schema_version(reopened) == older_version
    finally:
        reopened.close()


def test_the_preview_copy_is_migrated_and_sees_the_stored_records(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    older_register(path)
    before = files_beside(path)
    copy = open_preview(path)
    try:
        assert schema_version(copy) == SCHEMA_VERSION
        assert copy.execute("SELECT name FROM suppliers").fetchall() == [("Acme Ltd",)]
        with write_transaction(copy):
            copy.execute("DELETE FROM suppliers")
    finally:
        copy.close()
    assert files_beside(path) == before


def test_a_dry_run_sees_what_another_connection_has_in_its_wal(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    writer = open_database(path)
    try:
        with write_transaction(writer):
            writer.execute(
                "INSERT INTO suppliers (name, category, criticality, dspt_status, "
                "cyber_essentials) VALUES ('Bexley Ltd', 'devices', 'low', 'unknown', 'none')"
            )
        assert path.with_name("live.db-wal").exists()
        copy = open_preview(path)
        try:
            assert copy.execute("SELECT name FROM suppliers").fetchall() == [("Bexley Ltd",)]
        finally:
            copy.close()
    finally:
        writer.close()
