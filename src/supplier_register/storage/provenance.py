"""Provenance of imported records: which file, row, OCID and release each came from.

Kept beside the register (tables ``import_provenance`` and
``supplier_identifiers``) so the supplier screen can say where a record came
from, and a later import of the same published data updates the same
contracts instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlite_utils import Database

from supplier_register.domain.bounds import STORED
from supplier_register.domain.errors import NotFound
from supplier_register.domain.models import ImportSource, SupplierIdentifier


class Provenance(BaseModel):
    """Where one imported supplier or contract came from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supplier_id: int
    contract_id: int | None = None
    contract_title: str | None = None
    source_kind: Literal["spreadsheet", "ocds"]
    source_file: str
    row_number: int | None = None
    ocid: str | None = None
    ocds_id: str | None = Field(default=None, description="'award:1' or 'contract:1'.")
    release_id: str | None = None
    release_date: dt.datetime | None = None
    defaulted: list[str] = Field(
        default_factory=list, description="Fields the source lacked, filled with defaults."
    )
    imported_at: dt.datetime

    def describe(self) -> str:
        """One line for people: what it came from and when it was imported."""
        what = f"contract {self.contract_title!r}" if self.contract_title else "supplier"
        when = self.imported_at.strftime("%Y-%m-%d %H:%M")
        if self.source_kind == "ocds":
            kind, _, ident = (self.ocds_id or "").partition(":")
            release = f", release {self.release_id}" if self.release_id else ""
            dated = f" of {self.release_date.date().isoformat()}" if self.release_date else ""
            origin = f"OCDS {self.ocid} {kind} {ident}".rstrip() + release + dated
            line = f"{what}: {origin}, from {self.source_file}, imported {when}"
        else:
            row = f" row {self.row_number}" if self.row_number else ""
            line = f"{what}: {self.source_file}{row}, imported {when}"
        if self.defaulted:
            line += f"; not in the source, set by default: {', '.join(self.defaulted)}"
        return line


class ProvenanceEntry(BaseModel):
    """Provenance to record for a record already written, identified by its ids."""

    supplier_id: int
    contract_id: int | None
    source_kind: Literal["spreadsheet", "ocds"]
    source_file: str
    row_number: int | None = None
    ocid: str | None = None
    ocds_id: str | None = None
    release_id: str | None = None
    release_date: dt.datetime | None = None
    defaulted: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)
    written: bool = Field(
        default=True,
        description="Whether the import wrote the record (created or changed it); a record "
        "left unchanged keeps its provenance, time of import included, unless that changed.",
    )

    @property
    def source_key(self) -> str:
        """What makes two imports 'the same source' for one record, so re-imports replace."""
        if self.source_kind == "ocds":
            return f"ocds:{self.ocid}:{self.ocds_id}"
        return f"spreadsheet:{self.source_file}"


def _rows(db: Database, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def record_provenance(db: Database, entries: Iterable[ProvenanceEntry], now: dt.datetime) -> int:
    """Store provenance, replacing what an earlier import of the same source stored.

    Call inside the import's write transaction so records and their provenance
    are written together or not at all.  A re-import that changes nothing
    writes nothing: a record left unchanged keeps its stored provenance (and
    its time of import) unless where it came from changed (another row, a
    later release).  Returns how many provenance rows and identifiers were
    written.
    """
    stamp = now.isoformat(timespec="seconds")
    written = 0
    for entry in entries:
        release_date = entry.release_date.isoformat() if entry.release_date else None
        existing = db.execute(
            "SELECT id, defaulted, source_file, row_number, release_id, release_date, "
            "source_key, ocds_id FROM import_provenance WHERE supplier_id = ? "
            "AND IFNULL(contract_id, 0) = IFNULL(?, 0) AND source_key = ?",
            [entry.supplier_id, entry.contract_id, entry.source_key],
        ).fetchone()
        if existing is None and entry.source_kind == "ocds":
            # A re-issued notice: the same process's contract under a new award id.
            existing = db.execute(
                "SELECT id, defaulted, source_file, row_number, release_id, release_date, "
                "source_key, ocds_id FROM import_provenance WHERE supplier_id = ? "
                "AND IFNULL(contract_id, 0) = IFNULL(?, 0) AND source_kind = 'ocds' "
                "AND ocid = ? ORDER BY id DESC LIMIT 1",
                [entry.supplier_id, entry.contract_id, entry.ocid],
            ).fetchone()
        if existing is None:
            db.execute(
                "INSERT INTO import_provenance (supplier_id, contract_id, source_kind, source_key, "
                "source_file, row_number, ocid, ocds_id, release_id, release_date, defaulted, "
                "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    entry.supplier_id,
                    entry.contract_id,
                    entry.source_kind,
                    entry.source_key,
                    entry.source_file,
                    entry.row_number,
                    entry.ocid,
                    entry.ocds_id,
                    entry.release_id,
                    release_date,
                    json.dumps(entry.defaulted),
                    stamp,
                ],
            )
            written += 1
        else:
            # A default applied on first import stays 'defaulted' until someone edits it;
            # an update never applies defaults, so keep the earlier list.
            kept = json.dumps(entry.defaulted or json.loads(existing[1]))
            values = [
                entry.source_key,
                entry.ocds_id,
                entry.source_file,
                entry.row_number,
                entry.release_id,
                release_date,
                kept,
            ]
            stored = [existing[6], existing[7], *existing[2:6], existing[1]]
            if entry.written or values != stored:
                db.execute(
                    "UPDATE import_provenance SET source_key = ?, ocds_id = ?, source_file = ?, "
                    "row_number = ?, release_id = ?, release_date = ?, defaulted = ?, "
                    "imported_at = ? WHERE id = ?",
                    [*values, stamp, existing[0]],
                )
                written += 1
        for identifier in entry.identifiers:
            written += db.execute(
                "INSERT OR IGNORE INTO supplier_identifiers (identifier, supplier_id) VALUES (?, ?)",
                [identifier, entry.supplier_id],
            ).rowcount
    return written


_PROVENANCE_SQL = (
    "SELECT p.*, c.title AS contract_title FROM import_provenance p "
    "LEFT JOIN contracts c ON c.id = p.contract_id {where} "
    "ORDER BY p.supplier_id, p.imported_at DESC, c.title COLLATE NOCASE, p.id"
)


def provenance_for_supplier(db: Database, supplier_id: int) -> list[Provenance]:
    """Everything recorded about where a supplier and its contracts came from, newest first."""
    if db.execute("SELECT 1 FROM suppliers WHERE id = ?", [supplier_id]).fetchone() is None:
        raise NotFound(f"supplier: no supplier with id {supplier_id}")
    rows = _rows(db, _PROVENANCE_SQL.format(where="WHERE p.supplier_id = ?"), [supplier_id])
    return _provenance(rows)


def provenance_by_supplier(db: Database) -> dict[int, list[Provenance]]:
    """The provenance of every imported supplier, by supplier id (one query, for screens)."""
    out: dict[int, list[Provenance]] = {}
    for record in _provenance(_rows(db, _PROVENANCE_SQL.format(where=""))):
        out.setdefault(record.supplier_id, []).append(record)
    return out


def _provenance(rows: list[dict[str, Any]]) -> list[Provenance]:
    return [
        Provenance(
            supplier_id=r["supplier_id"],
            contract_id=r["contract_id"],
            contract_title=r["contract_title"],
            source_kind=r["source_kind"],
            source_file=r["source_file"],
            row_number=r["row_number"],
            ocid=r["ocid"],
            ocds_id=r["ocds_id"],
            release_id=r["release_id"],
            release_date=r["release_date"],
            defaulted=json.loads(r["defaulted"]),
            imported_at=r["imported_at"],
        )
        for r in rows
    ]


def supplier_identifiers(db: Database, supplier_id: int | None = None) -> dict[str, str]:
    """Organisation identifiers ('GB-COH-01234567') -> supplier name, of one supplier or all."""
    where, params = ("WHERE i.supplier_id = ?", [supplier_id]) if supplier_id else ("", [])
    rows = db.execute(
        f"SELECT i.identifier, s.name FROM supplier_identifiers i "
        f"JOIN suppliers s ON s.id = i.supplier_id {where}",
        params,
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def ocds_contracts(db: Database) -> list[dict[str, Any]]:
    """Every contract imported from OCDS: OCID, award or contract id, supplier, title, release,
    in the order the contracts were created (how lots of one title are paired on re-issue)."""
    return _rows(
        db,
        "SELECT p.ocid, p.ocds_id, s.name AS supplier, c.title, p.release_date "
        "FROM import_provenance p JOIN suppliers s ON s.id = p.supplier_id "
        "JOIN contracts c ON c.id = p.contract_id WHERE p.source_kind = 'ocds' "
        "ORDER BY p.contract_id, p.id",
    )


# -- the interchange (format version 4) -------------------------------------------


_SOURCES_SQL = (
    "SELECT s.name AS supplier, c.title AS contract, p.* FROM import_provenance p "
    "JOIN suppliers s ON s.id = p.supplier_id LEFT JOIN contracts c ON c.id = p.contract_id "
    "ORDER BY s.name COLLATE NOCASE, s.id, c.title COLLATE NOCASE, c.id, p.source_key, p.id"
)


def iter_import_sources(db: Database) -> Iterator[ImportSource]:
    """Every stored provenance row as the interchange holds it, by supplier and contract."""
    cursor = db.execute(_SOURCES_SQL)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        yield ImportSource.model_validate(
            {
                "supplier": row["supplier"],
                "contract": row["contract"],
                "source_kind": row["source_kind"],
                "source_file": row["source_file"],
                "row_number": row["row_number"],
                "ocid": row["ocid"],
                "ocds_id": row["ocds_id"],
                "release_id": row["release_id"],
                "release_date": row["release_date"],
                "defaulted": json.loads(row["defaulted"]),
                "imported_at": row["imported_at"],
            },
            context=STORED,
        )


def iter_identifiers(db: Database) -> Iterator[SupplierIdentifier]:
    """Every supplier identifier as the interchange holds it, by supplier name then identifier."""
    for supplier, identifier in db.execute(
        "SELECT s.name, i.identifier FROM supplier_identifiers i "
        "JOIN suppliers s ON s.id = i.supplier_id "
        "ORDER BY s.name COLLATE NOCASE, s.id, i.identifier"
    ):
        yield SupplierIdentifier(supplier=supplier, identifier=identifier)


Outcome = Literal["created", "updated", "unchanged"]


def _stamp(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def upsert_import_source(
    db: Database, supplier_id: int, contract_id: int | None, source: ImportSource
) -> Outcome:
    """Store one provenance row from the interchange; a row equal to the stored one is left
    untouched (no write, no audit entry)."""
    values = {
        "source_kind": source.source_kind,
        "source_file": source.source_file,
        "row_number": source.row_number,
        "ocid": source.ocid,
        "ocds_id": source.ocds_id,
        "release_id": source.release_id,
        "release_date": _stamp(source.release_date),
        "defaulted": json.dumps(source.defaulted),
        "imported_at": _stamp(source.imported_at),
    }
    columns = list(values)
    row = db.execute(
        f"SELECT id, {', '.join(columns)} FROM import_provenance WHERE supplier_id = ? "
        "AND IFNULL(contract_id, 0) = IFNULL(?, 0) AND source_key = ?",
        [supplier_id, contract_id, source.source_key],
    ).fetchone()
    if row is None:
        db.execute(
            "INSERT INTO import_provenance (supplier_id, contract_id, source_key, "
            f"{', '.join(columns)}) VALUES (?, ?, ?, {', '.join('?' for _ in columns)})",
            [supplier_id, contract_id, source.source_key, *values.values()],
        )
        return "created"
    if tuple(row[1:]) == tuple(values.values()):
        return "unchanged"
    db.execute(
        f"UPDATE import_provenance SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
        [*values.values(), row[0]],
    )
    return "updated"


def upsert_identifier(db: Database, supplier_id: int, identifier: str) -> Outcome:
    """Record that ``identifier`` names the supplier (moving it from another, as the file says)."""
    row = db.execute(
        "SELECT supplier_id FROM supplier_identifiers WHERE identifier = ?", [identifier]
    ).fetchone()
    if row is None:
        db.execute(
            "INSERT INTO supplier_identifiers (identifier, supplier_id) VALUES (?, ?)",
            [identifier, supplier_id],
        )
        return "created"
    if int(row[0]) == supplier_id:
        return "unchanged"
    db.execute(
        "UPDATE supplier_identifiers SET supplier_id = ? WHERE identifier = ?",
        [supplier_id, identifier],
    )
    return "updated"
