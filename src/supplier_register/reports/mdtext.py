"""Markdown that shows user text literally: escaping and GitHub-flavoured tables.

Every user-typed value goes through :func:`md_escape`, which backslash-escapes
each character CommonMark or GitHub could read as markup (emphasis, code, links,
HTML, table pipes, maths) and neutralises a leading list marker, so
``Acme [UK] *Ltd* | <b>`` renders exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from supplier_register.domain.textsafety import show_controls

_INLINE = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
_LEADING_BLOCK = re.compile(r"^([-+])|^(\d+)([.)])")
_SPACES = re.compile(r"\s+")


def md_escape(text: str) -> str:
    """``text`` as literal Markdown inline content, on one line.

    Line breaks (CR too) and tabs become single spaces (a table cell or list item is
    one line); any other control character is shown as its escape (ESC as
    ``\\x1b``, see :func:`~supplier_register.domain.textsafety.show_controls`), so
    the file never carries one to a terminal; markup characters are
    backslash-escaped.
    """
    flat = _SPACES.sub(" ", show_controls(text.replace("\r", "\n"), multiline=True)).strip()
    escaped = _INLINE.sub(r"\\\1", flat)
    return _LEADING_BLOCK.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), escaped
    )


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> list[str]:
    """Lines of a GitHub-flavoured Markdown table; cells must already be escaped.

    ``align`` holds one letter per column: ``l`` (default) or ``r``.
    """
    rules = ["---:" if (align[i : i + 1] == "r") else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rules) + " |"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines
