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
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import math
import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import platformdirs
from sqlite_utils import Database

from supplier_register.textsafety import show_controls

AUDIT_TABLE = "audit_log"
CONTEXT_TABLE = "audit_context"
USER_ENV_VAR = "SUPPLIER_REGISTER_USER"
UNKNOWN_ACTOR = "(outside supplier-register)"
CONFIG_FILE = "config.toml"

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

Action = Literal["insert", "update", "delete", "baseline", "restore"]


# ----------------------------------------------------------------- actor


def config_path() -> Path:
    """The user's configuration file, e.g. ``~/.config/supplier-register/config.toml``."""
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


def trigger_sql(db: Database, table: str) -> dict[str, str]:
    """The CREATE TRIGGER statement of each action for ``table``, by trigger name."""
    columns = _columns(db, table)
    if not columns:
        raise ValueError(f"no table named {table!r}")
    if table == "suppliers":
        supplier_ref = "{row}.id"
    elif "supplier_id" in columns:
        supplier_ref = "{row}.supplier_id"
    else:
        supplier_ref = "NULL"
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
    supplier = "id" if table == "suppliers" else "supplier_id" if "supplier_id" in columns else None
    db.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor, table_name, record_id, supplier_id, action, "
        f"old_values, new_values) SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
        f"coalesce((SELECT actor FROM {CONTEXT_TABLE} ORDER BY rowid DESC LIMIT 1), ?), "
        f"{_literal(table)}, NEW.rowid, "
        f"{'NEW.' + _quote(supplier) if supplier else 'NULL'}, 'baseline', NULL, "
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


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of replaying the audit log against the tables."""

    entries: int
    records: int
    problems: list[str]

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


def verify_audit(db: Database, max_problems: int = 20) -> AuditCheck:
    """Replay the whole audit log and compare it with every audited table.

    Each update and delete must start from exactly the row the log last
    recorded, and the replay must end at exactly the rows the tables hold.  A
    change made while the triggers were off, or an entry removed from the
    log, breaks the chain and is reported.  Entries carried over from the
    register a restore replaced are skipped (they belong to that history).
    """
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < max_problems:
            problems.append(text)

    for table in outdated_audit_tables(db):
        problem(f"{table}: audit triggers missing or out of date")
    skip: list[tuple[int, int]] = []
    for (text,) in db.execute(
        f"SELECT new_values FROM {AUDIT_TABLE} WHERE action = 'restore'"
    ).fetchall():
        carried = (_load(text) or {}).get("carried_audit_ids")
        if isinstance(carried, list) and len(carried) == 2:
            skip.append((int(carried[0]), int(carried[1])))
    state: dict[tuple[str, int], dict[str, Any]] = {}
    count = 0
    for entry_id, table, record_id, action, old_t, new_t in db.execute(
        f"SELECT id, table_name, record_id, action, old_values, new_values FROM {AUDIT_TABLE} "
        "ORDER BY id"
    ):
        if action == "restore":
            # The restored file's own log replays to the restored rows; start from there.
            continue
        if any(lo <= entry_id <= hi for lo, hi in skip):
            continue
        count += 1
        old, new = _load(old_t), _load(new_t)
        key = (table, int(record_id))
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
    actual: dict[tuple[str, int], dict[str, Any]] = {}
    for table in auditable_tables(db):
        cursor = db.execute(f"SELECT rowid AS __rowid, * FROM {_quote(table)}")
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
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
    return AuditCheck(entries=count, records=len(actual), problems=problems)


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

    def supplier_ids(self, name: str) -> set[int]:
        """Ids of every supplier that has ever had this name (case-insensitive)."""
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
        return ids

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
        name = data.get("name") or data.get("title") or data.get("question_id")
        if table in ("contracts", "answers") and supplier:
            return f"{supplier} / {name}"
        if name is not None:
            return str(name)
        return f"{table} #{record_id}" if record_id is not None else table

    def entries(
        self, *, supplier_ids: Iterable[int] | None = None, since: str | None = None
    ) -> list[AuditEntry]:
        """Entries oldest first, optionally of some suppliers only and from a UTC time on."""
        where: list[str] = []
        params: list[Any] = []
        if supplier_ids is not None:
            ids = sorted(set(supplier_ids))
            where.append(f"supplier_id IN ({', '.join('?' for _ in ids)})" if ids else "0")
            params.extend(ids)
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
        out = []
        for row in self.db.execute(sql, params).fetchall():
            entry_id, at, actor, table, record_id, supplier_id, action, old_t, new_t = row
            old, new = _load(old_t), _load(new_t)
            supplier = self._supplier_names.get(supplier_id) if supplier_id is not None else None
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
