"""Markup payloads in every text field show literally in everything every screen builds.

The register of ``tests/support/hostile.py`` holds each payload as a supplier
name, an owner's name and contact, notes, a partner, a contract title,
extension options, questionnaire evidence and the name of whoever answered.
The pure functions that turn its records, scores, review and audit trail into
what each screen shows (``Content``, ``rich.text.Text`` and the renderables
of option lists) are called directly, with no app running: the payloads must
be in the plain text as typed, and no span may carry a style the code did not
put there (a parsed ``[@click=...]`` or ``[link=...]`` would be a style with
an action or a link, a parsed ``[bold red]`` a style of the payload's).
A few Pilot flows in ``test_tui_hostile.py`` check that the screens really
show these blocks and that clicking a payload runs nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual.content import Content

from supplier_register.domain import PersonRecord, SupplierRecord
from supplier_register.domain.errors import RegisterError
from supplier_register.review.models import ReviewReport
from supplier_register.scoring.questions import default_question_bank
from supplier_register.services import reviews as service
from supplier_register.services.register_view import (
    Snapshot,
    SupplierView,
    load_snapshot,
    read_audit_entries,
    read_review,
    supplier_view,
)
from supplier_register.services.rows import display_text
from supplier_register.storage import open_database
from supplier_register.storage.audit import AuditEntry
from supplier_register.storage.provenance import Provenance
from supplier_register.tui.screens.audit import audit_status, detail_text, entry_cells
from supplier_register.tui.screens.board import question_detail
from supplier_register.tui.screens.edit import (
    delete_contract_body,
    delete_person_body,
    delete_supplier_body,
)
from supplier_register.tui.screens.import_screen import provenance_blocks
from supplier_register.tui.screens.people import person_option
from supplier_register.tui.screens.questionnaire import (
    answer_state,
    questionnaire_title,
    why_content,
)
from supplier_register.tui.screens.register import preview_content
from supplier_register.tui.screens.review import section_rows, trend_cells, trend_label
from supplier_register.tui.screens.supplier import (
    answers_blocks,
    contract_option,
    overview_blocks,
    questions_blocks,
    score_blocks,
    supplier_title,
)
from supplier_register.tui.text import lit, nothing_imported, problems_of
from supplier_register.tui.widgets.blocks import Block
from supplier_register.tui.widgets.register_table import COLUMNS, fit_cell
from tests.support.hostile import (
    EVERYTHING,
    PAYLOADS,
    every_field_register,
    person_name,
    supplier_name,
)
from tests.tui.tui_support import TODAY, write_register_db

CONTENT_STYLES = frozenset(
    {
        "bold",
        "italic",
        "$text-muted",
        "$text-warning",
        "bold $text-warning",
        "bold $text-error",
        "$text-success",
        "$text-accent",
        "bold $text-accent",
        "italic $text-muted",  # the band 'unassessed'
        "bold $text-success",  # the risk sentence in its band's colour
        "bold italic $text-muted",
    }
)
"""Every style the screens' code gives ``Content``; a payload's own style is none of these."""

TEXT_STYLES = frozenset({"", "bold", "italic", "dim", "red", "bold red"})
"""Every style the screens' code gives ``rich.text.Text``."""

NAMES = [supplier_name(i) for i in range(len(PAYLOADS))]
OWNERS = [person_name(i) for i in range(len(PAYLOADS))]


# ------------------------------------------------------------------ checks


def content_problems(content: Content) -> list[str]:
    """Spans of ``content`` whose style the code did not give it (parsed markup)."""
    return [
        f"{content.plain[span.start : span.end]!r} styled {span.style!r}"
        for span in content.spans
        if not isinstance(span.style, str) or span.style not in CONTENT_STYLES
    ]


def text_problems(text: Text) -> list[str]:
    """Spans (and the base style) of ``text`` the code did not give it."""
    styles = [(text.plain, text.style)] + [
        (text.plain[span.start : span.end], span.style) for span in text.spans
    ]
    return [
        f"{part!r} styled {style!r}"
        for part, style in styles
        if not isinstance(style, str) or style not in TEXT_STYLES
    ]


def rendered(renderable: RenderableType) -> tuple[str, list[Segment]]:
    """What a rich renderable draws: its plain text and its segments."""
    console = Console(
        width=1000, file=io.StringIO(), color_system=None, force_terminal=True, legacy_windows=False
    )
    segments = list(console.render(renderable))
    return "".join(segment.text for segment in segments), segments


def segment_problems(segments: list[Segment]) -> list[str]:
    """Segments that would act when clicked or open a link."""
    return [
        f"{segment.text!r} styled {segment.style!r}"
        for segment in segments
        if segment.style is not None and (segment.style.link or segment.style.meta)
    ]


def literal(shown: Content | Text | RenderableType | Block | list[Block]) -> str:
    """The plain text of what a screen shows, failing if any of it was read as markup."""
    if isinstance(shown, Block):
        shown = shown.content
    if isinstance(shown, list):
        return "\n".join(literal(block) for block in shown)
    if isinstance(shown, Content):
        assert content_problems(shown) == []
        return shown.plain
    if isinstance(shown, Text):
        assert text_problems(shown) == []
        return shown.plain
    plain, segments = rendered(shown)
    assert segment_problems(segments) == []
    return plain


def missing(text: str, expected: list[str]) -> list[str]:
    return [e for e in expected if e not in text]


# ------------------------------------------------------------------ the register


@dataclass(frozen=True)
class Hostile:
    """The hostile register as the screens get it, read and scored once."""

    snapshot: Snapshot
    views: list[SupplierView]
    report: ReviewReport
    audit: list[AuditEntry]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    path: Path = write_register_db(tmp_path_factory.mktemp("hostile"), every_field_register(TODAY))
    db = open_database(path)
    try:
        service.start_review(db, "2026-Q4", TODAY)
        for i, payload in enumerate(PAYLOADS):  # an action per payload, its owner a person
            service.add_action(
                db,
                "2026-Q4",
                what=f"{payload} action",
                owner=OWNERS[i],
                due=TODAY,
                today=TODAY,
                supplier=NAMES[i],
            )
    finally:
        db.close()
    snapshot = load_snapshot(path, TODAY)
    views = [supplier_view(snapshot, s.id) for s in snapshot.suppliers]
    _, report = read_review(path, None, TODAY)
    assert report is not None
    return Hostile(
        snapshot=snapshot,
        views=[v for v in views if v is not None],
        report=report,
        audit=read_audit_entries(path, None),
    )


def view_of(hostile: Hostile, name: str) -> SupplierView:
    return next(v for v in hostile.views if v.supplier.name == name)


def test_the_checks_catch_markup_that_was_parsed() -> None:
    # What the checks look for, made as a screen that parsed the payloads would make it.
    for payload in ("[@click=app.quit]x[/]", "[link='file:///etc/passwd']x[/]", "[blink red]x[/]"):
        assert content_problems(Content.from_markup(payload))
        assert text_problems(Text.from_markup(payload.replace("'", "")))
        assert content_problems(lit(payload)) == []
        assert text_problems(Text(payload)) == []
    _, segments = rendered(Text.from_markup("[@click=app.quit]x[/] [link=https://x]y[/]"))
    assert len(segment_problems(segments)) == 2


def test_every_supplier_and_person_is_in_the_register(hostile: Hostile) -> None:
    assert len(hostile.views) == len(PAYLOADS) + 1
    assert len(hostile.snapshot.people) == len(PAYLOADS)


# ------------------------------------------------------------------ register and people


def test_register_rows_and_preview(hostile: Hostile) -> None:
    rows = {row.name: row for row in hostile.snapshot.rows}
    assert missing("\n".join(rows), [*NAMES, EVERYTHING]) == []
    for i, name in enumerate(NAMES):
        row = rows[name]
        cells = {column.key: column.text(row) for column in COLUMNS}
        assert cells["name"] == name and cells["owner"] == OWNERS[i]
        for column in COLUMNS:  # the table draws these strings as they are, padded
            text = column.text(row)
            assert fit_cell(text, len(text) + 2, column.justify).strip() == text.strip()
        for scoring in (False, True):
            shown = literal(preview_content(row, scoring=scoring))
            assert name in shown and OWNERS[i] in shown


def test_people_options(hostile: Hostile) -> None:
    snapshot = hostile.snapshot
    seen = ""
    for person in snapshot.people:
        owned = [s.name for s in snapshot.suppliers_owned_by(person)]
        shown = literal(person_option(person, owned))
        assert person.name in shown and (person.contact or "") in shown
        assert missing(shown, owned[:5]) == []
        seen += shown
    assert missing(seen, OWNERS + PAYLOADS + NAMES + [EVERYTHING]) == []


def test_delete_confirmations(hostile: Hostile) -> None:
    snapshot = hostile.snapshot
    for person in snapshot.people:
        owned = len(snapshot.suppliers_owned_by(person))
        assert person.name in literal(delete_person_body(person, owned))
    for view in hostile.views:
        shown = literal(delete_supplier_body(view.supplier, len(view.contracts), 1))
        assert view.supplier.name in shown
        for contract in view.contracts:
            shown = literal(delete_contract_body(contract))
            assert contract.title in shown and view.supplier.name in shown


# ------------------------------------------------------------------ board, review, audit


def test_board_questions_of_every_supplier(hostile: Hostile) -> None:
    board = hostile.snapshot.board
    assert board is not None
    seen = ""
    quoted: list[str] = []
    evidenced = 0
    for group in board.ranked.values():
        for rank, question in enumerate(group, start=1):
            shown = literal(question_detail(rank, question))
            assert question.supplier in shown
            seen += shown
    # every supplier's questions, not only the top of each group
    for view in hostile.views:
        assert view.score is not None
        for question in view.score.questions:
            shown = literal(question_detail(1, question))
            assert view.supplier.name in shown
            seen += shown
            quoted += [e for e in question.evidence if f"Recorded: {display_text(e)}" in shown]
            assert len(quoted) == (evidenced := evidenced + len(question.evidence))
    assert missing(seen, [*NAMES, EVERYTHING]) == []
    # the questionnaire's evidence, payloads and all, is quoted under its questions
    assert missing(" ".join(quoted), PAYLOADS) == []


def test_review_tables_and_trends(hostile: Hostile) -> None:
    from supplier_register.reports.review_pack import sections

    report = hostile.report
    seen = ""
    for section in sections(report):
        for _, cells in section_rows(section):
            seen += "\n" + " | ".join(literal(cell) for cell in cells)
    assert missing(seen, [*NAMES, EVERYTHING]) == []  # every supplier is due a review
    assert missing(seen, [f"{p} action" for p in PAYLOADS]) == []
    assert missing(seen, OWNERS) == []  # who owns each action
    trends = ""
    for score in report.scores:
        trends += " | ".join(literal(cell) for cell in trend_cells(report, score)) + "\n"
        trends += literal(trend_label(score.supplier, report.trends.get(score.supplier, [])))
    assert missing(trends, [*NAMES, EVERYTHING]) == []


def test_audit_rows_details_and_status(hostile: Hostile) -> None:
    seen = ""
    for entry in hostile.audit:
        seen += " | ".join(literal(cell) for cell in entry_cells(entry)) + "\n"
        seen += literal(detail_text(entry)) + "\n"
    assert missing(seen, NAMES + OWNERS + [EVERYTHING]) == []
    assert missing(seen, [f"{EVERYTHING} / {p} contract" for p in PAYLOADS]) == []
    assert missing(seen, [f"{p} contract" for p in PAYLOADS]) == []
    assert missing(seen, PAYLOADS) == []  # notes, contacts, evidence, extension options
    for name in [*NAMES, EVERYTHING]:
        assert name in literal(audit_status(3, name))


# ------------------------------------------------------------------ one supplier


def supplier_screen(view: SupplierView) -> str:
    """Everything the supplier screen's title and five tabs show for ``view``."""
    supplier, score = view.supplier, view.score
    findings = score.findings if score else []
    parts = [
        literal(
            supplier_title(supplier, score.band if score else None, score.score if score else None)
        ),
        literal(supplier_title(supplier, None, None, "  · reading…")),
        literal(
            overview_blocks(supplier, score, view.today) + provenance_blocks(list(view.provenance))
        ),
        literal(score_blocks(score)),
        literal(answers_blocks(supplier, list(view.answers))),
        literal(questions_blocks(score)),
    ]
    for contract in view.contracts:
        about = [f for f in findings if f.contract == contract.title]
        parts.append(literal(contract_option(contract, about, view.today)))
        parts.append(literal(contract_option(contract, list(findings), view.today)))
    return "\n".join(parts)


def test_supplier_screen_of_every_supplier(hostile: Hostile) -> None:
    for i, name in enumerate(NAMES):
        view = view_of(hostile, name)
        shown = supplier_screen(view)
        expected = [name, OWNERS[i], PAYLOADS[i], f"{PAYLOADS[i]} partner"]
        assert missing(shown, [*expected, f"{PAYLOADS[i]} contract"]) == []


def test_supplier_screen_of_the_supplier_with_every_payload(hostile: Hostile) -> None:
    shown = supplier_screen(view_of(hostile, EVERYTHING))
    assert EVERYTHING in shown
    assert missing(shown, [f"{p} contract" for p in PAYLOADS]) == []
    assert missing(shown, [f"{p} partner" for p in PAYLOADS]) == []
    assert missing(shown, OWNERS) == []  # who answered
    assert missing(shown, PAYLOADS) == []  # notes and evidence


def test_supplier_screen_questions_quote_their_evidence(hostile: Hostile) -> None:
    # The board questions tab quotes what was recorded under each question, literally.
    view = view_of(hostile, EVERYTHING)
    assert view.score is not None
    shown = literal(questions_blocks(view.score))
    evidence = [e for q in view.score.questions for e in q.evidence]
    assert evidence
    assert missing(shown, [f"Recorded: {display_text(e)}" for e in evidence]) == []
    # A question quotes at most two pieces of evidence: hostile ones among them.
    assert len(missing(" ".join(evidence), PAYLOADS)) < len(PAYLOADS)


def test_supplier_screen_findings_about_contracts_quote_them(hostile: Hostile) -> None:
    # Findings about a contract name it: in the score tab and under the contract.
    view = view_of(hostile, EVERYTHING)
    assert view.score is not None
    about = [f for f in view.score.findings if f.contract]
    assert about
    shown = literal(score_blocks(view.score))
    assert missing(shown, [f"({f.contract})" for f in about]) == []


def test_questionnaire_of_every_supplier(hostile: Hostile) -> None:
    bank = default_question_bank()
    seen = ""
    for view in hostile.views:
        supplier = view.supplier
        applicable = [
            q for q in bank.questions if q.applies(supplier.category, supplier.criticality)
        ]
        by_id = {a.question_id: a for a in view.answers}
        assert supplier.name in literal(questionnaire_title(supplier.name, 0, len(applicable), 1))
        for question in applicable:
            seen += literal(answer_state(by_id.get(question.id))) + "\n"
            assert supplier.name in literal(why_content(question, supplier.name))
        for answer in view.answers:
            seen += literal(answer_state(answer)) + "\n"
    assert missing(seen, OWNERS) == []  # who answered


# ------------------------------------------------------------------ messages


def test_errors_and_import_problems_quote_user_text(hostile: Hostile) -> None:
    records: list[SupplierRecord | PersonRecord] = [v.supplier for v in hostile.views]
    records += hostile.snapshot.people
    problems = [f"row {i}: {record.name!r} is not valid" for i, record in enumerate(records)]
    shown = literal(nothing_imported(list(problems), most=len(problems)))
    assert missing(shown, problems) == []
    for payload in PAYLOADS:
        error = RegisterError(f"No supplier called {payload}.")
        assert (
            missing(literal(Content("\n").join(lit(p) for p in problems_of(error))), [payload])
            == []
        )


IMPORTED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def test_where_a_record_came_from() -> None:
    # File names, contract titles and OCDS ids come from files a user imports.
    for payload in PAYLOADS:
        records = [
            Provenance(
                supplier_id=1,
                contract_id=2,
                contract_title=f"{payload} contract",
                source_kind="spreadsheet",
                source_file=f"{payload}.xlsx",
                row_number=3,
                imported_at=IMPORTED,
            ),
            Provenance(
                supplier_id=1,
                source_kind="ocds",
                source_file=f"{payload}.json",
                ocid=payload,
                imported_at=IMPORTED,
            ),
        ]
        shown = literal(provenance_blocks(records))
        assert missing(shown, [r.describe() for r in records]) == []
        assert missing(shown, [f"{payload}.xlsx", f"{payload}.json"]) == []
