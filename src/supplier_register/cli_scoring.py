"""CLI commands for principle-6 scoring: ``score`` and ``questions``.

They are registered on the main group by :mod:`supplier_register.cli`.  The
JSON they print is documented in the README ("Scores and board questions as
JSON"); ``questions --format md`` is a board-paper section ready to paste.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Group
from rich.table import Table
from rich.text import Text

from supplier_register import __version__
from supplier_register.cli_review import resolve_today, today_option
from supplier_register.domain.errors import NotFound
from supplier_register.domain.models import Register
from supplier_register.scoring import (
    Band,
    BoardQuestion,
    KeyQuestion,
    RegisterScores,
    ScoringConfig,
    SupplierScore,
    load_config,
    score_register,
    top_questions,
)
from supplier_register.scoring.text import criticality_phrase, long_date

if TYPE_CHECKING:
    from supplier_register.cli import State

SCORES_FORMAT = "supplier-register-scores"
QUESTIONS_FORMAT = "supplier-register-questions"
JSON_VERSION = 1
DEFAULT_TOP = 10
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_today_option = today_option("Score as on this day, for reproducible runs (default: today).")
_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="SUPPLIER_REGISTER_SCORING",
    help="TOML file overriding scoring weights and band thresholds "
    "(default: $SUPPLIER_REGISTER_SCORING, else the built-in defaults).",
)
_supplier_option = click.option(
    "--supplier", "supplier_name", metavar="NAME", help="Only this supplier (name, any case)."
)


def _scores(state: State, today: dt.date, config: ScoringConfig) -> tuple[Register, RegisterScores]:
    with state.repository(create=False) as repo:
        register = repo.load_register()
    return register, score_register(register, today=today, config=config)


def _one(scores: RegisterScores, name: str) -> SupplierScore:
    wanted = name.strip().casefold()
    for score in scores.suppliers:
        if score.supplier.casefold() == wanted:
            return score
    raise NotFound(f"--supplier: no supplier named {name.strip()!r}")


def _band_counts(scores: list[SupplierScore]) -> str:
    counts = Counter(s.band for s in scores)
    parts = [f"{counts[b]} {b.value}" for b in sorted(Band, key=lambda b: -b.rank) if counts[b]]
    return ", ".join(parts) if parts else "none"


def _decide_by(score: SupplierScore, today: dt.date) -> str:
    if score.next_decide_by is None:
        return ""
    text = long_date(score.next_decide_by)
    return f"{text} (passed)" if score.next_decide_by < today else text


# --- score ----------------------------------------------------------------------------------


@click.command()
@_supplier_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_today_option
@_config_option
@click.pass_obj
def score(
    state: State,
    supplier_name: str | None,
    fmt: str,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """Score suppliers against principle 6, highest priority first, with the reasons."""
    from supplier_register.cli import console

    day = resolve_today(today)
    config = load_config(config_path)
    _, scores = _scores(state, day, config)
    chosen = [_one(scores, supplier_name)] if supplier_name else scores.suppliers
    if fmt == "json":
        click.echo(scores_json(scores, chosen, config))
        return
    if supplier_name:
        console().print(supplier_detail(chosen[0], day))
    else:
        console().print(scores_table(chosen, day))


def scores_json(scores: RegisterScores, chosen: list[SupplierScore], config: ScoringConfig) -> str:
    """The documented JSON of ``score --format json``."""
    if len(chosen) == len(scores.suppliers):
        top = scores.top_questions
    else:
        top = top_questions(chosen, config.top_questions, config.top_questions_per_key)
    document: dict[str, Any] = {
        "format": SCORES_FORMAT,
        "format_version": JSON_VERSION,
        "generator": f"supplier-register {__version__}",
        "today": scores.today.isoformat(),
        "bands": config.bands.model_dump(),
        "suppliers": [s.model_dump(mode="json") for s in chosen],
        "top_questions": [q.model_dump(mode="json") for q in top],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def scores_table(scores: list[SupplierScore], today: dt.date) -> Table:
    """All suppliers, one row each, highest priority first."""
    table = Table(
        title=(
            f"Principle-6 risk on {long_date(today)}: {len(scores)} suppliers "
            f"({_band_counts(scores)})"
        ),
        title_justify="left",
    )
    for col, justify in (
        ("Supplier", "left"),
        ("Criticality", "left"),
        ("Score", "right"),
        ("Band", "left"),
        ("Decide by", "left"),
        ("Gaps", "right"),
        ("Main finding", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for s in scores:
        top = s.top_finding
        table.add_row(
            Text(s.supplier),
            Text(s.criticality.label),
            Text(str(s.score)),
            Text(s.band.value),
            Text(_decide_by(s, today)),
            Text(str(len(s.data_gaps))),
            Text(top.title if top else ""),
        )
    return table


def supplier_detail(s: SupplierScore, today: dt.date) -> Group:
    """One supplier: the score, each dimension, every finding and the board questions."""
    head = Text()
    head.append(s.supplier, style="bold")
    head.append(f" ({criticality_phrase(s.criticality)} supplier)\n")
    head.append(f"Risk {s.score}/100, {s.band.value}; priority {s.priority:g}.")
    if s.next_decide_by is not None:
        head.append(f" Next decide-by date: {_decide_by(s, today)}")
        head.append(f" for '{s.next_decide_by_contract}'." if s.next_decide_by_contract else ".")
    dims = Table(
        title="Dimensions: risk points as a share of what the questions that apply can hold "
        "(record rules add on top; capped at 100)",
        title_justify="left",
    )
    for col, justify in (
        ("Dimension", "left"),
        ("Score", "right"),
        ("Risk points", "right"),
        ("Capacity", "right"),
    ):
        dims.add_column(col, justify=justify)  # type: ignore[arg-type]
    for d in s.dimensions:
        used = bool(d.max_points)
        dims.add_row(
            Text(d.dimension.label),
            Text(str(d.score) if used else "n/a"),
            Text(f"{d.points:g}" if used else ""),
            Text(f"{d.max_points:g}" if used else "no question applies"),
        )
    findings = Table(
        title=f"{len(s.findings)} findings ({len(s.data_gaps)} of them data gaps), most serious first",
        title_justify="left",
    )
    for col, justify in (
        ("Points", "right"),
        ("Finding", "left"),
        ("Why it matters", "left"),
        ("Principle 6", "left"),
    ):
        findings.add_column(col, justify=justify)  # type: ignore[arg-type]
    for f in s.findings:
        title = f.title + (f" ('{f.contract}')" if f.contract and f.contract not in f.title else "")
        findings.add_row(Text(f"{f.points:g}"), Text(title), Text(f.explanation), Text(f.reference))
    asks = Text("Questions for the board:\n" if s.questions else "No questions for the board.\n")
    for i, q in enumerate(s.questions, 1):
        asks.append(f"{i:2d}. {q.text}\n")
    return Group(head, Text(""), dims, findings, asks)


# --- questions ------------------------------------------------------------------------------


@click.command()
@_supplier_option
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=DEFAULT_TOP,
    show_default=True,
    help="How many questions, most pressing first.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="md is a board-paper section ready to paste.",
)
@_today_option
@_config_option
@click.pass_obj
def questions(
    state: State,
    supplier_name: str | None,
    top: int,
    fmt: str,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """The questions to take to the board, grouped under principle 6's three key questions."""
    from supplier_register.cli import console

    day = resolve_today(today)
    config = load_config(config_path)
    register, scores = _scores(state, day, config)
    chosen = [_one(scores, supplier_name)] if supplier_name else scores.suppliers
    asked = top_questions(chosen, top, config.top_questions_per_key)
    if fmt == "json":
        click.echo(questions_json(asked, day, supplier_name and chosen[0].supplier))
    elif fmt == "md":
        click.echo(board_paper(asked, chosen, day, register.trust, single=bool(supplier_name)))
    else:
        console().print(questions_table(asked, day))


def questions_json(asked: list[BoardQuestion], today: dt.date, supplier: str | None) -> str:
    """The documented JSON of ``questions --format json``."""
    document: dict[str, Any] = {
        "format": QUESTIONS_FORMAT,
        "format_version": JSON_VERSION,
        "generator": f"supplier-register {__version__}",
        "today": today.isoformat(),
        "supplier": supplier,
        "key_questions": {k.value: k.text for k in KeyQuestion},
        "questions": [
            {"rank": rank, **q.model_dump(mode="json")} for rank, q in enumerate(asked, 1)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def questions_table(asked: list[BoardQuestion], today: dt.date) -> Table:
    """The questions, most pressing first."""
    table = Table(
        title=f"{len(asked)} questions for the board on {long_date(today)}, most pressing first",
        title_justify="left",
    )
    for col, justify in (
        ("#", "right"),
        ("Priority", "right"),
        ("Key question", "left"),
        ("Supplier", "left"),
        ("Question", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for rank, q in enumerate(asked, 1):
        table.add_row(
            Text(str(rank)),
            Text(f"{q.priority:g}"),
            Text(_KEY_SHORT[q.key_question]),
            Text(q.supplier),
            Text(q.text),
        )
    return table


_KEY_SHORT = {
    KeyQuestion.SKILLS: "Skills",
    KeyQuestion.CONTRACTING: "Contracting",
    KeyQuestion.IF_WRONG: "If it went wrong",
}


def board_paper(
    asked: list[BoardQuestion],
    scored: list[SupplierScore],
    today: dt.date,
    trust: str | None,
    *,
    single: bool = False,
) -> str:
    """A Markdown board-paper section: the questions under principle 6's three key questions."""
    from supplier_register.reports.mdtext import md_escape

    by_name = {s.supplier: s for s in scored}
    whose = md_escape(trust) if trust else "the trust"
    if single:
        s = scored[0]
        title = f"## {md_escape(s.supplier)}: questions for the board"
        scope = (
            f"{md_escape(s.supplier)} is a {criticality_phrase(s.criticality)} supplier to "
            f"{whose}. Scored on {long_date(today)} against principle 6, its risk is "
            f"{s.score} out of 100 ({s.band.value})."
        )
    else:
        title = "## Technology suppliers: questions for the board"
        scope = (
            f"The register of {whose}'s technology suppliers was scored on {long_date(today)} "
            f"against principle 6. Of {len(scored)} suppliers, {_band_words(scored)}."
        )
    lines = [
        title,
        "",
        "Principle 6 of NHS Providers' *Digital delivery principles*, \"Get the best out of "
        'technology suppliers", asks boards three questions. ' + scope,
        "",
        (
            f"The {len(asked)} most pressing question{'s' if len(asked) != 1 else ''} it raises "
            "are below, grouped under those three questions, the most pressing first under each "
            "heading. Questions are ranked by how critical the supplier is to the trust and how "
            "serious the finding behind the question is."
            if asked
            else "The register raises no questions for the board."
        ),
    ]
    number = 0
    for key_question in KeyQuestion:
        under = [q for q in asked if q.key_question is key_question]
        lines += ["", f"### {key_question.text}", ""]
        if not under:
            lines.append(
                f"None of the {len(asked)} most pressing questions falls under this heading."
            )
            continue
        for q in under:
            number += 1
            lines.append(f"{number}. {md_escape(q.text)}  ")
            lines.append(f"   *{_why(q, by_name[q.supplier])}*")
    lines += [
        "",
        f"*Prepared with supplier-register {__version__}. Every score is explained finding by "
        "finding in the register; unknown answers count as risk until someone finds out.*",
    ]
    return "\n".join(lines)


def _band_words(scored: list[SupplierScore]) -> str:
    """'13 are at severe risk, 9 high, 5 medium and 5 low'."""
    counts = Counter(s.band for s in scored)
    present = [b for b in sorted(Band, key=lambda b: -b.rank) if counts[b]]
    if not present:
        return "none has been scored"
    first = present[0]
    parts = [f"{counts[first]} {'is' if counts[first] == 1 else 'are'} at {first.value} risk"]
    parts += [f"{counts[b]} {b.value}" for b in present[1:]]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _why(q: BoardQuestion, s: SupplierScore) -> str:
    """One italic line under a question: whose it is and the finding behind it."""
    from supplier_register.reports.mdtext import md_escape

    who = (
        f"{md_escape(s.supplier)}: {criticality_phrase(s.criticality)} supplier, risk "
        f"{s.score}/100 ({s.band.value})."
    )
    behind = [
        f
        for f in s.findings
        if f.code in q.finding_codes and (f.contract is None or f.contract in q.contracts)
    ]
    if not behind:
        return who
    if all(f.data_gap for f in behind):
        count = f"{len(behind)} unknown{'s' if len(behind) != 1 else ''}"
        return f"{who} {count} behind this question; unknowns count as risk until answered."
    return f"{who} {md_escape(behind[0].explanation)}"
