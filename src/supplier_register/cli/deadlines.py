"""The ``due`` command: what falls due when, as a table, JSON or an iCalendar file.

Registered on the main group by :mod:`supplier_register.cli`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import click
from rich.console import Console
from rich.padding import Padding
from rich.table import Table

from supplier_register.cli.root import (
    State,
    check_output,
    console,
    count,
    out_options,
    resolve_today,
    today_option,
    write_output,
)
from supplier_register.cli.text import cell
from supplier_register.services.deadlines import (
    DEFAULT_DAYS,
    Deadline,
    deadlines_calendar,
    deadlines_json,
    register_deadlines,
)


def _days_text(deadline: Deadline) -> str:
    left = deadline.days_left
    if left < 0:
        return f"{-left} overdue"
    return "today" if left == 0 else str(left)


def deadlines_table(found: list[Deadline], today: dt.date, days: int) -> Table:
    """The deadlines as a rich table; user text always as Text, never markup."""
    table = Table(
        title=f"Deadlines up to {days} days from {today.isoformat()}, and every overdue one",
        title_justify="left",
    )
    table.add_column("Date", no_wrap=True)
    table.add_column("Days left", overflow="fold")
    for col in ("What", "Supplier", "Contract"):
        table.add_column(col, overflow="fold")
    table.add_column("Meaning", overflow="fold", min_width=30)
    for d in found:
        style = "bold red" if d.overdue else ""
        table.add_row(
            cell(d.date.isoformat(), style=style),
            cell(_days_text(d), style=style),
            cell(("OVERDUE: " if d.overdue else "") + d.what, style=style),
            cell(d.supplier),
            cell(d.contract or ""),
            cell(d.meaning, multiline=True),
        )
    return table


WIDE = 120
"""Below this many columns the deadlines are printed as blocks, not a table of six columns."""


def print_blocks(out: Console, found: list[Deadline], today: dt.date, days: int) -> None:
    """Each deadline as a line of date, days and what, then its meaning indented: readable at
    any width."""
    out.print(cell(f"Deadlines up to {days} days from {today.isoformat()}, and every overdue one"))
    for d in found:
        style = "bold red" if d.overdue else "bold"
        head = cell(f"{d.date.isoformat()}  ", style=style)
        head.append_text(cell(f"{_days_text(d)}  ", style=style))
        head.append_text(cell(("OVERDUE: " if d.overdue else "") + d.what, style=style))
        head.append_text(cell(f" · {d.supplier}"))
        if d.contract:
            head.append_text(cell(f" · {d.contract}"))
        out.print(head)
        out.print(Padding(cell(d.meaning, multiline=True), (0, 0, 1, 4)))


@click.command()
@click.option(
    "--days",
    type=count(0, 36_500),
    default=DEFAULT_DAYS,
    show_default=True,
    help="How many days ahead to look (every overdue deadline is listed whatever this is).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "ics"]),
    default="table",
    show_default=True,
    help="ics: an iCalendar file to import into Outlook or another calendar, one all-day "
    "event per deadline with reminders a week before and on the day.",
)
@today_option("Count days from this day (default: today).")
@out_options("File to write (default: stdout).")
@click.pass_obj
def due(
    state: State,
    days: int,
    fmt: str,
    today: dt.date | None,
    out: Path | None,
    force: bool,
) -> None:
    """What falls due when: decide-by and notice-by dates, contract ends, reviews due and
    assurance expiring (certificates, DSPT submissions, reviews and penetration tests).

    Lists every deadline up to --days ahead and every overdue one, soonest first, overdue
    flagged.  Dates not recorded give no deadline (nothing is guessed).

    \b
    Exit codes (for cron):
      0  nothing is overdue
      1  something is overdue (the list is still printed or written)
      2  usage error
    """
    check_output(out, force)
    day = resolve_today(today)
    with state.repository(create=False) as repo:
        found = register_deadlines(repo, day, days)
    if fmt == "json":
        text = json.dumps(deadlines_json(found, day, days), indent=2, ensure_ascii=False) + "\n"
        write_output(text, out, force)
    elif fmt == "ics":
        write_output(deadlines_calendar(found, day).decode("utf-8"), out, force)
    elif out is not None:
        buffer = io.StringIO()
        Console(file=buffer, highlight=False, width=200).print(deadlines_table(found, day, days))
        write_output(buffer.getvalue(), out, force)
    elif found:
        out_console = console()
        if out_console.width < WIDE:
            print_blocks(out_console, found, day, days)
        else:
            out_console.print(deadlines_table(found, day, days))
    else:
        click.echo(f"Nothing falls due in the next {days} days and nothing is overdue.")
    if any(d.overdue for d in found):
        raise click.exceptions.Exit(1)
