"""Kill -9 during imports and edits (a reduced run of scripts/crash_harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts_loader import load_script

harness = load_script("crash_harness")


@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_import_or_a_damaged_database(tmp_path: Path) -> None:
    figures = harness.run_harness(runs=14, suppliers=150, seed=11, workdir=tmp_path, log=None)
    assert figures.failures == []
    assert figures.runs == 14
    assert figures.integrity_ok == figures.runs
    assert figures.audit_ok == figures.runs
    assert figures.partial_batches == 0 and figures.wrong_state == 0
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
