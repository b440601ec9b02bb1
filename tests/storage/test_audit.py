"""Audit trail: every insert, update and delete of every table, with who, when, old and new."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlite_utils import Database

from supplier_register.domain import Answer, Contract, Person, Register, Supplier
from supplier_register.domain.errors import RegisterError
from supplier_register.storage import Repository, open_database, write_transaction
from supplier_register.storage.audit import (
    UNKNOWN_ACTOR,
    USER_ENV_VAR,
    AuditReader,
    auditable_tables,
    current_actor,
    ensure_audit_triggers,
    install_audit_triggers,
    outdated_audit_tables,
    parse_since,
    verify_audit,
)
from tests.support.registers import before_tri_state, small_register


def rows(db: Database) -> list[dict[str, Any]]:
    cursor = db.execute("SELECT * FROM audit_log ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


@pytest.fixture(autouse=True)
def actor(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(USER_ENV_VAR, "Sam Okafor (CIO)")
    return "Sam Okafor (CIO)"


def test_every_register_table_has_triggers(fresh_db: Database) -> None:
    tables = {
        r[0]
        for r in fresh_db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    # every table but the log itself, migration bookkeeping and the score cache (derived data,
    # kept up to date from this log), including tables added later
    assert set(auditable_tables(fresh_db)) == tables - {
        "audit_log",
        "audit_context",
        "_sqlite_migrations",
        "score_cache",
        "score_cache_state",
        "score_cache_questions",
    }
    assert {"people", "suppliers", "contracts", "answers", "settings"} <= tables
    assert outdated_audit_tables(fresh_db) == []
    triggers = {
        r[0] for r in fresh_db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    for table in auditable_tables(fresh_db):
        for action in ("insert", "update", "delete"):
            assert f"audit_{table}_{action}" in triggers


def test_insert_update_delete_recorded_with_who_when_old_new(loaded_repo: Repository) -> None:
    db = loaded_repo.db
    inserted = rows(db)
    assert {r["table_name"] for r in inserted} == {"people", "suppliers", "contracts", "answers"}
    assert all(r["action"] == "insert" and r["old_values"] is None for r in inserted)
    assert all(r["actor"] == "Sam Okafor (CIO)" for r in inserted)
    assert len(inserted) == 7  # 2 people, 2 suppliers, 2 contracts, 1 answer

    beta = loaded_repo.find_supplier("Beta Cloud")
    before = len(inserted)
    loaded_repo.update_supplier(
        beta.id,
        beta.model_copy(update={"notes": "renewal due", "owner": None, "annual_spend": None}),
        expected_version=beta.version,
    )
    (update,) = rows(db)[before:]
    assert update["action"] == "update"
    assert update["table_name"] == "suppliers" and update["record_id"] == beta.id
    assert update["supplier_id"] == beta.id
    old, new = json.loads(update["old_values"]), json.loads(update["new_values"])
    assert old["notes"] == "" and new["notes"] == "renewal due"
    assert old["owner_id"] is not None and new["owner_id"] is None  # to NULL
    assert old["version"] + 1 == new["version"]
    at = dt.datetime.fromisoformat(str(update["at"]).replace("Z", "+00:00"))
    assert at.tzinfo is not None and at.utcoffset() == dt.timedelta(0)

    loaded_repo.update_supplier(
        beta.id,
        loaded_repo.get_supplier(beta.id).model_copy(update={"annual_spend": Decimal("12.34")}),
    )
    from_null = rows(db)[-1]
    assert json.loads(from_null["old_values"])["annual_spend_pence"] is None
    assert json.loads(from_null["new_values"])["annual_spend_pence"] == 1234

    acme = loaded_repo.find_supplier("Acme [UK] Ltd")
    before = len(rows(db))
    loaded_repo.delete_supplier(acme.id)
    deleted = rows(db)[before:]
    # the cascade to its contract and answer is recorded too
    assert sorted((r["table_name"], r["action"]) for r in deleted) == [
        ("answers", "delete"),
        ("contracts", "delete"),
        ("suppliers", "delete"),
    ]
    assert all(r["new_values"] is None and r["supplier_id"] == acme.id for r in deleted)
    assert verify_audit(db).ok


def test_set_null_cascade_from_deleting_a_person_is_recorded(loaded_repo: Repository) -> None:
    dana = loaded_repo.find_person("Dana Whitfield")
    loaded_repo.delete_person(dana.id)
    last = rows(loaded_repo.db)[-2:]
    assert [(r["table_name"], r["action"]) for r in last] == [
        ("suppliers", "update"),
        ("people", "delete"),
    ]
    assert json.loads(last[0]["new_values"])["owner_id"] is None
    assert verify_audit(loaded_repo.db).ok


def test_unchanged_rows_and_failed_writes_add_nothing(loaded_repo: Repository) -> None:
    before = rows(loaded_repo.db)
    loaded_repo.import_register(small_register())  # all unchanged
    with pytest.raises(RegisterError):
        loaded_repo.add_supplier(Supplier(name="beta cloud", category="other", criticality="low"))
    assert rows(loaded_repo.db) == before
    assert loaded_repo.db.execute("SELECT count(*) FROM audit_context").fetchone()[0] == 0


def test_raw_sql_is_recorded_as_outside_the_program(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    db.close()
    conn = sqlite3.connect(path)  # e.g. somebody using the sqlite3 shell
    conn.execute("UPDATE suppliers SET notes = 'edited by hand' WHERE name = 'Beta Cloud'")
    conn.execute("DELETE FROM answers")
    conn.commit()
    conn.close()
    db = open_database(path)
    last = rows(db)[-2:]
    assert [r["actor"] for r in last] == [UNKNOWN_ACTOR, UNKNOWN_ACTOR]
    assert [r["action"] for r in last] == ["update", "delete"]
    assert verify_audit(db).ok
    db.close()


def test_actor_from_env_then_config_then_os_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setattr("supplier_register.storage.audit.config_path", lambda: config)
    assert current_actor() == "Sam Okafor (CIO)"
    monkeypatch.delenv(USER_ENV_VAR)
    monkeypatch.setattr("getpass.getuser", lambda: "osuser")
    assert current_actor() == "osuser"
    config.write_text('[audit]\nuser = "Dana Whitfield"\n', encoding="utf-8")
    assert current_actor() == "Dana Whitfield"
    config.write_text("this is [not toml", encoding="utf-8")
    assert current_actor() == "osuser"

    def no_user() -> str:
        raise OSError("no name for uid")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert current_actor().startswith("uid ")


def test_actor_follows_the_process_that_writes(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(fresh_db)
    repo.add_person(Person(name="A", role="cio_cdo"))
    monkeypatch.setenv(USER_ENV_VAR, "Dana")
    repo.add_person(Person(name="B", role="cio_cdo"))
    assert [r["actor"] for r in rows(fresh_db)] == ["Sam Okafor (CIO)", "Dana"]


def test_writes_inside_a_plain_sqlite_utils_transaction_are_attributed(
    fresh_db: Database,
) -> None:
    repo = Repository(fresh_db)
    with fresh_db.atomic():  # an outer transaction not opened by write_transaction
        repo.add_person(Person(name="A", role="cio_cdo"))
        repo.add_person(Person(name="B", role="cio_cdo"))
    assert [r["actor"] for r in rows(fresh_db)] == ["Sam Okafor (CIO)"] * 2
    assert fresh_db.execute("SELECT count(*) FROM audit_context").fetchone()[0] == 0


def test_a_new_table_needs_one_call_and_is_then_fully_audited(fresh_db: Database) -> None:
    fresh_db.execute(
        "CREATE TABLE supplier_notes (id INTEGER PRIMARY KEY, supplier_id INTEGER, note TEXT)"
    )
    assert outdated_audit_tables(fresh_db) == ["supplier_notes"]
    with write_transaction(fresh_db):
        install_audit_triggers(fresh_db, "supplier_notes")
        fresh_db.execute("INSERT INTO supplier_notes (supplier_id, note) VALUES (7, 'ok')")
        fresh_db.execute("UPDATE supplier_notes SET note = NULL")
    assert [(r["table_name"], r["action"], r["supplier_id"]) for r in rows(fresh_db)] == [
        ("supplier_notes", "insert", 7),
        ("supplier_notes", "update", 7),
    ]
    assert verify_audit(fresh_db).ok


def test_changed_columns_rebuild_triggers_with_a_baseline(fresh_db: Database) -> None:
    repo = Repository(fresh_db)
    repo.import_register(small_register())
    with write_transaction(fresh_db):
        fresh_db.execute("ALTER TABLE people ADD COLUMN team TEXT")
    assert outdated_audit_tables(fresh_db) == ["people"]
    assert not verify_audit(fresh_db).ok  # the log no longer matches the wider rows
    with write_transaction(fresh_db):
        assert ensure_audit_triggers(fresh_db) == ["people"]
        fresh_db.execute("UPDATE people SET team = 'digital' WHERE name = 'Sam Okafor'")
    last = rows(fresh_db)[-3:]
    assert [r["action"] for r in last] == ["baseline", "baseline", "update"]
    assert json.loads(last[-1]["new_values"])["team"] == "digital"
    assert verify_audit(fresh_db).ok


def test_blob_and_wide_tables_do_not_break_writes(fresh_db: Database) -> None:
    cols = ", ".join(f"c{i} INTEGER" for i in range(150))
    fresh_db.execute(f"CREATE TABLE wide (id INTEGER PRIMARY KEY, data BLOB, {cols})")
    with write_transaction(fresh_db):
        install_audit_triggers(fresh_db, "wide")
        fresh_db.execute("INSERT INTO wide (data, c149) VALUES (?, 5)", [b"\x00\xff"])
    new = json.loads(rows(fresh_db)[-1]["new_values"])
    assert new["data"] == "x00FF" and new["c149"] == 5 and len(new) == 152
    assert verify_audit(fresh_db).ok


def test_verify_detects_changes_made_with_triggers_off(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    db.execute("DROP TRIGGER audit_contracts_delete")
    db.execute("DELETE FROM contracts WHERE title = 'Hosting'")
    db.execute("DELETE FROM audit_log WHERE table_name = 'answers'")
    check = verify_audit(db)
    assert not check.ok
    text = "\n".join(check.problems)
    assert "contracts: audit triggers missing" in text
    assert "deleted without a log entry" in text
    assert "answers #1: missing from the log" in text
    db.close()


def test_migrating_a_register_with_data_records_a_baseline(tmp_path: Path) -> None:
    from supplier_register.storage.migrations import migrations

    path = tmp_path / "old.db"
    _old_register(path)
    db = open_database(path)
    baseline = [r for r in rows(db) if r["action"] == "baseline"]
    # 7 rows when m004 starts the trail; the 2 suppliers and 2 contracts again when m010 adds
    # their columns (their triggers are rebuilt, and the log replays to their new shape)
    assert len(baseline) == 11
    assert {r["actor"] for r in baseline} == {"Sam Okafor (CIO)"}
    assert verify_audit(db).ok
    assert len(migrations.applied(db)) == len(migrations._migrations)
    db.close()


def _old_register(path: Path) -> None:
    """A register at schema version 3 (before the audit trail), holding the small register."""
    from supplier_register.storage.migrations import migrations

    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m004_audit_trail")
    register = before_tri_state(small_register()).model_copy(update={"format_version": 1})
    Repository(db).import_register(register)
    db.close()


def test_audit_reader_filters_by_supplier_including_renamed_and_deleted(
    loaded_repo: Repository,
) -> None:
    beta = loaded_repo.find_supplier("Beta Cloud")
    loaded_repo.update_supplier(beta.id, beta.model_copy(update={"name": "Beta Cloud Ltd"}))
    acme = loaded_repo.find_supplier("Acme [UK] Ltd")
    loaded_repo.delete_supplier(acme.id)
    reader = AuditReader(loaded_repo.db)
    assert reader.supplier_ids("beta cloud") == {beta.id: None}  # old name still finds it
    assert reader.supplier_ids("BETA CLOUD LTD") == {beta.id: None}
    assert reader.supplier_ids("Acme [UK] Ltd") == {acme.id: None}  # deleted, still in history
    entries = reader.entries(supplier_ids={acme.id})
    assert [(e.table, e.action) for e in entries] == [
        ("suppliers", "insert"),
        ("contracts", "insert"),
        ("answers", "insert"),
        ("answers", "delete"),
        ("contracts", "delete"),
        ("suppliers", "delete"),
    ]
    assert entries[1].record == "Acme [UK] Ltd / EPR licence and support"
    rename = reader.entries(supplier_ids={beta.id})[-1]
    assert rename.summary() == "name: 'Beta Cloud' -> 'Beta Cloud Ltd'"
    assert reader.entries(since="2999-01-01T00:00:00.000Z") == []


def test_owner_changes_show_names(loaded_repo: Repository) -> None:
    beta = loaded_repo.find_supplier("Beta Cloud")
    loaded_repo.update_supplier(beta.id, beta.model_copy(update={"owner": "Dana Whitfield"}))
    entry = AuditReader(loaded_repo.db).entries(supplier_ids={beta.id})[-1]
    assert entry.summary() == "owner: 'Sam Okafor' -> 'Dana Whitfield'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01", "2026-11-01T00:00:00.000Z"),
        ("2026-11-01T10:30", "2026-11-01T10:30:00.000Z"),
        ("2026-11-01T10:30+01:00", "2026-11-01T09:30:00.000Z"),
        ("2026-11-01T10:30:05Z", "2026-11-01T10:30:05.000Z"),
    ],
)
def test_parse_since(text: str, expected: str) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01", "", "01/11/2026"])
def test_parse_since_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_since(text)


# ------------------------------------------------------- coverage property

NAMES = st.sampled_from(["Acme", "Beta", "Gamma [UK]", "=Delta", "Ep\u00efsilon"])
PEOPLE = st.sampled_from(["Dana", "Sam", "Lee"])
TEXT = st.text(max_size=12)


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, str, str, str, bool]]:
    ops = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(
            st.sampled_from(
                [
                    "person",
                    "supplier",
                    "edit",
                    "delete_supplier",
                    "contract",
                    "delete_contract",
                    "answer",
                    "delete_person",
                    "import",
                    "raw",
                    "trust",
                ]
            )
        )
        ops.append((kind, draw(NAMES), draw(PEOPLE), draw(TEXT), draw(st.booleans())))
    return ops


def _apply(repo: Repository, op: tuple[str, ...]) -> None:
    kind, name, person, text, flag = op
    if kind == "person":
        repo.add_person(Person(name=person, role="cio_cdo", contact=text or None))
    elif kind == "supplier":
        repo.add_supplier(
            Supplier(name=name, category="epr", criticality="high", owner=person if flag else None)
        )
    elif kind == "edit":
        s = repo.find_supplier(name)
        repo.update_supplier(
            s.id,
            s.model_copy(
                update={"notes": text, "owner": person if flag else None, "sme": not s.sme}
            ),
            expected_version=s.version,
        )
    elif kind == "delete_supplier":
        repo.delete_supplier(repo.find_supplier(name).id)
    elif kind == "contract":
        repo.add_contract(
            Contract(
                supplier=name,
                title=text or "t",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                notice_period_days=90 if flag else None,
            )
        )
    elif kind == "delete_contract":
        for c in repo.list_contracts()[:1]:
            repo.delete_contract(c.id, expected_version=c.version)
    elif kind == "answer":
        seen = repo.get_answer(repo.find_supplier(name).id, "options.bulk_export")
        repo.set_answer(
            Answer(
                supplier=name, question_id="options.bulk_export", answer="yes" if flag else "no"
            ),
            None if seen is None else seen.version,
        )
    elif kind == "delete_person":
        repo.delete_person(repo.find_person(person).id)
    elif kind == "import":
        repo.import_register(
            Register(
                people=[Person(name=person, role="senior_manager")],
                suppliers=[Supplier(name=name, category="other", criticality="low", notes=text)],
            )
        )
    elif kind == "trust":
        repo.set_trust_name(f"{name} NHS Foundation Trust")
    elif kind == "raw":
        repo.db.execute("UPDATE suppliers SET notes = ? WHERE name = ?", [text, name])
        repo.db.conn.commit()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations())
def test_audit_log_replays_to_exactly_the_tables(ops: list[tuple[str, ...]]) -> None:
    """Whatever sequence of writes happens, the log chain is unbroken and ends at the tables."""
    db = open_database(":memory:")
    repo = Repository(db)
    try:
        for op in ops:
            with contextlib.suppress(RegisterError, ValidationError):  # refused: no trace either
                _apply(repo, op)
        check = verify_audit(db)
        assert check.ok, check.problems
        assert db.execute("SELECT count(*) FROM audit_context").fetchone()[0] == 0
    finally:
        db.close()
