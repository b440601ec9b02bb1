"""CLI commands for "what would happen if it went wrong?": ``impact`` and ``concentration``.

``impact SUPPLIER`` answers "if this supplier failed today, what stops?"; ``concentration``
lists the suppliers and parent groups whose failure would stop the most services, clinical
first.  Both print a table, the model's JSON or a Markdown section.
"""

from __future__ import annotations

import datetime as dt
import json

import click
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from supplier_register.cli.root import TEXT, State, console, count, resolve_today, today_option
from supplier_register.cli.text import cell
from supplier_register.domain.textsafety import json_controls
from supplier_register.impact import ConcentrationRow, ContractExit, ServiceImpact, SupplierImpact
from supplier_register.impact.cells import (
    alternatives_cell,
    concentration_kinds_cell,
    concentration_name_cell,
    data_location_cell,
    date_cell,
    decide_by_cell,
    end_cell,
    exit_plan_cell,
    insourcing_cell,
    kinds_cell,
    path_cell,
    patient_data_cell,
    route_cell,
    substitutability_cell,
)
from supplier_register.reports.impact_md import concentration_markdown, impact_markdown

_today_option = today_option("Answer as on this day, for reproducible runs (default: today).")
_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="md is a board-paper section ready to paste.",
)


def _table(title: str, columns: list[tuple[str, str]], names: int = 1) -> Table:
    """A table whose first ``names`` columns hold names: kept on one line while the console is
    wide enough and folded (never cut short with an ellipsis) when it is not."""
    table = Table(title=title, title_justify="left")
    for i, (name, justify) in enumerate(columns):
        if i < names:
            table.add_column(name, justify=justify, no_wrap=True, overflow="fold")  # type: ignore[arg-type]
        else:
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


# --- impact -----------------------------------------------------------------------------------


@click.command()
@click.argument("supplier", type=TEXT)
@_format_option
@_today_option
@click.pass_obj
def impact(state: State, supplier: str, fmt: str, today: dt.date | None) -> None:
    """If SUPPLIER failed today, what would stop: services (clinical first), directly and
    through the suppliers that depend on it, the contracts and how ready the trust is to leave."""
    from supplier_register.services.impact import supplier_impact

    day = resolve_today(today)
    with state.repository(create=False) as repo:
        result = supplier_impact(repo, supplier.strip(), day)
    if fmt == "json":
        click.echo(json_controls(json.dumps(result.model_dump(mode="json"), indent=2)))
    elif fmt == "md":
        click.echo(json_controls(impact_markdown(result)))
    else:
        console().print(impact_view(result))


CONTRACTS_HEADING = (
    "Contracts and exit readiness: its own first, then those of the suppliers that fall with "
    "it, soonest decision first within each"
)


def contract_block(contract: ContractExit) -> Text:
    """One contract as a block of short lines (readable at 80 columns), like the TUI's card."""
    block = Text()
    block.append_text(cell(f"{contract.supplier}: {contract.title}", style="bold"))
    lines = [
        ("Ends", end_cell(contract)),
        ("Decide by", decide_by_cell(contract)),
        ("Substitutability", substitutability_cell(contract)),
        ("Bringing in-house", insourcing_cell(contract)),
        ("Exit plan", exit_plan_cell(contract)),
        ("Alternatives", alternatives_cell(contract)),
        ("Data held", data_location_cell(contract)),
        ("Patient data", patient_data_cell(contract)),
    ]
    for label, value in lines:
        block.append(f"\n  {label}: ")
        block.append_text(cell(value))
    block.append("\n")
    return block


def service_block(service: ServiceImpact) -> Group:
    """A service that stops, as the TUI shows it: its name, kind and route, then the outlook
    sentence (how long it can cope, the fallback and the time to move: each fact once),
    indented under it however it wraps."""
    head = Text()
    head.append_text(cell(service.name, style="bold"))
    head.append(" · clinical" if service.clinical else " · corporate")
    head.append(" · ")
    head.append_text(cell(route_cell(service)))
    body = cell(service.outlook)
    if service.also_supported_by:
        body.append("\nAlso supported by ")
        body.append_text(cell(", ".join(service.also_supported_by)))
    return Group(head, Padding(body, (0, 0, 1, 2)))


def impact_view(result: SupplierImpact) -> Group:
    """The impact as a summary line and tables, every user text literal."""
    parts: list[RenderableType] = []
    head = Text()
    head.append_text(cell(result.supplier, style="bold"))
    head.append(f" ({result.criticality.label.lower()} criticality), on {date_cell(result.today)}")
    parts += [head, cell(result.summary), Text("")]

    if result.services:
        parts.append(Text("Services that stop, clinical first", style="bold"))
        for s in result.services:
            parts.append(service_block(s))
    else:
        parts.append(Text("No service is recorded as depending on it.\n"))

    if result.dependents:
        dependents = _table(
            "Suppliers that fall with it",
            [("Supplier", "left"), ("Path", "left"), ("Kinds", "left"), ("Services", "right")],
        )
        for d in result.dependents:
            dependents.add_row(
                cell(d.supplier), cell(path_cell(d)), cell(kinds_cell(d)), cell(str(d.services))
            )
        parts.append(dependents)
    else:
        parts.append(Text("No supplier is recorded as depending on it."))
    parts.append(Text(""))

    if result.depends_on:
        own = _table(
            "What it depends on", [("Depends on", "left"), ("Kind", "left"), ("Note", "left")]
        )
        for link in result.depends_on:
            own.add_row(cell(link.depends_on), cell(link.kind.label), cell(link.note))
        parts.append(own)
    else:
        parts.append(Text("No dependency of its own is recorded."))
    parts.append(Text(""))

    if result.contracts:
        parts.append(Text(CONTRACTS_HEADING, style="italic"))
        parts += [contract_block(c) for c in result.contracts]
    else:
        parts.append(Text("No current contract is involved."))

    if result.gaps:
        gaps = Text("Not recorded:\n")
        for gap in result.gaps:
            gaps.append("- ")
            gaps.append_text(cell(gap))
            gaps.append("\n")
        parts.append(gaps)
    else:
        parts.append(Text("Everything the impact view needs is recorded."))
    return Group(*parts)


# --- concentration ----------------------------------------------------------------------------


@click.command()
@click.option(
    "--limit",
    type=count(1),
    default=None,
    help="Only the first N suppliers and groups (default: all).",
)
@_format_option
@_today_option
@click.pass_obj
def concentration(state: State, limit: int | None, fmt: str, today: dt.date | None) -> None:
    """Which suppliers, parent groups and shared dependencies carry the most services,
    most clinical services first."""
    from supplier_register.services.impact import register_concentration

    day = resolve_today(today)
    with state.repository(create=False) as repo:
        rows = register_concentration(repo, day, limit=limit)
    if fmt == "json":
        data = {"today": day.isoformat(), "rows": [r.model_dump(mode="json") for r in rows]}
        click.echo(json_controls(json.dumps(data, indent=2)))
    elif fmt == "md":
        click.echo(json_controls(concentration_markdown(rows)))
    else:
        console().print(concentration_table(rows, day))


def concentration_table(rows: list[ConcentrationRow], today: dt.date) -> Table:
    """One row per supplier or parent group, most clinical services first."""
    table = _table(
        f"Concentration on {date_cell(today)}: which suppliers carry the most services",
        [
            ("Supplier or group", "left"),
            ("Criticality", "left"),
            ("Clinical", "right"),
            ("Services", "right"),
            ("Own services", "right"),
            ("Dependents", "right"),
            ("Depended on for", "left"),
            ("Members", "left"),
        ],
    )
    for r in rows:
        table.add_row(
            cell(concentration_name_cell(r)),
            cell(r.criticality.label if r.criticality is not None else ""),
            cell(str(r.clinical_services)),
            cell(str(r.services)),
            cell(str(r.direct_services)),
            cell(str(r.dependents)),
            cell(concentration_kinds_cell(r)),
            cell(", ".join(r.members)),
        )
    if not rows:
        table.caption = "No service is recorded against any current contract."
    return table
