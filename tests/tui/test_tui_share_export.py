"""The shared file for partner trusts from the TUI's export screen (issue 19): offered beside
the other formats, the policy said in plain words before writing, the same bytes as
``export --format share``, and a redacted field in no byte of the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from supplier_register.cli import main
from supplier_register.domain import Register
from supplier_register.scoring.config import ScoringConfig, ShareConfig
from supplier_register.services import exports
from supplier_register.services.register_view import Scoring
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.export import ExportScreen
from tests.tui.tui_support import TODAY, known_register, settle, write_register_db

TRUST = "St Elsewhere & District NHS Trust"
ACTOR = "Exporting [bold]CIO[/bold]"
"""Who exports: markup-like, so the dialog showing it as typed proves it is data."""
EXPORTED_AT = dt.datetime(2026, 11, 26, 9, 30, 15, tzinfo=dt.UTC)
MARKER = "QZXTUIMARKER4417"

DEFAULT_LEFT_OUT = (
    "Left out: notes, answer evidence, people's names and contacts, contract values and spend, "
    "where imported records came from."
)


def _planted() -> Register:
    """The known register with the marker in a supplier's and a contract's notes and in an
    answer's evidence."""
    register = known_register()
    suppliers = list(register.suppliers)
    suppliers[0] = suppliers[0].model_copy(update={"notes": f"supplier {MARKER}"})
    contracts = list(register.contracts)
    contracts[0] = contracts[0].model_copy(update={"notes": f"contract {MARKER}"})
    answers = list(register.answers)
    answers[0] = answers[0].model_copy(update={"evidence": f"evidence {MARKER}"})
    return register.model_copy(
        update={"suppliers": suppliers, "contracts": contracts, "answers": answers}
    )


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    path = write_register_db(folder, _planted())
    db = open_database(path)
    try:
        Repository(db).set_trust_name(TRUST)
    finally:
        db.close()
    return path


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder (where the proposed name lands), one actor and one clock."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("SUPPLIER_REGISTER_USER", ACTOR)
    monkeypatch.setattr(exports, "export_time", lambda: EXPORTED_AT)
    return folder


def _app(path: Path, config: ScoringConfig | None = None) -> SupplierRegisterApp:
    return SupplierRegisterApp(
        path, today=TODAY, scoring=Scoring(config) if config else None, live_refresh=None
    )


def _keeping_notes() -> ScoringConfig:
    return ScoringConfig(share=ShareConfig(keep=["notes"]))


def _cli_share(db: Path, out: Path, *args: str) -> bytes:
    day = TODAY.isoformat()
    args = (
        "--db",
        str(db),
        "export",
        "--format",
        "share",
        "--today",
        day,
        "--out",
        str(out),
        *args,
    )
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


def _top(app: SupplierRegisterApp) -> object:
    """The screen shown (a call, so a check narrowing ``app.screen`` does not stick)."""
    return app.screen


def _notes(app: SupplierRegisterApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _choose_share(app: SupplierRegisterApp, pilot: Pilot[None]) -> ExportScreen:
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    kinds = [c.kind for c in screen.choices]
    screen.query_one("#export-kind", OptionList).highlighted = kinds.index("share")
    await pilot.pause()
    return screen


def _policy_text(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-policy", Static).render())


async def _write(app: SupplierRegisterApp, pilot: Pilot[None], screen: ExportScreen) -> Path:
    """Export under the proposed name; the file's full path."""
    proposed = screen.query_one("#export-path", Input).value
    await pilot.click("#export-write")
    await settle(pilot)
    assert not isinstance(app.screen, ExportScreen)
    out = (Path.cwd() / proposed).resolve()
    assert out.is_file()
    return out


async def test_the_shared_file_is_offered_with_its_policy_said_before_writing(
    register_db: Path, here: Path
) -> None:
    app = _app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, ExportScreen)
        labels = [c.label for c in opened.choices]
        assert "Shared file for partner trusts (JSON, redacted)" in labels
        policy = opened.query_one("#export-policy", Static)
        assert not policy.display  # the board paper is highlighted: no policy to say
        kinds = [c.kind for c in opened.choices]
        opened.query_one("#export-kind", OptionList).highlighted = kinds.index("share")
        await pilot.pause()
        screen = opened
        path = screen.query_one("#export-path", Input).value
        assert path == f"./supplier-register-shared-{TODAY.isoformat()}.json"
        assert policy.display and policy.region.height > 0
        text = _policy_text(screen)
        assert DEFAULT_LEFT_OUT in text
        assert "Kept: none of these." in text
        assert f"The file will say it was exported by {ACTOR}." in text  # as typed, not markup
        screen.query_one("#export-kind", OptionList).highlighted = 0
        await pilot.pause()
        assert not policy.display
        assert screen.query_one("#export-path", Input).value.endswith(".html")


async def test_the_policy_fits_the_smallest_terminal(register_db: Path, here: Path) -> None:
    app = _app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _choose_share(app, pilot)
        for selector in ("#export-policy", "#export-path", "#export-write", "#export-cancel"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24, (selector, region)


async def test_the_tui_writes_the_bytes_the_cli_writes(register_db: Path, here: Path) -> None:
    app = _app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _choose_share(app, pilot)
        written = await _write(app, pilot, screen)
    assert written == here / f"supplier-register-shared-{TODAY.isoformat()}.json"
    note = next(n for n in _notes(app) if "written to" in n)
    assert note == (
        f"Shared file for partner trusts (JSON, redacted) written to {written}, redacted under "
        "the [share] policy (left out: notes, answer evidence, people's names and contacts, "
        "contract values and spend, where imported records came from)"
    )
    from_tui = written.read_bytes()
    from_cli = _cli_share(register_db, here / "cli.json")
    assert from_tui == from_cli
    shared = json.loads(from_tui)["shared"]
    assert shared["exported_by"] == ACTOR
    assert shared["exported_at"] == "2026-11-26T09:30:15+00:00"
    assert shared["as_of"] == TODAY.isoformat()


async def test_a_redacted_field_is_in_no_byte_of_the_file(register_db: Path, here: Path) -> None:
    app = _app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        # the marker really is in the register: the lossless export carries it
        screen = await _choose_share(app, pilot)
        kinds = [c.kind for c in screen.choices]
        screen.query_one("#export-kind", OptionList).highlighted = kinds.index("json")
        await pilot.pause()
        full = await _write(app, pilot, screen)
        assert full.read_bytes().count(MARKER.encode()) == 3
        screen = await _choose_share(app, pilot)
        shared = (await _write(app, pilot, screen)).read_bytes()
    assert MARKER.encode() not in shared
    assert MARKER.encode("utf-16-le") not in shared
    assert b"Dana Whitfield" not in shared and b"1250000.50" not in shared
    assert json.loads(shared)["shared"]["policy"]["kept"] == []


async def test_a_policy_keeping_notes_is_said_in_the_dialog_and_followed_in_the_file(
    register_db: Path, here: Path, tmp_path: Path
) -> None:
    app = _app(register_db, _keeping_notes())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _choose_share(app, pilot)
        text = _policy_text(screen)
        assert (
            "Left out: answer evidence, people's names and contacts, contract values and "
            "spend, where imported records came from." in text
        )
        assert "Kept: notes." in text
        written = await _write(app, pilot, screen)
    note = next(n for n in _notes(app) if "written to" in n)
    assert f"written to {written}, redacted under the [share] policy (left out: answer" in note
    shared = written.read_bytes()
    assert shared.count(MARKER.encode()) == 2  # the supplier's and the contract's notes
    assert f"evidence {MARKER}".encode() not in shared
    document = json.loads(shared)
    assert document["shared"]["policy"]["kept"] == ["notes"]
    acme = next(s for s in document["suppliers"] if s["name"] == "Acme [UK] Ltd")
    assert acme["notes"] == f"supplier {MARKER}"
    # the CLI under a config file with the same [share] table writes the same bytes
    config = tmp_path / "share.toml"
    config.write_text('[share]\nkeep = ["notes"]\n', encoding="utf-8")
    assert _cli_share(register_db, here / "cli.json", "--config", str(config)) == shared


async def test_the_shared_file_is_never_written_over_the_register(
    register_db: Path, here: Path
) -> None:
    app = _app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _choose_share(app, pilot)
        screen.query_one("#export-path", Input).value = str(register_db)
        await pilot.click("#export-write")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert _top(app) is screen
        error = str(screen.query_one("#export-error", Static).render())
        assert "is the register; writing there would destroy it" in error
    assert not list(here.iterdir())
    db = open_database(register_db, create=False)
    try:
        names = {s.name for s in Repository(db).iter_register()[1]}
    finally:
        db.close()
    assert names == {s.name for s in _planted().suppliers}
