"""The board pack of an open register: decisions required, board questions and management
actions (see :mod:`supplier_register.scoring.board`), the same for every screen and export.

Worked out from the kept overviews and the register's top questions (the trust's own
questions ranked in), so it costs little more than the register table itself.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

from sqlite_utils import Database

from supplier_register.review.models import Review
from supplier_register.scoring.board import BoardPack, ManagementAction, board_pack, owner_text
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import BoardQuestion, RegisterOverview, SupplierOverview
from supplier_register.services.register_scoring import RegisterScoring, prepare_scoring
from supplier_register.storage import Repository
from supplier_register.storage.reviews import ReviewStore


def pack_of(
    db: Database,
    scoring: RegisterScoring,
    overview: RegisterOverview,
    *,
    limit: int | None = None,
) -> BoardPack:
    """The board pack of a register already scored: ``overview`` must carry the trust's
    questions (``scoring.overview(trust_findings=...)``) and at least ``limit`` top questions."""
    config = scoring.scorer.config
    owners = {
        supplier_id: owner_text(name, role)
        for supplier_id, (name, role) in Repository(db).owners().items()
    }

    def owner_of(o: SupplierOverview) -> str | None:
        return owners.get(o.supplier_id) if o.supplier_id is not None else None

    top = config.top_questions if limit is None else limit
    return board_pack(
        overview.suppliers,
        overview.top_questions[:top],
        today=scoring.today,
        config=config.board,
        horizon_days=config.decide_by_horizon_days,
        owner_of=owner_of,
        question_total=sum(overview.question_counts.values()),
    )


def board(
    db: Database,
    today: dt.date,
    *,
    limit: int | None = None,
    config: ScoringConfig | None = None,
) -> BoardPack:
    """The board pack of the register in ``db`` on ``today`` (``limit`` board questions;
    default the scoring config's ``top_questions``)."""
    scoring = prepare_scoring(db, today, config=config)
    found = scoring.trust_findings()
    overview = scoring.overview(question_limit=limit, trust_findings=found)
    return pack_of(db, scoring, overview, limit=limit)


EVERY_QUESTION = sys.maxsize
"""A question limit no register reaches: the top list is then every board question."""


def all_questions(
    db: Database, today: dt.date, *, config: ScoringConfig | None = None
) -> tuple[BoardQuestion, ...]:
    """Every board question of the register in ``db`` on ``today`` (the trust's own ranked
    in), in the board pack's order: the pack's ``questions`` are the first of them.

    Costs what the pack does, plus writing out each question (the kept overviews rank them).
    """
    scoring = prepare_scoring(db, today, config=config)
    found = scoring.trust_findings()
    overview = scoring.overview(question_limit=EVERY_QUESTION, trust_findings=found)
    return tuple(overview.top_questions)


def open_review(db: Database) -> Review | None:
    """The quarterly review still open, if any (at most one is: a review is closed before the
    next one starts)."""
    latest = ReviewStore(db).latest_review()
    return latest if latest is not None and not latest.is_closed else None


@dataclass(frozen=True)
class BoardView:
    """What the board screen shows: the pack, and where its management actions stand against
    the open review."""

    pack: BoardPack
    review: str | None
    """The quarter of the open review (None: no review is open)."""
    held: frozenset[tuple[str | None, str]]
    """The open review's actions not yet done, as (supplier, what): a management action whose
    ``(supplier, review_text)`` is here is already in the review (``actions_from_board`` skips
    it)."""

    def in_review(self, action: ManagementAction) -> bool:
        return (action.supplier, action.review_text) in self.held


def board_view(db: Database, today: dt.date, *, config: ScoringConfig | None = None) -> BoardView:
    """The board pack of the register in ``db`` on ``today`` with the open review's actions."""
    pack = board(db, today, config=config)
    review = open_review(db)
    held: frozenset[tuple[str | None, str]] = frozenset()
    if review is not None:
        held = frozenset(
            (a.supplier, a.what)
            for a in ReviewStore(db).actions()
            if a.quarter == review.quarter and a.done_on is None
        )
    return BoardView(pack, None if review is None else review.quarter, held)
