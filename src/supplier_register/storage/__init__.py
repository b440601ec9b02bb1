"""SQLite storage of the register through sqlite-utils; returns domain models."""

from supplier_register.storage.db import (
    default_db_path,
    open_database,
    schema_version,
    write_transaction,
)
from supplier_register.storage.repository import (
    AnswerFacts,
    ImportSummary,
    KindSummary,
    Repository,
)

__all__ = [
    "AnswerFacts",
    "ImportSummary",
    "KindSummary",
    "Repository",
    "default_db_path",
    "open_database",
    "schema_version",
    "write_transaction",
]
