"""Principle-6 scoring: pure functions from register records and a date to explained scores."""

from supplier_register.scoring.config import ScoringConfig, load_config
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.engine import (
    TOP_FINDINGS,
    Scorer,
    supplier_order,
    top_questions,
)
from supplier_register.scoring.questions import Question, QuestionBank, default_question_bank
from supplier_register.scoring.results import (
    Band,
    BoardQuestion,
    Dimension,
    DimensionScore,
    Finding,
    FindingHead,
    KeyQuestion,
    RegisterOverview,
    RegisterScores,
    SupplierOverview,
    SupplierScore,
)
from supplier_register.scoring.rules import RULES

__all__ = [
    "RULES",
    "TOP_FINDINGS",
    "Band",
    "BoardQuestion",
    "Dimension",
    "DimensionScore",
    "Finding",
    "FindingHead",
    "KeyQuestion",
    "Question",
    "QuestionBank",
    "RegisterOverview",
    "RegisterScores",
    "Scorer",
    "ScoringConfig",
    "ScoringContext",
    "SupplierOverview",
    "SupplierScore",
    "default_question_bank",
    "load_config",
    "supplier_order",
    "top_questions",
]
