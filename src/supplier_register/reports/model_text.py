"""How the exports and the CLI word score model 2 (impact x exposure, with confidence).

Plain text only: the caller escapes it for its format.  One wording everywhere, so the
CLI, the spreadsheets and the board papers say the same thing of the same supplier.
"""

from __future__ import annotations

import math
from typing import Protocol

from supplier_register.scoring.results import Band

MODEL_EXPLAINED = (
    "A supplier's risk is its impact (how much harm the trust would suffer if the relationship "
    "went wrong: its criticality, raised a little by the services that depend on it) times our "
    "exposure (how open our known weaknesses in buying, lock-in, exit and the relationship leave "
    "us), on the trust's familiar 5 x 5 risk-matrix scale shown out of 100. What we do not know "
    "is not counted as a weakness: it lowers the confidence and widens the range, and a supplier "
    'about whom most of what matters is unknown is marked "unassessed" and its gaps become '
    "actions for the team."
)
"""The two sentences that explain the score to a board (docs/scoring.md says more)."""


class ModelFigures(Protocol):
    """What a score, an overview or a summary row says of model 2."""

    @property
    def score(self) -> int: ...
    @property
    def band(self) -> Band: ...
    @property
    def impact(self) -> float: ...
    @property
    def exposure(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    @property
    def risk_low(self) -> int: ...
    @property
    def risk_high(self) -> int: ...


def impact_text(impact: float) -> str:
    """'4.5 of 5'."""
    return f"{impact:.1f} of 5"


def percent(share: float) -> str:
    """'93%' for 0.93, rounded half up as the engine and the TUI round ('13%' for 0.125)."""
    return f"{math.floor(share * 100 + 0.5)}%"


def range_text(s: ModelFigures) -> str:
    """'80-84': the risk if every unknown is good, then if every unknown is bad; just '84' when
    the unknowns do not change it (a reader is never shown '84-84')."""
    if s.risk_low == s.risk_high:
        return str(s.risk_low)
    return f"{s.risk_low}-{s.risk_high}"


def confidence_text(s: ModelFigures) -> str:
    """'75% (range 80-84)', '90% (the unknowns do not change it)', or '100% (nothing unknown)'."""
    if s.confidence >= 1:
        return f"{percent(s.confidence)} (nothing unknown)"
    if s.risk_low == s.risk_high:
        return f"{percent(s.confidence)} (the unknowns do not change it)"
    return f"{percent(s.confidence)} (range {range_text(s)})"


def band_word(band: Band) -> str:
    """'Severe', 'Unassessed'."""
    return band.value.capitalize()


def risk_line(s: ModelFigures) -> str:
    """'Risk 84/100, severe; impact 4.5 of 5 x exposure 93%; confidence 75% (range 80-84)'."""
    return (
        f"Risk {s.score}/100, {s.band.value}; impact {impact_text(s.impact)} x exposure "
        f"{percent(s.exposure)}; confidence {confidence_text(s)}"
    )


def impact_reasons_text(impact: float, reasons: list[str]) -> str:
    """What sets the impact, as one sentence: 'Impact 4.2 of 5: Strategic criticality: impact
    4 of 5; +0.2: it supports clinical services.' (just 'Impact 1.0 of 5.' without reasons)."""
    if not reasons:
        return f"Impact {impact_text(impact)}."
    return f"Impact {impact_text(impact)}: " + "; ".join(r.rstrip(".") for r in reasons) + "."
