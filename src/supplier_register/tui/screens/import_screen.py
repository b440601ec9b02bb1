"""Import a spreadsheet register or published contract data: pick a file, preview, confirm.

The same flow as ``supplier-register import FILE.xlsx --dry-run`` then without
``--dry-run`` (or ``import-ocds``): the preview lists what would be created
and updated and every rejected row with its column and reason; confirming
writes everything else in one transaction.  If somebody changes the register
between the preview and the confirmation, nothing is written and the preview
must be run again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Log, Static
from textual.worker import Worker, WorkerState

from supplier_register.domain.errors import RegisterError
from supplier_register.importers.plan import ImportPlan
from supplier_register.importers.report import outcome_line, plan_lines, summary_lines
from supplier_register.services.imports import (
    AppliedImport,
    ImportJob,
    apply_import,
    is_spreadsheet,
    open_ocds,
    open_spreadsheet,
)
from supplier_register.services.register_view import run_with_repository
from supplier_register.services.rows import display_text
from supplier_register.storage.provenance import Provenance
from supplier_register.tui.text import lit, nothing_imported, problems_of
from supplier_register.tui.widgets.blocks import Block
from supplier_register.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

MAX_ERROR_LINES = 8
HELP = (
    "A spreadsheet register (.csv or .xlsx): columns are recognised from their headers; a mapping "
    "file (.toml) can say which column is which. Or published contract data (OCDS .json from "
    "Contracts Finder or Find a Tender): give the buyer (your trust) if the file has several. "
    "Preview first: rejected rows are listed and skipped, everything else is imported in one go."
)


@dataclass(frozen=True)
class Request:
    """What the user asked to import."""

    path: Path
    mapping: Path | None
    buyer: str | None

    def open(self) -> ImportJob:
        """Read and check the file (a ``BadFile`` if it cannot be used)."""
        if is_spreadsheet(self.path):
            return open_spreadsheet(self.path, self.mapping)
        return open_ocds(self.path, self.buyer)


def preview(db_path: Path, request: Request) -> tuple[ImportJob, ImportPlan]:
    """Read the file and plan it against the register, on a connection of its own."""
    job = request.open()
    return job, run_with_repository(db_path, job.preview)


class DataImportScreen(ReportsWorkerErrors, ModalScreen[AppliedImport | None]):
    """Pick a spreadsheet or OCDS file, see the preview and every problem, then confirm."""

    DEFAULT_CSS = """
    DataImportScreen .dialog.data-import {
        height: 95%;
        max-width: 120;
    }
    DataImportScreen .import-options {
        height: auto;
    }
    DataImportScreen .import-options Input {
        width: 1fr;
    }
    DataImportScreen #import-data-log {
        height: 1fr;
        min-height: 5;
        border: round $secondary;
    }
    DataImportScreen #import-data-error {
        color: $text-error;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Preview, then import", priority=True, id="data_import.save"),
        Binding("escape", "cancel", "Cancel", id="data_import.cancel"),
    ]

    app: SupplierRegisterApp

    def __init__(self, path: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self._initial_path = path
        self._job: ImportJob | None = None
        self._plan: ImportPlan | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog data-import"):
            yield Static("Import a spreadsheet or published contract data", classes="dialog-title")
            yield Static(HELP, classes="dialog-body", markup=False)
            yield Input(
                self._initial_path,
                placeholder="path/to/register.xlsx, register.csv or notices.json",
                id="import-data-path",
            )
            with Horizontal(classes="import-options"):
                yield Input(placeholder="mapping file .toml (optional)", id="import-data-mapping")
                yield Input(placeholder="buyer name or id (OCDS)", id="import-data-buyer")
            yield Static("", id="import-data-summary", markup=False)
            yield Log(id="import-data-log", highlight=False)
            yield Static("", id="import-data-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview (enter)", id="import-data-preview")
                yield Button("Import", variant="primary", id="import-data-apply", disabled=True)
                yield Button("Cancel (esc)", id="import-data-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-data-error").display = False
        self.query_one("#import-data-log").display = False
        self.query_one("#import-data-path").focus()

    # -- preview ---------------------------------------------------------------

    def _request(self) -> Request | None:
        path_text = self.query_one("#import-data-path", Input).value.strip()
        if not path_text:
            self._show_error(["file: enter the path of a .csv, .xlsx or OCDS .json file"])
            return None
        mapping_text = self.query_one("#import-data-mapping", Input).value.strip()
        buyer_text = self.query_one("#import-data-buyer", Input).value.strip()
        return Request(
            Path(path_text).expanduser(),
            Path(mapping_text).expanduser() if mapping_text else None,
            buyer_text or None,
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-data-preview")
    def action_preview(self) -> None:
        if self.busy:
            return
        request = self._request()
        if request is None:
            return
        self._set_busy(True, "Reading the file…")
        self._run_preview(request)

    @dataclass
    class Previewed(Message):
        """The preview worker's result: the job and its plan, or why the file was refused."""

        job: ImportJob | None
        plan: ImportPlan | None
        error: RegisterError | None

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def _run_preview(self, request: Request) -> None:
        try:
            job, plan = preview(self.app.db_path, request)
        except RegisterError as exc:
            self.post_message(self.Previewed(None, None, exc))
            return
        self.post_message(self.Previewed(job, plan, None))

    def on_data_import_screen_previewed(self, message: Previewed) -> None:
        if message.error is not None:
            self._failed(message.error)
        elif message.job is not None and message.plan is not None:
            self._previewed(message.job, message.plan)

    def _previewed(self, job: ImportJob, plan: ImportPlan) -> None:
        if not self.is_mounted:
            return
        self._job, self._plan = job, plan
        self._set_busy(False)
        self.query_one("#import-data-error").display = False
        self._show_summary([*summary_lines(plan), _preview_outcome(plan)])
        log = self.query_one("#import-data-log", Log)
        log.clear()
        lines = plan_lines(plan, problems_first=True, mapping_hint="name them in a mapping file")
        log.write_lines(display_text(line) for line in lines[len(summary_lines(plan)) :])
        log.display = True
        log.scroll_home(animate=False)
        apply = self.query_one("#import-data-apply", Button)
        apply.disabled = not plan.has_writes
        apply.label = "Import" if plan.has_writes else "Nothing to import"

    def action_save(self) -> None:
        """Ctrl+S, as in every form: import what the preview showed, or preview first."""
        plan = self._plan
        if plan is not None and plan.has_writes:
            self.action_apply()
        else:
            self.action_preview()

    # -- apply -----------------------------------------------------------------

    @on(Button.Pressed, "#import-data-apply")
    def action_apply(self) -> None:
        job, plan = self._job, self._plan
        if self.busy or job is None or plan is None or not plan.has_writes:
            return
        self._set_busy(True, "Importing…")
        now = dt.datetime.now(dt.UTC)
        self.app.write(
            lambda repo: apply_import(repo, job, now, expected=plan),
            done=self._applied,
            failed=self._failed,
        )

    def _applied(self, applied: AppliedImport) -> None:
        self._set_busy(False)
        lines = summary_lines(applied.plan, applied=True)[1:4]
        self.notify(
            "\n".join(
                [*lines, outcome_line(applied.plan, applied=True, recorded=applied.recorded)]
            ),
            title="Imported",
            timeout=10,
        )
        self.dismiss(applied)

    # -- state -----------------------------------------------------------------

    @on(Input.Changed)
    def _inputs_changed(self) -> None:
        """A preview describes the inputs it was made from: changing them needs a new one."""
        self._job = self._plan = None
        self.query_one("#import-data-apply", Button).disabled = True

    def _failed(self, exc: RegisterError) -> None:
        if not self.is_mounted:
            return
        self._set_busy(False)
        self._show_error(problems_of(exc))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A preview that raised: the form is usable again, and the app says what happened."""
        if event.state is WorkerState.ERROR and self.is_mounted:
            self._set_busy(False)
        super().on_worker_state_changed(event)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.busy = busy
        self.query_one("#import-data-preview", Button).disabled = busy
        if busy:
            self.query_one("#import-data-apply", Button).disabled = True
            self._show_summary([message])

    def _show_summary(self, lines: list[str]) -> None:
        summary = self.query_one("#import-data-summary", Static)
        summary.update(Content("\n").join(lit(line) for line in lines))

    def _show_error(self, problems: list[str]) -> None:
        error = self.query_one("#import-data-error", Static)
        error.update(nothing_imported(problems, MAX_ERROR_LINES))
        error.display = True
        self._show_summary([])

    @on(Button.Pressed, "#import-data-cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)


def _preview_outcome(plan: ImportPlan) -> str:
    rejected = len(plan.rejected_locations)
    if not plan.has_writes:
        return "Nothing to import: the register already holds everything that passed."
    if rejected:
        return f"Import skips the {rejected} rejected and writes the rest in one transaction."
    return "Import writes all of it in one transaction."


def provenance_blocks(records: list[Provenance]) -> list[Block]:
    """'Where this came from' for the supplier screen: file, row or OCID, when; empty if typed in."""
    if not records:
        return []
    blocks = [
        Block(Content("")),
        Block(Content.styled("Where this came from", "bold $text-accent")),
    ]
    for record in records:
        blocks.append(Block(Content.assemble("• ", lit(record.describe())), 2))
    return blocks
