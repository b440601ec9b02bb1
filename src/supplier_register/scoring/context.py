"""Register-wide facts that scoring one supplier needs (people, chief-executive span, which
services are clinical and how long they can be down, which suppliers others depend on)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from supplier_register.domain.enums import Criticality, Role
from supplier_register.domain.models import Dependency, Person, Service, Supplier
from supplier_register.scoring.config import ScoringConfig


def key(name: str) -> str:
    """How names are matched across records: case-insensitively."""
    return name.casefold()


@dataclass(frozen=True)
class ScoringContext:
    """What the rules need to know about the rest of the register.

    ``ceo_tier`` is the set of strategic suppliers (by key) important enough for
    the chief executive to lead: the top ``config.ceo_relationships`` by annual
    spend.  ``ceo_owned`` lists the suppliers the chief executive owns, most
    important first.  ``None`` for either means "not known" (scoring a supplier
    on its own), and the rules that need them stay quiet or assume the best.
    ``clinical_services`` holds the names (by key) of the register's clinical
    services; a service a contract names that is not in it counts as not clinical.
    """

    people: Mapping[str, Person] = field(default_factory=dict)
    ceo_tier: frozenset[str] | None = None
    ceo_owned: tuple[str, ...] | None = None
    ceo_rank: Mapping[str, int] = field(default_factory=dict)
    """Position of each chief-executive-owned supplier in ``ceo_owned`` (0 = most important)."""
    clinical_services: frozenset[str] = frozenset()
    """Names (by :func:`key`) of the register's clinical services."""
    outage_hours: Mapping[str, int] = field(default_factory=dict)
    """The longest each service (by :func:`key`) can be down, where recorded."""
    dependents: Mapping[str, int] = field(default_factory=dict)
    """How many suppliers depend on each supplier (by :func:`key`), where any do."""

    @classmethod
    def build(
        cls,
        people: Iterable[Person],
        suppliers: Iterable[Supplier] | None = None,
        config: ScoringConfig | None = None,
        services: Iterable[Service] = (),
        dependencies: Iterable[Dependency] = (),
    ) -> ScoringContext:
        """Index people, services and dependencies and, given the suppliers, work out the chief
        executive's span."""
        config = config or ScoringConfig()
        by_name = {key(person.name): person for person in people}
        services = list(services)
        clinical = frozenset(key(s.name) for s in services if s.clinical)
        outage = {
            key(s.name): s.max_outage_hours for s in services if s.max_outage_hours is not None
        }
        dependents: dict[str, int] = {}
        for dependency in dependencies:
            on = key(dependency.depends_on)
            dependents[on] = dependents.get(on, 0) + 1
        if suppliers is None:
            return cls(
                people=by_name,
                clinical_services=clinical,
                outage_hours=outage,
                dependents=dependents,
            )
        suppliers = list(suppliers)

        def spend(supplier: Supplier) -> Decimal:
            return supplier.annual_spend if supplier.annual_spend is not None else Decimal(-1)

        strategic = sorted(
            (s for s in suppliers if s.criticality is Criticality.STRATEGIC),
            key=lambda s: (-spend(s), key(s.name)),
        )
        tier = frozenset(key(s.name) for s in strategic[: config.ceo_relationships])

        def owned_by_ceo(supplier: Supplier) -> bool:
            if supplier.owner is None:
                return False
            person = by_name.get(key(supplier.owner))
            return person is not None and person.role is Role.CHIEF_EXECUTIVE

        owned = sorted(
            (s for s in suppliers if owned_by_ceo(s)),
            key=lambda s: (
                key(s.name) not in tier,
                -s.criticality.rank,
                -spend(s),
                key(s.name),
            ),
        )
        ranked = tuple(key(s.name) for s in owned)
        return cls(
            people=by_name,
            ceo_tier=tier,
            ceo_owned=ranked,
            ceo_rank={name: i for i, name in enumerate(ranked)},
            clinical_services=clinical,
            outage_hours=outage,
            dependents=dependents,
        )

    def person(self, name: str | None) -> Person | None:
        """The person with this name, if the register has them."""
        return None if name is None else self.people.get(key(name))

    def is_clinical(self, service: str) -> bool:
        """Whether the register records the service with this name (any case) as clinical."""
        return key(service) in self.clinical_services
