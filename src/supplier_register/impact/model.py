"""The records an impact question is answered from, and the answers, as plain data.

Records come from storage (only those the question reaches, so the answer costs
the same in a register of fifty suppliers or fifty thousand); results are
pydantic models so that every output (table, JSON, Markdown, HTML, the TUI)
writes the same facts.  Unknown stays ``None`` (or the enum's ``unknown``) and is
listed among the gaps, never read as "no".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from supplier_register.domain.enums import (
    Criticality,
    DataLocation,
    DependencyKind,
    Difficulty,
    ExitPlan,
    Fallback,
    Substitutability,
)
from supplier_register.domain.models import (
    ContractRecord,
    DependencyRecord,
    ServiceRecord,
    SupplierRecord,
)

# ------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class Reached:
    """A supplier that a failure reaches through dependencies.

    ``path`` is the chain of dependencies from this supplier down to the one
    that failed: ``path[0].supplier_id`` is this supplier, and the last link's
    ``depends_on_id`` is the failing supplier (the shortest such chain).
    """

    supplier: SupplierRecord
    path: tuple[DependencyRecord, ...]


@dataclass(frozen=True)
class ImpactRecords:
    """What storage reads to answer "if this supplier failed today, what stops?"."""

    failing: SupplierRecord
    reached: Sequence[Reached]
    """Suppliers that depend on the failing one, directly or through others, nearest first."""
    contracts: Mapping[int, Sequence[ContractRecord]]
    """Contracts (live and ended) of the failing supplier and of every reached one, by supplier id."""
    services: Mapping[str, ServiceRecord]
    """Every service those contracts support, by name (casefolded)."""
    depends_on: Sequence[DependencyRecord] = ()
    """What the failing supplier itself depends on (its own supply chain)."""
    others: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """For each of those services (casefolded name), the live contracts of suppliers the
    failure does not reach that also support it ("Supplier / Title")."""


@dataclass(frozen=True)
class ConcentrationRecords:
    """What storage reads to find where the register's services are concentrated."""

    suppliers: Mapping[int, SupplierRecord]
    """Every supplier with a service, a dependency or a parent group (at least)."""
    links: Sequence[tuple[int, int]]
    """(supplier id, service id) for each service a live contract of the supplier supports."""
    services: Mapping[int, ServiceRecord]
    dependencies: Sequence[tuple[int, int, DependencyKind]]
    """(supplier id, depends-on supplier id, kind) for every dependency."""


# ------------------------------------------------------------------ results


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DependencyLink(_Result):
    """One dependency as shown: who depends on whom, how, and the note."""

    supplier: str
    depends_on: str
    kind: DependencyKind
    note: str = ""


class ContractExit(_Result):
    """A contract of an affected supplier: its dates and how ready the trust is to leave it."""

    supplier: str
    title: str
    live: bool
    end_date: dt.date | None
    decide_by: dt.date | None
    days_to_decide: int | None
    notice_period_days: int | None
    migration_lead_time_days: int | None
    services: list[str]
    substitutability: Substitutability
    substitutability_reason: str
    insourcing: Difficulty
    alternative_providers: list[str]
    exit_plan: ExitPlan
    exit_plan_tested: dt.date | None
    data_location: DataLocation
    patient_data: bool | None


class ServiceImpact(_Result):
    """A service that stops (or is put at risk) when the supplier fails, and how long it can cope."""

    name: str
    clinical: bool
    sites: str
    people_affected: str
    people_per_day: int | None
    max_outage_hours: int | None
    fallback: Fallback
    fallback_tested: dt.date | None
    direct: bool
    """Supported by a contract of the failing supplier itself."""
    through: list[str]
    """Not direct: the chain of suppliers the failure travels through, from the one whose
    contract supports the service down to (not including) the failing supplier."""
    contracts: list[str]
    """The affected contracts that support it ("Supplier / Title")."""
    ended_only: bool = False
    """Every affected contract that supports it has ended: the service runs on without a
    contract in force (as far as the register knows)."""
    also_supported_by: list[str]
    """Live contracts of suppliers the failure does not reach that support it too."""
    migration_lead_time_days: int | None
    """How long moving off the failing supplier takes: the longest recorded of its contracts
    supporting the service (of all its current contracts for a service reached through
    others); None when none of them records it."""
    migration_lead_time_partial: bool = False
    """Some of those contracts do not record it: the time is at least this."""
    outlook: str
    """One sentence setting the tolerable outage against the fallback and the time to move."""


class DependentImpact(_Result):
    """A supplier that falls with the failing one, and why."""

    supplier: str
    criticality: Criticality
    path: list[str]
    """Supplier names from this one down to the failing one."""
    kinds: list[DependencyKind]
    """The kind of each link of ``path``."""
    services: int
    """How many of the affected services this supplier's own contracts support."""


class SupplierImpact(_Result):
    """If this supplier failed today: what stops, who falls with it, and how ready we are."""

    supplier: str
    supplier_id: int = Field(exclude=True)
    criticality: Criticality
    today: dt.date
    summary: str
    services: list[ServiceImpact]
    """Clinical first, then the shortest tolerable outage first (unknown last), then by name."""
    dependents: list[DependentImpact]
    depends_on: list[DependencyLink]
    contracts: list[ContractExit]
    """Live contracts of the failing supplier, soonest decision first, then those of the
    suppliers it brings down that support the affected services."""
    gaps: list[str]
    """What is not recorded that the answer needs, in words."""

    @property
    def clinical_services(self) -> list[ServiceImpact]:
        return [s for s in self.services if s.clinical]

    @property
    def least_tolerant(self) -> ServiceImpact | None:
        """The service that can cope for the shortest time (of those that record it)."""
        return least_tolerant(self.services)


def least_tolerant(services: Sequence[ServiceImpact]) -> ServiceImpact | None:
    """Of ``services``, the one that can cope for the shortest time (of those that record it;
    the first of equals)."""
    return min(
        (s for s in services if s.max_outage_hours is not None),
        key=lambda s: s.max_outage_hours or 0,
        default=None,
    )


ConcentrationKind = Literal["supplier", "parent group"]


class ConcentrationRow(_Result):
    """A supplier or a parent group and the services a failure of it would stop."""

    kind: ConcentrationKind
    name: str
    supplier_id: int | None = Field(default=None, exclude=True)
    criticality: Criticality | None
    """The supplier's criticality; for a group, its most critical member's."""
    services: int
    """Services that stop if it fails: its own and, through dependencies, others'."""
    clinical_services: int
    direct_services: int
    """Services its own live contracts support."""
    clinical_names: list[str]
    """The clinical services among them, by name."""
    dependents: int
    """Suppliers that depend on it, directly or through others."""
    dependency_kinds: list[DependencyKind]
    """How others depend on it directly (hosting, integration, ...): a shared dependency."""
    members: list[str]
    """For a parent group, its suppliers."""
