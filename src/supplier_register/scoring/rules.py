"""Rules that read risk from the records themselves, not from questionnaire answers.

Each rule has a stable code (``rule.<name>``), feeds one dimension and one of
the three key questions, cites the principle-6 passage behind it, and yields
:class:`Raised` items: a severity factor (share of the rule's configured
weight), a plain-English explanation and either a concrete board question or,
when the problem is something unknown, the phrase naming what is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from supplier_register.domain.bounds import add_days
from supplier_register.domain.enums import (
    ContractType,
    Criticality,
    CyberEssentials,
    DsptStatus,
    IpOwner,
    ProcurementRoute,
    PurchaseKind,
    Role,
    SupplyCategory,
)
from supplier_register.domain.models import Contract, Person, Supplier
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.context import ScoringContext, key
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.text import (
    add_months,
    criticality_phrase,
    join_and,
    join_some,
    long_date,
    plural,
    quoted,
    role_phrase,
)

# Principle-6 passages (also used by the question bank and the traceability document).
INTRO = "Introduction to principle 6"
BUY = "Buy the right things, in the right way"
EXPERTS = "Bring together digital and commercial experts"
MAGIC = "Beware of magic, turn-key solutions"
OPTIONS = "Keep your options open"
KEY_QUESTIONS = "Key questions for boards"
OWEN_WILLIAMS = "Case study: Owen Williams (Northern Care Alliance)"
SUE_JACQUES = "Case study: Sue Jacques (County Durham and Darlington)"
GURPRIT_PANNU = "Case study: Dr Gurprit Pannu (Sussex Partnership)"
ANDY_CARRUTHERS = "Case study: Andy Carruthers (University Hospitals of Leicester)"
CAROLINE_CLARKE = "Case study: Caroline Clarke (Royal Free)"
JOHN_BYRNE = "Pull-quote: Dr John Byrne (Humber Teaching)"

REFERENCES = (
    INTRO,
    BUY,
    EXPERTS,
    MAGIC,
    OPTIONS,
    KEY_QUESTIONS,
    OWEN_WILLIAMS,
    SUE_JACQUES,
    GURPRIT_PANNU,
    ANDY_CARRUTHERS,
    CAROLINE_CLARKE,
    JOHN_BYRNE,
)
"""Every principle-6 passage a finding may cite."""

MATERIAL = frozenset({Criticality.STRATEGIC, Criticality.HIGH, Criticality.MEDIUM})
MAJOR = frozenset({Criticality.STRATEGIC, Criticality.HIGH})
BUILT = frozenset({PurchaseKind.BESPOKE_DEVELOPMENT, PurchaseKind.CUSTOMISED_PRODUCT})

ROLE_PHRASE = {
    Role.CHIEF_EXECUTIVE: "the chief executive",
    Role.CIO_CDO: "the CIO or chief digital officer",
    Role.CCIO_CNIO: "the CCIO or CNIO",
    Role.SENIOR_MANAGER: "a senior manager",
    Role.COMMERCIAL_LEAD: "a commercial lead",
    Role.OTHER: "a named person",
}


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


def _unknown(facts: Facts) -> float:
    return facts.config.answer_factors.unknown


def _partly(facts: Facts) -> float:
    return facts.config.answer_factors.partly


def _titles(contracts: Sequence[Contract]) -> str:
    return join_some([quoted(c.title) for c in contracts])


def _crit(supplier: Supplier) -> str:
    return criticality_phrase(supplier.criticality)


def _term_years(contract: Contract) -> float | None:
    if contract.start_date is None or contract.end_date is None:
        return None
    return (contract.end_date - contract.start_date).days / 365.25


def _years_text(years: float) -> str:
    whole = round(years)
    return str(whole) if abs(years - whole) < 0.1 else f"{years:.1f}"


def _exit_timing(contract: Contract) -> str:
    notice = (
        f"{plural(contract.notice_period_days, 'day')}' notice"
        if contract.notice_period_days is not None
        else "notice period not recorded"
    )
    migration = (
        f"{plural(contract.migration_lead_time_days, 'day')} to move to another supplier"
        if contract.migration_lead_time_days is not None
        else "migration lead time not recorded"
    )
    assert contract.end_date is not None
    return f"term ends {long_date(contract.end_date)}; {notice}; {migration}"


# --- Buying the right thing, the right way -------------------------------------------------


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
        years = _term_years(c)
        if years is None or years > 1.01:
            hits.append((c, years))
    if not hits:
        return
    board = (
        f"Our contract{'s' if len(hits) > 1 else ''} with {facts.name} for "
        f"{_titles([c for c, _ in hits])} commit{'' if len(hits) > 1 else 's'} us to multi-year "
        "cloud spend while cloud prices fall each year: what would a shorter or pay-as-you-go "
        "arrangement save?"
    )
    for c, years in hits:
        span = f"for {_years_text(years)} years" if years is not None else "over several years"
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
                factor=_unknown(facts),
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} has no whole-life cost recorded. For a "
                    f"{_crit(facts.supplier)} supplier the board needs lifetime costs, including "
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
    for c in facts.live:
        missing = []
        if c.what_is_bought is PurchaseKind.UNKNOWN:
            missing.append("what is bought")
        if c.contract_type is ContractType.UNKNOWN:
            missing.append("how it is priced")
        if not missing:
            continue
        what = join_and(missing)
        yield Raised(
            factor=_unknown(facts),
            contract=c.title,
            explanation=(
                f"The register does not record {what} under {quoted(c.title)}, so we cannot check "
                "that the contract type fits what the trust is buying."
            ),
            gap=f"{what} under {quoted(c.title)}",
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
            factor=_unknown(facts),
            explanation=(
                f"No contract with {facts.name} is recorded, so its terms (notice, exit, data "
                "ownership, cost) cannot be checked."
            ),
            gap=f"what contract we hold with {facts.name}",
        )


# --- Expertise -----------------------------------------------------------------------------


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
        f"Our contract{'s' if len(hits) > 1 else ''} with {facts.name} for {_titles(hits)} "
        f"{'were' if len(hits) > 1 else 'was'} directly awarded: which alternatives, including "
        "SMEs and suppliers outside the NHS, did we consider?"
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


# --- Keeping options open -------------------------------------------------------------------


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
        f"Our contract{'s' if many else ''} with {facts.name} for {_titles(hits)} "
        f"renew{'' if many else 's'} automatically: who decides before "
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
            f"{facts.name} holds {count} of our current contracts ({_titles(facts.live)})"
            f"{clinical}. Depending on one supplier for several critical services limits "
            "leverage, control and flexibility, and one failure would hit them all."
        ),
        board=(
            f"{facts.name} holds {count} of our contracts ({_titles(facts.live)}){clinical}: "
            "what would happen to these services if the relationship went wrong?"
        ),
    )


@rule(
    "rule.no_data_ownership",
    Dimension.OPTIONS,
    KeyQuestion.CONTRACTING,
    "Contract does not say the trust owns its data",
    OPTIONS,
    "A current contract for anything but commodity technology or staff does not say (or is not "
    "known to say) that the trust owns its data.",
)
def _no_data_ownership(facts: Facts) -> Iterator[Raised]:
    relevant = [
        c
        for c in facts.live
        if c.what_is_bought not in (PurchaseKind.COMMODITY, PurchaseKind.STAFF_AUGMENTATION)
    ]
    hits = [c for c in relevant if c.data_ownership_clause is False]
    many = len(hits) > 1
    board = ""
    if hits:
        board = (
            f"Our contract{'s' if many else ''} with {facts.name} for {_titles(hits)} "
            f"{'do' if many else 'does'} not say we own our data: how do we guarantee we can get it "
            "out?"
        )
    for c in relevant:
        if c.data_ownership_clause is False:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} does not say the trust owns its data, so getting it out "
                    "in full, in a usable form, depends on the supplier's goodwill."
                ),
                board=board,
            )
        elif c.data_ownership_clause is None:
            yield Raised(
                factor=_unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded whether {quoted(c.title)} says the trust owns its data."
                ),
                gap=f"whether {quoted(c.title)} says the trust owns its data",
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
                    f"{facts.name} owns what it has built for us under {_titles(owned)}: what "
                    "would it cost to take that work to another supplier?"
                ),
            )
        elif c.ip_owner is IpOwner.SHARED:
            yield Raised(
                factor=_partly(facts),
                contract=c.title,
                explanation=(
                    f"The intellectual property in customisations under {quoted(c.title)} is "
                    f"shared with {facts.name}; the trust may not be free to reuse it elsewhere."
                ),
                board=(
                    f"We share the IP in what {facts.name} built for us under {_titles(shared)}: "
                    "could we reuse it with another supplier?"
                ),
            )
        elif c.ip_owner is IpOwner.UNKNOWN:
            yield Raised(
                factor=_unknown(facts),
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
        years = _term_years(c)
        if years is None or years <= facts.config.long_term_years or c.break_clause is True:
            continue
        span = f"{_years_text(years)}-year"
        if c.break_clause is False:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} runs for {_years_text(years)} years with no break clause, "
                    "so the trust cannot leave early if the relationship goes wrong."
                ),
                board=(
                    f"Our {span} contract with {facts.name} for {quoted(c.title)} has no break "
                    "clause: how would we leave early if we had to?"
                ),
            )
        else:
            yield Raised(
                factor=_unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded whether {quoted(c.title)}, a {span} contract, has a "
                    "break clause."
                ),
                gap=f"whether {quoted(c.title)} ({span} term) has a break clause",
            )


# --- If it goes wrong ---------------------------------------------------------------------


@rule(
    "rule.decide_by_passed",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Decide-by date has passed",
    KEY_QUESTIONS,
    "The decide-by date of a current contract (end date minus notice period minus migration "
    "lead time) has already passed.",
)
def _decide_by_passed(facts: Facts) -> Iterator[Raised]:
    for c in facts.live:
        decide_by = c.decide_by()
        if decide_by is None or decide_by >= facts.today:
            continue
        assert c.end_date is not None
        renews = " (it will renew automatically)" if c.auto_renewal else ""
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"The last day to decide whether to renew or leave {quoted(c.title)} was "
                f"{long_date(decide_by)} ({_exit_timing(c)}). There is no longer time to leave "
                f"in an orderly way: the trust must renew{renews} or accept a rushed exit."
            ),
            board=(
                f"The date to decide whether to renew or leave our contract with {facts.name} for "
                f"{quoted(c.title)} passed on {long_date(decide_by)}, and the term ends on "
                f"{long_date(c.end_date)}: what is our plan?"
            ),
        )


@rule(
    "rule.decide_by_soon",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Decide-by date within two quarters",
    KEY_QUESTIONS,
    "The decide-by date of a current contract falls within the next two quarters (182 days).",
)
def _decide_by_soon(facts: Facts) -> Iterator[Raised]:
    horizon = add_days(facts.today, facts.config.decide_by_horizon_days)
    for c in facts.live:
        decide_by = c.decide_by()
        if decide_by is None or not facts.today <= decide_by <= horizon:
            continue
        days = (decide_by - facts.today).days
        when = "today" if days == 0 else f"in {plural(days, 'day')}"
        yield Raised(
            factor=1.0,
            contract=c.title,
            explanation=(
                f"The trust must decide whether to renew or leave {quoted(c.title)} by "
                f"{long_date(decide_by)}, {when} ({_exit_timing(c)}). After that there is not "
                "enough time to give notice and move to another supplier."
            ),
            board=(
                f"We must decide by {long_date(decide_by)} whether to renew or leave our contract "
                f"with {facts.name} for {quoted(c.title)}: is the options appraisal under way, "
                "and who leads it?"
            ),
        )


@rule(
    "rule.term_ended",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Recorded term has ended",
    KEY_QUESTIONS,
    "A contract's recorded term has ended and either it renews automatically or the supplier "
    "has no current contract on record.",
)
def _term_ended(facts: Facts) -> Iterator[Raised]:
    for c in facts.ended:
        if not c.auto_renewal and facts.live:
            continue  # an old contract kept as history beside a current one
        assert c.end_date is not None
        ended = long_date(c.end_date)
        if c.auto_renewal:
            explanation = (
                f"The recorded term of {quoted(c.title)} ended on {ended} and it renews "
                "automatically, so it has probably rolled over on terms nobody has reviewed; the "
                "register needs the new end date."
            )
        else:
            explanation = (
                f"The recorded term of {quoted(c.title)} ended on {ended} and no current contract "
                f"with {facts.name} is on record: either the service continues without a "
                "contract or the register is out of date."
            )
        yield Raised(
            factor=_unknown(facts),
            contract=c.title,
            explanation=explanation,
            gap=f"whether {quoted(c.title)} (term ended {ended}) was renewed, replaced or lapsed",
        )


@rule(
    "rule.exit_dates_unknown",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Cannot work out the decide-by date",
    KEY_QUESTIONS,
    "A current contract for anything but commodity technology lacks an end date, notice period "
    "or migration lead time, so its decide-by date cannot be worked out.",
)
def _exit_dates_unknown(facts: Facts) -> Iterator[Raised]:
    for c in facts.live:
        if c.what_is_bought is PurchaseKind.COMMODITY:
            continue
        missing = []
        if c.end_date is None:
            missing.append("end date")
        if c.notice_period_days is None:
            missing.append("notice period")
        if c.migration_lead_time_days is None:
            missing.append("migration lead time")
        if not missing:
            continue
        what = join_and(missing)
        yield Raised(
            factor=_unknown(facts),
            contract=c.title,
            explanation=(
                f"The register does not record the {what} of {quoted(c.title)}, so we cannot tell "
                "when the trust must decide whether to renew or leave."
            ),
            gap=f"the {what} of {quoted(c.title)}",
        )


@rule(
    "rule.no_exit_assistance",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "No duty to help the trust leave",
    KEY_QUESTIONS,
    "A current contract (not commodity) of a supplier of medium criticality or above does not "
    "oblige (or is not known to oblige) the supplier to help the trust leave.",
)
def _no_exit_assistance(facts: Facts) -> Iterator[Raised]:
    if facts.supplier.criticality not in MATERIAL:
        return
    relevant = [c for c in facts.live if c.what_is_bought is not PurchaseKind.COMMODITY]
    hits = [c for c in relevant if c.exit_assistance_clause is False]
    many = len(hits) > 1
    board = ""
    if hits:
        board = (
            f"Our contract{'s' if many else ''} with {facts.name} for {_titles(hits)} "
            f"{'do' if many else 'does'} not require {facts.name} to help us leave: how would we move "
            "the service and our data?"
        )
    for c in relevant:
        if c.exit_assistance_clause is False:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"{quoted(c.title)} does not oblige {facts.name} to help the trust move to "
                    "another supplier, so an exit would depend on the supplier's goodwill."
                ),
                board=board,
            )
        elif c.exit_assistance_clause is None:
            yield Raised(
                factor=_unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded whether {quoted(c.title)} obliges {facts.name} to help "
                    "the trust leave."
                ),
                gap=f"whether {quoted(c.title)} obliges the supplier to help us leave",
            )


@rule(
    "rule.payments_not_leveraged",
    Dimension.EXIT,
    KeyQuestion.CONTRACTING,
    "Payments not tied to milestones",
    GURPRIT_PANNU,
    "Payments under a current contract for bespoke or customised work are not (or not known to "
    "be) tied to milestones.",
)
def _payments_not_leveraged(facts: Facts) -> Iterator[Raised]:
    built = [c for c in facts.live if c.what_is_bought in BUILT]
    hits = [c for c in built if c.milestone_payments is False]
    board = ""
    if hits:
        board = (
            f"Payments to {facts.name} under {_titles(hits)} are not tied to delivery milestones: "
            "what leverage do we have if delivery slips?"
        )
    for c in built:
        if c.milestone_payments is False:
            yield Raised(
                factor=1.0,
                contract=c.title,
                explanation=(
                    f"Payments under {quoted(c.title)} are not tied to milestones. Payment "
                    "schedules are one of the trust's main levers if delivery slips."
                ),
                board=board,
            )
        elif c.milestone_payments is None:
            yield Raised(
                factor=_unknown(facts),
                contract=c.title,
                explanation=(
                    f"It is not recorded whether payments under {quoted(c.title)} are tied to "
                    "milestones."
                ),
                gap=f"whether payments under {quoted(c.title)} are tied to milestones",
            )


@rule(
    "rule.clinical_safety_case",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Clinical system without a clinical safety case",
    GURPRIT_PANNU,
    "A supplier running clinical systems has no clinical safety case (DCB0129), or none is "
    "recorded.",
)
def _clinical_safety_case(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    if not supplier.runs_clinical_systems or supplier.clinical_safety_case is True:
        return
    if supplier.clinical_safety_case is False:
        yield Raised(
            factor=1.0,
            explanation=(
                f"{facts.name} runs clinical systems for us but has no clinical safety case "
                "(DCB0129). Patient safety is at stake if the relationship goes wrong, and the "
                "clinical safety imperative is leverage the trust should use."
            ),
            board=(
                f"{facts.name} runs clinical systems for us without a clinical safety case "
                "(DCB0129): when will it have one, and what are we doing meanwhile?"
            ),
        )
    else:
        yield Raised(
            factor=_unknown(facts),
            explanation=(
                f"{facts.name} runs clinical systems, but the register does not record whether it "
                "has a clinical safety case (DCB0129)."
            ),
            gap="whether the supplier has a clinical safety case (DCB0129)",
        )


@rule(
    "rule.dspt",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Data security standards not met",
    INTRO,
    "A supplier of medium criticality or above (other than devices) has not met, or not "
    "published, or has no recorded Data Security and Protection Toolkit status.",
)
def _dspt(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    if supplier.criticality not in MATERIAL or supplier.category is SupplyCategory.DEVICES:
        return
    status = supplier.dspt_status
    if status is DsptStatus.UNKNOWN:
        yield Raised(
            factor=_unknown(facts),
            explanation=(
                f"The register does not record {facts.name}'s Data Security and Protection "
                "Toolkit status."
            ),
            gap="the supplier's Data Security and Protection Toolkit status",
        )
        return
    factor = {
        DsptStatus.STANDARDS_NOT_MET: 1.0,
        DsptStatus.APPROACHING_STANDARDS: _partly(facts),
        DsptStatus.NOT_PUBLISHED: _partly(facts),
    }.get(status)
    if factor is None:
        return
    yield Raised(
        factor=factor,
        explanation=(
            f"{facts.name}'s latest Data Security and Protection Toolkit status is "
            f"'{status.label}'. A data-security failure at a supplier is one of the fastest ways "
            "a relationship goes wrong and threatens digital delivery."
        ),
        board=(
            f"{facts.name}'s Data Security and Protection Toolkit status is '{status.label}': what "
            "assurance do we have over our data and service?"
        ),
    )


@rule(
    "rule.cyber_essentials",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "No Cyber Essentials certification",
    INTRO,
    "A supplier of medium criticality or above has no Cyber Essentials certification, or none "
    "is recorded.",
)
def _cyber_essentials(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    if supplier.criticality not in MATERIAL:
        return
    if supplier.cyber_essentials is CyberEssentials.NONE:
        yield Raised(
            factor=1.0,
            explanation=(
                f"{facts.name} holds no Cyber Essentials certification, the baseline of cyber "
                "security the NHS expects of its suppliers."
            ),
            board=(
                f"{facts.name} has no Cyber Essentials certification: what cyber assurance do we "
                "hold, and what would a cyber incident there do to our services?"
            ),
        )
    elif supplier.cyber_essentials is CyberEssentials.UNKNOWN:
        yield Raised(
            factor=_unknown(facts),
            explanation=(
                f"The register does not record whether {facts.name} holds Cyber Essentials "
                "certification."
            ),
            gap="whether the supplier holds Cyber Essentials certification",
        )


# --- The relationship ---------------------------------------------------------------------


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
                f"{_crit(facts.supplier)} supplier?"
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
            factor=_unknown(facts),
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
            f"The relationship with {facts.name}, a {_crit(facts.supplier)} supplier, is held by "
            f"{person.name} ({role_phrase(person.role)}). Principle 6's case study has {needed} lead "
            "relationships of this importance."
        ),
        board=(
            f"{facts.name} is a {_crit(facts.supplier)} supplier, but its relationship is held "
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


@rule(
    "rule.review_overdue",
    Dimension.RELATIONSHIP,
    KeyQuestion.IF_WRONG,
    "Relationship review overdue",
    OPTIONS,
    "The last relationship review is older than the supplier's review cadence, or no review is "
    "recorded.",
)
def _review_overdue(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    months = supplier.effective_cadence_months
    cadence = f"every {plural(months, 'month')}"
    if supplier.last_review is None:
        yield Raised(
            factor=_unknown(facts),
            explanation=(
                f"No review of the relationship with {facts.name} is recorded; it should be "
                f"reviewed {cadence}. Supplier management does not end when the contract is "
                "signed."
            ),
            gap="when the relationship was last reviewed",
        )
        return
    due = add_months(supplier.last_review, months)
    if facts.today <= due:
        return
    missed_two = facts.today > add_months(due, months)
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


def rule_codes() -> list[str]:
    """Every rule code, in registry order."""
    return list(RULES)
