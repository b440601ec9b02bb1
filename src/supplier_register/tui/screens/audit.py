"""The audit trail in the TUI: who changed a supplier (or anything), when, from what to what.

The host app provides ``db_path``; the supplier screen opens this screen for
its supplier (``AuditScreen(supplier_id=..., supplier_name=...)``), and with
no supplier it shows every change.  The log is read in a worker thread on its
own connection.  Every cell is a ``rich.text.Text`` made of literal user text
(control characters removed), so names like ``[@click=app.quit]x[/]`` show as
typed and never run anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Protocol, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from supplier_register.domain.errors import RegisterError
from supplier_register.services.register_view import read_audit_entries
from supplier_register.services.rows import display_text
from supplier_register.storage.audit import AuditEntry, format_value
from supplier_register.tui.messages import AuditRead
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.workers import ReportsWorkerErrors

ACTION_LABELS = {
    "insert": "added",
    "update": "changed",
    "delete": "deleted",
    "baseline": "baseline",
    "restore": "restored",
    "merge": "merged",
}


class AuditHost(Protocol):
    """What the audit screen needs from the app it runs in."""

    db_path: Path


def when(entry: AuditEntry) -> str:
    """'2026-11-26 14:03:07' from the stored UTC time."""
    return entry.at.replace("T", " ").removesuffix("Z")[:19]


def detail_text(entry: AuditEntry) -> Text:
    """Every field the entry set, changed or cleared, one per line, as literal text."""
    text = Text()
    text.append(f"{when(entry)} UTC  ", style="bold")
    text.append(display_text(entry.actor))
    text.append(f"  {ACTION_LABELS.get(entry.action, entry.action)} ", style="bold")
    text.append(display_text(entry.record))
    text.append("\n")
    if entry.action in ("restore", "baseline", "merge"):
        text.append(display_text(entry.summary()))
        return text
    if not entry.changes:
        text.append("(no field changed)", style="dim")
    for change in entry.changes:
        text.append(f"\n{change.field}: ", style="bold")
        if entry.action == "update":
            text.append(display_text(format_value(change.old)))
            text.append("  ->  ", style="dim")
        text.append(
            display_text(format_value(change.old if entry.action == "delete" else change.new))
        )
    return text


def entry_cells(entry: AuditEntry) -> tuple[Text, Text, Text, Text, Text]:
    """One table row: when, who, what was done, to which record, and the changes in short."""
    return (
        Text(when(entry)),
        Text(display_text(entry.actor)),
        Text(ACTION_LABELS.get(entry.action, entry.action)),
        Text(display_text(entry.record)),
        Text(display_text(entry.summary())[:300]),
    )


def audit_status(count: int, supplier_name: str | None) -> Text:
    """'12 recorded changes to <supplier>, newest first'."""
    what = display_text(supplier_name) if supplier_name else "the register"
    return Text(f"{count} recorded changes to {what}, newest first")


class AuditScreen(ReportsWorkerErrors, Screen[None]):
    """Every recorded change of one supplier and its contracts and answers, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="audit.back"),
        Binding("ctrl+r", "reload", "Reload", id="audit.reload"),
    ]

    DEFAULT_CSS = """
    AuditScreen #audit-table { height: 2fr; }
    AuditScreen #audit-detail { height: 1fr; border-top: solid $primary; padding: 0 1; }
    AuditScreen #audit-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, supplier_id: int | None = None, supplier_name: str | None = None) -> None:
        super().__init__()
        self.supplier_id = supplier_id
        self.supplier_name = supplier_name
        self.entries: list[AuditEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="audit-status")
            table: DataTable[Text] = DataTable(
                id="audit-table", cursor_type="row", zebra_stripes=True
            )
            yield table
            yield Static(id="audit-detail")
        yield KeyFooter()

    @property
    def table(self) -> DataTable[Text]:
        return cast("DataTable[Text]", self.query_one("#audit-table", DataTable))

    def on_mount(self) -> None:
        self.title = "Audit trail"
        self.sub_title = display_text(self.supplier_name or "every change")
        for label in ("When (UTC)", "Who", "Action", "Record", "Changes"):
            self.table.add_column(label, key=label)
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.query_one("#audit-status", Static).update(Text("Reading the audit trail…"))
        self._read(cast("AuditHost", self.app).db_path, self.supplier_id)

    @work(thread=True, exclusive=True, group="audit-read", exit_on_error=False)
    def _read(self, db_path: Path, supplier_id: int | None) -> None:
        try:
            entries = read_audit_entries(db_path, supplier_id)
        except RegisterError as exc:
            self.post_message(AuditRead(None, exc.message))
            return
        self.post_message(AuditRead(entries, None))

    def on_audit_read(self, message: AuditRead) -> None:
        if message.entries is None:
            self.show_error(message.error or "")
        else:
            self.show_entries(message.entries)

    def show_error(self, message: str) -> None:
        self.query_one("#audit-status", Static).update(Text(display_text(message), style="red"))

    def show_entries(self, entries: list[AuditEntry]) -> None:
        """Fill the table (called on the UI thread)."""
        self.entries = entries
        table = self.table
        table.clear()
        for i, entry in enumerate(entries):
            table.add_row(*entry_cells(entry), key=str(i))
        self.query_one("#audit-status", Static).update(
            audit_status(len(entries), self.supplier_name)
        )
        self.show_detail(0 if entries else None)

    def show_detail(self, index: int | None) -> None:
        detail = self.query_one("#audit-detail", Static)
        if index is None or not 0 <= index < len(self.entries):
            detail.update(Text("No changes recorded.", style="dim"))
            return
        detail.update(detail_text(self.entries[index]))

    @on(DataTable.RowHighlighted, "#audit-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.cursor_row)
