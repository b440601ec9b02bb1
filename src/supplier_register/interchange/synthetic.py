"""Synthetic registers of any size, for benchmarks and scale tests.

Seeded and reproducible: the same size and seed always give the same register.
The distributions follow what a trust or an ICS really holds: few strategic
suppliers and many low ones, about three contracts each, questionnaires mostly
answered for important suppliers and barely for the rest.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TypeVar

from supplier_register.domain.enums import (
    AnswerValue,
    ContractType,
    Criticality,
    CyberEssentials,
    DsptStatus,
    IpOwner,
    ProcurementRoute,
    PurchaseKind,
    Role,
    SupplyCategory,
)
from supplier_register.domain.models import Answer, Contract, Person, Register, Supplier
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


def _pick(rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    items = [item for item, _ in weighted]
    return rng.choices(items, weights=[w for _, w in weighted], k=1)[0]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(round(rng.uniform(low, high), -2)).quantize(Decimal("1"))


def generate_register(suppliers: int, *, seed: int = 1, today: dt.date | None = None) -> Register:
    """A valid synthetic register with ``suppliers`` suppliers, ~3 contracts each and answers."""
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
                    procurement_route=rng.choice(list(ProcurementRoute)),
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
    return Register(people=people, suppliers=out_suppliers, contracts=contracts, answers=answers)
