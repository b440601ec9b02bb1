"""The ``board`` command: the board pack's three lists (decisions required, board questions,
management actions) as tables, JSON or a Markdown paper section.

The lists come from :func:`supplier_register.services.board.board`, built once in the core, so
they are in the order (and numbered as) the TUI and every export shows them; ``review action
add-from-board`` takes the numbers of ``board --list actions``.  The JSON is documented in the
README ("The board pack as JSON").
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from supplier_register import __version__
from supplier_register.cli.root import (
    TEXT,
    State,
    config_option,
    console,
    count,
    resolve_today,
    today_option,
)
from supplier_register.cli.text import cell
from supplier_register.domain.errors import NotFound
from supplier_register.domain.textsafety import json_controls
from supplier_register.reports.mdtext import md_escape
from supplier_register.scoring import BoardQuestion, KeyQuestion, load_config
from supplier_register.scoring.board import (
    BoardPack,
    Decision,
    ManagementAction,
    days_text,
    decisions_scope,
)
from supplier_register.scoring.text import criticality_phrase, long_date

BOARD_FORMAT = "supplier-register-board"
JSON_VERSION = 1
LISTS = ("decisions", "questions", "actions")

KEY_SHORT = {
    KeyQuestion.SKILLS: "Skills",
    KeyQuestion.CONTRACTING: "Contracting",
    KeyQuestion.IF_WRONG: "If it went wrong",
}


class Numbered:
    """The three lists of a pack, each item with its number in the register's own list (a
    ``--supplier`` filter keeps the numbers, so they still name the same items)."""

    def __init__(self, pack: BoardPack, supplier: str | None) -> None:
        def keep(name: str) -> bool:
            return supplier is None or name.casefold() == supplier.casefold()

        self.decisions = [(n, d) for n, d in enumerate(pack.decisions, 1) if keep(d.supplier)]
        self.questions = [(n, q) for n, q in enumerate(pack.questions, 1) if keep(q.supplier)]
        self.actions = [(n, a) for n, a in enumerate(pack.actions, 1) if keep(a.supplier)]


def load_pack(
    state: State,
    today: dt.date | None,
    config_path: Path | None,
    top: int | None,
    supplier: str | None = None,
) -> tuple[BoardPack, str | None, str | None]:
    """The board pack of the register on the day, the trust's name and the supplier named by
    ``supplier`` as the register spells it (an error when there is none)."""
    from supplier_register.services.board import pack_of
    from supplier_register.services.register_scoring import prepare_scoring

    day = resolve_today(today)
    config = load_config(config_path)
    with state.repository(create=False) as repo:
        scoring = prepare_scoring(repo.db, day, config=config)
        named = None
        if supplier is not None:
            found = scoring.supplier_named(supplier.strip())
            if found is None:
                raise NotFound(f"--supplier: no supplier named {supplier.strip()!r}")
            named = found.name
        overview = scoring.overview(question_limit=top, trust_findings=scoring.trust_findings())
        pack = pack_of(repo.db, scoring, overview, limit=top)
    return pack, scoring.trust, named


@click.command()
@click.option(
    "--list",
    "which",
    type=click.Choice(["decisions", "questions", "actions", "all"]),
    default="all",
    show_default=True,
    help="Which list: the decisions required, the board questions, the management actions, "
    "or all three one after the other.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="md is a board-paper section ready to paste.",
)
@click.option(
    "--top",
    type=count(1),
    default=None,
    help="How many board questions, most pressing first (default: the scoring config's "
    "top_questions, 10).",
)
@click.option(
    "--supplier",
    "supplier_name",
    type=TEXT,
    metavar="NAME",
    help="Only this supplier's items (name, any case); numbers stay those of the whole list.",
)
@today_option("Build the pack as on this day, for reproducible runs (default: today).")
@config_option
@click.pass_obj
def board(
    state: State,
    which: str,
    fmt: str,
    top: int | None,
    supplier_name: str | None,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """The board pack: decisions required, board questions and management actions.

    Decisions are the time-bound items the board must act on, most urgent first; board
    questions the short list ranked by one priority, at most one per supplier and theme;
    management actions what the CIO's team must find out or do, never put to the board
    (turn them into review actions with ``review action add-from-board``).
    """
    pack, trust, supplier = load_pack(state, today, config_path, top, supplier_name)
    lists = LISTS if which == "all" else (which,)
    numbered = Numbered(pack, supplier)
    if fmt == "json":
        click.echo(json_controls(board_json(pack, numbered, lists, supplier)))
    elif fmt == "md":
        click.echo(json_controls(board_md(pack, numbered, lists, supplier, trust)))
    else:
        print_board(pack, numbered, lists, supplier, console())


# --- tables ---------------------------------------------------------------------------------


def print_board(
    pack: BoardPack,
    numbered: Numbered,
    lists: Sequence[str],
    supplier: str | None,
    out: Console,
) -> None:
    """Each list under its own heading, one after the other, a rule between them."""
    for i, name in enumerate(lists):
        if i:
            out.print()
            out.rule()
            out.print()
        heading = list_heading(name, pack, numbered, supplier)
        out.print(cell(heading, style="bold"))
        if name == "decisions":
            rows: Sequence[object] = numbered.decisions
            table = decisions_table(numbered.decisions, pack.today)
        elif name == "questions":
            rows = numbered.questions
            table = questions_table(numbered.questions)
        else:
            rows = numbered.actions
            table = actions_table(numbered.actions, pack.today)
        if rows and out.width < WIDE:
            for block in blocks(name, numbered, pack.today):
                out.print(block)
        elif rows:
            out.print(table)
        else:
            out.print(cell(f"  {empty_text(name, supplier)}"))


WIDE = 120
"""Below this many columns the lists are printed as numbered blocks, not tables (a table of
eight columns is unreadable at 80)."""


def blocks(name: str, numbered: Numbered, today: dt.date) -> Iterator[Text | Padding | Table]:
    """Each item of a list as a numbered block of lines that reads at any width."""
    if name == "decisions":
        for number, d in numbered.decisions:
            head = cell(d.supplier, style="bold")
            head.append_text(cell(f" · {d.criticality.label} · {_decide_by_text(d)} · "))
            when = d.when
            if d.kind == "ended_in_use" and when.startswith("ended "):
                when = when.removeprefix("ended ")  # 'ended 31 October 2026 · 26 days ago'
            head.append_text(cell(when, style="bold red" if d.overdue else "bold"))
            if d.notice_by:
                head.append_text(cell(f" · {_notice_text(d.notice_by, today)}"))
            yield _numbered(number, head)
            yield _indented(d.action + ".")
            yield _indented(f"If nothing is done: {d.consequence}", style="dim")
            yield _indented(f"Owner: {d.owner or 'nobody recorded'}")
            yield Text("")
    elif name == "questions":
        for number, q in numbered.questions:
            who = q.supplier if q.scope == "supplier" else f"{q.supplier} (its own finding)"
            head = cell(who, style="bold")
            head.append_text(cell(f" · {KEY_SHORT[q.key_question]} · {theme_text(q)}"))
            yield _numbered(number, head)
            yield _indented(q.text)
            for excerpt in q.evidence:
                yield _indented(f"Recorded: {excerpt}", style="dim italic")
            yield Text("")
    else:
        for number, a in numbered.actions:
            head = cell(a.supplier, style="bold")
            head.append_text(cell(f" · due {long_date(a.due)} ({days_text(a.days_left(today))})"))
            head.append_text(cell(f" · {a.owner or 'no owner recorded'}"))
            yield _numbered(number, head)
            yield _indented(a.text)
            yield Text("")


def _numbered(number: int, head: Text) -> Table:
    """A block's first line after its number, wrapped lines indented under the text (not
    back at the margin, where they read as a new item)."""
    grid = Table.grid()
    grid.add_column(width=4, no_wrap=True)
    grid.add_column()
    grid.add_row(cell(f"{number:>2}. ", style="bold"), head)
    return grid


def _notice_text(notice_by: dt.date, today: dt.date) -> str:
    """'notice by 30 November 2026 (in 4 days)': the last day to stop an auto-renewal is
    often sooner than the decision's own date suggests."""
    return f"notice by {long_date(notice_by)} ({days_text((notice_by - today).days)})"


def _indented(text: str, style: str = "") -> Padding:
    """A line of a block, indented under its number, wrapped lines too."""
    return Padding(cell(text, style=style), (0, 0, 0, 4))


def list_heading(name: str, pack: BoardPack, numbered: Numbered, supplier: str | None) -> str:
    """A list's heading: what it is, how many, for whom."""
    about = f" for {supplier}" if supplier else ""
    if name == "decisions":
        n = len(numbered.decisions)
        return (
            f"Decisions required{about} ({n}): decide-by dates passed or within "
            f"{pack.horizon_days} days and contracts ended while still in use, for "
            f"{decisions_scope(pack.decisions_from)}, most urgent first"
        )
    if name == "questions":
        n = len(numbered.questions)
        total = pack.question_total
        if supplier:
            count_text = (
                f"{n} of the {len(pack.questions)} most pressing; the register raises {total}"
            )
        elif not total:
            count_text = "the register raises none"
        elif n >= total:
            count_text = f"all {n} the register raises"
        else:
            count_text = f"the {n} most pressing of the {total} the register raises"
        return (
            f"Questions for the board{about} ({count_text}), one ranking, at most one per "
            "supplier and theme"
        )
    n = len(numbered.actions)
    return (
        f"Management actions{about} ({n}): for the CIO's team to find out or do, not for "
        "the board; soonest due first"
    )


def empty_text(name: str, supplier: str | None) -> str:
    about = f" about {supplier}" if supplier else ""
    if name == "decisions":
        return f"No decision{about} is due."
    if name == "questions":
        return f"None of the most pressing board questions is{about or ' raised'}."
    return f"No management action{about}."


def _decide_by_text(d: Decision) -> str:
    text = long_date(d.date)
    return f"ended {text}" if d.kind == "ended_in_use" else text


def decisions_table(rows: Sequence[tuple[int, Decision]], today: dt.date) -> Table:
    table = Table(title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("Supplier", ratio=2)
    table.add_column("Criticality")
    table.add_column("Decide by", max_width=12)
    table.add_column("Days left", max_width=19)
    table.add_column("Notice by", max_width=12)
    table.add_column("The board must decide (and if nothing is done)", ratio=5)
    table.add_column("Owner", ratio=2)
    for number, d in rows:
        what = cell(d.action + ".")
        what.append("\n")
        what.append_text(cell(f"If nothing is done: {d.consequence}", style="dim"))
        table.add_row(
            cell(str(number)),
            cell(d.supplier),
            cell(d.criticality.label),
            cell(_decide_by_text(d)),
            cell(d.when, style="bold red" if d.overdue else ""),
            cell(
                f"{long_date(d.notice_by)} ({days_text((d.notice_by - today).days)})"
                if d.notice_by
                else ""
            ),
            what,
            cell(d.owner or "nobody recorded"),
        )
    return table


def questions_table(rows: Sequence[tuple[int, BoardQuestion]]) -> Table:
    table = Table(title_justify="left")
    for col, justify in (
        ("#", "right"),
        ("Key question", "left"),
        ("Theme", "left"),
        ("Supplier", "left"),
        ("Question", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for number, q in rows:
        table.add_row(
            cell(str(number)),
            cell(KEY_SHORT[q.key_question]),
            cell(theme_text(q)),
            cell(q.supplier if q.scope == "supplier" else f"{q.supplier} (its own finding)"),
            question_cell(q),
        )
    return table


def theme_text(q: BoardQuestion) -> str:
    """The question's theme in words ('The trust' for a question about the trust itself)."""
    return q.theme.label if q.theme is not None else "The trust"


def question_cell(q: BoardQuestion) -> Text:
    """A question's text, then each piece of evidence recorded behind it on a line of its own."""
    text = cell(q.text)
    for excerpt in q.evidence:
        text.append("\n")
        text.append_text(cell(f"Recorded: {excerpt}", style="dim italic"))
    return text


def actions_table(rows: Sequence[tuple[int, ManagementAction]], today: dt.date) -> Table:
    table = Table(title_justify="left", expand=True)
    table.add_column("#", justify="right")
    table.add_column("Due", max_width=20)
    table.add_column("Supplier", ratio=2)
    table.add_column("Owner", ratio=2)
    table.add_column("Action", ratio=5)
    for number, a in rows:
        due = cell(long_date(a.due))
        due.append("\n")
        due.append_text(cell(days_text(a.days_left(today)), style="dim"))
        table.add_row(
            cell(str(number)),
            due,
            cell(a.supplier),
            cell(a.owner or "nobody recorded"),
            cell(a.text),
        )
    return table


# --- JSON -----------------------------------------------------------------------------------


def decision_json(number: int, d: Decision) -> dict[str, Any]:
    return {
        "number": number,
        "supplier": d.supplier,
        "criticality": d.criticality.value,
        "kind": d.kind,
        "date": d.date.isoformat(),
        "days_left": d.days_left,
        "when": d.when,
        "notice_by": d.notice_by.isoformat() if d.notice_by else None,
        "action": d.action,
        "consequence": d.consequence,
        "owner": d.owner,
        "exit_plan": d.exit_plan,
        "key_question": d.key_question.value,
        "contracts": [
            {
                "contract": c.contract,
                "kind": c.kind,
                "date": c.date.isoformat(),
                "end_date": c.end_date.isoformat() if c.end_date else None,
                "notice_by": c.notice_by.isoformat() if c.notice_by else None,
                "auto_renewal": c.auto_renewal,
                "consequence": c.consequence,
            }
            for c in d.contracts
        ],
    }


def action_json(number: int, a: ManagementAction, today: dt.date) -> dict[str, Any]:
    return {
        "number": number,
        "supplier": a.supplier,
        "criticality": a.criticality.value,
        "kind": a.kind,
        "text": a.text,
        "due": a.due.isoformat(),
        "days_left": a.days_left(today),
        "owner": a.owner,
        "priority": round(a.priority, 3),
        "unknowns": list(a.unknowns),
        "gap_count": a.gap_count,
        "contracts": list(a.contracts),
    }


def board_json(
    pack: BoardPack, numbered: Numbered, lists: Sequence[str], supplier: str | None
) -> str:
    """The documented JSON of ``board --format json``: only the lists asked for."""
    document: dict[str, Any] = {
        "format": BOARD_FORMAT,
        "format_version": JSON_VERSION,
        "generator": f"supplier-register {__version__}",
        "today": pack.today.isoformat(),
        "supplier": supplier,
        "horizon_days": pack.horizon_days,
        "decisions_from": pack.decisions_from.value,
        "question_total": pack.question_total,
        "key_questions": {k.value: k.text for k in KeyQuestion},
    }
    if "decisions" in lists:
        document["decisions"] = [decision_json(n, d) for n, d in numbered.decisions]
    if "questions" in lists:
        document["questions"] = [
            {"number": n, **q.model_dump(mode="json")} for n, q in numbered.questions
        ]
    if "actions" in lists:
        document["actions"] = [action_json(n, a, pack.today) for n, a in numbered.actions]
    return json.dumps(document, indent=2, ensure_ascii=False)


# --- Markdown -------------------------------------------------------------------------------


def board_md(
    pack: BoardPack,
    numbered: Numbered,
    lists: Sequence[str],
    supplier: str | None,
    trust: str | None,
) -> str:
    """A board-paper section ready to paste: each list under its own heading, numbered."""
    whose = md_escape(trust) if trust else "the trust"
    about = f" for {md_escape(supplier)}" if supplier else ""
    lines = [
        f"## Technology suppliers: the board pack{about}",
        "",
        f"The register of {whose}'s technology suppliers as on {long_date(pack.today)}, "
        "scored against principle 6 of NHS Providers' *Digital delivery principles*, \"Get "
        'the best out of technology suppliers". Three lists, kept apart: the decisions the '
        "board must take, the questions it should ask, and the actions for the CIO's team.",
    ]
    for name in lists:
        lines += ["", f"### {md_escape(list_heading(name, pack, numbered, supplier))}", ""]
        if name == "decisions":
            items = [_decision_md(n, d, pack.today) for n, d in numbered.decisions]
        elif name == "questions":
            items = [_question_md(n, q) for n, q in numbered.questions]
        else:
            items = [_action_md(n, a, pack.today) for n, a in numbered.actions]
        if not items:
            lines.append(empty_text(name, supplier))
            continue
        for item in items:
            lines += [line + "  " for line in item[:-1]] + item[-1:]  # a line break before each
    lines += ["", f"*Prepared with supplier-register {__version__}.*"]
    return "\n".join(lines)


def _decision_md(number: int, d: Decision, today: dt.date) -> list[str]:
    when = f"{_decide_by_text(d)}, {d.when}"
    notice = f"; {_notice_text(d.notice_by, today)}" if d.notice_by else ""
    return [
        f"{number}. **{md_escape(d.supplier)}** ({criticality_phrase(d.criticality)}), "
        f"{when}{notice}: {md_escape(d.action)}.",
        f"   *If nothing is done: {md_escape(d.consequence)}*",
        f"   Owner: {md_escape(d.owner) if d.owner else 'nobody recorded'}.",
    ]


def _question_md(number: int, q: BoardQuestion) -> list[str]:
    item = [
        f"{number}. {md_escape(q.text)}",
        f"   *{md_escape(q.supplier)}; {md_escape(theme_text(q))}; "
        f"{md_escape(q.key_question.text)}*",
    ]
    if q.contracts:
        word = "Contract" if len(q.contracts) == 1 else "Contracts"
        item.append(f"   {word}: {'; '.join(md_escape(c) for c in q.contracts)}.")
    item += [f"   *Recorded: {md_escape(e)}*" for e in q.evidence]
    if q.also:
        item.append("   Also asked under this question:")
        item += [f"   - {md_escape(a)}" for a in q.also]
    return item


def _action_md(number: int, a: ManagementAction, today: dt.date) -> list[str]:
    owner = md_escape(a.owner) if a.owner else "nobody recorded"
    return [
        f"{number}. {md_escape(a.text)}",
        f"   Due {long_date(a.due)} ({days_text(a.days_left(today))}); owner: {owner}.",
    ]
