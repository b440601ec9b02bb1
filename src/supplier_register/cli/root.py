"""The ``supplier-register`` command line.

With no subcommand it opens the TUI.  Every user error is printed as one line
on stderr with exit code 2, and the database is left as it was.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from supplier_register import __version__
from supplier_register.cli import reliability as cli_reliability
from supplier_register.cli import review as cli_review
from supplier_register.cli import scoring as cli_scoring
from supplier_register.cli.text import cell
from supplier_register.domain.bounds import SQLITE_INT_MAX
from supplier_register.domain.errors import (
    BadFile,
    InvalidInput,
    RegisterError,
    describe_validation_error,
)
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.interchange import (
    dump_register_json,
    read_register_file,
    register_schema_json,
    sample_register_path,
)
from supplier_register.runtime.gcpause import gc_paused
from supplier_register.storage import Repository, default_db_path, open_database, outputs
from supplier_register.storage.db import storage_error
from supplier_register.storage.location import network_share_warning

if TYPE_CHECKING:
    from supplier_register.services.imports import ImportJob

F = TypeVar("F", bound=Callable[..., Any])
MAX_PROBLEM_LINES = 20


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
    err(f"{exc.format_message()} (see '{where} --help')")
    ctx.exit(2)


def _naming_register(exc: RegisterError, ctx: click.Context) -> RegisterError:
    """A damaged-register error found inside a transaction, with the file named."""
    from supplier_register.storage.db import DamagedRegister

    return exc.at(_register_path(ctx)) if isinstance(exc, DamagedRegister) else exc


def _register_path(ctx: click.Context) -> Path:
    """The register the command was working on, to name it in an error."""
    state = ctx.find_object(State)
    if state is not None and state.resolved is not None:
        return state.resolved
    return state.db_option if state is not None and state.db_option else default_db_path()


class State:
    """Options shared by every command: which database, and whether it is the demo copy."""

    def __init__(self, db: Path | None, demo: bool) -> None:
        self.db_option = db
        self.demo = demo
        self._demo_dir: str | None = None
        self._demo_db: Path | None = None
        self.resolved: Path | None = None
        """The database last named by :attr:`db_path`."""

    @property
    def db_path(self) -> Path:
        """The database to use: a throw-away sample copy with --demo, else --db or the default."""
        self.resolved = self._db_path()
        return self.resolved

    def _db_path(self) -> Path:
        if self.demo:
            if self._demo_db is None:
                self._demo_db = make_demo_database()
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
        if self._demo_dir:
            shutil.rmtree(self._demo_dir, ignore_errors=True)

    @contextmanager
    def repository(self, *, create: bool = True) -> Iterator[Repository]:
        warn_location(self.db_path)
        db = open_database(self.db_path, create=create)
        try:
            yield Repository(db)
        finally:
            db.close()


def make_demo_database(directory: Path | None = None) -> Path:
    """A fresh database holding the bundled sample register, in a private temporary folder."""
    folder = Path(directory or tempfile.mkdtemp(prefix="supplier-register-demo-"))
    path = folder / "demo.db"
    register = read_register_file(sample_register_path())
    db = open_database(path)
    try:
        Repository(db).import_register(register)
    finally:
        db.close()
    return path


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
@click.version_option(__version__, "--version", prog_name="supplier-register")
@click.pass_context
def main(ctx: click.Context, db: Path | None, demo: bool) -> None:
    """Keep the trust's register of technology suppliers and contracts.

    With no command, opens the register in the terminal interface.
    """
    state = State(db, demo)
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
    open_database(path).close()  # create/migrate first so errors are one line, not a TUI crash
    run_app(path, demo=state.demo)


@main.command()
@click.option(
    "--trust",
    type=cli_review.TEXT,
    help="Name of the trust (shown on board papers); sets or changes it.",
)
@pass_state
def init(state: State, trust: str | None) -> None:
    """Create the register database (if missing) and bring its schema up to date."""
    with state.repository() as repo:
        if trust is not None:
            try:
                repo.set_trust_name(trust)
            except ValidationError as exc:
                raise InvalidInput(describe_validation_error(exc, "--trust")) from None
        counts = repo.counts()
        name = repo.trust_name()
    label = f"{show_controls(name)}: " if name else ""
    click.echo(f"{label}register ready at {state.db_path} ({counts['suppliers']} suppliers)")


@main.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check the file and say what would change; write nothing."
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV/XLSX only: TOML file naming the field of each column (overrides the guess).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="CSV/XLSX only: refuse the whole file if any row is rejected (default: skip those rows).",
)
@pass_state
def import_(state: State, file: Path, dry_run: bool, mapping: Path | None, strict: bool) -> None:
    """Import a register from FILE.json, or suppliers and contracts from FILE.csv / FILE.xlsx.

    Records are matched by natural key (supplier name, supplier + contract
    title, person name, supplier + question); new ones are added.  A JSON file
    is imported all or nothing.  In a spreadsheet, rejected rows are listed
    with row, column and reason and skipped; all other rows are written in one
    transaction (all or nothing).
    """
    from supplier_register.services.imports import is_spreadsheet

    if is_spreadsheet(file):
        _import_tabular(state, file, dry_run, mapping, strict)
        return
    if mapping is not None or strict:
        raise BadFile("--mapping and --strict apply only to CSV and XLSX files")
    if file.suffix.lower() != ".json":
        raise BadFile(
            f"{file}: unsupported file type {file.suffix or '(none)'}; "
            "expected .json, .csv or .xlsx (OCDS data: use import-ocds)"
        )
    register = read_register_file(file)
    with state.repository() as repo:
        if dry_run:
            problems = repo.check_register(register)
            if problems:
                raise InvalidInput(problems)
            click.echo(
                f"{file}: valid; would import {len(register.people)} people, "
                f"{len(register.suppliers)} suppliers, {len(register.contracts)} contracts, "
                f"{len(register.answers)} answers (dry run: nothing written)"
            )
            return
        summary = repo.import_register(register)
    click.echo(f"imported {file}:")
    for line in summary.lines():
        click.echo(f"  {show_controls(line)}")


def _run_import(state: State, job: ImportJob, dry_run: bool, strict: bool = False) -> None:
    """Preview or apply a spreadsheet or OCDS import, printing every rejection."""
    import datetime as dt

    from supplier_register.importers.report import outcome_line, plan_lines
    from supplier_register.services.imports import apply_import

    with state.repository() as repo:
        if dry_run:
            plan = job.preview(repo)
        else:
            plan = apply_import(repo, job, dt.datetime.now(dt.UTC), strict=strict).plan
    for line in plan_lines(plan, applied=not dry_run):
        click.echo(show_controls(line))
    click.echo(outcome_line(plan, applied=not dry_run, strict=strict))
    if plan.rejections and not dry_run:
        rejected = len(plan.rejected_locations)
        click.echo(f"warning: {rejected} rejected and not imported (listed above)", err=True)


def _import_tabular(
    state: State, file: Path, dry_run: bool, mapping: Path | None, strict: bool
) -> None:
    from supplier_register.services.imports import open_spreadsheet

    _run_import(state, open_spreadsheet(file, mapping), dry_run, strict)


@main.command(name="import-ocds")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--buyer",
    type=cli_review.TEXT,
    metavar="NAME-OR-ID",
    help="The buyer (your trust) whose contracts to import, by name or identifier.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say what would be created, updated and rejected; write nothing.",
)
@pass_state
def import_ocds(state: State, file: Path, buyer: str | None, dry_run: bool) -> None:
    """Import published contract data (OCDS 1.1 JSON) from Contracts Finder or Find a Tender.

    Takes releases, release packages and record packages.  Each award or
    contract of the buyer becomes a contract with each of its suppliers;
    re-importing the same or a newer release updates, never duplicates.
    What the data does not say stays unknown (a data gap in scoring).
    """
    from supplier_register.services.imports import open_ocds

    _run_import(state, open_ocds(file, buyer), dry_run)


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
    outputs.check_output(out, force=force, registers=_registers(), inputs=inputs)


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
    outputs.write_output_file(data, out, force=force, registers=_registers(), inputs=inputs)


NOTES_LIMIT = 25  # the default of export --notes: reports.summary.NOTES_LIMIT, without importing it
SUMMARY_FORMATS = ("csv", "md", "html", "xlsx", "summary-json")
"""``export`` formats that write the risk summary rather than the interchange JSON."""


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", *SUMMARY_FORMATS]),
    default="json",
    show_default=True,
    help="json: the whole register, lossless; the others: the risk summary.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout; xlsx needs a file).",
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@cli_review.today_option("Score as on this day (default: today); risk summary formats only.")
@click.option(
    "--notes",
    type=cli_review.count(0),
    default=NOTES_LIMIT,
    show_default=True,
    help="html and md: explain this many of the most pressing strategic and high-criticality "
    "suppliers in notes (the paper says how many it left out).",
)
@pass_state
def export(
    state: State, fmt: str, out: Path | None, force: bool, today: dt.date | None, notes: int
) -> None:
    """Export the whole register (json) or its risk summary (csv, md, html, xlsx, summary-json).

    The risk summary has one row per supplier (criticality, owner, scores,
    band, top findings, next decide-by date, board questions) and the ranked
    board questions; html is a printable board paper appendix.
    """
    check_output(out, force, binary=fmt == "xlsx")  # before reading or scoring anything
    with state.repository(create=False) as repo:
        from supplier_register.services.exports import register_json, summary_export

        if fmt == "json":
            data: Iterable[str] | bytes = register_json(repo.db)
        else:
            data = summary_export(repo.db, fmt, cli_review.resolve_today(today), notes=notes)
        # Written while the database is open: a large summary is worked out as it is written.
        write_output(data, out, force)
    if out is not None:
        click.echo(f"wrote {out}", err=True)


def _money(value: object) -> str:
    return "" if value is None else f"£{value:,.0f}"


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_state
def suppliers(state: State, fmt: str) -> None:
    """List the suppliers."""
    with state.repository(create=False) as repo:
        rows = repo.list_suppliers()
    if fmt == "json":
        import json

        click.echo(
            json_controls(
                json.dumps([s.model_dump(mode="json") for s in rows], indent=2, ensure_ascii=False)
            )
        )
        return
    table = Table(title=f"{len(rows)} suppliers", title_justify="left")
    for col in ("Supplier", "Category", "Criticality", "Owner", "Annual spend", "Last review"):
        table.add_column(col, justify="right" if col == "Annual spend" else "left")
    for s in rows:
        table.add_row(
            cell(s.name),
            cell(s.category.label),
            cell(s.criticality.label),
            cell(s.owner or "(none)"),
            cell(_money(s.annual_spend)),
            cell(s.last_review.isoformat() if s.last_review else "never"),
        )
    console().print(table)


@main.command()
@click.option(
    "--supplier", "supplier_name", type=cli_review.TEXT, help="Only this supplier's contracts."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_state
def contracts(state: State, supplier_name: str | None, fmt: str) -> None:
    """List contracts, with the decide-by date (end - notice - migration time)."""
    with state.repository(create=False) as repo:
        supplier_id = repo.find_supplier(supplier_name).id if supplier_name else None
        rows = repo.list_contracts(supplier_id)
    if fmt == "json":
        import json

        click.echo(
            json_controls(
                json.dumps(
                    [{**c.model_dump(mode="json"), "decide_by": _iso(c.decide_by())} for c in rows],
                    indent=2,
                    ensure_ascii=False,
                )
            )
        )
        return
    table = Table(title=f"{len(rows)} contracts", title_justify="left")
    for col in (
        "Supplier",
        "Contract",
        "Type",
        "Ends",
        "Notice",
        "Decide by",
        "Auto-renews",
        "Annual value",
    ):
        table.add_column(col, justify="right" if col in ("Notice", "Annual value") else "left")
    for c in rows:
        table.add_row(
            cell(c.supplier),
            cell(c.title),
            cell(c.contract_type.label),
            cell(_iso(c.end_date) or "open-ended"),
            cell("" if c.notice_period_days is None else f"{c.notice_period_days} d"),
            cell(_iso(c.decide_by()) or ""),
            cell("yes" if c.auto_renewal else "no"),
            cell(_money(c.annual_value)),
        )
    console().print(table)


@main.command()
@click.option(
    "--suppliers",
    type=cli_review.WholeNumber(1, 500_000),
    required=True,
    help="How many suppliers.",
)
@click.option(
    "--seed",
    type=cli_review.WholeNumber(0, SQLITE_INT_MAX),
    default=1,
    show_default=True,
    help="Random seed (same seed, same register).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def generate(suppliers: int, seed: int, out: Path | None, force: bool) -> None:
    """Write a synthetic register (JSON interchange) for benchmarks and scale tests."""
    from supplier_register.interchange.synthetic import generate_register

    write_output(dump_register_json(generate_register(suppliers, seed=seed)), out, force)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the interchange format (as checked in under schemas/)."""
    click.echo(register_schema_json(), nl=False)


@main.command()
@pass_state
def people(state: State) -> None:
    """List the relationship owners."""
    with state.repository(create=False) as repo:
        rows = repo.list_people()
    table = Table(title=f"{len(rows)} people", title_justify="left")
    for col in ("Name", "Role", "Contact"):
        table.add_column(col)
    for p in rows:
        table.add_row(cell(p.name), cell(p.role.label), cell(p.contact or ""))
    console().print(table)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


main.add_command(cli_reliability.audit)
main.add_command(cli_reliability.backup)
main.add_command(cli_reliability.restore)
main.add_command(cli_review.review)
main.add_command(cli_scoring.score)
main.add_command(cli_scoring.questions)
