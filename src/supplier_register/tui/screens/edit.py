"""Opening the add, edit and delete dialogs for suppliers, contracts, people, services and
dependencies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from textual.content import Content

from supplier_register.domain import (
    Contract,
    ContractRecord,
    Dependency,
    DependencyRecord,
    Person,
    PersonRecord,
    Service,
    ServiceRecord,
    Supplier,
    SupplierRecord,
)
from supplier_register.services import continuity
from supplier_register.services.register_view import Snapshot, read_supplier_record
from supplier_register.storage import Repository
from supplier_register.tui.forms import (
    CONTRACT_FIELDS,
    DEPENDENCY_FIELDS,
    PERSON_FIELDS,
    SERVICE_FIELDS,
    SUPPLIER_FIELDS,
    FieldSpec,
)
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.text import lit

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


class Versioned(Protocol):
    """A stored record: its version goes up by one with every change."""

    @property
    def version(self) -> int: ...


def _title(verb: str, name: str | None = None) -> Content:
    if name is None:
        return Content(verb)
    return Content.assemble(f"{verb}: ", lit(name, "bold"))


def delete_supplier_body(record: SupplierRecord, contracts: int, answers: int) -> Content:
    """What deleting a supplier takes with it, asked before it is done."""
    return Content.assemble(
        "This deletes ",
        lit(record.name, "bold"),
        f" with its {contracts} contract{'s' if contracts != 1 else ''} and "
        f"{answers} questionnaire answer{'s' if answers != 1 else ''}. It cannot be undone.",
    )


def delete_contract_body(record: ContractRecord) -> Content:
    """The contract to delete and its supplier, asked before it is done."""
    return Content.assemble(
        "This deletes the contract ",
        lit(record.title, "bold"),
        " with ",
        lit(record.supplier, "bold"),
        ". It cannot be undone.",
    )


def delete_person_body(record: PersonRecord, owned: int) -> Content:
    """The person to delete and how many suppliers lose their owner, asked before it is done."""
    consequence = (
        f" {owned} supplier{'s' if owned != 1 else ''} will have no relationship owner"
        " (and score worse for it)."
        if owned
        else " They own no suppliers."
    )
    return Content.assemble(
        "This deletes ", lit(record.name, "bold"), ".", consequence, " It cannot be undone."
    )


def _people(app: SupplierRegisterApp) -> list[str]:
    return [p.name for p in app.snapshot.people] if app.snapshot else []


def _missing(app: SupplierRegisterApp, what: str) -> None:
    app.notify(f"That {what} no longer exists; the register was reloaded.", severity="warning")
    app.reload()


# ---------------------------------------------------------- the three kinds


@dataclass(frozen=True)
class _Kind(Generic[M, R]):
    """One kind of record the dialogs add, edit and delete."""

    label: str  # as the messages name it: "Supplier", "Contract", "Owner"
    model_type: type[M]
    fields: tuple[FieldSpec, ...]


_SUPPLIER = _Kind[Supplier, SupplierRecord]("Supplier", Supplier, tuple(SUPPLIER_FIELDS))
_CONTRACT = _Kind[Contract, ContractRecord]("Contract", Contract, tuple(CONTRACT_FIELDS))
_PERSON = _Kind[Person, PersonRecord]("Owner", Person, tuple(PERSON_FIELDS))
_SERVICE = _Kind[Service, ServiceRecord]("Service", Service, tuple(SERVICE_FIELDS))
_DEPENDENCY = _Kind[Dependency, DependencyRecord](
    "Dependency", Dependency, tuple(DEPENDENCY_FIELDS)
)


def _form(
    app: SupplierRegisterApp,
    kind: _Kind[M, R],
    title: Content,
    initial: R | None,
    save: Callable[[Repository, M], R],
    done: Callable[[R | None], None] | None = None,
    *,
    extra: Mapping[str, Any] | None = None,
    people: Sequence[str] = (),
    choices: Mapping[str, Sequence[str]] | None = None,
    supplier: int | Callable[[R], int] | None = None,
    stale: Callable[[Snapshot], str | None] | None = None,
) -> None:
    """Open the add (``initial`` None) or edit form of one record of ``kind``."""
    app.push_screen(
        FormScreen[M, R](
            title=title,
            model_type=kind.model_type,
            fields=kind.fields,
            initial=initial,
            save=save,
            extra=extra,
            people=people,
            choices=choices,
            saved_message=f"{kind.label} {'added' if initial is None else 'saved'}.",
            supplier=supplier,
            stale=stale,
        ),
        done,
    )


def _confirm_delete(
    app: SupplierRegisterApp,
    kind: _Kind[Any, Any],
    body: Content,
    delete: Callable[[Repository], None],
    *,
    supplier: int | None = None,
    done: Callable[[None], None] | None = None,
) -> None:
    """Ask "Delete …?" with ``body``; on yes, run ``delete`` in one write."""

    def answered(yes: bool | None) -> None:
        if yes:
            app.write(delete, done=done, saved=f"{kind.label} deleted.", supplier=supplier)

    app.push_screen(ConfirmScreen(_title(f"Delete {kind.label.lower()}?"), body), answered)


# ------------------------------------------------------------------ suppliers


def add_supplier(app: SupplierRegisterApp, on_saved: Callable[[int], None] | None = None) -> None:
    """Open the form for a new supplier."""

    def saved(record: SupplierRecord | None) -> None:
        if record is not None and on_saved is not None:
            on_saved(record.id)

    _form(
        app,
        _SUPPLIER,
        _title("Add supplier"),
        None,
        lambda repo, model: repo.add_supplier(model),
        saved,
        people=_people(app),
        supplier=lambda record: record.id,
    )


def stale_line(what: str, name: str, current: Versioned | None, version: int) -> str | None:
    """Why a form's record is out of date: changed or deleted by somebody else since the form
    was opened (``current`` is the record now, ``None`` if gone); ``None`` while it is not."""
    if current is None:
        return (
            f"This {what} ({name}) was deleted by someone else since you opened it; "
            "it can no longer be saved."
        )
    if current.version > version:  # (a snapshot read before the form opened is older)
        return (
            f"This {what} ({name}) was changed by someone else since you opened it; "
            "reload it (close this form and open it again) before saving."
        )
    return None


def edit_supplier(app: SupplierRegisterApp, supplier_id: int) -> None:
    """Open the form for an existing supplier, as stored now (read in a worker first): one
    deleted by somebody else meanwhile is refused with one line, never opened."""
    known = app.snapshot.supplier(supplier_id) if app.snapshot else None
    if known is None:
        _missing(app, "supplier")
        return
    db_path = app.db_path

    def opened(record: SupplierRecord | None) -> None:
        if record is None:
            app.notify(
                f"{known.name} was deleted by someone else; it cannot be edited.",
                title="Not opened",
                severity="error",
            )
            app.reload()
            return
        _edit_supplier(app, record)

    app.fetch(lambda: read_supplier_record(db_path, supplier_id), opened)


def _edit_supplier(app: SupplierRegisterApp, record: SupplierRecord) -> None:
    supplier_id, version = record.id, record.version

    def stale(snapshot: Snapshot) -> str | None:
        return stale_line("supplier", record.name, snapshot.supplier(supplier_id), version)

    _form(
        app,
        _SUPPLIER,
        _title("Edit supplier", record.name),
        record,
        lambda repo, model: repo.update_supplier(supplier_id, model, expected_version=version),
        people=_people(app),
        supplier=supplier_id,
        stale=stale,
    )


def delete_supplier(
    app: SupplierRegisterApp, supplier_id: int, on_deleted: Callable[[], None] | None = None
) -> None:
    """Ask, then delete a supplier with its contracts and answers in one transaction.

    How many contracts and answers go with it is read in a worker first.
    """
    snapshot = app.snapshot
    record = snapshot.supplier(supplier_id) if snapshot else None
    if snapshot is None or record is None:
        _missing(app, "supplier")
        return
    app.fetch(
        lambda: snapshot.records.own(supplier_id),
        lambda own: _delete_supplier(app, record, len(own[0]), len(own[1]), on_deleted),
    )


def _delete_supplier(
    app: SupplierRegisterApp,
    record: SupplierRecord,
    contracts: int,
    answers: int,
    on_deleted: Callable[[], None] | None,
) -> None:
    supplier_id = record.id
    body = delete_supplier_body(record, contracts, answers)
    version = record.version

    def deleted(_: None) -> None:
        if on_deleted is not None:
            on_deleted()

    _confirm_delete(
        app,
        _SUPPLIER,
        body,
        lambda repo: repo.delete_supplier(supplier_id, expected_version=version),
        supplier=supplier_id,
        done=deleted,
    )


# ------------------------------------------------------------------ contracts


def add_contract(app: SupplierRegisterApp, supplier_id: int) -> None:
    """Open the form for a new contract of a supplier (the services it may support read first)."""
    record = app.snapshot.supplier(supplier_id) if app.snapshot else None
    if record is None:
        _missing(app, "supplier")
        return
    db_path = app.db_path

    def opened(services: list[str]) -> None:
        _form(
            app,
            _CONTRACT,
            _title("Add contract with", record.name),
            None,
            # The supplier by id: its name may pass to another supplier while the form is open.
            lambda repo, model: repo.add_contract(model, supplier_id=supplier_id),
            extra={"supplier": record.name},
            choices={"services": services},
            supplier=supplier_id,
        )

    app.fetch(lambda: continuity.read_service_names(db_path), opened)


def _with_contract(
    app: SupplierRegisterApp,
    contract_id: int,
    then: Callable[[ContractRecord, list[str]], None],
    *,
    with_services: bool = False,
) -> None:
    """Read the contract in a worker, then ``then(record, services)`` (or say it is gone).

    ``services``: the names of the trust's services when ``with_services``, else empty.
    """
    snapshot = app.snapshot
    if snapshot is None:
        _missing(app, "contract")
        return
    db_path = app.db_path

    def read() -> tuple[ContractRecord | None, list[str]]:
        record = snapshot.contract(contract_id)
        names = continuity.read_service_names(db_path) if with_services and record else []
        return record, names

    def found(result: tuple[ContractRecord | None, list[str]]) -> None:
        record, names = result
        if record is None:
            _missing(app, "contract")
        else:
            then(record, names)

    app.fetch(read, found)


def edit_contract(app: SupplierRegisterApp, contract_id: int) -> None:
    """Open the form for an existing contract (read, with the services, in a worker first)."""
    _with_contract(
        app,
        contract_id,
        lambda record, services: _edit_contract(app, record, services),
        with_services=True,
    )


def _edit_contract(app: SupplierRegisterApp, record: ContractRecord, services: list[str]) -> None:
    contract_id = record.id
    version, supplier_id = record.version, record.supplier_id

    def save(repo: Repository, model: Contract) -> ContractRecord:
        # The supplier by id, never by the name shown: it may since belong to another supplier.
        return repo.update_contract(
            contract_id, model, expected_version=version, supplier_id=supplier_id
        )

    def stale(snapshot: Snapshot) -> str | None:  # on a worker: it reads the contract
        return stale_line("contract", record.title, snapshot.contract(contract_id), version)

    _form(
        app,
        _CONTRACT,
        _title("Edit contract", record.title),
        record,
        save,
        extra={"supplier": record.supplier},
        choices={"services": services},
        supplier=supplier_id,
        stale=stale,
    )


def delete_contract(app: SupplierRegisterApp, contract_id: int) -> None:
    """Ask, then delete one contract (read in a worker first)."""
    _with_contract(app, contract_id, lambda record, _: _delete_contract(app, record))


def _delete_contract(app: SupplierRegisterApp, record: ContractRecord) -> None:
    contract_id = record.id
    version = record.version
    body = delete_contract_body(record)
    _confirm_delete(
        app,
        _CONTRACT,
        body,
        lambda repo: repo.delete_contract(contract_id, expected_version=version),
        supplier=record.supplier_id,
    )


# --------------------------------------------------------------------- people


def add_person(app: SupplierRegisterApp) -> None:
    """Open the form for a new relationship owner."""
    _form(app, _PERSON, _title("Add owner"), None, lambda repo, model: repo.add_person(model))


def _find_person(app: SupplierRegisterApp, person_id: int) -> PersonRecord | None:
    if app.snapshot is None:
        return None
    return next((p for p in app.snapshot.people if p.id == person_id), None)


def edit_person(app: SupplierRegisterApp, person_id: int) -> None:
    """Open the form for an existing person."""
    record = _find_person(app, person_id)
    if record is None:
        _missing(app, "person")
        return
    version = record.version
    _form(
        app,
        _PERSON,
        _title("Edit owner", record.name),
        record,
        lambda repo, model: repo.update_person(person_id, model, expected_version=version),
    )


def delete_person(app: SupplierRegisterApp, person_id: int) -> None:
    """Ask, then delete a person; the suppliers they owned become unowned."""
    snapshot = app.snapshot
    record = _find_person(app, person_id)
    if snapshot is None or record is None:
        _missing(app, "person")
        return
    body = delete_person_body(record, len(snapshot.suppliers_owned_by(record)))
    version = record.version
    _confirm_delete(
        app,
        _PERSON,
        body,
        lambda repo: repo.delete_person(person_id, expected_version=version),
    )


# ------------------------------------------------------------------- services


def delete_service_body(record: ServiceRecord, contracts: int) -> Content:
    """The service to delete and how many contracts stop listing it, asked before it is done."""
    consequence = (
        f" {contracts} contract{'s' if contracts != 1 else ''} support{'s' if contracts == 1 else ''}"
        " it and will no longer list it."
        if contracts
        else " No contract supports it."
    )
    return Content.assemble(
        "This deletes the service ",
        lit(record.name, "bold"),
        ".",
        consequence,
        " It cannot be undone.",
    )


def add_service(app: SupplierRegisterApp) -> None:
    """Open the form for a new service of the trust."""
    _form(
        app,
        _SERVICE,
        _title("Add service"),
        None,
        lambda repo, model: continuity.save_service(repo, model),
    )


def _with_service(
    app: SupplierRegisterApp, service_id: int, then: Callable[[ServiceRecord, int], None]
) -> None:
    """Read the service and how many contracts support it in a worker, then ``then``."""
    db_path = app.db_path

    def read() -> tuple[ServiceRecord | None, int]:
        record = continuity.read_service(db_path, service_id)
        if record is None:
            return None, 0
        return record, len(continuity.contracts_supporting(db_path, service_id))

    def found(result: tuple[ServiceRecord | None, int]) -> None:
        record, contracts = result
        if record is None:
            _missing(app, "service")
        else:
            then(record, contracts)

    app.fetch(read, found)


def edit_service(app: SupplierRegisterApp, service_id: int) -> None:
    """Open the form for an existing service (read in a worker first)."""
    _with_service(app, service_id, lambda record, _: _edit_service(app, record))


def _edit_service(app: SupplierRegisterApp, record: ServiceRecord) -> None:
    service_id, version = record.id, record.version
    _form(
        app,
        _SERVICE,
        _title("Edit service", record.name),
        record,
        lambda repo, model: continuity.save_service(repo, model, service_id, version),
    )


def delete_service(app: SupplierRegisterApp, service_id: int) -> None:
    """Ask (saying how many contracts support it), then delete a service."""

    def ask(record: ServiceRecord, contracts: int) -> None:
        version = record.version
        _confirm_delete(
            app,
            _SERVICE,
            delete_service_body(record, contracts),
            lambda repo: continuity.delete_service(repo, service_id, version),
        )

    _with_service(app, service_id, ask)


# --------------------------------------------------------------- dependencies


def delete_dependency_body(record: DependencyRecord) -> Content:
    """The dependency to delete, asked before it is done."""
    return Content.assemble(
        "This deletes the record that ",
        lit(record.supplier, "bold"),
        " depends on ",
        lit(record.depends_on, "bold"),
        f" ({record.kind.label}). It cannot be undone.",
    )


def _other_suppliers(app: SupplierRegisterApp, supplier_id: int) -> list[str]:
    """The names a supplier may depend on: every other supplier in the register, by name."""
    snapshot = app.snapshot
    if snapshot is None:
        return []
    return [s.name for s in snapshot.suppliers if s.id != supplier_id]


def add_dependency(app: SupplierRegisterApp, supplier_id: int) -> None:
    """Open the form recording a supplier this one depends on."""
    record = app.snapshot.supplier(supplier_id) if app.snapshot else None
    if record is None:
        _missing(app, "supplier")
        return
    _form(
        app,
        _DEPENDENCY,
        _title("Add dependency of", record.name),
        None,
        # The supplier by id: its name may pass to another supplier while the form is open.
        lambda repo, model: continuity.save_dependency(repo, model, supplier_id),
        extra={"supplier": record.name},
        choices={"suppliers": _other_suppliers(app, supplier_id)},
        supplier=supplier_id,
    )


def _with_dependency(
    app: SupplierRegisterApp, dependency_id: int, then: Callable[[DependencyRecord], None]
) -> None:
    """Read the dependency in a worker, then ``then(record)`` (or say it no longer exists)."""
    db_path = app.db_path

    def found(record: DependencyRecord | None) -> None:
        if record is None:
            _missing(app, "dependency")
        else:
            then(record)

    app.fetch(lambda: continuity.read_dependency(db_path, dependency_id), found)


def edit_dependency(app: SupplierRegisterApp, dependency_id: int) -> None:
    """Open the form for an existing dependency (read in a worker first)."""
    _with_dependency(app, dependency_id, lambda record: _edit_dependency(app, record))


def _edit_dependency(app: SupplierRegisterApp, record: DependencyRecord) -> None:
    dependency_id, version, supplier_id = record.id, record.version, record.supplier_id
    _form(
        app,
        _DEPENDENCY,
        _title("Edit dependency of", record.supplier),
        record,
        lambda repo, model: continuity.save_dependency(
            repo, model, supplier_id, dependency_id, version
        ),
        extra={"supplier": record.supplier},
        choices={"suppliers": _other_suppliers(app, supplier_id)},
        supplier=supplier_id,
    )


def delete_dependency(app: SupplierRegisterApp, dependency_id: int) -> None:
    """Ask, then delete one dependency (read in a worker first)."""

    def ask(record: DependencyRecord) -> None:
        version = record.version
        _confirm_delete(
            app,
            _DEPENDENCY,
            delete_dependency_body(record),
            lambda repo: continuity.delete_dependency(repo, dependency_id, version),
            supplier=record.supplier_id,
        )

    _with_dependency(app, dependency_id, ask)
