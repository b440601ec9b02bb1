"""The Markdown board paper of the sample register on 26 November 2026: marking, executive
summary, decisions required, one ranked list of board questions and management actions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest
from markdown_it import MarkdownIt
from sqlite_utils import Database

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Register
from supplier_register.reports.board_text import ACTIONS_SHOWN
from supplier_register.reports.exec_summary import executive_summary
from supplier_register.reports.htmldoc import DEFAULT_MARKING
from supplier_register.reports.markdown import render_markdown
from supplier_register.reports.summary import RiskSummary
from supplier_register.scoring.board import BoardPack, ContractDeadline, Decision, ManagementAction
from supplier_register.scoring.results import BoardQuestion, KeyQuestion
from supplier_register.services import reviews as review_service
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect
from tests.support.oracles import build_summary
from tests.support.paths import REPO_ROOT
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    SCRIPT_SUPPLIER,
    hostile_register,
    hostile_scores,
)
from tests.support.reportdata import TODAY as HOSTILE_TODAY

SAMPLE = REPO_ROOT / "sample_data" / "register.json"
TODAY = dt.date(2026, 11, 26)


def sample_db() -> Database:
    database = open_database(":memory:")
    Repository(database).import_register(
        Register.model_validate_json(SAMPLE.read_text(encoding="utf-8"))
    )
    return database


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    database = sample_db()
    yield database
    database.close()


@pytest.fixture(scope="module")
def summary(db: Database) -> RiskSummary:
    return review_service.risk_summary(db, TODAY)


@pytest.fixture(scope="module")
def paper(summary: RiskSummary) -> str:
    return render_markdown(summary, notes=2)


def section(markdown: str, title: str) -> str:
    """The text of the ``## title`` section, up to the next one."""
    [found] = re.findall(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    return str(found)


def table_rows(markdown: str) -> list[list[str]]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    return collect(html).cells


def test_paper_is_marked_top_and_bottom_and_sections_run_in_order(paper: str) -> None:
    lines = paper.strip().splitlines()
    assert lines[0].startswith("# ")
    assert lines[2] == f"**{DEFAULT_MARKING}**" and lines[-1] == lines[2]
    headings = re.findall(r"^## (.+)$", paper, re.M)
    assert headings[:3] == ["Executive summary", "Decisions required", "Board questions"]
    assert headings.index("Suppliers by priority") < headings.index("Management actions")
    assert not any(h.startswith("Changes since") for h in headings)  # no review yet


def test_marking_is_configurable_and_escaped(summary: RiskSummary) -> None:
    paper = render_markdown(summary, notes=0, marking="OFFICIAL *draft*")
    assert "\n**OFFICIAL \\*draft\\***\n" in paper
    assert "OFFICIAL *draft*" in collect(MarkdownIt("commonmark").render(paper)).text


def test_executive_summary_names_the_decisions(paper: str) -> None:
    text = section(paper, "Executive summary")
    assert "The board is asked to make 9 decisions" in text
    assert 3 <= text.count(". ") + 1 <= 8


def test_decisions_lead_with_the_overdue_and_five_day_strategic_ones(paper: str) -> None:
    rows = table_rows(section(paper, "Decisions required"))
    header, *body = rows
    assert header == [
        "#",
        "Supplier",
        "Date",
        "Days left",
        "Notice by",
        "Decision",
        "If nothing is done",
        "Owner",
    ]
    assert [r[1] for r in body[:3]] == [
        "Veridane Health Systems Ltd",
        "Brightwater [UK] Ltd",
        "Hollinfell Networks Ltd",
    ]
    assert [r[0] for r in body] == [str(i) for i in range(1, len(body) + 1)]
    hollinfell = body[2]
    assert hollinfell[2:4] == ["decide by 1 December 2026", "in 5 days"]
    assert body[1][4] == "1 January 2027"  # Brightwater's notice date, still ahead
    [ended] = [r for r in body if r[1] == "Fenwick & O'Rourke Clinical Software Ltd"]
    assert ended[2:4] == ["ended on 31 October 2026", "ended 26 days ago"]
    assert "Decide by: none" not in paper


def test_board_questions_are_one_ranked_list_of_at_most_ten(paper: str) -> None:
    text = section(paper, "Board questions")
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", text, re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and 1 <= len(numbers) <= 10
    assert "do not yet know" not in text.lower()
    raised = re.search(r"chosen from the (\d+) the register raises", text)
    assert raised is not None and int(raised.group(1)) > len(numbers)
    assert text.count("*Key question: ") == len(numbers)
    assert (
        "*Recorded: Heavily dependent on this one supplier — One PACS for every site; there is "
        "no alternative.*  \n   *Recorded: Data export not tested recently — Never" in text
    )
    assert "Contracts: 'EPR integration and change requests'" in text
    pairs = re.findall(r"^\d+\. \*\*(.+?)\*\*", text, re.M)
    assert pairs[0] == "Brightwater \\[UK\\] Ltd"


def test_management_actions_show_fifteen_then_say_how_many_more(
    paper: str, summary: RiskSummary
) -> None:
    assert summary.board is not None
    total = len(summary.board.actions)
    assert total > ACTIONS_SHOWN
    text = section(paper, "Management actions")
    header, *body = table_rows(text)
    assert header == ["#", "Supplier", "Action", "Owner", "Due"]
    assert len(body) == ACTIONS_SHOWN
    assert f"{total - ACTIONS_SHOWN} more management actions not listed here" in text
    assert any("Find out for" in r[2] for r in body)


def test_supplier_table_shows_spend_and_ended_contracts(paper: str) -> None:
    header, *body = [r for r in table_rows(section(paper, "Suppliers by priority")) if len(r) > 10]
    spend = header.index("Annual spend")
    decide = header.index("Decide by")
    [fenwick] = [r for r in body if r[1] == "Fenwick & O'Rourke Clinical Software Ltd"]
    assert fenwick[spend].startswith("£") and fenwick[decide] == "ended on 31 October 2026"


def test_movers_appear_only_after_a_review() -> None:
    db = sample_db()
    review_service.start_review(db, "2026-Q4", TODAY)
    paper = render_markdown(review_service.risk_summary(db, TODAY), notes=0)
    assert "## Changes since the last review (2026-Q4)" in paper
    assert "No supplier's risk score changed since the last review." in paper


def test_the_three_lists_show_user_text_literally() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), HOSTILE_TODAY)
    contract = "PACS | <b>core</b>"
    deadline = ContractDeadline(
        contract, "ended_in_use", dt.date(2026, 10, 31), None, f"{contract} *ended*."
    )
    decision = Decision(
        supplier=MARKUP_SUPPLIER,
        criticality=Criticality.STRATEGIC,
        kind="ended_in_use",
        date=dt.date(2026, 10, 31),
        days_left=-26,
        action=f"Put a new contract in place for {contract}",
        consequence=deadline.consequence,
        owner=SCRIPT_SUPPLIER,
        contracts=(deadline,),
        exit_plan=None,
    )
    question = BoardQuestion(
        supplier=SCRIPT_SUPPLIER,
        key_question=KeyQuestion.CONTRACTING,
        text="Can we leave [now](http://x)?",
        priority=40.0,
        criticality=Criticality.HIGH,
        finding_codes=["x"],
        contracts=[contract],
        evidence=[HOSTILE_SUPPLIER],
    )
    action = ManagementAction(
        supplier=HOSTILE_SUPPLIER,
        criticality=Criticality.LOW,
        kind="find_out",
        unknowns=("whether `x` | y",),
        gap_count=1,
        due=dt.date(2027, 2, 25),
        owner=None,
        priority=1.0,
    )
    pack = BoardPack(
        today=HOSTILE_TODAY,
        decisions=(decision,),
        questions=(question,),
        actions=(action,),
        question_total=7,
        horizon_days=182,
        decisions_from=Criticality.HIGH,
    )
    paper = render_markdown(summary.model_copy(update={"board": pack}), notes=0)
    parsed = collect(MarkdownIt("commonmark").enable("table").render(paper))
    assert not {"script", "b", "a", "code"} & {t for t, _ in parsed.tags}
    [row] = table_rows(section(paper, "Decisions required"))[1:]
    assert row[1:4] == [MARKUP_SUPPLIER, "ended on 31 October 2026", "ended 26 days ago"]
    assert row[5:] == [
        "Put a new contract in place for PACS | <b>core</b>.",
        "PACS | <b>core</b> *ended*.",
        SCRIPT_SUPPLIER,
    ]
    assert "<script>alert(1)</script> (high): Can we leave [now](http://x)?" in parsed.text
    assert "Contract: 'PACS | <b>core</b>'" in parsed.text
    assert f"Recorded: {HOSTILE_SUPPLIER}" in parsed.text
    [action_row] = table_rows(section(paper, "Management actions"))[1:]
    assert action_row[1:4] == [HOSTILE_SUPPLIER, action.text, "none recorded"]


def test_executive_summary_is_three_to_five_sentences_naming_the_urgent_decisions(
    summary: RiskSummary,
) -> None:
    sentences = executive_summary(summary)
    assert 3 <= len(sentences) <= 5 and all(s.endswith(".") for s in sentences)
    [decisions] = [s for s in sentences if s.startswith("The board is asked")]
    assert decisions == (
        "The board is asked to make 9 decisions, 6 of them overdue; the most pressing: "
        "Veridane Health Systems Ltd (decide by 1 April 2025, overdue by 604 days), "
        "Brightwater [UK] Ltd (decide by 10 July 2025, overdue by 504 days) and "
        "Hollinfell Networks Ltd (decide by 1 December 2026, in 5 days)."
    )
    assert not any(s.startswith("Since the last review") for s in sentences)  # none yet


def test_executive_summary_counts_the_questions_and_actions_as_they_are(
    summary: RiskSummary,
) -> None:
    pack = summary.board
    assert pack is not None
    find_out = sum(1 for a in pack.actions if a.kind == "find_out")
    assert 0 < find_out < len(pack.actions)
    last = executive_summary(summary)[-1]
    assert last == (
        f"The paper puts to the board the {len(pack.questions)} most pressing of the "
        f"{pack.question_total} questions the register raises; {len(pack.actions)} management "
        f"actions for the CIO's team are listed for information ({find_out} to find out what "
        f"is not yet recorded and {len(pack.actions) - find_out} on contract dates of less "
        "critical suppliers)."
    )
    one = dataclasses.replace(
        pack, questions=pack.questions[:2], question_total=2, actions=pack.actions[:1]
    )
    [first] = one.actions
    kind = "to find out" if first.kind == "find_out" else "on contract dates"
    said = executive_summary(summary.model_copy(update={"board": one}))[-1]
    assert said.startswith("The paper puts all 2 questions the register raises to the board; ")
    assert "1 management action for the CIO's team is listed for information (1 " + kind in said
    none = dataclasses.replace(pack, questions=(), question_total=0, actions=())
    said = executive_summary(summary.model_copy(update={"board": none}))[-1]
    assert said == "The register raises no question for the board."


def test_executive_summary_names_no_highest_risk_among_unassessed_suppliers(
    summary: RiskSummary,
) -> None:
    from supplier_register.scoring.results import Band

    unassessed = [r.model_copy(update={"band": Band.UNASSESSED}) for r in summary.suppliers]
    [position] = executive_summary(summary.model_copy(update={"suppliers": unassessed}))[:1]
    assert "highest risk" not in position
    assert "32 are not yet assessed because too little is recorded." in position
    [position] = executive_summary(summary)[:1]
    assert position.startswith(
        "The register holds 32 technology suppliers, 4 strategic and 8 of high criticality; "
        "3 are at severe risk and 16 are at high risk, and 8 are not yet assessed"
    )
    # Among assessed suppliers the highest score is named, whatever the priority order.
    rows = list(summary.suppliers)
    rows[0], rows[1] = rows[1], rows[0]
    [position] = executive_summary(summary.model_copy(update={"suppliers": rows}))[:1]
    assert f"The highest risk is {summary.suppliers[0].supplier}, at " in position


def test_questions_intro_never_counts_zero_or_all_as_a_choice(summary: RiskSummary) -> None:
    from supplier_register.reports.board_text import questions_intro

    pack = summary.board
    assert pack is not None
    assert questions_intro(pack).startswith(
        f"The {len(pack.questions)} questions the board should put, chosen from the "
        f"{pack.question_total} the register raises by one priority"
    )
    every = dataclasses.replace(pack, questions=pack.questions[:3], question_total=3)
    assert questions_intro(every).startswith(
        "The 3 questions the board should put (all the register raises), ranked by one priority"
    )
    none = dataclasses.replace(pack, questions=(), question_total=0)
    assert questions_intro(none).startswith("Board questions are chosen by one priority")
    assert "0" not in questions_intro(none)


def test_executive_summary_says_what_changed_since_the_last_review(summary: RiskSummary) -> None:
    from supplier_register.review.models import TrendPoint

    def moved(changes: dict[str, int]) -> list[str]:
        rows = [
            r.model_copy(
                update={
                    "trend": [
                        TrendPoint(label="2026-Q3", score=r.score - changes.get(r.supplier, 0)),
                        TrendPoint(label="now", score=r.score),
                    ]
                }
            )
            for r in summary.suppliers
        ]
        return executive_summary(summary.model_copy(update={"suppliers": rows}))

    first, second = summary.suppliers[0], summary.suppliers[1]
    [one] = [s for s in moved({first.supplier: 10}) if s.startswith("Since")]
    assert one == (
        f"Since the last review (2026-Q3) risk rose for {first.supplier}, from "
        f"{first.score - 10} to {first.score}."
    )
    [two] = [s for s in moved({first.supplier: 10, second.supplier: 20}) if s.startswith("Since")]
    assert two == (
        f"Since the last review (2026-Q3) risk rose for 2 suppliers (most: {second.supplier}, "
        f"from {second.score - 20} to {second.score})."
    )
    [still] = [s for s in moved({}) if s.startswith("Since")]
    assert still.endswith("no supplier's risk has moved by 5 points or more.")
    assert 3 <= len(moved({first.supplier: 10})) <= 5


def test_exported_supplier_table_gives_contract_value_and_notice_by(db: Database) -> None:
    """As the HTML paper's: the current contracts' value and the notice date of an
    auto-renewing contract, next to annual spend and decide-by."""
    from supplier_register.services.exports import summary_export

    data = summary_export(db, "md", TODAY, notes=0)
    assert not isinstance(data, bytes)
    text = section("".join(data), "Suppliers by priority")
    header, *body = [r for r in table_rows(text) if len(r) > 10]
    value, notice = header.index("Contract value"), header.index("Notice by")
    assert header[value - 1] == "Annual spend" and header[notice - 1] == "Decide by"
    by_name = {r[1]: r for r in body}
    brightwater = by_name["Brightwater [UK] Ltd"]
    assert brightwater[value] == "£8,680,000 (+1 without a value)"
    assert brightwater[notice] == "2027-01-01 (Enterprise PACS and RIS managed service)"
    assert by_name["Veridane Health Systems Ltd"][value] == "£35,800,000"
    fenwick = by_name["Fenwick & O'Rourke Clinical Software Ltd"]
    assert fenwick[value] == "no current contract" and fenwick[notice] == ""


def test_board_questions_name_their_theme_as_the_html_paper_does(
    paper: str, summary: RiskSummary
) -> None:
    assert summary.board is not None
    text = section(paper, "Board questions")
    tags = re.findall(r"^   \*Key question: (.+)\*", text, re.M)
    assert len(tags) == len(summary.board.questions)
    for tag, q in zip(tags, summary.board.questions, strict=True):
        theme = f" · Theme: {q.theme.label}" if q.theme is not None else ""
        assert tag == f"{q.key_question.text}{theme}"
    assert any(q.theme is not None for q in summary.board.questions)


def test_sections_run_in_the_html_papers_order(db: Database) -> None:
    """The Markdown paper is the HTML paper in another format: the same sections, in the same
    order (the service impact after the supplier table, the method last)."""
    from supplier_register.services.exports import summary_export

    data = summary_export(db, "md", TODAY, notes=2)
    assert not isinstance(data, bytes)
    headings = re.findall(r"^## (.+)$", "".join(data), re.M)
    assert headings == [
        "Executive summary",
        "Decisions required",
        "Board questions",
        "The trust's own findings",
        "Criticality and risk",
        "Suppliers by priority",
        "Service impact",
        "Management actions",
        "Supplier notes",
        "Method notes",
    ]


def test_method_notes_keep_the_decide_by_count_apart_from_the_decisions(paper: str) -> None:
    """18 suppliers of any criticality have a decide-by date in six months; the board is asked
    for 9 decisions: the notes say which are which rather than '18 decisions'."""
    text = section(paper, "Method notes")
    assert (
        "18 suppliers have a renew-or-leave decide-by date within six months (or already "
        "passed), of any criticality: the decisions required are those of high criticality and "
        "above, the others are management actions." in text
    )
    assert "decisions fall due" not in paper
