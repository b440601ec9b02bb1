"""The quarterly review pack, in Markdown and HTML, from a :class:`ReviewReport`.

Both formats are rendered from the same plain-text sections (:func:`sections`),
so they always say the same thing; the HTML adds band colours and score-trend
sparklines.  All user text is escaped by each format's own rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from supplier_register.impact.cells import exit_plan_text, outage_text
from supplier_register.reports import board_text as bt
from supplier_register.reports.htmldoc import (
    DEFAULT_MARKING,
    band_badge,
    document,
    masthead,
    table,
)
from supplier_register.reports.htmltree import Child, h
from supplier_register.reports.mdtext import md_escape, md_table
from supplier_register.reports.summary import AuditSeal
from supplier_register.reports.svg import sparkline
from supplier_register.reports.wording import audit_seal_line, long_date
from supplier_register.review.models import (
    ActionStatus,
    ExitPlanAtReview,
    Mover,
    ReviewReport,
    model_label,
)
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.results import Band

GAP_UNKNOWNS = 3
"""How many of a supplier's unknowns the data-gap table names (the most important)."""


@dataclass(frozen=True)
class Section:
    """One part of the pack: a heading, a sentence, and a table of plain-text cells."""

    key: str
    title: str
    intro: str
    headers: list[str]
    rows: list[list[str]]
    empty: str
    numeric: frozenset[int] = field(default_factory=frozenset)
    flagged: list[bool] = field(default_factory=list)  # rows to highlight (overdue, passed)
    nowrap: frozenset[str] = frozenset(
        {
            "Was",
            "Now",
            "Change",
            "Every",
            "Last review",
            "Due",
            "Decide by",
            "Ends",
            "Trend",
        }
    )
    after: str = ""
    """A sentence after the table (what it leaves out), if any."""


def _iso(day: object) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else ""


def _change(m: Mover) -> str:
    if m.previous_score is None:
        return "new"
    if not m.comparable:  # unassessed then or now: neither better nor worse
        return "not assessed" if m.band is Band.UNASSESSED else "now assessed"
    diff = m.change
    return f"▲ {diff}" if diff > 0 else f"▼ {-diff}" if diff < 0 else "no change"


def model_note(report: ReviewReport) -> str | None:
    """Why scores are not compared with the previous review, when another model scored it."""
    if report.previous_quarter is None or report.compared:
        return None
    before = model_label(report.previous_scoring_model or "")
    return (
        f"The {report.previous_quarter} review was scored with another model ({before}): "
        "scored with a different model, so scores and findings are not compared with it."
    )


def sections(report: ReviewReport, board: BoardPack | None = None) -> list[Section]:
    """The sections of the pack, in reading order, as plain text.

    With the ``board`` pack of the review's day, the pack opens with its decisions required
    and board questions and lists its management actions (the board questions then replace
    the snapshot's); without one, the snapshot's board questions close it.
    """
    prev = report.previous_quarter
    note = model_note(report)
    movers = Section(
        "movers",
        f"Movers since {prev}" if prev else "Movers",
        (
            f"{note} Only the suppliers new since then are listed."
            if note
            else "Suppliers whose risk score or findings changed since the previous review, "
            "biggest change first."
            if prev
            else "This is the first review: there is nothing to compare with yet."
        ),
        ["Supplier", "Criticality", "Was", "Now", "Change", "Band", "New findings", "Resolved"],
        [
            [
                m.supplier,
                m.criticality.label,
                "" if m.previous_score is None else str(m.previous_score),
                str(m.score),
                _change(m),
                m.band.value.capitalize()
                if m.previous_band in (None, m.band)
                else f"{m.previous_band.value.capitalize()} → {m.band.value.capitalize()}",
                "; ".join(m.new_findings),
                "; ".join(m.resolved_findings),
            ]
            for m in report.movers
        ],
        "No supplier is new since then."
        if note
        else "No supplier's score or findings changed."
        if prev
        else "No earlier review.",
        frozenset({2, 3, 4}),
        [m.change > 0 for m in report.movers],
    )
    if report.left:
        movers = Section(
            movers.key,
            movers.title,
            movers.intro + " No longer in the register: " + "; ".join(report.left) + ".",
            movers.headers,
            movers.rows,
            movers.empty,
            movers.numeric,
            movers.flagged,
        )
    due = Section(
        "due",
        "Relationship reviews due",
        f"Suppliers whose relationship review falls due by the end of {report.quarter} "
        "(every 3 months for strategic suppliers, 6 for high, 12 otherwise, unless set), "
        "overdue first.",
        ["Supplier", "Criticality", "Owner", "Every", "Last review", "Due", "Status"],
        [
            [
                d.supplier,
                d.criticality.label,
                d.owner or "no owner",
                f"{d.cadence_months} months",
                _iso(d.last_review) or "never",
                _iso(d.due_on) or "now",
                "Overdue" if d.overdue else "Due",
            ]
            for d in report.due_reviews
        ],
        "No relationship reviews fall due this quarter.",
        frozenset(),
        [d.overdue for d in report.due_reviews],
    )
    deadlines = Section(
        "deadlines",
        "Contract deadlines",
        f"Contracts whose decide-by or end date falls by {long_date(report.horizon)} "
        "(the end of the next two quarters). Decide by = end date minus notice minus the "
        "time needed to move to another supplier.",
        ["Supplier", "Contract", "Criticality", "Decide by", "Ends", "Auto-renews", "Status"],
        [
            [
                d.supplier,
                d.contract,
                d.criticality.label,
                _iso(d.decide_by) or "unknown",
                _iso(d.end_date),
                "not recorded" if d.auto_renewal is None else "yes" if d.auto_renewal else "no",
                "Ended"
                if d.ended
                else "Decision overdue"
                if d.decision_passed
                else "Decide in time",
            ]
            for d in report.deadlines
        ],
        "No contract decisions or ends in the next two quarters.",
        frozenset(),
        [d.decision_passed or d.ended for d in report.deadlines],
    )
    actions = Section(
        "actions",
        "Actions",
        "Actions agreed at this review, those carried forward from earlier reviews until "
        "done, and those completed since the previous review.",
        ["ID", "Agreed", "Supplier", "Action", "Owner", "Due", "Status"],
        [
            [
                str(a.action.id),
                a.action.quarter + (" (carried forward)" if a.carried_forward else ""),
                a.action.supplier or "(general)",
                a.action.what,
                a.action.owner,
                _iso(a.action.due),
                a.status.value.capitalize()
                + (f" {_iso(a.action.done_on)}" if a.status is ActionStatus.DONE else ""),
            ]
            for a in report.actions
        ],
        "No actions yet.",
        frozenset({0}),
        [a.status is ActionStatus.OVERDUE for a in report.actions],
    )
    gaps = gap_section(report)
    # A trend needs two reviews: until one supplier has two points, there is no column for it.
    trended = any(len(points) >= 2 for points in report.trends.values())
    scores = Section(
        "scores",
        "Scores at this review",
        f"Every supplier's risk score (0 none to 100) when the review started, scored with "
        f"{report.scoring_model_label}, highest priority first"
        + (
            ", with its trend across the reviews scored with the same model."
            if trended
            else " (a trend shows from the second review scored with the same model)."
        ),
        [
            "#",
            "Supplier",
            "Criticality",
            "Score",
            "Band",
            *(["Trend"] if trended else []),
            "Board questions",
        ],
        [
            [
                str(i),
                s.supplier,
                s.criticality.label,
                str(s.score),
                s.band.value.capitalize(),
                *(
                    [" → ".join(str(p.score) for p in report.trends.get(s.supplier, []))]
                    if trended
                    else []
                ),
                str(s.question_count),
            ]
            for i, s in enumerate(report.scores, start=1)
        ],
        "No suppliers.",
        frozenset({0, 3, 6 if trended else 5}),
    )
    questions = Section(
        "questions",
        "Questions for the board",
        "Ranked by the supplier's criticality and the severity of what raised them.",
        ["#", "Supplier", "Question", "Key question", "Evidence recorded"],
        [
            [
                str(i),
                q.supplier if q.scope == "supplier" else f"{q.supplier} (its own finding)",
                q.text,
                q.key_question.text,
                " · ".join(q.evidence),
            ]
            for i, q in enumerate(report.top_questions, start=1)
        ],
        "No questions for the board.",
        frozenset({0}),
    )
    impact = impact_section(report)
    impacts = [impact] if impact is not None else []
    if board is None:
        return [movers, due, deadlines, actions, gaps, *impacts, scores, questions]
    decisions, board_questions, management = board_sections(board)
    return [
        decisions,
        board_questions,
        movers,
        due,
        deadlines,
        actions,
        management,
        gaps,
        *impacts,
        scores,
    ]


def gap_section(report: ReviewReport) -> Section:
    """The data gaps as one compact table: a row per supplier with its count of unknowns and
    the most important of them (as its snapshot words them; else the first gaps' titles)."""
    titles: dict[str, list[str]] = {}
    criticality: dict[str, str] = {}
    for g in report.data_gaps:
        titles.setdefault(g.supplier, []).append(g.title.removeprefix("Not known: "))
        criticality[g.supplier] = g.criticality.label
    rows = []
    for name, found in titles.items():
        unknowns = report.gap_unknowns.get(name) or found
        rows.append([name, criticality[name], str(len(found)), "; ".join(unknowns[:GAP_UNKNOWNS])])
    return Section(
        "gaps",
        "Data gaps on strategic and high suppliers",
        "Answers still unknown for the suppliers the trust depends on most, one row each: how "
        f"many, and the {GAP_UNKNOWNS} that matter most. Each counts as risk until it is found "
        "out.",
        ["Supplier", "Criticality", "Unknowns", "Most important unknowns"],
        rows,
        "No data gaps on strategic or high suppliers.",
        frozenset({2}),
    )


def board_sections(board: BoardPack) -> tuple[Section, Section, Section]:
    """The board pack's three lists: decisions required, board questions, management actions,
    worded as in the board paper."""
    decisions = Section(
        "decisions",
        "Decisions required",
        bt.decisions_intro(board),
        bt.DECISION_HEADERS,
        [bt.decision_cells(i, d) for i, d in enumerate(board.decisions, start=1)],
        bt.decisions_empty(board),
        frozenset({0}),
        [d.overdue for d in board.decisions],
    )
    questions = Section(
        "board",
        "Board questions",
        bt.questions_intro(board),
        ["#", "Supplier", "Question", "Key question", "Evidence recorded"],
        [
            [
                str(i),
                q.supplier if q.scope == "supplier" else f"{q.supplier} (its own finding)",
                q.text,  # names every contract concerned
                q.key_question.text,
                bt.question_evidence(q).removeprefix("Recorded: "),
            ]
            for i, q in enumerate(board.questions, start=1)
        ],
        bt.QUESTIONS_EMPTY,
        frozenset({0}),
    )
    shown = board.actions[: bt.ACTIONS_SHOWN]
    actions = Section(
        "management",
        "Management actions",
        bt.actions_intro(board),
        bt.ACTION_HEADERS,
        [bt.action_cells(i, a, board.today) for i, a in enumerate(shown, start=1)],
        bt.ACTIONS_EMPTY,
        frozenset({0}),
        [a.days_left(board.today) < 0 for a in shown],
        after=bt.actions_more(board) or "",
    )
    return decisions, questions, actions


def _exit_plan(plan: ExitPlanAtReview) -> str:
    """'EPR: Written', worded as the impact view words it."""
    return f"{plan.contract}: {exit_plan_text(plan.exit_plan, plan.tested)}"


def impact_section(report: ReviewReport) -> Section | None:
    """What would have stopped had each strategic or high supplier failed when the review
    started, as the snapshots keep it; ``None`` for a review taken before they kept it."""
    if not report.impacts:
        return None
    rows = []
    for item in report.impacts:
        i = item.impact
        least = (
            f"{i.least_tolerant}, {outage_text(i.shortest_outage_hours)}"
            if i.least_tolerant is not None and i.shortest_outage_hours is not None
            else "not recorded"
            if i.services
            else ""
        )
        rows.append(
            [
                item.supplier,
                item.criticality.label,
                str(len(i.services)),
                str(i.clinical),
                least,
                "; ".join(map(_exit_plan, i.exit_plans)) or "no current contract",
                "; ".join(i.dependents),
            ]
        )
    return Section(
        "impact",
        "Service impact at this review",
        "If each strategic or high-criticality supplier had failed the day the review started: "
        "how many services would have stopped (directly or through the suppliers that depend "
        "on it) and how many are clinical, the least tolerant of them, its contracts' exit "
        "plans and the suppliers that would have fallen with it.",
        [
            "Supplier",
            "Criticality",
            "Services",
            "Clinical",
            "Least tolerant",
            "Exit plans",
            "Falls with it",
        ],
        rows,
        "",
        frozenset({2, 3}),
    )


def status_line(report: ReviewReport) -> str:
    """When the review started and whether it is closed."""
    started = f"Started {long_date(report.started_on)}"
    if report.closed_on:
        return f"{started}; closed {long_date(report.closed_on)}"
    return f"{started}; open (position at {long_date(report.as_of)})"


def _count(n: int, one: str, many: str | None = None) -> str:
    """``n`` with the noun in the right number: 1 action, 2 actions."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def facts(report: ReviewReport) -> list[str]:
    """Headline numbers of the review, in plain words."""
    passed = sum(1 for d in report.deadlines if d.decision_passed and not d.ended)
    open_actions = sum(1 for a in report.actions if a.status is not ActionStatus.DONE)
    changed = (
        f"not compared with {report.previous_quarter} (scored with a different model)."
        if report.previous_quarter and not report.compared
        else f"{len(report.movers)} changed since {report.previous_quarter}."
        if report.previous_quarter
        else "first review."
    )
    return [
        f"{_count(len(report.scores), 'supplier')} reviewed; {changed}",
        f"Scored with {report.scoring_model_label}.",
        f"{_count(len(report.due_reviews), 'relationship review')} due this quarter, "
        f"{len(report.overdue_reviews)} overdue.",
        f"{_count(len(report.deadlines), 'contract deadline')} in the next two quarters, "
        f"{_count(passed, 'decision')} already overdue.",
        f"{_count(open_actions, 'action')} open, {len(report.overdue_actions)} overdue.",
        f"{_count(len(report.data_gaps), 'data gap')} on strategic and high suppliers.",
    ]


def title(report: ReviewReport) -> str:
    return f"Quarterly supplier review {report.quarter}"


def render_review_markdown(
    report: ReviewReport,
    trust: str | None = None,
    audit: AuditSeal | None = None,
    *,
    board: BoardPack | None = None,
    marking: str = DEFAULT_MARKING,
) -> str:
    """The review pack as GitHub-flavoured Markdown (``audit``: the audit chain's head, shown;
    ``board``: the board pack of the review's day, whose three lists it then carries), headed
    and ended by the protective ``marking``."""
    shown_marking = f"**{md_escape(marking)}**" if marking.strip() else ""
    out: list[str] = [f"# {md_escape(title(report))}", ""]
    if shown_marking:  # under the title, which a Markdown file opens with
        out += [shown_marking, ""]
    head = [md_escape(status_line(report))]
    if trust:
        head.insert(0, f"**{md_escape(trust)}**")
    out += [" · ".join(head), ""]
    out += [f"- {md_escape(line)}" for line in facts(report)]
    for section in sections(report, board):
        out += ["", f"## {md_escape(section.title)}", "", md_escape(section.intro), ""]
        if not section.rows:
            out.append(f"*{md_escape(section.empty)}*")
            continue
        align = "".join("r" if i in section.numeric else "l" for i in range(len(section.headers)))
        out += md_table(
            [md_escape(x) for x in section.headers],
            [[md_escape(cell) for cell in row] for row in section.rows],
            align,
        )
        if section.after:
            out += ["", f"*{md_escape(section.after)}*"]
    if audit:
        out += ["", "---", "", f"*{md_escape(audit_seal_line(audit))}*"]
    if shown_marking:
        out += ["", shown_marking]
    return "\n".join(out).rstrip() + "\n"


def _html_section(section: Section, report: ReviewReport) -> list[Child]:
    out: list[Child] = [h("h2", section.title), h("p", section.intro, class_="note")]
    if not section.rows:
        out.append(h("p", section.empty, class_="muted"))
        return out
    headers = [(x, "num" if i in section.numeric else None) for i, x in enumerate(section.headers)]
    rows = []
    for r, row in enumerate(section.rows):
        flagged = r < len(section.flagged) and section.flagged[r]
        cells: list[tuple[Child, str | None]] = []
        for i, text in enumerate(row):
            header = section.headers[i]
            cls = " ".join(
                c
                for c, on in (("num", i in section.numeric), ("nowrap", header in section.nowrap))
                if on
            )
            content: Child = text
            if section.key == "scores" and header == "Band":
                content = band_badge(report.scores[r].band)
            elif section.key == "scores" and header == "Trend":
                score = report.scores[r]
                line = sparkline(report.trends.get(score.supplier, []), score.band)
                content = [line, " ", h("span", text, class_="note")] if line else text
            elif header == "Supplier":
                content = h("strong", text)
            elif flagged and header in ("Status", "Change"):
                content = h("span", text, class_="overdue")
            cells.append((content, cls or None))
        rows.append(cells)
    out.append(table(headers, rows))
    if section.after:
        out.append(h("p", section.after, class_="note"))
    return out


def render_review_html(
    report: ReviewReport,
    trust: str | None = None,
    audit: AuditSeal | None = None,
    *,
    board: BoardPack | None = None,
    marking: str = DEFAULT_MARKING,
) -> str:
    """The review pack as one self-contained, printable HTML document (``audit`` in the footer;
    ``board``: the board pack of the review's day, whose three lists it then carries), with
    the running header and the protective ``marking`` on every printed page."""
    body: list[Child] = [
        masthead(trust, "Quarterly supplier review", status_line(report)),
        h("h1", title(report)),
        h("ul", [h("li", line) for line in facts(report)], class_="facts"),
    ]
    for section in sections(report, board):
        if section.key == "scores":
            body.append(h("div", class_="page-break"))
        body += _html_section(section, report)
    body.append(
        h(
            "footer",
            f"Review of {report.quarter}. Scores, findings and questions are the snapshot taken "
            f"when the review started ({report.started_on.isoformat()}); they do not change "
            "when the register does.",
            [h("br"), audit_seal_line(audit)] if audit else None,
        )
    )
    name = f"{trust}: {title(report)}" if trust else title(report)
    return document(name, body, running=name, marking=marking or None)
