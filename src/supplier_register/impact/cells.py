"""The impact view's facts as short cell texts, the same in the CLI, the TUI, Markdown and exports.

One wording for every fact: dates as the board papers write them ("12 May 2026"), unknown as
"not recorded", a fallback never tested as "not recorded as tested".  Each fact has a helper on
its plain fields (for a :class:`~supplier_register.domain.models.ServiceRecord` as much as for
a :class:`~supplier_register.impact.model.ServiceImpact`) and a cell helper on the record.

Plain strings, not escaped: each output escapes them its own way (rich ``Text``, Textual
``Content``, :func:`~supplier_register.reports.mdtext.md_escape`), which is why they live here, below both.  Unknown is always said
as "not recorded", never as "no" or "none".
"""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.enums import (
    DataLocation,
    Difficulty,
    ExitPlan,
    Fallback,
    Substitutability,
)
from supplier_register.domain.models import ServiceRecord
from supplier_register.impact.model import (
    ConcentrationRow,
    ContractExit,
    DependentImpact,
    ServiceImpact,
)
from supplier_register.impact.text import hours_text, lead_time_text
from supplier_register.scoring.text import long_date, plural

NOT_RECORDED = "not recorded"


def outage_text(hours: int | None) -> str:
    """How long a service can cope: '4 hours', '3 days', 'not recorded'."""
    if hours is None:
        return NOT_RECORDED
    return hours_text(hours)


def outage_cell(service: ServiceImpact | ServiceRecord) -> str:
    """'4 hours', '3 days', 'not recorded'."""
    return outage_text(service.max_outage_hours)


NOT_TESTED = "not recorded as tested"
"""A fallback whose test is not recorded (not "never tested": the register does not know)."""


def fallback_text(fallback: Fallback, tested: dt.date | None) -> str:
    """'Manual (paper) fallback, tested 12 March 2024', '..., not recorded as tested', 'None',
    'not recorded'."""
    if fallback is Fallback.UNKNOWN:
        return NOT_RECORDED
    if fallback is Fallback.NONE:
        return fallback.label
    when = f"tested {long_date(tested)}" if tested is not None else NOT_TESTED
    return f"{fallback.label}, {when}"


def fallback_cell(service: ServiceImpact | ServiceRecord) -> str:
    """The service's fallback and when it was last tested (see :func:`fallback_text`)."""
    return fallback_text(service.fallback, service.fallback_tested)


def route_cell(service: ServiceImpact) -> str:
    """'direct', or 'through Iris AI → Lumen Imaging' (nearest the service first)."""
    if service.direct:
        return "direct"
    return "through " + " → ".join(service.through)


def move_text(days: int | None) -> str:
    """How long moving supplier takes: '18 months', 'not recorded'."""
    if days is None:
        return NOT_RECORDED
    return lead_time_text(days)


def move_cell(service: ServiceImpact) -> str:
    """How long moving supplier takes: '18 months', 'not recorded'."""
    return move_text(service.migration_lead_time_days)


def path_cell(dependent: DependentImpact) -> str:
    """'Iris AI → Lumen Imaging → Ensemble'."""
    return " → ".join(dependent.path)


def kinds_cell(dependent: DependentImpact) -> str:
    """'integration, hosting' (each link's kind, in the path's order)."""
    return ", ".join(k.label.lower() for k in dependent.kinds)


def chain_text(dependent: DependentImpact) -> str:
    """'Iris AI depends on Lumen Imaging (integration), which depends on Ensemble (integration)'."""
    hops = [
        f"{name} ({kind.label.lower()})"
        for name, kind in zip(dependent.path[1:], dependent.kinds, strict=False)
    ]
    return f"{dependent.path[0]} depends on " + ", which depends on ".join(hops)


def services_of_dependent_text(dependent: DependentImpact) -> str:
    """'supports 2 of the services that stop', or that it supports none of them."""
    if dependent.services == 0:
        return "supports none of the services that stop (none recorded for its contracts)"
    return f"supports {dependent.services} of the services that stop"


def date_cell(day: dt.date | None, missing: str = NOT_RECORDED) -> str:
    """'26 November 2026', or ``missing``."""
    return long_date(day) if day is not None else missing


def days_left_cell(contract: ContractExit) -> str:
    """'in 120 days', 'today', 'passed 10 days ago', 'not recorded'."""
    days = contract.days_to_decide
    if days is None:
        return NOT_RECORDED
    if days == 0:
        return "today"
    if days > 0:
        return f"in {plural(days, 'day')}"
    return f"passed {plural(-days, 'day')} ago"


def decide_by_cell(contract: ContractExit) -> str:
    """'30 September 2026 (passed 57 days ago)', 'not recorded'."""
    if contract.decide_by is None:
        return NOT_RECORDED
    return f"{long_date(contract.decide_by)} ({days_left_cell(contract)})"


def substitutability_cell(contract: ContractExit) -> str:
    """'Hard: only two suppliers in the market', 'not recorded'."""
    if contract.substitutability is Substitutability.UNKNOWN:
        text = NOT_RECORDED
    else:
        text = contract.substitutability.label
    reason = contract.substitutability_reason.strip()
    return f"{text}: {reason}" if reason else text


def insourcing_cell(contract: ContractExit) -> str:
    if contract.insourcing is Difficulty.UNKNOWN:
        return NOT_RECORDED
    return contract.insourcing.label


def exit_plan_text(plan: ExitPlan, tested: dt.date | None) -> str:
    """'Written', 'Written and tested, last tested 3 May 2025', 'None', 'not recorded'."""
    if plan is ExitPlan.UNKNOWN:
        return NOT_RECORDED
    text = plan.label
    if tested is not None:
        text += f", last tested {long_date(tested)}"
    elif plan is ExitPlan.TESTED:
        text += ", date of test not recorded"
    return text


def exit_plan_cell(contract: ContractExit) -> str:
    """The contract's exit plan (see :func:`exit_plan_text`)."""
    return exit_plan_text(contract.exit_plan, contract.exit_plan_tested)


def alternatives_cell(contract: ContractExit) -> str:
    """The alternative providers known, or 'none recorded' (not "none exist")."""
    return ", ".join(contract.alternative_providers) or "none recorded"


def data_location_cell(contract: ContractExit) -> str:
    if contract.data_location is DataLocation.UNKNOWN:
        return NOT_RECORDED
    return contract.data_location.label


def patient_data_cell(contract: ContractExit) -> str:
    """'yes', 'no', 'not recorded'."""
    if contract.patient_data is None:
        return NOT_RECORDED
    return "yes" if contract.patient_data else "no"


def end_cell(contract: ContractExit) -> str:
    return date_cell(contract.end_date, "no end recorded")


def concentration_kinds_cell(row: ConcentrationRow) -> str:
    """How others depend on it directly: 'hosting, integration'."""
    return ", ".join(k.label.lower() for k in row.dependency_kinds)


def concentration_name_cell(row: ConcentrationRow) -> str:
    """The supplier's name, or 'Corvid Group (parent group)'."""
    return row.name if row.kind == "supplier" else f"{row.name} (parent group)"
