"""The limits every date, amount and count in the register stays within, defined once.

A date outside :data:`DATE_MIN` to :data:`DATE_MAX` (1 Jan 1900 to 31 Dec
2200) is a typo (``0001-01-05``, ``9999-12-31``), not a contract term; one
of them crashed scoring, which adds years and days to dates, when Python's
calendar ran out at year 9999.  Amounts are stored as whole pence in SQLite's
signed 64-bit INTEGER; at most :data:`MONEY_MAX` (one trillion pounds, 10**14
pence) per amount, 50,000 suppliers' amounts add up to at most 5 * 10**18
pence, still below SQLite's 9.2 * 10**18.  Ids and counts given on the command
line stay within :data:`SQLITE_INT_MAX`.

The models refuse values outside these limits on the way in (every importer,
form and command validates through them).  Data written by an older release or
another tool is read without validation, so the date arithmetic of scoring and
reviews goes through :func:`add_days` and :func:`add_months`, which stop at the
ends of the calendar instead of raising.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from functools import lru_cache

DATE_MIN = dt.date(1900, 1, 1)
"""The earliest date the register accepts."""
DATE_MAX = dt.date(2200, 12, 31)
"""The latest date the register accepts."""

MONEY_MAX = Decimal(1_000_000_000_000)
"""The largest amount of money in pounds (one trillion pounds, 10**14 pence)."""

SQLITE_INT_MAX = 2**63 - 1
"""The largest integer SQLite stores (a signed 64-bit INTEGER)."""


class _Stored:
    """The type of :data:`STORED`."""

    def __repr__(self) -> str:
        return "STORED"


STORED = _Stored()
"""Validation context for records as stored, e.g. a review's snapshots: ``model_validate(...,
context=STORED)`` reads a value outside these limits (written by an older release or another
tool) as it is, rather than refusing a record that is already in the register."""


def day_text(day: dt.date) -> str:
    """A date as messages write it: '1 Jan 2027'."""
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"


_short = day_text


DATE_WINDOW = f"between {_short(DATE_MIN)} and {_short(DATE_MAX)}"
"""'between 1 Jan 1900 and 31 Dec 2200', for messages."""

MONEY_LIMIT = f"£{MONEY_MAX:,.0f}"
"""'£1,000,000,000,000', for messages."""


def date_problem(day: dt.date) -> str | None:
    """Why ``day`` is not a register date, or ``None`` when it is one."""
    if DATE_MIN <= day <= DATE_MAX:
        return None
    return f"must be {DATE_WINDOW}"


def check_date(day: dt.date) -> dt.date:
    """``day``, or ``ValueError`` when it is outside the register's window (a field validator)."""
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day


def money_problem(amount: Decimal) -> str | None:
    """Why ``amount`` (pounds) is too large for the register, or ``None`` when it is not."""
    if amount > MONEY_MAX:
        return f"must be at most {MONEY_LIMIT}"
    return None


def check_money(amount: Decimal) -> Decimal:
    """``amount``, or ``ValueError`` when it is above :data:`MONEY_MAX` (a field validator)."""
    problem = money_problem(amount)
    if problem:
        raise ValueError(problem)
    return amount


_ORDINAL_MIN = dt.date.min.toordinal()
_ORDINAL_MAX = dt.date.max.toordinal()


def add_days(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days`` (minus when negative), stopping at the first or last representable day.

    Never raises, whatever a stored record holds: past year 9999 is "never",
    before year 1 "long ago".
    """
    ordinal = day.toordinal() + days
    return dt.date.fromordinal(min(max(ordinal, _ORDINAL_MIN), _ORDINAL_MAX))


@lru_cache(maxsize=8192)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier when negative), clamped to the end of a shorter
    month (31 Jan + 1 month = 28 Feb), stopping at the first or last representable day.

    Never raises: see :func:`add_days`.  Cached, since scoring asks for the
    same few (date, months) pairs thousands of times.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year < dt.MINYEAR:
        return dt.date.min
    if year > dt.MAXYEAR:
        return dt.date.max
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
