"""The score cache: each supplier's overview kept between runs, and what it is valid for.

Scoring a register of tens of thousands of suppliers takes seconds; a day's
scores change only where the register does.  ``score_cache`` holds one row
per supplier: its overview (as text the scoring layer writes and reads), the
columns of the register's priority order (so the first screen is one indexed
``ORDER BY ... LIMIT``), and the days the row holds for, ``valid_from`` (the
day it was worked out) up to but not including ``valid_until`` (the first day
its overview could differ; NULL when no later day changes it).

``score_cache_state`` holds what every row was worked out with: ``scoring``, a
stamp of what does not depend on the records (cache format, scoring code,
config, number of top findings); ``context``, a stamp of the register-wide
context (people, the chief executive's tier and span); ``audit_mark``, the
audit log's last entry when the records were read; and ``suppliers``, how many
there were.  Every change to the register is in the audit log (triggers
record every write to every table but the log and this cache), so the
suppliers whose rows are out of date are exactly those the log names since
the mark, and when the log's last entry *is* the mark nothing at all has
changed, people included.  Neither table is audited: they are derived data,
and a write to them must not look like a change.

``score_cache_questions`` keeps the register's top board questions worked out
from a current cache, one row per set of arguments, with the state and the day
they were worked out for: they are used again only when all of these are the
same (see :func:`read_questions`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from sqlite_utils import Database

from supplier_register.storage.audit import AUDIT_TABLE
from supplier_register.storage.db import (
    BUSY_TIMEOUT_MS,
    StorageError,
    is_read_only,
    write_transaction,
)

WRITE_WAIT_MS = 500
"""How long a cache write waits for another writer before it gives up (the cache is optional)."""


FIRST_ROWS_SQL = (
    "SELECT supplier_id, data FROM score_cache "
    "ORDER BY priority DESC, score DESC, criticality_rank DESC, name_key LIMIT ?"
)
"""The first rows in priority order: read from the order index (m007), never sorted."""
LATEST_FROM_SQL = "SELECT max(valid_from) FROM score_cache"
EARLIEST_UNTIL_SQL = "SELECT min(valid_until) FROM score_cache"


class CacheState(NamedTuple):
    """What the cached rows were worked out with, and the last change they include."""

    scoring: str
    """Stamp of what does not depend on the records: format, scoring code, config, top findings."""
    context: str
    """Stamp of the register-wide context the rows were worked out in."""
    audit_mark: int
    suppliers: int
    """How many suppliers the register had at ``audit_mark`` (one row each)."""


class CacheRow(NamedTuple):
    """One supplier's cached overview, its place in the priority order and its days."""

    supplier_id: int
    data: str
    priority: float
    score: int
    criticality_rank: int
    name_key: str
    """The supplier's name, casefolded: the last key of the priority order."""
    valid_from: dt.date
    valid_until: dt.date | None


class Validity(NamedTuple):
    """The days every cached row holds for: ``[latest valid_from, earliest valid_until)``."""

    valid_from: dt.date | None
    valid_until: dt.date | None

    def holds_on(self, day: dt.date) -> bool:
        """Whether every row holds on ``day`` (an empty cache holds on no day)."""
        if self.valid_from is None or day < self.valid_from:
            return False
        return self.valid_until is None or day < self.valid_until


def audit_mark(db: Database) -> int:
    """The id of the audit log's last entry (0 when empty): read before the records it covers."""
    row = db.execute(f"SELECT coalesce(max(id), 0) FROM {AUDIT_TABLE}").fetchone()
    return int(row[0])


def read_state(db: Database) -> CacheState | None:
    """The cache's state, if it holds anything."""
    row = db.execute(
        "SELECT scoring, context, audit_mark, suppliers FROM score_cache_state WHERE id = 1"
    ).fetchone()
    return CacheState(str(row[0]), str(row[1]), int(row[2]), int(row[3])) if row else None


def validity(db: Database) -> Validity:
    """The days every row holds for (two index look-ups, whatever the number of rows)."""
    latest = db.execute(LATEST_FROM_SQL).fetchone()[0]
    earliest = db.execute(EARLIEST_UNTIL_SQL).fetchone()[0]
    return Validity(
        dt.date.fromisoformat(latest) if latest else None,
        dt.date.fromisoformat(earliest) if earliest else None,
    )


def changed_since(db: Database, mark: int) -> set[int]:
    """Suppliers whose record, contracts (with the services they support) or answers changed
    after audit entry ``mark``.

    An entry names the supplier a row belongs to after the change; a contract or
    answer moved to another supplier also changed the one it left, which only
    its old values name, so both are included (whoever made the move: the
    repository, an import or raw SQL).
    """
    rows = db.execute(
        f"SELECT supplier_id FROM {AUDIT_TABLE} WHERE id > ? "
        "AND supplier_id IS NOT NULL "
        "AND table_name IN ('suppliers', 'contracts', 'answers', 'contract_services') "
        f"UNION SELECT json_extract(old_values, '$.supplier_id') FROM {AUDIT_TABLE} "
        "WHERE id > ? AND action = 'update' AND table_name IN ('contracts', 'answers') "
        "AND json_valid(old_values)",
        [mark, mark],
    ).fetchall()
    return {int(r[0]) for r in rows if isinstance(r[0], int)}


def read_rows(db: Database) -> Iterator[tuple[int, str, dt.date, dt.date | None]]:
    """Every cached row: (supplier id, data, valid from, valid until)."""
    days: dict[str, dt.date] = {}

    def day(text: str) -> dt.date:
        found = days.get(text)
        if found is None:
            found = days[text] = dt.date.fromisoformat(text)
        return found

    for supplier_id, data, valid_from, valid_until in db.execute(
        "SELECT supplier_id, data, valid_from, valid_until FROM score_cache"
    ):
        yield (
            int(supplier_id),
            str(data),
            day(valid_from),
            day(valid_until) if valid_until is not None else None,
        )


def first_rows(db: Database, limit: int) -> list[tuple[int, str]]:
    """The first ``limit`` rows in priority order: (supplier id, data).

    The order is the scoring engine's ``supplier_order`` (priority, score and
    criticality highest first, then name), read from the order index: no scan.
    """
    cursor = db.execute(FIRST_ROWS_SQL, [max(limit, 0)])
    return [(int(supplier_id), str(data)) for supplier_id, data in cursor]


def write(
    db: Database,
    state: CacheState,
    rows: Iterable[CacheRow],
    *,
    replace_all: bool,
    previous: CacheState | None,
    gone: Sequence[int] = (),
) -> bool:
    """Store ``rows`` (all of them when ``replace_all``), drop ``gone``, and the state: one transaction.

    Only when the state is still ``previous``, the one the rows were worked out
    against: another program may have rewritten the cache meanwhile (with
    another config, say), and rows of two scorings must never be mixed.  Best
    effort: when the state moved, another writer holds the database for
    longer than :data:`WRITE_WAIT_MS`, or the file is read-only, nothing is
    written and ``False`` comes back; the next run works the scores out again.
    """
    conn = db.conn

    def store() -> bool:
        if read_state(db) != previous:
            return False
        if replace_all:
            db.execute("DELETE FROM score_cache")
        conn.executemany("DELETE FROM score_cache WHERE supplier_id = ?", [(i,) for i in gone])
        conn.executemany(
            "INSERT INTO score_cache (supplier_id, data, priority, score, criticality_rank, "
            "name_key, valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (supplier_id) DO UPDATE SET data = excluded.data, "
            "priority = excluded.priority, score = excluded.score, "
            "criticality_rank = excluded.criticality_rank, name_key = excluded.name_key, "
            "valid_from = excluded.valid_from, valid_until = excluded.valid_until",
            (
                (
                    r.supplier_id,
                    r.data,
                    r.priority,
                    r.score,
                    r.criticality_rank,
                    r.name_key,
                    r.valid_from.isoformat(),
                    r.valid_until.isoformat() if r.valid_until is not None else None,
                )
                for r in rows
            ),
        )
        db.execute(
            "INSERT INTO score_cache_state (id, scoring, context, audit_mark, suppliers) "
            "VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "scoring = excluded.scoring, context = excluded.context, "
            "audit_mark = excluded.audit_mark, suppliers = excluded.suppliers",
            [state.scoring, state.context, state.audit_mark, state.suppliers],
        )
        return True

    return _best_effort(db, store)


def read_questions(
    db: Database,
    state: CacheState,
    day: dt.date,
    *,
    ranked_per_key: int,
    question_limit: int | None,
) -> str | None:
    """The kept top board questions for these arguments, if worked out with ``state`` on ``day``.

    The audit mark stands for the records (every write to the register moves
    it), the state's stamps for the scoring code, config and register-wide
    context, and question texts count days, so all of them and the day must be
    those the row was written with.  None when there is no such row, or the
    table is missing (an older schema opened read-only) or the database busy.
    """
    try:
        row = db.execute(
            "SELECT data FROM score_cache_questions WHERE ranked_per_key = ? "
            "AND question_limit = ? AND scoring = ? AND context = ? AND audit_mark = ? "
            "AND day = ?",
            _question_key(state, day, ranked_per_key, question_limit),
        ).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def write_questions(
    db: Database,
    state: CacheState,
    day: dt.date,
    data: str,
    *,
    ranked_per_key: int,
    question_limit: int | None,
) -> bool:
    """Keep the top board questions for these arguments (replacing any kept before for them).

    Best effort, like :func:`write`: busy for longer than
    :data:`WRITE_WAIT_MS`, read-only or full, nothing is written and ``False``
    comes back.
    """

    def store() -> bool:
        db.execute(
            "INSERT INTO score_cache_questions (ranked_per_key, question_limit, scoring, "
            "context, audit_mark, day, data) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (ranked_per_key, question_limit) DO UPDATE SET "
            "scoring = excluded.scoring, context = excluded.context, "
            "audit_mark = excluded.audit_mark, day = excluded.day, data = excluded.data",
            [*_question_key(state, day, ranked_per_key, question_limit), data],
        )
        return True

    return _best_effort(db, store)


def _best_effort(db: Database, store: Callable[[], bool]) -> bool:
    """Run ``store`` in one transaction, waiting at most :data:`WRITE_WAIT_MS` for another writer.

    What ``store`` returns comes back, or ``False`` when the database is busy
    for longer, read-only or full: then nothing is written, and what would
    have been kept is worked out again next time.
    """
    if is_read_only(db):
        return False  # a register opened read-only: the scores stay in memory
    conn = db.conn
    conn.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
    try:
        with write_transaction(db):
            return store()
    except (sqlite3.Error, StorageError):  # busy, read-only, disk full: the cache can wait
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _question_key(
    state: CacheState, day: dt.date, ranked_per_key: int, question_limit: int | None
) -> list[object]:
    """What kept questions are kept under, in the column order of ``score_cache_questions``."""
    return [
        ranked_per_key,
        _limit_key(question_limit),
        state.scoring,
        state.context,
        state.audit_mark,
        day.isoformat(),
    ]


def _limit_key(question_limit: int | None) -> int:
    """The question limit as a key column: -1 for the config's own (None)."""
    return -1 if question_limit is None else question_limit
