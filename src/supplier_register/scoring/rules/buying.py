"""Rules of the dimension "Buying the right thing, the right way"."""

from __future__ import annotations

from collections.abc import Iterator

from supplier_register.domain.enums import (
    Competition,
    ContractType,
    ProcurementRoute,
    PurchaseKind,
    SupplyCategory,
)
from supplier_register.domain.models import Contract
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import (
    BUILT,
    MAJOR,
    crit,
    our_contracts,
    term_years,
    unknown,
    unrecorded_gaps,
    years_phrase,
)
from supplier_register.scoring.rules.passages import BUY, OWEN_WILLIAMS
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import quoted


def _built_work(facts: Facts, c: Contract) -> PurchaseKind | None:
    """What bespoke or customised work a contract buys, judged from what is bought and, where
    that is not recorded, from what the supplier provides (None: not such work, or not known)."""
    if c.what_is_bought in BUILT:
        return c.what_is_bought
    if (
        c.what_is_bought is PurchaseKind.UNKNOWN
        and facts.supplier.category is SupplyCategory.BESPOKE_DEVELOPMENT
    ):
        return PurchaseKind.BESPOKE_DEVELOPMENT
    return None


def _fixed_scope(c: Contract, work: PurchaseKind) -> bool:
    """Whether a contract for built work fixes its scope and price up front, whatever its label:
    fixed scope and price, or bespoke development bought as a perpetual licence."""
    if c.contract_type is ContractType.FIXED_SCOPE_FIXED_PRICE:
        return True
    return (
        work is PurchaseKind.BESPOKE_DEVELOPMENT
        and c.contract_type is ContractType.PERPETUAL_LICENCE_SUPPORT
    )


@rule(
    "rule.fixed_scope_bespoke",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Fixed-scope contract for bespoke or customised software",
    BUY,
    "A current contract fixes the scope and price (fixed scope and price, or bespoke "
    "development bought as a perpetual licence) of bespoke development or a product needing "
    "significant customisation (as recorded, or the work of a bespoke-development supplier "
    "where what is bought is not recorded).",
)
def _fixed_scope_bespoke(facts: Facts) -> Iterator[Raised]:
    for c in facts.live:
        work = _built_work(facts, c)
        if work is None or not _fixed_scope(c, work):
            continue
        kind = (
            "bespoke software development"
            if work is PurchaseKind.BESPOKE_DEVELOPMENT
            else "a product that needs significant customisation"
        )
        notes = []
        if c.contract_type is not ContractType.FIXED_SCOPE_FIXED_PRICE:
            notes.append(f"recorded as '{c.contract_type.label}'")
        if c.what_is_bought is not work:
            # Judged from the supplier, not recorded of the contract: said so.
            notes.append(
                f"what it buys is not recorded; {facts.name} is recorded as a "
                "bespoke-development supplier"
            )
        label = f" ({'; '.join(notes)})" if notes else ""
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} fixes the scope and price of {kind}{label}. Good digital "
                "services are built iteratively; a fixed scope turns every change needed to "
                "make the service fit for purpose into a costly change request."
            ),
            board=(
                f"Our fixed-scope contract with {facts.name} for {quoted(c.title)} is {kind}: "
                "how are change requests priced and controlled?"
            ),
        )


_COMMODITY_CATEGORIES = frozenset({SupplyCategory.CLOUD_HOSTING, SupplyCategory.DEVICES})
_NOT_COMMODITY = BUILT | {PurchaseKind.STAFF_AUGMENTATION}
_PAY_AS_USED = frozenset(
    {
        ContractType.PAY_AS_YOU_GO,
        ContractType.TIME_AND_MATERIALS,
        ContractType.CAPPED_TIME_AND_MATERIALS,
    }
)
"""Contract types that commit the trust to no fixed spend."""
_TERM_SLACK = 0.05
"""Years a term may fall short of the long-term threshold and still count (a 3-year term
ending the day before its third anniversary is 2.998 years)."""


def _commodity_kind(facts: Facts, c: Contract) -> str | None:
    """What commodity technology a contract buys, as a phrase (None: not commodity)."""
    category = facts.supplier.category
    if c.what_is_bought is PurchaseKind.COMMODITY or (
        category in _COMMODITY_CATEGORIES and c.what_is_bought not in _NOT_COMMODITY
    ):
        if (
            category is SupplyCategory.CLOUD_HOSTING
            or c.contract_type is ContractType.COMMITTED_CLOUD_SPEND
        ):
            return "cloud services"
        if category is SupplyCategory.DEVICES:
            return "devices"
        return "commodity technology"
    return None


_FALLING = {
    "cloud services": "the cost of cloud computing falls year on year",
    "devices": "device prices fall and models change every year or two",
    "commodity technology": "commodity technology gets cheaper and better every year",
}


@rule(
    "rule.committed_cloud_spend",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Multi-year fixed commitment for commodity technology",
    BUY,
    "A current contract commits the trust to cloud spend over more than a year, or, whatever "
    "its contract type, fixes spend on commodity technology (cloud, devices, anything bought "
    "as commodity) for the long-term threshold (3 years) or more with no break clause. A term "
    "whose length is not recorded is a data gap.",
)
def _committed_cloud_spend(facts: Facts) -> Iterator[Raised]:
    long_term = facts.config.long_term_years
    hits: list[tuple[Contract, float, str]] = []
    for c in facts.live:
        if c.contract_type is ContractType.COMMITTED_CLOUD_SPEND:
            years = term_years(c)
            if years is None:
                # A commitment of unrecorded length: how long is unknown, not "several years".
                yield Raised(
                    factor=unknown(facts),
                    contract=c.title,
                    explanation=(
                        f"{quoted(c.title)} commits the trust to cloud spend, but the register "
                        "does not record its start and end dates, so we cannot tell whether it "
                        "is for more than a year."
                    ),
                    gap=f"how many years of cloud spend {quoted(c.title)} commits the trust to "
                    "(its start and end dates)",
                )
            elif years > 1.01:
                hits.append((c, years, "cloud services"))
            continue
        if c.contract_type in _PAY_AS_USED:
            continue
        kind = _commodity_kind(facts, c)
        if kind is None:
            continue
        years = term_years(c)
        if years is None:
            if c.end_date is None:
                continue  # no end: rolling, not a fixed term
            yield Raised(
                factor=unknown(facts),
                contract=c.title,
                explanation=(
                    f"The register does not record when {quoted(c.title)} started, so we "
                    f"cannot tell how many years of spend on {kind} it fixes."
                ),
                gap=f"how many years of spend {quoted(c.title)} fixes (its start date)",
            )
            continue
        if years < long_term - _TERM_SLACK or c.break_clause is True:
            continue
        if c.break_clause is None:
            if years <= long_term:  # beyond it, rule.no_break_clause asks already
                yield Raised(
                    factor=unknown(facts),
                    contract=c.title,
                    explanation=(
                        f"It is not recorded whether {quoted(c.title)}, "
                        f"{years_phrase(years)} of {kind}, can be left early."
                    ),
                    gap=f"whether {quoted(c.title)} ({kind}) has a break clause",
                )
            continue
        hits.append((c, years, kind))
    if not hits:
        return
    kinds = list(dict.fromkeys(kind for _, _, kind in hits))
    spend = "cloud spend" if kinds == ["cloud services"] else f"spend on {' and '.join(kinds)}"
    falling = (
        "cloud prices fall each year" if kinds == ["cloud services"] else "technology gets cheaper"
    )
    board = (
        f"{our_contracts(facts, [c for c, _, _ in hits], 'commits', 'commit')} us to multi-year "
        f"{spend} while {falling}: what would a shorter or pay-as-you-go arrangement save?"
    )
    for c, years, kind in hits:
        span = f"for {years_phrase(years)}"
        if c.contract_type is ContractType.COMMITTED_CLOUD_SPEND:
            what = f"commits the trust to cloud spend {span}"
        else:
            what = (
                f"fixes the trust's spend on {kind} {span} with no break clause (recorded as "
                f"'{c.contract_type.label}')"
            )
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} {what}. {_FALLING[kind].capitalize()}, so a fixed "
                "multi-year commitment is probably a bad deal."
            ),
            board=board,
        )


_UNCOMPETED = {
    Competition.FRAMEWORK_DIRECT_AWARD: "called off a framework without further competition",
    Competition.NO_COMPETITION: "awarded without competition (a single tender or waiver)",
}


@rule(
    "rule.no_further_competition",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Not competed",
    BUY,
    "A current contract (other than commodity technology) of a strategic or high-criticality "
    "supplier was called off a framework without further competition, or awarded without "
    "competition (a single tender; one whose route is recorded as a direct award is "
    "rule.direct_award's). A framework call-off whose competition is not recorded is a data gap.",
)
def _no_further_competition(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.criticality not in MAJOR:
        return
    hits: list[Contract] = []
    for c in facts.live:
        if c.what_is_bought is PurchaseKind.COMMODITY:
            continue
        if c.competition in _UNCOMPETED:
            if c.procurement_route is ProcurementRoute.DIRECT_AWARD:
                continue  # rule.direct_award says so already, whichever competition is recorded
            hits.append(c)
        elif (
            c.competition is Competition.UNKNOWN
            and c.procurement_route is ProcurementRoute.FRAMEWORK
        ):
            yield Raised(
                factor=unknown(facts),
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} was bought through a framework, but the register does "
                    "not record whether it was competed again among the framework's suppliers "
                    "or awarded directly."
                ),
                gap=f"whether {quoted(c.title)} was competed or called off directly",
            )
    if not hits:
        return
    board = (
        f"{our_contracts(facts, hits, 'was', 'were')} not competed: did we test the market, "
        "including SMEs, before committing, and will we compete the next one?"
    )
    for c in hits:
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)}, with a {crit(facts.supplier)} supplier, was "
                f"{_UNCOMPETED[c.competition]}. Without competition the trust cannot show it "
                "bought the right thing at the right price, and risks missing skilled SMEs and "
                "more modern, lower-cost technology."
            ),
            board=board,
        )


@rule(
    "rule.lifetime_cost_missing",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Whole-life cost not recorded",
    OWEN_WILLIAMS,
    "A current contract of a strategic or high-criticality supplier has no whole-life cost.",
)
def _lifetime_cost_missing(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.criticality not in MAJOR:
        return
    for c in facts.live:
        if c.lifetime_cost is None:
            yield Raised(
                factor=unknown(facts),
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} has no whole-life cost recorded. For a "
                    f"{crit(facts.supplier)} supplier the board needs lifetime costs, including "
                    "later licensing and development, not just the price today."
                ),
                gap=f"the whole-life cost of {quoted(c.title)}",
            )


@rule(
    "rule.contract_terms_unknown",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "What is bought, or how, not recorded",
    BUY,
    "A current contract does not record what kind of thing is bought or how it is priced.",
)
def _contract_terms_unknown(facts: Facts) -> Iterator[Raised]:
    return unrecorded_gaps(
        facts,
        facts.live,
        lambda c: (
            (c.what_is_bought is PurchaseKind.UNKNOWN, "what is bought"),
            (c.contract_type is ContractType.UNKNOWN, "how it is priced"),
        ),
        explanation=(
            "The register does not record {what} under {title}, so we cannot check that the "
            "contract type fits what the trust is buying."
        ),
        gap="{what} under {title}",
    )


@rule(
    "rule.no_contract",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "No contract on record",
    BUY,
    "The supplier has no contract recorded at all.",
)
def _no_contract(facts: Facts) -> Iterator[Raised]:
    if not facts.live and not facts.ended:
        yield Raised(
            factor=unknown(facts),
            explanation=(
                f"No contract with {facts.name} is recorded, so its terms (notice, exit, data "
                "ownership, cost) cannot be checked."
            ),
            gap=f"what contract we hold with {facts.name}",
        )
