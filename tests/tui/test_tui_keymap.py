"""The user's keymap and theme: [keys] rebinds keys (and `?` shows them), the theme is kept."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Static

from supplier_register.storage.audit import CONFIG_ENV_VAR
from supplier_register.storage.settings import UiSettings, read_ui_settings
from supplier_register.tui import app as app_module
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands, bindings_of
from supplier_register.tui.keymap import (
    binding_owners,
    check_keymap,
    keys_in_force,
    keys_table,
    known_bindings,
)
from supplier_register.tui.screens.board import BoardScreen
from supplier_register.tui.screens.help import HelpScreen, help_content
from supplier_register.tui.screens.review import ReviewScreen
from tests.tui.tui_support import TODAY, settle, write_register_db

BOARD = "Board pack: decisions required, board questions, management actions"
REVIEW = "The quarterly supplier review"

CONFIG = """# my settings
[audit]
user = "Dana Whitfield"  # shown in the audit trail

[keys]
"app.board" = "ctrl+b"
"""


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def app_with(db: Path, config: Path) -> SupplierRegisterApp:
    return SupplierRegisterApp(db, today=TODAY, settings=read_ui_settings(config))


def help_line(text: str, description: str) -> str:
    """The help line of one action: its keys, then what it does."""
    return next(line for line in text.splitlines() if line.endswith(description)).strip()


def warnings_of(app: SupplierRegisterApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "warning"]


async def test_a_rebound_key_does_the_action_and_help_shows_it(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        active = app.screen.active_bindings  # what the footer shows
        assert active["ctrl+b"].binding.action == "board" and "b" not in active
        await pilot.press("b")  # no longer the board's key
        await settle(pilot)
        assert not isinstance(app.screen, BoardScreen)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one("#help-body", Static).visual)
        assert help_line(shown, BOARD) == f"ctrl+b{' ' * 10}{BOARD}"
        assert help_line(shown, REVIEW).startswith("v ")  # not rebound: its own key
        assert warnings_of(app) == []
        await pilot.press("escape")
        await pilot.pause()
        palette = {c.title: c.help for c in RegisterCommands(app.screen).commands()}
        assert palette[BOARD] == "Key: ^b"


async def test_without_a_keymap_the_default_keys_are_in_force(register_db: Path) -> None:
    app = SupplierRegisterApp(register_db, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert help_line(help_content(keymap=app.keymap).plain, BOARD).startswith("b ")


async def test_a_key_given_to_another_action_leaves_the_first_without_one(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"app.board" = "v"\n', encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert not any(isinstance(s, ReviewScreen) for s in app.screen_stack)
        shown = help_content(keymap=app.keymap).plain
        assert help_line(shown, BOARD).startswith("v ")
        assert help_line(shown, REVIEW).startswith("(no key)")


async def test_unknown_ids_and_bad_keys_warn_once_each_and_are_ignored(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[keys]\n"app.bored" = "x"\n"app.review" = "ctrl+zz"\n"app.board" = "ctrl+b"\n',
        encoding="utf-8",
    )
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("v", "escape", "ctrl+b", "escape", "question_mark", "escape", "x"):
            await pilot.press(key)
            await settle(pilot)
        assert warnings_of(app) == [
            'config.toml [keys]: "app.bored" is not a key binding id; ignored '
            "(the ids are listed in docs/keys.md)",
            'config.toml [keys]: "app.review" = "ctrl+zz": "ctrl+zz" is not a key '
            '(examples: "b", "B", "ctrl+b", "f5", "?", "pagedown"); ignored',
        ]
        assert app.keymap == {"app.board": "ctrl+b"}
        await pilot.press("v")  # the review keeps its own key
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def test_a_configuration_file_that_is_not_toml_is_one_warning(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[keys\n", encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        [warning] = warnings_of(app)
        assert "not valid TOML" in warning and "\n" not in warning
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)


async def test_the_theme_chosen_is_kept_and_used_at_the_next_start(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert config.read_text(encoding="utf-8") == CONFIG  # starting writes nothing
        assert app.theme != "nord"
        app.action_change_theme()  # ctrl+p, "Change theme": a palette of themes
        await settle(pilot)
        await pilot.press(*"nord")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"
    assert config.read_text(encoding="utf-8") == CONFIG + '\n[tui]\ntheme = "nord"\n'
    assert tomllib.loads(config.read_text(encoding="utf-8"))["audit"] == {"user": "Dana Whitfield"}

    again = app_with(register_db, config)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        assert warnings_of(again) == []
        again.theme = "gruvbox"
        await settle(pilot)
    assert config.read_text(encoding="utf-8") == CONFIG + '\n[tui]\ntheme = "gruvbox"\n'


async def test_an_unknown_theme_warns_and_a_theme_chosen_replaces_it(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[tui]\ntheme = "no-such-theme"\n', encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert warnings_of(app) == [
            'config.toml [tui]: theme "no-such-theme" is not a theme here; ignored'
        ]
        assert app.theme == "textual-dark"
        app.theme = "textual-dark"  # the default chosen explicitly
        app.theme = "nord"
        await settle(pilot)
    assert read_ui_settings(config).theme == "nord"


async def test_a_theme_that_cannot_be_kept_is_one_warning_and_the_file_is_untouched(
    register_db: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    text = 'tui.theme = "nord"\n'
    config.write_text(text, encoding="utf-8")
    app = app_with(register_db, config)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"
        await settle(pilot)
        [warning] = warnings_of(app)
        assert "the theme cannot be recorded" in warning
    assert config.read_text(encoding="utf-8") == text


async def test_an_app_without_settings_never_writes_a_configuration_file(
    register_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv(CONFIG_ENV_VAR, str(config))
    app = SupplierRegisterApp(register_db, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert not config.exists()


def test_run_app_reads_the_users_configuration_file(
    register_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(CONFIG + '[tui]\ntheme = "nord"\n', encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV_VAR, str(config))
    started: list[UiSettings | None] = []
    monkeypatch.setattr(SupplierRegisterApp, "run", lambda self: started.append(self.settings))
    app_module.run_app(register_db)
    [settings] = started
    assert settings is not None and settings.path == config
    assert (settings.keys, settings.theme) == ({"app.board": "ctrl+b"}, "nord")


def test_keys_are_checked_as_textual_names_them() -> None:
    keymap, warnings = check_keymap(
        {"app.help": "F2, ?", "register.filter": "ctrl+/", "app.board": "B"}, "config.toml"
    )
    assert keymap == {
        "app.help": "f2,question_mark",
        "register.filter": "ctrl+slash",
        "app.board": "B",
    }
    assert warnings == []
    _, warnings = check_keymap({"app.board": "ctrl+, x+y"}, "config.toml")
    assert warnings == [
        'config.toml [keys]: "app.board" = "ctrl+, x+y": "ctrl+", "x+y" are not keys '
        '(examples: "b", "B", "ctrl+b", "f5", "?", "pagedown"); ignored'
    ]


def test_keys_in_force_follow_the_keymap_within_one_screen() -> None:
    bindings = SupplierRegisterApp.BINDINGS
    default = {b.id: keys for b, keys in keys_in_force(bindings, {})}
    assert default["app.help"] == ["f1", "question_mark"]
    rebound = {
        b.id: keys for b, keys in keys_in_force(bindings, {"app.help": "f2", "app.board": "o"})
    }
    assert rebound["app.help"] == ["f2"]
    assert rebound["app.board"] == ["o"]
    assert rebound["app.people"] == []  # its key went to the board


def test_every_binding_id_is_documented_with_its_default_keys() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "keys.md").read_text(encoding="utf-8")
    assert keys_table() in docs, (
        "docs/keys.md is out of date: paste the output of "
        'python -c "from supplier_register.tui.keymap import keys_table; print(keys_table())"'
    )
    rows = re.findall(r"^\| `([a-z_]+\.[A-Za-z0-9_]+)` \|", docs, re.MULTILINE)
    assert sorted(rows) == sorted(known_bindings())


def test_every_binding_of_every_screen_and_widget_has_its_own_id() -> None:
    """The ids a keymap names: on every binding of the TUI (found by walking its modules, so a
    new screen is covered), each ``<namespace>.<action>``, no two alike."""
    owners = {owner.__name__ for owner in binding_owners()}
    assert {"SupplierRegisterApp", "RegisterScreen", "ExportScreen", "HelpScreen"} <= owners
    ids = [b.id for owner in binding_owners() for b in bindings_of(owner.BINDINGS)]
    assert all(i is not None and re.fullmatch(r"[a-z_]+\.[A-Za-z0-9_]+", i) for i in ids), ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)  # type: ignore[type-var]
