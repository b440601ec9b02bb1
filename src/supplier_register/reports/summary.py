"""The risk summary: one row per supplier plus the ranked board questions.

:func:`build_summary` turns a register, its scores and the day they were taken
into a :class:`RiskSummary`, the single input of every export format, so the
CSV, Markdown, HTML, XLSX and JSON exports always agree with one another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from supplier_register import __version__
from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Register, Supplier
from supplier_register.scoring.results import (
    Band,
    BoardQuestion,
    Dimension,
    Finding,
    KeyQuestion,
    RegisterScores,
    SupplierScore,
)

TOP_FINDINGS = 3
"""How many findings each supplier row names (the most serious first)."""

DETAIL_FINDINGS = 5
"""How many findings the supplier notes of the HTML and Markdown exports explain."""

NOTE_CRITICALITIES = (Criticality.STRATEGIC, Criticality.HIGH)
"""Suppliers of these criticalities get notes in the HTML and Markdown exports."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrendPoint(_Frozen):
    """A supplier's overall score at one quarterly review (or now)."""

    label: str = Field(description="The quarter, e.g. '2026-Q3', or 'now'.")
    score: int = Field(ge=0, le=100)


class FindingLine(_Frozen):
    """One finding as the exports show it."""

    title: str
    contract: str | None
    dimension: Dimension
    points: float
    explanation: str
    reference: str
    data_gap: bool

    @property
    def headline(self) -> str:
        """The title, naming the contract when the finding is about one."""
        return f"{self.title} ({self.contract})" if self.contract else self.title


class SupplierRow(_Frozen):
    """Everything the summary says about one supplier."""

    rank: int = Field(ge=1, description="1 is the highest priority.")
    supplier: str
    category: str | None = Field(
        description="Category label, when the supplier is in the register."
    )
    criticality: Criticality
    owner: str | None
    annual_spend: Decimal | None
    score: int = Field(ge=0, le=100)
    band: Band
    dimensions: dict[Dimension, int]
    findings: list[FindingLine] = Field(description="Every finding, most serious first.")
    data_gap_count: int
    question_count: int
    next_decide_by: dt.date | None
    next_decide_by_contract: str | None
    days_to_decide: int | None = Field(description="Days from today to the decide-by date.")
    last_review: dt.date | None
    trend: list[TrendPoint] = Field(
        default_factory=list, description="Scores at past reviews then now; empty without reviews."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def finding_count(self) -> int:
        """How many findings the supplier has."""
        return len(self.findings)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def top_findings(self) -> list[str]:
        """Headlines of the most serious findings."""
        return [f.headline for f in self.findings[:TOP_FINDINGS]]


class QuestionRow(_Frozen):
    """One ranked board question."""

    rank: int = Field(ge=1)
    supplier: str
    criticality: Criticality
    key_question: KeyQuestion
    text: str
    priority: float


class RiskSummary(_Frozen):
    """The risk summary of a register on one day: the input of every export."""

    title: str = "Technology supplier risk summary"
    trust: str | None = Field(default=None, description="Name of the trust, for the header.")
    today: dt.date
    generator: str = f"supplier-register {__version__}"
    suppliers: list[SupplierRow]
    questions: list[QuestionRow]

    def band_counts(self) -> dict[Band, int]:
        """How many suppliers fall in each band, lowest band first."""
        counts = dict.fromkeys(Band, 0)
        for row in self.suppliers:
            counts[row.band] += 1
        return counts

    def matrix(self) -> dict[tuple[Criticality, Band], list[str]]:
        """Supplier names in each (criticality, band) cell, in priority order."""
        cells: dict[tuple[Criticality, Band], list[str]] = {
            (c, b): [] for c in Criticality for b in Band
        }
        for row in self.suppliers:
            cells[(row.criticality, row.band)].append(row.supplier)
        return cells

    def noted(self) -> list[SupplierRow]:
        """The suppliers the board paper explains in notes: strategic and high criticality."""
        return [r for r in self.suppliers if r.criticality in NOTE_CRITICALITIES]

    def decisions_within(self, days: int) -> list[SupplierRow]:
        """Suppliers whose next decide-by date is passed or within ``days`` days."""
        return [
            r for r in self.suppliers if r.days_to_decide is not None and r.days_to_decide <= days
        ]


def _finding_line(finding: Finding) -> FindingLine:
    return FindingLine(
        title=finding.title,
        contract=finding.contract,
        dimension=finding.dimension,
        points=finding.points,
        explanation=finding.explanation,
        reference=finding.reference,
        data_gap=finding.data_gap,
    )


def _question_row(rank: int, question: BoardQuestion) -> QuestionRow:
    return QuestionRow(
        rank=rank,
        supplier=question.supplier,
        criticality=question.criticality,
        key_question=question.key_question,
        text=question.text,
        priority=question.priority,
    )


def _supplier_row(
    rank: int,
    score: SupplierScore,
    supplier: Supplier | None,
    today: dt.date,
    history: Sequence[TrendPoint],
) -> SupplierRow:
    dims = {d.dimension: d.score for d in score.dimensions}
    decide_by = score.next_decide_by
    return SupplierRow(
        rank=rank,
        supplier=score.supplier,
        category=supplier.category.label if supplier else None,
        criticality=score.criticality,
        owner=supplier.owner if supplier else None,
        annual_spend=supplier.annual_spend if supplier else None,
        score=score.score,
        band=score.band,
        dimensions={d: dims[d] for d in Dimension if d in dims},
        findings=[_finding_line(f) for f in score.findings],
        data_gap_count=len(score.data_gaps),
        question_count=len(score.questions),
        next_decide_by=decide_by,
        next_decide_by_contract=score.next_decide_by_contract,
        days_to_decide=(decide_by - today).days if decide_by else None,
        last_review=supplier.last_review if supplier else None,
        trend=[*history, TrendPoint(label="now", score=score.score)] if history else [],
    )


def build_summary(
    register: Register,
    scores: RegisterScores,
    today: dt.date,
    *,
    trust: str | None = None,
    history: Mapping[str, Sequence[TrendPoint]] | None = None,
) -> RiskSummary:
    """The risk summary of ``register`` as scored in ``scores`` on ``today``.

    ``trust`` defaults to the register's own trust name.  ``history`` maps a supplier name (any case) to its scores at past quarterly
    reviews, oldest first; suppliers with history get a trend ending "now".
    Suppliers keep the priority order of ``scores``.
    """
    trust = trust if trust is not None else register.trust
    past = {name.casefold(): list(points) for name, points in (history or {}).items()}
    by_name = {s.name.casefold(): s for s in register.suppliers}
    rows = [
        _supplier_row(
            i,
            s,
            by_name.get(s.supplier.casefold()),
            today,
            past.get(s.supplier.casefold(), []),
        )
        for i, s in enumerate(scores.suppliers, start=1)
    ]
    questions = [_question_row(i, q) for i, q in enumerate(scores.top_questions, start=1)]
    return RiskSummary(
        trust=(trust.strip() or None) if trust else None,
        today=today,
        suppliers=rows,
        questions=questions,
    )
