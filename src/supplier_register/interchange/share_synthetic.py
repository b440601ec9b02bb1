"""Synthetic shared files (``export --format share``) of many trusts, for benchmarks and scale tests.

Seeded and reproducible: the same arguments always give the same files.  Each trust
draws a proportion of its suppliers (``common``) from a national pool, spelt the way
trusts really spell one company ("Acme Health Ltd", "ACME HEALTH LIMITED", "Acme
Health"), with the company number given, or only a ``GB-COH-`` identifier, or neither;
the rest are the trust's own.  So matching by identifier and by name is exercised and
joint windows are found.  About 1.5 contracts a supplier, and answers to the principle-6
questions as a register holds them (many for strategic suppliers, few for low ones: about
six a supplier), written as ``export --format share`` writes them (indented).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from supplier_register.domain.bounds import add_days
from supplier_register.interchange.share import SHARE_FORMAT, SHARE_FORMAT_VERSION
from supplier_register.scoring.questions import question_ids

_CRITICALITY = ("strategic", "high", "medium", "low")
_CRITICALITY_WEIGHTS = (2, 10, 30, 58)
_CATEGORY = ("epr", "imaging_pacs", "cloud_hosting", "devices", "managed_service", "other")
_WORDS = [
    "Acme",
    "Alder",
    "Birch",
    "Cedar",
    "Delta",
    "Ember",
    "Fern",
    "Granite",
    "Harbour",
    "Iris",
    "Juniper",
    "Kestrel",
    "Linden",
    "Maple",
    "Northern",
    "Oak",
    "Pennine",
    "Quarry",
    "Raven",
    "Summit",
    "Thames",
    "Upland",
    "Vale",
    "Willow",
    "Yew",
    "Zenith",
]
_TRADES = ("Health", "Digital", "Systems", "Imaging", "Data", "Networks", "Software", "Cloud")
_ANSWERS = {"strategic": 25, "high": 15, "medium": 8, "low": 3}
"""Questions answered, by the supplier's criticality (about six a supplier on average)."""
_ANSWER_VALUES = ("yes", "partly", "no", "unknown", "not_applicable")


def _band(score: int) -> str:
    if score >= 60:
        return "severe"
    if score >= 32:
        return "high"
    return "medium" if score >= 16 else "low"


def _spelling(name: str, rng: random.Random) -> str:
    """One trust's way of writing a company's name; every one normalises to the same key."""
    choice = rng.random()
    if choice < 0.4:
        return f"{name} Ltd"
    if choice < 0.6:
        return f"{name} Limited".upper()
    if choice < 0.8:
        return name
    return f"The {name} Ltd."


def synthetic_share_documents(
    trusts: int,
    suppliers: int,
    *,
    seed: int = 1,
    today: dt.date = dt.date(2026, 11, 26),
    common: float = 0.4,
    answers: bool = True,
) -> Iterator[dict[str, Any]]:
    """``trusts`` shared files' contents of ``suppliers`` suppliers each (see the module);
    ``answers=False`` leaves every file's answers out (an empty list)."""
    rng = random.Random(seed)
    questions = question_ids()
    pool_size = max(1, int(suppliers * common * 3))
    national = [
        (f"{_WORDS[i % len(_WORDS)]} {_TRADES[(i // len(_WORDS)) % len(_TRADES)]} {i}", i)
        for i in range(pool_size)
    ]
    for t in range(trusts):
        trust = f"Synthetic Trust {t + 1:03d} NHS Foundation Trust"
        shared = min(int(suppliers * common), pool_size)
        rows: list[dict[str, Any]] = []
        contracts: list[dict[str, Any]] = []
        given: list[dict[str, Any]] = []
        picked = rng.sample(national, shared)
        own = [(f"Local Supplier {t + 1}-{i}", None) for i in range(suppliers - shared)]
        for base, number in [*picked, *own]:
            name = base if number is None else _spelling(base, rng)
            company = None if number is None else f"{10_000_000 + number:08d}"
            how = rng.random()
            score = rng.randint(0, 100)
            ends = [add_days(today, rng.randint(-365, 5 * 365)) for _ in range(rng.choice((1, 2)))]
            decide = []
            for k, end in enumerate(ends):
                notice = rng.choice((30, 90, 180, 365))
                migration = rng.choice((0, 90, 180, 365))
                known = rng.random() > 0.05
                decide_by = add_days(end, -(notice + migration)) if known else None
                decide.append(decide_by)
                contracts.append(
                    {
                        "supplier": name,
                        "title": f"{base} contract {k + 1}",
                        "what_is_bought": "configurable_product",
                        "procurement_route": "framework",
                        "start_date": add_days(end, -3 * 365).isoformat(),
                        "end_date": end.isoformat() if known else None,
                        "notice_period_days": notice,
                        "auto_renewal": rng.random() < 0.3,
                        "migration_lead_time_days": migration,
                        "decide_by": None if decide_by is None else decide_by.isoformat(),
                    }
                )
            upcoming = sorted(d for d in decide if d is not None and d >= today)
            criticality = rng.choices(_CRITICALITY, _CRITICALITY_WEIGHTS)[0]
            for question in rng.sample(questions, min(_ANSWERS[criticality], len(questions))):
                answer = {
                    "supplier": name,
                    "question_id": question,
                    "answer": rng.choice(_ANSWER_VALUES),
                    "answered_on": add_days(today, -rng.randint(0, 400)).isoformat(),
                }
                if answers:  # drawn either way, so the rest of the pool stays the same
                    given.append(answer)
            rows.append(
                {
                    "name": name,
                    "company_number": company if how < 0.6 else None,
                    "identifiers": [f"GB-COH-{company}"] if company and 0.6 <= how < 0.8 else [],
                    "category": rng.choice(_CATEGORY),
                    "criticality": criticality,
                    "sme": rng.random() < 0.3,
                    "parent_group": None,
                    "shared_with": [],
                    "score": score,
                    "band": _band(score),
                    "next_decide_by": upcoming[0].isoformat() if upcoming else None,
                }
            )
        yield {
            "format": SHARE_FORMAT,
            "format_version": SHARE_FORMAT_VERSION,
            "shared": {
                "trust": trust,
                "exported_by": "Synthetic CIO",
                "exported_at": f"{today.isoformat()}T09:00:00+00:00",
                "as_of": today.isoformat(),
                "policy": {
                    "redacted": ["notes", "evidence", "people", "values", "provenance"],
                    "kept": [],
                },
            },
            "suppliers": rows,
            "contracts": contracts,
            "answers": given,
        }


def write_share_pool(
    folder: Path,
    trusts: int,
    suppliers: int,
    *,
    seed: int = 1,
    today: dt.date = dt.date(2026, 11, 26),
    common: float = 0.4,
    answers: bool = True,
) -> list[Path]:
    """The synthetic shared files written to ``folder`` (created), one ``trust-NNN.json`` each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    documents = synthetic_share_documents(
        trusts, suppliers, seed=seed, today=today, common=common, answers=answers
    )
    for i, document in enumerate(documents):
        path = folder / f"trust-{i + 1:03d}.json"
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
        paths.append(path)
    return paths
