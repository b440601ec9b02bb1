"""The few columns of each live contract that the trust-level findings read.

A register-wide pattern (how much is bought by each route, directly, jointly; who
provides people) needs every live contract, but only five of its columns: read
those in one query, without building full contract records, so the findings stay
cheap beside scoring even at 50,000 suppliers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from sqlite_utils import Database

from supplier_register.domain.enums import ProcurementRoute, PurchaseKind

_LIVE_SQL = (
    "SELECT s.name, c.end_date, c.what_is_bought, c.annual_value_pence, c.procurement_route "
    "FROM contracts c JOIN suppliers s ON s.id = c.supplier_id "
    "WHERE c.end_date IS NULL OR c.end_date >= ?"
)


class LiveContract(NamedTuple):
    """A live contract as the trust-level findings read it (see ``scoring.trust.ContractFacts``)."""

    supplier: str
    end_date: dt.date | None
    what_is_bought: PurchaseKind
    annual_value: Decimal | None
    procurement_route: ProcurementRoute


def live_contracts(db: Database, today: dt.date) -> list[LiveContract]:
    """Every contract whose current term has not ended on ``today`` (as scoring counts them)."""
    kinds = {k.value: k for k in PurchaseKind}
    routes = {r.value: r for r in ProcurementRoute}
    return [
        LiveContract(
            name,
            dt.date.fromisoformat(end) if end is not None else None,
            kinds[kind],
            Decimal(pence).scaleb(-2) if pence is not None else None,
            routes[route],
        )
        for name, end, kind, pence, route in db.execute(_LIVE_SQL, [today.isoformat()])
    ]


_TERMS_SQL = (
    "SELECT supplier_id, title, end_date, notice_period_days, auto_renewal, total_value_pence "
    "FROM contracts"
)


class ContractTerms(NamedTuple):
    """The columns of a contract a board paper's supplier table reads (value, notice, end)."""

    supplier_id: int
    title: str
    end_date: dt.date | None
    """None when not recorded, or not a date (a record edited by hand: a paper never fails)."""
    notice_period_days: int | None
    auto_renewal: bool | None
    """None when not recorded."""
    total_value: Decimal | None


def contract_terms(db: Database) -> Iterator[ContractTerms]:
    """Every contract's terms, in one query, without building full contract records."""
    for supplier_id, title, end, notice, auto, pence in db.execute(_TERMS_SQL):
        yield ContractTerms(
            supplier_id,
            title,
            _day(end),
            notice if isinstance(notice, int) else None,
            None if auto is None else bool(auto),
            Decimal(pence).scaleb(-2) if isinstance(pence, int) else None,
        )


def _day(text: object) -> dt.date | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
