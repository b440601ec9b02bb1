"""The risk summary: one row per supplier plus the ranked board questions.

:func:`build_overview_summary` turns a register's suppliers, their overviews
(see :class:`~supplier_register.scoring.RegisterOverview`) and the day they were
scored into a :class:`RiskSummary`, the single input of every export format, so
the CSV, Markdown, HTML, XLSX and JSON exports always agree with one another.
The rows name only the findings the exports explain, and
:meth:`RiskSummary.rows_with_every_finding` works out the rest one batch of
suppliers at a time, for the exports that list every finding.  That keeps a
register of tens of thousands of suppliers small in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from supplier_register import __version__
from supplier_register.domain.enums import Criticality, SupplyCategory
from supplier_register.domain.models import Supplier
from supplier_register.domain.trusted import construct, whole_maker
from supplier_register.impact import ConcentrationRow, SupplierImpact
from supplier_register.review.models import TrendPoint
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.results import (
    Band,
    BoardQuestion,
    Dimension,
    Finding,
    KeyQuestion,
    RegisterOverview,
    SupplierOverview,
    SupplierScore,
)
from supplier_register.scoring.trust import TrustFinding

_DIMENSIONS = tuple(Dimension)  # iterating an enum class is slow, once per row

TOP_FINDINGS = 3
"""How many findings each supplier row names (the most serious first)."""

DETAIL_FINDINGS = 5
"""How many findings the supplier notes of the HTML and Markdown exports explain."""

NOTE_CRITICALITIES = (Criticality.STRATEGIC, Criticality.HIGH)
"""Suppliers of these criticalities get notes in the HTML and Markdown exports."""

NOTES_LIMIT = 25
"""How many suppliers the HTML board paper explains in notes unless told (``export --notes``).

A board reads a few pages of notes, not thousands: a register of tens of
thousands of suppliers has thousands of strategic and high-criticality ones.
The most pressing are explained; the paper says how many more there are and
where their findings are.
"""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
        """The title, naming the contract when the finding is about one (and its title does not
        already name it: "Not known: whether 'PACS' was competed ...", not "... ('PACS')")."""
        if self.contract and f"'{self.contract}'" not in self.title:
            return f"{self.title} ({self.contract})"
        return self.title


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
    impact: float = Field(ge=0, le=5, description="Harm if the relationship went wrong, 1 to 5.")
    exposure: float = Field(ge=0, le=1, description="How open known weaknesses leave us, 0 to 1.")
    confidence: float = Field(ge=0, le=1, description="Share of what matters that is known.")
    risk_low: int = Field(ge=0, le=100, description="Risk if every unknown is good.")
    risk_high: int = Field(ge=0, le=100, description="Risk if every unknown is bad.")
    impact_reasons: list[str] = Field(
        description="What sets the impact, in words; empty in a summary built from overviews "
        "until the row's findings are worked out (see noted_in_detail)."
    )
    dimensions: dict[Dimension, int]
    findings: list[FindingLine] = Field(
        description="Every finding, most serious first; none in a summary built from "
        "overviews (see RiskSummary.noted_in_detail and rows_with_every_finding)."
    )
    data_gap_count: int
    question_count: int
    next_decide_by: dt.date | None
    next_decide_by_contract: str | None
    days_to_decide: int | None = Field(description="Days from today to the decide-by date.")
    last_review: dt.date | None
    trend: list[TrendPoint] = Field(
        default_factory=list, description="Scores at past reviews then now; empty without reviews."
    )
    finding_count: int = Field(ge=0, description="How many findings the supplier has.")
    top_findings: list[str] = Field(description="Headlines of the most serious findings.")

    def dimension_score(self, index: int) -> int | None:
        """The score of the ``index``-th :class:`Dimension` (in enum order), if scored."""
        return self.dimensions.get(_DIMENSIONS[index])


class ContractFacts(NamedTuple):
    """What a supplier's contracts say for the board paper's supplier table, worked out by the
    application layer from the stored contracts (``services.exports.contract_facts``).  A
    plain tuple: a register of 50,000 suppliers has as many."""

    value: Decimal | None = None
    """Sum of the total values of its current contracts (None: none recorded)."""
    unvalued: int = 0
    """Current contracts with no total value."""
    notice_by: dt.date | None = None
    """The soonest last day to give notice (end date minus notice period) on a current
    auto-renewing contract."""
    notice_contract: str | None = None
    """The contract of notice_by."""
    ended_on: dt.date | None = None
    """When every contract has ended: the latest end date (None otherwise)."""


class QuestionRow(_Frozen):
    """One ranked board question."""

    rank: int = Field(ge=1)
    supplier: str
    criticality: Criticality
    key_question: KeyQuestion
    text: str
    priority: float
    evidence: list[str] = Field(
        default_factory=list,
        description="What the answers behind it are based on, as recorded (one line each).",
    )
    scope: Literal["supplier", "trust"] = Field(
        default="supplier",
        description="'trust': a question about the trust itself (``supplier`` names the trust).",
    )


EveryFinding = Callable[[Sequence["SupplierRow"]], Iterable[SupplierScore]]
"""The full score of each row's supplier (every finding, most serious first, and what sets its
impact), in the order of the rows (lazily)."""


class AuditSeal(_Frozen):
    """The head of the register's audit chain when a paper was made, to check the log by later.

    ``supplier-register audit --verify --head HEAD`` then shows whether the log
    up to this point has been changed since (see ``storage.audit``).
    """

    entries: int = Field(ge=0, description="Sealed audit entries up to and including the head.")
    head: str = Field(description="The seal of the last entry: SHA-256, 64 hex digits.")
    unsealed: int = Field(
        default=0, ge=0, description="Later entries made by other tools, not yet sealed."
    )


class ImpactSection(_Frozen):
    """What the exports say about service impact, worked out by the application layer
    (``services.impact``): worded by :mod:`supplier_register.reports.service_impact`."""

    impacts: list[SupplierImpact] = Field(
        description="Strategic and high-criticality suppliers, in the summary's priority order."
    )
    left_out: int = Field(
        default=0, ge=0, description="Strategic and high suppliers whose impact is not shown."
    )
    concentration: list[ConcentrationRow] = Field(
        description="The top rows of the concentration view."
    )
    concentration_total: int = Field(
        ge=0, description="How many suppliers and groups carry a service or a dependent at all."
    )


class RiskSummary(_Frozen):
    """The risk summary of a register on one day: the input of every export."""

    title: str = "Technology supplier risk summary"
    trust: str | None = Field(default=None, description="Name of the trust, for the header.")
    today: dt.date
    generator: str = f"supplier-register {__version__}"
    suppliers: list[SupplierRow]
    questions: list[QuestionRow]
    audit: AuditSeal | None = Field(
        default=None, description="The audit chain's head when the summary was made."
    )
    impact: ImpactSection | None = Field(
        default=None,
        exclude=True,
        description="The service impact section of the csv, md, html and xlsx exports "
        "(None: the summary was made without one).",
    )
    trust_findings: list[TrustFinding] | None = Field(
        default=None,
        exclude=True,
        description="The trust's own findings (``reports.trust_section``) of the md, html, csv "
        "and xlsx exports (None: the summary was made without them).",
    )
    board: BoardPack | None = Field(
        default=None,
        exclude=True,
        description="The board pack: decisions required, board questions and management "
        "actions (None: the summary was made without one).",
    )
    author: str | None = Field(
        default=None, exclude=True, description="Who wrote the paper (None: not recorded)."
    )
    version: str = Field(default="1.0", exclude=True, description="The paper's version.")
    marking: str | None = Field(
        default=None,
        exclude=True,
        description="The protective marking of the paper (None: the default marking).",
    )
    contract_facts: dict[int, ContractFacts] | None = Field(
        default=None,
        exclude=True,
        description="What each row's contracts say, by the row's rank (None: not worked out).",
    )
    _every_finding: EveryFinding | None = PrivateAttr(default=None)
    _supplier_ids: dict[int, int] = PrivateAttr(default_factory=dict)
    """The register id of each row's supplier, by rank (none for a register read from a file)."""

    def supplier_id(self, row: SupplierRow) -> int | None:
        """The register id of ``row``'s supplier: ``None`` when the summary was made from
        records that carry no id (a register read from a file)."""
        return self._supplier_ids.get(row.rank)

    def noted_in_detail(self, limit: int | None = None) -> Iterator[SupplierRow]:
        """The rows :meth:`noted` gives, each with (at least) the findings the notes explain.

        Only the first ``limit`` (the most pressing) when given.  A summary built
        from overviews works them out as the rows are taken.
        """
        noted = self.noted() if limit is None else self.noted()[: max(0, limit)]
        if self._every_finding is None:
            yield from noted
            return
        every = self._every_finding(noted)
        for row, score in zip(noted, every, strict=True):
            lines = [_finding_line(f) for f in score.findings[:DETAIL_FINDINGS]]
            yield row.model_copy(
                update={"findings": lines, "impact_reasons": list(score.impact_reasons)}
            )

    def rows_with_every_finding(
        self, rows: Sequence[SupplierRow] | None = None
    ) -> Iterator[SupplierRow]:
        """Each supplier row (of ``rows``, default all) with every one of its findings, in order.

        A summary built from overviews works them out as the rows are taken, a
        batch of suppliers at a time, so only the rows in hand hold them.
        """
        rows = self.suppliers if rows is None else rows
        if self._every_finding is None:
            yield from rows
            return
        every = self._every_finding(rows)
        for row, score in zip(rows, every, strict=True):
            yield row.model_copy(
                update={
                    "findings": [_finding_line(f) for f in score.findings],
                    "impact_reasons": list(score.impact_reasons),
                }
            )

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


# Rows are made without validation (supplier_register.domain.trusted): every value comes from the
# scoring engine and the stored records, already of its field's type, and a large register
# has tens of thousands of rows (a test validates whole summaries again).


def _finding_line(finding: Finding) -> FindingLine:
    return construct(
        FindingLine,
        title=finding.title,
        contract=finding.contract,
        dimension=finding.dimension,
        points=finding.points,
        explanation=finding.explanation,
        reference=finding.reference,
        data_gap=finding.data_gap,
    )


def question_row(rank: int, question: BoardQuestion) -> QuestionRow:
    """The row of the board question ranked ``rank``."""
    return construct(
        QuestionRow,
        rank=rank,
        supplier=question.supplier,
        criticality=question.criticality,
        key_question=question.key_question,
        text=question.text,
        priority=question.priority,
        evidence=list(question.evidence),
        scope=question.scope,
    )


_make_row = whole_maker(SupplierRow)
"""A :class:`SupplierRow` from a dict of every field (see :mod:`supplier_register.domain.trusted`)."""

CATEGORY_LABELS = {c: c.label for c in SupplyCategory}
"""Each category's label, looked up once (a row is made per supplier, tens of thousands)."""


def _supplier_row(
    rank: int,
    score: SupplierScore | SupplierOverview,
    findings: Sequence[Finding],
    supplier: Supplier | None,
    today: dt.date,
    history: Sequence[TrendPoint],
) -> SupplierRow:
    reasons: list[str] = []
    if isinstance(score, SupplierOverview):
        # an overview holds every dimension, in dimension order: its dict is the row's
        overview, dimensions = score, score.dimensions
    else:
        reasons = list(score.impact_reasons)
        overview = SupplierOverview.of(score, TOP_FINDINGS)
        dims = {d.dimension: d.score for d in score.dimensions}
        dimensions = {d: dims[d] for d in _DIMENSIONS if d in dims}
    decide_by = overview.next_decide_by
    return _make_row(
        {
            "rank": rank,
            "supplier": overview.supplier,
            "category": CATEGORY_LABELS[supplier.category] if supplier else None,
            "criticality": overview.criticality,
            "owner": supplier.owner if supplier else None,
            "annual_spend": supplier.annual_spend if supplier else None,
            "score": overview.score,
            "band": overview.band,
            "impact": overview.impact,
            "exposure": overview.exposure,
            "confidence": overview.confidence,
            "risk_low": overview.risk_low,
            "risk_high": overview.risk_high,
            "impact_reasons": reasons,
            "dimensions": dimensions,
            "findings": [_finding_line(f) for f in findings] if findings else [],
            "data_gap_count": overview.data_gap_count,
            "question_count": overview.question_count,
            "next_decide_by": decide_by,
            "next_decide_by_contract": overview.next_decide_by_contract,
            "days_to_decide": (decide_by - today).days if decide_by else None,
            "last_review": supplier.last_review if supplier else None,
            "trend": [*history, construct(TrendPoint, label="now", score=overview.score)]
            if history
            else [],
            "finding_count": overview.finding_count,
            "top_findings": [f.headline for f in overview.top_findings[:TOP_FINDINGS]],
        }
    )


def record_finder(
    suppliers: Iterable[Supplier],
) -> Callable[[SupplierScore | SupplierOverview], Supplier | None]:
    """Finds the record a score is about: by the supplier's id, where both carry one.

    Records read from a database and the scores and overviews worked out from
    them carry the id; a register read from a file has only names, and is joined
    by the exact name: names that differ only in non-ASCII case ('Straße',
    'STRASSE') are two suppliers to SQLite's NOCASE.
    """
    by_id: dict[int, Supplier] = {}
    by_name: dict[str, Supplier] = {}
    for supplier in suppliers:
        supplier_id = getattr(supplier, "id", None)
        if isinstance(supplier_id, int):
            by_id[supplier_id] = supplier
        by_name[supplier.name] = supplier

    def record_of(score: SupplierScore | SupplierOverview) -> Supplier | None:
        supplier_id = getattr(score, "supplier_id", None)
        if by_id and supplier_id is not None:
            return by_id.get(supplier_id)
        return by_name.get(score.supplier)

    return record_of


def build_overview_summary(
    suppliers: Iterable[Supplier],
    overview: RegisterOverview,
    full_scores: Callable[[Sequence[SupplierOverview]], Iterable[SupplierScore]],
    today: dt.date,
    *,
    trust: str | None = None,
    history: Mapping[str, Sequence[TrendPoint]] | None = None,
) -> RiskSummary:
    """The risk summary of a register from its overviews (the full-score version, with every
    finding written out, is the tests' oracle ``tests.support.oracles.build_summary``).

    ``suppliers`` are the register's suppliers; ``full_scores`` gives the full
    score of the supplier of each overview given, in that order.  The rows name no
    findings but their headlines: the notes' findings
    (:meth:`RiskSummary.noted_in_detail`) and every finding
    (:meth:`RiskSummary.rows_with_every_finding`) are worked out from
    ``full_scores`` when an export asks for them.  The overviews must name at
    least :data:`TOP_FINDINGS` findings.
    """
    summary = _summary(
        suppliers,
        [(o, []) for o in overview.suppliers],
        overview.top_questions,
        today,
        trust=trust,
        history=history,
    )

    overviews = overview.suppliers

    def every_finding(rows: Sequence[SupplierRow]) -> Iterator[SupplierScore]:
        # a row is the overview of its rank: its supplier is that overview's (by id, not name)
        return iter(full_scores([overviews[r.rank - 1] for r in rows]))

    summary._every_finding = every_finding
    return summary


def _summary(
    suppliers: Iterable[Supplier],
    scored: Sequence[tuple[SupplierScore | SupplierOverview, Sequence[Finding]]],
    top_questions: Sequence[BoardQuestion],
    today: dt.date,
    *,
    trust: str | None,
    history: Mapping[str, Sequence[TrendPoint]] | None,
) -> RiskSummary:
    past = {name.casefold(): list(points) for name, points in (history or {}).items()}
    record_of = record_finder(suppliers)
    rows = [
        _supplier_row(
            i,
            score,
            findings,
            record_of(score),
            today,
            past.get(score.supplier.casefold(), []),
        )
        for i, (score, findings) in enumerate(scored, start=1)
    ]
    questions = [question_row(i, q) for i, q in enumerate(top_questions, start=1)]
    summary = RiskSummary(
        trust=(trust.strip() or None) if trust else None,
        today=today,
        suppliers=rows,
        questions=questions,
    )
    summary._supplier_ids = {
        i: supplier_id
        for i, (score, _) in enumerate(scored, start=1)
        if isinstance(supplier_id := getattr(score, "supplier_id", None), int)
    }
    return summary
