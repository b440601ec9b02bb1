"""The bundled sample register's services, dependencies and exit readiness (issue 14).

The impact and concentration views are shown on this sample, so it must hold
what a careful CIO's team would record: the services each strategic and
high-criticality supplier supports, how each of their contracts could be left,
the integration engine and hosting provider other suppliers depend on, and a
few facts left unknown on purpose (a data gap, never a silent "no").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from supplier_register.domain.enums import (
    Criticality,
    DataLocation,
    DependencyKind,
    Difficulty,
    ExitPlan,
    Fallback,
    Substitutability,
    SupplyCategory,
)
from supplier_register.domain.graph import find_loop
from supplier_register.domain.models import Contract, Register, Supplier
from tests.support.paths import REPO_ROOT

SAMPLE = REPO_ROOT / "sample_data" / "register.json"
TODAY = dt.date(2026, 11, 26)
IMPORTANT = (Criticality.STRATEGIC, Criticality.HIGH)
HOLDING_OVER = "Fenwick & O'Rourke Clinical Software Ltd"
"""The one important supplier with no live contract: its service runs on the terms of one
that ended on 31 October 2026 (see its notes), so that expired contract carries the links."""


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.model_validate_json(SAMPLE.read_text(encoding="utf-8"))


def _live(contract: Contract) -> bool:
    return contract.end_date is None or contract.end_date >= TODAY


def _important(register: Register) -> list[Supplier]:
    return [s for s in register.suppliers if s.criticality in IMPORTANT]


def _contracts_of(register: Register, supplier: str) -> list[Contract]:
    return [c for c in register.contracts if c.supplier == supplier]


def _one(register: Register, category: SupplyCategory, criticality: Criticality) -> str:
    (name,) = [
        s.name
        for s in register.suppliers
        if s.category is category and s.criticality is criticality
    ]
    return name


def _dependents(register: Register, kind: DependencyKind) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for d in register.dependencies:
        if d.kind is kind:
            found[d.depends_on].add(d.supplier)
    return found


def test_every_important_supplier_has_a_live_contract_linked_to_a_service(
    register: Register,
) -> None:
    important = _important(register)
    assert len(important) >= 10
    without_live = []
    for supplier in important:
        contracts = _contracts_of(register, supplier.name)
        live = [c for c in contracts if _live(c)]
        if live:
            assert any(c.services for c in live), supplier.name
        else:
            without_live.append(supplier.name)
            assert any(c.services for c in contracts), supplier.name
    assert without_live == [HOLDING_OVER]


def _exit_contracts(register: Register) -> list[Contract]:
    """Every live contract of an important supplier, and the one held over after its end."""
    return [
        c
        for s in _important(register)
        for c in _contracts_of(register, s.name)
        if _live(c) or c.services
    ]


def test_important_contracts_have_their_exit_fields(register: Register) -> None:
    contracts = _exit_contracts(register)
    assert len(contracts) >= 20
    for c in contracts:
        label = (c.supplier, c.title)
        assert c.substitutability is not Substitutability.UNKNOWN, label
        assert c.substitutability_reason, label
        known = [
            c.insourcing is not Difficulty.UNKNOWN,
            bool(c.alternative_providers),
            c.exit_plan is not ExitPlan.UNKNOWN,
            c.data_location is not DataLocation.UNKNOWN,
            c.patient_data is not None,
        ]
        assert sum(known) >= 3, label
        if c.exit_plan is ExitPlan.TESTED:
            assert c.exit_plan_tested is not None and c.exit_plan_tested <= TODAY, label
        else:
            assert c.exit_plan_tested is None, label
    assert any(c.exit_plan is ExitPlan.TESTED for c in contracts)
    assert {c.substitutability for c in contracts} >= {
        Substitutability.EASY,
        Substitutability.MEDIUM,
        Substitutability.HARD,
        Substitutability.NOT_SUBSTITUTABLE,
    }


def test_a_few_facts_are_left_unknown_on_purpose(register: Register) -> None:
    contracts = _exit_contracts(register)
    assert any(c.data_location is DataLocation.UNKNOWN for c in contracts)
    assert any(c.patient_data is None for c in contracts)
    assert any(c.exit_plan is ExitPlan.UNKNOWN for c in contracts)
    assert any(c.insourcing is Difficulty.UNKNOWN for c in contracts)
    assert any(not c.alternative_providers for c in contracts)
    services = register.services
    assert any(s.fallback is Fallback.UNKNOWN for s in services)
    assert any(s.max_outage_hours is None for s in services)
    assert any(s.people_per_day is None for s in services)


def test_services_are_recorded_as_a_cio_would(register: Register) -> None:
    services = register.services
    assert len(services) >= 15
    names = [s.name.casefold() for s in services]
    assert len(names) == len(set(names))
    assert sum(s.clinical for s in services) >= 8
    assert sum(not s.clinical for s in services) >= 5
    assert {s.fallback for s in services} == set(Fallback)
    for s in services:
        assert s.sites and s.people_affected, s.name
        if s.fallback_tested is not None:
            assert s.fallback not in (Fallback.NONE, Fallback.UNKNOWN), s.name
            assert s.fallback_tested <= TODAY, s.name
    assert any(s.fallback_tested is not None for s in services)


def test_every_service_is_supported_by_a_contract_and_every_link_resolves(
    register: Register,
) -> None:
    names = {s.name for s in register.services}
    linked = {name for c in register.contracts for name in c.services}
    assert names
    assert linked == names
    for c in register.contracts:
        assert c.services == sorted(c.services, key=str.casefold), c.title  # as storage reads


def test_at_least_six_dependencies_between_known_suppliers_and_no_loop(
    register: Register,
) -> None:
    suppliers = {s.name for s in register.suppliers}
    deps = register.dependencies
    assert len(deps) >= 6
    assert all(d.supplier in suppliers and d.depends_on in suppliers for d in deps)
    assert all(d.note for d in deps)
    pairs = [(d.supplier.casefold(), d.depends_on.casefold()) for d in deps]
    assert len(pairs) == len(set(pairs))
    assert all(find_loop(pairs[:i], *pair) is None for i, pair in enumerate(pairs))  # no loop
    assert len({d.kind for d in deps}) >= 3


def test_the_integration_engine_carries_the_epr_pacs_and_pathology_feeds(
    register: Register,
) -> None:
    epr = _one(register, SupplyCategory.EPR, Criticality.STRATEGIC)
    pacs = _one(register, SupplyCategory.IMAGING_PACS, Criticality.STRATEGIC)
    lims = _one(register, SupplyCategory.PATHOLOGY_LIMS, Criticality.STRATEGIC)
    notes = {s.name: s.notes for s in register.suppliers}
    engines = [
        name
        for name, dependents in _dependents(register, DependencyKind.INTEGRATION).items()
        if {epr, pacs, lims} <= dependents
    ]
    assert len(engines) == 1
    assert notes[engines[0]].startswith("Integration engine")


def test_the_imaging_ai_reaches_pacs_through_the_pacs_supplier(register: Register) -> None:
    pacs = _one(register, SupplyCategory.IMAGING_PACS, Criticality.STRATEGIC)
    (ai,) = [s for s in register.suppliers if "AI" in s.name]
    assert ai.category is SupplyCategory.IMAGING_PACS
    assert ai.name in _dependents(register, DependencyKind.INTEGRATION)[pacs]


def test_a_hosting_provider_is_under_two_suppliers_that_support_services(
    register: Register,
) -> None:
    category = {s.name: s.category for s in register.suppliers}
    hosts = {
        host: dependents
        for host, dependents in _dependents(register, DependencyKind.HOSTING).items()
        if len(dependents) >= 2
    }
    assert hosts
    for host, dependents in hosts.items():
        assert category[host] is SupplyCategory.CLOUD_HOSTING
        for name in dependents:
            live = [c for c in _contracts_of(register, name) if _live(c)]
            assert any(c.services for c in live), name


def _clinical_services_reached(register: Register) -> dict[str, set[str]]:
    """For each supplier, the clinical services its failure would stop: those of its own
    live contracts and, through dependencies, those of every supplier depending on it."""
    clinical = {s.name for s in register.services if s.clinical}
    own: dict[str, set[str]] = defaultdict(set)
    for c in register.contracts:
        if _live(c):
            own[c.supplier] |= clinical & set(c.services)
    dependents: dict[str, set[str]] = defaultdict(set)
    for d in register.dependencies:
        dependents[d.depends_on].add(d.supplier)
    reached: dict[str, set[str]] = {}
    for supplier in register.suppliers:
        seen, todo, services = {supplier.name}, [supplier.name], set[str]()
        while todo:
            name = todo.pop()
            services |= own[name]
            for nxt in dependents[name] - seen:
                seen.add(nxt)
                todo.append(nxt)
        reached[supplier.name] = services
    return reached


def test_the_integration_engine_is_among_the_top_three_by_clinical_services(
    register: Register,
) -> None:
    reached = _clinical_services_reached(register)
    (engine,) = [s.name for s in register.suppliers if s.notes.startswith("Integration engine")]
    top = sorted(reached, key=lambda name: -len(reached[name]))[:3]
    assert engine in top
    assert len(reached[engine]) > len(
        reached[_one(register, SupplyCategory.EPR, Criticality.STRATEGIC)]
    )


def test_parent_groups_are_only_recorded_for_groups_of_suppliers(register: Register) -> None:
    """No two suppliers of the sample belong to one group, so none is invented."""
    groups: dict[str, int] = defaultdict(int)
    for s in register.suppliers:
        if s.parent_group is not None:
            groups[s.parent_group.casefold()] += 1
    assert all(count >= 2 for count in groups.values())
