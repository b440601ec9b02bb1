"""CLI commands over the register's records: ``init``, ``suppliers``, ``contracts``, ``people``,
``schema`` and ``generate``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.table import Table

from supplier_register.cli.root import (
    TEXT,
    State,
    WholeNumber,
    console,
    out_options,
    pass_state,
    resolve_today,
    today_option,
    write_output,
)
from supplier_register.cli.text import cell
from supplier_register.domain.bounds import SQLITE_INT_MAX
from supplier_register.domain.errors import InvalidInput, describe_validation_error
from supplier_register.domain.terms import (
    competition_text,
    extensions_text,
    latest_decide_by,
    latest_possible_end,
)
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.services.profile import set_profile
from supplier_register.services.register import (
    dump_register_json,
    generate_register,
    register_schema_json,
)


@click.command()
@click.option(
    "--trust",
    "--trust-name",
    "trust",
    type=TEXT,
    help="Name of the trust (shown on board papers); sets or changes it.",
)
@click.option("--ics", type=TEXT, help="The integrated care system the trust belongs to.")
@click.option("--digital-staff", type=TEXT, help="In-house digital staff, FTE (e.g. 38).")
@click.option(
    "--commercial-staff",
    type=TEXT,
    help="In-house commercial and procurement staff who buy technology, FTE.",
)
@click.option("--contractors", type=TEXT, help="Contractors and interims in the digital team, FTE.")
@today_option()
@pass_state
def init(
    state: State,
    trust: str | None,
    ics: str | None,
    digital_staff: str | None,
    commercial_staff: str | None,
    contractors: str | None,
    today: dt.date | None,
) -> None:
    """Create the register database (if missing) and bring its schema up to date.

    The profile options record the trust's profile (see ``profile set``), in the same
    transaction as the trust's name.
    """
    given = {
        "ics": ics,
        "digital_staff": digital_staff,
        "commercial_staff": commercial_staff,
        "contractors": contractors,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    with state.repository() as repo:
        if changes:
            set_profile(repo, changes, resolve_today(today), trust)
        elif trust is not None:
            try:
                repo.set_trust_name(trust)
            except ValidationError as exc:
                raise InvalidInput(describe_validation_error(exc, "--trust")) from None
        counts = repo.counts()
        name = repo.trust_name()
    label = f"{show_controls(name)}: " if name else ""
    click.echo(f"{label}register ready at {state.db_path} ({counts['suppliers']} suppliers)")


def _money(value: object) -> str:
    return "" if value is None else f"£{value:,.0f}"


@click.command()
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


@click.command()
@click.option("--supplier", "supplier_name", type=TEXT, help="Only this supplier's contracts.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@pass_state
def contracts(state: State, supplier_name: str | None, fmt: str) -> None:
    """List contracts, with the decide-by date (end - notice - migration time), how each was
    competed, its extension options and the latest end they allow."""
    with state.repository(create=False) as repo:
        supplier_id = repo.find_supplier(supplier_name).id if supplier_name else None
        rows = repo.list_contracts(supplier_id)
    if fmt == "json":
        import json

        click.echo(
            json_controls(
                json.dumps(
                    [
                        {
                            **c.model_dump(mode="json"),
                            "decide_by": _iso(c.decide_by()),
                            "latest_possible_end": _iso(latest_possible_end(c)),
                            "latest_decide_by": _iso(latest_decide_by(c)),
                        }
                        for c in rows
                    ],
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
        "Competition",
        "Extensions",
        "Latest end",
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
            cell(competition_text(c.competition)),
            cell(extensions_text(c)),
            cell(_iso(latest_possible_end(c)) or ""),
            cell("not recorded" if c.auto_renewal is None else "yes" if c.auto_renewal else "no"),
            cell(_money(c.annual_value)),
        )
    console().print(table)


@click.command()
@click.option(
    "--suppliers",
    type=WholeNumber(1, 500_000),
    required=True,
    help="How many suppliers.",
)
@click.option(
    "--seed",
    type=WholeNumber(0, SQLITE_INT_MAX),
    default=1,
    show_default=True,
    help="Random seed (same seed, same register).",
)
@out_options()
def generate(suppliers: int, seed: int, out: Path | None, force: bool) -> None:
    """Write a synthetic register (JSON interchange) for benchmarks and scale tests."""
    write_output(dump_register_json(generate_register(suppliers, seed=seed)), out, force)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the interchange format (as checked in under schemas/)."""
    click.echo(register_schema_json(), nl=False)


@click.command()
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
