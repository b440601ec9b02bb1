"""The register TUI application: screens, key bindings, and database work off the UI thread."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import ValidationError
from textual import events, on, work
from textual.actions import ActionParseResult
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from supplier_register.domain import RegisterError
from supplier_register.domain.errors import unreadable_record
from supplier_register.services.register_view import (
    FirstScreen,
    Scoring,
    ScoringConfig,
    Snapshot,
    read_first_screen,
    read_records,
    refresh_suppliers,
    register_changes,
    run_with_repository,
    watch_register,
)
from supplier_register.services.rows import SupplierRow, display_text
from supplier_register.services.settings import UiSettings, keep_theme, user_settings
from supplier_register.storage import Repository
from supplier_register.storage.db import storage_error
from supplier_register.storage.location import network_share_warning
from supplier_register.tui.commands import RegisterCommands, bindings_of
from supplier_register.tui.messages import (
    Fetched,
    FirstScreenRead,
    LoadFailed,
    RegisterChanged,
    ScoringFailed,
    SnapshotRead,
    WriteFailed,
    Written,
)
from supplier_register.tui.workers import ReportsWorkerErrors

T = TypeVar("T")

Done = Callable[[Any], None]

INCREMENTAL_FROM = 2000
"""From this many suppliers, a change to one supplier re-scores only that supplier."""
Failed = Callable[[RegisterError], None]

FIRST_SCREEN_ROWS = 40
"""At least this many rows come from the kept scores at start-up (a screenful if more)."""

PAINT_WAIT = 1.0
"""Seconds the full read waits for the first screen to be painted before it starts anyway."""

LIVE_REFRESH = 1.0
"""Seconds between two looks at whether another program has changed the register."""

KEY_HOLD_LIMIT = 1.0
"""At most this many seconds a key waits for the keys before it to be handled (see
:meth:`SupplierRegisterApp.on_event`); after that it goes where the focus is then."""

FREEZE_FROM = 5_000
"""From this many suppliers, what is alive once the register is first scored is frozen (see
:meth:`SupplierRegisterApp._freeze_heap`)."""


def read_failure(exc: RegisterError | sqlite3.Error, db_path: Path) -> str:
    """The one line a screen shows when a read of the register failed: a user error as it is
    worded, a storage error as the CLI words it (a damaged file says how to restore)."""
    if isinstance(exc, RegisterError):
        return exc.message
    mapped = storage_error(exc, db_path)
    return mapped.message if mapped else f"database: {exc}"


class DataScreen(ReportsWorkerErrors, Screen[None]):
    """A screen that redraws itself whenever a new snapshot of the register arrives."""

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Redraw from ``snapshot`` (called on the UI thread)."""

    def show_first_rows(self, rows: Sequence[SupplierRow], total: int) -> None:
        """Show the register's first rows, scored, while the rest loads (called on the UI thread)."""

    def command_bindings(self) -> Iterable[tuple[DOMNode, Binding]]:
        """(node, binding) pairs offered in the command palette on this screen (its own keys)."""
        return ((self, binding) for binding in bindings_of(self.BINDINGS))


class SupplierRegisterApp(App[None]):
    """Browse and maintain the supplier register; see scores and board questions."""

    CSS_PATH = "app.tcss"
    TITLE = "Supplier register"
    COMMANDS = App.COMMANDS | {RegisterCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            key_display="?",
            tooltip="Show every key",
            id="app.help",
        ),
        Binding(
            "b",
            "board",
            "Board",
            tooltip="Board pack: decisions required, board questions, management actions",
            id="app.board",
        ),
        Binding(
            "o",
            "people",
            "Owners",
            tooltip="Relationship owners: add, edit, delete",
            id="app.people",
        ),
        Binding("v", "review", "Review", tooltip="The quarterly supplier review", id="app.review"),
        Binding(
            "t",
            "services",
            "Services",
            tooltip="The trust's services: add, edit, delete",
            id="app.services",
        ),
        Binding(
            "C",
            "concentration",
            "Concentration",
            show=False,
            tooltip="Concentration: which suppliers carry the most services",
            id="app.concentration",
        ),
        Binding(
            "P",
            "profile",
            "Trust profile",
            show=False,
            tooltip="The trust's profile: ICS, in-house digital and commercial staff, contractors",
            id="app.profile",
        ),
        Binding(
            "T",
            "trust_findings",
            "Trust findings",
            show=False,
            tooltip="The trust's own findings: contractors, commercial skills, how it buys",
            id="app.trust_findings",
        ),
        Binding(
            "I",
            "import_data",
            "Import spreadsheet or published contracts",
            show=False,
            tooltip="Preview, then import a CSV/XLSX register or OCDS contract data",
            id="app.import_data",
        ),
        Binding(
            "E",
            "export",
            "Export",
            show=False,
            tooltip="Export: board paper (HTML, Markdown), risk summary (CSV, XLSX), "
            "register (JSON), shared file for partner trusts or review pack, to a file",
            id="app.export",
        ),
        Binding(
            "D",
            "deadlines",
            "Deadlines",
            show=False,
            tooltip="Deadlines: decide-by and notice-by dates, contract ends, reviews due; "
            "overdue flagged; calendar (.ics) export",
            id="app.deadlines",
        ),
        Binding(
            "J",
            "ics",
            "ICS view",
            show=False,
            tooltip="ICS view: partner trusts' shared files beside this register, suppliers in "
            "common, joint procurement windows",
            id="app.ics",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            tooltip="Read the register again",
            id="app.reload",
        ),
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False, id="app.quit"),
    ]

    def __init__(
        self,
        db_path: Path,
        *,
        today: dt.date | None = None,
        demo: bool = False,
        scoring: Scoring | None = None,
        incremental_from: int = INCREMENTAL_FROM,
        settings: UiSettings | None = None,
        live_refresh: float | None = LIVE_REFRESH,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self.read_only = read_only
        """Open the register read-only (``--read-only``): no screen can write (see tui.readonly)."""
        if read_only:
            from supplier_register.services.register import open_read_only

            open_read_only(db_path)
        self.settings = settings
        """The user's keys and theme (``[keys]``, ``[tui]`` of the configuration file); the theme
        chosen in the app is written back to it.  None: neither read nor written (tests)."""
        self.keymap: dict[str, str] = {}
        """The keymap in force: binding id -> keys, the usable part of ``settings.keys``."""
        self._saved_theme: str | None = None
        """The theme the configuration file holds (once the settings are applied)."""
        self._theme_lock = threading.Lock()
        self.db_path = Path(db_path)
        self.today = today or dt.date.today()
        self.demo = demo
        self.scoring = scoring or Scoring()
        self.incremental_from = incremental_from
        self.live_refresh = live_refresh
        """Seconds between looks for changes made by other programs (``None``: never look)."""
        self._watch = watch_register(self.db_path) if live_refresh else None
        self._watching: Worker[None] | None = None
        self._seen_mark = 0
        self._writes_unread = 0
        """Writes started whose result has not been handled yet (their refresh not started):
        the watch leaves the change they made to that refresh instead of reading it twice."""
        """The audit log's last entry the register shown holds (or was refreshed past)."""
        self._db_mark = 0
        """The audit log's last entry, as last noticed by the watch."""
        self._watch_looks = 0
        """How many times the app has looked for changes (for tests to wait on)."""
        self.ics_paths = ""
        """The shared files last read in the ICS view in this session (proposed next time)."""
        self.snapshot: Snapshot | None = None
        self.first_screen: FirstScreen | None = None
        """The first rows with their kept scores, shown until the whole register is read."""
        self.first_screen_scored = False
        """True once the register's first screen has been painted with current scores: straight
        from the scores kept in the database when they are current, else once the whole register
        is scored.  Set after the paint, for a benchmark of the first paint to wait on."""
        self._first_frame = threading.Event()
        self.load_error: str | None = None
        self._stale: set[int] = set()
        """Suppliers written since the snapshot shown, whose refresh has not arrived yet."""
        self.heap_frozen = False
        """True once the start-up heap has been handed to ``gc.freeze`` (large registers only)."""
        self._held_keys: deque[events.Key] = deque()
        """Keys typed while an earlier key was still being handled, oldest first."""
        self._released_key: events.Key | None = None
        self._key_releaser: asyncio.Task[None] | None = None
        self._key_barriers: list[Worker[None]] = []
        """Reads that open a screen (``fetch``): keys wait for the screen they open."""
        self.sub_title = (
            ("READ-ONLY · " if read_only else "")
            + ("DEMO (sample data, not saved) · " if demo else "")
            + str(self.db_path)
        )

    # ------------------------------------------------------------- screens

    def get_default_screen(self) -> Screen[Any]:
        from supplier_register.tui.screens.register import RegisterScreen

        return RegisterScreen()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, its text always literal (``markup`` is ignored).

        Messages quote supplier names, file names and error text, which are data:
        a name such as ``Acme [UK] Ltd`` or ``[/x]`` must show as typed.  Screens'
        ``notify`` comes here too (with ``markup=True``, Textual's default), so
        this is the one place that decides.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C says how to quit, in plain words (Textual's own message is markup, which
        notifications here never render)."""
        keys = [
            key
            for key, active in self.active_bindings.items()
            if active.binding.action in ("quit", "app.quit")
        ]
        if keys:
            self.notify(f"Press {keys[0]} to quit.", title="Do you want to quit?")

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        """Where a screenshot (from the command palette) went, in plain words."""
        if event.name == "screenshot":
            event.prevent_default()  # Textual's own message is markup
            where = f" to {event.path}" if event.path is not None else ""
            self.notify(f"Saved the screenshot{where}.", title="Screenshot")

    def on_key(self, event: events.Key) -> None:
        """A key pressed before a question was put on screen never answers it.

        Such a key was routed to the screen behind (see ``ConfirmScreen``); stopping it
        here keeps Textual from looking its binding up on the question.
        """
        from supplier_register.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen) and self.screen.pressed_before(event):
            event.prevent_default()

    def on_mount(self) -> None:
        self._apply_settings()
        for warning in location_warnings(self.db_path):
            # Shown in the app, since a line on stderr would be hidden behind the full screen.
            self.notify(warning, title="Warning", severity="warning", timeout=30)
        self.call_after_refresh(self._first_frame.set)
        self._open(max(FIRST_SCREEN_ROWS, self.size.height))
        if self.live_refresh:
            self.set_interval(self.live_refresh, self._look_for_changes)

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()

    # ----------------------------------------------------------------- keys
    #
    # Textual sends each key, as it arrives, to the widget focused at that moment,
    # but acts on a key binding (Tab moving the focus, Enter opening a supplier, a
    # key opening a form) only once the key has passed up through the widget's
    # parents, one message queue at a time.  Keys typed quickly (or queued while
    # the UI thread was busy) arrive together, so the keys behind a Tab went into
    # the field being left ("180000", Tab, "12345678" made 18000012345678) and a
    # key behind Enter went to the register rather than the supplier's screen.
    # So a key is sent on only once everything the keys before it set off has
    # been handled: the focus has moved, a new screen is mounted and focused.

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if event is self._released_key:
                self._released_key = None
            elif self._held_keys or self._released_key or not self._keys_settled():
                self._held_keys.append(event)
                if self._key_releaser is None:
                    self._key_releaser = asyncio.create_task(self._release_held_keys())
                return
        await super().on_event(event)

    def _keys_settled(self) -> bool:
        """True when the app and every widget of its current screen have handled all their
        messages, typed keys aside (so the keys before have had their effect)."""

        def pending(node: MessagePump) -> int:
            # Messages queued or still being handled (a handler may be awaiting something,
            # its message already taken off the queue), and callbacks due after them.
            queue: asyncio.Queue[object] = node._message_queue
            unfinished = getattr(queue, "_unfinished_tasks", None)
            count = unfinished if isinstance(unfinished, int) else queue.qsize()
            return count + len(node._next_callbacks)

        queued: Iterable[object] = self._message_queue.values
        typed = sum(
            isinstance(message, events.Key) and not message.is_forwarded for message in queued
        )
        if pending(self) > typed:
            return False  # e.g. a key on its way up to the app's bindings
        self._key_barriers = [w for w in self._key_barriers if not w.is_finished]
        if self._key_barriers:
            return False  # a screen is being read before it opens
        try:
            screen = self.screen
        except Exception:  # no screen yet, or the app is closing
            return True
        if screen._callbacks:
            return False
        return all(
            node.is_mounted and not pending(node)
            for node in screen.walk_children(Widget, with_self=True)
        )

    async def _release_held_keys(self) -> None:
        """Send the held keys on one at a time, each once the one before has been handled."""
        loop = asyncio.get_running_loop()
        try:
            while self._held_keys and not self._closing:
                deadline = loop.time() + KEY_HOLD_LIMIT
                while loop.time() < deadline:
                    await asyncio.sleep(0)
                    if self._keys_settled():
                        await asyncio.sleep(0)  # settled twice in a row: nothing pending
                        if self._keys_settled():
                            break
                    await asyncio.sleep(0.001)
                key = self._held_keys.popleft()
                self._released_key = key
                if not self.post_message(key):
                    break
                while self._released_key is key and not self._closing:
                    await asyncio.sleep(0)
        finally:
            self._held_keys.clear()
            self._key_releaser = None

    def _apply_settings(self) -> None:
        """Use the user's keymap and theme; one warning line for each entry that cannot be used."""
        if self.settings is None:
            return
        from supplier_register.tui.keymap import check_keymap

        source = self.settings.path.name
        self.keymap, warnings = check_keymap(self.settings.keys, source)
        warnings = [*self.settings.problems, *warnings]
        if self.keymap:
            self.set_keymap(self.keymap)
        theme = self.settings.theme
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        elif theme is not None:
            warnings.append(f'{source} [tui]: theme "{theme}" is not a theme here; ignored')
        # "" when the file names an unknown theme: any theme chosen then replaces it.
        self._saved_theme = self.theme if theme is None or theme == self.theme else ""
        for warning in warnings:
            self.notify(warning, title="Settings", severity="warning", timeout=20)

    def watch_theme(self, theme: str) -> None:
        """Keep the theme chosen (ctrl+p, Change theme) in the configuration file (never when
        the register is open read-only: a board meeting's browser writes nothing)."""
        if (
            self.read_only
            or self.settings is None
            or self._saved_theme is None
            or theme == self._saved_theme
        ):
            return  # no configuration file, the start-up theme, or no change
        self._saved_theme = theme
        self._save_theme(self.settings)

    @work(thread=True, group="settings", exit_on_error=False)
    def _save_theme(self, settings: UiSettings) -> None:
        with self._theme_lock:  # writes one after the other, each of the latest theme chosen
            theme = self._saved_theme
            if theme is None:
                return
            try:
                keep_theme(settings, theme)
            except RegisterError as exc:
                self.notify(exc.message, title="Theme not kept", severity="warning", timeout=20)

    # ------------------------------------------------------------ read-only
    #
    # With ``read_only`` the actions that write (tui.readonly.WRITE_ACTIONS) leave the footer
    # and the palette (Textual asks ``_check_action_state`` for each binding shown) and are
    # refused in one line if run anyway; a screen that writes is never opened; and the
    # register's connections cannot write (storage.db), whatever else runs.

    def refuses(self, node: DOMNode, action: str) -> bool:
        """Whether ``action`` of ``node`` is a write refused because the register is read-only."""
        from supplier_register.tui.readonly import write_binding

        return self.read_only and write_binding(node, action) is not None

    def refuse_write(self) -> None:
        """The one line a write refused in read-only mode shows."""
        from supplier_register.tui.readonly import READ_ONLY_NOTICE

        self.notify(READ_ONLY_NOTICE, title="Read-only", severity="warning", timeout=5)

    def _check_action_state(self, action: str, default_namespace: DOMNode) -> bool | None:
        if self.refuses(default_namespace, action):
            return False
        return super()._check_action_state(action, default_namespace)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        if isinstance(action, str) and self.refuses(default_namespace or self, action):
            self.refuse_write()
            return True
        return await super().run_action(action, default_namespace, namespaces)

    if not TYPE_CHECKING:  # Textual's overloads are for callers; this only guards the push

        def push_screen(self, screen, *args, **kwargs):
            from supplier_register.tui.readonly import writes_register

            if self.read_only and writes_register(screen):
                from textual.widget import AwaitMount

                self.refuse_write()
                return AwaitMount(self.screen, [])
            return super().push_screen(screen, *args, **kwargs)

    def action_help(self) -> None:
        from supplier_register.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_board(self) -> None:
        from supplier_register.tui.screens.board import BoardScreen

        self._switch_to(BoardScreen)

    def action_review(self) -> None:
        from supplier_register.tui.screens.review import ReviewScreen

        self._switch_to(ReviewScreen)

    def action_people(self) -> None:
        from supplier_register.tui.screens.people import PeopleScreen

        self._switch_to(PeopleScreen)

    def action_services(self) -> None:
        from supplier_register.tui.screens.services import ServicesScreen

        self._switch_to(ServicesScreen)

    def action_concentration(self) -> None:
        from supplier_register.tui.screens.impact import ConcentrationScreen

        self._switch_to(ConcentrationScreen)

    def action_profile(self) -> None:
        """Edit the trust's profile (read first, then the form)."""
        from supplier_register.tui.screens.form import FormScreen
        from supplier_register.tui.screens.profile import edit_profile

        if not isinstance(self.screen, FormScreen):
            edit_profile(self)

    def action_trust_findings(self) -> None:
        """The trust's own findings in full."""
        from supplier_register.tui.screens.trust import TrustScreen

        self._switch_to(TrustScreen)

    def action_import_data(self) -> None:
        """Import a spreadsheet register or published contract data, previewed first."""
        from supplier_register.tui.screens.import_screen import DataImportScreen

        if not isinstance(self.screen, DataImportScreen):
            self.push_screen(DataImportScreen())

    def action_export(self) -> None:
        """Write the board paper, the risk summary, the register or the review pack to a file."""
        from supplier_register.tui.screens.export import ExportScreen

        if not isinstance(self.screen, ExportScreen):
            self.push_screen(ExportScreen())

    def action_deadlines(self) -> None:
        """What falls due when, soonest first, the overdue ones flagged."""
        from supplier_register.tui.screens.deadlines import DeadlinesScreen

        self._switch_to(DeadlinesScreen)

    def action_ics(self) -> None:
        """Partner trusts' shared files lined up with the register: joint procurement windows."""
        from supplier_register.tui.screens.ics import IcsScreen

        self._switch_to(IcsScreen)

    def _switch_to(self, screen_type: type[Screen[Any]]) -> None:
        """Show a top-level screen once: go back to it if open, else push it."""
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, screen_type):
                while len(self.screen_stack) > index + 1:
                    self.pop_screen()
                return
        self.push_screen(screen_type())

    def open_supplier(self, supplier_id: int) -> None:
        """Show one supplier's screen."""
        from supplier_register.tui.screens.supplier import SupplierScreen

        self.push_screen(SupplierScreen(supplier_id))

    def action_reload(self) -> None:
        self.reload()

    # --------------------------------------------------------- data access
    #
    # Workers read, score and write through the application layer
    # (``services.register_view``) and post a message from ``tui.messages``;
    # the handlers below apply it on the UI thread.  Reads are one exclusive
    # group ("load"): a newer read cancels an older one, and a message from a
    # cancelled worker is dropped, so an older read never replaces a newer one.

    def reload(self) -> None:
        """Read and score the register again in a worker thread."""
        self._load(frozenset(self._stale))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, refreshed: frozenset[int]) -> None:
        self._read_and_score(refreshed)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _open(self, rows: int) -> None:
        """At start-up: the first screen from the kept scores if they are current, then the rest.

        Reading the first rows takes milliseconds however large the register.
        The whole register is read once they (or, without them, the first frame)
        are painted: a worker reading tens of thousands of suppliers shares the
        interpreter with the UI thread and would slow that paint down.
        """
        worker = get_current_worker()
        first = read_first_screen(self.db_path, self.today, self.scoring, rows)
        painted = self._first_frame
        if first is not None:
            painted = threading.Event()
            self.post_message(FirstScreenRead(first, worker, painted))
        painted.wait(PAINT_WAIT)
        self._read_and_score(frozenset(), first)

    def on_first_screen_read(self, message: FirstScreenRead) -> None:
        painted = message.painted
        if message.worker.is_cancelled or self.snapshot is not None:
            painted.set()
            return  # the register itself is already here
        self.first_screen = message.first
        self.call_after_refresh(self._first_screen_painted, painted)
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen) and screen.is_mounted:
                screen.show_first_rows(message.first.rows, message.first.total)

    def _first_screen_painted(self, painted: threading.Event | None) -> None:
        self.first_screen_scored = True
        if painted is not None:
            painted.set()

    def _read_and_score(self, refreshed: frozenset[int], first: FirstScreen | None = None) -> None:
        """Read the records and post them at once, then score them and post the scores.

        Runs on a worker thread.  Reading is quick even for a large register;
        scoring takes longer, so until it finishes the screens keep the previous
        scores (marked as being recalculated) rather than waiting.  At start-up,
        the rows of the first screen (``first``) keep their scores meanwhile when
        nothing has changed since they were read.
        """
        worker = get_current_worker()
        try:
            records = read_records(self.db_path)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(LoadFailed(read_failure(exc, self.db_path)))
            return
        previous = self.snapshot
        earlier = previous.scores if previous is not None else None
        unchanged = first is not None and first.audit_mark == records.audit_mark
        provisional = first.overviews if unchanged and first is not None else ()
        snapshot = Snapshot.build(
            records, self.today, earlier, self.scoring, current=False, provisional=provisional
        )
        self.post_message(SnapshotRead(snapshot, worker, refreshed))
        if worker.is_cancelled:
            return
        try:
            scores = self.scoring.score_all(records, self.today)
        except Exception as exc:  # a scoring bug must not close the register on the user
            self.log.error("scoring failed", exc)
            self.post_message(ScoringFailed(f"{exc.__class__.__name__}: {exc}"))
            return
        self.post_message(
            SnapshotRead(
                Snapshot.build(records, self.today, scores, self.scoring), worker, refreshed
            )
        )

    def on_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.error
        self.notify(message.error, title="Cannot read the register", severity="error", timeout=10)

    def on_scoring_failed(self, message: ScoringFailed) -> None:
        self.notify(
            f"The register could not be scored ({message.error}); "
            "the suppliers are shown without scores.",
            title="Scoring failed",
            severity="error",
            timeout=15,
        )

    def on_snapshot_read(self, message: SnapshotRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer read or refresh has started since: its snapshot comes next
        snapshot = message.snapshot
        self._stale -= message.refreshed
        self.snapshot = snapshot
        self.first_screen = None
        if snapshot.scores_current and not self.first_screen_scored:
            self.call_after_refresh(self._first_screen_painted, None)
        if snapshot.scores_current:
            self._freeze_heap(snapshot)
        self._seen_mark = max(self._seen_mark, snapshot.records.audit_mark, message.seen)
        self.load_error = None
        self.title = (
            f"Supplier register · {display_text(snapshot.trust)}" if snapshot.trust else self.TITLE
        )
        from supplier_register.tui.screens.form import FormScreen

        for screen in self.screen_stack:
            if isinstance(screen, DataScreen) and screen.is_mounted:
                screen.show_snapshot(snapshot)
            elif isinstance(screen, FormScreen) and screen.is_mounted:
                screen.check_current(snapshot)

    def _freeze_heap(self, snapshot: Snapshot) -> None:
        """Once a large register is first scored, take what is alive out of the cyclic GC's sight.

        At 50,000 suppliers the rows, overviews and records are millions of objects
        that live as long as the app.  Python's full collections walk all of them,
        about half a second on the UI thread, in the middle of whatever key set one
        off.  ``gc.freeze`` moves them to a generation the collector never walks
        (reference counting still frees them when a later snapshot replaces them),
        and full passes then cost tens of milliseconds.  Done once, at start-up,
        when only the app and its register screen are alive: a screen frozen later
        and then closed would keep its reference cycles for good.
        """
        if self.heap_frozen or len(snapshot.suppliers) < FREEZE_FROM:
            return
        gc.freeze()
        self.heap_frozen = True

    def write(
        self,
        operation: Callable[[Repository], T],
        *,
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        saved: str | None = None,
        supplier: int | Callable[[T], int] | None = None,
    ) -> Worker[None]:
        """Run one write in a worker thread on its own connection, then refresh what it changed.

        ``done`` runs on the UI thread with the operation's result; a user error
        (``RegisterError``) goes to ``failed`` (or a notification) and nothing is
        changed, because every repository write is one transaction.  ``supplier``
        names the one supplier the write touched (an id, or a function of the
        result giving it); on a large register only that supplier is re-read and
        re-scored.  Without it the whole register is read and scored again.
        """
        self._writes_unread += 1
        return self._write(operation, done, failed, saved, supplier)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(
        self,
        operation: Callable[[Repository], Any],
        done: Callable[[Any], None] | None,
        failed: Failed | None,
        saved: str | None,
        supplier: int | Callable[[Any], int] | None,
    ) -> None:
        try:
            result = run_with_repository(self.db_path, operation)
        except RegisterError as exc:
            self.post_message(WriteFailed(exc, failed))
            return
        except sqlite3.Error as exc:
            error = storage_error(exc, self.db_path) or RegisterError(
                f"database: {exc}; nothing was changed"
            )
            self.post_message(WriteFailed(error, failed))
            return
        supplier_id = supplier(result) if callable(supplier) else supplier
        self.post_message(Written(result, done, saved, supplier_id))

    def on_written(self, message: Written) -> None:
        """Tell the screen, then refresh: the written supplier on a large register, else all.

        Suppliers written since the snapshot shown are kept in ``_stale`` until a
        snapshot holding their change arrives, so a refresh that cancels an
        earlier one (writes in quick succession) re-reads both suppliers.
        """
        self._writes_unread -= 1  # the refresh started below reads it
        if message.done is not None:
            message.done(message.result)
        if message.saved:
            self.notify(message.saved, timeout=3)
        previous = self.snapshot
        if (
            message.supplier is None
            or previous is None
            or previous.scores is None
            or not previous.scores_current
            or len(previous.suppliers) < self.incremental_from
        ):
            self._stale.clear()  # a full read holds every change made before it starts
            self._load(frozenset())
            return
        self._stale.add(message.supplier)
        self._refresh(previous, frozenset(self._stale))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _refresh(self, previous: Snapshot, supplier_ids: frozenset[int]) -> None:
        """Re-read and re-score only ``supplier_ids`` (else everything, when that is not enough)."""
        snapshot = refresh_suppliers(self.db_path, previous, supplier_ids, self.today)
        if snapshot is None:
            self._read_and_score(supplier_ids)
            return
        self.post_message(SnapshotRead(snapshot, get_current_worker(), supplier_ids))

    def on_write_failed(self, message: WriteFailed) -> None:
        self._writes_unread -= 1
        if message.failed is not None:
            message.failed(message.error)
        else:
            self.notify(message.error.message, title="Not saved", severity="error", timeout=10)

    def fetch(
        self, read: Callable[[], T], then: Callable[[T], None], *, hold_keys: bool = True
    ) -> Worker[None]:
        """Run ``read`` (an application-layer read) in a worker, then ``then(result)`` on the UI.

        With ``hold_keys`` (for a read that opens a screen), keys typed meanwhile wait
        for what ``then`` opens, rather than going to the screen behind it.
        """
        worker = self._fetch(read, then)
        if hold_keys:
            self._key_barriers.append(worker)
        return worker

    @work(thread=True, group="fetch", exit_on_error=False)
    def _fetch(self, read: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.post_message(Fetched(read(), then))

    def on_fetched(self, message: Fetched) -> None:
        message.then(message.result)

    # --------------------------------------------------------- live refresh
    #
    # Another program (a second TUI, the CLI) may change the register while it is
    # open.  Every ``live_refresh`` seconds a worker asks SQLite whether anybody
    # else has committed (``PRAGMA data_version``, next to nothing to read); if so,
    # the suppliers changed since the last entry of the audit log shown are read
    # again, as after a save (only they on a large register), the cursor staying
    # on its supplier, and an open form on a record changed or deleted meanwhile
    # says so.  Nothing of it runs on the UI thread.

    def _look_for_changes(self) -> None:
        self._watch_looks += 1
        self._catch_up()
        if self._watching is None or self._watching.is_finished:
            self._watching = self._watch_changes()

    @work(thread=True, group="watch", exit_on_error=False)
    def _watch_changes(self) -> None:
        if self._watch is None:
            return
        try:
            mark = self._watch.changed()
        except sqlite3.Error:
            return  # unreadable just now: the next look tries again (reads say why)
        if mark is not None:
            self.post_message(RegisterChanged(mark))

    def on_register_changed(self, message: RegisterChanged) -> None:
        self._db_mark = max(self._db_mark, message.mark)
        self._catch_up()

    def _catch_up(self) -> None:
        """Read what others changed since the register shown, unless a read or a write is
        under way (its snapshot may hold the change; if not, the next look sees it)."""
        previous = self.snapshot
        if previous is None or self._db_mark <= self._seen_mark or self._writes_unread:
            return  # a write's own refresh (started when it is told) reads the change
        if any(w.group in ("load", "write") and not w.is_finished for w in self.workers):
            return
        self._live_refresh(previous, self._seen_mark)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _live_refresh(self, previous: Snapshot, since: int) -> None:
        """Re-read the suppliers changed after audit entry ``since`` (everything when the
        register is small or something register-wide changed)."""
        try:
            changes = register_changes(self.db_path, since)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(LoadFailed(read_failure(exc, self.db_path)))
            return
        worker = get_current_worker()
        if changes.suppliers == frozenset():  # only the reviews: the screens read them again
            self.post_message(SnapshotRead(previous, worker, frozenset(), changes.mark))
            return
        if changes.suppliers is not None and len(previous.suppliers) >= self.incremental_from:
            snapshot = refresh_suppliers(self.db_path, previous, changes.suppliers, self.today)
            if snapshot is not None:
                self.post_message(SnapshotRead(snapshot, worker, frozenset(), changes.mark))
                return
        self._read_and_score(frozenset())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for a worker that raised (a bug: expected errors are messages).

        Textual posts a worker's state to the node that runs it and does not bubble
        it, so screens (``DataScreen``) hand theirs on to this handler.  The error
        is shown in one line and logged; the register stays open.
        """
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group == "write":
            self._writes_unread -= 1  # it will post no result: the watch may read again
        error = event.worker.error
        self.log.error("worker failed", event.worker.name, error)
        if isinstance(error, ValidationError):  # a stored record this release cannot read
            self.notify(unreadable_record(error).message, severity="error", timeout=15)
            return
        self.notify(
            f"{event.worker.group}: {error.__class__.__name__}: {error}",
            title="Something went wrong",
            severity="error",
            timeout=15,
        )


def location_warnings(path: Path) -> list[str]:
    """What the user must know about where the register lives before editing it."""
    warnings = []
    share = network_share_warning(path)
    if share:
        warnings.append(share)
    if path.exists() and not os.access(path, os.W_OK):
        warnings.append(f"{path} is read-only: you can look, but changes cannot be saved")
    return warnings


def run_app(
    db_path: Path,
    *,
    demo: bool = False,
    today: dt.date | None = None,
    config: Path | None = None,
    read_only: bool = False,
    scoring_config: ScoringConfig | None = None,
) -> None:
    """Open the TUI on a register database (the CLI's default command), with the user's keys
    and theme from ``config`` (default: the user configuration file), scoring with
    ``scoring_config`` (the trust's weights and thresholds, as every scoring command does);
    ``read_only``: no screen can write."""
    settings = user_settings(config)
    SupplierRegisterApp(
        db_path,
        demo=demo,
        today=today,
        settings=settings,
        read_only=read_only,
        scoring=Scoring(scoring_config),
    ).run()
