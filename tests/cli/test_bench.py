"""Smoke test of the benchmark script: it runs end to end on a tiny register.

No timing is asserted (performance is judged by running ``bench/run.py`` by hand);
this only keeps the script from rotting as the code it measures changes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT


@pytest.mark.slow
def test_benchmark_runs_on_a_tiny_register(tmp_path: Path) -> None:
    saved = tmp_path / "timings.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "50",
            "--repeats",
            "1",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--save",
            str(saved),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "50 suppliers" in proc.stdout
    assert "FAILED" not in proc.stdout
    assert "not measured" not in proc.stdout
    results = json.loads(saved.read_text())["sizes"]["50"]
    expected = {
        "read_and_score": {"raw_read", "load", "score", "overview", "load_score"},
        "score_db": {"raw_read", "db_overview", "db_overview_warm", "db_overview_next_day"},
        "tui_first_paint": {
            "bare",
            *(
                name + suffix
                for name in ("first_frame", "first_screen", "register_listed", "register_shown")
                for suffix in ("", "_cold")
            ),
        },
        "tui_interact": {
            "bare_key",
            "filter",
            "sort_score",
            "page_down",
            "open_supplier_frame",
            "open_supplier",
        },
        "export_json": {"json"},
        "export_csv": {"csv", "csv_cold"},
        "export_html": {"html", "html_cold"},
        "export_xlsx": {"xlsx", "xlsx_cold"},
        "import_json": {"import"},
        "import_ocds": {"ocds_files", "ocds_files_register"},
        "impact": {
            "raw_lookup",
            "impact_bottom",
            "impact_host",
            "impact_cli",
            "raw_read",
            "concentration",
        },
        "ics": {"national", "national_no_answers", "ics", "national_cli", "tui_national"},
    }
    assert {name: set(r["metrics"]) for name, r in results.items()} == expected
    for name, result in results.items():
        assert result["error"] is None and result["skipped"] is None, name
        assert result["rss_mb"] > 0, name
        assert all(
            len(values) >= 1 and all(v > 0 for v in values) for values in result["metrics"].values()
        ), name

    report = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--report",
            str(saved),
            "--cache-dir",
            str(tmp_path / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    table_lines = [line for line in proc.stdout.splitlines() if line.startswith("|")]
    assert table_lines == [line for line in report.stdout.splitlines() if line.startswith("|")]
