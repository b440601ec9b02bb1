"""Scoring a register database: every supplier's overview in one pass, full scores on demand.

The scoring engine is pure; this module feeds it from the database without ever
holding the whole register.  :func:`prepare_scoring` reads the people and the
suppliers (the register-wide context every score needs);
:meth:`RegisterScoring.overview` then streams each supplier's contracts and
answers through :meth:`Scorer.overview_records`, keeping only the overviews.
The full :class:`SupplierScore` of a supplier (every finding explained, every
board question written out) is worked out only when something shows or exports
it: one supplier (:meth:`RegisterScoring.full_score`) or many, a small batch at
a time, in the order asked for (:meth:`RegisterScoring.iter_full_scores`).

Overviews are kept in the database between runs (``storage.score_cache``): a
run scores again only the suppliers the audit log shows changed since the
cache was written, as long as the day, the config, the scoring code and the
register-wide context are the same; otherwise it scores everyone and rewrites
the cache.  Either way the result is what scoring everyone now would give.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from sqlite_utils import Database

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import ContractRecord, PersonRecord, SupplierRecord
from supplier_register.gcpause import gc_paused
from supplier_register.scoring import (
    TOP_FINDINGS,
    Band,
    FindingHead,
    RegisterOverview,
    Scorer,
    ScoringConfig,
    ScoringContext,
    SupplierOverview,
    SupplierScore,
)
from supplier_register.scoring.engine import OverviewEntry, SupplierRecords
from supplier_register.storage import score_cache
from supplier_register.storage.repository import Repository

CACHE_FORMAT = 1
"""Changes whenever the cached rows' layout does."""

BATCH = 500
"""Suppliers whose records are read together when scoring many of them in full."""


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

    def supplier_named(self, name: str) -> SupplierRecord | None:
        """The supplier with this name (any case), if there is one."""
        wanted = name.casefold()
        return next((s for s in self.suppliers if s.name.casefold() == wanted), None)

    def overview(
        self,
        *,
        top_findings: int = TOP_FINDINGS,
        ranked_per_key: int = 0,
        question_limit: int | None = None,
        cache: bool = True,
    ) -> RegisterOverview:
        """Every supplier's overview and the register's top board questions.

        Equal to scoring the whole register with
        :func:`~supplier_register.scoring.score_register` (see
        :class:`RegisterOverview`), in a fraction of the time and memory; the
        arguments are those of :meth:`Scorer.overview_records`.  With ``cache``
        the overviews kept in the database are used where still valid, and the
        cache is brought up to date (when the database can be written to).
        """
        if cache:
            return self._cached_overview(top_findings, ranked_per_key, question_limit)
        with gc_paused():
            return self.scorer.overview_records(
                Repository(self.db).iter_scoring_records(self.suppliers),
                context=self.context,
                today=self.today,
                top_findings=top_findings,
                ranked_per_key=ranked_per_key,
                question_limit=question_limit,
            )

    def _cached_overview(
        self, top_findings: int, ranked_per_key: int, question_limit: int | None
    ) -> RegisterOverview:
        repo = Repository(self.db)
        stamp = self._stamp(top_findings)
        state = score_cache.read_state(self.db)
        whole = state is None or state.stamp != stamp or state.audit_mark > self.audit_mark
        by_name = {s.name.casefold(): s for s in self.suppliers}
        entries: dict[int, OverviewEntry] = {}
        if state is not None and not whole:
            changed = score_cache.changed_since(self.db, state.audit_mark)
            with gc_paused():
                for supplier_id, data in score_cache.read_rows(self.db):
                    if supplier_id not in changed:
                        entry = _decode(data)
                        supplier = by_name.get(entry.overview.supplier.casefold())
                        if supplier is not None and supplier.id == supplier_id:
                            entries[supplier_id] = entry
        stale = [s for s in self.suppliers if s.id not in entries]
        records: Iterable[SupplierRecords] = (
            repo.iter_scoring_records(stale)
            if len(stale) > len(self.suppliers) // 4
            else repo.scoring_records_for(stale)
        )
        fresh: dict[int, OverviewEntry] = {}
        with gc_paused():
            for entry in self.scorer.overview_entries(
                records, context=self.context, today=self.today, top_findings=top_findings
            ):
                fresh[by_name[entry.overview.supplier.casefold()].id] = entry
        entries.update(fresh)
        if fresh or whole:
            rows = entries if whole else fresh
            score_cache.write(
                self.db,
                score_cache.CacheState(stamp, self.audit_mark),
                ((supplier_id, _encode(entry)) for supplier_id, entry in rows.items()),
                replace_all=whole,
            )
        named = {s.name: s for s in self.suppliers}

        def records_of(names: Sequence[str]) -> list[SupplierRecords]:
            return list(repo.scoring_records_for([named[name] for name in names]))

        return self.scorer.overview_from_entries(
            [entries[s.id] for s in self.suppliers],
            records_of,
            context=self.context,
            today=self.today,
            ranked_per_key=ranked_per_key,
            question_limit=question_limit,
        )

    def _stamp(self, top_findings: int) -> str:
        """What the cached overviews are valid for: everything but a supplier's own records."""
        context = self.context
        parts = [
            CACHE_FORMAT,
            _scoring_code(),
            self.today.isoformat(),
            self.scorer.config.model_dump_json(),
            top_findings,
            sorted((k, p.name, p.role.value) for k, p in context.people.items()),
            sorted(context.ceo_tier or ()),
            list(context.ceo_owned or ()),
            sorted(context.ceo_rank.items()),
        ]
        text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def in_priority_order(
        self, overview: RegisterOverview
    ) -> list[tuple[SupplierRecord, SupplierOverview]]:
        """Each supplier with its overview, highest priority first."""
        by_name = {s.name.casefold(): s for s in self.suppliers}
        return [(by_name[o.supplier.casefold()], o) for o in overview.suppliers]

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
            with gc_paused():
                scores = [
                    (s, c, self.scorer.score(s, c, a, today=self.today, context=self.context))
                    for s, c, a in batch
                ]
            yield from scores


def prepare_scoring(
    db: Database, today: dt.date, *, config: ScoringConfig | None = None
) -> RegisterScoring:
    """Read the people and suppliers of a register database to score it on ``today``."""
    repo = Repository(db)
    scorer = Scorer(config)
    mark = score_cache.audit_mark(db)  # before the records: a change after it is seen next time
    people = repo.list_people()
    suppliers = repo.list_suppliers()
    return RegisterScoring(
        db=db,
        scorer=scorer,
        today=today,
        trust=repo.trust_name(),
        people=people,
        suppliers=suppliers,
        context=ScoringContext.build(people, suppliers, scorer.config),
        audit_mark=mark,
    )


@cache
def _scoring_code() -> str:
    """A digest of the scoring package (code and question bank): new code, new scores."""
    digest = hashlib.sha256()
    package = resources.files("supplier_register.scoring")
    for item in sorted(package.iterdir(), key=lambda p: p.name):
        if item.name.endswith((".py", ".json")):
            digest.update(item.name.encode())
            digest.update(item.read_bytes())
    return digest.hexdigest()


def _encode(entry: OverviewEntry) -> str:
    o = entry.overview
    return json.dumps(
        [
            o.supplier,
            o.criticality.value,
            o.score,
            o.band.value,
            o.priority,
            list(o.dimension_scores),
            o.finding_count,
            o.data_gap_count,
            o.question_count,
            list(o.questions_by_key),
            [[h.title, h.contract] for h in o.top_findings],
            o.next_decide_by.isoformat() if o.next_decide_by else None,
            o.next_decide_by_contract,
            [list(q) for q in entry.questions],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _decode(data: str) -> OverviewEntry:
    (
        supplier,
        criticality,
        score,
        band,
        priority,
        dimensions,
        findings,
        gaps,
        questions,
        by_key,
        heads,
        decide_by,
        decide_contract,
        ranks,
    ) = json.loads(data)
    overview = SupplierOverview(
        supplier=supplier,
        criticality=Criticality(criticality),
        score=score,
        band=Band(band),
        priority=priority,
        dimension_scores=tuple(dimensions),
        finding_count=findings,
        data_gap_count=gaps,
        question_count=questions,
        questions_by_key=tuple(by_key),
        top_findings=tuple(FindingHead(title, contract) for title, contract in heads),
        next_decide_by=dt.date.fromisoformat(decide_by) if decide_by else None,
        next_decide_by_contract=decide_contract,
    )
    return OverviewEntry(overview, tuple((int(k), float(p)) for k, p in ranks))
