"""Paths of the checkout that tests read: the repository root and the import fixtures."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
IMPORT_FIXTURES = REPO_ROOT / "tests" / "importers" / "fixtures"
