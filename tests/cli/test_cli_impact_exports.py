"""``export`` and ``review export`` on the impact scenario register: the service impact section."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supplier_register.cli import main
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect
from tests.support.impact import impact_register

HIGH = ["Veridane", "Lumen Imaging", "Corvid Labs"]
LOWER = ["Iris AI", "PayCo", "Corvid Analytics"]


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scenario_db(tmp_path: Path) -> Path:
    path = tmp_path / "impact.db"
    db = open_database(path)
    try:
        Repository(db).import_register(impact_register())
    finally:
        db.close()
    return path


def test_every_export_format_has_the_impact_of_strategic_and_high_suppliers(
    scenario_db: Path, tmp_path: Path
) -> None:
    today = ("--today", "2026-11-26")
    code, md, err = run(scenario_db, "export", "--format", "md", *today)
    assert code == 0, err
    part = md[md.index("## Service impact") :]
    for name in HIGH:
        assert f"\n### If {name} failed: " in part
    for name in LOWER:
        assert f"\n### If {name} failed" not in part

    code, html, err = run(scenario_db, "export", "--format", "html", *today)
    assert code == 0, err
    page = collect(html[html.index(">What would happen if it went wrong</h2>") :])
    blocks = [attrs for tag, attrs in page.tags if tag == "div" and attrs.get("class") == "impact"]
    assert len(blocks) == 5  # Veridane, Corvid Labs, Ensemble, Lumen Imaging, Nimbus Hosting
    assert all(name in page.text for name in HIGH)

    code, text, err = run(scenario_db, "export", "--format", "csv", *today)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    gaps = [i for i, row in enumerate(rows) if row == []]
    assert len(gaps) == 3
    impact = rows[gaps[1] + 1 : gaps[2]]
    names = [row[0] for row in impact[1:]]
    assert set(HIGH) <= set(names) and not set(LOWER) & set(names)

    out = tmp_path / "s.xlsx"
    code, _, err = run(scenario_db, "export", "--format", "xlsx", "--out", str(out), *today)
    assert code == 0, err
    sheet = load_workbook(out)["Service impact"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(HIGH) <= set(names) and not set(LOWER) & set(names)


def test_review_pack_keeps_the_impact_taken_at_the_start(scenario_db: Path) -> None:
    code, _, err = run(scenario_db, "review", "start", "2026-Q4", "--today", "2026-11-26")
    assert code == 0, err
    # Maternity records is deleted after the review started: the review still counts it
    db = open_database(scenario_db)
    try:
        repo = Repository(db)
        repo.delete_service(repo.find_service("Maternity records").id)
    finally:
        db.close()
    code, pack, err = run(
        scenario_db, "review", "export", "2026-Q4", "--format", "md", "--today", "2026-11-26"
    )
    assert code == 0, err
    part = pack[pack.index("## Service impact at this review") :]
    assert "| Veridane | Strategic | 2 | 2 | ED triage, 2 hours | EPR: Written |" in part
    table = part.split("\n## ", 1)[0].splitlines()
    suppliers = [line.split(" | ")[0].removeprefix("| ") for line in table if line.startswith("|")]
    assert set(HIGH) <= set(suppliers) and not set(LOWER) & set(suppliers)


def test_a_fallback_reads_the_same_on_every_surface(scenario_db: Path) -> None:
    """ED triage's tested fallback and Radiology reporting's untested one are worded once: the
    same in the CLI's impact view and services table, the HTML paper, the CSV and the Markdown."""
    tested = "Manual (paper) fallback, tested 12 March 2024"
    untested = "Manual (paper) fallback, not recorded as tested"
    today = ("--today", "2026-11-26")

    def wide(*args: str) -> str:
        result = CliRunner(env={"COLUMNS": "250"}).invoke(
            main, ["--db", str(scenario_db), *args], catch_exceptions=False
        )
        assert result.exit_code == 0, result.stderr
        return result.stdout

    # the impact view says it in its outlook sentences, in the same words
    impact = wide("impact", "Ensemble", *today)
    assert "a manual fallback exists, last tested 12 March 2024" in impact
    assert "a manual fallback exists, not recorded as tested" in impact
    assert "2024-03-12" not in impact and "test not recorded" not in impact
    outputs = {
        "impact md": wide("impact", "Ensemble", "--format", "md", *today),
        "services": wide("services"),
        "html": wide("export", "--format", "html", *today),
        "csv": wide("export", "--format", "csv", *today),
        "md": wide("export", "--format", "md", *today),
    }
    for surface, out in outputs.items():
        assert tested in out, surface
        assert untested in out, surface
        for other in ("2024-03-12", "test not recorded", "fallback: Not recorded"):
            assert other not in out, (surface, other)


def test_the_papers_impact_of_a_supplier_is_the_cli_markdown(scenario_db: Path) -> None:
    """``export --format md`` and ``impact --format md`` give one supplier's impact the same
    text, the paper's one heading level down (under its "Service impact")."""
    today = ("--today", "2026-11-26")
    code, paper, err = run(scenario_db, "export", "--format", "md", *today)
    assert code == 0, err
    for name in ("Veridane", "Ensemble"):
        code, cli, err = run(scenario_db, "impact", name, "--format", "md", *today)
        assert code == 0, err
        start = paper.index(f"### If {name} failed")
        # up to the next supplier's section (or the concentration view), in the score's order
        section = paper[start : paper.index("\n### ", start) + 1]
        demoted = "\n".join(
            "#" + line if line.startswith("#") else line for line in cli.split("\n")
        )
        assert section.strip() == demoted.strip()
        assert "#### Not recorded" in section
