"""The register as the TUI shows it: read, scored, refreshed after a write (no Textual code).

The application layer's half of the TUI: the TUI's workers call these functions
and post what they return to the screens as messages (``tui.messages``).

Every function here opens its own database connection (``open_database``) and
closes it before returning, so it is safe to call from a worker thread: SQLite
connections must not be shared between threads.  Writes go through the
``Repository``, which makes each one a single transaction and raises
``RegisterError`` subclasses for anything the user can fix.
"""

from __future__ import annotations

import bisect
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from sqlite_utils import Database

from supplier_register.domain import (
    AnswerRecord,
    ContractRecord,
    Dependency,
    NotFound,
    PersonRecord,
    RegisterError,
    ServiceRecord,
    SupplierRecord,
)
from supplier_register.review.models import Review, ReviewReport
from supplier_register.scoring import (
    TOP_FINDINGS,
    BoardQuestion,
    KeyQuestion,
    Scorer,
    ScoringContext,
    SupplierOverview,
    SupplierScore,
    supplier_order,
)
from supplier_register.scoring import (
    ScoringConfig as ScoringConfig,  # re-exported: the TUI passes one to Scoring
)
from supplier_register.scoring.engine import question_order
from supplier_register.scoring.trust import TrustFinding, TrustThresholds
from supplier_register.services.register_scoring import RegisterScoring, cached_first_rows
from supplier_register.services.reviews import report_of
from supplier_register.services.rows import SupplierRow, build_rows, make_row
from supplier_register.services.trust_board import register_trust_findings, trust_questions
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import AuditEntry, AuditReader
from supplier_register.storage.provenance import Provenance
from supplier_register.storage.reviews import ReviewStore
from supplier_register.storage.score_cache import audit_mark
from supplier_register.storage.watch import Changes, ChangeWatch, changes_since

T = TypeVar("T")


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


Own = tuple[list[ContractRecord], list[AnswerRecord]]
"""One supplier's own contracts (by title) and answers (by question)."""


@dataclass(frozen=True)
class Records:
    """The register as read from the database: the people, the suppliers and the services.

    Immutable, since it is shared between the UI thread and workers: contracts
    and answers are read one supplier at a time, when a worker needs them
    (:meth:`own`), and never stored back; a register of tens of thousands of
    suppliers is scored straight from the database (:meth:`Scoring.score_all`)
    without ever holding them all.
    """

    trust: str | None
    people: list[PersonRecord]
    suppliers: list[SupplierRecord]
    db_path: Path | None = None
    """Where contracts and answers are read from (``None``: only those given in ``known``)."""
    provenance: dict[int, list[Provenance]] = field(default_factory=dict)
    """Where imported suppliers and contracts came from, by supplier id."""
    known: Mapping[int, Own] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    """Contracts and answers given when the records were made, by supplier id (read-only)."""
    audit_mark: int = 0
    """The audit log's last entry before these records were read (see ``storage.score_cache``)."""
    services: list[ServiceRecord] = field(default_factory=list)
    """The services the trust runs (scoring reads which of them are clinical)."""
    dependencies: list[Dependency] = field(default_factory=list)
    """Which suppliers depend on which (scoring reads who has dependents)."""

    def own(self, supplier_id: int) -> Own:
        """The supplier's contracts and answers (those given in ``known``, else read now).

        Reads the database: call it from a worker, never on the UI thread.
        """
        found = self.known.get(supplier_id)
        if found is None:
            if self.db_path is None:
                return [], []
            with repository(self.db_path) as repo:
                found = repo.list_contracts(supplier_id), repo.list_answers(supplier_id)
        return found

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
        known = dict(self.known)
        known.pop(supplier_id, None)
        if supplier is not None:
            known[supplier_id] = (contracts, answers)
        return Records(
            trust=self.trust,
            people=self.people,
            suppliers=suppliers,
            db_path=self.db_path,
            provenance=(
                self.provenance
                if supplier is not None
                else {k: v for k, v in self.provenance.items() if k != supplier_id}
            ),
            known=MappingProxyType(known),
            audit_mark=self.audit_mark,
            services=self.services,
            dependencies=self.dependencies,
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


def read_supplier_record(db_path: Path, supplier_id: int) -> SupplierRecord | None:
    """The supplier as stored now (``None``: it no longer exists), e.g. before editing it."""
    with repository(db_path) as repo:
        try:
            return repo.get_supplier(supplier_id)
        except NotFound:
            return None


def watch_register(db_path: Path) -> ChangeWatch:
    """A watch telling when another program has changed the register (see ``storage.watch``)."""
    return ChangeWatch(db_path)


def register_changes(db_path: Path, mark: int) -> Changes:
    """What changed in the register after audit entry ``mark``: which suppliers, or everything."""
    return run_on_database(db_path, lambda db: changes_since(db, mark))


def read_records(db_path: Path) -> Records:
    """Read the people, suppliers and services of the register on a connection of its own."""
    with repository(db_path) as repo:
        mark = audit_mark(repo.db)  # first: a change made while reading is seen next time
        return Records(
            trust=repo.trust_name(),
            audit_mark=mark,
            people=repo.list_people(),
            suppliers=repo.list_suppliers(),
            db_path=db_path,
            provenance=repo.provenance_by_supplier(),
            services=repo.linked_services(),  # only they can change a score
            dependencies=list(repo.iter_dependencies()),
        )


@dataclass(frozen=True)
class FirstScreen:
    """The register's first suppliers, highest priority first, with their current scores.

    Read straight from the scores kept in the database (``score_cache``) when
    they are exactly current, so the first screen can be painted in
    milliseconds while the whole register is read and scored.
    """

    rows: list[SupplierRow]
    """The first suppliers in priority order (the register table's default order)."""
    overviews: list[SupplierOverview]
    total: int
    """How many suppliers the register has."""
    audit_mark: int
    """The audit log's last entry when they were read: records read at this mark have these scores."""


def read_first_screen(
    db_path: Path, today: dt.date, scoring: Scoring, limit: int
) -> FirstScreen | None:
    """The first ``limit`` suppliers with their kept scores, or ``None`` unless those are current.

    ``None`` whenever anything changed since the scores were kept (an edit here or
    by another program, a new day, other scoring code or config), or the
    database cannot be read this way: the caller then reads and scores the
    register as usual, so a stale score is never shown.  An empty register
    gives ``None`` too (there is nothing to show early).
    """
    try:
        with repository(db_path) as repo:
            conn = repo.db.conn
            conn.execute("BEGIN")  # one read snapshot: the mark is the one the rows are valid at
            try:
                mark = audit_mark(repo.db)
                first = cached_first_rows(repo.db, today, config=scoring.config, limit=limit)
            finally:
                conn.rollback()
    except (RegisterError, sqlite3.Error):
        return None  # the full read reports what is wrong
    if first is None or not first.rows:
        return None
    return FirstScreen(
        rows=[make_row(supplier, overview, today) for supplier, overview in first.rows],
        overviews=[overview for _, overview in first.rows],
        total=first.total,
        audit_mark=mark,
    )


BOARD_PER_GROUP = 100
"""Board questions listed under each key question (the board report has them all)."""

BOARD_KEPT = 2 * BOARD_PER_GROUP
"""Board questions kept per key question, so a change that removes some still leaves enough."""


@dataclass(frozen=True)
class BoardSummary:
    """The register's board questions, grouped by key question, highest priority first."""

    ranked: dict[KeyQuestion, list[BoardQuestion]]
    """The most pressing questions of each key question (up to ``BOARD_KEPT``)."""
    counts: dict[KeyQuestion, int]
    """How many questions each key question has in all."""
    suppliers: int
    """How many suppliers raise at least one question."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Scores:
    """What the TUI keeps of a scored register: one overview per supplier and the board.

    Overviews (score, band, counts, top findings, next decide-by) are all a table
    needs and cost a fraction of full scores; a supplier's full score, with every
    finding, is worked out when its screen is opened (:meth:`Scoring.full`).
    """

    today: dt.date
    overviews: list[SupplierOverview]
    """Highest priority first."""
    context: ScoringContext
    board: BoardSummary
    trust: list[TrustFinding] | None = None
    """The trust's own findings (``None``: not worked out, the register has no database);
    those that are not data gaps are among the board's questions."""


class Scoring:
    """The scoring engine as the TUI uses it: a whole register, or only what one change touched.

    Scoring a 50,000-supplier register takes seconds, so after a change to one
    supplier only that supplier is scored again, with the same register-wide
    context (people, the chief executive's span, which services are clinical).
    When the change alters that context every supplier could be affected, and
    :meth:`rescore` says so by returning ``None``: the caller then scores the
    whole register.
    """

    def __init__(self, config: ScoringConfig | None = None) -> None:
        self.engine = Scorer(config)
        self.config = self.engine.config

    def score_all(self, records: Records, today: dt.date) -> Scores:
        """Score every supplier (as overviews) and rank the board questions.

        From the database, overviews kept since the last run are used where the
        audit log shows no change, and the rest are scored from each supplier's
        contracts and answers, streamed and dropped (see ``register_scoring``).
        """
        context = ScoringContext.build(
            records.people,
            records.suppliers,
            self.config,
            records.services,
            records.dependencies,
        )
        if records.db_path is not None:
            # Overviews kept in the database since the last run are used where still valid.
            with repository(records.db_path) as repo:
                scoring = RegisterScoring(
                    db=repo.db,
                    scorer=self.engine,
                    today=today,
                    trust=records.trust,
                    people=records.people,
                    suppliers=records.suppliers,
                    context=context,
                    audit_mark=records.audit_mark,
                )
                found: list[TrustFinding] | None = scoring.trust_findings()
                overview = scoring.overview(ranked_per_key=BOARD_KEPT, trust_findings=found)
        else:
            found = None
            overview = self.engine.overview_records(
                ((s, *records.own(s.id)) for s in records.suppliers),
                context=context,
                today=today,
                ranked_per_key=BOARD_KEPT,
            )
        return Scores(
            today=today,
            overviews=list(overview.suppliers),
            context=overview.context,
            board=BoardSummary(
                ranked={key: list(overview.ranked_questions.get(key, [])) for key in KeyQuestion},
                counts={key: overview.question_counts.get(key, 0) for key in KeyQuestion},
                suppliers=sum(1 for s in overview.suppliers if s.question_count),
            ),
            trust=found,
        )

    def full(
        self,
        scores: Scores,
        records: Records,
        supplier: SupplierRecord,
        own: Own | None = None,
    ) -> SupplierScore:
        """One supplier's full score (every finding and question), in the register's context.

        ``own``: the supplier's contracts and answers if already read (else read now).
        """
        contracts, answers = own if own is not None else records.own(supplier.id)
        return self.engine.score(
            supplier, contracts, answers, today=scores.today, context=scores.context
        )

    def rescore(
        self,
        previous: Scores,
        before: Records,
        after: Records,
        supplier_ids: set[int],
        today: dt.date,
    ) -> Scores | None:
        """The scores of ``after``, re-scoring only ``supplier_ids``; ``None`` if that is not enough.

        ``previous`` must be the scores of ``before`` on ``today``, and ``after`` must
        differ from ``before`` only in those suppliers and their contracts and answers
        (which ``after`` must hold, as :meth:`Records.patched` leaves them).
        """
        if previous.today != today:
            return None
        context = ScoringContext.build(
            after.people, after.suppliers, self.config, after.services, after.dependencies
        )
        if context != previous.context:
            return None
        gone = [s for s in before.suppliers if s.id in supplier_ids]
        new = [s for s in after.suppliers if s.id in supplier_ids]
        new_full = [self.full(previous, after, s) for s in new]
        gone_ids = {s.id for s in gone}
        overviews = []
        counts = dict(previous.board.counts)
        for overview in previous.overviews:
            if overview.supplier_id in gone_ids:
                for key, count in zip(KeyQuestion, overview.questions_by_key, strict=True):
                    counts[key] -= count
            else:
                overviews.append(overview)
        overviews += [SupplierOverview.of(score, TOP_FINDINGS) for score in new_full]
        overviews.sort(key=supplier_order)
        board = previous.board
        # The trust's own questions depend on the whole register: worked out again.
        found = _trust_findings(after, today, self.config.trust)
        asked = self._trust_questions(found)
        for question in self._trust_questions(previous.trust):
            counts[question.key_question] -= 1
        ranked: dict[KeyQuestion, list[BoardQuestion]] = {}
        for key in KeyQuestion:
            kept = [
                q
                for q in board.ranked[key]
                if q.supplier_id not in gone_ids and q.scope == "supplier"
            ]
            kept += [q for q in asked if q.key_question == key]
            counts[key] += sum(1 for q in asked if q.key_question == key)
            for score in new_full:
                kept += [q for q in score.questions if q.key_question == key]
                counts[key] += sum(1 for q in score.questions if q.key_question == key)
            ranked[key] = sorted(kept, key=question_order)[:BOARD_KEPT]
        return Scores(
            today=today,
            overviews=overviews,
            context=context,
            board=BoardSummary(
                ranked=ranked,
                counts=counts,
                suppliers=sum(1 for o in overviews if o.question_count),
            ),
            trust=found,
        )

    def _trust_questions(self, found: Sequence[TrustFinding] | None) -> list[BoardQuestion]:
        """The board questions of the trust's own findings (none when not worked out)."""
        if found is None:
            return []
        return trust_questions(found, self.config.trust, self.config.exposure.points_scale)


def _trust_findings(
    records: Records, today: dt.date, thresholds: TrustThresholds
) -> list[TrustFinding] | None:
    """The trust's own findings of ``records`` on ``today`` (``None`` without a database)."""
    if records.db_path is None:
        return None
    with repository(records.db_path) as repo:
        return register_trust_findings(repo, records.suppliers, today, thresholds)


@dataclass(frozen=True, repr=False)
class Snapshot:
    """Everything the screens show: the records, and their scores once scoring has finished.

    ``scores`` is ``None`` while the register is being scored for the first time;
    ``scores_current`` is False when the scores shown were computed before the
    latest change (they are replaced as soon as the new scoring finishes).

    Its ``repr`` is one short line whatever the register's size: Textual's
    ``@work`` puts the ``repr`` of a worker's arguments in the worker's
    description, and a dataclass ``repr`` of every record and score took 0.2 s
    and tens of megabytes at 10,000 suppliers each time a screen read one.
    """

    today: dt.date
    records: Records
    scores: Scores | None
    scores_current: bool
    scoring: Scoring = field(repr=False)
    rows: list[SupplierRow] = field(repr=False)
    supplier_by_id: dict[int, SupplierRecord] = field(repr=False)
    overview_by_id: dict[int | None, SupplierOverview] = field(repr=False)
    owned_by: dict[str, list[SupplierRecord]] = field(repr=False)
    """Suppliers by the (case-folded) name of their relationship owner."""
    first_rows: int = 0
    """How many rows, highest priority first, show the first screen's scores while unscored."""

    @classmethod
    def build(
        cls,
        records: Records,
        today: dt.date,
        scores: Scores | None,
        scoring: Scoring,
        *,
        current: bool = True,
        provisional: Sequence[SupplierOverview] = (),
    ) -> Snapshot:
        """Index the records and join each supplier to its score.

        Without ``scores``, the table rows of the suppliers in ``provisional``
        (scores known to be current for these records, e.g. the first screen's)
        show them while the rest are scored; nothing else uses them.
        """
        owned_by: dict[str, list[SupplierRecord]] = {}
        for supplier in records.suppliers:
            if supplier.owner is not None:
                owned_by.setdefault(supplier.owner.casefold(), []).append(supplier)
        overviews = scores.overviews if scores is not None else []
        return cls(
            today=today,
            records=records,
            scores=scores,
            scores_current=current and scores is not None,
            scoring=scoring,
            rows=build_rows(
                records.suppliers, overviews if scores is not None else provisional, today
            ),
            supplier_by_id={s.id: s for s in records.suppliers},
            overview_by_id={o.supplier_id: o for o in overviews},
            owned_by=owned_by,
            first_rows=len(provisional) if scores is None else 0,
        )

    def __repr__(self) -> str:
        scored = "unscored" if self.scores is None else "scored"
        current = "current" if self.scores_current else "not current"
        return (
            f"<Snapshot of {len(self.records.suppliers)} suppliers on {self.today.isoformat()},"
            f" {scored}, {current}>"
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
    def is_empty(self) -> bool:
        return not self.records.suppliers

    @property
    def board(self) -> BoardSummary | None:
        return self.scores.board if self.scores is not None else None

    def supplier(self, supplier_id: int) -> SupplierRecord | None:
        return self.supplier_by_id.get(supplier_id)

    def overview_of(self, supplier: SupplierRecord) -> SupplierOverview | None:
        return self.overview_by_id.get(supplier.id)

    def score_of(self, supplier: SupplierRecord, own: Own | None = None) -> SupplierScore | None:
        """The supplier's full score, worked out now (a worker's job: it reads and scores).

        ``own``: its contracts and answers if already read (else read now).
        """
        if self.scores is None or self.overview_of(supplier) is None:
            return None
        return self.scoring.full(self.scores, self.records, supplier, own)

    def contracts_of(self, supplier_id: int) -> list[ContractRecord]:
        """The supplier's contracts, by title (read now: a worker's job)."""
        if supplier_id not in self.supplier_by_id:
            return []
        return self.records.own(supplier_id)[0]

    def answers_of(self, supplier_id: int) -> list[AnswerRecord]:
        """The supplier's questionnaire answers (read now: a worker's job)."""
        if supplier_id not in self.supplier_by_id:
            return []
        return self.records.own(supplier_id)[1]

    def contract(self, contract_id: int) -> ContractRecord | None:
        """The contract with this id (among those given, else from the database)."""
        for contracts, _ in self.records.known.values():
            for contract in contracts:
                if contract.id == contract_id:
                    return contract
        if self.records.db_path is None:
            return None
        with repository(self.records.db_path) as repo:
            try:
                found = repo.get_contract(contract_id)
            except NotFound:
                return None
        return found if found.supplier_id in self.supplier_by_id else None

    def suppliers_owned_by(self, person: PersonRecord) -> list[SupplierRecord]:
        return self.owned_by.get(person.name.casefold(), [])


def load_snapshot(db_path: Path, today: dt.date, scoring: Scoring | None = None) -> Snapshot:
    """Read the whole register and score it as of ``today`` (both phases in one call)."""
    scoring = scoring or Scoring()
    records = read_records(db_path)
    return Snapshot.build(records, today, scoring.score_all(records, today), scoring)


@dataclass(frozen=True)
class SupplierView:
    """One supplier as its screen shows it, read and scored by a worker from one snapshot."""

    supplier: SupplierRecord
    contracts: tuple[ContractRecord, ...]
    answers: tuple[AnswerRecord, ...]
    score: SupplierScore | None
    provenance: tuple[Provenance, ...]
    scores_current: bool
    today: dt.date


def supplier_view(snapshot: Snapshot, supplier_id: int) -> SupplierView | None:
    """Read and score one supplier in ``snapshot``'s context (``None`` if it is not there)."""
    supplier = snapshot.supplier(supplier_id)
    if supplier is None:
        return None
    contracts, answers = own = snapshot.records.own(supplier_id)  # read once, for both
    return SupplierView(
        supplier=supplier,
        contracts=tuple(contracts),
        answers=tuple(answers),
        score=snapshot.score_of(supplier, own),
        provenance=tuple(snapshot.records.provenance.get(supplier_id, [])),
        scores_current=snapshot.scores_current,
        today=snapshot.today,
    )


def refresh_suppliers(
    db_path: Path, previous: Snapshot, supplier_ids: frozenset[int], today: dt.date
) -> Snapshot | None:
    """``previous`` with these suppliers re-read and re-scored; ``None`` to read everything again.

    ``None`` when ``previous`` is not fully scored, a supplier cannot be read, or
    the change alters the register-wide scoring context.
    """
    if previous.scores is None or not previous.scores_current:
        return None
    records = previous.records
    for supplier_id in sorted(supplier_ids):
        try:
            record, contracts, answers = read_supplier(db_path, supplier_id)
        except (RegisterError, sqlite3.Error):
            return None
        records = records.patched(supplier_id, record, contracts, answers)
    scores = previous.scoring.rescore(
        previous.scores, previous.records, records, set(supplier_ids), today
    )
    if scores is None:
        return None
    return Snapshot.build(records, today, scores, previous.scoring)


# ------------------------------------------------- the other screens' reads


def run_on_database(db_path: Path, operation: Callable[[Database], T]) -> T:
    """Run one operation (e.g. a review write) on its own connection (called in a worker)."""
    db = open_database(db_path)
    try:
        return operation(db)
    finally:
        db.close()


def read_review(
    db_path: Path, quarter: str | None, today: dt.date
) -> tuple[list[Review], ReviewReport | None]:
    """Every review, and the report of ``quarter``'s (default: the latest; ``None`` if none)."""
    db = open_database(db_path)
    try:
        store = ReviewStore(db)
        reviews = store.list_reviews()
        if not reviews:
            return reviews, None
        chosen = next((r for r in reviews if r.quarter == quarter), reviews[-1])
        return reviews, report_of(store, chosen, today)
    finally:
        db.close()


def read_audit_entries(db_path: Path, supplier_id: int | None) -> list[AuditEntry]:
    """Audit entries, newest first: of one supplier (and its records), or of everything."""
    db = open_database(db_path, create=False)
    try:
        reader = AuditReader(db)
        ids = None if supplier_id is None else reader.with_merged({supplier_id})
        return list(reversed(reader.entries(supplier_ids=ids)))
    finally:
        db.close()
