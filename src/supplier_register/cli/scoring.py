"""CLI commands for principle-6 scoring: ``score`` and ``questions``.

They are registered on the main group by :mod:`supplier_register.cli`.  The
JSON they print is documented in the README ("Scores and board questions as
JSON"); ``questions --format md`` is a board-paper section ready to paste.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Group
from rich.table import Table
from rich.text import Text

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
from supplier_register.domain.models import SupplierRecord
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.reports.model_text import (
    MODEL_EXPLAINED,
    impact_reasons_text,
    percent,
    range_text,
    risk_line,
)
from supplier_register.reports.scores import board_paper, questions_json, scores_json
from supplier_register.scoring import (
    Band,
    BoardQuestion,
    KeyQuestion,
    ScoringConfig,
    SupplierOverview,
    SupplierScore,
    load_config,
    top_questions,
)
from supplier_register.scoring.text import criticality_phrase, long_date

if TYPE_CHECKING:
    from supplier_register.services.register_scoring import RegisterScoring

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_today_option = today_option("Score as on this day, for reproducible runs (default: today).")
_supplier_option = click.option(
    "--supplier",
    "supplier_name",
    type=TEXT,
    metavar="NAME",
    help="Only this supplier (name, any case).",
)


def _one(scoring: RegisterScoring, name: str) -> SupplierRecord:
    supplier = scoring.supplier_named(name.strip())
    if supplier is None:
        raise NotFound(f"--supplier: no supplier named {name.strip()!r}")
    return supplier


def _band_counts(scores: list[SupplierOverview]) -> str:
    counts = Counter(s.band for s in scores)
    parts = [f"{counts[b]} {b.value}" for b in sorted(Band, key=lambda b: -b.rank) if counts[b]]
    return ", ".join(parts) if parts else "none"


def _decide_by(score: SupplierScore | SupplierOverview, today: dt.date) -> str:
    if score.next_decide_by is None:
        return ""
    text = long_date(score.next_decide_by)
    return f"{text} (passed)" if score.next_decide_by < today else text


# --- score ----------------------------------------------------------------------------------


@contextmanager
def _scoring(
    state: State, today: dt.date | None, config_path: Path | None
) -> Iterator[tuple[dt.date, ScoringConfig, RegisterScoring]]:
    """The day, the config and the register's scoring for one command, on its register."""
    from supplier_register.services.register_scoring import prepare_scoring

    day = resolve_today(today)
    config = load_config(config_path)
    with state.repository(create=False) as repo:
        yield day, config, prepare_scoring(repo.db, day, config=config)


@click.command()
@_supplier_option
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_today_option
@config_option
@click.pass_obj
def score(
    state: State,
    supplier_name: str | None,
    fmt: str,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """Score suppliers against principle 6, highest priority first, with the reasons."""
    with _scoring(state, today, config_path) as (day, config, scoring):
        if supplier_name:
            one = scoring.full_score(_one(scoring, supplier_name))
            if fmt == "json":
                top = top_questions([one], config.top_questions, config.top_questions_per_key)
                click.echo(json_controls("".join(scores_json(day, [one], top, config))))
            else:
                console().print(supplier_detail(one, day))
            return
        # the register-wide questions of the JSON include those about the trust itself
        found = scoring.trust_findings() if fmt == "json" else None
        overview = scoring.overview(trust_findings=found)
        if fmt == "json":
            # Every supplier in full: worked out and written a batch at a time.
            chosen = [s for s, _ in scoring.in_priority_order(overview)]
            full = (score for _, score in scoring.iter_full_scores(chosen))
            for piece in scores_json(day, full, overview.top_questions, config):
                click.echo(json_controls(piece), nl=False)
            click.echo()
            return
    console().print(scores_table(overview.suppliers, day))


def scores_table(scores: list[SupplierOverview], today: dt.date) -> Table:
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
        ("Impact", "right"),
        ("Exposure", "right"),
        ("Confidence (range)", "right"),
        ("Decide by", "left"),
        ("Gaps", "right"),
        ("Main finding", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for s in scores:
        top = s.top_finding
        table.add_row(
            cell(s.supplier),
            cell(s.criticality.label),
            cell(str(s.score)),
            cell(s.band.value),
            cell(f"{s.impact:.1f}"),
            cell(percent(s.exposure)),
            cell(f"{percent(s.confidence)} ({range_text(s)})"),
            cell(_decide_by(s, today)),
            cell(str(s.data_gap_count)),
            cell(top.title if top else ""),
        )
    return table


def supplier_detail(s: SupplierScore, today: dt.date) -> Group:
    """One supplier: the score, each dimension, every finding and the board questions."""
    head = Text()
    head.append(show_controls(s.supplier), style="bold")
    head.append(f" ({criticality_phrase(s.criticality)} supplier)\n")
    head.append(risk_line(s) + ".")
    if s.band is Band.UNASSESSED:
        head.append(" Too little is known to band it: its data gaps are actions for the team.")
    head.append("\n" + impact_reasons_text(s.impact, s.impact_reasons))
    if s.next_decide_by is not None:
        head.append(f"\nNext decide-by date: {_decide_by(s, today)}")
        contract = s.next_decide_by_contract
        head.append(f" for '{show_controls(contract)}'." if contract else ".")
    how = Text(MODEL_EXPLAINED, style="dim")
    dims = Table(
        title="Dimensions: where the exposure is (each dimension's exposure, 0 to 100; its "
        "findings' risk points; the weight of the questions that apply)",
        title_justify="left",
    )
    for col, justify in (
        ("Dimension", "left"),
        ("Score", "right"),
        ("Risk points", "right"),
        ("Question weight", "right"),
    ):
        dims.add_column(col, justify=justify)  # type: ignore[arg-type]
    for d in s.dimensions:
        used = bool(d.max_points)
        dims.add_row(
            cell(d.dimension.label),
            cell(str(d.score) if used else "n/a"),
            cell(f"{d.points:g}" if used else ""),
            cell(f"{d.max_points:g}" if used else "no question applies"),
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
        findings.add_row(
            cell(f"{f.points:g}"),
            cell(title),
            cell(f.explanation, multiline=True),
            cell(f.reference),
        )
    asks = Text("Questions for the board:\n" if s.questions else "No questions for the board.\n")
    for i, q in enumerate(s.questions, 1):
        asks.append(f"{i:2d}. {show_controls(q.text)}\n")
        for excerpt in q.evidence:
            asks.append(f"    Recorded: {show_controls(excerpt)}\n", style="dim italic")
    return Group(head, Text(""), how, Text(""), dims, findings, asks)


# --- questions ------------------------------------------------------------------------------


@click.command()
@_supplier_option
@click.option(
    "--top",
    type=count(1),
    default=None,
    help="How many questions, most pressing first, in one ranking across the register "
    "(default: the scoring config's top_questions, 10).",
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
@config_option
@click.pass_obj
def questions(
    state: State,
    supplier_name: str | None,
    top: int | None,
    fmt: str,
    today: dt.date | None,
    config_path: Path | None,
) -> None:
    """The questions to take to the board, most pressing first: one ranking, at most one per
    supplier and theme (the further questions of a theme merged into it).

    The same list, in the same order, as the board questions of ``board``."""
    with _scoring(state, today, config_path) as (day, config, scoring):
        if top is None:
            top = config.top_questions
        explained: dict[int | None, SupplierScore] = {}
        if supplier_name:
            one = scoring.full_score(_one(scoring, supplier_name))
            asked = top_questions([one], top, config.top_questions_per_key)
            overviews = [SupplierOverview.of(one)]
            explained = {one.supplier_id: one}
        else:
            overview = scoring.overview(question_limit=top, trust_findings=scoring.trust_findings())
            asked, overviews = overview.top_questions, overview.suppliers
            if fmt == "md":  # the board paper explains each question by its supplier's findings
                behind = {q.supplier_id for q in asked}
                chosen = [s for s in scoring.suppliers if s.id in behind]
                explained = {s.id: f for s, f in scoring.iter_full_scores(chosen)}
    if fmt == "json":
        click.echo(
            json_controls(questions_json(asked, day, supplier_name and overviews[0].supplier))
        )
    elif fmt == "md":
        paper = board_paper(
            asked, overviews, explained, day, scoring.trust, single=bool(supplier_name)
        )
        click.echo(json_controls(paper))
    else:
        console().print(questions_table(asked, day))


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
        ("Theme", "left"),
        ("Supplier", "left"),
        ("Question", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for rank, q in enumerate(asked, 1):
        table.add_row(
            cell(str(rank)),
            cell(f"{q.priority:g}"),
            cell(_KEY_SHORT[q.key_question]),
            cell(q.theme.label if q.theme is not None else "The trust"),
            cell(q.supplier if q.scope == "supplier" else f"{q.supplier} (its own finding)"),
            question_cell(q),
        )
    return table


def question_cell(q: BoardQuestion) -> Text:
    """A question's text, then each piece of evidence recorded behind it on a line of its own."""
    text = cell(q.text)
    for excerpt in q.evidence:
        text.append("\n")
        text.append_text(cell(f"Recorded: {excerpt}", style="dim italic"))
    return text


_KEY_SHORT = {
    KeyQuestion.SKILLS: "Skills",
    KeyQuestion.CONTRACTING: "Contracting",
    KeyQuestion.IF_WRONG: "If it went wrong",
}
