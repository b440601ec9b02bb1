"""The trust's services and the dependencies between suppliers, as the TUI reads and writes them.

Reads open their own connection (``repository``) and are called from workers,
never on the UI thread.  Writes are functions of a ``Repository`` that the
TUI's write worker runs inside ``register_view.run_with_repository``: each is
one repository call, hence one transaction, saved over the version the form
was opened with (``StaleRecord`` otherwise), and recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from supplier_register.domain import (
    ContractRecord,
    Dependency,
    DependencyRecord,
    NotFound,
    Service,
    ServiceRecord,
)
from supplier_register.services.linked import service_rows
from supplier_register.services.register_view import repository
from supplier_register.storage import Repository


@dataclass(frozen=True)
class ServiceSummary:
    """One service with how many contracts, and of how many suppliers, support it."""

    service: ServiceRecord
    contracts: int
    suppliers: int


def read_services(db_path: Path) -> list[ServiceSummary]:
    """Every service of the trust, by name, with the contracts and suppliers supporting it:
    :func:`~supplier_register.services.linked.service_rows` on a connection of its own."""
    with repository(db_path) as repo:
        return [
            ServiceSummary(
                service=r.service, contracts=len(r.contracts), suppliers=r.supplier_count
            )
            for r in service_rows(repo)
        ]


def read_service_names(db_path: Path) -> list[str]:
    """The names of the trust's services, by name (what a contract may support)."""
    with repository(db_path) as repo:
        return [service.name for service in repo.list_services()]


def read_service(db_path: Path, service_id: int) -> ServiceRecord | None:
    """One service as stored now (``None``: it no longer exists)."""
    with repository(db_path) as repo:
        try:
            return repo.get_service(service_id)
        except NotFound:
            return None


def contracts_supporting(db_path: Path, service_id: int) -> list[ContractRecord]:
    """The contracts (of any supplier) that support a service."""
    with repository(db_path) as repo:
        return repo.contracts_of_service(service_id)


@dataclass(frozen=True)
class SupplierDependencies:
    """What one supplier depends on, and which suppliers depend on it."""

    depends_on: tuple[DependencyRecord, ...]
    dependents: tuple[DependencyRecord, ...]


def read_dependencies(db_path: Path, supplier_id: int) -> SupplierDependencies:
    """One supplier's dependencies on others and the others' dependencies on it."""
    with repository(db_path) as repo:
        return SupplierDependencies(
            depends_on=tuple(repo.list_dependencies(supplier_id)),
            dependents=tuple(repo.dependents_of(supplier_id)),
        )


def read_dependency(db_path: Path, dependency_id: int) -> DependencyRecord | None:
    """One dependency as stored now (``None``: it no longer exists)."""
    with repository(db_path) as repo:
        try:
            return repo.get_dependency(dependency_id)
        except NotFound:
            return None


# ------------------------------------------------------------------ writes


def save_service(
    repo: Repository,
    service: Service,
    service_id: int | None = None,
    expected_version: int | None = None,
) -> ServiceRecord:
    """Add a service (``service_id`` None), else save it over ``expected_version``."""
    if service_id is None:
        return repo.add_service(service)
    return repo.update_service(service_id, service, expected_version=expected_version)


def delete_service(repo: Repository, service_id: int, expected_version: int) -> None:
    """Delete a service; the contracts that supported it no longer list it."""
    repo.delete_service(service_id, expected_version=expected_version)


def save_dependency(
    repo: Repository,
    dependency: Dependency,
    supplier_id: int,
    dependency_id: int | None = None,
    expected_version: int | None = None,
) -> DependencyRecord:
    """Record that supplier ``supplier_id`` depends on another, or save such a record again.

    The supplier is given by id (its name may pass to another supplier while a
    form is open); a loop, or a supplier depending on itself, is refused by the
    repository with the loop named, and nothing is saved.
    """
    if dependency_id is None:
        return repo.add_dependency(dependency, supplier_id=supplier_id)
    return repo.update_dependency(
        dependency_id, dependency, expected_version=expected_version, supplier_id=supplier_id
    )


def delete_dependency(repo: Repository, dependency_id: int, expected_version: int) -> None:
    """Delete one dependency of a supplier on another."""
    repo.delete_dependency(dependency_id, expected_version=expected_version)
