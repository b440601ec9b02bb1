"""What falls due when, read from the register (``due`` on the CLI).

Reads only the suppliers and contracts (no scoring), then hands them to the pure
:func:`supplier_register.scoring.deadlines.deadlines`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from supplier_register.reports.calendar_ics import deadlines_ics
from supplier_register.scoring.deadlines import DEFAULT_DAYS, KIND_LABEL, Deadline, deadlines
from supplier_register.storage import Repository
from supplier_register.storage.outputs import check_output, write_output_file

__all__ = [
    "DEFAULT_DAYS",
    "KIND_LABEL",
    "Deadline",
    "calendar_file_name",
    "deadlines_calendar",
    "deadlines_json",
    "register_deadlines",
    "write_deadlines_calendar",
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


def calendar_file_name(today: dt.date) -> str:
    """The dated file name proposed for a calendar of deadlines, ``deadlines-2026-12-07.ics``."""
    return f"deadlines-{today.isoformat()}.ics"


def write_deadlines_calendar(
    found: Sequence[Deadline], today: dt.date, out: Path, db_path: Path, *, force: bool
) -> Path:
    """Write ``found`` as an iCalendar file (:func:`deadlines_calendar`) to ``out`` and return
    its full path.

    Written as every export is (:func:`storage.outputs.write_output_file`): never over the
    register at ``db_path``, its side files or backups, to a temporary file renamed into
    place, and an existing file only with ``force``.  A refusal or a failed write raises one
    line (:class:`~supplier_register.domain.errors.BadFile`) naming the file.
    """
    out = out.expanduser()
    check_output(out, force=force, registers=[db_path], label="file")
    data = deadlines_calendar(list(found), today)
    write_output_file(data, out, force=force, registers=[db_path], label="file")
    return out.absolute()
