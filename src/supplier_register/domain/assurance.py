"""Dated assurance: when each of a supplier's assurances was given, and when it lapses.

Pure date arithmetic shared by scoring (a lapsed assurance is a finding) and the deadlines
(``due``: when each one falls due again).  Nothing here reads a clock: every question takes
the day it is asked about.

The rules, each the usual practice of the NHS (see ``docs/scoring.md``):

- **DSPT.**  A Data Security and Protection Toolkit assessment year runs from April to March
  ("2024-25") and its assessment is published by 30 June after it (30 June 2025).  The next
  year's ("2025-26") is due by 30 June 2026, so a status for 2024-25 is current up to and
  including 30 June 2026 and **stale from 1 July 2026**: by then a newer status should have been
  published.  In other words, a status is stale when its year is older than the latest year
  whose publication date has passed.
- **Cyber Essentials / Plus.**  A certificate lasts 12 months; the register records its expiry
  date, and the certificate has **expired the day after** it.
- **DTAC, the supplier's DCB0129 clinical safety case, the trust's DCB0160 clinical risk
  assessment, the DPIA and the penetration test** are each reviewed (or done again) every
  :data:`REFRESH_MONTHS` months: the one dated 15 March 2025 falls due on 15 March 2026 and is
  **out of date from 16 March 2026**.

Only an assurance the supplier is recorded as holding (DSPT standards met or exceeded,
Cyber Essentials or Plus, DTAC / safety case / clinical risk assessment / DPIA done, a dated
penetration test) can lapse: one not held is already a finding of its own, and one whose date
is not recorded lapses on no day (unknown stays unknown: scoring reports the gap).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

from supplier_register.domain.bounds import add_months
from supplier_register.domain.enums import CyberEssentials, DsptStatus

if TYPE_CHECKING:
    from supplier_register.domain.models import Supplier

REFRESH_MONTHS = 12
"""Months after its date that a DTAC, safety case, clinical risk assessment, DPIA or
penetration test is due again (the usual annual review)."""

DSPT_PUBLISHED_BY = (6, 30)
"""(month, day) after the end of a DSPT year (31 March) by which its assessment is published."""

_DSPT_YEAR = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")

AssuranceItem = Literal[
    "dspt",
    "cyber_essentials",
    "dtac",
    "clinical_safety_case",
    "clinical_risk_assessment",
    "dpia",
    "pen_test",
]

ITEM_LABEL: dict[AssuranceItem, str] = {
    "dspt": "DSPT",
    "cyber_essentials": "Cyber Essentials",
    "dtac": "DTAC assessment",
    "clinical_safety_case": "DCB0129 clinical safety case",
    "clinical_risk_assessment": "DCB0160 clinical risk assessment",
    "dpia": "DPIA",
    "pen_test": "penetration test",
}
"""Each assurance in words."""

DSPT_HELD = frozenset({DsptStatus.STANDARDS_MET, DsptStatus.STANDARDS_EXCEEDED})
CERTIFIED = frozenset({CyberEssentials.PLUS, CyberEssentials.BASIC})


def parse_dspt_year(text: str) -> str:
    """A DSPT assessment year in its usual form, "2024-25", from "2024-25", "2024/25" or
    "2024-2025".  Raises ``ValueError`` (with a plain reason) for anything else."""
    found = _DSPT_YEAR.match(text.strip())
    if found is None:
        raise ValueError('must be an assessment year such as "2024-25"')
    start = int(found.group(1))
    end = int(found.group(2))
    if (len(found.group(2)) == 2 and end != (start + 1) % 100) or (
        len(found.group(2)) == 4 and end != start + 1
    ):
        raise ValueError(
            f'must be two consecutive years, such as "{start}-{(start + 1) % 100:02d}"'
        )
    if not 2000 <= start <= 2199:
        raise ValueError("must be a year from 2000-01 to 2199-00")
    return f"{start}-{(start + 1) % 100:02d}"


def dspt_start(year: str) -> int | None:
    """The first calendar year of a DSPT year ("2024-25" -> 2024); None when it is not one
    (a record stored by another tool)."""
    found = _DSPT_YEAR.match(year.strip())
    if found is None:
        return None
    start = int(found.group(1))
    return start if 1 <= start <= 9990 else None


def dspt_label(start: int) -> str:
    """The DSPT year starting in ``start``: "2025-26"."""
    return f"{start}-{(start + 1) % 100:02d}"


def dspt_published_by(start: int) -> dt.date:
    """When the DSPT year starting in ``start`` is due to be published: 30 June after it ends."""
    month, day = DSPT_PUBLISHED_BY
    return dt.date(start + 1, month, day)


def latest_dspt_due(today: dt.date) -> str:
    """The latest DSPT year whose publication date is on or before ``today`` ("2025-26" from 30
    June 2026 to 29 June 2027)."""
    start = today.year - 1
    if today < dspt_published_by(start):
        start -= 1
    return dspt_label(start)


class Dated(NamedTuple):
    """One dated assurance a supplier holds: which, the day it falls due (its last good day)
    and what falls due then, in words ('Cyber Essentials Plus certificate', 'DSPT 2025-26
    submission')."""

    item: AssuranceItem
    due: dt.date
    what: str


def _refreshed(done: bool | None, day: dt.date | None) -> dt.date | None:
    return add_months(day, REFRESH_MONTHS) if done is True and day is not None else None


def dspt_due(supplier: Supplier) -> dt.date | None:
    """When the next DSPT status is due to be published (the recorded one is current up to
    and including it): None unless standards are recorded as met or exceeded, for a year."""
    if supplier.dspt_status not in DSPT_HELD or supplier.dspt_year is None:
        return None
    start = dspt_start(supplier.dspt_year)
    return None if start is None else dspt_published_by(start + 1)


def cyber_essentials_due(supplier: Supplier) -> dt.date | None:
    """When the Cyber Essentials (Plus) certificate expires: None without one, or undated."""
    if supplier.cyber_essentials not in CERTIFIED:
        return None
    return supplier.cyber_essentials_expiry


def dtac_due(supplier: Supplier) -> dt.date | None:
    """When the DTAC assessment is due for review."""
    return _refreshed(supplier.dtac_complete, supplier.dtac_date)


def clinical_safety_case_due(supplier: Supplier) -> dt.date | None:
    """When the supplier's DCB0129 clinical safety case is due for review."""
    return _refreshed(supplier.clinical_safety_case, supplier.clinical_safety_case_date)


def clinical_risk_assessment_due(supplier: Supplier) -> dt.date | None:
    """When the trust's DCB0160 clinical risk assessment is due for review."""
    return _refreshed(supplier.clinical_risk_assessment, supplier.clinical_risk_assessment_date)


def dpia_due(supplier: Supplier) -> dt.date | None:
    """When the DPIA is due for review."""
    return _refreshed(supplier.dpia_done, supplier.dpia_date)


def pen_test_due(supplier: Supplier) -> dt.date | None:
    """When the next penetration test is due (a year after the last)."""
    day = supplier.pen_test_date
    return None if day is None else add_months(day, REFRESH_MONTHS)


def dated(supplier: Supplier) -> list[Dated]:
    """The supplier's dated assurances that it holds, each with the day it falls due: none for
    an assurance not held or whose date is not recorded."""
    out: list[Dated] = []
    due = dspt_due(supplier)
    if due is not None:
        start = dspt_start(supplier.dspt_year or "")
        assert start is not None
        out.append(Dated("dspt", due, f"DSPT {dspt_label(start + 1)} submission"))
    due = cyber_essentials_due(supplier)
    if due is not None:
        out.append(
            Dated(
                "cyber_essentials",
                due,
                f"{cyber_essentials_name(supplier.cyber_essentials)} certificate",
            )
        )
    for item, due_of in _REVIEWED:
        due = due_of(supplier)
        if due is not None:
            out.append(Dated(item, due, f"{ITEM_LABEL[item]} review"))
    due = pen_test_due(supplier)
    if due is not None:
        out.append(Dated("pen_test", due, "penetration test"))
    return out


_REVIEWED: tuple[tuple[AssuranceItem, Callable[[Supplier], dt.date | None]], ...] = (
    ("dtac", dtac_due),
    ("clinical_safety_case", clinical_safety_case_due),
    ("clinical_risk_assessment", clinical_risk_assessment_due),
    ("dpia", dpia_due),
)


def cyber_essentials_name(certificate: CyberEssentials) -> str:
    """'Cyber Essentials Plus' or 'Cyber Essentials'."""
    return "Cyber Essentials Plus" if certificate is CyberEssentials.PLUS else "Cyber Essentials"
