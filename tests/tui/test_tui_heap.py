"""A large register's start-up heap is frozen once scored, so full GC passes stay short.

The threshold is lowered for the test (a register of 50,000 suppliers is too
slow for the suite); whether a pass is short is the benchmark's business.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from supplier_register.tui import app as app_module
from tests.tui.tui_support import make_app, settle, write_register_db


@pytest.fixture
def unfreeze() -> Iterator[None]:
    """Give the test process its heap back: frozen objects are never collected."""
    yield
    gc.unfreeze()


async def test_heap_frozen_once_a_large_register_is_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unfreeze: None
) -> None:
    monkeypatch.setattr(app_module, "FREEZE_FROM", 4)  # the test register has 4 suppliers
    gc.unfreeze()
    app = make_app(write_register_db(tmp_path))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.snapshot is not None and app.snapshot.scores_current
        assert app.heap_frozen
        frozen = gc.get_freeze_count()
        assert frozen > 0
        # Once only: a later scored snapshot (after an edit) freezes nothing more.
        app._freeze_heap(app.snapshot)
        assert gc.get_freeze_count() == frozen


async def test_small_register_leaves_the_collector_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unfreeze: None
) -> None:
    monkeypatch.setattr(app_module, "FREEZE_FROM", 5)
    gc.unfreeze()
    app = make_app(write_register_db(tmp_path))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.snapshot is not None and app.snapshot.scores_current
        assert not app.heap_frozen
        assert gc.get_freeze_count() == 0
