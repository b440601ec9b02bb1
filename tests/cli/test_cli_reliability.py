"""CLI: audit, backup and restore commands; busy, read-only, full and shared disks."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain import Contract, Person, Register, Supplier
from supplier_register.interchange import dump_register_json
from supplier_register.reports.safety import FORMULA_TRIGGERS
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import USER_ENV_VAR
from tests.support.hostile import FORMULA_PAYLOADS, MARKUP_PAYLOADS
from tests.support.registers import dump


def run(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "2000", **(env or {})})
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(main, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


pytestmark = pytest.mark.usefixtures("actor")


# ------------------------------------------------------------------ audit


def test_audit_table_json_csv(loaded_path: Path, tmp_path: Path) -> None:
    code, out, err = run("audit", db=loaded_path)
    assert code == 0, err
    assert "7 changes" in out and "Sam Okafor" in out and "Acme [UK] Ltd" in out

    code, out, _ = run("audit", "--format", "json", "--supplier", "beta cloud", db=loaded_path)
    entries = json.loads(out)
    assert [(e["table"], e["action"]) for e in entries] == [
        ("suppliers", "insert"),
        ("contracts", "insert"),
    ]
    assert entries[0]["new"]["name"] == "Beta Cloud" and entries[0]["old"] is None
    assert entries[0]["actor"] == "Sam Okafor" and entries[0]["at"].endswith("Z")

    code, out, _ = run("audit", "--format", "csv", db=loaded_path)
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:4] == ["id", "at_utc", "actor", "action"]
    assert len(table) == 8

    code, out, _ = run("audit", "--since", "2199-01-01", "--format", "json", db=loaded_path)
    assert json.loads(out) == []


def test_audit_out_file_is_owner_only_and_not_overwritten(
    loaded_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audit.csv"
    code, _, err = run("audit", "--format", "csv", "--out", str(out), db=loaded_path)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    first = out.read_text()
    code, _, err = run("audit", "--format", "json", "--out", str(out), db=loaded_path)
    assert "already exists" in one_line_error(code, err)
    assert out.read_text() == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "--since: 'last tuesday' is not a date"),
        (["--supplier", "Nobody Ltd"], "--supplier: no supplier named 'Nobody Ltd'"),
    ],
)
def test_audit_bad_options_are_one_line(loaded_path: Path, args: list[str], message: str) -> None:
    code, _, err = run("audit", *args, db=loaded_path)
    assert message in one_line_error(code, err)


def test_audit_verify(loaded_path: Path) -> None:
    code, out, _ = run("audit", "--verify", db=loaded_path)
    assert code == 0 and "audit trail complete: 7 entries" in out
    conn = sqlite3.connect(loaded_path)
    conn.execute("DROP TRIGGER audit_people_update")
    conn.execute("UPDATE people SET contact = 'changed quietly'")
    conn.commit()
    conn.close()
    code, _, err = run("audit", "--verify", db=loaded_path)
    assert code == 1
    assert "people: audit triggers missing" in err and "differs from the log" in err


def test_audit_csv_neutralises_formulas_in_every_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV_VAR, '=HYPERLINK("x")')
    path = tmp_path / "r.db"
    db = open_database(path)
    repo = Repository(db)
    for i, payload in enumerate(FORMULA_PAYLOADS):
        repo.add_person(Person(name=f"{payload} {i}", role="other", contact=payload))
        repo.add_supplier(
            Supplier(name=f"{payload} s{i}", category="other", criticality="low", notes=payload)
        )
    db.close()
    code, out, err = run("audit", "--format", "csv", db=path)
    assert code == 0, err
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_TRIGGERS)] == []
    assert any(c.startswith("'=1+1") for c in cells)
    assert '\'=HYPERLINK("x")' in cells


def test_audit_table_shows_markup_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV_VAR, "[@click=app.quit]me[/]")
    path = tmp_path / "r.db"
    db = open_database(path)
    repo = Repository(db)
    for i, payload in enumerate(MARKUP_PAYLOADS):
        repo.add_supplier(
            Supplier(name=f"S{i} {payload}", category="other", criticality="low", notes=payload)
        )
    db.close()
    code, out, err = run("audit", db=path)
    assert code == 0, err
    for i, payload in enumerate(MARKUP_PAYLOADS):
        assert f"S{i} {payload}".strip() in out
    assert "[@click=app.quit]me[/]" in out


# --------------------------------------------------------- backup/restore


def test_backup_and_restore_commands(loaded_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    code, out, err = run("backup", str(copy), db=loaded_path)
    assert code == 0, err
    assert "backed up" in out and "2 suppliers" in out
    assert stat.S_IMODE(os.stat(copy).st_mode) == 0o600
    code, _, err = run("backup", str(copy), db=loaded_path)
    assert "already exists; use --force" in one_line_error(code, err)
    code, _, err = run("backup", str(copy), "--force", db=loaded_path)
    assert code == 0, err

    before = [t for t in dump(loaded_path) if t[0] != "audit_log"]
    db = open_database(loaded_path)
    Repository(db).delete_supplier(Repository(db).find_supplier("Beta Cloud").id)
    db.close()
    code, _, err = run("restore", str(copy), db=loaded_path)
    assert "--force" in one_line_error(code, err)
    code, out, err = run("restore", str(copy), "--force", db=loaded_path)
    assert code == 0, err
    assert "restored" in out and "kept in" in out
    assert [t for t in dump(loaded_path) if t[0] != "audit_log"] == before


def test_backup_of_a_missing_register(tmp_path: Path) -> None:
    code, _, err = run("backup", str(tmp_path / "b.db"), db=tmp_path / "none.db")
    assert "does not exist" in one_line_error(code, err)
    assert not (tmp_path / "none.db").exists()


def test_restore_of_junk_is_one_line(loaded_path: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(5000))
    before = dump(loaded_path)
    code, _, err = run("restore", str(junk), "--force", db=loaded_path)
    assert "not a SQLite database" in one_line_error(code, err)
    assert dump(loaded_path) == before


# --------------------------------------------------- the disk and its lock


def big_register(n: int, tag: str = "") -> Register:
    return Register(
        suppliers=[
            Supplier(
                name=f"{tag}Supplier {i}", category="other", criticality="low", notes="x" * 200
            )
            for i in range(n)
        ],
        contracts=[
            Contract(
                supplier=f"{tag}Supplier {i}",
                title="Support",
                what_is_bought="commodity",
                contract_type="time_and_materials",
            )
            for i in range(n)
        ],
    )


def test_a_locked_register_gives_a_clear_error_not_database_is_locked(
    loaded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("supplier_register.storage.db.BUSY_TIMEOUT_MS", 300)
    file = tmp_path / "in.json"
    file.write_text(dump_register_json(big_register(3)), encoding="utf-8")
    holder = sqlite3.connect(loaded_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock throughout
    try:
        before = dump(loaded_path)
        code, _, err = run("import", str(file), db=loaded_path)
        line = one_line_error(code, err)
        assert "the register is busy" in line and "nothing was changed" in line
        assert "database is locked" not in err
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dump(loaded_path) == before


def test_full_disk_inside_a_transaction_loses_nothing(loaded_path: Path) -> None:
    from supplier_register.storage.db import StorageError

    db = open_database(loaded_path)
    before = dump(db)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 3}")  # the disk fills up mid-import
    with pytest.raises(StorageError, match="disk holding the register is full"):
        Repository(db).import_register(big_register(500))
    assert dump(db) == before
    db.close()
    assert dump(loaded_path) == before


def _cli(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", USER_ENV_VAR: "tester"}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "supplier_register", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        **kwargs,
    )


def test_full_disk_from_the_cli_is_one_line_and_loses_nothing(
    loaded_path: Path, tmp_path: Path
) -> None:
    """A file-size limit makes every write past it fail, as a full disk does."""
    file = tmp_path / "in.json"
    file.write_text(dump_register_json(big_register(3000)), encoding="utf-8")
    before = dump(loaded_path)
    limit = loaded_path.stat().st_size + 256 * 1024

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = _cli(["--db", str(loaded_path), "import", str(file)], preexec_fn=small_disk)
    line = one_line_error(done.returncode, done.stderr)
    assert "disk" in line and "nothing was changed" in line
    assert dump(loaded_path) == before
    assert sqlite3.connect(loaded_path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _without_root_override() -> list[str]:
    """Run as root without the power to ignore file permissions, so read-only means read-only."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("command", [["suppliers"], ["import", "IN"], ["backup", "OUT"]])
def test_read_only_database_file_is_a_clear_error(
    loaded_path: Path, tmp_path: Path, command: list[str]
) -> None:
    file = tmp_path / "in.json"
    file.write_text(dump_register_json(big_register(2)), encoding="utf-8")
    argv = [a.replace("IN", str(file)).replace("OUT", str(tmp_path / "b.db")) for a in command]
    before = dump(loaded_path)
    loaded_path.chmod(0o400)
    try:
        done = subprocess.run(
            [
                *_without_root_override(),
                sys.executable,
                "-m",
                "supplier_register",
                "--db",
                str(loaded_path),
                *argv,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        loaded_path.chmod(0o600)
    line = one_line_error(done.returncode, done.stderr)
    assert "is read-only" in line and "nothing was changed" in line
    assert dump(loaded_path) == before


def test_read_only_folder_is_a_clear_error(loaded_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "in.json"
    file.write_text(dump_register_json(big_register(2)), encoding="utf-8")
    before = dump(loaded_path)
    folder = loaded_path.parent
    folder.chmod(0o500)
    try:
        done = subprocess.run(
            [
                *_without_root_override(),
                sys.executable,
                "-m",
                "supplier_register",
                "--db",
                str(loaded_path),
                "import",
                str(file),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        folder.chmod(0o700)
    line = one_line_error(done.returncode, done.stderr)
    assert "is read-only" in line and "-wal" in line
    assert dump(loaded_path) == before


def test_network_share_is_warned_about(
    loaded_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mounts = tmp_path / "mounts"
    share = str(loaded_path.parent).replace(" ", "\\040")
    mounts.write_text(
        f"/dev/vda / ext4 rw 0 0\nfileserver:/exports/digital {share} nfs4 rw,relatime 0 0\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("supplier_register.storage.location.PROC_MOUNTS", mounts)
    code, out, err = run("suppliers", db=loaded_path)
    assert code == 0 and "Acme [UK] Ltd" in out
    assert err.startswith("warning: ") and "network share (nfs4)" in err
    mounts.write_text(f"/dev/vda {share} ext4 rw 0 0\n", encoding="utf-8")
    code, out, err = run("suppliers", db=loaded_path)
    assert code == 0 and err == ""
