"""Checks of a database file before anything of it may run: is it a healthy register?

A SQLite file carries code: its triggers run on every write and its views on
every read, so a file from elsewhere (a backup to restore, a ``--db`` given by
mistake) is inspected with nothing of it running first.  Connections here use
``PRAGMA trusted_schema = OFF`` and only read ``sqlite_master``, the header and
the migration history until the file is known to be a register of this
program whose schema is exactly what this release's migrations make.

Registers are marked with ``PRAGMA application_id`` (:data:`APPLICATION_ID`).
A file without the mark is accepted as an (older) register only when its
migration history names nothing but this program's migrations, in order.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

APPLICATION_ID = 0x53526567
"""``PRAGMA application_id`` of a register: the bytes "SReg" (set at creation and on first open)."""
MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATION_SET = "supplier_register"
SQLITE_MAGIC = b"SQLite format 3\x00"
_MIGRATIONS_COLUMNS = ["id", "migration_set", "name", "applied_at"]
_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

Schema = dict[tuple[str, str], str]
"""A database's objects: (type, name) -> its SQL with whitespace normalised."""


def is_sqlite_file(path: Path) -> bool:
    """Whether the file starts with SQLite's header (an empty file counts as new, not SQLite).

    Only for a file no connection of this program has open (a backup to restore, its
    staged copy): POSIX locks belong to the process, so closing this handle would drop
    the locks SQLite holds on the file for this program's connections, which would
    then read stale pages.  An open register's header is checked by SQLite itself
    (``open_database`` reports SQLITE_NOTADB as "not a SQLite database").
    """
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def inert(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Make a connection to an unchecked file refuse to run functions its schema names."""
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def trusted(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Let a connection to a checked register run its schema (the audit triggers call
    ``json_object``, which SQLite does not count as innocuous)."""
    conn.execute("PRAGMA trusted_schema = ON")
    return conn


def history(conn: sqlite3.Connection) -> list[tuple[str, str]] | None:
    """The (migration set, name) of every row of the migration history; None without one."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if MIGRATIONS_TABLE not in tables:
        return None
    columns = [r[1] for r in conn.execute(f"PRAGMA table_info({MIGRATIONS_TABLE})")]
    if columns != _MIGRATIONS_COLUMNS:
        return None
    return [
        (str(s), str(n))
        for s, n in conn.execute(
            f"SELECT migration_set, name FROM {MIGRATIONS_TABLE} ORDER BY rowid"
        )
    ]


def history_problem(conn: sqlite3.Connection, known: list[str]) -> str | None:
    """Why the file's migration history is not a register's of this or an older release.

    None when every row is of this program's migration set and the names are
    the first of this release's migrations, in order.
    """
    rows = history(conn)
    if rows is None:
        return "it has no supplier-register schema history"
    foreign = sorted({s for s, _ in rows if s != MIGRATION_SET})
    if foreign:
        return f"its schema history is of another program ({foreign[0]!r})"
    names = [n for _, n in rows]
    if not names:
        return "its schema history is empty"
    if names != known[: len(names)]:
        return "its schema history does not match this program's"
    return None


def normalise(sql: str | None) -> str:
    """SQL with every run of whitespace made one space."""
    return " ".join((sql or "").split())


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every table, index, trigger and view of a database, with its SQL.

    SQLite's own objects (the automatic indexes of UNIQUE constraints, which
    have no SQL, and its statistics and sequence tables) are left out, and so
    are the table and index of the migration history, which sqlite-utils makes
    (its columns are checked by :func:`history`); a trigger or view on it is
    kept, and compared, whatever its name.
    """
    out: Schema = {}
    for kind, name, table, sql in conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ):
        if kind == "index" and sql is None and str(name).startswith("sqlite_autoindex_"):
            continue
        if kind == "table" and name in _SQLITE_TABLES:
            continue
        if table == MIGRATIONS_TABLE and kind in ("table", "index"):
            continue
        out[(str(kind), str(name))] = f"on {table}: {normalise(sql)}"
    return out


@functools.lru_cache(maxsize=4)
def expected_schema(version: int) -> Schema:
    """The schema this release's first ``version`` migrations make, audit triggers included.

    Built on a fresh in-memory database from the migration list itself, so a
    migration added later is taken into account with no change here.
    """
    from sqlite_utils import Database

    from supplier_register.storage.audit import ensure_audit_triggers
    from supplier_register.storage.migrations import migrations

    names = [m.name for m in migrations._migrations]
    db = Database(sqlite3.connect(":memory:"))
    try:
        inert(db.conn)
        if version < len(names):
            migrations.apply(db, stop_before=names[version])
        else:
            migrations.apply(db)
        with db.atomic():
            ensure_audit_triggers(db)
        return schema_of(db.conn)
    finally:
        db.close()


def _label(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def schema_difference(conn: sqlite3.Connection, version: int) -> str | None:
    """The first object whose SQL differs from a register's at ``version``; None if none."""
    expected = expected_schema(version)
    actual = schema_of(conn)
    for key in sorted(expected.keys() | actual.keys()):
        if key not in actual:
            return f"{_label(key)} is missing"
        if key not in expected:
            return f"{_label(key)} is not a register's"
        if actual[key] != expected[key]:
            return f"{_label(key)} is defined differently"
    return None


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's quick integrity check: None when ok, else its first complaint."""
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows == [("ok",)]:
        return None
    return str(rows[0][0]) if rows else "no answer"
