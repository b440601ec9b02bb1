"""Dates, amounts and counts bounded at the edge, and stored values outside the bounds survived.

Dates are refused outside 1 Jan 1900 to 31 Dec 2200 and amounts above
£1,000,000,000,000 wherever they come in (models, JSON, spreadsheets, OCDS,
the command line); a register that already holds such values (an older
release, another tool) is still scored, listed, exported and reviewed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from pydantic import ValidationError

from supplier_register.cli import main
from supplier_register.domain.bounds import (
    DATE_MAX,
    DATE_MIN,
    MONEY_MAX,
    SQLITE_INT_MAX,
    STORED,
    add_days,
    add_months,
)
from supplier_register.domain.errors import BadFile, describe_validation_error
from supplier_register.domain.models import Answer, Contract, Supplier
from supplier_register.importers import values as v
from supplier_register.interchange import sample_register_path
from supplier_register.scoring import load_config
from tests.support.bounds import spoil
from tests.support.paths import IMPORT_FIXTURES
from tests.support.registers import dump

FIXTURES = IMPORT_FIXTURES
WINDOW = "must be between 1 Jan 1900 and 31 Dec 2200"
CEILING = "must be at most £1,000,000,000,000"


def invoke(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "200"}).invoke(main, list(args))


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


# --- the window and the ceiling, defined once --------------------------------------------------


def test_the_ceiling_keeps_any_50000_amounts_within_sqlite_integers() -> None:
    pence = int(MONEY_MAX * 100)
    assert 50_000 * pence <= SQLITE_INT_MAX
    assert (dt.date(1900, 1, 1), dt.date(2200, 12, 31)) == (DATE_MIN, DATE_MAX)


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (dt.date.max, 1, dt.date.max),
        (dt.date.min, -1, dt.date.min),
        (dt.date(2026, 1, 1), SQLITE_INT_MAX, dt.date.max),
        (dt.date(2026, 1, 1), -SQLITE_INT_MAX, dt.date.min),
        (dt.date(2026, 1, 1), 31, dt.date(2026, 2, 1)),
    ],
)
def test_add_days_stops_at_the_ends_of_the_calendar(
    day: dt.date, days: int, expected: dt.date
) -> None:
    assert add_days(day, days) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(9999, 12, 31), 1, dt.date.max),
        (dt.date(1, 1, 1), -1, dt.date.min),
        (dt.date(2026, 1, 1), SQLITE_INT_MAX, dt.date.max),
        (dt.date(2026, 1, 1), -SQLITE_INT_MAX, dt.date.min),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    ],
)
def test_add_months_stops_at_the_ends_of_the_calendar(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


# --- the models refuse, the stored context reads ------------------------------------------------

_CONTRACT = {
    "supplier": "A",
    "title": "X",
    "what_is_bought": "commodity",
    "contract_type": "unknown",
}
_SUPPLIER = {"name": "A", "category": "epr", "criticality": "high"}
_ANSWER = {"supplier": "A", "question_id": "exit.plan_exists", "answer": "yes"}
DATE_FIELDS = [
    (Supplier, _SUPPLIER, "last_review"),
    (Contract, _CONTRACT, "start_date"),
    (Contract, _CONTRACT, "end_date"),
    (Answer, _ANSWER, "answered_on"),
]


@pytest.mark.parametrize(("model", "base", "field"), DATE_FIELDS)
@pytest.mark.parametrize("day", ["0001-01-05", "1899-12-31", "2201-01-01", "9999-12-31"])
def test_dates_outside_the_window_are_refused_with_one_line(
    model: Any, base: dict[str, object], field: str, day: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**base, field: day})
    assert describe_validation_error(caught.value, "r") == [f"r: {field}: {WINDOW}"]
    stored = model.model_validate({**base, field: day}, context=STORED)
    assert getattr(stored, field) == dt.date.fromisoformat(day)


@pytest.mark.parametrize(("model", "base", "field"), DATE_FIELDS)
@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
def test_the_edges_of_the_window_are_accepted(
    model: Any, base: dict[str, object], field: str, day: str
) -> None:
    assert getattr(model.model_validate({**base, field: day}), field).isoformat() == day


@pytest.mark.parametrize("amount", [1e30, "1e30", "1000000000000.01", 10**40])
def test_amounts_above_the_ceiling_are_refused(amount: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Contract.model_validate({**_CONTRACT, "annual_value": amount})
    assert describe_validation_error(caught.value) == [f"annual_value: {CEILING}"]


def test_the_ceiling_itself_is_accepted() -> None:
    contract = Contract.model_validate({**_CONTRACT, "total_value": 1_000_000_000_000})
    assert contract.total_value == MONEY_MAX


def test_decide_by_never_raises_for_a_stored_record() -> None:
    early = Contract.model_validate(
        {**_CONTRACT, "end_date": "0001-01-05", "notice_period_days": SQLITE_INT_MAX},
        context=STORED,
    )
    assert early.decide_by() == dt.date.min


# --- importers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        (1e30, "'1e+30' is more than £1,000,000,000,000, the most an amount can be"),
        (
            "£999999999999999999999999bn",
            "'£999999999999999999999999bn' is more than £1,000,000,000,000, the most an amount "
            "can be",
        ),
        (Decimal("NaN"), "'NaN' is not an amount of money"),
        (float("inf"), "'inf' is not an amount of money"),
    ],
)
def test_spreadsheet_money_past_the_ceiling_is_a_reason_not_a_crash(
    cell: v.CellValue, reason: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        v.parse_money(cell)


@pytest.mark.parametrize("cell", [float("inf"), float("nan"), Decimal("Infinity"), "9" * 5000])
def test_spreadsheet_months_that_are_not_numbers_are_reasons(cell: v.CellValue) -> None:
    with pytest.raises(ValueError, match="number of months"):
        v.parse_months(cell)


@pytest.mark.parametrize("cell", ["31/12/9999", "0001-01-05", dt.date(2201, 1, 1)])
def test_spreadsheet_dates_outside_the_window_are_reasons(cell: v.CellValue) -> None:
    with pytest.raises(ValueError, match=WINDOW):
        v.parse_date(cell)


def test_spreadsheet_rows_outside_the_bounds_are_rejected_naming_the_column(
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(
        "Supplier,Category,Criticality,Contract,End date,Annual value\n"
        "Acme Ltd,EPR,High,EPR support,31/12/9999,1000\n"
        "Beta Ltd,EPR,High,Hosting,31/03/2027,"
        '"£2,000,000,000,000"\n'
        "Delta Ltd,EPR,High,Other,01/01/2027,2000\n",
        encoding="utf-8",
    )
    db = tmp_path / "r.db"
    result = invoke("--db", str(db), "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert (
        "row 2, column \"End date\": '31/12/9999' is not a date the register holds: it "
        f"{WINDOW}" in result.stdout
    )
    assert (
        "row 3, column \"Annual value\": '£2,000,000,000,000' is more than £1,000,000,000,000"
        in result.stdout
    )
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM suppliers")] == ["Delta Ltd"]


def test_ocds_amount_of_1e30_is_rejected_not_a_crash(tmp_path: Path) -> None:
    text = (FIXTURES / "ocds_release_package.json").read_text(encoding="utf-8")
    package = tmp_path / "ocds.json"
    package.write_text(text.replace('"amount": 1500000', '"amount": 1e30'), encoding="utf-8")
    db = tmp_path / "r.db"
    result = invoke("--db", str(db), "import-ocds", str(package), "--buyer", "GB-NHS-RNV")
    assert result.exit_code == 0, result.output
    assert "'1E+30' is more than £1,000,000,000,000, the most an amount can be" in result.stdout


@pytest.mark.parametrize(
    ("record", "line"),
    [
        (
            {"contracts": [{**_CONTRACT, "supplier": "A", "end_date": "0001-01-05"}]},
            f"error: contracts[0] (X): end date: {WINDOW}",
        ),
        (
            {"suppliers": [{**_SUPPLIER, "last_review": "9999-12-31"}]},
            f"error: suppliers[0] (A): last_review: {WINDOW}",
        ),
        (
            {"suppliers": [{**_SUPPLIER, "annual_spend": 1e30}]},
            f"error: suppliers[0] (A): annual_spend: {CEILING}",
        ),
    ],
)
def test_json_import_outside_the_bounds_is_one_line_and_changes_nothing(
    tmp_path: Path, record: dict[str, Any], line: str
) -> None:
    db = tmp_path / "r.db"
    assert invoke("--db", str(db), "init").exit_code == 0
    before = dump(db)
    data = {"suppliers": [_SUPPLIER], **record}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = invoke("--db", str(db), "import", str(path))
    assert result.exit_code == 2
    assert error_lines(result) == [line]
    assert dump(db) == before


# --- --config ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\x00binary\x80", "not valid TOML: not UTF-8 text"),
        (b"a = " + b"[" * 50_000 + b"]" * 50_000, "not valid TOML: nested too deeply"),
        (b"top_questions = " + b"9" * 5000, "not valid TOML: a number is thousands of digits"),
        (b"[exposure]\npoints_scale = inf", "must be a finite number"),
        (b"[dimension_weights]\nbuying = nan", "must be a finite number"),
        (b"[impact.base]\nhigh = 1e308", "impacts must be between 0.5 and 5"),
        (b"[trust]\ncontractor_share = 1.5", "trust.contractor_share: must be at most"),
        (b"[trust]\nlow_digital_staff = inf", "trust.low_digital_staff: must be a finite"),
        (b"[trust]\ncontractors = 0.5", "trust.contractors: unknown field"),
        # A setting of the first score model, in a config file written for it.
        (b"[criticality_weights]\nhigh = 1e308", "criticality_weights is no longer used"),
    ],
)
def test_a_bad_config_file_is_one_line(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "scoring.toml"
    path.write_bytes(content)
    with pytest.raises(BadFile, match=reason):
        load_config(path)
    result = invoke("--demo", "score", "--config", str(path), "--today", "2026-11-26")
    assert result.exit_code == 2
    assert len(error_lines(result)) == 1 and reason in result.stderr


# --- a register already holding values outside the bounds ---------------------------------------


@pytest.fixture(scope="module")
def spoiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("spoiled") / "register.db"
    assert invoke("--db", str(db), "import", str(sample_register_path())).exit_code == 0
    spoil(db)
    return db


SPOILED_COMMANDS = [
    ("score", "--today", "2026-11-26"),
    ("score", "--format", "json", "--today", "2200-12-31"),
    ("score", "--today", "1900-01-01"),
    ("score", "--supplier", "Brightwater [UK] Ltd", "--today", "2026-11-26"),
    ("questions", "--format", "md", "--today", "2026-11-26"),
    ("questions", "--format", "json", "--today", "2200-12-31"),
    ("contracts",),
    ("contracts", "--format", "json"),
    ("suppliers",),
    ("export",),
    ("export", "--format", "csv", "--today", "2026-11-26"),
    ("export", "--format", "html", "--today", "2026-11-26"),
    ("export", "--format", "md", "--today", "2026-11-26"),
    ("export", "--format", "summary-json", "--today", "2026-11-26"),
    ("audit", "--format", "csv"),
    ("board", "--today", "2026-11-26"),
    ("board", "--format", "json", "--today", "2200-12-31"),
    ("board", "--format", "md", "--today", "1900-01-01"),
    ("export", "--format", "csv", "--list", "decisions", "--today", "2026-11-26"),
    ("export", "--format", "csv", "--list", "actions", "--today", "2026-11-26"),
]


@pytest.mark.parametrize("args", SPOILED_COMMANDS, ids=" ".join)
def test_stored_values_outside_the_bounds_never_crash(spoiled: Path, args: tuple[str, ...]) -> None:
    result = invoke("--db", str(spoiled), *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0, result.output


def test_stored_values_outside_the_bounds_are_reviewed(tmp_path: Path, spoiled: Path) -> None:
    db = tmp_path / "copy.db"
    db.write_bytes(spoiled.read_bytes())
    out = tmp_path / "summary.xlsx"
    steps = [
        ("export", "--format", "xlsx", "--out", str(out), "--today", "2026-11-26"),
        ("review", "start", "2026-Q4", "--today", "2026-11-26"),
        ("review", "show", "--today", "2026-11-27"),
        ("review", "show", "--format", "json", "--today", "2026-11-27"),
        ("review", "action", "add", "2026-Q4", "--what", "Check", "--owner", "Sam", "--due",
         "2026-12-31", "--today", "2026-11-27"),
        ("review", "action", "done", "1", "--today", "2026-11-28"),
        ("review", "close", "2026-Q4", "--today", "2026-11-29"),
        ("review", "export", "2026-Q4", "--format", "html"),
        ("review", "export", "2026-Q4", "--format", "md"),
        ("review", "start", "2027-Q1", "--today", "2027-01-04"),
        ("review", "show", "--today", "2027-01-05"),
    ]  # fmt: skip
    for args in steps:
        result = invoke("--db", str(db), *args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert result.exit_code == 0, (args, result.output)
    shown = json.loads(invoke("--db", str(db), "contracts", "--format", "json").stdout)
    assert {"0001-01-05", "9999-12-31"} <= {c["end_date"] for c in shown}
