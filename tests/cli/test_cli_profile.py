"""``profile show``, ``profile set``, ``profile findings`` and ``init``'s profile options: a bad
value is one line naming the field by its label, exit 2, and the register left exactly as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import small_register


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def stored(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return (
            conn.execute("SELECT * FROM trust_profile").fetchall()
            + conn.execute("SELECT * FROM settings").fetchall()
        )


def audit_rows(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    source = tmp_path / "small.json"
    source.write_text(dump_register_json(small_register()), encoding="utf-8")
    code, _, err = run("import", str(source), db=path)
    assert code == 0, err
    return path


def test_show_before_anything_is_recorded(db: Path) -> None:
    code, out, err = run("profile", "show", "--today", "2026-11-26", db=db)
    assert (code, err) == (0, "")
    assert "in-house digital staff (FTE)" in out
    assert out.count("not recorded") >= 4
    assert "The trust's digital and commercial staffing is not recorded" in out
    assert "(data gap)" in out


def test_set_then_show(db: Path) -> None:
    code, out, err = run(
        "profile",
        "set",
        "--ics",
        "Fellside ICS",
        "--digital-staff",
        "20",
        "--contractors",
        "12.5",
        "--today",
        "2026-11-26",
        db=db,
    )
    assert (code, err) == (0, "")
    assert "20 FTE" in out and "12.5 FTE" in out and "Fellside ICS" in out
    code, out, _ = run("profile", "show", "--format", "json", "--today", "2026-11-26", db=db)
    data = json.loads(out)
    assert data["profile"] == {
        "ics": "Fellside ICS",
        "digital_staff": 20,
        "commercial_staff": None,
        "contractors": 12.5,
        "updated_on": "2026-11-26",
        "version": 1,
    }
    assert data["figures"]["contractors' share of the digital team"] == "38%"
    assert [f["code"] for f in data["findings"]] == [
        "trust.contractor_dependence",
        "trust.profile_not_recorded",
    ]
    # fields not given stay as they are; an empty value clears one (not recorded)
    code, _, err = run("profile", "set", "--contractors", "", "--commercial-staff", "2", db=db)
    assert (code, err) == (0, "")
    _, out, _ = run("profile", "show", "--format", "json", db=db)
    profile = json.loads(out)["profile"]
    assert (profile["ics"], profile["digital_staff"]) == ("Fellside ICS", 20)
    assert (profile["contractors"], profile["commercial_staff"]) == (None, 2)
    assert profile["version"] == 2


def test_findings_table_and_json(db: Path) -> None:
    run("profile", "set", "--digital-staff", "10", "--contractors", "10", db=db)
    run("profile", "set", "--commercial-staff", "0", db=db)
    code, out, err = run("profile", "findings", db=db)
    assert (code, err) == (0, "")
    assert "Thin in-house commercial expertise" in out
    assert "The digital team depends on contractors" in out
    assert "Principle 6, Bring together digital and commercial experts" in out
    code, out, _ = run("profile", "findings", "--format", "json", db=db)
    found = json.loads(out)
    assert {f["code"] for f in found} == {"trust.thin_commercial", "trust.contractor_dependence"}
    assert all(f["quote"] for f in found)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--digital-staff", "-3"],
            "error: trust profile: in-house digital staff (FTE): must be at least 0",
        ),
        (
            ["--contractors", "lots"],
            "error: trust profile: contractors and interims in the digital team (FTE): must be "
            "a number",
        ),
        (
            ["--commercial-staff", "10001"],
            "error: trust profile: in-house commercial staff for technology (FTE): must be at "
            "most 10000",
        ),
        (
            ["--digital-staff", "1.234"],
            "error: trust profile: in-house digital staff (FTE): must have at most 2 decimal "
            "places",
        ),
        (
            ["--contractors", "3", "--ics", "North\x1b ICS"],
            "error: trust profile: integrated care system: must not contain control characters "
            "(found U+001B)",
        ),
        (
            ["--digital-staff", "3", "--trust-name", " "],
            "error: trust name: must not be empty",
        ),
    ],
)
def test_a_bad_value_is_one_line_and_changes_nothing(
    db: Path, args: list[str], message: str
) -> None:
    run("profile", "set", "--digital-staff", "5", "--ics", "Fellside ICS", db=db)
    before, entries = stored(db), audit_rows(db)
    code, out, err = run("profile", "set", *args, db=db)
    assert code == 2
    assert err.splitlines() == [message]
    assert out == ""
    assert stored(db) == before
    assert audit_rows(db) == entries


def test_set_with_nothing_to_set_is_a_usage_error(db: Path) -> None:
    code, _, err = run("profile", "set", db=db)
    assert code == 2
    assert err.startswith("error: nothing to set: give --trust-name, --ics")
    assert len(err.splitlines()) == 1


def test_init_records_the_profile_with_the_trust_name(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    code, out, err = run(
        "init",
        "--trust-name",
        "Fellside NHS Trust",
        "--ics",
        "Fellside ICS",
        "--digital-staff",
        "38",
        "--commercial-staff",
        "2",
        "--contractors",
        "14",
        "--today",
        "2026-11-26",
        db=path,
    )
    assert (code, err) == (0, "")
    assert out.startswith("Fellside NHS Trust: register ready")
    _, shown, _ = run("profile", "show", "--format", "json", db=path)
    data = json.loads(shown)
    assert data["trust"] == "Fellside NHS Trust"
    assert data["profile"]["digital_staff"] == 38
    assert data["profile"]["updated_on"] == "2026-11-26"


def test_init_with_a_bad_figure_records_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    code, _, err = run("init", "--trust", "Fellside NHS Trust", "--contractors", "-1", db=path)
    assert code == 2
    assert err.splitlines() == [
        "error: trust profile: contractors and interims in the digital team (FTE): must be "
        "at least 0"
    ]
    assert stored(path) == []  # neither the profile nor the trust's name


# --- the config file's [trust] table ----------------------------------------------------------


def demo(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--demo", *args, "--today", "2026-11-26"], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def trust_config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "scoring.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def finding_codes(*args: str) -> set[str]:
    code, out, err = demo("profile", "findings", "--format", "json", *args)
    assert (code, err) == (0, "")
    return {f["code"] for f in json.loads(out)}


def trust_priorities(*args: str) -> list[float]:
    code, out, err = demo("questions", "--format", "json", "--top", "1000", *args)
    assert (code, err) == (0, "")
    return [q["priority"] for q in json.loads(out)["questions"] if q["scope"] == "trust"]


def test_the_config_sets_where_the_contractor_finding_starts(tmp_path: Path) -> None:
    # The sample trust's contractors are 32% of its digital team: past the default 30%.
    assert "trust.contractor_dependence" in finding_codes()
    raised = trust_config(tmp_path, "[trust]\ncontractor_share = 0.5\n")
    assert "trust.contractor_dependence" not in finding_codes("--config", raised)
    code, out, err = demo("profile", "show", "--format", "json", "--config", raised)
    assert (code, err) == (0, "")
    assert json.loads(out)["findings"] == []
    # The board's questions follow the same thresholds: the trust's own question goes.
    assert len(trust_priorities()) == 1
    assert trust_priorities("--config", raised) == []


def test_the_config_sets_how_the_trusts_questions_rank(tmp_path: Path) -> None:
    (default,) = trust_priorities()
    (higher,) = trust_priorities(
        "--config", trust_config(tmp_path, "[trust]\nquestion_impact = 5\n")
    )
    assert higher == pytest.approx(default * 5 / 4)


def test_a_bad_trust_threshold_is_one_line(tmp_path: Path) -> None:
    bad = trust_config(tmp_path, "[trust]\ncontractor_share = 0\n")
    for command in (("profile", "findings"), ("profile", "show"), ("questions",)):
        code, out, err = demo(*command, "--config", bad)
        assert code == 2 and out == ""
        assert err.splitlines() == [f"error: {bad}: trust.contractor_share: must be more than 0"]


def test_updated_on_takes_a_date_as_forms_and_spreadsheets_write_it(db: Path) -> None:
    code, _, err = run(
        "profile", "set", "--digital-staff", "7", "--updated-on", "1 Nov 2026",
        "--today", "2026-11-26", db=db,
    )  # fmt: skip
    assert (code, err) == (0, "")
    code, out, _ = run("profile", "show", "--format", "json", "--today", "2026-11-26", db=db)
    assert json.loads(out)["profile"]["updated_on"] == "2026-11-01"
    code, _, err = run(
        "profile", "set", "--digital-staff", "8", "--updated-on", "11/31/2026", db=db
    )
    assert (code, err) == (2, "error: --updated-on: '11/31/2026' is not a date: month 31 "
                           "(dates are read day first)\n")  # fmt: skip
