"""Pilot tests of every TUI flow, each checking the database and what the widgets hold."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static

from supplier_register.domain import Register
from supplier_register.interchange import dump_register_json
from supplier_register.storage import Repository, open_database
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.help import HelpScreen
from supplier_register.tui.screens.people import PeopleScreen
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import ContractList, SupplierScreen
from supplier_register.tui.widgets.blocks import BlockView
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import (
    HOSTILE_NAME,
    dump,
    engine_scores,
    known_register,
    make_app,
    settle,
    table_rows,
    write_register_db,
)


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    """A register database file holding the known register."""
    return write_register_db(tmp_path)


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    """A migrated register database with nothing in it."""
    return write_register_db(tmp_path, Register())


def supplier_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM suppliers ORDER BY id")]


def shown_text(table: RegisterTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


def static_text(screen: object, selector: str) -> str:
    """The plain text a Static (or a page of blocks) is showing."""
    widget = screen.query_one(selector)  # type: ignore[attr-defined]
    if isinstance(widget, BlockView):
        return widget.text
    assert isinstance(widget, Static)
    return str(widget.visual)


async def choose(pilot, select_id: str, label: str) -> None:  # type: ignore[no-untyped-def]
    """Pick an option of a Select by keyboard: focus, open, move to the label, enter."""
    select = pilot.app.screen.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    overlay = select.query_one(OptionList)
    for _ in range(overlay.option_count + 1):
        option = overlay.get_option_at_index(overlay.highlighted or 0)
        if str(option.prompt) == label:
            break
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    assert str(select.selection) == label or select.value is not Select.NULL


def plain(prompt: object) -> str:
    """The text of an option prompt, whether Content or a Rich renderable."""
    if isinstance(prompt, Content):
        return prompt.plain
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(prompt)
    return console.export_text()


def fill(screen: object, **values: object) -> None:
    """Put values straight into form fields (typing is exercised in the filter and add tests)."""
    for name, value in values.items():
        widget = screen.query_one(f"#field-{name}")  # type: ignore[attr-defined]
        widget.value = value


# ------------------------------------------------------------------- register


async def test_register_lists_every_supplier_with_scores(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        assert {row.name for row in table.rows} == set(supplier_names(register_db))
        assert all(row.score is not None and row.band is not None for row in table.rows)
        assert app.snapshot is not None
        by_name = {s.supplier: s for s in engine_scores(register_db).suppliers}
        for row in table.rows:
            assert row.score == by_name[row.name].score
            assert row.questions == len(by_name[row.name].questions)
        status = static_text(app.screen, "#status")
        assert "4 suppliers" in status


async def test_hostile_name_is_shown_literally(register_db: Path) -> None:
    app = make_app(register_db)
    # Wide enough for the whole hostile name in the name column, beside the score columns.
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        assert HOSTILE_NAME in shown_text(table)
        assert "Acme [UK] Ltd" in shown_text(table)
        assert table.move_to_id(next(r.id for r in table.rows if r.name == HOSTILE_NAME))
        await pilot.pause()
        assert HOSTILE_NAME in static_text(app.screen, "#preview")
        assert "Priya [Ops] Shah" in static_text(app.screen, "#preview")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert HOSTILE_NAME in static_text(app.screen, "#supplier-title")
        assert app.is_running


async def test_filter_as_you_type(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        await pilot.press("slash")
        assert app.screen.query_one("#filter", Input).has_focus
        await pilot.press(*"beta")
        assert [r.name for r in table.view] == ["Beta Cloud"]
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"strategic")
        assert [r.name for r in table.view] == ["Acme [UK] Ltd"]
        await pilot.pause()
        assert "1 of 4 suppliers" in static_text(app.screen, "#status")
        await pilot.press("escape")
        assert app.screen.query_one("#filter", Input).value == ""
        assert table.row_count == 4
        await pilot.press("escape")
        assert table.has_focus


async def test_sort_by_key_and_header_click(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        await pilot.press("1")
        names = [r.name for r in table.view]
        assert names == sorted(names, key=str.casefold)
        await pilot.press("1")
        assert [r.name for r in table.view] == names[::-1]
        await pilot.press("2")
        assert [r.criticality.value for r in table.view] == ["strategic", "high", "medium", "low"]
        x = table.render_line(0).text.index("Decide by")
        await pilot.click(RegisterTable, offset=(x, 0))
        assert table.sort_key == "decide_by"
        dates = [r.decide_by for r in table.view if r.decide_by is not None]
        assert dates == sorted(dates)
        assert "sorted by decide by" in static_text(app.screen, "#status")


# ------------------------------------------------------------------ suppliers


async def test_add_supplier(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Delta")
        await choose(pilot, "#field-category", "EPR")
        await choose(pilot, "#field-criticality", "High")
        await choose(pilot, "#field-owner", "Sam Okafor")
        fill(app.screen, annual_spend="£12,500")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        with sqlite3.connect(register_db) as conn:
            row = conn.execute(
                "SELECT s.category, s.criticality, s.annual_spend_pence, p.name FROM suppliers s"
                " LEFT JOIN people p ON p.id = s.owner_id WHERE s.name = 'Delta'"
            ).fetchone()
        assert row == ("epr", "high", 1_250_000, "Sam Okafor")
        table = app.screen.query_one(RegisterTable)
        assert table.cursor_supplier is not None
        assert table.cursor_supplier.name == "Delta"
        assert table.cursor_supplier.score is not None  # scored at once


async def test_validation_error_is_shown_and_nothing_saved(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)  # as loaded (and scored: the score cache written)
        await pilot.press("a")
        await pilot.pause()
        fill(
            app.screen,
            name="Echo Ltd",
            category="devices",
            criticality="low",
            company_number="123",
            last_review="2026-02-30",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert set(form.errors) == {"company_number", "last_review"}
        error = static_text(form, "#error-company_number")
        assert error == "Company number must be 8 digits, or 2 letters followed by 6 digits"
        assert form.query_one("#error-company_number").display
        assert static_text(form, "#error-last_review") == (
            "Last review: '2026-02-30' is not a date: day is out of range for month"
        )
        assert form.query_one("#field-company_number").has_focus
        # Fix one, the other still blocks the save.
        form.query_one("#field-company_number", Input).value = "12345678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert set(form.errors) == {"last_review"}
    assert dump(register_db) == before


async def test_duplicate_name_refused_by_storage_inline(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)  # as loaded (and scored: the score cache written)
        await pilot.press("a")
        await pilot.pause()
        fill(app.screen, name="beta cloud", category="devices", criticality="low")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "already exists" in form.errors["name"]
        assert "already exists" in static_text(form, "#error-name")
        assert not form.saving
    assert dump(register_db) == before


async def test_edit_supplier_and_stale_edit_refused(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        table.move_to_id(next(r.id for r in table.rows if r.name == "Cobalt Devices"))
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-name", Input).value == "Cobalt Devices"
        fill(form, owner="Dana Whitfield")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert table.cursor_supplier is not None
        assert table.cursor_supplier.owner == "Dana Whitfield"

        # Somebody else saves the supplier while our form is open.
        await pilot.press("e")
        await pilot.pause()
        db = open_database(register_db)
        try:
            repo = Repository(db)
            record = repo.find_supplier("Cobalt Devices")
            repo.update_supplier(record.id, record.model_copy(update={"notes": "theirs"}))
        finally:
            db.close()
        before = dump(register_db)
        app.screen.query_one("#field-company_number", Input).value = "AB123456"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "changed by someone else" in static_text(app.screen, "#form-error")
        assert dump(register_db) == before


async def test_delete_supplier_needs_confirmation(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        acme = next(r.id for r in table.rows if r.name == "Acme [UK] Ltd")
        table.move_to_id(acme)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        body = static_text(app.screen, ".dialog-body")
        assert "Acme [UK] Ltd" in body
        assert "2 contracts" in body
        await pilot.press("n")
        await settle(pilot)
        assert "Acme [UK] Ltd" in supplier_names(register_db)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "Acme [UK] Ltd" not in supplier_names(register_db)
        assert all(row[1] != acme for row in table_rows(register_db, "contracts"))
        assert all(r.id != acme for r in table.rows)
        assert table.row_count == 3


# ------------------------------------------------------------------ contracts


async def open_supplier(pilot, name: str) -> SupplierScreen:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SupplierScreen)
    return screen


async def test_supplier_screen_shows_everything(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_supplier(pilot, "Acme [UK] Ltd")
        assert app.snapshot is not None
        score = next(
            s for s in engine_scores(register_db).suppliers if s.supplier == "Acme [UK] Ltd"
        )
        overview = static_text(screen, "#overview-body")
        assert "Dana Whitfield" in overview
        assert "£1,250,000.50" in overview
        findings = static_text(screen, "#score-body")
        for finding in score.findings:
            assert finding.title in findings
            assert finding.explanation in findings
        for dimension in score.dimensions:
            assert dimension.dimension.label in findings
        questions = static_text(screen, "#questions-body")
        for question in score.questions:
            assert question.text in questions
        answers = static_text(screen, "#answers-body")
        assert "questions answered" in answers
        contracts = screen.query_one(ContractList)
        assert contracts.option_count == 2
        first = str(contracts.get_option_at_index(0).prompt)
        assert "EPR licence and support" in first
        assert "decide by 2025-10-02" in first  # 2027-03-31 less 180 + 365 days
        await pilot.press("5")
        assert screen.query_one("#supplier-tabs").active == "questions"  # type: ignore[attr-defined]


async def test_edit_contract(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_supplier(pilot, "Acme [UK] Ltd")
        await pilot.press("2")
        contracts = screen.query_one(ContractList)
        contracts.focus()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-title", Input).value == "EPR licence and support"
        notice = form.query_one("#field-notice_period_days", Input)
        notice.value = ""
        notice.focus()
        await pilot.press("9", "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with sqlite3.connect(register_db) as conn:
            notice_days, version = conn.execute(
                "SELECT notice_period_days, version FROM contracts WHERE title = ?",
                ["EPR licence and support"],
            ).fetchone()
        assert (notice_days, version) == (90, 2)
        assert "decide by 2025-12-31" in str(contracts.get_option_at_index(0).prompt)


async def test_add_and_delete_contract(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_supplier(pilot, "Cobalt Devices")
        await pilot.press("2")
        await pilot.press("c")
        await pilot.pause()
        fill(
            app.screen,
            title="Laptops",
            what_is_bought="commodity",
            contract_type="pay_as_you_go",
            end_date="2027-01-31",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        titles = [r[2] for r in table_rows(register_db, "contracts")]
        assert "Laptops" in titles
        contracts = screen.query_one(ContractList)
        assert contracts.option_count == 1
        contracts.focus()
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "Laptops" not in [r[2] for r in table_rows(register_db, "contracts")]
        assert contracts.option_count == 0


# -------------------------------------------------------------- questionnaire


async def test_answer_questions(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        table.move_to_id(next(r.id for r in table.rows if r.name == "Beta Cloud"))
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        first = screen.question
        assert first is not None
        assert first.why_it_matters in static_text(screen, "#q-why")
        assert first.wording in static_text(screen, "#q-wording")
        await pilot.press("y")
        await settle(pilot)
        with sqlite3.connect(register_db) as conn:
            rows = conn.execute(
                "SELECT question_id, answer, answered_on, answered_by FROM answers a"
                " JOIN suppliers s ON s.id = a.supplier_id WHERE s.name = 'Beta Cloud'"
            ).fetchall()
        # Answered by the supplier's relationship owner unless somebody else is chosen.
        assert rows == [(first.id, "yes", "2026-11-26", "Sam Okafor")]
        assert "Saved: Yes" in static_text(screen, "#q-state")
        await pilot.press("right_square_bracket")
        second = screen.question
        assert second is not None
        assert second.id != first.id
        await pilot.press("e")
        evidence = screen.query_one("#q-evidence", Input)
        assert evidence.has_focus
        evidence.value = "No exit plan in contract"
        screen.query_one("#q-answers").focus()
        await pilot.press("down", "down", "enter")  # Yes, Partly, No
        await settle(pilot)
        with sqlite3.connect(register_db) as conn:
            row = conn.execute(
                "SELECT answer, evidence FROM answers WHERE question_id = ?", [second.id]
            ).fetchone()
        assert row == ("no", "No exit plan in contract")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)


# ---------------------------------------------------------------- board, help


async def test_help_lists_keys_and_palette_runs_actions(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = static_text(app.screen, "#help-body")
        for expected in ("Add a supplier", "Board pack", "Delete the highlighted contract"):
            assert expected in help_text
        await pilot.press("escape")
        await pilot.pause()
        titles = {c.title for c in RegisterCommands(app.screen).commands()}
        assert {
            "Add a supplier",
            "Edit the highlighted supplier",
            "Delete the highlighted supplier",
            "Board pack: decisions required, board questions, management actions",
            "Filter suppliers as you type",
            "Show every key",
            "Sort by owner",
        } <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"relationship")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)


# --------------------------------------------------------------------- people


async def test_add_and_delete_owner(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        await pilot.press("a")
        await pilot.pause()
        fill(app.screen, name="Lee Chan", role="commercial_lead")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        people = [r[1] for r in table_rows(register_db, "people")]
        assert "Lee Chan" in people
        people_list = screen.query_one(OptionList)
        prompts = [
            plain(people_list.get_option_at_index(i).prompt)
            for i in range(people_list.option_count)
        ]
        assert any("Priya [Ops] Shah" in p for p in prompts)
        # Delete Sam Okafor, who owns Beta Cloud.
        people_list.highlighted = next(i for i, p in enumerate(prompts) if "Sam Okafor" in p)
        await pilot.press("d")
        await pilot.pause()
        assert "1 supplier will have no relationship owner" in static_text(
            app.screen, ".dialog-body"
        )
        await pilot.press("y")
        await settle(pilot)
        assert "Sam Okafor" not in [r[1] for r in table_rows(register_db, "people")]
        with sqlite3.connect(register_db) as conn:
            owner = conn.execute(
                "SELECT owner_id FROM suppliers WHERE name='Beta Cloud'"
            ).fetchone()
        assert owner == (None,)


# ----------------------------------------------------------------- empty, import


async def test_empty_register_explains_import_and_sample(empty_db: Path, tmp_path: Path) -> None:
    app = make_app(empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        help_text = static_text(app.screen, "#empty-help")
        assert "import" in help_text
        assert "sample" in help_text
        assert app.screen.query_one("#empty-help").display
        assert not app.screen.query_one(RegisterTable).display
        # A bad file: one-line error, nothing imported.
        bad = tmp_path / "bad.json"
        bad.write_text('{"format": "supplier-register", "format_version": 1, "suppliers": [{}]}')
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert "Nothing was imported" in static_text(app.screen, "#import-error")
        assert table_rows(empty_db, "suppliers") == []
        good = tmp_path / "good.json"
        good.write_text(dump_register_json(known_register()))
        app.screen.query_one("#import-path", Input).value = str(good)
        await pilot.press("ctrl+s")  # saves as in every form: here, imports
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert len(table_rows(empty_db, "suppliers")) == 4
        assert app.screen.query_one(RegisterTable).row_count == 4
        assert not app.screen.query_one("#empty-help").display


async def test_load_sample_register(empty_db: Path) -> None:
    app = make_app(empty_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        count = len(table_rows(empty_db, "suppliers"))
        assert count > 10
        assert app.screen.query_one(RegisterTable).row_count == count


async def test_history_and_review_are_reachable_by_keys(register_db: Path) -> None:
    from supplier_register.tui.screens.audit import AuditScreen
    from supplier_register.tui.screens.review import ReviewScreen

    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_supplier(pilot, "Acme [UK] Ltd")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
