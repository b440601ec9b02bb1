"""The impact view and the concentration view, read from a register database."""

from __future__ import annotations

import pytest

from supplier_register.domain.enums import DependencyKind
from supplier_register.domain.errors import InvalidInput, NotFound
from supplier_register.domain.models import Dependency
from supplier_register.services.impact import register_concentration, supplier_impact
from supplier_register.storage import Repository
from tests.support.impact import impact_register
from tests.support.registers import TODAY, dump


@pytest.fixture
def loaded(repo: Repository) -> Repository:
    repo.import_register(impact_register())
    return repo


def test_integration_engine_reaches_epr_pacs_and_pathology(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "ensemble", TODAY)
    names = [s.name for s in impact.services]
    # clinical first, least tolerant first; the imaging AI through the PACS supplier
    assert names == [
        "ED triage",
        "Radiology reporting",
        "Pathology results",
        "Maternity records",
        "AI fracture triage",
    ]
    assert all(not s.direct for s in impact.services)
    by_name = {s.name: s for s in impact.services}
    assert by_name["ED triage"].through == ["Veridane"]
    assert by_name["AI fracture triage"].through == ["Iris AI", "Lumen Imaging"]
    assert by_name["ED triage"].contracts == ["Veridane / EPR"]
    assert [d.supplier for d in impact.dependents] == [
        "Corvid Labs",
        "Lumen Imaging",
        "Veridane",
        "Iris AI",
    ]
    assert impact.dependents[-1].path == ["Iris AI", "Lumen Imaging", "Ensemble"]
    assert impact.summary.startswith(
        "If Ensemble failed today, 5 services would stop (5 clinical): 0 on its own contracts "
        "and 5 through "
    )


def test_outlook_sets_tolerable_outage_against_fallback_and_move(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "Veridane", TODAY)
    triage = next(s for s in impact.services if s.name == "ED triage")
    assert triage.direct and triage.migration_lead_time_days == 548
    assert triage.outlook == (
        "ED triage can cope 2 hours without it; a manual fallback exists, last tested "
        "12 March 2024; moving off Veridane takes 18 months."
    )
    # the ended contract that also listed ED triage is not "also supporting" it
    assert triage.also_supported_by == []
    assert impact.contracts[0].decide_by is not None
    assert impact.contracts[0].days_to_decide == (impact.contracts[0].decide_by - TODAY).days


def test_hosting_provider_reaches_both_suppliers_it_hosts(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "Nimbus Hosting", TODAY)
    assert {d.supplier for d in impact.dependents} == {"Lumen Imaging", "Corvid Labs", "Iris AI"}
    assert {s.name for s in impact.services} == {
        "Radiology reporting",
        "Pathology results",
        "AI fracture triage",
    }
    pathology = next(s for s in impact.services if s.name == "Pathology results")
    assert pathology.outlook.endswith("nothing covers the time between.") is False  # no lead time
    assert "how long moving off Nimbus Hosting would take is not recorded" in pathology.outlook


def test_unknowns_are_gaps_never_no(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "Corvid Labs", TODAY)
    assert impact.contracts[0].exit_plan.value == "unknown"
    assert impact.contracts[0].patient_data is None
    assert any(
        g.startswith("Contract 'LIMS':") and "whether there is an exit plan" in g
        for g in impact.gaps
    )
    radiology = supplier_impact(loaded, "Lumen Imaging", TODAY)
    assert "Service Radiology reporting: when its fallback was last tested" in radiology.gaps


def test_supplier_without_services_says_so(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "Ensemble", TODAY)
    assert "Contract 'Integration engine': which services it supports" in impact.gaps[0]
    alone = supplier_impact(loaded, "Corvid Analytics", TODAY)
    assert alone.services == [] and "holds no current contract" in alone.summary


def test_unknown_supplier_is_one_line(loaded: Repository) -> None:
    with pytest.raises(NotFound, match="no supplier named 'Nobody'"):
        supplier_impact(loaded, "Nobody", TODAY)


def test_concentration_ranks_by_clinical_services(loaded: Repository) -> None:
    rows = register_concentration(loaded, TODAY)
    assert rows[0].name == "Ensemble" and rows[0].clinical_services == 5
    assert rows[0].direct_services == 0 and rows[0].dependents == 4
    assert rows[0].dependency_kinds == [DependencyKind.INTEGRATION]
    top3 = [r.name for r in rows[:3]]
    assert "Ensemble" in top3
    nimbus = next(r for r in rows if r.name == "Nimbus Hosting")
    assert (nimbus.services, nimbus.dependents) == (3, 3)
    group = next(r for r in rows if r.kind == "parent group")
    assert group.name == "Corvid Group" and group.members == ["Corvid Analytics", "Corvid Labs"]
    assert group.services == 1
    payco = next(r for r in rows if r.name == "PayCo")
    # the ended contract still lists ED triage: still relied on, as the impact view says
    assert (payco.services, payco.clinical_services) == (2, 1)


def test_loop_is_refused_with_its_path_and_nothing_changes(loaded: Repository) -> None:
    before = dump(loaded.db)
    with pytest.raises(InvalidInput) as caught:
        loaded.add_dependency(
            Dependency(supplier="Nimbus Hosting", depends_on="Iris AI", kind="hosting")
        )
    assert caught.value.message == (
        "depends on: Nimbus Hosting cannot depend on Iris AI, because Iris AI already depends "
        "on Nimbus Hosting through Lumen Imaging (Nimbus Hosting → Iris AI → Lumen Imaging → "
        "Nimbus Hosting); dependencies cannot go round in a loop"
    )
    assert dump(loaded.db) == before


def test_a_service_on_an_ended_contract_is_shown_as_such(loaded: Repository) -> None:
    impact = supplier_impact(loaded, "PayCo", TODAY)
    triage = next(s for s in impact.services if s.name == "ED triage")
    assert triage.ended_only and triage.contracts == ["PayCo / Old payroll (ended 31 March 2025)"]
    payroll = next(s for s in impact.services if s.name == "Payroll")
    assert not payroll.ended_only
    assert "1 service runs on contracts that have ended." in impact.summary
    assert impact.gaps[0] == (
        "Contract 'Old payroll' ended on 31 March 2025 but still supports ED triage: renew it, "
        "replace it, or record that the service has moved"
    )


def test_sample_register_answers_the_issue_questions(repo: Repository) -> None:
    """On the bundled sample: the integration engine reaches the EPR, PACS and pathology
    services; the hosting provider reaches both suppliers it hosts; the integration engine is
    among the top three by clinical services."""
    from supplier_register.interchange import read_register_file, sample_register_path

    repo.import_register(read_register_file(sample_register_path()))
    engine = supplier_impact(repo, "Ravensworth Integration Ltd", TODAY)
    through = {s.name: s.through[0] for s in engine.services if s.through}
    assert through["Emergency department triage and tracking"] == "Veridane Health Systems Ltd"
    assert through["Radiology reporting"] == "Brightwater [UK] Ltd"
    assert through["Pathology results"] == "Calderbrook Laboratory Systems Ltd"
    hosting = supplier_impact(repo, "Stratocirrus Cloud Services UK Ltd", TODAY)
    hosted = {d.supplier for d in hosting.dependents}
    assert hosted == {"Hearthside Patient Apps Ltd", "Quorvia Imaging AI Ltd"}
    reached_through = {s.through[0] for s in hosting.services if s.through}
    assert reached_through == hosted
    top3 = register_concentration(repo, TODAY, limit=3)
    assert "Ravensworth Integration Ltd" in [r.name for r in top3]


def test_batched_impacts_equal_one_at_a_time(repo: Repository) -> None:
    """The exports' batched read gives each supplier exactly the impact the view gives it."""
    from supplier_register.impact import impact_of
    from supplier_register.interchange import read_register_file, sample_register_path

    repo.import_register(read_register_file(sample_register_path()))
    ids = [s.id for s in repo.list_suppliers()]
    batched = [impact_of(r, TODAY) for r in repo.impact_records_for([*ids, 10_000], TODAY)]
    assert [b.supplier_id for b in batched] == ids  # an id no longer there is skipped
    assert batched == [supplier_impact(repo, i, TODAY) for i in ids]
    assert sum(len(b.services) for b in batched) > 40 and any(b.dependents for b in batched)


def test_time_to_move_is_the_failing_suppliers_own(loaded: Repository) -> None:
    """Through a dependent, what must be replaced is the supplier that failed: its time to move
    is shown, never the dependent's; some of its contracts not recording it reads 'at least'."""
    from supplier_register.domain.models import Contract

    engine = supplier_impact(loaded, "Ensemble", TODAY)
    triage = next(s for s in engine.services if s.name == "ED triage")
    assert triage.migration_lead_time_days == 270  # Ensemble's, not Veridane's 548
    assert "moving off Ensemble takes 9 months." in triage.outlook
    loaded.add_contract(
        Contract(
            supplier="Ensemble",
            title="Second engine",
            what_is_bought="managed_service",
            contract_type="subscription_saas",
        )
    )
    triage = next(
        s for s in supplier_impact(loaded, "Ensemble", TODAY).services if s.name == "ED triage"
    )
    assert triage.migration_lead_time_partial
    assert "takes at least 9 months (not recorded for all its contracts)" in triage.outlook


def test_a_group_of_one_is_not_a_second_row(loaded: Repository) -> None:
    payco = loaded.find_supplier("PayCo")
    loaded.update_supplier(
        payco.id, payco.model_copy(update={"parent_group": "PayGroup"}), payco.version
    )
    names = [r.name for r in register_concentration(loaded, TODAY)]
    assert "PayGroup" not in names and "Corvid Group" in names


def test_service_names_differing_only_in_non_ascii_case_are_refused(repo: Repository) -> None:
    from supplier_register.domain.errors import Duplicate
    from supplier_register.domain.models import Register, Service

    repo.add_service(Service(name="Évaluation", clinical=True))
    before = dump(repo.db)
    with pytest.raises(Duplicate, match="a service named 'Évaluation' already exists"):
        repo.add_service(Service(name="évaluation", clinical=False))
    with pytest.raises(InvalidInput, match="differ only in case"):
        repo.import_register(Register(services=[Service(name="éVALUATION", clinical=False)]))
    assert dump(repo.db) == before


def test_a_version_2_contract_without_services_keeps_its_links(loaded: Repository) -> None:
    """A file that does not speak of a contract's services leaves its links as stored."""
    from supplier_register.domain.models import Contract, Register

    veridane = loaded.find_supplier("Veridane")
    before = next(c for c in loaded.list_contracts(veridane.id) if c.title == "EPR")
    loaded.import_register(
        Register(
            contracts=[
                Contract(
                    supplier="Veridane",
                    title="EPR",
                    what_is_bought="configurable_product",
                    contract_type="subscription_saas",
                    notes="renegotiation opened",
                )
            ]
        )
    )
    after = next(c for c in loaded.list_contracts(veridane.id) if c.title == "EPR")
    assert after.notes == "renegotiation opened"
    assert after.services == before.services == ["ED triage", "Maternity records"]
