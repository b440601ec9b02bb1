"""Untrusted database files: damaged, foreign and crafted files are refused before anything
of them runs; restores check schema and audit trail and drop derived data; leftovers of
killed runs are removed; a register readable by others is made owner-only."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from supplier_register.cli import main
from supplier_register.domain.errors import BadFile
from supplier_register.interchange import dump_register_json
from supplier_register.scoring import Band
from supplier_register.services.register_scoring import _decode, _encode
from supplier_register.storage import Repository, leftovers, open_database, write_transaction
from supplier_register.storage.audit import USER_ENV_VAR, ensure_audit_triggers, verify_audit
from supplier_register.storage.backup import (
    automatic_backups,
    backup_database,
    backup_folder,
    restore_database,
)
from supplier_register.storage.migrations import SCHEMA_VERSION, migrations
from supplier_register.storage.untrusted import APPLICATION_ID, expected_schema
from tests.support.registers import dump, small_register

TODAY = "2026-11-26"


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "2000"})
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(main, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


pytestmark = pytest.mark.usefixtures("actor")


def backup_of(register: Path, dest: Path) -> Path:
    db = open_database(register)
    backup_database(db, dest)
    db.close()
    return dest


def execute(path: Path, *statements: str) -> None:
    """Change a file as another tool would (no foreign keys, no program code)."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


# ------------------------------------------------------------- damaged files


def corrupt_table(path: Path, table: str) -> None:
    """Write garbage over the pages of one table, keeping the file's header and schema."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert pages and 1 not in pages
    with path.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(b"\xde\xad\xbe\xef" * (size // 4))


@pytest.mark.parametrize(
    "command",
    [["score", "--today", TODAY], ["suppliers"], ["audit", "--verify"], ["import", "IN"]],
)
def test_a_damaged_register_is_one_line_pointing_to_restore(
    loaded_path: Path, tmp_path: Path, command: list[str]
) -> None:
    file = tmp_path / "in.json"
    file.write_text(dump_register_json(small_register()), encoding="utf-8")
    corrupt_table(loaded_path, "suppliers")
    before = loaded_path.read_bytes()
    code, _, err = run(*[str(file) if a == "IN" else a for a in command], db=loaded_path)
    line = one_line_error(code, err)
    assert (
        f"--db: {loaded_path} is damaged (SQLite reports: database disk image is malformed)" in line
    )
    assert "supplier-register restore BACKUP" in line
    assert loaded_path.read_bytes() == before


def test_an_unmarked_damaged_register_is_found_by_the_integrity_check(
    loaded_path: Path, tmp_path: Path
) -> None:
    execute(loaded_path, "PRAGMA application_id = 0")  # a register of an older release
    corrupt_table(loaded_path, "answers")
    code, _, err = run("people", db=loaded_path)  # people never reads the damaged table
    line = one_line_error(code, err)
    assert "is damaged (SQLite reports:" in line and "restore BACKUP" in line


def test_a_file_that_is_not_sqlite_is_one_line_pointing_to_restore(tmp_path: Path) -> None:
    junk = tmp_path / "register.db"
    junk.write_bytes(b"name,notes\nAcme,x\n" * 50)
    before = junk.read_bytes()
    code, _, err = run("suppliers", db=junk)
    line = one_line_error(code, err)
    assert "is not a SQLite database" in line and "restore BACKUP" in line
    assert junk.read_bytes() == before


def test_restore_replaces_a_damaged_register_keeping_a_copy(
    loaded_path: Path, tmp_path: Path
) -> None:
    good = backup_of(loaded_path, tmp_path / "good.db")
    corrupt_table(loaded_path, "suppliers")
    damaged = loaded_path.read_bytes()
    code, _, err = run("restore", str(good), db=loaded_path)
    assert "damaged" in one_line_error(code, err) and "--force" in err
    assert loaded_path.read_bytes() == damaged
    code, out, err = run("restore", str(good), "--force", db=loaded_path)
    assert code == 0, err
    (kept,) = automatic_backups(loaded_path)
    assert kept.read_bytes() == damaged and mode(kept) == 0o600
    assert str(kept) in out
    db = open_database(loaded_path)
    assert [s.name for s in Repository(db).list_suppliers()] == ["Acme [UK] Ltd", "Beta Cloud"]
    assert verify_audit(db).ok
    db.close()


# ------------------------------------------------------------ foreign files


def foreign_database(path: Path) -> None:
    """Another program's database that happens to use sqlite-utils migrations too."""
    theirs = Migrations("inventory")

    @theirs()
    def m001_items(db: Database) -> None:
        db.table("items").insert({"id": 1, "name": "laptop"}, pk="id")

    db = Database(path)
    theirs.apply(db)
    db.close()


@pytest.mark.parametrize("command", [["suppliers"], ["init"], ["audit"], ["score"]])
def test_a_foreign_sqlite_utils_database_is_refused_unchanged(
    tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "inventory.db"
    foreign_database(other)
    before = other.read_bytes()
    code, _, err = run(*command, db=other)
    line = one_line_error(code, err)
    assert "another program" in line and "'inventory'" in line
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.db"]


def test_a_file_marked_by_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    execute(other, "PRAGMA application_id = 1234", "CREATE TABLE t (x)")
    before = other.read_bytes()
    code, _, err = run("suppliers", db=other)
    assert "another program (application id 0x4d2)" in one_line_error(code, err)
    assert other.read_bytes() == before


def test_registers_are_marked_and_an_unmarked_one_is_marked_once_checked(loaded_path: Path) -> None:
    def marker() -> int:
        conn = sqlite3.connect(loaded_path)
        try:
            return int(conn.execute("PRAGMA application_id").fetchone()[0])
        finally:
            conn.close()

    assert marker() == APPLICATION_ID
    execute(loaded_path, "PRAGMA application_id = 0")  # as made by an older release
    before = dump(loaded_path)
    code, out, err = run("suppliers", db=loaded_path)
    assert code == 0 and "Acme [UK] Ltd" in out, err
    assert marker() == APPLICATION_ID
    assert dump(loaded_path) == before


def test_an_unmarked_file_with_an_unknown_history_is_refused(loaded_path: Path) -> None:
    execute(
        loaded_path,
        "PRAGMA application_id = 0",
        "UPDATE _sqlite_migrations SET name = 'm002_something_else' WHERE name = 'm002_settings'",
    )
    before = loaded_path.read_bytes()
    code, _, err = run("suppliers", db=loaded_path)
    assert "does not match this program's" in one_line_error(code, err)
    assert loaded_path.read_bytes() == before


def test_a_first_run_killed_before_its_first_migration_is_taken_up(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    migrations.ensure_migrations_table(Database(path))  # and then the process died
    code, out, err = run("init", db=path)
    assert code == 0 and "register ready" in out, err


def test_db_pointing_at_a_folder_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("suppliers", db=tmp_path)
    assert "is a directory, not a database file" in one_line_error(code, err)


# ------------------------------------------------------------ crafted backups


def rewrite_table(path: Path, table: str, change: Callable[[str], str]) -> None:
    """Edit a table's definition in place, as an attacker with a hex editor could."""
    conn = sqlite3.connect(path, isolation_level=None)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
    changed = change(sql)
    assert changed != sql
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", [changed, table])
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")
    conn.close()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


TAMPERINGS: dict[str, tuple[Callable[[Path], None], str]] = {
    "extra CHECK": (
        lambda p: rewrite_table(
            p,
            "contracts",
            lambda sql: sql.replace(
                "UNIQUE (supplier_id, title)",
                "UNIQUE (supplier_id, title), CHECK (length(notes) < 5)",
            ),
        ),
        "table contracts is defined differently",
    ),
    "dropped ON DELETE CASCADE": (
        lambda p: rewrite_table(
            p,
            "answers",
            lambda sql: sql.replace(
                "REFERENCES suppliers(id) ON DELETE CASCADE", "REFERENCES suppliers(id)"
            ),
        ),
        "table answers is defined differently",
    ),
    "removed COLLATE NOCASE": (
        lambda p: rewrite_table(
            p,
            "people",
            lambda sql: sql.replace("NOT NULL COLLATE NOCASE UNIQUE", "NOT NULL UNIQUE"),
        ),
        "table people is defined differently",
    ),
    "redefined index": (
        lambda p: execute(
            p,
            "DROP INDEX idx_contracts_end",
            "CREATE INDEX idx_contracts_end ON contracts(title, notes)",
        ),
        "index idx_contracts_end is defined differently",
    ),
    "extra trigger": (
        lambda p: execute(
            p, "CREATE TRIGGER wipe AFTER INSERT ON suppliers BEGIN DELETE FROM contracts; END"
        ),
        "trigger wipe is not a register's",
    ),
    "extra view": (
        lambda p: execute(p, "CREATE VIEW everything AS SELECT * FROM suppliers"),
        "view everything is not a register's",
    ),
    "dropped trigger": (
        lambda p: execute(p, "DROP TRIGGER audit_contracts_update"),
        "trigger audit_contracts_update is missing",
    ),
}


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_restore_refuses_a_backup_with_a_tampered_schema(
    loaded_path: Path, tmp_path: Path, tampering: str
) -> None:
    tamper, message = TAMPERINGS[tampering]
    evil = backup_of(loaded_path, tmp_path / "evil.db")
    tamper(evil)
    before = dump(loaded_path)
    with pytest.raises(BadFile, match="its schema differs from a register's") as caught:
        restore_database(loaded_path, evil, force=True)
    assert message in caught.value.message
    assert dump(loaded_path) == before
    assert automatic_backups(loaded_path) == []


def test_expected_schema_follows_the_migration_list() -> None:
    """The reference schema is built from the migrations themselves, at every version."""
    names = [m.name for m in migrations._migrations]
    assert len(names) == SCHEMA_VERSION
    assert expected_schema(0) == {}
    assert ("table", "suppliers") in expected_schema(1)
    assert ("table", "audit_log") not in expected_schema(3)
    assert ("trigger", "audit_suppliers_insert") in expected_schema(4)
    fresh = sqlite3.connect(":memory:")
    db = open_database(":memory:")
    from supplier_register.storage.untrusted import schema_of

    assert schema_of(db.conn) == expected_schema(SCHEMA_VERSION)
    db.close()
    fresh.close()


HANG = (
    "CREATE TRIGGER hang AFTER INSERT ON _sqlite_migrations BEGIN "
    "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM c); END"
)


def test_restore_of_an_older_backup_never_runs_its_triggers(
    loaded_path: Path, tmp_path: Path
) -> None:
    """A crafted older backup whose trigger would loop forever when migrated: refused at once.

    Run in a subprocess with a timeout, so a hang fails the test instead of blocking it.
    """
    old = tmp_path / "old.db"
    db = open_database(old, migrate=False)
    migrations.apply(db, stop_before=migrations._migrations[-1].name)
    with write_transaction(db):
        ensure_audit_triggers(db)  # as every release's migration run ends
    with write_transaction(db):  # a record, as an older release wrote it (its own columns)
        db.execute(
            "INSERT INTO suppliers (name, category, criticality) VALUES ('Acme', 'epr', 'high')"
        )
    db.close()
    execute(old, HANG)
    before = dump(loaded_path)
    argv = ["--db", str(loaded_path), "restore", str(old), "--force"]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "supplier_register", *argv],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, USER_ENV_VAR: "tester"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the restore ran the backup's trigger (it hung)")
    line = one_line_error(done.returncode, done.stderr)
    assert "trigger hang is not a register's" in line
    assert dump(loaded_path) == before


def test_restore_refuses_a_backup_whose_audit_rows_were_deleted(
    loaded_path: Path, tmp_path: Path
) -> None:
    evil = backup_of(loaded_path, tmp_path / "evil.db")
    execute(evil, "DELETE FROM audit_log WHERE table_name = 'contracts' AND action = 'insert'")
    before = dump(loaded_path)
    with pytest.raises(BadFile, match="its audit trail does not account for its records"):
        restore_database(loaded_path, evil, force=True)
    assert dump(loaded_path) == before


def _scores(path: Path) -> list[tuple[str, int, str]]:
    code, out, err = run("score", "--today", TODAY, "--format", "json", db=path)
    assert code == 0, err
    return [(s["supplier"], s["score"], s["band"]) for s in json.loads(out)["suppliers"]]


def test_restore_drops_a_crafted_score_cache(loaded_path: Path, tmp_path: Path) -> None:
    fresh = _scores(loaded_path)  # worked out, and kept in the score cache
    top = fresh[0]
    evil = backup_of(loaded_path, tmp_path / "evil.db")
    conn = sqlite3.connect(evil, isolation_level=None)
    (sid, data) = conn.execute(
        "SELECT supplier_id, data FROM score_cache WHERE name_key = ?", [top[0].casefold()]
    ).fetchone()
    entry = _decode(data)
    assert (entry.overview.score, entry.overview.band) == (top[1], top[2])
    # the top supplier kept as 3/low: it would sink to the bottom
    crafted = entry._replace(
        overview=dataclasses.replace(entry.overview, score=3, band=Band.LOW, priority=3.0)
    )
    conn.execute(
        "UPDATE score_cache SET data = ?, score = 3, priority = 3.0 WHERE supplier_id = ?",
        [_encode(crafted), sid],
    )
    conn.close()
    target = tmp_path / "restored" / "register.db"
    target.parent.mkdir()
    restore_database(target, evil)
    assert _scores(target) == fresh


def test_restore_of_a_backup_with_another_page_size(loaded_path: Path, tmp_path: Path) -> None:
    small_pages = tmp_path / "small-pages.db"
    execute(small_pages, "PRAGMA page_size = 1024", "VACUUM")
    db = open_database(small_pages)
    Repository(db).import_register(small_register())
    backup_database(db, tmp_path / "backup.db")
    db.close()
    assert sqlite3.connect(tmp_path / "backup.db").execute("PRAGMA page_size").fetchone()[0] == 1024
    target = tmp_path / "target.db"
    open_database(target).close()  # a new register, 4096-byte pages, WAL
    code, out, err = run("restore", str(tmp_path / "backup.db"), db=target)
    assert code == 0, err
    assert "restored" in out and "read-only" not in err
    assert [t for t in dump(target) if t[0] != "audit_log"] == [
        t for t in dump(small_pages) if t[0] != "audit_log"
    ]


# ------------------------------------------------------------ leftovers and permissions


@pytest.fixture
def next_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the program started now, in a new process (the tidying is once per process)."""
    monkeypatch.setattr(leftovers, "_tidied", set())
    monkeypatch.setattr(leftovers, "STARTED", time.time())


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_removed_at_the_next_start(
    loaded_path: Path, tmp_path: Path, next_start: None
) -> None:
    dead = _dead_pid()
    folder = backup_folder(loaded_path)
    folder.mkdir(mode=0o700)
    past = time.time() - 2 * 86400
    doomed = [
        folder / f".restore-{dead}-0a1b2c3d.db",
        folder / f".restore-{dead}-0a1b2c3d.db-wal",
        folder / f".register-20261201T101010000000Z-manual.db.tmp-{dead}-0a1b2c3d",
        tmp_path / f".summary.csv.tmp-{dead}",
        tmp_path / f".copy.db.tmp-{dead}-9f8e7d6c-journal",
        tmp_path / f".summary.csv.{'ab' * 8}.tmp",
    ]
    kept = [
        tmp_path / f".summary.csv.tmp-{os.getppid()}",  # its process is still running
        tmp_path / ".notes.txt",  # not a name this program uses
        tmp_path / f"summary.csv.tmp-{dead}",  # not hidden: not ours
        tmp_path / "elsewhere" / f".summary.csv.tmp-{dead}",  # not beside the register
    ]
    (tmp_path / "elsewhere").mkdir()
    for path in doomed + kept:
        path.write_bytes(b"a copy of the register")
        os.utime(path, (past, past))
    new = tmp_path / f".fresh.csv.tmp-{dead}"
    new.write_bytes(b"x")
    os.utime(new, (time.time() + 3600, time.time() + 3600))  # newer than this process
    code, _, err = run("suppliers", db=loaded_path)
    assert code == 0, err
    assert [p for p in doomed if p.exists()] == []
    assert [p for p in [*kept, new] if not p.exists()] == []


def test_a_register_readable_by_others_is_made_owner_only(
    loaded_path: Path, next_start: None
) -> None:
    loaded_path.chmod(0o644)
    wal = loaded_path.with_name(loaded_path.name + "-wal")
    wal.write_bytes(b"")
    wal.chmod(0o640)
    code, out, err = run("suppliers", db=loaded_path)
    assert code == 0 and "Acme [UK] Ltd" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: "), err
    assert "could be read by other users" in lines[0] and "made owner-only (0600)" in lines[0]
    assert "-wal" in lines[0] and mode(loaded_path) == 0o600
    leftovers._tidied.clear()
    code, out, err = run("suppliers", db=loaded_path)
    assert code == 0 and err == ""
