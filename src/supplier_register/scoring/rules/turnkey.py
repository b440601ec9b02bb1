"""Rules of the dimension "'Magic' turn-key claims": an 'off-the-shelf' product that the records
show needs significant customisation."""

from __future__ import annotations

from collections.abc import Iterator

from supplier_register.domain.enums import AnswerValue, PurchaseKind
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import BUILT, titles
from supplier_register.scoring.rules.passages import MAGIC
from supplier_register.scoring.rules.registry import Facts, Raised, rule
from supplier_register.scoring.text import quoted

_OFF_THE_SHELF = frozenset({PurchaseKind.CONFIGURABLE_PRODUCT, PurchaseKind.COMMODITY})
CUSTOMISATION_QUESTION = "turnkey.customisation_known"
"""The questionnaire's own check of the same thing: when its answer already raises it (no or
partly), the rule stays quiet rather than tell the board twice."""
_RAISED_BY_ANSWER = frozenset({AnswerValue.NO, AnswerValue.PARTLY})


@rule(
    "rule.fake_off_the_shelf",
    Dimension.TURNKEY,
    KeyQuestion.SKILLS,
    "'Off-the-shelf' product that needs customising",
    MAGIC,
    "A current contract buys a product off the shelf (configurable product or commodity) while "
    "another current contract with the same supplier buys bespoke development or customisation.",
)
def _fake_off_the_shelf(facts: Facts) -> Iterator[Raised]:
    products = [c for c in facts.live if c.what_is_bought in _OFF_THE_SHELF]
    if not products:
        return
    answered = facts.answers.get(CUSTOMISATION_QUESTION)
    if answered is not None and answered.answer in _RAISED_BY_ANSWER:
        return
    built = [c for c in facts.live if c.what_is_bought in BUILT]
    if not built:
        return
    work = (
        "bespoke development"
        if all(c.what_is_bought is PurchaseKind.BESPOKE_DEVELOPMENT for c in built)
        else "customisation"
    )
    board = (
        f"We buy {titles(products)} from {facts.name} as off the shelf, yet also pay it for "
        f"{work} under {titles(built)}: how much does the product really need changing, and "
        "what does that cost us?"
    )
    for c in products:
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"{quoted(c.title)} is bought as an off-the-shelf product, yet {facts.name} is "
                f"also paid for {work} under {titles(built)}. Principle 6 warns that many "
                "'off the shelf' systems in practice need a significant amount of "
                "customisation, and that such a 'fake' off-the-shelf system can be the worst of "
                "both worlds."
            ),
            board=board,
        )
