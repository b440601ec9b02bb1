"""Records read back from the register are shown as stored, never a traceback.

A register written by another tool or restored from a crafted file may hold what the
program would refuse on the way in: control characters in a name, or a value outside
the vocabulary in a review snapshot.  Text is read as it is (every output escapes its
control characters); a value the program cannot read at all is one line that says so.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import sample_register_path
from supplier_register.storage.reviews import decode_snapshot, encode_snapshot

TODAY = ("--today", "2026-11-26")
HOSTILE = "Evil \x1b]2;pwn\x07 Ltd"


def run(db: Path, *args: str) -> tuple[int, bytes, str]:
    result = CliRunner(env={"COLUMNS": "300"}).invoke(main, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout_bytes, result.stderr


def reviewed_register(tmp_path: Path) -> Path:
    db = tmp_path / "register.db"
    assert run(db, "import", str(sample_register_path()))[0] == 0
    assert run(db, "review", "start", "2026-Q4", *TODAY)[0] == 0
    return db


def craft_snapshot(db: Path, position: int, change: dict[str, str]) -> None:
    """Rewrite one snapshot's supplier fields behind the program's back."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER review_snapshots_no_update")
    (stored,) = conn.execute(
        "SELECT data FROM review_snapshots WHERE position = ?", [position]
    ).fetchone()
    data = json.loads(decode_snapshot(stored))
    data["supplier"].update(change)
    conn.execute(
        "UPDATE review_snapshots SET data = ? WHERE position = ?",
        [encode_snapshot(json.dumps(data)), position],
    )
    conn.commit()
    conn.close()


def test_a_snapshot_name_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    db = reviewed_register(tmp_path)
    craft_snapshot(db, 1, {"name": HOSTILE})
    for args in (
        ("review", "show", "2026-Q4", *TODAY),
        ("review", "export", "2026-Q4", "--format", "md"),
    ):
        code, out, err = run(db, *args)
        assert code == 0, err
        assert b"\x1b" not in out and b"\x07" not in out
        shown = out[out.index(b"Evil") :][:40]
        assert b"x1b" in shown and b"pwn" in shown and b"x07" in shown


def test_a_supplier_name_with_control_characters_reads_back(tmp_path: Path) -> None:
    db = reviewed_register(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE suppliers SET name = ? WHERE id = 1", [HOSTILE])
    conn.commit()
    conn.close()
    code, out, err = run(db, "contracts", "--supplier", HOSTILE)
    assert code == 0, err
    assert b"\x1b" not in out


def test_an_unreadable_snapshot_is_one_line(tmp_path: Path) -> None:
    db = reviewed_register(tmp_path)
    craft_snapshot(db, 2, {"criticality": "bogus"})
    before = db.read_bytes()
    for args in (
        ("review", "show", "2026-Q4", *TODAY),
        ("review", "export", "2026-Q4", "--format", "md"),
    ):
        code, _out, err = run(db, *args)
        assert code == 2
        assert err.count("\n") == 1
        assert err.startswith("error: the register holds a record this release cannot read")
        assert "criticality" in err
    assert db.read_bytes() == before
