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
from supplier_register.storage.migrations import SCHEMA_VERSION, migrations

ENV_VAR = "SUPPLIER_REGISTER_DB"
APP_NAME = "supplier-register"
BUSY_TIMEOUT_MS = 15_000


def default_db_path() -> Path:
    """The database used when no ``--db`` is given: ``$SUPPLIER_REGISTER_DB`` or the user data dir."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "register.db"


def _create_private(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (before SQLite opens it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
            _migrate(db)
    except sqlite3.DatabaseError as exc:
        raise BadFile(f"--db: cannot open {path}: {exc}") from None
    return db


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


def _migrate(db: Database) -> None:
    applied = schema_version(db)
    if applied > SCHEMA_VERSION:
        raise RegisterError(
            f"--db: the database is at schema version {applied}, newer than this release "
            f"supports ({SCHEMA_VERSION}); upgrade supplier-register"
        )
    if migrations.pending(db):
        migrations.apply(db)


def _in_transaction(conn: sqlite3.Connection) -> bool:
    return conn.in_transaction


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run a block as one write transaction, taking the write lock up front.

    ``BEGIN IMMEDIATE`` makes a second writer wait (busy timeout) at the start
    rather than fail half-way with "database is locked".  Nested use becomes a
    savepoint, so a multi-step operation is still all or nothing.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if _in_transaction(conn):  # an error may already have ended it
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
