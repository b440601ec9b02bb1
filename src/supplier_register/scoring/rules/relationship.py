"""Rules of the dimension "Managing the relationship": who owns it, at what level, how often it
is reviewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from supplier_register.domain.bounds import add_months
from supplier_register.domain.enums import Criticality, Role
from supplier_register.domain.models import Person, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.context import ScoringContext, key
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.common import crit, unknown
from supplier_register.scoring.rules.passages import ANDY_CARRUTHERS, OPTIONS
from supplier_register.scoring.rules.registry import Facts, Raised, SupplierDate, rule
from supplier_register.scoring.text import long_date, plural, role_phrase

ROLE_PHRASE = {
    Role.CHIEF_EXECUTIVE: "the chief executive",
    Role.CIO_CDO: "the CIO or chief digital officer",
    Role.CCIO_CNIO: "the CCIO or CNIO",
    Role.SENIOR_MANAGER: "a senior manager",
    Role.COMMERCIAL_LEAD: "a commercial lead",
    Role.OTHER: "a named person",
}


@rule(
    "rule.no_owner",
    Dimension.RELATIONSHIP,
    KeyQuestion.IF_WRONG,
    "No relationship owner",
    ANDY_CARRUTHERS,
    "Nobody is named as owner of the supplier relationship.",
)
def _no_owner(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.owner is None:
        yield Raised(
            factor=1.0,
            explanation=(
                f"Nobody in the trust is named as owner of the relationship with {facts.name}. "
                "Every supplier relationship needs a clear owner at a level that matches its "
                "importance, with clear roles on both sides."
            ),
            board=(
                f"Who in the trust owns our relationship with {facts.name}, a "
                f"{crit(facts.supplier)} supplier?"
            ),
        )


def required_owner_role(supplier: Supplier, config: ScoringConfig, context: ScoringContext) -> Role:
    """The most junior role that should own this relationship.

    Strategic suppliers need the chief executive only when they are among the
    top few (``config.ceo_relationships``); the rest need the level set for
    high-criticality suppliers.
    """
    required = config.owner_min_role[supplier.criticality]
    if (
        supplier.criticality is Criticality.STRATEGIC
        and context.ceo_tier is not None
        and key(supplier.name) not in context.ceo_tier
    ):
        fallback = config.owner_min_role[Criticality.HIGH]
        if fallback.seniority < required.seniority:
            return fallback
    return required


@rule(
    "rule.owner_too_junior",
    Dimension.RELATIONSHIP,
    KeyQuestion.IF_WRONG,
    "Owner below the level the supplier needs",
    ANDY_CARRUTHERS,
    "The relationship owner is more junior than the supplier's criticality needs (chief "
    "executive for the top strategic suppliers, CIO level for high, senior team for the rest), "
    "or is not in the people list.",
)
def _owner_too_junior(facts: Facts) -> Iterator[Raised]:
    owner = facts.supplier.owner
    if owner is None:
        return
    person: Person | None = facts.context.person(owner)
    if person is None:
        yield Raised(
            factor=unknown(facts),
            explanation=(
                f"The owner of the relationship, {owner}, is not in the register's list of "
                "people, so we cannot check they are senior enough."
            ),
            gap=f"the role of {owner}, who owns the relationship",
        )
        return
    required = required_owner_role(facts.supplier, facts.config, facts.context)
    if person.role.seniority >= required.seniority:
        return
    needed = ROLE_PHRASE[required]
    yield Raised(
        factor=1.0,
        explanation=(
            f"The relationship with {facts.name}, a {crit(facts.supplier)} supplier, is held by "
            f"{person.name} ({role_phrase(person.role)}). Principle 6's case study has {needed} lead "
            "relationships of this importance."
        ),
        board=(
            f"{facts.name} is a {crit(facts.supplier)} supplier, but its relationship is held "
            f"by {person.name} ({role_phrase(person.role)}): should {needed} lead it?"
        ),
    )


@rule(
    "rule.ceo_span",
    Dimension.RELATIONSHIP,
    KeyQuestion.IF_WRONG,
    "Chief executive holds too many relationships",
    ANDY_CARRUTHERS,
    "The chief executive owns more relationships than the top few (3) and this supplier is not "
    "among the most important of them.",
)
def _ceo_span(facts: Facts) -> Iterator[Raised]:
    owned = facts.context.ceo_owned
    limit = facts.config.ceo_relationships
    if owned is None or len(owned) <= limit:
        return
    rank = facts.context.ceo_rank.get(key(facts.name))
    if rank is None or rank < limit:
        return
    yield Raised(
        factor=1.0,
        explanation=(
            f"The chief executive holds {len(owned)} supplier relationships. The case study has "
            f"the chief executive lead only the top two or three; {facts.name} is not among the "
            f"{limit} most important, so the CIO could hold it and free the chief executive's "
            "time for those that are."
        ),
        board=(
            f"The chief executive leads {len(owned)} supplier relationships, including "
            f"{facts.name}: should the CIO hold this one?"
        ),
    )


def _cadence_after(day: dt.date, supplier: Supplier) -> dt.date:
    """When a review falls due: one review cadence after ``day``."""
    return add_months(day, supplier.effective_cadence_months)


def _review_due(supplier: Supplier) -> dt.date | None:
    """When the next review falls due (None: no review recorded)."""
    last = supplier.last_review
    return None if last is None else _cadence_after(last, supplier)


def _second_review_due(supplier: Supplier) -> dt.date | None:
    """When the review after that falls due: a cadence later still."""
    due = _review_due(supplier)
    return None if due is None else _cadence_after(due, supplier)


@rule(
    "rule.review_overdue",
    Dimension.RELATIONSHIP,
    KeyQuestion.IF_WRONG,
    "Relationship review overdue",
    OPTIONS,
    "The last relationship review is older than the supplier's review cadence, or no review is "
    "recorded.",
    changes=[
        SupplierDate(_review_due, 1, "the review is overdue the day after it falls due"),
        SupplierDate(_second_review_due, 1, "and counts in full once a second is missed"),
    ],
)
def _review_overdue(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    months = supplier.effective_cadence_months
    cadence = f"every {plural(months, 'month')}"
    if supplier.last_review is None:
        yield Raised(
            factor=unknown(facts),
            explanation=(
                f"No review of the relationship with {facts.name} is recorded; it should be "
                f"reviewed {cadence}. Supplier management does not end when the contract is "
                "signed."
            ),
            gap="when the relationship was last reviewed",
        )
        return
    due = _cadence_after(supplier.last_review, supplier)
    if facts.today <= due:
        return
    missed_two = facts.today > _cadence_after(due, supplier)
    late = plural((facts.today - due).days, "day")
    yield Raised(
        factor=1.0 if missed_two else 0.6,
        explanation=(
            f"The last review of {facts.name} was on {long_date(supplier.last_review)}; reviewed "
            f"{cadence}, the next was due on {long_date(due)}, {late} ago. Supplier management "
            "needs ongoing effort after the contract is signed."
        ),
        board=(
            f"Our last review of {facts.name} was on {long_date(supplier.last_review)} and the "
            f"next was due on {long_date(due)}: when will it happen, and who leads it?"
        ),
    )
