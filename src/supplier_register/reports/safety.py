"""Formula-injection guard shared by every tabular export (CSV and XLSX).

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, in some programs, a leading tab, carriage return or line feed) as a
formula, so a supplier called ``=HYPERLINK("http://x")`` could run or leak
something when a board member opens the export.  :func:`guard_cell` prefixes
such text with a single quote, the spreadsheet convention for "this is text".

The guard is reversible: a leading single quote is itself guarded too, so
:func:`unguard_cell` recovers exactly the original text by dropping one leading
quote, and never damages a value that really started with a quote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from supplier_register.domain.textsafety import show_controls

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Leading characters that make spreadsheet programs read a cell as a formula."""

GUARD = "'"

Cell = str | int | float | Decimal | bool | dt.date | None
"""A value a tabular writer puts in one cell."""


def guard_cell(text: str) -> str:
    """Text that no spreadsheet reads as a formula: a quote before any risky first character.

    A value that already starts with a quote is guarded as well, so the
    transformation can be undone without ambiguity (see :func:`unguard_cell`).
    """
    if text.startswith((*FORMULA_TRIGGERS, GUARD)):
        return GUARD + text
    return text


def csv_text(text: str) -> str:
    """A CSV text cell: control characters other than line feed and tab shown as their escapes
    (ESC as ``\\x1b``: a CSV file is often read in a terminal), then :func:`guard_cell`."""
    return guard_cell(show_controls(text, multiline=True))


def unguard_cell(text: str) -> str:
    """Undo :func:`guard_cell`: drop one leading single quote, if there is one."""
    return text[1:] if text.startswith(GUARD) else text


def is_number(value: object) -> bool:
    """True for a real number (not a bool): written as a number, never text-guarded."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters (C0 other than tab, CR, LF; DEL; C1) shown as U+FFFD.

    XML-based formats (XLSX, SVG) cannot hold them at all, and in HTML they are
    parse errors; replacing them keeps the export valid and the damage visible.
    """
    return _CONTROL.sub("\ufffd", text)


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet could take this value, as text, for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def guard_row(values: Iterable[object]) -> list[object]:
    """:func:`guard_cell` applied to every text cell of a row; other values unchanged."""
    return [guard_cell(v) if isinstance(v, str) else v for v in values]
