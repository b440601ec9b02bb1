"""``due``: the sample register's deadlines soonest first, overdue flagged, exit 1 when something
is overdue (0 when nothing is), as a table, JSON or an iCalendar file that reads back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from supplier_register.cli import main
from supplier_register.domain import Contract, Register, Supplier
from supplier_register.interchange import dump_register_json

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "register.json"
TODAY = "2026-11-26"


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def load(tmp_path: Path, source: Path) -> Path:
    db = tmp_path / "r.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    return db


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load(tmp_path_factory.mktemp("sample"), SAMPLE)


def due_json(db: Path, *args: str) -> tuple[int, dict[str, object]]:
    code, out, err = run("due", "--today", TODAY, "--format", "json", *args, db=db)
    assert err == ""
    return code, json.loads(out)


def test_sample_json_soonest_first_overdue_flagged_exit_1(sample: Path) -> None:
    code, doc = due_json(sample)
    assert code == 1
    rows = doc["deadlines"]
    assert isinstance(rows, list)
    assert set(rows[0]) == {
        "supplier", "supplier_id", "contract", "contract_id", "kind", "label", "detail", "date",
        "days_left", "overdue", "meaning", "uid",
    }  # fmt: skip
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    today = dt.date.fromisoformat(TODAY)
    for r in rows:
        day = dt.date.fromisoformat(r["date"])
        assert r["days_left"] == (day - today).days
        assert r["overdue"] is (day < today)
        assert r["days_left"] <= 90
        assert r["kind"] in {
            "decide_by", "notice_by", "contract_end", "review_due", "assurance_expiry"
        }  # fmt: skip
        assert (r["detail"] is None) is (r["kind"] != "assurance_expiry")
        assert r["meaning"].endswith(".")
    overdue = [r for r in rows if r["overdue"]]
    assert overdue and doc["overdue"] == len(overdue)
    assert rows[: len(overdue)] == overdue  # every overdue one comes before the rest
    assert any(not r["overdue"] for r in rows)
    first = rows[0]
    assert (first["supplier"], first["kind"], first["date"]) == (
        "Veridane Health Systems Ltd",
        "decide_by",
        "2025-04-01",
    )
    assert len({r["uid"] for r in rows}) == len(rows)


def test_days_filters_what_lies_ahead_not_what_is_overdue(sample: Path) -> None:
    _, wide = due_json(sample, "--days", "365")
    _, narrow = due_json(sample, "--days", "10")
    wide_rows, narrow_rows = wide["deadlines"], narrow["deadlines"]
    assert isinstance(wide_rows, list) and isinstance(narrow_rows, list)
    assert len(narrow_rows) < len(wide_rows)
    assert [r for r in wide_rows if r["overdue"]] == [r for r in narrow_rows if r["overdue"]]
    assert all(r["days_left"] <= 10 for r in narrow_rows)
    assert any(r["days_left"] > 90 for r in wide_rows)


def test_table_names_and_flags_the_overdue(sample: Path, tmp_path: Path) -> None:
    code, out, err = run("due", "--today", TODAY, db=sample)
    assert (code, err) == (1, "")
    assert "OVERDUE: decide by" in out
    assert "Veridane Health Systems Ltd" in out
    assert out.index("604 overdue") < out.index("2025-07-10")
    written = tmp_path / "due.txt"
    code, stdout, err = run("due", "--today", TODAY, "--out", str(written), db=sample)
    assert (code, stdout, err) == (1, "", "")
    assert written.read_text(encoding="utf-8") == out


def test_ics_reads_back_with_the_same_events(sample: Path, tmp_path: Path) -> None:
    _, doc = due_json(sample)
    rows = doc["deadlines"]
    assert isinstance(rows, list)
    out = tmp_path / "due.ics"
    code, stdout, err = run(
        "due", "--today", TODAY, "--format", "ics", "--out", str(out), db=sample
    )
    assert (code, stdout, err) == (1, "", "")
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["VERSION"]) == "2.0"
    assert "supplier-register" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert len(events) == len(rows)
    for event, row in zip(events, rows, strict=True):
        assert event["UID"] == f"{row['uid']}@supplier-register.deadlines"
        assert event.decoded("DTSTART") == dt.date.fromisoformat(row["date"])
        assert row["supplier"] in str(event["SUMMARY"])
        assert str(event["DESCRIPTION"]) == row["meaning"]
        triggers = sorted(a.decoded("TRIGGER") for a in event.walk("VALARM"))
        assert triggers == [dt.timedelta(days=-7), dt.timedelta(hours=9)]
    # the same register and day give the same file: a re-import updates, never duplicates
    again = tmp_path / "again.ics"
    run("due", "--today", TODAY, "--format", "ics", "--out", str(again), db=sample)
    assert again.read_bytes() == out.read_bytes()
    # a later day's export: the same UIDs, each a newer revision
    later = tmp_path / "later.ics"
    run("due", "--today", "2026-12-03", "--format", "ics", "--out", str(later), db=sample)
    newer = {
        str(e["UID"]): int(str(e["SEQUENCE"]))
        for e in Calendar.from_ical(later.read_bytes()).walk("VEVENT")
    }
    older = {str(e["UID"]): int(str(e["SEQUENCE"])) for e in events}
    shared = newer.keys() & older.keys()
    assert len(shared) >= len(older) - 5
    assert all(newer[uid] == older[uid] + 7 for uid in shared)


def hostile_register(name: str) -> Register:
    return Register(
        suppliers=[Supplier(name=name, category="epr", criticality="low")],
        contracts=[
            Contract(
                supplier=name,
                title="Licence; support, hosting",
                what_is_bought="commodity",
                contract_type="subscription_saas",
                end_date=dt.date(2027, 1, 15),
                notice_period_days=30,
                auto_renewal=True,
            )
        ],
    )


def test_nothing_overdue_exits_0_and_user_text_round_trips_in_ics(tmp_path: Path) -> None:
    name = 'Comma, Semi; Colon: "Back\\slash" Ltd'
    source = tmp_path / "hostile.json"
    source.write_text(dump_register_json(hostile_register(name)), encoding="utf-8")
    db = load(tmp_path, source)
    code, out, err = run("due", "--today", TODAY, "--format", "ics", db=db)
    assert (code, err) == (0, "")
    events = Calendar.from_ical(out).walk("VEVENT")
    # notice by 16 December (the decide-by date is the same day, so it is not listed twice)
    assert [e.decoded("DTSTART") for e in events] == [dt.date(2026, 12, 16), dt.date(2027, 1, 15)]
    for event in events:
        assert name in str(event["SUMMARY"])
        assert "'Licence; support, hosting'" in str(event["SUMMARY"])
    assert "\\, " in out and "\\;" in out  # escaped on the wire, not raw separators
    code, out, err = run("due", "--today", TODAY, "--days", "10", db=db)
    assert (code, err) == (0, "")
    assert "Nothing falls due in the next 10 days and nothing is overdue." in out


def test_newlines_in_user_text_stay_inside_one_property() -> None:
    from supplier_register.reports.calendar_ics import deadlines_ics
    from supplier_register.scoring.deadlines import Deadline

    name = "Line one\nBEGIN:VEVENT\r\nSUMMARY:forged, x; y"
    deadline = Deadline(1, name, None, None, "review_due", dt.date(2027, 1, 1), 36, False, name)
    data = deadlines_ics([deadline], dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    events = Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 1
    read_back = name.replace("\r\n", "\n")  # a line end comes back as one newline
    assert str(events[0]["DESCRIPTION"]) == read_back
    assert read_back in str(events[0]["SUMMARY"])
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1  # the text's "BEGIN:VEVENT" never starts a line
    assert not any(line.startswith(b"SUMMARY:forged") for line in lines)


def test_usage_errors_exit_2(sample: Path) -> None:
    code, _, err = run("due", "--days", "-1", db=sample)
    assert code == 2 and err.startswith("error:")
    code, _, err = run("due", "--format", "pdf", db=sample)
    assert code == 2
    code, _, err = run("due", "--today", "26/11/2026", db=sample)
    assert code == 2


def test_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(main, ["due", "--help"])
    assert result.exit_code == 0
    assert "1  something is overdue" in result.output
    assert "0  nothing is overdue" in result.output


def test_at_80_columns_each_deadline_is_a_block(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from supplier_register.cli import main
    from supplier_register.interchange import sample_register_path

    db = tmp_path / "sample.db"
    runner = CliRunner(env={"COLUMNS": "80"})
    assert (
        runner.invoke(main, ["--db", str(db), "import", str(sample_register_path())]).exit_code == 0
    )
    result = runner.invoke(main, ["--db", str(db), "due", "--today", "2026-11-26"])
    assert result.exit_code == 1  # something is overdue
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "┃" not in result.stdout  # no table cut at the edge
    assert lines[1].startswith("2025-04-01  604 overdue  OVERDUE: decide by · Veridane")
