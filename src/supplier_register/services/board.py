"""The board pack of an open register: decisions required, board questions and management
actions (see :mod:`supplier_register.scoring.board`), the same for every screen and export.

Worked out from the kept overviews and the register's top questions (the trust's own
questions ranked in), so it costs little more than the register table itself.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from supplier_register.domain.enums import Role
from supplier_register.scoring.board import BoardPack, board_pack
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import RegisterOverview, SupplierOverview
from supplier_register.scoring.text import role_phrase
from supplier_register.services.register_scoring import RegisterScoring, prepare_scoring
from supplier_register.storage import Repository


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
    phrases = {role: role_phrase(role) for role in Role}  # an enum's label is slow in a loop
    owners = {
        supplier_id: f"{name} ({phrases[role]})"
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
