"""The board pack of the bundled sample register (issue 16's "Done when"), and turning its
management actions into review actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supplier_register.domain.enums import Criticality, Role
from supplier_register.domain.errors import InvalidInput
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.board import BoardPack
from supplier_register.services.board import board
from supplier_register.services.reviews import actions_from_board, start_review
from supplier_register.storage import Repository, open_database
from tests.support.registers import dump

DAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    db.close()
    return path


@pytest.fixture(scope="module")
def pack(sample: Path) -> BoardPack:
    db = open_database(sample)
    try:
        return board(db, DAY)
    finally:
        db.close()


def test_at_most_ten_board_questions_one_per_supplier_and_theme(pack: BoardPack) -> None:
    assert len(pack.questions) == 10
    assert pack.question_total > 50
    pairs = [(q.supplier, q.theme) for q in pack.questions if q.scope == "supplier"]
    assert len(pairs) == len(set(pairs))
    priorities = [q.priority for q in pack.questions]
    assert priorities == sorted(priorities, reverse=True)


def test_decisions_start_with_the_strategic_overdue_and_five_day_ones(pack: BoardPack) -> None:
    first = pack.decisions[:3]
    assert [d.supplier.split()[0] for d in first] == ["Veridane", "Brightwater", "Hollinfell"]
    assert all(d.criticality is Criticality.STRATEGIC for d in first)
    assert first[0].overdue and first[1].overdue
    assert first[2].days_left == 5
    assert first[1].days_left == -504  # the PACS decision passed on 10 July 2025
    # Veridane's two overdue contracts are one decision naming both.
    assert len(first[0].contracts) == 2
    assert all(d.criticality.rank >= Criticality.HIGH.rank for d in pack.decisions)
    assert all(d.owner for d in pack.decisions if d.supplier.startswith("Veridane"))
    # The owner with the role, unless the role is 'other' (it says nothing).
    assert first[0].owner == "Dr Helen Marchbank (chief executive)"
    assert first[1].owner == "Aisha Karim"


def test_every_unknown_is_a_management_action_never_a_board_question(
    pack: BoardPack, sample: Path
) -> None:
    assert not [q for q in pack.questions if "do not yet know" in q.text]
    db = open_database(sample)
    try:
        full = board(db, DAY, limit=500)
    finally:
        db.close()
    assert not [q for q in full.questions if "do not yet know" in q.text]
    assert len(full.questions) == full.question_total
    # The top ten are the head of the full ranking.
    assert list(full.questions[:10]) == list(pack.questions)
    find_outs = {a.supplier for a in pack.actions if a.kind == "find_out"}
    assert len(find_outs) == len([a for a in pack.actions if a.kind == "find_out"])
    assert "Ravensworth Integration Ltd" in find_outs
    dues = [a.due for a in pack.actions]
    assert dues == sorted(dues)


def test_management_actions_become_review_actions_in_one_step(
    sample: Path, tmp_path: Path, pack: BoardPack
) -> None:
    path = tmp_path / "copy.db"
    path.write_bytes(sample.read_bytes())
    db = open_database(path)
    try:
        start_review(db, "2026-Q4", DAY)
        owned = [a for a in pack.actions if a.owner is not None][:3]
        added, skipped = actions_from_board(db, "2026-Q4", owned, DAY)
        assert (len(added), skipped) == (3, 0)
        assert [a.supplier for a in added] == [a.supplier for a in owned]
        assert all(a.due >= DAY for a in added)
        # Again: nothing is added twice.
        again, skipped = actions_from_board(db, "2026-Q4", owned, DAY)
        assert (again, skipped) == ([], 3)
        # An action without an owner is refused, naming the supplier, and nothing is written.
        unowned = [a for a in pack.actions if a.owner is None]
        assert unowned
        before = dump(db)
        with pytest.raises(InvalidInput) as refused:
            actions_from_board(db, "2026-Q4", [*owned[:0], pack.actions[0], unowned[0]], DAY)
        assert str(refused.value) == (
            f"owner: the management action for {unowned[0].supplier} has no owner, as none is "
            "recorded for the supplier's relationship; give one"
        )
        assert dump(db) == before
        added, _ = actions_from_board(db, "2026-Q4", unowned[:1], DAY, owner="Priya Raman-Holt")
        assert added[0].owner == "Priya Raman-Holt"
    finally:
        db.close()


def test_owners_by_supplier_id(sample: Path) -> None:
    db = open_database(sample)
    try:
        repo = Repository(db)
        owners = repo.owners()
        veridane = repo.find_supplier("Veridane Health Systems Ltd")
        ravensworth = repo.find_supplier("Ravensworth Integration Ltd")
    finally:
        db.close()
    assert owners[veridane.id] == ("Dr Helen Marchbank", Role.CHIEF_EXECUTIVE)
    assert ravensworth.id not in owners  # nobody recorded: left out, never guessed


def test_a_supplier_asked_for_twice_gets_its_records_twice(sample: Path) -> None:
    db = open_database(sample)
    try:
        repo = Repository(db)
        veridane = repo.find_supplier("Veridane Health Systems Ltd")
        other = repo.find_supplier("Ravensworth Integration Ltd")
        once = repo.scoring_records_for([veridane])
        twice = repo.scoring_records_for([veridane, other, veridane])
    finally:
        db.close()
    assert twice[0] == twice[2] == once[0]
    assert len(twice[0][2]) > 10  # its answers, not an empty list
