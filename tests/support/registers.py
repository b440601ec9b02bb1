"""A small known register, a fixed "today", and a dump of every row for before/after checks."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from supplier_register.domain.models import (
    Answer,
    Contract,
    Dependency,
    Person,
    Register,
    Service,
    Supplier,
)

TODAY = dt.date(2026, 11, 26)

M = TypeVar("M", bound=BaseModel)


def small_register() -> Register:
    """A tiny register with one of everything, for storage and CLI tests."""
    return Register(
        people=[
            Person(name="Dana Whitfield", role="chief_executive", contact="dana@example.nhs.uk"),
            Person(name="Sam Okafor", role="cio_cdo"),
        ],
        suppliers=[
            Supplier(
                name="Acme [UK] Ltd",
                category="epr",
                criticality="strategic",
                owner="Dana Whitfield",
                annual_spend="1250000.50",
                shared_with=["Riverside ICS"],
                company_number="01234567",
                last_review=dt.date(2026, 6, 1),
            ),
            Supplier(
                name="Beta Cloud", category="cloud_hosting", criticality="high", owner="Sam Okafor"
            ),
        ],
        contracts=[
            Contract(
                supplier="Acme [UK] Ltd",
                title="EPR licence and support",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                procurement_route="framework",
                start_date=dt.date(2022, 4, 1),
                end_date=dt.date(2027, 3, 31),
                notice_period_days=180,
                migration_lead_time_days=365,
                auto_renewal=True,
                annual_value="900000",
            ),
            Contract(
                supplier="Beta Cloud",
                title="Hosting",
                what_is_bought="commodity",
                contract_type="committed_cloud_spend",
            ),
        ],
        answers=[
            Answer(supplier="Acme [UK] Ltd", question_id="options.bulk_export", answer="unknown"),
        ],
    )


def before_tri_state(register: Register) -> Register:
    """``register`` as releases before m015 stored it: SME, clinical systems and auto-renewal
    never empty (a fact not recorded was stored as "no"), for writing into an older schema."""
    return register.model_copy(
        update={
            "suppliers": [
                s.model_copy(
                    update={
                        "sme": bool(s.sme),
                        "runs_clinical_systems": bool(s.runs_clinical_systems),
                    }
                )
                for s in register.suppliers
            ],
            "contracts": [
                c.model_copy(update={"auto_renewal": bool(c.auto_renewal)})
                for c in register.contracts
            ],
        }
    )


def _with(record: M, **changes: object) -> M:
    """``record`` with ``changes``, validated as a new record of its kind."""
    return type(record).model_validate({**record.model_dump(), **changes})


def linked_register() -> Register:
    """:func:`small_register` with services, links, dependencies, groups and every exit field.

    Three suppliers (two of one parent group), three services (one corporate), contracts
    supporting them (one contract two services), and a chain of dependencies
    Acme -> Beta Cloud -> Gamma Networks.
    """
    base = small_register()
    suppliers = [
        _with(base.suppliers[0], parent_group="Acme Holdings plc"),
        base.suppliers[1],
        Supplier(
            name="Gamma Networks",
            category="infrastructure_network",
            criticality="high",
            owner="Sam Okafor",
            parent_group="Acme Holdings plc",
        ),
    ]
    services = [
        Service(
            name="ED triage",
            clinical=True,
            sites="Main hospital",
            people_affected="ED patients",
            people_per_day=300,
            max_outage_hours=1,
            fallback="alternative_system",
            fallback_tested=dt.date(2025, 2, 14),
        ),
        Service(
            name="Payroll",
            clinical=False,
            people_affected="All staff",
            max_outage_hours=72,
            fallback="none",
        ),
        Service(
            name="Radiology reporting",
            clinical=True,
            sites="Main hospital; Westfield",
            people_affected="Radiologists, ED, inpatients",
            people_per_day=450,
            max_outage_hours=4,
            fallback="manual",
            fallback_tested=dt.date(2024, 10, 3),
            notes="Paper request forms in the department office.",
        ),
    ]
    exit_fields = {
        "substitutability": "hard",
        "substitutability_reason": "Few suppliers of its size; two-year data migration.",
        "insourcing": "not_possible",
        "alternative_providers": ["Delta Health", "Epsilon Systems"],
        "exit_plan": "tested",
        "exit_plan_tested": dt.date(2025, 5, 20),
        "data_location": "uk",
        "patient_data": True,
    }
    contracts = [
        _with(base.contracts[0], **exit_fields, services=["ED triage", "Radiology reporting"]),
        _with(
            base.contracts[1],
            services=["Payroll"],
            substitutability="easy",
            substitutability_reason="Commodity hosting.",
            insourcing="hard",
            alternative_providers=["Zeta Cloud"],
            exit_plan="written",
            data_location="eea",
            patient_data=False,
        ),
        Contract(
            supplier="Gamma Networks",
            title="WAN",
            what_is_bought="commodity",
            contract_type="fixed_scope_fixed_price",
            services=["Radiology reporting"],
            **exit_fields,
        ),
    ]
    dependencies = [
        Dependency(
            supplier="Acme [UK] Ltd", depends_on="Beta Cloud", kind="hosting", note="EPR hosted"
        ),
        Dependency(supplier="Beta Cloud", depends_on="Gamma Networks", kind="network"),
    ]
    return Register(
        people=base.people,
        suppliers=suppliers,
        contracts=contracts,
        answers=base.answers,
        services=services,
        dependencies=dependencies,
    )


def dump(path_or_db: Path | Database) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table, for checking a database is exactly as it was."""
    if isinstance(path_or_db, Database):
        conn = path_or_db.conn
        own = False
    else:
        conn = sqlite3.connect(path_or_db)
        own = True
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return [(t, list(conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid"))) for t in tables]
    finally:
        if own:
            conn.close()
