"""The XLSX Findings sheet at scale: whole suppliers, highest priority first, up to a limit."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports import RiskSummary, guard_cell, xlsx_export
from supplier_register.reports.summary import SupplierRow
from supplier_register.reports.xlsx_export import (
    FINDINGS_LIMIT,
    findings_chosen,
    render_xlsx,
)
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.oracles import build_summary, score_register
from tests.support.reportdata import TODAY


def _summary() -> RiskSummary:
    register = generate_register(120, seed=8, today=TODAY)
    return build_summary(register, score_register(register, today=TODAY), TODAY)


def _findings(data: bytes) -> list[tuple[object, ...]]:
    ws = load_workbook(io.BytesIO(data))["Findings"]
    return list(ws.iter_rows(values_only=True))


def _expected(summary: RiskSummary, ranks: int) -> list[tuple[object, str | None, str]]:
    """(rank, contract, finding) of every finding of the first ``ranks`` suppliers, as written."""
    return [
        (r.rank, guard_cell(f.contract) if f.contract else None, guard_cell(f.title))
        for r in summary.suppliers[:ranks]
        for f in r.findings
    ]


def test_findings_of_whole_suppliers_up_to_the_limit() -> None:
    summary = _summary()
    every = sum(r.finding_count for r in summary.suppliers)
    limit = every // 3
    chosen, count = findings_chosen(summary, limit)
    assert 0 < count <= limit < count + summary.suppliers[len(chosen)].finding_count
    assert chosen == summary.suppliers[: len(chosen)]
    rows = _findings(render_xlsx(summary, findings_limit=limit))
    body, note = rows[1:-1], rows[-1]
    assert len(body) == count
    assert [(r[0], r[2], r[5]) for r in body] == _expected(summary, len(chosen))
    left = summary.suppliers[len(chosen) :]
    assert note[0] == (
        f"This sheet holds the findings of the {len(chosen):,} highest-priority suppliers "
        f"(ranks 1 to {len(chosen):,}, {count:,} findings). Left out: "
        f"{sum(r.finding_count for r in left):,} findings of the {len(left):,} suppliers ranked "
        f"below {len(chosen):,}; supplier-register export --format summary-json lists every "
        "finding of every supplier, and supplier-register score --supplier NAME one supplier's."
    )
    ws = load_workbook(io.BytesIO(render_xlsx(summary, findings_limit=limit)))["Findings"]
    assert ws.auto_filter.ref == f"A1:I{count + 1}"  # the note is outside the filter


def test_no_limit_and_a_limit_that_fits_write_every_finding() -> None:
    summary = _summary()
    every = sum(r.finding_count for r in summary.suppliers)
    assert every < FINDINGS_LIMIT
    whole = _findings(render_xlsx(summary, findings_limit=None))
    assert len(whole) == every + 1
    assert _findings(render_xlsx(summary)) == whole
    assert _findings(render_xlsx(summary, findings_limit=every)) == whole
    assert [(r[0], r[2], r[5]) for r in whole[1:]] == _expected(summary, len(summary.suppliers))


def test_zero_limit_says_so() -> None:
    summary = _summary()
    rows = _findings(render_xlsx(summary, findings_limit=0))
    assert len(rows) == 2
    assert str(rows[1][0]).startswith("This sheet holds no findings. Left out: ")


def test_only_the_chosen_suppliers_are_scored_in_full() -> None:
    db: Database = open_database(":memory:")
    Repository(db).import_register(generate_register(120, seed=8, today=TODAY))
    summary = risk_summary(db, TODAY)
    asked: list[Sequence[str]] = []
    every = summary._every_finding
    assert every is not None

    def spy(rows: Sequence[SupplierRow]):  # type: ignore[no-untyped-def]
        asked.append([r.supplier for r in rows])
        return every(rows)

    summary._every_finding = spy
    chosen, _ = findings_chosen(summary, 40)
    render_xlsx(summary, findings_limit=40)
    assert asked == [[r.supplier for r in chosen]]
    assert len(chosen) < len(summary.suppliers)


def test_rows_past_a_worksheet_and_the_limit_together(monkeypatch: pytest.MonkeyPatch) -> None:
    summary = _summary()
    monkeypatch.setattr(xlsx_export, "MAX_ROWS", 10)
    rows = _findings(render_xlsx(summary, findings_limit=50))
    assert len(rows) == 10
    assert str(rows[-2][0]).startswith("and ")
    assert str(rows[-1][0]).startswith("This sheet holds the findings of the ")
