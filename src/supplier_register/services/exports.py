"""What ``export --format F`` writes, worked out from an open register database.

The reports package renders a summary it is given; this module decides, per
format, the cheapest way to get there from the database.  The interchange
JSON is written a chunk of records at a time, never held whole.  CSV is written
straight from the kept overviews (no summary rows at all), and each of the board
pack's lists from the pack alone (:func:`board_list_csv`); the other summary
formats take the risk summary, which names the head of the audit chain.  The
csv, md, html and xlsx exports carry the service impact section
(:func:`impact_of_noted`): what would stop if each strategic or
high-criticality supplier failed (in the papers, those their notes explain).  The
database must stay open while the pieces are written: large exports work out
findings as they go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlite_utils import Database

from supplier_register.interchange import iter_register_json
from supplier_register.reports import stream_summary
from supplier_register.reports.csv_export import iter_board_csv, iter_overview_csv
from supplier_register.reports.summary import (
    NOTE_CRITICALITIES,
    NOTES_LIMIT,
    TOP_FINDINGS,
    AuditSeal,
    ImpactSection,
    RiskSummary,
)
from supplier_register.reports.tabular import BOARD_LISTS
from supplier_register.services.board import board
from supplier_register.services.impact import impact_section
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.storage import Repository
from supplier_register.storage.audit import chain_head


def register_json(db: Database) -> Iterator[str]:
    """The whole register in ``db`` as interchange JSON (``export --format json``), in pieces."""
    repo = Repository(db)
    return iter_register_json(
        repo.trust_name(),
        *repo.iter_register(),
        repo.iter_services(),
        repo.iter_dependencies(),
        profile=repo.profile(),
    )


def audit_seal(db: Database) -> AuditSeal | None:
    """The audit chain's head as a paper shows it (None before anything is sealed)."""
    head = chain_head(db)
    if head is None or head.hash is None:
        return None
    return AuditSeal(entries=head.entries, head=head.hash, unsealed=head.unsealed)


def summary_export(
    db: Database, fmt: str, today: dt.date, *, notes: int | None = NOTES_LIMIT
) -> Iterable[str] | bytes:
    """The risk summary of the register in ``db`` on ``today``, in format ``fmt``, in pieces.

    ``notes`` caps the supplier notes of the html and md papers (``None``: every one).
    """
    if fmt == "csv":
        scoring = prepare_scoring(db, today)
        overview = scoring.overview(
            top_findings=TOP_FINDINGS, trust_findings=scoring.trust_findings()
        )
        noted = [
            o.supplier_id
            for o in overview.suppliers
            if o.criticality in NOTE_CRITICALITIES and o.supplier_id is not None
        ]
        impact = impact_section(Repository(db), noted, today)
        return iter_overview_csv(
            scoring.suppliers, overview.suppliers, overview.top_questions, today, impact
        )
    from supplier_register.services.reviews import risk_summary

    seal = audit_seal(db)  # first: the paper's records are at least as new as its head
    summary = risk_summary(db, today)
    if seal is not None:
        summary = summary.model_copy(update={"audit": seal})
    if fmt in ("md", "html", "xlsx"):
        limit = notes if fmt in ("md", "html") else None
        summary = summary.model_copy(update={"impact": impact_of_noted(db, summary, today, limit)})
    return stream_summary(fmt, summary, notes=notes)


def board_list_csv(db: Database, which: str, today: dt.date) -> Iterator[str]:
    """One of the board pack's lists (``decisions``, ``questions`` or ``actions``) of the
    register in ``db`` on ``today`` as CSV (``export --format csv --list``): the register is
    scored once, for the pack alone."""
    for name in BOARD_LISTS:
        if name == which:
            return iter_board_csv(board(db, today), name)
    raise ValueError(f"not a board pack list: {which!r}")


def impact_of_noted(
    db: Database, summary: RiskSummary, today: dt.date, limit: int | None = None
) -> ImpactSection:
    """The service impact section for ``summary``: each strategic and high-criticality
    supplier's impact in priority order (the first ``limit`` of them, when given: a
    paper explains those its notes do), and the register's concentration."""
    noted = summary.noted()
    shown = noted if limit is None else noted[: max(0, limit)]
    repo = Repository(db)
    # each row carries its supplier's id (a summary of this database); by name only otherwise
    ids = [
        supplier_id if supplier_id is not None else repo.find_supplier(row.supplier).id
        for row in shown
        for supplier_id in [summary.supplier_id(row)]
    ]
    return impact_section(repo, ids, today, left_out=len(noted) - len(shown))
