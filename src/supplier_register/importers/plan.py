"""The import plan: what an import would create, update and reject, before anything is written.

Both importers (spreadsheets and OCDS) stage their records into a
``RegisterBuilder``, which merges them with the register as it stands, matches
differently spelled suppliers, validates every record with the domain models
and keeps each rejected row with its location, column and reason.  ``build``
returns an ``ImportPlan``: the preview shown to the user and, in ``records``,
exactly the records to write in one transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from supplier_register.domain.enums import (
    ContractType,
    Criticality,
    PurchaseKind,
    Role,
    SupplyCategory,
)
from supplier_register.domain.errors import plain_reason
from supplier_register.domain.models import Contract, Person, Register, Supplier
from supplier_register.importers.names import NameIndex
from supplier_register.importers.names import normalise_name as _normalise_name

M = TypeVar("M", bound=BaseModel)
normalise_name = functools.lru_cache(maxsize=1 << 16)(_normalise_name)
"""``names.normalise_name``, remembered: every plan indexes every supplier of the register,
and an import of many files plans once per file."""
Reject = Callable[[str, str], None]
SourceKind = Literal["spreadsheet", "ocds"]
RecordKind = Literal["person", "supplier", "contract"]
Action = Literal["create", "update", "unchanged"]

BUILTIN_SUPPLIER_DEFAULTS: dict[str, object] = {
    "category": SupplyCategory.OTHER,
    "criticality": Criticality.MEDIUM,
}
"""Values a new supplier gets when the source does not say; each use is reported."""

BUILTIN_CONTRACT_DEFAULTS: dict[str, object] = {
    "what_is_bought": PurchaseKind.UNKNOWN,
    "contract_type": ContractType.UNKNOWN,
}
"""'Unknown' for the required contract fields a source lacks: scoring shows them as data gaps."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Rejection(_Frozen):
    """Why one row (or OCDS award) was not imported: where, which column or field, and why."""

    location: str = Field(description="'row 12', or 'ocds-b5fd17-1 award 2' for OCDS.")
    row: int | None = Field(default=None, description="Spreadsheet row number, when there is one.")
    column: str = Field(description="The column header or OCDS field at fault.")
    reason: str

    def line(self) -> str:
        """One line for the preview: 'row 12, column "Contract end": '31/02/2024' is not a date'."""
        column = f', column "{self.column}"' if self.column else ""
        return f"{self.location}{column}: {self.reason}"


class Change(_Frozen):
    """One record the import creates, updates or leaves unchanged."""

    kind: RecordKind
    action: Action
    key: str = Field(description="'Acme Ltd', or 'Acme Ltd / EPR support' for a contract.")
    sources: tuple[str, ...] = Field(default=(), description="Rows or awards the record came from.")
    fields: tuple[str, ...] = Field(default=(), description="'end date: 2025-03-31 -> 2026-03-31'.")
    readings: tuple[str, ...] = Field(
        default=(), description="Cells as written beside the values read: 'End: 31/3/27 → ...'."
    )

    def line(self) -> str:
        where = f" ({', '.join(self.sources[:3])}{', ...' if len(self.sources) > 3 else ''})"
        detail = f": {'; '.join(self.fields)}" if self.fields and self.action == "update" else ""
        return f"{self.action} {self.kind} {self.key}{where if self.sources else ''}{detail}"


class ProvenanceDraft(_Frozen):
    """Where an imported record came from, to be stored beside it once it has an id."""

    supplier: str
    contract: str | None = None
    source_kind: SourceKind
    source_file: str
    row: int | None = None
    ocid: str | None = None
    ocds_id: str | None = Field(
        default=None, description="The award or contract id in the release."
    )
    release_id: str | None = None
    release_date: dt.datetime | None = None
    identifiers: tuple[str, ...] = Field(default=(), description="'GB-COH-01234567' and the like.")
    defaulted: tuple[str, ...] = Field(
        default=(), description="Fields the source lacked that were filled with defaults."
    )


class ImportPlan(BaseModel):
    """The preview of an import, and the records it would write."""

    model_config = ConfigDict(extra="forbid")

    source: str
    source_kind: SourceKind
    records: Register = Field(default_factory=Register)
    changes: list[Change] = Field(default_factory=list)
    rejections: list[Rejection] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    unmatched_columns: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    duplicates: list[str] = Field(
        default_factory=list,
        description="New suppliers whose names nearly match another's: 'possible duplicate of'.",
    )
    provenance: list[ProvenanceDraft] = Field(default_factory=list)
    items_read: int = Field(default=0, description="Data rows, or awards and contracts, read.")

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers rejected, in order, each once."""
        return sorted({r.row for r in self.rejections if r.row is not None})

    @property
    def rejected_locations(self) -> list[str]:
        """Every rejected row or award, each once, in order of first appearance."""
        return list(dict.fromkeys(r.location for r in self.rejections))

    def count(self, kind: RecordKind, action: Action) -> int:
        return sum(1 for c in self.changes if c.kind == kind and c.action == action)

    def add_staged(self, staged: Staged, **where: Any) -> bool:
        """Keep the outcome of staging one source row: its rejections (``False``), or where
        its records came from (``True``); ``where``: the rest of its :class:`ProvenanceDraft`."""
        if not staged.ok:
            self.rejections.extend(staged.rejections)
            return False
        assert staged.supplier is not None
        self.provenance.append(
            ProvenanceDraft(
                supplier=staged.supplier,
                contract=staged.contract,
                defaulted=staged.defaulted,
                **where,
            )
        )
        return True

    @property
    def has_writes(self) -> bool:
        return any(c.action != "unchanged" for c in self.changes)


def format_money(value: Decimal) -> str:
    """'£1,250,000' for whole pounds, '£1,250.50' otherwise."""
    if value == value.to_integral_value():
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


def _show(value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(x) for x in value) or "(none)"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def diff_fields(old: BaseModel, new: BaseModel) -> tuple[str, ...]:
    """Fields that differ as 'field name: old -> new'."""
    out = []
    for name in type(new).model_fields:
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            out.append(f"{name.replace('_', ' ')}: {_show(before)} -> {_show(after)}")
    return tuple(out)


def _fold(text: str) -> str:
    return text.casefold()


class Resolution(_Frozen):
    """The supplier a name and identifiers refer to, or why that cannot be told."""

    name: str | None = None
    matched_from: str | None = Field(default=None, description="Set when a different spelling.")
    how: str = Field(
        default="", description="'company number', 'identifier', 'name' or 'merged into it'."
    )
    problem: str | None = None

    def note(self) -> str:
        """'"Acme Limited" matched to "ACME LTD" (same company number)', or ''."""
        if not self.matched_from or self.matched_from == self.name:
            return ""
        return f"{self.matched_from!r} matched to {self.name!r} ({self.how})"


@dataclass
class Staged:
    """The outcome of staging one source row."""

    rejections: list[Rejection] = dataclasses.field(default_factory=list)
    supplier: str | None = None
    contract: str | None = None
    defaulted: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.rejections


class RegisterBuilder:
    """Stage imported records over the current register, validating each as it comes.

    ``stage`` takes one source row (a spreadsheet row or an OCDS award for one
    supplier) and either records it or returns the rejections that explain why
    not; a rejected row leaves nothing behind.
    """

    def __init__(
        self,
        existing: Register,
        *,
        identifiers: Mapping[str, str] | None = None,
        aliases: Mapping[str, str] | None = None,
        supplier_defaults: Mapping[str, object] | None = None,
        contract_defaults: Mapping[str, object] | None = None,
    ) -> None:
        self._existing_suppliers = {_fold(s.name): s for s in existing.suppliers}
        self._existing_contracts = {
            (_fold(c.supplier), _fold(c.title)): c for c in existing.contracts
        }
        self._existing_people = {_fold(p.name): p for p in existing.people}
        self._existing_services = {_fold(s.name): s.name for s in existing.services}
        self._by_company: dict[str, set[str]] = defaultdict(set)
        self._by_identifier: dict[str, set[str]] = defaultdict(set)
        self._by_norm: dict[str, set[str]] = defaultdict(set)
        for supplier in existing.suppliers:
            self._index_supplier(supplier.name, supplier.company_number, ())
        for identifier, name in (identifiers or {}).items():
            self._by_identifier[identifier].add(name)
        self._aliases = {_fold(alias): name for alias, name in (aliases or {}).items()}
        """A name a supplier had before it was merged away -> the supplier kept."""
        self.supplier_defaults = {**BUILTIN_SUPPLIER_DEFAULTS, **(supplier_defaults or {})}
        self.contract_defaults = {**BUILTIN_CONTRACT_DEFAULTS, **(contract_defaults or {})}
        self._custom_defaults = set(supplier_defaults or {}) | set(contract_defaults or {})
        self.suppliers: dict[str, Supplier] = {}
        self.contracts: dict[tuple[str, str], Contract] = {}
        self.people: dict[str, Person] = {}
        self._set_by: dict[tuple[str, str, str], tuple[object, str]] = {}
        self._sources: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.defaulted: dict[str, set[str]] = defaultdict(set)
        self.warnings: list[str] = []

    # -- matching -------------------------------------------------------------

    def _index_supplier(
        self, name: str, company_number: str | None, identifiers: Iterable[str]
    ) -> None:
        if company_number:
            self._by_company[company_number].add(name)
        for identifier in identifiers:
            self._by_identifier[identifier].add(name)
        self._by_norm[normalise_name(name)].add(name)

    def _known(self, name: str) -> str | None:
        """The stored spelling of a supplier already in the register or staged."""
        staged = self.suppliers.get(_fold(name))
        if staged is not None:
            return staged.name
        existing = self._existing_suppliers.get(_fold(name))
        return existing.name if existing is not None else None

    def resolve_supplier(
        self,
        name: str,
        company_number: str | None = None,
        identifiers: Iterable[str] = (),
    ) -> Resolution:
        """Find the supplier meant: by identifier, then company number, name, normalised name."""
        strong: set[str] = set()
        how = "same identifier"
        for identifier in identifiers:
            strong |= self._by_identifier.get(identifier, set())
        if company_number and self._by_company.get(company_number):
            strong |= self._by_company[company_number]
            how = "same company number"
        strong = {self._known(n) or n for n in strong}
        if len(strong) > 1:
            names = ", ".join(repr(n) for n in sorted(strong))
            return Resolution(problem=f"{name!r} is ambiguous: its identifiers match {names}")
        if strong:
            found = strong.pop()
            return Resolution(name=found, matched_from=name if found != name else None, how=how)
        exact = self._known(name)
        if exact is not None:
            return Resolution(name=exact)
        merged_into = self._aliases.get(_fold(name))
        if merged_into is not None:
            found = self._known(merged_into) or merged_into
            return Resolution(name=found, matched_from=name, how="merged into it")
        candidates = {self._known(n) or n for n in self._by_norm.get(normalise_name(name), set())}
        if len(candidates) > 1:
            names = ", ".join(repr(n) for n in sorted(candidates))
            return Resolution(problem=f"{name!r} is ambiguous: it could be any of {names}")
        if candidates:
            found = candidates.pop()
            return Resolution(name=found, matched_from=name, how="same name once normalised")
        return Resolution(name=name)

    def find_person(self, name: str) -> Person | None:
        return self.people.get(_fold(name)) or self._existing_people.get(_fold(name))

    def contract_base(self, supplier: str, title: str) -> Contract | None:
        """The contract as staged or stored, if any."""
        key = (_fold(supplier), _fold(title))
        return self.contracts.get(key) or self._existing_contracts.get(key)

    def contract_sources(self, supplier: str, title: str) -> list[str]:
        return self._sources[("contract", f"{_fold(supplier)}\x00{_fold(title)}")]

    # -- staging --------------------------------------------------------------

    def stage(
        self,
        source: str,
        *,
        row: int | None = None,
        supplier: Mapping[str, Any],
        contract: Mapping[str, Any] | None = None,
        owner: Mapping[str, Any] | None = None,
        columns: Mapping[str, str] | None = None,
        identifiers: Iterable[str] = (),
        repeats: bool = False,
    ) -> Staged:
        """Stage one source row, or explain why it cannot be imported.

        ``supplier``, ``contract`` and ``owner`` hold the values the source
        gives (field name -> typed value; absent or ``None`` means 'not
        given', which never erases a recorded value).  ``columns`` names the
        column or field each value came from, for errors.  With ``repeats``
        (OCDS, where later releases restate earlier ones) a later value
        replaces an earlier one; otherwise two rows giving different values
        for one supplier, or the same contract twice, are rejected.
        """
        columns = columns or {}
        problems: list[Rejection] = []

        def reject(field: str, reason: str) -> None:
            problems.append(
                Rejection(
                    location=source,
                    row=row,
                    column=columns.get(field, field.split(".", 1)[-1].replace("_", " ")),
                    reason=reason,
                )
            )

        identifiers = tuple(identifiers)
        resolution = self.resolve_supplier(
            str(supplier["name"]), supplier.get("company_number"), identifiers
        )
        if resolution.problem or resolution.name is None:
            reject("supplier.name", resolution.problem or "no supplier")
            return Staged(problems)
        name = resolution.name
        fold = _fold(name)
        staged_supplier = self.suppliers.get(fold)
        base = staged_supplier or self._existing_suppliers.get(fold)
        defaulted: set[str] = set()
        if base is None:
            data: dict[str, Any] = {}
            for field, value in self.supplier_defaults.items():
                if supplier.get(field) is None:
                    data[field] = value
                    defaulted.add(f"supplier.{field}")
        else:
            data = base.model_dump()
        for field, value in supplier.items():
            if field == "name" or value is None:
                continue
            if field == "shared_with" and isinstance(value, list):
                value = [*data.get("shared_with", []), *value]
            previous = self._set_by.get(("supplier", fold, field))
            conflict = previous is not None and previous[0] != value and not repeats
            if previous is not None and conflict and field != "shared_with":
                reject(
                    f"supplier.{field}",
                    f"{_show(value)} conflicts with {_show(previous[0])} given for "
                    f"{name!r} in {previous[1]}",
                )
            stored = self._existing_suppliers.get(fold)
            if field == "company_number" and stored is not None and stored.company_number:
                if value != stored.company_number:
                    self.warnings.append(
                        f"{source}: company number {value} differs from "
                        f"{stored.company_number} recorded for {name!r}; kept the recorded one"
                    )
                continue
            data[field] = value
        data["name"] = name
        new_supplier = self._validate(Supplier, data, "supplier", reject)

        new_person: Person | None = None
        owner_name = supplier.get("owner")
        if new_supplier is not None and owner_name:
            new_person = self._stage_owner(
                str(owner_name), owner or {}, source, reject, defaulted, repeats
            )
            if new_person is not None:
                new_supplier = new_supplier.model_copy(update={"owner": new_person.name})

        new_contract: Contract | None = None
        if contract is not None and new_supplier is not None:
            title = str(contract["title"])
            key = (fold, _fold(title))
            if key in self.contracts and not repeats:
                first = self.contract_sources(name, title)
                reject(
                    "contract.title",
                    f"the contract {title!r} of {name!r} is already in "
                    f"{first[0] if first else 'this import'}",
                )
            else:
                contract_base = self.contracts.get(key) or self._existing_contracts.get(key)
                if contract_base is None:
                    cdata: dict[str, Any] = {}
                    for field, value in self.contract_defaults.items():
                        if contract.get(field) is None:
                            cdata[field] = value
                            if field in self._custom_defaults:
                                defaulted.add(f"contract.{field}")
                else:
                    cdata = contract_base.model_dump()
                    title = contract_base.title
                cdata.update({k: v for k, v in contract.items() if v is not None})
                cdata["supplier"], cdata["title"] = name, title
                if contract.get("services") is not None:
                    cdata["services"] = self._known_services(contract["services"], reject)
                new_contract = self._validate(Contract, cdata, "contract", reject)

        if problems:
            return Staged(problems)
        assert new_supplier is not None
        if resolution.note():
            self.warnings.append(f"{source}: {resolution.note()}")
        for field, value in supplier.items():
            if value is not None and ("supplier", fold, field) not in self._set_by:
                self._set_by[("supplier", fold, field)] = (value, source)
        self.suppliers[fold] = new_supplier
        self._index_supplier(name, new_supplier.company_number, identifiers)
        self._sources[("supplier", fold)].append(source)
        if new_person is not None:
            self.people[_fold(new_person.name)] = new_person
            self._sources[("person", _fold(new_person.name))].append(source)
        if new_contract is not None:
            ckey = (fold, _fold(new_contract.title))
            self.contracts[ckey] = new_contract
            self._sources[("contract", f"{ckey[0]}\x00{ckey[1]}")].append(source)
        self.defaulted[fold] |= defaulted
        return Staged(
            supplier=name,
            contract=new_contract.title if new_contract is not None else None,
            defaulted=tuple(sorted(defaulted)),
        )

    def _known_services(self, names: Iterable[str], reject: Reject) -> list[str]:
        """The services named, as the register spells them; one that is not in the register
        is rejected (an import never creates a service behind the user's back)."""
        known: list[str] = []
        for name in names:
            stored = self._existing_services.get(_fold(name))
            if stored is None:
                reject(
                    "contract.services",
                    f"no service named {name!r} in the register; add the service first",
                )
            else:
                known.append(stored)
        return known

    def _stage_owner(
        self,
        owner_name: str,
        owner: Mapping[str, Any],
        source: str,
        reject: Reject,
        defaulted: set[str],
        repeats: bool,
    ) -> Person | None:
        base = self.find_person(owner_name)
        if base is None:
            data: dict[str, Any] = {"name": owner_name, "role": owner.get("role") or Role.OTHER}
            if owner.get("role") is None:
                defaulted.add("owner.role")
        else:
            data = base.model_dump()
        for field in ("role", "contact"):
            value = owner.get(field)
            if value is None:
                continue
            previous = self._set_by.get(("person", _fold(owner_name), field))
            if previous is not None and previous[0] != value and not repeats:
                reject(
                    f"owner.{field}",
                    f"{_show(value)} conflicts with {_show(previous[0])} given for "
                    f"{owner_name!r} in {previous[1]}",
                )
            data[field] = value
        person = self._validate(Person, data, "owner", reject)
        if person is not None:
            for field in ("role", "contact"):
                if owner.get(field) is not None:
                    self._set_by.setdefault(
                        ("person", _fold(owner_name), field), (owner[field], source)
                    )
        return person

    @staticmethod
    def _validate(model: type[M], data: dict[str, Any], entity: str, reject: Reject) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                field = str(error["loc"][0]) if error["loc"] else "record"
                reject(f"{entity}.{field}", plain_reason(error))
            return None

    # -- result ---------------------------------------------------------------

    def build(self, plan: ImportPlan) -> ImportPlan:
        """Fill ``plan`` with the changes and the register of records to write."""
        changes: list[Change] = []
        register = Register()
        for fold, person in self.people.items():
            action, fields = self._action(self._existing_people.get(fold), person)
            changes.append(
                Change(
                    kind="person",
                    action=action,
                    key=person.name,
                    sources=tuple(self._sources[("person", fold)]),
                    fields=fields,
                )
            )
            if action != "unchanged":
                register.people.append(person)
        for fold, supplier in self.suppliers.items():
            action, fields = self._action(self._existing_suppliers.get(fold), supplier)
            changes.append(
                Change(
                    kind="supplier",
                    action=action,
                    key=supplier.name,
                    sources=tuple(self._sources[("supplier", fold)]),
                    fields=fields,
                )
            )
            if action != "unchanged":
                register.suppliers.append(supplier)
        for key, contract in self.contracts.items():
            action, fields = self._action(self._existing_contracts.get(key), contract)
            changes.append(
                Change(
                    kind="contract",
                    action=action,
                    key=f"{contract.supplier} / {contract.title}",
                    sources=tuple(self._sources[("contract", f"{key[0]}\x00{key[1]}")]),
                    fields=fields,
                )
            )
            if action != "unchanged":
                register.contracts.append(contract)
        plan.changes = changes
        plan.records = register
        plan.duplicates = [*plan.duplicates, *self._possible_duplicates()]
        plan.warnings = [*plan.warnings, *self.warnings, *self._default_warnings()]
        return plan

    def _possible_duplicates(self) -> list[str]:
        """A line for each new supplier whose name nearly matches another supplier's (in the
        register or new in this import): reported, never merged on the name alone."""
        new = [s.name for fold, s in self.suppliers.items() if fold not in self._existing_suppliers]
        index = NameIndex(s.name for s in self._existing_suppliers.values())
        index_new = NameIndex(new)
        out = []
        for name in new:
            others = [*index.similar(name), *(n for n in index_new.similar(name) if n < name)]
            if not others:
                continue
            where = self._sources[("supplier", _fold(name))]
            at = f" ({', '.join(where[:3])}{', ...' if len(where) > 3 else ''})" if where else ""
            out.append(
                f"new supplier {name!r}{at}: possible duplicate of "
                + ", ".join(repr(n) for n in others)
            )
        return out

    @staticmethod
    def _action(old: BaseModel | None, new: BaseModel) -> tuple[Action, tuple[str, ...]]:
        if old is None:
            return "create", ()
        fields = diff_fields(old, new)
        return ("update", fields) if fields else ("unchanged", ())

    def _default_warnings(self) -> list[str]:
        counts: dict[str, int] = defaultdict(int)
        for fields in self.defaulted.values():
            for field in fields:
                counts[field] += 1
        out = []
        for field, count in sorted(counts.items()):
            entity, name = field.split(".", 1)
            if entity == "owner":
                out.append(
                    f"{count} new owner(s) have no role in the source: set to 'Other'; "
                    "set their role in the register"
                )
                continue
            defaults = self.supplier_defaults if entity == "supplier" else self.contract_defaults
            value = defaults.get(name)
            out.append(
                f"{count} new {entity}(s) have no {name.replace('_', ' ')} in the source: "
                f"set to {_show(value)}; review them"
            )
        return out
