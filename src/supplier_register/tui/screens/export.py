"""Export from the TUI: the board paper, the risk summary, the register, the shared file for
partner trusts or the review pack.

The same files as ``supplier-register export --format F --out FILE`` (and ``review export``),
written from the register the app has open (in ``--demo``, the demo's current state): pick
what to write, accept or change the dated file name proposed in the current folder, confirm
before replacing a file, and the notification gives the file's full path.  The shared file is
redacted under the ``[share]`` policy of the app's scoring config (the one its scores use):
while it is chosen, the dialog says in plain words what is left out and kept, and who the
file will say exported it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from supplier_register.domain.errors import RegisterError
from supplier_register.services.exports import (
    SUMMARY_CHOICES,
    ExportChoice,
    SharePolicy,
    export_choices,
    share_policy,
    write_export,
)
from supplier_register.tui.screens.file_dialog import FileDialog

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

HELP = (
    "Choose what to write, then the file (a dated name in the current folder is proposed). "
    "Everything is worked out from the register as it is now."
)


def proposed_path(choice: ExportChoice, app: SupplierRegisterApp) -> str:
    """The dated file name proposed for ``choice`` in the current folder, as ``./name``."""
    return f"./{choice.file_name(app.today)}"


class ExportScreen(FileDialog):
    """Write the board paper, the risk summary, the register or the review pack to a file."""

    PREFIX = "export"
    WRITES = "the new export"

    DEFAULT_CSS = """
    ExportScreen .dialog.export {
        height: auto;
        max-width: 100;
    }
    ExportScreen #export-kind {
        height: auto;
        max-height: 10;
    }
    ExportScreen #export-error {
        color: $text-error;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "export", "Export", priority=True, id="export.export"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.choices: list[ExportChoice] = list(SUMMARY_CHOICES)
        self._proposed = ""
        self._suffix = ""
        """The suffix of the format last chosen (a typed name's suffix follows the choice)."""
        self.busy = False
        self._policy: SharePolicy | None = None

    @property
    def policy(self) -> SharePolicy:
        """The ``[share]`` policy of the app's scoring config, and the actor it names."""
        if self._policy is None:
            self._policy = share_policy(self.app.scoring.config)
        return self._policy

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog export"):
            yield Static("Export", classes="dialog-title")
            yield Static(HELP, classes="dialog-body", id="export-help", markup=False)
            yield OptionList(*(Option(c.label, id=c.kind) for c in self.choices), id="export-kind")
            yield Static("", classes="dialog-body", id="export-policy", markup=False)
            yield Input(placeholder="file to write", id="export-path")
            yield Static("", id="export-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (enter)", variant="primary", id="export-write", compact=True)
                yield Button("Cancel (esc)", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-error").display = False
        self.query_one("#export-policy").display = False
        options = self.query_one("#export-kind", OptionList)
        options.highlighted = 0
        self._propose(self.choices[0])
        options.focus()
        self._read_choices(self.app.db_path)

    # -- what can be exported ----------------------------------------------------

    @dataclass
    class ChoicesRead(Message):
        """Every export the register offers (the review pack once there is a review)."""

        choices: list[ExportChoice]

    @work(thread=True, exclusive=True, group="export-choices", exit_on_error=False)
    def _read_choices(self, db_path: Path) -> None:
        try:
            choices = export_choices(db_path)
        except (RegisterError, sqlite3.Error):
            return  # the papers and the register are offered anyway; a write says what is wrong
        self.post_message(self.ChoicesRead(choices))

    def on_export_screen_choices_read(self, message: ChoicesRead) -> None:
        options = self.query_one("#export-kind", OptionList)
        for choice in message.choices[len(self.choices) :]:
            options.add_option(Option(choice.label, id=choice.kind))
        self.choices = message.choices

    @property
    def choice(self) -> ExportChoice:
        """The export highlighted in the list."""
        index = self.query_one("#export-kind", OptionList).highlighted
        return self.choices[index if index is not None else 0]

    @on(OptionList.OptionHighlighted, "#export-kind")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._propose(self.choices[event.option_index])

    def _propose(self, choice: ExportChoice) -> None:
        """Propose the dated name of ``choice`` (and, for the shared file, say what its policy
        leaves out)."""
        policy = self.query_one("#export-policy", Static)
        if choice.kind == "share":
            policy.update(Content(self.policy.describe()))
        policy.display = choice.kind == "share"
        # in its place, so the dialog fits 80x24 with the policy shown
        self.query_one("#export-help").display = choice.kind != "share"
        self._propose_name(choice)

    def _propose_name(self, choice: ExportChoice) -> None:
        """Propose the dated name of ``choice``; a name typed by hand keeps its name, its
        suffix following the format (``board.html`` becomes ``board.csv``)."""
        path = self.query_one("#export-path", Input)
        typed = path.value.strip()
        if typed in ("", self._proposed):
            self._proposed = proposed_path(choice, self.app)
            path.value = self._proposed
        elif self._suffix and typed.lower().endswith(f".{self._suffix}"):
            path.value = f"{typed[: -len(self._suffix)]}{choice.suffix}"
        self._suffix = choice.suffix

    # -- writing -------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#export-kind")
    def _chosen(self) -> None:
        """Enter (or a click) on a format goes on to the file name; enter there writes."""
        path = self.query_one("#export-path", Input)
        path.focus()
        path.cursor_position = len(path.value)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-write")
    def action_export(self) -> None:
        choice = self.choice
        self.write_to_chosen_file(lambda out, force: self._start(choice, out, force=force))

    def _start(self, choice: ExportChoice, out: Path, *, force: bool) -> None:
        self._begin()
        self._write(choice, out, force)

    @dataclass
    class Exported(Message):
        """The write worker's result: the file's full path, or why nothing was written."""

        choice: ExportChoice
        path: Path | None
        error: str | None

    @work(thread=True, exclusive=True, group="export-write", exit_on_error=False)
    def _write(self, choice: ExportChoice, out: Path, force: bool) -> None:
        from supplier_register.tui.app import read_failure

        app = self.app
        try:
            path = write_export(
                app.db_path, choice, out, app.today, force=force, config=app.scoring.config
            )
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(self.Exported(choice, None, read_failure(exc, app.db_path)))
            return
        self.post_message(self.Exported(choice, path, None))

    def on_export_screen_exported(self, message: Exported) -> None:
        note = f"{message.choice.label} written to {message.path}"
        if message.choice.kind == "share":
            note += (
                f", redacted under the [share] policy (left out: {self.policy.left_out_words()})"
            )
        self._finished(message.path, message.error, "the export failed", note)
