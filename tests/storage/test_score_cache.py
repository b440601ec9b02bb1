"""The score cache: kept overviews give exactly what scoring everyone again gives, after any change."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from supplier_register.domain.enums import AnswerValue, Criticality, DependencyKind, Role
from supplier_register.domain.models import Answer, Dependency, Service, Supplier
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import Scorer, ScoringConfig
from supplier_register.services.register_scoring import RegisterScoring, prepare_scoring
from supplier_register.storage import Repository, open_database, score_cache
from supplier_register.storage.audit import auditable_tables

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "register.db")
    Repository(database).import_register(generate_register(80, seed=21, today=TODAY))
    yield database
    database.close()


class Counting:
    """Counts the suppliers scored for the cache (not those re-scored for the top lists)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scored: list[str] = []
        original = Scorer.overview_entries

        def counted(scorer: Scorer, records: Any, **kwargs: Any) -> Any:
            for entry in original(scorer, records, **kwargs):
                self.scored.append(entry.overview.supplier)
                yield entry

        monkeypatch.setattr(Scorer, "overview_entries", counted)

    def take(self) -> list[str]:
        scored, self.scored = self.scored, []
        return scored


def check(db: Database, today: dt.date = TODAY, config: ScoringConfig | None = None) -> None:
    """A cached run equals an uncached one, for every argument the callers use."""
    for ranked, limit in ((0, None), (40, None), (10, 25)):
        cached = prepare_scoring(db, today, config=config).overview(
            ranked_per_key=ranked, question_limit=limit
        )
        fresh = prepare_scoring(db, today, config=config).overview(
            ranked_per_key=ranked, question_limit=limit, cache=False
        )
        assert cached == fresh


def scoring(db: Database, today: dt.date = TODAY) -> RegisterScoring:
    return prepare_scoring(db, today)


def test_first_run_fills_the_cache_and_later_runs_score_nobody(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = Counting(monkeypatch)
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    first = scoring(db).overview()
    assert len(counting.take()) == 80
    assert db.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 80
    assert score_cache.read_state(db) is not None
    again = scoring(db).overview()
    assert counting.take() == []
    assert again == first == scoring(db).overview(cache=False)
    # The cache is derived data: writing it is not a change to the register.
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
    assert not {"score_cache", "score_cache_state"} & set(auditable_tables(db))
    check(db)


def test_a_change_to_one_supplier_scores_only_it_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(db)
    scoring(db).overview()
    counting = Counting(monkeypatch)
    contract = repo.list_contracts()[0]
    repo.update_contract(
        contract.id, contract.model_copy(update={"auto_renewal": not contract.auto_renewal})
    )
    answer = repo.list_answers()[-1]
    repo.set_answer(
        Answer(
            supplier=answer.supplier,
            question_id=answer.question_id,
            answer=AnswerValue.NO if answer.answer is not AnswerValue.NO else AnswerValue.YES,
        ),
        answer.version,
    )
    changed = sorted({contract.supplier, answer.supplier})
    assert scoring(db).overview() == scoring(db).overview(cache=False)
    assert sorted(counting.take()) == changed
    check(db)
    assert counting.take() == []


def test_added_and_deleted_suppliers(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = Repository(db)
    scoring(db).overview()
    counting = Counting(monkeypatch)
    gone = repo.list_suppliers()[3]
    repo.delete_supplier(gone.id)
    repo.add_supplier(Supplier(name="Newcomer Ltd", category="other", criticality="high"))
    overview = scoring(db).overview()
    assert counting.take() == ["Newcomer Ltd"]
    assert overview == scoring(db).overview(cache=False)
    assert gone.name not in {o.supplier for o in overview.suppliers}
    assert db.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 80


def test_a_change_to_what_every_score_depends_on_scores_everyone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repository(db)
    scoring(db).overview()
    counting = Counting(monkeypatch)
    # A person's role: the owner rules of every supplier they own may change.
    person = next(p for p in repo.list_people() if p.role is not Role.CHIEF_EXECUTIVE)
    repo.update_person(person.id, person.model_copy(update={"role": Role.CHIEF_EXECUTIVE}))
    check(db)
    assert len(counting.take()) == 80
    # Another day: only the suppliers whose rows stop holding by then (some date reached).
    later = TODAY + dt.timedelta(days=45)
    ending = {
        name
        for (name,) in db.execute(
            "SELECT s.name FROM score_cache c JOIN suppliers s ON s.id = c.supplier_id "
            "WHERE c.valid_until <= ?",
            [later.isoformat()],
        )
    }
    assert 0 < len(ending) < 80
    check(db, later)
    assert sorted(counting.take()) == sorted(ending)  # scored once, then kept for the other calls
    # A day before the rows were worked out: everyone.
    check(db, TODAY - dt.timedelta(days=1))
    assert len(counting.take()) == 80
    # Another config (and back: each is scored afresh when it changes).
    check(db, TODAY, ScoringConfig(top_questions=5))
    assert len(counting.take()) == 80
    # A supplier that joins the chief executive's tier changes the context too.
    supplier = repo.list_suppliers()[0]
    repo.update_supplier(
        supplier.id,
        supplier.model_copy(
            update={"criticality": Criticality.STRATEGIC, "annual_spend": Decimal(10**9)}
        ),
    )
    check(db)
    assert len(counting.take()) == 80


def test_service_changes_score_again_only_whom_they_can_change(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contract's links to services are its supplier's change; whether a service is clinical
    is the register's, so changing it (for a service a contract supports) scores everyone; a
    service no contract supports, or a non-clinical one renamed, scores nobody again."""
    repo = Repository(db)
    scoring(db).overview()
    counting = Counting(monkeypatch)
    payroll = repo.add_service(Service(name="Payroll", clinical=False))
    check(db)
    assert counting.take() == []
    contract = repo.list_contracts()[0]
    repo.update_contract(contract.id, contract.model_copy(update={"services": ["Payroll"]}))
    check(db)
    assert counting.take() == [contract.supplier]
    repo.update_service(payroll.id, payroll.model_copy(update={"name": "Pay and pensions"}))
    check(db)
    assert counting.take() == []
    payroll = repo.get_service(payroll.id)
    repo.update_service(payroll.id, payroll.model_copy(update={"clinical": True}))
    check(db)
    assert len(counting.take()) == 80
    repo.delete_service(payroll.id)  # no longer a clinical service of the register
    check(db)
    assert len(counting.take()) == 80
    rostering = repo.add_service(Service(name="Rostering", clinical=False))
    contract = repo.get_contract(contract.id)
    repo.update_contract(contract.id, contract.model_copy(update={"services": ["Rostering"]}))
    check(db)
    assert counting.take() == [contract.supplier]
    repo.delete_service(rostering.id)  # the link goes with it
    check(db)
    assert counting.take() == [contract.supplier]
    # a clinical service no contract supports yet changes no score: nobody is scored again
    triage = repo.add_service(Service(name="ED triage", clinical=True))
    check(db)
    assert counting.take() == []
    repo.update_service(triage.id, triage.model_copy(update={"name": "Emergency triage"}))
    check(db)
    assert counting.take() == []


def test_an_earlier_log_than_the_cache_scores_everyone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    scoring(db).overview()
    state = score_cache.read_state(db)
    assert state is not None
    db.execute("UPDATE score_cache_state SET audit_mark = audit_mark + 1000")
    counting = Counting(monkeypatch)
    check(db)
    assert len(counting.take()) == 80


def test_a_busy_database_is_scored_without_the_cache(db: Database, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "register.db", timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        started = dt.datetime.now()
        result = scoring(db).overview()
        waited = dt.datetime.now() - started
    finally:
        other.rollback()
        other.close()
    assert result == scoring(db).overview(cache=False)
    assert waited < dt.timedelta(seconds=10)  # gave up on the cache, not the 15 s busy wait
    assert db.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 0
    state = score_cache.CacheState("x", "y", 0, 0)
    assert score_cache.write(db, state, [], replace_all=True, previous=None)  # free again


def test_rows_of_two_scorings_are_never_mixed(db: Database) -> None:
    """A run writes only if the cache is still as it found it (another program may have
    rewritten it meanwhile, e.g. with another config)."""
    scoring(db).overview()
    other = prepare_scoring(db, TODAY, config=ScoringConfig(top_questions=5))
    before = score_cache.read_state(db)
    assert before is not None
    moved = before._replace(scoring="written by another program")
    assert score_cache.write(db, moved, [], replace_all=False, previous=before)
    assert not score_cache.write(db, before, [], replace_all=True, previous=before)  # stale
    assert score_cache.read_state(db) == moved
    assert db.execute("SELECT count(*) FROM score_cache").fetchone()[0] == 80
    # A run that finds the cache moved under it still gives the right scores.
    assert other.overview() == other.overview(cache=False)


def test_new_scoring_code_scores_everyone(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from supplier_register.services import register_scoring

    scoring(db).overview()
    counting = Counting(monkeypatch)
    monkeypatch.setattr(register_scoring, "_scoring_code", lambda: "another release")
    check(db)
    assert len(counting.take()) == 80


def test_a_dependency_change_scores_again_the_supplier_depended_on(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether other suppliers depend on a supplier raises its impact (model 2): a dependency
    added or removed is a change to the supplier depended on, though the row names the one
    that depends; its note changes no score."""
    repo = Repository(db)
    before = {o.supplier: o for o in scoring(db).overview().suppliers}
    context = scoring(db).context
    max_uplift = ScoringConfig().impact.max_uplift
    base = ScoringConfig().impact.base
    suppliers = repo.list_suppliers()
    target = next(
        s
        for s in suppliers
        if not context.dependents.get(s.name.casefold())
        and before[s.name].impact - base[s.criticality] <= max_uplift - 0.1 - 1e-9
    )
    dependent = next(s for s in suppliers if s.id != target.id)
    counting = Counting(monkeypatch)
    link = repo.add_dependency(
        Dependency(supplier=dependent.name, depends_on=target.name, kind=DependencyKind.HOSTING)
    )
    check(db)
    assert target.name in counting.take()
    raised = {o.supplier: o for o in scoring(db).overview().suppliers}[target.name]
    assert raised.impact == pytest.approx(before[target.name].impact + 0.1)
    assert raised.priority >= before[target.name].priority
    # Its note changes no score: nobody is scored again.
    repo.update_dependency(
        link.id,
        Dependency(
            supplier=dependent.name,
            depends_on=target.name,
            kind=DependencyKind.HOSTING,
            note="hosts its integration engine",
        ),
    )
    check(db)
    assert counting.take() == []
    link = next(d for d in repo.list_dependencies(dependent.id) if d.depends_on == target.name)
    repo.delete_dependency(link.id)
    check(db)
    assert target.name in counting.take()
    assert {o.supplier: o for o in scoring(db).overview().suppliers}[target.name] == (
        before[target.name]
    )


def test_the_scoring_code_digest_covers_the_rules_subpackage(tmp_path: Path) -> None:
    """A change to a rule (scoring/rules/*.py) alone is new scoring code: kept scores go."""
    from supplier_register.services import register_scoring

    (tmp_path / "rules").mkdir()
    (tmp_path / "engine.py").write_text("x = 1\n")
    (tmp_path / "rules" / "exit.py").write_text("weight = 2\n")
    (tmp_path / "notes.txt").write_text("not code\n")
    before = register_scoring.code_digest(tmp_path)
    (tmp_path / "notes.txt").write_text("still not code\n")
    assert register_scoring.code_digest(tmp_path) == before
    (tmp_path / "rules" / "exit.py").write_text("weight = 3\n")
    assert register_scoring.code_digest(tmp_path) != before
