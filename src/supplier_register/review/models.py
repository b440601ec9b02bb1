"""What a quarterly supplier review records and what it shows.

A review holds an immutable snapshot of every supplier (its record, its
contracts and its scores) taken when the review starts; the lists a review
shows (movers, due reviews, deadlines, actions, data gaps) are worked out from
snapshots by :mod:`supplier_register.review.analysis`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from supplier_register.domain.enums import Criticality, ExitPlan
from supplier_register.domain.models import Contract, Name, RegisterDate, Supplier
from supplier_register.domain.trusted import construct
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import Band, BoardQuestion, SupplierScore

ActionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrendPoint(_Frozen):
    """A supplier's overall score at one quarterly review (or now)."""

    label: str = Field(description="The quarter, e.g. '2026-Q3', or 'now'.")
    score: int = Field(ge=0, le=100)


class ScorePoint(NamedTuple):
    """A supplier's overall score at one review: all a trend needs (no snapshot parsing)."""

    quarter: Quarter
    supplier: str
    score: int


class ExitPlanAtReview(_Frozen):
    """The exit plan of one of the supplier's current contracts when the review started."""

    contract: str
    exit_plan: ExitPlan
    tested: dt.date | None = None


class ImpactAtReview(_Frozen):
    """What would have stopped had the supplier failed the day the review started.

    Taken for strategic and high-criticality suppliers (by the application layer,
    from the impact view), so that a later look at the review shows it as it was.
    """

    summary: str = Field(description="The impact view's summary sentence.")
    services: list[str] = Field(description="The services that would stop, clinical first.")
    clinical: int = Field(ge=0, description="How many of them are clinical.")
    through_dependents: int = Field(
        ge=0, description="How many stop through suppliers that depend on it."
    )
    shortest_outage_hours: int | None = Field(
        default=None, description="How long the least tolerant service can cope (None: unknown)."
    )
    least_tolerant: str | None = None
    dependents: list[str] = Field(
        default_factory=list, description="Suppliers that would fall with it, nearest first."
    )
    exit_plans: list[ExitPlanAtReview] = Field(
        default_factory=list, description="Its current contracts' exit plans."
    )


class SupplierSnapshot(_Frozen):
    """One supplier as it stood when a review started: record, contracts and scores
    (and, for strategic and high suppliers in reviews started since it was recorded,
    its service impact; ``None`` in older snapshots)."""

    supplier: Supplier
    contracts: list[Contract]
    score: SupplierScore
    impact: ImpactAtReview | None = None


class ReviewedScore(_Frozen):
    """A supplier's score when a review started, as the review's lists show it.

    The full score (every finding and board question) stays in the supplier's
    snapshot; a review of tens of thousands of suppliers never holds them all.
    """

    supplier: str
    criticality: Criticality
    score: int = Field(ge=0, le=100)
    band: Band
    question_count: int = Field(ge=0, description="Board questions the supplier raised.")

    @classmethod
    def of(cls, score: SupplierScore) -> ReviewedScore:
        return construct(
            cls,
            supplier=score.supplier,
            criticality=score.criticality,
            score=score.score,
            band=score.band,
            question_count=len(score.questions),
        )


class Review(_Frozen):
    """A quarterly review: when it started, whether it is closed, and the board questions then."""

    id: int
    quarter: str
    started_on: dt.date
    closed_on: dt.date | None = None
    top_questions: list[BoardQuestion] = Field(default_factory=list)

    @property
    def period(self) -> Quarter:
        return Quarter.parse(self.quarter)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class NewAction(BaseModel):
    """An action as a person enters it; validated before anything is written."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    supplier: Name | None = Field(default=None, description="Supplier it is about, if any.")
    what: ActionText = Field(description="What is to be done (1-500 characters).")
    owner: Name = Field(description="Who will do it.")
    due: RegisterDate = Field(description="When it is due (1900 to 2200).")


class Action(_Frozen):
    """An action agreed at a review; open until marked done, carried forward until then."""

    id: int
    quarter: str = Field(description="The review that agreed it.")
    supplier: str | None
    what: str
    owner: str
    due: dt.date
    agreed_on: dt.date
    done_on: dt.date | None = None


class ActionStatus(StrEnum):
    """Where an action stands on the day a review is looked at."""

    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"


class ActionLine(_Frozen):
    """An action as a review shows it."""

    action: Action
    status: ActionStatus
    carried_forward: bool = Field(description="Agreed at an earlier review and still tracked.")


class Mover(_Frozen):
    """A supplier whose score or findings changed since the previous review."""

    supplier: str
    criticality: Criticality
    previous_score: int | None = Field(description="None when new since the previous review.")
    score: int
    previous_band: Band | None
    band: Band
    new_findings: list[str]
    resolved_findings: list[str]

    @property
    def change(self) -> int:
        return self.score - (self.previous_score if self.previous_score is not None else 0)

    @property
    def is_new(self) -> bool:
        return self.previous_score is None


class DueReview(_Frozen):
    """A supplier whose relationship review falls due by the end of the quarter."""

    supplier: str
    criticality: Criticality
    owner: str | None
    cadence_months: int
    last_review: dt.date | None
    due_on: dt.date | None = Field(description="None when never reviewed.")
    overdue: bool


class Deadline(_Frozen):
    """A contract whose decide-by or end date falls before the end of the next two quarters."""

    supplier: str
    criticality: Criticality
    contract: str
    decide_by: dt.date | None
    end_date: dt.date
    auto_renewal: bool
    decision_passed: bool
    ended: bool = Field(description="The term ended before the day the review is judged on.")


class DataGap(_Frozen):
    """Something unknown about a strategic or high-criticality supplier."""

    supplier: str
    criticality: Criticality
    title: str
    explanation: str
    question_id: str | None


class ReviewedImpact(_Frozen):
    """A strategic or high supplier's service impact as its snapshot holds it."""

    supplier: str
    criticality: Criticality
    impact: ImpactAtReview


class ReviewReport(_Frozen):
    """Everything ``review show`` and the review pack present for one review."""

    quarter: str
    started_on: dt.date
    closed_on: dt.date | None
    as_of: dt.date = Field(description="The day statuses are worked out for.")
    previous_quarter: str | None
    horizon: dt.date = Field(description="Last day of the deadline window (two quarters on).")
    scores: list[ReviewedScore] = Field(
        description="Every supplier's score at the review, highest priority first "
        "(``review show --format json`` writes each in full, from its snapshot)."
    )
    top_questions: list[BoardQuestion]
    movers: list[Mover]
    left: list[str] = Field(description="Suppliers in the previous review but not this one.")
    due_reviews: list[DueReview]
    deadlines: list[Deadline]
    actions: list[ActionLine]
    data_gaps: list[DataGap]
    trends: dict[str, list[TrendPoint]] = Field(
        description="Each supplier's score at every review up to this one, oldest first."
    )
    impacts: list[ReviewedImpact] = Field(
        default_factory=list,
        description="The service impact of each strategic and high supplier when the review "
        "started, in priority order (empty for reviews started before it was recorded).",
    )

    @property
    def overdue_reviews(self) -> list[DueReview]:
        return [d for d in self.due_reviews if d.overdue]

    @property
    def overdue_actions(self) -> list[ActionLine]:
        return [a for a in self.actions if a.status is ActionStatus.OVERDUE]
