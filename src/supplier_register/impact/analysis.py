"""Answering "what would happen if this supplier failed?" and "where are our services concentrated?"."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from supplier_register.domain.enums import DependencyKind
from supplier_register.domain.models import ContractRecord
from supplier_register.domain.trusted import whole_maker
from supplier_register.impact.model import (
    ConcentrationRecords,
    ConcentrationRow,
    ContractExit,
    DependencyLink,
    DependentImpact,
    ImpactRecords,
    ServiceImpact,
    SupplierImpact,
)
from supplier_register.impact.text import (
    contract_gaps,
    outlook,
    service_gaps,
    summary,
)
from supplier_register.scoring.text import join_and, long_date, quoted


def is_live(contract: ContractRecord, today: dt.date) -> bool:
    """A contract still in force on ``today`` (no end recorded counts as in force), as scoring has it."""
    return contract.end_date is None or contract.end_date >= today


def _contract_label(contract: ContractRecord, today: dt.date) -> str:
    """'Supplier / Title', with '(ended 31 October 2026)' for a contract no longer in force."""
    label = f"{contract.supplier} / {contract.title}"
    if contract.end_date is not None and not is_live(contract, today):
        label += f" (ended {long_date(contract.end_date)})"
    return label


def _exit(contract: ContractRecord, today: dt.date) -> ContractExit:
    decide_by = contract.decide_by()
    return _make_exit(  # every field, from validated records: nothing to check again
        {
            "supplier": contract.supplier,
            "title": contract.title,
            "live": is_live(contract, today),
            "end_date": contract.end_date,
            "decide_by": decide_by,
            "days_to_decide": None if decide_by is None else (decide_by - today).days,
            "notice_period_days": contract.notice_period_days,
            "migration_lead_time_days": contract.migration_lead_time_days,
            "services": list(contract.services),
            "substitutability": contract.substitutability,
            "substitutability_reason": contract.substitutability_reason,
            "insourcing": contract.insourcing,
            "alternative_providers": list(contract.alternative_providers),
            "exit_plan": contract.exit_plan,
            "exit_plan_tested": contract.exit_plan_tested,
            "data_location": contract.data_location,
            "patient_data": contract.patient_data,
        }
    )


_make_exit = whole_maker(ContractExit)


def _decision_order(item: ContractExit) -> tuple[bool, dt.date, str, str]:
    return (
        item.decide_by is None,
        item.decide_by or dt.date.max,
        item.supplier.casefold(),
        item.title.casefold(),
    )


def _service_order(item: ServiceImpact) -> tuple[bool, bool, int, str]:
    return (
        not item.clinical,
        item.max_outage_hours is None,
        item.max_outage_hours or 0,
        item.name.casefold(),
    )


def impact_of(records: ImpactRecords, today: dt.date) -> SupplierImpact:
    """If ``records.failing`` failed on ``today``: the services that stop (directly, and through
    each supplier that depends on it), set against how long each can cope, the fallback and
    the time to move; who falls with it; the contracts involved; and what is not known."""
    failing = records.failing
    # A contract that has ended but still lists services is still relied on, as far as the
    # register knows (a system run on after its term): its services are shown, marked so.
    live_by_supplier: dict[int, list[ContractRecord]] = {
        supplier_id: [c for c in contracts if is_live(c, today) or c.services]
        for supplier_id, contracts in records.contracts.items()
    }
    # Each affected service: which contracts support it, and by which route (direct first,
    # then the nearest dependent: ``records.reached`` is nearest first).
    routes: dict[str, tuple[bool, list[str]]] = {}
    supporting: dict[str, list[ContractRecord]] = defaultdict(list)
    chains: list[tuple[int, bool, list[str]]] = [(failing.id, True, [])]
    chains += [
        (r.supplier.id, False, [r.supplier.name, *(link.depends_on for link in r.path[:-1])])
        for r in records.reached
    ]
    for supplier_id, direct, through in chains:
        for contract in live_by_supplier.get(supplier_id, ()):
            for name in contract.services:
                key = name.casefold()
                if key not in records.services:
                    continue
                supporting[key].append(contract)
                routes.setdefault(key, (direct, through))
    # The time to move is always the failing supplier's: the contracts of its own that support
    # a service directly, or all its own for a service reached through those depending on it
    # (what must be replaced is the supplier that failed, not the ones that fell with it).
    own_contracts = live_by_supplier.get(failing.id, [])
    services: list[ServiceImpact] = []
    for key, (direct, through) in routes.items():
        service = records.services[key]
        contracts = supporting[key]
        movers = [c for c in contracts if c.supplier_id == failing.id] if direct else own_contracts
        leads = [c.migration_lead_time_days for c in movers]
        known = [d for d in leads if d is not None]
        lead = max(known) if known else None
        partial = bool(known) and len(known) < len(leads)
        ended_only = not any(is_live(c, today) for c in contracts)
        services.append(
            ServiceImpact.model_construct(
                name=service.name,
                clinical=service.clinical,
                sites=service.sites,
                people_affected=service.people_affected,
                people_per_day=service.people_per_day,
                max_outage_hours=service.max_outage_hours,
                fallback=service.fallback,
                fallback_tested=service.fallback_tested,
                direct=direct,
                through=[] if direct else through,
                contracts=sorted({_contract_label(c, today) for c in contracts}, key=str.casefold),
                ended_only=ended_only,
                also_supported_by=sorted(records.others.get(key, ()), key=str.casefold),
                migration_lead_time_days=lead,
                migration_lead_time_partial=partial,
                outlook=outlook(service, failing.name, lead, partial=partial),
            )
        )
    services.sort(key=_service_order)

    affected = {s.name.casefold() for s in services}
    dependents = [
        DependentImpact(
            supplier=r.supplier.name,
            criticality=r.supplier.criticality,
            path=[r.supplier.name, *(link.depends_on for link in r.path)],
            kinds=[link.kind for link in r.path],
            services=len(
                {
                    name.casefold()
                    for c in live_by_supplier.get(r.supplier.id, ())
                    for name in c.services
                    if name.casefold() in affected
                }
            ),
        )
        for r in records.reached
    ]

    own = [_exit(c, today) for c in live_by_supplier.get(failing.id, ())]
    own.sort(key=_decision_order)
    theirs = [
        _exit(c, today)
        for r in records.reached
        for c in live_by_supplier.get(r.supplier.id, ())
        if any(name.casefold() in affected for name in c.services)
    ]
    theirs.sort(key=_decision_order)

    gaps: list[str] = []
    own_live = own_contracts
    gaps += [
        f"Contract {quoted(c.title)} ended on {long_date(c.end_date)} but still supports "
        f"{join_and(c.services)}: renew it, replace it, or record that the service has moved"
        for c in own_live
        if c.end_date is not None and not is_live(c, today)
    ]
    gaps += contract_gaps(c for c in own_live if is_live(c, today))
    gaps += contract_gaps(
        (
            c
            for r in records.reached
            for c in live_by_supplier.get(r.supplier.id, ())
            if is_live(c, today) and any(n.casefold() in affected for n in c.services)
        ),
        owner=True,
    )
    gaps += service_gaps(records.services[key] for key in routes)

    return SupplierImpact.model_construct(
        supplier=failing.name,
        supplier_id=failing.id,
        criticality=failing.criticality,
        today=today,
        summary=summary(failing.name, services, dependents, own_live),
        services=services,
        dependents=dependents,
        depends_on=[
            DependencyLink(supplier=d.supplier, depends_on=d.depends_on, kind=d.kind, note=d.note)
            for d in records.depends_on
        ],
        contracts=[*own, *theirs],
        gaps=gaps,
    )


# ----------------------------------------------------------- concentration


def _reach(
    own: Mapping[int, set[int]], dependents_of: Mapping[int, Sequence[int]], start: int
) -> tuple[set[int], set[int]]:
    """The services a failure of ``start`` stops, and the suppliers it brings down."""
    services = set(own.get(start, ()))
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        for dependent in dependents_of.get(node, ()):
            if dependent not in seen:  # a loop written behind the tool's back still ends
                seen.add(dependent)
                services |= own.get(dependent, set())
                stack.append(dependent)
    seen.discard(start)
    return services, seen


def concentration(records: ConcentrationRecords) -> list[ConcentrationRow]:
    """Every supplier and parent group whose failure would stop at least one service (or bring
    down another supplier), most clinical services first, then most services, then most
    dependents."""
    own: dict[int, set[int]] = defaultdict(set)
    for supplier_id, service_id in records.links:
        if service_id in records.services:
            own[supplier_id].add(service_id)
    dependents_of: dict[int, list[int]] = defaultdict(list)
    kinds: dict[int, set[DependencyKind]] = defaultdict(set)
    for supplier_id, depends_on_id, kind in records.dependencies:
        dependents_of[depends_on_id].append(supplier_id)
        kinds[depends_on_id].add(kind)
    clinical = {i for i, s in records.services.items() if s.clinical}

    def names(service_ids: Iterable[int]) -> list[str]:
        return sorted((records.services[i].name for i in service_ids), key=str.casefold)

    rows: list[ConcentrationRow] = []
    reached: dict[int, tuple[set[int], set[int]]] = {}
    for supplier_id in sorted({*own, *dependents_of}):
        supplier = records.suppliers.get(supplier_id)
        if supplier is None:
            continue
        services, down = _reach(own, dependents_of, supplier_id)
        reached[supplier_id] = (services, down)
        rows.append(
            ConcentrationRow(
                kind="supplier",
                name=supplier.name,
                supplier_id=supplier_id,
                criticality=supplier.criticality,
                services=len(services),
                clinical_services=len(services & clinical),
                direct_services=len(own.get(supplier_id, ())),
                clinical_names=names(services & clinical),
                dependents=len(down),
                dependency_kinds=sorted(kinds.get(supplier_id, ())),
                members=[],
            )
        )
    groups: dict[str, list[int]] = defaultdict(list)
    spelling: dict[str, str] = {}
    # the group as its most critical member spells it (then the first by name)
    for supplier in sorted(
        records.suppliers.values(), key=lambda s: (-s.criticality.rank, s.name.casefold())
    ):
        if supplier.parent_group:
            key = supplier.parent_group.casefold()
            groups[key].append(supplier.id)
            spelling.setdefault(key, supplier.parent_group)
    for key, members in groups.items():
        group_services: set[int] = set()
        group_down: set[int] = set()
        for member in members:
            member_services, member_down = reached.get(member, (set(), set()))
            group_services |= member_services
            group_down |= member_down
        group_down -= set(members)
        if len(members) < 2 or (not group_services and not group_down):
            continue  # a group of one is its supplier's row again
        member_records = [records.suppliers[m] for m in members]
        rows.append(
            ConcentrationRow(
                kind="parent group",
                name=spelling[key],
                criticality=max((s.criticality for s in member_records), key=lambda c: c.rank),
                services=len(group_services),
                clinical_services=len(group_services & clinical),
                direct_services=len(set().union(*(own.get(m, set()) for m in members))),
                clinical_names=names(group_services & clinical),
                dependents=len(group_down),
                dependency_kinds=sorted(set().union(*(kinds.get(m, set()) for m in members))),
                members=sorted((s.name for s in member_records), key=str.casefold),
            )
        )
    rows.sort(
        key=lambda r: (
            -r.clinical_services,
            -r.services,
            -r.dependents,
            r.kind != "supplier",
            r.name.casefold(),
        )
    )
    return rows
