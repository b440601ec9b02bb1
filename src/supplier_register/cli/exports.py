"""The ``export`` command: the whole register (JSON) or its risk summary in one of the formats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import click

from supplier_register.cli.root import (
    SCORING_ENV_VAR,
    TEXT,
    State,
    check_output,
    count,
    out_options,
    pass_state,
    resolve_today,
    today_option,
    write_output,
)

NOTES_LIMIT = 25  # the default of export --notes: reports.summary.NOTES_LIMIT, without importing it
SUMMARY_FORMATS = ("csv", "md", "html", "xlsx", "summary-json")
"""``export`` formats that write the risk summary rather than the interchange JSON."""
LISTS = ("suppliers", "decisions", "questions", "actions")
"""What ``export --format csv --list`` writes: the risk summary (suppliers) or one of the board
pack's lists (services.exports.board_list_csv)."""
DEMO_NOTICE = (
    "note: --demo exports the untouched bundled sample register, not changes made in a TUI "
    "session (to export those, press E in the TUI)"
)
"""The one line ``--demo export`` prints on stderr: each --demo run starts a fresh copy."""


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "share", *SUMMARY_FORMATS]),
    default="json",
    show_default=True,
    help="json: the whole register, lossless; share: the register for partner trusts, "
    "redacted as the config's [share] table says (default: no notes, evidence, people, "
    "values or provenance); the others: the risk summary.",
)
@out_options("File to write (default: stdout; xlsx needs a file).")
@today_option("Score as on this day (default: today); risk summary formats and share only.")
@click.option(
    "--notes",
    type=count(0),
    default=NOTES_LIMIT,
    show_default=True,
    help="html and md: explain this many of the most pressing strategic and high-criticality "
    "suppliers in notes (the paper says how many it left out).",
)
@click.option(
    "--list",
    "which",
    type=click.Choice(LISTS),
    default="suppliers",
    show_default=True,
    help="csv: the list to write: the risk summary's suppliers, or one of the board pack's "
    "decisions required, board questions or management actions.",
)
@click.option(
    "--author",
    type=TEXT,
    metavar="NAME",
    default=None,
    help="html and md: who wrote the board paper, for its masthead (default: not recorded).",
)
@click.option(
    "--paper-version",
    type=TEXT,
    metavar="TEXT",
    default="1.0",
    show_default=True,
    help="html and md: the board paper's version, for its masthead.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=SCORING_ENV_VAR,
    help="TOML file overriding scoring weights and thresholds, and the paper's marking "
    "([board] classification) (default: $SUPPLIER_REGISTER_SCORING, else the built-in "
    "defaults); risk summary formats and share (its [share] table: redact = [...], "
    "keep = [...]).",
)
@pass_state
def export(
    state: State,
    fmt: str,
    out: Path | None,
    force: bool,
    today: dt.date | None,
    notes: int,
    which: str,
    author: str | None,
    paper_version: str,
    config_path: Path | None,
) -> None:
    """Export the whole register (json, or share: redacted for partner trusts) or its risk
    summary (csv, md, html, xlsx, summary-json).

    The risk summary has one row per supplier (criticality, owner, scores,
    band, top findings, next decide-by date, board questions) and the ranked
    board questions; html is a printable board paper.  ``--format csv --list
    decisions|questions|actions`` writes one of the board pack's lists instead, in the order
    of the paper and of the workbook's sheet.
    """
    if which != "suppliers" and fmt != "csv":
        raise click.UsageError(f"--list {which} needs --format csv")
    check_output(out, force, binary=fmt == "xlsx")  # before reading or scoring anything
    from supplier_register.services.exports import scoring_config

    share_config = scoring_config(config_path) if fmt == "share" else None  # refused first
    version = paper_version.strip()
    if not version:
        raise click.BadParameter("must not be empty", param_hint="'--paper-version'")
    if state.demo:
        click.echo(DEMO_NOTICE, err=True)
    with state.repository(create=False) as repo:
        from supplier_register.services.exports import (
            PaperOptions,
            register_json,
            scoring_config,
            summary_export,
        )

        if fmt == "json":
            data: Iterable[str] | bytes = register_json(repo.db)
        elif fmt == "share":
            from supplier_register.services.exports import share_export

            data = share_export(repo.db, resolve_today(today), share_config)
        elif which != "suppliers":
            from supplier_register.services.exports import board_list_csv

            data = board_list_csv(repo.db, which, resolve_today(today), scoring_config(config_path))
        else:
            paper = PaperOptions(author=(author or "").strip() or None, version=version)
            config = scoring_config(config_path)
            data = summary_export(
                repo.db, fmt, resolve_today(today), notes=notes, config=config, paper=paper
            )
        # Written while the database is open: a large summary is worked out as it is written.
        write_output(data, out, force)
    if out is not None:
        click.echo(f"wrote {out}", err=True)
