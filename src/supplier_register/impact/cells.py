"""The impact view's facts as short cell texts, the same in the CLI table, the TUI and Markdown.

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
from supplier_register.impact.model import (
    ConcentrationRow,
    ContractExit,
    DependentImpact,
    ServiceImpact,
)
from supplier_register.impact.text import hours_text, lead_time_text
from supplier_register.scoring.text import long_date, plural

NOT_RECORDED = "not recorded"


def outage_cell(service: ServiceImpact) -> str:
    """'4 hours', '3 days', 'not recorded'."""
    if service.max_outage_hours is None:
        return NOT_RECORDED
    return hours_text(service.max_outage_hours)


def fallback_cell(service: ServiceImpact) -> str:
    """'Manual (paper) fallback, tested 12 March 2024', '... never tested', 'None', 'not recorded'."""
    if service.fallback is Fallback.UNKNOWN:
        return NOT_RECORDED
    if service.fallback is Fallback.NONE:
        return "None"
    tested = (
        f"tested {long_date(service.fallback_tested)}"
        if service.fallback_tested is not None
        else "test not recorded"
    )
    return f"{service.fallback.label}, {tested}"


def route_cell(service: ServiceImpact) -> str:
    """'direct', or 'through Iris AI → Lumen Imaging' (nearest the service first)."""
    if service.direct:
        return "direct"
    return "through " + " → ".join(service.through)


def move_cell(service: ServiceImpact) -> str:
    """How long moving supplier takes: '18 months', 'not recorded'."""
    if service.migration_lead_time_days is None:
        return NOT_RECORDED
    return lead_time_text(service.migration_lead_time_days)


def path_cell(dependent: DependentImpact) -> str:
    """'Iris AI → Lumen Imaging → Ensemble'."""
    return " → ".join(dependent.path)


def kinds_cell(dependent: DependentImpact) -> str:
    """'integration, hosting' (each link's kind, in the path's order)."""
    return ", ".join(k.label.lower() for k in dependent.kinds)


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


def exit_plan_cell(contract: ContractExit) -> str:
    """'Written', 'Written and tested, last tested 3 May 2025', 'None', 'not recorded'."""
    if contract.exit_plan is ExitPlan.UNKNOWN:
        return NOT_RECORDED
    text = contract.exit_plan.label
    if contract.exit_plan_tested is not None:
        text += f", last tested {long_date(contract.exit_plan_tested)}"
    elif contract.exit_plan is ExitPlan.TESTED:
        text += ", date of test not recorded"
    return text


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
