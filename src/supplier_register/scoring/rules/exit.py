"""Rules of the dimension "If the relationship goes wrong": leaving in time, and what protects
the trust meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from supplier_register.domain.assurance import (
    CERTIFIED,
    DSPT_HELD,
    clinical_risk_assessment_due,
    clinical_safety_case_due,
    cyber_essentials_due,
    cyber_essentials_name,
    dpia_due,
    dspt_due,
    dtac_due,
    latest_dspt_due,
    pen_test_due,
)
from supplier_register.domain.bounds import add_days
from supplier_register.domain.enums import CyberEssentials, DsptStatus, PurchaseKind, SupplyCategory
from supplier_register.domain.models import Contract
from supplier_register.domain.terms import latest_possible_end
from supplier_register.scoring.results import Dimension, KeyQuestion
from supplier_register.scoring.rules.clauses import clause_rule
from supplier_register.scoring.rules.common import (
    BUILT,
    MATERIAL,
    our_contracts,
    partly,
    titles,
    unknown,
    unrecorded_gaps,
)
from supplier_register.scoring.rules.passages import GURPRIT_PANNU, INTRO, KEY_QUESTIONS
from supplier_register.scoring.rules.registry import (
    ContractDate,
    Facts,
    Raised,
    SupplierDate,
    rule,
)
from supplier_register.scoring.text import join_some, long_date, plural, quoted


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


_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def extensions_reach(contract: Contract) -> str | None:
    """What the contract's extension options could do, for a sentence: "the two 12-month
    extensions could run it to 31 March 2029" (None: none, or not recorded)."""
    count, months = contract.extension_count, contract.extension_months
    latest = latest_possible_end(contract)
    if not count or months is None or latest is None:
        return None
    number = _COUNT_WORDS[count] if count < len(_COUNT_WORDS) else str(count)
    options = "extension" if count == 1 else "extensions"
    return f"the {number} {months}-month {options} could run it to {long_date(latest)}"


def _reach_clause(contract: Contract) -> str:
    """'; the two 12-month extensions could run it to ...' (or nothing)."""
    reach = extensions_reach(contract)
    return "" if reach is None else f"; {reach}"


def _with_extensions(contract: Contract, lead: str = "") -> str:
    """' for the current term; the two 12-month extensions could run it to ...' (or nothing),
    after ``lead``."""
    reach = extensions_reach(contract)
    return "" if reach is None else f"{lead} for the current term; {reach}"


@rule(
    "rule.decide_by_passed",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Decide-by date has passed",
    KEY_QUESTIONS,
    "The decide-by date of a current contract (end date minus notice period minus migration "
    "lead time) has already passed.",
    changes=[ContractDate(Contract.decide_by, 1, "the decide-by date passes the day after it")],
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
                f"{long_date(decide_by)}{_with_extensions(c)} ({_exit_timing(c)}). There is no "
                f"longer time to leave in an orderly way: the trust must renew{renews}, "
                f"{'extend ' if extensions_reach(c) else ''}or accept a rushed exit."
            ),
            board=(
                f"The date to decide whether to renew or leave our contract with {facts.name} for "
                f"{quoted(c.title)} passed on {long_date(decide_by)}, and the term ends on "
                f"{long_date(c.end_date)}{_reach_clause(c)}: what is our plan?"
            ),
        )


@rule(
    "rule.decide_by_soon",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Decide-by date within two quarters",
    KEY_QUESTIONS,
    "The decide-by date of a current contract falls within the next two quarters (182 days).",
    changes=[
        ContractDate(
            Contract.decide_by,
            lambda config: -config.decide_by_horizon_days,
            "the decide-by date comes within the horizon",
        ),
        ContractDate(Contract.decide_by, 1, "the decide-by date is no longer ahead the day after"),
        ContractDate(
            Contract.decide_by,
            0,
            "the explanation says 'today' on the decide-by date itself",
            wording_only=True,
        ),
    ],
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
                f"{long_date(decide_by)}, {when}{_with_extensions(c, ',')} ({_exit_timing(c)}). "
                "After that there is not enough time to give notice and move to another supplier."
            ),
            board=(
                f"We must decide by {long_date(decide_by)} whether to renew or leave our contract "
                f"with {facts.name} for {quoted(c.title)}: is the options appraisal under way, "
                "and who leads it?"
                if extensions_reach(c) is None
                else f"We must decide whether to renew or leave our contract with {facts.name} "
                f"for {quoted(c.title)} by {long_date(decide_by)}{_with_extensions(c)}: is the "
                "options appraisal under way, and who leads it?"
            ),
        )


@rule(
    "rule.term_ended",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Recorded term has ended",
    KEY_QUESTIONS,
    "A contract's recorded term has ended and it renews automatically, so it has probably rolled "
    "over on terms the register does not record (a contract that has ended without renewing "
    "while the supplier has no current one is rule.ended_in_use).",
)
def _term_ended(facts: Facts) -> Iterator[Raised]:
    for c in facts.ended:
        if c.auto_renewal is not True:
            continue  # history beside a current contract, or rule.ended_in_use's business
        assert c.end_date is not None
        ended = long_date(c.end_date)
        yield Raised(
            factor=unknown(facts),
            contract=c.title,
            explanation=(
                f"The recorded term of {quoted(c.title)} ended on {ended} and it renews "
                "automatically, so it has probably rolled over on terms nobody has reviewed; the "
                "register needs the new end date."
            ),
            gap=f"whether {quoted(c.title)} (term ended {ended}) was renewed, replaced or lapsed",
        )


def _ended_services(facts: Facts, ended: Sequence[Contract]) -> tuple[list[str], list[str]]:
    """The services the ended contracts supported, each once (any case): the clinical ones
    (as the register records its services) and the others."""
    names: dict[str, str] = {}
    for c in ended:
        for name in c.services:
            names.setdefault(name.casefold(), name)
    clinical = [name for name in names.values() if facts.context.is_clinical(name)]
    others = [name for name in names.values() if not facts.context.is_clinical(name)]
    return clinical, others


_NOT_CLINICAL = 0.5
"""Share of rule.ended_in_use's weight when no clinical service or system is involved."""


@rule(
    "rule.ended_in_use",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Contract ended, service still in use",
    KEY_QUESTIONS,
    "The supplier is still in the register but its contracts have all ended (none renews "
    "automatically: that one would probably have rolled over) and no current contract is on "
    "record: the service runs without a contract. Severe when it supports a clinical service "
    "or runs clinical systems.",
)
def _ended_in_use(facts: Facts) -> Iterator[Raised]:
    if facts.live or not facts.ended:
        return  # a current contract (or none recorded at all: rule.no_contract)
    if any(c.auto_renewal is True for c in facts.ended):
        return  # one has probably rolled over: rule.term_ended asks for the new end date
    lapsed = facts.ended
    last = max(lapsed, key=lambda c: (c.end_date or dt.date.min, c.title))
    assert last.end_date is not None
    ended = long_date(last.end_date)
    clinical, others = _ended_services(facts, lapsed)
    clinical_systems = facts.supplier.runs_clinical_systems is True
    if clinical:
        what = (
            f"our clinical service {clinical[0]}"
            if len(clinical) == 1
            else f"our clinical services {join_some(clinical, 5)}"
        )
    elif others:
        what = (
            f"our service {others[0]}"
            if len(others) == 1
            else f"our services {join_some(others, 5)}"
        )
    elif clinical_systems:
        what = "clinical systems for us"
    else:
        what = "a service for us"
    is_clinical = bool(clinical) or clinical_systems
    risk = (
        "A clinical service running without a contract has no agreed service levels, no duty "
        "to help us leave and no protection for patient data: if the supplier stopped or "
        "changed its terms tomorrow, patient care would be at risk."
        if is_clinical
        else "A service running without a contract has no agreed terms to hold the supplier "
        "to, and the trust cannot plan an orderly exit."
    )
    yield Raised(
        factor=1.0 if is_clinical else _NOT_CLINICAL,
        contract=last.title,
        explanation=(
            f"The term of {quoted(last.title)} ended on {ended} and no current contract with "
            f"{facts.name} is on record, yet {facts.name} is still in the register and "
            f"supports {what}. {risk} If a new contract has been signed, the register needs it."
        ),
        board=(
            f"Our contract with {facts.name} for {quoted(last.title)} ended on {ended} and "
            f"no current contract is on record, yet {facts.name} still supports {what}: on "
            "what terms does it run today, and when will a contract be in place?"
        ),
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
    return unrecorded_gaps(
        facts,
        (c for c in facts.live if c.what_is_bought is not PurchaseKind.COMMODITY),
        lambda c: (
            (c.end_date is None, "end date"),
            (c.notice_period_days is None, "notice period"),
            (c.migration_lead_time_days is None, "migration lead time"),
        ),
        explanation=(
            "The register does not record the {what} of {title}, so we cannot tell when the "
            "trust must decide whether to renew or leave."
        ),
        gap="the {what} of {title}",
    )


def _exit_contracts(facts: Facts) -> list[Contract]:
    if facts.supplier.criticality not in MATERIAL:
        return []
    return [c for c in facts.live if c.what_is_bought is not PurchaseKind.COMMODITY]


def _exit_board(facts: Facts, hits: Sequence[Contract]) -> str:
    return (
        f"{our_contracts(facts, hits, 'does', 'do')} not require {facts.name} to help us leave: "
        "how would we move the service and our data?"
    )


clause_rule(
    "rule.no_exit_assistance",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "No duty to help the trust leave",
    KEY_QUESTIONS,
    "A current contract (not commodity) of a supplier of medium criticality or above does not "
    "oblige (or is not known to oblige) the supplier to help the trust leave.",
    term=lambda c: c.exit_assistance_clause,
    contracts=_exit_contracts,
    without=lambda facts, c: (
        f"{quoted(c.title)} does not oblige {facts.name} to help the trust move to "
        "another supplier, so an exit would depend on the supplier's goodwill."
    ),
    board=_exit_board,
    not_recorded=lambda facts, c: (
        f"It is not recorded whether {quoted(c.title)} obliges {facts.name} to help "
        "the trust leave."
    ),
    gap=lambda c: f"whether {quoted(c.title)} obliges the supplier to help us leave",
)


def _built_contracts(facts: Facts) -> list[Contract]:
    return [c for c in facts.live if c.what_is_bought in BUILT]


clause_rule(
    "rule.payments_not_leveraged",
    Dimension.EXIT,
    KeyQuestion.CONTRACTING,
    "Payments not tied to milestones",
    GURPRIT_PANNU,
    "Payments under a current contract for bespoke or customised work are not (or not known to "
    "be) tied to milestones.",
    term=lambda c: c.milestone_payments,
    contracts=_built_contracts,
    without=lambda facts, c: (
        f"Payments under {quoted(c.title)} are not tied to milestones. Payment "
        "schedules are one of the trust's main levers if delivery slips."
    ),
    board=lambda facts, hits: (
        f"Payments to {facts.name} under {titles(hits)} are not tied to delivery milestones: "
        "what leverage do we have if delivery slips?"
    ),
    not_recorded=lambda facts, c: (
        f"It is not recorded whether payments under {quoted(c.title)} are tied to milestones."
    ),
    gap=lambda c: f"whether payments under {quoted(c.title)} are tied to milestones",
)


@rule(
    "rule.clinical_safety_case",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Clinical system without a clinical safety case",
    GURPRIT_PANNU,
    "A supplier running clinical systems has no clinical safety case (DCB0129), or none is "
    "recorded. For a supplier of medium criticality or above without a recorded safety case, "
    'not recording whether it runs clinical systems is a data gap (never taken as "no").',
)
def _clinical_safety_case(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    if supplier.clinical_safety_case is True:
        return
    if supplier.runs_clinical_systems is None:
        if supplier.criticality in MATERIAL:
            yield Raised(
                factor=unknown(facts),
                explanation=(
                    f"The register does not record whether {facts.name} runs clinical systems, "
                    "so nobody can say whether it needs a clinical safety case (DCB0129)."
                ),
                gap="whether the supplier runs clinical systems",
            )
        return
    if not supplier.runs_clinical_systems:
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
            factor=unknown(facts),
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
            factor=unknown(facts),
            explanation=(
                f"The register does not record {facts.name}'s Data Security and Protection "
                "Toolkit status."
            ),
            gap="the supplier's Data Security and Protection Toolkit status",
        )
        return
    factor = {
        DsptStatus.STANDARDS_NOT_MET: 1.0,
        DsptStatus.APPROACHING_STANDARDS: partly(facts),
        DsptStatus.NOT_PUBLISHED: partly(facts),
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
            factor=unknown(facts),
            explanation=(
                f"The register does not record whether {facts.name} holds Cyber Essentials "
                "certification."
            ),
            gap="whether the supplier holds Cyber Essentials certification",
        )


def _reviewed(what: str, given: dt.date, due: dt.date) -> str:
    """'dated 15 March 2025 and was due for review on 15 March 2026' after ``what``."""
    return f"{what} is dated {long_date(given)} and was due for review on {long_date(due)}"


@rule(
    "rule.assurance_lapsed",
    Dimension.EXIT,
    KeyQuestion.IF_WRONG,
    "Assurance expired or out of date",
    INTRO,
    "An assurance the supplier is recorded as holding has lapsed: a DSPT status older than the "
    "latest year due to be published (30 June), an expired Cyber Essentials (Plus) certificate, "
    "or a DTAC, DCB0129 safety case, DCB0160 clinical risk assessment, DPIA or penetration test "
    "more than 12 months old; or it is held but its date is not recorded (a data gap).",
    changes=[
        SupplierDate(dspt_due, 1, "a DSPT status is stale the day after the next was due"),
        SupplierDate(cyber_essentials_due, 1, "a certificate has expired the day after expiry"),
        SupplierDate(dtac_due, 1, "a DTAC assessment is out of date the day after review"),
        SupplierDate(clinical_safety_case_due, 1, "a safety case the day after its review"),
        SupplierDate(clinical_risk_assessment_due, 1, "a DCB0160 the day after its review"),
        SupplierDate(dpia_due, 1, "a DPIA is out of date the day after its review"),
        SupplierDate(pen_test_due, 1, "a penetration test is overdue the day after it is due"),
    ],
)
def _assurance_lapsed(facts: Facts) -> Iterator[Raised]:
    supplier = facts.supplier
    material = supplier.criticality in MATERIAL
    clinical = supplier.runs_clinical_systems is True
    dspt = (
        dspt_due(supplier) if material and supplier.category is not SupplyCategory.DEVICES else None
    )
    certificate = cyber_essentials_due(supplier) if material else None
    dtac = dtac_due(supplier) if material else None
    case = clinical_safety_case_due(supplier) if clinical else None
    risk = clinical_risk_assessment_due(supplier) if clinical else None
    dpia = dpia_due(supplier) if material else None
    pen = pen_test_due(supplier) if material else None
    today = facts.today
    # One comparison with today per dated assurance, each declared in `changes` above.
    lapsed = (
        dspt is not None and dspt < today,
        certificate is not None and certificate < today,
        dtac is not None and dtac < today,
        case is not None and case < today,
        risk is not None and risk < today,
        dpia is not None and dpia < today,
        pen is not None and pen < today,
    )
    name = facts.name
    if lapsed[0] and dspt is not None and supplier.dspt_year is not None:
        held = supplier.dspt_year
        following = latest_dspt_due(dspt)
        yield Raised(
            factor=partly(facts),
            title="DSPT status out of date",
            explanation=(
                f"{name}'s Data Security and Protection Toolkit status "
                f"('{supplier.dspt_status.label}') is for {held}; the {following} assessment was "
                f"due to be published by {long_date(dspt)}, so the status the register holds is "
                "out of date."
            ),
            board=(
                f"{name}'s DSPT status is for {held}, and its {following} submission was due by "
                f"{long_date(dspt)}: has it been published, and does it still meet the standards?"
            ),
        )
    if lapsed[1] and certificate is not None:
        kind = cyber_essentials_name(supplier.cyber_essentials)
        yield Raised(
            factor=partly(facts),
            title=f"{kind} certificate expired",
            explanation=(
                f"{name}'s {kind} certificate expired on {long_date(certificate)}. Certificates "
                "last 12 months, so the cyber assurance the trust relies on is out of date."
            ),
            board=(
                f"{name}'s {kind} certificate expired on {long_date(certificate)}: has it been "
                "renewed, and what cyber assurance do we hold meanwhile?"
            ),
        )
    reviews = (
        (lapsed[2], dtac, supplier.dtac_date, "DTAC assessment", f"Our DTAC assessment of {name}"),
        (
            lapsed[3],
            case,
            supplier.clinical_safety_case_date,
            "DCB0129 clinical safety case",
            f"{name}'s DCB0129 clinical safety case",
        ),
        (
            lapsed[4],
            risk,
            supplier.clinical_risk_assessment_date,
            "DCB0160 clinical risk assessment",
            f"Our DCB0160 clinical risk assessment of {name}'s system",
        ),
        (
            lapsed[5],
            dpia,
            supplier.dpia_date,
            "DPIA",
            f"Our data protection impact assessment (DPIA) for {name}",
        ),
    )
    for out_of_date, due, given, what, whose in reviews:
        if out_of_date and due is not None and given is not None:
            yield Raised(
                factor=partly(facts),
                title=f"{what} out of date",
                explanation=f"{_reviewed(whose, given, due)}: it may no longer reflect the service.",
                board=f"{_reviewed(whose, given, due)}: when will it be reviewed?",
            )
    if lapsed[6] and pen is not None and supplier.pen_test_date is not None:
        last = long_date(supplier.pen_test_date)
        yield Raised(
            factor=partly(facts),
            title="Penetration test overdue",
            explanation=(
                f"{name}'s service was last penetration tested on {last}; the next test was due "
                f"by {long_date(pen)}."
            ),
            board=(
                f"{name}'s service was last penetration tested on {last} and the next test was "
                f"due by {long_date(pen)}: when will it be tested?"
            ),
        )
    yield from _undated(facts, material, clinical)


def _undated(facts: Facts, material: bool, clinical: bool) -> Iterator[Raised]:
    """A data gap for each assurance the supplier holds whose date is not recorded."""
    supplier = facts.supplier
    gaps: list[str] = []
    if (
        material
        and supplier.category is not SupplyCategory.DEVICES
        and supplier.dspt_status in DSPT_HELD
        and supplier.dspt_year is None
    ):
        gaps.append(
            f"which year the supplier's DSPT status ('{supplier.dspt_status.label}') is for"
        )
    if (
        material
        and supplier.cyber_essentials in CERTIFIED
        and supplier.cyber_essentials_expiry is None
    ):
        kind = cyber_essentials_name(supplier.cyber_essentials)
        gaps.append(f"when the supplier's {kind} certificate expires")
    if material and supplier.dtac_complete is True and supplier.dtac_date is None:
        gaps.append("when the DTAC assessment was done")
    if (
        clinical
        and supplier.clinical_safety_case is True
        and supplier.clinical_safety_case_date is None
    ):
        gaps.append("the date of the supplier's DCB0129 clinical safety case")
    if (
        clinical
        and supplier.clinical_risk_assessment is True
        and supplier.clinical_risk_assessment_date is None
    ):
        gaps.append("the date of the trust's DCB0160 clinical risk assessment")
    if material and supplier.dpia_done is True and supplier.dpia_date is None:
        gaps.append("the date of the DPIA")
    for gap in gaps:
        yield Raised(
            factor=unknown(facts),
            explanation=(
                f"The register records that {facts.name} holds this assurance but not {gap}, "
                "so nobody can tell whether it is still current."
            ),
            gap=gap,
        )
