"""Score model 2 as the TUI says it: risk, band, impact, exposure, confidence and range in words."""

from __future__ import annotations

from pathlib import Path

from supplier_register.domain import Criticality, SupplierRecord
from supplier_register.scoring.results import (
    Band,
    Dimension,
    DimensionScore,
    SupplierScore,
)
from supplier_register.services.register_view import Scoring, Snapshot, read_records
from supplier_register.tui.screens.help import help_content
from supplier_register.tui.screens.supplier import risk_sentence, score_blocks, supplier_title
from supplier_register.tui.text import BAND_STYLE, band_content, fmt_impact, fmt_percent
from tests.tui.tui_support import TODAY, known_register, write_register_db


def a_score(**changes: object) -> SupplierScore:
    """A strategic supplier's score with the figures of the worked example, changed as asked."""
    values: dict[str, object] = {
        "supplier": "[bold]Acme[/bold] Ltd",
        "criticality": Criticality.STRATEGIC,
        "score": 84,
        "band": Band.SEVERE,
        "priority": 83.7,
        "impact": 4.5,
        "exposure": 0.93,
        "confidence": 0.9,
        "risk_low": 84,
        "risk_high": 84,
        "impact_reasons": [
            "Strategic criticality: impact 4 of 5",
            "+0.2: it supports clinical services",
            "+0.1: [red]other[/red] suppliers depend on it",
        ],
        "dimensions": [
            DimensionScore(dimension=d, score=s, points=0.0, max_points=10.0)
            for d, s in zip(Dimension, (33, 0, 100, 57, 93, 8), strict=True)
        ],
        "findings": [],
        "data_gaps": [],
        "questions": [],
    }
    values.update(changes)
    return SupplierScore.model_validate(values)


def test_fmt_impact_and_percent() -> None:
    assert fmt_impact(4.3) == "4.3"
    assert fmt_impact(4.0) == "4.0"
    assert fmt_impact(3.3000000000000003) == "3.3"
    assert fmt_impact(None) == ""
    assert fmt_percent(0.9) == "90%"
    assert fmt_percent(0.125) == "13%"  # half up, as the engine rounds
    assert fmt_percent(1.0) == "100%"
    assert fmt_percent(0.0) == "0%"
    assert fmt_percent(None) == ""


def test_the_risk_in_words() -> None:
    sentence = risk_sentence(a_score())
    assert sentence.plain == (
        "Risk 84 of 100, severe: impact 4.5 of 5 × exposure 93%. Confidence 90% (the unknowns do not change it)."
    )
    known = risk_sentence(
        a_score(score=73, impact=4.2, exposure=0.87, confidence=1.0, risk_low=73, risk_high=73)
    )
    assert known.plain.endswith("Confidence 100% (nothing unknown).")
    widened = risk_sentence(
        a_score(score=41, band=Band.HIGH, impact=3.2, exposure=0.64, risk_low=30, risk_high=55)
    )
    assert widened.plain == (
        "Risk 41 of 100, high: impact 3.2 of 5 × exposure 64%. Confidence 90% (range 30–55)."
    )


def test_an_unassessed_supplier_says_how_little_is_recorded() -> None:
    score = a_score(score=60, band=Band.UNASSESSED, impact=3.3, confidence=0.23, risk_low=20)
    assert risk_sentence(score).plain == (
        "Unassessed: only 23% of what matters is recorded; impact 3.3 of 5."
    )
    text = "\n".join(block.content.plain for block in score_blocks(score))
    assert "Risk 60" not in text  # no band, so no risk figure presented as if it were one
    assert "anywhere from 20 to 84 of 100" in text
    # Its title shows the band alone, in the muted italic of 'unassessed'.
    supplier = SupplierRecord(**known_register().suppliers[0].model_dump(), id=1)
    title = supplier_title(supplier, score.band, score.score)
    assert "Unassessed" in title.plain and "60" not in title.plain
    content = band_content(Band.UNASSESSED, 60)
    assert content.plain == "Unassessed"
    assert [span.style for span in content.spans] == [BAND_STYLE[Band.UNASSESSED]]
    assert "italic" in BAND_STYLE[Band.UNASSESSED]
    assert band_content(Band.HIGH, 41).plain == "41 High"


def test_score_page_lists_impact_reasons_and_reads_as_exposure() -> None:
    blocks = score_blocks(a_score())
    lines = [block.content.plain for block in blocks]
    assert lines[0].startswith("Risk 84 of 100, severe")
    # The impact reasons follow the sentence, in order, as literal text (never markup).
    assert lines[1:4] == [
        "• Strategic criticality: impact 4 of 5",
        "• +0.2: it supports clinical services",
        "• +0.1: [red]other[/red] suppliers depend on it",
    ]
    text = "\n".join(lines)
    assert "anywhere from" not in text  # only an unassessed supplier's range is spelt out
    assert "Exposure by dimension" in text
    assert "impact (the harm if the relationship went wrong, out of 5) times exposure" in text
    # not the i 'Impact' view of the same name: the page says which is which
    assert "(Key i, Impact, shows something else: which services would stop" in text
    bars = [line for line in lines if "█" in line or "░" in line]
    assert [bar.split("%")[0].strip() for bar in bars] == ["33", "0", "100", "57", "93", "8"]
    assert all(line.endswith(d.label) for line, d in zip(bars, Dimension, strict=True))
    assert "0 is no risk" not in text


def test_table_rows_carry_impact_and_confidence_from_the_scores(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, known_register())
    scoring = Scoring()
    records = read_records(path)
    scores = scoring.score_all(records, TODAY)
    snapshot = Snapshot.build(records, TODAY, scores, scoring)
    by_id = {o.supplier_id: o for o in scores.overviews}
    assert snapshot.rows
    for row in snapshot.rows:
        overview = by_id[row.id]
        assert (row.impact, row.confidence) == (overview.impact, overview.confidence)
        assert row.band is overview.band
    unscored = Snapshot.build(records, TODAY, None, scoring)
    assert all(r.impact is None and r.confidence is None for r in unscored.rows)


def test_help_explains_the_columns() -> None:
    text = help_content().plain
    assert "impact times exposure" in text
    assert "Impact: the harm if the relationship went wrong, out of 5" in text
    # the column is not the w screen of the same name: the help says which is which
    assert "the score's first factor (w opens a different view: which services would stop" in text
    assert "Conf.: confidence" in text and "Unassessed" in text
