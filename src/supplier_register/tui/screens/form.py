"""A modal form that edits one record and saves it in one transaction.

The form validates with the same pydantic model as the CLI; each problem is
shown under its field and nothing is written until every field is valid.  A
storage refusal (a duplicate name, somebody else's newer save) is shown in the
form too, and the form stays open with everything typed still in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea
from textual.worker import get_current_worker

from supplier_register.domain import RegisterError
from supplier_register.storage import Repository
from supplier_register.tui.forms import FieldSpec, error_field, to_raw, validate
from supplier_register.tui.text import lit, problems_of

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")

MAYBE = (("Yes", "yes"), ("No", "no"), ("Unknown", "unknown"))
_MAYBE_TO = {"yes": True, "no": False, "unknown": None}
_MAYBE_FROM = {True: "yes", False: "no", None: "unknown"}


class FormScreen(ModalScreen[R | None], Generic[M, R]):
    """Edit the fields of one model; ``save`` runs on a worker thread with its own connection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(
        self,
        *,
        title: Content,
        model_type: type[M],
        fields: Sequence[FieldSpec],
        initial: BaseModel | None,
        save: Callable[[Repository, M], R],
        extra: Mapping[str, Any] | None = None,
        people: Sequence[str] = (),
        choices: Mapping[str, Sequence[str]] | None = None,
        saved_message: str = "Saved.",
        record_label: str = "",
        supplier: int | Callable[[R], int] | None = None,
        stale: Callable[[Any], str | None] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self.model_type = model_type
        self.fields = tuple(fields)
        self._save = save
        self._extra = dict(extra or {})
        self._people = list(people)
        self._choices = {"people": self._people, **{k: list(v) for k, v in (choices or {}).items()}}
        """The names offered by fields with ``choices_from``, by its value."""
        self._saved_message = saved_message
        self._record_label = record_label
        self._supplier = supplier
        self.initial_raw = to_raw(initial, self.fields)
        self._editing = initial is not None
        self.saving = False
        self.errors: dict[str, str] = {}
        self._stale = stale
        """Given a new snapshot of the register, why the record edited is out of date (a
        worker's job: it may read), or ``None`` while it is current."""
        self.stale_message: str | None = None
        """Said above the buttons when somebody else changed or deleted the record meanwhile."""

    # -------------------------------------------------------------- compose

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(self._title, classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                for spec in self.fields:
                    with Vertical(classes="field", id=f"row-{spec.name}"):
                        with Horizontal(classes="field-line"):
                            label = spec.label + (" *" if spec.required else "")
                            yield Label(Content(label), classes="field-label")
                            yield self._make_input(spec)
                        yield Static("", classes="field-error", id=f"error-{spec.name}")
            yield Static("", id="field-help")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def _make_input(self, spec: FieldSpec) -> Widget:
        value = self.initial_raw.get(spec.name)
        widget_id = f"field-{spec.name}"
        if spec.kind in ("flag", "maybe"):
            choices = MAYBE if spec.kind == "maybe" else MAYBE[:2]
            return Select(
                [(label, key) for label, key in choices],
                value=_MAYBE_FROM[value if spec.kind == "maybe" else bool(value)],
                allow_blank=False,
                id=widget_id,
                compact=True,
            )
        if spec.kind == "multi":
            offered = self._choices.get(spec.choices_from or "", [])
            ticked = {name.casefold() for name in value or []}
            known = {name.casefold() for name in offered}
            # A name the record holds but the list lacks (gone meanwhile) stays, ticked.
            names = [*offered, *(name for name in value or [] if name.casefold() not in known)]
            return SelectionList[str](
                *((lit(name), name, name.casefold() in ticked) for name in names),
                id=widget_id,
                compact=True,
            )
        if spec.kind == "choice":
            if spec.choices_from is not None:
                offered = self._choices.get(spec.choices_from, [])
                options: list[tuple[Any, str]] = [(lit(name), name) for name in offered]
                if value and value not in offered:
                    options.append((lit(value), value))
            else:
                options = [(Content(label), key) for label, key in spec.choices]
            return Select(
                options,
                value=value if value is not None else Select.NULL,
                allow_blank=not spec.required or value is None,
                prompt="(none)" if not spec.required else "Choose…",
                id=widget_id,
                compact=True,
            )
        if spec.kind == "notes":
            return TextArea(
                str(value or ""), soft_wrap=True, tab_behavior="focus", id=widget_id, compact=True
            )
        return Input(str(value or ""), placeholder=spec.placeholder, id=widget_id, compact=True)

    def on_mount(self) -> None:
        for widget in self.query(".field-error"):
            widget.display = False
        first = self.query_one(f"#field-{self.fields[0].name}")
        first.focus()

    # ----------------------------------------------------------------- values

    def raw_values(self) -> dict[str, Any]:
        """What the form holds now, as raw values (strings, choices, booleans)."""
        raw: dict[str, Any] = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                value = widget.value
                if spec.kind in ("flag", "maybe"):
                    raw[spec.name] = _MAYBE_TO.get(str(value))
                else:
                    raw[spec.name] = None if value is Select.NULL else value
            elif isinstance(widget, SelectionList):
                raw[spec.name] = sorted(widget.selected, key=str.casefold)
            elif isinstance(widget, TextArea):
                raw[spec.name] = widget.text
            elif isinstance(widget, Input):
                raw[spec.name] = widget.value
        return raw

    @property
    def is_dirty(self) -> bool:
        """True when something differs from what the form opened with."""
        return self.raw_values() != self.initial_raw

    # ------------------------------------------------------------------ errors

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show each problem under its field; problems of the whole form go at the bottom."""
        self.errors = dict(errors)
        for spec in self.fields:
            message = errors.get(spec.name, "")
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(lit(message))
            error.display = bool(message)
            self.query_one(f"#row-{spec.name}").set_class(bool(message), "-invalid")
        general = errors.get("", "")
        form_error = self.query_one("#form-error", Static)
        form_error.update(lit(general))
        form_error.display = bool(general)
        for spec in self.fields:
            if spec.name in errors:
                widget = self.query_one(f"#field-{spec.name}")
                widget.focus()
                widget.scroll_visible(animate=False)
                break

    # ------------------------------------------------------------ out of date

    def check_current(self, snapshot: object) -> None:
        """A new snapshot of the register arrived: is the record being edited still as opened?"""
        if self._stale is not None:
            self._check_current(self._stale, snapshot)

    @work(thread=True, exclusive=True, group="form-stale", exit_on_error=False)
    def _check_current(self, stale: Callable[[Any], str | None], snapshot: object) -> None:
        message = stale(snapshot)
        if not get_current_worker().is_cancelled:  # else a newer snapshot's answer follows
            self.call_later(self._show_stale, message)

    def _show_stale(self, message: str | None) -> None:
        if not self.is_mounted:
            return
        self.stale_message = message
        found = self.query("#form-stale")
        if not found and message is None:
            return
        line = found.first(Static) if found else Static("", id="form-stale")
        if not found:  # the first time: just above the form's own error line
            form_error = self.query_one("#form-error")
            if isinstance(form_error.parent, Widget):
                form_error.parent.mount(line, before=form_error)
        line.update(lit(message or ""))
        line.display = message is not None

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        if self.saving:
            return
        if self._editing and not self.is_dirty:
            self.notify("Nothing changed.", timeout=2)
            self.dismiss(None)
            return
        result = validate(
            self.model_type, self.raw_values(), self.fields, self._extra, self._record_label
        )
        if result.model is None:
            self.show_errors(result.errors)
            return
        self.show_errors({})
        model = result.model
        self._set_saving(True)
        self.app.write(  # type: ignore[attr-defined]
            lambda repo: self._save(repo, model),
            done=self._saved,
            failed=self._failed,
            saved=self._saved_message,
            supplier=self._supplier,
        )

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.query_one("#save", Button).disabled = saving

    def _saved(self, result: R) -> None:
        self._set_saving(False)
        self.dismiss(result)

    def _failed(self, exc: RegisterError) -> None:
        self._set_saving(False)
        errors: dict[str, str] = {}
        for problem in problems_of(exc):
            name, message = error_field(problem, self.fields)
            errors.setdefault(name, message)
        self.show_errors(errors)

    def action_cancel(self) -> None:
        if self.saving:
            return
        if not self.is_dirty:
            self.dismiss(None)
            return
        from supplier_register.tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard changes?", "What you typed will be lost.", yes="Discard"),
            answered,
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the focused field's row and show what the field means."""
        widget_id = next(
            (
                node.id
                for node in event.widget.ancestors_with_self
                if node.id and node.id.startswith("field-")
            ),
            "",
        )
        for row in self.query(".field"):
            row.set_class(row.id == f"row-{widget_id.removeprefix('field-')}", "-focused")
        help_text = ""
        if widget_id.startswith("field-"):
            name = widget_id.removeprefix("field-")
            spec = next((s for s in self.fields if s.name == name), None)
            if spec is not None:
                help_text = spec.help
        self.query_one("#field-help", Static).update(Content(help_text))
