"""The ICS view as an SQLite database for analysts (``ics --format sqlite --out FILE.db``).

Pure: builds the database in memory with sqlite-utils from the
:class:`~supplier_register.ics.analysis.IcsView` and returns its bytes (``serialize``), which
the caller writes atomically like every other output.  Every supplier of every file is in
it (``--all`` or not: an analyst filters on ``matches.trust_count``).  Tables, with friendly
names and foreign keys, so ``datasette FILE.db --immutable`` links them:

* ``about``: one row: the day the view was made for, the window rule, the format.
* ``trusts``: one row per file read: the trust, the file, who exported it, when, as of which
  day, and what its redaction policy left out (``redacted``, a JSON list).
* ``matches``: one row per supplier matched across the trusts: its name, the names and
  company numbers the trusts record, how many trusts use it, its joint windows.
* ``suppliers``: one row per trust's supplier record, with its ``match_id`` and ``trust_id``.
* ``contracts``: one row per trust's contract, with its ``supplier_id``, decide-by date,
  whether that date has passed and its data gap.
* ``joint_windows``: one row per joint-procurement window, with its ``trusts`` (a JSON list);
  ``joint_window_contracts``: the contracts (so the trusts) in each window.

Facts a trust did not share are ``NULL`` ("not shared"), never 0 or false.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from supplier_register.ics.analysis import WINDOW_MONTHS, ContractLine, IcsView
from supplier_register.ics.text import WINDOW_RULE

ICS_DB_FORMAT = "supplier-register-ics-db"
ICS_DB_FORMAT_VERSION = 1


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _json(values: tuple[str, ...] | None) -> str | None:
    return None if values is None else json.dumps(list(values), ensure_ascii=False)


def ics_sqlite(view: IcsView, *, every_supplier: bool = False) -> bytes:
    """The ICS view as an SQLite database file's bytes (see the module's docstring).

    ``every_supplier`` is accepted for the renderers' common signature: the database always
    holds every supplier."""
    del every_supplier
    db = sqlite_utils.Database(memory=True)
    try:
        _fill(db, view)
        data: bytes = db.conn.serialize()
    finally:
        db.close()
    return data


def _fill(db: sqlite_utils.Database, view: IcsView) -> None:
    db.table("about").insert(
        {
            "format": ICS_DB_FORMAT,
            "format_version": ICS_DB_FORMAT_VERSION,
            "today": view.today.isoformat(),
            "window_months": WINDOW_MONTHS,
            "window_rule": WINDOW_RULE,
            "trusts": len(view.files),
            "suppliers": len(view.suppliers),
            "shared_suppliers": len(view.shared),
            "with_joint_window": len(view.with_windows),
        }
    )
    trust_ids: dict[str, int] = {}
    trusts = []
    for i, f in enumerate(view.files, start=1):
        trust_ids[f.trust] = i
        trusts.append(
            {
                "id": i,
                "trust": f.trust,
                "file": f.label,
                "exported_by": f.exported_by,
                "exported_at": f.exported_at.isoformat(timespec="seconds"),
                "as_of": f.as_of.isoformat(),
                "redacted": json.dumps(list(f.redacted)),
                "supplier_count": f.suppliers,
                "contract_count": f.contracts,
            }
        )
    db.table("trusts").insert_all(trusts, pk="id")
    db.table("trusts").create_index(["trust"])
    matches: list[dict[str, Any]] = []
    suppliers: list[dict[str, Any]] = []
    contracts: list[dict[str, Any]] = []
    windows: list[dict[str, Any]] = []
    window_contracts: list[dict[str, Any]] = []
    for match_id, s in enumerate(view.suppliers, start=1):
        matches.append(
            {
                "id": match_id,
                "name": s.name,
                "names": json.dumps(list(s.names), ensure_ascii=False),
                "company_numbers": json.dumps(list(s.company_numbers)),
                "trusts": json.dumps(list(s.trusts), ensure_ascii=False),
                "trust_count": len(s.trusts),
                "joint_window_count": len(s.windows),
                "first_window_start": _day(s.windows[0].start) if s.windows else None,
            }
        )
        contract_ids: dict[ContractLine, list[int]] = {}
        for use in s.uses:
            supplier_id = len(suppliers) + 1
            record = use.supplier
            suppliers.append(
                {
                    "id": supplier_id,
                    "match_id": match_id,
                    "trust_id": trust_ids[use.trust],
                    "trust": use.trust,
                    "name": record.name,
                    "company_number": record.company_number,
                    "identifiers": _json(record.identifiers),
                    "category": record.category,
                    "criticality": record.criticality,
                    "sme": _bool(record.sme),
                    "parent_group": record.parent_group,
                    "shared_with": _json(record.shared_with),
                    "score": record.score,
                    "band": record.band,
                    "next_decide_by": _day(record.next_decide_by),
                }
            )
            for shared, line in zip(use.shared_contracts, use.contracts, strict=True):
                contract_id = len(contracts) + 1
                contract_ids.setdefault(line, []).append(contract_id)
                contracts.append(
                    {
                        "id": contract_id,
                        "supplier_id": supplier_id,
                        "trust_id": trust_ids[use.trust],
                        "trust": use.trust,
                        "supplier": record.name,
                        "title": shared.title,
                        "what_is_bought": shared.what_is_bought,
                        "procurement_route": shared.procurement_route,
                        "start_date": _day(shared.start_date),
                        "end_date": _day(shared.end_date),
                        "notice_period_days": shared.notice_period_days,
                        "auto_renewal": _bool(shared.auto_renewal),
                        "migration_lead_time_days": shared.migration_lead_time_days,
                        "decide_by": _day(shared.decide_by),
                        "decide_by_passed": int(line.passed),
                        "gap": line.gap,
                    }
                )
        for window in s.windows:
            window_id = len(windows) + 1
            windows.append(
                {
                    "id": window_id,
                    "match_id": match_id,
                    "supplier": s.name,
                    "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                    "trusts": json.dumps(list(window.trusts), ensure_ascii=False),
                    "trust_count": len(window.trusts),
                }
            )
            for line in window.contracts:
                window_contracts.append(
                    {
                        "window_id": window_id,
                        "contract_id": contract_ids[line].pop(0),
                        "trust_id": trust_ids[line.trust],
                        "trust": line.trust,
                        "title": line.title,
                        "decide_by": _day(line.decide_by),
                    }
                )
    _table(db, "matches", matches, MATCH_COLUMNS, pk="id")
    _table(
        db,
        "suppliers",
        suppliers,
        SUPPLIER_COLUMNS,
        pk="id",
        foreign_keys=[("match_id", "matches", "id"), ("trust_id", "trusts", "id")],
    )
    _table(
        db,
        "contracts",
        contracts,
        CONTRACT_COLUMNS,
        pk="id",
        foreign_keys=[("supplier_id", "suppliers", "id"), ("trust_id", "trusts", "id")],
    )
    _table(
        db,
        "joint_windows",
        windows,
        WINDOW_COLUMNS,
        pk="id",
        foreign_keys=[("match_id", "matches", "id")],
    )
    _table(
        db,
        "joint_window_contracts",
        window_contracts,
        WINDOW_CONTRACT_COLUMNS,
        pk=("window_id", "contract_id"),
        foreign_keys=[
            ("window_id", "joint_windows", "id"),
            ("contract_id", "contracts", "id"),
            ("trust_id", "trusts", "id"),
        ],
    )
    db.table("suppliers").create_index(["match_id"])
    db.table("contracts").create_index(["supplier_id"])
    db.table("contracts").create_index(["decide_by"])
    db.table("joint_windows").create_index(["match_id"])


MATCH_COLUMNS: dict[str, type] = {
    "id": int,
    "name": str,
    "names": str,
    "company_numbers": str,
    "trusts": str,
    "trust_count": int,
    "joint_window_count": int,
    "first_window_start": str,
}
SUPPLIER_COLUMNS: dict[str, type] = {
    "id": int,
    "match_id": int,
    "trust_id": int,
    "trust": str,
    "name": str,
    "company_number": str,
    "identifiers": str,
    "category": str,
    "criticality": str,
    "sme": int,
    "parent_group": str,
    "shared_with": str,
    "score": int,
    "band": str,
    "next_decide_by": str,
}
CONTRACT_COLUMNS: dict[str, type] = {
    "id": int,
    "supplier_id": int,
    "trust_id": int,
    "trust": str,
    "supplier": str,
    "title": str,
    "what_is_bought": str,
    "procurement_route": str,
    "start_date": str,
    "end_date": str,
    "notice_period_days": int,
    "auto_renewal": int,
    "migration_lead_time_days": int,
    "decide_by": str,
    "decide_by_passed": int,
    "gap": str,
}
WINDOW_COLUMNS: dict[str, type] = {
    "id": int,
    "match_id": int,
    "supplier": str,
    "start": str,
    "end": str,
    "trusts": str,
    "trust_count": int,
}
WINDOW_CONTRACT_COLUMNS: dict[str, type] = {
    "window_id": int,
    "contract_id": int,
    "trust_id": int,
    "trust": str,
    "title": str,
    "decide_by": str,
}


def _table(
    db: sqlite_utils.Database,
    name: str,
    rows: list[dict[str, Any]],
    columns: dict[str, type],
    *,
    pk: str | tuple[str, ...],
    foreign_keys: list[tuple[str, str, str]] | None = None,
) -> None:
    """Create the table with its declared columns (so an empty one still has them, and a
    column of only NULLs still has its type), then insert the rows."""
    table = db.table(name)
    table.create(columns, pk=pk, foreign_keys=foreign_keys or [])
    table.insert_all(rows, batch_size=1000)
