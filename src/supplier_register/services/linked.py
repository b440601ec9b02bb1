"""The trust's services with the contracts that support them, and the dependencies between
suppliers, as the ``services`` and ``dependencies`` commands list them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from supplier_register.domain.models import ContractRecord, DependencyRecord, ServiceRecord
from supplier_register.storage import Repository


@dataclass(frozen=True)
class ServiceRow:
    """A service and the contracts (of any supplier, live or ended) that support it."""

    service: ServiceRecord
    contracts: tuple[ContractRecord, ...]

    @property
    def suppliers(self) -> list[str]:
        """The suppliers of those contracts, each once, in the contracts' order."""
        return list(dict.fromkeys(c.supplier for c in self.contracts))


def service_rows(repo: Repository) -> list[ServiceRow]:
    """Every service by name, each with its supporting contracts (by supplier, then title)."""
    services = repo.list_services()
    if not services:
        return []
    by_name: dict[str, list[ContractRecord]] = defaultdict(list)
    for contract in repo.list_contracts():
        for name in contract.services:
            by_name[name.casefold()].append(contract)
    return [ServiceRow(s, tuple(by_name.get(s.name.casefold(), ()))) for s in services]


def dependency_rows(repo: Repository, supplier: str | None = None) -> list[DependencyRecord]:
    """Every dependency, or those of one supplier (named, case-insensitively) either way:
    what it depends on, then who depends on it."""
    if supplier is None:
        return repo.list_dependencies()
    found = repo.find_supplier(supplier)
    return repo.list_dependencies(found.id) + repo.dependents_of(found.id)
