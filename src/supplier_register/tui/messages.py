"""The messages the TUI's workers post to the app and its screens.

Every database read, score and write runs in a worker thread
(``@work(thread=True, ...)``) that calls the application layer
(``supplier_register.services``) and posts one of these with the result; the
handlers run on the UI thread.  A message from a worker that has since been
cancelled by a newer one in its group (``exclusive=True``) is dropped by its
handler, so an older read never replaces a newer one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.message import Message
from textual.worker import Worker

from supplier_register.domain import AnswerRecord, RegisterError
from supplier_register.review.models import Review, ReviewReport
from supplier_register.scoring.results import BoardQuestion
from supplier_register.services.board import BoardView
from supplier_register.services.continuity import ServiceSummary, SupplierDependencies
from supplier_register.services.register_view import FirstScreen, Snapshot, SupplierView
from supplier_register.storage.audit import AuditEntry


@dataclass
class FirstScreenRead(Message):
    """The register's first rows with their kept, current scores (start-up only)."""

    first: FirstScreen
    worker: Worker[Any]
    painted: threading.Event
    """Set once they are painted: the worker reads the whole register after that."""


@dataclass
class SnapshotRead(Message):
    """A new snapshot of the register: records read (maybe not yet scored), or scored."""

    snapshot: Snapshot
    worker: Worker[Any]
    refreshed: frozenset[int]
    """The written suppliers whose changes it holds (``stale`` ids it settles)."""
    seen: int = 0
    """The audit log's last entry it holds, when more than its records' ``audit_mark``."""


@dataclass
class RegisterChanged(Message):
    """Another program has committed to the register: the audit log's last entry now."""

    mark: int


@dataclass
class LoadFailed(Message):
    """The register could not be read: one line saying why."""

    error: str


@dataclass
class ScoringFailed(Message):
    """The register was read but scoring it raised: the suppliers stay shown unscored."""

    error: str


@dataclass
class Written(Message):
    """A write succeeded: run ``done``, say ``saved``, refresh ``supplier`` (or everything)."""

    result: Any
    done: Callable[[Any], None] | None
    saved: str | None
    supplier: int | None


@dataclass
class WriteFailed(Message):
    """A write was refused (nothing changed): ``failed`` is told, else a notification."""

    error: RegisterError
    failed: Callable[[RegisterError], None] | None


@dataclass
class Fetched(Message):
    """The result of a read a screen asked for (``App.fetch``), handed to ``then``."""

    result: Any
    then: Callable[[Any], None]


@dataclass
class SupplierViewRead(Message):
    """One supplier read and scored for its screen (``None``: it no longer exists)."""

    view: SupplierView | None
    worker: Worker[Any]


@dataclass
class AnswersRead(Message):
    """One supplier's questionnaire answers, read for its questionnaire from ``snapshot``."""

    snapshot: Snapshot
    answers: tuple[AnswerRecord, ...]
    worker: Worker[Any]


@dataclass
class AuditRead(Message):
    """The audit trail's entries, newest first (``None``: it could not be read, ``error`` says why)."""

    entries: list[AuditEntry] | None
    error: str | None


@dataclass
class ReviewRead(Message):
    """Every quarterly review and the chosen one's report (``error``: why they could not be read)."""

    reviews: list[Review]
    report: ReviewReport | None
    error: str | None
    worker: Worker[Any]
    """The read that posted it: a cancelled one (a newer quarter asked for) is dropped."""


@dataclass
class ReviewWritten(Message):
    """A review write finished: ``done`` to say, or ``error`` (nothing was changed)."""

    done: str
    error: str | None


@dataclass
class ServicesRead(Message):
    """The trust's services with what supports them (``error``: why they could not be read)."""

    services: list[ServiceSummary]
    error: str | None
    worker: Worker[Any]


@dataclass
class DependenciesRead(Message):
    """One supplier's dependencies both ways (``error``: why they could not be read)."""

    dependencies: SupplierDependencies | None
    error: str | None
    worker: Worker[Any]


@dataclass
class BoardRead(Message):
    """The board pack and the open review, read for the board screen (``error``: why not)."""

    view: BoardView | None
    error: str | None
    worker: Worker[Any]


@dataclass
class AllQuestionsRead(Message):
    """Every board question of the register, ranked (``error``: why they could not be read)."""

    questions: tuple[BoardQuestion, ...]
    error: str | None
    worker: Worker[Any]


@dataclass
class BoardActionsWritten(Message):
    """Management actions turned into review actions: (quarter, added, already there), or
    ``None`` when no review is open; ``error``: why nothing was recorded."""

    result: tuple[str, int, int] | None
    error: str | None
