"""The ICS view over partner trusts' shared files (``ics`` on the CLI, the ICS screen).

:func:`ics_view` is the one entry point: it reads the shared files (each checked, see
:mod:`supplier_register.interchange.share_read`) and lines them up
(:func:`supplier_register.ics.analysis.line_up`).  No register is opened, read or
written: the files stay the partner trusts' own, never merged into anybody's register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from supplier_register.domain.errors import BadFile
from supplier_register.domain.textsafety import show_controls
from supplier_register.ics.analysis import (
    WINDOW_MONTHS,
    ContractLine,
    IcsView,
    JointWindow,
    MatchedSupplier,
    SharedFileSummary,
    TrustUse,
    line_up,
)
from supplier_register.ics.text import (
    WINDOW_RULE,
    criticality_text,
    decide_by_text,
    end_text,
    score_text,
    summary_text,
    window_text,
)
from supplier_register.interchange.share_read import read_shared_file
from supplier_register.reports.ics import ics_document, ics_json, ics_markdown
from supplier_register.reports.ics_html import render_ics_html
from supplier_register.reports.ics_sqlite import ics_sqlite

__all__ = [
    "ICS_BINARY_FORMATS",
    "ICS_FORMATS",
    "MAX_SHARED_FILES",
    "WINDOW_MONTHS",
    "WINDOW_RULE",
    "ContractLine",
    "IcsView",
    "JointWindow",
    "MatchedSupplier",
    "SharedFileSummary",
    "TrustUse",
    "criticality_text",
    "decide_by_text",
    "end_text",
    "ics_document",
    "ics_json",
    "ics_markdown",
    "ics_view",
    "score_text",
    "shared_file_paths",
    "summary_text",
    "window_text",
]

MAX_SHARED_FILES = 2_000
"""More shared files than this at once is a mistake (a national pool is a few hundred)."""


def shared_file_paths(paths: Sequence[Path]) -> list[Path]:
    """The files to read: each file given, and every ``*.json`` directly in each folder given
    (in name order).  A path given twice is read once; nothing at all is refused in one line."""
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.glob("*.json") if p.is_file())
            if not inside:
                raise BadFile(f"{show_controls(str(path))}: no .json file in this folder")
        else:
            inside = [path]
        for file in inside:
            try:
                key = file.resolve()
            except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
                raise BadFile(
                    f"{show_controls(str(file))}: cannot be read (a symbolic link that loops?)"
                ) from None
            if key not in seen:
                seen.add(key)
                found.append(file)
    if not found:
        raise BadFile("no shared file given")
    if len(found) > MAX_SHARED_FILES:
        raise BadFile(
            f"{len(found):,} shared files: more than the {MAX_SHARED_FILES:,} the ICS view reads"
        )
    return found


def ics_view(paths: Sequence[Path], today: dt.date) -> IcsView:
    """The ICS view of the shared files at ``paths`` (files, or folders of ``*.json``) on
    ``today``; :class:`BadFile` in one line naming the first file that cannot be read.

    Allocates an object or two per supplier and contract of every file: run it with the
    cyclic collector paused (``runtime.gcpause.gc_paused``, as every CLI command is), or a
    national pool takes about twice as long."""
    files = [read_shared_file(path) for path in shared_file_paths(paths)]
    return line_up(files, today)


class IcsRenderer(Protocol):
    """One ``ics --format``: the view as text, by default the suppliers two or more trusts use."""

    def __call__(self, view: IcsView, *, every_supplier: bool = False) -> str | bytes: ...


ICS_FORMATS: dict[str, IcsRenderer] = {
    "json": ics_json,
    "md": ics_markdown,
    "html": render_ics_html,
    "sqlite": ics_sqlite,
}
"""The file formats of the ICS view beside the terminal table, by ``--format`` name; a new
format is one line here."""

ICS_BINARY_FORMATS = frozenset({"sqlite"})
"""The formats written only to a file (``--out``), never to the terminal."""
