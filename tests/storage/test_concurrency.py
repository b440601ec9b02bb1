"""Processes editing the same records: no lost update, no save following a name, conflicts caught,
never "locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from supplier_register.domain import StaleRecord
from supplier_register.storage import Repository, open_database
from tests.support.registers import small_register
from tests.support.scripts import load_script

harness = load_script("concurrency_harness")


@pytest.mark.slow
def test_two_processes_500_edits_each_lose_nothing(tmp_path: Path) -> None:
    """Supplier, contract and answer edits, renames and moves, all colliding: nothing lost."""
    result = harness.run(500, workers=2, workdir=tmp_path)
    assert result.successful_edits == 1000
    assert result.edits_by_kind == dict.fromkeys(harness.KINDS, 200)
    assert result.lost_updates == 0
    assert result.lost_answer_updates == 0 and result.lost_contract_updates == 0
    assert result.version_mismatch == 0
    assert result.audit_updates == 1000  # one audit entry per edit, none lost either
    assert (
        result.decoys > 0 and result.misdirected == 0
    )  # renamed, old names taken: no save followed
    assert result.stale_scores == 0  # the kept scores followed every move and rename
    assert result.locked_errors == 0 and result.other_errors == 0
    assert result.conflicts_caught > 0  # the edits really did collide


@pytest.mark.slow
def test_blind_saves_would_lose_updates(tmp_path: Path) -> None:
    """Negative control: without expected_version the same harness finds lost updates."""
    result = harness.run(200, workers=2, blind=True, workdir=tmp_path)
    assert result.lost_updates > 0


@pytest.mark.slow
def test_saves_by_name_would_follow_a_name_to_a_newcomer(tmp_path: Path) -> None:
    """Negative control: contracts saved to their supplier by the name the user saw go, now and
    then, to the newcomer that took that name after a rename (a longer pause makes it likely)."""
    result = harness.run(150, workers=2, by_name=True, think_ms=20, workdir=tmp_path)
    assert result.misdirected > 0


def test_stale_save_is_refused_with_a_reload_message(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    first, second = open_database(path), open_database(path)
    Repository(first).import_register(small_register())
    mine = Repository(first).find_supplier("Beta Cloud")
    theirs = Repository(second).find_supplier("Beta Cloud")
    Repository(second).update_supplier(
        theirs.id, theirs.model_copy(update={"notes": "theirs"}), expected_version=theirs.version
    )
    with pytest.raises(StaleRecord, match="reload"):
        Repository(first).update_supplier(
            mine.id, mine.model_copy(update={"notes": "mine"}), expected_version=mine.version
        )
    assert Repository(first).find_supplier("Beta Cloud").notes == "theirs"
    first.close()
    second.close()


def test_a_save_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    """A writer holding the lock for a second makes a save wait, not fail with "locked"."""
    path = tmp_path / "r.db"
    db = open_database(path)
    repo = Repository(db)
    repo.import_register(small_register())
    holding = threading.Event()

    def hold_lock() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE people SET contact = 'busy' WHERE name = 'Sam Okafor'")
        holding.set()
        time.sleep(1.0)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    holding.wait()
    beta = repo.find_supplier("Beta Cloud")
    saved = repo.update_supplier(
        beta.id, beta.model_copy(update={"notes": "saved"}), expected_version=beta.version
    )
    thread.join()
    assert saved.notes == "saved"
    assert repo.find_person("Sam Okafor").contact == "busy"
    db.close()
