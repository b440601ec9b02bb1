"""Helpers shared by the TUI tests: a known register, a fixed "today", waiting, dumping."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from supplier_register.domain import Answer, Contract, Person, Register, Supplier
from supplier_register.scoring import RegisterScores
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from tests.support.oracles import score_register

TODAY = dt.date(2026, 11, 26)

HOSTILE_NAME = "[@click=app.quit]x[/] 😀 شركة"


def known_register() -> Register:
    """Four suppliers (one with a hostile name), three people, contracts and a few answers.

    SME, clinical systems and auto-renewal are recorded ("no" where it was the default before
    they could be left unrecorded), so the screens show what they always showed."""
    return Register(
        people=[
            Person(name="Dana Whitfield", role="chief_executive", contact="dana@example.nhs.uk"),
            Person(name="Sam Okafor", role="cio_cdo"),
            Person(name="Priya [Ops] Shah", role="senior_manager"),
        ],
        suppliers=[
            Supplier(
                name="Acme [UK] Ltd",
                category="epr",
                criticality="strategic",
                owner="Dana Whitfield",
                annual_spend="1250000.50",
                company_number="01234567",
                last_review=dt.date(2026, 6, 1),
                runs_clinical_systems=True,
                sme=False,
            ),
            Supplier(
                name="Beta Cloud",
                category="cloud_hosting",
                criticality="high",
                owner="Sam Okafor",
                sme=False,
                runs_clinical_systems=False,
            ),
            Supplier(
                name="Cobalt Devices",
                category="devices",
                criticality="low",
                sme=False,
                runs_clinical_systems=False,
            ),
            Supplier(
                name=HOSTILE_NAME,
                category="patient_facing_app",
                criticality="medium",
                owner="Priya [Ops] Shah",
                sme=False,
                runs_clinical_systems=False,
            ),
        ],
        contracts=[
            Contract(
                supplier="Acme [UK] Ltd",
                title="EPR licence and support",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                procurement_route="framework",
                start_date=dt.date(2022, 4, 1),
                end_date=dt.date(2027, 3, 31),
                notice_period_days=180,
                migration_lead_time_days=365,
                auto_renewal=True,
                annual_value="900000",
            ),
            Contract(
                supplier="Acme [UK] Ltd",
                title="Interface development",
                what_is_bought="bespoke_development",
                contract_type="fixed_scope_fixed_price",
                end_date=dt.date(2027, 9, 30),
                auto_renewal=False,
            ),
            Contract(
                supplier="Beta Cloud",
                title="Hosting",
                what_is_bought="commodity",
                contract_type="committed_cloud_spend",
                end_date=dt.date(2029, 1, 31),
                auto_renewal=False,
            ),
        ],
        answers=[
            Answer(supplier="Acme [UK] Ltd", question_id="options.bulk_export", answer="unknown"),
        ],
    )


def write_register_db(folder: Path, register: Register | None = None) -> Path:
    """A register database file in ``folder`` holding ``register`` (default: the known one)."""
    path = folder / "register.db"
    db = open_database(path)
    try:
        if register is None:
            register = known_register()
        if register.suppliers:
            Repository(db).import_register(register)
    finally:
        db.close()
    return path


def engine_scores(path: Path) -> RegisterScores:
    """The scoring engine's full scores of the register in a database (an independent oracle)."""
    db = open_database(path)
    try:
        register = Repository(db).load_register()
    finally:
        db.close()
    return score_register(register, today=TODAY)


def make_app(path: Path, *, live_refresh: float | None = None) -> SupplierRegisterApp:
    """The app as of ``TODAY``, without live refresh unless asked for: a look at the database
    every second would make what a test reads and writes depend on timing (test_tui_live tests
    it)."""
    return SupplierRegisterApp(path, today=TODAY, live_refresh=live_refresh)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every database worker has finished and the screen has caught up."""
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def still_cursor(app: SupplierRegisterApp) -> None:
    """Stop cursors blinking so screenshots are stable."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


def table_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute(f"SELECT * FROM [{table}] ORDER BY id"))


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove a refused change left the database as it was."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {t: list(conn.execute(f"SELECT * FROM [{t}] ORDER BY rowid")) for t in tables}
    finally:
        conn.close()
