"""Rules of the dimension "Keeping options open (lock-in and data)"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from supplier_register.domain.bounds import add_days
from supplier_register.domain.enums import AnswerValue, IpOwner, PurchaseKind
from supplier_register.domain.models import Contract
from supplier_register.scoring.context import key
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.clauses import clause_rule
from supplier_register.scoring.rules.common import (
    BUILT,
    MAJOR,
    MATERIAL,
    crit,
    our_contracts,
    partly,
    term_years,
    titles,
    unknown,
    years_phrase,
    years_text,
)
from supplier_register.scoring.rules.passages import OPTIONS
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import join_some, long_date, quoted


@rule(
    "rule.auto_renewal",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Renews automatically",
    OPTIONS,
    "A current contract renews automatically unless the trust gives notice. Whether a current "
    "contract of a supplier of medium criticality or above renews automatically not being "
    'recorded is a data gap (never taken as "no").',
)
def _auto_renewal(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.criticality in MATERIAL:
        for c in facts.live:
            if c.auto_renewal is None:
                yield Raised(
                    factor=unknown(facts),
                    contract=c.title,
                    explanation=(
                        f"The register does not record whether {quoted(c.title)} renews "
                        "automatically, so nobody can say whether the trust must give notice "
                        "to avoid another term."
                    ),
                    gap=f"whether {quoted(c.title)} renews automatically",
                )
    hits = [c for c in facts.live if c.auto_renewal is True]
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
    "A supplier's current contracts support several clinical services (2 by default), or a "
    "strategic or high-criticality supplier's, or one running clinical systems, support several "
    "of the trust's services (3 by default). Where such a supplier's current contract does not "
    "record the services it supports, holding several current contracts (3 by default) counts "
    "instead.",
)
def _concentration(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    config = facts.config
    supported = supported_services(facts)
    clinical = [name for name, is_clinical in supported if is_clinical]
    critical = supplier.criticality in MAJOR or supplier.runs_clinical_systems is True
    if not critical and not clinical:
        return
    # Several clinical services count for any supplier; several services of any kind only for
    # a critical one (as the config says).
    if len(clinical) >= config.concentration_min_clinical_services or (
        critical and len(supported) >= config.concentration_min_services
    ):
        yield _services_concentration(facts, supported)
        return
    if not critical:
        return
    # Services not recorded for a contract are unknown, never "none": until every current
    # contract records them, holding several contracts still counts, as it always has.
    unrecorded = [c for c in facts.live if not c.services]
    count = len(facts.live)
    if not unrecorded or count < config.concentration_min_contracts:
        return
    clinical_systems = (
        " and runs clinical systems" if supplier.runs_clinical_systems is True else ""
    )
    not_recorded = (
        ""
        if len(unrecorded) == count
        else f" The services {titles(unrecorded)} support are not recorded."
    )
    yield Raised(
        factor=1.0,
        explanation=(
            f"{facts.name} holds {count} of our current contracts ({titles(facts.live)})"
            f"{clinical_systems}. Depending on one supplier for several critical services limits "
            f"leverage, control and flexibility, and one failure would hit them all.{not_recorded}"
        ),
        board=(
            f"{facts.name} holds {count} of our contracts ({titles(facts.live)})"
            f"{clinical_systems}: what would happen to these services if the relationship went "
            "wrong?"
        ),
    )


def supported_services(facts: Facts) -> list[tuple[str, bool]]:
    """The services the supplier's current contracts support, each once (names matched in any
    case, as first written), with whether the register records it as clinical: clinical ones
    first, then by name."""
    names: dict[str, str] = {}
    for c in facts.live:
        for name in c.services:
            names.setdefault(key(name), name)
    clinical = facts.context.clinical_services
    return sorted(
        ((name, k in clinical) for k, name in names.items()),
        key=lambda item: (not item[1], key(item[0]), item[0]),
    )


_NAMED = 10
"""Services an explanation names in each group (clinical, others) before counting the rest."""
_NAMED_ON_BOARD = 5
"""Services a board question names before counting the rest."""


def _services_concentration(facts: Facts, supported: Sequence[tuple[str, bool]]) -> Raised:
    """The finding of a supplier whose current contracts support several services."""
    clinical = [name for name, is_clinical in supported if is_clinical]
    others = [name for name, is_clinical in supported if not is_clinical]
    contracts = [c for c in facts.live if c.services]
    if len(contracts) == 1:
        whose = f"{facts.name}'s contract {quoted(contracts[0].title)} supports"
    else:
        whose = f"{facts.name}'s current contracts {titles(contracts)} support"
    count = len(supported)
    if count == 1:
        what = f"our clinical service {clinical[0]}" if clinical else f"our service {others[0]}"
        board_what = what
    elif not clinical:
        what = f"{count} of our services ({join_some(others, _NAMED)})"
        board_what = f"{count} of our services ({join_some(others, _NAMED_ON_BOARD)})"
    elif not others:
        what = f"{count} of our services, all of them clinical ({join_some(clinical, _NAMED)})"
        board_what = (
            f"{count} of our services, all of them clinical "
            f"({join_some(clinical, _NAMED_ON_BOARD)})"
        )
    else:
        what = (
            f"{count} of our services, {len(clinical)} of them clinical "
            f"({join_some(clinical, _NAMED)}) and also {join_some(others, _NAMED)}"
        )
        board_what = (
            f"{count} of our services, {len(clinical)} of them clinical "
            f"({join_some(clinical, _NAMED_ON_BOARD)})"
        )
    them = "it" if count == 1 else "them all"
    return Raised(
        factor=1.0,
        explanation=(
            f"{whose} {what}: one failure would stop {them}. Depending on one supplier for so "
            "much limits leverage, control and flexibility."
        ),
        board=(
            f"{whose} {board_what}: how would we keep "
            f"{'it' if count == 1 else 'them'} running if {facts.name} failed or the "
            "relationship went wrong?"
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
                    f"{quoted(c.title)} runs for {years_phrase(years)} with no break clause, "
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


def _next_decision(facts: Facts) -> tuple[dt.date, str] | None:
    """The earliest decide-by date of the supplier's current contracts, with the contract's title
    (None: no current contract records an end date)."""
    dates = [(d, c.title) for c in facts.live if (d := c.decide_by()) is not None]
    return min(dates) if dates else None


LINKED_QUESTION = "options.other_trusts_linked"
"""The question asking whether the trust is linked up with other trusts on the supplier."""
_LINKED = frozenset({AnswerValue.YES, AnswerValue.NOT_APPLICABLE})


@rule(
    "rule.partner_trusts",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Other trusts use the same supplier",
    OPTIONS,
    "Other trusts or ICS partners are recorded as using a strategic or high-criticality "
    "supplier and the trust has not said it is linked up with them: a prompt to link up (a "
    "small weight: an opportunity more than a weakness). Nothing is raised when none are "
    "recorded.",
)
def _partner_trusts(facts: Facts) -> Iterator[Raised]:
    partners = facts.supplier.shared_with
    if not partners or facts.supplier.criticality not in MAJOR:
        return
    linked = facts.answers.get(LINKED_QUESTION)
    if linked is not None and linked.answer in _LINKED:
        return  # the trust has said it is linked up with them (or that it does not apply)
    names = join_some(partners, 5)
    use = "uses" if len(partners) == 1 else "use"
    decision = _next_decision(facts)
    if decision is None:
        on = f"to buy and manage {facts.name} together"
    else:
        day, title = decision
        on = f"on the renewal of {quoted(title)} (decide-by date {long_date(day)})"
    yield Raised(
        factor=1.0,
        explanation=(
            f"{names} also {use} {facts.name}, a {crit(facts.supplier)} supplier. Principle 6 "
            "asks 'How are you linking up with other trusts who are using the same "
            "supplier?': negotiating, managing and planning an exit together gives more "
            "leverage than one trust alone."
        ),
        board=f"{names} also {use} {facts.name}: are we linking up with them {on}?",
    )
