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
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from supplier_register.domain.bounds import add_days
from supplier_register.domain.textsafety import json_controls
from supplier_register.interchange import iter_register_json
from supplier_register.reports import stream_summary
from supplier_register.reports.csv_export import iter_board_csv, iter_overview_csv
from supplier_register.reports.summary import (
    NOTE_CRITICALITIES,
    NOTES_LIMIT,
    TOP_FINDINGS,
    AuditSeal,
    ContractFacts,
    ImpactSection,
    RiskSummary,
)
from supplier_register.reports.tabular import BOARD_LISTS
from supplier_register.scoring.config import SHARE_FIELDS, ScoringConfig, load_config
from supplier_register.scoring.results import SupplierOverview
from supplier_register.services.board import board
from supplier_register.services.impact import impact_section
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.storage import Repository
from supplier_register.storage.audit import chain_head
from supplier_register.storage.db import open_database
from supplier_register.storage.outputs import check_output, write_output_file
from supplier_register.storage.trust_facts import contract_terms


def register_json(db: Database) -> Iterator[str]:
    """The whole register in ``db`` as interchange JSON (``export --format json``), in pieces."""
    repo = Repository(db)
    return iter_register_json(
        repo.trust_name(),
        *repo.iter_register(),
        repo.iter_services(),
        repo.iter_dependencies(),
        profile=repo.profile(),
        provenance=repo.iter_import_sources(),
        identifiers=repo.iter_identifiers(),
    )


def share_export(
    db: Database, today: dt.date, config: ScoringConfig | None = None
) -> Iterator[str]:
    """The register in ``db`` as shared with partner trusts (``export --format share``):
    scored on ``today`` with ``config``, whose ``[share]`` table says what is redacted
    (default: every field of :data:`~supplier_register.scoring.config.SHARE_FIELDS`); the
    header names the audit actor, the time and the policy."""
    from supplier_register.interchange.share import share_json

    yield share_json(share_content(db, today, config))


def share_content(
    db: Database,
    today: dt.date,
    config: ScoringConfig | None = None,
    *,
    overviews: Iterable[SupplierOverview] | None = None,
    answers: bool = True,
) -> dict[str, Any]:
    """The content of the shared file :func:`share_export` writes, as parsed JSON (the ICS
    screen lines the trust's own register up with its partners' files from it, in memory).

    ``overviews``: the register's current scores when the caller holds them (the TUI),
    else they are worked out; without ``answers`` the questionnaire answers are left out
    (the ICS view never reads them)."""
    from supplier_register.interchange.share import (
        SharedScore,
        ShareHeader,
        share_document,
    )
    from supplier_register.storage.audit import current_actor

    config = config or ScoringConfig()
    if overviews is None:
        overviews = prepare_scoring(db, today, config=config).overview().suppliers
    scores = {o.supplier: SharedScore(o.score, o.band.value, o.next_decide_by) for o in overviews}
    repo = Repository(db)
    people, suppliers, contracts, all_answers = repo.iter_register()
    header = ShareHeader(
        trust=repo.trust_name(),
        exported_by=current_actor(),
        exported_at=export_time(),
        as_of=today,
        redacted=tuple(config.share.redacted()),
    )
    return share_document(
        header,
        suppliers,
        contracts,
        all_answers if answers else (),
        people,
        repo.iter_import_sources(),
        repo.iter_identifiers(),
        scores,
    )


def export_time() -> dt.datetime:
    """When a shared file says it was exported: now, in UTC (the one place it is read)."""
    return dt.datetime.now(dt.UTC)


SHARE_FIELD_WORDS: dict[str, str] = {
    "notes": "notes",
    "evidence": "answer evidence",
    "people": "people's names and contacts",
    "values": "contract values and spend",
    "provenance": "where imported records came from",
}
"""Each field of :data:`~supplier_register.scoring.config.SHARE_FIELDS` in plain words."""


@dataclass(frozen=True, slots=True)
class SharePolicy:
    """What a shared file written with a config leaves out and keeps, and whom it names as
    having exported it (as :func:`share_export` would write them now)."""

    left_out: tuple[str, ...]
    kept: tuple[str, ...]
    exported_by: str

    def left_out_words(self) -> str:
        """``notes, answer evidence, ...`` (or ``nothing``)."""
        return ", ".join(SHARE_FIELD_WORDS[f] for f in self.left_out) or "nothing"

    def kept_words(self) -> str:
        """The redactable fields kept, in plain words (or ``none of these``)."""
        return ", ".join(SHARE_FIELD_WORDS[f] for f in self.kept) or "none of these"

    def describe(self) -> str:
        """The policy in plain words, for a dialog to show before the file is written."""
        return (
            f"Left out: {self.left_out_words()}.\n"
            f"Kept: {self.kept_words()}.\n"
            f"The file will say it was exported by {self.exported_by}."
        )


def share_policy(config: ScoringConfig | None = None) -> SharePolicy:
    """The ``[share]`` policy of ``config`` (default: the built-in one, leaving every field out)
    and the audit actor a shared file written now would name."""
    from supplier_register.storage.audit import current_actor

    redacted = (config or ScoringConfig()).share.redacted()
    return SharePolicy(
        left_out=tuple(redacted),
        kept=tuple(f for f in SHARE_FIELDS if f not in redacted),
        exported_by=current_actor(),
    )


def audit_seal(db: Database) -> AuditSeal | None:
    """The audit chain's head as a paper shows it (None before anything is sealed)."""
    head = chain_head(db)
    if head is None or head.hash is None:
        return None
    return AuditSeal(entries=head.entries, head=head.hash, unsealed=head.unsealed)


@dataclass(frozen=True, slots=True)
class PaperOptions:
    """Who wrote a board paper and its version (``export --author``, ``--paper-version``)."""

    author: str | None = None
    version: str = "1.0"


def scoring_config(path: Path | None) -> ScoringConfig:
    """The scoring config in the TOML file at ``path`` (None: the built-in defaults)."""
    return load_config(path)


def summary_export(
    db: Database,
    fmt: str,
    today: dt.date,
    *,
    notes: int | None = NOTES_LIMIT,
    config: ScoringConfig | None = None,
    paper: PaperOptions | None = None,
) -> Iterable[str] | bytes:
    """The risk summary of the register in ``db`` on ``today``, in format ``fmt``, in pieces.

    ``notes`` caps the supplier notes of the html and md papers (``None``: every one);
    ``config`` scores the register and gives the paper's marking (default: the built-in one).
    """
    if fmt == "csv":
        scoring = prepare_scoring(db, today, config=config)
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
    summary = risk_summary(db, today, config=config)
    paper = paper or PaperOptions()
    update: dict[str, object] = {
        "author": paper.author,
        "version": paper.version,
        "marking": (config or ScoringConfig()).board.classification,
    }
    if seal is not None:
        update["audit"] = seal
    if fmt in ("html", "md"):  # both papers' supplier tables give value and notice dates
        update["contract_facts"] = contract_facts(db, summary, today)
    summary = summary.model_copy(update=update)
    if fmt in ("md", "html", "xlsx"):
        limit = notes if fmt in ("md", "html") else None
        summary = summary.model_copy(update={"impact": impact_of_noted(db, summary, today, limit)})
    return stream_summary(fmt, summary, notes=notes)


def board_list_csv(
    db: Database, which: str, today: dt.date, config: ScoringConfig | None = None
) -> Iterator[str]:
    """One of the board pack's lists (``decisions``, ``questions`` or ``actions``) of the
    register in ``db`` on ``today`` as CSV (``export --format csv --list``): the register is
    scored once, for the pack alone."""
    for name in BOARD_LISTS:
        if name == which:
            return iter_board_csv(board(db, today, config=config), name)
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


@dataclass(slots=True)
class _Tally:
    value: Decimal | None = None
    unvalued: int = 0
    current: int = 0
    notice: tuple[dt.date, str] | None = None
    ended_on: dt.date | None = None


def contract_facts(db: Database, summary: RiskSummary, today: dt.date) -> dict[int, ContractFacts]:
    """What each row's contracts say on ``today`` (by the row's rank), in one pass over the
    contracts: the total value of the current ones (end date not passed, or none recorded), the
    soonest notice date of a current auto-renewing one, and, when every one has ended, the
    latest end date.  Rows without a register id (a register read from a file) get none."""
    ranks = {
        supplier_id: row.rank
        for row in summary.suppliers
        if (supplier_id := summary.supplier_id(row)) is not None
    }
    found: dict[int, _Tally] = {}
    for terms in contract_terms(db):
        if terms.supplier_id not in ranks:
            continue
        tally = found.setdefault(terms.supplier_id, _Tally())
        end = terms.end_date
        if end is not None and end < today:
            tally.ended_on = end if tally.ended_on is None else max(end, tally.ended_on)
            continue
        tally.current += 1
        if terms.total_value is None:
            tally.unvalued += 1
        else:
            tally.value = terms.total_value + (tally.value or 0)
        if terms.auto_renewal and end is not None and terms.notice_period_days is not None:
            notice_by = add_days(end, -terms.notice_period_days)  # never raises
            if tally.notice is None or notice_by < tally.notice[0]:
                tally.notice = (notice_by, terms.title)
    return {
        ranks[supplier_id]: ContractFacts(
            value=t.value,
            unvalued=t.unvalued,
            notice_by=t.notice[0] if t.notice else None,
            notice_contract=t.notice[1] if t.notice else None,
            ended_on=t.ended_on if not t.current else None,
        )
        for supplier_id, t in found.items()
    }


# ----------------------------------------------------- export from the TUI


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """One thing the TUI's export screen can write: its format, its label and its file suffix."""

    kind: str
    """``html``, ``md``, ``csv``, ``xlsx`` (the risk summary), ``json`` (the register) or
    ``review`` (the review pack of ``quarter``, as printable HTML) or ``share`` (the register
    for partner trusts, redacted under the config's ``[share]`` policy)."""
    label: str
    suffix: str
    quarter: str | None = None

    def file_name(self, today: dt.date) -> str:
        """The dated file name proposed for it, e.g. ``supplier-risk-2026-12-07.html``."""
        if self.kind == "json":
            return f"supplier-register-{today.isoformat()}.json"
        if self.kind == "share":
            return f"supplier-register-shared-{today.isoformat()}.json"
        if self.kind == "review":
            return f"review-pack-{self.quarter}-{today.isoformat()}.html"
        return f"supplier-risk-{today.isoformat()}.{self.suffix}"


SUMMARY_CHOICES = (
    ExportChoice("html", "Board paper (HTML)", "html"),
    ExportChoice("md", "Board paper (Markdown)", "md"),
    ExportChoice("csv", "Risk summary (CSV)", "csv"),
    ExportChoice("xlsx", "Risk summary (XLSX workbook)", "xlsx"),
    ExportChoice("json", "The whole register (JSON, lossless)", "json"),
    ExportChoice("share", "Shared file for partner trusts (JSON, redacted)", "json"),
)


def export_choices(db_path: Path) -> list[ExportChoice]:
    """What the register at ``db_path`` can be exported as: the papers, the register and the
    shared file, and the review pack of the open review (else the latest) when there is a review."""
    from supplier_register.services.reviews import list_reviews

    db = open_database(db_path, create=False)
    try:
        reviews = list_reviews(db)
    finally:
        db.close()
    choices = list(SUMMARY_CHOICES)
    if reviews:
        review = next((r for r in reversed(reviews) if not r.is_closed), reviews[-1])
        state = "closed" if review.is_closed else "open"
        choices.append(
            ExportChoice(
                "review", f"Review pack {review.quarter} ({state}, HTML)", "html", review.quarter
            )
        )
    return choices


def write_export(
    db_path: Path,
    choice: ExportChoice,
    out: Path,
    today: dt.date,
    *,
    force: bool,
    config: ScoringConfig | None = None,
) -> Path:
    """Write ``choice`` of the register at ``db_path`` on ``today`` to ``out`` and return its
    full path, scored with ``config`` (the one the screens show; default: the built-in one).

    Written as ``export --out`` writes (:func:`storage.outputs.write_output_file`): never over
    the register, its side files or backups, to a temporary file renamed into place, and an
    existing file only with ``force``.  A refusal or a failed write raises one line
    (:class:`~supplier_register.domain.errors.BadFile`) naming the file.
    """
    out = out.expanduser()
    check_output(out, force=force, registers=[db_path], label="file")
    db = open_database(db_path, create=False)
    try:
        data: Iterable[str] | bytes | str
        if choice.kind == "json":
            data = register_json(db)
        elif choice.kind == "share":
            data = share_export(db, today, config)
        elif choice.kind == "review":
            from supplier_register.services.reviews import review_pack

            data = review_pack(db, choice.quarter or "", today, "html", config=config)
        else:
            data = summary_export(db, choice.kind, today, config=config)
        if not isinstance(data, bytes):
            data = map(json_controls, [data] if isinstance(data, str) else data)
        # Written while the database is open: a large summary is worked out as it is written.
        write_output_file(data, out, force=force, registers=[db_path], label="file")
    finally:
        db.close()
    return out.absolute()
