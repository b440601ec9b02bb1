"""The score cache: each supplier's overview kept between runs, and what it is valid for.

Scoring a register of tens of thousands of suppliers takes seconds; a day's
scores change only where the register does.  ``score_cache`` holds one row
per supplier (its overview, as text the scoring layer writes and reads), and
``score_cache_state`` a stamp (the day, the config, the scoring code and the
register-wide context the rows were worked out with) and the audit log's last
entry when the records were read.  Every change to the register is in the
audit log (triggers record every write), so the suppliers whose rows are out
of date are exactly those the log names since then.  Neither table is audited:
they are derived data, and a write to them must not look like a change.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from sqlite_utils import Database

from supplier_register.storage.audit import AUDIT_TABLE
from supplier_register.storage.db import BUSY_TIMEOUT_MS, StorageError, write_transaction

WRITE_WAIT_MS = 500
"""How long a cache write waits for another writer before it gives up (the cache is optional)."""


class CacheState(NamedTuple):
    """What the cached rows were worked out for, and the last change they include."""

    stamp: str
    audit_mark: int


def audit_mark(db: Database) -> int:
    """The id of the audit log's last entry (0 when empty): read before the records it covers."""
    row = db.execute(f"SELECT coalesce(max(id), 0) FROM {AUDIT_TABLE}").fetchone()
    return int(row[0])


def read_state(db: Database) -> CacheState | None:
    """The cache's state, if it holds anything."""
    row = db.execute("SELECT stamp, audit_mark FROM score_cache_state WHERE id = 1").fetchone()
    return CacheState(str(row[0]), int(row[1])) if row else None


def changed_since(db: Database, mark: int) -> set[int]:
    """Suppliers whose record, contracts or answers changed after audit entry ``mark``."""
    rows = db.execute(
        f"SELECT DISTINCT supplier_id FROM {AUDIT_TABLE} WHERE id > ? "
        "AND supplier_id IS NOT NULL AND table_name IN ('suppliers', 'contracts', 'answers')",
        [mark],
    ).fetchall()
    return {int(r[0]) for r in rows}


def read_rows(db: Database) -> Iterator[tuple[int, str]]:
    """Every cached row: (supplier id, data)."""
    for supplier_id, data in db.execute("SELECT supplier_id, data FROM score_cache"):
        yield int(supplier_id), str(data)


def write(
    db: Database, state: CacheState, rows: Iterable[tuple[int, str]], *, replace_all: bool
) -> bool:
    """Store ``rows`` (all of them when ``replace_all``) and the state, in one transaction.

    Best effort: when another writer holds the database for longer than
    :data:`WRITE_WAIT_MS`, or the file is read-only, nothing is written and
    ``False`` comes back; the next run works the scores out again.
    """
    conn = db.conn
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    try:
        with write_transaction(db):
            if replace_all:
                db.execute("DELETE FROM score_cache")
            conn.executemany(
                "INSERT INTO score_cache (supplier_id, data) VALUES (?, ?) "
                "ON CONFLICT (supplier_id) DO UPDATE SET data = excluded.data",
                rows,
            )
            db.execute(
                "INSERT INTO score_cache_state (id, stamp, audit_mark) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp, "
                "audit_mark = excluded.audit_mark",
                [state.stamp, state.audit_mark],
            )
    except (sqlite3.Error, StorageError):  # busy, read-only, disk full: the cache can wait
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return True
