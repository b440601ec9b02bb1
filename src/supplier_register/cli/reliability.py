"""CLI commands that keep the register safe: ``audit``, ``backup`` and ``restore``.

They are registered on the main group by :mod:`supplier_register.cli`.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from supplier_register.cli.root import (
    AUDIT_SINCE,
    TEXT,
    State,
    check_output,
    console,
    err,
    out_options,
    write_output,
)
from supplier_register.cli.text import cell
from supplier_register.domain.errors import InvalidInput, NotFound
from supplier_register.services.register import check_target
from supplier_register.services.reliability import (
    AuditCheck,
    AuditEntry,
    AuditReader,
    audit_csv,
    backup_register,
    parse_head,
    parse_since,
    restore_database,
    verify_audit,
)


def audit_table(entries: list[AuditEntry], title: str) -> Table:
    """Audit entries as a rich table; user text always as Text, never markup."""
    table = Table(title=cell(title), title_justify="left")
    for col in ("When (UTC)", "Who", "Action", "Record", "Changes"):
        table.add_column(col, overflow="fold")
    for e in entries:
        table.add_row(
            cell(e.at.replace("T", " ").removesuffix("Z")[:19]),
            cell(e.actor),
            cell(e.action),
            cell(e.record),
            cell(e.summary(), multiline=True),
        )
    return table


@click.command()
@click.option(
    "--supplier",
    "supplier_name",
    type=TEXT,
    help="Only changes to this supplier and its records.",
)
@click.option(
    "--since",
    type=AUDIT_SINCE,
    help="Only changes from this date (YYYY-MM-DD, UTC) or ISO date-time on.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@out_options("File to write.")
@click.option(
    "--verify",
    is_flag=True,
    help="Check instead that the trail replays to exactly the register's records and that its "
    "chain of seals is intact; prints the chain head.",
)
@click.option(
    "--head",
    "recorded_head",
    metavar="HASH",
    help="With --verify: also check the log against a chain head recorded earlier (e.g. the "
    "one in a board paper): it must still be in the log, with the log up to it unchanged.",
)
@click.pass_obj
def audit(
    state: State,
    supplier_name: str | None,
    since: str | None,
    fmt: str,
    out: Path | None,
    force: bool,
    verify: bool,
    recorded_head: str | None,
) -> None:
    """Show who changed what, and when: every insert, update and delete."""

    head: str | None = None
    if recorded_head is not None:
        try:
            head = parse_head(recorded_head)
        except ValueError as exc:
            raise InvalidInput([f"--head: {exc}"]) from None
        verify = True
    if verify:
        with state.repository(create=False) as repo:
            check = verify_audit(repo.db, head=head)
        if not check.ok:
            for problem in check.problems:
                err(problem)
            raise click.exceptions.Exit(1)
        for line in verify_lines(check):
            click.echo(line)
        return

    check_output(out, force)  # before reading anything
    since_utc = parse_since(since) if since is not None else None  # checked by AuditSince
    with state.repository(create=False) as repo:
        reader = AuditReader(repo.db)
        ids = None
        if supplier_name is not None:
            ids = reader.supplier_ids(supplier_name)
            if not ids:
                raise NotFound(
                    f"--supplier: no supplier named {supplier_name.strip()!r} in the register "
                    "or its history"
                )
        entries = reader.entries(supplier_ids=ids, since=since_utc)
    if fmt == "json":
        text = json.dumps([e.as_json() for e in entries], indent=2, ensure_ascii=False) + "\n"
        write_output(text, out, force)
    elif fmt == "csv":
        write_output(audit_csv(entries), out, force)
    else:
        what = f" to {supplier_name.strip()}" if supplier_name else ""
        title = f"{len(entries)} changes{what}" + (f" since {since}" if since else "")
        if out is not None:
            buffer = io.StringIO()
            Console(file=buffer, highlight=False, width=200).print(audit_table(entries, title))
            write_output(buffer.getvalue(), out, force)
        else:
            console().print(audit_table(entries, title))
    if out is not None:
        click.echo(f"wrote {out}", err=True)


def _ids(ids: list[int]) -> str:
    """Entry ids as short runs: 4-6, 9."""
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    shown = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs[:10]]
    return ", ".join(shown) + (", ..." if len(runs) > 10 else "")


def verify_lines(check: AuditCheck) -> list[str]:
    """What ``audit --verify`` prints for a log that passed: replay, chain head, recorded head."""
    lines = [
        f"audit trail complete: {check.entries:,} entries replay to exactly the "
        f"{check.records:,} records in the register"
    ]
    chain = check.chain
    if chain is not None:
        if chain.hash is None:
            lines.append("audit chain: no entries sealed yet")
        else:
            lines.append(
                f"audit chain intact: {chain.entries:,} sealed entries, chain head {chain.hash}"
            )
    if check.outside:
        n = len(check.outside)
        lines.append(
            f"{n:,} {'entry' if n == 1 else 'entries'} made outside supplier-register "
            f"(id {_ids(check.outside)}), not yet sealed: sealed at the next write"
        )
    recorded = check.recorded
    if recorded is not None and recorded.position is not None and chain is not None:
        since = chain.entries - recorded.position
        lines.append(
            f"recorded head found: entry {recorded.entry_id}, number {recorded.position:,} of "
            f"the chain; the log up to it is unchanged, {since:,} "
            f"{'entry' if since == 1 else 'entries'} sealed since"
        )
    return lines


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.pass_obj
def backup(state: State, file: Path, force: bool) -> None:
    """Copy the register to FILE, safely even while the register is open elsewhere.

    FILE is readable by you only and is checked with SQLite's integrity check.
    """
    # Never over the register, its side files or backup folder, nor a device or pipe.
    check_target(file, registers=state.registers(), label="FILE")
    path, counts = backup_register(state.db_path, file, force=force)
    click.echo(f"backed up {state.db_path} to {path} ({_describe(counts)})")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace a register that holds data (it is backed up first)."
)
@click.pass_obj
def restore(state: State, file: Path, force: bool) -> None:
    """Replace the register with the backup FILE, after checking it.

    FILE must pass SQLite's integrity check and be a register of this release
    or an older one.  The current register is backed up first, and its audit
    trail is kept.
    """
    outcome = restore_database(state.db_path, file, force=force)
    click.echo(f"restored {file} into {state.db_path} ({_describe(outcome.counts)})")
    if outcome.previous_state is not None:
        click.echo(f"the register as it was before is kept in {outcome.previous_state}")
