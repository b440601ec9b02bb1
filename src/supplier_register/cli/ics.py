"""The ``ics`` command: partner trusts' shared files lined up per supplier, with joint windows.

Registered on the main group by :mod:`supplier_register.cli`.  Never opens a register: the
shared files are read, never merged into anybody's register.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from supplier_register.cli.root import (
    check_output,
    console,
    one_line,
    out_options,
    resolve_today,
    today_option,
    write_output,
)
from supplier_register.cli.text import cell
from supplier_register.services.ics import (
    ICS_BINARY_FORMATS,
    ICS_FORMATS,
    WINDOW_MONTHS,
    IcsView,
    MatchedSupplier,
    criticality_text,
    decide_by_text,
    ics_view,
    score_text,
    shared_file_paths,
    summary_text,
    window_text,
)


def _by_trust(supplier: MatchedSupplier) -> Text:
    """One line per trust: its criticality, score and band, and its contracts' decide-by dates."""
    text = Text()
    for i, use in enumerate(supplier.uses):
        if i:
            text.append("\n")
        dates = ", ".join(decide_by_text(c) for c in use.contracts) or "no contract shared"
        name = "" if use.name == supplier.name else f" (as {use.name})"
        text.append_text(cell(f"{use.trust}{name}", style="bold"))
        text.append_text(cell(f": {criticality_text(use)} · {score_text(use)} · decide by {dates}"))
    return text


def ics_table(view: IcsView, every_supplier: bool) -> Table:
    """The view as a rich table; user text always as Text, never markup."""
    table = Table(title=summary_text(view), title_justify="left")
    table.add_column("Supplier", overflow="fold", min_width=16)
    table.add_column("Trusts", justify="right")
    table.add_column(f"Joint window (within {WINDOW_MONTHS} months)", overflow="fold")
    table.add_column("Each trust: criticality · score · decide-by", overflow="fold", min_width=40)
    for supplier in view.suppliers if every_supplier else view.shared:
        windows = "\n".join(window_text(w) for w in supplier.windows) or "none"
        table.add_row(
            cell(supplier.name),
            cell(str(len(supplier.trusts))),
            cell(windows, multiline=True, style="bold" if supplier.windows else "dim"),
            _by_trust(supplier),
        )
    return table


@click.command()
@click.argument(
    "paths", metavar="FILE_OR_FOLDER...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *ICS_FORMATS]),
    default="table",
    show_default=True,
    help="table: on the terminal; json: a stable document for other tools; md: a Markdown "
    "paper; html: the ICS paper, printable, for an ICS meeting; sqlite: a database for "
    "analysts (sqlite-utils, Datasette), needs --out.",
)
@click.option(
    "--all",
    "every_supplier",
    is_flag=True,
    help="List every supplier, also those only one trust uses (default: two or more trusts).",
)
@today_option("Count decide-by dates from this day (default: today).")
@out_options("File to write (default: stdout).")
def ics(
    paths: tuple[Path, ...],
    fmt: str,
    every_supplier: bool,
    today: dt.date | None,
    out: Path | None,
    force: bool,
) -> None:
    """Line up partner trusts' shared registers: which trusts use each supplier, how critical
    it is to each and how each scored it, their contracts' end and decide-by dates, and the
    joint-procurement windows.

    Each FILE is one trust's `export --format share`; a FOLDER means every *.json file in it.
    Suppliers are matched across trusts by company number or identifier, then by name
    (case, punctuation and Ltd/Limited ignored).  A joint-procurement window is two or more
    different trusts whose decide-by dates for the same supplier fall within six calendar
    months of each other (inclusive); decide-by dates already passed, and dates not shared,
    are not counted.  Two files from the same trust: the later export is used, with a
    warning.

    The files are only read: no register is opened, and nothing is merged into yours.
    """
    files = shared_file_paths(paths)
    # never over one of the files read; a binary format only to a file
    check_output(out, force, binary=fmt in ICS_BINARY_FORMATS, inputs=files)
    view = ics_view(files, resolve_today(today))
    for warning in view.warnings:
        click.echo(f"warning: {one_line(warning)}", err=True)
    if fmt in ICS_FORMATS:
        write_output(
            ICS_FORMATS[fmt](view, every_supplier=every_supplier), out, force, inputs=files
        )
    elif out is not None:
        buffer = io.StringIO()
        Console(file=buffer, highlight=False, width=200).print(ics_table(view, every_supplier))
        write_output(buffer.getvalue(), out, force, inputs=files)
    elif view.shared or every_supplier:
        console().print(ics_table(view, every_supplier))
    else:
        click.echo(
            f"{summary_text(view)}.\nNo supplier is used by two or more of these trusts "
            "(--all lists every supplier)."
        )
