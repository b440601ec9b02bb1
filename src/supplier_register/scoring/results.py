"""What scoring produces: scores, findings and board questions.

These models are the contract between the pure scoring engine and everything
that shows or exports its results (CLI, TUI, reports, quarterly reviews).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from supplier_register.domain.enums import Criticality


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


class Band(StrEnum):
    """Risk band of an overall score."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    SEVERE = "severe"

    @property
    def rank(self) -> int:
        return {"low": 1, "medium": 2, "high": 3, "severe": 4}[self.value]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Result):
    """One reason a supplier scores as it does, in words a board member understands."""

    code: str = Field(description="Stable id of the rule or question that raised it.")
    supplier: str
    contract: str | None = Field(default=None, description="Contract title, when about one.")
    dimension: Dimension
    key_question: KeyQuestion
    points: float = Field(ge=0, description="Risk points this finding adds to its dimension.")
    title: str = Field(description="A short headline, e.g. 'Auto-renews'.")
    explanation: str = Field(description="Plain-English explanation of why this is a risk.")
    reference: str = Field(description="The principle-6 passage it comes from.")
    data_gap: bool = Field(default=False, description="Raised because something is unknown.")
    question_id: str | None = Field(default=None, description="Questionnaire question, if any.")


class DimensionScore(_Result):
    """Risk in one dimension: 0 is none, 100 is the most the dimension can hold."""

    dimension: Dimension
    score: int = Field(ge=0, le=100)
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)


class BoardQuestion(_Result):
    """A concrete question for the board, raised by one or more findings."""

    supplier: str
    key_question: KeyQuestion
    text: str
    priority: float = Field(description="Criticality x severity; higher comes first.")
    criticality: Criticality
    finding_codes: list[str]
    contracts: list[str] = Field(
        default_factory=list, description="Titles of the contracts the question is about."
    )


class SupplierScore(_Result):
    """Everything scoring says about one supplier."""

    supplier: str
    criticality: Criticality
    score: int = Field(ge=0, le=100, description="Overall risk, 0 (none) to 100.")
    band: Band
    priority: float = Field(
        default=0.0, ge=0, description="Criticality weight x score; higher comes first."
    )
    dimensions: list[DimensionScore]
    findings: list[Finding] = Field(description="Most serious first.")
    data_gaps: list[Finding] = Field(description="The findings raised because of unknowns.")
    questions: list[BoardQuestion]
    next_decide_by: dt.date | None = None
    next_decide_by_contract: str | None = None

    @property
    def top_finding(self) -> Finding | None:
        return self.findings[0] if self.findings else None


class RegisterScores(_Result):
    """The scores of a whole register on one day."""

    today: dt.date
    suppliers: list[SupplierScore] = Field(description="Highest priority first.")
    top_questions: list[BoardQuestion]
