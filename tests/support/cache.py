"""Shared by the score-cache tests: a register database, a read-only view of it, and each kind
of change the cache must notice."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from supplier_register.domain.enums import AnswerValue, Criticality, Role
from supplier_register.domain.models import Answer, Register
from supplier_register.storage import Repository, open_database


def make_db(path: Path, register: Register) -> Database:
    """A register database at ``path`` holding ``register``."""
    db = open_database(path)
    Repository(db).import_register(register)
    return db


def read_only(path: Path) -> Database:
    """The database at ``path`` opened read-only (the cache cannot be written)."""
    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def each_kind_of_change(repo: Repository) -> Iterator[str]:
    """Change a supplier, a contract, an answer and a person in turn, yielding after each."""
    supplier = repo.list_suppliers()[4]
    repo.update_supplier(
        supplier.id, supplier.model_copy(update={"criticality": Criticality.STRATEGIC})
    )
    yield "supplier"
    contract = repo.list_contracts()[7]
    repo.update_contract(
        contract.id, contract.model_copy(update={"auto_renewal": not contract.auto_renewal})
    )
    yield "contract"
    answer = repo.list_answers()[11]
    repo.set_answer(
        Answer(
            supplier=answer.supplier,
            question_id=answer.question_id,
            answer=AnswerValue.NO if answer.answer is not AnswerValue.NO else AnswerValue.YES,
        ),
        answer.version,
    )
    yield "answer"
    person = next(p for p in repo.list_people() if p.role is not Role.CHIEF_EXECUTIVE)
    repo.update_person(person.id, person.model_copy(update={"role": Role.CHIEF_EXECUTIVE}))
    yield "person"
