"""The board pack of the whole register: decisions required, board questions, management
actions, and every board question, in tabs.

The lists are the core's (``services.board``, built in ``scoring.board``), so the screen, the
CLI and every paper show the same items in the same order with the same numbers.  They are read
in a worker: the screen opens at once and fills when they arrive.  Filters (supplier, key
question, criticality) apply to every tab and only hide rows: an item keeps its number.  A
management action becomes an action of the open quarterly review in one key.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.widgets import DataTable, Header, Input, Label, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from supplier_register.domain import RegisterError
from supplier_register.domain.enums import Criticality
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.board import BoardPack, Decision, ManagementAction, days_text
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import BoardQuestion, KeyQuestion
from supplier_register.scoring.text import plural
from supplier_register.services.board import BoardView, all_questions, board_view, open_review
from supplier_register.services.register_view import Snapshot, run_on_database
from supplier_register.services.reviews import actions_from_board
from supplier_register.services.rows import display_text
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.commands import bindings_of
from supplier_register.tui.messages import AllQuestionsRead, BoardActionsWritten, BoardRead
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

T = TypeVar("T")

TABS = (
    ("decisions", "Decisions required"),
    ("questions", "Board questions"),
    ("actions", "Management actions"),
    ("all", "All questions"),
)

SHORT_TABS = {
    "decisions": "Decisions",
    "questions": "Questions",
    "actions": "Actions",
    "all": "All Qs",
}
"""The tabs' names on a narrow terminal, so that all four fit, filtered counts too."""

NARROW_BELOW = 110
"""Terminal width (cells) under which the tabs have their short names."""

KEY_TAGS = {
    KeyQuestion.SKILLS: "Skills",
    KeyQuestion.CONTRACTING: "Contracting",
    KeyQuestion.IF_WRONG: "If it went wrong",
}
"""Principle 6's key questions in a few words (the CLI's words)."""

LONG = 400
"""The longest text a row holds (its last column, cut to the screen's width when shown); the
detail pane has it whole."""

NAME_CELL = 26
"""The longest supplier name a table shows."""

OWNER_CELL = 22
"""The longest owner a table shows."""

ROWS_SHOWN = 1000
"""The most rows a tab shows (the first the filter keeps, in order): a register of tens of
thousands of suppliers has as many questions and actions, and a keystroke in the filter must not
wait for a table of them all; the tab's label says how many there are."""

MIN_LAST = 24
"""The narrowest the last column is cut to (the table scrolls sideways below that)."""


def short(text: str, width: int) -> str:
    """``text`` on one line, cut at a word to at most ``width`` characters ("…" at the cut)."""
    flat = " ".join(display_text(text).split())
    if len(flat) <= width:
        return flat
    cut = flat[: width - 1].rsplit(" ", 1)[0] if " " in flat[: width - 1] else flat[: width - 1]
    return cut.rstrip(" ,;:") + "…"


def counted(n: int, noun: str) -> str:
    """'1 decision', '1,204 decisions'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def summary(pack: BoardPack) -> str:
    """'9 decisions (6 overdue) · 10 of 96 board questions · 39 management actions'."""
    overdue = sum(1 for d in pack.decisions if d.overdue)
    decisions = counted(len(pack.decisions), "decision")
    if overdue:
        decisions += f" ({overdue:,} overdue)"
    questions = f"{len(pack.questions):,} of {counted(pack.question_total, 'board question')}"
    return f"{decisions} · {questions} · {counted(len(pack.actions), 'management action')}"


# ------------------------------------------------------------------ filters


def action_key(action: ManagementAction) -> KeyQuestion | None:
    """The key question a management action serves: a renewal date is about what would happen
    if the relationship went wrong (as the decisions are); a find-out serves none."""
    return KeyQuestion.IF_WRONG if action.kind == "decide" else None


@dataclass(frozen=True)
class BoardFilter:
    """What the board screen shows: suppliers whose name holds every word of ``text``, of one
    key question and one criticality (``None``: any)."""

    text: str = ""
    key: KeyQuestion | None = None
    criticality: Criticality | None = None

    def keeps(self, supplier: str, key: KeyQuestion | None, criticality: Criticality) -> bool:
        name = supplier.casefold()
        if any(word not in name for word in self.text.casefold().split()):
            return False
        if self.key is not None and key is not self.key:
            return False
        return self.criticality is None or criticality is self.criticality

    def decision(self, decision: Decision) -> bool:
        return self.keeps(decision.supplier, decision.key_question, decision.criticality)

    def question(self, question: BoardQuestion) -> bool:
        return self.keeps(question.supplier, question.key_question, question.criticality)

    def action(self, action: ManagementAction) -> bool:
        return self.keeps(action.supplier, action_key(action), action.criticality)

    @property
    def active(self) -> bool:
        return bool(self.text.strip()) or self.key is not None or self.criticality is not None

    def describe(self, narrow: bool = False) -> Content:
        """'k key question: any · c criticality: any', the chosen ones highlighted (narrow:
        'k: any key question · c: Strategic', so that it fits beside the supplier box)."""
        key = KEY_TAGS[self.key] if self.key is not None else "any"
        crit = self.criticality.label if self.criticality is not None else "any"
        if narrow:
            return Content.assemble(
                ("  k", "bold"),
                (": ", "$text-muted"),
                (key, "bold $text-accent") if self.key is not None else "any key question",
                (" · ", "$text-muted"),
                ("c", "bold"),
                (": ", "$text-muted"),
                (crit, "bold $text-accent") if self.criticality is not None else "any criticality",
            )
        return Content.assemble(
            ("  k", "bold"),
            (" key question: ", "$text-muted"),
            (key, "bold $text-accent" if self.key is not None else ""),
            ("  ·  ", "$text-muted"),
            ("c", "bold"),
            (" criticality: ", "$text-muted"),
            (crit, "bold $text-accent" if self.criticality is not None else ""),
        )


def cycle(options: Sequence[T | None], current: T | None) -> T | None:
    """The option after ``current`` (after the last: the first)."""
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


KEY_CYCLE: tuple[KeyQuestion | None, ...] = (None, *KeyQuestion)
CRITICALITY_CYCLE: tuple[Criticality | None, ...] = (None, *Criticality)


# ------------------------------------------------------------------- rows


def decision_cells(rank: int, decision: Decision) -> list[Text]:
    style = "bold red" if decision.overdue else ""
    return [
        Text(str(rank), justify="right"),
        Text(short(decision.supplier, NAME_CELL)),
        Text(decision.criticality.label),
        Text(decision.date.isoformat(), style=style),
        Text(decision.when, style=style),
        Text(decision.notice_by.isoformat() if decision.notice_by else ""),
        Text(short(decision.owner, OWNER_CELL) if decision.owner else "nobody recorded"),
        Text(short(decision.action, LONG)),
    ]


def question_cells(rank: int, question: BoardQuestion) -> list[Text]:
    return [
        Text(str(rank), justify="right"),
        Text(short(question.supplier, NAME_CELL)),
        Text(KEY_TAGS[question.key_question]),
        Text(question.theme.label if question.theme is not None else "The trust"),
        Text(short(question.text, LONG)),
    ]


def action_cells(
    rank: int, action: ManagementAction, today: dt.date, in_review: str | None
) -> list[Text]:
    overdue = action.due < today
    due = Text(action.due.isoformat(), style="bold red" if overdue else "")
    if overdue:
        due.append(" overdue", style="bold red")
    owner = Text(short(action.owner, OWNER_CELL)) if action.owner else Text("no owner", "italic")
    return [
        Text(str(rank), justify="right"),
        due,
        Text(short(action.supplier, NAME_CELL)),
        owner,
        Text(f"in {in_review}" if in_review else ""),
        Text(short(action.text, LONG)),
    ]


def _field(label: str, value: str | Content, style: str = "") -> Content:
    text = value if isinstance(value, Content) else lit(value, style)
    return Content.assemble((f"{label}: ", "bold"), text)


def decision_detail(rank: int, decision: Decision) -> Content:
    """Everything about a decision: what to decide, when, and what happens if nothing is done."""
    lines = [
        Content.assemble((f"{rank}. ", "bold"), lit(decision.action, "bold")),
        _field(
            "When",
            f"{decision.date.isoformat()}, {decision.when}"
            + (f" · notice by {decision.notice_by.isoformat()}" if decision.notice_by else ""),
            "bold $text-error" if decision.overdue else "",
        ),
        _field("If nothing is done", decision.consequence),
        _field("Owner", decision.owner or "nobody recorded"),
    ]
    for deadline in decision.contracts:
        lines.append(
            lit(
                f"  · {deadline.contract}: {deadline.date.isoformat()}"
                + (f", ends {deadline.end_date.isoformat()}" if deadline.end_date else ""),
                "$text-muted",
            )
        )
    return Content("\n").join(lines)


def question_detail(rank: int, question: BoardQuestion) -> Content:
    """A question whole: its text, the questions merged into it, its contracts and the
    evidence recorded behind it ("Recorded: …")."""
    if question.scope == "trust":
        about = f"{question.supplier} · its own finding"
    else:
        theme = question.theme.label if question.theme is not None else ""
        about = f"{question.supplier} · {question.criticality.label} · {theme}"
    lines = [
        Content.assemble((f"{rank}. ", "bold"), lit(question.text, "bold")),
        lit(
            f"{about} · {question.key_question.text} · priority {question.priority:g}",
            "$text-muted",
        ),
    ]
    if question.also:
        lines.append(Content.styled("Also asked:", "bold"))
        lines += [lit(f"  · {also}") for also in question.also]
    if question.contracts:
        lines.append(_field("Contracts", "; ".join(question.contracts)))
    lines += [lit(f"Recorded: {excerpt}", "italic $text-muted") for excerpt in question.evidence]
    return Content("\n").join(lines)


def action_detail(
    rank: int,
    action: ManagementAction,
    today: dt.date,
    in_review: str | None,
    *,
    read_only: bool = False,
) -> Content:
    days = action.days_left(today)
    lines = [
        Content.assemble((f"{rank}. ", "bold"), lit(action.text)),
        _field(
            "Due",
            f"{action.due.isoformat()}, {days_text(days)}",
            "bold $text-error" if days < 0 else "",
        ),
        _field(
            "Owner",
            action.owner
            or ("none recorded" if in_review or read_only else "none recorded (a asks for one)"),
        ),
    ]
    if action.contracts:
        lines.append(_field("Contracts", "; ".join(action.contracts)))
    if in_review:
        lines.append(Content.styled(f"Already an open action of the {in_review} review.", "bold"))
    return Content("\n").join(lines)


# ----------------------------------------------------------------- screen


class BoardTable(DataTable[Text]):
    """One list of the board pack; Enter opens the supplier of the highlighted row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open supplier", id="board_table.select"),
    ]


ActionsToReview = Callable[[Database], tuple[str, int, int] | None]


def to_open_review(
    actions: Sequence[ManagementAction], today: dt.date, owner: str | None
) -> ActionsToReview:
    """The write that records ``actions`` in the open review (``None``: no review is open)."""

    def operation(db: Database) -> tuple[str, int, int] | None:
        review = open_review(db)
        if review is None:
            return None
        added, skipped = actions_from_board(db, review.quarter, actions, today, owner=owner)
        return review.quarter, len(added), skipped

    return operation


STILL_READING = "The board pack is still being read: try again when its lists are shown."


def no_open_review(today: dt.date) -> str:
    """The one line that says no review is open, and how to start one."""
    return f"No quarterly review is open: press v, then s, to start the {Quarter.of(today)} review."


class BoardScreen(DataScreen):
    """The board pack: decisions required, board questions, management actions, every question."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="board.back"),
        Binding(
            "slash,ctrl+f",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter the board pack by supplier name",
            id="board.filter",
        ),
        Binding(
            "k",
            "key_question",
            "Key question",
            tooltip="Show one key question of principle 6 (again: the next; then all)",
            id="board.key_question",
        ),
        Binding(
            "c",
            "criticality",
            "Criticality",
            tooltip="Show one criticality (again: the next; then all)",
            id="board.criticality",
        ),
        Binding(
            "a",
            "to_review",
            "To review",
            tooltip="Make the highlighted management action an action of the open review",
            id="board.to_review",
        ),
        Binding(
            "A",
            "all_to_review",
            "All to review",
            tooltip="Make every management action shown an action of the open review",
            id="board.all_to_review",
        ),
        *(
            Binding(
                str(n),
                f"show_tab('{tab_id}')",
                f"Show {title.lower()}",
                show=False,
                id=f"board.tab_{tab_id}",
            )
            for n, (tab_id, title) in enumerate(TABS, start=1)
        ),
    ]

    DEFAULT_CSS = """
    BoardScreen #board-filter-row { height: 1; padding: 0 1; }
    BoardScreen #board-filter-label { width: auto; padding-right: 1; color: $text-muted; }
    BoardScreen #board-filter { width: 20; }
    BoardScreen #board-filters { width: 1fr; }
    BoardScreen #board-tabs { height: 1fr; }
    BoardScreen #board-tabs ContentSwitcher { height: 1fr; }
    BoardScreen TabPane { height: 1fr; padding: 0; }
    BoardScreen BoardTable { height: 1fr; }
    BoardScreen #board-review { height: auto; padding: 0 1; color: $text-muted; }
    BoardScreen #board-owner-row { height: 1; padding: 0 1; display: none; }
    BoardScreen #board-owner-row.asking { display: block; }
    BoardScreen #board-owner-label { width: auto; padding-right: 1; }
    BoardScreen #board-owner { width: 1fr; background: $boost; }
    BoardScreen #board-detail-scroll {
        height: 30%; min-height: 4; border-top: hkey $panel; padding: 0 1;
    }
    """

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self.view: BoardView | None = None
        self.every: tuple[BoardQuestion, ...] | None = None
        """Every board question, once the All questions tab has been shown."""
        self._want_all = False
        self.filter = BoardFilter()
        self._asking: tuple[ManagementAction, ...] = ()
        """The actions waiting for an owner typed in the owner line."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled("Board pack · reading…", "bold"), id="board-title")
        with Horizontal(id="board-filter-row"):
            yield Label("Supplier /", id="board-filter-label")
            yield Input(placeholder="supplier name", id="board-filter", compact=True)
            yield Static(self.filter.describe(), id="board-filters")
        with TabbedContent(id="board-tabs"):
            for n, (tab_id, title) in enumerate(TABS, start=1):
                with TabPane(f"{n} {title}", id=f"tab-{tab_id}"):
                    if tab_id == "actions":
                        yield Static("", id="board-review")
                    yield BoardTable(id=f"table-{tab_id}", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="board-owner-row"):
            yield Label("", id="board-owner-label")
            yield Input(id="board-owner", max_length=200, compact=True)
        with VerticalScroll(id="board-detail-scroll"):
            yield Static("", id="board-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#table-decisions", BoardTable).focus()
        self._describe_filter()
        self._columns()
        self._tab_labels()
        self.load()

    def _columns(self) -> None:
        headers = {
            "decisions": (
                "#",
                "Supplier",
                "Criticality",
                "Date",
                "Days left",
                "Notice by",
                "Owner",
                "The board must decide",
            ),
            "questions": ("#", "Supplier", "Key question", "Theme", "Question"),
            "actions": ("#", "Due", "Supplier", "Owner", "Review", "Action"),
        }
        headers["all"] = headers["questions"]
        for tab_id, names in headers.items():
            table = self.query_one(f"#table-{tab_id}", BoardTable)
            for name in names:
                table.add_column(Text(name, justify="right" if name == "#" else "left"), key=name)

    # -------------------------------------------------------------- loading

    def load(self) -> None:
        """Read the board pack in a worker (then every question, once its tab has been shown:
        on a large register that means writing out every supplier's questions)."""
        self._read(self.app.db_path, self.app.today, self.app.scoring.config, self._want_all)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The register changed: read the pack again once the change is scored."""
        if snapshot.scores_current and self.is_mounted:
            self.load()

    def on_screen_resume(self) -> None:
        # Back from another screen: a review may have been started or a record changed there.
        if self.view is not None:
            self.load()

    @work(thread=True, exclusive=True, group="board-load", exit_on_error=False)
    def _read(self, db_path: Path, today: dt.date, config: ScoringConfig, every: bool) -> None:
        worker = get_current_worker()
        try:
            view = run_on_database(db_path, lambda db: board_view(db, today, config=config))
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(BoardRead(None, read_failure(exc, db_path), worker))
            return
        self.post_message(BoardRead(view, None, worker))
        if worker.is_cancelled or not every:
            return
        try:
            found = run_on_database(db_path, lambda db: all_questions(db, today, config=config))
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(AllQuestionsRead((), read_failure(exc, db_path), worker))
            return
        self.post_message(AllQuestionsRead(found, None, worker))

    def on_board_read(self, message: BoardRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        if message.view is None:
            self.query_one("#board-title", Static).update(
                lit(f"Board pack · could not be read: {message.error}", "bold $text-error")
            )
            return
        self.view = message.view
        self._fill()

    def on_all_questions_read(self, message: AllQuestionsRead) -> None:
        if message.worker.is_cancelled:
            return
        if message.error is not None:
            self.notify(message.error, title="Every board question", severity="error")
            return
        self.every = message.questions
        self._fill_table("all")
        self._tab_labels()

    # -------------------------------------------------------------- showing

    def _rows(self, tab_id: str) -> list[tuple[str, list[Text]]]:
        """The rows a tab shows with the filter (at most :data:`ROWS_SHOWN`): (row key, cells);
        the key is the item's index in its list (its number less one)."""
        view, keep, today = self.view, self.filter, self.app.today
        if view is None:
            return []
        pack = view.pack
        rows: Iterator[tuple[str, list[Text]]]
        if tab_id == "decisions":
            rows = (
                (str(i), decision_cells(i + 1, d))
                for i, d in enumerate(pack.decisions)
                if keep.decision(d)
            )
        elif tab_id == "actions":
            rows = (
                (str(i), action_cells(i + 1, a, today, view.review if view.in_review(a) else None))
                for i, a in enumerate(pack.actions)
                if keep.action(a)
            )
        else:
            questions = pack.questions if tab_id == "questions" else (self.every or ())
            rows = (
                (str(i), question_cells(i + 1, q))
                for i, q in enumerate(questions)
                if keep.question(q)
            )
        return list(islice(rows, ROWS_SHOWN))

    def _fill(self) -> None:
        view = self.view
        if view is None:
            return
        pack = view.pack
        self.query_one("#board-title", Static).update(
            Content.assemble(
                ("Board pack", "bold"),
                f" · {summary(pack)} · as of {pack.today.isoformat()}",
            )
        )
        for tab_id, _ in TABS:
            self._fill_table(tab_id)
        self._tab_labels()
        self._review_line()

    def _fill_table(self, tab_id: str) -> None:
        table = self.query_one(f"#table-{tab_id}", BoardTable)
        keep_key = self._cursor_key(table)
        table.clear()
        rows = self._rows(tab_id)
        width = self._last_width(table, [cells for _, cells in rows])
        shown = [
            (key, [*cells[:-1], Text(short(cells[-1].plain, width), style=cells[-1].style)])
            for key, cells in rows
        ]
        # Each column exactly as wide as what it shows now, set before the rows go in: clear()
        # keeps the widest cell ever shown, and widths worked out as rows arrive would depend
        # on when the table is next painted.
        for index, column in enumerate(table.ordered_columns):
            column.auto_width = False
            column.width = max([column.label.cell_len, *(c[index].cell_len for _, c in shown)])
        for key, cells in shown:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if keep_key in keys:
            table.move_cursor(row=keys.index(keep_key))
        self._detail()

    def _last_width(self, table: DataTable[Text], rows: Sequence[Sequence[Text]]) -> int:
        """How wide the last column can be for the table to fit the screen."""
        headers = [column.label.cell_len for column in table.ordered_columns]
        widths = [
            max([headers[i], *(row[i].cell_len for row in rows)]) for i in range(len(headers) - 1)
        ]
        used = sum(w + 2 * table.cell_padding for w in widths) + 2 * table.cell_padding + 2
        space = table.size.width or self.app.size.width
        return max(MIN_LAST, space - used)

    def _describe_filter(self) -> None:
        narrow = self.app.size.width < NARROW_BELOW
        self.query_one("#board-filters", Static).update(self.filter.describe(narrow))

    def on_resize(self) -> None:
        self._describe_filter()
        if self.view is not None:
            for tab_id, _ in TABS:
                self._fill_table(tab_id)
            self._tab_labels()

    @staticmethod
    def _cursor_key(table: DataTable[Text]) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _tab_labels(self) -> None:
        view = self.view
        totals: dict[str, int | None] = {
            "decisions": len(view.pack.decisions) if view is not None else None,
            "questions": len(view.pack.questions) if view is not None else None,
            "actions": len(view.pack.actions) if view is not None else None,
            "all": view.pack.question_total if view is not None else None,
        }
        tabs = self.query_one(TabbedContent)
        narrow = self.app.size.width < NARROW_BELOW
        for n, (tab_id, title) in enumerate(TABS, start=1):
            if narrow:
                title = SHORT_TABS.get(tab_id, title)
            total = totals[tab_id]
            shown = self.query_one(f"#table-{tab_id}", BoardTable).row_count
            if total is None:
                count = "…"
            elif shown == total or (tab_id == "all" and self.every is None):  # not read yet
                count = f"{total:,}"
            else:
                count = f"{shown:,}/{total:,}" if narrow else f"{shown:,} of {total:,}"
            tabs.get_tab(f"tab-{tab_id}").label = Content(f"{n} {title} ({count})")

    def _review_line(self) -> None:
        view = self.view
        line = self.query_one("#board-review", Static)
        if view is None:
            return
        if view.review is None:
            line.update(lit(no_open_review(self.app.today), "$text-warning"))
        else:
            line.update(
                Content.assemble(
                    f"Open review: {view.review} · ",
                    ("a", "bold"),
                    " adds the highlighted action to it · ",
                    ("A", "bold"),
                    " adds every action shown",
                )
            )

    def _active(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    def _item(self, tab_id: str) -> Decision | BoardQuestion | ManagementAction | None:
        """The highlighted item of a tab's table."""
        view = self.view
        table = self.query_one(f"#table-{tab_id}", BoardTable)
        key = self._cursor_key(table)
        if view is None or key is None:
            return None
        index = int(key)
        items: Sequence[Decision | BoardQuestion | ManagementAction]
        if tab_id == "decisions":
            items = view.pack.decisions
        elif tab_id == "actions":
            items = view.pack.actions
        elif tab_id == "questions":
            items = view.pack.questions
        else:
            items = self.every or ()
        return items[index] if index < len(items) else None

    def _detail(self) -> None:
        tab_id = self._active()
        item = self._item(tab_id)
        detail = self.query_one("#board-detail", Static)
        view = self.view
        if item is None or view is None:
            empty = "Reading the board pack…" if view is None else "Nothing here"
            if tab_id == "all" and self.every is None and view is not None:
                empty = "Reading every board question…"
            elif view is not None and self.filter.active:
                empty += " with this filter (esc clears it)"
            detail.update(Content.styled(empty, "$text-muted"))
            return
        table = self.query_one(f"#table-{tab_id}", BoardTable)
        rank = int(self._cursor_key(table) or 0) + 1
        if isinstance(item, Decision):
            detail.update(decision_detail(rank, item))
        elif isinstance(item, ManagementAction):
            held = view.review if view.in_review(item) else None
            detail.update(
                action_detail(rank, item, self.app.today, held, read_only=self.app.read_only)
            )
        else:
            detail.update(question_detail(rank, item))
        self.query_one("#board-detail-scroll", VerticalScroll).scroll_home(animate=False)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == f"table-{self._active()}":
            self._detail()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self._detail()
        self.refresh_bindings()
        if self._active() == "all" and not self._want_all:
            self._want_all = True
            self.load()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        tab_id = (event.data_table.id or "").removeprefix("table-")
        item = self._item(tab_id)
        if item is None:
            return
        if isinstance(item, BoardQuestion) and item.scope == "trust":
            self.app.action_trust_findings()
            return
        supplier_id = item.supplier_id
        snapshot = self.app.snapshot
        if supplier_id is None and snapshot is not None:
            found = next((s for s in snapshot.suppliers if s.name == item.supplier), None)
            supplier_id = found.id if found is not None else None
        if supplier_id is None:
            self.notify(f"{item.supplier} is not in the register any more", severity="warning")
            return
        self.app.open_supplier(supplier_id)

    # -------------------------------------------------------------- filters

    def _refilter(self, new: BoardFilter) -> None:
        self.filter = new
        self._describe_filter()
        for tab_id, _ in TABS:
            self._fill_table(tab_id)
        self._tab_labels()

    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._refilter(BoardFilter(event.value, self.filter.key, self.filter.criticality))

    @on(Input.Submitted, "#board-filter")
    def _filter_submitted(self) -> None:
        self._focus_table()

    def action_filter(self) -> None:
        self.query_one("#board-filter", Input).focus()

    def action_key_question(self) -> None:
        f = self.filter
        self._refilter(BoardFilter(f.text, cycle(KEY_CYCLE, f.key), f.criticality))

    def action_criticality(self) -> None:
        f = self.filter
        self._refilter(BoardFilter(f.text, f.key, cycle(CRITICALITY_CYCLE, f.criticality)))

    def action_show_tab(self, tab_id: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab_id}"
        self._focus_table()

    def _focus_table(self) -> None:
        self.query_one(f"#table-{self._active()}", BoardTable).focus()

    def action_back(self) -> None:
        """Escape: cancel the owner line, else clear the filter, else leave."""
        filter_input = self.query_one("#board-filter", Input)
        if self._asking:
            self._stop_asking()
        elif filter_input.has_focus and not filter_input.value:
            self._focus_table()
        elif self.filter.active:
            filter_input.value = ""
            self._refilter(BoardFilter())
        else:
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("to_review", "all_to_review"):
            return self.is_mounted and self._active() == "actions"
        return True

    # -------------------------------------------------- actions to the review

    def action_to_review(self) -> None:
        if self.view is None:
            self.notify(STILL_READING, severity="warning")
            return
        item = self._item("actions") if self._active() == "actions" else None
        if not isinstance(item, ManagementAction):
            self.notify("Choose a management action first (3 shows them).", severity="warning")
            return
        self._to_review((item,))

    def action_all_to_review(self) -> None:
        view = self.view
        if view is None:
            self.notify(STILL_READING, severity="warning")
            return
        shown = tuple(a for a in view.pack.actions if self.filter.action(a))
        if not shown:
            self.notify("No management action is shown.", severity="warning")
            return
        if view.review is None:
            self.notify(no_open_review(self.app.today), severity="warning", timeout=8)
            return
        held = sum(1 for a in shown if view.in_review(a))
        if held == len(shown):
            self._to_review(shown)  # says they are all there already
            return
        note = ""
        if held:
            left = "is left as it is" if held == 1 else "are left as they are"
            note = f" ({plural(held, 'action')} already there {left})"

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._to_review(shown)

        self.app.push_screen(
            ConfirmScreen(
                f"Add {plural(len(shown) - held, 'management action')} to the {view.review} "
                "review?",
                f"Each becomes an open action of the review with its owner and due date{note}. "
                "All are recorded or none.",
                yes="Add to review",
                variant="primary",
            ),
            confirmed,
        )

    def _to_review(self, actions: tuple[ManagementAction, ...]) -> None:
        view = self.view
        if view is not None and view.review is None:
            self.notify(no_open_review(self.app.today), severity="warning", timeout=8)
            return
        new = [a for a in actions if view is None or not view.in_review(a)]
        if view is not None and not new:
            already = (
                "This is already an open action"
                if len(actions) == 1
                else f"All {len(actions):,} are already open actions"
            )
            self.notify(f"{already} of the {view.review} review.", timeout=4)
            return
        if any(a.owner is None for a in new):  # one already in the review keeps its owner
            self._ask_owner(actions, sum(1 for a in new if a.owner is None))
            return
        self._write(self.app.db_path, to_open_review(actions, self.app.today, None))

    def _ask_owner(self, actions: tuple[ManagementAction, ...], unowned: int) -> None:
        """Ask for the owner of the ``unowned`` actions (those not yet in the review)."""
        if len(actions) == 1:
            question = f"Owner of the action for {display_text(actions[0].supplier)}:"
        else:
            question = f"{unowned:,} of these actions have no owner; who owns them?"
        self._asking = actions
        self.query_one("#board-owner-label", Label).update(Content(question))
        self.query_one("#board-owner-row").add_class("asking")
        owner = self.query_one("#board-owner", Input)
        owner.value = ""
        owner.focus()

    def _stop_asking(self) -> None:
        self._asking = ()
        self.query_one("#board-owner-row").remove_class("asking")
        self._focus_table()

    @on(Input.Submitted, "#board-owner")
    def _owner_given(self, event: Input.Submitted) -> None:
        owner = event.value.strip()
        if not owner:
            self.query_one("#board-owner-label", Label).update(
                Content.styled("Type the owner's name (esc cancels):", "bold $text-error")
            )
            return
        actions = self._asking
        self._stop_asking()
        self._write(self.app.db_path, to_open_review(actions, self.app.today, owner))

    @work(thread=True, group="board-write", exit_on_error=False)
    def _write(self, db_path: Path, operation: ActionsToReview) -> None:
        try:
            result = run_on_database(db_path, operation)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(BoardActionsWritten(None, read_failure(exc, db_path)))
            return
        self.post_message(BoardActionsWritten(result, None))

    def on_board_actions_written(self, message: BoardActionsWritten) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not added", severity="error", timeout=10)
            return
        if message.result is None:
            self.notify(no_open_review(self.app.today), severity="warning", timeout=8)
        else:
            quarter, added, skipped = message.result
            said = f"{plural(added, 'action')} added to the {quarter} review"
            if skipped:
                said += f" ({skipped} already there)"
            self.notify(said, timeout=4)
        self.load()

    def command_bindings(self) -> Iterable[tuple[DOMNode, Binding]]:
        yield from ((self, b) for b in bindings_of(self.BINDINGS))
        table = self.query_one(f"#table-{self._active()}", BoardTable)
        yield from ((table, b) for b in bindings_of(BoardTable.BINDINGS))
