"""Importing a register file, or the bundled sample, into the open database (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from supplier_register.domain import BadFile, RegisterError
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.storage import ImportSummary, Repository
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.text import lit, nothing_imported, problems_of

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

MAX_PROBLEMS = 8


def import_file(repo: Repository, path: Path) -> ImportSummary:
    """Read and import one register file in one transaction."""
    if path.suffix.lower() != ".json":
        raise BadFile(f"{path}: unsupported file type {path.suffix or '(none)'}; expected .json")
    return repo.import_register(read_register_file(path))


class ImportScreen(ModalScreen[ImportSummary | None]):
    """Ask for a file and import it; problems are listed and nothing is written."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Import", priority=True, id="import.save"),
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.importing = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import"):
            yield Static("Import a register file", classes="dialog-title")
            yield Static(
                "A .json register (the format `supplier-register export` writes). Records are "
                "matched by name and replaced; new ones are added. If anything is wrong, "
                "nothing is imported.",
                classes="dialog-body",
                markup=False,
            )
            yield Input(placeholder="path/to/register.json", id="import-path")
            yield Static("", id="import-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import (enter)", variant="primary", id="import", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-error").display = False
        self.query_one("#import-path").focus()

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        if self.importing:
            return
        text = self.query_one("#import-path", Input).value.strip()
        if not text:
            self._error(["file: enter the path of a .json register file"])
            return
        path = Path(text).expanduser()
        self.importing = True
        self.query_one("#import", Button).disabled = True
        app: SupplierRegisterApp = self.app  # type: ignore[assignment]
        app.write(lambda repo: import_file(repo, path), done=self._done, failed=self._failed)

    def action_save(self) -> None:
        """Ctrl+S, as in every form: import the file named."""
        self._import()

    def _done(self, summary: ImportSummary) -> None:
        self.notify("\n".join(summary.lines()), title="Imported", timeout=8)
        self.dismiss(summary)

    def _failed(self, exc: RegisterError) -> None:
        self.importing = False
        self.query_one("#import", Button).disabled = False
        self._error(problems_of(exc))

    def _error(self, problems: list[str]) -> None:
        error = self.query_one("#import-error", Static)
        error.update(nothing_imported(problems, MAX_PROBLEMS))
        error.display = True

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.importing:
            self.dismiss(None)


def load_sample(app: SupplierRegisterApp) -> None:
    """Ask, then import the bundled sample register into the open database."""
    path = sample_register_path()

    def answered(yes: bool | None) -> None:
        if not yes:
            return

        def done(summary: ImportSummary) -> None:
            app.notify("\n".join(summary.lines()), title="Sample register loaded", timeout=8)

        app.write(lambda repo: import_file(repo, path), done=done)

    body = Content.assemble(
        "This adds the bundled sample register (a fictional NHS trust) to the open database:\n",
        lit(str(app.db_path), "bold"),
        "\nSuppliers with the same names are replaced. To explore without changing your own "
        "register, quit and run `supplier-register --demo` instead.",
    )
    app.push_screen(ConfirmScreen("Load the sample register?", body, yes="Load sample"), answered)
