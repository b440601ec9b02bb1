"""Reviews read and written a supplier at a time say exactly what the whole-list versions say."""

from __future__ import annotations

import datetime as dt
import json

from supplier_register.reports.review_json import report_json
from supplier_register.review.analysis import build_report
from supplier_register.review.models import ReviewReport
from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as review_service
from supplier_register.storage import open_database
from supplier_register.storage.reviews import ReviewStore
from tests.support.review_scenario import Q2_CLOSE, Q2_START, Q3_START, register, scores

Q2, Q3 = Quarter(2026, 2), Quarter(2026, 3)


def _two_reviews() -> ReviewStore:
    store = ReviewStore(open_database(":memory:"))
    store.start(Q2, Q2_START, register(2), scores(2, Q2_START))
    store.add_action(
        Q2, {"what": "Test the export", "owner": "Sam", "due": dt.date(2026, 8, 31)}, Q2_START
    )
    review_service.close(store, Q2, Q2_CLOSE)
    store.start(Q3, Q3_START, register(3), scores(3, Q3_START))
    return store


def test_streamed_report_equals_the_report_of_whole_lists() -> None:
    store = _two_reviews()
    q2, q3 = store.get_review(Q2), store.get_review(Q3)
    today = Q3_START + dt.timedelta(days=20)
    for review, previous in ((q3, q2), (q2, None)):
        expected = build_report(
            review,
            store.snapshots(review),
            previous=(previous, store.snapshots(previous)) if previous else None,
            history=store.score_points(),
            actions=store.actions(),
            today=today,
            actions_at_close=store.actions_at_close(review),
        )
        assert review_service.report_of(store, review, today) == expected
    report = review_service.report_of(store, q3, today)
    assert report.movers and report.left and report.due_reviews and report.deadlines
    # Its lines are made without validation: validating the whole report again changes nothing.
    assert ReviewReport.model_validate(report.model_dump()) == report
    assert [s.supplier for s in report.scores] == [s.score.supplier for s in store.snapshots(q3)]
    assert store.snapshot_count(q3) == len(report.scores)


def test_review_json_holds_every_full_score_in_json_dumps_layout() -> None:
    store = _two_reviews()
    q3 = store.get_review(Q3)
    report = review_service.report_of(store, q3, Q3_START)
    full = [snapshot.score for snapshot in store.snapshots(q3)]
    text = "".join(report_json(report, iter(full)))
    data = json.loads(text)
    assert data["scores"] == [score.model_dump(mode="json") for score in full]
    brief = json.loads(report.model_dump_json())
    assert {k: v for k, v in data.items() if k != "scores"} == {
        k: v for k, v in brief.items() if k != "scores"
    }
    assert list(data) == list(brief)
    assert text == json.dumps(data, indent=2, ensure_ascii=False)
