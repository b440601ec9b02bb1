"""The summary built from overviews exports exactly what the summary of full scores exports."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from supplier_register.domain.models import Register
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.reports import (
    SUMMARY_FORMATS,
    RiskSummary,
    SupplierRow,
    csv_export,
    markdown,
    render_summary,
    stream_summary,
    xlsx_export,
)
from supplier_register.reports.json_export import iter_summary_json
from supplier_register.reports.summary import DETAIL_FINDINGS
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.oracles import build_summary, paper_summary, score_register
from tests.support.reportdata import TODAY, hostile_register, hostile_scores


@pytest.fixture(params=["sample", "synthetic"])
def loaded(request: pytest.FixtureRequest) -> Database:
    register: Register = (
        read_register_file(sample_register_path())
        if request.param == "sample"
        else generate_register(120, seed=5, today=TODAY)
    )
    db = open_database(":memory:")
    Repository(db).import_register(register)
    return db


def _sheets(data: bytes) -> dict[str, bytes]:
    """The workbook's parts, less the save time openpyxl stamps on every file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("today", [TODAY, dt.date(2025, 6, 30)])
@pytest.mark.parametrize("fmt", list(SUMMARY_FORMATS))
def test_every_format_matches_the_full_summary(loaded: Database, today: dt.date, fmt: str) -> None:
    register = Repository(loaded).load_register()
    expected = render_summary(
        fmt, paper_summary(register, score_register(register, today=today), today)
    )
    cheap = risk_summary(loaded, today)
    got = render_summary(fmt, cheap)
    if isinstance(expected, bytes):  # xlsx: the board pack's lists have sheets of their own
        assert isinstance(got, bytes)
        assert _sheets(got) == _sheets(expected)
    else:
        assert got == expected
        streamed = stream_summary(fmt, cheap)
        assert not isinstance(streamed, bytes)
        assert "".join(streamed) == expected


@pytest.mark.parametrize("today", [TODAY, dt.date(2025, 6, 30)])
def test_the_board_pack_matches_the_one_from_full_scores(loaded: Database, today: dt.date) -> None:
    register = Repository(loaded).load_register()
    full = paper_summary(register, score_register(register, today=today), today).board
    cheap = risk_summary(loaded, today).board
    assert full is not None and cheap is not None
    assert cheap == full
    assert cheap.decisions or cheap.actions


def test_rows_name_only_what_the_exports_explain(loaded: Database) -> None:
    register = Repository(loaded).load_register()
    full = build_summary(register, score_register(register, today=TODAY), TODAY)
    cheap = risk_summary(loaded, TODAY)
    assert sum(len(r.findings) for r in cheap.suppliers) < sum(
        len(r.findings) for r in full.suppliers
    )
    for mine, theirs in zip(cheap.suppliers, full.suppliers, strict=True):
        assert mine.findings == theirs.findings[: len(mine.findings)]
        assert not mine.impact_reasons  # what sets the impact is worked out with the findings
        update = {"findings": theirs.findings, "impact_reasons": theirs.impact_reasons}
        assert mine.model_copy(update=update) == theirs
    assert list(cheap.rows_with_every_finding()) == full.suppliers
    detailed = list(cheap.noted_in_detail())
    assert [r.supplier for r in detailed] == [r.supplier for r in full.noted()]
    for mine, theirs in zip(detailed, full.noted(), strict=True):
        assert mine.findings == theirs.findings[:DETAIL_FINDINGS]
        assert mine.impact_reasons == theirs.impact_reasons and mine.impact_reasons
    assert list(full.noted_in_detail()) == full.noted()


def test_rows_made_without_validation_are_valid(loaded: Database) -> None:
    """Rows are built with model_construct: validating them again must change nothing."""
    for summary in (risk_summary(loaded, TODAY), risk_summary(loaded, dt.date(2025, 6, 30))):
        dumped = summary.model_dump()
        assert RiskSummary.model_validate(dumped).model_dump() == dumped
        for row in summary.rows_with_every_finding():
            assert SupplierRow.model_validate(row.model_dump()) == row


def test_streamed_json_of_a_full_summary_is_its_model_dump() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    text = "".join(iter_summary_json(summary))
    assert text == summary.model_dump_json(indent=2) + "\n"
    assert json.loads(text)["suppliers"][0]["finding_count"] == 4


def test_findings_beyond_a_worksheet_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    every = sum(r.finding_count for r in summary.suppliers)
    assert every == 5
    monkeypatch.setattr(xlsx_export, "MAX_ROWS", 4)  # the header and three rows
    data = render_summary("xlsx", summary)
    assert isinstance(data, bytes)
    ws = load_workbook(io.BytesIO(data))["Findings"]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 4
    assert rows[-1][0] == (
        "and 3 more rows: a worksheet holds at most 4 rows (supplier-register export --format "
        "summary-json lists every finding of every supplier, and supplier-register score "
        "--supplier NAME one supplier's)"
    )
    assert ws.auto_filter.ref == "A1:I3"
    monkeypatch.setattr(xlsx_export, "MAX_ROWS", 6)  # exactly enough
    data = render_summary("xlsx", summary)
    assert isinstance(data, bytes)
    rows = list(load_workbook(io.BytesIO(data))["Findings"].iter_rows(values_only=True))
    assert len(rows) == 6 and isinstance(rows[-1][0], int)


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_pieces_join_to_the_same_text_at_any_size(
    loaded: Database, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = risk_summary(loaded, TODAY)
    whole = render_summary(fmt, summary)
    for size in (1, 7, 31):
        monkeypatch.setattr(csv_export, "_CHUNK_ROWS", size)
        monkeypatch.setattr(markdown, "_CHUNK_ROWS", size)
        pieces = stream_summary(fmt, summary)
        assert not isinstance(pieces, bytes)
        pieces = list(pieces)
        assert len(pieces) >= len(summary.suppliers) // size
        assert "".join(pieces) == whole
