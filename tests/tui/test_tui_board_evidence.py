"""Board questions quote the evidence recorded behind them ("Recorded: …"), on the board screen
and in the supplier screen's board questions tab, as literal text."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console, RenderableType
from textual.widgets import OptionList

from supplier_register.domain.enums import Criticality
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.results import BoardQuestion, KeyQuestion, SupplierScore
from supplier_register.services.register_view import BOARD_PER_GROUP
from supplier_register.tui.screens.board import BoardScreen, question_option
from supplier_register.tui.screens.supplier import questions_blocks
from tests.tui.tui_support import engine_scores, make_app, settle, write_register_db

BULK = "Recorded: Bulk extracts cost £18,000 each"


def drawn(renderable: RenderableType) -> str:
    """The plain text a renderable draws, on one line per row, runs of spaces made one."""
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return "\n".join(" ".join(line.split()) for line in capture.get().splitlines())


def _veridane(path: Path) -> SupplierScore:
    return next(s for s in engine_scores(path).suppliers if s.supplier.startswith("Veridane"))


def _bulk(score: SupplierScore) -> BoardQuestion:
    return next(q for q in score.questions if "options.bulk_export" in q.finding_codes)


def test_question_option_and_tab_quote_the_sample_evidence(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    veridane = _veridane(path)
    bulk = _bulk(veridane)
    shown = drawn(question_option(1, bulk))
    lines = shown.splitlines()
    # under the question, above whose question it is
    recorded = next(i for i, line in enumerate(lines) if BULK in line)
    assert bulk.text.split()[0] in lines[0] and "priority" in lines[-1]
    assert 0 < recorded < len(lines) - 1
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
    shown = drawn(question_option(1, question))
    assert "Recorded: [b]x[/b] [@click=app.quit]y[/] <script>" in shown
    assert 'Recorded: =HYPERLINK("http://x")' in shown


async def test_board_screen_quotes_the_evidence(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    app = make_app(path)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        board = app.screen.query_one("#board-list", OptionList)
        assert app.snapshot is not None and app.snapshot.board is not None
        listed = [
            q for group in app.snapshot.board.ranked.values() for q in group[:BOARD_PER_GROUP]
        ]
        prompts = " ".join(
            drawn(board.get_option_at_index(i).prompt)  # type: ignore[arg-type]
            for i in range(board.option_count)
        )
        evidenced = [q for q in listed if q.evidence]
        assert evidenced
        text = " ".join(prompts.split())
        for question in evidenced:
            assert f"Recorded: {' '.join(question.evidence[0].split())[:40]}" in text
