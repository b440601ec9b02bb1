"""The home screen: every supplier with its score, filterable and sortable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import Header, Input, Label, Static

from supplier_register.services.register_view import Snapshot
from supplier_register.services.rows import SupplierRow
from supplier_register.tui.app import DataScreen
from supplier_register.tui.commands import bindings_of
from supplier_register.tui.text import band_content, lit
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.register_table import SORT_LABELS, RegisterTable
from supplier_register.tui.widgets.trust_line import TrustLine

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

EMPTY_HELP = (
    "This register has no suppliers yet.\n\n"
    "  a        add your first supplier\n"
    "  i        import a register file (.json), e.g. one exported from another trust\n"
    "  I        import a spreadsheet (.csv, .xlsx) or published contracts (OCDS .json)\n"
    "  L        load the bundled sample register (a fictional trust) into this database\n\n"
    "From the command line:\n"
    "  supplier-register import FILE.json | FILE.csv | FILE.xlsx\n"
    "  supplier-register import-ocds FILE.json --buyer YOUR-TRUST\n"
    "  supplier-register --demo        explore the sample without touching your database"
)

EMPTY_HELP_READ_ONLY = (
    "This register has no suppliers yet. It is open read-only, so nothing can be added "
    "here: suppliers are added by whoever keeps the register."
)


class RegisterScreen(DataScreen):
    """Every supplier: criticality, owner, score and band, impact, confidence, top finding,
    decide-by, questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash,ctrl+f",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter suppliers as you type",
            id="register.filter",
        ),
        Binding("a", "add_supplier", "Add", tooltip="Add a supplier", id="register.add_supplier"),
        Binding(
            "e",
            "edit_supplier",
            "Edit",
            tooltip="Edit the highlighted supplier",
            id="register.edit_supplier",
        ),
        Binding(
            "d,delete",
            "delete_supplier",
            "Delete",
            key_display="d",
            tooltip="Delete the highlighted supplier",
            id="register.delete_supplier",
        ),
        Binding(
            "q",
            "answer",
            "Answer",
            tooltip="Answer the questionnaire for the highlighted supplier",
            id="register.answer",
        ),
        Binding(
            "i",
            "import_file",
            "Import",
            show=False,
            tooltip="Import a register file (.json)",
            id="register.import_file",
        ),
        Binding(
            "h",
            "history",
            "History",
            show=False,
            tooltip="Every change to the register",
            id="register.history",
        ),
        Binding(
            "w",
            "impact",
            "Impact",
            tooltip="Impact: what stops if this supplier fails",
            id="register.impact",
        ),
        Binding(
            "L",
            "load_sample",
            "Sample",
            show=False,
            tooltip="Load the bundled sample register",
            id="register.load_sample",
        ),
    ]

    AUTO_FOCUS = "#register-table"
    """The table has the focus from the start (focusing the filter first would cost a restyle)."""

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self._pending_select: int | None = None
        self._had_scores = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="register-body"):
            yield TrustLine()
            with Horizontal(id="filter-row"):
                yield Label("Filter /", id="filter-label")
                yield Input(
                    placeholder="name, owner, category, band or criticality",
                    id="filter",
                    compact=True,
                )
            yield RegisterTable(
                today=self.app.today,
                empty_message="No suppliers match the filter.",
                id="register-table",
            )
            empty_help = Static(
                EMPTY_HELP_READ_ONLY if self.app.read_only else EMPTY_HELP,
                id="empty-help",
                markup=False,
            )
            empty_help.display = False  # set before mounting: no second layout
            yield empty_help
            yield Static("", id="preview")
            yield Static("Reading the register…", id="status")
        yield KeyFooter()

    @property
    def table(self) -> RegisterTable:
        return self.query_one(RegisterTable)

    def on_mount(self) -> None:
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)
        elif self.app.first_screen is not None:
            self.show_first_rows(self.app.first_screen.rows, self.app.first_screen.total)

    def show_first_rows(self, rows: Sequence[SupplierRow], total: int) -> None:
        """The first rows, highest priority first with their kept scores, while the rest loads.

        They are the start of the table the whole register will give, so when it
        arrives the rows fill in below without the cursor or the view moving.
        """
        table = self.table
        table.today = self.app.today
        self._had_scores = True  # already in their final order
        table.set_rows(rows, total=total)
        self._update_status()
        self._update_preview()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.query_one(TrustLine).show_snapshot(snapshot)
        table = self.table
        table.today = snapshot.today
        # The first scores re-order the table; unless the user has already moved
        # the cursor, start at the top (the highest risk) rather than where the
        # unscored, alphabetical list happened to put it.
        first_scores = snapshot.scores is not None and not self._had_scores
        self._had_scores = snapshot.scores is not None
        table.set_rows(
            snapshot.rows,
            settled=snapshot.first_rows or None,  # the others move once they are scored
            keep_id=self._pending_select,
            reset=first_scores and table.cursor_row == 0,
        )
        self._pending_select = None
        empty = snapshot.is_empty
        self.query_one("#empty-help").display = empty
        table.display = not empty
        self.query_one("#preview").display = not empty
        self._update_status()
        self._update_preview()

    # --------------------------------------------------------------- status

    def _update_status(self) -> None:
        snapshot = self.app.snapshot
        table = self.table
        if snapshot is None and not table.rows:
            return  # still "Reading the register…"
        sort = SORT_LABELS[table.sort_key]
        direction = "↓" if table.sort_reverse else "↑"
        shown, loaded, total = table.row_count, len(table.rows), table.total
        noun = "supplier" if total == 1 else "suppliers"
        if table.partial:
            # Only the first rows are here: say so, and that the rest is coming.
            count = (
                f"showing {shown:,} of {total:,} {noun}"
                if shown == loaded
                else f"{shown:,} of the first {loaded:,} of {total:,} {noun}"
            )
            state = "; loading…"
        else:
            count = f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}"
            state = "" if snapshot is not None and snapshot.scores_current else " · scoring…"
            if snapshot is None:
                state = "; loading…"  # every row is here, but not yet the rest of the register
        parts: list[str | tuple[str, str]] = [
            (count, "bold"),
            (state, "bold $text-warning"),
            f" · sorted by {sort.lower()} {direction}",
        ]
        scored = snapshot is not None and snapshot.scores_current
        if scored and not table.partial and not table.settling:
            # Only then: the first rows alone, or rows still being scored, would undercount.
            questions = sum(row.questions for row in table.view)
            parts.append(f" · {questions:,} board question{'' if questions == 1 else 's'}")
        parts += [f" · as of {self.app.today.isoformat()}", (" · s or 0-9 sorts", "$text-muted")]
        self.query_one("#status", Static).update(Content.assemble(*parts))

    def _update_preview(self) -> None:
        row = self.table.cursor_supplier
        preview = self.query_one("#preview", Static)
        if row is None:
            preview.update("")
            return
        snapshot = self.app.snapshot
        scoring = snapshot is not None and not snapshot.scores_current
        preview.update(preview_content(row, scoring=scoring))

    @on(RegisterTable.ViewChanged)
    def _view_changed(self) -> None:
        self._update_status()

    @on(RegisterTable.Highlighted)
    def _highlighted(self) -> None:
        self._update_preview()

    @on(RegisterTable.Selected)
    def _selected(self, event: RegisterTable.Selected) -> None:
        self.app.open_supplier(event.supplier_id)

    # --------------------------------------------------------------- filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.table.filter_text = event.value

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def key_escape(self) -> None:
        """Escape in the filter clears it (a second escape returns to the table)."""
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus and filter_input.value:
            filter_input.value = ""
        elif filter_input.has_focus:
            self.table.focus()
        elif filter_input.value:
            filter_input.value = ""

    def key_down(self) -> None:
        if self.query_one("#filter", Input).has_focus:
            self.table.focus()

    # --------------------------------------------------------------- editing

    def _current(self) -> int | None:
        supplier_id = self.table.cursor_supplier_id
        if supplier_id is None:
            self.notify("Choose a supplier first.", severity="warning")
        return supplier_id

    def action_add_supplier(self) -> None:
        from supplier_register.tui.screens.edit import add_supplier

        add_supplier(self.app, on_saved=self._select_new)

    def _select_new(self, supplier_id: int) -> None:
        """Clear the filter so the new supplier shows; the cursor moves to it on the next read."""
        self.query_one("#filter", Input).value = ""
        self._pending_select = supplier_id

    def action_edit_supplier(self) -> None:
        from supplier_register.tui.screens.edit import edit_supplier

        supplier_id = self._current()
        if supplier_id is not None:
            edit_supplier(self.app, supplier_id)

    def action_delete_supplier(self) -> None:
        from supplier_register.tui.screens.edit import delete_supplier

        supplier_id = self._current()
        if supplier_id is not None:
            delete_supplier(self.app, supplier_id)

    def action_answer(self) -> None:
        from supplier_register.tui.screens.questionnaire import QuestionnaireScreen

        supplier_id = self._current()
        if supplier_id is not None:
            self.app.push_screen(QuestionnaireScreen(supplier_id))

    def action_impact(self) -> None:
        from supplier_register.tui.screens.impact import ImpactScreen

        row = self.table.cursor_supplier
        if row is None:
            self.notify("Choose a supplier first.", severity="warning")
            return
        self.app.push_screen(ImpactScreen(row.id, row.name))

    def action_history(self) -> None:
        from supplier_register.tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def action_import_file(self) -> None:
        from supplier_register.tui.screens.importing import ImportScreen

        self.app.push_screen(ImportScreen())

    def action_load_sample(self) -> None:
        from supplier_register.tui.screens.importing import load_sample

        load_sample(self.app)

    def command_bindings(self) -> Iterable[tuple[DOMNode, Binding]]:
        yield from ((self, b) for b in bindings_of(self.BINDINGS))
        yield from ((self.table, b) for b in bindings_of(RegisterTable.BINDINGS))


def preview_content(row: SupplierRow, *, scoring: bool = False) -> Content:
    """One line about the highlighted supplier: full name, band, owner and top finding."""
    parts: list[Content | str | tuple[str, str]] = [lit(row.name, "bold"), "  "]
    if row.band is None and scoring:
        parts.append(Content.styled("scoring…", "$text-warning"))
    else:
        parts.append(band_content(row.band, row.score))
    parts.append(Content.assemble("  ", (row.criticality.label, "italic")))
    if row.owner:
        parts.append(Content.assemble("  owner: ", lit(row.owner)))
    else:
        parts.append(Content.styled("  no relationship owner", "$text-warning"))
    if row.top_finding:
        parts.append(Content.assemble("  top finding: ", lit(row.top_finding)))
    return Content.assemble(*parts)
