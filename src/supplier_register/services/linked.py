"""The trust's services with the contracts that support them, and the dependencies between
suppliers, as the ``services`` and ``dependencies`` commands list them."""

from __future__ import annotations

from dataclasses import dataclass

from supplier_register.domain.models import DependencyRecord, ServiceRecord
from supplier_register.storage import Repository
from supplier_register.storage.db import read_snapshot
from supplier_register.storage.repository import SupportingContract


@dataclass(frozen=True)
class ServiceRow:
    """A service and the contracts (of any supplier, live or ended) that support it."""

    service: ServiceRecord
    contracts: tuple[SupportingContract, ...]

    @property
    def suppliers(self) -> list[str]:
        """The suppliers of those contracts, each once, in the contracts' order."""
        return list(dict.fromkeys(c.supplier for c in self.contracts))

    @property
    def supplier_count(self) -> int:
        """How many suppliers (by id) hold those contracts."""
        return len({c.supplier_id for c in self.contracts})


def service_rows(repo: Repository) -> list[ServiceRow]:
    """Every service by name, each with its supporting contracts (by supplier, then title).

    Two queries for the whole register, in one snapshot: the services, and every
    contract's link to a service with the contract's title and supplier.
    """
    with read_snapshot(repo.db):
        services = repo.list_services()
        support = repo.supporting_contracts() if services else {}
    return [ServiceRow(s, tuple(support.get(s.id, ()))) for s in services]


def dependency_rows(repo: Repository, supplier: str | None = None) -> list[DependencyRecord]:
    """Every dependency, or those of one supplier (named, case-insensitively) either way:
    what it depends on, then who depends on it."""
    if supplier is None:
        return repo.list_dependencies()
    found = repo.find_supplier(supplier)
    return repo.list_dependencies(found.id) + repo.dependents_of(found.id)
