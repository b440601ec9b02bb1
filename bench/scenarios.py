"""The benchmark's datasets and scenarios; each scenario runs as ``python bench/scenarios.py NAME``.

``bench/run.py`` starts one process per scenario and size, so every scenario
begins with a cold heap and reports its own peak RSS.  A scenario repeats each
timed step ``--repeats`` times (after one untimed warm-up where that matters)
and writes ``{"metrics": {name: [seconds, ...]}, "rss_mb": ...}`` to ``--report``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import resource
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 26)
"""The day every benchmark scores on (the synthetic registers are dated around it)."""

TERMINAL = (120, 40)
"""Headless terminal size for the TUI scenarios."""

FILTER_QUERY = "vale heal"
"""Typed one key at a time then deleted: each keystroke re-filters the whole register."""


# ------------------------------------------------------------------ datasets


@dataclass
class Dataset:
    """A cached synthetic register: its JSON file, its database and its counts."""

    suppliers: int
    seed: int
    json: Path
    db: Path
    contracts: int
    answers: int
    repeats: int = 0


def _source_key() -> str:
    """Changes whenever the generator, the models or the question bank change.

    Not the schema: every scenario works on a copy of the database (see
    :func:`private_copy`), which the current code migrates when it opens it.
    """
    import supplier_register
    from supplier_register.domain import models
    from supplier_register.interchange import synthetic

    package = Path(supplier_register.__file__).parent
    digest = hashlib.sha256()
    for path in (
        Path(synthetic.__file__),
        Path(models.__file__),
        package / "scoring" / "question_bank.json",
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def ensure_dataset(
    suppliers: int,
    seed: int,
    cache_dir: Path,
    log: Callable[[str], None] = print,
    *,
    continuity: bool = False,
) -> Dataset:
    """The register of this size and seed, generated and imported once, then reused.

    With ``continuity``, the register also holds services, dependencies and exit facts
    (``generate_register(..., continuity=True)``), cached under a name of its own: only the
    impact scenario uses it, so every other row measures the same register as before.
    """
    from supplier_register.interchange import dump_register_json
    from supplier_register.interchange.synthetic import generate_register
    from supplier_register.storage import Repository, open_database

    cache_dir.mkdir(parents=True, exist_ok=True)
    kind = "-continuity" if continuity else ""
    stem = cache_dir / f"register-{suppliers}-seed{seed}{kind}-{_source_key()}"
    json_path, db_path, meta_path = (
        stem.with_suffix(".json"),
        stem.with_suffix(".db"),
        stem.with_suffix(".meta.json"),
    )
    if not (json_path.exists() and db_path.exists() and meta_path.exists()):
        start = time.perf_counter()
        register = (
            generate_register(suppliers, seed=seed, today=TODAY, continuity=True)
            if continuity
            else generate_register(suppliers, seed=seed, today=TODAY)
        )
        generated = time.perf_counter() - start
        partial = json_path.with_suffix(".json.partial")
        partial.write_text(dump_register_json(register), encoding="utf-8")
        partial.replace(json_path)
        partial_db = db_path.with_suffix(".db.partial")
        for leftover in cache_dir.glob(partial_db.name + "*"):
            leftover.unlink()
        start = time.perf_counter()
        db = open_database(partial_db)
        Repository(db).import_register(register)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to rename
        db.close()
        imported = time.perf_counter() - start
        partial_db.replace(db_path)
        meta = {"contracts": len(register.contracts), "answers": len(register.answers)}
        meta_path.write_text(json.dumps(meta))
        log(
            f"generated {suppliers:,} suppliers in {generated:.1f} s, imported in "
            f"{imported:.1f} s -> {db_path}"
        )
    meta = json.loads(meta_path.read_text())
    return Dataset(suppliers, seed, json_path, db_path, meta["contracts"], meta["answers"])


# ------------------------------------------------------------------- helpers


class Timings:
    """Named lists of durations in seconds."""

    def __init__(self) -> None:
        self.metrics: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        self.metrics.setdefault(name, []).append(seconds)

    @contextmanager
    def time(self, name: str, *, keep: bool = True) -> Iterator[None]:
        start = time.perf_counter()
        yield
        if keep:
            self.add(name, time.perf_counter() - start)


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (VmHWM on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


class Skipped(Exception):
    """The code this scenario measures is not in this checkout (yet)."""


def cli(*args: str) -> None:
    """Run one ``supplier-register`` command in this process; fail loudly on a non-zero exit."""
    import click

    from supplier_register.cli import main

    try:
        main.main(args=list(args), prog_name="supplier-register", standalone_mode=False)
    except click.exceptions.Exit as exc:
        if exc.exit_code:
            raise RuntimeError(
                f"supplier-register {' '.join(args)}: exit {exc.exit_code}"
            ) from None


def private_copy(db_path: str, workdir: str, name: str) -> str:
    """A copy of the cached register database for one scenario, so nothing it writes (the
    score cache, a migration) reaches the cached file or the next scenario."""
    target = Path(workdir) / f"{name}-{Path(db_path).name}"
    for leftover in target.parent.glob(target.name + "*"):
        leftover.unlink()
    shutil.copyfile(db_path, target)
    return str(target)


def migrate(db_path: str) -> None:
    """Bring a copy up to the current schema before anything is timed."""
    from supplier_register.storage import open_database

    open_database(db_path).close()


def clear_score_cache(db_path: str) -> None:
    """Forget the scores kept in the database, so the next run works every one out again."""
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        with conn:
            for table in ("score_cache_state", "score_cache"):
                if table in tables:
                    conn.execute(f"DELETE FROM {table}")
    finally:
        conn.close()


# ----------------------------------------------------------------- scenarios


def _raw_reader(db_path: str) -> Callable[[], int]:
    """The baseline: every row of every register table through plain ``sqlite3``."""

    def raw_read() -> int:
        conn = sqlite3.connect(db_path)
        try:
            return sum(
                len(conn.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("people", "suppliers", "contracts", "answers")
            )
        finally:
            conn.close()

    return raw_read


def scenario_score_db(opts: argparse.Namespace, t: Timings) -> None:
    """Streamed scoring of the database, as the TUI and the exports do it, against the raw read.

    Three ways: *cold*, every supplier worked out (``overview(cache=False)``,
    what the 3x target is judged on); *warm*, the same day again with the
    scores kept in the database current; and *next day*, each run a day after
    the one before, as a register opened every morning sees it.  In a process
    of its own, so its peak RSS is that of the scoring alone.
    """
    from supplier_register.storage import open_database

    try:
        from supplier_register.services.register_scoring import prepare_scoring
    except ImportError as exc:
        raise Skipped(f"no streamed scoring in this checkout ({exc})") from None

    def overview(day: dt.date, *, cache: bool) -> int:
        db = open_database(opts.db)
        try:
            with _as_the_cli_runs():  # as `supplier-register score` runs it
                return len(prepare_scoring(db, day).overview(cache=cache).suppliers)
        finally:
            db.close()

    raw_read = _raw_reader(opts.db)
    raw_read()  # warm the page cache
    for _ in range(opts.repeats):
        with t.time("raw_read"):
            raw_read()
        gc.collect()
        with t.time("db_overview"):
            count = overview(TODAY, cache=False)
        if count != opts.suppliers:
            raise AssertionError("streamed scoring missed suppliers")
        gc.collect()
    overview(TODAY, cache=True)  # writes the cache
    for _ in range(opts.repeats):
        gc.collect()
        with t.time("db_overview_warm"):
            count = overview(TODAY, cache=True)
        if count != opts.suppliers:
            raise AssertionError("cached scoring missed suppliers")
    for day in range(1, opts.repeats + 1):
        gc.collect()
        with t.time("db_overview_next_day"):
            count = overview(TODAY + dt.timedelta(days=day), cache=True)
        if count != opts.suppliers:
            raise AssertionError("cached scoring missed suppliers")


def _as_the_cli_runs() -> Any:
    """The garbage-collector policy a CLI command runs under (paused; ``runtime.gcpause``).

    The policy is applied at the entry points, so library calls timed here in-process get it
    the way ``supplier-register`` gives it to every command; older trees paused inside.
    """
    try:
        from supplier_register.runtime.gcpause import gc_paused
    except ImportError:
        return contextlib.nullcontext()
    return gc_paused()


def scenario_read_and_score(opts: argparse.Namespace, t: Timings) -> None:
    """Raw SQLite read, the repository load, scoring and the TUI snapshot, interleaved."""
    from supplier_register.storage import Repository, open_database

    # Scoring a register held whole in memory is the tests' reference implementation (the
    # application layer streams from the database); older trees had it in the package.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    try:
        from tests.support.oracles import overview_register, score_register
    except ImportError:
        from supplier_register.scoring import (  # type: ignore[attr-defined,no-redef]
            overview_register,
            score_register,
        )
    try:
        from supplier_register.services.register_view import load_snapshot
    except ImportError:
        try:  # a checkout from before the application layer (services/)
            from supplier_register.tui.data import load_snapshot  # type: ignore[no-redef]
        except ImportError:
            load_snapshot = None

    raw_read = _raw_reader(opts.db)
    raw_read()  # warm the page cache
    for _ in range(opts.repeats):
        with t.time("raw_read"):
            raw_read()
        db = open_database(opts.db)
        with _as_the_cli_runs(), t.time("load"):
            register = Repository(db).load_register()
        db.close()
        if score_register is not None:
            with _as_the_cli_runs(), t.time("score"):
                scores = score_register(register, today=TODAY)
            assert len(scores.suppliers) == opts.suppliers
            del scores
            gc.collect()
        if overview_register is not None:
            with _as_the_cli_runs(), t.time("overview"):
                overview = overview_register(register, today=TODAY)
            del overview
            gc.collect()
        del register
        gc.collect()
        if load_snapshot is not None:
            clear_score_cache(opts.db)  # cold: every supplier scored, as before the cache
            with t.time("load_score"):
                snapshot = load_snapshot(Path(opts.db), TODAY)
            assert len(snapshot.rows) == opts.suppliers
            del snapshot
            gc.collect()


async def _settle(pilot: Any) -> None:
    """Let every queued message run, then paint what changed (as the screen's update timer would).

    ``Pilot.pause()`` waits for the CPU to go idle in steps of 20 ms, which would
    swamp a keystroke, so this drains the message queues and then forces the
    screen update itself.
    """
    app = pilot.app
    for _ in range(100):
        await pilot._wait_for_screen()
        nodes = [app, *app.screen.walk_children(with_self=True)]
        # The register app holds a typed key until the keys before it have had their effect
        # (SupplierRegisterApp.on_event): a key still held has not been handled yet.
        holding = getattr(app, "_held_keys", None) or getattr(app, "_key_releaser", None)
        if not holding and not any(node._message_queue.qsize() for node in nodes):
            break
        if holding:
            await asyncio.sleep(0)
    app.screen._on_timer_update()


async def _send_key(pilot: Any, key: str) -> None:
    """Send one key event to the app's driver, as ``Pilot.press`` does, without waiting."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        char = key if len(key) == 1 else None
    event = events.Key(key, char)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)


async def _key(pilot: Any, key: str) -> None:
    """Press one key and wait until its effects are painted.

    ``Pilot.press`` sleeps at least 40 ms per key waiting for the CPU to go idle,
    more than the whole budget of a keystroke, so the key event is sent to the
    driver directly (as ``Pilot.press`` does) and then :func:`_settle` runs.
    """
    await _send_key(pilot, key)
    await _settle(pilot)


async def _until(condition: Callable[[], bool], timeout: float = 600.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the TUI did not reach the expected state")
        await asyncio.sleep(0.001)


@dataclass
class _Frame:
    start: float
    painted: float = 0.0


async def _open_screen(pilot: Any, key: str, current: Any) -> _Frame:
    """Press ``key`` to open a screen and return when the new screen was first painted.

    The callback goes in the new screen's queue as soon as it is pushed, behind
    its compose and mount: it runs after the first refresh that follows them, so
    the time includes whatever the screen does on the UI thread before that.
    """
    app = pilot.app
    frame = _Frame(time.perf_counter())
    await _send_key(pilot, key)
    await _until(lambda: app.screen is not current, timeout=60)
    screen = app.screen
    screen.call_after_refresh(lambda: setattr(frame, "painted", time.perf_counter()))
    while not frame.painted:
        await _settle(pilot)
        await asyncio.sleep(0.001)
    return frame


def _keys_of(text: str) -> list[str]:
    return ["space" if char == " " else char for char in text]


def _tui_app_class() -> Any:
    try:
        from supplier_register.tui.app import SupplierRegisterApp
    except ImportError as exc:
        raise Skipped(f"no TUI app in this checkout ({exc})") from None
    return SupplierRegisterApp


def _register_table(app: Any) -> Any:
    from supplier_register.tui.widgets.register_table import RegisterTable

    return app.screen.query_one(RegisterTable)


def _loaded(app: Any, suppliers: int, *, scored: bool = True) -> Callable[[], bool]:
    """True once the table lists every supplier (and, with ``scored``, shows current scores)."""

    def check() -> bool:
        snapshot = getattr(app, "snapshot", None)
        if snapshot is None:
            return False
        if scored and (
            getattr(snapshot, "scores", True) is None
            or not getattr(snapshot, "scores_current", True)
        ):
            return False
        try:
            return len(_register_table(app).rows) == suppliers
        except Exception:
            return False

    return check


def _first_screen(app: Any, suppliers: int) -> Callable[[], bool]:
    """True once the register's first screenful shows suppliers with their current scores.

    That is the whole register once it is loaded and scored, or earlier the
    first rows an app paints straight from the scores kept in the database
    (an app that can reports it as ``first_screen_scored``).
    """
    loaded = _loaded(app, suppliers)
    return lambda: bool(getattr(app, "first_screen_scored", False)) or loaded()


def scenario_tui_first_paint(opts: argparse.Namespace, t: Timings) -> None:
    """A bare Textual app and the register app, started alternately, each from scratch.

    The register app starts twice per round: with the scores kept in the
    database current (*warm*, the usual case: the last session, export or
    edit left them), and with them forgotten (*cold*).
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static

    app_class = _tui_app_class()

    class BareApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Hello")
            yield Footer()

    async def bare(keep: bool) -> None:
        start = time.perf_counter()
        app = BareApp()
        async with app.run_test(size=TERMINAL) as pilot:
            await _settle(pilot)
            if keep:
                t.add("bare", time.perf_counter() - start)

    async def register(keep: bool, *, cold: bool) -> None:
        suffix = "_cold" if cold else ""
        if cold:
            clear_score_cache(opts.db)
        start = time.perf_counter()
        app = app_class(Path(opts.db), today=TODAY)
        async with app.run_test(size=TERMINAL) as pilot:
            await _settle(pilot)
            if keep:
                t.add("first_frame" + suffix, time.perf_counter() - start)
            # The milestones come in a different order warm (first screen, then the listing)
            # and cold (the listing, then everything scored at once): each is timed when it
            # first holds and has been painted, all watched together.
            milestones = {
                "first_screen": _first_screen(app, opts.suppliers),
                "register_listed": _loaded(app, opts.suppliers, scored=False),
                "register_shown": _loaded(app, opts.suppliers),
            }
            reached: dict[str, float] = {}
            while len(reached) < len(milestones):
                for name, condition in milestones.items():
                    if name not in reached and condition():
                        await _settle(pilot)  # and painted
                        reached[name] = time.perf_counter() - start
                if time.perf_counter() - start > 600:
                    raise TimeoutError("the TUI did not reach the expected state")
                await asyncio.sleep(0.001)
            if keep:
                for name, seconds in reached.items():
                    t.add(name + suffix, seconds)
            # Let the app finish writing the score cache before the next start reads it.
            await app.workers.wait_for_complete()

    async def main() -> None:
        for i in range(opts.repeats + 1):
            await bare(keep=i > 0)
            gc.collect()
            await register(keep=i > 0, cold=False)
            gc.collect()
            await register(keep=i > 0, cold=True)
            gc.collect()

    asyncio.run(main())


def scenario_tui_interact(opts: argparse.Namespace, t: Timings) -> None:
    """Filter keystrokes, sort by score, page down and opening a supplier, on one loaded app.

    The same keystrokes typed into a bare app's Input, in the same process, are
    the baseline: what Textual and this harness cost for a key however large the
    register.
    """
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    app_class = _tui_app_class()

    class BareInput(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    async def timed_key(pilot: Any, key: str, name: str | None) -> None:
        start = time.perf_counter()
        await _key(pilot, key)
        if name is not None:
            t.add(name, time.perf_counter() - start)

    async def bare() -> None:
        app = BareInput()
        async with app.run_test(size=TERMINAL) as pilot:
            await _settle(pilot)
            for i in range(opts.repeats + 1):
                keep = "bare_key" if i > 0 else None
                for key in _keys_of(FILTER_QUERY):
                    await timed_key(pilot, key, keep)
                for _ in FILTER_QUERY:
                    await timed_key(pilot, "backspace", keep)

    async def register() -> None:
        app = app_class(Path(opts.db), today=TODAY)
        async with app.run_test(size=TERMINAL) as pilot:
            await _until(_loaded(app, opts.suppliers))
            # A first start writes the scores it worked out into the database, in a worker: let
            # it finish, so each key is timed on an app doing nothing else.
            await app.workers.wait_for_complete()
            await _settle(pilot)
            table = _register_table(app)
            register_screen = app.screen
            total = table.row_count

            # Filter: type the query one key at a time, then delete it again.
            await timed_key(pilot, "slash", None)
            for i in range(opts.repeats + 1):
                keep = "filter" if i > 0 else None
                for key in _keys_of(FILTER_QUERY):
                    await timed_key(pilot, key, keep)
                if table.row_count >= total and opts.suppliers >= 100:
                    raise AssertionError(f"filter {FILTER_QUERY!r} did not narrow the table")
                for _ in FILTER_QUERY:
                    await timed_key(pilot, "backspace", keep)
                try:  # the last key's filter may still be applying on a loaded machine
                    await _until(lambda: table.row_count == total, timeout=10.0)
                except TimeoutError:
                    raise AssertionError("clearing the filter did not show every row") from None
            await timed_key(pilot, "escape", None)
            table.focus()
            await _settle(pilot)

            # Sort by score, each time from scratch (the table caches each order it has made).
            for i in range(opts.repeats + 1):
                table._sorted.clear()
                await timed_key(pilot, "4", "sort_score" if i > 0 else None)
                try:  # a key typed while the app is busy is held until it is idle, then acted on
                    await _until(lambda: table.sort_key == "score", timeout=10.0)
                except TimeoutError:
                    raise AssertionError("key 4 did not sort by score") from None

            # Page down from the top.
            await timed_key(pilot, "home", None)
            for i in range(opts.repeats * 4 + 1):
                await timed_key(pilot, "pagedown", "page_down" if i > 0 else None)

            # Open the supplier under the cursor (first frame, then filled), then go back.
            for i in range(opts.repeats + 1):
                frame = await _open_screen(pilot, "enter", register_screen)
                start = frame.start
                # Filled: an app that reads the supplier in a worker keeps it in ``view``.
                await _until(lambda: getattr(app.screen, "view", True) is not None, timeout=60)
                await _settle(pilot)
                if i > 0:
                    t.add("open_supplier_frame", frame.painted - start)
                    t.add("open_supplier", time.perf_counter() - start)
                await _key(pilot, "escape")
                await _until(lambda: app.screen is register_screen, timeout=60)
                await _settle(pilot)

    async def main() -> None:
        await bare()
        gc.collect()
        await register()

    asyncio.run(main())


def _export(fmt: str) -> Callable[[argparse.Namespace, Timings], None]:
    def scenario(opts: argparse.Namespace, t: Timings) -> None:
        import click

        out = Path(opts.workdir) / f"export-{opts.suppliers}.{fmt}"
        args = ["--db", opts.db, "export", "--format", fmt, "--out", str(out), "--force"]
        if fmt != "json":
            args += ["--today", TODAY.isoformat()]
        try:
            cli(*args)  # warm-up (writes the score cache), and a check that this format exists
        except click.exceptions.UsageError as exc:
            raise Skipped(f"no {fmt} export in this checkout ({exc.format_message()})") from None
        for _ in range(opts.repeats):
            with t.time(fmt):
                cli(*args)
            gc.collect()
        if fmt != "json":  # the interchange JSON scores nothing
            for _ in range(opts.repeats):
                clear_score_cache(opts.db)
                with t.time(fmt + "_cold"):
                    cli(*args)
                gc.collect()
        out.unlink()

    scenario.__doc__ = (
        f"``supplier-register export --format {fmt}`` of the whole register, with the scores "
        "kept in the database current and (for the risk summaries) with them forgotten."
    )
    return scenario


def scenario_import_json(opts: argparse.Namespace, t: Timings) -> None:
    """``supplier-register import`` of the register's JSON into a new database."""
    for i in range(opts.repeats):
        db = Path(opts.workdir) / f"import-{opts.suppliers}-{i}.db"
        with t.time("import"):
            cli("--db", str(db), "import", opts.json)
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
        gc.collect()


OCDS_FILES = 400
_OCDS_METHODS = (
    ("open", "Open procedure"),
    ("selective", "Restricted procedure"),
    ("limited", "Competitive quotation (below threshold)"),
    ("limited", "Call off from a framework agreement with further competition"),
    ("limited", "Single tender action (below threshold)"),
)


def write_ocds_release_files(folder: Path, count: int = OCDS_FILES) -> list[Path]:
    """``count`` OCDS release files of one trust, as Contracts Finder publishes them (one
    release a file): 150 suppliers with Companies House numbers, five procedures, and every
    tenth file a re-issue of the notice before it with a new award id and a later date."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        process = i - 1 if i % 10 == 0 and i else i
        number = f"{process % 150:08d}"
        supplier = {"id": f"GB-COH-{number}", "name": f"Bench Supplier {process % 150} Ltd"}
        method, details = _OCDS_METHODS[process % len(_OCDS_METHODS)]
        release = {
            "ocid": f"ocds-bench-{process:04d}",
            "id": f"ocds-bench-{process:04d}-{i}",
            "date": (dt.datetime(2025, 1, 1, 9) + dt.timedelta(hours=i)).isoformat() + "Z",
            "tag": ["award"],
            "buyer": {"id": "GB-NHS-RNV", "name": "Northmoor Valley NHS Foundation Trust"},
            "parties": [
                {
                    "id": "GB-NHS-RNV",
                    "name": "Northmoor Valley NHS Foundation Trust",
                    "roles": ["buyer"],
                },
                {
                    **supplier,
                    "identifier": {"scheme": "GB-COH", "id": number},
                    "roles": ["supplier"],
                },
            ],
            "tender": {
                "title": f"Bench service {process}",
                "procurementMethod": method,
                "procurementMethodDetails": details,
            },
            "awards": [
                {
                    "id": f"{process}-{i}",
                    "status": "active",
                    "value": {"amount": 1000 + i, "currency": "GBP"},
                    "contractPeriod": {"startDate": "2025-04-01", "endDate": "2028-03-31"},
                    "suppliers": [supplier],
                }
            ],
        }
        path = folder / f"release-{i:04d}.json"
        path.write_text(json.dumps(release), encoding="utf-8")
        paths.append(path)
    return paths


def scenario_import_ocds(opts: argparse.Namespace, t: Timings) -> None:
    """``supplier-register import-ocds`` of 400 release files in one call (a folder), into a
    new database; and once into a copy of the register of this size."""
    folder = Path(opts.workdir) / "ocds-releases"
    shutil.rmtree(folder, ignore_errors=True)
    write_ocds_release_files(folder)
    for i in range(opts.repeats):
        db = Path(opts.workdir) / f"import-ocds-{opts.suppliers}-{i}.db"
        with t.time("ocds_files"):
            cli("--db", str(db), "import-ocds", str(folder))
        for path in db.parent.glob(db.name + "*"):
            path.unlink()
        gc.collect()
    with t.time("ocds_files_register"):
        cli("--db", opts.db, "import-ocds", str(folder))
    shutil.rmtree(folder)


def _worst_cases(db_path: str) -> tuple[int, int]:
    """The supplier at the bottom of the deepest dependency chain (most suppliers above it
    among those) and the hosting provider most suppliers depend on directly."""
    from collections import defaultdict

    conn = sqlite3.connect(db_path)
    try:
        links = conn.execute("SELECT supplier_id, depends_on_id, kind FROM dependencies").fetchall()
    finally:
        conn.close()
    if not links:
        raise Skipped("the register has no dependencies")
    above: dict[int, list[int]] = defaultdict(list)
    hosted: dict[int, int] = defaultdict(int)
    for supplier_id, depends_on_id, kind in links:
        above[depends_on_id].append(supplier_id)
        hosted[depends_on_id] += kind == "hosting"

    def reach(start: int) -> tuple[int, int]:
        seen, frontier, depth = {start}, [start], 0
        while frontier:
            frontier = [up for node in frontier for up in above[node] if up not in seen]
            seen.update(frontier)
            depth += bool(frontier)
        return depth, len(seen) - 1

    reached = {supplier_id: reach(supplier_id) for supplier_id in list(above)}
    bottom = max(reached, key=lambda i: (*reached[i], -i))
    host = max(above, key=lambda i: (hosted[i], len(above[i]), -i))
    return bottom, host


def scenario_impact(opts: argparse.Namespace, t: Timings) -> None:
    """The impact view of the worst-placed suppliers and the concentration view, against raw reads.

    On the register with services and dependencies (ten services per strategic supplier,
    chains five deep).  *Impact* is what the TUI's worker and ``supplier-register impact``
    run: open the register, read what a failure of the supplier reaches, work out what
    stops; once for the supplier at the bottom of a five-deep chain and once for the
    hosting provider most suppliers depend on.  The baseline for both is a raw ``sqlite3``
    read of that supplier's own row, contracts and direct dependents (a point lookup);
    the concentration view (the whole register) is set against the raw read of every row.
    """
    import io

    try:
        from supplier_register.services.impact import read_concentration, read_supplier_impact
    except ImportError as exc:
        raise Skipped(f"no impact view in this checkout ({exc})") from None
    bottom, host = _worst_cases(opts.db)

    def raw_lookup() -> int:
        conn = sqlite3.connect(opts.db)
        try:
            return sum(
                len(conn.execute(sql, [bottom]).fetchall())
                for sql in (
                    "SELECT * FROM suppliers WHERE id = ?",
                    "SELECT * FROM contracts WHERE supplier_id = ?",
                    "SELECT * FROM dependencies WHERE depends_on_id = ?",
                )
            )
        finally:
            conn.close()

    def raw_read() -> int:
        conn = sqlite3.connect(opts.db)
        try:
            return sum(
                len(conn.execute(f"SELECT * FROM {table}").fetchall())
                for table in (
                    "people",
                    "suppliers",
                    "contracts",
                    "answers",
                    "services",
                    "contract_services",
                    "dependencies",
                )
            )
        finally:
            conn.close()

    def impact(supplier_id: int) -> Any:
        with _as_the_cli_runs():
            return read_supplier_impact(Path(opts.db), supplier_id, TODAY)

    deepest = impact(bottom)  # warm-up, and a check that the chain really is five deep
    if deepest is None or max((len(d.path) for d in deepest.dependents), default=0) < 6:
        raise AssertionError("the bottom supplier's impact does not reach five links up")
    name = deepest.supplier
    impact(host)
    raw_lookup()
    raw_read()
    for _ in range(opts.repeats):
        gc.collect()
        with t.time("raw_lookup"):
            raw_lookup()
        with t.time("impact_bottom"):
            impact(bottom)
        with t.time("impact_host"):
            impact(host)
        out = io.StringIO()
        with t.time("impact_cli"), contextlib.redirect_stdout(out):
            cli("--db", opts.db, "impact", name, "--format", "json", "--today", TODAY.isoformat())
        if f'"supplier": {json.dumps(name)}' not in out.getvalue():
            raise AssertionError("supplier-register impact printed no impact")
        gc.collect()
        with t.time("raw_read"):
            raw_read()
        with t.time("concentration"), _as_the_cli_runs():
            rows = read_concentration(Path(opts.db), TODAY)
        if not rows:
            raise AssertionError("the concentration view is empty")


SMOKE_BELOW = 1_000
"""A register smaller than this is the benchmark's smoke test: the ICS pools are cut to 6 files
of 30 suppliers, so the test checks every step in seconds (the figures mean nothing then)."""

ICS_POOLS = (
    ("national", 200, 250, True),
    ("national_no_answers", 200, 250, False),
    ("ics", 10, 400, True),
)
"""The ICS view's pools of shared files: (metric, trusts, suppliers per trust, with answers)."""


def scenario_ics(opts: argparse.Namespace, t: Timings) -> None:
    """The ICS view (``services.ics.ics_view``: read, check and match every supplier of every
    file, find the joint windows) over a national pool of 200 shared files of 250 suppliers
    (and the same files without their answers) and an ICS of 10 files of 400, with the
    collector paused as the CLI runs; the CLI's ``ics --format json --out`` of the national
    pool; and the TUI's ICS screen reading the national pool with the register as this trust
    (:func:`_ics_screen`).  The register size hardly matters: run once, at the first size.

    The files are synthetic (``interchange/share_synthetic.py``, seed 1), written as
    ``export --format share`` writes them: 40% of each trust's suppliers come from a
    national pool spelt in different ways, so matching by company number, by identifier
    and by name is exercised and joint windows are found; about 1.5 contracts and six
    answers a supplier.
    """
    from supplier_register.interchange.share_synthetic import write_share_pool
    from supplier_register.runtime.gcpause import gc_paused
    from supplier_register.services.ics import ics_view

    for metric, trusts, suppliers, answers in ICS_POOLS:
        if opts.suppliers < SMOKE_BELOW:
            # The smoke test (tests/cli/test_bench.py): every step, on small pools.
            trusts, suppliers = min(trusts, 6), min(suppliers, 30)
        folder = Path(opts.workdir) / f"ics-{metric}"
        shutil.rmtree(folder, ignore_errors=True)
        write_share_pool(folder, trusts, suppliers, seed=1, today=TODAY, answers=answers)
        for i in range(opts.repeats + 1):
            gc.collect()
            with gc_paused(), t.time(metric, keep=i > 0):
                view = ics_view([folder], TODAY)
            del view
        if metric == "national":
            _ics_screen(opts, t, folder)
            out = Path(opts.workdir) / "ics-national.json"
            for _ in range(opts.repeats):
                with t.time("national_cli"):
                    cli(
                        "ics",
                        str(folder),
                        "--format",
                        "json",
                        "--today",
                        TODAY.isoformat(),
                        "--out",
                        str(out),
                        "--force",
                    )
            out.unlink()
        shutil.rmtree(folder)


def _ics_screen(opts: argparse.Namespace, t: Timings, folder: Path) -> None:
    """The ICS screen reading the national pool in ``folder`` with the benchmark's register as
    this trust (metric ``tui_national``): from ``J`` pressed on the register, the folder
    proposed (``$SUPPLIER_REGISTER_ICS_FOLDER``) and ``enter`` pressed as soon as the screen
    is up, to the table filled with the matched suppliers and painted.  The app is started
    afresh each time and its register loaded and scored first."""
    app_class = _tui_app_class()

    async def once(keep: bool) -> None:
        app = app_class(Path(opts.db), today=TODAY, live_refresh=None)
        async with app.run_test(size=TERMINAL) as pilot:
            await _until(lambda: app.snapshot is not None and app.snapshot.scores_current)
            await app.workers.wait_for_complete()
            await _settle(pilot)
            register = app.screen
            start = time.perf_counter()
            await _send_key(pilot, "J")
            await _until(lambda: app.screen is not register, timeout=60)
            screen = app.screen
            await _send_key(pilot, "enter")
            # Polled every 10 ms, not 1: the UI thread waking every millisecond takes the GIL
            # from the worker reading the files far more than an idle TUI ever does.
            while not screen.first_filled:
                if time.perf_counter() - start > 120:
                    raise TimeoutError("the ICS screen did not fill its table")
                await asyncio.sleep(0.01)
            await _settle(pilot)
            if keep:
                t.add("tui_national", time.perf_counter() - start)
            if not screen.table.row_count:
                raise AssertionError("the ICS screen shows no supplier")

    async def main() -> None:
        for i in range(opts.repeats + 1):
            gc.collect()
            await once(keep=i > 0)

    os.environ["SUPPLIER_REGISTER_ICS_FOLDER"] = str(folder)
    try:
        asyncio.run(main())
    finally:
        del os.environ["SUPPLIER_REGISTER_ICS_FOLDER"]


SCENARIOS: dict[str, Callable[[argparse.Namespace, Timings], None]] = {
    "read_and_score": scenario_read_and_score,
    "score_db": scenario_score_db,
    "tui_first_paint": scenario_tui_first_paint,
    "tui_interact": scenario_tui_interact,
    "export_json": _export("json"),
    "export_csv": _export("csv"),
    "export_html": _export("html"),
    "export_xlsx": _export("xlsx"),
    "import_json": scenario_import_json,
    "import_ocds": scenario_import_ocds,
    "impact": scenario_impact,
    "ics": scenario_ics,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one benchmark scenario (see bench/run.py).")
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--suppliers", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--report", type=Path, required=True)
    opts = parser.parse_args(argv)
    os.environ.pop("SUPPLIER_REGISTER_DB", None)
    timings = Timings()
    report: dict[str, Any] = {}
    opts.db = private_copy(opts.db, opts.workdir, opts.scenario)
    migrate(opts.db)
    try:
        SCENARIOS[opts.scenario](opts, timings)
    except Skipped as exc:
        report["skipped"] = str(exc)
    finally:
        for path in Path(opts.workdir).glob(Path(opts.db).stem + "*"):  # sidecars, backups
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    report["metrics"] = timings.metrics
    report["rss_mb"] = peak_rss_mb()
    opts.report.write_text(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
