"""The ICS view: partner trusts' shared files lined up with the register, supplier by supplier.

The screen asks for the shared files (a folder, or files separated by spaces), proposing the
last ones read (kept in the user settings file beside the theme, never with the register open
read-only) or ``$SUPPLIER_REGISTER_ICS_FOLDER``.  They are read in a worker
(``services.ics_own.register_ics_view``, the register open here being one of the trusts,
marked "this trust"); a file that cannot be read gives one line naming it and the field.  The
table (a Line API widget, ``widgets.ics_table``) lists the suppliers two or more trusts use,
joint-procurement windows soonest first (``a`` shows every supplier); ``/`` filters by name;
Enter opens a supplier: each trust's criticality, score, band, contracts' end and decide-by
dates, the data gaps in words, and a timeline by month with the joint window highlighted.
Nothing is written anywhere: the files stay the partners', never merged into the register.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import shlex
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalScroll, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static
from textual.worker import Worker, get_current_worker

from supplier_register.domain import RegisterError
from supplier_register.domain.bounds import add_months
from supplier_register.runtime.gcpause import gc_paused
from supplier_register.scoring.results import SupplierOverview
from supplier_register.scoring.text import plural
from supplier_register.services.ics import (
    WINDOW_MONTHS,
    IcsView,
    MatchedSupplier,
    TrustUse,
    criticality_text,
    decide_by_text,
    end_text,
    score_text,
    summary_text,
)
from supplier_register.services.ics_own import (
    OwnFile,
    RegisterIcsView,
    own_shared_file,
    read_with_own,
)
from supplier_register.services.rows import display_text
from supplier_register.services.settings import keep_ics_folder
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.commands import bindings_of
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.ics_table import IcsTable
from supplier_register.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

ICS_FOLDER_ENV = "SUPPLIER_REGISTER_ICS_FOLDER"
"""The shared files proposed when the screen opens (before the last ones read)."""

TIMELINE_MONTHS = 48
"""The most months the timeline shows (from the first date not yet passed, when longer)."""

MONTH_CELL = 4
TRUST_CELL = 40
"""The widest the trusts' names are shown on the timeline."""


def split_paths(text: str) -> list[Path]:
    """The paths typed: the whole text when it names something that exists (a folder with
    spaces in its name), else the words, quotes kept together (``ValueError``: a quote left
    open)."""
    text = text.strip()
    if not text:
        return []
    whole = Path(text).expanduser()
    if whole.exists():
        return [whole]
    return [Path(word).expanduser() for word in shlex.split(text)]


def proposed_paths(app: SupplierRegisterApp) -> str:
    """What the files box proposes: the files read last in this session, else the environment's
    folder, else the last ones kept in the settings file, else nothing."""
    if app.ics_paths:
        return app.ics_paths
    env = os.environ.get(ICS_FOLDER_ENV, "").strip()
    if env:
        return env
    settings = app.settings
    return settings.ics_folder or "" if settings is not None else ""


# ---------------------------------------------------------------- the supplier's words


def window_sentence(supplier: MatchedSupplier) -> str:
    """What the supplier's joint windows mean, in one sentence."""
    if not supplier.windows:
        if len(supplier.trusts) < 2:
            return "Only one trust uses this supplier: there is nobody to buy with."
        return (
            f"No joint window: no two trusts must decide within {WINDOW_MONTHS} months of each "
            "other (decide-by dates already passed or not shared are not counted)."
        )
    parts = []
    for window in supplier.windows:
        span = (
            f"on {window.start.isoformat()}"
            if window.start == window.end
            else f"between {window.start.isoformat()} and {window.end.isoformat()}"
        )
        parts.append(f"{' and '.join(window.trusts)} must decide {span}")
    return (
        "Joint window: "
        + "; ".join(parts)
        + f" — within {WINDOW_MONTHS} months of each other, so they can agree to renegotiate "
        "or re-procure together before either commits alone."
    )


def use_lines(use: TrustUse, this_trust: str | None, shown_name: str) -> list[Content]:
    """One trust's record of the supplier: criticality, score, band, each contract's dates, or
    what is not known, in words."""
    score = score_text(use)
    head = Content.assemble(
        lit(use.trust, "bold $text-accent" if use.trust == this_trust else "bold"),
        (" · ", "$text-muted"),
        lit(criticality_text(use)),
        (" · ", "$text-muted"),
        lit(score if score.startswith("score") or score == "unassessed" else f"score {score}"),
    )
    lines = [head]
    if use.name != shown_name:
        lines.append(Content.assemble(("  records it as ", "$text-muted"), lit(use.name)))
    contracts = use.contracts
    if not contracts:
        lines.append(Content.styled("  no contract in the shared file", "$text-warning"))
    for line in contracts:
        ends = "end date not recorded" if line.end_date is None else f"ends {end_text(line)}"
        decide = (
            "decide-by not shared"
            if line.decide_by is None
            else f"decide by {decide_by_text(line)}"
        )
        parts: list[Content | tuple[str, str] | str] = [
            Content("  “"),
            lit(line.title),
            Content("” "),
            lit(ends, "$text-warning" if line.end_date is None else ""),
            Content(" · "),
            lit(
                decide,
                "$text-warning" if line.decide_by is None else "$text-muted" if line.passed else "",
            ),
        ]
        lines.append(Content.assemble(*parts))
    return lines


@dataclass(frozen=True)
class Timeline:
    """The supplier's dates by month: one row per trust, a letter per month with a date."""

    months: tuple[tuple[int, int], ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(trust, the cell of each month): 'D' decide-by, 'd' passed, 'E' end, 'DE' both."""
    window_months: frozenset[tuple[int, int]]
    window_trusts: frozenset[str]
    cut: bool
    """Some dates fall outside the months shown."""


def timeline(supplier: MatchedSupplier, today: dt.date) -> Timeline | None:
    """The supplier's timeline (None when no trust shared a date)."""
    lines = [c for use in supplier.uses for c in use.contracts]
    days = [d for c in lines for d in (c.decide_by, c.end_date) if d is not None]
    if not days:
        return None
    first, last = min(days), max(days)
    start = (first.year, first.month)
    cut = False
    months_spanned = (last.year - first.year) * 12 + last.month - first.month + 1
    if months_spanned > TIMELINE_MONTHS:
        cut = True
        upcoming = [d for d in days if d >= today]
        begin = min(upcoming) if upcoming else first
        start = (begin.year, begin.month)
    months: list[tuple[int, int]] = []
    day = dt.date(start[0], start[1], 1)
    while len(months) < TIMELINE_MONTHS and (day.year, day.month) <= (last.year, last.month):
        months.append((day.year, day.month))
        day = add_months(day, 1)
    index = {month: i for i, month in enumerate(months)}
    rows: list[tuple[str, tuple[str, ...]]] = []
    for trust in supplier.trusts:
        cells = [""] * len(months)
        for c in (c for use in supplier.uses if use.trust == trust for c in use.contracts):
            for letter, date in (("d" if c.passed else "D", c.decide_by), ("E", c.end_date)):
                if date is None:
                    continue
                i = index.get((date.year, date.month))
                if i is None:
                    cut = True
                elif letter.upper() not in cells[i].upper():
                    cells[i] = "".join(sorted(cells[i] + letter, key=lambda x: x.upper()))
        rows.append((trust, tuple(cells)))
    window_months: set[tuple[int, int]] = set()
    window_trusts: set[str] = set()
    for window in supplier.windows:
        window_trusts.update(window.trusts)
        day = dt.date(window.start.year, window.start.month, 1)
        while (day.year, day.month) <= (window.end.year, window.end.month):
            window_months.add((day.year, day.month))
            day = add_months(day, 1)
    return Timeline(
        tuple(months), tuple(rows), frozenset(window_months), frozenset(window_trusts), cut
    )


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _cell(text: str, width: int) -> str:
    flat = display_text(text)
    return flat[: width - 1] + "…" if len(flat) > width else flat.ljust(width)


def timeline_content(line: Timeline) -> Content:
    """The timeline as text: the years, the months, then each trust's row."""
    window_style = "on $warning 30%"
    trust_cell = min(TRUST_CELL, max(len(display_text(t)) for t, _ in line.rows)) + 1
    years: list[Content | tuple[str, str] | str] = [" " * trust_cell]
    names: list[Content | tuple[str, str] | str] = [" " * trust_cell]
    for i, (year, month) in enumerate(line.months):
        label = str(year) if i == 0 or month == 1 else ""
        years.append((label.ljust(MONTH_CELL), "bold"))
        style = window_style if (year, month) in line.window_months else ""
        names.append((_MONTHS[month - 1].ljust(MONTH_CELL), style))
    out = [Content.assemble(*years), Content.assemble(*names)]
    for trust, cells in line.rows:
        in_window = trust in line.window_trusts
        parts: list[Content | tuple[str, str] | str] = [
            lit(_cell(trust, trust_cell - 1) + " ", "bold" if in_window else "")
        ]
        for when, text in zip(line.months, cells, strict=True):
            style = window_style if in_window and when in line.window_months else ""
            if text:
                style = f"bold {style}".strip()
            parts.append((f" {text or '·'}".ljust(MONTH_CELL), style))
        out.append(Content.assemble(*parts))
    legend = "D decide-by · d decide-by passed · E contract ends · highlighted: the joint window"
    if line.cut:
        legend += " · some dates fall outside the months shown"
    out.append(Content.styled(legend, "$text-muted"))
    return Content("\n").join(out)


@dataclass(frozen=True)
class SupplierParts:
    """The supplier's screen in three parts: the trusts (wrapped to the screen), the timeline
    (its lines never wrapped: it scrolls sideways when wider) and the data gaps."""

    trusts: Content
    timeline: Content
    gaps: Content

    @property
    def text(self) -> str:
        """The whole as plain text, top to bottom."""
        return "\n".join(str(part) for part in (self.trusts, self.timeline, self.gaps))


def supplier_parts(
    supplier: MatchedSupplier, today: dt.date, this_trust: str | None
) -> SupplierParts:
    """The supplier across trusts, whole: who uses it, the window, each trust, the gaps."""
    lines: list[Content] = [
        Content.assemble(
            lit(supplier.name, "bold"),
            (f" · used by {plural(len(supplier.trusts), 'trust')}", "$text-muted"),
        )
    ]
    others = [name for name in supplier.names if name != supplier.name]
    if others:
        lines.append(
            Content.assemble(("Also recorded as: ", "$text-muted"), lit(", ".join(others)))
        )
    if supplier.company_numbers:
        lines.append(
            Content.assemble(
                ("Company number: ", "$text-muted"), lit(", ".join(supplier.company_numbers))
            )
        )
    lines.append(
        lit(window_sentence(supplier), "bold $text-warning" if supplier.windows else "$text-muted")
    )
    lines.append(Content(""))
    for use in supplier.uses:
        lines.extend(use_lines(use, this_trust, supplier.name))
    line = timeline(supplier, today)
    if line is None:
        drawn = Content.styled("Timeline: no trust shared a date", "$text-muted")
    else:
        drawn = Content("\n").join(
            [Content.styled("Timeline, by month", "bold"), timeline_content(line)]
        )
    gaps = supplier.gaps
    if gaps:
        gap_lines = [Content.styled("Data gaps (not known, never taken as no)", "bold")]
        gap_lines.extend(lit(f"  {gap}") for gap in gaps)
    else:
        gap_lines = [Content.styled("No data gap: every contract has its dates", "$text-muted")]
    return SupplierParts(Content("\n").join(lines), drawn, Content("\n").join(gap_lines))


# ---------------------------------------------------------------- the screens


@dataclass
class OwnPrep:
    """The register open here as one of the view's trusts, being built in a worker from the
    snapshot the app shows (rebuilt when another snapshot has come since)."""

    snapshot: object
    done: threading.Event = field(default_factory=threading.Event)
    own: OwnFile | None = field(default=None, repr=False)
    error: RegisterError | sqlite3.Error | None = None


class IcsSupplierScreen(ReportsWorkerErrors, Screen[None]):
    """One supplier across the trusts: each trust's record, the timeline, the gaps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ics_supplier.back"),
    ]

    DEFAULT_CSS = """
    IcsSupplierScreen #ics-supplier-scroll { height: 1fr; padding: 0 1; }
    IcsSupplierScreen #ics-supplier, IcsSupplierScreen #ics-gaps { width: 100%; }
    IcsSupplierScreen #ics-timeline-scroll {
        height: auto; overflow-x: auto; overflow-y: hidden; margin: 1 0;
    }
    IcsSupplierScreen #ics-timeline { width: auto; }
    """

    def __init__(self, supplier: MatchedSupplier, today: dt.date, this_trust: str | None) -> None:
        super().__init__()
        self.supplier = supplier
        self.today = today
        self.this_trust = this_trust
        self.parts = supplier_parts(supplier, today, this_trust)

    def compose(self) -> ComposeResult:
        yield Header()
        parts = self.parts
        with VerticalScroll(id="ics-supplier-scroll"):
            yield Static(parts.trusts, id="ics-supplier")
            with HorizontalScroll(id="ics-timeline-scroll"):
                yield Static(parts.timeline, id="ics-timeline")
            yield Static(parts.gaps, id="ics-gaps")
        yield KeyFooter()

    def action_back(self) -> None:
        self.dismiss()


class IcsScreen(DataScreen):
    """Partner trusts' shared files with the register: suppliers in common, joint windows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="ics.back"),
        Binding(
            "slash,ctrl+f",
            "filter",
            "Filter",
            key_display="/",
            tooltip="Filter the ICS view's suppliers by name",
            id="ics.filter",
        ),
        Binding(
            "a",
            "toggle_all",
            "All/shared",
            tooltip="Show every supplier, or only those two or more trusts use",
            id="ics.toggle_all",
        ),
        Binding(
            "f",
            "files",
            "Files",
            tooltip="Read other shared files (a folder, or files)",
            id="ics.files",
        ),
    ]

    DEFAULT_CSS = """
    IcsScreen #ics-files-row, IcsScreen #ics-filter-row { height: 1; padding: 0 1; }
    IcsScreen #ics-files-label, IcsScreen #ics-filter-label {
        width: auto; padding-right: 1; color: $text-muted;
    }
    IcsScreen #ics-paths { width: 1fr; }
    IcsScreen #ics-filter { width: 24; }
    IcsScreen #ics-shown { width: 1fr; padding-left: 2; }
    IcsScreen #ics-title { padding: 0 1; }
    IcsScreen #ics-error { padding: 0 1; color: $text-error; text-style: bold; }
    IcsScreen #ics-notes { padding: 0 1; color: $text-warning; max-height: 3; }
    IcsScreen IcsTable { height: 1fr; }
    """

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self.result: RegisterIcsView | None = None
        self.every_supplier = False
        self.filter_text = ""
        self.reading: Worker[None] | None = None
        self.first_filled = False
        """True once a view has been shown in the table (and painted: set after the refresh)."""
        self._own: OwnPrep | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._intro(), id="ics-title")
        with Horizontal(id="ics-files-row"):
            yield Label("Shared files", id="ics-files-label")
            yield Input(
                placeholder="a folder of partner trusts' shared files, or files separated by "
                "spaces; Enter reads them",
                id="ics-paths",
                compact=True,
            )
        yield Static("", id="ics-error")
        yield Static("", id="ics-notes")
        with Horizontal(id="ics-filter-row"):
            yield Label("Supplier /", id="ics-filter-label")
            yield Input(placeholder="supplier name", id="ics-filter", compact=True)
            yield Static(self._shown_text(), id="ics-shown")
        yield IcsTable(id="ics-table")
        yield KeyFooter()

    def _intro(self) -> Content:
        return Content.assemble(
            ("ICS view", "bold"),
            " · partner trusts' shared files (export --format share) lined up with this "
            "register; nothing is merged or written",
        )

    @property
    def table(self) -> IcsTable:
        return self.query_one(IcsTable)

    def on_mount(self) -> None:
        self.query_one("#ics-error").display = False
        self.query_one("#ics-notes").display = False
        paths = self.query_one("#ics-paths", Input)
        paths.value = proposed_paths(self.app)
        paths.cursor_position = len(paths.value)
        paths.focus()
        self._prepare_own()  # while the files are being chosen

    def _prepare_own(self) -> OwnPrep:
        """The register as one of the trusts: being built, or built, from the current snapshot."""
        app = self.app
        snapshot = app.snapshot
        prep = self._own
        if prep is None or prep.snapshot is not snapshot:
            prep = self._own = OwnPrep(snapshot)
            overviews = (
                snapshot.scores.overviews
                if snapshot is not None and snapshot.scores is not None and snapshot.scores_current
                else None
            )
            self._build_own(prep, app.db_path, app.today, overviews)
        return prep

    @work(thread=True, group="ics-own", exit_on_error=False)
    def _build_own(
        self,
        prep: OwnPrep,
        db_path: Path,
        today: dt.date,
        overviews: Sequence[SupplierOverview] | None,
    ) -> None:
        try:
            prep.own = own_shared_file(db_path, today, self.app.scoring.config, overviews)
        except (RegisterError, sqlite3.Error) as exc:
            prep.error = exc
        finally:
            prep.done.set()

    # -------------------------------------------------------------- reading

    @dataclass
    class Read(Message):
        """The view read (``error``: the one line saying why not)."""

        result: RegisterIcsView | None
        error: str | None
        text: str
        worker: Worker[Any]

    @on(Input.Submitted, "#ics-paths")
    def _paths_submitted(self, event: Input.Submitted) -> None:
        self.read(event.value)

    def read(self, text: str) -> None:
        """Read the shared files typed (with the register open here) in a worker."""
        try:
            paths = split_paths(text)
        except ValueError as exc:
            self._show_error(f"shared files: {exc} (a quote is left open)")
            return
        if not paths:
            self._show_error("shared files: enter a folder of shared files, or the files")
            return
        self.query_one("#ics-error").display = False
        count = len(paths)
        what = "folder" if count == 1 and paths[0].is_dir() else "file"
        self.query_one("#ics-title", Static).update(
            Content.assemble(
                ("ICS view", "bold"), f" · reading {count:,} {what}{'' if count == 1 else 's'}…"
            )
        )
        app = self.app
        self.reading = self._read(text, paths, app.db_path, app.today, self._prepare_own())

    @work(thread=True, exclusive=True, group="ics-read", exit_on_error=False)
    def _read(
        self, text: str, paths: list[Path], db_path: Path, today: dt.date, prep: OwnPrep
    ) -> None:
        """Read the view, with the cyclic collector paused meanwhile; then hand what is alive
        to ``gc.freeze``, as the app does with a large register once scored.

        A national pool is about a million small objects, none in a reference cycle; with the
        collector running, its passes over them took longer than the read on the UI thread,
        between the read and the table painted, and later in the middle of keystrokes.  Frozen,
        they are never walked; reference counting still frees them when the view is replaced
        or the screen closed (which drops its view, see :meth:`on_unmount`).
        """
        worker = get_current_worker()
        config = self.app.scoring.config

        def own() -> OwnFile:
            prep.done.wait()
            if prep.error is not None:
                raise prep.error
            if prep.own is None:  # its worker failed (a bug, reported there): build it here
                return own_shared_file(db_path, today, config)
            return prep.own

        try:
            with gc_paused():
                result = read_with_own(own, paths, today)
                gc.freeze()
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(self.Read(None, read_failure(exc, db_path), text, worker))
            return
        self.post_message(self.Read(result, None, text, worker))

    def on_unmount(self) -> None:
        self._drop_view()

    def _drop_view(self) -> None:
        """Let the view go: it is a tree (no reference cycles), so dropping it here frees it
        even if the screen itself was frozen with it."""
        self.result = None
        for table in self.query(IcsTable):
            table.forget_rows()

    def on_ics_screen_read(self, message: Read) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        if message.result is None:
            self._show_error(message.error or "the shared files could not be read")
            self.query_one("#ics-title", Static).update(self._intro())
            return
        self.result = message.result
        message.result = None  # the screen holds the view, and only the screen
        self._remember(message.text)
        notes = self.query_one("#ics-notes", Static)
        warnings = self.result.view.warnings
        notes.update(Content("\n").join(lit(w) for w in warnings))
        notes.display = bool(warnings)
        self._fill()
        self.table.focus()
        self.call_after_refresh(self._filled)

    def _filled(self) -> None:
        self.first_filled = True

    def _remember(self, text: str) -> None:
        """Propose these files next time: in this session, and (unless the register is open
        read-only) in the settings file, as the theme is kept."""
        text = text.strip()
        app = self.app
        if text == app.ics_paths:
            return
        app.ics_paths = text
        settings = app.settings
        if app.read_only or settings is None or settings.ics_folder == text:
            return
        app.settings = dataclasses.replace(settings, ics_folder=text)
        self._keep(text)

    @work(thread=True, group="settings", exit_on_error=False)
    def _keep(self, text: str) -> None:
        settings = self.app.settings
        if settings is None:
            return
        try:
            keep_ics_folder(settings, text)
        except RegisterError as exc:
            self.app.notify(
                exc.message, title="Shared files not kept", severity="warning", timeout=20
            )

    def _show_error(self, line: str) -> None:
        error = self.query_one("#ics-error", Static)
        error.update(lit(line))
        error.display = True

    # -------------------------------------------------------------- showing

    def shown(self) -> Sequence[MatchedSupplier]:
        """The suppliers the toggle and the filter keep, in the view's order."""
        if self.result is None:
            return ()
        view = self.result.view
        rows: Sequence[MatchedSupplier] = view.suppliers if self.every_supplier else view.shared
        words = self.filter_text.casefold().split()
        if words:
            rows = [s for s in rows if all(w in s.name.casefold() for w in words)]
        return rows

    def _fill(self) -> None:
        result = self.result
        if result is None:
            return
        rows = self.shown()
        view: IcsView = result.view
        if self.filter_text.strip():
            empty = "No supplier with this filter (esc clears it)."
        elif not self.every_supplier:
            empty = "No supplier is used by two or more trusts (a shows every supplier)."
        else:
            empty = "The shared files hold no supplier."
        self.table.set_rows(
            rows, today=view.today, this_trust=result.this_trust, empty_message=empty
        )
        self.query_one("#ics-title", Static).update(
            Content.assemble(("ICS view", "bold"), " · ", lit(summary_text(view)))
        )
        self.query_one("#ics-shown", Static).update(self._shown_text(len(rows)))

    def _shown_text(self, count: int | None = None) -> Content:
        which = "every supplier" if self.every_supplier else "used by two or more trusts"
        parts: list[Content | tuple[str, str] | str] = []
        if count is not None:
            parts.append((f"{count:,} shown · ", ""))
        parts += [(which, "bold"), ("  (a: ", "$text-muted")]
        parts.append(("only shared" if self.every_supplier else "all", "$text-muted"))
        parts.append((")", "$text-muted"))
        return Content.assemble(*parts)

    @on(Input.Changed, "#ics-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._fill()

    @on(Input.Submitted, "#ics-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()

    @on(IcsTable.Selected)
    def _open(self, event: IcsTable.Selected) -> None:
        result = self.result
        if result is not None:
            self.app.push_screen(
                IcsSupplierScreen(event.supplier, result.view.today, result.this_trust)
            )

    def action_filter(self) -> None:
        self.query_one("#ics-filter", Input).focus()

    def action_files(self) -> None:
        self.query_one("#ics-paths", Input).focus()

    def action_toggle_all(self) -> None:
        self.every_supplier = not self.every_supplier
        self.query_one("#ics-shown", Static).update(self._shown_text())
        self._fill()

    def action_back(self) -> None:
        """Escape: clear the filter, else leave a box, else go back to the register."""
        filter_input = self.query_one("#ics-filter", Input)
        if filter_input.value:
            filter_input.value = ""
            return
        if not self.table.has_focus and self.result is not None:
            self.table.focus()
            return
        self._drop_view()
        self.dismiss()

    def command_bindings(self) -> Iterable[tuple[DOMNode, Binding]]:
        yield from ((self, b) for b in bindings_of(self.BINDINGS))
        yield from ((self.table, b) for b in bindings_of(IcsTable.BINDINGS))
