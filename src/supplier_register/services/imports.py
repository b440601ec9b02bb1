"""Preview and apply imports against a register database (used by the CLI and the TUI).

A job reads and checks its file once; ``preview`` plans it against the
register as it stands, and ``apply_import`` plans it again inside one write
transaction and writes the records and their provenance together.  Rejected
rows are left out; everything else is written all or nothing.  When the
caller passes the plan it showed the user, a register changed in between
(by another user) makes the apply refuse rather than write a different set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from supplier_register.domain.errors import BadFile, InvalidInput, RegisterError, StaleRecord
from supplier_register.domain.models import Contract, Register, Supplier
from supplier_register.importers.mapping import ColumnMapping, load_mapping
from supplier_register.importers.ocds import JSON, KnownContract, OcdsHistory, load_json, plan_ocds
from supplier_register.importers.plan import Action, ImportPlan, RecordKind
from supplier_register.importers.report import outcome_line as outcome_line
from supplier_register.importers.report import plan_lines as plan_lines
from supplier_register.importers.tabular import (
    SPREADSHEET_SUFFIXES,
    RawTable,
    plan_table,
    read_table,
)
from supplier_register.storage import ImportSummary, Repository, write_transaction
from supplier_register.storage.merge import supplier_aliases
from supplier_register.storage.provenance import (
    ProvenanceEntry,
    ocds_contracts,
    record_provenance,
    supplier_identifiers,
)


class ImportJob(Protocol):
    """A file read and checked, ready to plan against a register."""

    path: Path

    def preview(self, repo: Repository) -> ImportPlan: ...


@dataclass
class SpreadsheetImport:
    """A CSV or XLSX register, with the mapping file that overrides the header guess."""

    path: Path
    table: RawTable
    mapping: ColumnMapping | None = None

    def preview(self, repo: Repository) -> ImportPlan:
        return plan_table(
            self.table, repo.load_register(), self.mapping, aliases=supplier_aliases(repo.db)
        )


@dataclass
class OcdsImport:
    """Published contract data (OCDS JSON), and the buyer whose contracts to take."""

    path: Path
    data: JSON
    buyer: str | None = None
    batch: OcdsBatch | None = None
    """When importing many files: the register and history kept between them."""

    def preview(self, repo: Repository) -> ImportPlan:
        if self.batch is not None:
            register, history = self.batch.known()
        else:
            register, history = repo.load_register(), load_history(repo)
        return plan_ocds(self.data, self.path.name, register, history, self.buyer)


def is_spreadsheet(path: Path) -> bool:
    """True for the file types ``open_spreadsheet`` reads."""
    return path.suffix.casefold() in (*SPREADSHEET_SUFFIXES, ".xls")


def open_spreadsheet(path: Path, mapping_path: Path | None = None) -> SpreadsheetImport:
    """Read a spreadsheet (and its mapping file); an unreadable file is one ``BadFile`` line."""
    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    table = read_table(path, mapping.sheet if mapping else None)
    return SpreadsheetImport(path, table, mapping)


def open_ocds(path: Path, buyer: str | None = None) -> OcdsImport:
    """Read an OCDS JSON file; an unreadable file is one ``BadFile`` line."""
    if path.suffix.casefold() != ".json":
        raise BadFile(f"{path.name}: expected an OCDS .json file")
    return OcdsImport(path, load_json(path), buyer)


def load_history(repo: Repository) -> OcdsHistory:
    """What earlier OCDS imports stored: contracts by OCID and award, and identifiers."""
    history = OcdsHistory(
        identifiers=supplier_identifiers(repo.db), aliases=supplier_aliases(repo.db)
    )
    for row in ocds_contracts(repo.db):
        released = dt.datetime.fromisoformat(row["release_date"]) if row["release_date"] else None
        history.add(
            str(row["ocid"]),
            str(row["ocds_id"]),
            KnownContract(str(row["supplier"]), str(row["title"]), released),
        )
    return history


@dataclass
class AppliedImport:
    """What an import wrote."""

    plan: ImportPlan
    summary: ImportSummary
    recorded: int = 0
    """Provenance rows and supplier identifiers written (none when the import changed nothing)."""


def apply_import(
    repo: Repository,
    job: ImportJob,
    now: dt.datetime,
    *,
    expected: ImportPlan | None = None,
    strict: bool = False,
) -> AppliedImport:
    """Write every accepted record and its provenance in one transaction.

    With ``strict``, any rejected row stops the import and nothing is written.
    With ``expected`` (the plan shown to the user), a register that changed
    since then raises ``StaleRecord`` and nothing is written.
    """
    with write_transaction(repo.db):
        plan = job.preview(repo)
        if strict and plan.rejections:
            raise InvalidInput([r.line() for r in plan.rejections])
        if expected is not None and plan.records != expected.records:
            raise StaleRecord(
                "the register changed since the import was previewed; preview it again"
            )
        summary = repo.import_register(plan.records)
        recorded = record_provenance(repo.db, _entries(repo, plan), now)
    return AppliedImport(plan, summary, recorded)


def _entries(repo: Repository, plan: ImportPlan) -> list[ProvenanceEntry]:
    written = {
        (change.kind, change.key.casefold())
        for change in plan.changes
        if change.action != "unchanged"
    }
    entries = []
    for draft in plan.provenance:
        supplier_id = repo.find_supplier(draft.supplier).id
        contract_id = None
        if draft.contract is not None:
            row = repo.db.execute(
                "SELECT id FROM contracts WHERE supplier_id = ? AND title = ? COLLATE NOCASE",
                [supplier_id, draft.contract],
            ).fetchone()
            contract_id = int(row[0]) if row is not None else None
        entries.append(
            ProvenanceEntry(
                supplier_id=supplier_id,
                contract_id=contract_id,
                source_kind=draft.source_kind,
                source_file=draft.source_file,
                row_number=draft.row,
                ocid=draft.ocid,
                ocds_id=draft.ocds_id,
                release_id=draft.release_id,
                release_date=draft.release_date,
                defaulted=list(draft.defaulted),
                identifiers=list(draft.identifiers),
                written=("supplier", draft.supplier.casefold()) in written
                or (
                    draft.contract is not None
                    and ("contract", f"{draft.supplier} / {draft.contract}".casefold()) in written
                ),
            )
        )
    return entries


# -- many OCDS files in one call ----------------------------------------------------


def ocds_paths(named: Iterable[Path]) -> list[Path]:
    """The files to import: each file named, and every ``*.json`` file directly in each folder
    named (in name order); each file once.  A folder without any is one ``BadFile`` line."""
    out: dict[Path, None] = {}
    for path in named:
        if path.is_dir():
            found = sorted(
                (p for p in path.iterdir() if p.suffix.casefold() == ".json" and p.is_file()),
                key=lambda p: p.name.casefold(),
            )
            if not found:
                raise BadFile(f"{path}: a folder with no .json files")
            out.update(dict.fromkeys(found))
        else:
            out[path] = None
    return list(out)


class OcdsBatch:
    """The register and the OCDS history as they stand, kept between the files of one
    import: read once, then brought up to date from what each file wrote (its suppliers and
    their contracts read back), so importing many files costs one read, not one per file.
    Read again whole if another connection has written to the database in between."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self._register: Register | None = None
        self._history = OcdsHistory()
        self._suppliers: dict[str, Supplier] = {}
        self._contracts: dict[tuple[str, str], Contract] = {}
        self._version: object = None

    def _data_version(self) -> object:
        return self.repo.db.execute("PRAGMA data_version").fetchone()[0]

    def known(self) -> tuple[Register, OcdsHistory]:
        version = self._data_version()
        if self._register is None or version != self._version:
            self._register = self.repo.load_register()
            self._history = load_history(self.repo)
            self._suppliers = {s.name.casefold(): s for s in self._register.suppliers}
            self._contracts = {
                (c.supplier.casefold(), c.title.casefold()): c for c in self._register.contracts
            }
            self._version = version
        return self._register, self._history

    def written(self, plan: ImportPlan) -> None:
        """Bring the kept register and history up to date with what ``plan`` wrote."""
        if self._register is None:
            return
        if plan.records.people:
            self._register = None  # an OCDS import never stages people; be safe if one does
            return
        names = {s.name for s in plan.records.suppliers} | {
            c.supplier for c in plan.records.contracts
        }
        for name in names:
            record = self.repo.find_supplier(name)
            self._suppliers[name.casefold()] = Supplier.model_validate(
                record.model_dump(include=set(Supplier.model_fields))
            )
            for contract in self.repo.list_contracts(record.id):
                self._contracts[(contract.supplier.casefold(), contract.title.casefold())] = (
                    Contract.model_validate(contract.model_dump(include=set(Contract.model_fields)))
                )
        if names:
            self._register = self._register.model_copy(
                update={
                    "suppliers": list(self._suppliers.values()),
                    "contracts": list(self._contracts.values()),
                }
            )
        for draft in plan.provenance:
            for identifier in draft.identifiers:
                self._history.identifiers.setdefault(identifier, draft.supplier)
            if draft.ocid and draft.ocds_id and draft.contract:
                self._history.add(
                    draft.ocid,
                    draft.ocds_id,
                    KnownContract(draft.supplier, draft.contract, draft.release_date),
                )


@dataclass
class FileOutcome:
    """What importing one file of several did: its plan, or why the file was refused."""

    path: Path
    plan: ImportPlan | None = None
    refused: str | None = None
    """One line: why nothing from the file was written."""


def _reason(exc: RegisterError) -> str:
    if isinstance(exc, InvalidInput):
        more = len(exc.problems) - 1
        return exc.problems[0] + (f" (and {more} more)" if more > 0 else "")
    return exc.message


def import_ocds_files(
    repo: Repository,
    paths: Sequence[Path],
    now: dt.datetime,
    *,
    buyer: str | None = None,
    dry_run: bool = False,
    outcomes: list[FileOutcome] | None = None,
) -> list[FileOutcome]:
    """Import several OCDS files over one connection, each in its own transaction (all or
    nothing per file, as a single import); a file that cannot be imported is refused with its
    reason and the others go on.  Each file's outcome is appended to ``outcomes`` (when given)
    as soon as it is known, so a caller interrupted part way can say what was written.

    A dry run needs ``repo`` to be a private in-memory copy (``preview_register``): each file
    is applied to the copy in turn, as a real import applies it to the file, so each is
    previewed on top of the ones before it and the totals are those a real import would have."""
    outcomes = [] if outcomes is None else outcomes
    if dry_run and not _in_memory(repo):
        raise ValueError("a dry run of many files needs a private in-memory copy of the register")
    batch = OcdsBatch(repo)
    for path in paths:
        try:
            job = open_ocds(path, buyer)
            job.batch = batch
            plan = apply_import(repo, job, now).plan
        except RegisterError as exc:
            reason = _reason(exc)
            prefix = f"{path.name}: "
            reason = reason.removeprefix(str(path) + ": ").removeprefix(prefix)
            outcomes.append(FileOutcome(path, refused=reason))
            continue
        outcomes.append(FileOutcome(path, plan=plan))
        batch.written(plan)
    return outcomes


def _in_memory(repo: Repository) -> bool:
    """True when the register's main database is in memory (no file behind it)."""
    return not any(row[1] == "main" and row[2] for row in repo.db.execute("PRAGMA database_list"))


def _count(outcomes: Sequence[FileOutcome], kind: RecordKind, action: Action) -> int:
    return sum(o.plan.count(kind, action) for o in outcomes if o.plan is not None)


def batch_lines(outcomes: Sequence[FileOutcome], *, applied: bool) -> list[str]:
    """One line per file, its rejected awards, then one summary with the totals and every
    refused file with its reason."""
    lines: list[str] = []
    for outcome in outcomes:
        plan = outcome.plan
        if plan is None:
            continue
        counts = "; ".join(
            f"{label}: {_totals([outcome], action)}" for label, action in _actions(applied)
        )
        rejected = len(plan.rejected_locations)
        lines.append(
            f"{outcome.path.name}: {counts}"
            + (f"; rejected: {rejected} (not imported)" if rejected else "")
        )
        lines += [f"  rejected: {r.line()}" for r in plan.rejections]
    done = [o for o in outcomes if o.plan is not None]
    refused = [o for o in outcomes if o.refused is not None]
    rejected = sum(len(o.plan.rejected_locations) for o in done if o.plan is not None)
    verb = "Imported" if applied else "Checked (dry run: nothing written)"
    lines.append(
        f"{verb} {len(done)} of {len(outcomes)} files"
        + (", each in one transaction" if applied and done else "")
        + ":"
    )
    for label, action in _actions(applied):
        lines.append(f"  {label}: {_totals(done, action)}")
    with_rejections = sum(1 for o in done if o.plan is not None and o.plan.rejections)
    lines.append(
        f"  rejected: {rejected} awards/contracts"
        + (f" in {with_rejections} file(s), not imported (listed above)" if rejected else "")
    )
    lines.append(
        f"  refused: {len(refused)} file(s)" + (", nothing written from them:" if refused else "")
    )
    lines += [f"    {o.path.name}: {o.refused}" for o in refused]
    return lines


def _actions(applied: bool) -> tuple[tuple[str, Action], ...]:
    verb = "" if applied else "would be "
    return ((f"{verb}created", "create"), (f"{verb}updated", "update"), ("unchanged", "unchanged"))


def _totals(outcomes: Sequence[FileOutcome], action: Action) -> str:
    kinds: tuple[RecordKind, ...] = ("supplier", "contract")
    counts = [(_count(outcomes, kind, action), kind) for kind in kinds]
    parts = [f"{n} {kind}{'' if n == 1 else 's'}" for n, kind in counts if n]
    return ", ".join(parts) or "nothing"
