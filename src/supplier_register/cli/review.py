"""CLI commands of the quarterly supplier review (``review ...``).

The commands are registered on the main group by :mod:`supplier_register.cli`.  Every
day a command works with comes from ``--today`` (default: the real today), so
scripted runs and tests are repeatable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from supplier_register.cli.root import (
    DATE,
    RECORD_ID,
    TEXT,
    State,
    check_output,
    config_option,
    count,
    out_options,
    resolve_today,
    today_option,
    write_output,
)
from supplier_register.cli.text import cell
from supplier_register.domain.errors import InvalidInput, NotFound
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.review.models import Review, ReviewReport


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


@click.group()
def review() -> None:
    """The quarterly supplier review: start, show, actions, close and export the pack.

    Quarters are calendar quarters written YYYY-Qn (Q1 = January to March).
    """


@review.command(name="start")
@click.argument("quarter", type=TEXT)
@today_option("Day the review starts (default: today); scores are taken as on this day.")
@click.pass_obj
def start(state: State, quarter: str, today: dt.date | None) -> None:
    """Start the review of QUARTER: snapshot every supplier's scores, findings and questions.

    A quarter is reviewed once, after it has begun, and only when the
    previous review is closed.  The snapshot never changes afterwards.
    """
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        started = service.start_review(db, quarter, resolve_today(today))
        count = service.snapshot_count(db, started)
    click.echo(
        f"started the {started.quarter} review on {started.started_on.isoformat()}: "
        f"{count} suppliers snapshotted"
    )


@review.command(name="list")
@click.pass_obj
def list_(state: State) -> None:
    """List the reviews with their dates."""
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        reviews = service.list_reviews(db)
    table = Table(title=f"{len(reviews)} reviews", title_justify="left")
    for col in ("Quarter", "Started", "Closed"):
        table.add_column(col)
    for r in reviews:
        table.add_row(
            cell(r.quarter),
            cell(r.started_on.isoformat()),
            cell(r.closed_on.isoformat() if r.closed_on else "open"),
        )
    _console().print(table)


def print_report(report: ReviewReport, console: Console) -> None:
    """The review as terminal tables, one per section; user text is never markup."""
    from supplier_register.reports.review_pack import facts, sections, status_line, title

    console.print(cell(f"{title(report)}: {status_line(report)}", style="bold"))
    for line in facts(report):
        console.print(cell(f"  {line}"))
    for section in sections(report):
        if section.key in ("scores", "questions"):
            continue  # every score and the board questions are in the pack; here, the lists
        table = Table(title=cell(section.title), title_justify="left", caption=None, expand=False)
        for i, header in enumerate(section.headers):
            table.add_column(header, justify="right" if i in section.numeric else "left")
        for r, row in enumerate(section.rows):
            flagged = r < len(section.flagged) and section.flagged[r]
            table.add_row(*(cell(text) for text in row), style="red" if flagged else None)
        console.print()
        if section.rows:
            console.print(table)
        else:
            console.print(cell(section.title, style="bold"))
            console.print(cell(f"  {section.empty}"))


@review.command(name="show")
@click.argument("quarter", required=False, type=TEXT)
@today_option("Judge due dates and overdue actions as on this day (default: today).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def show(state: State, quarter: str | None, today: dt.date | None, fmt: str) -> None:
    """Show the review of QUARTER (default: the latest).

    Movers since the previous review, relationship reviews due and overdue,
    contract deadlines in the next two quarters, actions (carried forward until
    done) and data gaps on strategic and high suppliers.
    """
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        report = service.review_report(db, quarter, resolve_today(today))
        if fmt == "json":
            for piece in service.review_json(db, report):
                click.echo(json_controls(piece), nl=False)
            click.echo()
            return
    print_report(report, _console())


@review.group(name="action")
def action() -> None:
    """Actions agreed at a review: add one, or mark one done."""


@action.command(name="add")
@click.argument("quarter", type=TEXT)
@click.option(
    "--supplier", type=TEXT, help="The supplier it is about (leave out for a general action)."
)
@click.option("--what", type=TEXT, required=True, help="What is to be done.")
@click.option("--owner", type=TEXT, required=True, help="Who will do it.")
@click.option("--due", required=True, type=DATE, help="When it is due (31/03/2027 or 2027-03-31).")
@today_option("Day it is agreed (default: today).")
@click.pass_obj
def action_add(
    state: State,
    quarter: str,
    supplier: str | None,
    what: str,
    owner: str,
    due: dt.date,
    today: dt.date | None,
) -> None:
    """Record an action agreed at the open review of QUARTER."""
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        added = service.add_action(
            db,
            quarter,
            supplier=supplier,
            what=what,
            owner=owner,
            due=due,
            today=resolve_today(today),
        )
    about = f" ({added.supplier})" if added.supplier else ""
    click.echo(show_controls(f"added action {added.id}{about}, due {added.due.isoformat()}"))


@action.command(name="add-from-board")
@click.argument("numbers", nargs=-1, type=count(1), metavar="[NUMBER]...")
@click.option("--all", "every", is_flag=True, help="Every management action of the board pack.")
@click.option(
    "--owner",
    type=TEXT,
    help="Owner of the actions whose supplier has no relationship owner recorded.",
)
@click.option("--quarter", type=TEXT, help="The review to add them to (default: the open review).")
@today_option("Build the board pack and agree the actions as on this day (default: today).")
@config_option
@click.pass_obj
def action_add_from_board(
    state: State,
    numbers: tuple[int, ...],
    every: bool,
    owner: str | None,
    quarter: str | None,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """Turn management actions of the board pack into actions of the open review.

    Give the NUMBERs as ``board --list actions`` shows them, or --all.  Each keeps its
    owner (--owner for those without one) and its due date (today, when already past);
    an action the review already holds open is not added twice.  All are added or none.
    """
    from supplier_register.review.quarters import Quarter
    from supplier_register.scoring import load_config
    from supplier_register.services import reviews as service
    from supplier_register.services.board import pack_of
    from supplier_register.services.register_scoring import prepare_scoring

    if every == bool(numbers):
        raise InvalidInput(
            ["action number: give the numbers of the management actions to add, or --all"]
        )
    day = resolve_today(today)
    config = load_config(config_path)
    with state.repository(create=False) as repo:
        db = repo.db
        if quarter is None:
            period = _open_quarter(service.list_reviews(db))
        else:
            period = str(Quarter.parse(quarter))
        # Worked out without touching the kept scores: a refused command writes nothing.
        scoring = prepare_scoring(db, day, config=config)
        found = scoring.trust_findings()
        actions = pack_of(db, scoring, scoring.overview(cache=False, trust_findings=found)).actions
        if numbers:
            wrong = [n for n in numbers if n > len(actions)]
            if wrong:
                raise InvalidInput(
                    [
                        f"action number: {wrong[0]} is not in the board pack, which has "
                        f"{len(actions)} management action{'s' if len(actions) != 1 else ''}"
                    ]
                )
            chosen = [actions[n - 1] for n in dict.fromkeys(numbers)]
        else:
            chosen = list(actions)
        unowned = [a.supplier for a in chosen if a.owner is None]
        if unowned and owner is None:
            more = f" (and {len(unowned) - 1} more)" if len(unowned) > 1 else ""
            raise InvalidInput(
                [
                    f"owner: the management action for {unowned[0]}{more} has no owner, as "
                    "none is recorded for the supplier's relationship; give one with --owner"
                ]
            )
        added, skipped = service.actions_from_board(db, period, chosen, day, owner=owner)
    for a in added:
        about = f" ({a.supplier})" if a.supplier else ""
        click.echo(
            show_controls(f"added action {a.id}{about}, owner {a.owner}, due {a.due.isoformat()}")
        )
    held = f"; {skipped} already open in the review" if skipped else ""
    click.echo(f"{len(added)} added to the {period} review{held}")


def _open_quarter(reviews: list[Review]) -> str:
    """The quarter of the review still open (an error when none is)."""
    open_ = [r for r in reviews if r.closed_on is None]
    if not open_:
        raise NotFound("review: no review is open; start one with 'review start QUARTER'")
    return str(open_[-1].quarter)


@action.command(name="done")
@click.argument("action_id", metavar="ID", type=RECORD_ID)
@today_option("Day it was done (default: today).")
@click.pass_obj
def action_done(state: State, action_id: int, today: dt.date | None) -> None:
    """Mark action ID done (actions from closed reviews too: they are carried until done)."""
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        done = service.complete_action(db, action_id, resolve_today(today))
    assert done.done_on is not None
    click.echo(f"action {done.id} done on {done.done_on.isoformat()}")


@review.command(name="close")
@click.argument("quarter", type=TEXT)
@today_option("Day the review closes (default: today).")
@click.pass_obj
def close(state: State, quarter: str, today: dt.date | None) -> None:
    """Close the review of QUARTER: no more actions; its pack is frozen as it stands."""
    from supplier_register.services import reviews as service

    with state.repository(create=False) as repo:
        db = repo.db
        closed = service.close_review(db, quarter, resolve_today(today))
    assert closed.closed_on is not None
    click.echo(f"closed the {closed.quarter} review on {closed.closed_on.isoformat()}")


@review.command(name="export")
@click.argument("quarter", type=TEXT)
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), required=True)
@out_options()
@today_option("Judge an open review as on this day (default: today).")
@click.pass_obj
def export_pack(
    state: State, quarter: str, fmt: str, out: Path | None, force: bool, today: dt.date | None
) -> None:
    """Write the review pack of QUARTER as Markdown or printable HTML."""
    from supplier_register.services import reviews as service

    check_output(out, force)  # before reading anything
    with state.repository(create=False) as repo:
        pack = service.review_pack(repo.db, quarter, resolve_today(today), fmt)
    write_output(pack, out, force)
    if out is not None:
        click.echo(f"wrote {out}", err=True)
