"""On a large register only the changed supplier is re-scored; the result must equal a full score."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from supplier_register.domain import Criticality
from supplier_register.interchange.synthetic import generate_register
from supplier_register.services.register_view import (
    BOARD_PER_GROUP,
    Scores,
    Scoring,
    load_snapshot,
    read_records,
)
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import TODAY, settle, write_register_db


class CountingScoring(Scoring):
    """The real scoring, counting how often the whole register is scored."""

    def __init__(self) -> None:
        super().__init__()
        self.whole = 0

    def score_all(self, records, today):  # type: ignore[no-untyped-def]
        self.whole += 1
        return super().score_all(records, today)


def full_scores(path: Path) -> Scores:
    """The whole register scored from scratch."""
    return Scoring().score_all(read_records(path), TODAY)


def same(a: Scores | None, b: Scores) -> None:
    """The scores the screens show equal scoring the whole register again."""
    assert a is not None
    assert a.overviews == b.overviews
    assert a.board.counts == b.board.counts
    assert a.board.suppliers == b.board.suppliers
    assert a.trust == b.trust  # the trust's own findings, worked out again on each change
    for key in a.board.ranked:
        shown = a.board.ranked[key][:BOARD_PER_GROUP]
        assert [q.model_dump() for q in shown] == [
            q.model_dump() for q in b.board.ranked[key][:BOARD_PER_GROUP]
        ]


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path, generate_register(40, seed=11, today=TODAY))


async def test_changes_to_one_supplier_rescore_only_it(register_db: Path) -> None:
    scoring = CountingScoring()
    app = SupplierRegisterApp(register_db, today=TODAY, scoring=scoring, incremental_from=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert scoring.whole == 1
        table = app.screen.query_one(RegisterTable)
        low = next(r for r in table.rows if r.criticality is Criticality.LOW)

        # Edit: a new end date moves the decide-by date and the findings.
        table.move_to_id(low.id)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-last_review", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        same(app.snapshot.scores if app.snapshot else None, full_scores(register_db))

        # Answer a question.
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuestionnaireScreen)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        same(app.snapshot.scores if app.snapshot else None, full_scores(register_db))

        # Delete the supplier.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        same(app.snapshot.scores if app.snapshot else None, full_scores(register_db))
        assert all(r.id != low.id for r in table.rows)
        assert scoring.whole == 1  # none of these needed the whole register scored again


async def test_a_change_to_the_register_wide_context_scores_everything(
    register_db: Path,
) -> None:
    scoring = CountingScoring()
    app = SupplierRegisterApp(register_db, today=TODAY, scoring=scoring, incremental_from=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        low = next(r for r in table.rows if r.criticality is Criticality.LOW)
        table.move_to_id(low.id)
        # A strategic supplier with the largest spend joins the chief executive's tier.
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-criticality").value = "strategic"  # type: ignore[attr-defined]
        app.screen.query_one("#field-annual_spend", Input).value = "99000000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert scoring.whole == 2
        same(app.snapshot.scores if app.snapshot else None, full_scores(register_db))


def test_rescore_refuses_another_day(register_db: Path) -> None:
    snapshot = load_snapshot(register_db, TODAY)
    assert snapshot.scores is not None
    records = snapshot.records
    later = TODAY + dt.timedelta(days=1)
    assert Scoring().rescore(snapshot.scores, records, records, set(), later) is None


def test_patched_records_keep_what_the_change_did_not_touch(register_db: Path) -> None:
    records = read_records(register_db)
    first, second = records.suppliers[0], records.suppliers[1]
    marker: list[Any] = []
    records = replace(records, provenance={first.id: marker, second.id: marker})
    contracts, answers = records.own(first.id)
    assert contracts and answers and all(c.supplier_id == first.id for c in contracts)
    edited = records.patched(first.id, first, contracts, answers)
    assert edited.provenance == records.provenance
    for supplier in records.suppliers:
        assert edited.own(supplier.id) == records.own(supplier.id)
    assert [s.id for s in edited.suppliers] == [s.id for s in records.suppliers]
    both = edited.patched(second.id, second, *records.own(second.id))
    deleted = both.patched(first.id, None, [], [])
    assert first.id not in deleted.provenance
    assert second.id in deleted.provenance
    assert first.id not in deleted.known and second.id in deleted.known
    assert first.id in both.known  # patching makes new records: the old ones are unchanged
    assert first.id not in {s.id for s in deleted.suppliers}
    assert len(deleted.suppliers) == len(records.suppliers) - 1


class BrokenScoring(Scoring):
    """Scoring that fails, as a bug in a rule would."""

    def score_all(self, records, today):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")


async def test_a_scoring_failure_keeps_the_register_open(register_db: Path) -> None:
    app = SupplierRegisterApp(register_db, today=TODAY, scoring=BrokenScoring())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.is_running
        table = app.screen.query_one(RegisterTable)
        assert table.row_count == 40
        assert all(row.score is None for row in table.rows)
        assert any("could not be scored" in n.message for n in app._notifications)
