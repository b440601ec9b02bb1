"""CLI commands over the trust's profile: ``profile show``, ``profile set`` and
``profile findings`` (the trust-level findings)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.table import Table

from supplier_register.cli.root import (
    DATE,
    TEXT,
    State,
    config_option,
    console,
    pass_state,
    resolve_today,
    today_option,
)
from supplier_register.cli.text import cell
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.services.profile import (
    PROFILE_FIGURES,
    TrustFinding,
    TrustPicture,
    load_thresholds,
    profile_fields,
    set_profile,
    trust_picture,
)

F = TypeVar("F", bound=Callable[..., Any])

NOT_RECORDED = "not recorded"
FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
PROFILE_OPTIONS: tuple[tuple[str, str, str], ...] = (
    ("--ics", "ics", "The integrated care system the trust belongs to."),
    ("--digital-staff", "digital_staff", "In-house digital staff, FTE (e.g. 38 or 12.5)."),
    (
        "--commercial-staff",
        "commercial_staff",
        "In-house commercial and procurement staff who buy technology, FTE.",
    ),
    ("--contractors", "contractors", "Contractors and interims in the digital team, FTE."),
)
"""The profile's options (as ``init`` and ``profile set`` take them): option, field, help.
An empty value or 'unknown' clears a figure (not recorded)."""


def profile_options(command: F) -> F:
    """The options setting the profile's fields, in order."""
    for option, name, help_text in reversed(PROFILE_OPTIONS):
        command = click.option(
            option, name, type=TEXT, default=None, help=help_text + " Empty or 'unknown' clears it."
        )(command)
    return command


def profile_changes(values: dict[str, Any]) -> dict[str, Any]:
    """The profile fields given on the command line, by field name."""
    return {name: values[name] for _, name, _ in PROFILE_OPTIONS if values.get(name) is not None}


@click.group()
def profile() -> None:
    """The trust's profile (its ICS, in-house digital and commercial staff, contractors) and
    the trust-level findings drawn from it and the register."""


@profile.command("set")
@click.option("--trust-name", "trust", type=TEXT, help="Name of the trust (shown on papers).")
@profile_options
@click.option(
    "--updated-on",
    type=DATE,
    default=None,
    help="When these figures were recorded (default: --today).",
)
@today_option()
@pass_state
def set_(
    state: State,
    trust: str | None,
    updated_on: dt.date | None,
    today: dt.date | None,
    ics: str | None,
    digital_staff: str | None,
    commercial_staff: str | None,
    contractors: str | None,
) -> None:
    """Record some of the trust's profile; fields not given stay as they are.

    Example: supplier-register profile set --digital-staff 38 --contractors 14
    """
    changes = profile_changes(
        {
            "ics": ics,
            "digital_staff": digital_staff,
            "commercial_staff": commercial_staff,
            "contractors": contractors,
        }
    )
    if updated_on is not None:
        changes["updated_on"] = updated_on
    if not changes and trust is None:
        options = ", ".join(option for option, _, _ in PROFILE_OPTIONS)
        raise click.UsageError(f"nothing to set: give --trust-name, {options} or --updated-on")
    with state.repository() as repo:
        set_profile(repo, changes, resolve_today(today), trust)
        picture = trust_picture(repo, resolve_today(today))
    _print_profile(picture)


@profile.command("show")
@FORMAT
@config_option
@today_option()
@pass_state
def show(state: State, fmt: str, config_path: Path | None, today: dt.date | None) -> None:
    """Show the trust's profile, the figures of the register and the trust-level findings
    (where each finding starts: the config file's [trust] table)."""
    thresholds = load_thresholds(config_path)
    with state.repository(create=False) as repo:
        picture = trust_picture(repo, resolve_today(today), thresholds)
    if fmt == "json":
        click.echo(json_controls(json.dumps(picture_json(picture), indent=2, ensure_ascii=False)))
        return
    _print_profile(picture)
    _print_findings(picture.findings)


@profile.command("findings")
@FORMAT
@config_option
@today_option()
@pass_state
def findings(state: State, fmt: str, config_path: Path | None, today: dt.date | None) -> None:
    """List the trust-level findings: patterns of the whole register and of the trust's
    staffing (contractor dependence, commercial expertise, purchasing routes, SMEs), each
    from a threshold the config file's [trust] table may set."""
    thresholds = load_thresholds(config_path)
    with state.repository(create=False) as repo:
        picture = trust_picture(repo, resolve_today(today), thresholds)
    if fmt == "json":
        data = [f.model_dump(mode="json") for f in picture.findings]
        click.echo(json_controls(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    _print_findings(picture.findings)


def picture_json(picture: TrustPicture) -> dict[str, Any]:
    """The profile, figures and findings as ``profile show --format json`` writes them."""
    record = picture.profile
    return {
        "trust": picture.trust,
        "profile": record.model_dump(mode="json") if record is not None else None,
        "figures": picture.figures,
        "findings": [f.model_dump(mode="json") for f in picture.findings],
    }


def _value(value: object) -> str:
    """A profile value as shown: 'not recorded', a date ISO, staff as '12.5 FTE'."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value, "f")
        return (text.rstrip("0").rstrip(".") if "." in text else text) + " FTE"
    return str(value)


def _print_profile(picture: TrustPicture) -> None:
    name = show_controls(picture.trust) if picture.trust else NOT_RECORDED
    table = Table(title=cell(f"Trust profile: {name}"), title_justify="left", show_header=False)
    table.add_column("Field", no_wrap=True)
    table.add_column("Value", overflow="fold")
    record = picture.profile
    for field, label in profile_fields().items():
        table.add_row(cell(label), cell(_value(getattr(record, field, None))))
    table.add_section()
    for label, shown in picture.figures.items():
        if label not in PROFILE_FIGURES:
            table.add_row(cell(label), cell(shown))
    console().print(table)


def _print_findings(found: list[TrustFinding]) -> None:
    if not found:
        click.echo("No trust-level findings.")
        return
    table = Table(title=f"{len(found)} trust-level findings", title_justify="left")
    table.add_column("Severity", justify="right", no_wrap=True)
    table.add_column("Finding", overflow="fold")
    for f in found:
        gap = " (data gap)" if f.data_gap else ""
        body = f"{f.title}{gap}\n{f.explanation}\nPrinciple 6, {f.reference}: \u201c{f.quote}\u201d"
        table.add_row(cell(f"{round(f.severity * 100)}%"), cell(body, multiline=True))
    console().print(table)
