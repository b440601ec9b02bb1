"""Backup and restore: consistent snapshots, owner-only files, and restores that check first."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from supplier_register.domain import Person, Supplier
from supplier_register.domain.errors import BadFile
from supplier_register.storage import Repository, open_database, write_transaction
from supplier_register.storage.audit import AuditReader, verify_audit
from supplier_register.storage.backup import (
    BACKUPS_TO_KEEP,
    automatic_backup,
    automatic_backups,
    backup_database,
    backup_folder,
    restore_database,
)
from supplier_register.storage.migrations import SCHEMA_VERSION, migrations
from tests.support.registers import before_tri_state, dump, small_register


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def data(path: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every table except the audit log (which a restore extends by design)."""
    return [t for t in dump(path) if t[0] not in ("audit_log",)]


def test_backup_is_owner_only_single_file_and_complete(loaded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    db = open_database(loaded_path)
    backup_database(db, out)
    db.close()
    assert mode(out) == 0o600
    assert not Path(f"{out}-wal").exists()
    conn = sqlite3.connect(out)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert dump(out) == dump(loaded_path)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_refuses_to_overwrite_without_force(loaded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    out.write_text("precious")
    db = open_database(loaded_path)
    with pytest.raises(BadFile, match="already exists; use --force"):
        backup_database(db, out)
    assert out.read_text() == "precious"
    backup_database(db, out, force=True)
    assert mode(out) == 0o600
    with pytest.raises(BadFile, match="does not exist"):
        backup_database(db, tmp_path / "nope" / "x.db")
    with pytest.raises(BadFile, match="is a folder"):
        backup_database(db, tmp_path)
    db.close()


def test_backup_while_another_program_is_writing_is_a_consistent_snapshot(
    loaded_path: Path, tmp_path: Path
) -> None:
    writer = open_database(loaded_path)  # e.g. the TUI, mid-way through a save
    reader = open_database(loaded_path)
    with write_transaction(writer):
        Repository(writer).add_supplier(
            Supplier(name="Uncommitted Ltd", category="other", criticality="low")
        )
        backup_database(reader, tmp_path / "snap.db")  # does not wait for, or see, the writer
    writer.close()
    reader.close()
    snap = open_database(tmp_path / "snap.db")
    names = [s.name for s in Repository(snap).list_suppliers()]
    assert names == ["Acme [UK] Ltd", "Beta Cloud"]
    assert verify_audit(snap).ok
    snap.close()


def test_restore_round_trip_keeps_previous_state_and_audit(
    loaded_path: Path, tmp_path: Path
) -> None:
    db = open_database(loaded_path)
    backup_database(db, tmp_path / "monday.db")
    before = data(loaded_path)
    repo = Repository(db)
    repo.add_supplier(Supplier(name="Added After Backup", category="other", criticality="low"))
    repo.delete_supplier(repo.find_supplier("Beta Cloud").id)
    after_changes = data(loaded_path)
    other = open_database(loaded_path)  # a second program with the register open
    with pytest.raises(BadFile, match="run again with --force"):
        restore_database(loaded_path, tmp_path / "monday.db")
    assert data(loaded_path) == after_changes
    outcome = restore_database(loaded_path, tmp_path / "monday.db", force=True)
    assert outcome.schema_version == SCHEMA_VERSION
    assert outcome.counts["suppliers"] == 2
    assert data(loaded_path) == before
    assert [s.name for s in Repository(other).list_suppliers()] == ["Acme [UK] Ltd", "Beta Cloud"]
    other.close()
    # the replaced register is kept, owner-only, and equals the state before the restore
    assert outcome.previous_state is not None and outcome.previous_state.exists()
    assert mode(outcome.previous_state) == 0o600
    assert mode(backup_folder(loaded_path)) == 0o700
    assert data(outcome.previous_state) == after_changes
    # its history is carried over, then the restore itself is recorded
    db.close()
    db = open_database(loaded_path)
    entries = AuditReader(db).entries()
    assert entries[-1].action == "restore"
    assert any(e.record == "Added After Backup" and e.action == "insert" for e in entries)
    check = verify_audit(db)
    assert check.ok, check.problems
    db.close()


def test_restore_into_an_empty_register_needs_no_force(loaded_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "register.db"
    target.parent.mkdir()
    outcome = restore_database(target, loaded_path)
    assert outcome.previous_state is None
    assert data(target) == data(loaded_path)
    assert mode(target) == 0o600


def _corrupt(path: Path) -> None:
    """Overwrite the middle of a page of table data, keeping the header valid."""
    size = path.stat().st_size
    with path.open("r+b") as fh:
        for offset in range(4096 * 2, size, 4096):
            fh.seek(offset + 8)
            fh.write(b"\xff" * 64)


def _old_version_file(path: Path) -> None:
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m004_audit_trail")
    Repository(db).import_register(
        before_tri_state(small_register()).model_copy(update={"format_version": 1})
    )  # by an older release
    db.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("name,notes\nAcme,x\n"), "not a SQLite database"),
        (lambda p: p.write_bytes(b""), "not a SQLite database"),
        (
            lambda p: Database(p).table("things").insert({"a": 1}),
            "not a supplier-register database",
        ),
    ],
)
def test_restore_refuses_files_that_are_not_registers(
    loaded_path: Path, tmp_path: Path, make: object, message: str
) -> None:
    bad = tmp_path / "bad.db"
    make(bad)  # type: ignore[operator]
    before = dump(loaded_path)
    with pytest.raises(BadFile, match=message):
        restore_database(loaded_path, bad, force=True)
    assert dump(loaded_path) == before
    assert automatic_backups(loaded_path) == []


def test_restore_refuses_a_corrupt_file(loaded_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    db = open_database(loaded_path)
    for i in range(300):  # enough rows for several pages of table data
        Repository(db).add_person(Person(name=f"Person {i}", role="other", contact="x" * 40))
    backup_database(db, bad)
    db.close()
    _corrupt(bad)
    before = dump(loaded_path)
    with pytest.raises(BadFile, match=r"integrity check|not a readable SQLite"):
        restore_database(loaded_path, bad, force=True)
    assert dump(loaded_path) == before


def test_restore_refuses_a_newer_schema(loaded_path: Path, tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    db = open_database(loaded_path)
    backup_database(db, newer)
    db.close()
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('supplier_register', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(BadFile, match="newer supplier-register"):
        restore_database(loaded_path, newer, force=True)


def test_restore_refuses_a_tampered_schema(loaded_path: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.db"
    db = open_database(loaded_path)
    backup_database(db, evil)
    db.close()
    conn = sqlite3.connect(evil)
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON suppliers BEGIN DELETE FROM contracts; END")
    conn.commit()
    conn.close()
    before = dump(loaded_path)
    with pytest.raises(BadFile, match="differs from a register"):
        restore_database(loaded_path, evil, force=True)
    assert dump(loaded_path) == before


def test_restore_refuses_broken_references(loaded_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.db"
    db = open_database(loaded_path)
    backup_database(db, broken)
    db.close()
    conn = sqlite3.connect(broken)  # foreign keys are off by default in a plain connection
    conn.execute("DELETE FROM suppliers WHERE name = 'Beta Cloud'")
    conn.commit()
    conn.close()
    with pytest.raises(BadFile, match="refer to missing records"):
        restore_database(loaded_path, broken, force=True)


def test_restore_refuses_itself_and_missing_files(loaded_path: Path, tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="is the register itself"):
        restore_database(loaded_path, loaded_path, force=True)
    with pytest.raises(BadFile, match="no such file"):
        restore_database(loaded_path, tmp_path / "missing.db", force=True)


def test_restore_of_an_older_schema_migrates_it(loaded_path: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    _old_version_file(old)
    outcome = restore_database(loaded_path, old, force=True)
    assert outcome.schema_version == 3
    db = open_database(loaded_path)
    assert Repository(db).counts()["suppliers"] == 2
    assert verify_audit(db).ok
    db.close()


def test_automatic_backup_before_migrating_a_register_with_data(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    _old_version_file(path)
    before = dump(path)
    open_database(path).close()
    (backup,) = automatic_backups(path)
    assert backup.parent == backup_folder(path)
    assert f"before-migration-v3-to-v{SCHEMA_VERSION}" in backup.name
    assert mode(backup) == 0o600
    assert dump(backup) == before
    open_database(path).close()  # nothing pending: no further backup
    assert len(automatic_backups(path)) == 1


def test_no_automatic_backup_of_a_new_register(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    open_database(path).close()
    assert automatic_backups(path) == []
    assert not backup_folder(path).exists()


def test_automatic_backups_keep_the_last_n(loaded_path: Path) -> None:
    db = open_database(loaded_path)
    made = [automatic_backup(db, loaded_path, "manual") for _ in range(BACKUPS_TO_KEEP + 3)]
    db.close()
    kept = automatic_backups(loaded_path)
    assert kept == made[-BACKUPS_TO_KEEP:]
    assert all(not p.exists() for p in made[:3])
