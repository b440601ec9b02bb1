"""Opening the register database: location, permissions, pragmas and migrations."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from supplier_register.domain.errors import BadFile, RegisterError
from supplier_register.storage.audit import (
    CONTEXT_TABLE,
    current_actor,
    ensure_audit_triggers,
    seal_entries,
    seal_mark,
)
from supplier_register.storage.migrations import SCHEMA_VERSION, migrations

ENV_VAR = "SUPPLIER_REGISTER_DB"
APP_NAME = "supplier-register"
BUSY_TIMEOUT_MS = 15_000


class StorageError(RegisterError):
    """The database, its folder or its disk refused an operation: busy, read-only, full or failing."""


def storage_error(exc: BaseException) -> StorageError | None:
    """A one-line user error for SQLite failures caused by the environment, else None.

    "database is locked" and friends never reach the user as such: each is
    explained, and says that nothing was changed (the transaction rolled back).
    """
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or " is locked" in text:
        return StorageError(
            f"the register is busy: another program kept it locked for more than "
            f"{BUSY_TIMEOUT_MS / 1000:g} seconds; nothing was changed, try again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StorageError(
            "the register database is read-only (file or folder permissions, or a read-only "
            "disk); nothing was changed"
        )
    if name == "SQLITE_FULL" or "disk is full" in text:
        return StorageError(
            "the disk holding the register is full; nothing was changed. Free some space "
            "and try again"
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StorageError(
            "the disk holding the register could not be written or read (disk I/O error: "
            "full, failing or disconnected?); nothing was changed"
        )
    if name == "SQLITE_CANTOPEN" or "unable to open database file" in text:
        return StorageError(
            "cannot open the register database file (missing folder, or no permission)"
        )
    return None


def default_db_path() -> Path:
    """The database used when no ``--db`` is given: ``$SUPPLIER_REGISTER_DB`` or the user data dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "register.db"


def _create_private(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (before SQLite opens it)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def open_database(path: str | Path, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (and by default create and migrate) a register database.

    Foreign keys are enforced, the journal is WAL so readers never block the
    writer, and a busy timeout makes concurrent writers wait instead of failing.
    """
    in_memory = str(path) == ":memory:"
    if not in_memory:
        path = Path(path).expanduser()
        if path.is_dir():
            raise BadFile(f"--db: {path} is a directory, not a database file")
        _check_writable(path)
        if not path.exists():
            if not create:
                raise BadFile(f"--db: {path} does not exist")
            try:
                _create_private(path)
            except FileExistsError:
                pass
            except OSError as exc:
                raise BadFile(f"--db: cannot create {path}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(
            ":memory:" if in_memory else str(path), timeout=BUSY_TIMEOUT_MS / 1000
        )
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            _check_is_register(db, Path(path))
            if db.journal_mode != "wal":
                db.enable_wal()
            db.execute("PRAGMA synchronous = FULL")
        if migrate:
            _migrate(db, None if in_memory else Path(path))
    except sqlite3.DatabaseError as exc:
        mapped = storage_error(exc)
        if mapped is not None:
            raise StorageError(f"--db: {path}: {mapped.message}") from None
        raise BadFile(f"--db: cannot open {path}: {exc}") from None
    return db


def _check_writable(path: Path) -> None:
    """Refuse a read-only database file or folder up front, with a clear reason.

    SQLite would otherwise open the file read-only and fail at the first save,
    or fail to create the ``-wal``/``-shm`` files it needs beside the database.
    """
    if path.exists() and not os.access(path, os.W_OK):
        raise StorageError(
            f"--db: {path} is read-only; nothing was changed. Make it writable or copy it "
            "to a folder you can write to"
        )
    folder = path.parent
    sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
    if (
        folder.exists()
        and not os.access(folder, os.W_OK)
        and (not path.exists() or not all(p.exists() for p in sidecars))
    ):
        raise StorageError(
            f"--db: folder {folder} is read-only; SQLite needs to create {path.name}-wal and "
            f"{path.name}-shm beside the database. Nothing was changed"
        )


def _check_is_register(db: Database, path: Path) -> None:
    """Refuse to open a file that is not SQLite, or a SQLite file of some other program."""
    try:
        names = set(db.table_names())
    except sqlite3.DatabaseError:
        raise BadFile(f"--db: {path} is not a SQLite database") from None
    if names and "_sqlite_migrations" not in names:
        raise BadFile(f"--db: {path} is a SQLite database of another program, not a register")


def schema_version(db: Database) -> int:
    """How many of this program's migrations the database has applied."""
    return len(migrations.applied(db))


def has_data(db: Database) -> bool:
    """Whether any table other than migration bookkeeping holds a row."""
    for name in db.table_names():
        if name == "_sqlite_migrations" or name.startswith("sqlite_"):
            continue
        if db.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            return True
    return False


def _migrate(db: Database, path: Path | None) -> None:
    """Apply pending migrations in one transaction, after backing up a register with data.

    The write lock is taken first and the pending list read again under it, so
    two programs opening an old database at once migrate it exactly once.
    """
    applied = schema_version(db)
    if applied > SCHEMA_VERSION:
        raise RegisterError(
            f"--db: the database is at schema version {applied}, newer than this release "
            f"supports ({SCHEMA_VERSION}); upgrade supplier-register"
        )
    if not migrations.pending(db):
        return
    if path is not None and applied > 0 and has_data(db):
        from supplier_register.storage.backup import automatic_backup

        automatic_backup(db, path, f"before-migration-v{applied}-to-v{SCHEMA_VERSION}")
    with write_transaction(db):
        if migrations.pending(db):
            migrations.apply(db)
        ensure_audit_triggers(db)


def _in_transaction(conn: sqlite3.Connection) -> bool:
    return conn.in_transaction


_OWN_TRANSACTIONS: set[int] = set()
"""Connections (by id) inside a transaction :func:`write_transaction` began and will commit."""


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run a block as one write transaction, taking the write lock up front.

    ``BEGIN IMMEDIATE`` makes a second writer wait (busy timeout) at the start
    rather than fail half-way with "database is locked".  Nested use becomes a
    savepoint, so a multi-step operation is still all or nothing.

    Just before the commit the new audit entries are sealed into the log's
    hash chain (:func:`~supplier_register.storage.audit.seal_entries`), in the
    same transaction.  In a transaction somebody else began (a plain
    ``db.atomic()``), the block seals its entries itself before it ends.
    """
    conn = db.conn
    if conn.in_transaction:
        ours = id(conn) in _OWN_TRANSACTIONS
        with db.atomic():
            added = _set_actor(conn, only_if_missing=True)
            mark = None if ours else seal_mark(conn)
            yield db
            if added:
                _clear_actor(conn)
            if not ours:
                seal_entries(conn, mark)
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise (storage_error(exc) or exc) from None
    _OWN_TRANSACTIONS.add(id(conn))
    try:
        _set_actor(conn)
        mark = seal_mark(conn)
        yield db
        _clear_actor(conn)
        seal_entries(conn, mark)
        conn.execute("COMMIT")
    except BaseException as exc:
        if _in_transaction(conn):  # an error may already have ended it
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        mapped = storage_error(exc)
        if mapped is not None:
            raise mapped from None
        raise
    finally:
        _OWN_TRANSACTIONS.discard(id(conn))


def _set_actor(conn: sqlite3.Connection, *, only_if_missing: bool = False) -> bool:
    """Name the person making this transaction's changes, for the audit triggers.

    The row is deleted again before COMMIT, so no other connection ever sees it.
    Returns whether a row was added (False for a database not yet migrated).
    """
    try:
        if only_if_missing and conn.execute(f"SELECT 1 FROM {CONTEXT_TABLE}").fetchone():
            return False
        conn.execute(f"INSERT INTO {CONTEXT_TABLE} (actor) VALUES (?)", [current_actor()])
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):  # a database not yet migrated has no audit
            raise
        return False
    return True


def _clear_actor(conn: sqlite3.Connection) -> None:
    try:
        conn.execute(f"DELETE FROM {CONTEXT_TABLE}")
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
