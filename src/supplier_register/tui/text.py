"""Turning register values into display text that is never parsed as markup.

User text (names, titles, notes, evidence) goes into ``Content`` objects as
literal text; only our own fixed styles are applied to it.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from textual.content import Content

from supplier_register.domain.errors import InvalidInput, RegisterError
from supplier_register.scoring.results import Band
from supplier_register.services.rows import display_text

BAND_STYLE = {
    Band.LOW: "$text-success",
    Band.MEDIUM: "$text-warning",
    Band.HIGH: "bold $text-warning",
    Band.SEVERE: "bold $text-error",
    Band.UNASSESSED: "italic $text-muted",
}


def lit(value: str | None, style: str = "") -> Content:
    """Literal user text (control characters removed), optionally styled."""
    return Content.styled(display_text(value or ""), style)


def problems_of(exc: RegisterError) -> list[str]:
    """The lines of a user error: each problem of invalid input, else its one message."""
    return exc.problems if isinstance(exc, InvalidInput) else [exc.message]


def nothing_imported(problems: list[str], most: int = 8) -> Content:
    """An import's problems (the first ``most``, then how many more), then that nothing was."""
    shown = problems[:most]
    if len(problems) > len(shown):
        shown.append(f"… and {len(problems) - len(shown)} more problem(s)")
    shown.append("Nothing was imported.")
    return Content("\n").join(lit(line) for line in shown)


def band_content(band: Band | None, score: int | None = None) -> Content:
    """'72 Severe' in the colour of its band; 'Unassessed' alone (its risk is too uncertain)."""
    if band is None:
        return Content.styled("not scored", "$text-muted")
    if score is None or band is Band.UNASSESSED:
        text = band.value.capitalize()
    else:
        text = f"{score} {band.value.capitalize()}"
    return Content.styled(text, BAND_STYLE[band])


def fmt_impact(impact: float | None) -> str:
    """An impact (1 to 5) with one decimal, '4.3'; blank when not scored."""
    return "" if impact is None else f"{impact:.1f}"


def fmt_percent(share: float | None) -> str:
    """A share (0 to 1) as a whole percentage rounded half up, '90%'; blank when not scored."""
    return "" if share is None else f"{math.floor(100 * share + 0.5)}%"


def fmt_date(value: dt.date | None, missing: str = "—") -> str:
    return value.isoformat() if value is not None else missing


def fmt_money(value: Decimal | None, missing: str = "—") -> str:
    """£1,250,000 or £1,250,000.50."""
    if value is None:
        return missing
    if value == value.to_integral_value():
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


def fmt_bool(value: bool | None) -> str:
    if value is None:
        return "Unknown"
    return "Yes" if value else "No"


def fmt_days(value: int | None) -> str:
    return "unknown" if value is None else f"{value} days"


def days_until(day: dt.date | None, today: dt.date) -> str:
    """'in 41 days', 'today' or '12 days ago'."""
    if day is None:
        return ""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta > 0:
        return f"in {delta} day{'s' if delta != 1 else ''}"
    return f"{-delta} day{'s' if delta != -1 else ''} ago"
