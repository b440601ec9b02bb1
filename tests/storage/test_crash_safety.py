"""Kill -9 during imports, edits, answers, renames and moves (a reduced run of
scripts/crash_harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.scripts import load_script

harness = load_script("crash_harness")


@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_import_or_a_damaged_database(tmp_path: Path) -> None:
    figures = harness.run_harness(runs=14, suppliers=150, seed=11, workdir=tmp_path, log=None)
    assert figures.failures == []
    assert figures.runs == 14
    assert figures.integrity_ok == figures.runs
    assert figures.audit_ok == figures.runs
    assert figures.partial_batches == 0 and figures.wrong_state == 0
    # Every kind of operation was run (and so, nearly always, killed): imports, re-imports,
    # deletes, contract edits, answer edits, supplier renames and contract moves.
    assert set(figures.by_operation) == {
        "import",
        "reimport",
        "delete",
        "edit",
        "answers",
        "rename",
        "move",
    }
    # Runs really were killed, not finished first. Half the runs are killed at a WAL size and
    # always die; the other half after a random delay, which a fast, idle machine can outrun, so
    # the floor leaves room for timing without letting a harness that never kills pass.
    assert figures.kills >= 4


@pytest.mark.slow
def test_the_harness_catches_an_unsafe_importer(tmp_path: Path) -> None:
    """Negative control: record-by-record commits killed part-way must be reported."""
    figures = harness.run_harness(
        runs=2, suppliers=150, seed=1, workdir=tmp_path, log=None, control=True
    )
    assert figures.partial_batches >= 1
    assert any("partial" in failure for failure in figures.failures)


def test_a_half_done_answer_edit_rename_or_move_is_reported(tmp_path: Path) -> None:
    """The checks the killed runs rely on: a batch with one answer, name or contract a step
    ahead of the others is reported as partial, not taken for a state before or after."""
    import shutil
    import sqlite3

    from supplier_register.domain import Register
    from supplier_register.storage import Repository, open_database

    whole = tmp_path / "whole.db"
    db = open_database(whole)
    Repository(db).import_register(
        Register.model_validate(harness.batch_register(0, 6, 0, renames=2, moves=1))
    )
    db.close()
    batch = harness.Batch(0)
    assert harness.observe(whole, batch, 6) == harness.State("present", 0, 0, True, 0, 2, 1)
    first_two = "(SELECT id FROM contracts WHERE title = 'Licence m1' ORDER BY id LIMIT {})"
    half_done = {
        "answer": [
            "UPDATE answers SET evidence = 'edit 1' WHERE id = (SELECT min(id) FROM answers)"
        ],
        "rename": [
            "UPDATE suppliers SET name = replace(name, ' r2', ' r3') "
            "WHERE id = (SELECT min(id) FROM suppliers)"
        ],
        "move title": [
            "UPDATE contracts SET title = 'Licence m2' WHERE id = (SELECT min(id) FROM contracts)"
        ],
        # two contracts swap suppliers, titles as they were: only their places are wrong
        "move place": [
            "CREATE TEMP TABLE pair AS SELECT id, supplier_id FROM contracts "
            f"WHERE id IN {first_two.format(2)}",
            "UPDATE contracts SET title = 'parked ' || id WHERE id IN (SELECT id FROM pair)",
            "UPDATE contracts SET supplier_id = (SELECT p.supplier_id FROM pair p "
            "WHERE p.id != contracts.id) WHERE id IN (SELECT id FROM pair)",
            "UPDATE contracts SET title = 'Licence m1' WHERE title LIKE 'parked %'",
        ],
    }
    for name, statements in half_done.items():
        path = tmp_path / f"{name}.db"
        shutil.copy(whole, path)
        conn = sqlite3.connect(path)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()
        seen = harness.observe(path, batch, 6)
        assert isinstance(seen, str) and seen.startswith("partial"), (name, seen)
