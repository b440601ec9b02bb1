"""CLI commands that bring data in: ``import`` (JSON, CSV, XLSX) and ``import-ocds``."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import click

from supplier_register.cli.root import TEXT, State, pass_state
from supplier_register.domain.errors import BadFile, InvalidInput
from supplier_register.domain.textsafety import show_controls
from supplier_register.services.register import read_register_file

if TYPE_CHECKING:
    from supplier_register.services.imports import ImportJob


@click.command(name="import")
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
    if dry_run:
        with state.preview_repository() as repo:
            problems = repo.check_register(register)
            if problems:
                raise InvalidInput(problems)
            click.echo(
                f"{file}: valid; would import {len(register.people)} people, "
                f"{len(register.suppliers)} suppliers, {len(register.contracts)} contracts, "
                f"{len(register.answers)} answers, {len(register.services)} services, "
                f"{len(register.dependencies)} dependencies (dry run: nothing written)"
            )
            return
    with state.repository() as repo:
        summary = repo.import_register(register)
    click.echo(f"imported {file}:")
    for line in summary.lines():
        click.echo(f"  {show_controls(line)}")


def _run_import(state: State, job: ImportJob, dry_run: bool, strict: bool = False) -> None:
    """Preview or apply a spreadsheet or OCDS import, printing every rejection."""

    from supplier_register.services.imports import apply_import, outcome_line, plan_lines

    recorded = 0
    if dry_run:
        with state.preview_repository() as repo:
            plan = job.preview(repo)
    else:
        with state.repository() as repo:
            applied = apply_import(repo, job, dt.datetime.now(dt.UTC), strict=strict)
        plan, recorded = applied.plan, applied.recorded
    for line in plan_lines(plan, applied=not dry_run):
        click.echo(show_controls(line))
    click.echo(outcome_line(plan, applied=not dry_run, strict=strict, recorded=recorded))
    if plan.rejections and not dry_run:
        rejected = len(plan.rejected_locations)
        click.echo(f"warning: {rejected} rejected and not imported (listed above)", err=True)


def _import_tabular(
    state: State, file: Path, dry_run: bool, mapping: Path | None, strict: bool
) -> None:
    from supplier_register.services.imports import open_spreadsheet

    _run_import(state, open_spreadsheet(file, mapping), dry_run, strict)


@click.command(name="import-ocds")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--buyer",
    type=TEXT,
    metavar="NAME-OR-ID",
    help="The buyer (your trust) whose contracts to import, by name or identifier.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Say what would be created, updated and rejected; write nothing.",
)
@pass_state
def import_ocds(state: State, files: tuple[Path, ...], buyer: str | None, dry_run: bool) -> None:
    """Import published contract data (OCDS 1.1 JSON) from Contracts Finder or Find a Tender.

    Takes releases, release packages and record packages: one file, several
    files, or folders (every .json file directly inside).  Each award or
    contract of the buyer becomes a contract with each of its suppliers;
    re-importing the same or a newer release, or a re-issued notice of the
    same contract under a new award id, updates, never duplicates.  What the data does not say stays unknown (a data gap in
    scoring).  With several files, each is written in its own transaction (all
    or nothing); a file that cannot be imported is refused with its reason, the
    others are imported, one summary follows, and the exit code is 2 if any
    file was refused.
    """
    from supplier_register.services.imports import open_ocds

    if len(files) == 1 and not files[0].is_dir():
        _run_import(state, open_ocds(files[0], buyer), dry_run)
        return
    _import_ocds_files(state, files, buyer, dry_run)


def _import_ocds_files(
    state: State, files: tuple[Path, ...], buyer: str | None, dry_run: bool
) -> None:
    from supplier_register.services.imports import (
        FileOutcome,
        batch_lines,
        import_ocds_files,
        ocds_paths,
    )

    paths = ocds_paths(files)
    outcomes: list[FileOutcome] = []
    # A dry run applies each file in turn to a private in-memory copy, never to the file.
    opened = state.preview_repository() if dry_run else state.repository()
    try:
        with opened as repo:
            import_ocds_files(
                repo,
                paths,
                dt.datetime.now(dt.UTC),
                buyer=buyer,
                dry_run=dry_run,
                outcomes=outcomes,
            )
    except (KeyboardInterrupt, sqlite3.DatabaseError) as exc:
        # The files before the one in progress are written (each its own transaction): say so.
        if not dry_run and any(o.plan is not None for o in outcomes):
            for line in batch_lines(outcomes, applied=True):
                click.echo(show_controls(line))
            at = paths[len(outcomes)].name if len(outcomes) < len(paths) else "the end"
            click.echo(
                f"warning: stopped at {at} ({len(outcomes)} of {len(paths)} files done): the "
                "files imported above stay written; nothing from that file or the files after "
                "it was written",
                err=True,
            )
        if isinstance(exc, KeyboardInterrupt):
            click.echo("error: interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        raise
    for line in batch_lines(outcomes, applied=not dry_run):
        click.echo(show_controls(line))
    refused = [o for o in outcomes if o.refused is not None]
    if refused:
        raise BadFile(
            f"{len(refused)} of {len(outcomes)} files refused, nothing written from them "
            "(listed above); the others were " + ("checked" if dry_run else "imported")
        )
