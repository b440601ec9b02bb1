"""The analysts' views (m017): a scored sample register opened read-only with sqlite3,
sqlite-utils and (when installed) Datasette shows suppliers with their scores, contracts with
their decide-by dates worked out as the domain does, and the board questions."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from supplier_register.cli import main
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.results import SupplierOverview
from supplier_register.services.register_scoring import _decode
from supplier_register.storage import Repository, open_database, write_transaction
from supplier_register.storage.untrusted import schema_difference

TODAY = "2026-11-26"
VIEWS = {
    "supplier_scores": [
        "supplier_id",
        "supplier",
        "category",
        "criticality",
        "owner",
        "annual_spend_gbp",
        "score",
        "band",
        "priority",
        "confidence",
        "next_decide_by",
        "next_decide_by_contract",
        "scored_on",
    ],
    "contracts_due": [
        "contract_id",
        "supplier",
        "criticality",
        "contract",
        "what_is_bought",
        "start_date",
        "end_date",
        "notice_period_days",
        "migration_lead_time_days",
        "auto_renewal",
        "notice_by",
        "decide_by",
    ],
    "board_questions": [
        "rank",
        "supplier",
        "theme",
        "key_question",
        "question",
        "priority",
        "criticality",
        "contracts",
        "worked_out_on",
    ],
}


def _cli(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample register, scored (and its board questions kept) on TODAY."""
    path = tmp_path_factory.mktemp("analysts") / "register.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    db.close()
    _cli("--db", str(path), "score", "--today", TODAY)
    _cli("--db", str(path), "questions", "--today", TODAY)
    return path


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def test_each_view_returns_rows_with_its_columns_read_only(sample: Path) -> None:
    conn = _read_only(sample)
    try:
        for view, columns in VIEWS.items():
            cursor = conn.execute(f"SELECT * FROM {view}")
            rows = cursor.fetchall()
            assert [d[0] for d in cursor.description] == columns, view
            assert rows, view
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM suppliers")
    finally:
        conn.close()


def test_sqlite_utils_lists_the_views_and_reads_them(sample: Path) -> None:
    db = Database(_read_only(sample))
    try:
        assert set(VIEWS) <= set(db.view_names())
        assert not set(VIEWS) & set(db.table_names())
        for view, columns in VIEWS.items():
            rows = list(db[view].rows)
            assert rows and list(rows[0]) == columns
    finally:
        db.close()


def test_supplier_scores_are_the_score_cache_s_overviews(sample: Path) -> None:
    """Every supplier once, in priority order, each figure the cached overview's (so a change
    of SupplierOverview's field order, which the view reads by position, fails here)."""
    names = [f.name for f in dataclasses.fields(SupplierOverview)]
    assert [names[i] for i in (3, 7, 16, 17)] == [
        "band",
        "confidence",
        "next_decide_by",
        "next_decide_by_contract",
    ]
    db = Database(_read_only(sample))
    try:
        rows = list(db["supplier_scores"].rows)
        cached = {
            r["supplier_id"]: _decode(r["data"], ranks=False).overview
            for r in db["score_cache"].rows
        }
        suppliers = {r["id"]: r for r in db["suppliers"].rows}
        people = {r["id"]: r["name"] for r in db["people"].rows}
    finally:
        db.close()
    assert len(rows) == len(suppliers) == len(cached) == 32
    assert [r["priority"] for r in rows] == sorted((r["priority"] for r in rows), reverse=True)
    for row in rows:
        o = cached[row["supplier_id"]]
        s = suppliers[row["supplier_id"]]
        assert row["supplier"] == o.supplier == s["name"]
        assert row["criticality"] == o.criticality.value
        assert (row["score"], row["band"]) == (o.score, o.band.value)
        assert (row["priority"], row["confidence"]) == (o.priority, o.confidence)
        decide = o.next_decide_by.isoformat() if o.next_decide_by else None
        assert (row["next_decide_by"], row["next_decide_by_contract"]) == (
            decide,
            o.next_decide_by_contract,
        )
        assert row["owner"] == people.get(s["owner_id"])
        spend = s["annual_spend_pence"]
        assert row["annual_spend_gbp"] == (None if spend is None else spend / 100)
        assert row["scored_on"] == TODAY
    assert rows[0]["supplier"] == "Veridane Health Systems Ltd"
    assert rows[0]["owner"] == "Dr Helen Marchbank"


def test_an_unscored_supplier_shows_no_score_not_a_guessed_one(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    try:
        rows = list(db["supplier_scores"].rows)
        assert len(rows) == 32
        assert all(r["score"] is None and r["band"] is None for r in rows)
        assert all(r["scored_on"] is None for r in rows)
        assert list(db["board_questions"].rows) == []
    finally:
        db.close()


def test_contracts_due_dates_are_the_domain_s_for_every_sample_contract(sample: Path) -> None:
    db = open_database(sample)
    try:
        contracts = Repository(db).list_contracts()
        view = {r["contract_id"]: r for r in db["contracts_due"].rows}
    finally:
        db.close()
    assert len(view) == len(contracts) > 30
    with_notice = 0
    for c in contracts:
        row = view[c.id]
        notice = c.notice_by()
        decide = c.decide_by()
        assert row["notice_by"] == (notice.isoformat() if notice else None), c.title
        assert row["decide_by"] == (decide.isoformat() if decide else None), c.title
        assert row["contract"] == c.title
        with_notice += notice is not None
    assert with_notice > 10
    assert any(r["decide_by"] is None for r in view.values())  # no end date: unknown
    dates = [r["decide_by"] for r in view.values() if r["decide_by"] is not None]
    listed = [r["decide_by"] for r in Database(_read_only(sample))["contracts_due"].rows]
    assert listed[: len(dates)] == sorted(dates)


def test_contracts_due_stops_at_the_first_representable_day_as_the_domain_does(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    try:
        with write_transaction(db):
            db.execute(
                "UPDATE contracts SET end_date = '0001-03-01', notice_period_days = 400, "
                "migration_lead_time_days = 10 WHERE id = (SELECT min(id) FROM contracts)"
            )
        first = min(Repository(db).list_contracts(), key=lambda c: c.id)
        row = next(r for r in db["contracts_due"].rows if r["contract_id"] == first.id)
    finally:
        db.close()
    assert row["notice_by"] == str(first.notice_by()) == "0001-01-01"
    assert row["decide_by"] == str(first.decide_by()) == "0001-01-01"


def test_board_questions_are_the_kept_top_questions_in_order(sample: Path) -> None:
    db = Database(_read_only(sample))
    try:
        rows = list(db["board_questions"].rows)
    finally:
        db.close()
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 10
    assert rows[0]["supplier"] == "Brightwater [UK] Ltd"
    assert rows[0]["contracts"] == "Enterprise PACS and RIS managed service"
    assert all(r["question"] and r["worked_out_on"] == TODAY for r in rows)
    priorities = [r["priority"] for r in rows]
    assert priorities == sorted(priorities, reverse=True)


def test_the_views_are_part_of_the_register_s_exact_schema(sample: Path) -> None:
    conn = _read_only(sample)
    try:
        assert schema_difference(conn, 17) is None
        conn.execute("PRAGMA trusted_schema = OFF")  # the untrusted-file check runs nothing
        assert schema_difference(conn, 16) == "view board_questions is not a register's"
    finally:
        conn.close()


def test_datasette_opens_the_register_immutable_and_lists_the_views(sample: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")

    async def run() -> tuple[list[str], list[dict[str, object]]]:
        ds = datasette_app.Datasette(immutables=[str(sample)])
        await ds.invoke_startup()
        views = await ds.get_database("register").view_names()
        response = await ds.client.get("/register/supplier_scores.json?_shape=objects")
        return list(views), response.json()["rows"]

    views, rows = asyncio.run(run())
    assert set(VIEWS) <= set(views)
    assert rows and rows[0]["supplier"] == "Veridane Health Systems Ltd"
