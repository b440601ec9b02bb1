"""The TUI's data layer reads contracts and answers a supplier at a time and scores from the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import KeyQuestion, ScoringConfig
from supplier_register.scoring.engine import question_order
from supplier_register.scoring.trust import TrustThresholds, trust_findings
from supplier_register.services.register_view import (
    BOARD_KEPT,
    Scoring,
    load_snapshot,
    read_records,
)
from supplier_register.services.trust_board import trust_questions
from supplier_register.storage import Repository, open_database
from tests.support.oracles import overview_register
from tests.tui.tui_support import TODAY, known_register, write_register_db


@pytest.fixture(params=["known", "synthetic"])
def register_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    register = known_register() if request.param == "known" else generate_register(60, seed=3)
    return write_register_db(tmp_path, register)


def test_scores_streamed_from_the_database_equal_the_whole_register(register_db: Path) -> None:
    records = read_records(register_db)
    assert records.known == {}  # nothing but people and suppliers read yet
    scores = Scoring().score_all(records, TODAY)
    assert records.known == {}
    db = open_database(register_db)
    try:
        register = Repository(db).load_register()
        profile = Repository(db).profile()
    finally:
        db.close()
    expected = overview_register(register, today=TODAY, ranked_per_key=BOARD_KEPT)
    assert scores.overviews == expected.suppliers
    for part in ("ceo_tier", "ceo_owned", "ceo_rank"):
        assert getattr(scores.context, part) == getattr(expected.context, part)
    assert scores.context.people.keys() == expected.context.people.keys()
    # The trust's own findings, from five columns of the live contracts, equal those of the
    # whole register's records; those that are not data gaps are questions on the board.
    trust = trust_findings(profile, register.suppliers, register.contracts, TODAY)
    assert scores.trust == trust
    asked = trust_questions(trust, TrustThresholds(), ScoringConfig().exposure.points_scale)
    for key in KeyQuestion:
        mine = [q for q in asked if q.key_question is key]
        together = sorted([*expected.ranked_questions[key], *mine], key=question_order)
        assert scores.board.ranked[key] == together[:BOARD_KEPT]
        assert scores.board.counts[key] == expected.question_counts[key] + len(mine)


def test_a_suppliers_records_are_read_when_needed_and_never_kept_in_the_snapshot(
    register_db: Path,
) -> None:
    """A snapshot is shared between the UI thread and workers: reading through it changes nothing."""
    snapshot = load_snapshot(register_db, TODAY)
    db = open_database(register_db)
    try:
        repo = Repository(db)
        every_contract = repo.list_contracts()
        every_answer = repo.list_answers()
    finally:
        db.close()
    supplier = next(
        s for s in snapshot.suppliers if any(c.supplier_id == s.id for c in every_contract)
    )
    assert supplier.id not in snapshot.records.known
    assert snapshot.contracts_of(supplier.id) == [
        c for c in every_contract if c.supplier_id == supplier.id
    ]
    assert snapshot.answers_of(supplier.id) == [
        a for a in every_answer if a.supplier_id == supplier.id
    ]
    assert supplier.id not in snapshot.records.known  # read, not stored back
    with pytest.raises(TypeError):
        snapshot.records.known[supplier.id] = ([], [])  # type: ignore[index]
    assert snapshot.contracts_of(-1) == [] and snapshot.answers_of(-1) == []
    score = snapshot.score_of(supplier)
    assert score is not None and score.supplier == supplier.name
    assert snapshot.score_of(supplier) == score  # worked out again, the same
    # A contract is found among those read, or else in the database.
    other = next(c for c in every_contract if c.supplier_id != supplier.id)
    assert other.supplier_id not in snapshot.records.known
    assert snapshot.contract(other.id) == other
    assert snapshot.contract(snapshot.contracts_of(supplier.id)[0].id) is not None
    assert snapshot.contract(10**9) is None


def test_scores_are_kept_in_the_database_for_the_next_run(register_db: Path) -> None:
    first = Scoring().score_all(read_records(register_db), TODAY)
    db = open_database(register_db)
    try:
        kept = db.execute("SELECT count(*) FROM score_cache").fetchone()[0]
        suppliers = db.execute("SELECT count(*) FROM suppliers").fetchone()[0]
    finally:
        db.close()
    assert kept == suppliers
    again = Scoring().score_all(read_records(register_db), TODAY)
    assert again.overviews == first.overviews
    assert again.board == first.board


def test_a_snapshots_repr_is_one_short_line_whatever_the_registers_size(
    register_db: Path,
) -> None:
    """Textual's ``@work`` puts its arguments' ``repr`` in the worker's description.

    The supplier screen, the questionnaire and a write's refresh each pass a
    snapshot to a worker: a ``repr`` of every record and score cost 0.2 s on
    the UI thread and tens of megabytes at 10,000 suppliers, each time.
    """
    snapshot = load_snapshot(register_db, TODAY)
    text = repr(snapshot)
    assert (
        text
        == f"<Snapshot of {len(snapshot.suppliers)} suppliers on {TODAY.isoformat()}, scored, current>"
    )
    assert not any(s.name in text for s in snapshot.suppliers)
