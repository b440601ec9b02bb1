"""What the TUI reads from and writes to the register, without any Textual code.

Every function here opens its own database connection (``open_database``) and
closes it before returning, so it is safe to call from a worker thread: SQLite
connections must not be shared between threads.  Writes go through the
``Repository``, which makes each one a single transaction and raises
``RegisterError`` subclasses for anything the user can fix.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from supplier_register.domain import (
    AnswerRecord,
    ContractRecord,
    NotFound,
    PersonRecord,
    Register,
    SupplierRecord,
)
from supplier_register.scoring import Scorer, ScoringConfig, ScoringContext, top_questions
from supplier_register.scoring.engine import question_order, supplier_order
from supplier_register.scoring.results import (
    BoardQuestion,
    KeyQuestion,
    RegisterScores,
    SupplierScore,
)
from supplier_register.storage import Repository, open_database
from supplier_register.storage.provenance import Provenance
from supplier_register.tui.rows import SupplierRow, build_rows

T = TypeVar("T")


class Scoring:
    """The scoring engine as the TUI uses it: a whole register, or only what one change touched.

    Rescoring a 50,000-supplier register takes tens of seconds, so after a change to
    one supplier only that supplier is scored again, with the same register-wide
    context (people, the chief executive's span).  When the change alters that
    context, every supplier could be affected and :meth:`rescore` says so by
    returning ``None``: the caller then scores the whole register.
    """

    def __init__(self, config: ScoringConfig | None = None) -> None:
        self.engine = Scorer(config)
        self.config = self.engine.config

    def score_all(self, records: Records, today: dt.date) -> RegisterScores:
        """Score every supplier."""
        return self.engine.score_register(records.register(), today=today)

    def context(self, records: Records) -> ScoringContext:
        return ScoringContext.build(records.people, records.suppliers, self.config)

    def rescore(
        self,
        previous: RegisterScores,
        before: Records,
        after: Records,
        supplier_ids: set[int],
        today: dt.date,
    ) -> RegisterScores | None:
        """The scores of ``after``, re-scoring only ``supplier_ids``; ``None`` if that is not enough.

        ``previous`` must be the scores of ``before`` on ``today``, and ``after``
        must differ from ``before`` only in those suppliers and their contracts and answers.
        """
        if previous.today != today:
            return None
        old_context, new_context = self.context(before), self.context(after)
        if old_context != new_context:
            return None
        old_names = {s.name.casefold() for s in before.suppliers if s.id in supplier_ids}
        kept = [score for score in previous.suppliers if score.supplier.casefold() not in old_names]
        for supplier in after.suppliers:
            if supplier.id in supplier_ids:
                kept.append(
                    self.engine.score(
                        supplier,
                        [c for c in after.contracts if c.supplier_id == supplier.id],
                        [a for a in after.answers if a.supplier_id == supplier.id],
                        today=today,
                        context=new_context,
                    )
                )
        kept.sort(key=supplier_order)
        return RegisterScores.model_construct(
            today=today,
            suppliers=kept,
            top_questions=top_questions(
                kept, self.config.top_questions, self.config.top_questions_per_key
            ),
        )


@contextmanager
def repository(db_path: Path) -> Iterator[Repository]:
    """A repository on a fresh connection, closed afterwards (one per worker call)."""
    db = open_database(db_path)
    try:
        yield Repository(db)
    finally:
        db.close()


def run_with_repository(db_path: Path, operation: Callable[[Repository], T]) -> T:
    """Run one operation on its own connection."""
    with repository(db_path) as repo:
        return operation(repo)


@dataclass(frozen=True)
class Records:
    """The register as read from the database, before scoring."""

    trust: str | None
    people: list[PersonRecord]
    suppliers: list[SupplierRecord]
    contracts: list[ContractRecord]
    answers: list[AnswerRecord]
    provenance: dict[int, list[Provenance]] = field(default_factory=dict)
    """Where imported suppliers and contracts came from, by supplier id."""

    def patched(
        self,
        supplier_id: int,
        supplier: SupplierRecord | None,
        contracts: list[ContractRecord],
        answers: list[AnswerRecord],
    ) -> Records:
        """These records with one supplier (and its contracts and answers) replaced or removed."""
        suppliers = [s for s in self.suppliers if s.id != supplier_id]
        if supplier is not None:
            keys = [s.name.casefold() for s in suppliers]
            suppliers.insert(bisect.bisect(keys, supplier.name.casefold()), supplier)
        return Records(
            trust=self.trust,
            people=self.people,
            suppliers=suppliers,
            contracts=[c for c in self.contracts if c.supplier_id != supplier_id] + contracts,
            answers=[a for a in self.answers if a.supplier_id != supplier_id] + answers,
        )

    def register(self) -> Register:
        """The records as one interchange model for the scoring engine.

        The records are already validated (they are stored models), so they are
        placed in the register without a second, slow validation; each record is
        a subclass of the interchange model it stands for.
        """
        return Register.model_construct(
            trust=self.trust,
            people=list(self.people),
            suppliers=list(self.suppliers),
            contracts=list(self.contracts),
            answers=list(self.answers),
        )


def read_supplier(
    db_path: Path, supplier_id: int
) -> tuple[SupplierRecord | None, list[ContractRecord], list[AnswerRecord]]:
    """One supplier (``None`` if it no longer exists) with its contracts and answers."""
    with repository(db_path) as repo:
        try:
            supplier = repo.get_supplier(supplier_id)
        except NotFound:
            return None, [], []
        return supplier, repo.list_contracts(supplier_id), repo.list_answers(supplier_id)


def read_records(db_path: Path) -> Records:
    """Read every record of the register on a connection of its own."""
    with repository(db_path) as repo:
        return Records(
            trust=repo.trust_name(),
            people=repo.list_people(),
            suppliers=repo.list_suppliers(),
            contracts=repo.list_contracts(),
            answers=repo.list_answers(),
            provenance=repo.provenance_by_supplier(),
        )


BOARD_PER_GROUP = 100
"""Board questions listed under each key question (the board report has them all)."""


@dataclass(frozen=True)
class BoardSummary:
    """The register's board questions, grouped by key question, highest priority first."""

    top: dict[KeyQuestion, list[BoardQuestion]]
    """Up to ``BOARD_PER_GROUP`` questions per key question, in the engine's order."""
    counts: dict[KeyQuestion, int]
    total: int
    suppliers: int
    """How many suppliers raise at least one question."""


def board_summary(scores: RegisterScores, per_group: int = BOARD_PER_GROUP) -> BoardSummary:
    """Group and rank every board question (linear in the number of questions)."""
    by_key: dict[KeyQuestion, list[BoardQuestion]] = {key: [] for key in KeyQuestion}
    suppliers = 0
    for score in scores.suppliers:
        if score.questions:
            suppliers += 1
        for question in score.questions:
            by_key[question.key_question].append(question)
    return BoardSummary(
        top={
            key: heapq.nsmallest(per_group, questions, key=question_order)
            for key, questions in by_key.items()
        },
        counts={key: len(questions) for key, questions in by_key.items()},
        total=sum(len(questions) for questions in by_key.values()),
        suppliers=suppliers,
    )


@dataclass(frozen=True)
class Snapshot:
    """Everything the screens show: the records, and their scores once scoring has finished.

    ``scores`` is ``None`` while the register is being scored; ``scores_current``
    is False when the scores shown were computed before the latest change (they
    are replaced as soon as the new scoring finishes).
    """

    today: dt.date
    records: Records
    scores: RegisterScores | None
    scores_current: bool
    rows: list[SupplierRow]
    supplier_by_id: dict[int, SupplierRecord] = field(repr=False)
    score_by_name: dict[str, SupplierScore] = field(repr=False)
    contracts_by_supplier: dict[int, list[ContractRecord]] = field(repr=False)
    answers_by_supplier: dict[int, list[AnswerRecord]] = field(repr=False)
    owned_by: dict[str, list[SupplierRecord]] = field(repr=False)
    """Suppliers by the (case-folded) name of their relationship owner."""
    board: BoardSummary | None = field(repr=False)

    @classmethod
    def build(
        cls,
        records: Records,
        today: dt.date,
        scores: RegisterScores | None,
        *,
        current: bool = True,
    ) -> Snapshot:
        """Index the records and join each supplier to its score."""
        contracts_by_supplier: dict[int, list[ContractRecord]] = {}
        for contract in records.contracts:
            contracts_by_supplier.setdefault(contract.supplier_id, []).append(contract)
        answers_by_supplier: dict[int, list[AnswerRecord]] = {}
        for answer in records.answers:
            answers_by_supplier.setdefault(answer.supplier_id, []).append(answer)
        owned_by: dict[str, list[SupplierRecord]] = {}
        for supplier in records.suppliers:
            if supplier.owner is not None:
                owned_by.setdefault(supplier.owner.casefold(), []).append(supplier)
        return cls(
            today=today,
            records=records,
            scores=scores,
            scores_current=current and scores is not None,
            rows=build_rows(records.suppliers, scores),
            supplier_by_id={s.id: s for s in records.suppliers},
            score_by_name=(
                {s.supplier.casefold(): s for s in scores.suppliers} if scores is not None else {}
            ),
            contracts_by_supplier=contracts_by_supplier,
            answers_by_supplier=answers_by_supplier,
            owned_by=owned_by,
            board=board_summary(scores) if scores is not None else None,
        )

    @property
    def trust(self) -> str | None:
        return self.records.trust

    @property
    def people(self) -> list[PersonRecord]:
        return self.records.people

    @property
    def suppliers(self) -> list[SupplierRecord]:
        return self.records.suppliers

    @property
    def contracts(self) -> list[ContractRecord]:
        return self.records.contracts

    @property
    def answers(self) -> list[AnswerRecord]:
        return self.records.answers

    @property
    def is_empty(self) -> bool:
        return not self.records.suppliers

    def supplier(self, supplier_id: int) -> SupplierRecord | None:
        return self.supplier_by_id.get(supplier_id)

    def score_of(self, supplier: SupplierRecord) -> SupplierScore | None:
        return self.score_by_name.get(supplier.name.casefold())

    def contracts_of(self, supplier_id: int) -> list[ContractRecord]:
        return self.contracts_by_supplier.get(supplier_id, [])

    def answers_of(self, supplier_id: int) -> list[AnswerRecord]:
        return self.answers_by_supplier.get(supplier_id, [])

    def suppliers_owned_by(self, person: PersonRecord) -> list[SupplierRecord]:
        return self.owned_by.get(person.name.casefold(), [])


def load_snapshot(db_path: Path, today: dt.date, scoring: Scoring | None = None) -> Snapshot:
    """Read the whole register and score it as of ``today`` (both phases in one call)."""
    records = read_records(db_path)
    return Snapshot.build(records, today, (scoring or Scoring()).score_all(records, today))
