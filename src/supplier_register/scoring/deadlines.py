"""What falls due when: a register's deadlines, soonest first, the overdue ones flagged.

Pure: it takes the suppliers, their contracts and ``today``, and reads no clock and no
database.  Five kinds of deadline:

- ``decide_by``: the last day to decide whether to renew or leave a current contract (its end
  minus the notice period minus the migration lead time); listed only when at least one of
  those two is recorded, since with neither it is simply the end date (and not for an
  auto-renewing contract without a migration lead time: it is then its notice-by date);
- ``notice_by``: the last day to give notice on an auto-renewing current contract (its end
  minus the notice period), when both are recorded;
- ``contract_end``: the end of a current contract's term;
- ``review_due``: when the relationship review falls due (the last review plus the supplier's
  review cadence), as ``rule.review_overdue`` counts it;
- ``assurance_expiry``: the last good day of each dated assurance the supplier holds
  (:mod:`supplier_register.domain.assurance`): a Cyber Essentials (Plus) certificate's expiry,
  the next DSPT submission (30 June), and the reviews of the DTAC, DCB0129 safety case, DCB0160
  clinical risk assessment and DPIA, and the next penetration test, 12 months after each date;
  ``detail`` says which, as ``rule.assurance_lapsed`` counts it.

A date that is not recorded gives no deadline: nothing is guessed.  Date sums go through
:mod:`supplier_register.domain.bounds`, so a record stored by hand never makes this raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from supplier_register.domain.assurance import ITEM_LABEL, Dated, dated, dspt_start
from supplier_register.domain.bounds import add_months
from supplier_register.domain.models import ContractRecord, SupplierRecord
from supplier_register.scoring.text import long_date

DeadlineKind = Literal["decide_by", "notice_by", "contract_end", "review_due", "assurance_expiry"]

KIND_LABEL: dict[DeadlineKind, str] = {
    "decide_by": "decide by",
    "notice_by": "notice by",
    "contract_end": "contract ends",
    "review_due": "review due",
    "assurance_expiry": "assurance expires",
}
"""Each kind in words, for tables and calendar titles."""

_KIND_ORDER: dict[DeadlineKind, int] = {
    "notice_by": 0,
    "decide_by": 1,
    "review_due": 2,
    "contract_end": 3,
    "assurance_expiry": 4,
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
    item: str | None = None
    """Which of the supplier's assurances (``assurance_expiry`` only): 'cyber_essentials'."""
    detail: str | None = None
    """What falls due, in words (``assurance_expiry`` only): 'Cyber Essentials Plus
    certificate', 'DSPT 2025-26 submission'."""

    @property
    def label(self) -> str:
        """The kind in words: 'notice by'."""
        return KIND_LABEL[self.kind]

    @property
    def what(self) -> str:
        """The kind in words with what falls due, when the kind alone does not say it:
        'assurance expires: Cyber Essentials Plus certificate'."""
        return self.label if self.detail is None else f"{self.label}: {self.detail}"

    @property
    def key(self) -> str:
        """A stable identity from the record ids and the kind (the same on every export)."""
        contract = f"-contract-{self.contract_id}" if self.contract_id is not None else ""
        item = f"-{self.item}" if self.item is not None else ""
        return f"{self.kind}-supplier-{self.supplier_id}{contract}{item}"


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
    unrecorded = (
        " Whether it renews automatically is not recorded." if contract.auto_renewal is None else ""
    )
    yield "contract_end", end, f"The current term of {title} ends on {long_date(end)}.{unrecorded}"
    notice_by = contract.notice_by()
    if contract.auto_renewal is True and notice is not None and notice_by is not None:
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
        contract.auto_renewal is True and migration is None
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


def _assurance_meaning(supplier: SupplierRecord, found: Dated, today: dt.date) -> str:
    """What one dated assurance falling due means, in a sentence."""
    name, due = supplier.name, long_date(found.due)
    past = found.due < today
    if found.item == "dspt":
        start = dspt_start(supplier.dspt_year or "")
        held = (
            ""
            if start is None
            else f" (the status recorded, '{supplier.dspt_status.label}', is for {supplier.dspt_year})"
        )
        verb = "was" if past else "is"
        return f"{name}'s {found.what} {verb} due to be published by {due}{held}."
    if found.item == "cyber_essentials":
        return f"{name}'s {found.what} {'expired' if past else 'expires'} on {due}."
    if found.item == "pen_test":
        assert supplier.pen_test_date is not None
        last = long_date(supplier.pen_test_date)
        verb = "was" if past else "is"
        return f"{name}'s next penetration test {verb} due by {due}; the last was on {last}."
    given = {
        "dtac": supplier.dtac_date,
        "clinical_safety_case": supplier.clinical_safety_case_date,
        "clinical_risk_assessment": supplier.clinical_risk_assessment_date,
        "dpia": supplier.dpia_date,
    }[found.item]
    assert given is not None
    verb = "was" if past else "is"
    return (
        f"The {ITEM_LABEL[found.item]} for {name}, dated {long_date(given)}, {verb} due for "
        f"review on {due}."
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
        item: str | None = None,
        detail: str | None = None,
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
                item,
                detail,
            )
        )

    for supplier in suppliers:
        names[supplier.id] = supplier.name
        review = _review_deadline(supplier, today)
        if review is not None:
            add(supplier.id, supplier.name, None, "review_due", review[0], review[1])
        for assurance in dated(supplier):
            add(
                supplier.id,
                supplier.name,
                None,
                "assurance_expiry",
                assurance.due,
                _assurance_meaning(supplier, assurance, today),
                assurance.item,
                assurance.what,
            )
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
