"""``ics``: partner trusts' shared files lined up per supplier, with joint windows (issue 19)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.models import Contract, Register, Supplier
from supplier_register.interchange import dump_register_json
from tests.support.registers import TODAY
from tests.support.shares import contract, share_document, supplier, write_share

NOTICE = 90
"""Days' notice of every contract here, and no migration time: decide-by = end - 90 days."""


def run(*args: str, db: Path | None = None, columns: int = 200) -> tuple[int, str, str]:
    prefix = ["--db", str(db)] if db is not None else []
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
        main, [*prefix, *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def _trust_register(
    trust: str, acme_name: str, acme_decide_by: dt.date, *, only_here: str | None = None
) -> Register:
    suppliers = [
        Supplier(
            name=acme_name,
            category="epr",
            criticality="strategic",
            company_number="01234567",
        )
    ]
    contracts = [
        Contract(
            supplier=acme_name,
            title="EPR licence and support",
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            procurement_route="framework",
            start_date=dt.date(2022, 4, 1),
            end_date=acme_decide_by + dt.timedelta(days=NOTICE),
            notice_period_days=NOTICE,
            migration_lead_time_days=0,
        )
    ]
    if only_here is not None:
        suppliers.append(Supplier(name=only_here, category="devices", criticality="low"))
        contracts.append(
            Contract(
                supplier=only_here,
                title="Laptops",
                what_is_bought="commodity",
                contract_type="pay_as_you_go",
                end_date=dt.date(2027, 5, 31),
                notice_period_days=30,
            )
        )
    return Register(trust=trust, suppliers=suppliers, contracts=contracts)


def _shared_file(tmp_path: Path, name: str, register: Register) -> Path:
    """A register imported into its own database, then exported with `export --format share`."""
    source = tmp_path / f"{name}-source.json"
    source.write_text(dump_register_json(register), encoding="utf-8")
    db = tmp_path / f"{name}.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    out = tmp_path / f"{name}-shared.json"
    code, _, err = run(
        "export", "--format", "share", "--today", TODAY.isoformat(), "--out", str(out), db=db
    )
    assert code == 0, err
    return out


def _two_trusts(tmp_path: Path, months_apart: int) -> tuple[Path, Path, dt.date, dt.date]:
    first = dt.date(2027, 3, 1)
    second = first.replace(month=first.month + months_apart)
    a = _shared_file(
        tmp_path,
        "riverside",
        _trust_register(
            "Riverside NHS Trust", "Acme Health Systems Ltd", first, only_here="Local Laptops Ltd"
        ),
    )
    b = _shared_file(
        tmp_path,
        "hillside",
        _trust_register("Hillside NHS Foundation Trust", "ACME Health-Systems Limited", second),
    )
    return a, b, first, second


def _ics_json(*paths: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    code, out, err = run(
        "ics", *map(str, paths), "--format", "json", "--today", TODAY.isoformat(), *extra
    )
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def test_two_trusts_exports_find_the_common_supplier_and_its_joint_window(
    tmp_path: Path,
) -> None:
    a, b, first, second = _two_trusts(tmp_path, months_apart=3)
    document = _ics_json(a, b)
    assert document["format"] == "supplier-register-ics"
    assert document["summary"] == {
        "trusts": 2,
        "suppliers": 2,
        "shared_suppliers": 1,
        "with_joint_window": 1,
    }
    (acme,) = document["suppliers"]  # only the supplier two trusts use, by default
    assert acme["trusts"] == ["Hillside NHS Foundation Trust", "Riverside NHS Trust"]
    assert set(acme["names"]) == {"Acme Health Systems Ltd", "ACME Health-Systems Limited"}
    assert acme["company_numbers"] == ["01234567"]
    assert {u["trust"]: u["criticality"] for u in acme["uses"]} == {
        "Hillside NHS Foundation Trust": "strategic",
        "Riverside NHS Trust": "strategic",
    }
    assert all(isinstance(u["score"], int) and u["band"] for u in acme["uses"])
    (window,) = acme["joint_windows"]
    assert (window["start"], window["end"]) == (first.isoformat(), second.isoformat())
    assert window["trusts"] == ["Hillside NHS Foundation Trust", "Riverside NHS Trust"]
    assert [c["decide_by"] for c in acme["timeline"]] == [first.isoformat(), second.isoformat()]
    assert acme["timeline"][0]["end_date"] == (first + dt.timedelta(days=NOTICE)).isoformat()

    # the supplier only one trust uses is there with --all, with no window
    every = _ics_json(a, b, extra=("--all",))
    alone = next(s for s in every["suppliers"] if s["name"] == "Local Laptops Ltd")
    assert alone["trusts"] == ["Riverside NHS Trust"] and alone["joint_windows"] == []


def test_eight_months_apart_is_no_joint_window(tmp_path: Path) -> None:
    a, b, _, _ = _two_trusts(tmp_path, months_apart=8)
    document = _ics_json(a, b)
    (acme,) = document["suppliers"]
    assert len(acme["trusts"]) == 2  # still matched
    assert acme["joint_windows"] == []
    assert document["summary"]["with_joint_window"] == 0


def test_the_table_and_markdown_show_the_window(tmp_path: Path) -> None:
    a, b, first, second = _two_trusts(tmp_path, months_apart=3)
    code, out, err = run("ics", str(a), str(b), "--today", TODAY.isoformat())
    assert code == 0, err
    assert "Hillside NHS Foundation Trust" in out and "Riverside NHS Trust" in out
    assert f"{first.isoformat()} to {second.isoformat()}" in out
    assert "Local Laptops" not in out
    code, md, err = run("ics", str(a), str(b), "--format", "md", "--today", TODAY.isoformat())
    assert code == 0, err
    assert md.startswith("# ICS view of shared supplier registers on 2026-11-26")
    assert f"| {first.isoformat()} to {second.isoformat()} |" in md


def test_no_register_is_needed_or_opened(tmp_path: Path) -> None:
    pool = tmp_path / "pool"
    pool.mkdir()
    write_share(pool / "a.json", share_document("Trust A", [supplier("Acme")]))
    write_share(pool / "b.json", share_document("Trust B", [supplier("ACME LTD")]))
    db = tmp_path / "never" / "register.db"
    code, out, err = run("ics", str(pool), "--format", "json", db=db)
    assert code == 0, err
    assert json.loads(out)["summary"]["shared_suppliers"] == 1
    assert not db.parent.exists()


def test_a_bad_file_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    good = write_share(tmp_path / "a.json", share_document("Trust A", [supplier("Acme")]))
    bad = tmp_path / "b.json"
    bad.write_text(json.dumps({"format": "supplier-register-share", "format_version": 9}))
    code, out, err = run("ics", str(good), str(bad))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {bad}: format version 9 is newer")


def test_two_exports_of_one_trust_warn_and_keep_the_later(tmp_path: Path) -> None:
    old = write_share(
        tmp_path / "old.json",
        share_document("Trust A", [supplier("Old Ltd")], exported_at="2026-01-01T09:00:00+00:00"),
    )
    new = write_share(tmp_path / "new.json", share_document("Trust A", [supplier("New Ltd")]))
    code, out, err = run("ics", str(old), str(new), "--format", "json", "--all")
    assert code == 0
    assert err.startswith(f"warning: {old}: an older export of Trust A")
    assert [s["name"] for s in json.loads(out)["suppliers"]] == ["New Ltd"]


def test_out_needs_force_and_never_overwrites_a_shared_file(tmp_path: Path) -> None:
    a = write_share(tmp_path / "a.json", share_document("Trust A", [supplier("Acme")]))
    b = write_share(tmp_path / "b.json", share_document("Trust B", [supplier("Acme")]))
    before = a.read_bytes()
    code, _, err = run("ics", str(a), str(b), "--format", "json", "--out", str(a), "--force")
    assert code == 2 and err.startswith("error:")
    assert a.read_bytes() == before
    out = tmp_path / "view.md"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run("ics", str(a), str(b), "--format", "md", "--out", str(out))
    assert code == 2 and err.startswith("error:")
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, err = run("ics", str(a), str(b), "--format", "md", "--out", str(out), "--force")
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("# ICS view")
    table = tmp_path / "view.txt"
    code, _, err = run("ics", str(a), str(b), "--out", str(table))
    assert code == 0, err
    assert "Trust A" in table.read_text(encoding="utf-8")


HOSTILE = "Acme *bold* [link](http://x) <b>|\x1b[31m"


def test_user_text_is_data_in_markdown_and_on_the_terminal(tmp_path: Path) -> None:
    a = write_share(
        tmp_path / "a.json",
        share_document(
            "Trust <A>",
            [supplier(HOSTILE)],
            [contract(HOSTILE, "EPR | `x`", end_date="2027-06-01", decide_by="2027-03-01")],
        ),
    )
    b = write_share(tmp_path / "b.json", share_document("Trust B", [supplier(HOSTILE)]))
    code, md, err = run("ics", str(a), str(b), "--format", "md")
    assert code == 0, err
    assert "\x1b" not in md
    assert "*bold*" not in md and "[link](" not in md and "<b>" not in md
    assert r"\*bold\*" in md and r"EPR \| \`x\`" in md and r"Trust \<A\>" in md
    code, out, err = run("ics", str(a), str(b))
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b" in out
    assert "[link](http://x)" in out  # literal, never markup


@pytest.mark.parametrize("fmt", ["table", "json", "md"])
def test_every_format_is_offered(tmp_path: Path, fmt: str) -> None:
    a = write_share(tmp_path / "a.json", share_document("Trust A", [supplier("Acme")]))
    code, _, err = run("ics", str(a), "--format", fmt)
    assert code == 0, err


def test_nothing_given_is_a_usage_error() -> None:
    code, _, err = run("ics")
    assert code == 2 and err.startswith("error:")


def test_the_json_keys_are_the_documented_ones(tmp_path: Path) -> None:
    """reports/ics.py documents the structure; keys are only ever added."""
    a = write_share(
        tmp_path / "a.json",
        share_document(
            "Trust A",
            [supplier("Acme")],
            [contract("Acme", "EPR", end_date="2027-06-01", decide_by="2027-03-01")],
        ),
    )
    b = write_share(
        tmp_path / "b.json",
        share_document(
            "Trust B",
            [supplier("Acme")],
            [contract("Acme", "EPR", end_date="2027-07-01", decide_by="2027-04-01")],
        ),
    )
    document = _ics_json(a, b)
    assert list(document) == [
        "format",
        "format_version",
        "today",
        "window_months",
        "window_rule",
        "files",
        "warnings",
        "summary",
        "suppliers",
    ]
    assert list(document["files"][0]) == [
        "file",
        "trust",
        "exported_by",
        "exported_at",
        "as_of",
        "redacted",
        "suppliers",
        "contracts",
    ]
    (acme,) = document["suppliers"]
    assert list(acme) == [
        "name",
        "names",
        "company_numbers",
        "trusts",
        "uses",
        "joint_windows",
        "timeline",
        "gaps",
    ]
    assert list(acme["uses"][0]) == [
        "trust",
        "name",
        "criticality",
        "score",
        "band",
        "next_decide_by",
    ]
    assert list(acme["joint_windows"][0]) == ["start", "end", "trusts", "contracts"]
    assert list(acme["timeline"][0]) == [
        "trust",
        "supplier",
        "title",
        "end_date",
        "decide_by",
        "decide_by_passed",
        "gap",
    ]


def test_out_never_overwrites_a_file_of_a_folder_read(tmp_path: Path) -> None:
    pool = tmp_path / "pool"
    pool.mkdir()
    a = write_share(pool / "a.json", share_document("Trust A", [supplier("Acme")]))
    before = a.read_bytes()
    code, _, err = run("ics", str(pool), "--format", "json", "--out", str(a), "--force")
    assert code == 2 and err.startswith("error:")
    assert a.read_bytes() == before


def test_a_warning_shows_control_characters_escaped(tmp_path: Path) -> None:
    trust = "Trust \x1b[2JA"
    old = write_share(
        tmp_path / "old.json",
        share_document(trust, [supplier("Acme")], exported_at="2026-01-01T09:00:00+00:00"),
    )
    new = write_share(tmp_path / "new.json", share_document(trust, [supplier("Acme")]))
    code, _, err = run("ics", str(old), str(new), "--format", "json")
    assert code == 0
    assert "\x1b" not in err and "\\x1b[2JA" in err
