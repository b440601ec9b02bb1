"""``supplier duplicates`` and ``supplier merge``: one organisation recorded twice.

Names alone never merge two suppliers (an import says "possible duplicate of
..."); these commands list the pairs whose names nearly match and merge two
suppliers the user has decided are one.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from supplier_register.cli.root import TEXT, State, one_line, resolve_today, today_option
from supplier_register.domain.textsafety import json_controls


@click.group()
def supplier() -> None:
    """One supplier recorded twice: list possible duplicates, merge two into one."""


@supplier.command(name="duplicates")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_obj
def duplicates(state: State, fmt: str) -> None:
    """List pairs of suppliers whose names nearly match: the same once case, punctuation,
    '&'/'and' and endings such as Ltd, Limited, PLC, UK, Solutions, Group or Services are
    ignored, or one a whole-word start of the other ("Trustmarque" and "TRUSTMARQUE
    SOLUTIONS LIMITED").  Nothing is changed: merge a pair with `supplier merge KEEP DROP`."""
    from supplier_register.services.merge import duplicate_pairs

    with state.repository(create=False) as repo:
        pairs = duplicate_pairs(repo)
    if fmt == "json":
        data = [
            {
                "a": {"id": a.id, "name": a.name, "company_number": a.company_number},
                "b": {"id": b.id, "name": b.name, "company_number": b.company_number},
            }
            for a, b in pairs
        ]
        click.echo(json_controls(json.dumps(data, indent=2, ensure_ascii=False)))
        return
    if not pairs:
        click.echo("No possible duplicates: no two supplier names nearly match.")
        return
    click.echo(f"{len(pairs)} possible duplicate pair(s) (names that nearly match):")
    for a, b in pairs:
        numbers = [n for n in (a.company_number, b.company_number) if n]
        note = ""
        if len(numbers) == 2 and numbers[0] != numbers[1]:
            note = " (different company numbers: not the same company)"
        click.echo(one_line(f"  #{a.id} {a.name!r}  ~  #{b.id} {b.name!r}{note}"))
    click.echo("Merge a pair with: supplier merge KEEP DROP (names or ids; --yes to write)")


@supplier.command(name="merge")
@click.argument("keep", type=TEXT)
@click.argument("drop", type=TEXT)
@click.option("--yes", is_flag=True, help="Merge; without it, only show what would move.")
@today_option("Date written in the notes the merge leaves (default: today).")
@click.pass_obj
def merge(state: State, keep: str, drop: str, yes: bool, today: dt.date | None) -> None:
    """Merge supplier DROP into KEEP (each a name, or an id): DROP's contracts, answers,
    dependencies, identifiers and import provenance move to KEEP, details KEEP lacks are
    taken from DROP, and DROP is deleted, in one transaction.

    When both answered a question, KEEP's answer stays and DROP's is written into its
    evidence.  Refused, with nothing changed, when both have a contract with the same
    title, their company numbers differ, or a supplier changed meanwhile.  Without --yes,
    prints what would move and writes nothing.  The audit trail keeps DROP's history.
    """
    from supplier_register.services import merge as service

    day = resolve_today(today)
    with state.repository(create=False) as repo:
        kept = service.find(repo, keep, "KEEP")
        dropped = service.find(repo, drop, "DROP")
        if not yes:
            plan = service.preview(repo, kept, dropped, day)
            for line in plan.lines():
                click.echo(one_line(line))
            click.echo("Nothing written: run again with --yes to merge.")
            return
        plan = service.merge(repo, kept, dropped, day)
    for line in plan.lines(done=True):
        click.echo(one_line(line))
