"""Board questions quote the evidence recorded behind them ("Recorded: …"), in the board
screen's detail pane and in the supplier screen's board questions tab, as literal text."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from supplier_register.domain.enums import Criticality
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.results import BoardQuestion, KeyQuestion, SupplierScore
from supplier_register.tui.screens.board import BoardScreen, question_detail
from supplier_register.tui.screens.supplier import questions_blocks
from tests.tui.tui_support import engine_scores, make_app, settle, write_register_db

BULK = "Bulk extracts cost £18,000 each"


def _veridane(path: Path) -> SupplierScore:
    return next(s for s in engine_scores(path).suppliers if s.supplier.startswith("Veridane"))


def _bulk(score: SupplierScore) -> BoardQuestion:
    return next(q for q in score.questions if "options.bulk_export" in q.finding_codes)


def test_question_detail_and_tab_quote_the_sample_evidence(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    veridane = _veridane(path)
    bulk = _bulk(veridane)
    lines = question_detail(1, bulk).plain.splitlines()
    # under the question, after what was merged into it
    recorded = next(i for i, line in enumerate(lines) if BULK in line)
    assert lines[0] == f"1. {bulk.text}"
    assert recorded > 1 and all(line.startswith("Recorded: ") for line in lines[recorded:])
    tab = "\n".join(block.content.plain for block in questions_blocks(veridane))
    assert BULK in tab
    assert tab.index(bulk.text) < tab.index(BULK)


def test_hostile_evidence_stays_literal() -> None:
    question = BoardQuestion(
        supplier="Acme",
        key_question=KeyQuestion.CONTRACTING,
        text="Can we leave?",
        priority=20.0,
        criticality=Criticality.HIGH,
        finding_codes=["options.bulk_export"],
        evidence=["[b]x[/b] [@click=app.quit]y[/] <script>", '=HYPERLINK("http://x")'],
    )
    shown = question_detail(1, question)
    assert "Recorded: [b]x[/b] [@click=app.quit]y[/] <script>" in shown.plain
    assert 'Recorded: =HYPERLINK("http://x")' in shown.plain
    assert all(not span.style or "@click" not in str(span.style) for span in shown.spans)


async def test_board_screen_quotes_the_evidence(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    app = make_app(path)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.view is not None
        await pilot.press("2")
        table = screen.query_one("#table-questions", DataTable)
        evidenced = 0
        for row, question in enumerate(screen.view.pack.questions):
            table.move_cursor(row=row)
            await pilot.pause()
            detail = " ".join(str(screen.query_one("#board-detail", Static).render()).split())
            assert " ".join(question.text.split()) in detail
            for excerpt in question.evidence:
                assert f"Recorded: {' '.join(excerpt.split())}" in detail
                evidenced += 1
        assert evidenced
