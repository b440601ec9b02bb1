"""The register as shared with partner trusts (``export --format share``), redacted.

The file is built from a whitelist: each supplier's and contract's facts a partner trust
needs to line registers up (criticality, category, identifiers, score and band, contract
dates, notice period, decide-by date, route, who else uses the supplier), and the
redactable fields of :data:`~supplier_register.scoring.config.SHARE_FIELDS` only when the
policy keeps them.  Services, dependencies and review actions are never in it.  The
``shared`` header says who exported it, when, for which trust and under which policy.

Structure (``format`` ``supplier-register-share``, ``format_version`` 1)::

    {"format", "format_version",
     "shared": {"trust", "exported_by", "exported_at", "as_of",
                "policy": {"redacted": [...], "kept": [...]}},
     "suppliers": [{"name", "company_number", "identifiers", "category", "criticality",
                    "sme", "parent_group", "shared_with", "score", "band",
                    "next_decide_by", ("owner"), ("annual_spend"), ("notes")}],
     "contracts": [{"supplier", "title", "what_is_bought", "procurement_route",
                    "start_date", "end_date", "notice_period_days", "auto_renewal",
                    "migration_lead_time_days", "decide_by", ("annual_value",
                    "total_value", "lifetime_cost"), ("notes")}],
     "answers": [{"supplier", "question_id", "answer", "answered_on", ("answered_by"),
                  ("evidence")}],
     ("people": [{"name", "role", "contact"}]),
     ("provenance": [{"supplier", "contract", "source_kind", "source_file", "row_number"}])}

Fields in brackets are present only when the policy keeps them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from supplier_register.domain.models import (
    Answer,
    Contract,
    ImportSource,
    Person,
    Supplier,
    SupplierIdentifier,
)
from supplier_register.scoring.config import SHARE_FIELDS

SHARE_FORMAT = "supplier-register-share"
SHARE_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ShareHeader:
    """Who shared the file, when, for which trust, under which policy (fields redacted)."""

    trust: str | None
    exported_by: str
    exported_at: dt.datetime
    as_of: dt.date
    redacted: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SharedScore:
    """A supplier's score and band as the sharing trust scored it, and its next decide-by."""

    score: int
    band: str
    next_decide_by: dt.date | None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def share_document(
    header: ShareHeader,
    suppliers: Iterable[Supplier],
    contracts: Iterable[Contract],
    answers: Iterable[Answer],
    people: Iterable[Person],
    provenance: Iterable[ImportSource],
    identifiers: Iterable[SupplierIdentifier],
    scores: Mapping[str, SharedScore],
) -> dict[str, Any]:
    """The shared file's content: only whitelisted fields, and those the policy keeps."""
    unknown = set(header.redacted) - set(SHARE_FIELDS)
    if unknown:
        raise ValueError(f"unknown share field {sorted(unknown)[0]!r}")
    keep = {f for f in SHARE_FIELDS if f not in header.redacted}
    ids: dict[str, list[str]] = {}
    for found in identifiers:
        ids.setdefault(found.supplier, []).append(found.identifier)
    shared_suppliers = []
    for s in suppliers:
        scored = scores.get(s.name)
        row: dict[str, Any] = {
            "name": s.name,
            "company_number": s.company_number,
            "identifiers": sorted(ids.get(s.name, [])),
            "category": s.category.value,
            "criticality": s.criticality.value,
            "sme": s.sme,
            "parent_group": s.parent_group,
            "shared_with": list(s.shared_with),
            "score": None if scored is None else scored.score,
            "band": None if scored is None else scored.band,
            "next_decide_by": None if scored is None else _day(scored.next_decide_by),
        }
        if "people" in keep:
            row["owner"] = s.owner
        if "values" in keep:
            row["annual_spend"] = _money(s.annual_spend)
        if "notes" in keep:
            row["notes"] = s.notes
        shared_suppliers.append(row)
    shared_contracts = []
    for c in contracts:
        crow: dict[str, Any] = {
            "supplier": c.supplier,
            "title": c.title,
            "what_is_bought": c.what_is_bought.value,
            "procurement_route": c.procurement_route.value,
            "start_date": _day(c.start_date),
            "end_date": _day(c.end_date),
            "notice_period_days": c.notice_period_days,
            "auto_renewal": c.auto_renewal,
            "migration_lead_time_days": c.migration_lead_time_days,
            "decide_by": _day(c.decide_by()),
        }
        if "values" in keep:
            crow["annual_value"] = _money(c.annual_value)
            crow["total_value"] = _money(c.total_value)
            crow["lifetime_cost"] = _money(c.lifetime_cost)
        if "notes" in keep:
            crow["notes"] = c.notes
        shared_contracts.append(crow)
    shared_answers = []
    for a in answers:
        arow: dict[str, Any] = {
            "supplier": a.supplier,
            "question_id": a.question_id,
            "answer": a.answer.value,
            "answered_on": _day(a.answered_on),
        }
        if "people" in keep:
            arow["answered_by"] = a.answered_by
        if "evidence" in keep:
            arow["evidence"] = a.evidence
        shared_answers.append(arow)
    document: dict[str, Any] = {
        "format": SHARE_FORMAT,
        "format_version": SHARE_FORMAT_VERSION,
        "shared": {
            "trust": header.trust,
            "exported_by": header.exported_by,
            "exported_at": header.exported_at.isoformat(timespec="seconds"),
            "as_of": header.as_of.isoformat(),
            "policy": {
                "redacted": [f for f in SHARE_FIELDS if f in header.redacted],
                "kept": [f for f in SHARE_FIELDS if f in keep],
            },
        },
        "suppliers": shared_suppliers,
        "contracts": shared_contracts,
        "answers": shared_answers,
    }
    if "people" in keep:
        document["people"] = [
            {"name": p.name, "role": p.role.value, "contact": p.contact} for p in people
        ]
    if "provenance" in keep:
        document["provenance"] = [
            {
                "supplier": p.supplier,
                "contract": p.contract,
                "source_kind": p.source_kind,
                "source_file": p.source_file,
                "row_number": p.row_number,
            }
            for p in provenance
        ]
    return document


def share_json(document: Mapping[str, Any]) -> str:
    """The shared file's text: indented JSON, keys in the order built."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
