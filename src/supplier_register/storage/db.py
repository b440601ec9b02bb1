"""Opening the register database: location, permissions, pragmas and migrations."""

from __future__ import annotations

import contextlib
import os
import re
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
from supplier_register.storage.untrusted import (
    APPLICATION_ID,
    MIGRATIONS_TABLE,
    history_problem,
    inert,
    quick_check,
    trusted,
)

ENV_VAR = "SUPPLIER_REGISTER_DB"
APP_NAME = "supplier-register"
BUSY_TIMEOUT_MS = 15_000


class StorageError(RegisterError):
    """The database, its folder or its disk refused an operation: busy, read-only, full or failing."""


RESTORE_HINT = "restore a backup with `supplier-register restore BACKUP`"


class DamagedRegister(StorageError, BadFile):
    """The register file is damaged (or not SQLite at all): SQLite cannot read it.

    The message names the file when it is known (``path``) and says how to
    get the register back.
    """

    def __init__(self, reason: str, path: Path | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    @property
    def message(self) -> str:
        what = f"--db: {self.path}" if self.path is not None else "the register database"
        return f"{what} {self.reason}; {RESTORE_HINT}"

    def at(self, path: Path) -> DamagedRegister:
        """The same error, naming the file."""
        return self if self.path is not None else DamagedRegister(self.reason, path)


def _says(exc: sqlite3.DatabaseError, names: str, *words: str) -> bool:
    """Whether SQLite's error name matches ``names`` (a pattern, from the name's start) or
    its message holds one of ``words`` (lower case)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    return re.match(names, name) is not None or any(word in text for word in words)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    return _says(exc, "SQLITE_(CORRUPT|NOTADB)", "malformed", "file is not a database")


_EXPLAINED: tuple[tuple[str, str, str], ...] = (
    # (SQLite's error name, as a pattern from its start; words of its message; what we say)
    (
        "SQLITE_(BUSY|LOCKED)",
        " is locked",
        f"the register is busy: another program kept it locked for more than "
        f"{BUSY_TIMEOUT_MS / 1000:g} seconds; nothing was changed, try again",
    ),
    (
        "SQLITE_READONLY",
        "readonly database",
        "the register database is read-only (file or folder permissions, or a read-only "
        "disk); nothing was changed",
    ),
    (
        "SQLITE_FULL$",
        "disk is full",
        "the disk holding the register is full; nothing was changed. Free some space and try again",
    ),
    (
        "SQLITE_IOERR",
        "disk i/o error",
        "the disk holding the register could not be written or read (disk I/O error: "
        "full, failing or disconnected?); nothing was changed",
    ),
    (
        "SQLITE_CANTOPEN$",
        "unable to open database file",
        "cannot open the register database file (missing folder, or no permission)",
    ),
)
"""The environment's failures SQLite reports, in the order they are checked."""


NOT_SQLITE = "is not a SQLite database (or its header is damaged)"

READ_ONLY_MESSAGE = "The register is open read-only; nothing was changed."


class ReadOnlyRegister(StorageError):
    """A write asked of a register opened read-only (``--read-only``): refused, nothing changed."""

    def __init__(self) -> None:
        super().__init__(READ_ONLY_MESSAGE)


_READ_ONLY: set[Path] = set()
"""Registers (resolved paths) this program opens read-only: every :func:`open_database` of one
gives a connection that cannot write (``mode=ro`` and ``PRAGMA query_only``)."""


def _key(path: str | Path) -> Path:
    return Path(path).expanduser().resolve()


def open_read_only(path: str | Path) -> None:
    """From now on, open the register at ``path`` read-only in this program (``--read-only``):
    nothing is created, migrated, tidied, cached or written, and every write is refused with
    :data:`READ_ONLY_MESSAGE`."""
    _READ_ONLY.add(_key(path))


def release_read_only(path: str | Path) -> None:
    """Open the register at ``path`` normally again (for tests and the end of a command)."""
    _READ_ONLY.discard(_key(path))


def is_read_only_path(path: str | Path) -> bool:
    """Whether this program opens the register at ``path`` read-only."""
    return str(path) != ":memory:" and _key(path) in _READ_ONLY


def is_read_only(db: Database) -> bool:
    """Whether the connection cannot write (a register opened read-only)."""
    row = db.conn.execute("PRAGMA query_only").fetchone()
    return bool(row and row[0])


def damaged(exc: sqlite3.DatabaseError, path: Path | None = None) -> DamagedRegister:
    """The one-line error for a file SQLite reports as corrupt or not a database."""
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
        return DamagedRegister(NOT_SQLITE, path)
    return DamagedRegister(f"is damaged (SQLite reports: {exc})", path)


def storage_error(exc: BaseException, path: Path | None = None) -> StorageError | None:
    """A one-line user error for SQLite failures caused by the environment, else None.

    "database is locked" and friends never reach the user as such: each is
    explained, and says that nothing was changed (the transaction rolled back).
    A damaged file says so and how to restore it (naming ``path`` when given).
    """
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    if _is_damage(exc):
        return damaged(exc, path)
    if path is not None and is_read_only_path(path) and _says(exc, "SQLITE_READONLY", "readonly"):
        return ReadOnlyRegister()  # opened read-only on purpose: not a permissions problem
    for names, words, message in _EXPLAINED:
        if _says(exc, names, words):
            return StorageError(message)
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


def _open_failure(
    exc: sqlite3.DatabaseError, path: str | Path, register: Path | None
) -> RegisterError:
    """The one-line error for a register at ``path`` SQLite could not open or check."""
    mapped = storage_error(exc, register)
    if isinstance(mapped, DamagedRegister):
        return mapped
    if mapped is not None:
        return StorageError(f"--db: {path}: {mapped.message}")
    return BadFile(f"--db: cannot open {path}: {exc}")


def newer_schema(applied: int) -> RegisterError:
    """The error for a register written by a newer release of this program."""
    return RegisterError(
        f"--db: the database is at schema version {applied}, newer than this release "
        f"supports ({SCHEMA_VERSION}); upgrade supplier-register"
    )


def open_database(path: str | Path, *, create: bool = True, migrate: bool = True) -> Database:
    """Open (and by default create and migrate) a register database.

    Foreign keys are enforced, the journal is WAL so readers never block the
    writer, and a busy timeout makes concurrent writers wait instead of failing.
    Nothing of the file runs before it is known to be a register (see
    :func:`_check_is_register`); functions named by its schema never run
    (``trusted_schema = OFF``).  A damaged file gives one line saying so.
    """
    in_memory = str(path) == ":memory:"
    if not in_memory and is_read_only_path(path):
        return _open_read_only(Path(path).expanduser())
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
        # Not a SQLite file: SQLite's first read says so (SQLITE_NOTADB, see ``damaged``).
        # Never read the header by opening the file here: closing that handle would drop
        # the locks SQLite holds on it for this program's other connections.
    try:
        db = connect(":memory:" if in_memory else str(path))
        if in_memory:
            mark_register(db)
        else:
            _check_is_register(db, Path(path))
            from supplier_register.storage.leftovers import tidy_beside

            tidy_beside(Path(path))
            if db.journal_mode != "wal":
                db.enable_wal()
            db.execute("PRAGMA synchronous = FULL")
        trusted(db.conn)  # a register: its triggers are this program's
        if migrate:
            _migrate(db, None if in_memory else Path(path))
    except sqlite3.DatabaseError as exc:
        raise _open_failure(exc, path, None if in_memory else Path(path)) from None
    return db


NEEDS_OPENING = (
    "open it once without --read-only (to bring it up to this release); nothing was changed"
)


def _open_read_only(path: Path) -> Database:
    """The register at ``path`` on a connection that cannot write (see :func:`open_read_only`).

    SQLite opens the file ``mode=ro`` and ``PRAGMA query_only`` refuses any write on top.
    A file that is not yet a register of this release (unmarked, or with migrations
    pending) is refused: bringing it up to date would write it.
    """
    if path.is_dir():
        raise BadFile(f"--db: {path} is a directory, not a database file")
    if not path.exists():
        raise BadFile(f"--db: {path} does not exist; nothing was created (--read-only)")
    try:
        conn = _connect_read_only(path)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA query_only = ON")
        marker = db.execute("PRAGMA application_id").fetchone()[0]
        if marker != APPLICATION_ID:
            db.close()
            raise BadFile(f"--db: {path} is not marked as a register yet; {NEEDS_OPENING}")
        applied = schema_version(db)
        if applied > SCHEMA_VERSION:
            db.close()
            raise newer_schema(applied)
        if migrations.pending(db):
            db.close()
            raise RegisterError(f"--db: {path} needs migrating to this release; {NEEDS_OPENING}")
        trusted(conn)
    except sqlite3.DatabaseError as exc:
        raise _open_failure(exc, path, path) from None
    return db


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A ``mode=ro`` connection to the register at ``path`` (its schema inert), read once.

    A register in WAL mode is read through its ``-shm`` beside it, which a reader creates when
    nobody has the register open; in a folder this account may only read (locked with chmod,
    or on a read-only disk) it cannot, and SQLite refuses to open.  Then, with no ``-wal`` beside the
    file (nobody is writing: a writer keeps one there), the file alone is the whole register
    and is read as immutable, creating nothing.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        inert(conn)
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() or os.access(path.parent, os.W_OK):
            raise
        if not _says(exc, "SQLITE_(READONLY|CANTOPEN)", "readonly", "unable to open"):
            raise
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        inert(conn)
    return conn


def open_preview(path: str | Path) -> Database:
    """A private in-memory copy of the register at ``path``, checked and migrated, for a dry run.

    The file is read, never written: no file is created for a register that does
    not exist (the copy starts empty), an older schema is migrated in the copy
    only, and nothing beside the file is tidied.  Without a ``-wal`` beside it the
    file is read as immutable, so SQLite creates no ``-wal``/``-shm`` either.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise BadFile(f"--db: {path} is a directory, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return open_database(":memory:")
    wal = path.with_name(path.name + "-wal")
    uri = path.resolve().as_uri() + ("?mode=ro" if wal.exists() else "?mode=ro&immutable=1")
    try:
        source = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            inert(source)
            db = connect(":memory:")
            source.backup(db.conn)
        finally:
            source.close()
        _check_is_register(db, path)
        trusted(db.conn)
        _migrate(db, None)
    except sqlite3.DatabaseError as exc:
        raise _open_failure(exc, path, path) from None
    return db


def connect(path: str | Path) -> Database:
    """A connection as every register connection is set up, with no check of the file.

    Its schema is not trusted (no function it names runs) until :func:`trusted`.
    For :func:`open_database`, and for a restore's staged copy.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    db = Database(conn)
    inert(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
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
    """Refuse a file that is not a register, before anything of it can run or be changed.

    A register carries this program's ``application_id``; a new, empty file
    is marked now.  A file without the mark (a register made before marking
    began) is accepted only when its migration history names nothing but this
    program's migrations, in order, and it passes SQLite's quick integrity
    check; it is then marked, once.  Any other file is refused, unchanged.
    """
    known = [m.name for m in migrations._migrations]
    try:
        marker = db.execute("PRAGMA application_id").fetchone()[0]
        if marker == APPLICATION_ID:
            return
        if marker != 0:
            raise BadFile(
                f"--db: {path} is a SQLite database of another program (application id "
                f"{marker:#x}), not a register; nothing was changed"
            )
        if _is_new(db):
            mark_register(db)  # a new register
            return
        problem = history_problem(db.conn, known)
        if problem is not None:
            raise BadFile(
                f"--db: {path} is a SQLite database of another program, not a register "
                f"({problem}); nothing was changed"
            )
        complaint = quick_check(db.conn)
    except sqlite3.DatabaseError as exc:
        raise damaged(exc, path) from None
    if complaint is not None:
        raise DamagedRegister(f"is damaged (SQLite reports: {complaint})", path)
    mark_register(db)


def _is_new(db: Database) -> bool:
    """Empty, or holding only the empty migration history (a first run killed at its start)."""
    objects = db.execute("SELECT type, tbl_name FROM sqlite_master").fetchall()
    if not objects:
        return True
    if any(kind not in ("table", "index") or table != MIGRATIONS_TABLE for kind, table in objects):
        return False
    return db.execute(f"SELECT 1 FROM {MIGRATIONS_TABLE} LIMIT 1").fetchone() is None


def mark_register(db: Database) -> None:
    """Mark the database as a register (the header's application id)."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def schema_version(db: Database) -> int:
    """How many of this program's migrations the database has applied."""
    return len(migrations.applied(db))


def has_data(db: Database) -> bool:
    """Whether any table other than migration bookkeeping holds a row."""
    for name in db.table_names():
        if name == MIGRATIONS_TABLE or name.startswith("sqlite_"):
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
        raise newer_schema(applied)
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
    if is_read_only(db):
        raise ReadOnlyRegister()
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


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Run a block of reads in one snapshot, so a write made meanwhile cannot mix in.

    A deferred transaction, ended (rolled back: nothing was written) when the
    block ends; inside a transaction already open, the block joins it.
    """
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN")
    try:
        yield db
    finally:
        if _in_transaction(conn):
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")


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
