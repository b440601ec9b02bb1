"""The TUI's export (services.exports.write_export) writes what ``export --out`` writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli.root import main
from supplier_register.domain.errors import BadFile
from supplier_register.services import exports
from supplier_register.services.exports import SUMMARY_CHOICES, ExportChoice, write_export
from supplier_register.services.register import make_demo_register
from tests.tui.tui_support import TODAY

CLI_FORMAT = {
    "html": "html",
    "md": "md",
    "csv": "csv",
    "xlsx": "xlsx",
    "json": "json",
    "share": "share",
}


@pytest.fixture
def register(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    return make_demo_register(folder)


@pytest.mark.parametrize("choice", SUMMARY_CHOICES, ids=lambda c: c.kind)
def test_each_format_is_the_same_file_as_the_cli_writes(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, choice: ExportChoice
) -> None:
    # the shared file says when it was exported: one clock for both
    monkeypatch.setattr(
        exports, "export_time", lambda: dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    )
    ours = tmp_path / f"tui.{choice.suffix}"
    assert write_export(register, choice, ours, TODAY, force=False) == ours.absolute()
    cli = tmp_path / f"cli.{choice.suffix}"
    argv = ["--db", str(register), "export", "--format", CLI_FORMAT[choice.kind]]
    argv += ["--out", str(cli)] + ([] if choice.kind == "json" else ["--today", str(TODAY)])
    result = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    if choice.kind == "xlsx":  # a workbook's zip entries carry the time they were written
        from openpyxl import load_workbook

        def cells(path: Path) -> list[list[object]]:
            book = load_workbook(path, read_only=True)
            try:
                return [
                    list(row)
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True)
                ]
            finally:
                book.close()

        assert cells(ours) == cells(cli)
    else:
        assert ours.read_bytes() == cli.read_bytes()


def test_an_existing_file_needs_force_and_the_register_is_never_replaced(
    register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "paper.html"
    out.write_text("keep", encoding="utf-8")
    with pytest.raises(BadFile, match=r"^file: .* already exists"):
        write_export(register, SUMMARY_CHOICES[0], out, TODAY, force=False)
    assert out.read_text(encoding="utf-8") == "keep"
    before = register.read_bytes()
    with pytest.raises(BadFile, match=r"is the register; writing there would destroy it$"):
        write_export(register, SUMMARY_CHOICES[0], register, TODAY, force=True)
    assert register.read_bytes() == before
