"""Stored text as a cell of a CLI table: literal (never markup) and with its control characters
shown escaped (:func:`supplier_register.domain.textsafety.show_controls`), so no escape sequence in the
register reaches the terminal through rich, which passes ESC and C1 characters straight on."""

from __future__ import annotations

from rich.text import Text

from supplier_register.domain.textsafety import show_controls


def cell(value: str, *, multiline: bool = False, style: str = "") -> Text:
    """``value`` as literal rich text, control characters escaped (``\\x1b``)."""
    return Text(show_controls(value, multiline=multiline), style=style)
