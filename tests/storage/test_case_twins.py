"""Two suppliers whose names differ only in non-ASCII case keep their own scores everywhere.

SQLite's NOCASE folds ASCII letters only, so 'Straße Ltd' and 'STRASSE Ltd' (or
'Élan' and 'élan') are two suppliers to the database, though ``casefold()``
makes them one.  Every place that pairs a score with its supplier goes by the
exact name, so neither takes the other's score, row or contracts.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from supplier_register.cli import main
from supplier_register.domain import Contract, Supplier, SupplierRecord
from supplier_register.review.analysis import movers
from supplier_register.scoring import SupplierScore
from supplier_register.services import reviews as service
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.services.register_view import load_snapshot
from supplier_register.storage import Repository, open_database
from supplier_register.storage.reviews import ReviewStore

TODAY = dt.date(2026, 11, 26)
TWINS = ("Straße Ltd", "STRASSE Ltd")


@pytest.fixture
def twins_db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    db = open_database(path)
    repo = Repository(db)
    repo.add_supplier(Supplier(name=TWINS[0], category="epr", criticality="strategic"))
    repo.add_supplier(Supplier(name=TWINS[1], category="devices", criticality="low"))
    repo.add_contract(
        Contract(
            supplier=TWINS[0],
            title="EPR",
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            procurement_route="direct_award",
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2027, 1, 31),
            notice_period_days=180,
            migration_lead_time_days=365,
        )
    )
    db.close()
    return path


def own_scores(path: Path) -> dict[str, tuple[int, str]]:
    """Each supplier scored on its own, by id: the oracle."""
    db = open_database(path)
    try:
        scoring = prepare_scoring(db, TODAY)
        return {
            s.name: (score.score, score.band.value)
            for s, score in scoring.iter_full_scores(scoring.suppliers)
        }
    finally:
        db.close()


def test_the_twins_are_two_suppliers_with_different_scores(twins_db: Path) -> None:
    scores = own_scores(twins_db)
    assert set(scores) == set(TWINS)
    assert scores[TWINS[0]] != scores[TWINS[1]]


@pytest.mark.parametrize("cache", [False, True])
def test_priority_order_pairs_each_twin_with_its_own_overview(twins_db: Path, cache: bool) -> None:
    scores = own_scores(twins_db)
    for _ in range(2):  # with the cache: the run that writes it, then one that reads it
        db = open_database(twins_db)
        try:
            scoring = prepare_scoring(db, TODAY)
            pairs = scoring.in_priority_order(scoring.overview(cache=cache))
        finally:
            db.close()
        assert {s.name: (o.supplier, o.score, o.band.value) for s, o in pairs} == {
            name: (name, *scores[name]) for name in TWINS
        }


def test_csv_export_rows_carry_each_twins_own_record_and_score(
    twins_db: Path, tmp_path: Path
) -> None:
    scores = own_scores(twins_db)
    out = tmp_path / "risk.csv"
    for _ in range(2):  # cold, then from the kept scores
        result = CliRunner().invoke(
            main,
            [
                "--db",
                str(twins_db),
                "export",
                "--format",
                "csv",
                "--out",
                str(out),
                "--force",
                "--today",
                TODAY.isoformat(),
            ],
        )
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        header = rows[0]
        body = [dict(zip(header, r, strict=True)) for r in rows[1:3]]
        by_name = {r["Supplier"]: r for r in body}
        assert set(by_name) == set(TWINS)
        assert by_name[TWINS[0]]["Category"] != by_name[TWINS[1]]["Category"]
        for name in TWINS:
            assert int(by_name[name]["Risk score"]) == scores[name][0]


def test_tui_rows_show_each_twins_own_score(twins_db: Path) -> None:
    scores = own_scores(twins_db)
    snapshot = load_snapshot(twins_db, TODAY)
    shown = {row.name: (row.score, row.band.value if row.band else None) for row in snapshot.rows}
    assert shown == scores
    for supplier in snapshot.suppliers:
        overview = snapshot.overview_of(supplier)
        assert overview is not None and overview.supplier == supplier.name


def test_summary_json_rows_carry_each_twins_own_record_and_score(
    twins_db: Path, tmp_path: Path
) -> None:
    scores = own_scores(twins_db)
    out = tmp_path / "risk.json"
    args = ["--db", str(twins_db), "export", "--format", "summary-json", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--force", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    rows = {r["supplier"]: r for r in json.loads(out.read_text(encoding="utf-8"))["suppliers"]}
    assert {name: (r["score"], r["band"]) for name, r in rows.items()} == scores
    assert rows[TWINS[0]]["category"] != rows[TWINS[1]]["category"]


def test_review_movers_compare_each_twin_with_its_own_past(twins_db: Path) -> None:
    q3_day, q4_day = dt.date(2026, 8, 3), TODAY
    db = open_database(twins_db)
    try:
        service.start_review(db, "2026-Q3", q3_day)
        service.close_review(db, "2026-Q3", q3_day)
        before = {s.name: score.score for s, score in _scores(db, q3_day)}
        repo = Repository(db)
        twin = next(s for s in repo.list_suppliers() if s.name == TWINS[1])
        repo.update_supplier(twin.id, twin.model_copy(update={"criticality": "strategic"}))
        service.start_review(db, "2026-Q4", q4_day)
        after = {s.name: score.score for s, score in _scores(db, q4_day)}
        report = service.review_report(db, "2026-Q4", q4_day)
        store = ReviewStore(db)
        reviews = store.list_reviews()
        in_memory, _ = movers(store.snapshots(reviews[1]), store.snapshots(reviews[0]))
    finally:
        db.close()
    assert before != after  # the register changed between the two reviews
    for found in (report.movers, in_memory):
        moved = {m.supplier: (m.previous_score, m.score) for m in found}
        for name in TWINS:
            if name in moved:
                assert moved[name] == (before[name], after[name])
        assert TWINS[1] in moved


def _scores(db: Database, day: dt.date) -> list[tuple[SupplierRecord, SupplierScore]]:
    scoring = prepare_scoring(db, day)
    return list(scoring.iter_full_scores(scoring.suppliers))
