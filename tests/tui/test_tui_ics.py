"""The ICS view's screen (issue 19, point 2): partner trusts' shared files beside the register."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from supplier_register.domain.models import Contract, Register, Supplier
from supplier_register.services.register import release_read_only
from supplier_register.storage.settings import read_ui_settings
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.ics import (
    ICS_FOLDER_ENV,
    IcsScreen,
    IcsSupplierScreen,
    split_paths,
)
from supplier_register.tui.widgets.ics_table import IcsTable
from tests.support.shares import contract, share_document, supplier, write_share
from tests.tui.tui_support import TODAY, settle, write_register_db

HOSTILE = "[bold red]X[/]"

OWN_DECIDE_BY = dt.date(2027, 4, 1)
"""The register's decide-by for Acme: 90 days' notice before an end on 2027-06-30."""


def _register() -> Register:
    """This trust: Acme (decide by 2027-04-01, in the window with Hillside's) and a supplier
    nobody else uses."""
    return Register(
        trust="Riverside NHS Trust",
        suppliers=[
            Supplier(
                name="Acme Health Systems Ltd",
                category="epr",
                criticality="strategic",
                company_number="01234567",
            ),
            Supplier(name="Local Laptops Ltd", category="devices", criticality="low"),
        ],
        contracts=[
            Contract(
                supplier="Acme Health Systems Ltd",
                title="EPR licence and support",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                end_date=OWN_DECIDE_BY + dt.timedelta(days=90),
                notice_period_days=90,
                migration_lead_time_days=0,
            )
        ],
    )


def _partners(folder: Path) -> Path:
    """Two partner trusts' shared files in ``folder``: Hillside decides about Acme three months
    after this trust; Valley uses Acme with no date shared, and a hostile-named supplier."""
    folder.mkdir()
    write_share(
        folder / "hillside.json",
        share_document(
            "Hillside NHS Foundation Trust",
            [
                supplier(
                    "ACME Health-Systems Limited",
                    company_number="01234567",
                    criticality="high",
                    score=72,
                    band="severe",
                    next_decide_by="2027-07-01",
                ),
                supplier(HOSTILE, criticality="low"),
            ],
            [
                contract(
                    "ACME Health-Systems Limited",
                    "Acme EPR",
                    end_date="2027-09-29",
                    decide_by="2027-07-01",
                ),
                contract(HOSTILE, "[link=x]deal[/link]", end_date=None),
            ],
        ),
    )
    write_share(
        folder / "valley.json",
        share_document(
            "Valley Hospitals NHS Trust",
            [
                supplier("Acme Health Systems Ltd", criticality="medium", score=None, band=None),
                supplier(HOSTILE, criticality="medium"),
            ],
            [contract("Acme Health Systems Ltd", "PAS", end_date="2028-01-31")],
        ),
    )
    return folder


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_register_db(tmp_path, _register())


def _app(path: Path, **kwargs: object) -> SupplierRegisterApp:
    return SupplierRegisterApp(path, today=TODAY, live_refresh=None, **kwargs)  # type: ignore[arg-type]


def _text(screen: object, selector: str) -> str:
    assert isinstance(screen, IcsScreen | IcsSupplierScreen)
    return str(screen.query_one(selector, Static).render())


async def _open(pilot: object, paths: str) -> IcsScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("J")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, IcsScreen)
    box = screen.query_one("#ics-paths", Input)
    assert box.has_focus
    box.value = paths
    await pilot.press("enter")
    await settle(pilot)
    return screen


def _row(table: IcsTable, name: str) -> list[str]:
    for index, found in enumerate(table.rows):
        if found.name == name:
            return table.cells(index)
    raise AssertionError(f"{name} not in the table")


async def test_the_joint_window_is_shown_with_this_trust_and_its_partner(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    async with _app(register).run_test(size=(160, 40)) as pilot:
        screen = await _open(pilot, str(folder))
        table = screen.table
        assert table.has_focus
        assert "3 trusts" in _text(screen, "#ics-title")
        # Only the suppliers two or more trusts use, the one with a window first.
        assert [s.name for s in table.rows] == ["Acme Health Systems Ltd", HOSTILE]
        acme = _row(table, "Acme Health Systems Ltd")
        assert acme[1] == "yes"  # this trust uses it
        assert acme[2] == "3"
        assert acme[3] == "2027-04-01 → 2027-07-01"
        assert acme[4] == "Hillside NHS Foundation Trust, Riverside NHS Trust (this trust)"
        assert acme[5] == "2027-04-01"
        assert acme[6] == "Strategic"
        hostile = _row(table, HOSTILE)
        assert hostile[1] == "" and hostile[3] == "none"
        assert hostile[5] == "not shared"
        # The line drawn holds the window's dates and trusts as text.
        drawn = "".join(seg.text for seg in table.render_line(1))
        assert "2027-04-01 → 2027-07-01" in drawn


async def test_every_supplier_filter_and_the_detail_with_timeline_and_gaps(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    async with _app(register).run_test(size=(160, 40)) as pilot:
        screen = await _open(pilot, str(folder))
        table = screen.table
        await pilot.press("a")
        assert "Local Laptops Ltd" in [s.name for s in table.rows]
        await pilot.press("a")
        assert "Local Laptops Ltd" not in [s.name for s in table.rows]
        await pilot.press("slash")
        await pilot.press(*"acme")
        await settle(pilot)
        assert [s.name for s in table.rows] == ["Acme Health Systems Ltd"]
        await pilot.press("enter")  # leaves the filter box for the table
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, IcsSupplierScreen)
        text = detail.parts.text
        assert text.startswith(_text(detail, "#ics-supplier"))
        assert _text(detail, "#ics-timeline") in text
        assert (
            "Joint window: Hillside NHS Foundation Trust and Riverside NHS Trust (this trust) "
            "must decide between 2027-04-01 and 2027-07-01" in text
        )
        assert "Riverside NHS Trust (this trust) · Strategic · score " in text
        assert "score 72 (severe)" in text
        assert "score not shared" in text  # Valley's
        assert "Valley Hospitals NHS Trust · Medium · score not shared" in text
        assert "“PAS” ends 2028-01-31 · decide-by not shared" in text
        assert "Also recorded as: ACME Health-Systems Limited" in text
        assert "Valley Hospitals NHS Trust: “PAS” decide-by not shared" in text
        # The timeline: the months from the first date to the last, a row per trust.
        assert "Timeline, by month" in text
        lines = text.splitlines()
        months = next(line for line in lines if "Apr May Jun Jul" in line)
        below = lines[lines.index(months) :]
        riverside = next(line for line in below if line.startswith("Riverside NHS Trust (this"))
        hillside = next(line for line in below if line.startswith("Hillside NHS Foundation"))
        valley = next(line for line in below if line.startswith("Valley Hospitals"))
        column = months.index("Apr")
        assert riverside[column : column + 4].strip() == "D"
        assert hillside[months.index("Jul") : months.index("Jul") + 4].strip() == "D"
        assert valley[months.index("Jan") : months.index("Jan") + 4].strip() == "E"
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen


async def test_a_bad_file_is_one_inline_line_naming_it_and_nothing_breaks(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    bad = folder / "broken.json"
    document = share_document("Broken Trust", [supplier("Acme", criticality="vital")])
    write_share(bad, document)
    async with _app(register).run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot, str(folder))
        error = _text(screen, "#ics-error")
        assert "broken.json" in error and "criticality" in error
        assert "\n" not in error.strip()
        assert screen.query_one("#ics-error").display
        assert screen.table.row_count == 0
        # Reading the good files afterwards works, and the error line goes.
        bad.unlink()
        box = screen.query_one("#ics-paths", Input)
        box.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query_one("#ics-error").display
        assert screen.table.row_count == 2


async def test_a_missing_file_and_an_empty_box_are_one_line_each(register: Path) -> None:
    async with _app(register).run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot, "")
        assert "enter a folder of shared files" in _text(screen, "#ics-error")
        box = screen.query_one("#ics-paths", Input)
        box.value = "/nowhere/at/all.json"
        await pilot.press("enter")
        await settle(pilot)
        assert _text(screen, "#ics-error") == "/nowhere/at/all.json: file not found"


async def test_names_from_partner_files_are_shown_as_typed_never_as_markup(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    async with _app(register).run_test(size=(160, 40)) as pilot:
        screen = await _open(pilot, str(folder))
        table = screen.table
        index = [s.name for s in table.rows].index(HOSTILE)
        drawn = "".join(seg.text for seg in table.render_line(index + 1))
        assert HOSTILE in drawn
        table.cursor_row = index
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, IcsSupplierScreen)
        text = "\n".join(_text(detail, f"#ics-{part}") for part in ("supplier", "gaps"))
        assert HOSTILE in text
        assert "“[link=x]deal[/link]” end date not recorded · decide-by not shared" in text
        assert "Hillside NHS Foundation Trust: “[link=x]deal[/link]” end date not recorded" in (
            text
        )


async def test_the_files_read_are_proposed_next_time_and_kept_in_the_settings(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    config = tmp_path / "config.toml"
    config.write_text('[tui]\ntheme = "nord"\n', encoding="utf-8")
    app = _app(register, settings=read_ui_settings(config))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot, str(folder))
        assert screen.table.row_count == 2
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert pilot.app.screen.query_one("#ics-paths", Input).value == str(folder)
    assert read_ui_settings(config).ics_folder == str(folder)
    assert read_ui_settings(config).theme == "nord"
    # A new session proposes the folder kept.
    async with _app(register, settings=read_ui_settings(config)).run_test() as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert pilot.app.screen.query_one("#ics-paths", Input).value == str(folder)


async def test_the_environment_folder_is_proposed(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _partners(tmp_path / "shared")
    monkeypatch.setenv(ICS_FOLDER_ENV, str(folder))
    async with _app(register).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, IcsScreen)
        assert screen.query_one("#ics-paths", Input).value == str(folder)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.table.row_count == 2


async def test_read_only_the_view_works_and_writes_no_settings(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    config = tmp_path / "config.toml"
    config.write_text('[tui]\ntheme = "nord"\n', encoding="utf-8")
    before = hashlib.sha256(register.read_bytes()).hexdigest()
    app = _app(register, settings=read_ui_settings(config), read_only=True)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            screen = await _open(pilot, str(folder))
            assert screen.table.row_count == 2
            assert screen.table.rows[0].windows
    finally:
        release_read_only(register)
    assert config.read_text(encoding="utf-8") == '[tui]\ntheme = "nord"\n'
    assert hashlib.sha256(register.read_bytes()).hexdigest() == before


async def test_the_trust_s_own_export_in_the_folder_is_left_out_for_the_register(
    register: Path, tmp_path: Path
) -> None:
    folder = _partners(tmp_path / "shared")
    write_share(
        folder / "riverside-old.json",
        share_document(
            "Riverside NHS Trust",
            [supplier("Acme Health Systems Ltd", next_decide_by="2026-12-01")],
            [contract("Acme Health Systems Ltd", "Old", decide_by="2026-12-01")],
        ),
    )
    async with _app(register).run_test(size=(160, 40)) as pilot:
        screen = await _open(pilot, str(folder))
        notes = _text(screen, "#ics-notes")
        assert "riverside-old.json: a shared file of Riverside NHS Trust, this trust" in notes
        assert "3 trusts" in _text(screen, "#ics-title")
        acme = _row(screen.table, "Acme Health Systems Ltd")
        assert acme[3] == "2027-04-01 → 2027-07-01"


async def test_the_palette_finds_the_ics_view(register: Path) -> None:
    from supplier_register.tui.commands import RegisterCommands

    async with _app(register).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        titles = [c.title for c in RegisterCommands(pilot.app.screen).commands()]
        title = next(t for t in titles if t.startswith("ICS view"))
        for words in ("partner trusts", "joint procurement"):
            assert words in title


def test_paths_typed_are_a_folder_with_spaces_or_words(tmp_path: Path) -> None:
    folder = tmp_path / "shared files"
    folder.mkdir()
    assert split_paths(f"  {folder}  ") == [folder]
    assert split_paths("a.json 'b c.json'") == [Path("a.json"), Path("b c.json")]
    assert split_paths("   ") == []
    with pytest.raises(ValueError, match="quotation"):
        split_paths("'open")


@pytest.mark.parametrize(
    "size", [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
)
def test_supplier_across_trusts_snapshot(
    snap_compare: Any, register: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The supplier's screen: the window in a sentence, each trust, the timeline, the gaps."""
    from textual.pilot import Pilot

    from tests.tui.tui_support import still_cursor

    folder = _partners(tmp_path / "shared")
    app = _app(register)

    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot, str(folder))
        await pilot.press("enter")
        await settle(pilot)
        app.sub_title = "register.db"
        still_cursor(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_the_next_decide_by_comes_from_any_trusts_contracts_and_says_why_when_none(
    tmp_path: Path,
) -> None:
    """The column shows the soonest decide-by of any trust's contracts (a supplier's own next
    decide-by may be empty, e.g. never scored); none left is "passed", none given "not shared"."""
    from supplier_register.services.ics import ics_view
    from supplier_register.tui.widgets.ics_table import next_decide_by_text

    def pool(*days: str | None) -> list[str]:
        documents = [
            share_document(
                trust,
                [supplier("Acme Ltd", company_number="01234567", next_decide_by=None)],
                [contract("Acme Ltd", "Licence", end_date="2029-01-01", decide_by=day)],
            )
            for trust, day in zip(("Riverside NHS Trust", "Hillside NHS Trust"), days, strict=True)
        ]
        folder = tmp_path / "-".join(str(d) for d in days)
        folder.mkdir()
        for n, document in enumerate(documents):
            write_share(folder / f"{n}.json", document)
        [acme] = ics_view([folder], TODAY).suppliers
        return [next_decide_by_text(acme, TODAY)]

    assert pool("2027-09-01", "2027-05-01") == ["2027-05-01"]
    assert pool("2026-01-01", "2027-05-01") == ["2027-05-01"]  # a passed one is skipped
    assert pool("2026-01-01", None) == ["passed"]
    assert pool(None, None) == ["not shared"]
