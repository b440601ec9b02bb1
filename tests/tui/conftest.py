"""Fixtures for the TUI tests: a small known register on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import known_register

from supplier_register.storage import Repository, open_database


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    """A register database file holding :func:`known_register`."""
    path = tmp_path / "register.db"
    db = open_database(path)
    try:
        Repository(db).import_register(known_register())
    finally:
        db.close()
    return path


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_database(path).close()
    return path
