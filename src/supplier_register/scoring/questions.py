"""The principle-6 question bank: loaded from versioned JSON data, validated once.

The bank ships as ``question_bank.json`` beside this module.  Every question is
worded so that "yes" is the good answer (the scale is ``AnswerValue``) and
carries the principle-6 passage it comes from, so every score can be explained.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from supplier_register.domain.enums import Criticality, SupplyCategory
from supplier_register.domain.errors import BadFile, describe_validation_error, first_problem
from supplier_register.scoring.results import Dimension, KeyQuestion

QUESTION_BANK_VERSION = 1

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AppliesTo(_Frozen):
    """Limits a question to some supply categories and/or criticalities (both must match)."""

    categories: tuple[SupplyCategory, ...] | None = None
    criticalities: tuple[Criticality, ...] | None = None

    def matches(self, category: SupplyCategory, criticality: Criticality) -> bool:
        """True when a supplier of this category and criticality should answer the question."""
        if self.categories is not None and category not in self.categories:
            return False
        return self.criticalities is None or criticality in self.criticalities


class Question(_Frozen):
    """One question of the bank; "yes" is always the good answer."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z]+\.[a-z][a-z0-9_]{1,60}$")] = Field(
        description="Stable id, '<dimension>.<name>', e.g. 'options.bulk_export'."
    )
    dimension: Dimension
    key_question: KeyQuestion = Field(description="Which of the three board questions it informs.")
    title: Text = Field(description="Short headline of the risk when the answer is not 'yes'.")
    wording: Text = Field(description="The question as asked; 'yes' is the good answer.")
    why_it_matters: Text = Field(description="Paraphrase of the principle-6 passage behind it.")
    reference: Text = Field(description="The principle-6 section or case study it comes from.")
    weight: float = Field(gt=0, le=10, description="Risk points a 'no' adds to its dimension.")
    applies_to: AppliesTo | None = Field(
        default=None, description="Only these categories/criticalities answer it; all if empty."
    )
    board_question: Text = Field(
        description="Board question for a 'no' or 'partly'; '{supplier}' is filled in."
    )
    gap: Text = Field(
        description="What is not known when the answer is 'unknown', as a phrase: 'whether ...'."
    )
    refresh_months: int | None = Field(
        default=None,
        ge=1,
        le=60,
        description="A 'yes' older than this many months counts only as 'partly'.",
    )

    @model_validator(mode="after")
    def _id_matches_dimension(self) -> Question:
        if self.id.split(".", 1)[0] != self.dimension.value:
            raise ValueError(f"id {self.id!r} must start with its dimension '{self.dimension}.'")
        if "{supplier}" not in self.board_question:
            raise ValueError(f"{self.id}: board_question must mention {{supplier}}")
        return self

    def applies(self, category: SupplyCategory, criticality: Criticality) -> bool:
        """True when a supplier of this category and criticality should answer it."""
        return self.applies_to is None or self.applies_to.matches(category, criticality)

    def board_text(self, supplier: str) -> str:
        """The board question about one supplier."""
        return self.board_question.replace("{supplier}", supplier)


class QuestionBank(_Frozen):
    """The versioned list of questions, in presentation order."""

    version: Literal[1]
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> QuestionBank:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(f"duplicate question id {question.id!r}")
            seen.add(question.id)
        return self

    @property
    def by_id(self) -> dict[str, Question]:
        """Questions keyed by id."""
        return {question.id: question for question in self.questions}

    def get(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self.by_id.get(question_id)

    def for_dimension(self, dimension: Dimension) -> list[Question]:
        """The questions feeding one dimension, in bank order."""
        return [q for q in self.questions if q.dimension is dimension]


def parse_question_bank(text: str, source: str = "question bank") -> QuestionBank:
    """Validate question-bank JSON text; raise BadFile with a one-line reason if it is wrong."""
    try:
        return QuestionBank.model_validate_json(text)
    except ValidationError as exc:
        raise BadFile(first_problem(describe_validation_error(exc, source))) from None


def load_question_bank(path: Path | None = None) -> QuestionBank:
    """Load a question bank from a file, or the shipped bank when ``path`` is None."""
    if path is None:
        return default_question_bank()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFile(f"{path}: cannot read question bank: {exc.__class__.__name__}") from None
    return parse_question_bank(text, str(path))


@cache
def default_question_bank() -> QuestionBank:
    """The question bank shipped with the package (loaded once)."""
    text = resources.files("supplier_register.scoring").joinpath("question_bank.json")
    return parse_question_bank(text.read_text(encoding="utf-8"), "question_bank.json")


def question_ids() -> list[str]:
    """Every question id of the shipped bank, in bank order."""
    return [q.id for q in default_question_bank().questions]


__all__ = [
    "QUESTION_BANK_VERSION",
    "AppliesTo",
    "Question",
    "QuestionBank",
    "default_question_bank",
    "load_question_bank",
    "parse_question_bank",
    "question_ids",
]
