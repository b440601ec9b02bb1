"""Dated assurance through the CLI: import, list, export and import again; `due` lists it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from icalendar import Calendar

from supplier_register.cli import main
from supplier_register.interchange import sample_register_path
from supplier_register.storage import Repository, open_database

ASSURED = {
    "name": "Acme Ltd",
    "category": "epr",
    "criticality": "strategic",
    "runs_clinical_systems": True,
    "dspt_status": "standards_met",
    "dspt_year": "2025/26",
    "cyber_essentials": "plus",
    "cyber_essentials_expiry": "2026-03-03",
    "dtac_complete": True,
    "clinical_safety_case": True,
    "clinical_safety_case_date": "2026-01-20",
    "clinical_risk_assessment": False,
    "dpia_done": True,
    "dpia_date": "2025-06-12",
    "pen_test_date": "2026-05-18",
}


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_dated_assurance_round_trips_through_import_list_and_export(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    source = write(tmp_path / "in.json", {"format_version": 3, "suppliers": [ASSURED]})
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    code, out, _ = run("suppliers", "--format", "json", db=db)
    (listed,) = json.loads(out)
    assert {k: listed[k] for k in ASSURED} == ASSURED | {"dspt_year": "2025-26"}
    assert listed["dtac_date"] is None  # done, date not recorded
    assert listed["clinical_risk_assessment_date"] is None
    first = tmp_path / "first.json"
    assert run("export", "--format", "json", "--out", str(first), db=db)[0] == 0
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert exported["format_version"] == 4
    assert exported["suppliers"][0]["cyber_essentials_expiry"] == "2026-03-03"
    again = tmp_path / "again.db"
    assert run("import", str(first), db=again)[0] == 0
    second = tmp_path / "second.json"
    assert run("export", "--format", "json", "--out", str(second), db=again)[0] == 0
    assert second.read_bytes() == first.read_bytes()


def test_an_older_file_leaves_the_dates_as_stored_and_cannot_carry_them(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    run("import", str(write(tmp_path / "v3.json", {"suppliers": [ASSURED]})), db=db)
    undated = {k: v for k, v in ASSURED.items() if k in ("name", "category", "criticality")}
    v2 = write(tmp_path / "v2.json", {"format_version": 2, "suppliers": [undated | {"sme": True}]})
    code, _, err = run("import", str(v2), db=db)
    assert code == 0, err
    stored = Repository(open_database(db)).list_suppliers()[0]
    assert stored.sme is True
    assert stored.cyber_essentials_expiry == dt.date(2026, 3, 3)  # a v2 file says nothing of it
    assert stored.pen_test_date == dt.date(2026, 5, 18)
    dated_v2 = write(tmp_path / "bad.json", {"format_version": 2, "suppliers": [ASSURED]})
    before = Repository(open_database(db)).list_suppliers()
    code, out, err = run("import", str(dated_v2), db=db)
    assert (code, out) == (2, "")
    assert err.startswith("error: ")
    assert (
        "suppliers[0] (Acme Ltd): DSPT assessment year: only format_version 3 has it; set "
        '"format_version": 3 to import it'
    ) in err
    assert Repository(open_database(db)).list_suppliers() == before


def test_a_bad_assurance_value_is_one_line_naming_the_field(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    bad = write(
        tmp_path / "bad.json",
        {"suppliers": [ASSURED | {"dspt_year": "2025-27"}]},
    )
    code, out, err = run("import", str(bad), db=db)
    assert (code, out) == (2, "")
    assert err == (
        "error: suppliers[0] (Acme Ltd): DSPT assessment year: must be two consecutive years, "
        'such as "2025-26"\n'
    )
    undone = write(tmp_path / "undone.json", {"suppliers": [ASSURED | {"dpia_done": None}]})
    code, _, err = run("import", str(undone), db=db)
    assert code == 2 and "a date needs DPIA done to be 'yes'" in err


def test_due_lists_the_sample_assurance_and_the_calendar_names_it(tmp_path: Path) -> None:
    db = tmp_path / "sample.db"
    assert run("import", str(sample_register_path()), db=db)[0] == 0
    code, out, _ = run("due", "--today", "2026-12-07", "--format", "json", db=db)
    assert code == 1
    rows = [r for r in json.loads(out)["deadlines"] if r["kind"] == "assurance_expiry"]
    brightwater = {r["detail"]: r for r in rows if r["supplier"] == "Brightwater [UK] Ltd"}
    certificate = brightwater["Cyber Essentials Plus certificate"]
    assert (certificate["date"], certificate["overdue"], certificate["label"]) == (
        "2026-03-03",
        True,
        "assurance expires",
    )
    assert {r["detail"] for r in rows if not r["overdue"]} >= {"Cyber Essentials Plus certificate"}
    ics = tmp_path / "due.ics"
    run("due", "--today", "2026-12-07", "--format", "ics", "--out", str(ics), db=db)
    events = {str(e["UID"]): e for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    event = events[f"{certificate['uid']}@supplier-register.deadlines"]
    assert str(event["SUMMARY"]) == (
        "OVERDUE: Brightwater [UK] Ltd: assurance expires: Cyber Essentials Plus certificate"
    )
    assert event.decoded("DTSTART") == dt.date(2026, 3, 3)
    assert str(event["DESCRIPTION"]) == (
        "Brightwater [UK] Ltd's Cyber Essentials Plus certificate expired on 3 March 2026."
    )
    code, table, _ = run("due", "--today", "2026-12-07", db=db)
    assert "assurance expires: Cyber Essentials" in table
