"""The days a supplier's score holds for: the next day the date alone could change it.

Scoring takes ``today`` as a parameter, and a supplier's overview (score,
band, counts, top findings, next decide-by date, its board questions'
priorities) depends on it only through comparisons of dates in the supplier's
own records with ``today``.  These are, every one of them:

* the rules' own, each declared where the rule is registered (``changes=`` in
  ``scoring/rules/``: a :class:`ContractDate` or :class:`SupplierDate` naming
  the record's date and how many days after it the rule's result can first
  differ).  At present they are ``rule.decide_by_passed`` (the day after a current
  contract's decide-by date), ``rule.decide_by_soon`` (``today <= decide_by <=
  today + horizon``: from ``decide_by - horizon``, and the day after the
  decide-by date; its explanation counts the days and says "today" on the day
  itself, declared ``wording_only``: explanations are not part of an overview
  and are written afresh whenever shown) and
  ``rule.review_overdue`` (the day after the review falls due, and the day
  after a second cadence) and ``rule.assurance_lapsed`` (the day after each
  dated assurance falls due: a certificate's expiry, the next DSPT year's
  publication date, and 12 months after a DTAC, safety case, DCB0160, DPIA or
  penetration test);
* the engine's two, declared here in :data:`ENGINE_DATE_LOGIC`: a contract is
  current while ``end_date >= today`` and has ended once ``end_date < today``
  (``Scorer._assess``), so every rule reading current or ended contracts, and
  the next decide-by date, can change the day after an end date; and a dated
  "yes" to a question with ``refresh_months`` counts as "partly" once
  ``answered_on + refresh_months < today`` (``engine._dated_yes``), for the
  answer that counts (the latest) to a question that applies to the supplier.

:meth:`DayValidity.next_change` gives the first day after ``today`` on which
any of these comparisons comes out otherwise, so the overview worked out on
``today`` is the overview of every day in ``[today, next_change)``.  The score
cache (``register_scoring``) keeps each row for those days, so a new day
scores again only the suppliers some date has caught up with.

``tests/unit/test_validity.py`` checks this day by day against scoring itself, and
fails when a function of the scoring package compares ``today`` with anything
without a declared date for each comparison: a rule's check against its
``changes``, the engine's functions against :data:`ENGINE_DATE_LOGIC`.  Extra
boundaries only cost a re-score; a missing one would keep a stale score, so
when in doubt declare the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import attrgetter

from supplier_register.domain.bounds import add_days, add_months
from supplier_register.domain.enums import AnswerValue
from supplier_register.domain.models import Contract, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.engine import AnswerLike, _latest_answers
from supplier_register.scoring.questions import QuestionBank, default_question_bank
from supplier_register.scoring.rules import RULES, ContractDate

CONTRACT_ENDS = ContractDate(
    attrgetter("end_date"), 1, "a contract is no longer current the day after it ends"
)
"""``Scorer._assess``: current while ``end_date >= today``."""

ENGINE_DATE_LOGIC: dict[str, tuple[str, ...]] = {
    "engine.Scorer._assess": (CONTRACT_ENDS.why,),
    "engine._dated_yes": ("a dated 'yes' goes stale the day after its refresh is due",),
}
"""Every function of the engine that compares ``today`` with a record's date, and for each
comparison, the change :meth:`DayValidity.next_change` covers (the rules declare their own)."""

_Dates = tuple[tuple[Callable[[Contract], dt.date | None], tuple[int, ...]], ...]
_SupplierDates = tuple[tuple[Callable[[Supplier], dt.date | None], tuple[int, ...]], ...]


class DayValidity:
    """The days scores hold for, prepared once for a config and question bank."""

    def __init__(self, config: ScoringConfig | None = None, bank: QuestionBank | None = None):
        config = config or ScoringConfig()
        bank = bank or default_question_bank()
        contract_days: dict[Callable[[Contract], dt.date | None], set[int]] = {
            CONTRACT_ENDS.date: {CONTRACT_ENDS.offset(config)}
        }
        supplier_days: dict[Callable[[Supplier], dt.date | None], set[int]] = {}
        for code, found in RULES.items():
            if config.rule_weight(code) == 0:
                continue  # not scored, so its result changes nothing
            for boundary in found.changes:
                if boundary.wording_only:
                    continue  # not part of the overview the cache keeps
                if isinstance(boundary, ContractDate):
                    contract_days.setdefault(boundary.date, set()).add(boundary.offset(config))
                else:
                    supplier_days.setdefault(boundary.date, set()).add(boundary.offset(config))
        # Each record date worked out once, with every offset from it.
        self._contract_dates: _Dates = tuple(
            (date, tuple(sorted(days))) for date, days in contract_days.items()
        )
        self._supplier_dates: _SupplierDates = tuple(
            (date, tuple(sorted(days))) for date, days in supplier_days.items()
        )
        self._refreshed = {q.id: q for q in bank.questions if q.refresh_months is not None}

    def next_change(
        self,
        supplier: Supplier,
        contracts: Sequence[Contract],
        answers: Sequence[AnswerLike],
        today: dt.date,
    ) -> dt.date | None:
        """The first day after ``today`` on which the supplier's overview could differ.

        ``None`` when no later day can change it (no date in its records lies ahead).
        """
        days: list[dt.date] = []
        append = days.append
        contract_dates = self._contract_dates
        for contract in contracts:
            for date_of, offsets in contract_dates:
                day = date_of(contract)
                if day is not None:
                    for offset in offsets:
                        append(add_days(day, offset))
        for date_of_supplier, offsets in self._supplier_dates:
            day = date_of_supplier(supplier)
            if day is not None:
                for offset in offsets:
                    append(add_days(day, offset))
        category, criticality = supplier.category, supplier.criticality
        refreshed = self._refreshed
        # The latest answer to a question depends on that question's answers alone.
        dated = [a for a in answers if a.question_id in refreshed]
        for question_id, answer in _latest_answers(dated).items():
            question = refreshed.get(question_id)
            if (
                question is None
                or answer.answer is not AnswerValue.YES
                or answer.answered_on is None
                or not question.applies(category, criticality)
            ):
                continue
            assert question.refresh_months is not None
            days.append(
                add_days(add_months(answer.answered_on, question.refresh_months), 1)
            )  # stale
        return min((day for day in days if day > today), default=None)
