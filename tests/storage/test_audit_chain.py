"""The audit log as a hash chain: rewritten, reordered, shifted, removed or forged entries show."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from supplier_register.cli import main
from supplier_register.domain import Contract, Person, Supplier
from supplier_register.reports.htmldoc import DEFAULT_MARKING
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import (
    CHAIN_START,
    SEALED_COLUMNS,
    UNKNOWN_ACTOR,
    entry_hash,
    verify_audit,
)
from tests.support.registers import before_tri_state, small_register

SEALED = ", ".join(SEALED_COLUMNS)


pytestmark = pytest.mark.usefixtures("actor")


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    """A register file holding the small register, then an edit and a deleted supplier."""
    path = tmp_path / "register.db"
    db = open_database(path)
    repo = Repository(db)
    repo.import_register(small_register())
    gamma = repo.add_supplier(Supplier(name="Gamma Ltd", category="other", criticality="low"))
    repo.add_contract(
        Contract(
            supplier="Gamma Ltd",
            title="Support",
            what_is_bought="commodity",
            contract_type="time_and_materials",
        )
    )
    repo.delete_supplier(gamma.id)
    beta = repo.find_supplier("Beta Cloud")
    repo.update_supplier(beta.id, beta.model_copy(update={"notes": "renewal due"}))
    db.close()
    return path


def raw(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Statements run with the sqlite3 module, as somebody with the file and a shell would."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()


def check(path: Path, head: str | None = None) -> tuple[bool, str]:
    db = open_database(path)
    try:
        result = verify_audit(db, head=head)
    finally:
        db.close()
    return result.ok, "\n".join(result.problems)


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "2000"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def head_of(path: Path) -> str:
    code, out, err = run("audit", "--verify", db=path)
    assert code == 0, err
    found = re.search(r"chain head ([0-9a-f]{64})", out)
    assert found, out
    return found.group(1)


def recompute_chain(conn: sqlite3.Connection) -> None:
    """What an attacker who knows the algorithm does after a rewrite: seal everything again."""
    prev = CHAIN_START
    for row in conn.execute(f"SELECT {SEALED} FROM audit_log ORDER BY id").fetchall():
        prev = entry_hash(prev, row)
        conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?", [prev, row[0]])


def test_a_clean_log_is_sealed_and_verifies(loaded: Path) -> None:
    conn = sqlite3.connect(loaded)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
    conn.close()
    assert check(loaded) == (True, "")
    code, out, _ = run("audit", "--verify", db=loaded)
    assert code == 0
    assert re.search(r"audit chain intact: 12 sealed entries, chain head [0-9a-f]{64}\n", out)


def test_a_rewritten_actor_is_detected(loaded: Path) -> None:
    raw(loaded, "UPDATE audit_log SET actor = 'Dana Whitfield' WHERE id = 3")
    ok, problems = check(loaded)
    assert not ok
    assert problems == (
        "audit entry 3: does not match its seal: since it was sealed it was changed, or entries "
        "before it were removed, added or reordered"
    )


def test_a_timestamp_shifted_a_year_is_detected(loaded: Path) -> None:
    raw(
        loaded,
        "UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '-1 year') WHERE id = 5",
    )
    ok, problems = check(loaded)
    assert not ok and problems.startswith("audit entry 5: does not match its seal")


@pytest.mark.parametrize("with_seals", [True, False], ids=["rows-moved", "contents-swapped"])
def test_two_entries_swapped_are_detected(loaded: Path, with_seals: bool) -> None:
    # entries 1 and 2 insert the two people: the log replays to the same rows either way
    if with_seals:  # the whole rows, seals and all, change places
        raw(
            loaded,
            "UPDATE audit_log SET id = -1 WHERE id = 1",
            "UPDATE audit_log SET id = 1 WHERE id = 2",
            "UPDATE audit_log SET id = 2 WHERE id = -1",
        )
    else:  # the contents change places, each seal stays at its id
        conn = sqlite3.connect(loaded)
        one, two = conn.execute(f"SELECT {SEALED} FROM audit_log WHERE id IN (1, 2) ORDER BY id")
        assignments = ", ".join(f"{c} = ?" for c in SEALED_COLUMNS[1:])
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE id = 1", two[1:])
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE id = 2", one[1:])
        conn.commit()
        conn.close()
    ok, problems = check(loaded)
    assert not ok
    assert "audit entry 1: does not match its seal" in problems
    assert "audit entry 2: does not match its seal" in problems


def test_the_whole_history_of_a_deleted_supplier_removed_is_detected(loaded: Path) -> None:
    conn = sqlite3.connect(loaded)
    (gamma,) = conn.execute(
        "SELECT DISTINCT supplier_id FROM audit_log WHERE new_values LIKE '%Gamma Ltd%'"
    ).fetchone()
    ids = [r[0] for r in conn.execute("SELECT id FROM audit_log WHERE supplier_id = ?", [gamma])]
    conn.close()
    assert len(ids) == 4  # its insert, its contract's insert, and both deletes
    raw(loaded, "DELETE FROM audit_log WHERE supplier_id = ?", params=(gamma,))
    ok, problems = check(loaded)
    assert not ok
    assert problems.startswith(f"audit entry {max(ids) + 1}: does not match its seal")


def _forge_baseline(path: Path) -> int:
    """A raw change to Beta Cloud whose entry is replaced by a 'baseline' of its new values."""
    raw(path, "UPDATE suppliers SET notes = 'changed quietly' WHERE name = 'Beta Cloud'")
    conn = sqlite3.connect(path)
    (last,) = conn.execute("SELECT max(id) FROM audit_log").fetchone()
    conn.execute(
        "UPDATE audit_log SET action = 'baseline', old_values = NULL, actor = 'Sam Okafor' "
        "WHERE id = ?",
        [last],
    )
    conn.commit()
    conn.close()
    return int(last)


def test_a_raw_change_with_a_forged_baseline_entry_is_detected(loaded: Path) -> None:
    forged = _forge_baseline(loaded)
    ok, problems = check(loaded)
    assert not ok
    assert problems.startswith(
        f"audit entry {forged}: a 'baseline' entry by 'Sam Okafor' that supplier-register did "
        "not write (it is not sealed; only other tools' inserts, updates and deletes are "
        "sealed later)"
    )
    # the program's next write does not seal the forgery, which stays out of the chain
    db = open_database(loaded)
    Repository(db).add_person(Person(name="Lee Chan", role="other"))
    db.close()
    ok, problems = check(loaded)
    assert not ok
    assert f"audit entry {forged}: not sealed, yet entries after it are" in problems


def test_a_forged_baseline_sealed_by_the_attacker_is_detected(loaded: Path) -> None:
    forged = _forge_baseline(loaded)
    conn = sqlite3.connect(loaded)
    (prev,) = conn.execute("SELECT hash FROM audit_log WHERE id = ?", [forged - 1]).fetchone()
    row = conn.execute(f"SELECT {SEALED} FROM audit_log WHERE id = ?", [forged]).fetchone()
    conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?", [entry_hash(prev, row), forged])
    conn.commit()
    conn.close()
    ok, problems = check(loaded)
    assert not ok  # the chain holds (it is the last entry), but no real baseline is one row
    assert problems.startswith(
        f"audit entry {forged}: a baseline of suppliers that leaves out 1 of its records"
    )


def test_a_raw_change_with_a_forged_earlier_entry_and_naive_seal_is_detected(
    loaded: Path,
) -> None:
    """Trigger off, a change, trigger back, and the record's insert entry rewritten to match."""
    conn = sqlite3.connect(loaded)
    (trigger,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'audit_people_update'"
    ).fetchone()
    conn.close()
    raw(
        loaded,
        "DROP TRIGGER audit_people_update",
        "UPDATE people SET contact = 'changed quietly' WHERE name = 'Sam Okafor'",
        trigger,
    )
    conn = sqlite3.connect(loaded)
    entry, new = conn.execute(
        "SELECT id, new_values FROM audit_log WHERE table_name = 'people' AND action = 'insert' "
        "AND new_values LIKE '%Sam Okafor%'"
    ).fetchone()
    conn.execute(
        "UPDATE audit_log SET new_values = json_set(?, '$.contact', 'changed quietly') WHERE id = ?",
        [new, entry],
    )
    (prev,) = conn.execute("SELECT hash FROM audit_log WHERE id = ?", [entry - 1]).fetchone()
    row = conn.execute(f"SELECT {SEALED} FROM audit_log WHERE id = ?", [entry]).fetchone()
    conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?", [entry_hash(prev, row), entry])
    conn.commit()
    conn.close()
    ok, problems = check(loaded)
    assert not ok
    assert problems.startswith(f"audit entry {entry + 1}: does not match its seal")


def test_changes_by_other_tools_are_sealed_at_the_next_write(loaded: Path) -> None:
    raw(loaded, "UPDATE suppliers SET notes = 'typed in the sqlite3 shell'")
    db = open_database(loaded)
    result = verify_audit(db)
    assert result.ok and len(result.outside) == 2
    assert result.chain is not None and result.chain.unsealed == 2
    db.close()
    code, out, _ = run("audit", "--verify", db=loaded)
    assert code == 0
    assert "2 entries made outside supplier-register (id 13-14), not yet sealed" in out

    db = open_database(loaded)
    Repository(db).add_person(Person(name="Lee Chan", role="other"))
    rows = db.execute("SELECT actor, hash FROM audit_log WHERE id IN (13, 14)").fetchall()
    assert [r[0] for r in rows] == [UNKNOWN_ACTOR, UNKNOWN_ACTOR]
    assert all(r[1] is not None for r in rows)
    result = verify_audit(db)
    assert result.ok and result.outside == []
    assert result.chain is not None and result.chain.entries == 15
    db.close()
    code, out, _ = run("audit", "--verify", db=loaded)
    assert code == 0 and "audit trail complete" in out and "outside" not in out


def test_an_outside_change_claiming_a_persons_name_is_never_sealed(loaded: Path) -> None:
    raw(
        loaded,
        "INSERT INTO audit_context (actor) VALUES ('Dana Whitfield')",
        "UPDATE suppliers SET notes = 'not really Dana' WHERE name = 'Beta Cloud'",
        "DELETE FROM audit_context",
    )
    ok, problems = check(loaded)
    assert not ok and "a 'update' entry by 'Dana Whitfield'" in problems
    db = open_database(loaded)
    Repository(db).add_person(Person(name="Lee Chan", role="other"))
    assert db.execute("SELECT count(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 1
    db.close()
    ok, problems = check(loaded)
    assert not ok and "audit entry 13: not sealed, yet entries after it are" in problems


def test_writes_in_a_transaction_the_program_did_not_begin_are_sealed(
    fresh_db: Database,
) -> None:
    repo = Repository(fresh_db)
    with fresh_db.atomic():
        repo.add_person(Person(name="A", role="cio_cdo"))
        repo.add_person(Person(name="B", role="cio_cdo"))
    assert fresh_db.execute("SELECT count(*) FROM audit_log WHERE hash IS NULL").fetchone()[0] == 0
    assert verify_audit(fresh_db).ok


def test_verify_against_a_recorded_head(loaded: Path) -> None:
    first = head_of(loaded)
    code, out, err = run("audit", "--verify", "--head", first.upper(), db=loaded)
    assert code == 0, err
    assert "recorded head found: entry 12, number 12 of the chain; the log up to it is " in out
    assert "0 entries sealed since" in out

    db = open_database(loaded)  # an ordinary edit afterwards
    Repository(db).add_person(Person(name="Lee Chan", role="other"))
    db.close()
    code, out, err = run("audit", "--verify", "--head", first, db=loaded)
    assert code == 0, err
    assert "1 entry sealed since" in out

    # a rewrite, and the whole chain recomputed: the log on its own looks sound...
    conn = sqlite3.connect(loaded)
    conn.execute("UPDATE audit_log SET actor = 'Dana Whitfield' WHERE id = 2")
    recompute_chain(conn)
    conn.commit()
    conn.close()
    code, out, err = run("audit", "--verify", db=loaded)
    assert code == 0, err
    # ...but not against the head recorded before it
    code, out, err = run("audit", "--verify", "--head", first, db=loaded)
    assert code == 1
    assert err.strip() == (
        f"error: the recorded chain head {first} is not in the audit log: the log has been rewritten "
        "or cut short since the head was recorded"
    )


def test_a_recorded_head_catches_the_last_entries_removed(loaded: Path) -> None:
    db = open_database(loaded)
    repo = Repository(db)
    (before,) = db.execute("SELECT max(id) FROM audit_log").fetchone()
    delta = repo.add_supplier(Supplier(name="Delta plc", category="other", criticality="low"))
    repo.delete_supplier(delta.id)
    db.close()
    head = head_of(loaded)
    # the deleted supplier's whole history, the last entries of the log, removed
    raw(loaded, "DELETE FROM audit_log WHERE id > ?", params=(before,))
    assert check(loaded) == (True, "")  # nothing after them to give it away...
    ok, problems = check(loaded, head)  # ...but the head recorded before does
    assert not ok and "is not in the audit log" in problems


def test_a_recorded_head_catches_a_change_before_it(loaded: Path) -> None:
    head = head_of(loaded)
    raw(loaded, "UPDATE audit_log SET actor = 'Dana Whitfield' WHERE id = 2")
    code, _, err = run("audit", "--verify", "--head", head, db=loaded)
    assert code == 1
    assert err.splitlines()[0] == (
        "error: the audit log up to the recorded chain head (entry 12, number 12 of the chain) has "
        "been changed since the head was recorded"
    )
    assert "audit entry 2: does not match its seal" in err


@pytest.mark.parametrize("value", ["3f2a", "g" * 64, "3f2a…"])
def test_a_bad_head_is_one_line(loaded: Path, value: str) -> None:
    code, _, err = run("audit", "--verify", "--head", value, db=loaded)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --head: a chain head is the 64 ")


def test_migration_seals_the_existing_log(tmp_path: Path) -> None:
    from supplier_register.storage.migrations import migrations

    path = tmp_path / "old.db"
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m009_audit_chain")
    Repository(db).import_register(
        before_tri_state(small_register()).model_copy(update={"format_version": 1})
    )
    columns = [r[1] for r in db.execute("SELECT * FROM pragma_table_info('audit_log')")]
    assert "hash" not in columns
    db.close()
    db = open_database(path)
    rows = db.execute(f"SELECT {SEALED}, hash FROM audit_log ORDER BY id").fetchall()
    # the 7 entries sealed by m009, then m010 records the 2 suppliers and 2 contracts again
    assert len(rows) == 11
    prev = CHAIN_START
    for row in rows:
        assert row[-1] == entry_hash(prev, row[:-1])
        prev = row[-1]
    result = verify_audit(db)
    assert result.ok and result.chain is not None
    assert (result.chain.entries, result.chain.hash) == (11, prev)
    db.close()


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_board_paper_and_review_pack_show_the_chain_head(
    loaded: Path, tmp_path: Path, fmt: str
) -> None:
    code, _, err = run("review", "start", "2026-Q4", "--today", "2026-11-20", db=loaded)
    assert code == 0, err
    head = head_of(loaded)
    code, out, _ = run("audit", "--verify", db=loaded)
    entries = re.search(r"intact: (\d+) sealed entries", out)
    assert entries
    line = (
        f"Audit log: {int(entries.group(1)):,} entries, chain head {head} "
        "(supplier-register audit --verify --head checks the log against it)."
    )
    paper, pack = tmp_path / f"paper.{fmt}", tmp_path / f"pack.{fmt}"
    code, _, err = run(
        "export", "--format", fmt, "--out", str(paper), "--today", "2026-11-26", db=loaded
    )
    assert code == 0, err
    code, _, err = run(
        "review", "export", "2026-Q4", "--format", fmt, "--out", str(pack), db=loaded
    )
    assert code == 0, err
    for text in (paper.read_text(), pack.read_text()):
        assert line in text
        tail = text[text.rindex(line) :]
        # the seal closes the paper; a Markdown paper then repeats its marking
        marking = f"**{DEFAULT_MARKING}**"
        assert ("</footer>" in tail) if fmt == "html" else tail.strip() == f"{line}*\n\n{marking}"
    # what the paper printed is what --head takes
    code, out, err = run("audit", "--verify", "--head", head, db=loaded)
    assert code == 0 and "recorded head found" in out, err


def test_a_paper_says_when_entries_are_not_yet_sealed(loaded: Path) -> None:
    raw(loaded, "UPDATE suppliers SET notes = 'typed in the sqlite3 shell' WHERE id = 1")
    code, out, err = run("export", "--format", "md", "--today", "2026-11-26", db=loaded)
    assert code == 0, err
    seal = out.rstrip().removesuffix(f"**{DEFAULT_MARKING}**").rstrip()
    assert seal.endswith("; 1 later entry made outside supplier-register, not yet sealed.*")


def test_many_problems_are_counted_not_all_listed(loaded: Path) -> None:
    raw(loaded, "UPDATE audit_log SET actor = 'Dana Whitfield'")  # all 12 entries rewritten
    db = open_database(loaded)
    result = verify_audit(db, max_problems=5)
    db.close()
    assert len(result.problems) == 6
    assert result.problems[4].startswith("audit entry 5: does not match its seal")
    assert result.problems[5] == "... and 7 more problems"


def test_a_head_recorded_before_a_restore_of_an_earlier_backup_is_still_found(
    loaded: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    assert run("backup", str(backup), db=loaded)[0] == 0
    assert run("init", "--trust", "Northmoor Valley NHS Foundation Trust", db=loaded)[0] == 0
    head = head_of(loaded)  # covers the change made after the backup
    code, _, err = run("restore", str(backup), "--force", db=loaded)
    assert code == 0, err
    # the entries the backup lacks are carried over into the same places in the chain
    code, out, err = run("audit", "--verify", "--head", head, db=loaded)
    assert code == 0, err
    assert "recorded head found: entry 13, number 13 of the chain" in out
    assert "1 entry sealed since" in out  # the restore itself
