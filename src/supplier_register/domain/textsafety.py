"""Stored text shown without its control characters: what every CLI output and text export uses.

Names and titles refuse control characters when they are typed or imported,
but text can still reach the register another way: a crafted backup restored,
an edit made with the ``sqlite3`` shell, an audit actor from the environment.
An escape character (ESC, or the one-character CSI U+009B) printed raw lets
that text retitle the terminal (``ESC]2;...BEL``), hide the rows after it
(``ESC[8m``) or move the cursor.  :func:`show_controls` replaces every such
character with its Python escape (``\\x1b``, ``\\x9b``, ``\\r``), so the text
is shown and any tampering is seen rather than silently dropped.

:func:`json_controls` does the same for JSON text, losslessly: ``json.dumps``
and pydantic escape C0 characters but leave DEL and the C1 range (CSI among
them) raw, and ``\\u009b`` is the same string to any JSON reader.
"""

from __future__ import annotations

import re

_C0_C1 = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
"""C0 controls except tab and line feed, DEL, the C1 controls (CSI U+009B, NEL ...), surrogates."""

_ONE_LINE = re.compile(f"[\t\n{_C0_C1}]")
_MULTI_LINE = re.compile(f"[{_C0_C1}]")
_IN_JSON = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""What JSON (or any text file) must not carry raw; CRLF line ends (CSV) are kept."""
_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LONE_CR = re.compile("\r(?!\n)")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def show_controls(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character shown as its escape, e.g. ESC as ``\\x1b``.

    C0 (line feed and tab too, unless ``multiline``: notes, evidence and the
    audit trail's changes legitimately hold them), DEL and C1 (CSI U+009B
    included); nothing else changes, so brackets, emoji, accents and
    right-to-left text are shown exactly.
    """
    if text.isprintable():  # nearly all text: no regular expression needed
        return text
    return (_MULTI_LINE if multiline else _ONE_LINE).sub(_escape, text)


def json_controls(text: str) -> str:
    """JSON (or other output) text with DEL, C1 and stray C0 characters as ``\\u00XX`` escapes.

    In JSON these characters can only stand inside strings, where the escape
    means the same character, so the document reads back identically.  A CR
    before LF (a CSV line end) is kept.
    """
    # Two quick scans (one character class, one literal) instead of the alternation: an
    # export of tens of megabytes is checked in about a quarter of the time.
    if _RAW.search(text) is None and ("\r" not in text or _LONE_CR.search(text) is None):
        return text
    return _IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
