"""The lists of a quarterly review, worked out from snapshots: pure functions of data and day.

Nothing here reads the clock or the database: the review, its snapshots, the
previous review's snapshots, the actions and the day to judge them on are all
passed in, so the same inputs always give the same review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from supplier_register.domain.bounds import add_months
from supplier_register.domain.enums import Criticality
from supplier_register.domain.trusted import construct
from supplier_register.review.models import (
    Action,
    ActionLine,
    ActionStatus,
    DataGap,
    Deadline,
    DueReview,
    Mover,
    Review,
    ReviewedImpact,
    ReviewedScore,
    ReviewReport,
    ScorePoint,
    SupplierSnapshot,
    TrendPoint,
)
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import GAP_PHRASES, SCORING_MODEL, Finding, SupplierScore

DEADLINE_QUARTERS = 2
"""Deadlines are listed up to the end of this many quarters after the review's quarter."""

GAP_CRITICALITIES = (Criticality.STRATEGIC, Criticality.HIGH)
"""Data gaps are listed for suppliers of these criticalities."""


def _key(name: str) -> str:
    return name.casefold()


T = TypeVar("T")


class Earlier(Generic[T]):
    """What each supplier was at the previous review, found by name.

    By exact name first: 'Straße Ltd' and 'STRASSE Ltd' can be two suppliers (SQLite's
    NOCASE folds ASCII only).  Then by case-folded name, so a supplier renamed only in
    case since ('acme' to 'Acme') is still matched with its past.
    """

    def __init__(self, items: Iterable[tuple[str, T]]) -> None:
        self.exact: dict[str, T] = {}
        self.folded: dict[str, T] = {}
        for name, item in items:
            self.exact[name] = item
            self.folded.setdefault(_key(name), item)

    def get(self, name: str) -> T | None:
        found = self.exact.get(name)
        return found if found is not None else self.folded.get(_key(name))


def _finding_key(finding: Finding) -> tuple[str, str]:
    return finding.code, _key(finding.contract or "")


def _headline(finding: Finding) -> str:
    return f"{finding.title} ({finding.contract})" if finding.contract else finding.title


def mover(snap: SupplierSnapshot, old: SupplierScore | None) -> Mover | None:
    """How one supplier moved since the previous review (``old``: its score then, if any).

    ``None`` when neither its score nor its findings changed.
    """
    score = snap.score
    old_findings = {_finding_key(f): f for f in old.findings} if old else {}
    new_findings = {_finding_key(f): f for f in score.findings}
    added = [_headline(f) for k, f in new_findings.items() if k not in old_findings]
    resolved = [_headline(f) for k, f in old_findings.items() if k not in new_findings]
    if old is not None and old.score == score.score and not added and not resolved:
        return None
    return construct(
        Mover,
        supplier=score.supplier,
        criticality=score.criticality,
        previous_score=old.score if old else None,
        score=score.score,
        previous_band=old.band if old else None,
        band=score.band,
        new_findings=added if old else [],
        resolved_findings=resolved,
    )


def _mover_order(m: Mover) -> tuple[bool, int, int, str]:
    return (m.is_new, -abs(m.change), -m.criticality.rank, _key(m.supplier))


def movers(
    current: Sequence[SupplierSnapshot], previous: Sequence[SupplierSnapshot]
) -> tuple[list[Mover], list[str]]:
    """Suppliers whose score or findings changed, biggest change first; and those that left."""
    before = Earlier((s.score.supplier, s.score) for s in previous)
    now_keys = {_key(s.score.supplier) for s in current}
    out = [m for snap in current if (m := mover(snap, before.get(snap.score.supplier))) is not None]
    out.sort(key=_mover_order)
    left = [s.score.supplier for s in previous if _key(s.score.supplier) not in now_keys]
    return out, left


def due_review(snap: SupplierSnapshot, quarter: Quarter, as_of: dt.date) -> DueReview | None:
    """The supplier's relationship review, if it is due by the end of ``quarter``.

    The next review is due ``cadence`` months after the last one (the cadence
    defaults by criticality); a supplier never reviewed is overdue.
    """
    s = snap.supplier
    cadence = s.effective_cadence_months
    due_on = add_months(s.last_review, cadence) if s.last_review else None
    if due_on is not None and due_on > quarter.end:
        return None
    return construct(
        DueReview,
        supplier=s.name,
        criticality=s.criticality,
        owner=s.owner,
        cadence_months=cadence,
        last_review=s.last_review,
        due_on=due_on,
        overdue=due_on is None or due_on < as_of,
    )


def _due_order(d: DueReview) -> tuple[bool, int, dt.date, str]:
    return (not d.overdue, -d.criticality.rank, d.due_on or dt.date.min, _key(d.supplier))


def due_reviews(
    snapshots: Sequence[SupplierSnapshot], quarter: Quarter, as_of: dt.date
) -> list[DueReview]:
    """Suppliers whose relationship review is due by the end of ``quarter``, overdue first."""
    out = [d for snap in snapshots if (d := due_review(snap, quarter, as_of)) is not None]
    out.sort(key=_due_order)
    return out


def contract_deadlines(snap: SupplierSnapshot, quarter: Quarter, as_of: dt.date) -> list[Deadline]:
    """The supplier's contracts whose decide-by or end date falls by the end of the next two quarters.

    Contracts that ended before the review's quarter began are left out; a
    decide-by date already passed on a running contract is listed (and flagged),
    however long ago it was, because the decision is now overdue.
    """
    horizon = quarter.shift(DEADLINE_QUARTERS).end
    out = []
    for c in snap.contracts:
        if c.end_date is None or c.end_date < quarter.start:
            continue
        decide_by = c.decide_by()
        soonest = min(d for d in (decide_by, c.end_date) if d is not None)
        if soonest > horizon:
            continue
        out.append(
            construct(
                Deadline,
                supplier=snap.supplier.name,
                criticality=snap.supplier.criticality,
                contract=c.title,
                decide_by=decide_by,
                end_date=c.end_date,
                auto_renewal=c.auto_renewal,
                decision_passed=decide_by is not None and decide_by < as_of,
                ended=c.end_date < as_of,
            )
        )
    return out


def _deadline_order(d: Deadline) -> tuple[dt.date, int, str]:
    return (d.decide_by or d.end_date, -d.criticality.rank, _key(d.supplier))


def deadlines(
    snapshots: Sequence[SupplierSnapshot], quarter: Quarter, as_of: dt.date
) -> list[Deadline]:
    """Contracts whose decide-by or end date falls by the end of the next two quarters."""
    out = [d for snap in snapshots for d in contract_deadlines(snap, quarter, as_of)]
    out.sort(key=_deadline_order)
    return out


def action_lines(
    actions: Sequence[Action], quarter: Quarter, since: dt.date, as_of: dt.date
) -> list[ActionLine]:
    """The actions a review tracks, as they stand on ``as_of``.

    That is every action agreed at this review, every action agreed earlier
    and still open (carried forward), and every action completed on or after
    ``since`` (the start of the previous review), so the review sees what got done.
    """
    out = []
    for action in actions:
        agreed = Quarter.parse(action.quarter)
        if agreed > quarter:
            continue
        done = action.done_on is not None and action.done_on <= as_of
        if agreed < quarter and done and action.done_on is not None and action.done_on < since:
            continue
        if done:
            status = ActionStatus.DONE
        elif action.due < as_of:
            status = ActionStatus.OVERDUE
        else:
            status = ActionStatus.OPEN
        out.append(ActionLine(action=action, status=status, carried_forward=agreed < quarter))
    order = {ActionStatus.OVERDUE: 0, ActionStatus.OPEN: 1, ActionStatus.DONE: 2}
    out.sort(key=lambda a: (order[a.status], a.action.due, a.action.id))
    return out


def supplier_gaps(snap: SupplierSnapshot) -> list[DataGap]:
    """The supplier's data gaps, if it is strategic or of high criticality."""
    score = snap.score
    if score.criticality not in GAP_CRITICALITIES:
        return []
    return [
        construct(
            DataGap,
            supplier=score.supplier,
            criticality=score.criticality,
            title=_headline(gap),
            explanation=gap.explanation,
            question_id=gap.question_id,
        )
        for gap in score.data_gaps
    ]


def data_gaps(snapshots: Sequence[SupplierSnapshot]) -> list[DataGap]:
    """Unknown answers (data gaps) of strategic and high-criticality suppliers, in priority order."""
    return [gap for snap in snapshots for gap in supplier_gaps(snap)]


def trends(
    points: Iterable[ScorePoint], upto: Quarter, scoring_model: str = SCORING_MODEL
) -> dict[str, list[TrendPoint]]:
    """Each supplier's score at every review up to ``upto`` scored with ``scoring_model``,
    oldest first, keyed by latest name.

    Scores of another model are left out: a change of model is not a change of risk, so a
    trend never runs across one."""
    by_key: dict[str, list[TrendPoint]] = {}
    names: dict[str, str] = {}
    for point in sorted(points, key=lambda p: p.quarter):
        if point.quarter > upto or point.scoring_model != scoring_model:
            continue
        key = _key(point.supplier)
        names[key] = point.supplier
        by_key.setdefault(key, []).append(
            construct(TrendPoint, label=str(point.quarter), score=point.score)
        )
    return {names[k]: found for k, found in by_key.items()}


def build_report(
    review: Review,
    snapshots: Sequence[SupplierSnapshot],
    *,
    previous: tuple[Review, Sequence[SupplierSnapshot]] | None,
    history: Sequence[ScorePoint],
    actions: Sequence[Action],
    today: dt.date,
    actions_at_close: Sequence[ActionLine] | None = None,
) -> ReviewReport:
    """Everything a review shows, judged on ``today`` (or on its close date once closed).

    A closed review shows the actions as they stood when it closed
    (``actions_at_close``), so its pack never changes afterwards.  ``history``
    holds the scores at every review, for the trends; this review's own scores
    come from ``snapshots``.
    """
    before = Earlier((s.score.supplier, s.score) for s in (previous[1] if previous else ()))
    return build_report_streamed(
        review,
        ((snap, before.get(snap.score.supplier)) for snap in snapshots),
        previous=previous[0] if previous else None,
        previous_suppliers=[s.score.supplier for s in previous[1]] if previous else [],
        history=history,
        actions=actions,
        today=today,
        actions_at_close=actions_at_close,
    )


def build_report_streamed(
    review: Review,
    snapshots: Iterable[tuple[SupplierSnapshot, SupplierScore | None]],
    *,
    previous: Review | None,
    previous_suppliers: Sequence[str],
    history: Sequence[ScorePoint],
    actions: Sequence[Action],
    today: dt.date,
    actions_at_close: Sequence[ActionLine] | None = None,
) -> ReviewReport:
    """:func:`build_report` from snapshots taken one at a time, each with its previous score.

    ``snapshots`` are this review's, in priority order, each with the same
    supplier's score at the ``previous`` review (``None`` if it was not in it);
    ``previous_suppliers`` names the previous review's suppliers in its order.
    Each snapshot is dropped once its lines are worked out, so a review of tens
    of thousands of suppliers is never held whole.

    When the previous review was scored with another score model, scores and findings
    are not compared (the change of model would read as suppliers getting better or
    worse): only the suppliers new since then are listed as movers, and the trends hold
    only the reviews scored with this review's model.
    """
    quarter = review.period
    model = review.scoring_model
    compared = previous is not None and previous.scoring_model == model
    as_of = review.closed_on or today
    earlier = [p for p in history if p.quarter < quarter]
    scores: list[ReviewedScore] = []
    own: list[ScorePoint] = []
    moved: list[Mover] = []
    due: list[DueReview] = []
    dated: list[Deadline] = []
    gaps: list[DataGap] = []
    unknowns: dict[str, list[str]] = {}
    impacts: list[ReviewedImpact] = []
    now_keys: set[str] = set()
    for snap, old in snapshots:
        score = snap.score
        now_keys.add(_key(score.supplier))
        scores.append(ReviewedScore.of(score, snap))
        own.append(ScorePoint(quarter, score.supplier, score.score, model))
        comparing = previous is not None and (compared or old is None)
        if comparing and (m := mover(snap, old)) is not None:
            moved.append(m)
        if (d := due_review(snap, quarter, as_of)) is not None:
            due.append(d)
        dated += contract_deadlines(snap, quarter, as_of)
        mine = supplier_gaps(snap)
        gaps += mine
        if mine and score.gap_phrases:
            unknowns[score.supplier] = list(score.gap_phrases[:GAP_PHRASES])
        if snap.impact is not None:
            impacts.append(
                ReviewedImpact(
                    supplier=score.supplier, criticality=score.criticality, impact=snap.impact
                )
            )
    moved.sort(key=_mover_order)
    due.sort(key=_due_order)
    dated.sort(key=_deadline_order)
    left = [name for name in previous_suppliers if _key(name) not in now_keys]
    since = previous.started_on if previous else quarter.start
    if review.closed_on is not None and actions_at_close is not None:
        lines = list(actions_at_close)
    else:
        lines = action_lines(actions, quarter, since, as_of)
    return ReviewReport(
        quarter=review.quarter,
        started_on=review.started_on,
        closed_on=review.closed_on,
        as_of=as_of,
        previous_quarter=previous.quarter if previous else None,
        scoring_model=model,
        previous_scoring_model=previous.scoring_model if previous else None,
        horizon=quarter.shift(DEADLINE_QUARTERS).end,
        scores=scores,
        top_questions=list(review.top_questions),
        movers=moved,
        left=left,
        due_reviews=due,
        deadlines=dated,
        actions=lines,
        data_gaps=gaps,
        gap_unknowns=unknowns,
        trends=trends([*earlier, *own], quarter, model),
        impacts=impacts,
    )


def history_for_summary(points: Sequence[ScorePoint]) -> Mapping[str, list[TrendPoint]]:
    """Scores at every review scored with the current model, for the trend column of the
    risk summary export (whose scores are the current model's)."""
    if not points:
        return {}
    return trends(points, max(p.quarter for p in points))
