"""Review rules: every refusal is one line and leaves the database exactly as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlite_utils import Database

from supplier_register.domain.errors import Duplicate, InvalidInput, NotFound, RegisterError
from supplier_register.review.models import SupplierSnapshot
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import RegisterScores
from supplier_register.services import reviews as review_service
from supplier_register.storage import open_database
from supplier_register.storage.reviews import ReviewClosed, ReviewStore, decode_snapshot
from tests.support.registers import dump
from tests.support.review_scenario import Q2_CLOSE, Q2_START, Q3_START, A, B, register, scores

Q1, Q2, Q3 = Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)


@pytest.fixture
def store(fresh_db: Database) -> ReviewStore:
    s = ReviewStore(fresh_db)
    s.start(Q2, Q2_START, register(2), scores(2, Q2_START))
    return s


def action(**over: Any) -> dict[str, Any]:
    return {
        "supplier": A,
        "what": "Test the export",
        "owner": "Sam",
        "due": dt.date(2026, 9, 1),
    } | over


def refused(
    store: ReviewStore, error: type[RegisterError], message: str, call: Callable[[], object]
) -> None:
    before = dump(store.db)
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message
    assert "\n" not in info.value.message
    assert dump(store.db) == before


def test_a_quarter_is_reviewed_once(store: ReviewStore) -> None:
    refused(
        store,
        Duplicate,
        "quarter: the 2026-Q2 review was already started on 2026-06-15; a quarter is reviewed once",
        lambda: store.start(Q2, Q2_CLOSE, register(2), scores(2, Q2_CLOSE)),
    )


def test_the_previous_review_must_be_closed_first(store: ReviewStore) -> None:
    refused(
        store,
        InvalidInput,
        "quarter: the 2026-Q2 review is still open; close it first (review close 2026-Q2)",
        lambda: store.start(Q3, Q3_START, register(3), scores(3, Q3_START)),
    )


def test_reviews_go_in_order(store: ReviewStore) -> None:
    review_service.close(store, Q2, Q2_CLOSE)
    refused(
        store,
        InvalidInput,
        "quarter: a review of the later quarter 2026-Q2 exists; reviews go in order",
        lambda: store.start(Q1, Q2_CLOSE, register(2), scores(2, Q2_CLOSE)),
    )


def test_a_quarter_cannot_be_reviewed_before_it_begins(store: ReviewStore) -> None:
    refused(
        store,
        InvalidInput,
        "quarter: 2026-Q3 has not begun yet (today is 2026-06-30)",
        lambda: store.start(Q3, Q2_CLOSE, register(3), scores(3, Q2_CLOSE)),
    )


def test_an_empty_register_is_not_reviewed() -> None:
    s = ReviewStore(open_database(":memory:"))
    empty = RegisterScores(today=Q2_START, suppliers=[], top_questions=[])
    refused(
        s,
        InvalidInput,
        "register: there are no suppliers to review",
        lambda: s.start(Q2, Q2_START, register(2), empty),
    )


def test_action_validation(store: ReviewStore) -> None:
    refused(
        store,
        InvalidInput,
        "what: must not be empty",
        lambda: store.add_action(Q2, action(what="   "), Q2_START),
    )
    refused(
        store,
        InvalidInput,
        "owner: must be at most 200 characters long",
        lambda: store.add_action(Q2, action(owner="x" * 201), Q2_START),
    )
    refused(
        store,
        InvalidInput,
        "due: 2026-06-01 is before today (2026-06-15)",
        lambda: store.add_action(Q2, action(due=dt.date(2026, 6, 1)), Q2_START),
    )
    refused(
        store,
        NotFound,
        "supplier: no supplier named 'Nobody Ltd' in the 2026-Q2 review",
        lambda: store.add_action(Q2, action(supplier="Nobody Ltd"), Q2_START),
    )
    refused(
        store,
        NotFound,
        "quarter: no review of 2026-Q3; start one with `review start 2026-Q3`",
        lambda: store.add_action(Q3, action(), Q2_START),
    )


def test_action_without_supplier_and_canonical_name(store: ReviewStore) -> None:
    general = store.add_action(Q2, action(supplier=None, what="Hire a commercial lead"), Q2_START)
    assert general.supplier is None and general.quarter == "2026-Q2"
    named = store.add_action(Q2, action(supplier="  beta cloud "), Q2_START)
    assert named.supplier == B


def test_closed_review_takes_no_actions_and_closes_once(store: ReviewStore) -> None:
    done = store.add_action(Q2, action(), Q2_START)
    review_service.close(store, Q2, Q2_CLOSE)
    refused(
        store,
        ReviewClosed,
        "quarter: the 2026-Q2 review was closed on 2026-06-30; actions can only be added to an open review",
        lambda: store.add_action(Q2, action(), Q2_CLOSE),
    )
    refused(
        store,
        ReviewClosed,
        "quarter: the 2026-Q2 review was already closed on 2026-06-30",
        lambda: review_service.close(store, Q2, Q2_CLOSE),
    )
    # An action from a closed review can still be completed: it is carried until done.
    assert store.complete_action(done.id, dt.date(2026, 7, 1)).done_on == dt.date(2026, 7, 1)


def test_done_rules(store: ReviewStore) -> None:
    a = store.add_action(Q2, action(), Q2_START)
    refused(
        store,
        InvalidInput,
        f"today: 2026-06-01 is before action {a.id} was agreed (2026-06-15)",
        lambda: store.complete_action(a.id, dt.date(2026, 6, 1)),
    )
    store.complete_action(a.id, Q2_CLOSE)
    refused(
        store,
        InvalidInput,
        f"action: action {a.id} was already done on 2026-06-30",
        lambda: store.complete_action(a.id, Q2_CLOSE),
    )
    refused(
        store,
        NotFound,
        "action: no action with id 999",
        lambda: store.complete_action(999, Q2_CLOSE),
    )


def test_close_not_before_start(store: ReviewStore) -> None:
    refused(
        store,
        InvalidInput,
        "today: 2026-06-01 is before the 2026-Q2 review started (2026-06-15)",
        lambda: review_service.close(store, Q2, dt.date(2026, 6, 1)),
    )


def test_scores_must_match_the_register(store: ReviewStore) -> None:
    review_service.close(store, Q2, Q2_CLOSE)
    refused(
        store,
        InvalidInput,
        "scores: supplier 'Echo Apps' is not in the register",
        lambda: store.start(Q3, Q3_START, register(2), scores(3, Q3_START)),
    )


def test_snapshots_are_stored_compressed_and_plain_json_still_reads(store: ReviewStore) -> None:
    stored = store.db.execute("SELECT data FROM review_snapshots ORDER BY position").fetchone()[0]
    assert stored.startswith("zlib:")
    snapshot = SupplierSnapshot.model_validate_json(decode_snapshot(stored))
    assert snapshot.supplier.name == A and snapshot.score.score == 60
    assert len(stored) < len(snapshot.model_dump_json())
    assert decode_snapshot('{"plain": "json"}') == '{"plain": "json"}'


def test_score_points_read_trends_without_snapshots(store: ReviewStore) -> None:
    review_service.close(store, Q2, Q2_CLOSE)
    store.start(Q3, Q3_START, register(3), scores(3, Q3_START))
    points = store.score_points()
    assert [(str(p.quarter), p.supplier, p.score) for p in points if p.supplier == A] == [
        ("2026-Q2", A, 60),
        ("2026-Q3", A, 70),
    ]
    assert {str(p.quarter) for p in store.score_points(until=Q2_CLOSE)} == {"2026-Q2"}
