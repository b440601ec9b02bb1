"""The impact view and the concentration view, for the CLI, the TUI and the exports alike.

"What would happen if our relationship with an important technology supplier went
wrong?" answered from the register: storage reads what a failure reaches, and the
pure ``impact`` package works out what stops and writes it in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from supplier_register.domain.errors import NotFound
from supplier_register.impact import (
    ConcentrationRow,
    SupplierImpact,
    concentration,
    impact_of,
)
from supplier_register.reports.service_impact import CONCENTRATION_LIMIT
from supplier_register.reports.summary import ImpactSection
from supplier_register.storage import Repository, open_database


def supplier_impact(repo: Repository, supplier: int | str, today: dt.date) -> SupplierImpact:
    """If the supplier (by id, or by name in any case) failed on ``today``, what would stop.

    An unknown name or id is a :class:`~supplier_register.domain.errors.NotFound` naming it.
    """
    supplier_id = supplier if isinstance(supplier, int) else repo.find_supplier(supplier).id
    return impact_of(repo.impact_records(supplier_id, today), today)


def register_concentration(
    repo: Repository, today: dt.date, *, limit: int | None = None
) -> list[ConcentrationRow]:
    """The suppliers and parent groups whose failure would stop the most services (clinical
    first) on ``today``, the first ``limit`` of them (all when None)."""
    rows = concentration(repo.concentration_records(today))
    return rows if limit is None else rows[:limit]


def impact_section(
    repo: Repository,
    suppliers: Iterable[int],
    today: dt.date,
    *,
    left_out: int = 0,
    concentration_limit: int = CONCENTRATION_LIMIT,
) -> ImpactSection:
    """The service impact section of the exports: the impact of each of ``suppliers`` (ids,
    in the order given) if it failed on ``today``, and the register's concentration (the
    first ``concentration_limit`` rows).  ``left_out`` counts the strategic and
    high-criticality suppliers the caller leaves out (the paper says so).

    Each impact reads only what that supplier's failure reaches, a batch of suppliers at a time.
    """
    impacts = [
        impact_of(records, today) for records in repo.impact_records_for(list(suppliers), today)
    ]
    rows = concentration(repo.concentration_records(today))
    return ImpactSection(
        impacts=impacts,
        left_out=left_out,
        concentration=rows[: max(0, concentration_limit)],
        concentration_total=len(rows),
    )


# ---------------------------------------------------------------- the TUI's reads


def read_supplier_impact(db_path: Path, supplier_id: int, today: dt.date) -> SupplierImpact | None:
    """:func:`supplier_impact` on a connection of its own (for a worker thread); ``None`` when
    the supplier no longer exists (deleted since it was chosen)."""
    db = open_database(db_path)  # a connection of the worker's own, as every TUI read
    try:
        return supplier_impact(Repository(db), supplier_id, today)
    except NotFound:
        return None
    finally:
        db.close()


def read_concentration(db_path: Path, today: dt.date) -> list[ConcentrationRow]:
    """:func:`register_concentration` on a connection of its own (for a worker thread)."""
    db = open_database(db_path)
    try:
        return register_concentration(Repository(db), today)
    finally:
        db.close()
