"""An export stopped part-way (Ctrl-C, a failure) leaves no file, or the old one, at --out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register import cli
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.services import exports
from supplier_register.storage import Repository, open_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    db.close()
    return path


def _stopping(*_: Any, **__: Any) -> Iterator[str]:
    yield "the first piece, written before the stop\n" * 1000
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("fmt", "target"),
    [("csv", "iter_overview_csv"), ("html", "stream_summary"), ("json", "iter_register_json")],
)
@pytest.mark.parametrize("existing", [False, True])
def test_stopped_export_leaves_nothing_half_written(
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    target: str,
    existing: bool,
) -> None:
    out = tmp_path / "out" / f"export.{fmt}"
    out.parent.mkdir()
    if existing:
        out.write_text("the previous export\n", encoding="utf-8")
    monkeypatch.setattr(exports, target, _stopping)
    args = ["--db", str(db_path), "export", "--format", fmt, "--out", str(out), "--force"]
    result = CliRunner().invoke(cli.main, [*args, "--today", "2026-11-26"])
    assert result.exit_code == 130, result.output
    assert "interrupted" in result.output
    assert [p.name for p in out.parent.iterdir()] == ([out.name] if existing else [])
    if existing:
        assert out.read_text(encoding="utf-8") == "the previous export\n"


def test_a_finished_export_replaces_the_old_file(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    args = ["--db", str(db_path), "export", "--format", "csv", "--out", str(out), "--force"]
    result = CliRunner().invoke(cli.main, [*args, "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8-sig").startswith("Rank,Supplier,")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_board_list_is_written_whole_or_not_at_all(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "decisions.csv"
    args = ["--db", str(db_path), "export", "--format", "csv", "--list", "decisions"]
    args += ["--out", str(out), "--today", "2026-11-26"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("No.,Supplier,Criticality,Decision required,")
    assert lines[1].startswith("1,")
    monkeypatch.setattr(exports, "iter_board_csv", _stopping)
    result = CliRunner().invoke(cli.main, [*args, "--force"])
    assert result.exit_code == 130, result.output
    assert out.read_text(encoding="utf-8-sig").splitlines() == lines  # the old file stays


def test_a_board_list_needs_the_csv_format(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "questions.html"
    args = ["--db", str(db_path), "export", "--format", "html", "--list", "questions"]
    result = CliRunner().invoke(cli.main, [*args, "--out", str(out)])
    assert result.exit_code == 2
    assert "--list questions needs --format csv" in result.output
    assert not out.exists()
