"""A small known register, a fixed "today", and a dump of every row for before/after checks."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from supplier_register.domain.models import Answer, Contract, Person, Register, Supplier

TODAY = dt.date(2026, 11, 26)


def small_register() -> Register:
    """A tiny register with one of everything, for storage and CLI tests."""
    return Register(
        people=[
            Person(name="Dana Whitfield", role="chief_executive", contact="dana@example.nhs.uk"),
            Person(name="Sam Okafor", role="cio_cdo"),
        ],
        suppliers=[
            Supplier(
                name="Acme [UK] Ltd",
                category="epr",
                criticality="strategic",
                owner="Dana Whitfield",
                annual_spend="1250000.50",
                shared_with=["Riverside ICS"],
                company_number="01234567",
                last_review=dt.date(2026, 6, 1),
            ),
            Supplier(
                name="Beta Cloud", category="cloud_hosting", criticality="high", owner="Sam Okafor"
            ),
        ],
        contracts=[
            Contract(
                supplier="Acme [UK] Ltd",
                title="EPR licence and support",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                procurement_route="framework",
                start_date=dt.date(2022, 4, 1),
                end_date=dt.date(2027, 3, 31),
                notice_period_days=180,
                migration_lead_time_days=365,
                auto_renewal=True,
                annual_value="900000",
            ),
            Contract(
                supplier="Beta Cloud",
                title="Hosting",
                what_is_bought="commodity",
                contract_type="committed_cloud_spend",
            ),
        ],
        answers=[
            Answer(supplier="Acme [UK] Ltd", question_id="options.bulk_export", answer="unknown"),
        ],
    )


def dump(path_or_db: Path | Database) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, for checking a database is exactly as it was."""
    if isinstance(path_or_db, Database):
        conn = path_or_db.conn
        own = False
    else:
        conn = sqlite3.connect(path_or_db)
        own = True
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return [(t, list(conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid"))) for t in tables]
    finally:
        if own:
            conn.close()
