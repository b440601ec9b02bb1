"""The ``supplier-register`` command group and what every command shares.

The group (``main``), the per-call state (which register), the one-line error handling,
writing ``--out`` safely, and the shared options and bounded types (``--today`` and other
dates, whole numbers, text, ``audit --since``), which keep every value within
``domain.bounds`` and refuse anything else in one line naming the option.

With no subcommand it opens the TUI.  Every user error is printed as one line
on stderr with exit code 2, and the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console

from supplier_register import __version__
from supplier_register.domain.bounds import SQLITE_INT_MAX, date_problem
from supplier_register.domain.errors import (
    BadFile,
    InvalidInput,
    RegisterError,
    unreadable_record,
)
from supplier_register.domain.textsafety import json_controls
from supplier_register.runtime.gcpause import gc_paused
from supplier_register.services.register import (
    Repository,
    default_db_path,
    ensure_register,
    make_demo_register,
    network_share_warning,
    open_read_only,
    open_register,
    preview_register,
    release_read_only,
    storage_error,
    write_output_file,
)
from supplier_register.services.register import (
    check_output as check_output_file,
)

if TYPE_CHECKING:
    pass

F = TypeVar("F", bound=Callable[..., Any])
MAX_PROBLEM_LINES = 20


if TYPE_CHECKING:
    _DateParam = click.ParamType[dt.date, str | dt.date]
else:  # ParamType is generic only in newer click releases
    _DateParam = click.ParamType


class IsoDate(_DateParam):
    """A YYYY-MM-DD date; a bad one is a one-line user error naming the option."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: str | dt.date, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        label = f"--{param.name}" if param is not None and param.name else "date"
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidInput([f"{label}: {value!r} is not a date like 2026-11-26"]) from None
        problem = date_problem(day)  # the register's window: 1900 to 2200
        if problem:
            raise InvalidInput([f"{label}: {day.isoformat()} {problem}"])
        return day


ISO_DATE = IsoDate()


class EntryDate(_DateParam):
    """A date written as the forms and the spreadsheet importer take it: ``31/03/2027``,
    ``31 March 2027`` or ``2027-03-31`` (day first; ``services.entry``)."""

    name = "DATE"

    def convert(
        self, value: str | dt.date, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from supplier_register.services.entry import read_date

        try:
            return read_date(str(value))
        except ValueError as exc:
            raise InvalidInput([f"{_param_label(param)}: {exc}"]) from None


DATE = EntryDate()


def _param_label(param: click.Parameter | None) -> str:
    """How the user wrote the parameter: '--top', or an argument's metavar ('ID')."""
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    if param is not None:
        return param.metavar or (param.name or "value").upper()
    return "value"


class WholeNumber(click.IntRange):
    """A whole number from ``low`` to ``high``; anything else is one line naming the option.

    Every integer the CLI takes is bounded, so no value reaches SQLite (whose
    INTEGER is 64-bit) or the date arithmetic out of range.
    """

    def __init__(self, low: int, high: int) -> None:
        super().__init__(low, high)  # click shows the range in --help
        self.low, self.high = low, high

    def convert(
        self, value: str | int, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        label = _param_label(param)
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):
                shown = text if len(text) <= 40 else text[:40] + "..."
                raise InvalidInput([f"{label}: {shown!r} is not a whole number"])
            number = int(text)
        if not self.low <= number <= self.high:
            raise InvalidInput([f"{label}: {number} is not between {self.low:,} and {self.high:,}"])
        return number

    def __repr__(self) -> str:
        return f"WholeNumber({self.low}, {self.high})"


RECORD_ID = WholeNumber(1, SQLITE_INT_MAX)
"""A record's id: SQLite's INTEGER PRIMARY KEY is positive and 64-bit."""
COUNT_LIMIT = 1_000_000
"""The most of anything a count option asks for (more than any register holds)."""


def count(low: int = 0, high: int = COUNT_LIMIT) -> WholeNumber:
    """A count option (``--top``, ``--notes``), bounded so it can reach SQLite and slices."""
    return WholeNumber(low, high)


if TYPE_CHECKING:
    _TextParam = click.ParamType[str, str]
else:
    _TextParam = click.ParamType


class PlainText(_TextParam):
    """Text as typed; bytes that are not UTF-8 (which reach Python as lone surrogates and
    cannot be stored or printed) are one line naming the option."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput([f"{_param_label(param)}: not UTF-8 text"]) from None
        return text


TEXT = PlainText()


class AuditSince(_TextParam):
    """``audit --since``: a date or ISO date-time within the register's window, kept as typed.

    ``storage.audit.parse_since`` reads it; the window keeps its conversion to
    UTC from running off the calendar (``0001-01-01T00:00+05:00``).
    """

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from supplier_register.services.register import parse_since

        text = str(value)
        try:
            day: dt.date | None = dt.date.fromisoformat(text.strip()[:10])
        except ValueError:
            day = None  # not a date at all: parse_since says so below
        problem = date_problem(day) if day is not None else None
        if day is not None and problem:
            raise InvalidInput([f"--since: {day.isoformat()} {problem}"])
        try:
            parse_since(text)
        except ValueError as exc:
            raise InvalidInput([f"--since: {exc}"]) from None
        return text


AUDIT_SINCE = AuditSince()


def today_option(help_text: str = "Act as on this day (default: today).") -> Callable[[F], F]:
    """The ``--today YYYY-MM-DD`` option every date-dependent command takes."""
    return click.option("--today", type=ISO_DATE, default=None, help=help_text)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SUPPLIER_REGISTER_SCORING",
    help="TOML file overriding scoring weights and thresholds "
    "(default: $SUPPLIER_REGISTER_SCORING, else the built-in defaults).",
)
"""The ``--config FILE`` option of every command that scores the register."""


def out_options(help_text: str = "File to write (default: stdout).") -> Callable[[F], F]:
    """The ``--out FILE`` and ``--force`` options of every command that writes a file."""

    def decorate(command: F) -> F:
        command = click.option("--force", is_flag=True, help="Overwrite --out if it exists.")(
            command
        )
        return click.option(
            "--out", type=click.Path(dir_okay=False, path_type=Path), help=help_text
        )(command)

    return decorate


def resolve_today(today: dt.date | None) -> dt.date:
    """``--today`` or, when not given, the real date (the only place the CLI reads the clock)."""
    return today or dt.date.today()


def one_line(text: str) -> str:
    """``text`` with line breaks, terminal control codes and bidi overrides shown escaped.

    Error messages quote what the user supplied (field names, values); escaping
    keeps each message on one line and stops a crafted value from sending
    escape sequences to the terminal or reordering the text around it.
    """
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Cs")
        else ch
        for ch in text
    )


def err(message: str) -> None:
    """Print one user-facing error line on stderr."""
    click.echo(f"error: {one_line(message)}", err=True)


class RegisterGroup(click.Group):
    """A click group that turns every user error into one line and exit code 2.

    That covers the register's own errors, click's usage errors (an unknown
    option, a value not among the choices), which click would print with its
    usage block, and operating-system refusals of a file the user named.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage_error(exc, ctx)
            raise  # unreachable: _usage_error exits

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            _usage_error(exc, ctx)
        except InvalidInput as exc:
            shown = exc.problems[:MAX_PROBLEM_LINES]
            for problem in shown:
                err(problem)
            if len(exc.problems) > len(shown):
                err(
                    f"... and {len(exc.problems) - len(shown)} more problem(s); nothing was changed"
                )
            ctx.exit(exc.exit_code)
        except RegisterError as exc:
            exc = _naming_register(exc, ctx)
            err(exc.message)
            ctx.exit(exc.exit_code)
        except sqlite3.DatabaseError as exc:
            # busy, read-only, full disk, damaged file: one line, never a traceback
            mapped = storage_error(exc, _register_path(ctx))
            if mapped is None:
                raise
            err(mapped.message)
            ctx.exit(mapped.exit_code)
        except ValidationError as exc:  # read from the register: see unreadable_record
            unreadable = unreadable_record(exc)
            err(unreadable.message)
            ctx.exit(unreadable.exit_code)
        except OSError as exc:
            # a file the user named that the system refuses (name too long, not allowed, ...)
            if exc.strerror is None:
                raise
            named = f"{exc.filename}: " if exc.filename is not None else ""
            err(f"{named}{exc.strerror}; nothing was changed")
            ctx.exit(2)
        except KeyboardInterrupt:
            err("interrupted; nothing was changed")
            ctx.exit(130)


def _usage_error(exc: click.UsageError, ctx: click.Context) -> None:
    """Print a usage error as one line naming the help to read, and exit with code 2."""
    where = (exc.ctx or ctx).command_path
    message = " ".join(exc.format_message().split())  # click lists choices on lines of their own
    err(f"{message} (see '{where} --help')")
    ctx.exit(2)


def _naming_register(exc: RegisterError, ctx: click.Context) -> RegisterError:
    """A damaged-register error found inside a transaction, with the file named."""
    from supplier_register.services.register import DamagedRegister

    return exc.at(_register_path(ctx)) if isinstance(exc, DamagedRegister) else exc


def _register_path(ctx: click.Context) -> Path:
    """The register the command was working on, to name it in an error."""
    state = ctx.find_object(State)
    if state is not None and state.resolved is not None:
        return state.resolved
    return state.db_option if state is not None and state.db_option else default_db_path()


class State:
    """Options shared by every command: which database, and whether it is the demo copy."""

    def __init__(self, db: Path | None, demo: bool, read_only: bool = False) -> None:
        self.db_option = db
        self.demo = demo
        self.read_only = read_only
        """``--read-only``: the register is opened so that nothing can write it."""
        self._demo_dir: str | None = None
        self._demo_db: Path | None = None
        self.resolved: Path | None = None
        """The database last named by :attr:`db_path`."""

    @property
    def db_path(self) -> Path:
        """The database to use: a throw-away sample copy with --demo, else --db or the default
        (opened read-only from here on with --read-only)."""
        self.resolved = self._db_path()
        if self.read_only:
            open_read_only(self.resolved)
        return self.resolved

    def _db_path(self) -> Path:
        if self.demo:
            if self._demo_db is None:
                self._demo_db = make_demo_register()
                self._demo_dir = str(self._demo_db.parent)
            return self._demo_db
        if self.db_option is not None:
            return self.db_option
        path = default_db_path()
        # The default folder is ours to create; a folder named with --db must already exist.
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise BadFile(f"cannot create the data folder {path.parent}: {exc.strerror}") from None
        return path

    def registers(self) -> list[Path]:
        """Registers no output may overwrite: this command's (--db, else the default) and,
        with --demo, the throw-away copy as well as the user's own."""
        paths = [self.db_option if self.db_option is not None else default_db_path()]
        return paths + ([self._demo_db] if self._demo_db is not None else [])

    def cleanup(self) -> None:
        if self.read_only and self.resolved is not None:
            release_read_only(self.resolved)
        if self._demo_dir:
            shutil.rmtree(self._demo_dir, ignore_errors=True)

    @contextmanager
    def repository(self, *, create: bool = True) -> Iterator[Repository]:
        warn_location(self.db_path)
        with open_register(self.db_path, create=create) as repo:
            yield repo

    @contextmanager
    def preview_repository(self) -> Iterator[Repository]:
        """A private copy of the register for a dry run: the file is neither created,
        migrated nor changed."""
        warn_location(self.db_path)
        with preview_register(self.db_path) as repo:
            yield repo


pass_state = click.make_pass_decorator(State)


def warn_location(path: Path) -> None:
    """Warn on stderr when the database is somewhere SQLite cannot share safely."""
    warning = network_share_warning(path)
    if warning:
        click.echo(f"warning: {warning}", err=True)


def console() -> Console:
    """A console for tables; never interprets user text as markup (cells are Text)."""
    return Console(highlight=False, soft_wrap=False)


@click.group(
    cls=RegisterGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    # A folder is refused by open_database in one line, not by click as a usage error.
    type=click.Path(path_type=Path),
    envvar="SUPPLIER_REGISTER_DB",
    help="Register database file (default: $SUPPLIER_REGISTER_DB or the user data folder).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Work on a throw-away copy of the bundled sample register; your own database is not touched.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Open the register so that nothing can change it (every write is refused).",
)
@click.version_option(__version__, "--version", prog_name="supplier-register")
@click.pass_context
def main(ctx: click.Context, db: Path | None, demo: bool, read_only: bool) -> None:
    """Keep the trust's register of technology suppliers and contracts.

    With no command, opens the register in the terminal interface.
    """
    state = State(db, demo, read_only)
    ctx.obj = state
    ctx.call_on_close(state.cleanup)
    if ctx.invoked_subcommand is None:
        _open_tui(state)
    else:
        # The GC policy of a command (see runtime.gcpause): paused for the whole run.
        ctx.with_resource(gc_paused())


def _open_tui(state: State) -> None:
    # Imported only here, so the CLI commands and the core never load Textual.
    run_app = importlib.import_module("supplier_register.tui.app").run_app
    path = state.db_path
    warn_location(path)
    ensure_register(path)  # create/migrate first so errors are one line, not a TUI crash
    run_app(path, demo=state.demo, read_only=state.read_only)


BINARY_TO_STDOUT = "--out: this format is binary; give a file with --out"


def check_output(
    out: Path | None, force: bool, *, binary: bool = False, inputs: Iterable[Path] = ()
) -> None:
    """Refuse, before any work, an ``--out`` that :func:`storage.outputs.check_output` refuses
    (the register, its backups, a device ..., an existing file without --force), and a binary
    format without one."""
    if out is None:
        if binary:
            raise BadFile(BINARY_TO_STDOUT)
        return
    check_output_file(out, force=force, registers=_registers(), inputs=inputs)


def _registers() -> list[Path]:
    """The registers of this command (see :meth:`State.registers`); none outside a command."""
    ctx = click.get_current_context(silent=True)
    state = ctx.find_object(State) if ctx is not None else None
    return state.registers() if state is not None else [default_db_path()]


def write_output(
    text: str | bytes | Iterable[str],
    out: Path | None,
    force: bool,
    *,
    inputs: Iterable[Path] = (),
) -> None:
    """Write to ``out`` (see :func:`storage.outputs.write_output_file`) or stdout.

    ``text`` may come in pieces (an iterable of strings), written as they come;
    any DEL, C1 or stray C0 character left in it (JSON leaves them raw) is
    written as its ``\\u00XX`` escape, so none reaches a terminal or a file.
    """
    if out is None:
        if isinstance(text, bytes):
            raise BadFile(BINARY_TO_STDOUT)
        for piece in [text] if isinstance(text, str) else text:
            click.echo(json_controls(piece), nl=False)
        return
    data: bytes | Iterable[str] = (
        text
        if isinstance(text, bytes)
        else map(json_controls, [text] if isinstance(text, str) else text)
    )
    write_output_file(data, out, force=force, registers=_registers(), inputs=inputs)
