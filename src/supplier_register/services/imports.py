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
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from supplier_register.domain.errors import BadFile, InvalidInput, StaleRecord
from supplier_register.importers.mapping import ColumnMapping, load_mapping
from supplier_register.importers.ocds import JSON, KnownContract, OcdsHistory, load_json, plan_ocds
from supplier_register.importers.plan import ImportPlan
from supplier_register.importers.report import outcome_line as outcome_line
from supplier_register.importers.report import plan_lines as plan_lines
from supplier_register.importers.tabular import (
    SPREADSHEET_SUFFIXES,
    RawTable,
    plan_table,
    read_table,
)
from supplier_register.storage import ImportSummary, Repository, write_transaction
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
        return plan_table(self.table, repo.load_register(), self.mapping)


@dataclass
class OcdsImport:
    """Published contract data (OCDS JSON), and the buyer whose contracts to take."""

    path: Path
    data: JSON
    buyer: str | None = None

    def preview(self, repo: Repository) -> ImportPlan:
        return plan_ocds(
            self.data, self.path.name, repo.load_register(), load_history(repo), self.buyer
        )


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
    history = OcdsHistory(identifiers=supplier_identifiers(repo.db))
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
        record_provenance(repo.db, _entries(repo, plan), now)
    return AppliedImport(plan, summary)


def _entries(repo: Repository, plan: ImportPlan) -> list[ProvenanceEntry]:
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
            )
        )
    return entries
