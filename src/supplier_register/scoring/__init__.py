"""Principle-6 scoring: pure functions from register records and a date to explained scores."""

from supplier_register.scoring.config import ScoringConfig, load_config
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.engine import (
    Scorer,
    score_register,
    score_supplier,
    top_questions,
)
from supplier_register.scoring.questions import Question, QuestionBank, default_question_bank
from supplier_register.scoring.results import (
    Band,
    BoardQuestion,
    Dimension,
    DimensionScore,
    Finding,
    KeyQuestion,
    RegisterScores,
    SupplierScore,
)
from supplier_register.scoring.rules import RULES

__all__ = [
    "RULES",
    "Band",
    "BoardQuestion",
    "Dimension",
    "DimensionScore",
    "Finding",
    "KeyQuestion",
    "Question",
    "QuestionBank",
    "RegisterScores",
    "Scorer",
    "ScoringConfig",
    "ScoringContext",
    "SupplierScore",
    "default_question_bank",
    "load_config",
    "score_register",
    "score_supplier",
    "top_questions",
]
