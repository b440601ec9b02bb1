"""The executive summary of a board paper: three to five sentences generated from the data.

The position of the register, what changed since the last review, the decisions required
with their dates, and what follows for the board and for the CIO's team.  Every figure comes
from the summary it is given; nothing is said that the register does not record.
"""

from __future__ import annotations

from collections.abc import Sequence

from supplier_register.domain.enums import Criticality
from supplier_register.reports.summary import RiskSummary, SupplierRow
from supplier_register.scoring.board import URGENT_DAYS, BoardPack, Decision
from supplier_register.scoring.results import Band
from supplier_register.scoring.text import join_and, long_date, plural

NAMED_DECISIONS = 3
"""The most decisions the summary names: those of the first few that are overdue or urgent."""

MOVE_POINTS = 5
"""A change of score smaller than this since the last review is not called a rise or a fall."""


def executive_summary(summary: RiskSummary) -> list[str]:
    """Three to five sentences for the top of a board paper, each a whole sentence."""
    rows = summary.suppliers
    if not rows:
        return ["The register holds no suppliers yet, so there is nothing to report to the board."]
    sentences = [_position(rows)]
    change = _changes(rows)
    if change:
        sentences.append(change)
    pack = summary.board
    if pack is not None:
        sentences.append(_decisions(pack.decisions))
        sentences.append(_questions_and_actions(pack))
    return sentences


def _questions_and_actions(pack: BoardPack) -> str:
    """How many questions the paper puts to the board, of how many, and what the CIO's team
    is left with (counted by kind: nothing is said of the actions that is not so)."""
    asked, total = len(pack.questions), pack.question_total
    if not asked:
        text = "The register raises no question for the board"
    elif asked >= total:
        text = f"The paper puts all {plural(asked, 'question')} the register raises to the board"
    else:
        text = (
            f"The paper puts to the board the {asked} most pressing of the {total} questions "
            "the register raises"
        )
    if pack.actions:
        count = len(pack.actions)
        find_out = sum(1 for a in pack.actions if a.kind == "find_out")
        kinds = []
        if find_out:
            kinds.append(f"{find_out} to find out what is not yet recorded")
        if count > find_out:
            kinds.append(f"{count - find_out} on contract dates of less critical suppliers")
        text += (
            f"; {plural(count, 'management action')} for the CIO's team "
            f"{'is' if count == 1 else 'are'} listed for information ({join_and(kinds)})"
        )
    return text + "."


def _position(rows: Sequence[SupplierRow]) -> str:
    strategic = sum(1 for r in rows if r.criticality is Criticality.STRATEGIC)
    high = sum(1 for r in rows if r.criticality is Criticality.HIGH)
    bands = {b: sum(1 for r in rows if r.band is b) for b in Band}
    rated = [
        # 'at high risk', not 'rated high': high is a criticality too
        plural(bands[b], f"is at {b.value} risk", f"are at {b.value} risk")
        for b in (Band.SEVERE, Band.HIGH)
        if bands[b]
    ]
    text = (
        f"The register holds {plural(len(rows), 'technology supplier')}, "
        f"{strategic} strategic and {high} of high criticality"
    )
    if rated:
        text += f"; {join_and(rated)}"
    if bands[Band.UNASSESSED]:
        text += (
            f", and {plural(bands[Band.UNASSESSED], 'is', 'are')} not yet assessed because too "
            "little is recorded"
        )
    assessed = [r for r in rows if r.band is not Band.UNASSESSED]
    if not assessed:  # no supplier's risk is known: none is named the highest
        return f"{text}."
    top = max(assessed, key=lambda r: (r.score, -r.rank))
    return f"{text}. The highest risk is {top.supplier}, at {top.score} of 100 ({top.band.value})."


def _changes(rows: Sequence[SupplierRow]) -> str | None:
    """What changed since the last review, from each row's trend (None without a review)."""
    compared = [(r, r.trend[-2].score) for r in rows if len(r.trend) >= 2]
    if not compared:
        return None
    label = rows_label(rows)
    risen = sorted(
        ((r, was) for r, was in compared if r.score - was >= MOVE_POINTS),
        key=lambda p: p[1] - p[0].score,
    )
    fallen = [(r, was) for r, was in compared if was - r.score >= MOVE_POINTS]
    if not risen and not fallen:
        return (
            f"Since the last review ({label}) no supplier's risk has moved by {MOVE_POINTS} "
            "points or more."
        )
    parts = []
    if risen:
        r, was = risen[0]
        if len(risen) == 1:
            parts.append(f"risk rose for {r.supplier}, from {was} to {r.score}")
        else:
            parts.append(
                f"risk rose for {len(risen)} suppliers (most: {r.supplier}, from {was} "
                f"to {r.score})"
            )
    if fallen:
        parts.append(f"{'fell' if risen else 'risk fell'} for {plural(len(fallen), 'supplier')}")
    return f"Since the last review ({label}) {join_and(parts)}."


def rows_label(rows: Sequence[SupplierRow]) -> str:
    """The quarter of the last review the rows' trends compare with."""
    labels = [r.trend[-2].label for r in rows if len(r.trend) >= 2]
    return max(labels) if labels else "none"


def _decisions(decisions: Sequence[Decision]) -> str:
    if not decisions:
        return "No decision about a contract falls due within the horizon, and none is overdue."
    overdue = [d for d in decisions if d.overdue]
    urgent = [d for d in decisions[:NAMED_DECISIONS] if d.days_left <= URGENT_DAYS]
    named = [_named(d) for d in urgent or decisions[:1]]
    text = f"The board is asked to make {plural(len(decisions), 'decision')}"
    if overdue:
        text += f", {len(overdue)} of them overdue"
    return f"{text}; the most pressing: {join_and(named)}."


def _named(decision: Decision) -> str:
    if decision.kind == "ended_in_use":
        return f"{decision.supplier} (contract ended {long_date(decision.date)})"
    return f"{decision.supplier} (decide by {long_date(decision.date)}, {decision.when})"
