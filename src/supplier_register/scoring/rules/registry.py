"""The rule registry: what a rule is, what it reads and what it raises.

A rule is a check (a function from one supplier's :class:`Facts` to the
:class:`Raised` items it finds) registered under a stable code with the
dimension and key question it feeds and the principle-6 passage it cites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from supplier_register.domain.models import Contract, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.context import ScoringContext
from supplier_register.scoring.results import Dimension, KeyQuestion


@dataclass(frozen=True, slots=True)
class Facts:
    """One supplier's records, prepared once for all rules."""

    supplier: Supplier
    live: Sequence[Contract]
    ended: Sequence[Contract]
    today: dt.date
    config: ScoringConfig
    context: ScoringContext

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

    @property
    def data_gap(self) -> bool:
        return self.gap is not None


Check = Callable[[Facts], Iterator[Raised]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A record rule: what it checks, where it feeds and which passage it comes from."""

    code: str
    dimension: Dimension
    key_question: KeyQuestion
    title: str
    reference: str
    checks: str
    check: Check


RULES: dict[str, Rule] = {}
"""Every record rule by code, in the order scoring applies them."""


def rule(
    code: str,
    dimension: Dimension,
    key_question: KeyQuestion,
    title: str,
    reference: str,
    checks: str,
) -> Callable[[Check], Check]:
    """Register a rule function under a stable code."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"duplicate rule {code}")
        RULES[code] = Rule(code, dimension, key_question, title, reference, checks, check)
        return check

    return register


def rule_codes() -> list[str]:
    """Every rule code, in registry order."""
    return list(RULES)
