"""CLI commands over the trust's services and the dependencies between suppliers:
``services`` and ``dependencies``."""

from __future__ import annotations

import json

import click
from rich.table import Table

from supplier_register.cli.root import TEXT, State, console, pass_state
from supplier_register.cli.text import cell
from supplier_register.domain.enums import Fallback
from supplier_register.domain.models import ServiceRecord
from supplier_register.domain.textsafety import json_controls
from supplier_register.services.linked import ServiceRow, dependency_rows, service_rows

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


def _outage(service: ServiceRecord) -> str:
    hours = service.max_outage_hours
    return "unknown" if hours is None else f"{hours} h"


def _fallback(service: ServiceRecord) -> str:
    """'Manual (paper) fallback, tested 2024-10-03': the fallback and when it was last tested."""
    label = service.fallback.label
    if service.fallback in (Fallback.NONE, Fallback.UNKNOWN):
        return label
    tested = service.fallback_tested
    return f"{label}, tested {tested.isoformat()}" if tested else f"{label}, test not recorded"


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
    for col in ("Service", "Kind", "Tolerable outage", "Fallback", "Supported by"):
        table.add_column(col, justify="right" if col == "Tolerable outage" else "left")
    for r in rows:
        support = "\n".join(f"{c.supplier}: {c.title}" for c in r.contracts)
        table.add_row(
            cell(r.service.name),
            cell("clinical" if r.service.clinical else "corporate"),
            cell(_outage(r.service)),
            cell(_fallback(r.service)),
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
    for col in ("Supplier", "Depends on", "Kind", "Note"):
        table.add_column(col)
    for d in rows:
        table.add_row(cell(d.supplier), cell(d.depends_on), cell(d.kind.label), cell(d.note))
    console().print(table)
