"""Stored text never sends a control character to the terminal or into a text export.

The register is crafted behind the program's back (as a restored file or the sqlite3 shell
could leave it): names, titles, notes, the trust's name and an audit actor hold a terminal
retitle (OSC 2), a "hide what follows" (SGR 8) and a one-character CSI (U+009B).  Every
command and export is run and its output bytes checked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.textsafety import json_controls, show_controls
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import USER_ENV_VAR, current_actor
from tests.support.registers import small_register

RETITLE = "\x1b]2;pwned\x07"
HIDE = "\x1b[8m"
CSI = "\x9b31m"
HOSTILE = f"Acme {RETITLE}{HIDE}{CSI}\x7f Ltd"
TODAY = ("--today", "2026-11-26")

# Any C0 control but tab and line feed, DEL, any C1 control; CR only as part of CRLF.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, str]:
    result = CliRunner(env={"COLUMNS": "400", **(env or {})}).invoke(
        main, list(args), catch_exceptions=False
    )
    return result.exit_code, result.stdout_bytes, result.stderr


def assert_clean(data: bytes, where: str) -> str:
    text = data.decode("utf-8")
    found = RAW_CONTROL.search(text)
    assert found is None, (where, found and found.group(), text[:2000])
    return text


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register whose text was changed outside the program, by a hostile 'actor'."""
    path = tmp_path_factory.mktemp("crafted") / "register.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    db.close()
    # The review's snapshot is taken first: snapshots are read back validated, so one holding
    # such text cannot be shown at all (the live records it is compared with are crafted).
    code, _, err = run("--db", str(path), "review", "start", "2026-Q4", *TODAY)
    assert code == 0, err
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO audit_context (actor) VALUES (?)", [f"Mallory {RETITLE}{CSI}"])
    conn.execute(
        "UPDATE suppliers SET name = ?, notes = ? WHERE name = 'Acme [UK] Ltd'",
        [HOSTILE, f"line one\n\tline two {HIDE}{CSI}\r"],
    )
    conn.execute("UPDATE contracts SET title = ?", [f"EPR {RETITLE} licence {CSI}"])
    conn.execute("UPDATE people SET name = ? WHERE name = 'Dana Whitfield'", [f"Dana {HIDE}"])
    conn.execute("INSERT INTO settings (key, value) VALUES ('trust', ?)", [f"Trust {CSI}"])
    conn.execute(
        "INSERT INTO review_actions (review_id, supplier, what, owner, due, agreed_on) "
        "VALUES (1, NULL, ?, ?, '2026-12-31', '2026-11-26')",
        [f"Check the exit plan {RETITLE}{CSI}", f"Sam {HIDE}"],
    )
    conn.execute("DELETE FROM audit_context")
    conn.execute("COMMIT")
    conn.close()
    return path


COMMANDS = {
    "suppliers": ["suppliers"],
    "suppliers json": ["suppliers", "--format", "json"],
    "contracts": ["contracts"],
    "contracts json": ["contracts", "--format", "json"],
    "people": ["people"],
    "audit": ["audit"],
    "audit csv": ["audit", "--format", "csv"],
    "audit json": ["audit", "--format", "json"],
    "score": ["score", *TODAY],
    "score json": ["score", "--format", "json", *TODAY],
    "score one": ["score", "--supplier", HOSTILE, *TODAY],
    "score one json": ["score", "--supplier", HOSTILE, "--format", "json", *TODAY],
    "questions": ["questions", *TODAY],
    "questions json": ["questions", "--format", "json", *TODAY],
    "questions md": ["questions", "--format", "md", *TODAY],
    "questions md one": ["questions", "--format", "md", "--supplier", HOSTILE, *TODAY],
    "board": ["board", *TODAY],
    "board json": ["board", "--format", "json", *TODAY],
    "board md": ["board", "--format", "md", *TODAY],
    "board md one": ["board", "--format", "md", "--supplier", HOSTILE, *TODAY],
    "export json": ["export"],
    "export md": ["export", "--format", "md", *TODAY],
    "export csv": ["export", "--format", "csv", *TODAY],
    "export html": ["export", "--format", "html", *TODAY],
    "export summary-json": ["export", "--format", "summary-json", *TODAY],
    "review list": ["review", "list"],
    "review show": ["review", "show", *TODAY],
    "review show json": ["review", "show", "--format", "json", *TODAY],
    "review export md": ["review", "export", "2026-Q4", "--format", "md", *TODAY],
    "review export html": ["review", "export", "2026-Q4", "--format", "html", *TODAY],
    "init": ["init"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_no_control_character_reaches_stdout(crafted: Path, command: str) -> None:
    code, out, err = run("--db", str(crafted), *COMMANDS[command])
    assert code == 0, err
    text = assert_clean(out, command)
    if "json" in command or command == "export json":
        json.loads(text)  # still JSON, the escapes are JSON's own
    elif "html" not in command and command != "review list":  # HTML: U+FFFD, as always
        assert "x1b" in text or "x9b" in text, text[:2000]  # shown, not silently dropped


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("export", ["--format", "md", *TODAY]),
        ("export", ["--format", "csv", *TODAY]),
        ("export", ["--format", "json"]),
        ("audit", ["--format", "csv"]),
        ("audit", []),
        ("review export", ["2026-Q4", "--format", "md", *TODAY]),
    ],
)
def test_no_control_character_reaches_an_export_file(
    crafted: Path, tmp_path: Path, command: str, args: list[str]
) -> None:
    out = tmp_path / "out.txt"
    code, _, err = run("--db", str(crafted), *command.split(), *args, "--out", str(out))
    assert code == 0, err
    assert_clean(out.read_bytes(), f"{command} {args}")


def test_json_keeps_the_stored_text_exactly(crafted: Path) -> None:
    """The escapes are JSON's: a reader gets back exactly what the register holds."""
    _, out, _ = run("--db", str(crafted), "suppliers", "--format", "json")
    names = {s["name"] for s in json.loads(out)}
    assert HOSTILE in names
    _, out, _ = run("--db", str(crafted), "export")
    assert HOSTILE in {s["name"] for s in json.loads(out)["suppliers"]}
    assert b"\\u009b" in out and b"\\u001b" in out


def test_the_hostile_actor_is_shown_escaped(crafted: Path) -> None:
    _, out, _ = run("--db", str(crafted), "audit")
    assert "Mallory \\x1b]2;pwned\\x07\\x9b31m" in out.decode()
    _, out, _ = run("--db", str(crafted), "audit", "--format", "csv")
    assert "Mallory \\x1b]2;pwned\\x07\\x9b31m" in out.decode()


def test_an_actor_with_control_characters_is_recorded_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV_VAR, f"Sam {RETITLE}{HIDE}{CSI}")
    assert current_actor() == "Sam \\x1b]2;pwned\\x07\\x1b[8m\\x9b31m"
    db = tmp_path / "r.db"
    code, _, err = run("--db", str(db), "init", "--trust", "Riverside")
    assert code == 0, err  # writing still works: refusing would also stop score and questions
    _, out, _ = run("--db", str(db), "audit", "--format", "json")
    actors = {e["actor"] for e in json.loads(out)}
    assert actors == {"Sam \\x1b]2;pwned\\x07\\x1b[8m\\x9b31m"}


def test_an_actor_from_the_config_file_is_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from supplier_register.storage import audit

    config = tmp_path / "config.toml"
    config.write_text('[audit]\nuser = "Pat \\u001b[8m"\n', encoding="utf-8")
    monkeypatch.delenv(USER_ENV_VAR, raising=False)
    monkeypatch.setattr(audit, "config_path", lambda: config)
    assert current_actor() == "Pat \\x1b[8m"
    config.unlink()
    monkeypatch.setenv("LOGNAME", "root\x1b]2;x\x07")  # getpass reads $LOGNAME first
    assert current_actor() == "root\\x1b]2;x\\x07"


def test_show_controls() -> None:
    assert show_controls(HOSTILE) == "Acme \\x1b]2;pwned\\x07\\x1b[8m\\x9b31m\\x7f Ltd"
    assert show_controls("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert show_controls("a\nb\tc\rd", multiline=True) == "a\nb\tc\\rd"
    kept = "Acme [UK] Ltd – café 😀 \u202e \u00a0 ‘quoted’"
    assert show_controls(kept) == kept


def test_json_controls_is_lossless() -> None:
    value = {"name": HOSTILE, "notes": "a\r\nb\x85c"}
    text = json.dumps(value, ensure_ascii=False)
    assert RAW_CONTROL.search(text) is not None  # json.dumps leaves DEL and C1 raw
    safe = json_controls(text)
    assert RAW_CONTROL.search(safe) is None and json.loads(safe) == value
    assert json_controls("a,b\r\nc,d\r\n") == "a,b\r\nc,d\r\n"  # CSV line ends kept
