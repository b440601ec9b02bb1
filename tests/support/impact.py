"""A small register of services and dependencies, shaped like a trust's clinical systems.

An integration engine (Ensemble) carries the EPR's, PACS's and pathology system's feeds;
a hosting provider (Nimbus) runs the PACS and the pathology system; an imaging AI (Iris)
reaches the PACS through the PACS supplier; Payroll is corporate.
"""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.models import Contract, Dependency, Register, Service, Supplier


def impact_register() -> Register:
    """The register the impact tests answer questions about (today: 26 November 2026)."""
    return Register(
        suppliers=[
            Supplier(name="Veridane", category="epr", criticality="strategic"),
            Supplier(name="Ensemble", category="managed_service", criticality="high"),
            Supplier(name="Lumen Imaging", category="imaging_pacs", criticality="high"),
            Supplier(
                name="Corvid Labs",
                category="pathology_lims",
                criticality="high",
                parent_group="Corvid Group",
            ),
            Supplier(
                name="Corvid Analytics",
                category="other",
                criticality="low",
                parent_group="corvid group",
            ),
            Supplier(name="Iris AI", category="other", criticality="medium"),
            Supplier(name="Nimbus Hosting", category="cloud_hosting", criticality="high"),
            Supplier(name="PayCo", category="managed_service", criticality="medium"),
        ],
        services=[
            Service(
                name="ED triage",
                clinical=True,
                max_outage_hours=2,
                fallback="manual",
                fallback_tested=dt.date(2024, 3, 12),
            ),
            Service(name="Maternity records", clinical=True, max_outage_hours=8),
            Service(
                name="Radiology reporting", clinical=True, max_outage_hours=4, fallback="manual"
            ),
            Service(name="Pathology results", clinical=True, fallback="none", max_outage_hours=6),
            Service(name="AI fracture triage", clinical=True, max_outage_hours=72),
            Service(name="Payroll", clinical=False, max_outage_hours=120, fallback="none"),
        ],
        contracts=[
            Contract(
                supplier="Veridane",
                title="EPR",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                end_date=dt.date(2029, 3, 31),
                notice_period_days=365,
                migration_lead_time_days=548,
                services=["ED triage", "Maternity records"],
                exit_plan="written",
                substitutability="hard",
            ),
            Contract(
                supplier="Ensemble",
                title="Integration engine",
                what_is_bought="managed_service",
                contract_type="subscription_saas",
                end_date=dt.date(2027, 6, 30),
                migration_lead_time_days=270,
            ),
            Contract(
                supplier="Lumen Imaging",
                title="PACS",
                what_is_bought="managed_service",
                contract_type="subscription_saas",
                end_date=dt.date(2028, 1, 31),
                migration_lead_time_days=365,
                services=["Radiology reporting"],
            ),
            Contract(
                supplier="Corvid Labs",
                title="LIMS",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                services=["Pathology results"],
            ),
            Contract(
                supplier="Iris AI",
                title="Fracture AI",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                services=["AI fracture triage"],
            ),
            Contract(
                supplier="PayCo",
                title="Payroll service",
                what_is_bought="managed_service",
                contract_type="subscription_saas",
                services=["Payroll"],
            ),
            Contract(
                supplier="PayCo",
                title="Old payroll",
                what_is_bought="managed_service",
                contract_type="subscription_saas",
                end_date=dt.date(2025, 3, 31),
                services=["ED triage"],
            ),
        ],
        dependencies=[
            Dependency(supplier="Veridane", depends_on="Ensemble", kind="integration"),
            Dependency(supplier="Lumen Imaging", depends_on="Ensemble", kind="integration"),
            Dependency(supplier="Corvid Labs", depends_on="Ensemble", kind="integration"),
            Dependency(supplier="Iris AI", depends_on="Lumen Imaging", kind="integration"),
            Dependency(supplier="Lumen Imaging", depends_on="Nimbus Hosting", kind="hosting"),
            Dependency(supplier="Corvid Labs", depends_on="Nimbus Hosting", kind="hosting"),
        ],
    )
