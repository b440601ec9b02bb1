"""The three lists of the board pack in plain words, for the Markdown paper and the review pack.

Decisions required, board questions and management actions (see
:mod:`supplier_register.scoring.board`) are worded here once, as plain text with no markup,
so the Markdown board paper and both formats of the review pack say the same thing; each
format escapes the text by its own rules.
"""

from __future__ import annotations

import datetime as dt

from supplier_register.scoring.board import (
    BoardPack,
    Decision,
    ManagementAction,
    days_text,
    decisions_scope,
)
from supplier_register.scoring.results import BoardQuestion
from supplier_register.scoring.text import join_and, long_date, plural, quoted

ACTIONS_SHOWN = 15
"""How many management actions a paper lists before saying how many more there are."""

DECISION_HEADERS = [
    "#",
    "Supplier",
    "Date",
    "Days left",
    "Notice by",
    "Decision",
    "If nothing is done",
    "Owner",
]
ACTION_HEADERS = ["#", "Supplier", "Action", "Owner", "Due"]
NO_OWNER = "none recorded"


def decision_date(decision: Decision) -> str:
    """'decide by 1 April 2025', or 'ended on 31 October 2026' for a contract that has ended."""
    if decision.kind == "ended_in_use":
        return f"ended on {long_date(decision.date)}"
    return f"decide by {long_date(decision.date)}"


def decision_days(decision: Decision) -> str:
    """'overdue by 604 days', 'in 5 days'; 'ended 26 days ago' for an ended contract."""
    return decision.when


def decision_cells(number: int, decision: Decision) -> list[str]:
    """One row of the decisions table, in :data:`DECISION_HEADERS` order."""
    return [
        str(number),
        decision.supplier,
        decision_date(decision),
        decision_days(decision),
        long_date(decision.notice_by) if decision.notice_by else "",
        decision.action + ".",
        decision.consequence,
        decision.owner or NO_OWNER,
    ]


def decisions_intro(pack: BoardPack) -> str:
    return (
        f"What the board must decide about the contracts of "
        f"{decisions_scope(pack.decisions_from)}: decide-by dates passed or within "
        f"{plural(pack.horizon_days, 'day')}, notice dates of contracts that renew "
        "automatically, and contracts that ended while the service is still used. Overdue and "
        "urgent ones first, then by criticality and date."
    )


def decisions_empty(pack: BoardPack) -> str:
    return (
        f"No decision about a contract falls due within {plural(pack.horizon_days, 'day')}, "
        "and none is overdue."
    )


def questions_intro(pack: BoardPack) -> str:
    asked, total = len(pack.questions), pack.question_total
    how = (
        "by one priority (the supplier's impact times the severity of what raised them), at "
        "most one per supplier and theme; each tagged with the key question of principle 6 it "
        "serves."
    )
    if not asked:
        return f"Board questions are chosen {how}"
    if asked >= total:
        return (
            f"The {plural(asked, 'question')} the board should put (all the register raises), "
            f"ranked {how}"
        )
    return (
        f"The {asked} questions the board should put, chosen from the {total} the register "
        f"raises {how}"
    )


QUESTIONS_EMPTY = "No questions: no supplier raised a finding that needs the board."


def question_whose(question: BoardQuestion) -> str:
    """'strategic', 'high', or 'its own finding' (a question about the trust itself)."""
    return "its own finding" if question.scope == "trust" else question.criticality.label.lower()


def question_contracts(question: BoardQuestion) -> str:
    """'Contracts: 'A' and 'B'' (empty when the question names none)."""
    if not question.contracts:
        return ""
    word = "Contract" if len(question.contracts) == 1 else "Contracts"
    return f"{word}: {join_and([quoted(c) for c in question.contracts])}"


def question_evidence(question: BoardQuestion) -> str:
    """'Recorded: One PACS for every site. Never tested.' (empty when nothing is recorded):
    each recorded note a sentence of its own."""
    if not question.evidence:
        return ""
    notes = [e if e.endswith((".", "!", "?")) else f"{e}." for e in question.evidence]
    return f"Recorded: {' '.join(notes)}"


def actions_intro(pack: BoardPack) -> str:
    return (
        "For the CIO's team, not put to the board: what to find out (the most important "
        "unknowns first) and the contract dates of less critical suppliers, soonest due first. "
        "They can be turned into review actions in one step."
    )


ACTIONS_EMPTY = "No management actions: nothing is unknown and no contract date falls due."


def action_cells(number: int, action: ManagementAction, today: dt.date) -> list[str]:
    """One row of the management actions table, in :data:`ACTION_HEADERS` order."""
    return [
        str(number),
        action.supplier,
        action.text,
        action.owner or NO_OWNER,
        f"{long_date(action.due)} ({days_text(action.days_left(today))})",
    ]


def actions_more(pack: BoardPack, shown: int = ACTIONS_SHOWN) -> str | None:
    """What the list leaves out, or None when it shows every action."""
    more = len(pack.actions) - shown
    if more <= 0:
        return None
    return (
        f"{plural(more, 'more management action')} not listed here "
        f"({len(pack.actions)} in all); the register's board view lists every one."
    )


def ended_on(pack: BoardPack | None) -> dict[str, dt.date]:
    """The end date of each board-level supplier's soonest contract that ended while its
    service is still used, by supplier."""
    out: dict[str, dt.date] = {}
    for decision in pack.decisions if pack is not None else ():
        ended = [c.date for c in decision.contracts if c.kind == "ended_in_use"]
        if ended:
            out[decision.supplier] = min(ended)
    return out
