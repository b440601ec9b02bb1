"""CLI commands over the trust's services and the dependencies between suppliers:
``services`` and ``dependencies``."""

from __future__ import annotations

import json

import click
from rich.table import Table

from supplier_register.cli.root import TEXT, State, console, pass_state
from supplier_register.cli.text import cell
from supplier_register.domain.textsafety import json_controls
from supplier_register.impact.cells import fallback_cell, outage_cell
from supplier_register.services.linked import ServiceRow, dependency_rows, service_rows

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


def _service_json(row: ServiceRow) -> dict[str, object]:
    return {
        **row.service.model_dump(mode="json"),
        "suppliers": row.suppliers,
        "contracts": [{"supplier": c.supplier, "title": c.title} for c in row.contracts],
    }


@click.command()
@FORMAT
@pass_state
def services(state: State, fmt: str) -> None:
    """List the trust's services: clinical or not, the outage each can tolerate, its
    fallback, and the contracts (and suppliers) that support it."""
    with state.repository(create=False) as repo:
        rows = service_rows(repo)
    if fmt == "json":
        text = json.dumps([_service_json(r) for r in rows], indent=2, ensure_ascii=False)
        click.echo(json_controls(text))
        return
    clinical = sum(1 for r in rows if r.service.clinical)
    table = Table(title=f"{len(rows)} services ({clinical} clinical)", title_justify="left")
    table.add_column("Service", no_wrap=True, overflow="fold")
    table.add_column("Kind")
    table.add_column("Tolerable outage", justify="right")
    table.add_column("Fallback", overflow="fold")
    table.add_column("Supported by", overflow="fold")
    for r in rows:
        support = "\n".join(f"{c.supplier}: {c.title}" for c in r.contracts)
        table.add_row(
            cell(r.service.name),
            cell("clinical" if r.service.clinical else "corporate"),
            cell(outage_cell(r.service)),
            cell(fallback_cell(r.service)),
            cell(support or "(no contract recorded)", multiline=True),
        )
    console().print(table)


@click.command()
@click.option(
    "--supplier",
    "supplier_name",
    type=TEXT,
    help="Only what this supplier depends on, and who depends on it.",
)
@FORMAT
@pass_state
def dependencies(state: State, supplier_name: str | None, fmt: str) -> None:
    """List the dependencies between suppliers (a failure of the second reaches the first)."""
    with state.repository(create=False) as repo:
        rows = dependency_rows(repo, supplier_name)
    if fmt == "json":
        text = json.dumps([d.model_dump(mode="json") for d in rows], indent=2, ensure_ascii=False)
        click.echo(json_controls(text))
        return
    of = f" of or on {supplier_name.strip()}" if supplier_name else ""
    table = Table(title=cell(f"{len(rows)} dependencies{of}"), title_justify="left")
    table.add_column("Supplier", no_wrap=True, overflow="fold")
    table.add_column("Depends on", no_wrap=True, overflow="fold")
    table.add_column("Kind")
    table.add_column("Note", overflow="fold")
    for d in rows:
        table.add_row(cell(d.supplier), cell(d.depends_on), cell(d.kind.label), cell(d.note))
    console().print(table)
