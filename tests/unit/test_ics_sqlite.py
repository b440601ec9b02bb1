"""The ICS view as an SQLite database for analysts (``ics --format sqlite``), opened read-only
with sqlite-utils and (if installed) Datasette."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from supplier_register.reports.ics_sqlite import ics_sqlite
from supplier_register.services.ics import ICS_BINARY_FORMATS, ICS_FORMATS, ics_view
from tests.support.shares import contract, share_document, supplier, write_share

TODAY = dt.date(2026, 11, 26)
TABLES = {
    "about",
    "trusts",
    "matches",
    "suppliers",
    "contracts",
    "joint_windows",
    "joint_window_contracts",
}


@pytest.fixture
def ics_db(tmp_path: Path) -> Path:
    """Riverside and Hillside share Acme (a window 1 March to 1 June 2027); Hillside's own
    laptops supplier and a contract with no decide-by date besides."""
    riverside = write_share(
        tmp_path / "riverside.json",
        share_document(
            "Riverside NHS Trust",
            [
                supplier(
                    "Acme Health Systems Ltd",
                    company_number="01234567",
                    score=72,
                    band="severe",
                    criticality="strategic",
                )
            ],
            [
                contract(
                    "Acme Health Systems Ltd",
                    "EPR licence",
                    end_date="2027-06-01",
                    decide_by="2027-03-01",
                )
            ],
        ),
    )
    hillside = write_share(
        tmp_path / "hillside.json",
        share_document(
            "Hillside NHS Foundation Trust",
            [
                supplier(
                    "ACME Health-Systems Limited",
                    company_number="01234567",
                    criticality=None,
                    score=None,
                    band=None,
                ),
                supplier("Local Laptops Ltd", criticality="low"),
            ],
            [
                contract(
                    "ACME Health-Systems Limited",
                    "Patient record",
                    end_date="2027-09-01",
                    decide_by="2027-06-01",
                ),
                contract("ACME Health-Systems Limited", "Interfaces", end_date=None),
            ],
        ),
    )
    data = ics_sqlite(ics_view([riverside, hillside], TODAY))
    path = tmp_path / "ics.db"
    path.write_bytes(data)
    return path


def _read_only(path: Path) -> Database:
    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def test_sqlite_is_a_binary_ics_format() -> None:
    assert ICS_FORMATS["sqlite"] is ics_sqlite
    assert {"sqlite"} == ICS_BINARY_FORMATS


def test_opens_read_only_with_sqlite_utils_and_has_the_tables(ics_db: Path) -> None:
    db = _read_only(ics_db)
    try:
        assert set(db.table_names()) == TABLES
        counts = {name: db.table(name).count for name in TABLES}
        assert counts == {
            "about": 1,
            "trusts": 2,
            "matches": 2,
            "suppliers": 3,
            "contracts": 3,
            "joint_windows": 1,
            "joint_window_contracts": 2,
        }
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db.execute("DELETE FROM trusts")
        (about,) = db.table("about").rows
        assert about["today"] == "2026-11-26" and about["window_months"] == 6
    finally:
        db.close()


def test_the_joint_window_with_its_trusts_and_contracts(ics_db: Path) -> None:
    db = _read_only(ics_db)
    try:
        (window,) = db.table("joint_windows").rows
        assert (window["supplier"], window["start"], window["end"]) == (
            "Acme Health Systems Ltd",
            "2027-03-01",
            "2027-06-01",
        )
        assert json.loads(window["trusts"]) == [
            "Hillside NHS Foundation Trust",
            "Riverside NHS Trust",
        ]
        rows = db.execute(
            "select t.trust, c.title, c.decide_by, s.name from joint_window_contracts j "
            "join contracts c on c.id = j.contract_id join suppliers s on s.id = c.supplier_id "
            "join trusts t on t.id = j.trust_id where j.window_id = ? order by c.decide_by",
            [window["id"]],
        ).fetchall()
        assert rows == [
            ("Riverside NHS Trust", "EPR licence", "2027-03-01", "Acme Health Systems Ltd"),
            (
                "Hillside NHS Foundation Trust",
                "Patient record",
                "2027-06-01",
                "ACME Health-Systems Limited",
            ),
        ]
        # both trusts' records point at the one match
        match_ids = {
            r["match_id"]
            for r in db.table("suppliers").rows_where("company_number = ?", ["01234567"])
        }
        assert len(match_ids) == 1
        (match,) = db.table("matches").rows_where("id = ?", [match_ids.pop()])
        assert match["trust_count"] == 2 and match["first_window_start"] == "2027-03-01"
        fks = {
            (fk.column, fk.other_table) for fk in db.table("joint_window_contracts").foreign_keys
        }
        assert ("contract_id", "contracts") in fks and ("window_id", "joint_windows") in fks
    finally:
        db.close()


def test_facts_not_shared_are_null_never_zero(ics_db: Path) -> None:
    db = _read_only(ics_db)
    try:
        (hillside_acme,) = db.table("suppliers").rows_where(
            "name = ?", ["ACME Health-Systems Limited"]
        )
        assert hillside_acme["criticality"] is None
        assert hillside_acme["score"] is None and hillside_acme["band"] is None
        (interfaces,) = db.table("contracts").rows_where("title = ?", ["Interfaces"])
        assert interfaces["decide_by"] is None and interfaces["end_date"] is None
        assert interfaces["gap"] == "end date not recorded"
        assert interfaces["auto_renewal"] is None
        (trust,) = db.table("trusts").rows_where("trust = ?", ["Riverside NHS Trust"])
        assert json.loads(trust["redacted"]) == [
            "notes",
            "evidence",
            "people",
            "values",
            "provenance",
        ]
    finally:
        db.close()


def test_datasette_opens_it_immutable_and_queries_the_windows(ics_db: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")

    async def run() -> tuple[list[str], list[dict[str, object]]]:
        ds = datasette_app.Datasette(immutables=[str(ics_db)])
        await ds.invoke_startup()
        database = ds.get_database("ics")
        tables = await database.table_names()
        response = await ds.client.get("/ics/joint_windows.json?_shape=objects")
        return list(tables), response.json()["rows"]

    tables, rows = asyncio.run(run())
    assert set(tables) >= TABLES
    assert [(r["supplier"], r["start"], r["end"]) for r in rows] == [
        ("Acme Health Systems Ltd", "2027-03-01", "2027-06-01")
    ]
