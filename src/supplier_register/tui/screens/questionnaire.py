"""Answering the principle-6 questionnaire for one supplier, one question at a time.

Each answer is saved as soon as it is chosen (one transaction), with the
evidence typed beside it; "why it matters" and the principle-6 passage are
shown next to the question so the person answering knows what is at stake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from supplier_register.domain import Answer, AnswerRecord, AnswerValue
from supplier_register.domain.errors import RegisterError, StaleRecord, describe_validation_error
from supplier_register.scoring.questions import Question, default_question_bank
from supplier_register.services.register_view import Snapshot
from supplier_register.tui.app import DataScreen
from supplier_register.tui.messages import AnswersRead
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

ANSWER_KEYS = (
    ("y", AnswerValue.YES),
    ("p", AnswerValue.PARTLY),
    ("n", AnswerValue.NO),
    ("u", AnswerValue.UNKNOWN),
    ("x", AnswerValue.NOT_APPLICABLE),
)


def questionnaire_title(supplier_name: str, index: int, total: int, answered: int) -> Content:
    """'Questionnaire: <supplier>  · question 3 of 18 · 5 answered'."""
    return Content.assemble(
        ("Questionnaire: ", "bold"),
        lit(supplier_name, "bold"),
        f"  · question {index + 1} of {total} · {answered} answered",
    )


def answer_state(current: AnswerRecord | None) -> Content:
    """The saved answer to the question shown: what, when and by whom (or that there is none)."""
    if current is None:
        return Content.styled("Not answered yet (counts as unknown).", "$text-warning")
    return Content.assemble(
        "Saved: ",
        (current.answer.label, "bold"),
        f" on {current.answered_on.isoformat()}" if current.answered_on else "",
        Content.assemble(" by ", lit(current.answered_by)) if current.answered_by else "",
    )


def why_content(question: Question, supplier_name: str) -> Content:
    """Why the question matters, its principle 6 reference and the board question it raises."""
    return Content("\n").join(
        [
            Content.styled("Why it matters", "bold $text-accent"),
            Content(question.why_it_matters),
            Content(""),
            Content.styled("Principle 6", "bold $text-accent"),
            Content(question.reference),
            Content(""),
            Content.styled("If the answer is not yes, the board asks", "bold $text-accent"),
            Content.assemble(lit(question.board_text(supplier_name), "italic")),
        ]
    )


class AnswerList(OptionList):
    """The answer scale; Enter saves the highlighted answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Save answer", id="answer.select"),
    ]


class QuestionnaireScreen(DataScreen):
    """The questions that apply to one supplier, answered one by one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="questionnaire.back"),
        Binding(
            "right_square_bracket,pagedown",
            "move(1)",
            "Next",
            key_display="]",
            id="questionnaire.move_next",
        ),
        Binding(
            "left_square_bracket,pageup",
            "move(-1)",
            "Previous",
            key_display="[",
            id="questionnaire.move_previous",
        ),
        Binding("ctrl+n", "next_unanswered", "Next unanswered", id="questionnaire.next_unanswered"),
        Binding("e", "evidence", "Evidence", id="questionnaire.evidence"),
        Binding(
            "ctrl+s",
            "save_evidence",
            "Save evidence",
            show=False,
            priority=True,
            id="questionnaire.save_evidence",
        ),
        *(
            Binding(
                key,
                f"answer('{value.value}')",
                f"Answer {value.label.lower()}",
                show=False,
                id=f"questionnaire.answer_{value.value}",
            )
            for key, value in ANSWER_KEYS
        ),
    ]

    app: SupplierRegisterApp

    def __init__(self, supplier_id: int) -> None:
        super().__init__()
        self.supplier_id = supplier_id
        self.questions: list[Question] = []
        self.answers: dict[str, AnswerRecord] = {}
        """The supplier's answers by question, as last read by the worker."""
        self.index = 0
        self._started = False
        self.saving = False
        """A save is being written: the next one waits for its version (see :meth:`save`)."""
        self._pending: Answer | None = None
        """An answer given while the previous save was being written, saved right after it."""
        self._refused: str | None = None
        """Why the last save was refused (someone else saved first); shown until the next action."""
        self._reload_answer = False
        """Show the answer as saved (evidence included) when the reloaded register arrives."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="q-title")
        with Horizontal(id="q-body"):
            with Vertical(id="q-left"):
                yield Static("", id="q-dimension")
                yield Static("", id="q-wording")
                yield AnswerList(id="q-answers")
                yield Label("Evidence (what the answer is based on; Enter saves)")
                yield Input(
                    id="q-evidence",
                    placeholder="e.g. clause 14.2 of the 2023 contract",
                    compact=True,
                )
                with Horizontal(id="q-by-row"):
                    yield Label("Answered by ", id="q-by-label")
                    yield Select[str]([], prompt="(not recorded)", id="q-by", compact=True)
                yield Static("", id="q-state")
                yield Static("", id="q-error")
            with VerticalScroll(id="q-right"):
                yield Static("", id="q-why")
        yield KeyFooter()

    # ---------------------------------------------------------------- data

    def _answers(self) -> dict[str, AnswerRecord]:
        return self.answers

    def on_mount(self) -> None:
        self.query_one("#q-error").display = False
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Read the supplier's answers in a worker; they are shown when they arrive."""
        if snapshot.supplier(self.supplier_id) is None:
            if self.app.screen is self:
                self.dismiss()
            return
        self._read_answers(snapshot)

    @work(thread=True, exclusive=True, group="questionnaire-answers", exit_on_error=False)
    def _read_answers(self, snapshot: Snapshot) -> None:
        answers = tuple(snapshot.answers_of(self.supplier_id))
        self.post_message(AnswersRead(snapshot, answers, get_current_worker()))

    def on_answers_read(self, message: AnswersRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer snapshot is being read
        snapshot = message.snapshot
        supplier = snapshot.supplier(self.supplier_id)
        if supplier is None:
            return
        self.answers = {a.question_id: a for a in message.answers}
        self._show_people(snapshot, supplier.owner)
        bank = default_question_bank()
        self.questions = [
            q for q in bank.questions if q.applies(supplier.category, supplier.criticality)
        ]
        if not self._started:
            self._started = True
            answers = self._answers()
            self.index = next((i for i, q in enumerate(self.questions) if q.id not in answers), 0)
            self._show_question(focus=True)
        else:
            self._show_question(keep_evidence=not self._reload_answer)
            self._reload_answer = False

    def _show_people(self, snapshot: Snapshot, owner: str | None) -> None:
        """Offer the register's people as "answered by"; start with the supplier's owner."""
        select = self.query_one("#q-by", Select)
        names = [p.name for p in snapshot.people]
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options([(lit(name), name) for name in names])
            if isinstance(current, str) and current in names:
                select.value = current
            elif not self._started and owner in names:
                select.value = owner

    @property
    def answered_by(self) -> str | None:
        value = self.query_one("#q-by", Select).value
        return value if isinstance(value, str) else None

    @property
    def question(self) -> Question | None:
        if 0 <= self.index < len(self.questions):
            return self.questions[self.index]
        return None

    def _show_question(self, *, focus: bool = False, keep_evidence: bool = False) -> None:
        snapshot = self.app.snapshot
        supplier = snapshot.supplier(self.supplier_id) if snapshot else None
        question = self.question
        if supplier is None or question is None:
            self.query_one("#q-wording", Static).update("No questions apply to this supplier.")
            return
        answers = self._answers()
        answered = sum(1 for q in self.questions if q.id in answers)
        self.query_one("#q-title", Static).update(
            questionnaire_title(supplier.name, self.index, len(self.questions), answered)
        )
        self.query_one("#q-dimension", Static).update(
            Content.styled(question.dimension.label, "bold $text-accent")
        )
        self.query_one("#q-wording", Static).update(Content.styled(question.wording, "bold"))
        current = answers.get(question.id)
        answer_list = self.query_one(AnswerList)
        answer_list.clear_options()
        answer_list.add_options(
            [
                Option(
                    Content.assemble(
                        ("● " if current and current.answer == value else "  ", "bold"),
                        (f"{key}  ", "$text-muted"),
                        value.label,
                    ),
                    id=value.value,
                )
                for key, value in ANSWER_KEYS
            ]
        )
        values = [value for _, value in ANSWER_KEYS]
        answer_list.highlighted = values.index(current.answer) if current else 0
        evidence = self.query_one("#q-evidence", Input)
        if not keep_evidence:
            evidence.value = current.evidence if current else ""
        self.query_one("#q-state", Static).update(answer_state(current))
        self.query_one("#q-why", Static).update(why_content(question, supplier.name))
        self._set_error(self._refused or "")
        if focus:
            answer_list.focus()

    def _set_error(self, message: str) -> None:
        error = self.query_one("#q-error", Static)
        error.update(lit(message))
        error.display = bool(message)

    # -------------------------------------------------------------- actions

    def action_back(self) -> None:
        if self._evidence_changed():
            self._save_current_evidence()
        self.dismiss()

    def action_move(self, step: int) -> None:
        self._refused = None
        if self._evidence_changed():
            self._save_current_evidence()
        new_index = max(0, min(self.index + step, len(self.questions) - 1))
        if new_index != self.index:
            self.index = new_index
            self._show_question()

    def action_next_unanswered(self) -> None:
        answers = self._answers()
        count = len(self.questions)
        for step in range(1, count + 1):
            index = (self.index + step) % count
            if self.questions[index].id not in answers:
                self.index = index
                self._show_question()
                return
        self.notify("Every question is answered.")

    def action_evidence(self) -> None:
        self.query_one("#q-evidence", Input).focus()

    def action_answer(self, value: str) -> None:
        self.save(AnswerValue(value))

    @on(OptionList.OptionSelected, "#q-answers")
    def _answer_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.save(AnswerValue(event.option.id))

    @on(Input.Submitted, "#q-evidence")
    def _evidence_submitted(self) -> None:
        if self._save_current_evidence(explicit=True):
            self.query_one(AnswerList).focus()

    def action_save_evidence(self) -> None:
        """Ctrl+S, as in every form: save the evidence typed with the answer given."""
        self._evidence_submitted()

    def _evidence_changed(self) -> bool:
        question = self.question
        if question is None:
            return False
        current = self._answers().get(question.id)
        typed = self.query_one("#q-evidence", Input).value.strip()
        return typed != (current.evidence if current else "")

    def _save_current_evidence(self, explicit: bool = False) -> bool:
        question = self.question
        if question is None:
            return False
        current = self._answers().get(question.id)
        if current is None:
            if explicit:
                self._set_error(
                    "Choose an answer first (y, p, n, u or x); the evidence is saved with it."
                )
            return False
        self.save(current.answer)
        return True

    def save(self, value: AnswerValue) -> None:
        """Save the answer to the current question with the evidence typed, in one transaction.

        A save made while the previous one is still being written waits for it, so that
        it is made over the version that save produced rather than refused as stale.
        """
        snapshot = self.app.snapshot
        supplier = snapshot.supplier(self.supplier_id) if snapshot else None
        question = self.question
        if supplier is None or question is None:
            return
        self._refused = None
        try:
            answer = Answer(
                supplier=supplier.name,
                question_id=question.id,
                answer=value,
                evidence=self.query_one("#q-evidence", Input).value,
                answered_by=self.answered_by,
                answered_on=self.app.today,
            )
        except ValidationError as exc:
            self._set_error(describe_validation_error(exc)[0])
            return
        self._set_error("")
        if self.saving:
            self._pending = answer  # this question and evidence, as typed now
            return
        self._write(answer)

    def _write(self, answer: Answer) -> None:
        # Saved over the answer shown (its version, or none), to this supplier by id: an answer
        # saved by someone else meanwhile, or the name passing to another supplier, is refused.
        current = self._answers().get(answer.question_id)
        seen = None if current is None else current.version
        supplier_id = self.supplier_id
        self.saving = True
        self.app.write(
            lambda repo: repo.set_answer(answer, seen, supplier_id=supplier_id),
            done=self._saved,
            failed=self._save_failed,
            supplier=supplier_id,
        )

    def _saved(self, record: AnswerRecord) -> None:
        """Keep the answer as written (its new version), then make any save that waited."""
        self.saving = False
        self.answers = {**self.answers, record.question_id: record}
        pending, self._pending = self._pending, None
        if pending is not None:
            self._write(pending)

    @property
    def shown(self) -> bool:
        """Whether the screen is still open (a save may fail after it was closed)."""
        return self in self.app.screen_stack

    def _save_failed(self, exc: RegisterError) -> None:
        """Show why the answer was not saved; if someone else saved first, show theirs."""
        self.saving = False
        self._pending = None
        if not isinstance(exc, StaleRecord):
            if self.shown:
                self._set_error(exc.message)
            else:
                self.notify(exc.message, title="Not saved", severity="error", timeout=10)
            return
        self.app.notify(exc.message, title="Answer not saved", severity="warning", timeout=10)
        if self.shown:
            self._refused = exc.message
            self._reload_answer = True
            self._set_error(exc.message)
        self.app.reload()
