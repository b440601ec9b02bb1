"""The days a supplier's score holds for: the next day the date alone could change it.

Scoring takes ``today`` as a parameter, and a supplier's overview (score,
band, counts, top findings, next decide-by date, its board questions'
priorities) depends on it only through comparisons of dates in the supplier's
own records with ``today``.  These are, every one of them:

* a contract is current while ``end_date >= today`` and has ended once
  ``end_date < today`` (``Scorer._assess``): every rule reading current or
  ended contracts, and the next decide-by date, can change the day after an
  end date;
* ``rule.decide_by_passed``: a current contract's decide-by date is before
  today, from the day after it;
* ``rule.decide_by_soon``: ``today <= decide_by <= today + horizon`` (the
  config's ``decide_by_horizon_days``), from ``decide_by - horizon`` to the
  decide-by date itself (its explanation counts the days, but explanations are
  not part of an overview and are written afresh whenever shown);
* a dated "yes" to a question with ``refresh_months`` counts as "partly" once
  ``answered_on + refresh_months < today`` (``engine._dated_yes``), for the
  answer that counts (the latest) to a question that applies to the supplier;
* ``rule.review_overdue``: the review falls due after ``last_review +
  cadence`` and counts double after a second cadence.

:meth:`DayValidity.next_change` gives the first day after ``today`` on which
any of these comparisons comes out otherwise, so the overview worked out on
``today`` is the overview of every day in ``[today, next_change)``.  The score
cache (``register_scoring``) keeps each row for those days, so a new day
scores again only the suppliers some date has caught up with.

This function must change whenever a rule's or the engine's date logic does.
``tests/test_validity.py`` checks it day by day against scoring itself, and
fails when a function of the scoring package that is not in :data:`DATE_LOGIC`
starts to compute with ``today``.  Extra boundaries only cost a re-score; a
missing one would keep a stale score, so when in doubt add the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from supplier_register.domain.bounds import add_days, add_months
from supplier_register.domain.enums import AnswerValue
from supplier_register.domain.models import Contract, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.engine import AnswerLike, _latest_answers
from supplier_register.scoring.questions import QuestionBank, default_question_bank

DATE_LOGIC = frozenset(
    {
        "engine.Scorer._assess",
        "engine._dated_yes",
        "rules.exit._decide_by_passed",
        "rules.exit._decide_by_soon",
        "rules.relationship._review_overdue",
    }
)
"""Every function of the scoring package that computes with ``today`` (covered above)."""


class DayValidity:
    """The days scores hold for, prepared once for a config and question bank."""

    def __init__(self, config: ScoringConfig | None = None, bank: QuestionBank | None = None):
        config = config or ScoringConfig()
        bank = bank or default_question_bank()
        self.horizon = config.decide_by_horizon_days
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
        horizon = self.horizon
        for contract in contracts:
            end = contract.end_date
            if end is None:
                continue
            days.append(_after(end))  # ends: no longer current
            decide_by = contract.decide_by()
            if decide_by is not None:
                days.append(_after(decide_by))  # decide-by passed (and no longer soon)
                days.append(add_days(decide_by, -horizon))  # decide-by within the horizon
        if supplier.last_review is not None:
            months = supplier.effective_cadence_months
            due = add_months(supplier.last_review, months)
            days.append(_after(due))  # review overdue
            days.append(_after(add_months(due, months)))  # two reviews missed
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
            days.append(_after(add_months(answer.answered_on, question.refresh_months)))  # stale
        return min((day for day in days if day > today), default=None)


def _after(day: dt.date) -> dt.date:
    """The day after ``day``; the last representable day stands for "never"."""
    return add_days(day, 1)
