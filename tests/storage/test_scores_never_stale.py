"""Kept scores are never stale: after any sequence of writes, through any write path, the score
cache (and the first screen read from it) gives exactly what scoring the register afresh gives.

The attack this holds against: moving a contract or an answer to another supplier used to leave
the supplier it left with its old cached score, rank and findings, because the audit entry of the
move names only the new supplier.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlite_utils import Database

from supplier_register.domain import (
    Answer,
    AnswerValue,
    Contract,
    Criticality,
    Person,
    Register,
    RegisterError,
    Role,
    Service,
    Supplier,
)
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import supplier_order
from supplier_register.services.register_scoring import cached_first_rows, prepare_scoring
from supplier_register.services.register_view import BOARD_KEPT
from supplier_register.storage import Repository, open_database

TODAY = dt.date(2026, 11, 26)
SUPPLIERS = 8
BASE = generate_register(SUPPLIERS, seed=12, today=TODAY)
QUESTIONS = sorted({a.question_id for a in BASE.answers})

Op = tuple[str, int, int, bool]


T = TypeVar("T")


def _pick(items: list[T], index: int) -> T | None:
    return items[index % len(items)] if items else None


def _move_contract(repo: Repository, i: int, j: int, by_id: bool) -> None:
    contract, to = _pick(repo.list_contracts(), i), _pick(repo.list_suppliers(), j)
    if contract is None or to is None:
        return
    moved = contract.model_copy(update={"supplier": to.name})
    if by_id:
        repo.update_contract(contract.id, moved, contract.version, supplier_id=to.id)
    else:  # by the name just chosen: the other way the repository offers
        repo.update_contract(contract.id, moved, contract.version)


def _move_answer(repo: Repository, i: int, j: int, _: bool) -> None:
    """No screen moves an answer; another tool can (the sqlite3 shell, a script)."""
    answer, to = _pick(repo.list_answers(), i), _pick(repo.list_suppliers(), j)
    if answer is None or to is None:
        return
    with contextlib.suppress(Exception):  # another answer to the question there: refused
        repo.db.execute("UPDATE answers SET supplier_id = ? WHERE id = ?", [to.id, answer.id])
    repo.db.conn.commit()


def _raw_contract_move(repo: Repository, i: int, j: int, _: bool) -> None:
    contract, to = _pick(repo.list_contracts(), i), _pick(repo.list_suppliers(), j)
    if contract is None or to is None:
        return
    with contextlib.suppress(Exception):  # a contract of the same title there: refused
        repo.db.execute("UPDATE contracts SET supplier_id = ? WHERE id = ?", [to.id, contract.id])
    repo.db.conn.commit()


def _edit_contract(repo: Repository, i: int, _: int, flag: bool) -> None:
    contract = _pick(repo.list_contracts(), i)
    if contract is not None:
        changed = contract.model_copy(
            update={"auto_renewal": flag, "exit_assistance_clause": not flag}
        )
        repo.update_contract(
            contract.id, changed, contract.version, supplier_id=contract.supplier_id
        )


def _add_contract(repo: Repository, i: int, j: int, flag: bool) -> None:
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is not None:
        repo.add_contract(
            Contract(
                supplier=supplier.name,
                title=f"Added {j}",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                end_date=TODAY + dt.timedelta(days=30 + j),
                auto_renewal=flag,
            ),
            supplier_id=supplier.id,
        )


def _delete_contract(repo: Repository, i: int, _: int, __: bool) -> None:
    contract = _pick(repo.list_contracts(), i)
    if contract is not None:
        repo.delete_contract(contract.id, contract.version)


def _set_answer(repo: Repository, i: int, j: int, flag: bool) -> None:
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is None:
        return
    question = QUESTIONS[j % len(QUESTIONS)]
    seen = repo.get_answer(supplier.id, question)
    value = AnswerValue.YES if flag else AnswerValue.NO
    repo.set_answer(
        Answer(supplier=supplier.name, question_id=question, answer=value, answered_on=TODAY),
        None if seen is None else seen.version,
        supplier_id=supplier.id,
    )


def _delete_answer(repo: Repository, i: int, _: int, __: bool) -> None:
    answer = _pick(repo.list_answers(), i)
    if answer is not None:
        repo.delete_answer(answer.supplier_id, answer.question_id, answer.version)


def _rename_supplier(repo: Repository, i: int, j: int, _: bool) -> None:
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is not None:
        renamed = supplier.model_copy(update={"name": f"Renamed {j} Ltd"})
        repo.update_supplier(supplier.id, renamed, supplier.version)


def _edit_supplier(repo: Repository, i: int, j: int, flag: bool) -> None:
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is not None:
        criticality = list(Criticality)[j % len(Criticality)]
        changed = supplier.model_copy(update={"criticality": criticality, "dtac_complete": flag})
        repo.update_supplier(supplier.id, changed, supplier.version)


def _change_owner(repo: Repository, i: int, j: int, flag: bool) -> None:
    supplier, person = _pick(repo.list_suppliers(), i), _pick(repo.list_people(), j)
    if supplier is not None:
        owner = person.name if person is not None and flag else None
        repo.update_supplier(
            supplier.id, supplier.model_copy(update={"owner": owner}), supplier.version
        )


def _add_supplier(repo: Repository, i: int, j: int, _: bool) -> None:
    criticality = list(Criticality)[j % len(Criticality)]
    repo.add_supplier(Supplier(name=f"Newcomer {i}", category="epr", criticality=criticality))


def _delete_supplier(repo: Repository, i: int, _: int, __: bool) -> None:
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is not None:
        repo.delete_supplier(supplier.id, supplier.version)


def _person(repo: Repository, i: int, j: int, flag: bool) -> None:
    person = _pick(repo.list_people(), i)
    if person is None or j % 3 == 0:
        repo.add_person(Person(name=f"Person {i}", role=list(Role)[j % len(Role)]))
    elif j % 3 == 1:
        changed = person.model_copy(
            update={"role": list(Role)[j % len(Role)], "name": f"{person.name} {j}"[:80]}
        )
        repo.update_person(person.id, changed, person.version)
    elif flag:
        repo.delete_person(person.id, person.version)


def _import(repo: Repository, i: int, j: int, flag: bool) -> None:
    """An import updating a supplier, adding a contract to it and answering for it."""
    supplier = _pick(repo.list_suppliers(), i)
    if supplier is None:
        return
    name = supplier.name
    changed = Supplier.model_validate(
        supplier.model_dump(include=set(Supplier.model_fields)) | {"sme": flag}
    )
    repo.import_register(
        Register(
            suppliers=[changed],
            contracts=[
                Contract(
                    supplier=name,
                    title=f"Imported {j}",
                    what_is_bought="commodity",
                    contract_type="time_and_materials",
                    notice_period_days=30 if flag else None,
                )
            ],
            answers=[
                Answer(
                    supplier=name,
                    question_id=QUESTIONS[j % len(QUESTIONS)],
                    answer=AnswerValue.PARTLY if flag else AnswerValue.UNKNOWN,
                )
            ],
        )
    )


def _link_service(repo: Repository, i: int, j: int, flag: bool) -> None:
    """A contract starts or stops supporting a service (one is added when there is none)."""
    contract = _pick(repo.list_contracts(), i)
    if contract is None:
        return
    service = _pick(repo.list_services(), j) or repo.add_service(
        Service(name=f"Service {j}", clinical=flag)
    )
    names = [n for n in contract.services if n.casefold() != service.name.casefold()]
    if len(names) == len(contract.services):
        names.append(service.name)
    repo.update_contract(
        contract.id,
        contract.model_copy(update={"services": names}),
        contract.version,
        supplier_id=contract.supplier_id,
    )


def _service(repo: Repository, i: int, j: int, flag: bool) -> None:
    """A service added, made clinical or not, renamed, or deleted."""
    service = _pick(repo.list_services(), i)
    if service is None or j % 4 == 0:
        repo.add_service(Service(name=f"Service {i}", clinical=flag))
    elif j % 4 == 1:
        changed = service.model_copy(update={"clinical": not service.clinical})
        repo.update_service(service.id, changed, service.version)
    elif j % 4 == 2:
        renamed = service.model_copy(update={"name": f"{service.name} {j}"[:80]})
        repo.update_service(service.id, renamed, service.version)
    else:
        repo.delete_service(service.id, service.version)


WRITES: dict[str, Callable[[Repository, int, int, bool], None]] = {
    "move_contract": _move_contract,
    "move_answer": _move_answer,
    "raw_contract_move": _raw_contract_move,
    "edit_contract": _edit_contract,
    "add_contract": _add_contract,
    "delete_contract": _delete_contract,
    "set_answer": _set_answer,
    "delete_answer": _delete_answer,
    "rename_supplier": _rename_supplier,
    "edit_supplier": _edit_supplier,
    "change_owner": _change_owner,
    "add_supplier": _add_supplier,
    "delete_supplier": _delete_supplier,
    "person": _person,
    "import": _import,
    "link_service": _link_service,
    "service": _service,
}

OPS = st.lists(
    st.tuples(
        st.sampled_from(sorted(WRITES)),
        st.integers(0, 40),
        st.integers(0, 40),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def assert_kept_scores_are_fresh(db: Database) -> None:
    """The cached overview (and the first screen read from the cache) equal scoring afresh."""
    cached = prepare_scoring(db, TODAY).overview(ranked_per_key=BOARD_KEPT)
    fresh = prepare_scoring(db, TODAY).overview(ranked_per_key=BOARD_KEPT, cache=False)
    assert cached == fresh
    first = cached_first_rows(db, TODAY, limit=5)
    assert first is not None  # just written: exactly current
    assert first.total == len(fresh.suppliers)
    assert [o for _, o in first.rows] == sorted(fresh.suppliers, key=supplier_order)[:5]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(ops=OPS)
def test_kept_scores_always_equal_a_fresh_scoring(ops: list[Op]) -> None:
    db = open_database(":memory:")
    try:
        repo = Repository(db)
        repo.import_register(BASE)
        prepare_scoring(db, TODAY).overview(ranked_per_key=BOARD_KEPT)  # the cache, warm
        for kind, i, j, flag in ops:
            with contextlib.suppress(RegisterError, ValidationError):  # refused: nothing changed
                WRITES[kind](repo, i, j, flag)
            assert_kept_scores_are_fresh(db)
    finally:
        db.close()


def test_a_moved_contract_rescores_the_supplier_it_left() -> None:
    """The attack as found: the old supplier kept its score, rank and findings."""
    db = open_database(":memory:")
    try:
        repo = Repository(db)
        repo.import_register(BASE)
        before = prepare_scoring(db, TODAY).overview()
        source = max(before.suppliers, key=lambda o: o.finding_count)
        supplier = repo.find_supplier(source.supplier)
        target = next(s for s in repo.list_suppliers() if s.id != supplier.id)
        for contract in repo.list_contracts(supplier.id):
            moved = contract.model_copy(
                update={"supplier": target.name, "title": f"{contract.title} (moved)"}
            )
            repo.update_contract(contract.id, moved, contract.version, supplier_id=target.id)
        after = prepare_scoring(db, TODAY).overview()
        fresh = prepare_scoring(db, TODAY).overview(cache=False)
        assert after == fresh
        left = next(o for o in after.suppliers if o.supplier == source.supplier)
        assert left != source  # it lost its contracts, and its score shows it
    finally:
        db.close()


def test_service_changes_rescore_the_suppliers_they_reach() -> None:
    """Linking services to a contract, changing whether a service is clinical, renaming and
    deleting one: each time the kept scores equal a fresh scoring, and the concentration
    finding comes and goes with the services."""
    db = open_database(":memory:")
    try:
        repo = Repository(db)
        repo.import_register(BASE)
        supplier = repo.add_supplier(
            Supplier(name="Veridane", category="epr", criticality=Criticality.MEDIUM)
        )
        contract = repo.add_contract(
            Contract(
                supplier="Veridane",
                title="EPR",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
            ),
            supplier_id=supplier.id,
        )
        triage, maternity = (
            repo.add_service(Service(name=name, clinical=False))
            for name in ("ED triage", "Maternity records")
        )

        def concentrated() -> bool:
            assert_kept_scores_are_fresh(db)
            scoring = prepare_scoring(db, TODAY)
            score = scoring.full_score(repo.get_supplier(supplier.id))
            return "rule.concentration" in {f.code for f in score.findings}

        assert not concentrated()  # the cache, warm
        linked = contract.model_copy(update={"services": ["ED triage", "Maternity records"]})
        repo.update_contract(contract.id, linked, contract.version, supplier_id=supplier.id)
        assert not concentrated()  # two services, neither clinical, of a medium supplier
        for service in (triage, maternity):
            clinical = service.model_copy(update={"clinical": True})
            repo.update_service(service.id, clinical, service.version)
        assert concentrated()  # the same links; two clinical services now
        maternity = repo.get_service(maternity.id)
        renamed = maternity.model_copy(update={"name": "Maternity"})
        repo.update_service(maternity.id, renamed, maternity.version)
        assert concentrated()
        maternity = repo.get_service(maternity.id)
        repo.delete_service(maternity.id, maternity.version)
        assert not concentrated()  # one clinical service left
        assert repo.get_contract(contract.id).services == ["ED triage"]
    finally:
        db.close()
