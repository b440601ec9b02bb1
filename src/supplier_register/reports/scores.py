"""The documented outputs of ``score`` and ``questions``: scores JSON, questions JSON and the
board-paper Markdown section (``questions --format md``), described in the README ("Scores and
board questions as JSON")."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from supplier_register import __version__
from supplier_register.reports.jsonstream import stream_document
from supplier_register.reports.mdtext import md_escape
from supplier_register.reports.model_text import MODEL_EXPLAINED, impact_text, risk_line
from supplier_register.scoring import (
    Band,
    BoardQuestion,
    KeyQuestion,
    ScoringConfig,
    SupplierOverview,
    SupplierScore,
)
from supplier_register.scoring.text import criticality_phrase, long_date

SCORES_FORMAT = "supplier-register-scores"
QUESTIONS_FORMAT = "supplier-register-questions"
JSON_VERSION = 1


def scores_json(
    today: dt.date,
    suppliers: Iterable[SupplierScore],
    top: list[BoardQuestion],
    config: ScoringConfig,
) -> Iterator[str]:
    """The documented JSON of ``score --format json``, in pieces (one per supplier)."""
    document: dict[str, Any] = {
        "format": SCORES_FORMAT,
        "format_version": JSON_VERSION,
        "generator": f"supplier-register {__version__}",
        "today": today.isoformat(),
        "bands": config.bands.model_dump(),
        "suppliers": [],
        "top_questions": [q.model_dump(mode="json") for q in top],
    }
    # pydantic writes each score as json.dumps would (a test holds it to that), several times faster.
    return stream_document(
        document,
        "suppliers",
        suppliers,
        dumps=lambda s: s.model_dump_json(indent=2, exclude=BOARD_PACK_INPUTS),
    )


BOARD_PACK_INPUTS = frozenset(
    {"decisions", "gap_phrases", "gap_priority", "exit_plan", "notice_dates"}
)
"""What scoring works out for the board pack (and the register table's notice-by column): not
part of the scores JSON, which keeps to the score and its reasons; ``board --format json`` gives
the pack (decisions and management actions) in a documented shape."""


def questions_json(asked: list[BoardQuestion], today: dt.date, supplier: str | None) -> str:
    """The documented JSON of ``questions --format json``."""
    document: dict[str, Any] = {
        "format": QUESTIONS_FORMAT,
        "format_version": JSON_VERSION,
        "generator": f"supplier-register {__version__}",
        "today": today.isoformat(),
        "supplier": supplier,
        "key_questions": {k.value: k.text for k in KeyQuestion},
        "questions": [
            {"rank": rank, **q.model_dump(mode="json")} for rank, q in enumerate(asked, 1)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def board_paper(
    asked: list[BoardQuestion],
    scored: list[SupplierOverview],
    explained: Mapping[int | None, SupplierScore],
    today: dt.date,
    trust: str | None,
    *,
    single: bool = False,
) -> str:
    """A Markdown board-paper section: the questions under principle 6's three key questions.

    ``scored`` holds every supplier's overview; ``explained`` the full score of
    each supplier a question in ``asked`` is about, by supplier id (a question's
    ``supplier_id``; names are for display only).
    """
    whose = md_escape(trust) if trust else "the trust"
    if single:
        s = scored[0]
        title = f"## {md_escape(s.supplier)}: questions for the board"
        scope = (
            f"{md_escape(s.supplier)} is a {criticality_phrase(s.criticality)} supplier to "
            f"{whose}. Scored on {long_date(today)} against principle 6: "
            f"{risk_line(s)}."
        )
    else:
        title = "## Technology suppliers: questions for the board"
        scope = (
            f"The register of {whose}'s technology suppliers was scored on {long_date(today)} "
            f"against principle 6. Of {len(scored)} suppliers, {_band_words(scored)}."
        )
    lines = [
        title,
        "",
        "Principle 6 of NHS Providers' *Digital delivery principles*, \"Get the best out of "
        'technology suppliers", asks boards three questions. ' + scope,
        "",
        (
            f"The {len(asked)} most pressing question{'s' if len(asked) != 1 else ''} it raises "
            "are below in one ranking, the most pressing first, at most one per supplier and "
            "theme (the further questions of a theme merged into it), each with the key question "
            "it serves. Questions are ranked by the supplier's impact on the trust and how "
            "serious the findings behind the question are."
            if asked
            else "The register raises no questions for the board."
        ),
    ]
    if asked:
        lines += ["", "### The questions, most pressing first", ""]
    for number, q in enumerate(asked, 1):
        lines.append(f"{number}. {md_escape(q.text)}  ")
        why = _why_trust() if q.scope == "trust" else _why(q, explained[q.supplier_id])
        recorded = [f"   *Recorded: {e}*" for e in _unquoted(q.evidence, why)]
        item = [f"   *{why}*", _tag_line(q), *recorded]
        if q.also:  # the further questions of the supplier's theme, merged into this one
            item += [
                "   Also asked under this question:",
                *(f"   - {md_escape(a)}" for a in q.also),
            ]
        lines += [line + "  " for line in item[:-1]] + item[-1:]  # a line break before each
    lines += [
        "",
        f"*How the score is built. {md_escape(MODEL_EXPLAINED)}*",
        "",
        f"*Prepared with supplier-register {__version__}. Every score is explained finding by "
        "finding in the register.*",
    ]
    return "\n".join(lines)


def _tag_line(q: BoardQuestion) -> str:
    """The key question the question serves, its theme and every contract it concerns."""
    line = f"   Key question: {q.key_question.text}"
    if q.theme is not None:
        line += f" Theme: {q.theme.label}."
    if q.contracts:
        word = "Contract" if len(q.contracts) == 1 else "Contracts"
        line += f" {word}: {'; '.join(md_escape(c) for c in q.contracts)}."
    return line


def _band_words(scored: list[SupplierOverview]) -> str:
    """'13 are at severe risk, 9 high, 5 medium and 5 low'."""
    counts = Counter(s.band for s in scored)
    present = [b for b in sorted(Band, key=lambda b: -b.rank) if counts[b]]
    if not present:
        return "none has been scored"
    first = present[0]
    parts = [f"{counts[first]} {'is' if counts[first] == 1 else 'are'} at {first.value} risk"]
    parts += [f"{counts[b]} {b.value}" for b in present[1:]]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _unquoted(evidence: list[str], why: str) -> list[str]:
    """The evidence excerpts (Markdown-escaped) that the line ``why`` does not already quote
    (the finding it gives ends with what was recorded behind its answer)."""
    escaped = (md_escape(e) for e in evidence)
    # A merged question heads another finding's evidence with that finding: "Title — excerpt".
    return [e for e in escaped if f"Recorded: {_excerpt(e).removesuffix(ELLIPSIS)}" not in why]


def _excerpt(quote: str) -> str:
    """The recorded words of a quote, without the finding a merged question heads it with."""
    return quote.split(HEADED, 1)[-1]


HEADED = " \u2014 "


ELLIPSIS = "\u2026"


def _why_trust() -> str:
    """The italic line under a question about the trust itself."""
    return (
        "The trust itself: one of its own findings, from its profile and the whole register, "
        "ranked as a strategic supplier's question would be."
    )


def _why(q: BoardQuestion, s: SupplierScore) -> str:
    """One italic line under a question: whose it is and the finding behind it."""
    who = (
        f"{md_escape(s.supplier)}: {criticality_phrase(s.criticality)} supplier, risk "
        f"{s.score}/100 ({s.band.value}), impact {impact_text(s.impact)}."
    )
    behind = [
        f
        for f in s.findings
        if f.code in q.finding_codes and (f.contract is None or f.contract in q.contracts)
    ]
    if not behind:
        return who
    if all(f.data_gap for f in behind):
        count = f"{len(behind)} unknown{'s' if len(behind) != 1 else ''}"
        return (
            f"{who} {count} behind this question; unknowns lower the confidence in the score "
            "until answered."
        )
    return f"{who} {md_escape(behind[0].explanation)}"
