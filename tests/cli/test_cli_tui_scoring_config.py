"""The TUI scores with the trust's scoring config ($SUPPLIER_REGISTER_SCORING), as the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.scoring.config import load_config
from supplier_register.tui.app import SupplierRegisterApp

CONFIG = '[bands]\nmedium = 21\nhigh = 37\nsevere = 65\n\n[rule_weights]\n"rule.auto_renewal" = 3\n'


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[SupplierRegisterApp]:
    opened: list[SupplierRegisterApp] = []
    monkeypatch.setattr(SupplierRegisterApp, "run", lambda self: opened.append(self))
    return opened


def test_the_tui_scores_with_the_config_the_cli_scores_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "scoring.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("SUPPLIER_REGISTER_SCORING", str(config))
    opened = _opened(monkeypatch)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.output
    [app] = opened
    assert app.scoring.config == load_config(config)
    assert app.scoring.config.bands.medium == 21
    assert app.scoring.config.rule_weights["rule.auto_renewal"] == 3


def test_without_the_variable_the_tui_scores_with_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPPLIER_REGISTER_SCORING", raising=False)
    opened = _opened(monkeypatch)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.output
    [app] = opened
    assert app.scoring.config == load_config(None)


def test_a_bad_scoring_config_is_one_line_and_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "scoring.toml"
    config.write_text("[bands\n", encoding="utf-8")
    monkeypatch.setenv("SUPPLIER_REGISTER_SCORING", str(config))
    opened = _opened(monkeypatch)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert opened == []
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "not valid TOML" in lines[0]
    assert not (tmp_path / "r.db").exists()
