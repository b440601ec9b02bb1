"""The scoring engine: records + today -> explained principle-6 scores and board questions.

Pure and deterministic: nothing here reads the clock, a file or the database.

How a score is built (score model 2, see ``docs/scoring.md``):

* **Findings.**  Each applicable question adds ``weight x factor`` points (no 1,
  partly 0.5; a "yes" older than the question's refresh period, or undated,
  counts as "partly"); each record rule that fires adds ``rule weight x
  severity``.  A finding about something unknown is a *data gap*: its points
  are what it would add if the answer turned out bad.
* **Exposure** (0 to 1): each finding's severity is ``1 - e^-x``, where x is
  its points times its dimension's weight over ``exposure.points_scale`` (so
  severity grows with points but never reaches 1 from one finding).  Known
  weaknesses combine worst first (:func:`combine`): the worst counts in full
  and each further one ``exposure.further_share`` of the one before it, of what
  is left, so nothing is averaged away.  Unknowns count only
  ``exposure.unknown_share`` of what they would add if bad; the rest is the
  range (``risk_low`` if every unknown is good, ``risk_high`` if every one is
  bad).
* **Impact** (1 to 5): the supplier's criticality, raised a little (never by a
  whole criticality) by clinical services, services that tolerate little
  outage, many services, suppliers that depend on it and high spend.
* **Risk** = 100 x impact / 5 x exposure, banded like the NHS 5 x 5 risk
  matrix; **confidence** is the share of what matters that is known, and a
  supplier below ``exposure.unassessed_below`` is *unassessed*, not banded.

Every point is carried by a :class:`Finding`, so every score can be explained.

Whole registers: :meth:`Scorer.overview_records` gives every supplier's
:class:`SupplierOverview` (score, band, counts, top findings) and the top board
questions without writing out each finding and question, which is what makes a
register of tens of thousands of suppliers cheap to score; the full
:class:`SupplierScore` of any one supplier comes from :meth:`Scorer.score`
with the same register-wide context.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel

from supplier_register.domain.bounds import add_months
from supplier_register.domain.enums import AnswerValue, Criticality, SupplyCategory
from supplier_register.domain.models import Contract, Supplier
from supplier_register.domain.terms import latest_possible_end
from supplier_register.domain.trusted import whole_maker
from supplier_register.scoring.config import AnswerFactors, ScoringConfig
from supplier_register.scoring.context import ScoringContext, key
from supplier_register.scoring.questions import Question, QuestionBank, default_question_bank
from supplier_register.scoring.results import (
    GAP_PHRASES,
    THEME_OF,
    Band,
    BoardQuestion,
    DecisionFact,
    Dimension,
    DimensionScore,
    Finding,
    FindingHead,
    KeyQuestion,
    RegisterOverview,
    SupplierOverview,
    SupplierScore,
    Theme,
)
from supplier_register.scoring.rules import RULES, Check, Facts, Raised
from supplier_register.scoring.text import join_and, long_date, quoted

TOP_FINDINGS = 3
"""How many findings an overview names (the most serious first)."""

DIMENSIONS = tuple(Dimension)
_DIMENSION_ORDER = {d: i for i, d in enumerate(DIMENSIONS)}
_KEY_ORDER = {k: i for i, k in enumerate(KeyQuestion)}
_KEY_QUESTIONS = tuple(KeyQuestion)  # iterating an enum class is slow in a hot loop

DECISION_CODES = frozenset({"rule.decide_by_passed", "rule.decide_by_soon", "rule.ended_in_use"})
"""Findings that are time-bound decisions: they go on the decisions list (see
:class:`DecisionFact`), not among the board questions."""
EVIDENCE_QUOTES = 2
"""How many pieces of recorded evidence a board question quotes: its lead finding's first (every
finding keeps its own)."""
EXIT_PLAN_QUESTION = "exit.plan_exists"
"""The questionnaire question that records whether there is an exit plan."""


class AnswerLike(Protocol):
    """What scoring reads of an answer (an :class:`Answer`, or storage's lighter ``AnswerFacts``)."""

    @property
    def question_id(self) -> str: ...

    @property
    def answer(self) -> AnswerValue: ...

    @property
    def answered_on(self) -> dt.date | None: ...


A = TypeVar("A", bound=AnswerLike)

SupplierRecords = tuple[Supplier, Sequence[Contract], Sequence[AnswerLike]]
"""A supplier with its own contracts and answers: what scoring one supplier takes."""


class OverviewEntry(NamedTuple):
    """A supplier's overview and each of its board questions' (key question index, priority)."""

    overview: SupplierOverview
    questions: tuple[tuple[int, float], ...]


class _Hit(NamedTuple):
    """One finding before it becomes a :class:`Finding`: its sort key, its fields and its cause.

    The first four fields are the order findings are listed in (most serious
    first); the overview of a register is worked out from these alone, so most
    findings never become pydantic objects.
    """

    neg_points: float
    dim_order: int
    code: str
    contract_key: str
    points: float
    dimension: Dimension
    key_question: KeyQuestion
    contract: str | None
    title: str
    item: Raised
    reference: str
    question_id: str | None
    severity: float = 0.0
    """What the finding adds to the exposure on its own, 0 to 1 (see :meth:`Scorer._finding_severity`);
    0 for a finding of no points."""


_HIT_ORDER = itemgetter(0, 1, 2, 3)


class _PreparedRule(NamedTuple):
    """A record rule with its configured weight and the finding fields it always sets.

    Worked out once per :class:`Scorer`, so scoring a supplier does not look
    them up again for every rule that fires.
    """

    check: Check
    weight: float
    dim_order: int
    code: str
    dimension: Dimension
    key_question: KeyQuestion
    title: str
    reference: str


@dataclass(frozen=True, slots=True)
class _Applicable:
    """The questions one (category, criticality) pair answers, with their weights."""

    questions: tuple[tuple[Question, float], ...]
    max_points: dict[Dimension, float]
    """The weights of each dimension's questions together: its findings' most points."""
    total: float
    """The weights of all the questions together."""
    by_id: dict[str, tuple[Question, float]]
    """Each question (with its weight) by id."""
    blank: _Blank
    """What the questions raise when none is answered: where every supplier of this kind
    starts, its few answers then changing only their own questions' part."""


@dataclass(frozen=True, slots=True)
class _Blank:
    """What a kind of supplier's questions raise when none is answered (see ``_Applicable``)."""

    hits: tuple[_Hit, ...]
    points_by: tuple[float, ...]
    known: tuple[tuple[float, ...], ...]
    gapped: tuple[tuple[float, ...], ...]
    unknown_weight: float
    worst: float


@dataclass(slots=True)
class _Assessment:
    """What scoring found about one supplier, before any result object is built."""

    supplier: Supplier
    hits: list[_Hit]
    """Most serious first."""
    dimensions: list[tuple[Dimension, int, float, float]]
    """(dimension, score, points, max points) in dimension order."""
    overall: int
    risk: float
    """The risk unrounded (the supplier's priority)."""
    band: Band
    impact: float
    raises: tuple[tuple[str, float, float], ...]
    """What raised the impact above its criticality's: (reason code, amount, figure)."""
    exposure: float
    confidence: float
    risk_low: int
    risk_high: int
    worst: float
    """The most points of any finding (0 when none)."""
    decide_by: dt.date | None
    decide_contract: str | None
    decisions: tuple[DecisionFact, ...] = ()
    """Contracts that put a time-bound decision before the trust, soonest first."""
    exit_plan: str | None = None
    """The answer on an exit plan (None: the question does not apply)."""
    notice_dates: tuple[dt.date, ...] = ()
    """The notice-by dates of the current auto-renewing contracts, soonest first."""


class Scorer:
    """Scoring prepared once for a config and question bank, then applied to many suppliers."""

    def __init__(self, config: ScoringConfig | None = None, bank: QuestionBank | None = None):
        self.config = config or ScoringConfig()
        self.bank = bank or default_question_bank()
        self._applicable: dict[tuple[SupplyCategory, Criticality], _Applicable] = {}
        self._weights = {
            q.id: self.config.question_weights.get(q.id, q.weight) for q in self.bank.questions
        }
        self._rules: tuple[_PreparedRule, ...] = tuple(
            _PreparedRule(
                r.check,
                weight,
                _DIMENSION_ORDER[r.dimension],
                r.code,
                r.dimension,
                r.key_question,
                r.title,
                r.reference,
            )
            for r, weight in ((r, self.config.rule_weight(code)) for code, r in RULES.items())
            if weight != 0
        )
        full_points = self.config.exposure.points_scale
        self._alpha = self.config.exposure.unknown_share
        self._further = self.config.exposure.further_share
        self._severity_per_point = [
            self.config.dimension_weights[d] / full_points for d in DIMENSIONS
        ]
        # The severity of each number of points in each dimension, as met: a register's
        # findings carry a few dozen distinct point values, so most never call exp() again.
        self._severities: list[dict[float, float]] = [{} for _ in DIMENSIONS]
        # What each dimension's known and gap severities come to, as met (see ``_assess``).
        self._shares: dict[tuple[tuple[float, ...], tuple[float, ...]], float] = {}
        factors = self.config.answer_factors
        # What each answer to each question raises, worked out once (all but the supplier).
        self._stock: dict[str, dict[AnswerValue | None, _Hit | None]] = {}
        for q in self.bank.questions:
            table: dict[AnswerValue | None, _Hit | None] = {}
            for value in _STOCK_VALUES:
                item = _answer_raised(q, value, factors)
                weight = self._weights[q.id]
                table[value] = (
                    None
                    if item is None or weight == 0
                    else _question_hit(q, item, weight, self._finding_severity)
                )
            self._stock[q.id] = table

    def applicable(self, category: SupplyCategory, criticality: Criticality) -> _Applicable:
        """The questions (with weights) a supplier of this kind answers; cached."""
        found = self._applicable.get((category, criticality))
        if found is None:
            questions = tuple(
                (q, self._weights[q.id])
                for q in self.bank.questions
                if q.applies(category, criticality)
            )
            max_points: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
            for q, weight in questions:
                max_points[q.dimension] += weight
            points_by = [0.0] * len(DIMENSIONS)
            known: list[list[float]] = [[] for _ in DIMENSIONS]
            gapped: list[list[float]] = [[] for _ in DIMENSIONS]
            hits: list[_Hit] = []
            unknown_weight = worst = 0.0
            for q, weight in questions:
                hit = self._stock[q.id][None]
                if hit is None:
                    continue
                hits.append(hit)
                unknown_weight += _add(hit, weight, points_by, known, gapped)
                worst = max(worst, hit.points)
            blank = _Blank(
                tuple(hits),
                tuple(points_by),
                tuple(tuple(d) for d in known),
                tuple(tuple(d) for d in gapped),
                unknown_weight,
                worst,
            )
            found = _Applicable(
                questions,
                max_points,
                sum(w for _, w in questions),
                {q.id: (q, w) for q, w in questions},
                blank,
            )
            self._applicable[(category, criticality)] = found
        return found

    def _finding_severity(self, dim_order: int, points: float) -> float:
        """A finding's severity: ``1 - e^-(points x dimension weight / points_scale)``, 0 for
        no points; kept per point value, as a register's findings carry few distinct ones."""
        if points <= 0:
            return 0.0
        seen = self._severities[dim_order]
        severity = seen.get(points)
        if severity is None:
            severity = 1.0 - math.exp(-points * self._severity_per_point[dim_order])
            if len(seen) < _SEVERITIES_KEPT:
                seen[points] = severity
        return severity

    # -- one supplier ------------------------------------------------------------------------

    def _assess(
        self,
        supplier: Supplier,
        contracts: Sequence[Contract],
        answers: Sequence[AnswerLike],
        today: dt.date,
        context: ScoringContext,
    ) -> _Assessment:
        """Every finding of one supplier (as hits) and the scores they add up to."""
        config = self.config
        factors = config.answer_factors
        latest = _latest_answers(answers)
        applicable = self.applicable(supplier.category, supplier.criticality)
        max_points = dict(applicable.max_points)
        total_weight = applicable.total
        # Every question starts unanswered (the same for every supplier of this kind); each
        # answer then replaces its question's part.
        blank = applicable.blank
        hits: list[_Hit] = list(blank.hits)
        append = hits.append
        points_by = list(blank.points_by)
        known: list[list[float]] = [list(d) for d in blank.known]  # severities: known weaknesses
        gapped: list[list[float]] = [list(d) for d in blank.gapped]  # ... data gaps, as if bad
        unknown_weight = blank.unknown_weight
        worst = blank.worst  # an answer never adds more points than its question unanswered
        stock_of = self._stock
        by_id = applicable.by_id
        not_applicable = AnswerValue.NOT_APPLICABLE
        yes = AnswerValue.YES

        for question_id, answer in latest.items():
            entry = by_id.get(question_id)
            if entry is None:
                continue  # a question that does not apply to this kind of supplier
            question, weight = entry
            stock = stock_of[question_id]
            unanswered = stock[None]
            if unanswered is not None:
                hits.remove(unanswered)
                unknown_weight -= _add(unanswered, weight, points_by, known, gapped, -1)
            value = answer.answer
            if value is not_applicable:
                max_points[question.dimension] -= weight
                total_weight -= weight
                continue
            hit = stock[value]
            if value is yes and question.refresh_months is not None:
                dated = _dated_yes(question, answer, today, factors)
                if dated is not None and weight:
                    hit = _question_hit(question, dated, weight, self._finding_severity)
            if hit is None:
                continue
            # Stock hits are shared between suppliers: a hit of its own only when this
            # answer records what it is based on.
            evidence = getattr(answer, "evidence", None)
            if evidence and not evidence.isspace():
                hit = _with_evidence(hit, evidence)
            append(hit)
            unknown_weight += _add(hit, weight, points_by, known, gapped)
            if hit.points > worst:
                worst = hit.points

        live: list[Contract] = []
        ended: list[Contract] = []
        for contract in contracts:
            end = contract.end_date
            (live if end is None or end >= today else ended).append(contract)
        facts = Facts(supplier, live, ended, today, config, context, latest)
        severity_of = self._finding_severity
        for check, weight, dim_order, code, dimension, key_question, title, ref in self._rules:
            for item in check(facts):
                points = round(weight * item.factor, 3)
                title_of = item.contract
                gap = item.gap
                severity = severity_of(dim_order, points)
                append(
                    _Hit(
                        -points,
                        dim_order,
                        code,
                        title_of or "",
                        points,
                        dimension,
                        key_question,
                        title_of,
                        item.title or (title if gap is None else f"Not known: {gap}"),
                        item,
                        ref,
                        None,
                        severity,
                    )
                )
                if points > 0:
                    points_by[dim_order] += points
                    if points > worst:
                        worst = points
                    if gap is None:
                        known[dim_order].append(severity)
                    else:
                        # An unrecorded fact: what matters but is not known, beside the
                        # questions'.
                        gapped[dim_order].append(severity)
                        unknown_weight += points
                        total_weight += points

        # The point estimate combines the known weaknesses with each gap at unknown_share of
        # its severity as if bad, in one list, so improving an answer (no -> partly -> unknown
        # -> yes) only ever lowers or removes a severity and never raises the exposure
        # (averaging two combinations did not guarantee it: a gap can rank higher among all
        # findings than the 'partly' it replaces did among the known ones).  The range is the
        # known weaknesses alone and everything as if bad.  Suppliers of a kind share most of
        # their findings (the same unanswered questions raise the same gaps), so what each
        # pair of lists comes to is kept and most are never combined again.
        alpha = config.exposure.unknown_share
        if len(self._shares) > _COMBINED_KEPT:
            self._shares.clear()
        dimensions: list[tuple[Dimension, int, float, float]] = []
        for index, dimension in enumerate(DIMENSIONS):
            share = self._point_share(known[index], gapped[index], alpha)
            dimensions.append(
                (
                    dimension,
                    _round(100 * share),
                    round(points_by[index], 3),
                    round(max(max_points[dimension], 0.0), 3),
                )
            )
        known_exposure, gaps_exposure, exposure = self._combined_shares(
            [s for d in known for s in d], [s for d in gapped for s in d], alpha
        )
        confidence = 1.0 if total_weight <= 1e-9 else max(0.0, 1 - unknown_weight / total_weight)

        impact, raises = self._impact(supplier, live, context)
        scale = 100 * impact / 5
        risk = round(scale * exposure, 3)
        overall = _round(risk)
        risk_low = _round(scale * known_exposure)
        unassessed = False
        if confidence < config.exposure.unassessed_below:
            # Mostly unknown: banded only when what is known already puts it at 'high' or
            # above (hiding known serious risk behind 'unassessed' would mislead the board).
            known_band = config.bands.band(risk_low)
            unassessed = known_band.rank < Band.HIGH.rank
            append(
                _unassessed_hit(
                    _round(100 * confidence), None if unassessed else (risk_low, known_band)
                )
            )

        hits.sort(key=_HIT_ORDER)
        decide_by, decide_contract = _next_decide_by(live)
        plan = latest.get(EXIT_PLAN_QUESTION)
        if plan is not None:
            exit_plan: str | None = plan.answer.value
        else:
            exit_plan = "unknown" if EXIT_PLAN_QUESTION in by_id else None
        return _Assessment(
            supplier=supplier,
            hits=hits,
            dimensions=dimensions,
            overall=overall,
            risk=risk,
            band=Band.UNASSESSED if unassessed else config.bands.band(overall),
            impact=impact,
            raises=raises,
            exposure=round(exposure, 4),
            confidence=round(confidence, 4),
            risk_low=risk_low,
            risk_high=_round(scale * gaps_exposure),
            worst=worst,
            decide_by=decide_by,
            decide_contract=decide_contract,
            decisions=_decisions(hits, contracts),
            exit_plan=exit_plan,
            notice_dates=_notice_dates(live),
        )

    def _point_share(self, known: list[float], gaps: list[float], alpha: float) -> float:
        """The point estimate alone of :meth:`_combined_shares` (all a dimension shows), kept
        per list pair."""
        if not gaps:
            if not known:
                return 0.0
            if len(known) == 1:
                return known[0]
        held = (tuple(known), tuple(gaps))
        found = self._shares.get(held)
        if found is None:
            found = self._shares[held] = combine(
                known + [alpha * g for g in gaps] if gaps else known, self._further
            )
        return found

    def _combined_shares(
        self, known: list[float], gaps: list[float], alpha: float
    ) -> tuple[float, float, float]:
        """What known weaknesses and gaps come to: the known alone, everything as if bad, and
        the point estimate (the gaps at ``alpha`` of their severity).  Not kept: a supplier's
        whole set of findings is nearly always its own."""
        further = self._further
        known_share = combine(known, further)
        if not gaps:
            return (known_share, known_share, known_share)
        return (
            known_share,
            combine(known + gaps, further),
            combine(known + [alpha * g for g in gaps], further),
        )

    def _impact(
        self, supplier: Supplier, live: Sequence[Contract], context: ScoringContext
    ) -> tuple[float, tuple[tuple[str, float, float], ...]]:
        """The supplier's impact (its criticality's, raised by what depends on it) and the
        raises, as (reason, amount, the figure behind it)."""
        config = self.config.impact
        base = config.base[supplier.criticality]
        raises: list[tuple[str, float, float]] = []
        names = {key(name) for contract in live for name in contract.services}
        if names:
            clinical = context.clinical_services
            count = sum(1 for n in names if n in clinical)
            if config.clinical_service and count:
                raises.append(("clinical", config.clinical_service, count))
            hours = context.outage_hours
            least = min((hours[n] for n in names if n in hours), default=None)
            if config.short_outage and least is not None and least <= config.short_outage_hours:
                raises.append(("short_outage", config.short_outage, least))
            if config.many_services and len(names) >= config.many_services_count:
                raises.append(("many_services", config.many_services, len(names)))
        dependents = context.dependents.get(key(supplier.name))
        if config.dependents and dependents:
            raises.append(("dependents", config.dependents, dependents))
        spend = supplier.annual_spend
        if config.high_spend and spend is not None and spend >= config.high_spend_pounds:
            raises.append(("high_spend", config.high_spend, float(spend)))
        uplift = min(config.max_uplift, sum(amount for _, amount, _ in raises))
        return round(base + uplift, 3), tuple(raises)

    def score(
        self,
        supplier: Supplier,
        contracts: Sequence[Contract],
        answers: Sequence[AnswerLike],
        *,
        today: dt.date,
        context: ScoringContext,
    ) -> SupplierScore:
        """Score one supplier from its own contracts and answers."""
        found = self._assess(supplier, contracts, answers, today, context)
        # A supplier's contract titles are unique (the database keeps them so, ignoring ASCII
        # case), so a finding's contract is found by its exact title.
        contract_ids = {c.title: getattr(c, "id", None) for c in contracts}
        return self._full(found, contract_ids)

    def overview(
        self,
        supplier: Supplier,
        contracts: Sequence[Contract],
        answers: Sequence[AnswerLike],
        *,
        today: dt.date,
        context: ScoringContext,
        top_findings: int = TOP_FINDINGS,
    ) -> SupplierOverview:
        """The headline of one supplier's score, without building its findings and questions.

        Equal to ``SupplierOverview.of(self.score(...), top_findings)``, at a fraction
        of the cost.
        """
        found = self._assess(supplier, contracts, answers, today, context)
        concrete, gaps, gap_count = _question_groups(supplier.name, found.hits)
        return self._overview(found, _per_key(concrete), gaps, gap_count, top_findings)

    def _full(self, found: _Assessment, contract_ids: Mapping[str, int | None]) -> SupplierScore:
        supplier = found.supplier
        name = supplier.name
        supplier_id: int | None = getattr(supplier, "id", None)
        findings = [_finding(hit, name, supplier_id, contract_ids) for hit in found.hits]
        return _build(
            SupplierScore,
            supplier=name,
            criticality=supplier.criticality,
            score=found.overall,
            band=found.band,
            priority=found.risk,
            impact=found.impact,
            exposure=found.exposure,
            confidence=found.confidence,
            risk_low=found.risk_low,
            risk_high=found.risk_high,
            impact_reasons=impact_reasons(
                supplier.criticality,
                self.config.impact.base[supplier.criticality],
                found.raises,
                self.config.impact.max_uplift,
            ),
            dimensions=[
                _build(DimensionScore, dimension=d, score=s, points=p, max_points=m)
                for d, s, p, m in found.dimensions
            ],
            findings=findings,
            data_gaps=[f for f in findings if f.data_gap],
            questions=_board_questions(supplier, found.hits, found.impact, self._alpha),
            next_decide_by=found.decide_by,
            next_decide_by_contract=found.decide_contract,
            decisions=list(found.decisions),
            gap_phrases=_gap_phrases(found.hits, None),
            gap_priority=_gap_priority(found.hits, found.impact, self._alpha),
            exit_plan=found.exit_plan,
            supplier_id=supplier_id,
            notice_dates=list(found.notice_dates),
        )

    def _overview(
        self,
        found: _Assessment,
        questions: tuple[int, ...],
        gaps: Sequence[_Hit],
        gap_count: int,
        top: int,
    ) -> SupplierOverview:
        """The overview of an assessment, given its board questions per key question, its
        data gaps that count and how many of its findings are data gaps (all from
        :func:`_question_groups`)."""
        supplier = found.supplier
        hits = found.hits
        return SupplierOverview(
            supplier=supplier.name,
            criticality=supplier.criticality,
            score=found.overall,
            band=found.band,
            priority=found.risk,
            impact=found.impact,
            exposure=found.exposure,
            confidence=found.confidence,
            risk_low=found.risk_low,
            risk_high=found.risk_high,
            dimension_scores=tuple([d[1] for d in found.dimensions]),
            finding_count=len(hits),
            data_gap_count=gap_count,
            question_count=sum(questions),
            questions_by_key=questions,
            top_findings=tuple([FindingHead(h.title, h.contract) for h in hits[:top]]),
            next_decide_by=found.decide_by,
            next_decide_by_contract=found.decide_contract,
            supplier_id=getattr(supplier, "id", None),
            decisions=found.decisions,
            gap_phrases=tuple(_gap_phrases(gaps, GAP_PHRASES)),
            gap_priority=_gap_priority(gaps, found.impact, self._alpha),
            exit_plan=found.exit_plan,
            notice_dates=found.notice_dates,
        )

    # -- the register ------------------------------------------------------------------------

    def overview_records(
        self,
        records: Iterable[SupplierRecords],
        *,
        context: ScoringContext,
        today: dt.date,
        top_findings: int = TOP_FINDINGS,
        ranked_per_key: int = 0,
        question_limit: int | None = None,
    ) -> RegisterOverview:
        """Every supplier's overview and the register's top board questions, cheaply.

        The same figures as scoring each supplier in full and ranking every board
        question (see :class:`RegisterOverview`), but findings stay plain tuples
        and a board question is only written out when it can still make one of
        the top lists, so time and memory stay small for tens of thousands of
        suppliers.  ``ranked_per_key`` keeps that many of each key question's
        board questions, highest priority first; ``question_limit`` sets the
        length of the top list (default: the config's).

        ``records`` may come straight from the database, one supplier at a time,
        so no more than one supplier's contracts and answers are ever held;
        ``context`` must be built from the whole register's people and suppliers.
        """
        limit = self.config.top_questions if question_limit is None else question_limit
        top = _TopQuestions(limit, self.config.top_questions_per_key)
        ranked = {k: _Best(ranked_per_key) for k in KeyQuestion}
        totals = [0] * len(_KEY_QUESTIONS)
        overviews: list[SupplierOverview] = []
        assess = self._assess
        for supplier, contracts, answers in records:
            found = assess(supplier, contracts, answers, today, context)
            concrete, gaps, gap_count = _question_groups(supplier.name, found.hits)
            per_key = _per_key(concrete)
            totals = [t + c for t, c in zip(totals, per_key, strict=True)]
            overviews.append(self._overview(found, per_key, gaps, gap_count, top_findings))
            if concrete:
                _offer_questions(found, concrete, top, ranked)
        overviews.sort(key=supplier_order)
        return RegisterOverview(
            today=today,
            suppliers=overviews,
            top_questions=top.result(),
            question_counts=dict(zip(_KEY_QUESTIONS, totals, strict=True)),
            ranked_questions={k: best.items() for k, best in ranked.items()},
            context=context,
        )

    # -- overviews kept between runs ---------------------------------------------------------

    def overview_entries(
        self,
        records: Iterable[SupplierRecords],
        *,
        context: ScoringContext,
        today: dt.date,
        top_findings: int = TOP_FINDINGS,
    ) -> Iterator[OverviewEntry]:
        """Each supplier's overview with the rank of each of its board questions.

        What a cache of scores keeps per supplier: with the entries of a whole
        register, :meth:`overview_from_entries` gives what :meth:`overview_records`
        gives, scoring again only the few suppliers whose questions may top a list.
        """
        for supplier, contracts, answers in records:
            found = self._assess(supplier, contracts, answers, today, context)
            concrete, gaps, gap_count = _question_groups(supplier.name, found.hits)
            per_key = _per_key(concrete)
            impact = found.impact
            questions = tuple(
                (_KEY_ORDER[_lead(group).key_question], _priority(group, impact))
                for group in concrete.values()
            )
            entry = OverviewEntry(
                self._overview(found, per_key, gaps, gap_count, top_findings), questions
            )
            yield entry

    def overview_from_entries(
        self,
        entries: Sequence[OverviewEntry],
        records_of: Callable[[Sequence[SupplierOverview]], Iterable[SupplierRecords]],
        *,
        context: ScoringContext,
        today: dt.date,
        ranked_per_key: int = 0,
        question_limit: int | None = None,
    ) -> RegisterOverview:
        """:meth:`overview_records` from every supplier's entry (see :meth:`overview_entries`).

        A board question's place in a list depends on its priority, its
        supplier's criticality and name, then its text; the entries give the
        first three, so only suppliers with a question at or above the last place
        of some list can be in it.  ``records_of`` gives those suppliers' records
        (of the overviews given, in that order) and only they are scored again, to write
        their questions out; the result equals scoring the whole register.
        """
        limit = self.config.top_questions if question_limit is None else question_limit
        per_key = min(self.config.top_questions_per_key, limit)
        counts = dict.fromkeys(KeyQuestion, 0)
        for entry in entries:
            for key_question, count in zip(
                _KEY_QUESTIONS, entry.overview.questions_by_key, strict=True
            ):
                counts[key_question] += count
        # The last place of each list, by the start of its questions' order; then every entry
        # with a question at or above some list's last place.
        sizes = [max(per_key, ranked_per_key)] * len(KeyQuestion)
        lasts = _last_places(_prefixes(entries), limit, sizes)
        wanted = {
            index
            for prefix, key_index, index in _prefixes(entries)
            if _may_make(prefix, lasts[0]) or _may_make(prefix, lasts[1 + key_index])
        }
        chosen = [entries[i].overview for i in sorted(wanted)]
        top = _TopQuestions(limit, self.config.top_questions_per_key)
        ranked = {k: _Best(ranked_per_key) for k in KeyQuestion}
        for supplier, contracts, answers in records_of(chosen):
            found = self._assess(supplier, contracts, answers, today, context)
            concrete, _, _ = _question_groups(supplier.name, found.hits)
            if concrete:
                _offer_questions(found, concrete, top, ranked)
        overviews = sorted((e.overview for e in entries), key=supplier_order)
        return RegisterOverview(
            today=today,
            suppliers=overviews,
            top_questions=top.result(),
            question_counts=counts,
            ranked_questions={k: best.items() for k, best in ranked.items()},
            context=context,
        )


# --- public functions ----------------------------------------------------------------------


class _Ranked(Protocol):
    @property
    def priority(self) -> float: ...
    @property
    def score(self) -> int: ...
    @property
    def criticality(self) -> Criticality: ...
    @property
    def supplier(self) -> str: ...


def supplier_order(score: _Ranked) -> tuple[float, int, int, str]:
    """Sort key: highest priority, then score, then criticality first; then by name.

    Takes a :class:`SupplierScore` or a :class:`SupplierOverview`.
    """
    return (-score.priority, -score.score, -score.criticality.rank, score.supplier.casefold())


def question_order(question: BoardQuestion) -> tuple[float, int, str, str]:
    """Sort key of board questions: highest priority first, then stable by supplier and text."""
    return (
        -question.priority,
        -_CRITICALITY_RANK[question.criticality],
        question.supplier.casefold(),
        question.text,
    )


_CRITICALITY_RANK = {c: c.rank for c in Criticality}


def top_questions(
    scores: Iterable[SupplierScore], limit: int | None, per_key: int = 0
) -> list[BoardQuestion]:
    """The most pressing board questions of many suppliers, highest priority first.

    ``per_key`` places (within ``limit``) are kept for each of principle 6's
    three key questions, so a board paper is not all about one of them when the
    register raises the others; the remaining places go strictly by priority.
    ``scores`` may be a stream: only the best candidates are held.
    """
    questions = (q for s in scores for q in s.questions)
    if limit is None:
        return sorted(questions, key=question_order)
    return top_of(questions, limit, per_key)


def top_of(questions: Iterable[BoardQuestion], limit: int, per_key: int = 0) -> list[BoardQuestion]:
    """The top list of ``questions``, highest priority first, made as every top list is:
    ``per_key`` places (within ``limit``) kept for each key question raised, the rest
    strictly by priority.  ``questions`` may be a stream: only the best are held."""
    top = _TopQuestions(limit, per_key)
    for question in questions:
        top.offer(question_order(question), question)
    return top.result()


class _TopQuestions:
    """The candidates for a top list: the best overall and the best under each key question."""

    def __init__(self, limit: int, per_key: int) -> None:
        self.limit = limit
        self.best = _Best(limit)
        self.best_by_key = {k: _Best(min(per_key, limit)) for k in KeyQuestion}

    def offer(self, order: tuple[float, int, str, str], question: BoardQuestion) -> None:
        self.best.offer(order, question)
        self.best_by_key[question.key_question].offer(order, question)

    def wants(self, prefix: tuple[float, int, str], key_question: KeyQuestion) -> bool:
        """Whether a question whose order starts with ``prefix`` could still be kept."""
        return self.best.wants(prefix) or self.best_by_key[key_question].wants(prefix)

    def wants_any(self, prefix: tuple[float, int, str]) -> bool:
        """Whether any question whose order starts with ``prefix`` or later could be kept."""
        return self.best.wants(prefix) or any(b.wants(prefix) for b in self.best_by_key.values())

    def result(self) -> list[BoardQuestion]:
        """The top list, highest priority first."""
        limit = self.limit
        kept = sorted((q for b in self.best_by_key.values() for q in b.items()), key=question_order)
        kept = kept[:limit]
        chosen = {id(q) for q in kept}
        for question in self.best.items():
            if len(kept) >= limit:
                break
            if id(question) not in chosen:
                kept.append(question)
                chosen.add(id(question))
        return sorted(kept, key=question_order)


class _Best:
    """The ``size`` smallest questions by :func:`question_order` seen so far (a bounded heap).

    Among questions of equal order the one offered first wins, exactly as a
    stable sort of every question would have it; so the result does not depend
    on the order suppliers are offered in.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._heap: list[tuple[_Reversed, int, BoardQuestion]] = []
        self._count = 0
        self._last: tuple[float, int, str] | None = None
        """The start of the worst kept question's order, once ``size`` are kept."""

    def offer(self, order: tuple[float, int, str, str], question: BoardQuestion) -> None:
        """Keep ``question`` (whose :func:`question_order` is ``order``) if it is among the best."""
        if self.size <= 0:
            return
        self._count += 1
        # The heap's top is the worst kept: the largest order, and of equal orders the
        # latest offered (hence the negative count).
        entry = (_Reversed(order), -self._count, question)
        heap = self._heap
        if len(heap) < self.size:
            heapq.heappush(heap, entry)
        elif entry[0] > heap[0][0]:
            heapq.heapreplace(heap, entry)
        else:
            return
        if len(heap) >= self.size:
            self._last = heap[0][0].key[:3]

    def wants(self, prefix: tuple[float, int, str]) -> bool:
        """Whether a question whose order starts with ``prefix`` might be kept if offered."""
        if self.size <= 0:
            return False
        last = self._last
        return last is None or prefix <= last

    def items(self) -> list[BoardQuestion]:
        """The kept questions, best first."""
        return [q for _, _, q in sorted(self._heap, key=lambda e: (e[0].key, -e[1]))]


class _Reversed:
    """Inverts an order key, so a min-heap keeps the largest (worst kept) on top."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def __lt__(self, other: _Reversed) -> bool:
        return self.key > other.key

    def __gt__(self, other: _Reversed) -> bool:
        return self.key < other.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


# --- internals -----------------------------------------------------------------------------


_M = TypeVar("_M", bound=BaseModel)
_MAKERS: dict[type[BaseModel], Callable[[dict[str, Any]], Any]] = {}


def _build(cls: type[_M], **values: Any) -> _M:
    """Make a result model from values the engine produced itself, skipping re-validation.

    Equivalent to ``cls.model_construct`` with every field given (the tests
    re-validate real outputs against the models); several times faster, which
    matters when a large register produces millions of findings
    (see :mod:`supplier_register.domain.trusted`).
    """
    make = _MAKERS.get(cls)
    if make is None:
        make = _MAKERS[cls] = whole_maker(cls)
    model: _M = make(values)
    return model


_SEVERITIES_KEPT = 4096
"""At most this many point values per dimension have their severity kept (see ``_assess``)."""
_COMBINED_KEPT = 10_000
"""At most about this many lists of severities have what they combine to kept (then forgotten)."""


def _add(
    hit: _Hit,
    weight: float,
    points_by: list[float],
    known: list[list[float]],
    gapped: list[list[float]],
    sign: int = 1,
) -> float:
    """Add a question's hit to (``sign`` -1: take it from) its dimension's points and
    severities; returns the weight it adds to what is unknown (its question's, for a gap)."""
    points = hit.points
    gap = hit.item.gap is not None
    if points > 0:
        index = hit.dim_order
        points_by[index] += sign * points
        kept = gapped[index] if gap else known[index]
        if sign > 0:
            kept.append(hit.severity)
        else:
            kept.remove(hit.severity)
    return weight if gap else 0.0


def combine(severities: Iterable[float], further: float) -> float:
    """The exposure of several weaknesses together, 0 to 1: the worst counts in full, the
    next ``further`` of its severity of what is left, the next ``further`` squared, and so on.

    The worst weakness dominates and nothing is averaged away, yet forty small weaknesses
    do not add up to one fatal one.  Adding a weakness, or making one worse, never lowers
    the result (a weakness moving up the order takes the place of an equal or smaller one).
    """
    left = 1.0
    share = 1.0
    for severity in sorted(severities, reverse=True):
        step = share * severity
        left *= 0.0 if step >= 1 else 1.0 - step
        share *= further
        if share < 1e-6:
            break
    return 1.0 - left


def _round(value: float) -> int:
    """Round half up, so 12.5 is 13 (Python's round() would give 12)."""
    return math.floor(value + 0.5)


def _latest_answers(answers: Iterable[A]) -> dict[str, A]:
    """One answer per question: the most recently dated, later entries winning ties."""
    latest: dict[str, A] = {}
    for answer in answers:
        held = latest.get(answer.question_id)
        if held is None or (answer.answered_on or dt.date.min) >= (held.answered_on or dt.date.min):
            latest[answer.question_id] = answer
    return latest


_STOCK_VALUES = (
    None,
    AnswerValue.YES,
    AnswerValue.PARTLY,
    AnswerValue.NO,
    AnswerValue.UNKNOWN,
)


def _answer_raised(
    question: Question, value: AnswerValue | None, factors: AnswerFactors
) -> Raised | None:
    """What an answer (None: no answer) says as risk, ignoring its date; None for no risk."""
    why = question.why_it_matters
    board = question.board_question
    if value is AnswerValue.YES:
        if factors.yes == 0:
            return None
        return _plain(factors.yes, "Answered 'yes'.", why, board, question.title)
    if value is AnswerValue.PARTLY:
        return _plain(
            factors.partly, "Answered 'partly'.", why, board, f"{question.title} (partly)"
        )
    if value is AnswerValue.NO:
        return _plain(factors.no, "Answered 'no'.", why, board, question.title)
    lead = "Answered 'unknown'" if value is AnswerValue.UNKNOWN else "Not answered yet"
    return Raised(
        factor=factors.unknown,
        title=f"Not known: {question.gap}",
        explanation=(
            f"{lead}: until someone finds out, it counts only in part and lowers the "
            f"confidence in this supplier's score. {why}"
        ),
        gap=question.gap,
    )


def _dated_yes(
    question: Question, answer: AnswerLike, today: dt.date, factors: AnswerFactors
) -> Raised | None:
    """A 'yes' to a question that must be refreshed counts as 'partly' when stale or undated."""
    why = question.why_it_matters
    assert question.refresh_months is not None
    if answer.answered_on is None:
        return Raised(
            factor=factors.partly,
            title=f"Not dated: {question.gap}",
            explanation=(
                "Answered 'yes' but without a date, so it counts only as 'partly' until the "
                f"date is recorded. {why}"
            ),
            gap=f"{question.gap} recently (the 'yes' has no date)",
        )
    if add_months(answer.answered_on, question.refresh_months) < today:
        return Raised(
            factor=factors.partly,
            title=f"{question.title} (last checked {long_date(answer.answered_on)})",
            explanation=(
                f"Answered 'yes' on {long_date(answer.answered_on)}, more than "
                f"{question.refresh_months} months ago, so it counts only as 'partly' until "
                f"it is checked again. {why}"
            ),
            board=question.board_question,
        )
    return None


def _plain(factor: float, lead: str, why: str, board: str, title: str) -> Raised:
    return Raised(factor=factor, explanation=f"{lead} {why}", board=board, title=title)


def _question_hit(
    question: Question, item: Raised, weight: float, severity: Callable[[int, float], float]
) -> _Hit:
    """The finding a question raises (no supplier yet), with its severity."""
    points = round(weight * item.factor, 3)
    dim_order = _DIMENSION_ORDER[question.dimension]
    return _Hit(
        -points,
        dim_order,
        question.id,
        "",
        points,
        question.dimension,
        question.key_question,
        None,
        item.title or question.title,
        item,
        question.reference,
        question.id,
        severity(dim_order, points),
    )


EVIDENCE_CHARS = 200
"""The most characters of an answer's evidence a board question quotes (the finding keeps it
whole)."""


def _with_evidence(hit: _Hit, evidence: str) -> _Hit:
    """A question's hit for one supplier whose answer records what it is based on: the
    explanation quotes it ("Recorded: ...") after its own, and the finding keeps it whole."""
    item = hit.item
    quoted = _one_line(evidence)
    if quoted[-1] not in ".!?":
        quoted += "."
    return hit._replace(
        item=Raised(
            factor=item.factor,
            explanation=f"{item.explanation} Recorded: {quoted}",
            board=item.board,
            gap=item.gap,
            contract=item.contract,
            title=item.title,
            evidence=evidence,
        )
    )


def _one_line(text: str) -> str:
    """User text on one line: runs of whitespace (line breaks too) as one space."""
    return " ".join(text.split())


def evidence_excerpt(evidence: str, limit: int = EVIDENCE_CHARS) -> str:
    """An answer's evidence as a board question quotes it: on one line, and at most ``limit``
    characters, cut at a word where it can be and ending in an ellipsis when cut."""
    text = _one_line(evidence)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "\u2026"


def _finding(
    hit: _Hit, supplier: str, supplier_id: int | None, contract_ids: Mapping[str, int | None]
) -> Finding:
    """The finding a hit stands for, about ``supplier`` (whose contracts' ids are given by title)."""
    if hit.question_id is not None:
        # Serialised fields follow the order they were set in: question findings have
        # always put the supplier first, and their JSON stays byte for byte the same.
        return _build(
            Finding,
            supplier=supplier,
            code=hit.code,
            contract=hit.contract,
            dimension=hit.dimension,
            key_question=hit.key_question,
            points=hit.points,
            title=hit.title,
            explanation=hit.item.explanation,
            reference=hit.reference,
            data_gap=hit.item.gap is not None,
            question_id=hit.question_id,
            evidence=hit.item.evidence,
            supplier_id=supplier_id,
            contract_id=None,
        )
    return _build(
        Finding,
        code=hit.code,
        supplier=supplier,
        contract=hit.contract,
        dimension=hit.dimension,
        key_question=hit.key_question,
        points=hit.points,
        title=hit.title,
        explanation=hit.item.explanation,
        reference=hit.reference,
        data_gap=hit.item.gap is not None,
        question_id=None,
        evidence=hit.item.evidence,
        supplier_id=supplier_id,
        contract_id=None if hit.contract is None else contract_ids.get(hit.contract),
    )


def _questions_severity(points: Sequence[float]) -> float:
    """The worst finding, plus a little for each further one (at most double the worst)."""
    ordered = sorted(points, reverse=True)
    worst = ordered[0]
    return worst + min(0.25 * sum(ordered[1:]), worst)


_Concrete = dict[Theme, list[_Hit]]


def _question_groups(name: str, hits: Sequence[_Hit]) -> tuple[_Concrete, list[_Hit], int]:
    """The findings behind each board question: one question per theme, its findings most
    serious first; the data gaps that count (most serious first), which are the CIO's team's
    to find out, not the board's; and how many findings are data gaps (counted in the same
    pass, for the overview).  Time-bound findings (:data:`DECISION_CODES`) are decisions, not
    questions."""
    concrete: _Concrete = {}
    gaps: list[_Hit] = []
    gap_count = 0
    theme_of = THEME_OF
    decisions = DECISION_CODES
    decided: set[str | None] | None = None
    for hit in hits:
        item = hit.item
        if item.gap is not None:
            gap_count += 1
            if hit.points > 0:
                gaps.append(hit)
        elif hit.points > 0 and item.board is not None and hit.code not in decisions:
            if hit.code in _DECIDED_WITH:
                # An auto-renewal whose contract is already before the board as a decision
                # is asked there (with its notice date), not again as a question.
                if decided is None:
                    decided = {h.contract for h in hits if h.code in decisions}
                if hit.contract in decided:
                    continue
            concrete.setdefault(theme_of[hit.dimension], []).append(hit)
    return concrete, gaps, gap_count


_DECIDED_WITH = frozenset({"rule.auto_renewal"})
"""Findings about a contract that its decision (when it has one) already puts to the board."""


Prefix = tuple[float, int, str]
"""The start of a board question's order: -priority, -criticality rank, supplier name key."""


def _prefixes(entries: Sequence[OverviewEntry]) -> Iterator[tuple[Prefix, int, int]]:
    """(prefix, key question index, entry index) of every board question of the entries."""
    for index, entry in enumerate(entries):
        overview = entry.overview
        crit = -_CRITICALITY_RANK[overview.criticality]
        name_key = overview.supplier.casefold()
        for key_index, priority in entry.questions:
            yield (-priority, crit, name_key), key_index, index


def _last_places(
    prefixes: Iterable[tuple[Prefix, int, int]], size: int, sizes: Sequence[int]
) -> list[Prefix | None]:
    """The ``size``-th smallest prefix of all, then the ``sizes[k]``-th of each key question.

    ``None`` where there are not that many (every question may then make the list).
    Questions whose order starts after a list's last place can never be in it;
    ties need the text, so they still may.
    """
    heaps: list[list[_Reversed]] = [[] for _ in range(1 + len(sizes))]
    limits = [size, *sizes]
    for prefix, key_index, _ in prefixes:
        for at in (0, 1 + key_index):
            heap, limit = heaps[at], limits[at]
            if limit <= 0:
                continue
            if len(heap) < limit:
                heapq.heappush(heap, _Reversed(prefix))
            elif prefix < heap[0].key:
                heapq.heapreplace(heap, _Reversed(prefix))
    out: list[Prefix | None] = []
    for heap, limit in zip(heaps, limits, strict=True):
        if limit <= 0:
            out.append(_NOTHING)
        elif len(heap) < limit:
            out.append(None)
        else:
            last: Prefix = heap[0].key
            out.append(last)
    return out


def _may_make(prefix: Prefix, last: Prefix | None) -> bool:
    return last is None or prefix <= last


_NOTHING: Prefix = (-math.inf, 0, "")
"""A last place no question reaches: the list keeps nothing."""


def _lead(group: Sequence[_Hit]) -> _Hit:
    """The finding whose question a merged board question asks: the most serious one drawn
    from the records (a rule's, which names the contracts, dates and partners concerned),
    else the most serious answer's.  The others' questions are kept beside it."""
    for hit in group:
        if hit.question_id is None:
            return hit
    return group[0]


def _per_key(concrete: _Concrete) -> tuple[int, ...]:
    """How many board questions the groups make under each key question (that of the group's
    most serious finding), in their order."""
    counts = [0] * len(KeyQuestion)
    for group in concrete.values():
        counts[_KEY_ORDER[_lead(group).key_question]] += 1
    return tuple(counts)


def _board_questions(
    supplier: Supplier, hits: Sequence[_Hit], impact: float, alpha: float
) -> list[BoardQuestion]:
    """Turn findings into board questions, one per theme, highest priority first."""
    concrete, _, _ = _question_groups(supplier.name, hits)
    questions = [_question(supplier, theme, group, impact) for theme, group in concrete.items()]
    # One supplier: criticality and name are the same throughout.
    questions.sort(key=lambda q: (-q.priority, q.text))
    return questions


def _offer_questions(
    found: _Assessment,
    concrete: _Concrete,
    top: _TopQuestions,
    ranked: Mapping[KeyQuestion, _Best],
) -> None:
    """Offer one supplier's board questions to the register-wide lists.

    A question is only written out when its priority, criticality and supplier
    (the start of its order) leave it a chance of being kept; for most suppliers
    not even the priorities are needed, because twice the worst finding bounds them.
    """
    supplier = found.supplier
    impact = found.impact
    crit = -_CRITICALITY_RANK[supplier.criticality]
    name_key = supplier.name.casefold()
    bound = round(impact * 2 * found.worst, 3)
    if not (
        top.wants_any((-bound, crit, name_key))
        or any(b.wants((-bound, crit, name_key)) for b in ranked.values())
    ):
        return
    for theme, group in concrete.items():
        key_question = _lead(group).key_question
        # The group's worst finding comes first: its priority is at most twice that, so most
        # groups are turned away before it is worked out.
        most = round(impact * 2 * group[0].points, 3)
        first = (-most, crit, name_key)
        if not (top.wants(first, key_question) or ranked[key_question].wants(first)):
            continue
        priority = _priority(group, impact)
        prefix = (-priority, crit, name_key)
        if not (top.wants(prefix, key_question) or ranked[key_question].wants(prefix)):
            continue
        question = _question(supplier, theme, group, impact)
        order = question_order(question)
        top.offer(order, question)
        ranked[key_question].offer(order, question)


def _gap_phrases(hits: Iterable[_Hit], limit: int | None) -> list[str]:
    """What is not known, in words ('whether ...'), each once, most serious first (the first
    ``limit`` of them; all when None).  Only the data gaps that count are named."""
    phrases: dict[str, None] = {}
    for hit in hits:
        gap = hit.item.gap
        if gap is not None and hit.points > 0:
            phrases.setdefault(gap, None)
            if limit is not None and len(phrases) >= limit:
                break
    return list(phrases)


def _gap_priority(gaps: Iterable[_Hit], impact: float, alpha: float) -> float:
    """How pressing it is to find out what is unknown about a supplier: its impact times its
    worst data gap's severity, counted as unknowns count in the exposure (``alpha`` of what
    it would be if bad)."""
    worst = max((h.points for h in gaps if h.item.gap is not None), default=0.0)
    return round(impact * alpha * worst, 3)


def _priority(group: Sequence[_Hit], impact: float) -> float:
    """A board question's priority: the supplier's impact times the severity of the findings
    behind it."""
    return round(impact * _questions_severity([hit.points for hit in group]), 3)


def _question(
    supplier: Supplier, theme: Theme, group: Sequence[_Hit], impact: float
) -> BoardQuestion:
    """One board question from the findings of one theme: the most serious finding's question,
    naming every contract concerned, with the others' questions kept beside it."""
    name = supplier.name
    lead = _lead(group)
    texts = list(
        dict.fromkeys(
            h.item.board.replace("{supplier}", name)
            for h in (lead, *group)
            if h.item.board is not None
        )
    )
    contracts = list(dict.fromkeys(h.contract for h in group if h.contract is not None))
    return _build(
        BoardQuestion,
        supplier=name,
        key_question=lead.key_question,
        text=_naming_contracts(texts[0], contracts),
        priority=_priority(group, impact),
        criticality=supplier.criticality,
        finding_codes=list(dict.fromkeys(hit.code for hit in group)),
        contracts=contracts,
        evidence=_quotes(lead, group),
        supplier_id=getattr(supplier, "id", None),
        theme=theme,
        also=texts[1:],
        scope="supplier",
    )


def _quotes(lead: _Hit, group: Sequence[_Hit]) -> list[str]:
    """The recorded evidence a merged question quotes: the lead finding's as it is, then the
    other findings' each headed by its finding (what it is evidence of), at most
    :data:`EVIDENCE_QUOTES`."""
    quotes: dict[str, None] = {}
    for hit in (lead, *group):
        evidence = hit.item.evidence
        if evidence is None:
            continue
        excerpt = evidence_excerpt(evidence)
        quotes.setdefault(excerpt if hit is lead else f"{hit.title} — {excerpt}", None)
        if len(quotes) >= EVIDENCE_QUOTES:
            break
    return list(quotes)


def _naming_contracts(text: str, contracts: Sequence[str]) -> str:
    """A question that names every contract concerned: the contracts its text leaves out are
    added in one sentence (the question stands on its own in a paper)."""
    missing = [quoted(c) for c in contracts if quoted(c) not in text]
    if len(contracts) < 2 or not missing:
        return text
    # 'also' only when the question already names one of them.
    also = " also" if len(missing) < len(contracts) else ""
    return f"{text} This{also} concerns {join_and(missing)}."


def _decisions(hits: Sequence[_Hit], contracts: Sequence[Contract]) -> tuple[DecisionFact, ...]:
    """The time-bound decisions the findings raise (:data:`DECISION_CODES`), one per contract,
    soonest first."""
    by_title = {c.title: c for c in contracts}
    found: dict[str, DecisionFact] = {}
    for hit in hits:
        if hit.code not in DECISION_CODES or hit.contract is None or hit.contract in found:
            continue
        contract = by_title.get(hit.contract)
        if contract is None:
            continue
        end = contract.end_date
        ended = hit.code == "rule.ended_in_use"
        date = end if ended else contract.decide_by()
        if date is None:
            continue
        found[hit.contract] = DecisionFact(
            kind="ended_in_use" if ended else "decide_by",
            contract=contract.title,
            date=date,
            end_date=end,
            notice_by=contract.notice_by(),
            auto_renewal=contract.auto_renewal,
            latest_end=latest_possible_end(contract),
            migration_days=contract.migration_lead_time_days,
        )
    return tuple(sorted(found.values(), key=lambda d: (d.date, d.contract)))


_UNASSESSED_CODE = "model.unassessed"


@lru_cache(maxsize=4096)
def _unassessed_hit(known: int, banded: tuple[int, Band] | None) -> _Hit:
    """The finding that says most of what matters about a supplier is unknown (``known`` is
    the percentage that is recorded): listed first, adding nothing.  ``banded`` is the risk
    and band of what is known when that alone is serious enough to band the supplier; ``None``
    when it is left unassessed.  Kept, as many suppliers share one."""
    # Rounded to a whole percentage, a little recorded reads as 0%: say so in words.
    recorded = f"Only {known}%" if known > 0 else "Next to nothing"
    if banded is None:
        title = "Not yet assessed"
        explanation = (
            f"{recorded} of what matters about this supplier is recorded, too little to band "
            "its risk. Until the gaps are filled it is shown as unassessed, with its impact, "
            "rather than ranked on guesses."
        )
    else:
        risk, band = banded
        title = "Mostly unknown, already serious"
        explanation = (
            f"{recorded} of what matters about this supplier is recorded, yet what is known "
            f"already puts its risk at {risk} ({band.value}) at the least, so it is banded "
            "rather than left unassessed; the gaps could make it worse, not better."
        )
    item = Raised(
        factor=0.0,
        title=title,
        explanation=explanation,
        gap="most of what matters about this supplier",
    )
    return _Hit(
        -math.inf,
        _DIMENSION_ORDER[Dimension.EXIT],
        _UNASSESSED_CODE,
        "",
        0.0,
        Dimension.EXIT,
        KeyQuestion.IF_WRONG,
        None,
        item.title or "",
        item,
        "Principle 6: 'What would happen if our relationship with an important technology "
        "supplier went wrong?'",
        None,
    )


def _raise_text(code: str, figure: float) -> str:
    """One raise of the impact in words, with the figure behind it."""
    n = int(figure)
    if code == "clinical":
        return f"it supports {n} clinical service{'s' if n != 1 else ''}"
    if code == "short_outage":
        if n == 0:
            return "a service it supports cannot be down at all"
        return f"a service it supports can be down for at most {n} hour{'s' if n != 1 else ''}"
    if code == "many_services":
        return f"it supports {n} services"
    if code == "dependents":
        return f"{n} other supplier{'s depend' if n != 1 else ' depends'} on it"
    if code == "high_spend":
        return f"the trust spends £{figure:,.0f} a year with it"
    return code


def impact_reasons(
    criticality: Criticality,
    base: float,
    raises: Sequence[tuple[str, float, float]],
    max_uplift: float | None = None,
) -> list[str]:
    """What sets a supplier's impact, in words: its criticality, then each raise (and the
    cap on them, when they add up to more than ``max_uplift``)."""
    reasons = [f"{criticality.label} criticality: impact {base:g} of 5"]
    reasons += [f"+{amount:g}: {_raise_text(code, figure)}" for code, amount, figure in raises]
    total = sum(amount for _, amount, _ in raises)
    if max_uplift is not None and total > max_uplift + 1e-9:
        reasons.append(
            f"the raises count at most +{max_uplift:g} together, so criticality always comes first"
        )
    return reasons


def _notice_dates(live: Iterable[Contract]) -> tuple[dt.date, ...]:
    """The last days to give notice on the current contracts that renew automatically (end
    date minus notice period, both recorded), soonest first: passed ones too, as with the
    decide-by date (a notice-by date is never guessed)."""
    return tuple(
        sorted(
            notice_by
            for contract in live
            if contract.auto_renewal is True and (notice_by := contract.notice_by()) is not None
        )
    )


def _next_decide_by(live: Iterable[Contract]) -> tuple[dt.date | None, str | None]:
    """The earliest decide-by date among current contracts (it may already have passed)."""
    best: tuple[dt.date, str] | None = None
    for contract in live:
        decide_by = contract.decide_by()
        if decide_by is not None and (best is None or (decide_by, contract.title) < best):
            best = (decide_by, contract.title)
    return (best[0], best[1]) if best else (None, None)
