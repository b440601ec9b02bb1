"""A dialog that writes one file: the path asked, replacing a file confirmed first, the write
in a worker, the form busy meanwhile, and one error line when nothing was written.

The export screen and the deadlines' calendar dialog are both one of these; each names its
widgets ``#<prefix>-path``, ``#<prefix>-write``, ``#<prefix>-cancel`` and ``#<prefix>-error``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from supplier_register.tui.workers import ReportsWorkerErrors


class FileDialog(ReportsWorkerErrors, ModalScreen[Path | None]):
    """Ask for a file, confirm replacing one, and write it in a worker."""

    PREFIX: ClassVar[str]
    """The prefix of the dialog's widget ids: 'export', 'calendar'."""
    WRITES: ClassVar[str]
    """What is written, for the replace question: 'the new export'."""

    busy: bool = False

    def write_to_chosen_file(self, start: Callable[[Path, bool], None]) -> None:
        """Read the path typed; ask before replacing a file; then ``start(path, force)``."""
        if self.busy:
            return
        text = self.query_one(f"#{self.PREFIX}-path", Input).value.strip()
        if not text:
            self._show_error("file: enter the name of the file to write")
            return
        out = Path(text).expanduser()
        if out.exists() or out.is_symlink():
            from supplier_register.tui.screens.confirm import ConfirmScreen

            def answered(yes: bool | None) -> None:
                if yes:
                    start(out, True)

            self.app.push_screen(
                ConfirmScreen(
                    "Replace the file?",
                    Content(f"{out.absolute()} already exists. Replace it with {self.WRITES}?"),
                    yes="Replace",
                    variant="warning",
                ),
                answered,
            )
            return
        start(out, False)

    def _begin(self) -> None:
        """A write starts: the form is busy and the last error line goes."""
        self._set_busy(True)
        self.query_one(f"#{self.PREFIX}-error").display = False

    def _finished(self, path: Path | None, error: str | None, fallback: str, note: str) -> None:
        """A write ended: notify ``note`` and close with the path, else show why not."""
        self._set_busy(False)
        if path is None:
            self._show_error(error or fallback)
            return
        if self.app.is_web:  # in a browser (serve): the file goes to the browser too
            self.app.deliver_binary(path, save_filename=path.name)
            note = f"{note} on the server, and sent to your browser as {path.name}"
        self.app.notify(note, title="Exported")
        self.dismiss(path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A write that raised: the form is usable again, and the app says what happened."""
        if event.state is WorkerState.ERROR and self.is_mounted:
            self._set_busy(False)
        super().on_worker_state_changed(event)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        if self.is_mounted:
            self.query_one(f"#{self.PREFIX}-write", Button).disabled = busy

    def _show_error(self, line: str) -> None:
        error = self.query_one(f"#{self.PREFIX}-error", Static)
        error.update(Content(line))
        error.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.PREFIX}-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
