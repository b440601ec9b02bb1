"""Noticing changes other programs make to a register while it is open (the TUI's live refresh).

SQLite's ``PRAGMA data_version`` on one connection changes whenever *another*
connection commits to the database, and reading it costs next to nothing, so a
connection kept open only for it can be asked every second.  When it has changed,
the audit log says what: every write to every table but the log and the score
cache leaves an entry (see ``storage.audit``), so the entries after the last one
the program has seen name the suppliers that changed, or show that something
register-wide (people, services, settings) did.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from supplier_register.storage.audit import AUDIT_TABLE
from supplier_register.storage.db import BUSY_TIMEOUT_MS
from supplier_register.storage.score_cache import changed_since
from supplier_register.storage.untrusted import inert

SUPPLIER_TABLES = ("suppliers", "contracts", "answers", "contract_services")
"""Tables whose audit entries name the one supplier a change belongs to."""

REVIEW_TABLES = ("reviews", "review_actions", "review_snapshots")
"""Tables the register's suppliers and scores do not depend on (the quarterly reviews)."""


@dataclass(frozen=True)
class Changes:
    """What changed after an audit mark, up to ``mark``."""

    mark: int
    """The audit log's last entry now."""
    suppliers: frozenset[int] | None
    """The suppliers that changed (none: only the reviews did); ``None`` when something
    register-wide changed too."""


class ChangeWatch:
    """A read-only connection that tells when another connection has changed the register.

    Safe to call from any one thread at a time (a lock serialises the calls).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
            self._conn = inert(conn)  # only pragmas and plain reads run on it
        return self._conn

    def changed(self) -> int | None:
        """The audit log's last entry when somebody else committed since the last call (the
        first call gives it too), else ``None``.  Raises ``sqlite3.Error`` when the file cannot
        be read (the connection is then opened again on the next call)."""
        with self._lock:
            if self._closed:
                return None
            try:
                conn = self._connection()
                version = int(conn.execute("PRAGMA data_version").fetchone()[0])
                if version == self._version:
                    return None
                mark = _audit_mark(conn)
            except sqlite3.Error:
                self._close()
                raise
            self._version = version
            return mark

    def close(self) -> None:
        """Close the connection for good (a later call notices nothing)."""
        with self._lock:
            self._closed = True
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._version = None


def _audit_mark(conn: sqlite3.Connection) -> int:
    return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {AUDIT_TABLE}").fetchone()[0])


def changes_since(db: Database, mark: int) -> Changes:
    """What the audit log records after entry ``mark``."""
    now = _audit_mark(db.conn)
    if now <= mark:
        return Changes(now, frozenset())
    narrow = (*SUPPLIER_TABLES, *REVIEW_TABLES)
    placeholders = ", ".join("?" for _ in narrow)
    wide = db.execute(
        f"SELECT 1 FROM {AUDIT_TABLE} WHERE id > ? AND table_name NOT IN ({placeholders}) LIMIT 1",
        [mark, *narrow],
    ).fetchone()
    if wide is not None:
        return Changes(now, None)
    return Changes(now, frozenset(changed_since(db, mark)))
