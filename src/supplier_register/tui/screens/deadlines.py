"""What falls due when: every deadline of the register, soonest first, the overdue ones flagged.

The list is the core's (``services.deadlines``, built in ``scoring.deadlines``), so the screen,
``supplier-register due`` and its calendar file show the same deadlines in the same order with
the same words.  It is read in a worker: the screen opens at once and fills when the list
arrives.  A window (keys 1 to 4) keeps those up to 30, 90 or 365 days ahead, or all of them,
and every overdue one whatever the window; the supplier box (``/``) keeps the suppliers whose
name holds every word typed.  Kinds are shown by their words (``KIND_LABEL``), whatever kinds
the core lists.  ``x`` writes the deadlines shown as an ``.ics`` calendar.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Input, Label, Static
from textual.worker import Worker, get_current_worker

from supplier_register.domain import RegisterError
from supplier_register.services.deadlines import (
    DEFAULT_DAYS,
    Deadline,
    calendar_file_name,
    register_deadlines,
    write_deadlines_calendar,
)
from supplier_register.services.register_view import Snapshot, run_with_repository
from supplier_register.services.rows import display_text
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.commands import bindings_of
from supplier_register.tui.screens.file_dialog import FileDialog
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

WINDOWS: tuple[int | None, ...] = (30, DEFAULT_DAYS, 365, None)
"""The windows keys 1 to 4 choose: days ahead (``None``: every deadline)."""

ROWS_SHOWN = 1000
"""The most rows the table shows (the soonest the filters keep); the title says how many there
are, and the calendar file holds every one of them."""

NAME_CELL = 32
"""The longest supplier name the table shows."""

NARROW_BELOW = 110
"""Terminal width (cells) under which the title is shorter, so that it fits on one line."""

MIN_SUPPLIER = 12
MIN_CONTRACT = 10


def short(text: str, width: int) -> str:
    """``text`` on one line, cut to at most ``width`` characters ("…" at the cut)."""
    flat = " ".join(display_text(text).split())
    if len(flat) <= width:
        return flat
    return flat[: max(1, width - 1)].rstrip() + "…"


def days_text(deadline: Deadline) -> str:
    """'in 12 days', 'today', '604 days overdue'."""
    left = deadline.days_left
    if left < 0:
        return f"{-left:,} day overdue" if left == -1 else f"{-left:,} days overdue"
    if left == 0:
        return "today"
    return "in 1 day" if left == 1 else f"in {left:,} days"


def window_text(days: int | None) -> str:
    return "all" if days is None else f"{days} days"


@dataclass(frozen=True)
class DeadlineFilter:
    """What the screen shows: deadlines up to ``days`` ahead (``None``: all) and every overdue
    one, of suppliers whose name holds every word of ``text``."""

    days: int | None = DEFAULT_DAYS
    text: str = ""

    def keeps(self, deadline: Deadline) -> bool:
        if self.days is not None and not deadline.overdue and deadline.days_left > self.days:
            return False
        name = deadline.supplier.casefold()
        return all(word in name for word in self.text.casefold().split())

    def describe(self) -> Content:
        """'  window: 1 30 · 2 90 · 3 365 days · 4 all', the chosen one highlighted."""
        parts: list[str | tuple[str, str]] = [("  window:", "$text-muted")]
        for n, days in enumerate(WINDOWS, start=1):
            chosen = days == self.days
            parts += [
                (f" {n}", "bold"),
                (
                    f" {'all' if days is None else days}",
                    "bold $text-accent underline" if chosen else "",
                ),
            ]
            if days == 365:
                parts.append(" days")
            if n < len(WINDOWS):
                parts.append((" ·", "$text-muted"))
        return Content.assemble(*parts)


def deadline_cells(deadline: Deadline, supplier_width: int, contract_width: int) -> list[Text]:
    """The row of one deadline: its date, days left, what falls due, whose, and which contract
    (or which assurance, for an assurance that expires)."""
    style = "bold red" if deadline.overdue else ""
    return [
        Text(deadline.date.isoformat(), style=style),
        Text(days_text(deadline), style=style),
        Text(display_text(deadline.label), style=style),
        Text(short(deadline.supplier, supplier_width)),
        Text(short(deadline.contract or deadline.detail or "", contract_width)),
    ]


def deadline_detail(deadline: Deadline) -> Content:
    """A deadline whole: what falls due, whose, when, and what it means."""
    when = f"{deadline.date.isoformat()}, {days_text(deadline)}"
    head = [lit(deadline.supplier, "bold")]
    if deadline.contract or deadline.detail:
        head += [Content(" · "), lit(deadline.contract or deadline.detail or "")]
    flag = ("OVERDUE · " + when, "bold $text-error") if deadline.overdue else (when, "")
    lines = [
        Content.assemble(*head),
        Content.assemble((f"{display_text(deadline.what)}: ", "bold"), flag),
        lit(deadline.meaning),
    ]
    return Content("\n").join(lines)


class DeadlineTable(DataTable[Text]):
    """The deadlines; Enter opens the supplier of the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open supplier", id="deadline_table.select"),
    ]


COLUMNS = ("Date", "Days", "What", "Supplier", "Contract or item")


class DeadlinesScreen(DataScreen):
    """Decide-by and notice-by dates, contract ends, reviews due: soonest first, overdue flagged."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="deadlines.back"),
        Binding(
            "slash,ctrl+f",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter the deadlines by supplier name",
            id="deadlines.filter",
        ),
        Binding(
            "x",
            "calendar",
            "Calendar",
            tooltip="Export the deadlines shown as a calendar (.ics) for Outlook, with reminders",
            id="deadlines.calendar",
        ),
        *(
            Binding(
                str(n),
                f"window({days if days is not None else 0})",
                f"Show {'every deadline' if days is None else f'up to {days} days ahead'}",
                show=False,
                tooltip=(
                    "Show every deadline"
                    if days is None
                    else f"Show deadlines up to {days} days ahead, and every overdue one"
                ),
                id=f"deadlines.window_{days if days is not None else 'all'}",
            )
            for n, days in enumerate(WINDOWS, start=1)
        ),
    ]

    DEFAULT_CSS = """
    DeadlinesScreen #deadlines-filter-row { height: 1; padding: 0 1; }
    DeadlinesScreen #deadlines-filter-label { width: auto; padding-right: 1; color: $text-muted; }
    DeadlinesScreen #deadlines-filter { width: 20; }
    DeadlinesScreen #deadlines-window { width: 1fr; }
    DeadlinesScreen DeadlineTable { height: 1fr; }
    DeadlinesScreen #deadlines-detail-scroll {
        height: 25%; min-height: 4; border-top: hkey $panel; padding: 0 1;
    }
    """

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self.found: list[Deadline] | None = None
        """Every deadline of the register (``None`` until read)."""
        self.filter = DeadlineFilter()
        self._shown: list[Deadline] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled("Deadlines · reading…", "bold"), id="deadlines-title")
        with Horizontal(id="deadlines-filter-row"):
            yield Label("Supplier /", id="deadlines-filter-label")
            yield Input(placeholder="supplier name", id="deadlines-filter", compact=True)
            yield Static(self.filter.describe(), id="deadlines-window")
        yield DeadlineTable(id="deadlines-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="deadlines-detail-scroll"):
            yield Static("", id="deadlines-detail")
        yield KeyFooter()

    @property
    def table(self) -> DeadlineTable:
        return self.query_one(DeadlineTable)

    def on_mount(self) -> None:
        table = self.table
        for name in COLUMNS:
            table.add_column(Text(name), key=name)
        table.focus()
        self._detail()
        self.load()

    # -------------------------------------------------------------- loading

    @dataclass
    class Read(Message):
        """Every deadline of the register (``error``: why they could not be read)."""

        found: list[Deadline] | None
        error: str | None
        worker: Worker[Any]

    def load(self) -> None:
        """Read every deadline in a worker (the window and the filter only hide rows)."""
        self._read(self.app.db_path, self.app.today)

    @work(thread=True, exclusive=True, group="deadlines-load", exit_on_error=False)
    def _read(self, db_path: Path, today: dt.date) -> None:
        worker = get_current_worker()
        try:
            found = run_with_repository(db_path, lambda repo: register_deadlines(repo, today, None))
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(self.Read(None, read_failure(exc, db_path), worker))
            return
        self.post_message(self.Read(found, None, worker))

    def on_deadlines_screen_read(self, message: Read) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        if message.found is None:
            self.query_one("#deadlines-title", Static).update(
                lit(f"Deadlines · could not be read: {message.error}", "bold $text-error")
            )
            return
        self.found = message.found
        self._fill()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The register changed: read the deadlines again."""
        if self.is_mounted and self.found is not None:
            self.load()

    def on_screen_resume(self) -> None:
        # Back from a supplier: a contract or the review date may have been changed there.
        if self.found is not None:
            self.load()

    # -------------------------------------------------------------- showing

    @property
    def shown(self) -> list[Deadline]:
        """Every deadline the window and the filter keep, soonest first (the table holds the
        first :data:`ROWS_SHOWN` of them)."""
        return [d for d in self.found or () if self.filter.keeps(d)]

    def _widths(self, shown: Sequence[Deadline]) -> tuple[int, int]:
        """How wide the supplier and contract columns can be for the table to fit the screen."""
        table = self.table
        fixed = [len("YYYY-MM-DD"), len("Days"), len("What")]
        for d in shown:
            fixed[1] = max(fixed[1], len(days_text(d)))
            fixed[2] = max(fixed[2], len(d.label))
        pad = 2 * table.cell_padding
        space = (table.size.width or self.app.size.width) - 2  # the scrollbar
        rest = space - sum(w + pad for w in fixed) - 2 * pad
        longest = max((len(display_text(d.supplier)) for d in shown), default=0)
        supplier = max(MIN_SUPPLIER, min(NAME_CELL, longest, rest * 3 // 5))
        used = max(len("Supplier"), min(longest, supplier))
        return supplier, max(MIN_CONTRACT, rest - used)

    def _fill(self) -> None:
        found = self.found
        if found is None:
            return
        table = self.table
        keep = self._cursor_key()
        all_shown = self.shown
        self._shown = all_shown[:ROWS_SHOWN]
        supplier_width, contract_width = self._widths(self._shown)
        rows = [(d.key, deadline_cells(d, supplier_width, contract_width)) for d in self._shown]
        table.clear()
        # Each column exactly as wide as what it shows now (clear() keeps the widest ever shown).
        for index, column in enumerate(table.ordered_columns):
            column.auto_width = False
            column.width = max([column.label.cell_len, *(c[index].cell_len for _, c in rows)])
        for key, cells in rows:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False)
        self._title(len(all_shown))
        self._detail()

    def _title(self, shown: int) -> None:
        found = self.found or []
        overdue = sum(1 for d in found if d.overdue and self.filter.keeps(d))
        narrow = self.app.size.width < NARROW_BELOW
        if self.filter.days is None:
            window = "every deadline"
        elif narrow:
            window = f"next {self.filter.days} days and overdue"
        else:
            window = f"up to {self.filter.days} days ahead and every overdue one"
        count = f"{shown:,}" if narrow else f"{shown:,} deadline{'' if shown == 1 else 's'}"
        if shown > len(self._shown):
            count = f"the first {len(self._shown):,} of {count}"
        parts: list[str | tuple[str, str]] = [("Deadlines", "bold"), f" · {count}"]
        if overdue:
            parts.append((f" ({overdue:,} overdue)", "bold $text-error"))
        parts.append(f" · {window} · as of {self.app.today.isoformat()}")
        self.query_one("#deadlines-title", Static).update(Content.assemble(*parts))

    def _cursor_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @property
    def current(self) -> Deadline | None:
        """The highlighted deadline."""
        table = self.table
        if table.row_count == 0 or not self._shown:
            return None
        row = table.cursor_row
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def _detail(self) -> None:
        detail = self.query_one("#deadlines-detail", Static)
        deadline = self.current
        if deadline is None:
            if self.found is None:
                empty = "Reading the deadlines…"
            elif self.filter.text.strip():
                empty = "No deadline with this filter (esc clears it)"
            else:
                empty = f"Nothing falls due in this window ({window_text(self.filter.days)})"
                empty += " and nothing is overdue"
            detail.update(Content.styled(empty, "$text-muted"))
            return
        detail.update(deadline_detail(deadline))

    def on_resize(self) -> None:
        if self.found is not None:
            self._fill()

    @on(DataTable.RowHighlighted, "#deadlines-table")
    def _highlighted(self) -> None:
        self._detail()

    @on(DataTable.RowSelected, "#deadlines-table")
    def _open(self) -> None:
        deadline = self.current
        if deadline is not None:
            self.app.open_supplier(deadline.supplier_id)

    # -------------------------------------------------------------- filters

    def _refilter(self, new: DeadlineFilter) -> None:
        self.filter = new
        self.query_one("#deadlines-window", Static).update(new.describe())
        self._fill()

    @on(Input.Changed, "#deadlines-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._refilter(DeadlineFilter(self.filter.days, event.value))

    @on(Input.Submitted, "#deadlines-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def action_filter(self) -> None:
        self.query_one("#deadlines-filter", Input).focus()

    def action_window(self, days: int) -> None:
        """Show deadlines up to ``days`` ahead (0: all of them), and every overdue one."""
        self._refilter(DeadlineFilter(days or None, self.filter.text))

    def action_back(self) -> None:
        """Escape: leave the filter box, else clear the filter, else go back."""
        filter_input = self.query_one("#deadlines-filter", Input)
        if filter_input.has_focus and not filter_input.value:
            self.table.focus()
        elif filter_input.value:
            filter_input.value = ""
        else:
            self.dismiss()

    # ------------------------------------------------------------- calendar

    def action_calendar(self) -> None:
        if self.found is None:
            self.notify(
                "The deadlines are still being read: try again when they are shown.",
                severity="warning",
            )
            return
        shown = self.shown
        if not shown:
            self.notify("No deadline is shown: nothing to put in a calendar.", severity="warning")
            return
        self.app.push_screen(CalendarScreen(shown, self.filter))

    def command_bindings(self) -> Iterable[tuple[DOMNode, Binding]]:
        yield from ((self, b) for b in bindings_of(self.BINDINGS))
        yield from ((self.table, b) for b in bindings_of(DeadlineTable.BINDINGS))


class CalendarScreen(FileDialog):
    """Write the deadlines shown as an iCalendar file: a dated name in the current folder is
    proposed, replacing a file is confirmed first, and the notification gives its full path."""

    PREFIX = "calendar"
    WRITES = "the new calendar"

    DEFAULT_CSS = """
    CalendarScreen .dialog.calendar { height: auto; max-width: 100; }
    CalendarScreen #calendar-error { color: $text-error; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="calendar.cancel"),
        Binding("ctrl+s", "export", "Export", priority=True, id="calendar.export"),
    ]

    app: SupplierRegisterApp

    def __init__(self, found: Sequence[Deadline], shown: DeadlineFilter) -> None:
        super().__init__(classes="dialog-screen")
        self.found = list(found)
        self.shown_filter = shown
        self.busy = False

    def compose(self) -> ComposeResult:
        n = len(self.found)
        overdue = sum(1 for d in self.found if d.overdue)
        about = f"{n:,} deadline{'' if n == 1 else 's'}" + (
            f" ({overdue:,} overdue)" if overdue else ""
        )
        window = window_text(self.shown_filter.days)
        body = (
            f"The {about} shown (window: {window}"
            + (f"; suppliers: {self.shown_filter.text.strip()}" if self.shown_filter.text else "")
            + "), one all-day event each with reminders a week before and on the day. "
            "Import it into Outlook or another calendar; a new export updates the same events."
        )
        with Vertical(classes="dialog calendar"):
            yield Static("Export deadlines as a calendar (.ics)", classes="dialog-title")
            yield Static(Content(body), classes="dialog-body")
            yield Input(placeholder="file to write", id="calendar-path")
            yield Static("", id="calendar-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Export (ctrl+s)", variant="primary", id="calendar-write", compact=True
                )
                yield Button("Cancel (esc)", id="calendar-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#calendar-error").display = False
        path = self.query_one("#calendar-path", Input)
        path.value = f"./{calendar_file_name(self.app.today)}"
        path.focus()
        path.cursor_position = len(path.value)

    @on(Input.Submitted, "#calendar-path")
    @on(Button.Pressed, "#calendar-write")
    def action_export(self) -> None:
        self.write_to_chosen_file(self._start)

    def _start(self, out: Path, force: bool) -> None:
        self._begin()
        self._write(out, force)

    @dataclass
    class Written(Message):
        """The write worker's result: the file's full path, or why nothing was written."""

        path: Path | None
        error: str | None

    @work(thread=True, exclusive=True, group="calendar-write", exit_on_error=False)
    def _write(self, out: Path, force: bool) -> None:
        app = self.app
        try:
            path = write_deadlines_calendar(self.found, app.today, out, app.db_path, force=force)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(self.Written(None, read_failure(exc, app.db_path)))
            return
        self.post_message(self.Written(path, None))

    def on_calendar_screen_written(self, message: Written) -> None:
        n = len(self.found)
        note = f"Calendar of {n:,} deadline{'' if n == 1 else 's'} written to {message.path}"
        self._finished(message.path, message.error, "the calendar could not be written", note)
