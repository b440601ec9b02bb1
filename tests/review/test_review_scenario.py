"""Three quarterly reviews with edits between them, on frozen dates.

Checks movers, due relationship reviews, contract deadlines, actions carried
forward until done, data gaps, trends, and that closed reviews never change.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database

from supplier_register.review.models import ActionStatus, ReviewReport
from supplier_register.review.quarters import Quarter
from supplier_register.scoring import Band
from supplier_register.services import reviews as review_service
from supplier_register.storage.reviews import ReviewStore
from tests.support.registers import dump
from tests.support.review_scenario import (
    Q2_CLOSE,
    Q2_START,
    Q3_CLOSE,
    Q3_START,
    Q4_START,
    A,
    B,
    C,
    D,
    E,
    register,
    scores,
)

Q2, Q3, Q4 = Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4)


@pytest.fixture
def store(fresh_db: Database) -> ReviewStore:
    return ReviewStore(fresh_db)


def report(store: ReviewStore, quarter: Quarter, today: dt.date) -> ReviewReport:
    return review_service.report_of(store, store.get_review(quarter), today)


def run_q2(store: ReviewStore) -> tuple[int, int]:
    store.start(Q2, Q2_START, register(2), scores(2, Q2_START))
    export = store.add_action(
        Q2,
        {
            "supplier": "acme [uk] ltd",
            "what": "Test the bulk export",
            "owner": "Sam Okafor",
            "due": dt.date(2026, 8, 31),
        },
        Q2_START,
    )
    exit_plan = store.add_action(
        Q2,
        {
            "supplier": B,
            "what": "Write an exit plan",
            "owner": "Sam Okafor",
            "due": dt.date(2026, 7, 31),
        },
        Q2_START,
    )
    review_service.close(store, Q2, Q2_CLOSE)
    store.complete_action(exit_plan.id, dt.date(2026, 7, 20))
    return export.id, exit_plan.id


def test_first_review_has_no_movers_but_lists_the_rest(store: ReviewStore) -> None:
    store.start(Q2, Q2_START, register(2), scores(2, Q2_START))
    r = report(store, Q2, Q2_START)
    assert r.previous_quarter is None and r.movers == [] and r.left == []
    assert [s.supplier for s in r.scores] == [A, B, C, D]
    # Due by 30 June: A (due 10 April, overdue), B and D (never reviewed, overdue).
    assert [(d.supplier, d.overdue) for d in r.due_reviews] == [(A, True), (B, True), (D, True)]
    assert r.due_reviews[0].due_on == dt.date(2026, 4, 10)
    assert r.due_reviews[1].due_on is None and r.due_reviews[1].cadence_months == 6
    # Window to 31 December 2026: A's decision (passed) and B's (30 November);
    # C's old support contract ends 31 August, inside the window.
    assert [(d.supplier, d.contract) for d in r.deadlines] == [
        (A, "EPR licence"),
        (C, "Old analyser support"),
        (B, "Hosting"),
    ]
    assert r.deadlines[0].decision_passed and not r.deadlines[2].decision_passed
    assert not any(d.ended for d in r.deadlines)
    assert r.horizon == dt.date(2026, 12, 31)
    assert [(g.supplier, g.title) for g in r.data_gaps] == [(B, "Bulk export unknown")]


def test_three_quarters(store: ReviewStore) -> None:
    export_id, exit_plan_id = run_q2(store)

    # ---- 2026-Q3: A up 10 with one finding swapped, C up 15 with a new finding,
    # D gone, E new; the export action is overdue and carried forward.
    store.start(Q3, Q3_START, register(3), scores(3, Q3_START))
    new = store.add_action(
        Q3,
        {
            "supplier": C,
            "what": "Name an owner",
            "owner": "Dana Whitfield",
            "due": dt.date(2026, 12, 31),
        },
        Q3_START,
    )
    r3 = report(store, Q3, Q3_START)
    assert r3.previous_quarter == "2026-Q2"
    movers = {m.supplier: m for m in r3.movers}
    assert list(movers) == [C, A, E]  # biggest change first, new suppliers last
    assert (movers[A].previous_score, movers[A].score, movers[A].change) == (60, 70, 10)
    assert movers[A].new_findings == ["Decide-by passed (EPR licence)"]
    assert movers[A].resolved_findings == ["Auto-renews"]
    assert movers[C].change == 15 and movers[C].previous_band is Band.LOW
    assert movers[C].new_findings == ["No owner"]
    assert movers[E].is_new and movers[E].new_findings == []
    assert B not in movers  # unchanged
    assert r3.left == [D]
    lines = {a.action.id: a for a in r3.actions}
    assert lines[export_id].status is ActionStatus.OVERDUE and lines[export_id].carried_forward
    assert lines[exit_plan_id].status is ActionStatus.DONE  # done since the Q2 review began
    assert lines[new.id].status is ActionStatus.OPEN and not lines[new.id].carried_forward
    assert [a.action.id for a in r3.overdue_actions] == [export_id]
    # Due by 30 September: A overdue; B never reviewed. E is due 20 December: not yet.
    assert [d.supplier for d in r3.due_reviews] == [A, B]
    # Window to 31 March 2027: the old contract ended on 31 August, inside Q3, so it stays.
    assert [(d.contract, d.ended) for d in r3.deadlines] == [
        ("EPR licence", False),
        ("Old analyser support", True),  # ended 31 August, before the review on 20 September
        ("Hosting", False),
    ]
    assert r3.trends[A] == r3.trends[A][:2] and [p.score for p in r3.trends[A]] == [60, 70]
    assert [p.label for p in r3.trends[E]] == ["2026-Q3"]
    assert [p.score for p in r3.trends[D]] == [10]

    review_service.close(store, Q3, Q3_CLOSE)
    frozen = report(store, Q3, Q3_CLOSE)
    store.complete_action(export_id, dt.date(2026, 10, 10))

    # ---- 2026-Q4
    store.start(Q4, Q4_START, register(4), scores(4, Q4_START))
    r4 = report(store, Q4, Q4_START)
    movers4 = {m.supplier: m for m in r4.movers}
    assert list(movers4) == [A] and movers4[A].change == 4
    assert movers4[A].new_findings == [] and movers4[A].resolved_findings == []
    lines4 = {a.action.id: a for a in r4.actions}
    assert lines4[export_id].status is ActionStatus.DONE  # done 10 October, after Q3 began
    assert exit_plan_id not in lines4  # done before the Q3 review: no longer carried
    assert lines4[new.id].status is ActionStatus.OPEN and lines4[new.id].carried_forward
    # Due by 31 December: A overdue, B never reviewed, E due 20 December (not overdue yet).
    assert [(d.supplier, d.overdue) for d in r4.due_reviews] == [(A, True), (B, True), (E, False)]
    assert r4.due_reviews[2].due_on == dt.date(2026, 12, 20)
    # Window to 30 June 2027; the old contract ended before Q4 began and drops out.
    assert [(d.contract, d.decision_passed) for d in r4.deadlines] == [
        ("EPR licence", True),
        ("Hosting", False),
    ]
    assert r4.horizon == dt.date(2027, 6, 30)
    assert [(g.supplier, g.criticality.value) for g in r4.data_gaps] == [(B, "high")]
    assert [p.score for p in r4.trends[A]] == [60, 70, 74]
    assert [p.label for p in r4.trends[A]] == ["2026-Q2", "2026-Q3", "2026-Q4"]

    # The closed Q3 review still shows what it showed when it closed.
    again = report(store, Q3, Q4_START)
    assert again == frozen
    assert {a.action.id: a.status for a in again.actions}[export_id] is ActionStatus.OVERDUE
    assert again.as_of == Q3_CLOSE

    # Later, the action agreed in Q3 is done: Q4 shows it done, and overdue ones go away.
    store.complete_action(new.id, dt.date(2026, 12, 1))
    r4_later = report(store, Q4, dt.date(2026, 12, 2))
    assert {a.action.id: a.status for a in r4_later.actions}[new.id] is ActionStatus.DONE
    assert r4_later.overdue_actions == []


def test_snapshot_is_immutable_even_if_the_register_changes(store: ReviewStore) -> None:
    store.start(Q2, Q2_START, register(2), scores(2, Q2_START))
    before = report(store, Q2, Q2_START)
    db: Database = store.db
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("UPDATE review_snapshots SET score = 0")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        db.execute("DELETE FROM review_snapshots")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE reviews SET started_on = '2026-01-01'")
    with pytest.raises(sqlite3.IntegrityError, match="kept"):
        db.execute("DELETE FROM reviews")
    assert report(store, Q2, Q2_START) == before
    review_service.close(store, Q2, Q2_CLOSE)
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        db.execute("UPDATE reviews SET closed_on = NULL")
    with pytest.raises(sqlite3.IntegrityError, match="closed"):
        db.execute(
            "INSERT INTO review_actions (review_id, what, owner, due, agreed_on) "
            "VALUES (1, 'x', 'y', '2026-12-01', '2026-07-01')"
        )
    assert dump(db)  # still readable
