"""Keeping the register safe: the audit log (read, verify), backups and restores."""

from __future__ import annotations

from pathlib import Path

from supplier_register.reports.audit_csv import audit_csv
from supplier_register.storage.audit import (
    AuditCheck,
    AuditEntry,
    AuditReader,
    parse_head,
    parse_since,
    verify_audit,
)
from supplier_register.storage.backup import backup_database, restore_database
from supplier_register.storage.db import open_database
from supplier_register.storage.repository import Repository

__all__ = [
    "AuditCheck",
    "AuditEntry",
    "AuditReader",
    "audit_csv",
    "backup_register",
    "parse_head",
    "parse_since",
    "restore_database",
    "verify_audit",
]


def backup_register(source: Path, target: Path, *, force: bool) -> tuple[Path, dict[str, int]]:
    """Copy the register at ``source`` to ``target``; the copy's path and its record counts."""
    db = open_database(source, create=False)
    try:
        path = backup_database(db, target, force=force)
        counts = Repository(db).counts()
    finally:
        db.close()
    return path, counts
