"""The ICS view's suppliers, one line each, drawn only where they are on screen.

The Line API pattern of the register table (``widgets.register_table``): a ``ScrollView``
whose ``render_line`` builds each visible line from plain ``Segment``s, so a national pool of
tens of thousands of matched suppliers costs no more to show, scroll or filter than ten, and
names from partner trusts' files are never read as markup.  A row's cells are worked out when
the row is first drawn (:func:`supplier_cells`), never for the rows nobody scrolls to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

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

from supplier_register.domain.enums import Criticality
from supplier_register.services.ics import MatchedSupplier
from supplier_register.services.rows import display_text
from supplier_register.tui.widgets.register_table import fit_cell

Justify = Literal["left", "right"]

LEFT_PAD = 1
GAP = 2


@dataclass(frozen=True)
class IcsColumn:
    key: str
    label: str
    width: int
    """Fixed width in cells, or the least width of the flexible column."""
    flex: bool = False
    justify: Justify = "left"
    priority: int = 0
    """The columns of lowest priority are left out first on a narrow terminal."""


COLUMNS: tuple[IcsColumn, ...] = (
    IcsColumn("supplier", "Supplier", 16, flex=True, priority=9),
    IcsColumn("ours", "Here", 4, priority=5),
    IcsColumn("trusts", "Trusts", 6, justify="right", priority=8),
    IcsColumn("window", "Joint window", 23, priority=9),
    IcsColumn("window_trusts", "Trusts in the window", 20, flex=True, priority=6),
    IcsColumn("decide_by", "Next decide-by", 14, priority=7),
    IcsColumn("criticality", "Highest crit.", 13, priority=4),
)
"""The table's columns, left to right."""

_RANK = {c.value: c.rank for c in Criticality}
_LABEL = {c.value: c.label for c in Criticality}


def next_decide_by(supplier: MatchedSupplier, today: dt.date) -> dt.date | None:
    """The soonest decide-by date of any trust for the supplier, today or later: of its
    contracts, else the supplier's own next one (None: none shared, or every one passed)."""
    days = [
        day
        for use in supplier.uses
        for day in [*(c.decide_by for c in use.contracts), use.next_decide_by]
        if day is not None and day >= today
    ]
    return min(days) if days else None


def next_decide_by_text(supplier: MatchedSupplier, today: dt.date) -> str:
    """The next decide-by date, or why there is none: every one shared has passed, or no
    trust shared one."""
    soonest = next_decide_by(supplier, today)
    if soonest is not None:
        return soonest.isoformat()
    shared = any(
        day is not None
        for use in supplier.uses
        for day in [*(c.decide_by for c in use.contracts), use.next_decide_by]
    )
    return "passed" if shared else "not shared"


def highest_criticality(supplier: MatchedSupplier) -> str:
    """The most critical any trust rates the supplier, in words ('not shared' when no trust
    shares it)."""
    known = [use.criticality for use in supplier.uses if use.criticality in _RANK]
    if not known:
        return "not shared"
    best = max(known, key=lambda value: _RANK[value or ""])
    return _LABEL[best or ""]


def supplier_cells(supplier: MatchedSupplier, today: dt.date, this_trust: str | None) -> list[str]:
    """The row of one matched supplier, column by column (see :data:`COLUMNS`)."""
    window = supplier.windows[0] if supplier.windows else None
    if window is None:
        span = "none" if len(supplier.trusts) > 1 else "—"
        with_whom = ""
    else:
        span = (
            window.start.isoformat()
            if window.start == window.end
            else f"{window.start.isoformat()} → {window.end.isoformat()}"
        )
        with_whom = ", ".join(window.trusts)
        if len(supplier.windows) > 1:
            with_whom += f" (+{len(supplier.windows) - 1} later)"
    return [
        display_text(supplier.name),
        "yes" if this_trust is not None and this_trust in supplier.trusts else "",
        f"{len(supplier.trusts):,}",
        span,
        display_text(with_whom),
        next_decide_by_text(supplier, today),
        highest_criticality(supplier),
    ]


def layout_columns(width: int, columns: Sequence[IcsColumn] = COLUMNS) -> list[tuple[int, int]]:
    """(column index, width) of the columns that fit ``width``, the flexible ones sharing the
    spare cells; the columns of lowest priority go first when they do not all fit."""
    shown = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:
        return LEFT_PAD + sum(columns[i].width for i in indexes) + GAP * (len(indexes) - 1)

    while len(shown) > 1 and needed(shown) > width:
        shown.remove(min(shown, key=lambda i: (columns[i].priority, -i)))
    spare = max(0, width - needed(shown))
    flexible = [i for i in shown if columns[i].flex]
    out: list[tuple[int, int]] = []
    for i in shown:
        extra = 0
        if i in flexible:
            share = spare // len(flexible)
            extra = share + (spare - share * len(flexible) if i == flexible[0] else 0)
        out.append((i, columns[i].width + extra))
    return out


class IcsTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Matched suppliers, one per line; Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="ics_table.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="ics_table.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="ics_table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="ics_table.page_down"),
        Binding("home", "first", "First", show=False, id="ics_table.first"),
        Binding("end", "last", "Last", show=False, id="ics_table.last"),
        Binding(
            "enter",
            "select",
            "Open",
            tooltip="The supplier across trusts: each trust's dates, the timeline, the gaps",
            id="ics_table.select",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ics-table--header",
        "ics-table--cursor",
        "ics-table--window",
        "ics-table--empty",
    }

    DEFAULT_CSS = """
    IcsTable { background: $surface; }
    IcsTable > .ics-table--header { text-style: bold; background: $panel; }
    IcsTable > .ics-table--cursor { background: $block-cursor-blurred-background; }
    IcsTable:focus > .ics-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    IcsTable > .ics-table--window { color: $text-warning; text-style: bold; }
    IcsTable > .ics-table--empty { color: $text-muted; }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False, always_update=False)

    class Selected(Message):
        """Enter (or a click on the cursor row) on a supplier."""

        def __init__(self, supplier: MatchedSupplier) -> None:
            super().__init__()
            self.supplier = supplier

    class Highlighted(Message):
        """The cursor moved."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = dt.date.today()
        self.this_trust: str | None = None
        self.empty_message = "No shared file read yet."
        self._rows: Sequence[MatchedSupplier] = ()
        self._cells: LRUCache[int, list[str]] = LRUCache(4096)
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self._columns_fit: tuple[int, list[tuple[int, int]]] | None = None

    # ----------------------------------------------------------------- data

    @property
    def rows(self) -> Sequence[MatchedSupplier]:
        """The suppliers shown, top to bottom."""
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def current(self) -> MatchedSupplier | None:
        """The supplier under the cursor, if any."""
        if 0 <= self.cursor_row < len(self._rows):
            return self._rows[self.cursor_row]
        return None

    def set_rows(
        self,
        rows: Sequence[MatchedSupplier],
        *,
        today: dt.date,
        this_trust: str | None,
        empty_message: str,
    ) -> None:
        """Show ``rows`` (the cursor stays on its supplier when it is still shown)."""
        keep = self.current
        self._rows = rows
        self.today = today
        self.this_trust = this_trust
        self.empty_message = empty_message
        self._cells.clear()
        self._lines.clear()
        self._generation += 1
        self.virtual_size = Size(0, len(rows) + 1)
        row = 0
        if keep is not None:
            for index, supplier in enumerate(rows):
                if supplier is keep:
                    row = index
                    break
        self.set_reactive(IcsTable.cursor_row, max(0, min(row, len(rows) - 1)))
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted())

    def forget_rows(self) -> None:
        """Drop every row and what was drawn of them (the screen is closing)."""
        self._rows = ()
        self._cells.clear()
        self._lines.clear()

    def cells(self, index: int) -> list[str]:
        """The cells of row ``index`` (worked out when first asked for)."""
        found = self._cells.get(index)
        if found is None:
            found = supplier_cells(self._rows[index], self.today, self.this_trust)
            self._cells[index] = found
        return found

    # --------------------------------------------------------------- cursor

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted())

    @property
    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _refresh_row(self, index: int) -> None:
        y = index + 1 - int(self.scroll_offset.y)
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_cursor_into_view(self) -> None:
        if not self.is_mounted:
            return
        page = self._page_rows
        top = int(self.scroll_offset.y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page_rows

    def action_page_down(self) -> None:
        self.cursor_row += self._page_rows

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._rows) - 1

    def action_select(self) -> None:
        supplier = self.current
        if supplier is not None:
            self.post_message(self.Selected(supplier))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        event.stop()
        index = int(self.scroll_offset.y) + offset.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor_row or event.chain > 1:
                self.cursor_row = index
                self.action_select()
            else:
                self.cursor_row = index

    # ------------------------------------------------------------ rendering

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._generation += 1

    def _on_resize(self, event: events.Resize) -> None:
        self._columns_fit = None
        self.virtual_size = Size(0, len(self._rows) + 1)
        self._scroll_cursor_into_view()

    def _layout(self) -> list[tuple[int, int]]:
        width = self.scrollable_content_region.width
        if self._columns_fit is None or self._columns_fit[0] != width:
            self._columns_fit = (width, layout_columns(width))
        return self._columns_fit[1]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("ics-table--header")
            segments = [Segment(" " * LEFT_PAD, header)]
            for position, (i, cell_width) in enumerate(self._layout()):
                if position:
                    segments.append(Segment(" " * GAP, header))
                column = COLUMNS[i]
                segments.append(Segment(fit_cell(column.label, cell_width, column.justify), header))
            return Strip(segments).adjust_cell_length(width, header)
        if not self._rows:
            if y == 2:
                style = base + self.get_component_rich_style("ics-table--empty")
                return Strip([Segment(fit_cell(" " + self.empty_message, width), style)], width)
            return Strip.blank(width, base)
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        is_cursor = index == self.cursor_row
        key = (self._generation, index, width, is_cursor, self.has_focus)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._render_row(index, width, base, is_cursor)
            self._lines[key] = strip
        return strip

    def _render_row(self, index: int, width: int, base: Style, is_cursor: bool) -> Strip:
        line = base + self.get_component_rich_style("ics-table--cursor") if is_cursor else base
        cells = self.cells(index)
        has_window = bool(self._rows[index].windows)
        segments = [Segment(" " * LEFT_PAD, line)]
        for position, (i, cell_width) in enumerate(self._layout()):
            if position:
                segments.append(Segment(" " * GAP, line))
            style = line
            if has_window and COLUMNS[i].key == "window" and not is_cursor:
                style = line + self.get_component_rich_style("ics-table--window", partial=True)
            column = COLUMNS[i]
            segments.append(Segment(fit_cell(cells[i], cell_width, column.justify), style))
        return Strip(segments).adjust_cell_length(width, line)
