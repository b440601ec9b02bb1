"""The board pack: three lists, clearly apart, from a register scored on one day.

* **Decisions required**: the time-bound items the board must act on (a decide-by date
  passed or within the horizon, a notice date for an auto-renewal, a contract ended while
  its service is still used), for suppliers of the configured criticality or above, most
  urgent first, each with its date, the days left, what happens if nothing is done and the
  owner.
* **Board questions**: the short list, ranked by one priority, at most one per supplier and
  theme (the engine merges a theme's findings into one question), each tagged with the key
  question of principle 6 it serves; register-wide patterns (trust questions) rank beside them.
* **Management actions**: what the CIO's team must find out or do (data gaps, and the dates
  of less critical contracts), each with an owner and a due date; never put to the board.

Built here, once, from overviews and the register's top questions, so the TUI, the CLI and
every export show the same lists in the same order.  Pure: the caller supplies the owners.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from supplier_register.domain.bounds import add_days
from supplier_register.domain.enums import Criticality, Role
from supplier_register.scoring.config import BoardConfig
from supplier_register.scoring.results import (
    BoardQuestion,
    DecisionFact,
    KeyQuestion,
    SupplierOverview,
)
from supplier_register.scoring.text import join_and, long_date, plural, quoted, role_phrase

URGENT_DAYS = 31
"""A decision due within this many days (or overdue) is urgent: it cannot wait for the next
board meeting, so it leads the list whatever the supplier's criticality."""

REVIEW_TEXT_LIMIT = 500
"""The longest action text a review records."""

DecisionKind = Literal["decide_by", "ended_in_use"]
ActionKind = Literal["find_out", "decide"]


@dataclass(frozen=True, slots=True)
class ContractDeadline:
    """One contract of a decision: its deadline and why."""

    contract: str
    kind: DecisionKind
    date: dt.date
    """The deadline: the decide-by date, or the end date of a contract that has ended."""
    end_date: dt.date | None
    told: str
    """What happens if nothing is done, in a sentence (empty when it is ``situation`` and
    ``outcome``: see :attr:`consequence`)."""
    notice_by: dt.date | None = None
    """The last day to give notice (end date minus notice period), when recorded."""
    auto_renewal: bool | None = None
    outcome: str = ""
    """The consequence's outcome alone, when it follows from the contract's dates ('it is
    already too late ...'): contracts with the same outcome are told together."""
    situation: str = ""
    """The consequence's facts alone ("'X' ends on ... and moving takes ..."), with ``outcome``."""

    @property
    def consequence(self) -> str:
        """What happens if nothing is done, in a sentence (put together when read: a large
        register has tens of thousands of deadlines, a paper shows a few)."""
        return self.told or f"{self.situation}: {self.outcome}"


@dataclass(frozen=True, slots=True)
class Decision:
    """A time-bound decision about one supplier: its contracts that fall due, soonest first."""

    supplier: str
    criticality: Criticality
    kind: DecisionKind
    """The kind of the soonest deadline (what the row is headed by)."""
    date: dt.date
    """The soonest deadline."""
    days_left: int
    """Days from the pack's day to ``date`` (negative: overdue)."""
    action: str
    """What the board must decide, in a sentence."""
    consequence: str
    """What happens if nothing is done."""
    owner: str | None
    """Who leads the relationship (None: nobody recorded)."""
    contracts: tuple[ContractDeadline, ...]
    exit_plan: str | None
    """The answer on an exit plan ('yes', 'partly', 'no', 'unknown'; None: not asked)."""
    notice_by: dt.date | None = None
    """The soonest last day to give notice on an auto-renewing contract that is still ahead."""
    supplier_id: int | None = field(default=None, compare=False)
    key_question: KeyQuestion = KeyQuestion.IF_WRONG

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def when(self) -> str:
        """'overdue by 504 days', 'today', 'in 5 days'; 'ended 26 days ago' for a contract
        that has ended (the same words in every list and export)."""
        if self.kind == "ended_in_use" and self.days_left < 0:
            return f"ended {plural(-self.days_left, 'day')} ago"
        return days_text(self.days_left)


@dataclass(frozen=True, slots=True)
class ManagementAction:
    """Something for the CIO's team to find out or do, with an owner and a due date.

    Its sentence (:attr:`text`) is put together when it is read, from what the action holds:
    a register of tens of thousands of suppliers has as many actions, and a paper shows the
    first few.
    """

    supplier: str
    criticality: Criticality
    kind: ActionKind
    due: dt.date
    owner: str | None
    priority: float
    """Impact x severity, as the board questions' (for find-outs: the worst gap's)."""
    unknowns: tuple[str, ...] = ()
    """For a find-out: the most important unknowns, in words."""
    gap_count: int = 0
    """For a find-out: how many of the supplier's findings are data gaps."""
    contracts: tuple[str, ...] = ()
    supplier_id: int | None = field(default=None, compare=False)
    headline: str = ""
    """For a decide action: its first sentence alone (what to decide, by when)."""
    consequence: str = ""
    """For a decide action: what happens if nothing is done (the deadline's own sentence)."""

    @property
    def text(self) -> str:
        """The action, in sentences that stand on their own ('Find out for X: ...')."""
        if self.kind == "find_out":
            return find_out_text(self.supplier, self.unknowns, self.gap_count)
        return f"{self.headline} {self.consequence}".strip()

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    @property
    def review_text(self) -> str:
        """The action as a review records it: at most :data:`REVIEW_TEXT_LIMIT` characters
        (a decision's consequence left out; a long list of unknowns cut at a word)."""
        # The headline, not the text cut at its first '. ': a supplier or contract name
        # may hold one ('Smith & Co. Ltd').
        text = self.headline if self.kind == "decide" else self.text
        if len(text) <= REVIEW_TEXT_LIMIT:
            return text
        cut = text[: REVIEW_TEXT_LIMIT - 1].rsplit(" ", 1)[0]
        return cut.rstrip(" ;,:") + "…"


@dataclass(frozen=True, slots=True)
class BoardPack:
    """The three lists of a register on one day (see the module's docstring)."""

    today: dt.date
    decisions: tuple[Decision, ...]
    questions: tuple[BoardQuestion, ...]
    actions: tuple[ManagementAction, ...]
    question_total: int
    """How many board questions the register raises in all (``questions`` is the top)."""
    horizon_days: int
    decisions_from: Criticality


def days_text(days: int) -> str:
    """Days left in words: 'overdue by 504 days', 'today', 'in 5 days'."""
    if days < 0:
        return f"overdue by {plural(-days, 'day')}"
    if days == 0:
        return "today"
    return f"in {plural(days, 'day')}"


OwnerOf = Callable[[SupplierOverview], str | None]


def board_pack(
    overviews: Iterable[SupplierOverview],
    questions: Sequence[BoardQuestion],
    *,
    today: dt.date,
    config: BoardConfig,
    horizon_days: int,
    owner_of: OwnerOf,
    question_total: int | None = None,
) -> BoardPack:
    """The board pack of a register on ``today``: its decisions and management actions from
    the overviews, its board questions as given (the register's top list, already ranked)."""
    decisions: list[Decision] = []
    actions: list[ManagementAction] = []
    threshold = config.decisions_from.rank
    ranks = {c: c.rank for c in Criticality}  # an enum's property is slow in a loop
    due_default = add_days(today, config.action_due_days)
    for overview in overviews:
        board_level = ranks[overview.criticality] >= threshold
        deadlines = [deadline(fact, overview.supplier, today) for fact in overview.decisions]
        owner: str | None = None
        if deadlines or overview.gap_phrases:
            owner = owner_of(overview)
        if deadlines:
            if board_level:
                decisions.append(_decision(overview, deadlines, today, owner))
            else:
                actions.extend(_decide_actions(overview, deadlines, owner))
        if overview.gap_phrases:
            soonest = min((d.date for d in deadlines if d.date >= today), default=None)
            due = due_default if soonest is None or soonest > due_default else soonest
            actions.append(_find_out(overview, due, owner))
    decisions.sort(key=lambda d: decision_order(d))
    actions.sort(key=action_order)
    return BoardPack(
        today=today,
        decisions=tuple(decisions),
        questions=tuple(questions),
        actions=tuple(actions),
        question_total=len(questions) if question_total is None else question_total,
        horizon_days=horizon_days,
        decisions_from=config.decisions_from,
    )


def owner_text(name: str, role: Role) -> str:
    """How a pack names a relationship owner: 'Priya Raman-Holt (CIO / CDO)'; a role of
    'other' says nothing, so it is left out ('Aisha Karim')."""
    return name if role is Role.OTHER else f"{name} ({role_phrase(role)})"


def decisions_scope(least: Criticality) -> str:
    """Whose contracts the board decides on: 'strategic suppliers', 'high-criticality and
    strategic suppliers', 'suppliers of medium criticality or above'."""
    if least is Criticality.STRATEGIC:
        return "strategic suppliers"
    if least is Criticality.HIGH:
        return "high-criticality and strategic suppliers"
    return f"suppliers of {least.label.lower()} criticality or above"


def decision_order(decision: Decision) -> tuple[int, int, dt.date, str]:
    """Most urgent first: what is overdue or due within :data:`URGENT_DAYS` comes before the
    rest; within each, the most critical suppliers first, then the soonest date."""
    urgent = 0 if decision.days_left <= URGENT_DAYS else 1
    return (urgent, -decision.criticality.rank, decision.date, decision.supplier.casefold())


def action_order(action: ManagementAction) -> tuple[dt.date, float, str, str]:
    """Soonest due first; on the same day, the most pressing first."""
    return (action.due, -action.priority, action.supplier.casefold(), action.text)


def deadline(fact: DecisionFact, supplier: str, today: dt.date) -> ContractDeadline:
    """The deadline a contract sets, and what happens if it is missed."""
    end = fact.end_date
    title = quoted(fact.contract)
    if fact.kind == "ended_in_use":
        return ContractDeadline(
            fact.contract,
            "ended_in_use",
            fact.date,
            end,
            f"The term of {title} ended on {long_date(fact.date)} and no current contract is on "
            "record: the service runs with no agreed terms, service levels or help to leave "
            "until one is signed.",
        )
    notice_by = fact.notice_by
    if fact.auto_renewal is True and end is not None:
        renews = f"it renews automatically when its term ends on {long_date(end)}"
        if fact.date < today and notice_by is not None and notice_by >= today:
            consequence = (
                f"It is too late to move to another supplier in time, but notice on {title} can "
                f"still be given until {long_date(notice_by)}; after that {renews}."
            )
        elif notice_by is not None and notice_by < today:
            consequence = (
                f"The last day to give notice on {title} passed on {long_date(notice_by)}: "
                f"{renews}, on terms nobody has renegotiated."
            )
        else:
            last = f" by {long_date(notice_by)}" if notice_by is not None else ""
            consequence = f"Unless notice is given{last}, {renews}."
        return ContractDeadline(
            fact.contract, "decide_by", fact.date, end, consequence, notice_by, True
        )
    moving = (
        f"moving to another supplier takes {span(fact.migration_days)}"
        if fact.migration_days
        else "a move to another supplier needs time"
    )
    ends = f"{title} ends on {long_date(end)}" if end is not None else f"{title} ends"
    reach = ""
    if fact.latest_end is not None and end is not None and fact.latest_end > end:
        reach = f" (its extension options run to {long_date(fact.latest_end)})"
    situation = f"{ends}{reach} and {moving}"
    if fact.date < today:
        outcome = (
            f"it is already too late to leave in time, so the trust must extend or renew with "
            f"{supplier} on the terms it can get."
        )
    else:
        outcome = (
            f"after {long_date(fact.date)} the only option left is to extend or renew with "
            f"{supplier}, on the terms it can get."
        )
    return ContractDeadline(
        fact.contract,
        "decide_by",
        fact.date,
        end,
        "",
        notice_by,
        fact.auto_renewal,  # False, or None: not recorded (never told as "no")
        outcome,
        situation,
    )


def span(days: int) -> str:
    """A length of time in words: '180 days', '270 days (about 9 months)', '3 years'."""
    if days >= 365 and days % 365 == 0:
        return plural(days // 365, "year")
    if days >= 60:
        return f"{days:,} days (about {round(days / 30.44)} months)"
    return plural(days, "day")


def told_together(deadlines: Sequence[ContractDeadline]) -> str:
    """What happens if nothing is done about several contracts: contracts whose outcome is the
    same (both too late to leave in time) are told in one sentence, their facts joined."""
    parts: list[str] = []
    held: list[ContractDeadline] = []

    def flush() -> None:
        if held:
            # The outcome is told once, and says that it holds for every contract named.
            each = "" if len(held) == 1 else "in both cases " if len(held) == 2 else "in each case "
            parts.append(f"{'; '.join(d.situation for d in held)}: {each}{held[0].outcome}")
            held.clear()

    for d in deadlines:
        if d.outcome and held and d.outcome == held[0].outcome:
            held.append(d)
        elif d.outcome:
            flush()
            held.append(d)
        else:
            flush()
            parts.append(d.consequence)
    flush()
    return " ".join(p[:1].upper() + p[1:] for p in parts)


def _contracts_phrase(titles: Sequence[str]) -> str:
    """ "our contract 'A'" or "our contracts 'A' and 'B'"."""
    word = "contract" if len(titles) == 1 else "contracts"
    return f"our {word} {join_and([quoted(t) for t in titles])}"


def _action(
    kind: DecisionKind, titles: Sequence[str], supplier: str, ended: dt.date | None = None
) -> str:
    contracts = _contracts_phrase(titles)
    if kind == "ended_in_use":
        on = f" on {long_date(ended)}" if ended is not None else ""
        return (
            f"Put a new contract in place with {supplier}: {contracts} ended{on} but the "
            "service is still in use"
        )
    return f"Decide whether to renew or leave {contracts} with {supplier}"


def _decision(
    overview: SupplierOverview,
    deadlines: Sequence[ContractDeadline],
    today: dt.date,
    owner: str | None,
) -> Decision:
    ordered = sorted(deadlines, key=lambda d: (d.date, d.contract))
    first = ordered[0]
    titles = [d.contract for d in ordered]
    action = _action(first.kind, titles, overview.supplier)
    if len({d.kind for d in ordered}) > 1:
        action = f"Decide what happens to {_contracts_phrase(titles)} with {overview.supplier}"
    consequence = told_together(ordered)
    plan = overview.exit_plan
    if overview.criticality is Criticality.STRATEGIC and plan in ("no", "partly"):
        recorded = "no exit plan" if plan == "no" else "that the exit plan is only partly in place"
        action += ", and commission an exit plan first"
        consequence += (
            f" The register records {recorded}, so leaving is not yet a real option and the "
            "trust negotiates without an alternative."
        )
    elif overview.criticality is Criticality.STRATEGIC and plan == "unknown":
        # Unknown stays unknown: the register does not say there is no plan.
        action += ", and first find out whether there is an exit plan"
        consequence += (
            " The register does not record whether there is an exit plan; without one, "
            "leaving is not a real option."
        )
    return Decision(
        supplier=overview.supplier,
        criticality=overview.criticality,
        kind=first.kind,
        date=first.date,
        days_left=(first.date - today).days,
        action=action,
        consequence=consequence,
        owner=owner,
        contracts=tuple(ordered),
        exit_plan=plan,
        notice_by=min(
            (
                d.notice_by
                for d in ordered
                if d.auto_renewal is True and d.notice_by and d.notice_by >= today
            ),
            default=None,
        ),
        supplier_id=overview.supplier_id,
    )


def _decide_actions(
    overview: SupplierOverview, deadlines: Sequence[ContractDeadline], owner: str | None
) -> list[ManagementAction]:
    """A less critical supplier's deadlines: the CIO's team's to act on, one each."""
    out = []
    for d in deadlines:
        if d.kind == "ended_in_use":
            headline = f"{_action(d.kind, [d.contract], overview.supplier, d.date)}."
        else:
            headline = f"{_action(d.kind, [d.contract], overview.supplier)} ({long_date(d.date)})."
        out.append(
            ManagementAction(
                supplier=overview.supplier,
                criticality=overview.criticality,
                kind="decide",
                due=d.date,
                owner=owner,
                priority=overview.priority,
                contracts=(d.contract,),
                supplier_id=overview.supplier_id,
                headline=headline,
                consequence=d.consequence,
            )
        )
    return out


def _find_out(overview: SupplierOverview, due: dt.date, owner: str | None) -> ManagementAction:
    return ManagementAction(
        supplier=overview.supplier,
        criticality=overview.criticality,
        kind="find_out",
        due=due,
        owner=owner,
        priority=overview.gap_priority,
        unknowns=overview.gap_phrases,
        gap_count=overview.data_gap_count,
        supplier_id=overview.supplier_id,
    )


def find_out_text(supplier: str, unknowns: Sequence[str], gap_count: int) -> str:
    """'Find out for X: a; b; and c (4 more unknowns beside these).'"""
    if not unknowns:
        return f"Find out for {supplier}: {plural(gap_count, 'unknown')}."
    if len(unknowns) == 2:  # 'a and b'; 'a; b; and c' (the phrases may hold commas)
        listed = " and ".join(unknowns)
    else:
        listed = "; ".join(unknowns[:-1]) + ("; and " if len(unknowns) > 1 else "") + unknowns[-1]
    more = gap_count - len(unknowns)
    tail = f" ({plural(more, 'more unknown')} beside these)" if more > 0 else ""
    return f"Find out for {supplier}: {listed}{tail}."
