"""Quarterly review operations over a register database, shared by the CLI and the TUI.

Each function takes the database and the day explicitly, scores the register
with the scoring engine where it needs to, and leaves the rules to
:class:`~supplier_register.storage.reviews.ReviewStore`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from sqlite_utils import Database

from supplier_register.domain.errors import NotFound
from supplier_register.gcpause import gc_paused
from supplier_register.register_scoring import prepare_scoring
from supplier_register.reports.summary import (
    TOP_FINDINGS,
    RiskSummary,
    TrendPoint,
    build_overview_summary,
)
from supplier_register.review.analysis import history_for_summary
from supplier_register.review.models import Action, Review, ReviewReport
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import SupplierOverview, SupplierScore
from supplier_register.storage.db import write_transaction
from supplier_register.storage.reviews import ReviewStore


def start_review(db: Database, quarter: str, today: dt.date) -> Review:
    """Start the review of ``quarter``: snapshot every supplier's record, contracts and scores.

    Every supplier is scored in full, a batch at a time in priority order, and
    its snapshot written as it comes, all in one transaction.
    """
    period = Quarter.parse(quarter)
    with write_transaction(db), gc_paused():
        scoring = prepare_scoring(db, today)
        overview = scoring.overview()
        ordered = [supplier for supplier, _ in scoring.in_priority_order(overview)]
        return ReviewStore(db).start_streamed(
            period, today, overview.top_questions, scoring.iter_full(ordered)
        )


def _resolve(store: ReviewStore, quarter: str | None) -> Review:
    if quarter is not None:
        return store.get_review(Quarter.parse(quarter))
    latest = store.latest_review()
    if latest is None:
        raise NotFound("quarter: no reviews yet; start one with `review start YYYY-Qn`")
    return latest


def review_report(db: Database, quarter: str | None, today: dt.date) -> ReviewReport:
    """What the review of ``quarter`` (default: the latest) shows on ``today``."""
    store = ReviewStore(db)
    return store.report(_resolve(store, quarter), today)


def review_scores(db: Database, quarter: str) -> Iterator[SupplierScore]:
    """Every supplier's full score at the review of ``quarter``, in priority order, one at a time."""
    store = ReviewStore(db)
    return (
        snapshot.score
        for snapshot in store.iter_snapshots(store.get_review(Quarter.parse(quarter)))
    )


def add_action(
    db: Database,
    quarter: str,
    *,
    what: str,
    owner: str,
    due: dt.date,
    today: dt.date,
    supplier: str | None = None,
) -> Action:
    """Record an action agreed at the open review of ``quarter``."""
    return ReviewStore(db).add_action(
        Quarter.parse(quarter),
        {"supplier": supplier, "what": what, "owner": owner, "due": due},
        today,
    )


def complete_action(db: Database, action_id: int, today: dt.date) -> Action:
    """Mark an action done on ``today``."""
    return ReviewStore(db).complete_action(action_id, today)


def close_review(db: Database, quarter: str, today: dt.date) -> Review:
    """Close the review of ``quarter``, freezing its actions as they stand on ``today``."""
    return ReviewStore(db).close(Quarter.parse(quarter), today)


def score_history(db: Database, until: dt.date) -> Mapping[str, list[TrendPoint]]:
    """Every supplier's score at each review started by ``until``, oldest first (summary trends)."""
    return history_for_summary(ReviewStore(db).score_points(until))


def risk_summary(db: Database, today: dt.date) -> RiskSummary:
    """The register's risk summary on ``today``, with score trends from past reviews.

    Built from overviews: full scores are worked out only for the suppliers the
    notes explain, and for everyone (a batch at a time) only when an export lists
    every finding, so the database must stay open until the summary is rendered.
    """
    scoring = prepare_scoring(db, today)
    overview = scoring.overview(top_findings=TOP_FINDINGS)

    def full_scores(overviews: Sequence[SupplierOverview]) -> Iterator[SupplierScore]:
        return (score for _, score in scoring.iter_full_scores(scoring.suppliers_of(overviews)))

    return build_overview_summary(
        scoring.suppliers,
        overview,
        full_scores,
        today,
        trust=scoring.trust,
        history=score_history(db, today),
    )


def list_reviews(db: Database) -> list[Review]:
    """Every review, oldest quarter first."""
    return ReviewStore(db).list_reviews()
