"""Quarterly review operations over a register database, shared by the CLI and the TUI.

Each function takes the database and the day explicitly, scores the register
with the scoring engine where it needs to, and leaves the rules to
:class:`~supplier_register.storage.reviews.ReviewStore`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence

from sqlite_utils import Database

from supplier_register.domain.errors import InvalidInput, NotFound
from supplier_register.domain.models import Supplier
from supplier_register.impact import SupplierImpact, impact_of
from supplier_register.reports.summary import (
    NOTE_CRITICALITIES,
    TOP_FINDINGS,
    RiskSummary,
    build_overview_summary,
)
from supplier_register.review.analysis import (
    Earlier,
    action_lines,
    build_report_streamed,
    history_for_summary,
)
from supplier_register.review.models import (
    Action,
    ActionLine,
    ExitPlanAtReview,
    ImpactAtReview,
    Review,
    ReviewReport,
    SupplierSnapshot,
    TrendPoint,
)
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.board import ManagementAction
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import SupplierOverview, SupplierScore
from supplier_register.services.board import pack_of
from supplier_register.services.impact import supplier_impact
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.storage.db import write_transaction
from supplier_register.storage.repository import Repository
from supplier_register.storage.reviews import ReviewStore


def impact_at_review(impact: SupplierImpact) -> ImpactAtReview:
    """What a review's snapshot keeps of a supplier's impact view."""
    least = impact.least_tolerant
    return ImpactAtReview(
        summary=impact.summary,
        services=[s.name for s in impact.services],
        clinical=len(impact.clinical_services),
        through_dependents=sum(1 for s in impact.services if not s.direct),
        shortest_outage_hours=least.max_outage_hours if least is not None else None,
        least_tolerant=least.name if least is not None else None,
        dependents=[d.supplier for d in impact.dependents],
        exit_plans=[
            ExitPlanAtReview(contract=c.title, exit_plan=c.exit_plan, tested=c.exit_plan_tested)
            for c in impact.contracts
            if c.supplier == impact.supplier
        ],
    )


def start_review(db: Database, quarter: str, today: dt.date) -> Review:
    """Start the review of ``quarter``: snapshot every supplier's record, contracts and scores.

    Every supplier is scored in full, a batch at a time in priority order, and
    its snapshot written as it comes, all in one transaction; each strategic and
    high-criticality supplier's snapshot keeps its service impact that day.
    """
    period = Quarter.parse(quarter)
    repo = Repository(db)

    with write_transaction(db):
        scoring = prepare_scoring(db, today)
        overview = scoring.overview()
        in_order = scoring.in_priority_order(overview)
        ordered = [supplier for supplier, _ in in_order]
        noted = [s.id for s, o in in_order if o.criticality in NOTE_CRITICALITIES]
        impact = _impacts_in_order(repo, noted, today)
        return ReviewStore(db).start_streamed(
            period, today, overview.top_questions, scoring.iter_full(ordered), impact
        )


def _impacts_in_order(
    repo: Repository, supplier_ids: Sequence[int], today: dt.date
) -> Callable[[Supplier, SupplierScore], ImpactAtReview | None]:
    """What a review's snapshot keeps of each strategic and high supplier's impact, read a
    batch of ``supplier_ids`` (in the order the snapshots are written) at a time, as the
    snapshots ask for them: a few queries per batch, not per supplier, and one batch held."""
    pending = repo.impact_records_for(supplier_ids, today)
    ready: dict[int, ImpactAtReview] = {}

    def impact(supplier: Supplier, score: SupplierScore) -> ImpactAtReview | None:
        supplier_id = getattr(supplier, "id", None)
        if score.criticality not in NOTE_CRITICALITIES or not isinstance(supplier_id, int):
            return None
        while supplier_id not in ready:
            records = next(pending, None)
            if records is None:  # not among the ids given: read on its own
                return impact_at_review(supplier_impact(repo, supplier_id, today))
            ready[records.failing.id] = impact_at_review(impact_of(records, today))
        return ready.pop(supplier_id)

    return impact


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
    return report_of(store, _resolve(store, quarter), today)


def report_of(store: ReviewStore, review: Review, today: dt.date) -> ReviewReport:
    """What ``review`` shows on ``today`` (or, once closed, on its close date).

    Snapshots are read one at a time, each with the same supplier's snapshot
    at the previous review, and dropped once their lines are worked out.
    """
    previous = store.previous_review(review)
    rows = store.snapshot_ids(previous) if previous is not None else []
    earlier = Earlier(rows)
    previous_suppliers = [name for name, _ in rows]

    def pairs() -> Iterator[tuple[SupplierSnapshot, SupplierScore | None]]:
        for snapshot in store.iter_snapshots(review):
            old = None
            snapshot_id = earlier.get(snapshot.score.supplier)
            if snapshot_id is not None:
                old = store.snapshot(snapshot_id).score
            yield snapshot, old

    return build_report_streamed(
        review,
        pairs(),
        previous=previous,
        previous_suppliers=previous_suppliers,
        history=store.score_points(),
        actions=store.actions(),
        today=today,
        actions_at_close=store.actions_at_close(review),
    )


def open_action_lines(store: ReviewStore, review: Review, today: dt.date) -> list[ActionLine]:
    """The actions an open review shows on ``today`` (what its report would list)."""
    previous = store.previous_review(review)
    since = previous.started_on if previous else review.period.start
    return action_lines(store.actions(), review.period, since, today)


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


def actions_from_board(
    db: Database,
    quarter: str,
    actions: Sequence[ManagementAction],
    today: dt.date,
    *,
    owner: str | None = None,
) -> tuple[list[Action], int]:
    """Turn management actions of the board pack into actions of the open review of
    ``quarter``, in one transaction: all are recorded or none.

    Each keeps its owner (``owner`` stands in for an action that has none; without it such
    an action is refused, naming the supplier) and its due date (today, when already past).
    An action the review already holds open (same supplier and text) is not added twice;
    returns the actions added and how many were already there.
    """
    store = ReviewStore(db)
    period = Quarter.parse(quarter)
    added: list[Action] = []
    skipped = 0
    with write_transaction(db):
        held = {
            (a.supplier, a.what)
            for a in store.actions()
            if a.quarter == str(period) and a.done_on is None
        }
        for action in actions:
            what = action.review_text
            if (action.supplier, what) in held:  # kept as it is, with the owner it has
                skipped += 1
                continue
            who = action.owner or owner
            if who is None:
                raise InvalidInput(
                    [
                        f"owner: the management action for {action.supplier} has no owner, "
                        "as none is recorded for the supplier's relationship; give one"
                    ]
                )
            due = max(action.due, today)
            added.append(
                store.add_action(
                    period,
                    {"supplier": action.supplier, "what": what, "owner": who, "due": due},
                    today,
                )
            )
            held.add((action.supplier, what))
    return added, skipped


def complete_action(db: Database, action_id: int, today: dt.date) -> Action:
    """Mark an action done on ``today``."""
    return ReviewStore(db).complete_action(action_id, today)


def close_review(db: Database, quarter: str, today: dt.date) -> Review:
    """Close the review of ``quarter``, freezing its actions as they stand on ``today``."""
    return close(ReviewStore(db), Quarter.parse(quarter), today)


def close(store: ReviewStore, quarter: Quarter, today: dt.date) -> Review:
    """Close the review of ``quarter`` in ``store``, freezing its actions as they stand on ``today``."""
    return store.close(quarter, today, lambda review: open_action_lines(store, review, today))


def score_history(db: Database, until: dt.date) -> Mapping[str, list[TrendPoint]]:
    """Every supplier's score at each review started by ``until``, oldest first (summary trends)."""
    return history_for_summary(ReviewStore(db).score_points(until))


def risk_summary(
    db: Database, today: dt.date, *, config: ScoringConfig | None = None
) -> RiskSummary:
    """The register's risk summary on ``today``, with score trends from past reviews.

    Built from overviews: full scores are worked out only for the suppliers the
    notes explain, and for everyone (a batch at a time) only when an export lists
    every finding, so the database must stay open until the summary is rendered.
    """
    scoring = prepare_scoring(db, today, config=config)
    found = scoring.trust_findings()
    overview = scoring.overview(top_findings=TOP_FINDINGS, trust_findings=found)

    def full_scores(overviews: Sequence[SupplierOverview]) -> Iterator[SupplierScore]:
        return (score for _, score in scoring.iter_full_scores(scoring.suppliers_of(overviews)))

    return build_overview_summary(
        scoring.suppliers,
        overview,
        full_scores,
        today,
        trust=scoring.trust,
        history=score_history(db, today),
    ).model_copy(update={"trust_findings": found, "board": pack_of(db, scoring, overview)})


def list_reviews(db: Database) -> list[Review]:
    """Every review, oldest quarter first."""
    return ReviewStore(db).list_reviews()


def snapshot_count(db: Database, review: Review) -> int:
    """How many suppliers ``review`` snapshotted."""
    return ReviewStore(db).snapshot_count(review)


def review_pack(
    db: Database,
    quarter: str,
    today: dt.date,
    fmt: str,
    *,
    config: ScoringConfig | None = None,
) -> str:
    """The review pack of ``quarter`` as Markdown (``md``) or printable HTML (``html``), with
    the board pack's three lists worked out for the review's day (its close date once closed)
    and the protective marking of the scoring ``config`` (``[board] classification``)."""
    from supplier_register.reports.review_pack import render_review_html, render_review_markdown
    from supplier_register.services.exports import audit_seal
    from supplier_register.storage.repository import Repository

    seal = audit_seal(db)
    report = review_report(db, quarter, today)
    scoring = prepare_scoring(db, report.as_of, config=config)
    overview = scoring.overview(trust_findings=scoring.trust_findings())
    pack = pack_of(db, scoring, overview)
    marking = scoring.scorer.config.board.classification
    trust = Repository(db).trust_name()
    render = render_review_html if fmt == "html" else render_review_markdown
    return render(report, trust=trust, audit=seal, board=pack, marking=marking)


def review_json(db: Database, report: ReviewReport) -> Iterator[str]:
    """``report`` as the documented JSON, in pieces, with every supplier's full score read
    from the snapshots one at a time (see :func:`supplier_register.reports.review_json.report_json`)."""
    from supplier_register.reports.review_json import report_json

    return report_json(report, review_scores(db, report.quarter))
