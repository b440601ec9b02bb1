"""impact/cells.py: one wording for every impact fact, on a stored record as on the impact."""

from __future__ import annotations

import datetime as dt

import pytest

from supplier_register.domain.enums import ExitPlan, Fallback
from supplier_register.domain.models import ServiceRecord
from supplier_register.impact.cells import (
    NOT_RECORDED,
    exit_plan_text,
    fallback_cell,
    fallback_text,
    move_text,
    outage_cell,
    outage_text,
)
from supplier_register.impact.model import ServiceImpact

MAY = dt.date(2026, 5, 12)


@pytest.mark.parametrize(
    ("fallback", "tested", "expected"),
    [
        (Fallback.MANUAL, MAY, "Manual (paper) fallback, tested 12 May 2026"),
        (Fallback.ALTERNATIVE_SYSTEM, None, "Alternative system, not recorded as tested"),
        (Fallback.NONE, None, "None"),
        (Fallback.UNKNOWN, None, "not recorded"),
    ],
)
def test_fallback_words(fallback: Fallback, tested: dt.date | None, expected: str) -> None:
    assert fallback_text(fallback, tested) == expected


@pytest.mark.parametrize(
    ("plan", "tested", "expected"),
    [
        (ExitPlan.WRITTEN, None, "Written"),
        (ExitPlan.TESTED, MAY, "Written and tested, last tested 12 May 2026"),
        (ExitPlan.TESTED, None, "Written and tested, date of test not recorded"),
        (ExitPlan.NONE, None, "None"),
        (ExitPlan.UNKNOWN, None, "not recorded"),
    ],
)
def test_exit_plan_words(plan: ExitPlan, tested: dt.date | None, expected: str) -> None:
    assert exit_plan_text(plan, tested) == expected


def test_unknown_is_not_recorded() -> None:
    assert outage_text(None) == move_text(None) == NOT_RECORDED == "not recorded"
    assert outage_text(12) == "12 hours" and outage_text(72) == "3 days"
    assert move_text(540) == "18 months"


def test_a_stored_service_reads_as_its_impact() -> None:
    record = ServiceRecord(
        id=1,
        name="ED triage",
        clinical=True,
        max_outage_hours=48,
        fallback=Fallback.MANUAL,
        fallback_tested=MAY,
    )
    impact = ServiceImpact(
        name="ED triage",
        clinical=True,
        sites="",
        people_affected="",
        people_per_day=None,
        max_outage_hours=48,
        fallback=Fallback.MANUAL,
        fallback_tested=MAY,
        direct=True,
        through=[],
        contracts=["EPR"],
        also_supported_by=[],
        migration_lead_time_days=None,
        outlook="",
    )
    assert outage_cell(record) == outage_cell(impact) == "2 days"
    assert fallback_cell(record) == fallback_cell(impact)
    assert fallback_cell(record) == "Manual (paper) fallback, tested 12 May 2026"


def test_a_chain_of_dependents_reads_as_a_sentence() -> None:
    from supplier_register.domain.enums import Criticality, DependencyKind
    from supplier_register.impact.cells import chain_text, services_of_dependent_text
    from supplier_register.impact.model import DependentImpact

    dependent = DependentImpact(
        supplier="Iris AI",
        criticality=Criticality.MEDIUM,
        path=["Iris AI", "Lumen Imaging", "Nimbus"],
        kinds=[DependencyKind.INTEGRATION, DependencyKind.HOSTING],
        services=0,
    )
    assert chain_text(dependent) == (
        "Iris AI depends on Lumen Imaging (integration), which depends on Nimbus (hosting)"
    )
    assert services_of_dependent_text(dependent).startswith("supports none of the services")
