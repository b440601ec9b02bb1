"""The JSON of ``review show --format json``: the review report with every supplier's full score."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from supplier_register.reports.jsonstream import splice
from supplier_register.review.models import ReviewReport
from supplier_register.scoring.results import SupplierScore


def report_json(report: ReviewReport, scores: Iterable[SupplierScore]) -> Iterator[str]:
    """The JSON of ``review show``, in pieces: the report with every supplier's full score.

    The report lists scores in brief; the full scores (``scores``, in the
    report's order, read from the snapshots one at a time) are written in
    their place, so a large review is never one document in memory.
    """
    # pydantic writes JSON as json.dumps would (tests hold it to that), several times faster
    # and without a second copy of the document as Python objects.
    head = report.model_copy(update={"scores": []}).model_dump_json(indent=2)
    # exclude_unset: a snapshot taken with the first score model holds no impact, exposure or
    # confidence, and none is written for it (never the defaults, which would be invented).
    return splice(
        head, "scores", (score.model_dump_json(indent=2, exclude_unset=True) for score in scores)
    )
