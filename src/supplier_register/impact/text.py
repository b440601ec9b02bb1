"""The words of the impact view: how long a service can cope, how long moving takes, what is missing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from supplier_register.domain.enums import (
    DataLocation,
    Difficulty,
    ExitPlan,
    Fallback,
    Substitutability,
)
from supplier_register.domain.models import ContractRecord, ServiceRecord
from supplier_register.impact.model import DependentImpact, ServiceImpact, least_tolerant
from supplier_register.scoring.text import join_and, join_some, long_date, plural, quoted


def hours_text(hours: int) -> str:
    """'no time at all', '1 hour', '36 hours', '3 days' (whole days from two days up)."""
    if hours == 0:
        return "no time at all"
    if hours >= 48 and hours % 24 == 0:
        return plural(hours // 24, "day")
    return plural(hours, "hour")


def lead_time_text(days: int) -> str:
    """'10 days', '6 weeks', '18 months', '3 years': a migration lead time as a CIO says it."""
    if days < 28:
        return plural(days, "day")
    if days < 90:
        return plural(round(days / 7), "week")
    months = round(days / 30.44)
    if months < 36:
        return plural(months, "month")
    years = days / 365.25
    whole = round(years)
    return plural(whole, "year") if abs(years - whole) < 0.1 else f"{years:.1f} years"


def fallback_text(service: ServiceRecord) -> str:
    """'a manual fallback exists, last tested 12 March 2024', 'there is no fallback', ..."""
    tested = (
        f", last tested {long_date(service.fallback_tested)}"
        if service.fallback_tested is not None
        else ", not recorded as tested"
    )
    if service.fallback is Fallback.MANUAL:
        return "a manual fallback exists" + tested
    if service.fallback is Fallback.ALTERNATIVE_SYSTEM:
        return "an alternative system exists" + tested
    if service.fallback is Fallback.NONE:
        return "there is no fallback"
    return "whether there is a fallback is not recorded"


def outlook(
    service: ServiceRecord, supplier: str, lead_days: int | None, *, partial: bool = False
) -> str:
    """One sentence: how long the service can cope, the fallback, and how long moving off the
    failing ``supplier`` takes.

    E.g. "Radiology reporting can cope 4 hours without it; a manual fallback exists, last
    tested 12 March 2024; moving off Lumen Imaging takes 18 months."
    """
    if service.max_outage_hours is None:
        cope = f"How long {service.name} can cope without it is not recorded"
    else:
        cope = f"{service.name} can cope {hours_text(service.max_outage_hours)} without it"
    if lead_days is None:
        move = f"how long moving off {supplier} would take is not recorded"
    elif partial:
        move = (
            f"moving off {supplier} takes at least {lead_time_text(lead_days)} "
            "(not recorded for all its contracts)"
        )
    else:
        move = f"moving off {supplier} takes {lead_time_text(lead_days)}"
    sentence = f"{cope}; {fallback_text(service)}; {move}"
    if (
        service.fallback is Fallback.NONE
        and service.max_outage_hours is not None
        and lead_days is not None
        and lead_days * 24 > service.max_outage_hours
    ):
        sentence += ": nothing covers the time between"
    return sentence + "."


def summary(
    name: str,
    services: Sequence[ServiceImpact],
    dependents: Sequence[DependentImpact],
    own_live: Sequence[ContractRecord],
) -> str:
    """The impact in two sentences, for the top of the view and of a board paper."""
    if not services:
        if not own_live:
            return (
                f"{name} holds no current contract, so no service is recorded as depending on it."
            )
        return (
            f"No services are recorded against {name}'s current contracts, so the register "
            "cannot yet say what would stop if it failed: record the services they support."
        )
    clinical = sum(1 for s in services if s.clinical)
    direct = sum(1 for s in services if s.direct)
    through = len(services) - direct
    head = (
        f"If {name} failed today, {plural(len(services), 'service')} would stop"
        f"{f' ({clinical} clinical)' if clinical else ''}"
    )
    if through:
        carriers = [d.supplier for d in dependents if d.services]
        head += (
            f": {direct} on its own contracts and {through} through "
            f"{join_some(carriers, 3)}, which depend on it"
        )
    head += "."
    ended = sum(1 for s in services if s.ended_only)
    if ended:
        head += (
            f" {plural(ended, 'service')} {'runs' if ended == 1 else 'run'} on contracts "
            "that have ended."
        )
    shortest = least_tolerant(services)
    if shortest is not None and shortest.max_outage_hours is not None:
        head += (
            f" The least tolerant, {shortest.name}, can cope "
            f"{hours_text(shortest.max_outage_hours)}."
        )
    return head


def contract_gaps(contracts: Iterable[ContractRecord], *, owner: bool = False) -> list[str]:
    """For each current contract, the exit facts not recorded, in one line (with ``owner``,
    naming the supplier: the contract of one that falls with the failing one)."""
    gaps = []
    for c in contracts:
        missing = []
        if not c.services:
            missing.append("which services it supports")
        if c.migration_lead_time_days is None:
            missing.append("how long moving supplier would take")
        if c.substitutability is Substitutability.UNKNOWN:
            missing.append("how substitutable it is")
        if c.exit_plan is ExitPlan.UNKNOWN:
            missing.append("whether there is an exit plan")
        if c.insourcing is Difficulty.UNKNOWN:
            missing.append("how hard bringing it in-house would be")
        if c.data_location is DataLocation.UNKNOWN:
            missing.append("where the data is held")
        if c.patient_data is None:
            missing.append("whether the data identifies patients")
        if missing:
            whose = f" ({c.supplier})" if owner else ""
            gaps.append(f"Contract {quoted(c.title)}{whose}: {join_and(missing)}")
    return gaps


def service_gaps(services: Iterable[ServiceRecord]) -> list[str]:
    """For each affected service, the continuity facts not recorded, in one line."""
    gaps = []
    for s in services:
        missing = []
        if s.max_outage_hours is None:
            missing.append("how long it can cope without the system")
        if s.fallback is Fallback.UNKNOWN:
            missing.append("whether it has a fallback")
        elif s.fallback is not Fallback.NONE and s.fallback_tested is None:
            missing.append("when its fallback was last tested")
        if missing:
            gaps.append(f"Service {s.name}: {join_and(missing)}")
    return gaps
