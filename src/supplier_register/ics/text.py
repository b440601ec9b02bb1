"""The ICS view's facts in words, shared by the terminal table, the Markdown and HTML papers and
the TUI screen, so they never differ.  Unknown facts are said to be unknown, never "no" or zero.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from supplier_register.domain.enums import Criticality
from supplier_register.ics.analysis import (
    WINDOW_MONTHS,
    ContractLine,
    IcsView,
    JointWindow,
    TrustUse,
)
from supplier_register.scoring.text import plural

NOT_SHARED = "not shared"

WINDOW_RULE = (
    f"A joint-procurement window is two or more different trusts whose decide-by dates for "
    f"the same supplier fall within {WINDOW_MONTHS} calendar months of each other (inclusive), "
    f"from the earliest to the latest of those dates.  Decide-by dates already passed and "
    f"dates not shared are not counted."
)
"""The rule, in one paragraph, for the papers and the help."""

_CRITICALITY = {c.value: c.label for c in Criticality}


def file_name(label: str) -> str:
    """A shared file's name without its folders, for the papers: the folders say nothing to
    the meeting and can hold the reader's login name ('/home/jsmith/Downloads/...')."""
    return PurePath(label).name or label


def day_text(day: dt.date | None, missing: str = NOT_SHARED) -> str:
    return missing if day is None else day.isoformat()


def criticality_text(use: TrustUse) -> str:
    value = use.criticality
    if value is None:
        return f"criticality {NOT_SHARED}"
    return _CRITICALITY.get(value, value)


def score_text(use: TrustUse) -> str:
    """'72 (severe)', '72', 'unassessed' or 'score not shared'."""
    if use.score is None:
        return "unassessed" if use.band == "unassessed" else f"score {NOT_SHARED}"
    return f"{use.score}" if use.band is None else f"{use.score} ({use.band})"


def window_text(window: JointWindow) -> str:
    """'2027-03-01 to 2027-06-01 (Trust A, Trust B)', or one date when they coincide."""
    span = (
        window.start.isoformat()
        if window.start == window.end
        else f"{window.start.isoformat()} to {window.end.isoformat()}"
    )
    return f"{span} ({', '.join(window.trusts)})"


def decide_by_text(line: ContractLine) -> str:
    """The contract's decide-by date, 'passed' after it when before today, or its gap.

    A decide-by date the file gives is shown even when the end date is not (it counts in
    the windows, so it is never hidden behind the other gap)."""
    if line.decide_by is None:
        return line.gap or NOT_SHARED
    return f"{line.decide_by.isoformat()} (passed)" if line.passed else line.decide_by.isoformat()


def end_text(line: ContractLine) -> str:
    return day_text(line.end_date, "not recorded")


def summary_text(view: IcsView) -> str:
    """'3 trusts · 812 suppliers · 41 used by two or more trusts · 9 with a joint window'."""
    return (
        f"{plural(len(view.files), 'trust')} · {len(view.suppliers):,} "
        f"{'supplier' if len(view.suppliers) == 1 else 'suppliers'} · "
        f"{len(view.shared):,} used by two or more trusts · "
        f"{len(view.with_windows):,} with a joint window"
    )
