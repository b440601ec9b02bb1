"""The HTML board paper of the sample register: its sections, masthead, marking, supplier table
and, when Chromium is installed, the printed PDF (no blank page; every page marked and headed)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from supplier_register.cli import root as cli
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.reports.htmldoc import DEFAULT_MARKING, css_string, document, table
from supplier_register.reports.htmltree import Child, h
from supplier_register.scoring.config import BoardConfig, ScoringConfig
from supplier_register.services.board import board
from supplier_register.services.exports import PaperOptions, contract_facts, summary_export
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect

TODAY = dt.date(2026, 11, 26)
RUNNING = "Northmoor Valley NHS Foundation Trust · Supplier risk — board paper · 26 November 2026"
SECTIONS = [
    "Executive summary",
    "Decisions required",
    "Board questions",
    "Criticality and risk",
    "Suppliers by priority",
    "What would happen if it went wrong",
    "Management actions (for information)",
    "Method notes",
]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("paper") / "sample.db"
    db = open_database(path)
    Repository(db).import_register(read_register_file(sample_register_path()))
    db.close()
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


def paper(db: Database, **kwargs: object) -> str:
    data = summary_export(db, "html", TODAY, **kwargs)  # type: ignore[arg-type]
    assert not isinstance(data, bytes)
    return "".join(data)


@pytest.fixture(scope="module")
def sample_html(db_path: Path) -> str:
    db = open_database(db_path)
    try:
        return paper(db)
    finally:
        db.close()


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2\b[^>]*>(.*?)</h2>", html)]


def test_sections_come_in_the_board_order(sample_html: str) -> None:
    found = headings(sample_html)
    assert [h for h in found if h in SECTIONS] == SECTIONS
    assert not any(h.startswith("Changes since the last review") for h in found)  # no review


def test_masthead_running_header_and_marking(db: Database, sample_html: str) -> None:
    text = collect(sample_html).text
    assert "Author: not recorded" in text and "Version 1.0" in text
    assert "@top-left {" in sample_html and css_string(RUNNING) in sample_html
    assert sample_html.count(css_string(DEFAULT_MARKING)) == 2  # top right and bottom left
    html = paper(
        db,
        paper=PaperOptions(author='<b>Jo</b> "CIO"', version="2.1 <draft>"),
        config=ScoringConfig(board=BoardConfig(classification='SECRET"; } body { x: "')),
    )
    parsed = collect(html)
    assert 'Author: <b>Jo</b> "CIO"' in parsed.text and "Version 2.1 <draft>" in parsed.text
    assert "b" not in {t for t, _ in parsed.tags}
    assert (
        css_string('SECRET"; } body { x: "') in html and 'SECRET"' not in html.split("</style>")[1]
    )
    assert DEFAULT_MARKING not in html


def test_executive_summary_decisions_questions_and_actions(db: Database, sample_html: str) -> None:
    pack = board(db, TODAY)
    parsed = collect(sample_html)
    decisions = [r for r in parsed.cells if len(r) == 8 and r[0].isdigit()]
    assert len(decisions) == len(pack.decisions) > 0
    first = pack.decisions[0]
    assert decisions[0][1] == first.supplier and first.when in decisions[0][3]
    assert decisions[0][5] == first.action and decisions[0][6] == first.consequence
    # one numbering of the questions, each naming its supplier and key question
    (ol,) = re.findall(r'<ol class="questions">(.*?)</ol>', sample_html, flags=re.S)
    items = re.findall(r'<li value="(\d+)">(.*?)</li>', ol, flags=re.S)
    assert [int(v) for v, _ in items] == list(range(1, len(pack.questions) + 1))
    for (_, item), q in zip(items, pack.questions, strict=True):
        assert "Key question: " in item and collect(item).text.count(q.supplier) >= 1
    assert "Recorded: " in ol and "Contracts: " in ol
    assert len(pack.actions) > 15
    assert f"{len(pack.actions) - 15} more in the review pack / CSV." in parsed.text
    summary_list = re.search(r'<ul class="exec">(.*?)</ul>', sample_html, flags=re.S)
    assert summary_list is not None and 3 <= summary_list.group(1).count("<li>") <= 5


def test_ended_decision_and_one_contract_read_as_the_markdown(
    db: Database, sample_html: str
) -> None:
    """An ended contract's decision says 'ended on ...' and how long ago, not 'overdue by';
    a question naming one contract says 'Contract:', as the Markdown paper does."""
    pack = board(db, TODAY)
    parsed = collect(sample_html)
    decisions = [r for r in parsed.cells if len(r) == 8 and r[0].isdigit()]
    (ended,) = [r for r in decisions if r[1] == "Fenwick & O'Rourke Clinical Software Ltd"]
    assert "ended on 31 October 2026" in ended[3] and "ended 26 days ago" in ended[3]
    assert "overdue" not in ended[3]
    (ol,) = re.findall(r'<ol class="questions">(.*?)</ol>', sample_html, flags=re.S)
    items = re.findall(r'<li value="\d+">(.*?)</li>', ol, flags=re.S)
    single = [
        collect(item).text
        for item, q in zip(items, pack.questions, strict=True)
        if len(q.contracts) == 1
    ]
    assert single and all("Contract: '" in t and "Contracts:" not in t for t in single)


def test_decisions_without_a_notice_date_leave_it_empty(db: Database, sample_html: str) -> None:
    """No auto-renewing contract with a notice date ahead is not a gap: no 'none recorded'."""
    pack = board(db, TODAY)
    decisions = [r for r in collect(sample_html).cells if len(r) == 8 and r[0].isdigit()]
    for row, decision in zip(decisions, pack.decisions, strict=True):
        if decision.notice_by is None:
            assert row[4] == "", row[1]
        else:
            assert row[4] == f"{decision.notice_by.day} {decision.notice_by:%B %Y}"
    assert any(d.notice_by is None for d in pack.decisions)
    assert any(d.notice_by is not None for d in pack.decisions)


def test_supplier_table_money_notice_and_ended(db: Database, sample_html: str) -> None:
    summary = risk_summary(db, TODAY)
    facts = contract_facts(db, summary, TODAY)
    register = read_register_file(sample_register_path())
    for row in summary.suppliers:
        current = [
            c
            for c in register.contracts
            if c.supplier == row.supplier and (c.end_date is None or c.end_date >= TODAY)
        ]
        values = [c.total_value for c in current if c.total_value is not None]
        fact = facts.get(row.rank)
        assert (fact.value if fact else None) == (sum(values, Decimal(0)) if values else None)
        renewing = [
            c.end_date - dt.timedelta(days=c.notice_period_days)
            for c in current
            if c.auto_renewal and c.end_date and c.notice_period_days is not None
        ]
        assert (fact.notice_by if fact else None) == (min(renewing) if renewing else None)
    ended = [r for r in summary.suppliers if facts.get(r.rank) and facts[r.rank].ended_on]
    assert ended, "the sample register has a supplier whose contracts have all ended"
    cells = collect(sample_html).cells
    for row in ended:
        (cells_of,) = [c for c in cells if len(c) >= 14 and c[1] == row.supplier]
        day = facts[row.rank].ended_on
        assert day is not None
        assert f"ended on {day.day} {day:%B %Y}" in cells_of[-2]
    assert any("notice by 20" in c[-2] for c in cells if len(c) > 13)
    # the key is the supplier table's caption: it prints with the table's first rows
    table = sample_html[sample_html.index('<table class="suppliers">') :]
    assert table.index("<caption>") < table.index("<thead>")
    assert 'class="band band-severe"' in table[: table.index("<thead>")]


def test_cli_options_reach_the_paper(db_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "scoring.toml"
    config.write_text('[board]\nclassification = "OFFICIAL"\n', encoding="utf-8")
    out = tmp_path / "paper.html"
    args = ["--db", str(db_path), "export", "--format", "html", "--today", "2026-11-26"]
    result = CliRunner().invoke(
        cli.main,
        [
            *args,
            *("--out", str(out), "--author", "Priya Raman-Holt", "--paper-version", "3"),
            *("--config", str(config)),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Author: Priya Raman-Holt" in html and "Version 3" in html
    assert css_string("OFFICIAL") in html and DEFAULT_MARKING not in html
    again = tmp_path / "again.html"
    result = CliRunner().invoke(cli.main, [*args, "--paper-version", " ", "--out", str(again)])
    assert result.exit_code == 2
    assert "--paper-version" in result.output and not again.exists()
    config.write_text("[board]\nclassification = 3\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, [*args, "--config", str(config), "--out", str(again)])
    assert result.exit_code == 2 and not again.exists()
    assert result.output.startswith("error: ") and result.output.count("\n") == 1


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None, reason="needs chromium and pdftotext")
def test_printed_paper_has_no_blank_page_and_every_page_is_marked(
    sample_html: str, tmp_path: Path
) -> None:
    assert CHROMIUM is not None and PDFTOTEXT is not None
    source, pdf = tmp_path / "paper.html", tmp_path / "paper.pdf"
    source.write_text(sample_html, encoding="utf-8")
    subprocess.run(
        [
            *(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"),
            *(f"--print-to-pdf={pdf}", source.as_uri()),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    if not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert page.count(DEFAULT_MARKING) >= 2, f"page {number} lacks the marking"
        assert RUNNING in page, f"page {number} lacks the running header"
        assert f"Page {number} of {len(pages)}" in page
        rest = page.replace(DEFAULT_MARKING, "").replace(RUNNING, "")
        rest = re.sub(r"Page \d+ of \d+", "", rest)
        assert len(rest.split()) > 20, f"page {number} is (nearly) blank"


def _print_text(html: str, tmp_path: Path) -> list[str]:
    """The pages of ``html`` printed to PDF with Chromium, as text."""
    assert CHROMIUM is not None and PDFTOTEXT is not None
    source, pdf = tmp_path / "doc.html", tmp_path / "doc.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            *(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"),
            *(f"--print-to-pdf={pdf}", source.as_uri()),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None, reason="needs chromium and pdftotext")
def test_a_heading_and_its_intro_stay_with_their_table(tmp_path: Path) -> None:
    """A section's heading and its one-line intro never end a page without the table they
    introduce (the review pack's 'Movers since ...' and 'Contract deadlines' did)."""
    body: list[Child] = []
    for k in range(1, 41):
        body += [
            h("p", " ".join(["Filler text to move the next section down the page."] * (k % 9))),
            h("h2", f"Section {k}"),
            h("p", f"What section {k} lists, in one sentence.", class_="note"),
            table(
                [("Supplier", None), ("Note", None)],
                [[(f"first row {k}", None), ("x " * 60, None)]]
                + [[(f"row {k}.{n}", None), ("y " * 60, None)] for n in range(2)],
            ),
        ]
    pages = _print_text(document("Keep together", body), tmp_path)
    assert len(pages) > 5
    for k in range(1, 41):
        (page,) = [p for p in pages if re.search(rf"\bSection {k}\b", p)]
        assert re.search(rf"\bfirst row {k}\b", page), f"section {k} ends a page alone"


_BBOX_SCRIPT = """<script>
window.onload = function () {
  var found = [];
  document.querySelectorAll("svg").forEach(function (svg, n) {
    var boxes = [];
    svg.querySelectorAll("text").forEach(function (t) {
      var b = t.getBBox();
      boxes.push([b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]);
    });
    svg.querySelectorAll("g").forEach(function (g) {
      var r = g.querySelector("rect").getBBox();
      g.querySelectorAll("text").forEach(function (t) {
        var b = t.getBBox();
        if (b.x < r.x || b.x + b.width > r.x + r.width || b.y + b.height > r.y + r.height)
          found.push(n + ": " + t.textContent + " leaves its cell");
      });
    });
    for (var i = 0; i < boxes.length; i++)
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], c = boxes[j];
        if (a[0] < c[2] && c[0] < a[2] && a[1] < c[3] && c[1] < a[3])
          found.push(n + ": " + a[4] + " over " + c[4]);
      }
  });
  document.getElementById("result").textContent = "checked " + found.length + " " + found.join("|");
};
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium")
def test_matrix_labels_do_not_overlap_as_chromium_draws_them(tmp_path: Path) -> None:
    assert CHROMIUM is not None
    from supplier_register.reports.htmldoc import CSS
    from supplier_register.reports.svg import risk_matrix
    from tests.reports.test_reports_html_matrix import crowded, spread

    pictures = "".join(
        ET.tostring(risk_matrix(shape(count)), encoding="unicode")
        for shape in (spread, crowded)
        for count in (32, 231, 3000)
    )
    page = tmp_path / "matrix.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}</style></head>'
        f'<body><div id="result"></div>{pictures}{_BBOX_SCRIPT}</body></html>',
        encoding="utf-8",
    )
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    result = re.search(r'<div id="result">([^<]*)</div>', dom)
    assert result is not None
    assert result.group(1) == "checked 0 "
