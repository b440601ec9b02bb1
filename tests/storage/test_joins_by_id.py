"""Scores, findings and board questions carry the ids of their records, and are joined by them.

Names are for display: a supplier renamed since it was scored, or two suppliers
whose names differ only in non-ASCII case ('Straße Ltd' / 'STRASSE Ltd'), still
get their own score, row, explanation and snapshot.  The ids stay out of the
documented outputs and out of ``==`` (a register read from a file has none).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain import Contract, Register, Supplier
from supplier_register.review.quarters import Quarter
from supplier_register.scoring import RegisterScores
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.services.register_view import Snapshot, load_snapshot, read_records
from supplier_register.storage import Repository, open_database
from supplier_register.storage.reviews import ReviewStore
from tests.support.oracles import score_supplier

TODAY = dt.date(2026, 11, 26)
TWINS = ("Straße Ltd", "STRASSE Ltd")


@pytest.fixture
def twins_db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    db = open_database(path)
    repo = Repository(db)
    repo.add_supplier(Supplier(name=TWINS[0], category="epr", criticality="strategic"))
    repo.add_supplier(Supplier(name=TWINS[1], category="devices", criticality="high"))
    for name, title in ((TWINS[0], "EPR"), (TWINS[1], "Devices")):
        repo.add_contract(
            Contract(
                supplier=name,
                title=title,
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                procurement_route="direct_award",
                start_date=dt.date(2020, 1, 1),
                end_date=dt.date(2027, 1, 31),
                notice_period_days=180,
                migration_lead_time_days=365,
            )
        )
    db.close()
    return path


def _rename(path: Path, old: str, new: str) -> int:
    db = open_database(path)
    repo = Repository(db)
    record = next(s for s in repo.list_suppliers() if s.name == old)
    plain = Supplier.model_validate(record.model_dump(include=set(Supplier.model_fields)))
    repo.update_supplier(record.id, plain.model_copy(update={"name": new}))
    db.close()
    return record.id


def test_full_scores_carry_the_ids_of_their_supplier_and_contracts(twins_db: Path) -> None:
    db = open_database(twins_db)
    scoring = prepare_scoring(db, TODAY)
    contract_ids = {c.title: c.id for c in Repository(db).list_contracts()}
    for supplier, score in scoring.iter_full_scores(scoring.suppliers):
        assert score.supplier_id == supplier.id
        assert score.findings and score.questions
        assert {f.supplier_id for f in score.findings} == {supplier.id}
        assert {q.supplier_id for q in score.questions} == {supplier.id}
        about = [f for f in score.findings if f.contract is not None]
        assert about
        assert all(f.contract_id == contract_ids[f.contract] for f in about if f.contract)
        assert all(f.contract_id is None for f in score.findings if f.contract is None)
    db.close()


def test_ids_stay_out_of_the_documents_and_of_equality(twins_db: Path) -> None:
    db = open_database(twins_db)
    scoring = prepare_scoring(db, TODAY)
    repo = Repository(db)
    for supplier, score in scoring.iter_full_scores(scoring.suppliers):
        assert score.supplier_id is not None
        plain = Supplier.model_validate(supplier.model_dump(include=set(Supplier.model_fields)))
        contracts = [
            Contract.model_validate(c.model_dump(include=set(Contract.model_fields)))
            for c in repo.list_contracts()
            if c.supplier_id == supplier.id
        ]
        from_file = score_supplier(plain, contracts, [], today=TODAY, context=scoring.context)
        assert from_file.supplier_id is None
        assert from_file == score  # same figures: equal, wherever the records came from
        assert from_file.model_dump_json() == score.model_dump_json()
        dumped = json.loads(score.model_dump_json())
        assert "supplier_id" not in dumped
        assert all("supplier_id" not in f and "contract_id" not in f for f in dumped["findings"])
        assert all("supplier_id" not in q for q in dumped["questions"])
    db.close()


def test_kept_top_questions_keep_their_suppliers_ids(twins_db: Path) -> None:
    db = open_database(twins_db)
    ids = {s.name: s.id for s in Repository(db).list_suppliers()}
    cold = prepare_scoring(db, TODAY).overview(ranked_per_key=5)
    warm = prepare_scoring(db, TODAY).overview(ranked_per_key=5)  # from the kept questions
    db.close()
    assert cold.top_questions and warm.top_questions == cold.top_questions
    for overview in (cold, warm):
        assert [q.supplier_id for q in overview.top_questions] == [
            ids[q.supplier] for q in overview.top_questions
        ]
        for questions in overview.ranked_questions.values():
            assert [q.supplier_id for q in questions] == [ids[q.supplier] for q in questions]


def test_board_paper_explains_each_question_by_its_own_suppliers_score(twins_db: Path) -> None:
    db = open_database(twins_db)
    scoring = prepare_scoring(db, TODAY)
    own = {s.name: score.score for s, score in scoring.iter_full_scores(scoring.suppliers)}
    db.close()
    runner = CliRunner()
    args = ["--db", str(twins_db), "questions", "--format", "md", "--today", TODAY.isoformat()]
    for _ in range(2):  # scored, then from the kept questions
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        asked = [(i, line) for i, line in enumerate(lines) if re.match(r"^\d+\. ", line)]
        whose = {i: [n for n in TWINS if n in line] for i, line in asked}
        assert {n for names in whose.values() for n in names} == set(TWINS)
        for i, names in whose.items():
            if len(names) == 1:
                (name,) = names
                # the line under a question is its own supplier's name and score
                assert lines[i + 1].startswith(f"   *{name}: "), (lines[i], lines[i + 1])
                assert f"risk {own[name]}/100" in lines[i + 1]
        assert len(set(own.values())) == 2  # the twins score differently


def test_tui_keeps_a_renamed_suppliers_score_until_it_is_scored_again(twins_db: Path) -> None:
    before = load_snapshot(twins_db, TODAY)
    assert before.scores is not None
    renamed_id = _rename(twins_db, TWINS[0], "Renamed Ltd")
    # The records after the rename, shown with the scores of before (marked not current)
    # while the register is scored again.
    after = Snapshot.build(
        read_records(twins_db), TODAY, before.scores, before.scoring, current=False
    )
    renamed = after.supplier(renamed_id)
    assert renamed is not None and renamed.name == "Renamed Ltd"
    overview = after.overview_of(renamed)
    assert overview is not None and overview.supplier_id == renamed_id
    assert overview == before.overview_of(before.supplier(renamed_id))  # type: ignore[arg-type]
    row = next(r for r in after.rows if r.name == "Renamed Ltd")
    assert row.score == overview.score and row.band is overview.band


def test_review_start_joins_scores_to_records_by_id(twins_db: Path) -> None:
    db = open_database(twins_db)
    scoring = prepare_scoring(db, TODAY)
    scored = list(scoring.iter_full_scores(scoring.suppliers))
    db.close()
    # Renamed after it was scored: the score names the old name, the records the new one.
    renamed_id = _rename(twins_db, TWINS[1], "Elsewhere Ltd")
    db = open_database(twins_db)
    repo = Repository(db)
    register = Register.model_construct(
        trust=None,
        people=[],
        suppliers=list[Supplier](repo.list_suppliers()),  # records, with their ids
        contracts=list[Contract](repo.list_contracts()),
        answers=[],
    )
    scores = RegisterScores(today=TODAY, suppliers=[s for _, s in scored], top_questions=[])
    store = ReviewStore(db)
    review = store.start(Quarter.of(TODAY), TODAY, register, scores)
    snapshots = store.snapshots(review)
    db.close()
    assert [s.score for s in snapshots] == [s for _, s in scored]
    by_score = {s.score.supplier: s for s in snapshots}
    renamed = by_score[TWINS[1]]
    assert renamed.supplier.name == "Elsewhere Ltd"
    assert [c.title for c in renamed.contracts] == ["Devices"]
    assert renamed_id == next(r.id for r, _ in scored if r.name == TWINS[1])
    assert [c.title for c in by_score[TWINS[0]].contracts] == ["EPR"]
