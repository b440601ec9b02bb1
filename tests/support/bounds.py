"""A register spoiled with values no release accepts now, written straight into its tables."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from supplier_register.domain.bounds import SQLITE_INT_MAX

BIG = SQLITE_INT_MAX


def spoil(db: Path) -> None:
    """Write values no release would accept now, straight into the tables (as another tool could)."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "UPDATE contracts SET end_date = '0001-01-05', start_date = '0001-01-01', "
            "notice_period_days = ?, migration_lead_time_days = ? WHERE id % 4 = 0",
            [BIG, BIG],
        )
        conn.execute(
            "UPDATE contracts SET end_date = '9999-12-31', notice_period_days = ?, "
            "annual_value_pence = ?, total_value_pence = ? WHERE id % 4 = 1",
            [-BIG, BIG, BIG],
        )
        conn.execute("UPDATE contracts SET end_date = '9999-12-30' WHERE id % 4 = 2")
        conn.execute(
            "UPDATE suppliers SET last_review = '9999-12-31', review_cadence_months = ?, "
            "annual_spend_pence = ? WHERE id % 3 = 0",
            [BIG, BIG],
        )
        conn.execute(
            "UPDATE suppliers SET last_review = '0001-01-01', review_cadence_months = ? "
            "WHERE id % 3 = 1",
            [-BIG],
        )
        conn.execute("UPDATE answers SET answered_on = '9999-12-31' WHERE id % 2 = 0")
        conn.execute("UPDATE answers SET answered_on = '0001-01-01' WHERE id % 2 = 1")
