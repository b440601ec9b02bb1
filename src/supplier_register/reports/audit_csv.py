"""``audit --format csv``: audit entries as CSV, every text cell guarded against formula
injection and with its control characters shown escaped."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, Protocol

from supplier_register.domain.textsafety import json_controls
from supplier_register.reports.safety import csv_text


class AuditRow(Protocol):
    """What the CSV needs of an audit entry (``storage.audit.AuditEntry`` is one)."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def table(self) -> str: ...
    @property
    def record_id(self) -> int | None: ...
    @property
    def record(self) -> str: ...
    @property
    def supplier(self) -> str | None: ...
    @property
    def old(self) -> dict[str, Any] | None: ...
    @property
    def new(self) -> dict[str, Any] | None: ...
    def summary(self) -> str: ...


AUDIT_CSV_COLUMNS = [
    "id",
    "at_utc",
    "actor",
    "action",
    "table",
    "record_id",
    "record",
    "supplier",
    "changes",
    "old_values",
    "new_values",
]


def audit_csv(entries: Iterable[AuditRow]) -> str:
    """Audit entries as CSV, every text cell guarded against formula injection and with its
    control characters shown escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            csv_text(value) if isinstance(value, str) else value
            for value in (
                e.id,
                e.at,
                e.actor,
                e.action,
                e.table,
                "" if e.record_id is None else e.record_id,
                e.record,
                e.supplier or "",
                e.summary(),
                "" if e.old is None else json_controls(json.dumps(e.old, ensure_ascii=False)),
                "" if e.new is None else json_controls(json.dumps(e.new, ensure_ascii=False)),
            )
        )
    return buffer.getvalue()
