"""Rules of the dimension "Keeping options open (lock-in and data)"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from supplier_register.domain.bounds import add_days
from supplier_register.domain.enums import IpOwner, PurchaseKind
from supplier_register.domain.models import Contract
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.clauses import clause_rule
from supplier_register.scoring.rules.common import (
    BUILT,
    MAJOR,
    our_contracts,
    partly,
    term_years,
    titles,
    unknown,
    years_text,
)
from supplier_register.scoring.rules.passages import OPTIONS
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import long_date, quoted


@rule(
    "rule.auto_renewal",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Renews automatically",
    OPTIONS,
    "A current contract renews automatically unless the trust gives notice.",
)
def _auto_renewal(facts: Facts) -> Iterator[Raised]:
    hits = [c for c in facts.live if c.auto_renewal]
    many = len(hits) > 1
    if not hits:
        return
    board = (
        f"{our_contracts(facts, hits, 'renews', 'renew')} automatically: who decides before "
        f"{'they roll' if many else 'it rolls'} over, and by when?"
    )
    for c in hits:
        by = ""
        if c.end_date is not None and c.notice_period_days is not None:
            notice_by = add_days(c.end_date, -c.notice_period_days)
            by = f" by {long_date(notice_by)}"
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} renews automatically unless the trust gives notice{by}. "
                "Without an active decision the trust is committed for another term and loses "
                "leverage."
            ),
            board=board,
        )


@rule(
    "rule.concentration",
    Dimension.OPTIONS,
    KeyQuestion.IF_WRONG,
    "Several critical services with one supplier",
    OPTIONS,
    "A strategic or high-criticality supplier, or one running clinical systems, holds several "
    "current contracts (3 by default).",
)
def _concentration(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    if supplier.criticality not in MAJOR and not supplier.runs_clinical_systems:
        return
    count = len(facts.live)
    if count < facts.config.concentration_min_contracts:
        return
    clinical = " and runs clinical systems" if supplier.runs_clinical_systems else ""
    yield Raised(
        factor=1.0,
        explanation=(
            f"{facts.name} holds {count} of our current contracts ({titles(facts.live)})"
            f"{clinical}. Depending on one supplier for several critical services limits "
            "leverage, control and flexibility, and one failure would hit them all."
        ),
        board=(
            f"{facts.name} holds {count} of our contracts ({titles(facts.live)}){clinical}: "
            "what would happen to these services if the relationship went wrong?"
        ),
    )


_NO_DATA = (PurchaseKind.COMMODITY, PurchaseKind.STAFF_AUGMENTATION)


def _data_contracts(facts: Facts) -> list[Contract]:
    return [c for c in facts.live if c.what_is_bought not in _NO_DATA]


def _data_board(facts: Facts, hits: Sequence[Contract]) -> str:
    return (
        f"{our_contracts(facts, hits, 'does', 'do')} not say we own our data: how do we "
        "guarantee we can get it out?"
    )


clause_rule(
    "rule.no_data_ownership",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Contract does not say the trust owns its data",
    OPTIONS,
    "A current contract for anything but commodity technology or staff does not say (or is not "
    "known to say) that the trust owns its data.",
    term=lambda c: c.data_ownership_clause,
    contracts=_data_contracts,
    without=lambda facts, c: (
        f"{quoted(c.title)} does not say the trust owns its data, so getting it out "
        "in full, in a usable form, depends on the supplier's goodwill."
    ),
    board=_data_board,
    not_recorded=lambda facts, c: (
        f"It is not recorded whether {quoted(c.title)} says the trust owns its data."
    ),
    gap=lambda c: f"whether {quoted(c.title)} says the trust owns its data",
)


@rule(
    "rule.supplier_owns_ip",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Supplier owns what it built for us",
    OPTIONS,
    "The supplier owns (or shares, or it is unknown who owns) the IP in bespoke work or "
    "customisations made under a current contract.",
)
def _supplier_owns_ip(facts: Facts) -> Iterator[Raised]:
    built = [c for c in facts.live if c.what_is_bought in BUILT]
    owned = [c for c in built if c.ip_owner is IpOwner.SUPPLIER]
    shared = [c for c in built if c.ip_owner is IpOwner.SHARED]
    for c in built:
        if c.ip_owner is IpOwner.SUPPLIER:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{facts.name} owns the intellectual property in what it builds or customises "
                    f"for us under {quoted(c.title)}, so leaving would mean paying for it again."
                ),
                board=(
                    f"{facts.name} owns what it has built for us under {titles(owned)}: what "
                    "would it cost to take that work to another supplier?"
                ),
            )
        elif c.ip_owner is IpOwner.SHARED:
            yield Raised(
                factor=partly(facts),
                contract=c.title,
                explanation=(
                    f"The intellectual property in customisations under {quoted(c.title)} is "
                    f"shared with {facts.name}; the trust may not be free to reuse it elsewhere."
                ),
                board=(
                    f"We share the IP in what {facts.name} built for us under {titles(shared)}: "
                    "could we reuse it with another supplier?"
                ),
            )
        elif c.ip_owner is IpOwner.UNKNOWN:
            yield Raised(
                factor=unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded who owns the intellectual property in what is built "
                    f"under {quoted(c.title)}."
                ),
                gap=f"who owns the IP in what is built under {quoted(c.title)}",
            )


@rule(
    "rule.no_break_clause",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Long contract without a break clause",
    OPTIONS,
    "A current contract longer than the long-term threshold (3 years) has no break clause, or "
    "none is recorded.",
)
def _no_break_clause(facts: Facts) -> Iterator[Raised]:
    for c in facts.live:
        years = term_years(c)
        if years is None or years <= facts.config.long_term_years or c.break_clause is True:
            continue
        span = f"{years_text(years)}-year"
        if c.break_clause is False:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} runs for {years_text(years)} years with no break clause, "
                    "so the trust cannot leave early if the relationship goes wrong."
                ),
                board=(
                    f"Our {span} contract with {facts.name} for {quoted(c.title)} has no break "
                    "clause: how would we leave early if we had to?"
                ),
            )
        else:
            yield Raised(
                factor=unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded whether {quoted(c.title)}, a {span} contract, has a "
                    "break clause."
                ),
                gap=f"whether {quoted(c.title)} ({span} term) has a break clause",
            )
