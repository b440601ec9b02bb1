"""The contract form and card: how a contract was competed and its extension options."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from supplier_register.domain import Competition, ContractRecord
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.supplier import SupplierScreen, competition_and_extensions
from tests.tui.test_tui_services import EPR, contract, fill, open_contract_form
from tests.tui.tui_support import make_app, settle, table_rows, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


async def test_the_facts_round_trip_through_the_contract_form(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        edit = await open_contract_form(app, pilot, "Acme [UK] Ltd", EPR)
        assert edit.initial_raw["competition"] == "unknown"
        assert edit.initial_raw["extension_count"] == ""  # not recorded, never 0
        values = {
            "competition": "further_competition",
            "extension_count": "2",
            "extension_months": "12",
        }
        fill(edit, **values)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        saved = contract(register_db, "Acme [UK] Ltd", EPR)
        assert saved.competition is Competition.FURTHER_COMPETITION
        assert (saved.extension_count, saved.extension_months) == (2, 12)
        await pilot.press("enter")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, FormScreen)
        assert {k: again.initial_raw[k] for k in values} == values


async def test_a_count_without_months_is_shown_on_the_field_and_saves_nothing(
    register_db: Path,
) -> None:
    before = table_rows(register_db, "contracts"), table_rows(register_db, "audit_log")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        edit = await open_contract_form(app, pilot, "Acme [UK] Ltd", EPR)
        fill(edit, extension_count="2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is edit
        error = edit.query_one("#error-extension_months", Static)
        assert error.display
        assert "needed with the number of extensions (2)" in str(error.visual)
    assert (table_rows(register_db, "contracts"), table_rows(register_db, "audit_log")) == before


def _record(**facts: object) -> ContractRecord:
    return ContractRecord.model_validate(
        {
            "id": 1,
            "supplier_id": 1,
            "supplier": "Acme",
            "title": "EPR",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
            **facts,
        }
    )


def test_the_card_says_not_recorded_for_unknown_facts() -> None:
    line = competition_and_extensions(_record()).plain
    assert line == "  competition not recorded · extensions not recorded"


def test_the_card_shows_the_facts_and_the_latest_end() -> None:
    line = competition_and_extensions(
        _record(
            competition="framework_direct_award",
            end_date="2027-03-31",
            extension_count=2,
            extension_months=12,
        )
    ).plain
    assert line == (
        "  competition framework direct award (no further competition) · "
        "extensions 2 x 12 months, latest end 2029-03-31"
    )
    assert competition_and_extensions(_record(extension_count=0)).plain.endswith("extensions none")
