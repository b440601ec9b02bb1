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
