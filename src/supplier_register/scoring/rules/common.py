"""What several rules share: the criticalities and purchases they look at, and small text helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from supplier_register.domain.enums import Criticality, PurchaseKind
from supplier_register.domain.models import Contract, Supplier
from supplier_register.scoring.rules.registry import Facts, Raised
from supplier_register.scoring.text import criticality_phrase, join_and, join_some, quoted

MATERIAL = frozenset({Criticality.STRATEGIC, Criticality.HIGH, Criticality.MEDIUM})
MAJOR = frozenset({Criticality.STRATEGIC, Criticality.HIGH})
BUILT = frozenset({PurchaseKind.BESPOKE_DEVELOPMENT, PurchaseKind.CUSTOMISED_PRODUCT})


def unknown(facts: Facts) -> float:
    """The severity factor of something not known (the config's factor for 'unknown')."""
    return facts.config.answer_factors.unknown


def partly(facts: Facts) -> float:
    """The severity factor of something partly done (the config's factor for 'partly')."""
    return facts.config.answer_factors.partly


def titles(contracts: Sequence[Contract]) -> str:
    """The contracts' titles, quoted and joined for a sentence."""
    return join_some([quoted(c.title) for c in contracts])


def our_contracts(facts: Facts, contracts: Sequence[Contract], verb: str, verb_many: str) -> str:
    """The start of a board question: "Our contract(s) with <supplier> for <titles> <verb>",
    the verb as given for one contract or for several."""
    many = len(contracts) > 1
    return (
        f"Our contract{'s' if many else ''} with {facts.name} for {titles(contracts)} "
        f"{verb_many if many else verb}"
    )


def crit(supplier: Supplier) -> str:
    """The supplier's criticality as a phrase ("strategic", "high-criticality", ...)."""
    return criticality_phrase(supplier.criticality)


def term_years(contract: Contract) -> float | None:
    """The contract's term in years; None when its start or end is not recorded."""
    if contract.start_date is None or contract.end_date is None:
        return None
    return (contract.end_date - contract.start_date).days / 365.25


def years_text(years: float) -> str:
    """Years for a sentence: whole when within a tenth of a whole number, else to one place."""
    whole = round(years)
    return str(whole) if abs(years - whole) < 0.1 else f"{years:.1f}"


def years_phrase(years: float) -> str:
    """'1 year', '2.5 years', '3 years': :func:`years_text` with its noun."""
    text = years_text(years)
    return f"{text} year" if text == "1" else f"{text} years"


def unrecorded_gaps(
    facts: Facts,
    contracts: Iterable[Contract],
    fields: Callable[[Contract], Sequence[tuple[bool, str]]],
    *,
    explanation: str,
    gap: str,
) -> Iterator[Raised]:
    """A data gap for each of ``contracts`` that does not record some of its ``fields``
    (``(not recorded?, name)`` pairs).  In the ``explanation`` and ``gap`` templates,
    ``{what}`` stands for the names of those not recorded, joined for a sentence, and
    ``{title}`` for the contract's title, quoted."""
    for c in contracts:
        missing = [name for absent, name in fields(c) if absent]
        if not missing:
            continue
        what = join_and(missing)
        title = quoted(c.title)
        yield Raised(
            factor=unknown(facts),
            contract=c.title,
            explanation=explanation.format(what=what, title=title),
            gap=gap.format(what=what, title=title),
        )
