"""The audit trail: who changed which record, when, from what to what.

Every insert, update and delete of every register table is recorded by SQLite
triggers, so nothing escapes it: repository writes, imports, cascading deletes
and raw SQL typed into another tool alike.  The triggers write to
``audit_log``; the acting person comes from ``audit_context``, a one-row table
that :func:`~supplier_register.storage.db.write_transaction` fills at the
start of each write transaction and empties before it commits, so the row is
never visible to any other connection.  Writes made outside the program (no
row) are recorded with the actor :data:`UNKNOWN_ACTOR`.

Adding a table needs one call, :func:`install_audit_triggers`, and even that
is done for you: after every migration :func:`ensure_audit_triggers` (re)creates
the triggers of any table whose triggers are missing or out of date.

The log is a hash chain (migration ``m009_audit_chain``): each entry is
*sealed* with ``hash``, the SHA-256 of every column of the entry together with
the seal of the entry before it (see :func:`entry_hash`).  SQLite has no
SHA-256 and the triggers must keep working for other tools, so the seals are
made in Python, by :func:`seal_entries`, which ``write_transaction`` runs just
before it commits.  Entries written by other tools stay unsealed until the
program next writes.  :func:`verify_audit` recomputes the chain, so an entry
rewritten, reordered, removed or added since it was sealed is reported, and
checks it against a chain head recorded earlier.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import math
import os
import sqlite3
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import platformdirs
from sqlite_utils import Database

from supplier_register.domain.textsafety import show_controls

AUDIT_TABLE = "audit_log"
CONTEXT_TABLE = "audit_context"
USER_ENV_VAR = "SUPPLIER_REGISTER_USER"
UNKNOWN_ACTOR = "(outside supplier-register)"
CONFIG_FILE = "config.toml"
CONFIG_ENV_VAR = "SUPPLIER_REGISTER_CONFIG_FILE"

# Tables never audited: the audit tables themselves, bookkeeping of migrations, and the
# score cache (derived data, itself kept up to date from this log; see storage.score_cache).
_NOT_AUDITED = {
    AUDIT_TABLE,
    CONTEXT_TABLE,
    "_sqlite_migrations",
    "score_cache",
    "score_cache_state",
    "score_cache_questions",
}
_ACTIONS = ("insert", "update", "delete")
# json_object() takes at most 127 arguments, so wide rows are built in chunks.
_COLUMNS_PER_CHUNK = 60

Action = Literal["insert", "update", "delete", "baseline", "restore", "merge"]


# ----------------------------------------------------------------- actor


def config_path() -> Path:
    """The user's configuration file: ``$SUPPLIER_REGISTER_CONFIG_FILE``, else e.g.
    ``~/.config/supplier-register/config.toml``."""
    configured = os.environ.get(CONFIG_ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    return platformdirs.user_config_path("supplier-register", appauthor=False) / CONFIG_FILE


def _configured_user(path: Path) -> str | None:
    """``[audit] user = "..."`` from the configuration file; None when absent or unreadable."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    section = data.get("audit")
    user = section.get("user") if isinstance(section, dict) else None
    return user.strip() if isinstance(user, str) and user.strip() else None


ACTOR_MAX = 200


def plain_actor(name: str) -> str:
    """An actor name as recorded: control characters shown as escapes, at most 200 characters.

    ``SUPPLIER_REGISTER_USER=$'Sam\\e]2;pwned\\a'`` is recorded as
    ``Sam\\x1b]2;pwned\\x07``: the name stays recognisable, the tampering is
    visible in every view of the trail, and no escape sequence is ever stored.
    (Refusing instead would break reading: every write transaction names its
    actor, including the score cache's, which ``score`` and ``questions`` write.)
    """
    return show_controls(name)[:ACTOR_MAX]


def current_actor() -> str:
    """Who is making changes: ``$SUPPLIER_REGISTER_USER``, the config file, else the OS user.

    Whichever it is, control characters are escaped (see :func:`plain_actor`).
    """
    env = os.environ.get(USER_ENV_VAR, "").strip()
    if env:
        return plain_actor(env)
    configured = _configured_user(config_path())
    if configured:
        return plain_actor(configured)
    try:
        return plain_actor(getpass.getuser())  # from $LOGNAME or $USER when they are set
    except (OSError, KeyError):  # no user name for this uid (e.g. some containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown user"


# -------------------------------------------------------------- triggers


def create_audit_tables(db: Database) -> None:
    """The audit log and the per-transaction actor table (used by a migration)."""
    db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS {AUDIT_TABLE} (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            table_name TEXT NOT NULL,
            record_id INTEGER,
            supplier_id INTEGER,
            action TEXT NOT NULL,
            old_values TEXT,
            new_values TEXT
        )
        """
    )
    db.execute(
        f"CREATE INDEX IF NOT EXISTS idx_{AUDIT_TABLE}_supplier ON {AUDIT_TABLE}(supplier_id)"
    )
    db.execute(f"CREATE INDEX IF NOT EXISTS idx_{AUDIT_TABLE}_at ON {AUDIT_TABLE}(at)")
    db.execute(f"CREATE TABLE IF NOT EXISTS {CONTEXT_TABLE} (actor TEXT NOT NULL)")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _row_json(alias: str, columns: Sequence[str]) -> str:
    """SQL building a JSON object of a row's columns; BLOBs become hex so JSON never fails."""
    chunks = []
    for start in range(0, len(columns), _COLUMNS_PER_CHUNK):
        parts = []
        for col in columns[start : start + _COLUMNS_PER_CHUNK]:
            ref = f"{alias}.{_quote(col)}"
            parts.append(
                f"{_literal(col)}, CASE typeof({ref}) WHEN 'blob' THEN 'x' || hex({ref}) "
                f"ELSE {ref} END"
            )
        chunks.append("json_object(" + ", ".join(parts) + ")")
    if len(chunks) == 1:
        return chunks[0]
    # Join the objects' members as text (json_patch would drop null members).  Values are
    # scalars, so each chunk's only outer braces are its first and last characters.
    inner = " || ',' || ".join(f"ltrim(rtrim({c}, '}}'), '{{')" for c in chunks)
    return f"('{{' || {inner} || '}}')"


def auditable_tables(db: Database) -> list[str]:
    """Ordinary tables of the register that must be audited (not virtual, shadow or internal)."""
    rows = db.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows if r[0] not in _NOT_AUDITED]


def _columns(db: Database, table: str) -> list[str]:
    return [r[1] for r in db.execute("SELECT * FROM pragma_table_info(?)", [table]).fetchall()]


def _supplier_ref(table: str, columns: Sequence[str]) -> str:
    """SQL naming the supplier a row of ``table`` belongs to (``{row}`` is OLD or NEW).

    A contract's link to a service names the contract's supplier, so that the
    score cache sees which supplier a link changed, whoever wrote it.
    """
    if table == "suppliers":
        return "{row}.id"
    if "supplier_id" in columns:
        return "{row}.supplier_id"
    if table == "contract_services":
        return "(SELECT supplier_id FROM contracts WHERE id = {row}.contract_id)"
    return "NULL"


def trigger_sql(db: Database, table: str) -> dict[str, str]:
    """The CREATE TRIGGER statement of each action for ``table``, by trigger name."""
    columns = _columns(db, table)
    if not columns:
        raise ValueError(f"no table named {table!r}")
    supplier_ref = _supplier_ref(table, columns)
    actor = (
        f"coalesce((SELECT actor FROM {CONTEXT_TABLE} ORDER BY rowid DESC LIMIT 1), "
        f"{_literal(UNKNOWN_ACTOR)})"
    )
    now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
    statements = {}
    for action in _ACTIONS:
        row = "OLD" if action == "delete" else "NEW"
        old = _row_json("OLD", columns) if action != "insert" else "NULL"
        new = _row_json("NEW", columns) if action != "delete" else "NULL"
        when = ""
        if action == "update":
            changed = " OR ".join(f"OLD.{_quote(c)} IS NOT NEW.{_quote(c)}" for c in columns)
            when = f" WHEN {changed}"
        name = f"audit_{table}_{action}"
        statements[name] = (
            f"CREATE TRIGGER {_quote(name)} AFTER {action.upper()} ON {_quote(table)}{when}\n"
            f"BEGIN\n"
            f"  INSERT INTO {AUDIT_TABLE} (at, actor, table_name, record_id, supplier_id, "
            f"action, old_values, new_values)\n"
            f"  VALUES ({now}, {actor}, {_literal(table)}, {row}.rowid, "
            f"{supplier_ref.format(row=row)}, {_literal(action)}, {old}, {new});\n"
            f"END"
        )
    return statements


def install_audit_triggers(db: Database, table: str) -> None:
    """Record every insert, update and delete of ``table`` in the audit log.

    Safe to call again after the table's columns change: the triggers are
    dropped and rebuilt from the current column list.  The rows the table
    holds at that moment are recorded as a 'baseline' entry each, so the log
    always replays to the table's exact contents (see :func:`verify_audit`).
    """
    for name, sql in trigger_sql(db, table).items():
        db.execute(f"DROP TRIGGER IF EXISTS {_quote(name)}")
        db.execute(sql)
    columns = _columns(db, table)
    db.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor, table_name, record_id, supplier_id, action, "
        f"old_values, new_values) SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
        f"coalesce((SELECT actor FROM {CONTEXT_TABLE} ORDER BY rowid DESC LIMIT 1), ?), "
        f"{_literal(table)}, NEW.rowid, "
        f"{_supplier_ref(table, columns).format(row='NEW')}, 'baseline', NULL, "
        f"{_row_json('NEW', columns)} FROM {_quote(table)} AS NEW ORDER BY NEW.rowid",
        [current_actor()],
    )


def outdated_audit_tables(db: Database) -> list[str]:
    """Tables whose audit triggers are missing or do not match their current columns."""
    existing = dict(
        db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    )
    return [
        table
        for table in auditable_tables(db)
        if any(existing.get(n) != sql for n, sql in trigger_sql(db, table).items())
    ]


def ensure_audit_triggers(db: Database) -> list[str]:
    """Install or rebuild the triggers of every table that needs it; returns those tables."""
    if AUDIT_TABLE not in db.table_names():
        return []
    tables = outdated_audit_tables(db)
    for table in tables:
        install_audit_triggers(db, table)
    return tables


def record_event(db: Database, action: Action, values: Mapping[str, Any]) -> None:
    """Add an entry that is not a row change (e.g. a restore), attributed like any other."""
    db.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor, table_name, record_id, supplier_id, action, "
        "old_values, new_values) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
        f"coalesce((SELECT actor FROM {CONTEXT_TABLE} ORDER BY rowid DESC LIMIT 1), ?), "
        "'*', NULL, NULL, ?, NULL, ?)",
        [current_actor(), action, json.dumps(dict(values), ensure_ascii=False)],
    )


# ----------------------------------------------------------------- chain

CHAIN_START = "0" * 64
"""What the first entry of the chain is sealed after."""
CHAIN_FORMAT = "supplier-register audit chain 1"
"""Hashed with every entry, so a seal means nothing outside this chain."""
SEALED_COLUMNS = (
    "id",
    "at",
    "actor",
    "table_name",
    "record_id",
    "supplier_id",
    "action",
    "old_values",
    "new_values",
)
"""Every column of an entry but its seal, in the order they are hashed."""
OUTSIDE_ACTIONS = ("insert", "update", "delete")
"""What the triggers write for another tool; nothing else is sealed unless the program wrote it."""
_SELECT_SEALED = ", ".join(SEALED_COLUMNS)


def _field(value: object) -> str:
    """One column for hashing, typed and delimited so no two rows encode alike.

    ``s`` text and ``b`` blobs carry their length, ``i`` integers and ``f``
    reals end at ``:`` (which they cannot contain), ``n`` is NULL.
    """
    if value is None:
        return "n"
    if isinstance(value, str):
        return f"s{len(value)}:{value}"
    if isinstance(value, int):
        return f"i{value}:"
    if isinstance(value, float):
        return f"f{value!r}:"
    if isinstance(value, bytes):
        return f"b{len(value)}:{value.hex()}"
    raise TypeError(f"cannot seal a value of type {type(value).__name__}")


def entry_hash(prev_hash: object, row: Sequence[Any]) -> str:
    """The seal of an entry: SHA-256 (hex) of the previous seal and every column, typed.

    ``row`` holds the columns of :data:`SEALED_COLUMNS` as SQLite returns them;
    each is encoded with its type (``5`` is not ``"5"``, NULL is not ``""``).
    """
    text = "".join([_field(CHAIN_FORMAT), _field(prev_hash), *map(_field, row)])
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def seal_mark(conn: sqlite3.Connection) -> int | None:
    """The last entry before a write transaction's own (None: no audit log yet)."""
    try:
        return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {AUDIT_TABLE}").fetchone()[0])
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return None


def _last_seal(conn: sqlite3.Connection, mark: int | None) -> tuple[int, str]:
    """The id and seal of the last sealed entry ((0, start) when there is none)."""
    if mark:  # usually the last entry before this transaction is sealed: one look-up
        row = conn.execute(f"SELECT hash FROM {AUDIT_TABLE} WHERE id = ?", [mark]).fetchone()
        if row is not None and row[0] is not None:
            return mark, str(row[0])
    row = conn.execute(
        f"SELECT id, hash FROM {AUDIT_TABLE} WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else (0, CHAIN_START)


def seal_entries(conn: sqlite3.Connection, mark: int | None) -> int:
    """Seal the entries after the last sealed one, in id order; returns how many.

    Entries after ``mark`` are the current transaction's own, all sealed.  Those
    before it were written since the last seal by another tool: they are sealed
    with the actor they carry if the triggers could have written them (actor
    :data:`UNKNOWN_ACTOR`, an insert, update or delete).  Anything else (say a
    'baseline' entry or an actor's name typed in by hand) is left unsealed,
    and :func:`verify_audit` reports it, as a seal must never vouch for a
    forgery.  Does nothing on a database without the chain (not yet migrated).
    """
    try:
        last_id, prev = _last_seal(conn, mark)
    except sqlite3.OperationalError as exc:
        if "no such" not in str(exc):  # no audit log, or no chain columns yet
            raise
        return 0
    own_from = mark or 0
    seals: list[tuple[str, int]] = []
    for row in conn.execute(
        f"SELECT {_SELECT_SEALED} FROM {AUDIT_TABLE} WHERE id > ? ORDER BY id", [last_id]
    ):
        entry_id, actor, action = row[0], row[2], row[6]
        if entry_id <= own_from and (actor != UNKNOWN_ACTOR or action not in OUTSIDE_ACTIONS):
            continue
        sealed = entry_hash(prev, row)
        seals.append((sealed, entry_id))
        prev = sealed
    conn.executemany(f"UPDATE {AUDIT_TABLE} SET hash = ? WHERE id = ?", seals)
    return len(seals)


@dataclass(frozen=True)
class ChainHead:
    """Where the audit chain ends: the seal of its last sealed entry, and how many it holds."""

    entries: int
    """Entries up to and including the head."""
    hash: str | None
    """The head's seal, 64 hex digits (None while nothing is sealed: an empty log)."""
    unsealed: int = 0
    """Entries after the head, made by another tool and sealed at the program's next write."""


def chain_head(db: Database) -> ChainHead | None:
    """The chain's head as it stands, cheaply (no checking: see :func:`verify_audit`).

    None for a database without the chain.
    """
    try:
        last = db.execute(
            f"SELECT id, hash FROM {AUDIT_TABLE} WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError as exc:
        if "no such" not in str(exc):
            raise
        return None
    last_id, head = (int(last[0]), str(last[1])) if last else (0, None)
    total = int(db.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0])
    after = int(
        db.execute(f"SELECT count(*) FROM {AUDIT_TABLE} WHERE id > ?", [last_id]).fetchone()[0]
    )
    return ChainHead(entries=total - after, hash=head, unsealed=after)


def parse_head(text: str) -> str:
    """``--head``: a chain head as ``audit --verify`` prints it (64 hex digits), lower case."""
    value = text.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError(
            "a chain head is the 64 hexadecimal digits (0-9, a-f) that audit --verify "
            "prints after 'chain head'"
        )
    return value


@dataclass(frozen=True)
class RecordedHead:
    """Where a chain head recorded earlier (``audit --verify --head``) is in the log."""

    hash: str
    position: int | None
    """Its place in the chain (1 is the first sealed entry); None when it is not in the log."""
    entry_id: int | None


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of replaying the audit log against the tables and checking its chain."""

    entries: int
    records: int
    problems: list[str]
    chain: ChainHead | None = None
    """The head of the chain as checked (None for a log without one, before ``m009``)."""
    outside: list[int] = field(default_factory=list)
    """Ids of the entries other tools wrote since the last seal (sealed at the next write)."""
    recorded: RecordedHead | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _same_row(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Rows equal, allowing for JSON printing REAL values with 15 significant digits."""
    if a is None or b is None or a.keys() != b.keys():
        return a == b
    return all(
        math.isclose(x, y, rel_tol=1e-12)
        if isinstance(x, float) or isinstance(y, float)
        else x == y
        for x, y in ((a[k], b[k]) for k in a)
    )


@dataclass
class _Baseline:
    """Consecutive 'baseline' entries of one table written at one moment (one install)."""

    key: tuple[str, str]
    first: int
    expected: set[int]
    """Records of the table the log held before, not yet seen in this baseline."""


def _has_chain(db: Database) -> bool:
    return "hash" in _columns(db, AUDIT_TABLE)


def _chain_expected(db: Database) -> bool:
    """Whether the migration that adds the chain has run (so its columns must be there)."""
    try:
        return (
            db.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE name = 'm009_audit_chain'"
            ).fetchone()
            is not None
        )
    except sqlite3.OperationalError:
        return False


def verify_audit(db: Database, max_problems: int = 20, *, head: str | None = None) -> AuditCheck:
    """Check the audit log's chain of seals, and replay it against every audited table.

    The chain: every sealed entry must still hash to its seal and follow the
    entry it was sealed after, so an entry rewritten (actor, time, values),
    reordered, removed or slipped in since it was sealed is reported.
    Unsealed entries may only be the last ones, written by another tool as the
    triggers write them (actor :data:`UNKNOWN_ACTOR`); they are listed in
    ``outside``, not reported.  With ``head`` (a chain head recorded earlier,
    see :func:`parse_head`) the head must be a sealed entry of the log and the
    chain up to it intact: a log recomputed from scratch after a rewrite fails.

    The replay: each update and delete must start from exactly the row the log
    last recorded, and the replay must end at exactly the rows the tables
    hold.  A change made while the triggers were off, or an entry removed from
    the log, is reported.  Entries carried over from the register a restore
    replaced are skipped (they belong to that history).
    """
    head = head.strip().lower() if head is not None else None
    problems: list[str] = []
    chain_problems: list[str] = []
    first_broken: int | None = None
    found_problems = 0

    def problem(text: str) -> None:
        nonlocal found_problems
        found_problems += 1
        if len(problems) < max_problems:
            problems.append(text)

    def broken(entry_id: int, text: str) -> None:
        nonlocal first_broken, found_problems
        found_problems += 1
        first_broken = entry_id if first_broken is None else min(first_broken, entry_id)
        if len(chain_problems) < max_problems:
            chain_problems.append(text)

    for table in outdated_audit_tables(db):
        problem(f"{table}: audit triggers missing or out of date")
    skip: list[tuple[int, int]] = []
    for (text,) in db.execute(
        f"SELECT new_values FROM {AUDIT_TABLE} WHERE action = 'restore'"
    ).fetchall():
        carried = (_load(text) or {}).get("carried_audit_ids")
        if isinstance(carried, list) and len(carried) == 2:
            skip.append((int(carried[0]), int(carried[1])))
    chained = _has_chain(db)
    if not chained and _chain_expected(db):
        broken(0, f"{AUDIT_TABLE}: the column holding the chain of seals has been removed")
    baseline: _Baseline | None = None

    def baseline_gap(group: _Baseline) -> None:
        if group.expected:
            problem(
                f"audit entry {group.first}: a baseline of {group.key[0]} that leaves out "
                f"{len(group.expected):,} of its records (#{min(group.expected)} first); the "
                "program records every row of a table at once"
            )

    prev = CHAIN_START
    sealed = 0
    pending: list[tuple[int, Any, Any]] = []
    found: tuple[int, int] | None = None
    restored = False
    state: dict[tuple[str, int], dict[str, Any]] = {}
    count = 0
    for row in db.execute(
        f"SELECT {_SELECT_SEALED}{', hash' if chained else ''} FROM {AUDIT_TABLE} ORDER BY id"
    ):
        entry_id, at, actor, table, record_id, _supplier, action, old_t, new_t = row[:9]
        if chained:
            seal = row[9]
            if seal is None:
                pending.append((entry_id, actor, action))
            else:
                for pending_id, _, _ in pending:
                    broken(
                        pending_id,
                        f"audit entry {pending_id}: not sealed, yet entries after it are (added, "
                        "or its seal removed, after they were sealed)",
                    )
                pending.clear()
                sealed += 1
                if entry_hash(prev, row[:9]) != seal:
                    broken(
                        entry_id,
                        f"audit entry {entry_id}: does not match its seal: since it was sealed "
                        "it was changed, or entries before it were removed, added or reordered",
                    )
                prev = seal
                if head is not None and found is None and seal == head:
                    found = (sealed, entry_id)
        if action == "restore":
            # The restored file's own log replays to the restored rows; start from there.
            restored = True
            continue
        if any(lo <= entry_id <= hi for lo, hi in skip):
            continue
        count += 1
        old, new = _load(old_t), _load(new_t)
        key = (table, int(record_id))
        if baseline is not None and (action != "baseline" or (table, at) != baseline.key):
            baseline_gap(baseline)
            baseline = None
        if action == "baseline":
            if baseline is None:
                baseline = _Baseline((table, at), entry_id, {k[1] for k in state if k[0] == table})
            baseline.expected.discard(key[1])
        if action in ("update", "delete"):
            old_key = (table, int(old["id"])) if old and "id" in old else key
            if not _same_row(state.get(old_key), old):
                problem(
                    f"audit entry {entry_id}: {action} of {table} #{old_key[1]} does not start "
                    "from the row the log last recorded"
                )
            state.pop(old_key, None)
        elif action == "insert" and key in state:
            problem(f"audit entry {entry_id}: insert of {table} #{record_id} already recorded")
        if action in ("insert", "update", "baseline") and new is not None:
            state[key] = new
    if baseline is not None:
        baseline_gap(baseline)
    outside: list[int] = []
    for pending_id, actor, action in pending:
        if actor == UNKNOWN_ACTOR and action in OUTSIDE_ACTIONS:
            outside.append(pending_id)
        else:
            broken(
                pending_id,
                f"audit entry {pending_id}: a {action!r} entry by {actor!r} that supplier-register "
                "did not write (it is not sealed; only other tools' inserts, updates and "
                "deletes are sealed later)",
            )
    actual: dict[tuple[str, int], dict[str, Any]] = {}
    for table in auditable_tables(db):
        cursor = db.execute(f"SELECT rowid AS __rowid, * FROM {_quote(table)}")
        names = [d[0] for d in cursor.description]
        for values_row in cursor.fetchall():
            values = dict(zip(names, values_row, strict=True))
            rowid = values.pop("__rowid")
            actual[(table, int(rowid))] = {
                k: ("x" + v.hex().upper() if isinstance(v, bytes) else v) for k, v in values.items()
            }
    for key in sorted(actual.keys() | state.keys()):
        if not _same_row(actual.get(key), state.get(key)):
            what = (
                "missing from the log"
                if key not in state
                else (
                    "deleted without a log entry" if key not in actual else "differs from the log"
                )
            )
            problem(f"{key[0]} #{key[1]}: {what}")
    recorded: RecordedHead | None = None
    head_problems: list[str] = []
    if head is not None:
        recorded = RecordedHead(head, *found) if found else RecordedHead(head, None, None)
        if found is None:
            head_problems.append(
                f"the recorded chain head {head} is not in the audit log: the log has been "
                "rewritten or cut short since the head was recorded"
                + (" (or the register restored from an older backup)" if restored else "")
            )
        elif first_broken is not None and first_broken <= found[1]:
            head_problems.append(
                f"the audit log up to the recorded chain head (entry {found[1]}, number "
                f"{found[0]:,} of the chain) has been changed since the head was recorded"
            )
    chain = (
        ChainHead(entries=sealed, hash=str(prev) if sealed else None, unsealed=len(pending))
        if chained
        else None
    )
    shown = (head_problems + chain_problems + problems)[:max_problems]
    left_out = found_problems + len(head_problems) - len(shown)
    if left_out > 0:
        shown.append(f"... and {left_out:,} more problem{'s' if left_out != 1 else ''}")
    return AuditCheck(
        entries=count,
        records=len(actual),
        problems=shown,
        chain=chain,
        outside=outside,
        recorded=recorded,
    )


# --------------------------------------------------------------- reading


@dataclass(frozen=True)
class Change:
    """One field of a record that an entry set, changed or cleared."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    """One recorded change of one record (or one event such as a restore).

    ``old`` and ``new`` are the stored rows exactly as the trigger saved them;
    ``changes`` is the readable difference (owner ids shown as names).
    """

    id: int
    at: str
    actor: str
    table: str
    record_id: int | None
    supplier_id: int | None
    supplier: str | None
    record: str
    action: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    changes: tuple[Change, ...]

    def summary(self) -> str:
        """The changes in one line, e.g. ``notes: '' -> 'late'; sme: 0 -> 1``."""
        if self.action == "restore":
            new = self.new or {}
            return (
                f"restored the register from {new.get('file')}; "
                f"the state before is kept in {new.get('previous_state_backup')}"
            )
        if self.action == "delete":
            return "deleted"
        if self.action == "merge":
            new = self.new or {}
            return (
                f"merged {new.get('merged')!r} into {new.get('into')!r}: "
                f"{len(new.get('contracts') or [])} contract(s), "
                f"{len(new.get('answers_moved') or [])} answer(s) moved; "
                f"{len(new.get('answers_kept') or [])} answer(s) of both kept with evidence"
            )
        if self.action == "baseline":
            return "as it was when the audit trail began (or the table changed shape)"
        parts = [
            f"{c.field}: {format_value(c.old)} -> {format_value(c.new)}"
            if self.action == "update"
            else f"{c.field}: {format_value(c.new)}"
            for c in self.changes
        ]
        return "; ".join(parts) if parts else "(no field changed)"

    def as_json(self) -> dict[str, Any]:
        """The entry for JSON export: stored values unchanged, plus names for people."""
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "table": self.table,
            "record_id": self.record_id,
            "record": self.record,
            "supplier_id": self.supplier_id,
            "supplier": self.supplier,
            "changed_fields": [c.field for c in self.changes],
            "old": self.old,
            "new": self.new,
        }


def _pounds(pence: Any) -> Any:
    return Decimal(pence).scaleb(-2) if isinstance(pence, int) else pence


def format_value(value: Any) -> str:
    """A stored value for people: NULL as 'empty', text quoted so blanks are visible."""
    if value is None:
        return "empty"
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _load(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else {"value": data}


class AuditReader:
    """Reads the audit log, naming each record by its (last known) name."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._supplier_names = self._names("suppliers")
        self._people_names = self._names("people")

    def _names(self, table: str) -> dict[int, str]:
        """id -> name, from the live table and, for deleted rows, the audit log."""
        names: dict[int, str] = {}
        for record_id, old, new in self.db.execute(
            f"SELECT record_id, old_values, new_values FROM {AUDIT_TABLE} "
            "WHERE table_name = ? ORDER BY id",
            [table],
        ).fetchall():
            for text in (old, new):
                data = _load(text)
                if data and isinstance(data.get("name"), str) and record_id is not None:
                    names[int(record_id)] = data["name"]
        if table in self.db.table_names():
            for record_id, name in self.db.execute(f"SELECT id, name FROM {_quote(table)}"):
                names[int(record_id)] = name
        return names

    def supplier_ids(self, name: str) -> dict[int, int | None]:
        """Ids of every supplier that has ever had this name (case-insensitive), with those
        merged into them (see :meth:`with_merged`)."""
        wanted = name.strip().casefold()
        ids = {i for i, n in self._supplier_names.items() if n.casefold() == wanted}
        for record_id, old, new in self.db.execute(
            f"SELECT record_id, old_values, new_values FROM {AUDIT_TABLE} "
            "WHERE table_name = 'suppliers'"
        ).fetchall():
            for text in (old, new):
                data = _load(text)
                if data and str(data.get("name", "")).casefold() == wanted:
                    ids.add(int(record_id))
        return self.with_merged(ids)

    def with_merged(self, supplier_ids: Iterable[int]) -> dict[int, int | None]:
        """``supplier_ids`` and every supplier merged into one of them (see storage.merge), so
        the history of a supplier kept by a merge includes the history of the one merged.

        Maps each supplier id to the last audit entry that belongs to it, or None for all of
        them: a merged supplier's id may be given again to a later, unrelated supplier (SQLite
        reuses the highest id once deleted), so only its entries up to the merge are taken."""
        merged: dict[int, list[tuple[int, int]]] = {}
        for entry_id, record_id, text in self.db.execute(
            f"SELECT id, record_id, new_values FROM {AUDIT_TABLE} "
            "WHERE action = 'merge' AND table_name = 'suppliers'"
        ).fetchall():
            data = _load(text) or {}
            gone = data.get("merged_id")
            if isinstance(gone, int) and isinstance(record_id, int):
                merged.setdefault(record_id, []).append((gone, int(entry_id)))
        out: dict[int, int | None] = dict.fromkeys(supplier_ids)
        todo: list[tuple[int, int | None]] = list(out.items())
        while todo:
            kept, until = todo.pop()
            for gone, at in merged.get(kept, ()):
                if until is not None and at > until:
                    continue  # merged into a later holder of the id, not into this one
                if gone in out:
                    before = out[gone]
                    if before is None or before >= at:
                        continue
                out[gone] = at
                todo.append((gone, at))
        return out

    def _changes(
        self, action: str, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> tuple[Change, ...]:
        before_all, after_all = old or {}, new or {}
        out = []
        for key in dict.fromkeys([*before_all, *after_all]):
            if key in ("id", "version"):
                continue
            before, after = before_all.get(key), after_all.get(key)
            if action == "update" and before == after:
                continue
            if action != "update" and before is None and after is None:
                continue
            names = {"owner_id": self._people_names, "supplier_id": self._supplier_names}.get(key)
            if names is not None:  # show who or which supplier, not a row number
                key = key.removesuffix("_id")
                before = names.get(before, before) if before is not None else None
                after = names.get(after, after) if after is not None else None
            elif key.endswith("_pence"):  # money is stored in pence, shown in pounds
                key = key.removesuffix("_pence")
                before, after = _pounds(before), _pounds(after)
            out.append(Change(key, before, after))
        return tuple(out)

    def _record_label(
        self, table: str, record_id: int | None, data: Mapping[str, Any], supplier: str | None
    ) -> str:
        if table == "trust_profile":
            return "trust profile"
        name = data.get("name") or data.get("title") or data.get("question_id")
        if table in ("contracts", "answers") and supplier:
            return f"{supplier} / {name}"
        if name is not None:
            return str(name)
        return f"{table} #{record_id}" if record_id is not None else table

    def entries(
        self,
        *,
        supplier_ids: Iterable[int] | Mapping[int, int | None] | None = None,
        since: str | None = None,
    ) -> list[AuditEntry]:
        """Entries oldest first, optionally of some suppliers only and from a UTC time on.

        ``supplier_ids`` may map an id to the last entry id to take of it (see
        :meth:`with_merged`)."""
        where: list[str] = []
        params: list[Any] = []
        if supplier_ids is not None:
            limits = (
                dict(supplier_ids)
                if isinstance(supplier_ids, Mapping)
                else dict.fromkeys(supplier_ids)
            )
            whole = sorted(i for i, until in limits.items() if until is None)
            ors = [f"supplier_id IN ({', '.join('?' for _ in whole)})"] if whole else []
            params.extend(whole)
            for supplier_id, until in sorted((i, u) for i, u in limits.items() if u is not None):
                ors.append("(supplier_id = ? AND id <= ?)")
                params.extend([supplier_id, until])
            where.append("(" + " OR ".join(ors) + ")" if ors else "0")
        if since is not None:
            where.append("at >= ?")
            params.append(since)
        sql = (
            "SELECT id, at, actor, table_name, record_id, supplier_id, action, old_values, "
            f"new_values FROM {AUDIT_TABLE}"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY at, id"
        # a merged supplier's id may belong to a later supplier: its entries up to the merge
        # are labelled with the name it was merged under, not the later supplier's
        merges: dict[int, list[tuple[int, str]]] = {}
        for merge_id, text in self.db.execute(
            f"SELECT id, new_values FROM {AUDIT_TABLE} "
            "WHERE action = 'merge' AND table_name = 'suppliers' ORDER BY id"
        ).fetchall():
            data = _load(text) or {}
            gone = data.get("merged_id")
            if isinstance(gone, int):
                merges.setdefault(gone, []).append((int(merge_id), str(data.get("merged", ""))))
        out = []
        for row in self.db.execute(sql, params).fetchall():
            entry_id, at, actor, table, record_id, supplier_id, action, old_t, new_t = row
            old, new = _load(old_t), _load(new_t)
            supplier = self._supplier_names.get(supplier_id) if supplier_id is not None else None
            for merge_id, merged_name in merges.get(supplier_id, ()):
                if entry_id <= merge_id:
                    supplier = merged_name or supplier
                    break
            data = {**(old or {}), **(new or {})}
            out.append(
                AuditEntry(
                    id=entry_id,
                    at=at,
                    actor=actor,
                    table=table,
                    record_id=record_id,
                    supplier_id=supplier_id,
                    supplier=supplier,
                    record=self._record_label(table, record_id, data, supplier),
                    action=action,
                    old=old,
                    new=new,
                    changes=self._changes(action, old, new),
                )
            )
        return out


def parse_since(text: str) -> str:
    """``--since``: a date (YYYY-MM-DD, from midnight UTC) or an ISO date-time, as UTC ISO text."""
    value = text.strip()
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value).isoformat() + "T00:00:00.000Z"
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
