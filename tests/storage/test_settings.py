"""The TUI's settings in the user configuration file: [keys] read, [tui] theme written back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from supplier_register.domain import RegisterError
from supplier_register.storage.audit import CONFIG_ENV_VAR, config_path, current_actor
from supplier_register.storage.settings import read_ui_settings, save_theme, with_theme

AUDIT = """# who I am in the audit trail
[audit]
user = "Dana Whitfield"   # the CIO

# my keys
[keys]
"app.board" = "ctrl+b"
"""


def test_missing_file_means_no_settings_and_no_problem(tmp_path: Path) -> None:
    settings = read_ui_settings(tmp_path / "absent.toml")
    assert (settings.keys, settings.theme, settings.problems) == ({}, None, [])


def test_keys_quoted_dotted_and_listed_are_read_as_binding_ids(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\n"app.board" = "ctrl+b"\nregister.filter = "f"\n"app.help" = ["f2", "h"]\n'
        '[keys.supplier]\nback = "backspace"\n[tui]\ntheme = "nord"\n',
        encoding="utf-8",
    )
    settings = read_ui_settings(path)
    assert settings.keys == {
        "app.board": "ctrl+b",
        "register.filter": "f",
        "app.help": "f2,h",
        "supplier.back": "backspace",
    }
    assert settings.theme == "nord"
    assert settings.problems == []


def test_wrong_types_are_one_line_each_and_the_rest_is_used(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[keys]\n"app.board" = 3\n"app.review" = "r"\n"app.help" = []\n[tui]\ntheme = 7\n',
        encoding="utf-8",
    )
    settings = read_ui_settings(path)
    assert settings.keys == {"app.review": "r"}
    assert settings.theme is None
    assert len(settings.problems) == 3
    assert all("\n" not in p and p.startswith("config.toml") for p in settings.problems)
    assert '"app.board" must be a key' in settings.problems[0]
    assert "theme must be" in settings.problems[2]


def test_a_file_that_is_not_toml_is_one_problem_never_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[keys\n", encoding="utf-8")
    settings = read_ui_settings(path)
    assert settings.keys == {} and settings.theme is None
    assert len(settings.problems) == 1
    assert "not valid TOML" in settings.problems[0]
    assert "keys and theme are ignored" in settings.problems[0]


def test_saving_the_theme_keeps_every_other_line_and_comment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(AUDIT, encoding="utf-8")
    save_theme(path, "nord")
    text = path.read_text(encoding="utf-8")
    assert text == AUDIT + '\n[tui]\ntheme = "nord"\n'
    save_theme(path, "gruvbox")
    assert path.read_text(encoding="utf-8") == AUDIT + '\n[tui]\ntheme = "gruvbox"\n'
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["audit"] == {"user": "Dana Whitfield"}
    assert read_ui_settings(path).theme == "gruvbox"


def test_the_theme_line_is_replaced_in_place_inside_its_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = '[tui]  # look\n  theme = "nord"\nother = 1\n\n[audit]\nuser = "Sam"\n'
    path.write_text(original, encoding="utf-8")
    save_theme(path, "dracula")
    assert path.read_text(encoding="utf-8") == original.replace("nord", "dracula")
    # a [tui] table without a theme gets the line right under its header
    assert with_theme("[tui]\nother = 1\n", "nord") == '[tui]\ntheme = "nord"\nother = 1\n'
    assert with_theme("", "nord") == '[tui]\ntheme = "nord"\n'


def test_the_file_and_its_folder_are_created_when_missing(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    save_theme(path, "nord")
    assert read_ui_settings(path).theme == "nord"


@pytest.mark.parametrize(
    "text",
    [
        "[audit\nuser = 1\n",  # not TOML: never rewritten
        'tui.theme = "nord"\n',  # a dotted key the line edit cannot replace
        '[[tui]]\ntheme = "nord"\n',  # an array of tables
    ],
)
def test_a_file_that_cannot_be_edited_safely_is_left_exactly_as_it_was(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        save_theme(path, "dracula")
    assert "\n" not in caught.value.message and str(path) in caught.value.message
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary file left


def test_the_configuration_file_can_be_moved_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "elsewhere.toml"
    monkeypatch.setenv(CONFIG_ENV_VAR, str(path))
    assert config_path() == path
    path.write_text('[audit]\nuser = "Priya Shah"\n', encoding="utf-8")
    monkeypatch.delenv("SUPPLIER_REGISTER_USER", raising=False)
    assert current_actor() == "Priya Shah"
    monkeypatch.setenv(CONFIG_ENV_VAR, "")
    assert config_path().name == "config.toml" and config_path() != path


def test_the_ics_view_s_files_are_kept_beside_the_theme(tmp_path: Path) -> None:
    from supplier_register.storage.settings import save_ics_folder

    path = tmp_path / "config.toml"
    path.write_text(AUDIT + '\n[tui]\ntheme = "nord"\n', encoding="utf-8")
    folder = 'C:\\ICS\\shared "2026"'
    save_ics_folder(path, folder)
    assert path.read_text(encoding="utf-8").startswith(AUDIT + "\n[tui]\n")
    settings = read_ui_settings(path)
    assert (settings.theme, settings.ics_folder, settings.problems) == ("nord", folder, [])
    save_ics_folder(path, "/srv/ics")
    assert read_ui_settings(path).ics_folder == "/srv/ics"
    assert path.read_text(encoding="utf-8").count("ics_folder") == 1
    # A path TOML cannot hold (a DEL character) is refused in one line, nothing written.
    before = path.read_text(encoding="utf-8")
    with pytest.raises(RegisterError, match="the ICS view's files"):
        save_ics_folder(path, "/srv/\x7f")
    assert path.read_text(encoding="utf-8") == before
    path.write_text("[tui]\nics_folder = 3\n", encoding="utf-8")
    settings = read_ui_settings(path)
    assert settings.ics_folder is None
    assert settings.problems == ["config.toml [tui]: ics_folder must be a folder or files; ignored"]
