"""Reviews keep the score model that scored them: old snapshots stay as taken and are never
compared with scores of another model as if the supplier had got better or worse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlite_utils import Database

from supplier_register.domain.enums import Criticality
from supplier_register.reports.review_pack import facts, render_review_markdown, sections
from supplier_register.review.analysis import mover
from supplier_register.review.models import SupplierSnapshot
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import (
    OLD_SCORING_MODEL,
    SCORING_MODEL,
    SCORING_MODEL_LABELS,
    Band,
)
from supplier_register.services import reviews as review_service
from supplier_register.storage import open_database
from supplier_register.storage.migrations import migrations
from supplier_register.storage.reviews import ReviewStore, encode_snapshot
from tests.support.reportdata import finding, supplier_score
from tests.support.review_scenario import Q2_START, Q3_START, A, B, register, scores

NEW_FIELDS = ("impact", "exposure", "confidence", "risk_low", "risk_high", "impact_reasons")


def _as_model_one_stored(snapshot: SupplierSnapshot) -> str:
    """The snapshot's JSON as the first release wrote it: no model, no model-2 figures."""
    data: dict[str, Any] = json.loads(snapshot.model_dump_json())
    data.pop("scoring_model")
    for name in NEW_FIELDS:
        data["score"].pop(name)
    return json.dumps(data)


@pytest.fixture
def old_review(tmp_path: Any) -> Database:
    """A register whose 2026-Q2 review was taken before the score model was recorded
    (schema before m013), then brought up to date as an upgrade would."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m013_review_scoring_model")
    reg, scored = register(2), scores(2, Q2_START)
    by_name = {s.name: s for s in reg.suppliers}
    db.execute(
        "INSERT INTO reviews (id, quarter, started_on) VALUES (1, '2026-Q2', ?)",
        [Q2_START.isoformat()],
    )
    for position, score in enumerate(scored.suppliers):
        snap = SupplierSnapshot(
            supplier=by_name[score.supplier],
            contracts=[c for c in reg.contracts if c.supplier == score.supplier],
            score=score,
        )
        db.execute(
            "INSERT INTO review_snapshots "
            "(review_id, position, supplier, criticality, score, band, data) "
            "VALUES (1, ?, ?, ?, ?, ?, ?)",
            [
                position,
                score.supplier,
                score.criticality.value,
                score.score,
                score.band.value,
                encode_snapshot(_as_model_one_stored(snap)),
            ],
        )
    db.execute("UPDATE reviews SET closed_on = ? WHERE id = 1", [Q2_START.isoformat()])
    db.conn.commit()
    db.close()
    return open_database(path)


def test_a_review_taken_before_the_model_was_recorded_was_scored_with_model_one(
    old_review: Database,
) -> None:
    store = ReviewStore(old_review)
    review = store.get_review(Quarter(2026, 2))
    assert review.scoring_model == OLD_SCORING_MODEL
    snaps = store.snapshots(review)
    assert {s.scoring_model for s in snaps} == {OLD_SCORING_MODEL}
    # Kept exactly as taken: the first model's score and band, nothing invented.
    taken = {s.supplier: (s.score, s.band) for s in scores(2, Q2_START).suppliers}
    assert {s.score.supplier: (s.score.score, s.score.band) for s in snaps} == taken
    assert all(s.assessed == (None, None, None) for s in snaps)
    report = review_service.review_report(old_review, "2026-Q2", Q2_START)
    assert report.scoring_model == OLD_SCORING_MODEL
    assert all(s.impact is None and s.confidence is None for s in report.scores)
    assert f"Scored with {SCORING_MODEL_LABELS[OLD_SCORING_MODEL]}." in facts(report)
    # review show --format json writes no model-2 figures for an old snapshot.
    doc = json.loads("".join(review_service.review_json(old_review, report)))
    assert doc["scoring_model"] == OLD_SCORING_MODEL
    assert all(not set(NEW_FIELDS) & set(score) for score in doc["scores"])


def test_the_model_of_a_review_is_frozen(old_review: Database) -> None:
    with pytest.raises(Exception, match="immutable"):
        old_review.execute("UPDATE reviews SET scoring_model = ? WHERE id = 1", [SCORING_MODEL])


def test_a_new_review_records_the_current_model_and_is_not_compared_with_an_old_one(
    old_review: Database,
) -> None:
    store = ReviewStore(old_review)
    review = store.start(Quarter(2026, 3), Q3_START, register(3), scores(3, Q3_START))
    assert review.scoring_model == SCORING_MODEL
    snaps = store.snapshots(review)
    assert {s.scoring_model for s in snaps} == {SCORING_MODEL}
    assert all(s.assessed[0] is not None for s in snaps)

    report = review_service.review_report(old_review, "2026-Q3", Q3_START)
    assert report.previous_quarter == "2026-Q2" and not report.compared
    # A's score rose 60 -> 70 and its findings changed, but across models: not a mover.
    # Only the supplier new since Q2 is listed.
    assert [(m.supplier, m.is_new) for m in report.movers] == [("Echo Apps", True)]
    assert report.left == ["Delta Devices"]
    # Trends never run across the change of model.
    assert [p.label for p in report.trends[A]] == ["2026-Q3"]
    assert any(
        "not compared with 2026-Q2 (scored with a different model)" in f for f in facts(report)
    )
    movers = next(s for s in sections(report) if s.key == "movers")
    assert "scored with a different model" in movers.intro
    assert SCORING_MODEL_LABELS[OLD_SCORING_MODEL] in movers.intro
    pack = render_review_markdown(report)
    assert f"Scored with {SCORING_MODEL_LABELS[SCORING_MODEL]}." in pack

    # The old review still shows its own scores, unchanged.
    old = review_service.review_report(old_review, "2026-Q2", Q3_START)
    assert [s.score for s in old.scores] == [s.score for s in scores(2, Q2_START).suppliers]
    assert old.scoring_model == OLD_SCORING_MODEL


def test_reviews_of_the_same_model_are_compared(fresh_db: Database) -> None:
    store = ReviewStore(fresh_db)
    store.start(Quarter(2026, 2), Q2_START, register(2), scores(2, Q2_START))
    store.close(Quarter(2026, 2), Q2_START, lambda review: [])
    store.start(Quarter(2026, 3), Q3_START, register(3), scores(3, Q3_START))
    report = review_service.review_report(fresh_db, "2026-Q3", Q3_START)
    assert report.compared
    assert A in {m.supplier for m in report.movers}
    assert [p.label for p in report.trends[A]] == ["2026-Q2", "2026-Q3"]


def _snap(band: Band, score: int) -> SupplierSnapshot:
    reg = register(2)
    supplier = next(s for s in reg.suppliers if s.name == B)
    found = [finding(B, "Not yet assessed", 0, code="model.unassessed", data_gap=True)]
    return SupplierSnapshot(
        supplier=supplier,
        contracts=[],
        score=supplier_score(
            B, Criticality.HIGH, score, band, found if band is Band.UNASSESSED else []
        ),
        scoring_model=SCORING_MODEL,
    )


@pytest.mark.parametrize(
    ("before", "after", "word"),
    [
        ((Band.UNASSESSED, 10), (Band.HIGH, 40), "now assessed"),
        ((Band.HIGH, 40), (Band.UNASSESSED, 10), "not assessed"),
    ],
)
def test_unassessed_is_neither_better_nor_worse(
    before: tuple[Band, int], after: tuple[Band, int], word: str
) -> None:
    old = _snap(*before).score
    moved = mover(_snap(*after), old)
    assert moved is not None
    assert not moved.comparable and moved.change == 0
    banded = mover(_snap(Band.HIGH, 40), _snap(Band.MEDIUM, 20).score)
    assert banded is not None and banded.comparable and banded.change == 20
    # Ordered after real changes, and worded as neither a rise nor a fall.
    from supplier_register.reports.review_pack import _change

    assert _change(moved) == word
    assert _change(banded) == "▲ 20"
