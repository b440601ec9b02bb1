"""``supplier duplicates`` and ``supplier merge``: listing near-duplicate names, merging two."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain import Contract, Register, Supplier
from supplier_register.interchange import dump_register_json


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: list(conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid")) for t in tables}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    register = Register(
        suppliers=[
            Supplier(name="Trustmarque", category="other", criticality="high"),
            Supplier(name="TRUSTMARQUE SOLUTIONS LIMITED", category="other", criticality="low"),
            Supplier(
                name="Acme Health", category="epr", criticality="low", company_number="00000001"
            ),
            Supplier(name="Acme", category="epr", criticality="low", company_number="00000002"),
            Supplier(name="Beta Cloud", category="cloud_hosting", criticality="high"),
        ],
        contracts=[
            Contract(
                supplier="TRUSTMARQUE SOLUTIONS LIMITED",
                title="Licences",
                what_is_bought="commodity",
                contract_type="subscription_saas",
            )
        ],
    )
    source = tmp_path / "r.json"
    source.write_text(dump_register_json(register), encoding="utf-8")
    path = tmp_path / "r.db"
    code, _, err = run("import", str(source), db=path)
    assert code == 0, err
    return path


def test_duplicates_lists_pairs_and_changes_nothing(db: Path) -> None:
    before = dump(db)
    code, out, err = run("supplier", "duplicates", db=db)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2 possible duplicate pair(s) (names that nearly match):",
        "  #4 'Acme'  ~  #3 'Acme Health' (different company numbers: not the same company)",
        "  #1 'Trustmarque'  ~  #2 'TRUSTMARQUE SOLUTIONS LIMITED'",
        "Merge a pair with: supplier merge KEEP DROP (names or ids; --yes to write)",
    ]
    code, out, _ = run("supplier", "duplicates", "--format", "json", db=db)
    assert [(p["a"]["name"], p["b"]["name"]) for p in json.loads(out)] == [
        ("Acme", "Acme Health"),
        ("Trustmarque", "TRUSTMARQUE SOLUTIONS LIMITED"),
    ]
    assert dump(db) == before


def test_merge_without_yes_only_shows_what_would_move(db: Path) -> None:
    before = dump(db)
    code, out, err = run("supplier", "merge", "trustmarque", "2", db=db)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "merge 'TRUSTMARQUE SOLUTIONS LIMITED' into 'Trustmarque' (nothing written yet):"
    )
    assert "  contracts would move: 1 contract (Licences)" in out.splitlines()
    assert out.splitlines()[-1] == "Nothing written: run again with --yes to merge."
    assert dump(db) == before


def test_merge_with_yes_prints_the_summary(db: Path) -> None:
    code, out, err = run(
        "supplier", "merge", "Trustmarque", "TRUSTMARQUE SOLUTIONS LIMITED", "--yes", db=db
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "merged 'TRUSTMARQUE SOLUTIONS LIMITED' into 'Trustmarque':"
    assert "  contracts moved: 1 contract (Licences)" in lines
    assert lines[-1].startswith("  'TRUSTMARQUE SOLUTIONS LIMITED' deleted; its audit history")
    code, out, _ = run("contracts", "--supplier", "Trustmarque", "--format", "json", db=db)
    assert [c["title"] for c in json.loads(out)] == ["Licences"]
    code, out, _ = run("supplier", "duplicates", db=db)
    assert "Trustmarque" not in out
    code, out, _ = run("audit", "--supplier", "Trustmarque", "--format", "json", db=db)
    actions = [e["action"] for e in json.loads(out)]
    assert "merge" in actions and actions.count("insert") >= 3  # both suppliers' history


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("Acme", "Acme Health", "--yes"),
            "error: merge 'Acme Health' into 'Acme': their company numbers differ (00000002 and 00000001): "
            "they are different companies; nothing was changed",
        ),
        (
            ("Acme", "Nobody", "--yes"),
            "error: DROP: no supplier named 'Nobody' (nor with that id) in the register",
        ),
        (
            ("Acme", "acme"),
            "error: merge 'Acme' into 'Acme': they are the same supplier; nothing was changed",
        ),
    ],
)
def test_refusals_are_one_line_exit_2_and_change_nothing(
    db: Path, args: tuple[str, ...], message: str
) -> None:
    before = dump(db)
    code, out, err = run("supplier", "merge", *args, db=db)
    assert (code, out) == (2, "")
    assert err.splitlines() == [message]
    assert dump(db) == before


def test_import_preview_says_possible_duplicate(db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "more.csv"
    sheet.write_text("Supplier,Category\nBeta Cloud Services Ltd,Cloud hosting\n", encoding="utf-8")
    code, out, err = run("import", str(sheet), "--dry-run", db=db)
    assert code == 0, err
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Possible duplicates"))
    assert lines[at + 1] == (
        "  new supplier 'Beta Cloud Services Ltd' (row 2): possible duplicate of 'Beta Cloud'"
    )


SHEET = (
    "Supplier,Contract title\n"
    "Trustmarque,Licences\n"
    "TRUSTMARQUE SOLUTIONS LIMITED,Support\n"
    "Orion,Hosting\n"
)


def test_reimporting_after_a_merge_finds_the_one_kept(tmp_path: Path) -> None:
    db, sheet = tmp_path / "r.db", tmp_path / "ledger.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    assert run("init", db=db)[0] == 0
    code, _, err = run("import", str(sheet), db=db)
    assert code == 0, err
    code, _, err = run(
        "supplier", "merge", "Trustmarque", "TRUSTMARQUE SOLUTIONS LIMITED", "--yes", db=db
    )
    assert (code, err) == (0, "")
    before = dump(db)
    code, out, err = run("import", str(sheet), "--dry-run", db=db)
    assert code == 0, err
    assert "create supplier" not in out and "create contract" not in out
    assert "  would be created: nothing" in out.splitlines()
    assert (
        "  row 3: 'TRUSTMARQUE SOLUTIONS LIMITED' matched to 'Trustmarque' (merged into it)"
        in out.splitlines()
    )
    code, out, err = run("import", str(sheet), db=db)
    assert code == 0, err
    assert out.splitlines()[-1] == "Nothing to write: the register already holds this data."
    assert dump(db) == before
    code, out, _ = run("contracts", "--supplier", "Trustmarque", "--format", "json", db=db)
    assert sorted(c["title"] for c in json.loads(out)) == ["Licences", "Support"]


def test_audit_of_the_kept_leaves_out_a_later_supplier_given_the_merged_id(
    tmp_path: Path,
) -> None:
    db, sheet = tmp_path / "r.db", tmp_path / "ledger.csv"
    sheet.write_text("Supplier\nTrustmarque\nTRUSTMARQUE SOLUTIONS LIMITED\n", encoding="utf-8")
    assert run("init", db=db)[0] == 0
    assert run("import", str(sheet), db=db)[0] == 0
    assert run("supplier", "merge", "1", "2", "--yes", db=db)[0] == 0
    later = tmp_path / "later.csv"
    later.write_text("Supplier\nOrion Health\n", encoding="utf-8")
    assert run("import", str(later), db=db)[0] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id FROM suppliers WHERE name = 'Orion Health'").fetchone() == (
            2,
        )
    code, out, err = run("audit", "--supplier", "Trustmarque", "--format", "json", db=db)
    assert code == 0, err
    entries = json.loads(out)
    assert "Orion Health" not in out
    assert {e["supplier"] for e in entries} == {"Trustmarque", "TRUSTMARQUE SOLUTIONS LIMITED"}
    assert [e["action"] for e in entries].count("merge") == 1
