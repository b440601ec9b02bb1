"""Everything the program writes is readable by its owner only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import small_register


def cli(home: Path, *args: str) -> None:
    """Run a command on the default database, which lives under ``home`` for the test."""
    env = {"XDG_DATA_HOME": str(home / "data"), "SUPPLIER_REGISTER_DB": None}
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exit_code == 0, (args, result.output)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)  # a typical umask: new files readable by everybody
    yield
    os.umask(old)


@pytest.mark.usefixtures("permissive_umask")
def test_database_backups_and_exports_are_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    source = tmp_path / "in.json"
    source.write_text(dump_register_json(small_register()), encoding="utf-8")
    (home / "data").mkdir()  # the user's XDG data folder exists already, like ~/.local/share
    out = home / "out"
    out.mkdir()
    cli(home, "import", str(source))
    for fmt in ("json", "csv", "md", "html", "xlsx", "summary-json"):
        cli(home, "export", "--format", fmt, "--out", str(out / f"register.{fmt}"))
    cli(home, "audit", "--format", "csv", "--out", str(out / "audit.csv"))
    cli(home, "audit", "--format", "json", "--out", str(out / "audit.json"))
    cli(home, "review", "start", "2026-Q4", "--today", "2026-11-26")
    cli(home, "review", "export", "2026-Q4", "--format", "html", "--out", str(out / "pack.html"))
    cli(home, "backup", str(out / "backup.db"))
    cli(home, "restore", str(out / "backup.db"), "--force")

    created = [p for p in home.rglob("*") if p not in (out, home / "data")]
    files = [p for p in created if p.is_file()]
    folders = [p for p in created if p.is_dir()]
    assert len(files) >= 12
    assert {p.name for p in folders} == {"supplier-register", "register-backups"}
    loose = [
        f"{p.relative_to(home)} {stat.S_IMODE(p.stat().st_mode):o}"
        for p in created
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == []


@pytest.mark.usefixtures("permissive_umask")
def test_wal_and_shared_memory_files_follow_the_database(tmp_path: Path) -> None:
    from supplier_register.storage import Repository, open_database

    path = tmp_path / "register.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    modes = {
        suffix: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode) for suffix in ("", "-wal", "-shm")
    }
    db.close()
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
