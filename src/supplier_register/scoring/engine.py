"""The scoring engine: records + today -> explained principle-6 scores and board questions.

Pure and deterministic: nothing here reads the clock, a file or the database.

How a score is built:

* Each applicable question adds ``weight x factor`` risk points to its dimension,
  where the factor comes from the answer (yes 0, partly 0.5, no 1, unknown or
  unanswered 0.75 by default).  A "yes" older than the question's refresh period,
  or undated, counts as "partly".
* Each record rule that fires adds ``rule weight x severity`` points on top.
* A dimension's score is its points as a share of its capacity (the weights of
  the questions that apply to the supplier), capped at 100.
* The overall score is the weighted mean of the dimension scores; bands and
  priority (criticality weight x score) follow from it.

Every point is carried by a :class:`Finding`, so every score can be explained.
"""

from __future__ import annotations

import datetime as dt
import gc
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from supplier_register.domain.enums import AnswerValue, Criticality, SupplyCategory
from supplier_register.domain.models import Answer, Contract, Person, Register, Supplier
from supplier_register.scoring.config import AnswerFactors, ScoringConfig
from supplier_register.scoring.context import ScoringContext, key
from supplier_register.scoring.questions import Question, QuestionBank, default_question_bank
from supplier_register.scoring.results import (
    BoardQuestion,
    Dimension,
    DimensionScore,
    Finding,
    KeyQuestion,
    RegisterScores,
    SupplierScore,
)
from supplier_register.scoring.rules import RULES, Facts, Raised, Rule
from supplier_register.scoring.text import add_months, long_date

DIMENSIONS = tuple(Dimension)
_DIMENSION_ORDER = {d: i for i, d in enumerate(DIMENSIONS)}
_KEY_ORDER = {k: i for i, k in enumerate(KeyQuestion)}


@dataclass(frozen=True, slots=True)
class _Applicable:
    """The questions one (category, criticality) pair answers, with their weights."""

    questions: tuple[tuple[Question, float], ...]
    capacity: dict[Dimension, float]


class Scorer:
    """Scoring prepared once for a config and question bank, then applied to many suppliers."""

    def __init__(self, config: ScoringConfig | None = None, bank: QuestionBank | None = None):
        self.config = config or ScoringConfig()
        self.bank = bank or default_question_bank()
        self._applicable: dict[tuple[SupplyCategory, Criticality], _Applicable] = {}
        self._weights = {
            q.id: self.config.question_weights.get(q.id, q.weight) for q in self.bank.questions
        }
        self._rules: tuple[tuple[Rule, float], ...] = tuple(
            (rule, self.config.rule_weight(code)) for code, rule in RULES.items()
        )
        factors = self.config.answer_factors
        # What each answer to each question raises, worked out once: the finding's fields
        # (all but the supplier) and the Raised item that feeds the board questions.
        self._stock: dict[str, dict[AnswerValue | None, tuple[dict[str, Any], Raised] | None]] = {}
        for q in self.bank.questions:
            table: dict[AnswerValue | None, tuple[dict[str, Any], Raised] | None] = {}
            for value in _STOCK_VALUES:
                item = _answer_raised(q, value, factors)
                weight = self._weights[q.id]
                table[value] = (
                    None
                    if item is None or weight == 0
                    else (_finding_fields(q, item, weight), item)
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
            capacity: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
            for q, weight in questions:
                capacity[q.dimension] += weight
            found = _Applicable(questions, capacity)
            self._applicable[(category, criticality)] = found
        return found

    # -- one supplier ------------------------------------------------------------------------

    def score(
        self,
        supplier: Supplier,
        contracts: Sequence[Contract],
        answers: Sequence[Answer],
        *,
        today: dt.date,
        context: ScoringContext,
    ) -> SupplierScore:
        """Score one supplier from its own contracts and answers."""
        config = self.config
        factors = config.answer_factors
        name = supplier.name
        latest = _latest_answers(answers)
        applicable = self.applicable(supplier.category, supplier.criticality)
        capacity = dict(applicable.capacity)
        raised: list[tuple[Finding, Raised]] = []

        for question, weight in applicable.questions:
            answer = latest.get(question.id)
            value = answer.answer if answer is not None else None
            if value is AnswerValue.NOT_APPLICABLE:
                capacity[question.dimension] -= weight
                continue
            stock = self._stock[question.id][value]
            if value is AnswerValue.YES and question.refresh_months is not None:
                assert answer is not None
                dated = _dated_yes(question, answer, today, factors)
                if dated is not None and weight:
                    stock = (_finding_fields(question, dated, weight), dated)
            if stock is None:
                continue
            fields, item = stock
            raised.append((_build(Finding, supplier=name, **fields), item))

        live = [c for c in contracts if c.end_date is None or c.end_date >= today]
        ended = [c for c in contracts if c.end_date is not None and c.end_date < today]
        facts = Facts(supplier, live, ended, today, config, context)
        for rule, weight in self._rules:
            if weight == 0:
                continue
            for item in rule.check(facts):
                raised.append((_rule_finding(rule, item, name, weight), item))

        points: dict[Dimension, float] = dict.fromkeys(DIMENSIONS, 0.0)
        for finding, _ in raised:
            points[finding.dimension] += finding.points

        dimensions = []
        weighted = total_weight = 0.0
        for dimension in DIMENSIONS:
            cap = max(capacity[dimension], 0.0)
            pts = round(points[dimension], 3)
            if cap <= 1e-9 and pts == 0:
                dimensions.append(
                    _build(DimensionScore, dimension=dimension, score=0, points=0.0, max_points=0.0)
                )
                continue
            if cap <= 1e-9:
                cap = config.min_dimension_capacity
            raw = min(100.0, 100.0 * pts / cap)
            dimensions.append(
                _build(
                    DimensionScore,
                    dimension=dimension,
                    score=_round(raw),
                    points=pts,
                    max_points=round(cap, 3),
                )
            )
            dim_weight = config.dimension_weights[dimension]
            weighted += dim_weight * raw
            total_weight += dim_weight
        overall = _round(weighted / total_weight) if total_weight else 0

        raised.sort(key=lambda pair: _finding_order(pair[0]))
        findings = [finding for finding, _ in raised]
        crit_weight = config.criticality_weights[supplier.criticality]
        questions = _board_questions(supplier, raised, crit_weight)
        decide_by, decide_contract = _next_decide_by(live)
        return _build(
            SupplierScore,
            supplier=name,
            criticality=supplier.criticality,
            score=overall,
            band=config.bands.band(overall),
            priority=round(crit_weight * overall, 3),
            dimensions=dimensions,
            findings=findings,
            data_gaps=[f for f in findings if f.data_gap],
            questions=questions,
            next_decide_by=decide_by,
            next_decide_by_contract=decide_contract,
        )

    # -- the register ------------------------------------------------------------------------

    def iter_scores(self, register: Register, *, today: dt.date) -> Iterator[SupplierScore]:
        """Score the suppliers of a register one at a time, in register order.

        For callers that keep only part of each result (a table row, a total), so
        a large register never holds every finding in memory at once.  Contracts
        and answers are indexed by supplier once; the work is linear in the register.
        """
        contracts_by: dict[str, list[Contract]] = defaultdict(list)
        for contract in register.contracts:
            contracts_by[key(contract.supplier)].append(contract)
        answers_by: dict[str, list[Answer]] = defaultdict(list)
        for answer in register.answers:
            answers_by[key(answer.supplier)].append(answer)
        context = ScoringContext.build(register.people, register.suppliers, self.config)
        for supplier in register.suppliers:
            name = key(supplier.name)
            yield self.score(
                supplier,
                contracts_by.get(name, ()),
                answers_by.get(name, ()),
                today=today,
                context=context,
            )

    def score_register(self, register: Register, *, today: dt.date) -> RegisterScores:
        """Score every supplier of a register; suppliers and questions highest priority first."""
        with _gc_paused():
            scores = list(self.iter_scores(register, today=today))
        scores.sort(key=supplier_order)
        return RegisterScores(
            today=today,
            suppliers=scores,
            top_questions=top_questions(
                scores, self.config.top_questions, self.config.top_questions_per_key
            ),
        )


# --- public functions ----------------------------------------------------------------------


def score_supplier(
    supplier: Supplier,
    contracts: Sequence[Contract],
    answers: Sequence[Answer],
    people: Iterable[Person] = (),
    *,
    today: dt.date,
    context: ScoringContext | None = None,
    config: ScoringConfig | None = None,
    bank: QuestionBank | None = None,
) -> SupplierScore:
    """Score one supplier from its own contracts and answers.

    ``context`` carries register-wide facts (see :class:`ScoringContext`); without
    it only ``people`` is known and the chief-executive span rule stays quiet.
    Contracts and answers of other suppliers must not be passed.
    """
    config = config or ScoringConfig()
    if context is None:
        context = ScoringContext.build(people, config=config)
    return Scorer(config, bank).score(supplier, contracts, answers, today=today, context=context)


def score_register(
    register: Register,
    *,
    today: dt.date,
    config: ScoringConfig | None = None,
    bank: QuestionBank | None = None,
) -> RegisterScores:
    """Score a whole register on ``today``: suppliers highest priority first."""
    return Scorer(config, bank).score_register(register, today=today)


def supplier_order(score: SupplierScore) -> tuple[float, int, int, str]:
    """Sort key: highest priority, then score, then criticality first; then by name."""
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
    if limit is None:
        return sorted((q for s in scores for q in s.questions), key=question_order)
    best = _Best(limit)
    best_by_key = {k: _Best(min(per_key, limit)) for k in KeyQuestion}
    for score in scores:
        for question in score.questions:
            order = question_order(question)
            best.offer(order, question)
            best_by_key[question.key_question].offer(order, question)
    kept = sorted((q for b in best_by_key.values() for q in b.items()), key=question_order)
    kept = kept[:limit]
    chosen = {id(q) for q in kept}
    for question in best.items():
        if len(kept) >= limit:
            break
        if id(question) not in chosen:
            kept.append(question)
            chosen.add(id(question))
    return sorted(kept, key=question_order)


class _Best:
    """The ``size`` smallest questions by :func:`question_order` seen so far (a bounded heap)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._heap: list[tuple[_Reversed, int, BoardQuestion]] = []
        self._count = 0

    def offer(self, order: tuple[float, int, str, str], question: BoardQuestion) -> None:
        """Keep ``question`` (whose :func:`question_order` is ``order``) if it is among the best."""
        if self.size <= 0:
            return
        self._count += 1
        entry = (_Reversed(order), self._count, question)
        if len(self._heap) < self.size:
            heapq.heappush(self._heap, entry)
        elif entry[0] > self._heap[0][0]:
            heapq.heapreplace(self._heap, entry)

    def items(self) -> list[BoardQuestion]:
        """The kept questions, best first."""
        return [q for _, _, q in sorted(self._heap, key=lambda e: (e[0].key, e[1]))]


class _Reversed:
    """Inverts an order key, so a min-heap keeps the largest (worst kept) on top."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[float, int, str, str]) -> None:
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
_FIELDS_SET: dict[type[BaseModel], set[str]] = {}


def _build(cls: type[_M], **values: Any) -> _M:
    """Make a result model from values the engine produced itself, skipping re-validation.

    Equivalent to ``cls.model_construct`` with every field given (the tests
    re-validate real outputs against the models); several times faster, which
    matters when a large register produces millions of findings.
    """
    fields_set = _FIELDS_SET.get(cls)
    if fields_set is None:
        fields_set = _FIELDS_SET[cls] = set(cls.model_fields)
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", fields_set)
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic result objects.

    Scoring a large register creates millions of small objects and no reference
    cycles; without this, repeated full collections make the work grow faster
    than the register.  The collector's previous state is always restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _round(value: float) -> int:
    """Round half up, so 12.5 is 13 (Python's round() would give 12)."""
    return math.floor(value + 0.5)


def _latest_answers(answers: Iterable[Answer]) -> dict[str, Answer]:
    """One answer per question: the most recently dated, later entries winning ties."""
    latest: dict[str, Answer] = {}
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
        explanation=f"{lead}; unknowns count as risk until someone finds out. {why}",
        gap=question.gap,
    )


def _dated_yes(
    question: Question, answer: Answer, today: dt.date, factors: AnswerFactors
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


def _finding_fields(question: Question, item: Raised, weight: float) -> dict[str, Any]:
    """Every field but ``supplier`` of the finding a question raises."""
    return {
        "code": question.id,
        "contract": None,
        "dimension": question.dimension,
        "key_question": question.key_question,
        "points": round(weight * item.factor, 3),
        "title": item.title or question.title,
        "explanation": item.explanation,
        "reference": question.reference,
        "data_gap": item.data_gap,
        "question_id": question.id,
    }


def _rule_finding(rule: Rule, item: Raised, supplier: str, weight: float) -> Finding:
    title = item.title or (f"Not known: {item.gap}" if item.gap is not None else rule.title)
    return _build(
        Finding,
        code=rule.code,
        supplier=supplier,
        contract=item.contract,
        dimension=rule.dimension,
        key_question=rule.key_question,
        points=round(weight * item.factor, 3),
        title=title,
        explanation=item.explanation,
        reference=rule.reference,
        data_gap=item.data_gap,
        question_id=None,
    )


def _finding_order(finding: Finding) -> tuple[float, int, str, str]:
    return (
        -finding.points,
        _DIMENSION_ORDER[finding.dimension],
        finding.code,
        finding.contract or "",
    )


def _severity(points: Sequence[float]) -> float:
    """The worst finding, plus a little for each further one (at most double the worst)."""
    ordered = sorted(points, reverse=True)
    worst = ordered[0]
    return worst + min(0.25 * sum(ordered[1:]), worst)


def _board_questions(
    supplier: Supplier, raised: Sequence[tuple[Finding, Raised]], crit_weight: float
) -> list[BoardQuestion]:
    """Turn findings into deduplicated, concrete board questions, highest priority first."""
    name = supplier.name
    concrete: dict[tuple[KeyQuestion, str], list[Finding]] = {}
    gaps: dict[KeyQuestion, list[tuple[Finding, str]]] = {}
    for finding, item in raised:
        if finding.points <= 0:
            continue
        if item.gap is not None:
            gaps.setdefault(finding.key_question, []).append((finding, item.gap))
        elif item.board is not None:
            text = item.board.replace("{supplier}", name)
            concrete.setdefault((finding.key_question, text), []).append(finding)

    questions = []
    for (key_question, text), group in concrete.items():
        questions.append(_question(name, key_question, text, group, supplier, crit_weight))
    for key_question, items in gaps.items():
        phrases = list(dict.fromkeys(phrase for _, phrase in items))
        text = _gap_text(name, phrases)
        group = [finding for finding, _ in items]
        questions.append(
            _question(name, key_question, text, group, supplier, crit_weight, gaps=True)
        )
    # One supplier: criticality and name are the same throughout.
    questions.sort(key=lambda q: (-q.priority, q.text))
    return questions


def _gap_text(name: str, phrases: Sequence[str]) -> str:
    """'For X we do not yet know A; B; or C: who will find out, and by when?'."""
    ask = "who will find out, and by when?"
    if len(phrases) == 1:
        return f"For {name} we do not yet know {phrases[0]}: {ask}"
    if len(phrases) == 2:
        return f"For {name} we do not yet know {phrases[0]}, or {phrases[1]}: {ask}"
    if len(phrases) == 3:
        return f"For {name} we do not yet know {phrases[0]}; {phrases[1]}; or {phrases[2]}: {ask}"
    listed = f"{phrases[0]}; {phrases[1]}; and {phrases[2]}"
    return f"For {name} we do not yet know {len(phrases)} things, including {listed}: {ask}"


def _question(
    name: str,
    key_question: KeyQuestion,
    text: str,
    group: Sequence[Finding],
    supplier: Supplier,
    crit_weight: float,
    *,
    gaps: bool = False,
) -> BoardQuestion:
    """One board question; a question about unknowns ranks by its worst gap alone."""
    points = [f.points for f in group]
    severity = max(points) if gaps else _severity(points)
    codes = list(dict.fromkeys(finding.code for finding in group))
    contracts = list(dict.fromkeys(f.contract for f in group if f.contract is not None))
    return _build(
        BoardQuestion,
        supplier=name,
        key_question=key_question,
        text=text,
        priority=round(crit_weight * severity, 3),
        criticality=supplier.criticality,
        finding_codes=codes,
        contracts=contracts,
    )


def _next_decide_by(live: Iterable[Contract]) -> tuple[dt.date | None, str | None]:
    """The earliest decide-by date among current contracts (it may already have passed)."""
    best: tuple[dt.date, str] | None = None
    for contract in live:
        decide_by = contract.decide_by()
        if decide_by is not None and (best is None or (decide_by, contract.title) < best):
            best = (decide_by, contract.title)
    return (best[0], best[1]) if best else (None, None)
