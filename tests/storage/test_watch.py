"""The live refresh's watch: it notices commits made on other connections (``PRAGMA
data_version``), and the audit log then says which suppliers changed, or that something
register-wide did."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from supplier_register.domain import Person, Supplier
from supplier_register.services.reviews import start_review
from supplier_register.storage import Repository, open_database
from supplier_register.storage.watch import Changes, ChangeWatch, changes_since
from tests.support.registers import small_register

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    db = open_database(path)
    Repository(db).import_register(small_register())
    db.close()
    return path


def test_the_watch_notices_each_commit_of_another_connection_once(path: Path) -> None:
    watch = ChangeWatch(path)
    db = open_database(path)
    try:
        repo = Repository(db)
        first = watch.changed()
        assert first is not None and first > 0  # the first look gives the audit mark
        assert watch.changed() is None  # nothing since
        supplier = repo.list_suppliers()[0]
        repo.update_supplier(
            supplier.id, supplier.model_copy(update={"notes": "x"}), supplier.version
        )
        second = watch.changed()
        assert second is not None and second > first
        assert watch.changed() is None
        changes = changes_since(db, first)
        assert (changes.mark, changes.suppliers) == (second, frozenset({supplier.id}))
        added = repo.add_supplier(Supplier(name="New Co", category="other", criticality="low"))
        repo.delete_supplier(added.id)
        assert changes_since(db, second).suppliers == frozenset({added.id})
        start_review(db, "2026-Q4", TODAY)
        assert changes_since(db, second).suppliers == frozenset({added.id})  # reviews aside
        repo.add_person(Person(name="Alex Morgan", role="senior_manager"))
        third = watch.changed()
        assert third is not None
        assert changes_since(db, second).suppliers is None  # a person: everything is read
        assert changes_since(db, third) == Changes(third, frozenset())  # nothing after
    finally:
        db.close()
        watch.close()
    assert watch.changed() is None  # closed for good


def test_the_watch_of_a_missing_file_raises_and_tries_again(tmp_path: Path, path: Path) -> None:
    watch = ChangeWatch(tmp_path / "later.db")
    with pytest.raises(sqlite3.Error):
        watch.changed()
    path.rename(tmp_path / "later.db")
    assert watch.changed() is not None
    watch.close()


_WRITE_ELSEWHERE = """
import sys
from pathlib import Path
from supplier_register.storage import Repository, open_database
db = open_database(Path(sys.argv[1]))
repo = Repository(db)
supplier = repo.list_suppliers()[0]
repo.update_supplier(supplier.id, supplier.model_copy(update={"notes": sys.argv[2]}), supplier.version)
db.close()
"""


def test_opening_the_register_again_in_this_process_keeps_the_watch_seeing_changes(
    path: Path,
) -> None:
    """Each open of the register in this process (every worker read does one) must leave the
    watch's locks alone: it kept seeing other programs' changes only until the second one when
    the file's header was read by opening the file outside SQLite."""
    import subprocess
    import sys

    watch = ChangeWatch(path)
    try:
        assert watch.changed() is not None
        for n in range(4):
            subprocess.run(
                [sys.executable, "-c", _WRITE_ELSEWHERE, str(path), f"change {n}"], check=True
            )
            assert watch.changed() is not None, f"change {n} not seen"
            conn = watch._connection()
            notes = {r[0] for r in conn.execute("SELECT notes FROM suppliers")}
            assert f"change {n}" in notes, f"change {n} read stale"
            open_database(path).close()  # as a worker's read does, between two changes
    finally:
        watch.close()
