"""Backups and restores of the register through SQLite's online backup API.

A backup is a consistent snapshot taken while other programs (the TUI, another
CLI) keep reading and writing: in WAL mode the copy holds only a read
transaction.  Every file written here is created owner-only (0600) under a
temporary name and renamed into place, so a crash never leaves half a backup
under the real name.  A restore checks a private copy of the file before
anything of it runs (that it is a register, its schema history, its exact
schema against what this release's migrations make at its version, then
SQLite integrity; see :mod:`supplier_register.storage.untrusted`), migrates it,
checks its audit trail, empties its score cache, keeps a backup of the current
register (a byte copy when it is damaged), and then replaces the register in
one step, carrying the audit trail across.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from supplier_register.domain.errors import BadFile, RegisterError
from supplier_register.storage.untrusted import (
    APPLICATION_ID,
    history,
    history_problem,
    inert,
    is_sqlite_file,
    quick_check,
    schema_difference,
    trusted,
)

BACKUPS_TO_KEEP = 10
"""Automatic backups kept per database (the oldest beyond this are deleted)."""
_STAMP = "%Y%m%dT%H%M%S%fZ"


def backup_folder(db_path: Path) -> Path:
    """Where automatic backups of ``register.db`` go: ``register-backups/`` beside it."""
    return db_path.parent / f"{db_path.stem}-backups"


def _private_file(path: Path) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _fsync(path: Path) -> None:
    """Flush a file (or folder entry) to disk; folders cannot be fsynced everywhere."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() and hasattr(os, "O_DIRECTORY") else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _remove(path: Path) -> None:
    for p in [path, *_sidecars(path)]:
        p.unlink(missing_ok=True)


def _storage_error(exc: sqlite3.Error, what: str) -> RegisterError:
    from supplier_register.storage.db import storage_error

    mapped = storage_error(exc)
    return mapped if mapped is not None else BadFile(f"{what}: {exc}")


def copy_database(source: sqlite3.Connection, dest: Path, *, force: bool = False) -> Path:
    """Write a consistent, self-contained copy of an open database to ``dest``.

    The copy is made in one step of the backup API (a snapshot; other programs
    may go on writing), switched to an ordinary rollback journal so it is a
    single file, checked with ``PRAGMA integrity_check``, flushed to disk and
    only then renamed to ``dest`` with owner-only permissions.
    """
    dest = dest.expanduser()
    if dest.is_dir():
        raise BadFile(f"{dest}: is a folder; give a file name for the backup")
    if dest.exists() and not force:
        raise BadFile(f"{dest}: already exists; use --force to overwrite it")
    if not dest.parent.is_dir():
        raise BadFile(f"{dest}: folder {dest.parent} does not exist")
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        _private_file(tmp)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if check != "ok":
            raise RegisterError(f"{dest}: the copy failed SQLite's integrity check ({check})")
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync(dest.parent)
    except sqlite3.Error as exc:
        raise _storage_error(exc, str(dest)) from None
    except OSError as exc:
        raise BadFile(f"{dest}: cannot write the backup ({exc.strerror})") from None
    finally:
        _remove(tmp)
    return dest


def backup_database(db: Database, dest: Path, *, force: bool = False) -> Path:
    """``supplier-register backup FILE``: a snapshot of the open register, owner-only."""
    return copy_database(db.conn, dest, force=force)


def automatic_backup(db: Database, db_path: Path, reason: str) -> Path:
    """A timestamped backup in the backup folder beside the database; keeps the last few."""
    folder = backup_folder(db_path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise BadFile(f"cannot create the backup folder {folder} ({exc.strerror})") from None
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    path = copy_database(db.conn, folder / f"{db_path.stem}-{stamp}-{reason}.db")
    prune_backups(db_path)
    return path


def automatic_backups(db_path: Path) -> list[Path]:
    """The automatic backups of a database, oldest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    pattern = re.compile(re.escape(db_path.stem) + r"-\d{8}T\d{12}Z-[a-z0-9-]+\.db")
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def prune_backups(db_path: Path, keep: int = BACKUPS_TO_KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; returns those deleted."""
    backups = automatic_backups(db_path)
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


# ----------------------------------------------------------------- restore


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: the file's schema version, what it holds, and the kept backup."""

    source: Path
    schema_version: int
    counts: dict[str, int]
    previous_state: Path | None


@contextlib.contextmanager
def _staged_copy(source: Path, folder: Path) -> Iterator[Path]:
    """A private copy of ``source`` (and its WAL, if any) to check and migrate freely."""
    staged = folder / f".restore-{os.getpid()}-{secrets.token_hex(4)}.db"
    wal = source.with_name(source.name + "-wal")  # committed pages not yet in the main file
    try:
        for src, dst in [(source, staged), (wal, staged.with_name(staged.name + "-wal"))]:
            if src.exists():
                _private_file(dst)
                with src.open("rb") as fin, dst.open("wb") as fout:
                    shutil.copyfileobj(fin, fout)
        yield staged
    except OSError as exc:
        raise BadFile(f"{source}: cannot copy it for checking ({exc.strerror})") from None
    finally:
        _remove(staged)


def check_backup(staged: Path, shown: Path) -> int:
    """Check a (copied) file is a healthy register this release can read; its schema version.

    Nothing of the file runs: the connection does not trust its schema, and
    only its header, migration history and ``sqlite_master`` are read until
    its whole schema is known to be exactly what this release's migrations
    make at its schema version (so none of its triggers, views or indexes can
    be a crafted one); only then is it checked for integrity, which reads
    every page.  Raises :class:`BadFile` with one line naming the first reason
    to refuse it.
    """
    from supplier_register.storage.migrations import SCHEMA_VERSION, migrations

    if not is_sqlite_file(staged):
        raise BadFile(f"{shown}: not a SQLite database, so not a register backup")
    known = [m.name for m in migrations._migrations]
    conn = inert(sqlite3.connect(staged))
    try:
        marker = conn.execute("PRAGMA application_id").fetchone()[0]
        if marker not in (0, APPLICATION_ID):
            raise BadFile(
                f"{shown}: a SQLite database of another program (application id {marker:#x}), "
                "not a register backup"
            )
        rows = history(conn)
        if not rows:
            raise BadFile(f"{shown}: a SQLite database, but not a supplier-register database")
        names = [name for _, name in rows]
        if len(names) > SCHEMA_VERSION and names[:SCHEMA_VERSION] == known:
            raise BadFile(
                f"{shown}: made by a newer supplier-register (schema version {len(names)}, "
                f"this release knows up to {SCHEMA_VERSION}); upgrade supplier-register first"
            )
        problem = history_problem(conn, known)
        if problem is not None:
            raise BadFile(f"{shown}: {problem}; not restored")
        version = len(names)
        difference = schema_difference(conn, version)
        if difference is not None:
            raise BadFile(
                f"{shown}: its schema differs from a register's (schema version {version}): "
                f"{difference}; not restored"
            )
        rows_checked = conn.execute("PRAGMA integrity_check").fetchall()
        if rows_checked != [("ok",)]:
            raise BadFile(
                f"{shown}: failed SQLite's integrity check ({rows_checked[0][0]}); not restored"
            )
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise BadFile(f"{shown}: has records that refer to missing records; not restored")
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"{shown}: not a readable SQLite database ({exc}); not restored") from None
    finally:
        conn.close()
    return version


def _open_live(db_path: Path) -> tuple[Database | None, str | None]:
    """The register a restore replaces, or None and why, when it is damaged.

    A damaged register is what a restore is for: it may be replaced (with
    --force; a copy of the file is kept).  A SQLite file of another program is
    refused as ever.
    """
    from supplier_register.storage.db import DamagedRegister, open_database

    try:
        live = open_database(db_path)
    except DamagedRegister as exc:
        if not db_path.is_file():
            raise
        return None, exc.reason
    try:
        complaint = quick_check(live.conn)
        reason = None if complaint is None else f"is damaged (SQLite reports: {complaint})"
    except sqlite3.DatabaseError as exc:
        reason = f"is damaged (SQLite reports: {exc})"
    if reason is None:
        return live, None
    live.close()
    return None, reason


def _keep_damaged(db_path: Path) -> Path:
    """A byte-for-byte copy of a damaged register (and its WAL) in the backup folder."""
    stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
    kept = backup_folder(db_path) / f"{db_path.stem}-{stamp}-before-restore-damaged.db"
    try:
        for src in [db_path, db_path.with_name(db_path.name + "-wal")]:
            if src.exists():
                dst = kept.with_name(kept.name + src.name[len(db_path.name) :])
                _private_file(dst)
                with src.open("rb") as fin, dst.open("wb") as fout:
                    shutil.copyfileobj(fin, fout)
                _fsync(dst)
    except OSError as exc:
        raise BadFile(f"cannot keep a copy of the damaged register ({exc.strerror})") from None
    return kept


def _drop_derived(db: Database) -> None:
    """Empty the score cache tables: derived data is worked out again, never trusted from a file."""
    from supplier_register.storage.db import write_transaction

    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name LIKE 'score\\_cache%' ESCAPE '\\'"
        )
    ]
    with write_transaction(db):
        for table in tables:
            db.execute(f'DELETE FROM "{table}"')


def _same_page_size(candidate: Database, live: Database) -> None:
    """Give the restored copy the register's page size.

    SQLite's backup API cannot write into a WAL database of another page size
    (it reports the destination as read-only), so a backup made with another
    page size is rebuilt with the register's first.
    """
    want = live.execute("PRAGMA page_size").fetchone()[0]
    if candidate.execute("PRAGMA page_size").fetchone()[0] == want:
        return
    candidate.execute("PRAGMA journal_mode = DELETE")
    candidate.execute(f"PRAGMA page_size = {int(want)}")
    candidate.execute("VACUUM")


def restore_database(db_path: Path, source: Path, *, force: bool = False) -> RestoreOutcome:
    """Replace the register at ``db_path`` with the backup ``source``, all or nothing.

    The file is checked on a private copy before anything of it runs (see
    :func:`check_backup`), brought up to this release's schema there, and its
    audit trail must replay to its records; its score cache is emptied (scores
    are worked out again).  A register that holds data is only replaced with
    ``force`` and is first backed up into the backup folder; a damaged one is
    kept there byte for byte.  The audit trail of the replaced register is
    carried into the restored one, followed by a 'restore' entry.
    """
    from supplier_register.storage.audit import (
        AUDIT_TABLE,
        ensure_audit_triggers,
        record_event,
        verify_audit,
    )
    from supplier_register.storage.db import (
        ReadOnlyRegister,
        _is_damage,
        _migrate,
        connect,
        has_data,
        is_read_only_path,
        mark_register,
        write_transaction,
    )
    from supplier_register.storage.repository import Repository

    source = source.expanduser()
    db_path = db_path.expanduser()
    if is_read_only_path(db_path):
        raise ReadOnlyRegister()
    if not source.exists():
        raise BadFile(f"{source}: no such file")
    if not source.is_file():
        raise BadFile(f"{source}: is not a file")
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise BadFile(f"{source}: is the register itself; give a backup file")
    live, damage = _open_live(db_path)
    try:
        folder = backup_folder(db_path)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as exc:
            raise BadFile(f"cannot create the backup folder {folder} ({exc.strerror})") from None
        with _staged_copy(source, folder) as staged:
            version = check_backup(staged, source)
            candidate = connect(staged)
            try:
                # Its schema is this release's own (checked): its triggers are ours, safe to run.
                trusted(candidate.conn)
                _migrate(candidate, None)
                with write_transaction(candidate):
                    ensure_audit_triggers(candidate)
                audit = verify_audit(candidate)
                if not audit.ok:
                    raise BadFile(
                        f"{source}: its audit trail does not account for its records "
                        f"({audit.problems[0]}); not restored"
                    )
                _drop_derived(candidate)
                counts = Repository(candidate).counts()
                previous: Path | None = None
                carried: list[int] | None = None
                if live is None:
                    if not force:
                        raise BadFile(
                            f"restore would replace the register at {db_path}, which {damage}; "
                            "run again with --force (a copy of it is kept first)"
                        )
                    previous = _keep_damaged(db_path)
                elif has_data(live):
                    current = Repository(live).counts()
                    if not force:
                        raise BadFile(
                            f"restore would replace the register at {db_path} "
                            f"({current['suppliers']} suppliers, {current['contracts']} "
                            "contracts); run again with --force (it is backed up first)"
                        )
                    previous = automatic_backup(live, db_path, "before-restore")
                    carried = _carry_audit(candidate, previous, AUDIT_TABLE)
                with write_transaction(candidate):
                    record_event(
                        candidate,
                        "restore",
                        {
                            "file": str(source.resolve()),
                            "schema_version_of_file": version,
                            "previous_state_backup": str(previous.resolve()) if previous else None,
                            "carried_audit_ids": carried,
                            **({"replaced_damaged_register": damage} if damage else {}),
                        },
                    )
                mark_register(candidate)
                candidate.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                if live is not None:
                    _same_page_size(candidate, live)
                    # One step: other programs see the old register or the new one, never a mix.
                    candidate.conn.backup(live.conn)
                else:
                    # The damaged file cannot be written through SQLite: replace it whole
                    # (its stale -wal/-shm first, so none of it is replayed into the new one).
                    for stale in _sidecars(db_path):
                        stale.unlink(missing_ok=True)
                    copy_database(candidate.conn, db_path, force=True)
            except sqlite3.Error as exc:
                if isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc):
                    raise BadFile(f"{source}: {exc}; not restored") from None
                raise _storage_error(exc, str(source)) from None
            finally:
                candidate.close()
    finally:
        if live is not None:
            live.close()
    return RestoreOutcome(source, version, counts, previous)


def _carry_audit(candidate: Database, previous: Path, audit_table: str) -> list[int] | None:
    """Copy audit entries of the replaced register that the backup lacks, in order.

    Returns the first and last id given to the copied entries (None if none).
    """
    from supplier_register.storage.db import write_transaction

    candidate.execute("ATTACH DATABASE ? AS previous", [str(previous)])
    try:
        cols = "at, actor, table_name, record_id, supplier_id, action, old_values, new_values"
        with write_transaction(candidate):
            before = candidate.execute(f"SELECT max(id) FROM main.{audit_table}").fetchone()[0]
            candidate.execute(
                f"INSERT INTO main.{audit_table} ({cols}) SELECT {cols} "
                f"FROM previous.{audit_table} p WHERE NOT EXISTS ("
                f"SELECT 1 FROM main.{audit_table} a WHERE a.at = p.at "
                "AND a.table_name = p.table_name AND a.action = p.action "
                "AND a.record_id IS p.record_id AND a.old_values IS p.old_values "
                "AND a.new_values IS p.new_values) ORDER BY p.id"
            )
            after = candidate.execute(f"SELECT max(id) FROM main.{audit_table}").fetchone()[0]
    finally:
        candidate.execute("DETACH DATABASE previous")
    if after is None or after == before:
        return None
    return [(before or 0) + 1, int(after)]
