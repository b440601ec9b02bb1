"""The core packages (and the CLI, until it opens the TUI) never load Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "supplier_register.domain",
    "supplier_register.scoring",
    "supplier_register.storage",
    "supplier_register.reports",
    "supplier_register.interchange",
    "supplier_register.review",
    "supplier_register.importers",
    "supplier_register.runtime.gcpause",
    "supplier_register.services.register",
    "supplier_register.services.register_scoring",
    "supplier_register.services.exports",
    "supplier_register.services.reviews",
    "supplier_register.services.imports",
    "supplier_register.services.reliability",
    "supplier_register.cli",
]


def test_core_imports_without_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {module}\n" for module in CORE)
        + "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_tui_package_does_load_textual() -> None:
    """The check above can fail: importing the app does pull Textual in."""
    code = "import sys, supplier_register.tui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"
