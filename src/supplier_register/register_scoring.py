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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from supplier_register.domain.models import ContractRecord, PersonRecord, SupplierRecord
from supplier_register.gcpause import gc_paused
from supplier_register.scoring import (
    TOP_FINDINGS,
    RegisterOverview,
    Scorer,
    ScoringConfig,
    ScoringContext,
    SupplierOverview,
    SupplierScore,
)
from supplier_register.storage.repository import Repository

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
    ) -> RegisterOverview:
        """Every supplier's overview and the register's top board questions.

        Equal to scoring the whole register with
        :func:`~supplier_register.scoring.score_register` (see
        :class:`RegisterOverview`), in a fraction of the time and memory; the
        arguments are those of :meth:`Scorer.overview_records`.
        """
        with gc_paused():
            return self.scorer.overview_records(
                Repository(self.db).iter_scoring_records(self.suppliers),
                context=self.context,
                today=self.today,
                top_findings=top_findings,
                ranked_per_key=ranked_per_key,
                question_limit=question_limit,
            )

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
    )
