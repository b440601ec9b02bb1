"""A virtual table of suppliers that draws only the rows on screen.

It follows the Line API pattern (a ``ScrollView`` whose ``render_line`` returns
``Strip``s, as Textualize's toolong does for huge log files): the rows are a
precomputed list of small tuples, sorting and filtering work on that list, and
each visible line is built from plain ``Segment``s, so user text is never parsed
as markup and 50,000 suppliers cost no more to draw than fifty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from supplier_register.scoring.results import Band
from supplier_register.services.rows import SupplierRow, filter_rows, filter_terms, refines
from supplier_register.tui.text import fmt_impact, fmt_percent

Justify = Literal["left", "right"]

_MISSING_LAST = object()


@dataclass(frozen=True)
class Column:
    """One column of the register table."""

    key: str
    label: str
    width: int
    """Fixed width in cells, or the minimum width of a flexible column."""
    text: Callable[[SupplierRow], str]
    sort_key: Callable[[SupplierRow], Any]
    """Sort value; ``None`` sorts after everything else in either direction."""
    flex: int = 0
    """Share of spare width this column takes (0 = fixed width)."""
    priority: int = 0
    """Columns with the lowest priority are hidden first when the terminal is narrow."""
    justify: Justify = "left"
    descending_first: bool = False
    """Sort this column highest first on the first press (scores, counts)."""
    title: str = ""
    """What the column holds, in full, when ``label`` is short (for help and the status line)."""
    help: str = ""
    """What the column is, in a sentence or two (its header's tooltip)."""

    @property
    def full_label(self) -> str:
        return self.title or self.label


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _optional_text(
    key: str,
    label: str,
    width: int,
    text: Callable[[SupplierRow], str],
    *,
    priority: int,
    flex: int,
) -> Column:
    """A column of text that may be blank: sorted regardless of case, blanks last."""
    return Column(
        key, label, width, text, lambda r: text(r).casefold() or None, flex=flex, priority=priority
    )


PRIORITY = "priority"
"""The register's default order and its column: priority (the risk, impact x exposure,
unrounded), then score and criticality, highest first, then name; the scoring engine's
``supplier_order``, which the CLI, the exports, the board and the score cache all use."""


def _priority_order(row: SupplierRow) -> tuple[float, int | None, int] | None:
    return None if row.priority is None else (row.priority, row.score, row.criticality.rank)


PRIORITY_HELP = (
    "Pri.: priority, each supplier's place in the register's first order, the order to deal "
    "with them in (1 first): highest risk first (the score unrounded, impact times exposure), "
    "then score, then criticality. It is the whole register's order: a filter or another sort "
    "never renumbers it (0 sorts by it again); blank until the supplier is scored"
)
"""What the priority column is: for the help screen and the column header's tooltip."""

NOTICE_HELP = (
    "Notice by: the next last day to give notice on a current contract that renews "
    "automatically (its end date less its notice period), beside decide by, the last day to "
    "decide whether to renew or leave (less the time to move to another supplier too); in red "
    "once passed (every notice day passed: the latest, and the contract renews), blank when "
    "no such date is recorded"
)
"""What the notice-by column is: for the help screen and the column header's tooltip."""

COLUMNS: tuple[Column, ...] = (
    Column(
        PRIORITY,
        "Pri.",
        5,
        lambda r: "",  # the row's rank in the whole register (RegisterTable.cell_text)
        _priority_order,
        priority=92,
        justify="right",
        descending_first=True,
        title="Priority",
        help=PRIORITY_HELP,
    ),
    Column(
        "name",
        "Supplier",
        18,
        lambda r: r.name,
        lambda r: r.name.casefold(),
        flex=3,
        priority=100,
    ),
    Column(
        "criticality",
        "Criticality",
        11,
        lambda r: r.criticality.label,
        lambda r: r.criticality.rank,
        priority=90,
        descending_first=True,
    ),
    _optional_text("owner", "Owner", 10, lambda r: r.owner, flex=1, priority=50),
    Column(
        "score",
        "Score",
        6,
        lambda r: "" if r.score is None else str(r.score),
        lambda r: r.score,
        priority=95,
        justify="right",
        descending_first=True,
    ),
    Column(
        "band",
        "Band",
        10,  # "Unassessed"
        lambda r: r.band.value.capitalize() if r.band is not None else "",
        lambda r: r.band.rank if r.band is not None else None,
        priority=94,
        descending_first=True,
    ),
    Column(
        "impact",
        "Impact",
        7,  # "▼Impact" when sorted by it
        lambda r: fmt_impact(r.impact),
        lambda r: r.impact,
        priority=78,
        justify="right",
        descending_first=True,
    ),
    Column(
        "confidence",
        "Conf.",
        6,
        lambda r: fmt_percent(r.confidence),
        lambda r: r.confidence,
        priority=75,
        justify="right",
        title="Confidence",
    ),
    _optional_text("finding", "Top finding", 12, lambda r: r.top_finding, flex=3, priority=40),
    Column(
        "decide_by",
        "Decide by",
        10,
        lambda r: _date(r.decide_by),
        lambda r: r.decide_by,
        priority=80,
        help="Decide by: the last day to decide whether to renew or leave the current contract "
        "that comes first (its end date less its notice period and the time to move to another "
        "supplier); in red once passed",
    ),
    Column(
        "notice_by",
        "Notice by",
        10,
        lambda r: _date(r.notice_by),
        lambda r: r.notice_by,
        priority=79,
        help=NOTICE_HELP,
    ),
    Column(
        "questions",
        "Qs",
        3,
        lambda r: str(r.questions) if r.questions else "",
        lambda r: r.questions,
        priority=70,
        justify="right",
        descending_first=True,
    ),
)

COLUMN_KEYS = tuple(column.key for column in COLUMNS)
_BY_KEY = {column.key: column for column in COLUMNS}

SORT_KEYS: dict[str, Callable[[SupplierRow], Any]] = {
    column.key: column.sort_key for column in COLUMNS
}
"""Every order the table can show: each column's (priority's is the first order)."""

SORT_LABELS: dict[str, str] = {c.key: c.full_label for c in COLUMNS}

SORT_DIGITS = 9
"""Keys 1 to 9 sort by the first nine columns after priority (0 by priority); the rest by s or
a click."""

DIGIT_COLUMNS = tuple(c for c in COLUMNS if c.key != PRIORITY)[:SORT_DIGITS]

LEFT_PAD = 1
GAP = 1
ELLIPSIS = "…"


def header_tooltip(column: Column) -> str:
    """A column header's tooltip: what the column is, and that a click sorts by it."""
    about = column.help or column.full_label
    return f"{about}. Click to sort by it (again: the other way)."


def fit_cell(text: str, width: int, justify: Justify = "left") -> str:
    """Pad or cut ``text`` to exactly ``width`` terminal cells, ending cut text with an ellipsis.

    Wide characters (emoji, CJK) count as two cells; a wide character that would
    straddle the edge is replaced by padding so the columns stay aligned.
    """
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + ELLIPSIS
    if justify == "right":
        return " " * (width - length) + text
    return text + " " * (width - length)


def layout_columns(width: int) -> list[tuple[Column, int]]:
    """Choose the columns that fit in ``width`` cells and give each its width.

    Fixed columns keep their width; flexible columns share what is left over in
    proportion to ``flex``.  When even the minimum widths do not fit, the
    lowest-priority columns are dropped (never the supplier name).
    """
    shown = list(COLUMNS)

    def needed(columns: Sequence[Column]) -> int:
        return LEFT_PAD + sum(c.width for c in columns) + GAP * (len(columns) - 1)

    while len(shown) > 1 and needed(shown) > width:
        shown.remove(min(shown, key=lambda c: c.priority))
    spare = max(0, width - needed(shown))
    total_flex = sum(c.flex for c in shown)
    widths = {c.key: c.width for c in shown}
    if total_flex:
        given = 0
        flexible = [c for c in shown if c.flex]
        for column in flexible:
            extra = spare * column.flex // total_flex
            widths[column.key] += extra
            given += extra
        widths[flexible[0].key] += spare - given
    else:
        widths[shown[-1].key] += spare
    if len(shown) == 1:
        widths[shown[0].key] = max(1, width - LEFT_PAD)
    return [(c, widths[c.key]) for c in shown]


def sort_rows(rows: Sequence[SupplierRow], key: str, reverse: bool) -> list[SupplierRow]:
    """Rows ordered by one column; blanks always last, ties by name."""
    by_name = sorted(rows, key=lambda r: r.name.casefold())
    present: list[SupplierRow] = []
    missing: list[SupplierRow] = []
    sort_key = SORT_KEYS[key]
    for row in by_name:
        (missing if sort_key(row) is None else present).append(row)
    present.sort(key=sort_key, reverse=reverse)
    return present + missing


class TableMessage(Message):
    """A message from a register table, which is its ``control`` (for ``@on`` selectors)."""

    def __init__(self, table: RegisterTable) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> RegisterTable:
        return self.table


class RegisterTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The register of suppliers: a sortable, filterable, virtual table with a row cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="register_table.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="register_table.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="register_table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="register_table.page_down"),
        Binding("home", "first", "First", show=False, id="register_table.first"),
        Binding("end", "last", "Last", show=False, id="register_table.last"),
        Binding("enter", "select", "Open", show=True, id="register_table.select"),
        Binding("s", "next_sort", "Sort by next column", show=False, id="register_table.next_sort"),
        Binding(
            "S", "reverse_sort", "Reverse the sort", show=False, id="register_table.reverse_sort"
        ),
        Binding(
            "0",
            f"sort('{PRIORITY}')",
            "Sort by priority (the first order)",
            show=False,
            id="register_table.sort_priority",
        ),
        *(
            Binding(
                str(n),
                f"sort('{c.key}')",
                f"Sort by {c.full_label.lower()}",
                show=False,
                id=f"register_table.sort_{c.key}",
            )
            for n, c in enumerate(DIGIT_COLUMNS, start=1)
        ),
    ]

    DEFAULT_CSS = """
    RegisterTable {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
        color: $foreground;
        & > .register-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .register-table--sorted {
            text-style: bold underline;
            color: $accent;
        }
        & > .register-table--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .register-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & > .register-table--band-low { color: $success; }
        & > .register-table--band-medium { color: $warning-muted; }
        & > .register-table--band-high { color: $warning; text-style: bold; }
        & > .register-table--band-severe { color: $error; text-style: bold; }
        & > .register-table--band-unassessed { color: $text-muted; text-style: italic; }
        & > .register-table--overdue { color: $error; text-style: bold; }
        & > .register-table--soon { color: $warning; }
        & > .register-table--strategic { text-style: bold; }
        & > .register-table--empty { color: $text-muted; text-style: italic; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "register-table--header",
        "register-table--sorted",
        "register-table--cursor",
        "register-table--band-low",
        "register-table--band-medium",
        "register-table--band-high",
        "register-table--band-severe",
        "register-table--band-unassessed",
        "register-table--overdue",
        "register-table--soon",
        "register-table--strategic",
        "register-table--empty",
    }

    SOON_DAYS: ClassVar[int] = 90
    """A decide-by date within this many days is highlighted."""

    cursor_row: reactive[int] = reactive(0, repaint=False, always_update=False)
    filter_text: reactive[str] = reactive("", repaint=False)
    sort_key: reactive[str] = reactive(PRIORITY, repaint=False)
    sort_reverse: reactive[bool] = reactive(True, repaint=False)

    class Highlighted(TableMessage):
        """The cursor moved to another supplier (or to none)."""

        def __init__(self, table: RegisterTable, supplier_id: int | None) -> None:
            super().__init__(table)
            self.supplier_id = supplier_id

    class Selected(TableMessage):
        """The user chose a supplier (Enter, or a click on the cursor row)."""

        def __init__(self, table: RegisterTable, supplier_id: int) -> None:
            super().__init__(table)
            self.supplier_id = supplier_id

    class ViewChanged(TableMessage):
        """The rows shown changed: new data, a new filter or a new sort."""

        def __init__(self, table: RegisterTable, shown: int, total: int) -> None:
            super().__init__(table)
            self.shown = shown
            self.total = total

    def __init__(
        self,
        rows: Sequence[SupplierRow] = (),
        *,
        today: dt.date | None = None,
        empty_message: str = "No suppliers.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.today = today
        self.empty_message = empty_message
        self._rows: list[SupplierRow] = list(rows)
        self._total: int | None = None
        """How many suppliers the register has, while only the first of them are in ``_rows``."""
        self._settled: int | None = None
        """How many rows, from the top of the default order, are in their final place (None: all)."""
        self._pending_row: int | None = None
        """Where a key asked the cursor to go past the settled rows (see :meth:`set_rows`)."""
        self._sorted: dict[tuple[str, bool], list[SupplierRow]] = {}
        self._filtered: LRUCache[tuple[object, ...], list[SupplierRow]] = LRUCache(32)
        """Views of recent filters of the current order, so deleting a letter is instant too."""
        self._view: list[SupplierRow] = []
        self._view_filter: tuple[tuple[str, bool], tuple[str, ...]] | None = None
        """The order and filter terms of ``_view`` when it is filtered."""
        self._generation = 0
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._columns_cache: tuple[int, list[tuple[Column, int]]] | None = None
        self._last_highlighted: int | object | None = _MISSING_LAST
        self._ranks: dict[int, int] | None = None
        """Each scored supplier's place in the priority order (1 first), worked out when drawn."""
        self._rebuild_view(keep_id=None)

    # ----------------------------------------------------------------- data

    @property
    def rows(self) -> Sequence[SupplierRow]:
        """Every row, in no particular order."""
        return self._rows

    @property
    def view(self) -> Sequence[SupplierRow]:
        """The rows shown, filtered and sorted, top to bottom."""
        return self._view

    @property
    def row_count(self) -> int:
        """How many rows are shown."""
        return len(self._view)

    @property
    def total(self) -> int:
        """How many suppliers the register has (more than ``rows`` while it is still loading)."""
        return self._total if self._total is not None else len(self._rows)

    @property
    def partial(self) -> bool:
        """True while the table holds only the first rows of a register that is still loading."""
        return self._total is not None

    @property
    def cursor_supplier(self) -> SupplierRow | None:
        """The row under the cursor, if any."""
        if 0 <= self.cursor_row < len(self._view):
            return self._view[self.cursor_row]
        return None

    @property
    def cursor_supplier_id(self) -> int | None:
        """Id of the supplier under the cursor, if any."""
        row = self.cursor_supplier
        return row.id if row is not None else None

    def set_rows(
        self,
        rows: Sequence[SupplierRow],
        *,
        total: int | None = None,
        settled: int | None = None,
        keep_id: int | None = None,
        reset: bool = False,
    ) -> None:
        """Replace every row.

        The cursor stays on ``keep_id``, or else on the supplier it is on now;
        with ``reset`` (and no ``keep_id``) it goes back to the first row.

        ``total`` says the rows are only the first of a register of that many
        suppliers, in the default order, shown while the rest loads; ``settled``
        that only the first ``settled`` rows of the default order are in their
        final place (the others wait for their scores).  A key that moves the
        cursor past the settled rows (down, page down, end) is kept and carried
        out when the rows that follow are in place, so the first screen can be
        used at once and no key is lost.
        """
        current = keep_id if keep_id is not None or reset else self.cursor_supplier_id
        pending = self._pending_row
        self._pending_row = None
        self._rows = list(rows)
        self._total = total if total is not None and total > len(self._rows) else None
        if self._total is not None:
            settled = len(self._rows) if settled is None else min(settled, len(self._rows))
        self._settled = settled if settled is not None and settled < self.total else None
        self._sorted.clear()
        self._filtered.clear()
        self._ranks = None
        self._view_filter = None
        self._rebuild_view(keep_id=current)
        if pending is not None and self._window_in_order():
            self._move_cursor(pending)  # as far as the settled rows go; the rest stays kept

    @property
    def settling(self) -> bool:
        """True while some rows are not yet in their final place (a key past them waits)."""
        return self._settled is not None

    def _window_in_order(self) -> bool:
        """True when the view is the rows in the order they arrive (priority, unfiltered).

        Only then is the first screenful the start of the whole view, so a row
        number asked for before the rest arrived still means the same row.
        """
        return self.sort_key == PRIORITY and self.sort_reverse and not self.filter_text.strip()

    def _move_cursor(self, target: int) -> None:
        """Move the cursor to row ``target``, or as near as the settled rows allow and keep it."""
        if self._settled is not None and target >= self._settled and self._window_in_order():
            self._pending_row = target
            self.cursor_row = min(target, self._settled - 1)
        else:
            self._pending_row = None
            self.cursor_row = target

    def rank(self, row: SupplierRow) -> int | None:
        """The row's place in the whole register's priority order (1 first; ``None`` until it
        is scored): the same whatever the filter or the sort shown."""
        if self._ranks is None:
            first = (PRIORITY, True)
            ordered = self._sorted.get(first)
            if ordered is None:
                ordered = self._sorted[first] = sort_rows(self._rows, PRIORITY, True)
            self._ranks = {
                r.id: n for n, r in enumerate(ordered, start=1) if r.priority is not None
            }
        return self._ranks.get(row.id)

    def cell_text(self, column: Column, row: SupplierRow) -> str:
        """What ``column`` shows for ``row``."""
        if column.key == PRIORITY:
            rank = self.rank(row)
            return "" if rank is None else str(rank)
        return column.text(row)

    def _ordered(self) -> list[SupplierRow]:
        cache_key = (self.sort_key, self.sort_reverse)
        ordered = self._sorted.get(cache_key)
        if ordered is None:
            ordered = sort_rows(self._rows, self.sort_key, self.sort_reverse)
            self._sorted[cache_key] = ordered
        return ordered

    def _filter(self, ordered: list[SupplierRow], terms: list[str]) -> list[SupplierRow]:
        """The rows of ``ordered`` matching ``terms``, reusing the view of a broader query."""
        if not terms:
            return ordered
        order = (self.sort_key, self.sort_reverse)
        key = (*order, *terms)
        found = self._filtered.get(key)
        if found is not None:
            return found
        base = ordered
        previous = self._view_filter
        if previous is not None and previous[0] == order and refines(terms, previous[1]):
            base = self._view
        found = filter_rows(base, terms)
        self._filtered[key] = found
        return found

    def _rebuild_view(self, keep_id: int | None) -> None:
        ordered = self._ordered()
        terms = filter_terms(self.filter_text)
        self._view = self._filter(ordered, terms)
        self._view_filter = ((self.sort_key, self.sort_reverse), tuple(terms)) if terms else None
        self._generation += 1
        cursor = 0
        if keep_id is not None:
            for index, row in enumerate(self._view):
                if row.id == keep_id:
                    cursor = index
                    break
        self.set_reactive(RegisterTable.cursor_row, cursor)
        self.virtual_size = Size(0, len(self._view) + 1)
        if self.is_mounted:
            self._scroll_cursor_into_view(center=True)
            self.refresh()
            self.post_message(self.ViewChanged(self, len(self._view), len(self._rows)))
            self._announce_cursor()

    def sort_by(self, key: str, reverse: bool | None = None) -> None:
        """Sort by column ``key``; pressing the same column again reverses the order."""
        if key not in SORT_KEYS:
            raise ValueError(f"no column {key!r}")
        if reverse is None:
            if key == self.sort_key:
                reverse = not self.sort_reverse
            else:
                reverse = key == PRIORITY or _BY_KEY[key].descending_first
        keep = self.cursor_supplier_id
        self._pending_row = None
        self.set_reactive(RegisterTable.sort_key, key)
        self.set_reactive(RegisterTable.sort_reverse, reverse)
        self._rebuild_view(keep_id=keep)

    def watch_filter_text(self) -> None:
        self._pending_row = None
        self._rebuild_view(keep_id=self.cursor_supplier_id)

    def move_to_id(self, supplier_id: int) -> bool:
        """Put the cursor on a supplier if it is shown; return whether it is."""
        for index, row in enumerate(self._view):
            if row.id == supplier_id:
                self._move_cursor(index)
                return True
        return False

    # --------------------------------------------------------------- cursor

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self._view) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self._announce_cursor()

    def _announce_cursor(self) -> None:
        supplier_id = self.cursor_supplier_id
        if supplier_id != self._last_highlighted:
            self._last_highlighted = supplier_id
            self.post_message(self.Highlighted(self, supplier_id))

    @property
    def _page_rows(self) -> int:
        """Rows visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _refresh_row(self, index: int) -> None:
        """Repaint the screen line of one row, if it is on screen."""
        y = index + 1 - int(self.scroll_offset.y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        if not self.is_mounted:
            return
        page = self._page_rows
        top = int(self.scroll_offset.y)
        row = self.cursor_row
        if center and not top <= row < top + page:
            self.scroll_to(y=max(0, row - page // 2), animate=False, immediate=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False, immediate=True)

    @property
    def _wanted_row(self) -> int:
        """The row the cursor is on, or that keys have asked for past the rows loaded so far."""
        return self._pending_row if self._pending_row is not None else self.cursor_row

    def action_cursor_up(self) -> None:
        self._move_cursor(self._wanted_row - 1)

    def action_cursor_down(self) -> None:
        self._move_cursor(self._wanted_row + 1)

    def action_page_up(self) -> None:
        self._move_cursor(self._wanted_row - self._page_rows)

    def action_page_down(self) -> None:
        self._move_cursor(self._wanted_row + self._page_rows)

    def action_first(self) -> None:
        self._move_cursor(0)

    def action_last(self) -> None:
        self._move_cursor(self.total - 1)

    def action_select(self) -> None:
        supplier_id = self.cursor_supplier_id
        if supplier_id is not None:
            self.post_message(self.Selected(self, supplier_id))

    def action_sort(self, key: str) -> None:
        self.sort_by(key)

    def action_next_sort(self) -> None:
        keys = [c.key for c, _ in self._layout()]
        index = keys.index(self.sort_key) + 1 if self.sort_key in keys else 0
        self.sort_by(keys[index % len(keys)])

    def action_reverse_sort(self) -> None:
        self.sort_by(self.sort_key, reverse=not self.sort_reverse)

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self.column_at(offset.x)
            if column is not None:
                self.sort_by(column.key)
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        self._pending_row = None
        if 0 <= index < len(self._view):
            if index == self.cursor_row or event.chain > 1:
                self.cursor_row = index
                self.action_select()
            else:
                self.cursor_row = index

    def column_at(self, x: int) -> Column | None:
        """The column shown at ``x`` (a content offset), if any."""
        left = LEFT_PAD
        for column, width in self._layout():
            if left <= x < left + width + GAP:
                return column
            left += width + GAP
        return None

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        """Over the header, the tooltip says what the column under the mouse is."""
        offset = event.get_content_offset(self)
        column = self.column_at(offset.x) if offset is not None and offset.y == 0 else None
        tooltip = header_tooltip(column) if column is not None else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip

    def _on_leave(self, event: events.Leave) -> None:
        if self.tooltip is not None:
            self.tooltip = None

    # ------------------------------------------------------------ rendering

    def _on_mount(self, event: events.Mount) -> None:
        self.post_message(self.ViewChanged(self, len(self._view), len(self._rows)))
        self._announce_cursor()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._generation += 1

    def _on_resize(self, event: events.Resize) -> None:
        self._columns_cache = None
        self._scroll_cursor_into_view()

    def _layout(self) -> list[tuple[Column, int]]:
        width = self.scrollable_content_region.width
        if self._columns_cache is None or self._columns_cache[0] != width:
            self._columns_cache = (width, layout_columns(width))
        return self._columns_cache[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base)
        index = int(self.scroll_offset.y) + y - 1
        if not self._view:
            if y == 2:
                style = base + self.get_component_rich_style("register-table--empty")
                return Strip([Segment(fit_cell(" " + self.empty_message, width), style)], width)
            return Strip.blank(width, base)
        if index >= len(self._view):
            return Strip.blank(width, base)
        is_cursor = index == self.cursor_row
        focused = self.has_focus
        row = self._view[index]
        key = (self._generation, row.id, width, is_cursor, focused)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, base, is_cursor)
            self._line_cache[key] = strip
        return strip

    def _render_header(self, width: int, base: Style) -> Strip:
        header = base + self.get_component_rich_style("register-table--header")
        sorted_style = header + self.get_component_rich_style(
            "register-table--sorted", partial=True
        )
        segments = [Segment(" " * LEFT_PAD, header)]
        arrow = "▼" if self.sort_reverse else "▲"
        for position, (column, cell_width) in enumerate(self._layout()):
            if position:
                segments.append(Segment(" " * GAP, header))
            if column.key == self.sort_key:
                label = column.label
                if cell_len(label) >= cell_width:
                    label = set_cell_size(label, cell_width - 1)
                label = f"{arrow}{label}" if column.justify == "right" else f"{label}{arrow}"
                segments.append(Segment(fit_cell(label, cell_width, column.justify), sorted_style))
            else:
                segments.append(Segment(fit_cell(column.label, cell_width, column.justify), header))
        return Strip(segments).adjust_cell_length(width, header)

    def _cell_style(self, column: Column, row: SupplierRow) -> str | None:
        if column.key in ("band", "score") and row.band is not None:
            return f"register-table--band-{row.band.value}"
        if column.key == "confidence" and row.band is Band.UNASSESSED:
            return "register-table--band-unassessed"  # too little known: why it is unassessed
        if column.key in ("decide_by", "notice_by") and self.today is not None:
            day = row.decide_by if column.key == "decide_by" else row.notice_by
            if day is not None and day < self.today:
                return "register-table--overdue"
            if day is not None and (day - self.today).days <= self.SOON_DAYS:
                return "register-table--soon"
        if column.key == "criticality" and row.criticality.rank == 4:
            return "register-table--strategic"
        return None

    def _render_row(self, row: SupplierRow, width: int, base: Style, is_cursor: bool) -> Strip:
        line_style = base
        if is_cursor:
            line_style = base + self.get_component_rich_style("register-table--cursor")
        segments = [Segment(" " * LEFT_PAD, line_style)]
        for position, (column, cell_width) in enumerate(self._layout()):
            if position:
                segments.append(Segment(" " * GAP, line_style))
            style = line_style
            component = self._cell_style(column, row)
            if component is not None:
                emphasis = self.get_component_rich_style(component, partial=True)
                if is_cursor:
                    # On the cursor bar, colours would clash: keep only bold/italic.
                    emphasis = Style(bold=emphasis.bold, italic=emphasis.italic)
                style = line_style + emphasis
            text = self.cell_text(column, row)
            segments.append(Segment(fit_cell(text, cell_width, column.justify), style))
        return Strip(segments).adjust_cell_length(width, line_style)
