"""Services, contracts' links to them and exit readiness, and dependencies between suppliers,
edited in the TUI: saved through the same models and repository as the CLI, refused inline
(a stale version, a loop) with the database left as it was."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static

from supplier_register.domain import (
    Contract,
    ContractRecord,
    Dependency,
    DependencyKind,
    Difficulty,
    ExitPlan,
    Fallback,
    Service,
    Substitutability,
)
from supplier_register.domain.enums import DataLocation
from supplier_register.domain.graph import loop_message
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.help import help_content
from supplier_register.tui.screens.services import ServiceList, ServicesScreen
from supplier_register.tui.screens.supplier import ContractList, DependencyList, SupplierScreen
from supplier_register.tui.widgets.blocks import BlockView
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import dump, make_app, settle, write_register_db

EPR = "EPR licence and support"


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def with_repo(path: Path) -> Repository:
    return Repository(open_database(path))


def add_service(path: Path, name: str, **fields: object) -> int:
    repo = with_repo(path)
    try:
        return repo.add_service(Service.model_validate({"name": name, **fields})).id
    finally:
        repo.db.close()


def contract(path: Path, supplier: str, title: str) -> ContractRecord:
    repo = with_repo(path)
    try:
        supplier_id = repo.find_supplier(supplier).id
        return next(c for c in repo.list_contracts(supplier_id) if c.title == title)
    finally:
        repo.db.close()


def links(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT c.title, s.name FROM contract_services cs JOIN contracts c ON c.id = "
            "cs.contract_id JOIN services s ON s.id = cs.service_id ORDER BY c.title, s.name"
        ).fetchall()


def text(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.visual) if widget.display else ""


def form(app: SupplierRegisterApp) -> FormScreen[Any, Any]:
    screen = app.screen
    assert isinstance(screen, FormScreen)
    return screen


def fill(screen: FormScreen[Any, Any], **values: object) -> None:
    """Put values straight into form fields (Inputs and Selects)."""
    for name, value in values.items():
        screen.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]


async def open_supplier(app: SupplierRegisterApp, pilot: Pilot[None], name: str) -> SupplierScreen:
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SupplierScreen)
    return screen


async def open_contract_form(
    app: SupplierRegisterApp, pilot: Pilot[None], supplier: str, title: str
) -> FormScreen[Any, Any]:
    screen = await open_supplier(app, pilot, supplier)
    await pilot.press("2")
    await pilot.pause()
    contracts = screen.query_one(ContractList)
    contract_id = contract(app.db_path, supplier, title).id
    contracts.highlighted = next(
        i
        for i in range(contracts.option_count)
        if contracts.get_option_at_index(i).id == str(contract_id)
    )
    await pilot.press("enter")
    await settle(pilot)
    return form(app)


# ------------------------------------------------------------------- services


async def test_add_a_service_then_link_it_to_a_contract(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        assert "0 services" in text(app.screen, "#services-title")
        await pilot.press("a")
        await pilot.pause()
        add = form(app)
        fill(add, name="Emergency [Dept] care", clinical="yes", max_outage_hours="4")
        fill(add, fallback="manual", fallback_tested="2026-03-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
        repo = with_repo(register_db)
        try:
            (service,) = repo.list_services()
        finally:
            repo.db.close()
        assert service.name == "Emergency [Dept] care"
        assert service.clinical is True
        assert service.max_outage_hours == 4
        assert service.fallback is Fallback.MANUAL
        assert service.fallback_tested == dt.date(2026, 3, 1)
        shown = app.screen.query_one(ServiceList).get_option_at_index(0).prompt
        assert "Emergency [Dept] care" in str(shown)  # literal, not markup
        assert "no contract supports it" in str(shown)
        # worded as the impact view words it: long dates
        assert "can cope: 4 hours" in str(shown)
        assert "fallback: Manual (paper) fallback, tested 1 March 2026" in str(shown)

        # The contract form offers it; ticked and saved, the contract supports it.
        await pilot.press("escape")
        await settle(pilot)
        edit = await open_contract_form(app, pilot, "Acme [UK] Ltd", EPR)
        choices = edit.query_one("#field-services", SelectionList)
        assert choices.option_count == 1 and choices.selected == []
        choices.select("Emergency [Dept] care")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert links(register_db) == [(EPR, "Emergency [Dept] care")]
        assert contract(register_db, "Acme [UK] Ltd", EPR).version == 2

        # The services screen now counts it.
        await pilot.press("t")
        await settle(pilot)
        shown = app.screen.query_one(ServiceList).get_option_at_index(0).prompt
        assert "supported by 1 contract of 1 supplier" in str(shown)


async def test_a_service_form_is_validated_by_the_service_model(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        before = dump(register_db)
        await pilot.press("a")
        await pilot.pause()
        add = form(app)
        fill(add, name="Pharmacy", fallback="none", fallback_tested="2026-03-01")
        fill(add, max_outage_hours="9000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form(app) is add  # still open, nothing saved
        assert text(add, "#error-clinical") == "Clinical service is required"  # never "no"
        assert "there is no fallback to have tested" in text(add, "#error-fallback_tested")
        assert "8760" in text(add, "#error-max_outage_hours")
        assert dump(register_db) == before


async def test_a_stale_service_edit_is_refused_inline(register_db: Path) -> None:
    add_service(register_db, "Radiology", clinical=True, max_outage_hours=8)
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        edit = form(app)
        assert edit.initial_raw["name"] == "Radiology"
        # Someone else saves the service while the form is open.
        repo = with_repo(register_db)
        try:
            stored = repo.find_service("Radiology")
            repo.update_service(
                stored.id, stored.model_copy(update={"max_outage_hours": 2}), stored.version
            )
        finally:
            repo.db.close()
        before = dump(register_db)
        fill(edit, max_outage_hours="24")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form(app) is edit  # still open with what was typed
        error = text(edit, "#form-error")
        assert error.startswith("service: changed by someone else since you opened it")
        assert "reload" in error
        assert edit.query_one("#field-max_outage_hours", Input).value == "24"
        assert dump(register_db) == before


async def test_deleting_a_service_says_how_many_contracts_support_it(register_db: Path) -> None:
    add_service(register_db, "Outpatients", clinical=True)
    repo = with_repo(register_db)
    try:
        for supplier, title in (("Acme [UK] Ltd", EPR), ("Beta Cloud", "Hosting")):
            record = next(
                c for c in repo.list_contracts(repo.find_supplier(supplier).id) if c.title == title
            )
            repo.update_contract(
                record.id,
                Contract.model_validate(
                    {
                        **record.model_dump(include=set(Contract.model_fields)),
                        "services": ["Outpatients"],
                    }
                ),
                record.version,
            )
    finally:
        repo.db.close()
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        shown = app.screen.query_one(ServiceList).get_option_at_index(0).prompt
        assert "supported by 2 contracts of 2 suppliers" in str(shown)
        await pilot.press("d")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        body = text(confirm, ".dialog-body")
        assert "Outpatients" in body and "2 contracts support it" in body
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ServicesScreen)
    assert links(register_db) == []
    with sqlite3.connect(register_db) as conn:
        assert conn.execute("SELECT count(*) FROM services").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM contracts").fetchone() == (3,)


# ------------------------------------------------------- contracts' exit fields


async def test_a_contracts_exit_fields_round_trip_through_the_form(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        edit = await open_contract_form(app, pilot, "Acme [UK] Ltd", EPR)
        values = {
            "substitutability": "hard",
            "substitutability_reason": "Bespoke [interfaces]",
            "insourcing": "not_possible",
            "alternative_providers": "Gamma Health, Delta EPR",
            "exit_plan": "tested",
            "exit_plan_tested": "2026-05-01",
            "data_location": "uk",
        }
        fill(edit, **values)
        edit.query_one("#field-patient_data", Select).value = "yes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        saved = contract(register_db, "Acme [UK] Ltd", EPR)
        assert saved.substitutability is Substitutability.HARD
        assert saved.substitutability_reason == "Bespoke [interfaces]"
        assert saved.insourcing is Difficulty.NOT_POSSIBLE
        assert saved.alternative_providers == ["Gamma Health", "Delta EPR"]
        assert saved.exit_plan is ExitPlan.TESTED
        assert saved.exit_plan_tested == dt.date(2026, 5, 1)
        assert saved.data_location is DataLocation.UK
        assert saved.patient_data is True
        # Opened again, the form shows exactly what was saved.
        await pilot.press("enter")
        await settle(pilot)
        again = form(app)
        assert {k: again.initial_raw[k] for k in values} == values
        assert again.initial_raw["patient_data"] is True
        assert not again.is_dirty


async def test_an_untouched_contract_form_leaves_exit_readiness_unknown(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_supplier(app, pilot, "Cobalt Devices")
        await pilot.press("c")
        await settle(pilot)
        add = form(app)
        fill(
            add,
            title="Scanners",
            what_is_bought="commodity",
            contract_type="fixed_scope_fixed_price",
            procurement_route="framework",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
    saved = contract(register_db, "Cobalt Devices", "Scanners")
    assert saved.exit_plan is ExitPlan.UNKNOWN
    assert saved.exit_plan_tested is None
    assert saved.patient_data is None
    assert saved.substitutability is Substitutability.UNKNOWN
    assert saved.insourcing is Difficulty.UNKNOWN
    assert saved.data_location is DataLocation.UNKNOWN
    assert saved.alternative_providers == []
    assert saved.services == []
    with sqlite3.connect(register_db) as conn:
        raw = conn.execute(
            "SELECT exit_plan, patient_data FROM contracts WHERE title = 'Scanners'"
        ).fetchone()
    assert raw == ("unknown", None)


async def test_the_supplier_form_saves_a_parent_group(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_supplier(app, pilot, "Beta Cloud")
        await pilot.press("e")
        await settle(pilot)
        fill(form(app), parent_group="Omega [Holdings] plc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert "Omega [Holdings] plc" in app.screen.query_one("#overview-body", BlockView).text
    repo = with_repo(register_db)
    try:
        assert repo.find_supplier("Beta Cloud").parent_group == "Omega [Holdings] plc"
    finally:
        repo.db.close()


# --------------------------------------------------------------- dependencies


def dependencies(path: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT a.name, b.name, d.kind, d.note FROM dependencies d JOIN suppliers a ON "
            "a.id = d.supplier_id JOIN suppliers b ON b.id = d.depends_on_id ORDER BY d.id"
        ).fetchall()


async def test_add_edit_and_delete_a_dependency(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplier(app, pilot, "Acme [UK] Ltd")
        await pilot.press("6")
        await settle(pilot)
        assert "nothing recorded" in text(screen, "#dependencies-head")
        await pilot.press("n")
        await pilot.pause()
        add = form(app)
        offered = [str(p) for p, _ in add.query_one("#field-depends_on", Select)._options]
        assert "Acme [UK] Ltd" not in offered and "Beta Cloud" in offered
        fill(add, depends_on="Beta Cloud", kind="hosting", note="Runs the [EPR] servers")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert dependencies(register_db) == [
            ("Acme [UK] Ltd", "Beta Cloud", "hosting", "Runs the [EPR] servers")
        ]
        listed = screen.query_one(DependencyList)
        assert listed.option_count == 1
        assert "Runs the [EPR] servers" in str(listed.get_option_at_index(0).prompt)
        # Edited: Enter on it.
        listed.focus()
        await pilot.press("enter")
        await settle(pilot)
        edit = form(app)
        assert edit.initial_raw["depends_on"] == "Beta Cloud"
        fill(edit, kind="integration")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dependencies(register_db)[0][2] == "integration"
        # Beta Cloud's screen shows who depends on it.
        await pilot.press("escape")
        beta = await open_supplier(app, pilot, "Beta Cloud")
        await pilot.press("6")
        await settle(pilot)
        assert "Acme [UK] Ltd" in text(beta, "#dependents-body")
        assert "Integration" in text(beta, "#dependents-body")
        await pilot.press("escape")
        screen = await open_supplier(app, pilot, "Acme [UK] Ltd")
        await pilot.press("6")
        await settle(pilot)
        # Deleted: x on it, then yes.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert dependencies(register_db) == []


async def test_a_dependency_making_a_loop_is_refused_inline(register_db: Path) -> None:
    repo = with_repo(register_db)
    try:
        repo.add_dependency(
            Dependency(supplier="Beta Cloud", depends_on="Cobalt Devices", kind="network")
        )
        repo.add_dependency(
            Dependency(supplier="Cobalt Devices", depends_on="Acme [UK] Ltd", kind="integration")
        )
    finally:
        repo.db.close()
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplier(app, pilot, "Acme [UK] Ltd")
        await pilot.press("6")
        await settle(pilot)
        assert "Cobalt Devices" in text(screen, "#dependents-body")
        before = dump(register_db)
        await pilot.press("n")
        await pilot.pause()
        add = form(app)
        fill(add, depends_on="Beta Cloud", kind=DependencyKind.HOSTING.value)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form(app) is add  # still open
        expected = loop_message(["Acme [UK] Ltd", "Beta Cloud", "Cobalt Devices", "Acme [UK] Ltd"])
        assert text(add, "#error-depends_on") == expected.removeprefix("depends on: ")
        assert text(add, "#form-error") == ""
        assert dump(register_db) == before


# ------------------------------------------------------------- keys and help


async def test_services_are_in_the_help_and_the_palette(register_db: Path) -> None:
    shown = help_content().plain
    assert "Services" in shown and "The trust's services: add, edit, delete" in shown
    assert "Record a supplier this one depends on" in shown
    assert "Delete the highlighted dependency" in shown
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from supplier_register.tui.commands import RegisterCommands

        provider = RegisterCommands(app.screen)
        titles = [c.title for c in provider.commands()]
        assert "The trust's services: add, edit, delete" in titles


def test_a_service_is_worded_as_the_impact_view_words_it() -> None:
    from supplier_register.domain.models import ServiceRecord
    from supplier_register.impact.cells import fallback_cell, outage_cell
    from supplier_register.services.continuity import ServiceSummary
    from supplier_register.tui.screens.services import service_option

    untested = ServiceRecord(id=1, name="Theatres", clinical=True, fallback=Fallback.MANUAL)
    unknown = ServiceRecord(id=2, name="Pathology results", clinical=True)
    shown = str(service_option(ServiceSummary(untested, 1, 1)))
    assert f"fallback: {fallback_cell(untested)}" in shown
    assert "Manual (paper) fallback, not recorded as tested" in shown
    assert f"can cope: {outage_cell(untested)}" in shown and "can cope: not recorded" in shown
    shown = str(service_option(ServiceSummary(unknown, 0, 0)))
    assert "fallback: not recorded" in shown and "unknown" not in shown
