"""How the exports and the CLI word a supplier's model-2 figures (reports/model_text.py)."""

from __future__ import annotations

from dataclasses import dataclass

from supplier_register.reports.model_text import confidence_text, percent, range_text, risk_line
from supplier_register.scoring.results import Band


@dataclass(frozen=True)
class Figures:
    score: int = 84
    band: Band = Band.SEVERE
    impact: float = 4.5
    exposure: float = 0.93
    confidence: float = 0.9
    risk_low: int = 84
    risk_high: int = 84


def test_a_range_the_unknowns_do_not_move_is_not_shown_as_84_84() -> None:
    pinned = Figures()
    assert range_text(pinned) == "84"
    assert confidence_text(pinned) == "90% (the unknowns do not change it)"
    assert risk_line(pinned) == (
        "Risk 84/100, severe; impact 4.5 of 5 x exposure 93%; "
        "confidence 90% (the unknowns do not change it)"
    )
    assert "84-84" not in risk_line(pinned)


def test_a_supplier_with_nothing_unknown_says_so() -> None:
    known = Figures(score=73, confidence=1.0, risk_low=73, risk_high=73)
    assert confidence_text(known) == "100% (nothing unknown)"
    assert range_text(known) == "73"
    # 99.6% shows as 100% but something is still unknown
    nearly = Figures(score=73, confidence=0.996, risk_low=73, risk_high=73)
    assert confidence_text(nearly) == "100% (the unknowns do not change it)"


def test_a_real_range_is_shown_low_to_high() -> None:
    widened = Figures(score=41, band=Band.HIGH, confidence=0.75, risk_low=30, risk_high=55)
    assert range_text(widened) == "30-55"
    assert confidence_text(widened) == "75% (range 30-55)"


def test_percentages_round_half_up_as_the_engine_and_the_tui_do() -> None:
    assert percent(0.125) == "13%"
    assert percent(0.005) == "1%"
    assert percent(0.9294) == "93%"
    assert percent(1.0) == "100%"
    assert percent(0.0) == "0%"
