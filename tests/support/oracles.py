"""Whole-register reference implementations: the oracles the fast paths are checked against.

Production never scores a register held whole in memory: the application layer
streams each supplier's records from the database (``services.register_scoring``)
and exports work from overviews.  These functions do it the plain way, from an
interchange :class:`Register`, with the same engine, so the tests (and the
benchmark's ``score`` and ``overview`` rows) can compare the two.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from supplier_register.domain.models import Answer, Contract, Person, Register, Supplier
from supplier_register.reports.summary import RiskSummary, _summary
from supplier_register.review.models import TrendPoint
from supplier_register.scoring import (
    TOP_FINDINGS,
    BoardQuestion,
    QuestionBank,
    RegisterOverview,
    RegisterScores,
    Scorer,
    ScoringConfig,
    ScoringContext,
    SupplierScore,
    supplier_order,
    top_questions,
)
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.context import key


def prepared(
    scorer: Scorer, register: Register
) -> tuple[dict[str, list[Contract]], dict[str, list[Answer]], ScoringContext]:
    """Contracts and answers indexed by supplier (name, any case), and the register-wide context."""
    contracts_by: dict[str, list[Contract]] = defaultdict(list)
    for contract in register.contracts:
        contracts_by[key(contract.supplier)].append(contract)
    answers_by: dict[str, list[Answer]] = defaultdict(list)
    for answer in register.answers:
        answers_by[key(answer.supplier)].append(answer)
    context = ScoringContext.build(
        register.people,
        register.suppliers,
        scorer.config,
        register.services,
        register.dependencies,
    )
    return contracts_by, answers_by, context


def iter_scores(
    register: Register, *, today: dt.date, scorer: Scorer | None = None
) -> Iterator[SupplierScore]:
    """Every supplier of a register scored in full, one at a time, in register order."""
    scorer = scorer or Scorer()
    contracts_by, answers_by, context = prepared(scorer, register)
    for supplier in register.suppliers:
        name = key(supplier.name)
        yield scorer.score(
            supplier,
            contracts_by.get(name, ()),
            answers_by.get(name, ()),
            today=today,
            context=context,
        )


def score_register(
    register: Register,
    *,
    today: dt.date,
    config: ScoringConfig | None = None,
    bank: QuestionBank | None = None,
) -> RegisterScores:
    """Score every supplier of a register; suppliers and questions highest priority first."""
    scorer = Scorer(config, bank)
    scores = sorted(iter_scores(register, today=today, scorer=scorer), key=supplier_order)
    return RegisterScores(
        today=today,
        suppliers=scores,
        top_questions=top_questions(
            scores, scorer.config.top_questions, scorer.config.top_questions_per_key
        ),
    )


def overview_register(
    register: Register,
    *,
    today: dt.date,
    config: ScoringConfig | None = None,
    bank: QuestionBank | None = None,
    scorer: Scorer | None = None,
    top_findings: int = TOP_FINDINGS,
    ranked_per_key: int = 0,
    question_limit: int | None = None,
) -> RegisterOverview:
    """Every supplier's overview and the register's top board questions, from a whole register
    (the same figures as :func:`score_register`; see ``Scorer.overview_records``)."""
    scorer = scorer or Scorer(config, bank)
    contracts_by, answers_by, context = prepared(scorer, register)
    records = (
        (s, contracts_by.get(key(s.name), ()), answers_by.get(key(s.name), ()))
        for s in register.suppliers
    )
    return scorer.overview_records(
        records,
        context=context,
        today=today,
        top_findings=top_findings,
        ranked_per_key=ranked_per_key,
        question_limit=question_limit,
    )


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

    Without ``context`` only ``people`` is known, and the chief-executive span rule stays quiet.
    """
    config = config or ScoringConfig()
    if context is None:
        context = ScoringContext.build(people, config=config)
    return Scorer(config, bank).score(supplier, contracts, answers, today=today, context=context)


def build_summary(
    register: Register,
    scores: RegisterScores,
    today: dt.date,
    *,
    trust: str | None = None,
    history: Mapping[str, Sequence[TrendPoint]] | None = None,
) -> RiskSummary:
    """The risk summary of ``register`` as scored in full in ``scores`` on ``today``.

    Production builds it from overviews (``reports.build_overview_summary``);
    this is the summary with every finding written out, for comparing with it.
    ``trust`` defaults to the register's own trust name; ``history`` maps a
    supplier name (any case) to its scores at past reviews, oldest first.
    """
    return _summary(
        register.suppliers,
        [(s, s.findings) for s in scores.suppliers],
        scores.top_questions,
        today,
        trust=trust if trust is not None else register.trust,
        history=history,
    )


class _Asked:
    """Questions offered to :func:`top_questions` as one more (pseudo-)supplier's."""

    def __init__(self, questions: Sequence[BoardQuestion]) -> None:
        self.questions = list(questions)


def paper_summary(
    register: Register,
    scores: RegisterScores,
    today: dt.date,
    *,
    config: ScoringConfig | None = None,
) -> RiskSummary:
    """:func:`build_summary` as a board paper has it: with the trust's own findings (from the
    register's whole records) and their board questions ranked among the suppliers' by
    :func:`top_questions` over every question."""
    from supplier_register.scoring.trust import TrustThresholds, trust_findings
    from supplier_register.services.trust_board import trust_questions

    settings = config or ScoringConfig()
    found = trust_findings(register.profile, register.suppliers, register.contracts, today)
    asked = trust_questions(found, TrustThresholds(), settings.exposure.points_scale)
    every: list[Any] = [*scores.suppliers, _Asked(asked)]
    ranked = top_questions(every, settings.top_questions, settings.top_questions_per_key)
    summary = build_summary(
        register,
        RegisterScores(today=today, suppliers=scores.suppliers, top_questions=ranked),
        today,
    )
    pack = full_board_pack(register, scores, ranked, today, settings, len(asked))
    return summary.model_copy(update={"trust_findings": found, "board": pack})


def full_board_pack(
    register: Register,
    scores: RegisterScores,
    ranked: Sequence[BoardQuestion],
    today: dt.date,
    settings: ScoringConfig,
    trust_questions: int = 0,
) -> BoardPack:
    """The board pack from full scores and the register's whole records (production works it
    out from overviews and the stored owners: ``services.board.pack_of``)."""
    from supplier_register.scoring.board import board_pack, owner_text
    from supplier_register.scoring.results import SupplierOverview

    people = {p.name.casefold(): p for p in register.people}
    owners = {
        s.name: people.get(s.owner.casefold()) if s.owner else None for s in register.suppliers
    }

    def owner_of(o: SupplierOverview) -> str | None:
        person = owners.get(o.supplier)
        return None if person is None else owner_text(person.name, person.role)

    return board_pack(
        [SupplierOverview.of(s) for s in scores.suppliers],
        ranked[: settings.top_questions],
        today=today,
        config=settings.board,
        horizon_days=settings.decide_by_horizon_days,
        owner_of=owner_of,
        question_total=sum(len(s.questions) for s in scores.suppliers) + trust_questions,
    )
