"""What falls due when: a register's deadlines, soonest first, the overdue ones flagged.

Pure: it takes the suppliers, their contracts and ``today``, and reads no clock and no
database.  Four kinds of deadline:

- ``decide_by``: the last day to decide whether to renew or leave a current contract (its end
  minus the notice period minus the migration lead time); listed only when at least one of
  those two is recorded, since with neither it is simply the end date (and not for an
  auto-renewing contract without a migration lead time: it is then its notice-by date);
- ``notice_by``: the last day to give notice on an auto-renewing current contract (its end
  minus the notice period), when both are recorded;
- ``contract_end``: the end of a current contract's term;
- ``review_due``: when the relationship review falls due (the last review plus the supplier's
  review cadence), as ``rule.review_overdue`` counts it.

A date that is not recorded gives no deadline: nothing is guessed.  Date sums go through
:mod:`supplier_register.domain.bounds`, so a record stored by hand never makes this raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from supplier_register.domain.bounds import add_months
from supplier_register.domain.models import ContractRecord, SupplierRecord
from supplier_register.scoring.text import long_date

DeadlineKind = Literal["decide_by", "notice_by", "contract_end", "review_due"]

KIND_LABEL: dict[DeadlineKind, str] = {
    "decide_by": "decide by",
    "notice_by": "notice by",
    "contract_end": "contract ends",
    "review_due": "review due",
}
"""Each kind in words, for tables and calendar titles."""

_KIND_ORDER: dict[DeadlineKind, int] = {
    "notice_by": 0,
    "decide_by": 1,
    "review_due": 2,
    "contract_end": 3,
}

DEFAULT_DAYS = 90
"""How far ahead ``due`` looks by default."""


@dataclass(frozen=True)
class Deadline:
    """One date that falls due: whose, which contract (when about one), what it means."""

    supplier_id: int
    supplier: str
    contract_id: int | None
    contract: str | None
    kind: DeadlineKind
    date: dt.date
    days_left: int
    overdue: bool
    meaning: str

    @property
    def label(self) -> str:
        """The kind in words: 'notice by'."""
        return KIND_LABEL[self.kind]

    @property
    def key(self) -> str:
        """A stable identity from the record ids and the kind (the same on every export)."""
        contract = f"-contract-{self.contract_id}" if self.contract_id is not None else ""
        return f"{self.kind}-supplier-{self.supplier_id}{contract}"


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _contract_deadlines(
    contract: ContractRecord, today: dt.date
) -> Iterable[tuple[DeadlineKind, dt.date, str]]:
    end = contract.end_date
    if end is None or end < today:
        return
    title = f"'{contract.title}'"
    notice = contract.notice_period_days
    migration = contract.migration_lead_time_days
    yield "contract_end", end, f"The current term of {title} ends on {long_date(end)}."
    notice_by = contract.notice_by()
    if contract.auto_renewal and notice is not None and notice_by is not None:
        meaning = (
            f"The last day to give notice ({_days(notice)}) on {title} was "
            f"{long_date(notice_by)}: it renews automatically on {long_date(end)}."
            if notice_by < today
            else f"{title} renews automatically on {long_date(end)} unless notice "
            f"({_days(notice)}) is given by {long_date(notice_by)}."
        )
        yield "notice_by", notice_by, meaning
    decide_by = contract.decide_before(end)
    if (notice is not None or migration is not None) and not (
        contract.auto_renewal and migration is None
    ):
        parts = []
        if notice is not None:
            parts.append("a day's notice" if notice == 1 else f"{_days(notice)}' notice")
        if migration is not None:
            parts.append(f"{_days(migration)} to move to another supplier")
        missing = (
            " (the notice period is not recorded, so this is the latest possible day)"
            if notice is None
            else " (the migration lead time is not recorded, so this is the latest possible day)"
            if migration is None
            else ""
        )
        decide = (
            f"The last day to decide whether to renew or leave {title} was {long_date(decide_by)}"
            if decide_by < today
            else f"Decide by {long_date(decide_by)} whether to renew or leave {title}"
        )
        yield (
            "decide_by",
            decide_by,
            f"{decide}: it ends on {long_date(end)} and needs {' and '.join(parts)}{missing}.",
        )


def _review_deadline(supplier: SupplierRecord, today: dt.date) -> tuple[dt.date, str] | None:
    last = supplier.last_review
    if last is None:
        return None
    months = supplier.effective_cadence_months
    due = add_months(last, months)
    every = "every month" if months == 1 else f"every {months} months"
    return due, (
        f"The relationship with {supplier.name} is reviewed {every}; the last review was on "
        f"{long_date(last)}, so the next {'was' if due < today else 'is'} due on {long_date(due)}."
    )


def deadlines(
    suppliers: Iterable[SupplierRecord],
    contracts: Iterable[ContractRecord],
    today: dt.date,
    days: int | None = None,
) -> list[Deadline]:
    """The deadlines of these suppliers and contracts, soonest first (overdue ones first of all).

    ``days``: only those up to ``days`` ahead of ``today``, and every overdue one (``None``:
    all).  Contracts whose term has already ended give none (nothing is left to decide on
    them here: scoring reports an ended contract still in use).
    """
    names: dict[int, str] = {}
    found: list[Deadline] = []

    def add(
        supplier_id: int,
        supplier: str,
        contract: ContractRecord | None,
        kind: DeadlineKind,
        date: dt.date,
        meaning: str,
    ) -> None:
        left = (date - today).days
        if days is not None and left > days:
            return
        found.append(
            Deadline(
                supplier_id,
                supplier,
                contract.id if contract is not None else None,
                contract.title if contract is not None else None,
                kind,
                date,
                left,
                left < 0,
                meaning,
            )
        )

    for supplier in suppliers:
        names[supplier.id] = supplier.name
        review = _review_deadline(supplier, today)
        if review is not None:
            add(supplier.id, supplier.name, None, "review_due", review[0], review[1])
    for contract in contracts:
        name = names.get(contract.supplier_id, contract.supplier)
        for kind, date, meaning in _contract_deadlines(contract, today):
            add(contract.supplier_id, name, contract, kind, date, meaning)
    found.sort(
        key=lambda d: (
            d.date,
            _KIND_ORDER[d.kind],
            d.supplier.casefold(),
            (d.contract or "").casefold(),
            d.key,
        )
    )
    return found
