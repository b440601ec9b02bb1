"""The ICS paper (``ics --format html``) parsed back: self-contained, escaped, with the joint
windows soonest first, a well-formed accessible timeline and its text, and the data gaps."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from supplier_register.reports.ics import ics_json, ics_markdown
from supplier_register.reports.ics_html import render_ics_html, summary_sentence
from supplier_register.reports.mdtext import md_escape
from supplier_register.reports.svg import SVG_NS
from supplier_register.services.ics import ICS_FORMATS, IcsView, ics_view
from tests.support.htmlcheck import collect
from tests.support.shares import contract, share_document, supplier, write_share

TODAY = dt.date(2026, 11, 26)
SCRIPT_TRUST = "<script>alert('t')</script> NHS Trust"
MARKUP_SUPPLIER = "[bold]Acme[/bold] <img src=x onerror=alert(1)> Ltd"
SVG = f"{{{SVG_NS}}}"


def _view(tmp_path: Path, *documents: dict[str, Any], today: dt.date = TODAY) -> IcsView:
    paths = [write_share(tmp_path / f"{i}.json", d) for i, d in enumerate(documents)]
    return ics_view(paths, today)


def _pool(tmp_path: Path) -> IcsView:
    """Riverside and a hostile trust share Acme (a window 1 March to 1 June 2027); Hillside
    uses Acme too but gave no decide-by dates for three contracts, and no criticality."""
    riverside = share_document(
        "Riverside NHS Trust",
        [
            supplier(
                MARKUP_SUPPLIER,
                company_number="01234567",
                criticality="strategic",
                score=72,
                band="severe",
            )
        ],
        [contract(MARKUP_SUPPLIER, "EPR licence", end_date="2027-06-01", decide_by="2027-03-01")],
    )
    hostile = share_document(
        SCRIPT_TRUST,
        [
            supplier(
                "ACME LIMITED", company_number="01234567", criticality="high", score=None, band=None
            )
        ],
        [contract("ACME LIMITED", "Patient record", end_date="2027-09-01", decide_by="2027-06-01")],
    )
    hillside = share_document(
        "Hillside NHS Foundation Trust",
        [supplier("Acme Ltd", company_number="01234567", criticality=None, score=40)],
        [
            contract("Acme Ltd", title, end_date="2028-01-31", decide_by=None)
            for title in ("EPR", "Interfaces", "Portal")
        ],
    )
    return _view(tmp_path, riverside, hostile, hillside)


def _svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_html_is_an_ics_format() -> None:
    assert ICS_FORMATS["html"] is render_ics_html


def test_self_contained_without_scripts_links_or_urls(tmp_path: Path) -> None:
    html = render_ics_html(_pool(tmp_path))
    assert html.startswith("<!DOCTYPE html>")
    parsed = collect(html)
    tags = [t for t, _ in parsed.tags]
    for tag in ("script", "link", "img", "iframe", "object", "embed", "b"):
        assert tag not in tags, tag
    for _, attrs in parsed.tags:
        for name in attrs:
            assert not name.startswith("on") and name not in ("href", "src"), name
    # the only URL is the SVG namespace, which names, never fetches
    assert set(re.findall(r"https?://[^\s\"'<>]+", html)) == {SVG_NS}
    assert "@page" in html and "size: A4" in html
    headings = [
        "The files read",
        "Joint-procurement opportunities, soonest first",
        "Timeline",
        "Suppliers used by two or more trusts",
        "Data gaps",
        "What this paper does not say",
    ]
    positions = [parsed.text.index(h) for h in headings]
    assert positions == sorted(positions)


def test_hostile_trust_and_supplier_names_are_shown_literally(tmp_path: Path) -> None:
    html = render_ics_html(_pool(tmp_path))
    parsed = collect(html)
    assert SCRIPT_TRUST in parsed.text and MARKUP_SUPPLIER in parsed.text
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert('t')&lt;/script&gt;" in html or "&lt;script&gt;" in html
    for svg in _svgs(html):  # the timeline draws the names as text, never as markup
        assert not list(svg.iter(f"{SVG}script"))


def test_the_files_read_with_their_policy(tmp_path: Path) -> None:
    parsed = collect(render_ics_html(_pool(tmp_path)))
    riverside = next(r for r in parsed.cells if r and r[0] == "Riverside NHS Trust")
    assert riverside[2] == "Test CIO"
    assert riverside[3] == "26 November 2026, 09:00 UTC"  # dates in words throughout the paper
    assert riverside[4] == "26 November 2026"
    assert "notes" in riverside[5] and "money (spend, contract values)" in riverside[5]
    assert "As on 26 November 2026" in parsed.text


def test_summary_opportunity_and_what_to_do(tmp_path: Path) -> None:
    view = _pool(tmp_path)
    parsed = collect(render_ics_html(view))
    text = " ".join(parsed.text.split())
    assert (
        "1 supplier is used by two or more of the 3 trusts; 1 joint-procurement window opens "
        "in the next 24 months; the soonest opens on 1 March 2027" in text
    )
    assert (
        f"Agree with {SCRIPT_TRUST} and Riverside NHS Trust by 1 March 2027 whether to "
        f"procure {MARKUP_SUPPLIER} jointly: their decide-by dates fall between 1 March 2027 and "
        "1 June 2027." in text
    )
    assert "1 March 2027 to 1 June 2027" in text
    # the trust in the window with its criticality, score and band
    row = next(r for r in parsed.cells if r and r[0] == "Riverside NHS Trust" and len(r) == 6)
    assert row[1:5] == ["Strategic", "72 Severe", "EPR licence", "1 March 2027"]
    hostile = next(r for r in parsed.cells if r and r[0] == SCRIPT_TRUST and len(r) == 6)
    assert hostile[2] == "score not shared"  # never 0
    assert "Hillside NHS Foundation Trust also uses this supplier" in text


def test_the_timeline_svg_is_accessible_and_has_its_text_table(tmp_path: Path) -> None:
    html = render_ics_html(_pool(tmp_path))
    (svg,) = _svgs(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "ics-timeline-title ics-timeline-desc"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "ics-timeline-title"
    assert desc is not None and "1 March 2027 to 1 June 2027" in (desc.text or "")
    filled = [p for p in svg.iter(f"{SVG}path") if p.get("fill") == "#003087"]
    assert len(filled) == 2 + 1  # the two decide-by dates in the window, and the legend's
    parsed = collect(html)
    words = [r for r in parsed.cells if r and r[1] in ("decide by", "contract ends")]
    assert [r[:2] + r[3:4] + r[5:] for r in words] == [
        ["1 March 2027", "decide by", "Riverside NHS Trust", "yes"],
        ["1 June 2027", "decide by", SCRIPT_TRUST, "yes"],
        ["1 June 2027", "contract ends", "Riverside NHS Trust", ""],
        ["1 September 2027", "contract ends", SCRIPT_TRUST, ""],
    ]


def test_data_gaps_in_words_and_not_shared_never_zero(tmp_path: Path) -> None:
    parsed = collect(render_ics_html(_pool(tmp_path)))
    text = " ".join(parsed.text.split())
    assert "Hillside NHS Foundation Trust did not share decide-by dates for 3 contracts." in text
    assert "Hillside NHS Foundation Trust did not share how critical 1 supplier is to it." in text
    assert f"{SCRIPT_TRUST} did not share a score for 1 supplier." in text
    assert "Hillside NHS Foundation Trust: “Portal” decide-by not shared" in text
    assert "never zero, never “no”" in text


def test_no_window_says_so_and_draws_no_timeline(tmp_path: Path) -> None:
    view = _view(
        tmp_path,
        share_document(
            "Trust A",
            [supplier("Acme")],
            [contract("Acme", "X", end_date="2027-06-01", decide_by="2027-03-01")],
        ),
        share_document(
            "Trust B",
            [supplier("ACME LTD")],
            [contract("ACME LTD", "Y", end_date="2028-06-01", decide_by="2028-03-01")],
        ),
    )
    html = render_ics_html(view)
    text = " ".join(collect(html).text.split())
    assert "No two trusts must decide about the same supplier within 6 months" in text
    assert "no joint-procurement window opens in the next 24 months" in text
    assert not _svgs(html)


def test_windows_beyond_24_months_are_counted_apart(tmp_path: Path) -> None:
    view = _view(
        tmp_path,
        share_document(
            "Trust A",
            [supplier("Acme")],
            [contract("Acme", "X", end_date="2029-06-01", decide_by="2029-03-01")],
        ),
        share_document(
            "Trust B",
            [supplier("ACME LTD")],
            [contract("ACME LTD", "Y", end_date="2029-06-01", decide_by="2029-04-01")],
        ),
    )
    assert summary_sentence(view) == (
        "1 supplier is used by two or more of the 2 trusts; no joint-procurement window "
        "opens in the next 24 months (and 1 later)."
    )


def test_all_lists_every_supplier_and_a_policy_that_kept_everything_says_so(
    tmp_path: Path,
) -> None:
    open_trust = share_document(
        "Trust A", [supplier("Acme"), supplier("Only Here Ltd")], [contract("Acme", "X")]
    )
    open_trust["shared"]["policy"]["redacted"] = []
    view = _view(tmp_path, open_trust, share_document("Trust B", [supplier("ACME LTD")]))
    default = " ".join(collect(render_ics_html(view)).text.split())
    assert "Suppliers used by two or more trusts" in default
    assert "Only Here Ltd" not in default
    assert "nothing left out" in default
    every = " ".join(collect(render_ics_html(view, every_supplier=True)).text.split())
    assert "Every supplier" in every and "Only Here Ltd" in every
    assert "Trust B shared no contract with 1 supplier it uses." in every


def test_a_large_pool_lists_the_soonest_and_says_how_many_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a national pool the paper stays a paper: the soonest opportunities and suppliers in
    full, then how many more and where every one is listed."""
    import supplier_register.reports.ics_html as paper

    names = [f"Vendor {n} Ltd" for n in range(3)]
    documents = [
        share_document(
            trust,
            [
                supplier(name, company_number=f"0{n}000000", score=30)
                for n, name in enumerate(names)
            ],
            [
                contract(name, "Licence", end_date="2028-01-31", decide_by=f"2027-0{n + 1}-0{day}")
                for n, name in enumerate(names)
            ],
        )
        for trust, day in (("Riverside NHS Trust", 1), ("Hillside NHS Trust", 2))
    ]
    view = _view(tmp_path, *documents)
    assert len([w for s in view.shared for w in s.windows]) == 3
    whole = render_ics_html(view)
    assert "more opportunit" not in whole and "more supplier" not in whole
    monkeypatch.setattr(paper, "OPPORTUNITIES_LISTED", 1)
    monkeypatch.setattr(paper, "SUPPLIERS_LISTED", 2)
    capped = render_ics_html(view)
    assert capped.count('class="opportunity"') == 1
    assert "And 2 more opportunities, later." in capped
    assert "And 1 more supplier, in the same order." in capped
    assert "<code>ics --format md</code>" in capped
    # the soonest is the one set out: Vendor 0 decides first (January 2027)
    section = capped.split('class="opportunity"', 1)[1]
    assert "Vendor 0 Ltd" in section.split("</section>", 1)[0]


def test_the_paper_says_what_a_score_is(tmp_path: Path) -> None:
    html = render_ics_html(_pool(tmp_path))
    assert "from 0 (none) to 100 (impact times exposure)" in html


def test_one_trusts_file_alone_is_said_plainly(tmp_path: Path) -> None:
    view = _view(tmp_path, share_document("Trust A", [supplier("Acme")]))
    assert summary_sentence(view) == (
        "Only one trust's shared file was read (Trust A): a supplier can be matched, and a "
        "joint window found, only across two or more trusts' files."
    )


def test_the_papers_name_each_file_without_its_folders(tmp_path: Path) -> None:
    view = _pool(tmp_path)
    folder = str(tmp_path)
    html, markdown = render_ics_html(view), ics_markdown(view)
    assert folder not in html
    assert folder not in markdown
    for f in view.files:
        name = Path(f.label).name
        assert f">{name}<" in html
        assert f"| {md_escape(name)} |" in markdown
    assert ics_json(view).count(folder) == len(view.files)  # the JSON keeps the path
