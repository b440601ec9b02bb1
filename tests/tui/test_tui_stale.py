"""Two programs on one register: a save made over an answer somebody else saved meanwhile is
refused with the reason shown beside the question (and the screen then shows their answer), and a
contract form saves to the supplier it was opened for, whatever that supplier is now called."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from supplier_register.domain import Supplier
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.screens.supplier import ContractList, SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import dump, make_app, settle, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def answers_of(path: Path, supplier: str) -> list[tuple[str, str, str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT question_id, answer, evidence, a.version FROM answers a "
            "JOIN suppliers s ON s.id = a.supplier_id WHERE s.name = ? ORDER BY question_id",
            [supplier],
        ).fetchall()


def text(screen: QuestionnaireScreen, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.visual) if widget.display else ""


async def open_questionnaire(app: SupplierRegisterApp, pilot, supplier: str) -> QuestionnaireScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    table.move_to_id(next(r.id for r in table.rows if r.name == supplier))
    await pilot.press("q")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, QuestionnaireScreen)
    return screen


async def test_a_stale_answer_from_a_second_tui_is_refused_and_nothing_is_lost(
    register_db: Path,
) -> None:
    first, second = make_app(register_db), make_app(register_db)
    async with first.run_test(size=(120, 40)) as pilot_a:
        screen_a = await open_questionnaire(first, pilot_a, "Beta Cloud")
        question = screen_a.question
        assert question is not None and "Not answered yet" in text(screen_a, "#q-state")
        async with second.run_test(size=(120, 40)) as pilot_b:
            screen_b = await open_questionnaire(second, pilot_b, "Beta Cloud")
            assert screen_b.question == question  # both at the same unanswered question
            screen_b.query_one("#q-evidence", Input).value = "Export tested in March"
            await pilot_b.press("y")
            await settle(pilot_b)
        assert answers_of(register_db, "Beta Cloud") == [
            (question.id, "yes", "Export tested in March", 1)
        ]
        # The first TUI still shows the question unanswered, and answers it.
        await pilot_a.press("n")
        await settle(pilot_a)
        assert answers_of(register_db, "Beta Cloud") == [
            (question.id, "yes", "Export tested in March", 1)
        ]
        refused = (
            "answer: changed by someone else since you opened it (no answer, now version 1); "
            "reload and try again"
        )
        assert text(screen_a, "#q-error") == refused
        assert refused in [n.message for n in first._notifications]
        assert screen_a.question == question
        state = text(screen_a, "#q-state")
        assert "Saved: Yes" in state  # reloaded: the answer now saved is shown
        assert screen_a.query_one("#q-evidence", Input).value == "Export tested in March"
        # Now that it shows the current answer, a change is saved over it.
        await pilot_a.press("p")
        await settle(pilot_a)
        assert answers_of(register_db, "Beta Cloud") == [
            (question.id, "partly", "Export tested in March", 2)
        ]
        assert text(screen_a, "#q-error") == ""


def rename_and_take_the_name(path: Path, old: str, new: str) -> None:
    """Another program renames ``old`` to ``new`` and adds a new supplier called ``old``."""
    db = open_database(path)
    try:
        repo = Repository(db)
        supplier = repo.find_supplier(old)
        repo.update_supplier(
            supplier.id, supplier.model_copy(update={"name": new}), supplier.version
        )
        repo.add_supplier(Supplier(name=old, category="other", criticality="low"))
    finally:
        db.close()


def contracts_by_supplier(path: Path) -> dict[str, list[str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT s.name, c.title FROM contracts c JOIN suppliers s ON s.id = c.supplier_id "
            "ORDER BY c.id"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for supplier, title in rows:
        found.setdefault(supplier, []).append(title)
    return found


async def open_supplier(app: SupplierRegisterApp, pilot, name: str) -> SupplierScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SupplierScreen)
    return screen


async def test_contract_forms_keep_the_supplier_they_opened_through_a_rename(
    register_db: Path,
) -> None:
    """Renamed by someone else while the forms were open, and its old name taken by a new
    supplier: the edited and the added contract stay with the supplier the user opened."""
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplier(app, pilot, "Beta Cloud")
        await pilot.press("2")
        screen.query_one(ContractList).focus()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        rename_and_take_the_name(register_db, "Beta Cloud", "Beta Cloud Holdings")
        form.query_one("#field-notice_period_days", Input).value = "45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        for name, value in {
            "title": "Backup",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
        }.items():
            app.screen.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert contracts_by_supplier(register_db)["Beta Cloud Holdings"] == ["Hosting", "Backup"]
    assert "Beta Cloud" not in contracts_by_supplier(register_db)
    with sqlite3.connect(register_db) as conn:
        row = conn.execute("SELECT notice_period_days FROM contracts WHERE title = 'Hosting'")
        assert row.fetchone() == (45,)


async def test_a_second_answer_given_while_the_first_is_written_is_saved_after_it(
    register_db: Path,
) -> None:
    """Answering twice in quick succession is not a conflict with oneself: the second save
    waits for the first and is made over the version it wrote."""
    from supplier_register.domain.enums import AnswerValue

    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_questionnaire(app, pilot, "Beta Cloud")
        question = screen.question
        assert question is not None
        screen.save(AnswerValue.YES)
        screen.save(AnswerValue.NO)  # the first is still being written
        await settle(pilot)
        await settle(pilot)
        assert answers_of(register_db, "Beta Cloud") == [(question.id, "no", "", 2)]
        assert text(screen, "#q-error") == ""
        assert not [n for n in app._notifications if "changed by someone else" in str(n.message)]


def answer_on_disk(path: Path, supplier: str, question_id: str, value: str, evidence: str) -> None:
    """Another program records an answer (so both TUIs open on an answered question)."""
    from supplier_register.domain import Answer

    db = open_database(path)
    try:
        answer = Answer(supplier=supplier, question_id=question_id, answer=value, evidence=evidence)
        Repository(db).set_answer(answer, None)
    finally:
        db.close()


async def go_to(screen: QuestionnaireScreen, pilot, question_id: str) -> None:  # type: ignore[no-untyped-def]
    """Move the questionnaire to ``question_id`` with the keys a user presses."""
    for _ in range(len(screen.questions)):
        if screen.question is not None and screen.question.id == question_id:
            return
        await pilot.press("left_square_bracket")
        await settle(pilot)
    assert screen.question is not None and screen.question.id == question_id


async def test_two_tuis_on_an_answered_question_the_second_save_is_refused_and_shows_the_first(
    register_db: Path,
) -> None:
    """A and B show the same answer (version 1); A saves "no", then B saves "yes": B is refused
    with the one-line "changed by someone else" message, the database is left exactly as A left
    it, and B's screen then shows A's "no" and evidence; B's next save goes over it."""
    from supplier_register.tui.screens.questionnaire import AnswerList

    first, second = make_app(register_db), make_app(register_db)
    async with first.run_test(size=(120, 40)) as pilot_a:
        screen_a = await open_questionnaire(first, pilot_a, "Beta Cloud")
        question = screen_a.question
        assert question is not None
        await pilot_a.press("escape")
        await settle(pilot_a)
        answer_on_disk(register_db, "Beta Cloud", question.id, "partly", "Demo in May")
        first.reload()
        await settle(pilot_a)
        screen_a = await open_questionnaire(first, pilot_a, "Beta Cloud")
        await go_to(screen_a, pilot_a, question.id)
        assert "Saved: Partly" in text(screen_a, "#q-state")
        async with second.run_test(size=(120, 40)) as pilot_b:
            screen_b = await open_questionnaire(second, pilot_b, "Beta Cloud")
            await go_to(screen_b, pilot_b, question.id)
            assert "Saved: Partly" in text(screen_b, "#q-state")  # both saw version 1
            # A answers "no" with evidence.
            screen_a.query_one("#q-evidence", Input).value = "Clause 9 forbids export"
            await pilot_a.press("n")
            await settle(pilot_a)
            assert answers_of(register_db, "Beta Cloud") == [
                (question.id, "no", "Clause 9 forbids export", 2)
            ]
            before = dump(register_db)
            # B, still showing "partly" (version 1), answers "yes": refused.
            await pilot_b.press("y")
            await settle(pilot_b)
            assert dump(register_db) == before  # nothing written, nothing lost
            refused = (
                "answer: changed by someone else since you opened it (version 1, now version 2); "
                "reload and try again"
            )
            assert text(screen_b, "#q-error") == refused
            assert refused in [str(n.message) for n in second._notifications]
            # B's screen now shows the answer saved by A.
            assert screen_b.question is not None and screen_b.question.id == question.id
            assert "Saved: No" in text(screen_b, "#q-state")
            assert screen_b.query_one("#q-evidence", Input).value == "Clause 9 forbids export"
            answer_list = screen_b.query_one(AnswerList)
            assert answer_list.highlighted is not None
            assert answer_list.get_option_at_index(answer_list.highlighted).id == "no"
            # Having seen A's answer, B can change it.
            await pilot_b.press("y")
            await settle(pilot_b)
            assert answers_of(register_db, "Beta Cloud") == [
                (question.id, "yes", "Clause 9 forbids export", 3)
            ]
            assert text(screen_b, "#q-error") == ""
