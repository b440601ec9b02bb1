"""Markdown export rendered by a CommonMark parser: user text comes out literally."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from supplier_register.reports import render_summary
from supplier_register.reports.mdtext import md_escape
from tests.support.htmlcheck import collect
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
)


def to_html(markdown: str) -> str:
    return str(MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown))


@pytest.mark.parametrize(
    "text",
    [
        "Acme [UK] Ltd",
        "*bold* _it_ `code` ~~s~~",
        "<script>alert(1)</script>",
        "a | b",
        "[link](http://x)",
        "![img](http://x)",
        "&amp; &copy;",
        "- not a list",
        "+ not a list",
        "# not a heading",
        "> not a quote",
        "1. not a list",
        "2) not a list",
        "$x^2$",
        "back\\slash",
        '" onmouseover="x',
        '=HYPERLINK("http://x")',
        "---",
        "***",
        "1986. A great year",
        "    indented code?",
        "<!-- comment -->",
    ],
)
def test_md_escape_round_trips_in_paragraph_list_and_table(text: str) -> None:
    escaped = md_escape(text)
    text = " ".join(text.split())  # one line, trimmed, by design
    para = collect(to_html(escaped))
    assert para.text.strip() == text
    assert [t for t, _ in para.tags] == ["p"]
    item = collect(to_html(f"1. {escaped}"))
    assert item.text.strip() == text
    assert [t for t, _ in item.tags] == ["ol", "li"]
    table = collect(to_html(f"| a | b |\n| --- | --- |\n| {escaped} | x |"))
    assert table.cells[1] == [text, "x"]


def test_md_escape_flattens_line_breaks() -> None:
    assert md_escape("one\ntwo\r\tthree ") == "one two three"


def test_markdown_export_reads_back() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY, trust="Riverside *NHS*")
    markdown = render_summary("md", summary)
    assert isinstance(markdown, str)
    parsed = collect(to_html(markdown))
    tags = {t for t, _ in parsed.tags}
    assert "script" not in tags and "b" not in tags and "i" not in tags
    assert "Riverside *NHS*" in parsed.text
    assert "Position at 26 November 2026" in parsed.text
    rows = [r for r in parsed.cells if len(r) > 10]
    header, *suppliers = rows
    assert header[:6] == ["#", "Supplier", "Criticality", "Owner", "Score", "Band"]
    assert [r[1] for r in suppliers] == [HOSTILE_SUPPLIER, SCRIPT_SUPPLIER, MARKUP_SUPPLIER]
    assert suppliers[0][3] == "-1+2"
    assert suppliers[0][4:6] == ["82", "Severe"]
    assert header[6:9] == ["Impact", "Exposure", "Confidence (range)"]
    assert suppliers[0][6:9] == ["4.4", "93%", "75% (80-84)"]
    assert header[15] == "Annual spend" and suppliers[0][15] == "£1,250,000.50"
    assert suppliers[0][16] == "2026-10-02 (passed 55 days ago)"
    assert suppliers[0][18] == "+1 (@SUM(A1)); =1; Auto-renews"
    assert suppliers[1][3] == '" onmouseover="x'
    matrix = [r for r in parsed.cells if len(r) == 6]
    assert matrix[0] == ["Criticality", "Low", "Medium", "High", "Severe", "Unassessed"]
    assert matrix[1] == ["Strategic", "0", "0", "0", "1", "0"]
    # how the score is built, where the old method was explained, and each note's figures
    assert "How the score is built. A supplier's risk is its impact" in parsed.text
    assert "its gaps become actions for the team." in parsed.text
    assert (
        "Risk 82/100, severe; impact 4.4 of 5 x exposure 93%; confidence 75% (range 80-84). "
        "Impact 4.4 of 5: Strategic criticality: impact 4 of 5; +0.2: it supports 1 clinical "
        "service (<script>alert(2)</script>); +0.2: =SUM(A1) other suppliers depend on it."
    ) in parsed.text
    assert "What if it fails?" in parsed.text
    assert "=3 <i>really</i>?" in parsed.text
    assert '<b>bold</b>: " onmouseover="x' in parsed.text
