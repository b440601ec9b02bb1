"""A register that changes over three quarters, with hand-made scores for each review."""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Contract, Person, Register, Supplier
from supplier_register.scoring.results import Band, Dimension, RegisterScores
from tests.support.reportdata import finding, question, supplier_score

A = "Acme [UK] Ltd"  # strategic EPR
B = "Beta Cloud"  # high, never reviewed
C = "Cobalt Labs"  # medium
D = "Delta Devices"  # low; leaves after Q2
E = "Echo Apps"  # high; arrives in Q3

Q2_START, Q2_CLOSE = dt.date(2026, 6, 15), dt.date(2026, 6, 30)
Q3_START, Q3_CLOSE = dt.date(2026, 9, 20), dt.date(2026, 9, 30)
Q4_START = dt.date(2026, 11, 26)


def register(quarter: int) -> Register:
    """The register as it stood when the review of 2026-Q<quarter> started."""
    suppliers = [
        Supplier(
            name=A,
            category="epr",
            criticality="strategic",
            owner="Dana Whitfield",
            last_review=dt.date(2026, 1, 10),
        ),
        Supplier(name=B, category="cloud_hosting", criticality="high", owner="Sam Okafor"),
        Supplier(
            name=C,
            category="pathology_lims",
            criticality="medium",
            last_review=dt.date(2026, 3, 1),
        ),
    ]
    if quarter == 2:
        suppliers.append(Supplier(name=D, category="devices", criticality="low"))
    else:
        suppliers.append(
            Supplier(
                name=E,
                category="patient_facing_app",
                criticality="high",
                last_review=dt.date(2026, 6, 20),
            )
        )
    contracts = [
        Contract(  # decide-by 2026-04-03: long passed while the contract still runs
            supplier=A,
            title="EPR licence",
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            end_date=dt.date(2027, 9, 30),
            notice_period_days=180,
            migration_lead_time_days=365,
        ),
        Contract(  # decide-by 2026-11-30, ends 2027-02-28
            supplier=B,
            title="Hosting",
            what_is_bought="commodity",
            contract_type="committed_cloud_spend",
            end_date=dt.date(2027, 2, 28),
            notice_period_days=90,
            auto_renewal=True,
        ),
        Contract(  # decide-by 2028-04-01: beyond the two-quarter window
            supplier=C,
            title="LIMS",
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            end_date=dt.date(2028, 6, 30),
            notice_period_days=90,
        ),
        Contract(  # ended in August 2026
            supplier=C,
            title="Old analyser support",
            what_is_bought="managed_service",
            contract_type="time_and_materials",
            end_date=dt.date(2026, 8, 31),
        ),
    ]
    return Register(
        people=[
            Person(name="Dana Whitfield", role="chief_executive"),
            Person(name="Sam Okafor", role="cio_cdo"),
        ],
        suppliers=suppliers,
        contracts=contracts,
    )


def scores(quarter: int, today: dt.date) -> RegisterScores:
    """Scores for the review of 2026-Q<quarter>: A rises, C rises, B holds."""
    a_findings = {
        2: [
            finding(A, "Auto-renews", 5, code="rule.a1"),
            finding(A, "No exit plan", 4, code="rule.a2"),
        ],
        3: [
            finding(A, "No exit plan", 4, code="rule.a2"),
            finding(A, "Decide-by passed", 6, code="rule.a3", contract="EPR licence"),
        ],
    }
    b_gap = finding(
        B,
        "Bulk export unknown",
        3,
        code="options.bulk_export",
        data_gap=True,
        dimension=Dimension.OPTIONS,
    )
    items = [
        supplier_score(
            A,
            Criticality.STRATEGIC,
            60 if quarter == 2 else 70 if quarter == 3 else 74,
            Band.HIGH,
            a_findings[min(quarter, 3)],
            [question(A, "What if Acme fails?", Criticality.STRATEGIC, 20)],
        ),
        supplier_score(B, Criticality.HIGH, 40, Band.MEDIUM, [b_gap]),
        supplier_score(
            C,
            Criticality.MEDIUM,
            20 if quarter == 2 else 35,
            Band.LOW if quarter == 2 else Band.MEDIUM,
            [] if quarter == 2 else [finding(C, "No owner", 5, code="rule.no_owner")],
        ),
    ]
    if quarter == 2:
        items.append(supplier_score(D, Criticality.LOW, 10, Band.LOW))
    else:
        items.append(supplier_score(E, Criticality.HIGH, 30, Band.MEDIUM))
    top = [q for s in items for q in s.questions]
    return RegisterScores(today=today, suppliers=items, top_questions=top)
