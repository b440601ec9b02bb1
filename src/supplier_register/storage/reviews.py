"""Storage of quarterly reviews: snapshots, actions and closing, each write one transaction.

The rules that keep reviews trustworthy are checked here, before anything is
written, with one-line messages: a quarter is reviewed once, in order, after it
has begun; a closed review takes no more actions; snapshots never change.
Database triggers (migration ``m003_quarterly_reviews``) enforce the same.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlite_utils import Database

from supplier_register.domain.bounds import STORED
from supplier_register.domain.errors import (
    Duplicate,
    InvalidInput,
    NotFound,
    RegisterError,
    describe_validation_error,
)
from supplier_register.domain.models import Contract, Register, Supplier
from supplier_register.review.models import (
    Action,
    ActionLine,
    ImpactAtReview,
    NewAction,
    Review,
    ScorePoint,
    SupplierSnapshot,
)
from supplier_register.review.quarters import Quarter
from supplier_register.scoring.results import (
    SCORING_MODEL,
    BoardQuestion,
    RegisterScores,
    SupplierScore,
)
from supplier_register.storage.db import write_transaction

_QUESTIONS = TypeAdapter(list[BoardQuestion])
_LINES = TypeAdapter(list[ActionLine])


SNAPSHOT_PREFIX = "zlib:"
"""Marks a snapshot stored as base64 of zlib-compressed JSON (about a fifth of the size)."""


def encode_snapshot(data: str) -> str:
    """A snapshot's JSON, compressed: findings repeat long explanations, so it shrinks well.

    Stored as base64 text (not a BLOB) so every SQL JSON function, such as the
    audit trail's triggers, can still handle the row.
    """
    return SNAPSHOT_PREFIX + base64.b64encode(zlib.compress(data.encode("utf-8"), 6)).decode()


def decode_snapshot(stored: str) -> str:
    """The JSON of a stored snapshot, compressed or not."""
    if stored.startswith(SNAPSHOT_PREFIX):
        return zlib.decompress(base64.b64decode(stored[len(SNAPSHOT_PREFIX) :])).decode("utf-8")
    return stored


class ReviewClosed(RegisterError):
    """The review is closed: nothing more can be recorded against it."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class ReviewStore:
    """Reads and writes the quarterly reviews of one register database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def _review(row: dict[str, Any]) -> Review:
        return Review(
            id=row["id"],
            quarter=row["quarter"],
            started_on=dt.date.fromisoformat(row["started_on"]),
            closed_on=_date(row["closed_on"]),
            top_questions=_QUESTIONS.validate_json(row["top_questions"]),
            scoring_model=row["scoring_model"],
        )

    @staticmethod
    def _action(row: dict[str, Any]) -> Action:
        return Action(
            id=row["id"],
            quarter=row["quarter"],
            supplier=row["supplier"],
            what=row["what"],
            owner=row["owner"],
            due=dt.date.fromisoformat(row["due"]),
            agreed_on=dt.date.fromisoformat(row["agreed_on"]),
            done_on=_date(row["done_on"]),
        )

    # ----------------------------------------------------------------- reads

    def list_reviews(self) -> list[Review]:
        """Every review, oldest quarter first."""
        rows = self._rows("SELECT * FROM reviews")
        return sorted((self._review(r) for r in rows), key=lambda r: r.period)

    def find_review(self, quarter: Quarter) -> Review | None:
        rows = self._rows("SELECT * FROM reviews WHERE quarter = ?", [str(quarter)])
        return self._review(rows[0]) if rows else None

    def get_review(self, quarter: Quarter) -> Review:
        """The review of ``quarter``; :class:`NotFound` when it was never started."""
        review = self.find_review(quarter)
        if review is None:
            raise NotFound(
                f"quarter: no review of {quarter}; start one with `review start {quarter}`"
            )
        return review

    def _open_review(self, quarter: Quarter, refusal: str) -> Review:
        """The review of ``quarter`` if it is still open; else :class:`ReviewClosed` saying
        "quarter: the … review " and ``refusal``, where ``{on}`` is the day it closed."""
        review = self.get_review(quarter)
        if review.closed_on is not None:
            on = review.closed_on.isoformat()
            raise ReviewClosed(f"quarter: the {quarter} review " + refusal.format(on=on))
        return review

    def latest_review(self) -> Review | None:
        reviews = self.list_reviews()
        return reviews[-1] if reviews else None

    def previous_review(self, review: Review) -> Review | None:
        """The latest review of a quarter before ``review``'s."""
        earlier = [r for r in self.list_reviews() if r.period < review.period]
        return earlier[-1] if earlier else None

    def snapshots(self, review: Review) -> list[SupplierSnapshot]:
        """The suppliers as they stood when ``review`` started, in priority order."""
        return list(self.iter_snapshots(review))

    def iter_snapshots(self, review: Review) -> Iterator[SupplierSnapshot]:
        """:meth:`snapshots` one at a time, read as they are taken (for large reviews)."""
        cursor = self.db.execute(
            "SELECT data FROM review_snapshots WHERE review_id = ? ORDER BY position", [review.id]
        )
        for (data,) in cursor:
            snapshot = SupplierSnapshot.model_validate_json(decode_snapshot(data), context=STORED)
            yield snapshot

    def snapshot(self, snapshot_id: int) -> SupplierSnapshot:
        """One stored snapshot, read by its id."""
        (data,) = self.db.execute(
            "SELECT data FROM review_snapshots WHERE id = ?", [snapshot_id]
        ).fetchone()
        return SupplierSnapshot.model_validate_json(decode_snapshot(data), context=STORED)

    def snapshot_count(self, review: Review) -> int:
        """How many suppliers ``review`` snapshotted."""
        row = self.db.execute(
            "SELECT count(*) FROM review_snapshots WHERE review_id = ?", [review.id]
        ).fetchone()
        return int(row[0])

    def score_points(self, until: dt.date | None = None) -> list[ScorePoint]:
        """Every supplier's score at every review (started by ``until``), oldest quarter first.

        Read from the indexed columns, without parsing the snapshots, so trends
        stay cheap however many suppliers and reviews there are.
        """
        sql = (
            "SELECT r.quarter, s.supplier, s.score, r.scoring_model FROM review_snapshots s "
            "JOIN reviews r ON r.id = s.review_id"
        )
        params: list[Any] = []
        if until is not None:
            sql += " WHERE r.started_on <= ?"
            params.append(until.isoformat())
        points = [
            ScorePoint(Quarter.parse(q), str(name), int(score), str(model))
            for q, name, score, model in self.db.execute(
                sql + " ORDER BY s.position", params
            ).fetchall()
        ]
        return sorted(points, key=lambda p: p.quarter)

    def actions(self) -> list[Action]:
        """Every action ever agreed, oldest first."""
        rows = self._rows(
            "SELECT a.*, r.quarter FROM review_actions a JOIN reviews r ON r.id = a.review_id "
            "ORDER BY a.id"
        )
        return [self._action(r) for r in rows]

    def get_action(self, action_id: int) -> Action:
        rows = self._rows(
            "SELECT a.*, r.quarter FROM review_actions a JOIN reviews r ON r.id = a.review_id "
            "WHERE a.id = ?",
            [action_id],
        )
        if not rows:
            raise NotFound(f"action: no action with id {action_id}")
        return self._action(rows[0])

    def actions_at_close(self, review: Review) -> list[ActionLine] | None:
        """The actions as they stood when ``review`` closed; ``None`` while it is open."""
        row = self.db.execute(
            "SELECT actions_at_close FROM reviews WHERE id = ?", [review.id]
        ).fetchone()
        return _LINES.validate_json(row[0]) if row and row[0] else None

    # ---------------------------------------------------------------- writes

    def start(
        self,
        quarter: Quarter,
        today: dt.date,
        register: Register,
        scores: RegisterScores,
    ) -> Review:
        """Record the review of ``quarter``: a snapshot of every supplier, in one transaction."""
        # By id where the records and scores carry one (read from the database). A register
        # read from a file has none: by exact name first ('Straße' and 'STRASSE' are two
        # suppliers to SQLite's NOCASE, one to casefold()), then by casefold(), which is kept
        # for records naming a supplier in another case.
        by_id = {i: s for s in register.suppliers if (i := getattr(s, "id", None)) is not None}
        by_name = {s.name: s for s in register.suppliers}
        by_fold = {s.name.casefold(): s for s in register.suppliers}

        def named(name: str, supplier_id: int | None) -> Supplier | None:
            if supplier_id is not None and supplier_id in by_id:
                return by_id[supplier_id]
            return by_name.get(name) or by_fold.get(name.casefold())

        contracts: dict[str, list[Any]] = {}  # by the owner's exact name, which is unique
        for c in register.contracts:
            owner = named(c.supplier, getattr(c, "supplier_id", None))
            contracts.setdefault(owner.name if owner else c.supplier, []).append(c)

        def snapshots() -> Iterator[tuple[Supplier, Sequence[Contract], SupplierScore]]:
            for score in scores.suppliers:
                supplier = named(score.supplier, score.supplier_id)
                if supplier is None:
                    raise InvalidInput(
                        [f"scores: supplier {score.supplier!r} is not in the register"]
                    )
                yield supplier, contracts.get(supplier.name, []), score

        return self.start_streamed(quarter, today, scores.top_questions, snapshots())

    def start_streamed(
        self,
        quarter: Quarter,
        today: dt.date,
        top_questions: Sequence[BoardQuestion],
        snapshots: Iterable[tuple[Supplier, Sequence[Contract], SupplierScore]],
        impact_of: Callable[[Supplier, SupplierScore], ImpactAtReview | None] | None = None,
    ) -> Review:
        """:meth:`start` from each supplier's record, contracts and full score, in priority order.

        The scores are the current score model's (:data:`SCORING_MODEL`), which the review
        and each snapshot record.

        The snapshots are encoded and written as they come, in the one
        transaction, so a large register is never held whole.  ``impact_of``
        (worked out by the application layer, inside that transaction) gives the
        service impact a supplier's snapshot keeps, or ``None``.
        """
        if quarter.start > today:
            raise InvalidInput(
                [f"quarter: {quarter} has not begun yet (today is {today.isoformat()})"]
            )
        items = iter(snapshots)
        first = next(items, None)
        if first is None:
            raise InvalidInput(["register: there are no suppliers to review"])

        def rows(review_id: int) -> Iterator[list[Any]]:
            for position, (supplier, contracts, score) in enumerate(
                itertools.chain([first], items)
            ):
                snapshot = SupplierSnapshot(
                    supplier=supplier,
                    contracts=list(contracts),
                    score=score,
                    impact=impact_of(supplier, score) if impact_of is not None else None,
                    scoring_model=SCORING_MODEL,
                )
                data = encode_snapshot(snapshot.model_dump_json())
                yield [
                    review_id,
                    position,
                    score.supplier,
                    score.criticality.value,
                    score.score,
                    score.band.value,
                    data,
                ]

        with write_transaction(self.db):
            self._check_can_start(quarter)
            cursor = self.db.execute(
                "INSERT INTO reviews (quarter, started_on, top_questions, scoring_model) "
                "VALUES (?, ?, ?, ?)",
                [
                    str(quarter),
                    today.isoformat(),
                    _QUESTIONS.dump_json(list(top_questions)).decode(),
                    SCORING_MODEL,
                ],
            )
            assert cursor.lastrowid is not None
            self.db.conn.executemany(
                "INSERT INTO review_snapshots "
                "(review_id, position, supplier, criticality, score, band, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows(cursor.lastrowid),
            )
        return self.get_review(quarter)

    def _check_can_start(self, quarter: Quarter) -> None:
        existing = self.find_review(quarter)
        if existing is not None:
            raise Duplicate(
                f"quarter: the {quarter} review was already started on "
                f"{existing.started_on.isoformat()}; a quarter is reviewed once"
            )
        for review in self.list_reviews():
            if review.period > quarter:
                raise InvalidInput(
                    [
                        f"quarter: a review of the later quarter {review.quarter} exists; "
                        "reviews go in order"
                    ]
                )
            if not review.is_closed:
                raise InvalidInput(
                    [
                        f"quarter: the {review.quarter} review is still open; close it first "
                        f"(review close {review.quarter})"
                    ]
                )

    def add_action(self, quarter: Quarter, action: dict[str, Any], today: dt.date) -> Action:
        """Record an action agreed at the (open) review of ``quarter``.

        ``action`` holds supplier (optional), what, owner and due; they are
        validated as :class:`NewAction`.  The supplier must be one the review
        covers; the due date must not be before ``today``.
        """
        try:
            new = NewAction.model_validate(action)
        except ValidationError as exc:
            raise InvalidInput(describe_validation_error(exc)) from None
        with write_transaction(self.db):
            review = self._open_review(
                quarter, "was closed on {on}; actions can only be added to an open review"
            )
            supplier = None
            if new.supplier is not None:
                row = self.db.execute(
                    "SELECT supplier FROM review_snapshots WHERE review_id = ? AND supplier = ?",
                    [review.id, new.supplier],
                ).fetchone()
                if row is None:
                    raise NotFound(
                        f"supplier: no supplier named {new.supplier!r} in the {quarter} review"
                    )
                supplier = str(row[0])
            if new.due < today:
                raise InvalidInput(
                    [f"due: {new.due.isoformat()} is before today ({today.isoformat()})"]
                )
            cursor = self.db.execute(
                "INSERT INTO review_actions (review_id, supplier, what, owner, due, agreed_on) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [review.id, supplier, new.what, new.owner, new.due.isoformat(), today.isoformat()],
            )
            assert cursor.lastrowid is not None
            action_id = cursor.lastrowid
        return self.get_action(action_id)

    def complete_action(self, action_id: int, today: dt.date) -> Action:
        """Mark an action done on ``today``; an action is completed once."""
        with write_transaction(self.db):
            action = self.get_action(action_id)
            if action.done_on is not None:
                raise InvalidInput(
                    [f"action: action {action_id} was already done on {action.done_on.isoformat()}"]
                )
            if today < action.agreed_on:
                raise InvalidInput(
                    [
                        f"today: {today.isoformat()} is before action {action_id} was agreed "
                        f"({action.agreed_on.isoformat()})"
                    ]
                )
            self.db.execute(
                "UPDATE review_actions SET done_on = ?, version = version + 1 WHERE id = ?",
                [today.isoformat(), action_id],
            )
        return self.get_action(action_id)

    def snapshot_ids(self, review: Review) -> list[tuple[str, int]]:
        """Each supplier's name and snapshot id at ``review``, in priority order (no parsing)."""
        return [
            (str(name), int(snapshot_id))
            for snapshot_id, name in self.db.execute(
                "SELECT id, supplier FROM review_snapshots WHERE review_id = ? ORDER BY position",
                [review.id],
            ).fetchall()
        ]

    def close(
        self,
        quarter: Quarter,
        today: dt.date,
        open_lines: Callable[[Review], Sequence[ActionLine]],
    ) -> Review:
        """Close the review of ``quarter``, freezing its actions as they stand on ``today``.

        ``open_lines`` works out the action lines the open review shows (review
        logic, passed in by the application layer); they are stored as they are.
        """
        with write_transaction(self.db):
            review = self._open_review(quarter, "was already closed on {on}")
            if today < review.started_on:
                raise InvalidInput(
                    [
                        f"today: {today.isoformat()} is before the {quarter} review started "
                        f"({review.started_on.isoformat()})"
                    ]
                )
            actions = open_lines(review)
            self.db.execute(
                "UPDATE reviews SET closed_on = ?, actions_at_close = ? WHERE id = ?",
                [today.isoformat(), _LINES.dump_json(list(actions)).decode(), review.id],
            )
        return self.get_review(quarter)
