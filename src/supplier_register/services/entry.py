"""Amounts and dates as a person types them, read exactly as the spreadsheet importer reads them.

A form field or a command-line option accepts what a spreadsheet cell does: ``£250k``, ``1.2m``,
``£1,250.50``, ``250000``; ``31/03/2025``, ``31 March 2025``, ``31-Mar-25``, ``2025-03-31``.
The parsers are the importer's own (``importers.values``), reached through the application
layer so the TUI and the CLI never parse differently from an import.  Each raises
``ValueError`` with a short reason naming the text, for the caller to put after the field's
label.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from supplier_register.domain.bounds import date_problem
from supplier_register.importers.values import parse_money, read_day


def read_money(text: str) -> Decimal:
    """An amount in pounds from text such as ``£250k``, ``1.2m`` or ``£1,250.50``."""
    return parse_money(text.strip())


def read_date(text: str) -> dt.date:
    """A date from UK text (day first) or ISO, such as ``31/03/2025`` or ``2025-03-31``.

    A date outside the register's window says so as a field's rule ("must be between 1 Jan
    1900 and 31 Dec 2200"), as the domain model words it.
    """
    day = read_day(text.strip())
    problem = date_problem(day)
    if problem:
        raise ValueError(problem)
    return day
