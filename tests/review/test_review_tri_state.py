"""The review pack's contract deadlines say an auto-renewal not recorded is "not recorded"."""

from __future__ import annotations

from supplier_register.reports.review_pack import sections
from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as review_service
from supplier_register.storage import open_database
from supplier_register.storage.reviews import ReviewStore
from tests.support.review_scenario import Q2_START, register, scores


def test_deadlines_say_not_recorded_never_no() -> None:
    store = ReviewStore(open_database(":memory:"))
    q2 = Quarter(2026, 2)
    store.start(q2, Q2_START, register(2), scores(2, Q2_START))
    report = review_service.report_of(store, store.get_review(q2), Q2_START)
    assert report.deadlines
    states = [None, False, True]
    changed = report.model_copy(
        update={
            "deadlines": [
                d.model_copy(update={"auto_renewal": states[i % 3]})
                for i, d in enumerate(report.deadlines)
            ]
        }
    )
    rows = next(s for s in sections(changed) if s.key == "deadlines").rows
    expected = ["not recorded", "no", "yes"]
    assert [r[5] for r in rows] == [expected[i % 3] for i in range(len(rows))]
