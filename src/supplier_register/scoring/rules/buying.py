"""Rules of the dimension "Buying the right thing, the right way"."""

from __future__ import annotations

from collections.abc import Iterator

from supplier_register.domain.enums import ContractType, PurchaseKind
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import (
    BUILT,
    MAJOR,
    crit,
    our_contracts,
    term_years,
    unknown,
    unrecorded_gaps,
    years_text,
)
from supplier_register.scoring.rules.passages import BUY, OWEN_WILLIAMS
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import quoted


@rule(
    "rule.fixed_scope_bespoke",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Fixed-scope contract for bespoke or customised software",
    BUY,
    "A current contract is fixed scope and fixed price for bespoke development or a product "
    "needing significant customisation.",
)
def _fixed_scope_bespoke(facts: Facts) -> Iterator[Raised]:
    for c in facts.live:
        if c.contract_type is ContractType.FIXED_SCOPE_FIXED_PRICE and c.what_is_bought in BUILT:
            kind = (
                "bespoke software development"
                if c.what_is_bought is PurchaseKind.BESPOKE_DEVELOPMENT
                else "a product that needs significant customisation"
            )
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} fixes the scope and price of {kind}. Good digital services "
                    "are built iteratively; a fixed scope turns every change needed to make the "
                    "service fit for purpose into a costly change request."
                ),
                board=(
                    f"Our fixed-scope contract with {facts.name} for {quoted(c.title)} is {kind}: "
                    "how are change requests priced and controlled?"
                ),
            )


@rule(
    "rule.committed_cloud_spend",
    Dimension.BUYING,
    KeyQuestion.CONTRACTING,
    "Committed multi-year cloud spend",
    BUY,
    "A current contract commits the trust to cloud spend over more than a year.",
)
def _committed_cloud_spend(facts: Facts) -> Iterator[Raised]:
    hits = []
    for c in facts.live:
        if c.contract_type is not ContractType.COMMITTED_CLOUD_SPEND:
            continue
        years = term_years(c)
        if years is None or years > 1.01:
            hits.append((c, years))
    if not hits:
        return
    board = (
        f"{our_contracts(facts, [c for c, _ in hits], 'commits', 'commit')} us to multi-year "
        "cloud spend while cloud prices fall each year: what would a shorter or pay-as-you-go "
        "arrangement save?"
    )
    for c, years in hits:
        span = f"for {years_text(years)} years" if years is not None else "over several years"
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} commits the trust to cloud spend {span}. The cost of cloud "
                "computing falls year on year, so a fixed multi-year commitment is probably a bad "
                "deal."
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
