"""``--demo export`` says, in one line on stderr, that it exports the untouched bundled sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli.root import main
from supplier_register.storage import open_database

NOTICE = (
    "note: --demo exports the untouched bundled sample register, not changes made in a TUI "
    "session (to export those, press E in the TUI)"
)


def test_demo_export_says_it_exports_the_untouched_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "own.db"
    open_database(own).close()
    monkeypatch.setenv("SUPPLIER_REGISTER_DB", str(own))
    out = tmp_path / "demo.json"
    result = CliRunner().invoke(main, ["--demo", "export", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [NOTICE, f"wrote {out}"]
    assert json.loads(out.read_text(encoding="utf-8"))["suppliers"]  # the sample's


def test_export_of_the_users_own_register_says_nothing_of_the_demo(tmp_path: Path) -> None:
    own = tmp_path / "own.db"
    open_database(own).close()
    out = tmp_path / "own.json"
    result = CliRunner().invoke(main, ["--db", str(own), "export", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [f"wrote {out}"]
