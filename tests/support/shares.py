"""Shared files (``export --format share``) written by hand, small, for the ICS view's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def supplier(name: str, **fields: Any) -> dict[str, Any]:
    """A supplier row as `export --format share` writes it (fields override the defaults)."""
    row: dict[str, Any] = {
        "name": name,
        "company_number": None,
        "identifiers": [],
        "category": "other",
        "criticality": "medium",
        "sme": None,
        "parent_group": None,
        "shared_with": [],
        "score": 40,
        "band": "high",
        "next_decide_by": None,
    }
    row.update(fields)
    return row


def contract(supplier: str, title: str, **fields: Any) -> dict[str, Any]:
    """A contract row as `export --format share` writes it (fields override the defaults)."""
    row: dict[str, Any] = {
        "supplier": supplier,
        "title": title,
        "what_is_bought": "licence",
        "procurement_route": "framework",
        "start_date": None,
        "end_date": None,
        "notice_period_days": None,
        "auto_renewal": None,
        "migration_lead_time_days": None,
        "decide_by": None,
    }
    row.update(fields)
    return row


def share_document(
    trust: str | None,
    suppliers: list[dict[str, Any]],
    contracts: list[dict[str, Any]] | None = None,
    *,
    exported_at: str = "2026-11-26T09:00:00+00:00",
    as_of: str = "2026-11-26",
) -> dict[str, Any]:
    """A whole shared file's content, default redaction policy."""
    return {
        "format": "supplier-register-share",
        "format_version": 1,
        "shared": {
            "trust": trust,
            "exported_by": "Test CIO",
            "exported_at": exported_at,
            "as_of": as_of,
            "policy": {
                "redacted": ["notes", "evidence", "people", "values", "provenance"],
                "kept": [],
            },
        },
        "suppliers": suppliers,
        "contracts": contracts or [],
        "answers": [],
    }


def write_share(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
