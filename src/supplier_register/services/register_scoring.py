"""Scoring a register database: every supplier's overview in one pass, full scores on demand.

The scoring engine is pure; this module feeds it from the database without ever
holding the whole register.  :func:`prepare_scoring` reads the people, the
suppliers and the services (the register-wide context every score needs);
:meth:`RegisterScoring.overview` then streams each supplier's contracts and
answers through :meth:`Scorer.overview_records`, keeping only the overviews.
The full :class:`SupplierScore` of a supplier (every finding explained, every
board question written out) is worked out only when something shows or exports
it: one supplier (:meth:`RegisterScoring.full_score`) or many, a small batch at
a time, in the order asked for (:meth:`RegisterScoring.iter_full_scores`).

Overviews are kept in the database between runs (``storage.score_cache``): a
run scores again only the suppliers the audit log shows changed since the
cache was written and those whose row does not hold on the day asked for, as
long as the config, the scoring code and the register-wide context are the
same; otherwise it scores everyone and rewrites the cache.  Either way the
result is what scoring everyone now would give.

The day is not part of what the whole cache is stamped with: each row holds
from the day it was worked out up to the first day a date in the supplier's
records could change its overview (``scoring.validity``: a contract ending, a
decide-by date coming within the horizon or passing, a review falling due, a
dated answer going stale).  So a new day scores again only the few suppliers
some date has caught up with (about 250 of 50,000 the day after, 1,750 a week
after), not everyone.

:func:`cached_first_rows` gives the register's first screen (the first
suppliers in priority order, with their overviews) from the cache alone, in a
few milliseconds at any size, when the cache is exactly current; the caller
scores as usual otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter
from sqlite_utils import Database

from supplier_register.domain.errors import RegisterError
from supplier_register.domain.models import ContractRecord, PersonRecord, SupplierRecord
from supplier_register.domain.trusted import construct
from supplier_register.scoring import (
    TOP_FINDINGS,
    BoardQuestion,
    KeyQuestion,
    RegisterOverview,
    Scorer,
    ScoringConfig,
    ScoringContext,
    SupplierOverview,
    SupplierScore,
    supplier_order,
)
from supplier_register.scoring.engine import OverviewEntry, SupplierRecords
from supplier_register.scoring.trust import TrustFinding, TrustThresholds
from supplier_register.scoring.validity import DayValidity
from supplier_register.services.trust_board import (
    register_trust_findings,
    trust_questions,
    with_trust_questions,
)
from supplier_register.storage import score_cache
from supplier_register.storage.repository import Repository
from supplier_register.storage.repository import SupplierRecords as StoredSupplierRecords

StoredRecords = StoredSupplierRecords[SupplierRecord]
"""A supplier record with its contracts and answers, as read for scoring."""

CACHE_FORMAT = 7
"""Changes whenever the cached rows' layout does (3: one typed schema, with the supplier's id;
4: kept board questions with their supplier's id; 5: score model 2's impact, exposure,
confidence and range in each overview; 7: the notice-by dates of auto-renewing contracts)."""

BATCH = 500
"""Suppliers whose records are read together when scoring many of them in full."""


class _KeptQuestion(BoardQuestion):
    """A board question as kept in the database: with its supplier's id, which the documents
    leave out (and which the question is joined to its supplier by)."""

    supplier_id: int | None = None


def _kept(questions: Iterable[BoardQuestion]) -> list[_KeptQuestion]:
    return [construct(_KeptQuestion, **q.__dict__) for q in questions]


def _asked(questions: Iterable[_KeptQuestion]) -> list[BoardQuestion]:
    return [construct(BoardQuestion, **q.__dict__) for q in questions]


class _KeptQuestions(BaseModel):
    """The part of a :class:`RegisterOverview` that names board questions, as kept in the database.

    Working it out means scoring again every supplier whose questions could make
    a list; kept, a warm run scores nobody.
    """

    top_questions: list[_KeptQuestion]
    question_counts: dict[KeyQuestion, int]
    ranked_questions: dict[KeyQuestion, list[_KeptQuestion]]


@dataclass(frozen=True)
class RegisterScoring:
    """A register database ready to be scored on one day.

    Holds the people and the suppliers (in name order) and the register-wide
    context worked out from them, but never every contract and answer.  The
    database connection must stay open while its methods are used.
    """

    db: Database = field(repr=False)
    scorer: Scorer = field(repr=False)
    today: dt.date
    trust: str | None
    people: list[PersonRecord]
    suppliers: list[SupplierRecord]
    context: ScoringContext = field(repr=False)
    audit_mark: int = 0
    """The audit log's last entry before the people and suppliers were read."""

    @property
    def trust_thresholds(self) -> TrustThresholds:
        """Where the trust-level findings start, and how their board questions rank: the
        scoring config's ``[trust]`` table."""
        return self.scorer.config.trust

    def supplier_named(self, name: str) -> SupplierRecord | None:
        """The supplier with this name (any case), if there is one."""
        exact = next((s for s in self.suppliers if s.name == name), None)
        if exact is not None:  # 'Straße' and 'STRASSE' can be two suppliers
            return exact
        wanted = name.casefold()
        return next((s for s in self.suppliers if s.name.casefold() == wanted), None)

    def overview(
        self,
        *,
        top_findings: int = TOP_FINDINGS,
        ranked_per_key: int = 0,
        question_limit: int | None = None,
        cache: bool = True,
        trust_findings: Sequence[TrustFinding] | None = None,
    ) -> RegisterOverview:
        """Every supplier's overview and the register's top board questions.

        With ``trust_findings`` (see :meth:`trust_findings`) the questions they raise about
        the trust itself are ranked in among the suppliers' (``services.trust_board``); they
        depend on the whole register, so they are never kept in the cache.

        Equal to scoring every supplier in full and ranking every board question
        (see :class:`RegisterOverview`; the tests' oracle is
        ``tests.support.oracles.score_register``), in a fraction of the time and memory; the
        arguments are those of :meth:`Scorer.overview_records`.  With ``cache``
        the overviews kept in the database are used where still valid, and the
        cache is brought up to date (when the database can be written to).
        """
        if trust_findings is not None:
            config = self.scorer.config
            limit = config.top_questions if question_limit is None else question_limit
            per_key = config.top_questions_per_key
            overview = self.overview(
                top_findings=top_findings,
                ranked_per_key=ranked_per_key,
                question_limit=limit + len(KeyQuestion) * per_key,
                cache=cache,
            )
            asked = trust_questions(
                trust_findings, self.trust_thresholds, config.exposure.points_scale
            )
            return with_trust_questions(
                overview, asked, limit=limit, per_key=per_key, ranked_per_key=ranked_per_key
            )
        if cache:
            return self._cached_overview(top_findings, ranked_per_key, question_limit)
        return self.scorer.overview_records(  # pauses the cyclic GC itself
            Repository(self.db).iter_scoring_records(self.suppliers),
            context=self.context,
            today=self.today,
            top_findings=top_findings,
            ranked_per_key=ranked_per_key,
            question_limit=question_limit,
        )

    def trust_findings(self) -> list[TrustFinding]:
        """The register's trust-level findings on the day scored, most severe first."""
        return register_trust_findings(
            Repository(self.db), self.suppliers, self.today, self.trust_thresholds
        )

    def _cached_overview(
        self, top_findings: int, ranked_per_key: int, question_limit: int | None
    ) -> RegisterOverview:
        repo = Repository(self.db)
        today = self.today
        new_state = score_cache.CacheState(
            scoring=_scoring_stamp(self.scorer.config, top_findings),
            context=self._context_stamp(),
            audit_mark=self.audit_mark,
            suppliers=len(self.suppliers),
        )
        state = score_cache.read_state(self.db)
        whole = (
            state is None
            or state.scoring != new_state.scoring
            or state.context != new_state.context
            or state.audit_mark > self.audit_mark
        )
        current = {s.id: s for s in self.suppliers}
        # Exactly current (same state, so nothing in the log since its mark, and every row
        # holding today): the questions kept for these arguments spare re-scoring anyone, and
        # the rows are read without the question ranks only that re-scoring needs.
        kept = (
            score_cache.read_questions(
                self.db,
                new_state,
                today,
                ranked_per_key=ranked_per_key,
                question_limit=question_limit,
            )
            if state == new_state and score_cache.validity(self.db).holds_on(today)
            else None
        )

        def read_cached(ranks: bool) -> tuple[dict[int, OverviewEntry], list[int]]:
            """The cached entries still valid today, and the rows of suppliers no longer there."""
            entries: dict[int, OverviewEntry] = {}
            gone: list[int] = []
            if state is None or whole:
                return entries, gone
            changed = score_cache.changed_since(self.db, state.audit_mark)
            for supplier_id, data, valid_from, valid_until in score_cache.read_rows(self.db):
                supplier = current.get(supplier_id)
                if supplier is None:
                    gone.append(supplier_id)  # deleted (the cascade normally sees to it)
                elif (
                    supplier_id not in changed
                    and valid_from <= today
                    and (valid_until is None or today < valid_until)
                ):
                    entry = _decode(data, ranks=ranks)
                    overview = entry.overview
                    if (
                        overview.supplier_id == supplier_id
                        and overview.supplier == supplier.name  # shown, so must be current
                    ):
                        entries[supplier_id] = entry
            return entries, gone

        entries, gone = read_cached(ranks=kept is None)
        if kept is not None and (gone or len(entries) != len(current)):
            # Cannot happen with an unchanged log; if it does, the questions are worked out.
            kept = None
            entries, gone = read_cached(ranks=True)
        stale = [s for s in self.suppliers if s.id not in entries]
        records: Iterable[StoredRecords] = (
            repo.iter_scoring_records(stale)
            if len(stale) > len(self.suppliers) // 4
            else repo.scoring_records_for(stale)
        )
        fresh: dict[int, OverviewEntry] = {}
        days = DayValidity(self.scorer.config, self.scorer.bank)
        scored: list[tuple[int, dt.date | None]] = []

        def noted() -> Iterator[StoredRecords]:
            # overview_entries yields each supplier's entry before it reads the next one
            for item in records:
                supplier, contracts, answers = item
                scored.append((supplier.id, days.next_change(supplier, contracts, answers, today)))
                yield item

        # Each fresh row holds from today until the first day a date could change it.
        rows: list[score_cache.CacheRow] = []
        for entry in self.scorer.overview_entries(
            noted(), context=self.context, today=today, top_findings=top_findings
        ):
            supplier_id, until = scored.pop()
            fresh[supplier_id] = entry
            rows.append(_cache_row(supplier_id, entry, today, until))
        entries.update(fresh)
        current_cache = not (whole or fresh or gone or state != new_state)
        written = current_cache or score_cache.write(
            self.db, new_state, rows, replace_all=whole, previous=state, gone=gone
        )
        if kept is not None:
            questions = _KeptQuestions.model_validate_json(kept)
            return RegisterOverview(
                today=today,
                suppliers=sorted(
                    (entries[s.id].overview for s in self.suppliers), key=supplier_order
                ),
                top_questions=_asked(questions.top_questions),
                question_counts={k: questions.question_counts[k] for k in KeyQuestion},
                ranked_questions={k: _asked(questions.ranked_questions[k]) for k in KeyQuestion},
                context=self.context,
            )

        def records_of(overviews: Sequence[SupplierOverview]) -> list[SupplierRecords]:
            return list(repo.scoring_records_for([current[_id_of(o)] for o in overviews]))

        overview = self.scorer.overview_from_entries(
            [entries[s.id] for s in self.suppliers],
            records_of,
            context=self.context,
            today=today,
            ranked_per_key=ranked_per_key,
            question_limit=question_limit,
        )
        if written:  # the cache holds this state: keep the questions with it
            questions = _KeptQuestions(
                top_questions=_kept(overview.top_questions),
                question_counts=dict(overview.question_counts),
                ranked_questions={k: _kept(q) for k, q in overview.ranked_questions.items()},
            )
            score_cache.write_questions(
                self.db,
                new_state,
                today,
                questions.model_dump_json(),
                ranked_per_key=ranked_per_key,
                question_limit=question_limit,
            )
        return overview

    def _context_stamp(self) -> str:
        """What the cached overviews depend on besides a supplier's own records and the scoring."""
        context = self.context
        return _digest(
            [
                sorted((k, p.name, p.role.value) for k, p in context.people.items()),
                sorted(context.ceo_tier or ()),
                list(context.ceo_owned or ()),
                sorted(context.ceo_rank.items()),
                sorted(context.clinical_services),
                sorted(context.outage_hours.items()),
                sorted(context.dependents.items()),
            ]
        )

    def in_priority_order(
        self, overview: RegisterOverview
    ) -> list[tuple[SupplierRecord, SupplierOverview]]:
        """Each supplier with its overview, highest priority first."""
        return list(zip(self.suppliers_of(overview.suppliers), overview.suppliers, strict=True))

    def suppliers_of(self, overviews: Iterable[SupplierOverview]) -> list[SupplierRecord]:
        """The supplier record of each overview (of this register), in the same order: by id."""
        by_id = {s.id: s for s in self.suppliers}
        return [by_id[_id_of(o)] for o in overviews]

    def full_score(self, supplier: SupplierRecord) -> SupplierScore:
        """One supplier's full score, with the register-wide context."""
        return next(self.iter_full_scores([supplier]))[1]

    def iter_full_scores(
        self, suppliers: Sequence[SupplierRecord]
    ) -> Iterator[tuple[SupplierRecord, SupplierScore]]:
        """The full score of each of ``suppliers``, in the order given.

        Records are read a batch at a time; a caller that drops each score once
        used keeps memory bounded however many suppliers it asks for.
        """
        return ((s, score) for s, _, score in self.iter_full(suppliers))

    def iter_full(
        self, suppliers: Sequence[SupplierRecord]
    ) -> Iterator[tuple[SupplierRecord, list[ContractRecord], SupplierScore]]:
        """Each of ``suppliers`` with its contracts and full score, in the order given."""
        repo = Repository(self.db)
        for start in range(0, len(suppliers), BATCH):
            batch = repo.scoring_records_for(suppliers[start : start + BATCH])
            scores = [
                (s, c, self.scorer.score(s, c, a, today=self.today, context=self.context))
                for s, c, a in batch
            ]
            yield from scores


def prepare_scoring(
    db: Database, today: dt.date, *, config: ScoringConfig | None = None
) -> RegisterScoring:
    """Read the people, suppliers and services of a register database to score it on ``today``."""
    repo = Repository(db)
    scorer = Scorer(config)
    mark = score_cache.audit_mark(db)  # before the records: a change after it is seen next time
    people = repo.list_people()
    suppliers = repo.list_suppliers()
    services = repo.linked_services()  # a service no contract supports changes no score
    dependencies = list(repo.iter_dependencies())
    return RegisterScoring(
        db=db,
        scorer=scorer,
        today=today,
        trust=repo.trust_name(),
        people=people,
        suppliers=suppliers,
        context=ScoringContext.build(people, suppliers, scorer.config, services, dependencies),
        audit_mark=mark,
    )


@dataclass(frozen=True)
class FirstRows:
    """The register's first suppliers in priority order, with their overviews, from the cache."""

    total: int
    """The number of suppliers in the register."""
    rows: list[tuple[SupplierRecord, SupplierOverview]]
    """The first ``limit``, in :func:`~supplier_register.scoring.engine.supplier_order`."""


def cached_first_rows(
    db: Database, today: dt.date, *, config: ScoringConfig | None = None, limit: int
) -> FirstRows | None:
    """The register's first ``limit`` suppliers in priority order with their overviews, straight
    from the score cache, when the cache is exactly current (nothing changed in the register
    since it was written, same code/config/format, and valid for ``today``); None otherwise
    (the caller then loads and scores as usual).

    A few milliseconds however large the register: no supplier is read but the
    ``limit`` shown, and no context is built.  Sound because every table that
    feeds a score (people, suppliers, contracts, answers, services and the
    contracts' links to them) is audited by
    triggers: when the audit log's last entry is the mark the cache was written
    at, the records, and so the register-wide context, are those the rows were
    worked out from.  What does not depend on the records (cache format,
    scoring code, config, number of top findings) is compared as its own
    stamp, and every row must hold on ``today``.  Everything is read in one
    snapshot, so a write made meanwhile by another program cannot mix in.  A
    database that cannot be read this way (busy, an older schema opened
    read-only) gives None.
    """
    stamp = _scoring_stamp(config or ScoringConfig(), TOP_FINDINGS)
    conn = db.conn
    began = not conn.in_transaction
    try:
        if began:
            conn.execute("BEGIN")  # deferred: one read snapshot for every query below
        try:
            state = score_cache.read_state(db)
            if (
                state is None
                or state.scoring != stamp
                or score_cache.audit_mark(db) != state.audit_mark
            ):
                return None
            if state.suppliers == 0:
                return FirstRows(0, [])
            if not score_cache.validity(db).holds_on(today):
                return None
            cached = score_cache.first_rows(db, limit)
            repo = Repository(db)
            rows = []
            for supplier_id, data in cached:
                supplier = repo.get_supplier(supplier_id)
                overview = _decode(data, ranks=False).overview
                # cannot happen with an unchanged log
                if overview.supplier_id != supplier.id or overview.supplier != supplier.name:
                    return None
                rows.append((supplier, overview))
            return FirstRows(state.suppliers, rows)
        finally:
            if began:
                conn.rollback()
    except (sqlite3.Error, RegisterError):
        return None


def _id_of(overview: SupplierOverview) -> int:
    """The id of the supplier an overview of this register database is about."""
    if overview.supplier_id is None:
        raise ValueError(f"an overview without a supplier id: {overview.supplier!r}")
    return overview.supplier_id


def _digest(parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _scoring_stamp(config: ScoringConfig, top_findings: int) -> str:
    """What cached overviews depend on besides the records: format, scoring code, config."""
    return _digest([CACHE_FORMAT, _scoring_code(), config.model_dump_json(), top_findings])


def _cache_row(
    supplier_id: int, entry: OverviewEntry, valid_from: dt.date, valid_until: dt.date | None
) -> score_cache.CacheRow:
    """A supplier's entry as a cache row, with the columns of the priority order."""
    o = entry.overview
    return score_cache.CacheRow(
        supplier_id=supplier_id,
        data=_encode(entry),
        priority=o.priority,
        score=o.score,
        criticality_rank=o.criticality.rank,
        name_key=o.supplier.casefold(),
        valid_from=valid_from,
        valid_until=valid_until,
    )


@cache
def _scoring_code() -> str:
    """A digest of the scoring package and its subpackages (the rules), code and question
    bank: new code, new scores."""
    return code_digest(resources.files("supplier_register.scoring"))


def code_digest(folder: Traversable) -> str:
    """A digest of every ``.py`` and ``.json`` file under ``folder``, subfolders included."""
    digest = hashlib.sha256()

    def add(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_dir() and item.name != "__pycache__":
                add(item, f"{prefix}{item.name}/")
            elif item.name.endswith((".py", ".json")):
                digest.update(f"{prefix}{item.name}".encode())
                digest.update(item.read_bytes())

    add(folder, "")
    return digest.hexdigest()


_OVERVIEW_FIELDS = tuple(f.name for f in dataclasses.fields(SupplierOverview))
_OVERVIEW_TYPES = typing.get_type_hints(SupplierOverview)
_OVERVIEW_ROW: TypeAdapter[tuple[Any, ...]] = TypeAdapter(
    cast(Any, tuple)[tuple(_OVERVIEW_TYPES[name] for name in _OVERVIEW_FIELDS)]
)
"""A :class:`SupplierOverview` as a JSON array of its fields, in field order, each of its type.

The one schema of a cached row, made from the dataclass itself: a field added to
the overview is stored and read with it (and changes the scoring stamp through
:data:`CACHE_FORMAT`, so rows written before are worked out again)."""
_GAP_PHRASES = _OVERVIEW_FIELDS.index("gap_phrases")
_PHRASES: dict[str, str] = {}
"""Gap phrases read from the cache, each held once: most come from the question bank, the same
for every supplier; those naming a contract are the supplier's own, so at most
:data:`_PHRASES_KEPT` are kept."""
_PHRASES_KEPT = 4096
_QUESTION_RANKS: TypeAdapter[tuple[tuple[int, float], ...]] = TypeAdapter(
    tuple[tuple[int, float], ...]
)
"""An entry's board question ranks: (key question index, priority) pairs."""
_SEPARATOR = "\n"
"""Between a row's overview and its ranks: compact JSON never holds a raw line break."""


def _encode(entry: OverviewEntry) -> str:
    """A cached row: the overview's JSON array, a line break, then its question ranks' JSON.

    Both parts are written by pydantic from the types above and read back by the
    same adapters (see :func:`_decode`); the line break lets a reader that needs
    no ranks leave them unparsed, a fifth of each row.
    """
    o = entry.overview
    head = _OVERVIEW_ROW.dump_json(tuple([getattr(o, name) for name in _OVERVIEW_FIELDS]))
    return f"{head.decode()}{_SEPARATOR}{_QUESTION_RANKS.dump_json(entry.questions).decode()}"


def _decode(data: str, *, ranks: bool = True) -> OverviewEntry:
    """A cached row's entry (see :func:`_encode`); without ``ranks`` they are left out (empty).

    The ranks are needed only to work out the register's top questions: a run
    that has them kept spares reading them.  A row not of this schema raises
    :class:`pydantic.ValidationError`.
    """
    head, _, tail = data.partition(_SEPARATOR)
    fields = _OVERVIEW_ROW.validate_json(head)
    phrases = fields[_GAP_PHRASES]
    if phrases and len(_PHRASES) < _PHRASES_KEPT:
        # the same few phrases for most suppliers: held once, not once per row
        fields = (
            *fields[:_GAP_PHRASES],
            tuple([_PHRASES.setdefault(p, p) for p in phrases]),
            *fields[_GAP_PHRASES + 1 :],
        )
    overview = SupplierOverview(*fields)
    return OverviewEntry(overview, _QUESTION_RANKS.validate_json(tail) if ranks else ())
