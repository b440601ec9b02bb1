"""What falls due when, read from the register (``due`` on the CLI).

Reads only the suppliers and contracts (no scoring), then hands them to the pure
:func:`supplier_register.scoring.deadlines.deadlines`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from supplier_register.reports.calendar_ics import deadlines_ics
from supplier_register.scoring.deadlines import DEFAULT_DAYS, KIND_LABEL, Deadline, deadlines
from supplier_register.storage import Repository

__all__ = [
    "DEFAULT_DAYS",
    "KIND_LABEL",
    "Deadline",
    "deadlines_calendar",
    "deadlines_json",
    "register_deadlines",
]


def register_deadlines(
    repo: Repository, today: dt.date, days: int | None = DEFAULT_DAYS
) -> list[Deadline]:
    """The register's deadlines up to ``days`` ahead of ``today`` and every overdue one,
    soonest first (``days=None``: all of them)."""
    return deadlines(repo.list_suppliers(), repo.list_contracts(), today, days)


def deadlines_json(found: list[Deadline], today: dt.date, days: int | None) -> dict[str, Any]:
    """The deadlines as a JSON-ready document."""
    return {
        "today": today.isoformat(),
        "days": days,
        "overdue": sum(1 for d in found if d.overdue),
        "deadlines": [
            {
                "supplier": d.supplier,
                "supplier_id": d.supplier_id,
                "contract": d.contract,
                "contract_id": d.contract_id,
                "kind": d.kind,
                "label": d.label,
                "detail": d.detail,
                "date": d.date.isoformat(),
                "days_left": d.days_left,
                "overdue": d.overdue,
                "meaning": d.meaning,
                "uid": d.key,
            }
            for d in found
        ],
    }


def deadlines_calendar(found: list[Deadline], today: dt.date) -> bytes:
    """The deadlines as an iCalendar file; stamped with ``today`` (midnight UTC), so the same
    register and day give the same file."""
    stamp = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
    return deadlines_ics(found, stamp)
