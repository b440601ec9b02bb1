"""HTML export of the risk summary: a printable board paper appendix in one file.

A4 print styles with page breaks, a masthead with the trust and date, the
criticality x risk-band matrix and score trends as inline SVG, the supplier
table, the ranked board questions, short notes on each supplier and, when the
summary carries one, the service impact section (what would stop if each
strategic or high-criticality supplier failed, and where services are
concentrated).  Built as
an element tree, so everything the user typed is escaped by construction.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from supplier_register.domain.enums import Criticality
from supplier_register.reports.htmldoc import band_badge, document, masthead
from supplier_register.reports.htmltree import Child, h
from supplier_register.reports.model_text import (
    MODEL_EXPLAINED,
    impact_reasons_text,
    percent,
    range_text,
    risk_line,
)
from supplier_register.reports.safety import printable
from supplier_register.reports.service_impact import impact_html
from supplier_register.reports.summary import (
    DETAIL_FINDINGS,
    NOTES_LIMIT,
    QuestionRow,
    RiskSummary,
    SupplierRow,
)
from supplier_register.reports.svg import risk_matrix, sparkline
from supplier_register.reports.tabular import DIMENSION_SHORT
from supplier_register.reports.trust_section import trust_section_html
from supplier_register.reports.wording import (
    NOTES_INTRO,
    audit_seal_line,
    long_date,
    notes_fact,
    notes_left_out,
    overview_lines,
)
from supplier_register.scoring.results import Band, Dimension
from supplier_register.scoring.text import plural

_DIMENSIONS = tuple(Dimension)

APPENDIX = "Board paper appendix"
DIMENSION_ABBREVIATIONS = {
    Dimension.BUYING: "Buy",
    Dimension.EXPERTISE: "Exp",
    Dimension.TURNKEY: "TK",
    Dimension.OPTIONS: "Opt",
    Dimension.EXIT: "Exit",
    Dimension.RELATIONSHIP: "Rel",
}


def decide_by_cell(row: SupplierRow) -> Child:
    """The next decide-by date, with days left, marked when passed."""
    if row.next_decide_by is None or row.days_to_decide is None:
        return h("span", "none", class_="muted")
    days = row.days_to_decide
    when = f"in {days} days" if days >= 0 else f"passed {-days} days ago"
    return [
        h("span", row.next_decide_by.isoformat(), class_="overdue" if days < 0 else None),
        h("br"),
        h("span", when, class_="note"),
        [h("br"), h("span", row.next_decide_by_contract, class_="note")]
        if row.next_decide_by_contract
        else None,
    ]


def trend_cell(row: SupplierRow) -> Child:
    """The score trend across reviews as a sparkline with the change since the last review."""
    line = sparkline(row.trend, row.band)
    if line is None:
        return h("span", "no reviews yet" if not row.trend else "", class_="muted")
    change = row.trend[-1].score - row.trend[-2].score
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    text = f"{arrow}{abs(change)}" if change else "no change"
    return [line, h("br"), h("span", text, class_="note")]


def _has_trends(summary: RiskSummary) -> bool:
    return any(r.trend for r in summary.suppliers)


def _table_headers(summary: RiskSummary) -> list[tuple[str, str | None]]:
    headers: list[tuple[str, str | None]] = [
        ("#", "num"),
        ("Supplier", "name"),
        ("Criticality / owner", "crit"),
        ("Risk", "num"),
        ("Impact × exposure", "num"),
        ("Confidence (range)", "num"),
        *((DIMENSION_ABBREVIATIONS[d], "dim") for d in Dimension),
        ("Decide by", "date"),
        ("Qs", "num"),
    ]
    if _has_trends(summary):
        headers.insert(4, ("Trend", "trend"))
    return headers


def supplier_blocks(summary: RiskSummary) -> Iterator[ET.Element]:
    """One block per supplier: a row of figures, then its top findings across the page."""
    dims = list(Dimension)
    has_trends = _has_trends(summary)
    width = len(_table_headers(summary))
    for r in summary.suppliers:
        cells: list[tuple[Child, str | None]] = [
            (str(r.rank), "num"),
            (h("strong", r.supplier), "name"),
            (
                [
                    r.criticality.label,
                    h("br"),
                    h("span", r.owner, class_="note")
                    if r.owner
                    else h("span", "no owner", class_="overdue"),
                ],
                "crit",
            ),
            ([str(r.score), h("br"), band_badge(r.band)], "num"),
            ([f"{r.impact:.1f}", h("br"), f"× {percent(r.exposure)}"], "num"),
            ([percent(r.confidence), h("br"), h("span", range_text(r), class_="note")], "num"),
            *((str(r.dimensions.get(d, "")), "dim") for d in dims),
            (decide_by_cell(r), "date"),
            (str(r.question_count), "num"),
        ]
        if has_trends:
            cells.insert(4, (trend_cell(r), "trend"))
        findings: Child = (
            ["Top findings: ", "; ".join(r.top_findings)]
            if r.top_findings
            else h("span", "No findings.", class_="muted")
        )
        yield h(
            "tbody",
            h("tr", [h("td", content, class_=cls) for content, cls in cells], class_="main"),
            h(
                "tr",
                h("td", ""),
                h("td", findings, colspan=width - 1, class_="findings"),
                class_="sub",
            ),
            class_="supplier",
        )


def text_html(text: str) -> str:
    """``text`` as an HTML text node, exactly as the element tree writes it (see :mod:`htmltree`).

    Text with no unprintable character (nearly all) has no control character
    for :func:`printable` to replace, so its regular expression is skipped.
    """
    if not text.isprintable():
        text = printable(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_CRITICALITY_HTML = {c: text_html(c.label) for c in Criticality}
_BAND_HTML = {b: ET.tostring(band_badge(b), encoding="unicode", method="html") for b in Band}
_NO_FINDINGS = '<span class="muted">No findings.</span>'
_DIM_OPEN, _DIM_BETWEEN, _DIM_CLOSE = '<td class="dim">', '</td><td class="dim">', "</td>"


def supplier_block_html(row: SupplierRow, width: int, trends: bool) -> str:
    """The text :func:`supplier_blocks` serialises for ``row``, made without building its tree.

    A register of tens of thousands of suppliers has a block each; building
    and serialising an element tree per block was most of the export's time.
    The text is the same, character for character (tests compare the two);
    every user text goes through :func:`text_html`, so none can become markup.
    ``width`` is the table's column count; ``trends`` whether it has a trend column.
    """
    owner = (
        f'<span class="note">{text_html(row.owner)}</span>'
        if row.owner
        else '<span class="overdue">no owner</span>'
    )
    decide_by = row.next_decide_by
    days = row.days_to_decide
    if decide_by is None or days is None:
        date = '<span class="muted">none</span>'
    else:
        when = f"in {days} days" if days >= 0 else f"passed {-days} days ago"
        opening = '<span class="overdue">' if days < 0 else "<span>"
        date = f'{opening}{decide_by.isoformat()}</span><br><span class="note">{when}</span>'
        if row.next_decide_by_contract:
            date += f'<br><span class="note">{text_html(row.next_decide_by_contract)}</span>'
    scores = row.dimensions
    if tuple(scores) == _DIMENSIONS:  # the usual case: every dimension, in order
        dims = _DIM_OPEN + _DIM_BETWEEN.join(map(str, scores.values())) + _DIM_CLOSE
    else:
        dims = "".join([f'<td class="dim">{scores.get(d, "")}</td>' for d in _DIMENSIONS])
    trend = (
        ET.tostring(h("td", trend_cell(row), class_="trend"), encoding="unicode", method="html")
        if trends
        else ""
    )
    findings = (
        "Top findings: " + text_html("; ".join(row.top_findings))
        if row.top_findings
        else _NO_FINDINGS
    )
    return (
        '<tbody class="supplier"><tr class="main">'
        f'<td class="num">{row.rank}</td>'
        f'<td class="name"><strong>{text_html(row.supplier)}</strong></td>'
        f'<td class="crit">{_CRITICALITY_HTML[row.criticality]}<br>{owner}</td>'
        f'<td class="num">{row.score}<br>{_BAND_HTML[row.band]}</td>'
        f"{trend}"
        f'<td class="num">{row.impact:.1f}<br>× {percent(row.exposure)}</td>'
        f'<td class="num">{percent(row.confidence)}<br>'
        f'<span class="note">{range_text(row)}</span></td>'
        f"{dims}"
        f'<td class="date">{date}</td>'
        f'<td class="num">{row.question_count}</td>'
        '</tr><tr class="sub"><td></td>'
        f'<td colspan="{width - 1}" class="findings">{findings}</td></tr></tbody>'
    )


def supplier_table(summary: RiskSummary, blocks: Child = None) -> ET.Element:
    """The supplier table: its header, then ``blocks`` (default: every supplier's block)."""
    return h(
        "table",
        h("thead", h("tr", [h("th", text, class_=cls) for text, cls in _table_headers(summary)])),
        list(supplier_blocks(summary)) if blocks is None else blocks,
        class_="suppliers",
    )


def questions_list(summary: RiskSummary) -> Child:
    if not summary.questions:
        return h("p", "No supplier raised a finding that needs the board.")
    return h(
        "ol",
        [
            h(
                "li",
                *_whose(q),
                q.text,
                h("br"),
                h("span", f"Key question: {q.key_question.text}", class_="kq"),
                *((h("br"), h("span", f"Recorded: {e}", class_="evidence")) for e in q.evidence),
                value=q.rank,
            )
            for q in summary.questions
        ],
        class_="questions",
    )


def _whose(q: QuestionRow) -> tuple[Child, ...]:
    """Whom a question is about: the supplier and its criticality, or the trust itself."""
    if q.scope == "trust":
        return (h("strong", q.supplier), " (its own finding): ")
    return (h("strong", q.supplier), f" ({q.criticality.label.lower()}): ")


def note_blocks(summary: RiskSummary, limit: int | None = None) -> Iterator[ET.Element]:
    """Short notes on each strategic and high-criticality supplier (the first ``limit``, if given)."""
    for r in summary.noted_in_detail(limit):
        findings = [
            h(
                "li",
                h("strong", f.headline),
                ": ",
                f.explanation,
                " ",
                h("span", f"({f.reference})", class_="ref"),
            )
            for f in r.findings[:DETAIL_FINDINGS]
        ]
        if r.finding_count > DETAIL_FINDINGS:
            more = plural(r.finding_count - DETAIL_FINDINGS, "more finding", "more findings")
            findings.append(h("li", f"and {more}"))
        yield h(
            "div",
            h("h3", f"{r.rank}. ", r.supplier, " ", band_badge(r.band), f" {r.score}"),
            h(
                "p",
                f"{r.criticality.label} criticality · owner: ",
                r.owner or "none",
                f" · {r.question_count} board question{'s' if r.question_count != 1 else ''}"
                f" · {r.data_gap_count} data gap{'s' if r.data_gap_count != 1 else ''}",
                class_="note",
            ),
            h("p", risk_line(r) + ".", class_="model"),
            h("p", impact_reasons_text(r.impact, r.impact_reasons), class_="note"),
            h("ul", findings) if findings else h("p", "No findings.", class_="muted"),
            class_="supplier-note",
        )


def supplier_notes(
    summary: RiskSummary, blocks: Child = None, limit: int | None = None
) -> list[Child]:
    """The notes section: what it holds and leaves out, then ``blocks`` (default: the notes)."""
    left_out = notes_left_out(summary, limit)
    return [
        h("p", NOTES_INTRO, class_="note"),
        h("p", left_out, class_="notes-left-out") if left_out else None,
        list(note_blocks(summary, limit)) if blocks is None else blocks,
    ]


def dimension_key() -> ET.Element:
    return h(
        "p",
        "Risk runs from 0 (none) to 100: impact (1 to 5) × exposure, shown out of 100. "
        "Confidence = how much of what matters is known; the range is the risk if every "
        "unknown turned out good, then bad. The dimension columns show where the exposure "
        "is, 0 to 100: ",
        "; ".join(f"{DIMENSION_ABBREVIATIONS[d]} = {d.label}" for d in Dimension),
        f" ({', '.join(DIMENSION_SHORT[d] for d in Dimension)} in the spreadsheet export). "
        "Qs = board questions raised. Decide by = contract end minus notice minus migration time.",
        class_="note",
    )


_CHUNK_ROWS = 1000
"""Supplier blocks joined into one piece of text (see :func:`iter_html`)."""
_SUPPLIERS = "supplier-register:suppliers"
_NOTES = "supplier-register:notes"


def render_html(summary: RiskSummary, notes: int | None = NOTES_LIMIT) -> str:
    """The summary as one self-contained, printable HTML document.

    The notes explain the ``notes`` most pressing strategic and high-criticality
    suppliers (every one with ``None``); the document says what it left out.
    """
    return "".join(iter_html(summary, notes))


def iter_html(summary: RiskSummary, notes: int | None = NOTES_LIMIT) -> Iterator[str]:
    """:func:`render_html` in pieces: the page, then each supplier's block and note as made.

    The page is built with a marker (an HTML comment, which no escaped text can
    contain) where the blocks go; the supplier blocks are then written as text
    (:func:`supplier_block_html`, a thousand at a time) and each note is
    serialised on its own, exactly as either would be inside the page, so a
    large register is never one tree or one string.
    """
    page = _page(summary, ET.Comment(_SUPPLIERS), ET.Comment(_NOTES), notes)
    head, rest = page.split(f"<!--{_SUPPLIERS}-->", 1)
    middle, tail = rest.split(f"<!--{_NOTES}-->", 1)
    yield head
    width, trends = len(_table_headers(summary)), _has_trends(summary)
    rows = summary.suppliers
    for start in range(0, len(rows), _CHUNK_ROWS):
        yield "".join(
            supplier_block_html(r, width, trends) for r in rows[start : start + _CHUNK_ROWS]
        )
    yield middle
    for block in note_blocks(summary, notes):
        yield ET.tostring(block, encoding="unicode", method="html")
    yield tail


def _page(summary: RiskSummary, suppliers: Child, notes: Child, limit: int | None) -> str:
    when = f"Position at {long_date(summary.today)}"
    body: list[Child] = [
        masthead(summary.trust, APPENDIX, when),
        h("h1", summary.title),
        h(
            "p",
            "How exposed the trust is to each technology supplier, scored against principle 6 "
            "of NHS Providers' Digital delivery principles (get the best out of technology "
            "suppliers), and the questions to put to the board.",
            class_="lede",
        ),
        h(
            "ul",
            [
                h("li", line)
                for line in [*overview_lines(summary), notes_fact(summary, limit)]
                if line
            ],
            class_="facts",
        ),
        h("p", h("strong", "How the score is built. "), MODEL_EXPLAINED, class_="method"),
        *trust_section_html(summary.trust_findings),
        h("h2", "Criticality and risk"),
        risk_matrix(summary.matrix()),
        h(
            "p",
            "Rows: how much the trust depends on the supplier. Columns: the supplier's risk band; "
            "Unassessed: too little is known to band it (its gaps are actions for the team). "
            "The darker the cell, the more exposed the trust.",
            class_="note",
        ),
        h("h2", "Suppliers by priority"),
        supplier_table(summary, suppliers),
        dimension_key(),
        h("h2", "Questions for the board", class_="page-break"),
        h("p", "Ranked by the supplier's impact and the severity of what raised them."),
        questions_list(summary),
        h("h2", "Supplier notes", class_="page-break"),
        supplier_notes(summary, notes, limit),
        impact_html(summary.impact) if summary.impact is not None else None,
        h(
            "footer",
            f"Generated by {summary.generator} on {summary.today.isoformat()}. "
            "Scores and questions follow principle 6 of NHS Providers' Digital delivery "
            "principles.",
            [h("br"), audit_seal_line(summary.audit)] if summary.audit else None,
        ),
    ]
    title = f"{summary.trust}: {summary.title}" if summary.trust else summary.title
    return document(title, body)
