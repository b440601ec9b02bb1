"""A yes/no question before anything destructive happens."""

from __future__ import annotations

from typing import ClassVar

from textual import _time, events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant


class ConfirmScreen(ModalScreen[bool]):
    """Ask before deleting or discarding; the safe answer has the focus.

    Only keys pressed once the question is on screen answer it.  A key already on its way when
    the question opened (the second of two quick Escapes, read from the terminal in one go) was
    routed to the screen behind, but Textual looks its binding up on the screen on top when it
    bubbles to the app: taken as an answer, it closed the question the instant it appeared
    ("Discard changes?" flashing and vanishing).  The app drops such keys (``SupplierRegisterApp
    .on_key`` asks :meth:`pressed_before`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.answer_True"),
        Binding("n,escape", "answer(False)", "No", id="confirm.answer_False"),
        Binding("left,right", "app.focus_next", "Switch", show=False, id="confirm.app_focus_next"),
    ]

    def __init__(
        self,
        title: Content | str,
        body: Content | str,
        *,
        yes: str = "Delete",
        variant: ButtonVariant = "error",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title if isinstance(title, Content) else Content(title)
        self._body = body if isinstance(body, Content) else Content(body)
        self._yes = yes
        self._variant: ButtonVariant = variant
        self.opened_at = _time.get_time()
        """When the question was put, on the clock of Textual's events (``Message.time``)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self._title, classes="dialog-title")
            yield Static(self._body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._yes} (y)", variant=self._variant, id="yes", compact=True)
                yield Button("Cancel (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.opened_at = _time.get_time()
        self.query_one("#no", Button).focus()

    def pressed_before(self, event: events.Key) -> bool:
        """Whether ``event`` was pressed before the question was shown (so is no answer)."""
        return event.time < self.opened_at

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
