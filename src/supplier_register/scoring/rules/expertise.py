"""Rules of the dimension "Digital and commercial expertise"."""

from __future__ import annotations

from collections.abc import Iterator

from supplier_register.domain.enums import ProcurementRoute, PurchaseKind
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import MAJOR, our_contracts
from supplier_register.scoring.rules.passages import EXPERTS
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import quoted


@rule(
    "rule.direct_award",
    Dimension.EXPERTISE,
    KeyQuestion.SKILLS,
    "Directly awarded without competition",
    EXPERTS,
    "A current contract of a strategic or high-criticality supplier (other than commodity "
    "technology) was directly awarded.",
)
def _direct_award(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.criticality not in MAJOR:
        return
    hits = [
        c
        for c in facts.live
        if c.procurement_route is ProcurementRoute.DIRECT_AWARD
        and c.what_is_bought is not PurchaseKind.COMMODITY
    ]
    if not hits:
        return
    board = (
        f"{our_contracts(facts, hits, 'was', 'were')} directly awarded: which alternatives, "
        "including SMEs and suppliers outside the NHS, did we consider?"
    )
    for c in hits:
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} was awarded directly, without competition. Considering only "
                "the usual suppliers risks missing skilled SMEs and more modern, lower-cost "
                "technology used outside the NHS."
            ),
            board=board,
        )
