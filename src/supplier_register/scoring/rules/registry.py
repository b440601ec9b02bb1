"""The rule registry: what a rule is, what it reads, what it raises and on which days it can change.

A rule is a check (a function from one supplier's :class:`Facts` to the
:class:`Raised` items it finds) registered under a stable code with the
dimension and key question it feeds and the principle-6 passage it cites.

A rule whose result depends on ``today`` says so where it is registered:
``changes`` lists, as :class:`ContractDate` and :class:`SupplierDate`, each
comparison of ``today`` with a date in the records: which date, and how many
days from it the rule's result can first come out otherwise.  The score
cache's validity (``scoring.validity``) is built from these declarations, and
``tests/unit/test_validity.py`` checks that the rules' comparisons with ``today``
and the declared dates match one for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from supplier_register.domain.enums import AnswerValue
from supplier_register.domain.models import Contract, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.results import Dimension, KeyQuestion


class Answered(Protocol):
    """What a rule may read of the supplier's latest answer to a question."""

    @property
    def answer(self) -> AnswerValue: ...


@dataclass(frozen=True, slots=True)
class Facts:
    """One supplier's records, prepared once for all rules.

    ``answers``: the supplier's latest answer to each question, by question id (none when
    scored without answers), for a rule that should not repeat what an answer already says.
    """

    supplier: Supplier
    live: Sequence[Contract]
    ended: Sequence[Contract]
    today: dt.date
    config: ScoringConfig
    context: ScoringContext
    answers: Mapping[str, Answered] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.supplier.name


@dataclass(slots=True)
class Raised:
    """One instance of a rule (or question) firing, before it becomes a Finding.

    Not frozen (nothing changes one once made): a frozen dataclass is several
    times slower to create, and a large register raises millions of these.
    """

    factor: float
    explanation: str
    board: str | None = None
    gap: str | None = None
    contract: str | None = None
    title: str | None = None
    evidence: str | None = None
    """What the answer behind it is based on, as the user wrote it (plain text, never markup)."""

    @property
    def data_gap(self) -> bool:
        return self.gap is not None


Check = Callable[[Facts], Iterator[Raised]]

Days = int | Callable[[ScoringConfig], int]
"""Days from a record's date to the first day a rule's result can differ: fixed, or from the config."""


_Record = TypeVar("_Record", Contract, Supplier)


@dataclass(frozen=True, slots=True)
class RecordDate(Generic[_Record]):
    """A date of a record that a rule compares ``today`` with (one per comparison).

    The rule's result can come out otherwise from ``days`` after ``date(record)``
    (``1`` for a comparison such as ``date < today`` or ``today <= date``, which
    turns the day after; ``0`` for ``date <= today``).  ``None`` from ``date``:
    no such date, so no change.  ``wording_only``: the comparison changes only
    the wording of an explanation, which is written afresh whenever shown and
    is not part of the overview the score cache keeps, so a score holds across it.
    """

    date: Callable[[_Record], dt.date | None]
    days: Days
    why: str
    wording_only: bool = False

    def offset(self, config: ScoringConfig) -> int:
        """The days from the date to the change, for this config."""
        return self.days if isinstance(self.days, int) else self.days(config)


class ContractDate(RecordDate[Contract]):
    """A date of each of the supplier's contracts (current or ended) that a rule compares
    ``today`` with."""

    __slots__ = ()


class SupplierDate(RecordDate[Supplier]):
    """A date of the supplier's own record that a rule compares ``today`` with."""

    __slots__ = ()


DateBoundary = ContractDate | SupplierDate


@dataclass(frozen=True, slots=True)
class Rule:
    """A record rule: what it checks, where it feeds, which passage it comes from, and the dates
    in the records on which its result can change (none: ``today`` does not matter to it)."""

    code: str
    dimension: Dimension
    key_question: KeyQuestion
    title: str
    reference: str
    checks: str
    check: Check
    changes: tuple[DateBoundary, ...] = ()


RULES: dict[str, Rule] = {}
"""Every record rule by code, in the order scoring applies them."""


def rule(
    code: str,
    dimension: Dimension,
    key_question: KeyQuestion,
    title: str,
    reference: str,
    checks: str,
    *,
    changes: Sequence[DateBoundary] = (),
) -> Callable[[Check], Check]:
    """Register a rule function under a stable code.

    ``changes``: one declared date for each comparison of ``today`` the check makes
    (see :class:`ContractDate`); leave it out only for a check that never reads ``today``.
    """

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"duplicate rule {code}")
        RULES[code] = Rule(
            code, dimension, key_question, title, reference, checks, check, tuple(changes)
        )
        return check

    return register


def rule_codes() -> list[str]:
    """Every rule code, in registry order."""
    return list(RULES)
