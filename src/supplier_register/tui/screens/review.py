"""The quarterly review screen: the same lists as ``review show``, actions, closing, trends.

Database work runs in worker threads, each on its own connection, through the
same review service as the CLI, so the screen and the command line always agree.
Every cell is a ``rich.text.Text`` (user text never becomes markup), and every
user error is shown inline or as a plain-text notification, with nothing changed.

The host app provides ``db_path`` and ``today``; ``v`` on the register opens this screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar, Protocol, cast

from pydantic import ValidationError
from rich.text import Text
from sqlite_utils import Database
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Input,
    Label,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)
from textual.worker import get_current_worker

from supplier_register.domain.errors import RegisterError, unreadable_record
from supplier_register.reports.review_pack import Section, facts, sections, status_line, title
from supplier_register.review.models import Review, ReviewedScore, ReviewReport, TrendPoint
from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as service
from supplier_register.services.entry import read_date
from supplier_register.services.register_view import read_review, run_on_database
from supplier_register.tui.forms import labelled
from supplier_register.tui.messages import ReviewRead, ReviewWritten
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.workers import ReportsWorkerErrors

BLOCKS = " ▁▂▃▄▅▆▇█"
TABS = {
    "movers": "Movers",
    "due": "Reviews due",
    "deadlines": "Deadlines",
    "actions": "Actions",
    "gaps": "Data gaps",
}


class ReviewHost(Protocol):
    """What the review screen needs from the app it runs in."""

    db_path: Path
    today: dt.date


def block_sparkline(scores: list[int]) -> str:
    """A one-line sparkline of risk scores on a fixed 0-100 scale (one block per review)."""
    return "".join(BLOCKS[min(8, max(0, round(s * 8 / 100)))] for s in scores)


def section_rows(section: Section) -> list[tuple[str | None, list[Text]]]:
    """A section's table rows as (row key, literal cells); flagged rows in bold red."""
    rows: list[tuple[str | None, list[Text]]] = []
    for r, row in enumerate(section.rows):
        flagged = r < len(section.flagged) and section.flagged[r]
        style = "bold red" if flagged else ""
        key = row[0] if section.key == "actions" else str(r)
        cells = [
            Text(cell, style=style, justify="right" if i in section.numeric else "left")
            for i, cell in enumerate(row)
        ]
        rows.append((key, cells))
    if not section.rows:
        rows.append(
            (None, [Text(section.empty if i == 0 else "") for i in range(len(section.headers))])
        )
    return rows


def trend_cells(report: ReviewReport, score: ReviewedScore) -> list[Text]:
    """A supplier's row of the trends table: name, criticality, sparkline, scores, change."""
    points = report.trends.get(score.supplier, [])
    values = [p.score for p in points]
    change = values[-1] - values[-2] if len(values) >= 2 else None
    return [
        Text(score.supplier),
        Text(score.criticality.label),
        Text(block_sparkline(values)),
        Text(" → ".join(str(v) for v in values)),
        Text("new" if change is None else f"{change:+d}", justify="right"),
    ]


def trend_label(supplier: str | None, points: Sequence[TrendPoint]) -> Text:
    """The supplier's name over its scores quarter by quarter (empty with no supplier)."""
    if not supplier:
        return Text("")
    return Text(f"{supplier}\n" + "  ".join(f"{p.label}: {p.score}" for p in points))


def _write_review(
    db_path: Path, operation: Callable[[Database], object], done: str
) -> ReviewWritten:
    """Run one review write on its own connection (in a worker) and say how it went."""
    try:
        run_on_database(db_path, operation)
    except RegisterError as exc:
        return ReviewWritten(done, exc.message)
    return ReviewWritten(done, None)


class ActionForm(ReportsWorkerErrors, ModalScreen[bool]):
    """Record an action agreed at the open review; errors are shown in the form."""

    DEFAULT_CSS = """
    ActionForm .dialog { max-width: 76; padding: 1 2; }
    ActionForm .title { text-style: bold; margin-bottom: 1; }
    ActionForm #error { height: auto; margin-top: 1; }
    ActionForm .buttons { height: auto; margin-top: 1; }
    ActionForm Button { margin-right: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True, id="action_form.save"),
        Binding("escape", "cancel", "Cancel", id="action_form.cancel"),
    ]

    FIELDS = ("supplier", "what", "owner", "due")

    def __init__(self, db_path: Path, quarter: str, today: dt.date, suppliers: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.db_path = db_path
        self.quarter = quarter
        self.today = today
        self.suppliers = suppliers

    def compose(self) -> ComposeResult:
        with Vertical(id="action-form", classes="dialog"):
            yield Static(Text(f"New action agreed at the {self.quarter} review"), classes="title")
            yield Label("Supplier (leave empty for a general action)")
            yield Input(
                id="supplier",
                suggester=SuggestFromList(self.suppliers, case_sensitive=False),
            )
            yield Label("What is to be done *")
            yield Input(id="what", max_length=500)
            yield Label("Owner *")
            yield Input(id="owner", max_length=200)
            yield Label("Due (e.g. 31/03/2027 or 2027-03-31)")
            yield Input(id="due", placeholder=self.today.isoformat())
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    @property
    def is_dirty(self) -> bool:
        """True once anything has been typed (the form opens empty)."""
        return any(self._value(name) for name in self.FIELDS)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message, style="bold red"))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close the form; once something is typed, only after "Discard changes?"."""
        if not self.is_dirty:
            self.dismiss(False)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmScreen("Discard changes?", "What you typed will be lost.", yes="Discard"),
            answered,
        )

    def action_save(self) -> None:
        self.save()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        for widget_id, label in (("what", "What is to be done"), ("owner", "Owner")):
            if not self._value(widget_id).strip():
                self.show_error(f"{label} is required")
                self.query_one(f"#{widget_id}", Input).focus()
                return
        due_text = self._value("due")
        if not due_text:
            self.show_error("Due: enter the date it is due, e.g. 31/03/2027")
            return
        try:
            due = read_date(due_text)
        except ValueError as exc:
            self.show_error(labelled("Due", str(exc)))
            return
        quarter, today = self.quarter, self.today
        supplier, what, owner = (
            self._value("supplier") or None,
            self._value("what"),
            self._value("owner"),
        )

        self._write(
            self.db_path,
            lambda db: service.add_action(
                db, quarter, supplier=supplier, what=what, owner=owner, due=due, today=today
            ),
        )

    @work(thread=True, group="review-write", exit_on_error=False)
    def _write(self, db_path: Path, operation: Callable[[Database], object]) -> None:
        self.post_message(_write_review(db_path, operation, ""))

    def on_review_written(self, message: ReviewWritten) -> None:
        if message.error is not None:
            self.show_error(message.error)
        else:
            self.dismiss(True)


class ReviewScreen(ReportsWorkerErrors, Screen[None]):
    """One quarterly review: movers, due reviews, deadlines, actions, data gaps and trends."""

    DEFAULT_CSS = """
    ReviewScreen #review-head { height: auto; padding: 0 1; }
    ReviewScreen #review-title { text-style: bold; }
    ReviewScreen #review-facts { color: $text-muted; }
    ReviewScreen #review-tabs { height: 1fr; }
    ReviewScreen #review-tabs ContentSwitcher { height: 1fr; }
    ReviewScreen TabPane { height: 1fr; padding: 0; }
    ReviewScreen DataTable { height: 1fr; }
    ReviewScreen #trend-panel { height: 5; padding: 0 1; }
    ReviewScreen #trend-spark { height: 3; width: 40; }
    ReviewScreen #trend-label { height: 3; padding-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_action", "Add action", id="review.add_action"),
        Binding("d", "action_done", "Action done", id="review.action_done"),
        Binding("c", "close_review", "Close review", id="review.close_review"),
        Binding("s", "start_review", "Start review", id="review.start_review"),
        Binding("left_square_bracket", "earlier", "Earlier", key_display="[", id="review.earlier"),
        Binding("right_square_bracket", "later", "Later", key_display="]", id="review.later"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, quarter: str | None = None) -> None:
        super().__init__()
        self.quarter = quarter
        self.reviews: list[Review] = []
        self.report: ReviewReport | None = None

    @property
    def host(self) -> ReviewHost:
        return cast(ReviewHost, self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="review-head"):
            yield Static("Loading the reviews…", id="review-title")
            yield Static("", id="review-facts")
        with TabbedContent(id="review-tabs"):
            for key, label in TABS.items():
                with TabPane(label, id=f"tab-{key}"):
                    yield DataTable(id=f"table-{key}", cursor_type="row", zebra_stripes=True)
            with TabPane("Trends", id="tab-trends"):
                yield DataTable(id="table-trends", cursor_type="row", zebra_stripes=True)
                with Horizontal(id="trend-panel"):
                    yield Sparkline([], id="trend-spark")
                    yield Static("", id="trend-label")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Quarterly supplier review"
        self.load()

    # -------------------------------------------------------------- loading

    def load(self) -> None:
        """Read the chosen review (default: the latest) in a worker thread."""
        self._read(self.host.db_path, self.quarter, self.host.today)

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def _read(self, db_path: Path, quarter: str | None, today: dt.date) -> None:
        try:
            reviews, report = read_review(db_path, quarter, today)
        except ValidationError as exc:
            self.post_message(
                ReviewRead([], None, unreadable_record(exc).message, get_current_worker())
            )
            return
        except RegisterError as exc:
            self.post_message(ReviewRead([], None, exc.message, get_current_worker()))
            return
        self.post_message(ReviewRead(reviews, report, None, get_current_worker()))

    def on_review_read(self, message: ReviewRead) -> None:
        if message.worker.is_cancelled:
            return  # another quarter was asked for since
        if message.error is not None:
            self._failed(message.error)
        else:
            self.show_report(message.reviews, message.report)

    def _failed(self, message: str) -> None:
        self.notify(message, title="Review", severity="error", timeout=10)

    def show_report(self, reviews: list[Review], report: ReviewReport | None) -> None:
        """Fill the header and every table from ``report`` (UI thread)."""
        self.reviews = reviews
        self.report = report
        head = self.query_one("#review-title", Static)
        body = self.query_one("#review-facts", Static)
        if report is None:
            quarter = Quarter.of(self.host.today)
            head.update(Text("No quarterly reviews yet."))
            if getattr(self.app, "read_only", False):
                body.update(Text("The register is open read-only: no review can be started here."))
            else:
                body.update(Text(f"Press s to start the review of {quarter}."))
            for key in [*TABS, "trends"]:
                self.query_one(f"#table-{key}", DataTable).clear(columns=True)
            return
        self.quarter = report.quarter
        head.update(Text(f"{title(report)}: {status_line(report)}"))
        body.update(Text("\n".join(facts(report))))
        for section in sections(report):
            if section.key not in TABS:
                continue
            table = self.query_one(f"#table-{section.key}", DataTable)
            table.clear(columns=True)
            for i, header in enumerate(section.headers):
                table.add_column(
                    Text(header, justify="right" if i in section.numeric else "left"), key=header
                )
            for row_key, cells in section_rows(section):
                table.add_row(*cells, key=row_key)
        self._fill_trends(report)

    def _fill_trends(self, report: ReviewReport) -> None:
        table = self.query_one("#table-trends", DataTable)
        table.clear(columns=True)
        table.add_columns(
            Text("Supplier"),
            Text("Criticality"),
            Text("Trend"),
            Text("Scores"),
            Text("Change", justify="right"),
        )
        for score in report.scores:
            table.add_row(*trend_cells(report, score), key=score.supplier)
        self._show_trend(report.scores[0].supplier if report.scores else None)

    def _show_trend(self, supplier: str | None) -> None:
        spark = self.query_one("#trend-spark", Sparkline)
        label = self.query_one("#trend-label", Static)
        points = self.report.trends.get(supplier, []) if self.report and supplier else []
        spark.data = [float(p.score) for p in points]
        label.update(trend_label(supplier, points))

    @on(DataTable.RowHighlighted, "#table-trends")
    def _trend_row(self, event: DataTable.RowHighlighted) -> None:
        self._show_trend(event.row_key.value)

    # -------------------------------------------------------------- actions

    def action_back(self) -> None:
        self.app.pop_screen()

    def _step(self, by: int) -> None:
        quarters = [r.quarter for r in self.reviews]
        if self.quarter not in quarters:
            return
        index = quarters.index(self.quarter) + by
        if 0 <= index < len(quarters):
            self.quarter = quarters[index]
            self.load()

    def action_earlier(self) -> None:
        self._step(-1)

    def action_later(self) -> None:
        self._step(1)

    def _run_write(self, operation: Callable[[Database], object], done_message: str) -> None:
        self._write(self.host.db_path, operation, done_message)

    @work(thread=True, group="review-write", exit_on_error=False)
    def _write(
        self, db_path: Path, operation: Callable[[Database], object], done_message: str
    ) -> None:
        self.post_message(_write_review(db_path, operation, done_message))

    def on_review_written(self, message: ReviewWritten) -> None:
        if message.error is not None:
            self._failed(message.error)
        else:
            self._written(message.done)

    def _written(self, message: str) -> None:
        self.notify(message, timeout=4)
        self.load()

    def _open_review(self) -> ReviewReport | None:
        report = self.report
        if report is None:
            self._failed("no review yet: press s to start one")
            return None
        if report.closed_on is not None:
            self._failed(f"the {report.quarter} review is closed; it takes no more changes")
            return None
        return report

    def action_start_review(self) -> None:
        quarter = str(Quarter.of(self.host.today))

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.quarter = quarter
                today = self.host.today
                self._run_write(
                    lambda db: service.start_review(db, quarter, today),
                    f"started the {quarter} review",
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Start the {quarter} review?",
                "It records a snapshot of every supplier's scores, findings and questions that "
                "never changes afterwards.",
                yes="Start review",
                variant="primary",
            ),
            confirmed,
        )

    def action_add_action(self) -> None:
        report = self._open_review()
        if report is None:
            return

        def added(saved: bool | None) -> None:
            if saved:
                self.notify("action added", timeout=3)
                self.load()

        self.app.push_screen(
            ActionForm(
                self.host.db_path,
                report.quarter,
                self.host.today,
                [s.supplier for s in report.scores],
            ),
            added,
        )

    def action_action_done(self) -> None:
        table = self.query_one("#table-actions", DataTable)
        if self.report is None or not self.report.actions or table.row_count == 0:
            self._failed("no action to mark done")
            return
        self.query_one(TabbedContent).active = "tab-actions"
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if row_key is None or not row_key.isdigit():
            self._failed("choose an action in the Actions tab first")
            return
        action_id, today = int(row_key), self.host.today
        self._run_write(
            lambda db: service.complete_action(db, action_id, today), f"action {action_id} done"
        )

    def action_close_review(self) -> None:
        report = self._open_review()
        if report is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                quarter, today = report.quarter, self.host.today
                self._run_write(
                    lambda db: service.close_review(db, quarter, today),
                    f"closed the {quarter} review",
                )

        self.app.push_screen(
            ConfirmScreen(
                f"Close the {report.quarter} review?",
                "No more actions can be added to it and its pack is frozen as it stands today. "
                "Open actions stay open and carry forward.",
                yes="Close review",
                variant="warning",
            ),
            confirmed,
        )
