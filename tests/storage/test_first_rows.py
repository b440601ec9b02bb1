"""The first screen straight from the score cache: exactly the first rows of a full scoring, or None."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from supplier_register.domain.models import SupplierRecord
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import ScoringConfig, SupplierOverview
from supplier_register.services.register_scoring import (
    FirstRows,
    cached_first_rows,
    prepare_scoring,
)
from supplier_register.storage import Repository, open_database, score_cache
from tests.support.cache import each_kind_of_change, make_db, read_only

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = make_db(tmp_path / "register.db", generate_register(60, seed=5, today=TODAY))
    yield database
    database.close()


def expected(
    db: Database, today: dt.date = TODAY, config: ScoringConfig | None = None
) -> list[tuple[SupplierRecord, SupplierOverview]]:
    """Every supplier with its overview in priority order, scored afresh (no cache)."""
    scoring = prepare_scoring(db, today, config=config)
    return scoring.in_priority_order(scoring.overview(cache=False))


def fill_cache(db: Database, today: dt.date = TODAY, config: ScoringConfig | None = None) -> None:
    prepare_scoring(db, today, config=config).overview()


def first(
    db: Database,
    today: dt.date = TODAY,
    *,
    config: ScoringConfig | None = None,
    limit: int = 25,
) -> FirstRows | None:
    return cached_first_rows(db, today, config=config, limit=limit)


@pytest.mark.parametrize("source", ["sample", "generated"])
def test_equals_the_first_rows_of_a_full_scoring(tmp_path: Path, source: str) -> None:
    register = (
        read_register_file(sample_register_path())
        if source == "sample"
        else generate_register(250, seed=17, today=TODAY)
    )
    db = make_db(tmp_path / "register.db", register)
    assert cached_first_rows(db, TODAY, limit=10) is None  # nothing cached yet
    fill_cache(db)
    full = expected(db)
    assert len(full) == len(register.suppliers)
    for limit in (0, 1, 7, 40, len(full), len(full) + 5):
        found = cached_first_rows(db, TODAY, limit=limit)
        assert found is not None
        assert found.total == len(register.suppliers)
        assert found.rows == full[:limit]
    # Ties are common (many suppliers share a score, the rounded risk): the order still matches.
    tied = [overview.score for _, overview in full]
    assert len(set(tied)) < len(tied)
    db.close()


def test_none_after_any_change_to_the_register(db: Database) -> None:
    repo = Repository(db)
    fill_cache(db)
    assert first(db) is not None

    def changed_then_rescored() -> None:
        assert first(db) is None
        fill_cache(db)  # only what changed is scored again, and the cache is current again
        found = first(db, limit=1000)
        assert found is not None
        assert found.rows == expected(db)

    for _ in each_kind_of_change(repo):
        changed_then_rescored()
    repo.delete_supplier(repo.list_suppliers()[0].id)
    changed_then_rescored()
    found = first(db)
    assert found is not None
    assert found.total == 59
    # A write that changes no score (the trust's name) still counts: the log moved.
    repo.set_trust_name("Riverside Trust")
    changed_then_rescored()


def test_none_for_another_config_or_a_day_the_rows_do_not_hold_on(db: Database) -> None:
    fill_cache(db)
    assert first(db) is not None
    other = ScoringConfig(top_questions=5, decide_by_horizon_days=90)
    assert first(db, config=other) is None
    assert first(db, config=ScoringConfig()) is not None  # the default, spelled out
    assert first(db, TODAY - dt.timedelta(days=1)) is None  # before the rows were worked out
    until = score_cache.validity(db).valid_until
    assert until is not None
    assert first(db, until) is None
    assert first(db, until - dt.timedelta(days=1)) is not None
    fill_cache(db, config=other)
    found = first(db, config=other, limit=1000)
    assert found is not None
    assert found.rows == expected(db, config=other)
    assert first(db) is None


def test_none_for_an_empty_cache_and_an_empty_register(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.db")
    assert first(db) is None
    fill_cache(db)
    assert first(db) == FirstRows(0, [])
    db.close()


def test_a_read_only_database(tmp_path: Path, db: Database) -> None:
    path = tmp_path / "register.db"
    fill_cache(db)
    want = first(db)
    assert want is not None
    ro = read_only(path)
    assert first(ro) == want
    assert first(ro, TODAY + dt.timedelta(days=4000)) is None
    ro.close()
    # An older schema, which a read-only connection cannot bring up to date: None, no error.
    old = tmp_path / "old.db"
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(path, old)
    writable = Database(sqlite3.connect(old))
    writable.execute("DROP TABLE score_cache_state")
    writable.conn.commit()
    writable.close()
    ro = read_only(old)
    assert first(ro) is None
    ro.close()


def test_the_first_rows_come_from_the_order_index_without_a_scan(db: Database) -> None:
    fill_cache(db)

    def plan(sql: str, *params: object) -> str:
        return " | ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))

    first_plan = plan(score_cache.FIRST_ROWS_SQL, 5)
    assert "idx_score_cache_order" in first_plan
    assert "TEMP B-TREE" not in first_plan  # no sort: the index is in the order wanted
    assert "idx_score_cache_valid_from" in plan(score_cache.LATEST_FROM_SQL)
    assert "idx_score_cache_valid_until" in plan(score_cache.EARLIEST_UNTIL_SQL)
