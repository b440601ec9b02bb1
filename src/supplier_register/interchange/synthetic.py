"""Synthetic registers of any size, for benchmarks and scale tests.

Seeded and reproducible: the same size and seed always give the same register.
The distributions follow what a trust or an ICS really holds: few strategic
suppliers and many low ones, about three contracts each, questionnaires mostly
answered for important suppliers and barely for the rest.

With ``continuity=True`` (see :func:`add_continuity`) the register also holds the
services the trust runs, the contracts that support them with their exit facts, and
dependencies between suppliers: chains five deep under every strategic supplier and a
hosting provider under many.  That part comes from a random stream of its own, so the
rest of the register is exactly what the same size and seed give without it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import TypeVar

from supplier_register.domain.enums import (
    AnswerValue,
    ContractType,
    Criticality,
    CyberEssentials,
    DataLocation,
    DependencyKind,
    Difficulty,
    DsptStatus,
    ExitPlan,
    Fallback,
    IpOwner,
    ProcurementRoute,
    PurchaseKind,
    Role,
    Substitutability,
    SupplyCategory,
)
from supplier_register.domain.models import (
    Answer,
    Contract,
    Dependency,
    Person,
    Register,
    Service,
    Supplier,
)
from supplier_register.scoring.questions import default_question_bank

T = TypeVar("T")

_CRITICALITY = [
    (Criticality.STRATEGIC, 2),
    (Criticality.HIGH, 10),
    (Criticality.MEDIUM, 30),
    (Criticality.LOW, 58),
]
_CATEGORY = [
    (SupplyCategory.EPR, 1),
    (SupplyCategory.IMAGING_PACS, 2),
    (SupplyCategory.PATHOLOGY_LIMS, 2),
    (SupplyCategory.CLOUD_HOSTING, 6),
    (SupplyCategory.INFRASTRUCTURE_NETWORK, 12),
    (SupplyCategory.DEVICES, 14),
    (SupplyCategory.BESPOKE_DEVELOPMENT, 8),
    (SupplyCategory.PATIENT_FACING_APP, 8),
    (SupplyCategory.MANAGED_SERVICE, 12),
    (SupplyCategory.CONSULTANCY_CONTRACTORS, 15),
    (SupplyCategory.OTHER, 20),
]
_ANSWERED_SHARE = {
    Criticality.STRATEGIC: 0.95,
    Criticality.HIGH: 0.8,
    Criticality.MEDIUM: 0.45,
    Criticality.LOW: 0.12,
}
_ANSWER_MIX = [
    (AnswerValue.YES, 45),
    (AnswerValue.PARTLY, 20),
    (AnswerValue.NO, 15),
    (AnswerValue.UNKNOWN, 15),
    (AnswerValue.NOT_APPLICABLE, 5),
]
_WORDS_A = [
    "North",
    "Vale",
    "Bright",
    "Clear",
    "Blue",
    "Harbour",
    "Stone",
    "Oak",
    "Meadow",
    "Silver",
    "Summit",
    "River",
    "Cedar",
    "Pine",
    "Swift",
    "Iron",
    "Amber",
    "Copper",
    "Granite",
    "Willow",
    "Lark",
    "Heron",
    "Falcon",
    "Beacon",
    "Bridge",
    "Castle",
    "Coast",
    "Delta",
    "Echo",
    "Forge",
    "Grove",
    "Harvest",
    "Horizon",
    "Keystone",
    "Lantern",
    "Maple",
    "Mosaic",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quarry",
    "Ridge",
]
_WORDS_B = [
    "Health",
    "Digital",
    "Systems",
    "Data",
    "Cloud",
    "Networks",
    "Medical",
    "Analytics",
    "Software",
    "Solutions",
    "Imaging",
    "Labs",
    "Care",
    "Clinical",
    "Connect",
    "Informatics",
    "Devices",
    "Logic",
    "Works",
    "Tech",
]
_SUFFIX = ["Ltd", "Limited", "plc", "LLP", "Group Ltd", "UK Ltd", "Holdings Ltd"]
_FIRST = [
    "Alex",
    "Sam",
    "Jordan",
    "Priya",
    "Amir",
    "Chloe",
    "Daniel",
    "Fatima",
    "George",
    "Hannah",
    "Imran",
    "Jess",
    "Kofi",
    "Laura",
    "Mei",
    "Noah",
    "Olivia",
    "Rahul",
    "Sofia",
    "Tom",
    "Uma",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
]
_LAST = [
    "Adeyemi",
    "Brown",
    "Chen",
    "Davies",
    "Evans",
    "Fraser",
    "Gupta",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Walker",
    "Xu",
    "Young",
]

# The routes the synthetic registers were first drawn from, fixed so that a route added to the
# vocabulary later does not change every register generated from a seed.
_ROUTES = [
    ProcurementRoute.OPEN_TENDER,
    ProcurementRoute.FRAMEWORK,
    ProcurementRoute.DIRECT_AWARD,
    ProcurementRoute.JOINT_PROCUREMENT,
    ProcurementRoute.UNKNOWN,
]


def _pick(rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    items = [item for item, _ in weighted]
    return rng.choices(items, weights=[w for _, w in weighted], k=1)[0]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(round(rng.uniform(low, high), -2)).quantize(Decimal("1"))


def generate_register(
    suppliers: int, *, seed: int = 1, today: dt.date | None = None, continuity: bool = False
) -> Register:
    """A valid synthetic register with ``suppliers`` suppliers, ~3 contracts each and answers;
    with ``continuity``, also services, dependencies and exit facts (:func:`add_continuity`)."""
    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 26)
    bank = default_question_bank().questions
    n_people = max(3, suppliers // 40)
    people = [
        Person(
            name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {i + 1}",
            role=Role.CHIEF_EXECUTIVE if i == 0 else rng.choice(list(Role)),
            contact=f"person{i + 1}@example.nhs.uk",
        )
        for i in range(n_people)
    ]
    out_suppliers: list[Supplier] = []
    contracts: list[Contract] = []
    answers: list[Answer] = []
    for i in range(suppliers):
        criticality = _pick(rng, _CRITICALITY)
        category = _pick(rng, _CATEGORY)
        name = f"{rng.choice(_WORDS_A)} {rng.choice(_WORDS_B)} {i + 1} {rng.choice(_SUFFIX)}"
        owner = None if rng.random() < 0.08 else rng.choice(people).name
        last_review = (
            None if rng.random() < 0.15 else today - dt.timedelta(days=rng.randint(10, 720))
        )
        spend_top = {"strategic": 5_000_000, "high": 800_000, "medium": 150_000, "low": 30_000}
        out_suppliers.append(
            Supplier(
                name=name,
                company_number=f"{rng.randint(1, 99_999_999):08d}",
                sme=rng.random() < 0.35,
                category=category,
                criticality=criticality,
                annual_spend=_money(rng, 1_000, spend_top[criticality.value]),
                owner=owner,
                review_cadence_months=None if rng.random() < 0.7 else rng.choice([3, 6, 12]),
                last_review=last_review,
                runs_clinical_systems=category
                in (SupplyCategory.EPR, SupplyCategory.IMAGING_PACS, SupplyCategory.PATHOLOGY_LIMS)
                or rng.random() < 0.1,
                dspt_status=rng.choice(list(DsptStatus)),
                cyber_essentials=rng.choice(list(CyberEssentials)),
                dtac_complete=rng.choice([True, False, None]),
                clinical_safety_case=rng.choice([True, False, None]),
                shared_with=rng.sample(
                    ["Riverside ICS", "Hilltop Trust", "Eastmoor Trust"], k=rng.randint(0, 2)
                ),
                notes="",
            )
        )
        for c in range(max(1, round(rng.gauss(3, 1)))):
            start = today - dt.timedelta(days=rng.randint(30, 2500))
            end = None if rng.random() < 0.05 else start + dt.timedelta(days=rng.randint(365, 2900))
            annual = _money(rng, 500, spend_top[criticality.value])
            contracts.append(
                Contract(
                    supplier=name,
                    title=f"Contract {c + 1}: {category.label} services",
                    what_is_bought=rng.choice(list(PurchaseKind)),
                    contract_type=rng.choice(list(ContractType)),
                    procurement_route=rng.choice(_ROUTES),
                    start_date=start,
                    end_date=end,
                    notice_period_days=rng.choice([None, 30, 90, 180, 365]),
                    auto_renewal=rng.random() < 0.3,
                    annual_value=annual,
                    total_value=annual * rng.randint(1, 7),
                    lifetime_cost=None if rng.random() < 0.4 else annual * rng.randint(3, 12),
                    milestone_payments=rng.choice([True, False, None]),
                    break_clause=rng.choice([True, False, None]),
                    exit_assistance_clause=rng.choice([True, False, None]),
                    data_ownership_clause=rng.choice([True, False, None]),
                    ip_owner=rng.choice(list(IpOwner)),
                    migration_lead_time_days=rng.choice([None, 60, 180, 365, 540]),
                )
            )
        share = _ANSWERED_SHARE[criticality]
        for question in bank:
            if rng.random() < share and question.applies(category, criticality):
                value = _pick(rng, _ANSWER_MIX)
                answers.append(
                    Answer(
                        supplier=name,
                        question_id=question.id,
                        answer=value,
                        answered_by=owner,
                        answered_on=today - dt.timedelta(days=rng.randint(0, 400)),
                    )
                )
    register = Register(
        people=people, suppliers=out_suppliers, contracts=contracts, answers=answers
    )
    return add_continuity(register, seed=seed, today=today) if continuity else register


# ------------------------------------------------------------ services and dependencies

_SERVICE_KINDS = [
    ("ED triage", True),
    ("Radiology reporting", True),
    ("Pathology results", True),
    ("Maternity records", True),
    ("Theatre scheduling", True),
    ("Pharmacy dispensing", True),
    ("Outpatient booking", False),
    ("Payroll", False),
    ("Finance ledger", False),
    ("Staff rostering", False),
]
_CHAIN_KINDS = [
    DependencyKind.INTEGRATION,
    DependencyKind.SUBCONTRACTOR,
    DependencyKind.DATA_PROCESSOR,
    DependencyKind.NETWORK,
    DependencyKind.LICENCE_RESELLER,
    DependencyKind.HOSTING,
]
CHAIN_FAN_IN = 10
"""About this many chains share each supplier at the bottom (a common integrator or host)."""


def add_continuity(
    register: Register,
    *,
    seed: int = 1,
    today: dt.date | None = None,
    services_per_top: int = 10,
    chain_depth: int = 5,
    hosted_share: float = 0.01,
) -> Register:
    """``register`` with the services it runs, their contracts' exit facts and dependencies.

    Every strategic supplier (the most critical one when there is none) has
    ``services_per_top`` services (about six in ten clinical) on its current contracts, whose
    exit facts (substitutability, exit plan, alternatives, data location) are filled in, some
    left unknown; it depends on a chain of ``chain_depth`` other suppliers, one below the
    next, whose bottom supplier is shared by about :data:`CHAIN_FAN_IN` chains; and a hosting
    provider hosts ``hosted_share`` of all suppliers (none of the chains' own), a tenth of
    the strategic ones among them, so a chain is exactly ``chain_depth`` deep.  No loop: each level of the chains is a set of its own, and the host depends on
    nobody.  Deterministic by ``seed``, from a random stream of its own.
    """
    rng = random.Random(f"continuity-{seed}")
    today = today or dt.date(2026, 11, 26)
    suppliers = register.suppliers
    if not suppliers:
        return register
    tops = [s for s in suppliers if s.criticality is Criticality.STRATEGIC] or [
        max(suppliers, key=lambda s: s.criticality.rank)
    ]
    top_names = {s.name for s in tops}
    others = [s.name for s in suppliers if s.name not in top_names]
    rng.shuffle(others)
    host = others.pop() if others else None

    services: list[Service] = []
    top_services: dict[str, list[str]] = {}
    for k, top in enumerate(tops, start=1):
        own: list[str] = []
        for n in range(services_per_top):
            kind, clinical = _SERVICE_KINDS[n % len(_SERVICE_KINDS)]
            name = f"{kind} {k}" + (f"-{n // len(_SERVICE_KINDS) + 1}" if n >= 10 else "")
            fallback = rng.choice(list(Fallback))
            tested = (
                fallback in (Fallback.MANUAL, Fallback.ALTERNATIVE_SYSTEM) and rng.random() < 0.5
            )
            services.append(
                Service(
                    name=name,
                    clinical=clinical,
                    sites=rng.choice(["", "All sites", "Main hospital", "Community"]),
                    people_per_day=rng.choice([None, 40, 300, 2500]),
                    max_outage_hours=rng.choice([None, 1, 2, 4, 8, 24, 72]),
                    fallback=fallback,
                    fallback_tested=today - dt.timedelta(days=rng.randint(30, 900))
                    if tested
                    else None,
                )
            )
            own.append(name)
        top_services[top.name] = own

    def current(contract: Contract) -> bool:
        return contract.end_date is None or contract.end_date >= today

    by_supplier: dict[str, list[int]] = {}
    for index, contract in enumerate(register.contracts):
        if contract.supplier in top_services:
            by_supplier.setdefault(contract.supplier, []).append(index)
    changed: dict[int, Contract] = {}
    for name, indexes in by_supplier.items():
        live = [i for i in indexes if current(register.contracts[i])]
        if not live:  # a strategic supplier's services run on a current contract
            first = register.contracts[indexes[0]]
            start = first.start_date
            end = today + dt.timedelta(days=rng.randint(200, 1500))
            changed[indexes[0]] = first.model_copy(
                update={"end_date": end if start is None or end >= start else start}
            )
            live = [indexes[0]]
        supported: dict[int, list[str]] = {i: [] for i in live}
        for n, service in enumerate(top_services[name]):
            supported[live[n % len(live)]].append(service)
        for i, listed in supported.items():
            base = changed.get(i, register.contracts[i])
            plan = rng.choice(list(ExitPlan))
            changed[i] = Contract.model_validate(
                {
                    **base.model_dump(),
                    "services": listed,
                    "substitutability": rng.choice(list(Substitutability)),
                    "insourcing": rng.choice(list(Difficulty)),
                    "alternative_providers": rng.sample(
                        [s.name for s in rng.sample(suppliers, k=min(3, len(suppliers)))],
                        k=rng.randint(0, min(2, len(suppliers))),
                    ),
                    "exit_plan": plan,
                    "exit_plan_tested": today - dt.timedelta(days=rng.randint(30, 700))
                    if plan is ExitPlan.TESTED and rng.random() < 0.7
                    else None,
                    "data_location": rng.choice(list(DataLocation)),
                    "patient_data": rng.choice([True, False, None]),
                }
            )
    contracts = [changed.get(i, c) for i, c in enumerate(register.contracts)]

    # Chains: top -> level 1 -> ... -> level ``chain_depth``; each level a set of its own.
    dependencies: list[Dependency] = []
    chains = min(len(tops), len(others) // (chain_depth + 1)) if chain_depth else 0
    bottoms = max(1, chains // CHAIN_FAN_IN)
    levels: list[list[str]] = []
    for level in range(1, chain_depth + 1):
        size = bottoms if level == chain_depth else chains
        levels.append([others.pop() for _ in range(size)] if chains else [])
    for c in range(chains):
        chain = [tops[c].name, *(levels[d][c % len(levels[d])] for d in range(chain_depth))]
        for upper, lower in itertools.pairwise(chain):
            dependencies.append(
                Dependency(supplier=upper, depends_on=lower, kind=rng.choice(_CHAIN_KINDS))
            )
    seen = {(d.supplier, d.depends_on) for d in dependencies}
    if host is not None:
        hosted = rng.sample(tops, k=max(1, len(tops) // 10)) if tops else []
        in_chains = {name for level in levels for name in level}
        pool = [s for s in suppliers if s.name != host and s.name not in in_chains]
        hosted += rng.sample(pool, k=min(len(pool), max(1, int(len(suppliers) * hosted_share))))
        for supplier in hosted:
            if (supplier.name, host) not in seen:
                seen.add((supplier.name, host))
                dependencies.append(
                    Dependency(
                        supplier=supplier.name,
                        depends_on=host,
                        kind=DependencyKind.HOSTING,
                        note="hosted",
                    )
                )
    return register.model_copy(
        update={"contracts": contracts, "services": services, "dependencies": dependencies}
    )
