"""Opening a register for one call, and the register-wide operations the CLI and TUI ask for.

Where the register lives (``--db``, the default, the demo copy), opening it (created and
migrated when asked), the one-line message for a storage failure, the interchange file
(read, write, schema, synthetic registers), and where an output may be written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from supplier_register.interchange import (
    dump_register_json,
    read_register_file,
    register_schema_json,
    sample_register_path,
)
from supplier_register.interchange.synthetic import generate_register
from supplier_register.storage import Repository, default_db_path, open_database
from supplier_register.storage.audit import parse_since
from supplier_register.storage.db import (
    READ_ONLY_MESSAGE,
    DamagedRegister,
    ReadOnlyRegister,
    is_read_only_path,
    open_preview,
    open_read_only,
    release_read_only,
    storage_error,
)
from supplier_register.storage.location import network_share_warning
from supplier_register.storage.outputs import check_output, check_target, write_output_file

__all__ = [
    "READ_ONLY_MESSAGE",
    "DamagedRegister",
    "ReadOnlyRegister",
    "Repository",
    "check_output",
    "check_target",
    "default_db_path",
    "dump_register_json",
    "generate_register",
    "is_read_only_path",
    "make_demo_register",
    "network_share_warning",
    "open_read_only",
    "open_register",
    "parse_since",
    "preview_register",
    "read_register_file",
    "register_schema_json",
    "release_read_only",
    "storage_error",
    "write_output_file",
]


@contextmanager
def open_register(path: Path, *, create: bool = True) -> Iterator[Repository]:
    """The register at ``path`` for the length of one call (created and migrated if ``create``)."""
    db = open_database(path, create=create)
    try:
        yield Repository(db)
    finally:
        db.close()


@contextmanager
def preview_register(path: Path) -> Iterator[Repository]:
    """A private in-memory copy of the register at ``path`` for a dry run: the file (or its
    absence) is left exactly as it is, whatever the preview does to the copy."""
    db = open_preview(path)
    try:
        yield Repository(db)
    finally:
        db.close()


def ensure_register(path: Path) -> None:
    """Create or migrate the register at ``path`` now, so a problem is one line, not later."""
    open_database(path).close()


def make_demo_register(directory: Path | None = None) -> Path:
    """A fresh database holding the bundled sample register, in a private temporary folder."""
    folder = Path(directory or tempfile.mkdtemp(prefix="supplier-register-demo-"))
    path = folder / "demo.db"
    register = read_register_file(sample_register_path())
    with open_register(path) as repo:
        repo.import_register(register)
    return path
