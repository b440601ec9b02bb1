"""What the board screen reads through the application layer: every board question in the
pack's order, the open review, and which management actions it already holds."""

from __future__ import annotations

from pathlib import Path

from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.engine import question_order
from supplier_register.services.board import all_questions, board, board_view, open_review
from supplier_register.services.reviews import actions_from_board, close_review, start_review
from supplier_register.storage import open_database
from tests.tui.tui_support import TODAY, engine_scores, write_register_db


def test_every_question_in_the_packs_order(tmp_path: Path) -> None:
    path = write_register_db(tmp_path)
    config = ScoringConfig(top_questions=2)
    db = open_database(path)
    try:
        pack = board(db, TODAY, config=config)
        every = all_questions(db, TODAY, config=config)
    finally:
        db.close()
    assert len(pack.questions) == 2
    assert every[:2] == pack.questions
    assert len(every) == pack.question_total
    assert list(every) == sorted(every, key=question_order)
    engine = sorted(
        (q.supplier, q.text) for s in engine_scores(path).suppliers for q in s.questions
    )
    assert sorted((q.supplier, q.text) for q in every if q.scope == "supplier") == engine


def test_open_review_and_the_actions_it_holds(tmp_path: Path) -> None:
    db = open_database(write_register_db(tmp_path))
    try:
        assert open_review(db) is None
        view = board_view(db, TODAY)
        assert view.review is None and view.held == frozenset()
        start_review(db, "2026-Q4", TODAY)
        review = open_review(db)
        assert review is not None and review.quarter == "2026-Q4"
        view = board_view(db, TODAY)
        beta = next(a for a in view.pack.actions if a.supplier == "Beta Cloud")
        assert view.review == "2026-Q4" and not view.in_review(beta)
        actions_from_board(db, "2026-Q4", [beta], TODAY)
        view = board_view(db, TODAY)
        assert [a.supplier for a in view.pack.actions if view.in_review(a)] == ["Beta Cloud"]
        close_review(db, "2026-Q4", TODAY)
        assert open_review(db) is None
        assert board_view(db, TODAY).review is None
    finally:
        db.close()
