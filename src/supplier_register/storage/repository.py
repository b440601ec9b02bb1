"""The repository: reads and writes the register as domain models.

Everything outside ``storage`` goes through this class, so SQL stays here and
every write is one transaction with optimistic concurrency: each record has a
version, and a save against a version somebody else already replaced is
refused with :class:`StaleRecord` instead of silently overwriting their work.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel
from sqlite_utils import Database

from supplier_register.domain.bounds import STORED
from supplier_register.domain.enums import AnswerValue
from supplier_register.domain.errors import (
    Duplicate,
    InvalidInput,
    NotFound,
    StaleRecord,
)
from supplier_register.domain.models import (
    Answer,
    AnswerRecord,
    Contract,
    ContractRecord,
    Person,
    PersonRecord,
    Register,
    Supplier,
    SupplierRecord,
)
from supplier_register.storage.db import write_transaction
from supplier_register.storage.provenance import (
    Provenance,
    provenance_by_supplier,
    provenance_for_supplier,
    supplier_identifiers,
)
from supplier_register.storage.records import RowReader

R = TypeVar("R", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)
S = TypeVar("S", bound=SupplierRecord)


class AnswerFacts(NamedTuple):
    """What scoring reads of an answer: the question, the answer and its date.

    A fraction of the cost of an :class:`AnswerRecord`, for reading every
    answer of a large register only to score it.
    """

    question_id: str
    answer: AnswerValue
    answered_on: dt.date | None


SupplierRecords = tuple[S, list[ContractRecord], list[AnswerFacts]]

_MONEY = {
    "annual_spend": "annual_spend_pence",
    "annual_value": "annual_value_pence",
    "total_value": "total_value_pence",
    "lifetime_cost": "lifetime_cost_pence",
}
_SUPPLIER_COLS = [
    "name",
    "company_number",
    "sme",
    "category",
    "criticality",
    "annual_spend",
    "review_cadence_months",
    "last_review",
    "runs_clinical_systems",
    "dspt_status",
    "cyber_essentials",
    "dtac_complete",
    "clinical_safety_case",
    "shared_with",
    "notes",
]
_CONTRACT_COLS = [
    "title",
    "what_is_bought",
    "contract_type",
    "procurement_route",
    "start_date",
    "end_date",
    "extension_options",
    "notice_period_days",
    "auto_renewal",
    "annual_value",
    "total_value",
    "lifetime_cost",
    "milestone_payments",
    "break_clause",
    "exit_assistance_clause",
    "data_ownership_clause",
    "ip_owner",
    "migration_lead_time_days",
    "notes",
]
_ANSWER_COLS = ["question_id", "answer", "evidence", "answered_by", "answered_on"]
_PERSON_COLS = ["name", "role", "contact"]


def _pence(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def _pounds(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _to_sql(model: BaseModel, columns: Iterable[str]) -> dict[str, Any]:
    """Column values for a model: enums as strings, dates ISO, money in pence, lists as JSON."""
    out: dict[str, Any] = {}
    for name in columns:
        value = getattr(model, name)
        column = _MONEY.get(name, name)
        if name in _MONEY:
            value = _pence(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        elif isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        elif hasattr(value, "value"):
            value = value.value
        out[column] = value
    return out


def _from_sql(row: Mapping[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in columns:
        if name in _MONEY:
            out[name] = _pounds(row[_MONEY[name]])
        elif name == "shared_with":
            out[name] = json.loads(row[name])
        else:
            out[name] = row[name]
    return out


class _Readers:
    """One :class:`RowReader` per model the repository reads in bulk."""

    def __init__(self) -> None:
        supplier_shared = {"owner", "category", "criticality", "last_review"}
        contract_shared = {"supplier", "supplier_id", "start_date", "end_date"}
        answer_shared = {"supplier", "supplier_id", "question_id", "answered_by", "answered_on"}
        self.person_record = RowReader(PersonRecord)
        self.supplier_record = RowReader(SupplierRecord, money=_MONEY, shared=supplier_shared)
        self.contract_record = RowReader(ContractRecord, money=_MONEY, shared=contract_shared)
        self.answer_record = RowReader(AnswerRecord, shared=answer_shared)
        self.person = RowReader(Person)
        self.supplier = RowReader(Supplier, money=_MONEY, shared=supplier_shared)
        self.contract = RowReader(Contract, money=_MONEY, shared=contract_shared)
        self.answer = RowReader(Answer, shared=answer_shared)


_READERS = _Readers()


def _nocase(value: str) -> str:
    return value.casefold()


@dataclass
class KindSummary:
    """How many records of one kind an import created, updated or left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    """The outcome of importing a register, per kind of record."""

    people: KindSummary = field(default_factory=KindSummary)
    suppliers: KindSummary = field(default_factory=KindSummary)
    contracts: KindSummary = field(default_factory=KindSummary)
    answers: KindSummary = field(default_factory=KindSummary)

    def lines(self) -> list[str]:
        """One human line per kind, e.g. 'suppliers: 3 created, 1 updated, 0 unchanged'."""
        return [
            f"{kind}: {s.created} created, {s.updated} updated, {s.unchanged} unchanged"
            for kind, s in self.items()
        ]

    def items(self) -> list[tuple[str, KindSummary]]:
        return [
            ("people", self.people),
            ("suppliers", self.suppliers),
            ("contracts", self.contracts),
            ("answers", self.answers),
        ]


class Repository:
    """Domain-level access to one register database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # ----------------------------------------------------------------- reads

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    _SUPPLIER_SQL = (
        "SELECT s.*, p.name AS owner FROM suppliers s LEFT JOIN people p ON p.id = s.owner_id"
    )
    _CONTRACT_SQL = (
        "SELECT c.*, s.name AS supplier FROM contracts c JOIN suppliers s ON s.id = c.supplier_id"
    )
    _ANSWER_SQL = (
        "SELECT a.*, s.name AS supplier FROM answers a JOIN suppliers s ON s.id = a.supplier_id"
    )

    @staticmethod
    def _stored(model: type[R], row: Mapping[str, Any], columns: Iterable[str], *keys: str) -> R:
        """One stored row as ``model``: its ``columns`` from SQL, then ``keys`` as they are."""
        return model.model_validate(
            {**_from_sql(row, columns), **{key: row[key] for key in keys}}, context=STORED
        )

    @classmethod
    def _supplier(cls, row: Mapping[str, Any]) -> SupplierRecord:
        return cls._stored(SupplierRecord, row, _SUPPLIER_COLS, "owner", "id", "version")

    @classmethod
    def _contract(cls, row: Mapping[str, Any]) -> ContractRecord:
        return cls._stored(
            ContractRecord, row, _CONTRACT_COLS, "supplier", "supplier_id", "id", "version"
        )

    @classmethod
    def _answer(cls, row: Mapping[str, Any]) -> AnswerRecord:
        return cls._stored(
            AnswerRecord, row, _ANSWER_COLS, "supplier", "supplier_id", "id", "version"
        )

    @classmethod
    def _person(cls, row: Mapping[str, Any]) -> PersonRecord:
        return cls._stored(PersonRecord, row, _PERSON_COLS, "id", "version")

    def _read(
        self,
        reader: RowReader[R],
        sql: str,
        params: Iterable[Any],
        fallback: Callable[[Mapping[str, Any]], R],
    ) -> list[R]:
        """Many rows as models, without validating them again (see ``storage.records``)."""
        return reader.read(self.db.execute(sql, list(params)), fallback)

    _PEOPLE_ORDERED = "SELECT * FROM people ORDER BY name COLLATE NOCASE"

    def _supplier_order(self, where: str = "") -> str:
        return f"{self._SUPPLIER_SQL} {where} ORDER BY s.name COLLATE NOCASE"

    def _contract_order(self, where: str = "") -> str:
        return (
            f"{self._CONTRACT_SQL} {where} ORDER BY s.name COLLATE NOCASE, c.title COLLATE NOCASE"
        )

    def _answer_order(self, where: str = "") -> str:
        return f"{self._ANSWER_SQL} {where} ORDER BY s.name COLLATE NOCASE, a.question_id"

    def list_people(self) -> list[PersonRecord]:
        """Everybody in the register, by name."""
        return self._read(_READERS.person_record, self._PEOPLE_ORDERED, (), self._person)

    def list_suppliers(self) -> list[SupplierRecord]:
        """Every supplier, by name."""
        return self._read(_READERS.supplier_record, self._supplier_order(), (), self._supplier)

    def list_contracts(self, supplier_id: int | None = None) -> list[ContractRecord]:
        """Contracts of one supplier, or of all, by supplier then title."""
        where, params = ("WHERE c.supplier_id = ?", [supplier_id]) if supplier_id else ("", [])
        return self._read(
            _READERS.contract_record, self._contract_order(where), params, self._contract
        )

    def list_answers(self, supplier_id: int | None = None) -> list[AnswerRecord]:
        """Questionnaire answers of one supplier, or of all."""
        where, params = ("WHERE a.supplier_id = ?", [supplier_id]) if supplier_id else ("", [])
        return self._read(_READERS.answer_record, self._answer_order(where), params, self._answer)

    def get_supplier(self, supplier_id: int) -> SupplierRecord:
        rows = self._rows(self._SUPPLIER_SQL + " WHERE s.id = ?", [supplier_id])
        if not rows:
            raise NotFound(f"supplier: no supplier with id {supplier_id}")
        return self._supplier(rows[0])

    def find_supplier(self, name: str) -> SupplierRecord:
        """The supplier with this name (case-insensitive), or :class:`NotFound`."""
        rows = self._rows(self._SUPPLIER_SQL + " WHERE s.name = ? COLLATE NOCASE", [name.strip()])
        if not rows:
            raise NotFound(f"supplier: no supplier named {name.strip()!r}")
        return self._supplier(rows[0])

    def get_contract(self, contract_id: int) -> ContractRecord:
        rows = self._rows(self._CONTRACT_SQL + " WHERE c.id = ?", [contract_id])
        if not rows:
            raise NotFound(f"contract: no contract with id {contract_id}")
        return self._contract(rows[0])

    def get_person(self, person_id: int) -> PersonRecord:
        rows = self._rows("SELECT * FROM people WHERE id = ?", [person_id])
        if not rows:
            raise NotFound(f"person: no person with id {person_id}")
        return self._person(rows[0])

    def find_person(self, name: str) -> PersonRecord:
        rows = self._rows("SELECT * FROM people WHERE name = ? COLLATE NOCASE", [name.strip()])
        if not rows:
            raise NotFound(f"person: no person named {name.strip()!r}")
        return self._person(rows[0])

    def counts(self) -> dict[str, int]:
        """Number of rows of each kind, e.g. for an empty-register check."""
        return {
            t: int(self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("people", "suppliers", "contracts", "answers")
        }

    def trust_name(self) -> str | None:
        """The name of the trust whose register this is, if set."""
        row = self.db.execute("SELECT value FROM settings WHERE key = 'trust'").fetchone()
        return None if row is None else str(row[0])

    def set_trust_name(self, name: str) -> None:
        """Set the trust's name (validated like every other name)."""
        value = Register(trust=name).trust
        with write_transaction(self.db):
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES ('trust', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [value],
            )

    def load_register(self) -> Register:
        """The whole register as one interchange model, in a stable order."""
        people, suppliers, contracts, answers = self.iter_register()
        return Register.model_construct(
            trust=self.trust_name(),
            people=list(people),
            suppliers=list(suppliers),
            contracts=list(contracts),
            answers=list(answers),
        )

    def iter_register(
        self,
    ) -> tuple[Iterator[Person], Iterator[Supplier], Iterator[Contract], Iterator[Answer]]:
        """The register's records, as :meth:`load_register` holds them, each kind read lazily.

        Each iterator runs its query when first read and yields one model at a
        time, so a writer can put a large register out without holding it.
        """

        def plain(model: type[P], record: Callable[[Mapping[str, Any]], BaseModel]) -> Any:
            def fallback(row: Mapping[str, Any]) -> P:
                validated = record(row)
                return model.model_validate(validated.model_dump(include=set(model.model_fields)))

            return fallback

        def rows(reader: RowReader[R], sql: str, fallback: Callable[..., R]) -> Iterator[R]:
            yield from reader.iter(self.db.execute(sql), fallback)

        return (
            rows(_READERS.person, self._PEOPLE_ORDERED, plain(Person, self._person)),
            rows(_READERS.supplier, self._supplier_order(), plain(Supplier, self._supplier)),
            rows(_READERS.contract, self._contract_order(), plain(Contract, self._contract)),
            rows(_READERS.answer, self._answer_order(), plain(Answer, self._answer)),
        )

    # ------------------------------------------------------ scoring reads

    def iter_scoring_records(self, suppliers: Iterable[S]) -> Iterator[SupplierRecords[S]]:
        """Each supplier with its contracts (by title) and what scoring reads of its answers.

        One pass over each table in supplier-id order, merged, so a large
        register is scored without ever holding all its contracts and answers;
        suppliers come out in id order.
        """
        ordered = sorted(suppliers, key=attrgetter("id"))
        contracts = self._contracts_by_supplier("", ())
        answers = self._answer_facts_by_supplier("", ())
        return _merge_by_supplier(ordered, contracts, answers)

    def scoring_records_for(self, suppliers: Sequence[S]) -> list[SupplierRecords[S]]:
        """The same as :meth:`iter_scoring_records` for a few suppliers, in the order given."""
        found: list[SupplierRecords[S]] = []
        for start in range(0, len(suppliers), _CHUNK):
            chunk = suppliers[start : start + _CHUNK]
            ids = [s.id for s in chunk]
            marks = ", ".join("?" * len(ids))
            contracts = self._contracts_by_supplier(f"WHERE c.supplier_id IN ({marks})", ids)
            answers = self._answer_facts_by_supplier(f"WHERE supplier_id IN ({marks})", ids)
            merged = {
                s.id: (s, c, a)
                for s, c, a in _merge_by_supplier(
                    sorted(chunk, key=attrgetter("id")), contracts, answers
                )
            }
            found += [merged[s.id] for s in chunk]
        return found

    def _contracts_by_supplier(
        self, where: str, params: Sequence[Any]
    ) -> Iterator[tuple[int, list[ContractRecord]]]:
        cursor = self.db.execute(
            f"{self._CONTRACT_SQL} {where} ORDER BY c.supplier_id, c.title COLLATE NOCASE",
            list(params),
        )
        rows = _READERS.contract_record.iter(cursor, self._contract)
        for supplier_id, group in itertools.groupby(rows, attrgetter("supplier_id")):
            yield supplier_id, list(group)

    def _answer_facts_by_supplier(
        self, where: str, params: Sequence[Any]
    ) -> Iterator[tuple[int, list[AnswerFacts]]]:
        cursor = self.db.execute(
            "SELECT supplier_id, id, question_id, answer, answered_on FROM answers "
            f"{where} ORDER BY supplier_id, question_id",
            list(params),
        )
        values = {v.value: v for v in AnswerValue}
        days: dict[str, dt.date] = {}
        questions: dict[str, str] = {}
        for supplier_id, group in itertools.groupby(cursor, lambda row: row[0]):
            facts = []
            for _, answer_id, question_id, value, answered_on in group:
                answer = values.get(value)
                try:
                    day = None
                    if answered_on is not None:
                        day = days.get(answered_on)
                        if day is None:
                            day = days[answered_on] = dt.date.fromisoformat(answered_on)
                except (TypeError, ValueError):
                    answer = None
                if answer is None:  # edited by hand: validate it as a whole record
                    record = self._answer(
                        self._rows(self._ANSWER_SQL + " WHERE a.id = ?", [answer_id])[0]
                    )
                    answer, day = record.answer, record.answered_on
                question_id = questions.setdefault(question_id, question_id)
                facts.append(AnswerFacts(question_id, answer, day))
            yield supplier_id, facts

    # ---------------------------------------------------------------- helpers

    def _person_id(self, name: str | None, field_name: str = "owner") -> int | None:
        if name is None:
            return None
        row = self.db.execute(
            "SELECT id FROM people WHERE name = ? COLLATE NOCASE", [name]
        ).fetchone()
        if row is None:
            raise NotFound(
                f"{field_name}: no person named {name!r} in the register; add them first"
            )
        return int(row[0])

    def _supplier_id(self, name: str) -> int:
        row = self.db.execute(
            "SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE", [name]
        ).fetchone()
        if row is None:
            raise NotFound(f"supplier: no supplier named {name!r}")
        return int(row[0])

    def _existing_supplier(self, supplier_id: int) -> int:
        """``supplier_id``, checked to exist (inside the caller's transaction)."""
        row = self.db.execute("SELECT 1 FROM suppliers WHERE id = ?", [supplier_id]).fetchone()
        if row is None:
            raise NotFound(
                f"supplier: no supplier with id {supplier_id} (deleted by someone else?)"
            )
        return supplier_id

    def _update(
        self,
        table: str,
        record_id: int,
        values: dict[str, Any],
        expected_version: int | None,
        kind: str,
    ) -> None:
        """Update one row, bumping its version; refuse when the version moved on."""
        sets = ", ".join(f"[{k}] = ?" for k in values)
        params = [*values.values(), record_id]
        sql = f"UPDATE [{table}] SET {sets}, version = version + 1 WHERE id = ?"
        if expected_version is not None:
            sql += " AND version = ?"
            params.append(expected_version)
        try:
            cursor = self.db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            raise _integrity(kind, values, exc) from None
        if cursor.rowcount == 0:
            row = self.db.execute(
                f"SELECT version FROM [{table}] WHERE id = ?", [record_id]
            ).fetchone()
            if row is None:
                raise NotFound(f"{kind}: no {kind} with id {record_id} (deleted by someone else?)")
            raise StaleRecord(
                f"{kind}: changed by someone else since you opened it "
                f"(version {expected_version}, now {row[0]}); reload and try again"
            )

    def _delete(self, table: str, record_id: int, expected_version: int | None, kind: str) -> None:
        sql, params = f"DELETE FROM [{table}] WHERE id = ?", [record_id]
        if expected_version is not None:
            sql += " AND version = ?"
            params.append(expected_version)
        with write_transaction(self.db):
            cursor = self.db.execute(sql, params)
            if cursor.rowcount == 0:
                row = self.db.execute(
                    f"SELECT version FROM [{table}] WHERE id = ?", [record_id]
                ).fetchone()
                if row is None:
                    raise NotFound(f"{kind}: no {kind} with id {record_id}")
                raise StaleRecord(
                    f"{kind}: changed by someone else since you opened it; reload before deleting"
                )

    def _insert(self, table: str, values: dict[str, Any], kind: str) -> int:
        cols = ", ".join(f"[{k}]" for k in values)
        marks = ", ".join("?" for _ in values)
        try:
            cursor = self.db.execute(
                f"INSERT INTO [{table}] ({cols}) VALUES ({marks})", list(values.values())
            )
        except sqlite3.IntegrityError as exc:
            raise _integrity(kind, values, exc) from None
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    # ------------------------------------------------------------- people

    def add_person(self, person: Person) -> PersonRecord:
        with write_transaction(self.db):
            new_id = self._insert("people", _to_sql(person, _PERSON_COLS), "person")
        return self.get_person(new_id)

    def update_person(
        self, person_id: int, person: Person, expected_version: int | None = None
    ) -> PersonRecord:
        with write_transaction(self.db):
            self._update(
                "people", person_id, _to_sql(person, _PERSON_COLS), expected_version, "person"
            )
        return self.get_person(person_id)

    def delete_person(self, person_id: int, expected_version: int | None = None) -> None:
        """Delete a person; suppliers they owned become unowned (and scoring says so)."""
        self._delete("people", person_id, expected_version, "person")

    # ---------------------------------------------------------- suppliers

    def _supplier_values(self, supplier: Supplier) -> dict[str, Any]:
        values = _to_sql(supplier, _SUPPLIER_COLS)
        values["owner_id"] = self._person_id(supplier.owner)
        return values

    def add_supplier(self, supplier: Supplier) -> SupplierRecord:
        with write_transaction(self.db):
            new_id = self._insert("suppliers", self._supplier_values(supplier), "supplier")
        return self.get_supplier(new_id)

    def update_supplier(
        self, supplier_id: int, supplier: Supplier, expected_version: int | None = None
    ) -> SupplierRecord:
        with write_transaction(self.db):
            self._update(
                "suppliers",
                supplier_id,
                self._supplier_values(supplier),
                expected_version,
                "supplier",
            )
        return self.get_supplier(supplier_id)

    def delete_supplier(self, supplier_id: int, expected_version: int | None = None) -> None:
        """Delete a supplier with its contracts and answers, in one transaction."""
        self._delete("suppliers", supplier_id, expected_version, "supplier")

    # ---------------------------------------------------------- contracts

    def _contract_values(
        self, contract: Contract, supplier_id: int | None = None
    ) -> dict[str, Any]:
        """The contract's columns; its supplier is ``supplier_id`` when given, else found by name."""
        values = _to_sql(contract, _CONTRACT_COLS)
        values["supplier_id"] = (
            self._supplier_id(contract.supplier)
            if supplier_id is None
            else self._existing_supplier(supplier_id)
        )
        return values

    def add_contract(self, contract: Contract, *, supplier_id: int | None = None) -> ContractRecord:
        """Add a contract to the supplier ``supplier_id``, else to the one ``contract.supplier`` names.

        A screen that opened a supplier passes its id: a name read earlier may
        since belong to another supplier (renamed, and the old name taken).
        """
        with write_transaction(self.db):
            new_id = self._insert(
                "contracts", self._contract_values(contract, supplier_id), "contract"
            )
        return self.get_contract(new_id)

    def update_contract(
        self,
        contract_id: int,
        contract: Contract,
        expected_version: int | None = None,
        *,
        supplier_id: int | None = None,
    ) -> ContractRecord:
        """Save a contract (with the version the user loaded), under the supplier ``supplier_id``.

        ``supplier_id`` identifies the supplier the user saw (the contract's own,
        or another one to move it to); without it the supplier is found by the
        name ``contract.supplier`` holds now, which is only right for a name the
        caller has just been given, never one loaded earlier.
        """
        with write_transaction(self.db):
            self._update(
                "contracts",
                contract_id,
                self._contract_values(contract, supplier_id),
                expected_version,
                "contract",
            )
        return self.get_contract(contract_id)

    def delete_contract(self, contract_id: int, expected_version: int | None = None) -> None:
        self._delete("contracts", contract_id, expected_version, "contract")

    # ------------------------------------------------------------ answers

    def get_answer(self, supplier_id: int, question_id: str) -> AnswerRecord | None:
        """A supplier's answer to one question (with its version), if it has one."""
        rows = self._rows(
            self._ANSWER_SQL + " WHERE a.supplier_id = ? AND a.question_id = ?",
            [supplier_id, question_id],
        )
        return self._answer(rows[0]) if rows else None

    def set_answer(
        self,
        answer: Answer,
        expected_version: int | None = None,
        *,
        supplier_id: int | None = None,
    ) -> AnswerRecord:
        """Record an answer over the one the user saw: version ``expected_version``, or none.

        ``expected_version`` is the version of the answer to this question the
        user loaded, ``None`` when they saw no answer: if somebody else has
        answered, changed or removed it since, nothing is saved and
        :class:`StaleRecord` says so.  The supplier is ``supplier_id`` when
        given (a screen passes the id of the supplier it shows, so a rename and
        a new supplier taking the old name cannot redirect the answer), else the
        one ``answer.supplier`` names now.
        """
        with write_transaction(self.db):
            if supplier_id is None:
                supplier_id = self._supplier_id(answer.supplier)
            else:
                self._existing_supplier(supplier_id)
            row = self.db.execute(
                "SELECT version FROM answers WHERE supplier_id = ? AND question_id = ?",
                [supplier_id, answer.question_id],
            ).fetchone()
            current = None if row is None else int(row[0])
            if current != expected_version:
                raise StaleRecord(
                    "answer: changed by someone else since you opened it "
                    f"({_version_text(expected_version)}, now {_version_text(current)}); "
                    "reload and try again"
                )
            self._upsert_answer(answer, supplier_id, expected_version)
            record = self.get_answer(supplier_id, answer.question_id)  # as saved, in the same lock
        assert record is not None  # just written under the write lock
        return record

    def set_answers(self, answers: list[Answer]) -> None:
        """Record several answers in one transaction (all or nothing)."""
        with write_transaction(self.db):
            for answer in answers:
                self._upsert_answer(answer, self._supplier_id(answer.supplier))

    def _upsert_answer(
        self, answer: Answer, supplier_id: int, expected_version: int | None = None
    ) -> str:
        values = _to_sql(answer, _ANSWER_COLS)
        existing = self.db.execute(
            "SELECT id, question_id, answer, evidence, answered_by, answered_on FROM answers "
            "WHERE supplier_id = ? AND question_id = ?",
            [supplier_id, answer.question_id],
        ).fetchone()
        if existing is None:
            self._insert("answers", {**values, "supplier_id": supplier_id}, "answer")
            return "created"
        if tuple(existing[1:]) == tuple(values[c] for c in _ANSWER_COLS):
            return "unchanged"
        self._update("answers", int(existing[0]), values, expected_version, "answer")
        return "updated"

    def delete_answer(
        self, supplier_id: int, question_id: str, expected_version: int | None = None
    ) -> None:
        """Remove a supplier's answer to one question (refused if not the version the user saw)."""
        sql = "DELETE FROM answers WHERE supplier_id = ? AND question_id = ?"
        params: list[Any] = [supplier_id, question_id]
        if expected_version is not None:
            sql += " AND version = ?"
            params.append(expected_version)
        with write_transaction(self.db):
            if self.db.execute(sql, params).rowcount == 0 and expected_version is not None:
                row = self.db.execute(
                    "SELECT version FROM answers WHERE supplier_id = ? AND question_id = ?",
                    [supplier_id, question_id],
                ).fetchone()
                raise StaleRecord(
                    "answer: changed by someone else since you opened it "
                    f"(version {expected_version}, now "
                    f"{_version_text(None if row is None else int(row[0]))}); "
                    "reload and try again"
                )

    # --------------------------------------------------------- provenance

    def provenance(self, supplier_id: int) -> list[Provenance]:
        """Where a supplier and its contracts were imported from (file, row, OCID), newest first."""
        return provenance_for_supplier(self.db, supplier_id)

    def provenance_by_supplier(self) -> dict[int, list[Provenance]]:
        """The provenance of every imported supplier, by supplier id, in one query."""
        return provenance_by_supplier(self.db)

    def identifiers(self, supplier_id: int) -> list[str]:
        """Organisation identifiers recorded for a supplier by imports ('GB-COH-01234567')."""
        return sorted(supplier_identifiers(self.db, supplier_id))

    # ------------------------------------------------------------- import

    def check_register(self, register: Register) -> list[str]:
        """Problems that would stop ``register`` merging into this database; empty when fine.

        Checks what the models alone cannot: duplicate natural keys inside the
        file and references (owners, suppliers) that exist neither in the file
        nor in the database.
        """
        problems: list[str] = []
        known_people = {_nocase(p.name) for p in register.people} | {
            _nocase(r[0]) for r in self.db.execute("SELECT name FROM people").fetchall()
        }
        known_suppliers = {_nocase(s.name) for s in register.suppliers} | {
            _nocase(r[0]) for r in self.db.execute("SELECT name FROM suppliers").fetchall()
        }

        def dupes(kind: str, keys: list[tuple[str, ...]], labels: list[str]) -> None:
            seen: dict[tuple[str, ...], int] = {}
            for i, key in enumerate(keys):
                if key in seen:
                    problems.append(
                        f"{kind}[{i}] ({labels[i]}): duplicate of {kind}[{seen[key]}] in the same file"
                    )
                else:
                    seen[key] = i

        dupes(
            "people",
            [(_nocase(p.name),) for p in register.people],
            [p.name for p in register.people],
        )
        dupes(
            "suppliers",
            [(_nocase(s.name),) for s in register.suppliers],
            [s.name for s in register.suppliers],
        )
        dupes(
            "contracts",
            [(_nocase(c.supplier), _nocase(c.title)) for c in register.contracts],
            [f"{c.supplier} / {c.title}" for c in register.contracts],
        )
        dupes(
            "answers",
            [(_nocase(a.supplier), a.question_id) for a in register.answers],
            [f"{a.supplier} / {a.question_id}" for a in register.answers],
        )
        for i, s in enumerate(register.suppliers):
            if s.owner is not None and _nocase(s.owner) not in known_people:
                problems.append(
                    f"suppliers[{i}] ({s.name}): owner: no person named {s.owner!r} in the file "
                    "or the register"
                )
        refs = [("contracts", i, c.supplier) for i, c in enumerate(register.contracts)]
        refs += [("answers", i, a.supplier) for i, a in enumerate(register.answers)]
        for kind, i, supplier in refs:
            if _nocase(supplier) not in known_suppliers:
                problems.append(
                    f"{kind}[{i}]: supplier: no supplier named {supplier!r} in the file "
                    "or the register"
                )
        return problems

    def import_register(self, register: Register) -> ImportSummary:
        """Merge a register into the database, all or nothing.

        Records are matched by natural key (case-insensitive names); a matched
        record is replaced by the incoming one.  Any problem raises
        :class:`InvalidInput` listing every problem, and nothing is written.
        """
        problems = self.check_register(register)
        if problems:
            raise InvalidInput(problems)
        summary = ImportSummary()
        with write_transaction(self.db):
            if register.trust is not None:
                self.set_trust_name(register.trust)
            for person in register.people:
                self._upsert(
                    "people",
                    "name = ? COLLATE NOCASE",
                    [person.name],
                    _to_sql(person, _PERSON_COLS),
                    summary.people,
                    "person",
                )
            for supplier in register.suppliers:
                self._upsert(
                    "suppliers",
                    "name = ? COLLATE NOCASE",
                    [supplier.name],
                    self._supplier_values(supplier),
                    summary.suppliers,
                    "supplier",
                )
            for contract in register.contracts:
                values = self._contract_values(contract)
                self._upsert(
                    "contracts",
                    "supplier_id = ? AND title = ? COLLATE NOCASE",
                    [values["supplier_id"], contract.title],
                    values,
                    summary.contracts,
                    "contract",
                )
            for answer in register.answers:
                outcome = self._upsert_answer(answer, self._supplier_id(answer.supplier))
                setattr(summary.answers, outcome, getattr(summary.answers, outcome) + 1)
        return summary

    def _upsert(
        self,
        table: str,
        where: str,
        params: list[Any],
        values: dict[str, Any],
        tally: KindSummary,
        kind: str,
    ) -> None:
        cols = list(values)
        row = self.db.execute(
            f"SELECT id, {', '.join(f'[{c}]' for c in cols)} FROM [{table}] WHERE {where}", params
        ).fetchone()
        if row is None:
            self._insert(table, values, kind)
            tally.created += 1
        elif tuple(row[1:]) == tuple(values[c] for c in cols):
            tally.unchanged += 1
        else:
            self._update(table, int(row[0]), values, None, kind)
            tally.updated += 1


def _version_text(version: int | None) -> str:
    """A version as the stale-record messages put it: 'version 3', or 'no answer'."""
    return "no answer" if version is None else f"version {version}"


def _integrity(kind: str, values: Mapping[str, Any], exc: sqlite3.IntegrityError) -> Exception:
    text = str(exc)
    if "UNIQUE" in text:
        if kind == "contract":
            return Duplicate(
                f"title: this supplier already has a contract titled {values.get('title')!r}"
            )
        if kind == "answer":
            return Duplicate("question_id: this question is already answered for this supplier")
        return Duplicate(f"name: a {kind} named {values.get('name')!r} already exists")
    if "FOREIGN KEY" in text:
        return NotFound(f"{kind}: refers to a record that no longer exists")
    return InvalidInput([f"{kind}: {text}"])


_CHUNK = 500
"""Suppliers read per query by :meth:`Repository.scoring_records_for`."""


def _merge_by_supplier(
    suppliers: Sequence[S],
    contracts: Iterator[tuple[int, list[ContractRecord]]],
    answers: Iterator[tuple[int, list[AnswerFacts]]],
) -> Iterator[SupplierRecords[S]]:
    """Join suppliers (by id) to groups of contracts and answers (by supplier id)."""
    next_contracts = next(contracts, None)
    next_answers = next(answers, None)
    for supplier in suppliers:
        while next_contracts is not None and next_contracts[0] < supplier.id:
            next_contracts = next(contracts, None)
        while next_answers is not None and next_answers[0] < supplier.id:
            next_answers = next(answers, None)
        own_contracts: list[ContractRecord] = []
        own_answers: list[AnswerFacts] = []
        if next_contracts is not None and next_contracts[0] == supplier.id:
            own_contracts = next_contracts[1]
            next_contracts = next(contracts, None)
        if next_answers is not None and next_answers[0] == supplier.id:
            own_answers = next_answers[1]
            next_answers = next(answers, None)
        yield supplier, own_contracts, own_answers
