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
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError
from sqlite_utils import Database

from supplier_register.domain.bounds import STORED
from supplier_register.domain.enums import AnswerValue, DependencyKind, Role
from supplier_register.domain.errors import (
    Duplicate,
    InvalidInput,
    NotFound,
    StaleRecord,
    describe_validation_error,
)
from supplier_register.domain.graph import find_loop, loop_message
from supplier_register.domain.models import (
    V2_ONLY_FIELDS,
    V3_ONLY_FIELDS,
    Answer,
    AnswerRecord,
    Contract,
    ContractRecord,
    Dependency,
    DependencyRecord,
    ImportSource,
    Person,
    PersonRecord,
    Register,
    Service,
    ServiceRecord,
    Supplier,
    SupplierIdentifier,
    SupplierRecord,
    TrustProfile,
    TrustProfileRecord,
)
from supplier_register.impact.model import ConcentrationRecords, ImpactRecords, Reached
from supplier_register.storage.db import read_snapshot, write_transaction
from supplier_register.storage.merge import MergePlan, merge_suppliers, plan_merge
from supplier_register.storage.provenance import (
    Provenance,
    iter_identifiers,
    iter_import_sources,
    provenance_by_supplier,
    provenance_for_supplier,
    supplier_identifiers,
    upsert_identifier,
    upsert_import_source,
)
from supplier_register.storage.records import RowReader

R = TypeVar("R", bound=BaseModel)
P = TypeVar("P", bound=BaseModel)
S = TypeVar("S", bound=SupplierRecord)
T_co = TypeVar("T_co", covariant=True)


class AnswerFacts(NamedTuple):
    """What scoring reads of an answer: the question, the answer, its date and its evidence
    (which the finding it raises quotes).

    A fraction of the cost of an :class:`AnswerRecord`, for reading every
    answer of a large register only to score it.
    """

    question_id: str
    answer: AnswerValue
    answered_on: dt.date | None
    evidence: str = ""


class SupportingContract(NamedTuple):
    """A contract (live or ended) as the list of a service's support names it."""

    id: int
    title: str
    supplier_id: int
    supplier: str


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
    "dspt_year",
    "cyber_essentials",
    "cyber_essentials_expiry",
    "dtac_complete",
    "dtac_date",
    "clinical_safety_case",
    "clinical_safety_case_date",
    "clinical_risk_assessment",
    "clinical_risk_assessment_date",
    "dpia_done",
    "dpia_date",
    "pen_test_date",
    "shared_with",
    "parent_group",
    "notes",
]
_CONTRACT_COLS = [
    "title",
    "what_is_bought",
    "contract_type",
    "procurement_route",
    "competition",
    "start_date",
    "end_date",
    "extension_options",
    "extension_count",
    "extension_months",
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
    "substitutability",
    "substitutability_reason",
    "insourcing",
    "alternative_providers",
    "exit_plan",
    "exit_plan_tested",
    "data_location",
    "patient_data",
    "notes",
]
_ANSWER_COLS = ["question_id", "answer", "evidence", "answered_by", "answered_on"]
_PERSON_COLS = ["name", "role", "contact"]
_SERVICE_COLS = [
    "name",
    "clinical",
    "sites",
    "people_affected",
    "people_per_day",
    "max_outage_hours",
    "fallback",
    "fallback_tested",
    "notes",
]
_DEPENDENCY_COLS = ["kind", "note"]
_PROFILE_COLS = ["ics", "digital_staff", "commercial_staff", "contractors", "updated_on"]
_PROFILE_KIND = "trust profile"
_JSON_LISTS = frozenset({"shared_with", "alternative_providers", "services"})


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


def _profile_values(profile: TrustProfile) -> dict[str, Any]:
    """The profile's columns: staff numbers as SQLite REALs (two decimal places read back
    exactly), the date ISO."""
    values: dict[str, Any] = {}
    for name in _PROFILE_COLS:
        value = getattr(profile, name)
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        values[name] = value
    return values


def _from_sql(row: Mapping[str, Any], columns: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in columns:
        if name in _MONEY:
            out[name] = _pounds(row[_MONEY[name]])
        elif name in _JSON_LISTS:
            out[name] = json.loads(row[name])
        else:
            out[name] = row[name]
    return out


class _Readers:
    """One :class:`RowReader` per model the repository reads in bulk."""

    def __init__(self) -> None:
        supplier_shared = {"owner", "category", "criticality", "last_review"}
        contract_shared = {"supplier", "supplier_id", "start_date", "end_date", "exit_plan_tested"}
        answer_shared = {"supplier", "supplier_id", "question_id", "answered_by", "answered_on"}
        self.person_record = RowReader(PersonRecord)
        self.supplier_record = RowReader(SupplierRecord, money=_MONEY, shared=supplier_shared)
        self.contract_record = RowReader(ContractRecord, money=_MONEY, shared=contract_shared)
        self.answer_record = RowReader(AnswerRecord, shared=answer_shared)
        self.person = RowReader(Person)
        self.supplier = RowReader(Supplier, money=_MONEY, shared=supplier_shared)
        self.contract = RowReader(Contract, money=_MONEY, shared=contract_shared)
        self.answer = RowReader(Answer, shared=answer_shared)
        self.service_record = RowReader(ServiceRecord)
        self.service = RowReader(Service)
        dependency_shared = {"supplier", "depends_on", "supplier_id", "depends_on_id"}
        self.dependency_record = RowReader(DependencyRecord, shared=dependency_shared)
        self.dependency = RowReader(Dependency, shared=dependency_shared)


_READERS = _Readers()


def _nocase(value: str) -> str:
    return value.casefold()


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _ascii_fold(value: str) -> str:
    """``value`` as SQLite's NOCASE compares it: ASCII letters folded, nothing else."""
    return value.translate(_ASCII_LOWER)


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
    services: KindSummary = field(default_factory=KindSummary)
    dependencies: KindSummary = field(default_factory=KindSummary)
    profile: KindSummary = field(default_factory=KindSummary)
    """The trust profile: listed only when the register imported gave one."""
    provenance: KindSummary = field(default_factory=KindSummary)
    """Where imported records came from (format version 4): listed only when the file gave any."""
    identifiers: KindSummary = field(default_factory=KindSummary)
    """Suppliers' organisation identifiers (format version 4): listed only when given."""

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
            ("services", self.services),
            ("dependencies", self.dependencies),
            *(
                (name, kind)
                for name, kind in (
                    ("trust profile", self.profile),
                    ("import provenance", self.provenance),
                    ("supplier identifiers", self.identifiers),
                )
                if kind.created + kind.updated + kind.unchanged
            ),
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
        "SELECT c.*, s.name AS supplier, (SELECT json_group_array(name) FROM "
        "(SELECT sv.name FROM contract_services cs JOIN services sv ON sv.id = cs.service_id "
        "WHERE cs.contract_id = c.id ORDER BY sv.name COLLATE NOCASE)) AS services "
        "FROM contracts c JOIN suppliers s ON s.id = c.supplier_id"
    )
    _SERVICE_ORDERED = "SELECT * FROM services ORDER BY name COLLATE NOCASE"
    _DEPENDENCY_SQL = (
        "SELECT d.*, a.name AS supplier, b.name AS depends_on FROM dependencies d "
        "JOIN suppliers a ON a.id = d.supplier_id JOIN suppliers b ON b.id = d.depends_on_id"
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
            ContractRecord,
            {**row, "services": json.loads(row["services"])},
            _CONTRACT_COLS,
            "supplier",
            "supplier_id",
            "id",
            "version",
            "services",
        )

    @classmethod
    def _service(cls, row: Mapping[str, Any]) -> ServiceRecord:
        return cls._stored(ServiceRecord, row, _SERVICE_COLS, "id", "version")

    @classmethod
    def _dependency(cls, row: Mapping[str, Any]) -> DependencyRecord:
        return cls._stored(
            DependencyRecord,
            row,
            _DEPENDENCY_COLS,
            "supplier",
            "depends_on",
            "supplier_id",
            "depends_on_id",
            "id",
            "version",
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

    def owners(self) -> dict[int, tuple[str, Role]]:
        """Each supplier's relationship owner (name and role), by supplier id; suppliers with
        none recorded are left out.  One query, for lists about many suppliers."""
        rows = self.db.execute(
            "SELECT s.id, p.name, p.role FROM suppliers s JOIN people p ON p.id = s.owner_id"
        ).fetchall()
        out: dict[int, tuple[str, Role]] = {}
        for supplier_id, name, role in rows:
            try:
                out[supplier_id] = (name, Role(role))
            except ValueError:
                out[supplier_id] = (name, Role.OTHER)
        return out

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
            for t in ("people", "suppliers", "contracts", "answers", "services", "dependencies")
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

    # ------------------------------------------------------- trust profile

    def get_profile(self) -> TrustProfileRecord | None:
        """The trust's profile as stored, with its version (``None``: never recorded)."""
        rows = self._rows("SELECT * FROM trust_profile WHERE id = 1")
        if not rows:
            return None
        row = rows[0]
        return TrustProfileRecord.model_validate(
            {**{name: row[name] for name in _PROFILE_COLS}, "version": row["version"]},
            context=STORED,
        )

    def profile(self) -> TrustProfile | None:
        """The trust's profile as the interchange holds it (``None``: never recorded)."""
        record = self.get_profile()
        if record is None:
            return None
        fields = set(TrustProfile.model_fields)
        return TrustProfile.model_validate(record.model_dump(include=fields), context=STORED)

    def save_profile(
        self, profile: TrustProfile, expected_version: int | None = None
    ) -> TrustProfileRecord:
        """Record the trust's profile, replacing the one stored, in one transaction.

        ``expected_version`` is the version the caller read: 0 when there was no profile
        then, ``None`` to save whatever is stored.  A profile somebody else saved since is
        refused with :class:`StaleRecord`, and nothing is written.
        """
        values = _profile_values(profile)
        with write_transaction(self.db):
            row = self.db.execute("SELECT version FROM trust_profile WHERE id = 1").fetchone()
            if row is None:
                if expected_version:
                    raise StaleRecord(
                        f"{_PROFILE_KIND}: removed by someone else since you opened it; "
                        "reload and try again"
                    )
                self._insert("trust_profile", {"id": 1, **values}, _PROFILE_KIND)
            elif expected_version == 0:
                raise StaleRecord(
                    f"{_PROFILE_KIND}: recorded by someone else since you opened it "
                    f"(now version {row[0]}); reload and try again"
                )
            else:
                self._update("trust_profile", 1, values, expected_version, _PROFILE_KIND)
        record = self.get_profile()
        assert record is not None
        return record

    def load_register(self) -> Register:
        """The whole register as one interchange model, in a stable order."""
        people, suppliers, contracts, answers = self.iter_register()
        return Register.model_construct(
            trust=self.trust_name(),
            profile=self.profile(),
            people=list(people),
            suppliers=list(suppliers),
            contracts=list(contracts),
            answers=list(answers),
            services=list(self.iter_services()),
            dependencies=list(self.iter_dependencies()),
            provenance=list(iter_import_sources(self.db)),
            identifiers=list(iter_identifiers(self.db)),
        )

    def iter_services(self) -> Iterator[Service]:
        """The register's services as the interchange holds them, by name, read lazily."""

        def fallback(row: Mapping[str, Any]) -> Service:
            record = self._service(row)
            return Service.model_validate(record.model_dump(include=set(Service.model_fields)))

        yield from _READERS.service.iter(self.db.execute(self._SERVICE_ORDERED), fallback)

    def iter_import_sources(self) -> Iterator[ImportSource]:
        """Where imported suppliers and contracts came from, as the interchange holds it."""
        return iter_import_sources(self.db)

    def iter_identifiers(self) -> Iterator[SupplierIdentifier]:
        """Suppliers' organisation identifiers, as the interchange holds them."""
        return iter_identifiers(self.db)

    def iter_dependencies(self) -> Iterator[Dependency]:
        """Every dependency of one supplier on another, by the two names, read lazily."""

        def fallback(row: Mapping[str, Any]) -> Dependency:
            record = self._dependency(row)
            fields = set(Dependency.model_fields)
            return Dependency.model_validate(record.model_dump(include=fields))

        yield from _READERS.dependency.iter(self.db.execute(self._dependency_order()), fallback)

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
                    # each supplier once: a supplier asked for twice gets its records twice
                    sorted({s.id: s for s in chunk}.values(), key=attrgetter("id")),
                    contracts,
                    answers,
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
            "SELECT supplier_id, id, question_id, answer, answered_on, evidence FROM answers "
            f"{where} ORDER BY supplier_id, question_id",
            list(params),
        )
        values = {v.value: v for v in AnswerValue}
        days: dict[str, dt.date] = {}
        questions: dict[str, str] = {}
        for supplier_id, group in itertools.groupby(cursor, lambda row: row[0]):
            facts = []
            for _, answer_id, question_id, value, answered_on, evidence in group:
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
                facts.append(AnswerFacts(question_id, answer, day, evidence or ""))
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

    def plan_merge(self, keep_id: int, drop_id: int, today: dt.date) -> MergePlan:
        """What merging supplier ``drop_id`` into ``keep_id`` would move (nothing written)."""
        return plan_merge(self.db, keep_id, drop_id, today)

    def merge_suppliers(
        self,
        keep_id: int,
        drop_id: int,
        today: dt.date,
        *,
        keep_version: int | None = None,
        drop_version: int | None = None,
    ) -> MergePlan:
        """Move everything of ``drop_id`` to ``keep_id`` and delete it, in one write
        transaction (rules in :mod:`supplier_register.storage.merge`); a version that moved
        on is refused and nothing is changed."""
        with write_transaction(self.db):
            plan = merge_suppliers(
                self.db,
                keep_id,
                drop_id,
                today,
                keep_version=keep_version,
                drop_version=drop_version,
            )
            try:  # the details taken from DROP must make a supplier this release can read
                self.get_supplier(keep_id)
            except ValidationError as exc:
                reason = describe_validation_error(exc)[0]
                raise InvalidInput(
                    [
                        f"merge {plan.drop!r} into {plan.keep!r}: the details together would "
                        f"not make a valid supplier ({reason}); nothing was changed"
                    ]
                ) from None
        return plan

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
            if "services" in contract.model_fields_set:
                self._link_services(new_id, contract.services)
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
            if "services" in contract.model_fields_set:
                self._link_services(contract_id, contract.services)
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

    # ----------------------------------------------------------- services

    def list_services(self) -> list[ServiceRecord]:
        """Every service the trust runs, by name."""
        return self._read(_READERS.service_record, self._SERVICE_ORDERED, (), self._service)

    def linked_services(self) -> list[ServiceRecord]:
        """The services at least one contract supports, by name: all that scoring can read."""
        return self._read(
            _READERS.service_record,
            "SELECT * FROM services WHERE id IN (SELECT service_id FROM contract_services) "
            "ORDER BY name COLLATE NOCASE",
            (),
            self._service,
        )

    def get_service(self, service_id: int) -> ServiceRecord:
        rows = self._rows("SELECT * FROM services WHERE id = ?", [service_id])
        if not rows:
            raise NotFound(f"service: no service with id {service_id} (deleted by someone else?)")
        return self._service(rows[0])

    def find_service(self, name: str) -> ServiceRecord:
        """The service with this name (case-insensitive), or :class:`NotFound`."""
        rows = self._rows("SELECT * FROM services WHERE name = ? COLLATE NOCASE", [name.strip()])
        if not rows:
            raise NotFound(f"service: no service named {name.strip()!r}")
        return self._service(rows[0])

    def _no_case_twin(self, name: str, service_id: int | None = None) -> None:
        """Refuse a service name that another service has in another case ('Évaluation' and
        'évaluation'): SQLite's NOCASE folds ASCII letters only, and every output matches
        service names in any case."""
        wanted = name.casefold()
        for other_id, other in self.db.execute("SELECT id, name FROM services").fetchall():
            if other_id != service_id and str(other).casefold() == wanted:
                raise Duplicate(f"name: a service named {other!r} already exists")

    def add_service(self, service: Service) -> ServiceRecord:
        with write_transaction(self.db):
            self._no_case_twin(service.name)
            new_id = self._insert("services", _to_sql(service, _SERVICE_COLS), "service")
        return self.get_service(new_id)

    def update_service(
        self, service_id: int, service: Service, expected_version: int | None = None
    ) -> ServiceRecord:
        with write_transaction(self.db):
            self._no_case_twin(service.name, service_id)
            self._update(
                "services", service_id, _to_sql(service, _SERVICE_COLS), expected_version, "service"
            )
        return self.get_service(service_id)

    def delete_service(self, service_id: int, expected_version: int | None = None) -> None:
        """Delete a service; the contracts that supported it no longer list it."""
        self._delete("services", service_id, expected_version, "service")

    def contracts_of_service(self, service_id: int) -> list[ContractRecord]:
        """The contracts (of any supplier, live or ended) that support a service."""
        where = "WHERE c.id IN (SELECT contract_id FROM contract_services WHERE service_id = ?)"
        return self._read(
            _READERS.contract_record, self._contract_order(where), [service_id], self._contract
        )

    def supporting_contracts(self) -> dict[int, list[SupportingContract]]:
        """For each service id that any contract supports, those contracts by supplier then
        title: one query for the whole register, not one per service (services no contract
        supports are absent)."""
        support: dict[int, list[SupportingContract]] = {}
        rows = self.db.execute(
            "SELECT cs.service_id, c.id, c.title, s.id, s.name FROM contract_services cs "
            "JOIN contracts c ON c.id = cs.contract_id "
            "JOIN suppliers s ON s.id = c.supplier_id "
            "ORDER BY s.name COLLATE NOCASE, c.title COLLATE NOCASE, c.id"
        ).fetchall()
        for service_id, contract_id, title, supplier_id, supplier in rows:
            support.setdefault(int(service_id), []).append(
                SupportingContract(int(contract_id), str(title), int(supplier_id), str(supplier))
            )
        return support

    def _link_services(self, contract_id: int, names: Sequence[str]) -> bool:
        """Make the services a contract supports exactly ``names``; True when that changed them.

        Inside the caller's transaction.  A name that is no service is refused
        (nothing is created behind the user's back).
        """
        ids: list[int] = []
        for name in names:
            row = self.db.execute(
                "SELECT id FROM services WHERE name = ? COLLATE NOCASE", [name]
            ).fetchone()
            if row is None:
                raise NotFound(f"services: no service named {name!r} in the register; add it first")
            ids.append(int(row[0]))
        current = {
            int(r[0])
            for r in self.db.execute(
                "SELECT service_id FROM contract_services WHERE contract_id = ?", [contract_id]
            ).fetchall()
        }
        wanted = set(ids)
        if wanted == current:
            return False
        for gone in sorted(current - wanted):
            self.db.execute(
                "DELETE FROM contract_services WHERE contract_id = ? AND service_id = ?",
                [contract_id, gone],
            )
        for new in sorted(wanted - current):
            self.db.execute(
                "INSERT INTO contract_services (contract_id, service_id) VALUES (?, ?)",
                [contract_id, new],
            )
        return True

    # ------------------------------------------------------- dependencies

    def _dependency_order(self, where: str = "") -> str:
        return (
            f"{self._DEPENDENCY_SQL} {where} ORDER BY a.name COLLATE NOCASE, b.name COLLATE NOCASE"
        )

    def list_dependencies(self, supplier_id: int | None = None) -> list[DependencyRecord]:
        """Dependencies of one supplier on others (or every dependency), by the two names."""
        where, params = ("WHERE d.supplier_id = ?", [supplier_id]) if supplier_id else ("", [])
        return self._read(
            _READERS.dependency_record, self._dependency_order(where), params, self._dependency
        )

    def dependents_of(self, supplier_id: int) -> list[DependencyRecord]:
        """The dependencies of other suppliers on this one (who falls with it)."""
        return self._read(
            _READERS.dependency_record,
            self._dependency_order("WHERE d.depends_on_id = ?"),
            [supplier_id],
            self._dependency,
        )

    def get_dependency(self, dependency_id: int) -> DependencyRecord:
        rows = self._rows(self._DEPENDENCY_SQL + " WHERE d.id = ?", [dependency_id])
        if not rows:
            raise NotFound(
                f"dependency: no dependency with id {dependency_id} (deleted by someone else?)"
            )
        return self._dependency(rows[0])

    def _dependency_values(
        self, dependency: Dependency, supplier_id: int | None, dependency_id: int | None = None
    ) -> dict[str, Any]:
        """The dependency's columns, its two suppliers resolved and the loop it would make refused."""
        values = _to_sql(dependency, _DEPENDENCY_COLS)
        values["supplier_id"] = (
            self._supplier_id(dependency.supplier)
            if supplier_id is None
            else self._existing_supplier(supplier_id)
        )
        row = self.db.execute(
            "SELECT id FROM suppliers WHERE name = ? COLLATE NOCASE", [dependency.depends_on]
        ).fetchone()
        if row is None:
            raise NotFound(f"depends on: no supplier named {dependency.depends_on!r}")
        values["depends_on_id"] = int(row[0])
        if values["depends_on_id"] == values["supplier_id"]:
            raise InvalidInput(["depends on: a supplier cannot depend on itself"])
        edges = [
            (int(a), int(b))
            for _id, a, b in self.db.execute(
                "SELECT id, supplier_id, depends_on_id FROM dependencies"
            ).fetchall()
            if _id != dependency_id
        ]
        loop = find_loop(edges, values["supplier_id"], values["depends_on_id"])
        if loop is not None:
            names = dict(
                self.db.execute(
                    f"SELECT id, name FROM suppliers WHERE id IN ({', '.join('?' * len(loop))})",
                    loop,
                ).fetchall()
            )
            raise InvalidInput([loop_message([names[i] for i in loop])])
        return values

    def add_dependency(
        self, dependency: Dependency, *, supplier_id: int | None = None
    ) -> DependencyRecord:
        """Record that a supplier (``supplier_id``, else the one named) depends on another.

        Refused when it would make a loop (B already depends, directly or
        through others, on A), or when the pair is already recorded.
        """
        with write_transaction(self.db):
            new_id = self._insert(
                "dependencies", self._dependency_values(dependency, supplier_id), "dependency"
            )
        return self.get_dependency(new_id)

    def update_dependency(
        self,
        dependency_id: int,
        dependency: Dependency,
        expected_version: int | None = None,
        *,
        supplier_id: int | None = None,
    ) -> DependencyRecord:
        with write_transaction(self.db):
            self._update(
                "dependencies",
                dependency_id,
                self._dependency_values(dependency, supplier_id, dependency_id),
                expected_version,
                "dependency",
            )
        return self.get_dependency(dependency_id)

    def delete_dependency(self, dependency_id: int, expected_version: int | None = None) -> None:
        self._delete("dependencies", dependency_id, expected_version, "dependency")

    # ------------------------------------------------------------- impact

    def impact_records(self, supplier_id: int, today: dt.date) -> ImpactRecords:
        """What answering "if this supplier failed on ``today``, what stops?" needs, read in one
        snapshot: the supplier, every supplier that depends on it (directly or through
        others, each by its shortest chain), their contracts, the services those support,
        and the current contracts of other suppliers that support the same services.

        Reads only what the failure reaches (a few indexed queries per level of the
        chain), so it costs the same in a register of any size.
        """
        with read_snapshot(self.db):
            return next(self._impact_records([self.get_supplier(supplier_id)], today))

    def impact_records_for(
        self, supplier_ids: Sequence[int], today: dt.date
    ) -> Iterator[ImpactRecords]:
        """:meth:`impact_records` of each of ``supplier_ids`` (in that order; ids no longer in
        the register are skipped), read a batch at a time: a few queries per batch of
        suppliers instead of a few per supplier, for an export that shows many."""
        for chunk in _chunks(supplier_ids):
            with read_snapshot(self.db):
                marks = ", ".join("?" * len(chunk))
                found = {
                    s.id: s
                    for s in self._read(
                        _READERS.supplier_record,
                        self._supplier_order(f"WHERE s.id IN ({marks})"),
                        chunk,
                        self._supplier,
                    )
                }
                yield from self._impact_records([found[i] for i in chunk if i in found], today)

    def _impact_records(
        self, failing: Sequence[SupplierRecord], today: dt.date
    ) -> Iterator[ImpactRecords]:
        """The impact records of ``failing`` (at most one batch), inside the caller's snapshot."""
        ids = [s.id for s in failing]
        marks = ", ".join("?" * len(ids))
        with_dependents = {
            int(r[0])
            for r in self.db.execute(
                f"SELECT DISTINCT depends_on_id FROM dependencies WHERE depends_on_id IN ({marks})",
                ids,
            ).fetchall()
        }
        reached = {i: self._reached(i) if i in with_dependents else [] for i in ids}
        affected = {i: [i, *(r.supplier.id for r in reached[i])] for i in ids}
        contracts = self._contracts_of({j for i in ids for j in affected[i]})
        names = sorted(
            {n for i in ids for j in affected[i] for c in contracts.get(j, ()) for n in c.services}
        )
        services = self._services_named(names)
        others = self._live_supporters([s.id for s in services.values()], today)
        depends_on: dict[int, list[DependencyRecord]] = {i: [] for i in ids}
        for link in self._read(
            _READERS.dependency_record,
            self._dependency_order(f"WHERE d.supplier_id IN ({marks})"),
            ids,
            self._dependency,
        ):
            depends_on[link.supplier_id].append(link)
        for supplier in failing:
            down = set(affected[supplier.id])
            own = {j: contracts.get(j, []) for j in affected[supplier.id]}
            keys = {n.casefold() for cs in own.values() for c in cs for n in c.services}
            yield ImpactRecords(
                failing=supplier,
                reached=reached[supplier.id],
                contracts=own,
                services={k: v for k, v in services.items() if k in keys},
                depends_on=depends_on[supplier.id],
                others={
                    key: [label for other, label in supporters if other not in down]
                    for key, supporters in others.items()
                    if key in keys and any(other not in down for other, _ in supporters)
                },
            )

    def _reached(self, supplier_id: int) -> list[Reached]:
        """Every supplier that depends on ``supplier_id``, directly or through others, each with
        its shortest chain of dependencies down to it, nearest first."""
        reached: list[Reached] = []
        paths: dict[int, tuple[DependencyRecord, ...]] = {supplier_id: ()}
        frontier = [supplier_id]
        while frontier:  # one level of the chain at a time: shortest chains first
            following: list[int] = []
            for chunk in _chunks(frontier):
                marks = ", ".join("?" * len(chunk))
                for link in self._read(
                    _READERS.dependency_record,
                    self._dependency_order(f"WHERE d.depends_on_id IN ({marks})"),
                    chunk,
                    self._dependency,
                ):
                    if link.supplier_id not in paths:
                        paths[link.supplier_id] = (link, *paths[link.depends_on_id])
                        following.append(link.supplier_id)
            found: dict[int, SupplierRecord] = {}
            for chunk in _chunks(following):
                marks = ", ".join("?" * len(chunk))
                for supplier in self._read(
                    _READERS.supplier_record,
                    self._supplier_order(f"WHERE s.id IN ({marks})"),
                    chunk,
                    self._supplier,
                ):
                    found[supplier.id] = supplier
            reached += [Reached(found[i], paths[i]) for i in following if i in found]
            frontier = following
        return reached

    def _contracts_of(self, supplier_ids: Iterable[int]) -> dict[int, list[ContractRecord]]:
        """The contracts (live and ended) of each of ``supplier_ids``, by supplier id."""
        ids = sorted(supplier_ids)
        contracts: dict[int, list[ContractRecord]] = {i: [] for i in ids}
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            for contract in self._read(
                _READERS.contract_record,
                self._contract_order(f"WHERE c.supplier_id IN ({marks})"),
                chunk,
                self._contract,
            ):
                contracts[contract.supplier_id].append(contract)
        return contracts

    def _services_named(self, names: Sequence[str]) -> dict[str, ServiceRecord]:
        """The services with these names (as the services table spells them), by casefolded name."""
        services: dict[str, ServiceRecord] = {}
        for chunk in _chunks(names):
            marks = ", ".join("?" * len(chunk))
            for service in self._read(
                _READERS.service_record,
                f"SELECT * FROM services WHERE name IN ({marks})",
                chunk,
                self._service,
            ):
                services[service.name.casefold()] = service
        return services

    def _live_supporters(
        self, service_ids: Sequence[int], today: dt.date
    ) -> dict[str, list[tuple[int, str]]]:
        """For each of the services (by casefolded name), the live contracts on ``today`` that
        support it, as (supplier id, 'Supplier / Title'), by supplier then title."""
        supporters: dict[str, list[tuple[int, str]]] = {}
        for chunk in _chunks(service_ids):
            rows = self.db.execute(
                "SELECT sv.name, s.id, s.name, c.title FROM contract_services cs "
                "JOIN services sv ON sv.id = cs.service_id "
                "JOIN contracts c ON c.id = cs.contract_id "
                "JOIN suppliers s ON s.id = c.supplier_id "
                f"WHERE cs.service_id IN ({', '.join('?' * len(chunk))}) "
                "AND (c.end_date IS NULL OR c.end_date >= ?) "
                "ORDER BY s.name COLLATE NOCASE, c.title COLLATE NOCASE",
                [*chunk, today.isoformat()],
            ).fetchall()
            for service_name, supplier_id, supplier_name, title in rows:
                supporters.setdefault(str(service_name).casefold(), []).append(
                    (int(supplier_id), f"{supplier_name} / {title}")
                )
        return supporters

    def concentration_records(self, today: dt.date) -> ConcentrationRecords:
        """What finding where the register's services are concentrated needs: each service a
        current contract (on ``today``) supports, every dependency, and the suppliers these
        and the parent groups name (not the others: they carry nothing to concentrate)."""
        with read_snapshot(self.db):
            # only the suppliers the view can name: with a service, a dependency or a group
            suppliers = {
                s.id: s
                for s in self._read(
                    _READERS.supplier_record,
                    self._supplier_order(
                        "WHERE s.parent_group IS NOT NULL "
                        "OR s.id IN (SELECT c.supplier_id FROM contract_services cs "
                        "JOIN contracts c ON c.id = cs.contract_id) "
                        "OR s.id IN (SELECT supplier_id FROM dependencies) "
                        "OR s.id IN (SELECT depends_on_id FROM dependencies)"
                    ),
                    (),
                    self._supplier,
                )
            }
            # every contract that lists a service: a current one, or one that has ended but
            # still lists it (still relied on, as the impact view shows it)
            links = [
                (int(a), int(b))
                for a, b in self.db.execute(
                    "SELECT DISTINCT c.supplier_id, cs.service_id FROM contract_services cs "
                    "JOIN contracts c ON c.id = cs.contract_id"
                ).fetchall()
            ]
            services = {s.id: s for s in self.list_services()}
            kinds = {k.value: k for k in DependencyKind}
            dependencies = [
                (int(a), int(b), kinds.get(k) or DependencyKind(k))
                for a, b, k in self.db.execute(
                    "SELECT supplier_id, depends_on_id, kind FROM dependencies ORDER BY id"
                ).fetchall()
            ]
        return ConcentrationRecords(
            suppliers=suppliers, links=links, services=services, dependencies=dependencies
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
        problems += self._check_services_and_dependencies(register, known_suppliers, dupes)
        problems += self._check_provenance(register, known_suppliers, dupes)
        return problems

    def _check_provenance(
        self,
        register: Register,
        known_suppliers: set[str],
        dupes: Callable[[str, list[tuple[str, ...]], list[str]], None],
    ) -> list[str]:
        """Problems with the file's import provenance and supplier identifiers (version 4)."""
        if not register.provenance and not register.identifiers:
            return []
        problems: list[str] = []
        dupes(
            "provenance",
            [
                (_nocase(p.supplier), _nocase(p.contract or ""), p.source_key)
                for p in register.provenance
            ],
            [f"{p.supplier} / {p.contract or p.source_file}" for p in register.provenance],
        )
        dupes(
            "identifiers",
            [(i.identifier,) for i in register.identifiers],
            [f"{i.supplier} / {i.identifier}" for i in register.identifiers],
        )
        known_contracts = {(_nocase(c.supplier), _nocase(c.title)) for c in register.contracts}
        if any(p.contract is not None for p in register.provenance):
            known_contracts |= {
                (_nocase(a), _nocase(b))
                for a, b in self.db.execute(
                    "SELECT s.name, c.title FROM contracts c JOIN suppliers s ON s.id = c.supplier_id"
                ).fetchall()
            }
        for i, p in enumerate(register.provenance):
            label = f"provenance[{i}] ({p.supplier}{f' / {p.contract}' if p.contract else ''})"
            if _nocase(p.supplier) not in known_suppliers:
                problems.append(
                    f"{label}: supplier: no supplier named {p.supplier!r} in the file "
                    "or the register"
                )
            elif p.contract is not None and (
                (_nocase(p.supplier), _nocase(p.contract)) not in known_contracts
            ):
                problems.append(
                    f"{label}: contract: {p.supplier!r} has no contract titled {p.contract!r} "
                    "in the file or the register"
                )
        for i, ident in enumerate(register.identifiers):
            if _nocase(ident.supplier) not in known_suppliers:
                problems.append(
                    f"identifiers[{i}] ({ident.supplier} / {ident.identifier}): supplier: no "
                    f"supplier named {ident.supplier!r} in the file or the register"
                )
        return problems

    def _check_services_and_dependencies(
        self,
        register: Register,
        known_suppliers: set[str],
        dupes: Callable[[str, list[tuple[str, ...]], list[str]], None],
    ) -> list[str]:
        """Problems with the file's services, contracts' links to them, and dependencies."""
        problems: list[str] = []
        dupes(
            "services",
            [(_nocase(v.name),) for v in register.services],
            [v.name for v in register.services],
        )
        dupes(
            "dependencies",
            [(_nocase(d.supplier), _nocase(d.depends_on)) for d in register.dependencies],
            [f"{d.supplier} → {d.depends_on}" for d in register.dependencies],
        )
        linked = [(i, c) for i, c in enumerate(register.contracts) if c.services]
        known_services = {_nocase(v.name) for v in register.services}
        if linked or register.services:
            stored = {
                _nocase(r[0]): str(r[0])
                for r in self.db.execute("SELECT name FROM services").fetchall()
            }
            known_services |= set(stored)
            for i, v in enumerate(register.services):
                twin = stored.get(_nocase(v.name))
                if twin is not None and _ascii_fold(twin) != _ascii_fold(v.name):
                    problems.append(
                        f"services[{i}] ({v.name}): name: a service named {twin!r} already "
                        "exists in the register (the names differ only in case)"
                    )
        for i, c in linked:
            for name in c.services:
                if _nocase(name) not in known_services:
                    problems.append(
                        f"contracts[{i}] ({c.supplier} / {c.title}): services: no service "
                        f"named {name!r} in the file or the register"
                    )
        for i, d in enumerate(register.dependencies):
            for label, name in (("supplier", d.supplier), ("depends on", d.depends_on)):
                if _nocase(name) not in known_suppliers:
                    problems.append(
                        f"dependencies[{i}] ({d.supplier} → {d.depends_on}): {label}: no "
                        f"supplier named {name!r} in the file or the register"
                    )
        if problems or not register.dependencies:
            return problems
        # Loops: the register's dependencies, with those of the file added (a pair in both
        # is the file's), must not go round.
        names = {_nocase(str(n)): str(n) for (n,) in self.db.execute("SELECT name FROM suppliers")}
        names.update({_nocase(s.name): s.name for s in register.suppliers})
        incoming = {(_nocase(d.supplier), _nocase(d.depends_on)) for d in register.dependencies}
        stored_edges = [
            (_nocase(a), _nocase(b))
            for a, b in self.db.execute(
                "SELECT a.name, b.name FROM dependencies d JOIN suppliers a ON a.id = "
                "d.supplier_id JOIN suppliers b ON b.id = d.depends_on_id"
            ).fetchall()
        ]
        edges = [e for e in stored_edges if e not in incoming]
        for i, d in enumerate(register.dependencies):
            edge = (_nocase(d.supplier), _nocase(d.depends_on))
            loop = find_loop(edges, *edge)
            if loop is not None:
                problems.append(
                    f"dependencies[{i}] ({d.supplier} → {d.depends_on}): "
                    + loop_message([names.get(k, k) for k in loop])
                )
                break
            edges.append(edge)
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
        v2 = register.format_version >= 2
        later = (
            frozenset()
            if register.format_version >= 3
            else V3_ONLY_FIELDS
            if v2
            else V2_ONLY_FIELDS | V3_ONLY_FIELDS
        )

        def without_v2(values: dict[str, Any]) -> dict[str, Any]:
            """An older file says nothing of the later fields: they stay as stored."""
            return {k: v for k, v in values.items() if k not in later} if later else values

        with write_transaction(self.db):
            if register.trust is not None:
                self.set_trust_name(register.trust)
            if register.profile is not None:
                self._upsert(
                    "trust_profile",
                    "id = 1",
                    [],
                    {"id": 1, **_profile_values(register.profile)},
                    summary.profile,
                    _PROFILE_KIND,
                )
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
                    without_v2(self._supplier_values(supplier)),
                    summary.suppliers,
                    "supplier",
                )
            for service in register.services:
                self._upsert(
                    "services",
                    "name = ? COLLATE NOCASE",
                    [service.name],
                    _to_sql(service, _SERVICE_COLS),
                    summary.services,
                    "service",
                )
            for contract in register.contracts:
                values = without_v2(self._contract_values(contract))
                contract_id, outcome = self._upsert(
                    "contracts",
                    "supplier_id = ? AND title = ? COLLATE NOCASE",
                    [values["supplier_id"], contract.title],
                    values,
                    summary.contracts,
                    "contract",
                )
                linked = (v2 and "services" in contract.model_fields_set) and self._link_services(
                    contract_id, contract.services
                )
                if linked and outcome == "unchanged":  # only its services changed
                    self.db.execute(
                        "UPDATE contracts SET version = version + 1 WHERE id = ?", [contract_id]
                    )
                    summary.contracts.unchanged -= 1
                    summary.contracts.updated += 1
            for answer in register.answers:
                outcome = self._upsert_answer(answer, self._supplier_id(answer.supplier))
                setattr(summary.answers, outcome, getattr(summary.answers, outcome) + 1)
            for dependency in register.dependencies:
                values = _to_sql(dependency, _DEPENDENCY_COLS)
                values["supplier_id"] = self._supplier_id(dependency.supplier)
                values["depends_on_id"] = self._supplier_id(dependency.depends_on)
                self._upsert(
                    "dependencies",
                    "supplier_id = ? AND depends_on_id = ?",
                    [values["supplier_id"], values["depends_on_id"]],
                    values,
                    summary.dependencies,
                    "dependency",
                )
            for source in register.provenance:
                supplier_id = self._supplier_id(source.supplier)
                found = (
                    self.db.execute(
                        "SELECT id FROM contracts WHERE supplier_id = ? AND title = ? "
                        "COLLATE NOCASE",
                        [supplier_id, source.contract],
                    ).fetchone()
                    if source.contract is not None
                    else None
                )
                outcome = upsert_import_source(
                    self.db, supplier_id, int(found[0]) if found else None, source
                )
                setattr(summary.provenance, outcome, getattr(summary.provenance, outcome) + 1)
            for ident in register.identifiers:
                outcome = upsert_identifier(
                    self.db, self._supplier_id(ident.supplier), ident.identifier
                )
                setattr(summary.identifiers, outcome, getattr(summary.identifiers, outcome) + 1)
        return summary

    def _upsert(
        self,
        table: str,
        where: str,
        params: list[Any],
        values: dict[str, Any],
        tally: KindSummary,
        kind: str,
    ) -> tuple[int, str]:
        """Insert or replace the row ``where`` finds; its id and 'created', 'updated' or
        'unchanged'."""
        cols = list(values)
        row = self.db.execute(
            f"SELECT id, {', '.join(f'[{c}]' for c in cols)} FROM [{table}] WHERE {where}", params
        ).fetchone()
        if row is None:
            tally.created += 1
            return self._insert(table, values, kind), "created"
        if tuple(row[1:]) == tuple(values[c] for c in cols):
            tally.unchanged += 1
            return int(row[0]), "unchanged"
        self._update(table, int(row[0]), values, None, kind)
        tally.updated += 1
        return int(row[0]), "updated"


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
        if kind == "dependency":
            return Duplicate("depends on: this dependency is already recorded; edit it instead")
        return Duplicate(f"name: a {kind} named {values.get('name')!r} already exists")
    if "FOREIGN KEY" in text:
        return NotFound(f"{kind}: refers to a record that no longer exists")
    if "CHECK" in text and kind == "dependency":
        return InvalidInput(["depends on: a supplier cannot depend on itself"])
    return InvalidInput([f"{kind}: {text}"])


_CHUNK = 500
"""Suppliers read per query by :meth:`Repository.scoring_records_for`."""


def _chunks(items: Sequence[T_co]) -> Iterator[Sequence[T_co]]:
    """``items`` in slices small enough for one query's parameters."""
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


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
