"""What scoring produces: scores, findings and board questions.

These models are the contract between the pure scoring engine and everything
that shows or exports its results (CLI, TUI, reports, quarterly reviews).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from supplier_register.domain.enums import Criticality

if TYPE_CHECKING:
    from supplier_register.scoring.context import ScoringContext


class Dimension(StrEnum):
    """The parts of principle 6 a supplier is scored on."""

    BUYING = "buying"
    EXPERTISE = "expertise"
    TURNKEY = "turnkey"
    OPTIONS = "options"
    EXIT = "exit"
    RELATIONSHIP = "relationship"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


DIMENSION_LABELS = {
    Dimension.BUYING: "Buying the right thing, the right way",
    Dimension.EXPERTISE: "Digital and commercial expertise",
    Dimension.TURNKEY: "'Magic' turn-key claims",
    Dimension.OPTIONS: "Keeping options open (lock-in and data)",
    Dimension.EXIT: "If the relationship goes wrong",
    Dimension.RELATIONSHIP: "Managing the relationship",
}


class Theme(StrEnum):
    """What a board question is about: a supplier gets at most one board question per theme,
    the findings of a theme merged into it (keeping options open and exit are one theme: the
    board asks once how the trust would leave)."""

    EXIT = "exit"
    BUYING = "buying"
    EXPERTISE = "expertise"
    TURNKEY = "turnkey"
    RELATIONSHIP = "relationship"

    @property
    def label(self) -> str:
        return THEME_LABELS[self]


THEME_LABELS = {
    Theme.EXIT: "Options and exit",
    Theme.BUYING: "Buying and contracts",
    Theme.EXPERTISE: "In-house expertise",
    Theme.TURNKEY: "'Magic' turn-key claims",
    Theme.RELATIONSHIP: "The relationship",
}

THEME_OF = {
    Dimension.BUYING: Theme.BUYING,
    Dimension.EXPERTISE: Theme.EXPERTISE,
    Dimension.TURNKEY: Theme.TURNKEY,
    Dimension.OPTIONS: Theme.EXIT,
    Dimension.EXIT: Theme.EXIT,
    Dimension.RELATIONSHIP: Theme.RELATIONSHIP,
}
"""The theme of each dimension's findings."""


class DecisionFact(NamedTuple):
    """A contract that puts a time-bound decision before the trust, as scoring found it.

    ``kind`` is "decide_by" (the decide-by date has passed or falls within the horizon,
    the contract still current) or "ended_in_use" (the contract has ended, no current one is
    on record, and the supplier still supports our services).  ``date`` is the date the
    decision is about: the decide-by date, or the end date for an ended contract.  Dates
    only: days left are counted on the day the decision is shown.
    """

    kind: Literal["decide_by", "ended_in_use"]
    contract: str
    date: dt.date
    end_date: dt.date | None
    notice_by: dt.date | None
    """The last day to give notice (end date minus notice period), when recorded."""
    auto_renewal: bool | None
    latest_end: dt.date | None
    """The end date with every extension option taken, when recorded."""
    migration_days: int | None


class KeyQuestion(StrEnum):
    """The three key questions principle 6 asks boards."""

    SKILLS = "skills"
    CONTRACTING = "contracting"
    IF_WRONG = "if_wrong"

    @property
    def text(self) -> str:
        return KEY_QUESTION_TEXT[self]


KEY_QUESTION_TEXT = {
    KeyQuestion.SKILLS: "Do we have the in-house skills to navigate technology markets?",
    KeyQuestion.CONTRACTING: "Are we using the right contracting methods?",
    KeyQuestion.IF_WRONG: (
        "What would happen if our relationship with an important technology supplier went wrong?"
    ),
}


GAP_PHRASES = 3
"""How many of a supplier's unknowns an overview names (the most important)."""

SCORING_MODEL = "impact-exposure-2"
"""The name of the score model: what review snapshots record they were scored with."""
OLD_SCORING_MODEL = "weighted-dimensions-1"
"""The model of the first release (the weighted mean of six dimension scores), which snapshots
taken before :data:`SCORING_MODEL` were scored with."""
SCORING_MODEL_LABELS = {
    SCORING_MODEL: "impact x exposure, with confidence (model 2)",
    OLD_SCORING_MODEL: "weighted mean of the six dimensions (model 1)",
}


class Band(StrEnum):
    """Risk band of an overall score; 'unassessed' when too little is known to band it."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"
    UNASSESSED = "unassessed"

    @property
    def rank(self) -> int:
        """Low 1 to severe 4; unassessed 0 (no band yet)."""
        return _BAND_RANK[self.value]


_BAND_RANK = {"unassessed": 0, "low": 1, "medium": 2, "high": 3, "severe": 4}


_IDS = ("supplier_id", "contract_id")
"""The fields naming records by their database id: left out of documents and of ``==``."""


def _id_field(what: str) -> Any:
    """A record's database id: what results are joined to records by (None for a register
    read from a file, which has no ids).  Not written to the documented outputs (scores JSON,
    questions JSON, review snapshots), which name records as before, and not compared, so a
    result scored from the database equals one scored from the same register in a file."""
    return Field(default=None, exclude=True, repr=False, description=f"The {what}'s id.")


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Result):
            return NotImplemented
        if type(self) is not type(other):
            return False
        mine, theirs = self.__dict__, other.__dict__
        return mine == theirs or _without_ids(mine) == _without_ids(theirs)

    def __hash__(self) -> int:
        return hash(tuple(_without_ids(self.__dict__).values()))


def _without_ids(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in _IDS}


class Finding(_Result):
    """One reason a supplier scores as it does, in words a board member understands."""

    code: str = Field(description="Stable id of the rule or question that raised it.")
    supplier: str
    contract: str | None = Field(default=None, description="Contract title, when about one.")
    dimension: Dimension
    key_question: KeyQuestion
    points: float = Field(
        ge=0,
        description="Risk points of the finding (for a data gap: what it would add if the "
        "answer turned out bad).",
    )
    title: str = Field(description="A short headline, e.g. 'Auto-renews'.")
    explanation: str = Field(description="Plain-English explanation of why this is a risk.")
    reference: str = Field(description="The principle-6 passage it comes from.")
    data_gap: bool = Field(default=False, description="Raised because something is unknown.")
    question_id: str | None = Field(default=None, description="Questionnaire question, if any.")
    evidence: str | None = Field(
        default=None,
        description="What the answer behind it is based on, as recorded (plain text, whole).",
    )
    supplier_id: int | None = _id_field("supplier")
    contract_id: int | None = _id_field("contract (when the finding is about one)")


class DimensionScore(_Result):
    """Where the exposure is: one dimension's exposure, 0 (nothing found) to 100; ``points``
    are its findings' points and ``max_points`` the weight of the questions that apply to it
    (0 when none does)."""

    dimension: Dimension
    score: int = Field(ge=0, le=100)
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)


class BoardQuestion(_Result):
    """A concrete question for the board, raised by one or more findings."""

    supplier: str
    key_question: KeyQuestion
    text: str
    priority: float = Field(description="Supplier impact x severity; higher comes first.")
    criticality: Criticality
    finding_codes: list[str]
    contracts: list[str] = Field(
        default_factory=list, description="Titles of the contracts the question is about."
    )
    evidence: list[str] = Field(
        default_factory=list,
        description="What the answers behind it are based on, as recorded (plain text, each "
        "trimmed to a sentence or two).",
    )
    supplier_id: int | None = _id_field("supplier")
    theme: Theme | None = Field(
        default=None,
        description="What the question is about: a supplier has at most one per theme "
        "(None for a question about the trust itself).",
    )
    also: list[str] = Field(
        default_factory=list,
        description="The further questions of the same supplier and theme merged into this "
        "one, most serious first.",
    )
    scope: Literal["supplier", "trust"] = Field(
        default="supplier",
        description="'trust': a question about the trust itself (a trust-level finding), "
        "ranked with the suppliers' questions; ``supplier`` then names the trust.",
    )


class SupplierScore(_Result):
    """Everything scoring says about one supplier."""

    supplier: str
    criticality: Criticality
    score: int = Field(ge=0, le=100, description="Risk: impact x exposure, 0 (none) to 100.")
    band: Band
    priority: float = Field(
        default=0.0, ge=0, description="The risk unrounded; higher comes first."
    )
    impact: float = Field(
        default=1.0, ge=0, le=5, description="Harm if the relationship went wrong, 1 to 5."
    )
    exposure: float = Field(
        default=0.0, ge=0, le=1, description="How open known weaknesses leave us, 0 to 1."
    )
    confidence: float = Field(
        default=1.0, ge=0, le=1, description="Share of what matters that is known, 0 to 1."
    )
    risk_low: int = Field(default=0, ge=0, le=100, description="Risk if every unknown is good.")
    risk_high: int = Field(default=0, ge=0, le=100, description="Risk if every unknown is bad.")
    impact_reasons: list[str] = Field(
        default_factory=list, description="What sets the impact, in words."
    )
    dimensions: list[DimensionScore]
    findings: list[Finding] = Field(description="Most serious first.")
    data_gaps: list[Finding] = Field(description="The findings raised because of unknowns.")
    questions: list[BoardQuestion]
    next_decide_by: dt.date | None = None
    next_decide_by_contract: str | None = None
    decisions: list[DecisionFact] = Field(
        default_factory=list,
        description="Contracts that put a time-bound decision before the trust, soonest first.",
    )
    gap_phrases: list[str] = Field(
        default_factory=list,
        description="The most important unknowns, in words ('whether ... '), most serious first.",
    )
    gap_priority: float = Field(
        default=0.0, ge=0, description="Impact x the worst data gap's severity (as counted)."
    )
    exit_plan: str | None = Field(
        default=None, description="The answer on an exit plan ('yes', 'no', ...; None: none)."
    )
    notice_dates: list[dt.date] = Field(
        default_factory=list,
        description="The last days to give notice on the current auto-renewing contracts, "
        "soonest first (those passed too).",
    )
    supplier_id: int | None = _id_field("supplier")

    @property
    def top_finding(self) -> Finding | None:
        return self.findings[0] if self.findings else None


class RegisterScores(_Result):
    """The scores of a whole register on one day."""

    today: dt.date
    suppliers: list[SupplierScore] = Field(description="Highest priority first.")
    top_questions: list[BoardQuestion]


_DIMENSIONS = tuple(Dimension)  # iterating an enum class is slow in a hot loop
_KEY_QUESTIONS = tuple(KeyQuestion)


class FindingHead(NamedTuple):
    """A finding's title and the contract it is about, as lists of findings name it."""

    title: str
    contract: str | None

    @property
    def headline(self) -> str:
        """The title, naming the contract when the finding is about one (and its title does not
        already name it: "Not known: whether 'PACS' was competed ...", not "... ('PACS')")."""
        if self.contract and f"'{self.contract}'" not in self.title:
            return f"{self.title} ({self.contract})"
        return self.title


@dataclass(frozen=True, slots=True)
class SupplierOverview:
    """The headline of one supplier's score: what a register table or summary row shows.

    Every figure equals the one in the supplier's full :class:`SupplierScore`
    (see :meth:`of`); only the most serious findings are named, so a register of
    tens of thousands of suppliers stays small.
    """

    supplier: str
    criticality: Criticality
    score: int
    band: Band
    priority: float
    impact: float
    exposure: float
    confidence: float
    risk_low: int
    risk_high: int
    dimension_scores: tuple[int, ...]
    """Score of each dimension, in :class:`Dimension` order."""
    finding_count: int
    data_gap_count: int
    question_count: int
    questions_by_key: tuple[int, ...]
    """Board questions under each of the three key questions, in :class:`KeyQuestion` order."""
    top_findings: tuple[FindingHead, ...]
    """The most serious findings, most serious first."""
    next_decide_by: dt.date | None
    next_decide_by_contract: str | None
    supplier_id: int | None = field(default=None, compare=False)
    """The supplier's id in the register database (None for a register read from a file):
    what overviews are joined to records by; ``supplier`` is the name, for display.  Not
    compared: two overviews are equal when their figures are, wherever they were read from."""
    decisions: tuple[DecisionFact, ...] = ()
    """Contracts that put a time-bound decision before the trust, soonest first."""
    gap_phrases: tuple[str, ...] = ()
    """The three most important unknowns, in words, most serious first."""
    gap_priority: float = 0.0
    """Impact x the worst data gap's severity as unknowns count: how pressing finding out is."""
    exit_plan: str | None = None
    """The answer on an exit plan ('yes', 'partly', 'no', 'unknown'; None: not asked)."""
    notice_dates: tuple[dt.date, ...] = ()
    """The last days to give notice on the current auto-renewing contracts, soonest first (those
    passed too): the register's "notice by" column."""

    @property
    def top_finding(self) -> FindingHead | None:
        return self.top_findings[0] if self.top_findings else None

    @property
    def dimensions(self) -> dict[Dimension, int]:
        """Each dimension's score, in dimension order."""
        return dict(zip(_DIMENSIONS, self.dimension_scores, strict=True))

    @classmethod
    def of(cls, score: SupplierScore, top_findings: int = 3) -> SupplierOverview:
        """The overview of a full score, naming its first ``top_findings`` findings."""
        by_dimension = {d.dimension: d.score for d in score.dimensions}
        return cls(
            supplier=score.supplier,
            criticality=score.criticality,
            score=score.score,
            band=score.band,
            priority=score.priority,
            impact=score.impact,
            exposure=score.exposure,
            confidence=score.confidence,
            risk_low=score.risk_low,
            risk_high=score.risk_high,
            dimension_scores=tuple(by_dimension.get(d, 0) for d in _DIMENSIONS),
            finding_count=len(score.findings),
            data_gap_count=len(score.data_gaps),
            question_count=len(score.questions),
            questions_by_key=tuple(
                sum(1 for q in score.questions if q.key_question is k) for k in _KEY_QUESTIONS
            ),
            top_findings=tuple(
                FindingHead(f.title, f.contract) for f in score.findings[:top_findings]
            ),
            next_decide_by=score.next_decide_by,
            next_decide_by_contract=score.next_decide_by_contract,
            supplier_id=score.supplier_id,
            decisions=tuple(score.decisions),
            gap_phrases=tuple(score.gap_phrases[:GAP_PHRASES]),
            gap_priority=score.gap_priority,
            exit_plan=score.exit_plan,
            notice_dates=tuple(score.notice_dates),
        )


@dataclass(frozen=True)
class RegisterOverview:
    """A whole register scored on one day, as overviews (see ``Scorer.overview_records``).

    ``suppliers`` and ``top_questions`` equal those of :class:`RegisterScores`
    (as overviews); ``question_counts`` says how many board questions the
    register raises under each key question, and ``ranked_questions`` holds the
    most pressing of them (as many as were asked for), highest priority first.
    ``context`` is the register-wide context the scores were taken with, for
    scoring any one supplier in full.
    """

    today: dt.date
    suppliers: list[SupplierOverview]
    top_questions: list[BoardQuestion]
    question_counts: Mapping[KeyQuestion, int]
    ranked_questions: Mapping[KeyQuestion, list[BoardQuestion]]
    context: ScoringContext
