"""The board questions kept with the score cache: used only while exactly current, equal to scoring afresh."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from supplier_register.domain.enums import Criticality
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import Scorer, ScoringConfig
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.services.register_view import BOARD_KEPT
from supplier_register.storage import Repository, score_cache
from supplier_register.storage.audit import auditable_tables
from tests.support.cache import each_kind_of_change, make_db, read_only

TODAY = dt.date(2026, 11, 26)

ASKED = [
    pytest.param({}, id="cli"),
    pytest.param({"top_findings": 5}, id="more-findings"),
    pytest.param({"ranked_per_key": BOARD_KEPT}, id="tui"),
    pytest.param({"question_limit": 25}, id="top-25"),
]
"""The arguments overview() is called with: the CLI's and exports', the TUI's, a top-25 list's."""
ASKED_TWO: list[dict[str, Any]] = [{}, {"ranked_per_key": BOARD_KEPT}]
ASKED_THREE: list[dict[str, Any]] = [*ASKED_TWO, {"question_limit": 25}]
ASKED_FOUR: list[dict[str, Any]] = [*ASKED_THREE, {}]


class Worked:
    """Counts the times the top questions are worked out (rather than taken as kept)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        original = Scorer.overview_from_entries

        def counted(scorer: Scorer, *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(scorer, *args, **kwargs)

        monkeypatch.setattr(Scorer, "overview_from_entries", counted)

    def take(self) -> int:
        count, self.count = self.count, 0
        return count


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = make_db(tmp_path / "register.db", generate_register(60, seed=8, today=TODAY))
    yield database
    database.close()


def same(
    db: Database,
    today: dt.date = TODAY,
    config: ScoringConfig | None = None,
    **asked: Any,
) -> None:
    """A cached run equals an uncached one for these arguments."""
    cached = prepare_scoring(db, today, config=config).overview(**asked)
    fresh = prepare_scoring(db, today, config=config).overview(cache=False, **asked)
    assert cached == fresh
    assert list(cached.ranked_questions) == list(fresh.ranked_questions)
    assert list(cached.question_counts) == list(fresh.question_counts)


@pytest.mark.parametrize("asked", ASKED)
@pytest.mark.parametrize("source", ["sample", "generated"])
def test_kept_questions_equal_scoring_afresh_and_score_nobody(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, asked: dict[str, Any]
) -> None:
    register = (
        read_register_file(sample_register_path())
        if source == "sample"
        else generate_register(250, seed=3, today=TODAY)
    )
    db = make_db(tmp_path / "register.db", register)
    worked = Worked(monkeypatch)
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    first = prepare_scoring(db, TODAY).overview(**asked)  # fills the cache and keeps the questions
    assert worked.take() == 1
    again = prepare_scoring(db, TODAY).overview(**asked)
    assert worked.take() == 0  # nobody scored again: the questions came from the database
    assert again == first == prepare_scoring(db, TODAY).overview(cache=False, **asked)
    assert again.top_questions and any(again.ranked_questions.values()) == bool(
        asked.get("ranked_per_key")
    )
    # Derived data: keeping the questions is not a change to the register.
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
    assert "score_cache_questions" not in auditable_tables(db)
    db.close()


def test_one_row_per_set_of_arguments(db: Database) -> None:
    for asked in ASKED_FOUR:
        prepare_scoring(db, TODAY).overview(**asked)
    assert db.execute("SELECT count(*) FROM score_cache_questions").fetchone()[0] == 3
    # Another day replaces that day's row for the same arguments.
    prepare_scoring(db, TODAY + dt.timedelta(days=1)).overview()
    assert db.execute("SELECT count(*) FROM score_cache_questions").fetchone()[0] == 3


def test_not_used_after_any_change_to_the_register(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(db)
    for asked in ASKED_TWO:
        prepare_scoring(db, TODAY).overview(**asked)
    worked = Worked(monkeypatch)

    def changed_then_worked_out() -> None:
        for asked in ASKED_TWO:
            same(db, **asked)
        assert worked.take() == 2  # the kept questions were not used
        for asked in ASKED_TWO:
            same(db, **asked)
        assert worked.take() == 0  # kept again, with the new state

    for _ in each_kind_of_change(repo):
        changed_then_worked_out()
    strategic = repo.list_suppliers()[0]
    repo.update_supplier(
        strategic.id,
        strategic.model_copy(
            update={"criticality": Criticality.STRATEGIC, "annual_spend": Decimal(10**9)}
        ),
    )
    changed_then_worked_out()
    repo.delete_supplier(repo.list_suppliers()[1].id)
    changed_then_worked_out()
    repo.set_trust_name("Riverside Trust")  # changes no score, but the log moved
    changed_then_worked_out()


def test_not_used_for_another_config_or_another_day(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_scoring(db, TODAY).overview()
    worked = Worked(monkeypatch)
    other = ScoringConfig(top_questions=5, decide_by_horizon_days=90)
    same(db, config=other)
    assert worked.take() == 1
    for day in (TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)):
        same(db, day)
        assert worked.take() == 1
    # Kept for the last day asked only; the first day's are worked out again, and equal.
    same(db)
    assert worked.take() == 1
    same(db)
    assert worked.take() == 0


def test_a_later_day_every_row_holds_on_works_them_out_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Question texts count days: even with every row current, another day's are not used."""
    prepare_scoring(db, TODAY).overview()
    until = score_cache.validity(db).valid_until
    assert until is not None
    later = until - dt.timedelta(days=1)
    assert later > TODAY
    worked = Worked(monkeypatch)
    same(db, later)
    assert worked.take() == 1
    same(db, later)
    assert worked.take() == 0


def test_a_read_only_database(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "register.db"
    for asked in ASKED_TWO:
        prepare_scoring(db, TODAY).overview(**asked)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ro = read_only(path)
    for asked in ASKED_THREE:
        same(ro, **asked)  # kept, or worked out and not kept (cannot write): equal either way
    same(ro, TODAY + dt.timedelta(days=1))
    ro.close()
    # An older schema without the table, which a read-only connection cannot bring up to date.
    old = tmp_path / "old.db"
    shutil.copy(path, old)
    writable = Database(sqlite3.connect(old))
    writable.execute("DROP TABLE score_cache_questions")
    writable.conn.commit()
    writable.close()
    ro = read_only(old)
    same(ro)
    same(ro, ranked_per_key=BOARD_KEPT)
    ro.close()


def test_a_row_missing_under_a_current_state_works_the_questions_out(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache row gone without a change in the log (cannot happen through the program): the
    kept questions are not trusted, the supplier is scored again and the result is exact."""
    prepare_scoring(db, TODAY).overview(ranked_per_key=BOARD_KEPT)
    db.execute(
        "DELETE FROM score_cache WHERE supplier_id = (SELECT min(supplier_id) FROM score_cache)"
    )
    db.conn.commit()
    worked = Worked(monkeypatch)
    same(db, ranked_per_key=BOARD_KEPT)
    assert worked.take() == 1
    same(db, ranked_per_key=BOARD_KEPT)
    assert worked.take() == 0
