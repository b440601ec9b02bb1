"""Shared pytest fixtures: in-memory and temporary registers, and a small known register.

Plain helpers (``small_register``, ``dump``, report data, hostile payloads...) live in the
``tests.support`` package.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlite_utils import Database

from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import USER_ENV_VAR
from tests.support.registers import small_register

# No example has a deadline: the suite runs in parallel (pytest-xdist) on a machine it shares,
# and a per-example time limit would turn a busy moment into a failure (tests never assert
# timings).  Each test's own @settings still sets its example counts.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


def _from_template() -> None:
    """Give every new, empty register the schema by copying one migrated in this process.

    Migrating an empty database runs 17 migrations (table rebuilds, audit triggers): about
    0.2 s, paid by hundreds of tests.  A database with no migration applied and no data gets
    a byte copy of a template migrated once by the real code (SQLite's backup API), then the
    real ``_migrate`` runs as always and finds nothing pending.  Databases at an older schema
    (the migration tests), another page size and anything with data take the real path.
    """
    from supplier_register.storage import db as storage_db

    real = storage_db._migrate
    template: list[Database] = []

    def migrate(db: Database, path: Path | None) -> None:
        if storage_db.schema_version(db) == 0 and not storage_db.has_data(db):
            if not template:
                made = storage_db.connect(":memory:")
                storage_db.mark_register(made)
                real(made, None)
                template.append(made)
            page = "PRAGMA page_size"
            same_pages = db.execute(page).fetchone() == template[0].execute(page).fetchone()
            if same_pages and not db.conn.in_transaction:  # else the real path, unchanged
                template[0].conn.backup(db.conn)
        real(db, path)

    storage_db._migrate = migrate


_from_template()


@pytest.fixture
def fresh_db() -> Iterator[Database]:
    """A migrated, empty in-memory register database."""
    db = open_database(":memory:")
    yield db
    db.close()


@pytest.fixture
def repo(fresh_db: Database) -> Repository:
    return Repository(fresh_db)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.db"


@pytest.fixture
def loaded_path(db_path: Path) -> Path:
    """A register file holding :func:`small_register`, closed, for CLI and file-level tests."""
    db = open_database(db_path)
    Repository(db).import_register(small_register())
    db.close()
    return db_path


@pytest.fixture
def actor(monkeypatch: pytest.MonkeyPatch) -> str:
    """The person the audit log records (``SUPPLIER_REGISTER_USER``) for this test."""
    monkeypatch.setenv(USER_ENV_VAR, "Sam Okafor")
    return "Sam Okafor"


@pytest.fixture
def loaded_repo(repo: Repository) -> Repository:
    repo.import_register(small_register())
    return repo
