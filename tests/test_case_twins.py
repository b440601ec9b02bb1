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

from supplier_register.cli import main
from supplier_register.domain import Contract, Supplier
from supplier_register.register_scoring import prepare_scoring
from supplier_register.storage import Repository, open_database
from supplier_register.tui.data import load_snapshot

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
