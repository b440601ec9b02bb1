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
from supplier_register.scoring.results import (
    OLD_SCORING_MODEL,
    SCORING_MODEL_LABELS,
    Band,
    BoardQuestion,
    SupplierScore,
)

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
    scoring_model: str = OLD_SCORING_MODEL
    """The score model of that review: scores of different models are never compared."""


def model_label(scoring_model: str) -> str:
    """The score model in words, e.g. 'impact x exposure, with confidence (model 2)'."""
    return SCORING_MODEL_LABELS.get(scoring_model, scoring_model)


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
    its service impact; ``None`` in older snapshots).

    ``scoring_model`` names the score model that scored it: a snapshot stored before
    it was recorded has none and was scored with the first model
    (:data:`~supplier_register.scoring.results.OLD_SCORING_MODEL`).  Its score is kept
    exactly as taken, never scored again; the figures the first model did not have
    (impact, exposure, confidence) are ``None`` for it (see :attr:`assessed`)."""

    supplier: Supplier
    contracts: list[Contract]
    score: SupplierScore
    impact: ImpactAtReview | None = None
    scoring_model: str = OLD_SCORING_MODEL

    @property
    def assessed(self) -> tuple[float | None, float | None, float | None]:
        """The score's impact, exposure and confidence; ``None`` each for a snapshot whose
        stored score does not hold them (taken with the first model): never a default."""
        held = self.score.model_fields_set
        return (
            self.score.impact if "impact" in held else None,
            self.score.exposure if "exposure" in held else None,
            self.score.confidence if "confidence" in held else None,
        )


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
    impact: float | None = Field(
        default=None, description="Impact, 1 to 5 (None: scored with the first model)."
    )
    exposure: float | None = Field(
        default=None, description="Exposure, 0 to 1 (None: scored with the first model)."
    )
    confidence: float | None = Field(
        default=None, description="Confidence, 0 to 1 (None: scored with the first model)."
    )

    @classmethod
    def of(cls, score: SupplierScore, snapshot: SupplierSnapshot | None = None) -> ReviewedScore:
        """``score`` in brief; with its ``snapshot``, the impact, exposure and confidence
        it holds (none for a snapshot taken with the first model)."""
        impact, exposure, confidence = (
            snapshot.assessed if snapshot is not None else (None, None, None)
        )
        return construct(
            cls,
            supplier=score.supplier,
            criticality=score.criticality,
            score=score.score,
            band=score.band,
            question_count=len(score.questions),
            impact=impact,
            exposure=exposure,
            confidence=confidence,
        )


class Review(_Frozen):
    """A quarterly review: when it started, whether it is closed, and the board questions then."""

    id: int
    quarter: str
    started_on: dt.date
    closed_on: dt.date | None = None
    top_questions: list[BoardQuestion] = Field(default_factory=list)
    scoring_model: str = Field(
        default=OLD_SCORING_MODEL,
        description="The score model that scored its snapshots (a review started before "
        "this was recorded: the first model).",
    )

    @property
    def scoring_model_label(self) -> str:
        """Its score model in words."""
        return model_label(self.scoring_model)

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
    def comparable(self) -> bool:
        """Whether the two scores can be compared: both were banded.  A supplier that was
        or is unassessed (too little known to band it) neither improved nor worsened."""
        return (
            self.previous_score is not None
            and self.previous_band is not Band.UNASSESSED
            and self.band is not Band.UNASSESSED
        )

    @property
    def change(self) -> int:
        """How much the score rose (negative: fell); 0 when the scores are not comparable
        (see :attr:`comparable`) or the supplier is new."""
        if not self.comparable or self.previous_score is None:
            return 0
        return self.score - self.previous_score

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
    auto_renewal: bool | None = Field(description="Renews automatically; None: not recorded.")
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
    scoring_model: str = Field(
        default=OLD_SCORING_MODEL, description="The score model that scored this review."
    )
    previous_scoring_model: str | None = Field(
        default=None, description="The score model that scored the previous review."
    )
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
    gap_unknowns: dict[str, list[str]] = Field(
        default_factory=dict,
        exclude=True,
        description="The most important unknowns of each supplier with data gaps, in words, "
        "most serious first, as its snapshot words them (none for older snapshots).",
    )
    trends: dict[str, list[TrendPoint]] = Field(
        description="Each supplier's score at every review up to this one, oldest first."
    )
    impacts: list[ReviewedImpact] = Field(
        default_factory=list,
        description="The service impact of each strategic and high supplier when the review "
        "started, in priority order (empty for reviews started before it was recorded).",
    )

    @property
    def compared(self) -> bool:
        """Whether scores and findings are compared with the previous review: there is one,
        and the same score model scored both (a change of model is not a change of risk)."""
        return (
            self.previous_quarter is not None and self.previous_scoring_model == self.scoring_model
        )

    @property
    def scoring_model_label(self) -> str:
        """The score model of this review in words."""
        return model_label(self.scoring_model)

    @property
    def overdue_reviews(self) -> list[DueReview]:
        return [d for d in self.due_reviews if d.overdue]

    @property
    def overdue_actions(self) -> list[ActionLine]:
        return [a for a in self.actions if a.status is ActionStatus.OVERDUE]
