"""Calendar quarters named ``YYYY-Qn`` (Q1 is January to March), the unit of supplier reviews."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from supplier_register.domain.errors import InvalidInput

_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter; ordered by time."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str, field: str = "quarter") -> Quarter:
        """A quarter from ``2026-Q4`` (any case); a one-line :class:`InvalidInput` otherwise."""
        match = _QUARTER.match(text.strip())
        if not match:
            raise InvalidInput([f"{field}: {text!r} is not a calendar quarter like 2026-Q4"])
        year = int(match.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidInput([f"{field}: year {year} is outside {MIN_YEAR}-{MAX_YEAR}"])
        return cls(year, int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter a day falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """Its last day."""
        month = 3 * self.number
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def shift(self, quarters: int) -> Quarter:
        """The quarter ``quarters`` later (earlier when negative)."""
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"
