"""The exports worked out straight from overviews equal the reference path through the summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

import pytest
from sqlite_utils import Database

from supplier_register.domain.models import Register
from supplier_register.domain.trusted import construct
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports import csv_export, render_summary
from supplier_register.reports.csv_export import iter_overview_csv
from supplier_register.reports.safety import guard_cell
from supplier_register.reports.summary import (
    TOP_FINDINGS,
    RiskSummary,
    SupplierRow,
    build_overview_summary,
)
from supplier_register.reports.tabular import QUESTION_COLUMNS, SUPPLIER_COLUMNS
from supplier_register.scoring import SupplierOverview
from supplier_register.services.exports import impact_of_noted, summary_export
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.oracles import build_summary
from tests.support.reportdata import TODAY, hostile_register, hostile_scores


def _database(register: Register) -> Database:
    db = open_database(":memory:")
    Repository(db).import_register(register)
    return db


@pytest.fixture(params=["sample", "synthetic", "hostile"])
def loaded(request: pytest.FixtureRequest) -> Database:
    if request.param == "sample":
        return _database(read_register_file(sample_register_path()))
    if request.param == "synthetic":
        return _database(generate_register(150, seed=11, today=TODAY))
    return _database(hostile_register())


def _joined(data: Iterable[str] | bytes) -> str:
    assert not isinstance(data, bytes)
    return "".join(data)


@pytest.mark.parametrize("today", [TODAY, dt.date(2025, 6, 30)])
def test_csv_from_overviews_is_the_reference_csv_byte_for_byte(
    loaded: Database, today: dt.date
) -> None:
    summary = risk_summary(loaded, today)
    # the export's csv carries the service impact section of every strategic and high supplier
    summary = summary.model_copy(update={"impact": impact_of_noted(loaded, summary, today)})
    reference = render_summary("csv", summary)
    assert isinstance(reference, str)
    assert reference.count("\r\n") > 6  # header, rows, gap, questions
    fast = _joined(summary_export(loaded, "csv", today))
    assert fast.encode("utf-8") == reference.encode("utf-8")


@pytest.mark.parametrize("size", [1, 7, 2000])
def test_csv_from_overviews_in_any_chunk_size(
    loaded: Database, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = risk_summary(loaded, TODAY)
    summary = summary.model_copy(update={"impact": impact_of_noted(loaded, summary, TODAY)})
    reference = render_summary("csv", summary)
    monkeypatch.setattr(csv_export, "_CHUNK_ROWS", size)
    stream = summary_export(loaded, "csv", TODAY)
    assert not isinstance(stream, bytes)
    pieces = list(stream)
    assert "".join(pieces) == reference
    suppliers = len(Repository(loaded).list_suppliers())
    assert len(pieces) >= suppliers // size


def test_csv_from_hand_made_overviews_guards_every_payload() -> None:
    """Overviews of hand-built scores (formula and markup payloads everywhere) give the same CSV."""
    register = hostile_register()
    scores = hostile_scores()
    db = _database(register)
    scoring = prepare_scoring(db, TODAY)
    real = scoring.overview(top_findings=TOP_FINDINGS)
    overviews = [SupplierOverview.of(s, TOP_FINDINGS) for s in scores.suppliers]
    made = type(real)(
        today=TODAY,
        suppliers=overviews,
        top_questions=scores.top_questions,
        question_counts=real.question_counts,
        ranked_questions=real.ranked_questions,
        context=real.context,
    )
    reference = render_summary(
        "csv", build_overview_summary(register.suppliers, made, lambda names: iter(()), TODAY)
    )
    fast = "".join(iter_overview_csv(register.suppliers, overviews, scores.top_questions, TODAY))
    assert fast == reference
    assert (
        "'=HYPERLINK" in fast and "'@SUM(A1)" in fast and "\\r=2 What if it fails?" in fast
    )  # CR shown escaped


def test_rows_made_fast_are_whole_valid_models(loaded: Database) -> None:
    """Summary rows are made by setting a model's attributes: they must be complete, valid models."""
    summary = risk_summary(loaded, TODAY)
    assert summary.suppliers
    fields = list(SupplierRow.model_fields)
    for row in summary.suppliers:
        again = construct(SupplierRow, **{name: getattr(row, name) for name in fields})
        assert row == again
        assert row.model_fields_set == again.model_fields_set == set(fields)
        assert list(row.model_dump()) == fields
        assert row.model_dump_json() == again.model_dump_json()
        assert SupplierRow.model_validate(row.model_dump()) == row
        assert row.model_copy(update={"rank": 7}).rank == 7


def _oracle_csv(summary: RiskSummary) -> str:
    """The CSV as written cell by cell through ``csv_value``: the reference the writer must equal."""
    buffer = io.StringIO()
    buffer.write(csv_export.BOM)
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([guard_cell(c.header) for c in SUPPLIER_COLUMNS])
    out.writerows(
        [csv_export.csv_value(c.get(r)) for c in SUPPLIER_COLUMNS] for r in summary.suppliers
    )
    out.writerow([])
    out.writerow([guard_cell(c.header) for c in QUESTION_COLUMNS])
    out.writerows(
        [csv_export.csv_value(c.get(q)) for c in QUESTION_COLUMNS] for q in summary.questions
    )
    return buffer.getvalue()


def test_column_table_writer_equals_the_cell_by_cell_oracle(loaded: Database) -> None:
    """The writer hands numbers and dates to the csv module as they are: the same text."""
    for today in (TODAY, dt.date(2025, 6, 30)):
        summary = risk_summary(loaded, today)
        assert render_summary("csv", summary) == _oracle_csv(summary)
    scores = hostile_scores()
    summary = build_summary(hostile_register(), scores, TODAY)
    assert render_summary("csv", summary) == _oracle_csv(summary)


def test_overview_lines_read_as_the_summary_rows(loaded: Database) -> None:
    """Every column reads the same value from an overview's line as from its summary row."""
    scoring = prepare_scoring(loaded, TODAY)
    overview = scoring.overview(top_findings=TOP_FINDINGS)
    summary = build_overview_summary(scoring.suppliers, overview, lambda names: iter(()), TODAY)
    lines = list(csv_export.overview_lines(scoring.suppliers, overview.suppliers, TODAY))
    assert len(lines) == len(summary.suppliers) > 0
    for line, row in zip(lines, summary.suppliers, strict=True):
        for column in SUPPLIER_COLUMNS:
            assert column.get(line) == column.get(row), column.header
