#!/usr/bin/env python3
"""Run the markup and formula injection corpora through every CLI view and export; count.

A register is filled with hostile text in every text field the domain has
(names, titles, contacts, notes, evidence, extension options, shared-with
partners, the trust's name, and the audit actor).  Then:

* every CLI table (suppliers, contracts, people, score, questions, audit) is
  rendered; each hostile name it should show is looked for literally, and any
  exception (a rich ``MarkupError`` or other) is counted;
* every export that has cells (CSV, XLSX, audit CSV) is parsed back and each
  cell that a spreadsheet would run as a formula is counted; the HTML exports
  are searched for a live ``<script`` tag or an unescaped payload.

Usage: ``python scripts/injection_corpus.py`` (``--json`` for JSON).  The
payload lists are ``tests/support/hostile.py``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, for tests.support

from tests.support.hostile import FORMULA_PAYLOADS, MARKUP_PAYLOADS

TODAY = "2026-11-26"
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "</td></tr></table><script>x</script>",
]


class _Elements(HTMLParser):
    """Collects what a browser would run: script elements and event-handler attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.live.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}=...> event handler")
            if value and value.strip().lower().startswith(("javascript:", "data:text/html")):
                self.live.append(f"<{tag} {name}={value[:30]!r}>")


def live_html(html: str) -> list[str]:
    """Elements and attributes in an HTML export that would run script in a browser."""
    parser = _Elements()
    parser.feed(html)
    return parser.live


@dataclass
class Figures:
    payloads: int = 0
    views: int = 0
    literal_checks: int = 0
    literal_shown: int = 0
    markup_errors: int = 0
    other_exceptions: int = 0
    cells_checked: int = 0
    formula_cells: int = 0
    html_files: int = 0
    live_script_tags: int = 0
    missing: list[str] = field(default_factory=list)


def build(db_path: Path) -> list[str]:
    """A register with every payload in every text field; returns the supplier names."""
    from supplier_register.domain import Answer, Contract, Person, Supplier
    from supplier_register.storage import Repository, open_database

    payloads = MARKUP_PAYLOADS + FORMULA_PAYLOADS + HTML_PAYLOADS
    db = open_database(db_path)
    repo = Repository(db)
    names = []
    repo.set_trust_name("[@click=app.quit]Trust[/] =1+1")
    for i, payload in enumerate(payloads):
        person = repo.add_person(Person(name=f"{payload} P{i}", role="other", contact=payload))
        supplier = repo.add_supplier(
            Supplier(
                name=f"{payload} S{i}",
                category="other",
                criticality=["low", "medium", "high", "strategic"][i % 4],
                owner=person.name,
                notes=payload,
                shared_with=[f"{payload} partner"],
            )
        )
        names.append(supplier.name)
        repo.add_contract(
            Contract(
                supplier=supplier.name,
                title=f"{payload} C{i}",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=payload,
                notes=payload,
                end_date="2027-03-31",
                auto_renewal=True,
            )
        )
        repo.set_answer(
            Answer(
                supplier=supplier.name,
                question_id="options.bulk_export",
                answer="no",
                evidence=payload,
                answered_by=f"{payload} A{i}",
            )
        )
    db.close()
    return names


def run() -> Figures:
    from click.testing import CliRunner
    from openpyxl import load_workbook
    from rich.errors import MarkupError

    from supplier_register.cli import main
    from supplier_register.reports.safety import FORMULA_TRIGGERS

    f = Figures(payloads=len(MARKUP_PAYLOADS + FORMULA_PAYLOADS + HTML_PAYLOADS))
    folder = Path(tempfile.mkdtemp(prefix="injection-"))
    db_path = folder / "register.db"
    os.environ["SUPPLIER_REGISTER_USER"] = "[@click=app.quit]auditor[/] =2+2"
    names = build(db_path)
    runner = CliRunner(env={"COLUMNS": "4000"})

    def invoke(*args: str) -> str:
        result = runner.invoke(main, ["--db", str(db_path), *args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            if isinstance(result.exception, MarkupError):
                f.markup_errors += 1
            else:
                f.other_exceptions += 1
            f.missing.append(f"{args}: {result.exception!r}")
            return ""
        if result.exit_code != 0:
            f.missing.append(f"{args}: exit {result.exit_code}: {result.stderr.strip()[:200]}")
        return result.stdout

    views = {
        "suppliers": (["suppliers"], names),
        "contracts": (["contracts"], [f"{n.rsplit(' S', 1)[0]} C{i}" for i, n in enumerate(names)]),
        "people": (["people"], [f"{n.rsplit(' S', 1)[0]} P{i}" for i, n in enumerate(names)]),
        "score": (["score", "--today", TODAY], names),
        "audit": (["audit"], names),
        "questions": (["questions", "--today", TODAY, "--top", "500"], []),
    }
    for view, (args, expected) in views.items():
        f.views += 1
        out = invoke(*args)
        for text in expected:
            f.literal_checks += 1
            if text in out:
                f.literal_shown += 1
            else:
                f.missing.append(f"{view}: {text!r} not shown literally")

    # Exports with cells: every cell parsed back and checked for a formula start.
    def count_cells(cells: list[object], source: str) -> None:
        for cell in cells:
            f.cells_checked += 1
            if isinstance(cell, str) and cell.startswith(FORMULA_TRIGGERS):
                f.formula_cells += 1
                f.missing.append(f"{source}: formula cell {cell[:40]!r}")

    invoke("export", "--format", "csv", "--today", TODAY, "--out", str(folder / "s.csv"))
    text = (folder / "s.csv").read_text(encoding="utf-8-sig")
    count_cells([c for row in csv.reader(io.StringIO(text)) for c in row], "summary csv")
    invoke("audit", "--format", "csv", "--out", str(folder / "a.csv"))
    text = (folder / "a.csv").read_text(encoding="utf-8")
    count_cells([c for row in csv.reader(io.StringIO(text)) for c in row], "audit csv")
    invoke("export", "--format", "xlsx", "--today", TODAY, "--out", str(folder / "s.xlsx"))
    workbook = load_workbook(folder / "s.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                f.cells_checked += 1
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)
                ):
                    f.formula_cells += 1
                    f.missing.append(f"xlsx {sheet.title}!{cell.coordinate}: {cell.value!r}")

    # HTML: no payload may appear unescaped.
    invoke("export", "--format", "html", "--today", TODAY, "--out", str(folder / "s.html"))
    invoke("review", "start", "2026-Q4", "--today", TODAY)
    invoke(
        "review",
        "export",
        "2026-Q4",
        "--format",
        "html",
        "--today",
        TODAY,
        "--out",
        str(folder / "pack.html"),
    )
    for html_file in (folder / "s.html", folder / "pack.html"):
        if not html_file.exists():
            f.missing.append(f"{html_file.name} not written")
            continue
        f.html_files += 1
        for problem in live_html(html_file.read_text(encoding="utf-8")):
            f.live_script_tags += 1
            f.missing.append(f"{html_file.name}: {problem}")
    for p in sorted(folder.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    folder.rmdir()
    return f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    f = run()
    if args.json:
        print(json.dumps(asdict(f), indent=2))
    else:
        print(f"payloads: {f.payloads} in every text field; CLI views: {f.views}")
        pct = 100 * f.literal_shown / f.literal_checks if f.literal_checks else 0
        print(f"shown literally: {f.literal_shown}/{f.literal_checks} ({pct:.1f}%)")
        print(f"MarkupErrors: {f.markup_errors}; other exceptions: {f.other_exceptions}")
        print(f"export cells checked: {f.cells_checked}; formula cells: {f.formula_cells}")
        print(
            f"HTML files: {f.html_files}; script elements or event handlers: {f.live_script_tags}"
        )
        for problem in f.missing[:30]:
            print(f"FAIL: {problem}")
    bad = f.markup_errors + f.other_exceptions + f.formula_cells + f.live_script_tags
    return 1 if bad or f.literal_shown != f.literal_checks else 0


if __name__ == "__main__":
    sys.exit(main())
