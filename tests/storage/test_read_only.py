"""``--read-only``: the register's connection cannot write, and every write says so in one line.

Each write of the storage layer and the application layer is tried on a register opened
read-only; each is refused with the one line, and the file is byte-for-byte as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pwd
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain import Answer, Contract, Dependency, Person, Service, Supplier
from supplier_register.domain.errors import RegisterError
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.services import reviews
from supplier_register.services.profile import set_profile, set_trust_name
from supplier_register.services.register import (
    READ_ONLY_MESSAGE,
    ReadOnlyRegister,
    open_read_only,
    open_register,
    release_read_only,
    storage_error,
)
from supplier_register.services.register_view import Scoring, load_snapshot, read_first_screen
from supplier_register.storage import Repository, open_database
from supplier_register.storage.backup import restore_database
from supplier_register.storage.migrations import migrations
from tests.support.registers import TODAY, dump, small_register

QUARTER = "2026-Q3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Path]:
    """A register with the small register and an open review, then opened read-only."""
    path = tmp_path / "register.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    reviews.start_review(db, QUARTER, TODAY)
    db.close()
    open_read_only(path)
    try:
        yield path
    finally:
        release_read_only(path)


def _ids(repo: Repository) -> tuple[int, int, int]:
    supplier = repo.list_suppliers()[0]
    person = repo.list_people()[0]
    contract = repo.list_contracts(supplier.id)[0]
    return supplier.id, person.id, contract.id


WRITES: dict[str, Callable[[Repository], Any]] = {
    "add supplier": lambda r: r.add_supplier(
        Supplier(name="New Co", category="epr", criticality="low")
    ),
    "update supplier": lambda r: r.update_supplier(
        _ids(r)[0], Supplier(name="Renamed", category="epr", criticality="low")
    ),
    "delete supplier": lambda r: r.delete_supplier(_ids(r)[0]),
    "add person": lambda r: r.add_person(Person(name="Nia Jones", role="cio_cdo")),
    "update person": lambda r: r.update_person(_ids(r)[1], Person(name="Dana W", role="cio_cdo")),
    "delete person": lambda r: r.delete_person(r.list_people()[-1].id),
    "add contract": lambda r: r.add_contract(
        Contract(
            supplier="Beta Cloud",
            title="More hosting",
            what_is_bought="commodity",
            contract_type="committed_cloud_spend",
        )
    ),
    "delete contract": lambda r: r.delete_contract(_ids(r)[2]),
    "set answer": lambda r: r.set_answer(
        Answer(supplier="Beta Cloud", question_id="options.bulk_export", answer="yes")
    ),
    "set answers": lambda r: r.set_answers(
        [Answer(supplier="Beta Cloud", question_id="options.bulk_export", answer="no")]
    ),
    "delete answer": lambda r: r.delete_answer(_ids(r)[0], "options.bulk_export"),
    "add service": lambda r: r.add_service(Service(name="Pharmacy", clinical=True)),
    "update contract": lambda r: r.update_contract(
        _ids(r)[2],
        Contract(
            supplier="Acme [UK] Ltd",
            title="Renamed",
            what_is_bought="commodity",
            contract_type="committed_cloud_spend",
        ),
    ),
    "add dependency": lambda r: r.add_dependency(
        Dependency(supplier="Acme [UK] Ltd", depends_on="Beta Cloud", kind="hosting")
    ),
    "complete review action": lambda r: reviews.complete_action(r.db, 1, TODAY),
    "board actions to review": lambda r: reviews.actions_from_board(r.db, QUARTER, [], TODAY),
    "merge suppliers": lambda r: r.merge_suppliers(
        r.list_suppliers()[0].id, r.list_suppliers()[1].id, TODAY
    ),
    "import register": lambda r: r.import_register(read_register_file(sample_register_path())),
    "trust name": lambda r: set_trust_name(r, "Riverside NHS Trust"),
    "trust profile": lambda r: set_profile(r, {"ics": "Riverside ICS"}, TODAY),
    "start review": lambda r: reviews.start_review(r.db, "2026-Q4", TODAY),
    "add review action": lambda r: reviews.add_action(
        r.db, QUARTER, what="Test the exit plan", owner="Sam Okafor", due=TODAY, today=TODAY
    ),
    "close review": lambda r: reviews.close_review(r.db, QUARTER, TODAY),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_is_refused_in_one_line_and_changes_nothing(register: Path, name: str) -> None:
    before_bytes, before_rows = _digest(register), dump(register)
    with open_register(register) as repo, pytest.raises(ReadOnlyRegister) as refused:
        WRITES[name](repo)
    assert refused.value.message == READ_ONLY_MESSAGE
    assert _digest(register) == before_bytes
    assert dump(register) == before_rows


def test_the_register_opened_read_only_is_read_and_scored_without_a_write(
    register: Path,
) -> None:
    """Reads that keep scores and board questions on a writable register write nothing here."""
    before, rows = _digest(register), dump(register)
    later = TODAY + dt.timedelta(days=30)  # a new day: the kept scores and questions are stale
    assert read_first_screen(register, later, Scoring(), 40) is None
    snapshot = load_snapshot(register, later)
    assert len(snapshot.suppliers) == 2
    assert snapshot.board is not None
    assert read_first_screen(register, later, Scoring(), 40) is None  # still nothing kept
    assert _digest(register) == before
    assert dump(register) == rows


def test_restore_refuses_a_register_open_read_only(register: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    shutil.copy(register, backup)
    before = _digest(register)
    with pytest.raises(ReadOnlyRegister):
        restore_database(register, backup, force=True)
    assert _digest(register) == before


def test_a_missing_register_is_not_created_read_only(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    open_read_only(path)
    try:
        with pytest.raises(RegisterError, match="does not exist"):
            open_database(path)
    finally:
        release_read_only(path)
    assert not path.exists()


def test_a_register_needing_migration_is_refused_read_only(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path, migrate=False)
    names = [m.name for m in migrations._migrations]
    migrations.apply(db, stop_before=names[-1])
    db.close()
    before = _digest(path)
    open_read_only(path)
    try:
        with pytest.raises(RegisterError) as refused:
            open_database(path)
    finally:
        release_read_only(path)
    assert "open it once without --read-only" in refused.value.message
    assert _digest(path) == before


def test_cli_read_only_refuses_a_write_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    db.close()
    before = _digest(path)
    try:
        result = CliRunner().invoke(
            main, ["--db", str(path), "--read-only", "profile", "set", "--ics", "Riverside ICS"]
        )
    finally:
        release_read_only(path)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {READ_ONLY_MESSAGE}"
    assert _digest(path) == before


def test_cli_read_only_on_an_old_register_says_to_open_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path, migrate=False)
    names = [m.name for m in migrations._migrations]
    migrations.apply(db, stop_before=names[-1])
    db.close()
    try:
        result = CliRunner().invoke(main, ["--db", str(path), "--read-only", "suppliers"])
    finally:
        release_read_only(path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "open it once without --read-only" in lines[0]


def test_a_raw_write_on_the_read_only_connection_is_worded_as_read_only(register: Path) -> None:
    """Beneath the refusal of every transaction, SQLite itself refuses; said the same way."""
    before = _digest(register)
    with open_register(register) as repo, pytest.raises(sqlite3.DatabaseError) as failed:
        repo.db.execute("UPDATE suppliers SET name = 'X'")
    mapped = storage_error(failed.value, register)
    assert mapped is not None and mapped.message == READ_ONLY_MESSAGE
    assert _digest(register) == before


def _in_a_folder_only_readable(run: Callable[[], str]) -> str:
    """``run()`` by an account that may read the register's folder but not write it.

    As root (who may write anywhere) it runs in a child process as ``nobody``."""
    if os.geteuid() != 0:
        return run()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no 'nobody' account to read the register as")
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        os.close(reading)
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            said = run()
        except BaseException as exc:  # reported to the parent, which fails
            said = f"failed: {type(exc).__name__}: {exc}"
        os.write(writing, said.encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    return said


def test_a_register_in_a_folder_only_readable_is_opened_read_only(tmp_path: Path) -> None:
    """The register's folder is read-only to the account reading it (locked with chmod, or a
    read-only disk): nothing can be created beside the file (SQLite's ``-shm``), and the
    register is still read."""
    folder = Path(tempfile.mkdtemp(prefix="read-only-folder-"))  # not under a private tmp_path
    try:
        inside = folder / "registers"
        inside.mkdir()
        path = inside / "register.db"
        db = open_database(path)
        Repository(db).import_register(small_register())
        db.close()
        before = _digest(path)
        folder.chmod(0o755)
        path.chmod(0o644)
        inside.chmod(0o555)

        def read() -> str:
            open_read_only(path)
            try:
                with open_register(path) as repo:
                    return f"{len(repo.list_suppliers())} suppliers"
            except RegisterError as exc:
                return f"refused: {exc.message}"
            finally:
                release_read_only(path)

        said = _in_a_folder_only_readable(read)
        assert said == f"{len(small_register().suppliers)} suppliers"
        assert sorted(p.name for p in inside.iterdir()) == ["register.db"]
        assert _digest(path) == before
    finally:
        inside.chmod(0o755)
        shutil.rmtree(folder)
