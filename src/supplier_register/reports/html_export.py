"""HTML export of the risk summary: the printable board paper, in one file.

A4 print styles; a running header and the protective marking on every printed page; a
masthead with the trust, date, author and version; then, in order, the executive summary,
the decisions required, the board questions (numbered once), the trust's own findings, the
criticality x risk-band matrix (inline SVG), the supplier table (its key as its caption),
what would happen if it went wrong (the service impact section, when the summary carries
one), the suppliers whose score moved since the last review, the first management actions,
the supplier notes and the method notes.  Built as an element tree (the supplier blocks of a
large register as text that escapes the same way), so everything the user typed is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence

from supplier_register.domain.enums import Criticality
from supplier_register.reports import board_text as bt
from supplier_register.reports.exec_summary import executive_summary, rows_label
from supplier_register.reports.htmldoc import DEFAULT_MARKING, band_badge, document, masthead
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
    ContractFacts,
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
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.results import Band, Dimension
from supplier_register.scoring.text import money, plural

_DIMENSIONS = tuple(Dimension)

DIMENSION_ABBREVIATIONS = {
    Dimension.BUYING: "Buy",
    Dimension.EXPERTISE: "Exp",
    Dimension.TURNKEY: "TK",
    Dimension.OPTIONS: "Opt",
    Dimension.EXIT: "Exit",
    Dimension.RELATIONSHIP: "Rel",
}


def _days_words(days: int) -> str:
    return f"in {days} days" if days >= 0 else f"passed {-days} days ago"


def decide_by_cell(row: SupplierRow, facts: ContractFacts | None = None) -> Child:
    """The next decide-by date with days left (marked when passed) and its contract, then the
    notice date of an auto-renewing contract; with no decide-by date and every contract
    ended, the day the last one did."""
    notice: Child = (
        [h("br"), h("span", f"notice by {facts.notice_by.isoformat()}", class_="note")]
        if facts is not None and facts.notice_by is not None
        else None
    )
    if row.next_decide_by is None or row.days_to_decide is None:
        if facts is not None and facts.ended_on is not None:
            return [h("span", f"ended on {long_date(facts.ended_on)}", class_="overdue"), notice]
        return [h("span", "none", class_="muted"), notice]
    days = row.days_to_decide
    return [
        h("span", row.next_decide_by.isoformat(), class_="overdue" if days < 0 else None),
        h("br"),
        h("span", _days_words(days), class_="note"),
        [h("br"), h("span", row.next_decide_by_contract, class_="note")]
        if row.next_decide_by_contract
        else None,
        notice,
    ]


def money_cell(row: SupplierRow, facts: ContractFacts | None) -> Child:
    """Annual spend, then the value of the current contracts; unknowns said as such."""
    spend: Child = (
        [h("span", money(row.annual_spend), class_="amount"), " a year"]
        if row.annual_spend is not None
        else h("span", "spend not recorded", class_="muted")
    )
    return [spend, h("br"), h("span", contract_value_text(facts), class_="note")]


def contract_value_text(facts: ContractFacts | None) -> str:
    if facts is None or (facts.value is None and not facts.unvalued):
        return "no current contract"
    if facts.value is None:
        return "contract value not recorded"
    unvalued = f" (+{facts.unvalued} without a value)" if facts.unvalued else ""
    return f"contracts {money(facts.value)}{unvalued}"


def trend_cell(row: SupplierRow) -> Child:
    """The score trend across reviews as a sparkline with the change since the last review."""
    line = sparkline(row.trend, row.band)
    if line is None:
        return h("span", "no reviews yet" if not row.trend else "", class_="muted")
    change = row.trend[-1].score - row.trend[-2].score
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    text = f"{arrow}{abs(change)}" if change else "no change"
    return [line, h("br"), h("span", text, class_="note")]


TREND_REVIEWS = 2
"""Past reviews a trend needs before the table shows it (one review gives a change, which the
movers section shows, not a trend)."""


def _has_trends(summary: RiskSummary) -> bool:
    return any(len(r.trend) > TREND_REVIEWS for r in summary.suppliers)


def _facts(summary: RiskSummary, row: SupplierRow) -> ContractFacts | None:
    return summary.contract_facts.get(row.rank) if summary.contract_facts else None


def _table_headers(summary: RiskSummary) -> list[tuple[str, str | None]]:
    headers: list[tuple[str, str | None]] = [
        ("#", "num"),
        ("Supplier", "name"),
        ("Criticality / owner", "crit"),
        ("Risk", "num"),
        ("Impact × exposure", "num"),
        ("Confidence (range)", "num"),
        *((DIMENSION_ABBREVIATIONS[d], "dim") for d in Dimension),
        ("Spend / contracts", "money"),
        ("Decide by / notice by", "date"),
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
            (money_cell(r, _facts(summary, r)), "money"),
            (decide_by_cell(r, _facts(summary, r)), "date"),
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


def supplier_block_html(
    row: SupplierRow, width: int, trends: bool, facts: ContractFacts | None = None
) -> str:
    """The text :func:`supplier_blocks` serialises for ``row``, made without building its tree.

    A register of tens of thousands of suppliers has a block each; building
    and serialising an element tree per block was most of the export's time.
    The text is the same, character for character (tests compare the two);
    every user text goes through :func:`text_html`, so none can become markup.
    ``width`` is the table's column count; ``trends`` whether it has a trend column;
    ``facts`` what the row's contracts say.
    """
    owner = (
        f'<span class="note">{text_html(row.owner)}</span>'
        if row.owner
        else '<span class="overdue">no owner</span>'
    )
    decide_by = row.next_decide_by
    days = row.days_to_decide
    if decide_by is None or days is None:
        if facts is not None and facts.ended_on is not None:
            date = f'<span class="overdue">ended on {long_date(facts.ended_on)}</span>'
        else:
            date = '<span class="muted">none</span>'
    else:
        opening = '<span class="overdue">' if days < 0 else "<span>"
        date = (
            f"{opening}{decide_by.isoformat()}</span><br>"
            f'<span class="note">{_days_words(days)}</span>'
        )
        if row.next_decide_by_contract:
            date += f'<br><span class="note">{text_html(row.next_decide_by_contract)}</span>'
    if facts is not None and facts.notice_by is not None:
        date += f'<br><span class="note">notice by {facts.notice_by.isoformat()}</span>'
    spend = (
        f'<span class="amount">{money(row.annual_spend)}</span> a year'
        if row.annual_spend is not None
        else '<span class="muted">spend not recorded</span>'
    )
    value = text_html(contract_value_text(facts))
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
        f'<td class="money">{spend}<br><span class="note">{value}</span></td>'
        f'<td class="date">{date}</td>'
        f'<td class="num">{row.question_count}</td>'
        '</tr><tr class="sub"><td></td>'
        f'<td colspan="{width - 1}" class="findings">{findings}</td></tr></tbody>'
    )


def supplier_table(summary: RiskSummary, blocks: Child = None) -> ET.Element:
    """The supplier table: its key (the bands' colours and the columns) as its caption, so the
    key prints beside the table's first rows, then its header and ``blocks`` (default: every
    supplier's block)."""
    return h(
        "table",
        h("caption", band_legend(), dimension_key()),
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
        "Qs = board questions raised. Decide by = contract end minus notice minus migration "
        "time; notice by = the last day to give notice on an auto-renewing contract (end minus "
        "notice). Spend: the supplier's annual spend; contracts: the total value of its current "
        "contracts.",
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
    facts = summary.contract_facts or {}
    for start in range(0, len(rows), _CHUNK_ROWS):
        yield "".join(
            supplier_block_html(r, width, trends, facts.get(r.rank))
            for r in rows[start : start + _CHUNK_ROWS]
        )
    yield middle
    for block in note_blocks(summary, notes):
        yield ET.tostring(block, encoding="unicode", method="html")
    yield tail


PAPER = "Board paper"
ACTIONS_SHOWN = 15
"""How many management actions the paper lists (the rest are in the review pack and CSV)."""
MOVERS_SHOWN = 15
"""How many suppliers whose score moved the paper lists."""


def running_header(summary: RiskSummary) -> str:
    """The line heading every printed page: 'Trust · Supplier risk — board paper · 26 November
    2026'."""
    return f"{summary.trust or 'Trust'} · Supplier risk — board paper · {long_date(summary.today)}"


def executive_summary_html(summary: RiskSummary) -> list[Child]:
    return [
        h("h2", "Executive summary"),
        h("ul", [h("li", s) for s in executive_summary(summary)], class_="exec"),
    ]


def decisions_html(pack: BoardPack) -> list[Child]:
    """Decisions required: one row per supplier, most urgent first."""
    head: list[Child] = [
        h("h2", "Decisions required"),
        h(
            "p",
            f"Contract dates that need a decision from the board: passed, or within "
            f"{plural(pack.horizon_days, 'day')}, for {pack.decisions_from.label.lower()}-"
            "criticality suppliers and above; the most urgent first.",
            class_="note",
        ),
    ]
    if not pack.decisions:
        return [*head, h("p", "No decision falls due within the horizon, and none is overdue.")]
    headers: list[tuple[str, str | None]] = [
        ("#", "num"),
        ("Supplier", "name"),
        ("Criticality", None),
        ("Date", "date"),
        ("Notice by", "date"),
        ("What the board must decide", None),
        ("If nothing is done", None),
        ("Owner", None),
    ]
    rows: list[list[tuple[Child, str | None]]] = [
        [
            (str(i), "num"),
            (h("strong", d.supplier), "name"),
            (d.criticality.label, None),
            (
                [
                    "ended on " if d.kind == "ended_in_use" else None,
                    long_date(d.date),
                    h("br"),
                    h("span", bt.decision_days(d), class_="overdue" if d.overdue else "note"),
                ],
                "date",
            ),
            # Empty when no auto-renewing contract has a notice date ahead: not a gap in the
            # record (as in the Markdown paper, the CLI and the TUI).
            (long_date(d.notice_by) if d.notice_by is not None else None, "date"),
            (d.action, None),
            (d.consequence, None),
            (d.owner or h("span", "no owner recorded", class_="overdue"), None),
        ]
        for i, d in enumerate(pack.decisions, start=1)
    ]
    return [*head, _table(headers, rows, "decisions")]


def _table(
    headers: Sequence[tuple[str, str | None]],
    rows: Sequence[Sequence[tuple[Child, str | None]]],
    cls: str,
) -> ET.Element:
    return h(
        "table",
        h("thead", h("tr", [h("th", text, class_=c) for text, c in headers])),
        h("tbody", [h("tr", [h("td", v, class_=c) for v, c in row]) for row in rows]),
        class_=cls,
    )


def board_questions_html(summary: RiskSummary) -> list[Child]:
    """The board questions, numbered once: from the board pack, else the summary's."""
    head = h("h2", "Board questions")
    pack = summary.board
    if pack is None:
        return [head, questions_list(summary)]
    if not pack.questions:
        return [head, h("p", "No supplier raised a finding that needs the board.")]
    intro = h(
        "p",
        f"The {plural(len(pack.questions), 'question')} to put, chosen by priority (the "
        "supplier's impact and the seriousness of the finding) from the "
        f"{pack.question_total} the register raises; at most one per supplier and theme.",
        class_="note",
    )
    items = []
    for i, q in enumerate(pack.questions, start=1):
        whose = (
            " (the trust's own finding)"
            if q.scope == "trust"
            else f" ({q.criticality.label.lower()} criticality)"
        )
        tags = [f"Key question: {q.key_question.text}"]
        if q.theme is not None:
            tags.append(f"Theme: {q.theme.label}")
        items.append(
            h(
                "li",
                h("strong", q.supplier),
                whose,
                ": ",
                q.text,
                h("br"),
                h("span", " · ".join(tags), class_="kq"),
                [h("br"), h("span", bt.question_contracts(q), class_="kq")]
                if q.contracts
                else None,
                *((h("br"), h("span", f"Recorded: {e}", class_="evidence")) for e in q.evidence),
                value=i,
            )
        )
    return [head, intro, h("ol", items, class_="questions")]


def movers_html(summary: RiskSummary) -> list[Child]:
    """Suppliers whose score moved since the last review (nothing without a review)."""
    compared = [r for r in summary.suppliers if len(r.trend) >= 2]
    if not compared:
        return []
    label = rows_label(compared)
    moved = sorted(
        (r for r in compared if r.trend[-1].score != r.trend[-2].score),
        key=lambda r: (-abs(r.trend[-1].score - r.trend[-2].score), r.rank),
    )
    head = h("h2", f"Changes since the last review ({label})")
    if not moved:
        return [head, h("p", f"No supplier's score has moved since {label}.")]
    headers: list[tuple[str, str | None]] = [
        ("Supplier", "name"),
        ("Criticality", None),
        (f"At {label}", "num"),
        ("Now", "num"),
        ("Change", "num"),
    ]
    rows: list[list[tuple[Child, str | None]]] = [
        [
            (h("strong", r.supplier), "name"),
            (r.criticality.label, None),
            (str(r.trend[-2].score), "num"),
            ([str(r.score), " ", band_badge(r.band)], "num"),
            (_change_text(r.trend[-1].score - r.trend[-2].score), "num"),
        ]
        for r in moved[:MOVERS_SHOWN]
    ]
    more = len(moved) - MOVERS_SHOWN
    return [
        head,
        h(
            "p",
            f"{plural(len(moved), 'supplier')} moved; the largest changes first.",
            class_="note",
        ),
        _table(headers, rows, "movers"),
        h("p", f"{more} more in the CSV export.", class_="note") if more > 0 else None,
    ]


def _change_text(change: int) -> str:
    return f"▲ up {change}" if change > 0 else f"▼ down {-change}"


def actions_html(pack: BoardPack) -> list[Child]:
    """Management actions for the CIO's team (for information): the first few, soonest due."""
    head: list[Child] = [
        h("h2", "Management actions (for information)"),
        h(
            "p",
            "What the CIO's team will find out or do; not for the board to decide.",
            class_="note",
        ),
    ]
    if not pack.actions:
        return [*head, h("p", "No management actions.")]
    headers: list[tuple[str, str | None]] = [
        ("#", "num"),
        ("Supplier", "name"),
        ("Action", None),
        ("Owner", None),
        ("Due", "date"),
    ]
    rows: list[list[tuple[Child, str | None]]] = [
        [
            (str(i), "num"),
            (h("strong", a.supplier), "name"),
            (a.text, None),
            (a.owner or h("span", "no owner recorded", class_="muted"), None),
            (long_date(a.due), "date"),
        ]
        for i, a in enumerate(pack.actions[:ACTIONS_SHOWN], start=1)
    ]
    more = len(pack.actions) - ACTIONS_SHOWN
    return [
        *head,
        _table(headers, rows, "actions"),
        h("p", f"{more} more in the review pack / CSV.", class_="note") if more > 0 else None,
    ]


def band_legend() -> ET.Element:
    return h(
        "p",
        "Bands: ",
        [[band_badge(b), " "] for b in Band],
        class_="note legend",
    )


def impact_section_html(summary: RiskSummary) -> list[Child]:
    if summary.impact is None:
        return []
    parts = impact_html(summary.impact)
    parts[0] = h("h2", "What would happen if it went wrong", class_="page-break")
    return parts


def _page(summary: RiskSummary, suppliers: Child, notes: Child, limit: int | None) -> str:
    details = [
        long_date(summary.today),
        f"Author: {summary.author or 'not recorded'}",
        f"Version {summary.version}",
    ]
    body: list[Child] = [
        masthead(summary.trust or "Supplier risk", PAPER, details[0], details=details[1:]),
        h("h1", summary.title),
        h(
            "p",
            "How exposed the trust is to each technology supplier, scored against principle 6 "
            "of NHS Providers' Digital delivery principles (get the best out of technology "
            "suppliers): the decisions and questions for the board.",
            class_="lede",
        ),
        executive_summary_html(summary),
        decisions_html(summary.board) if summary.board is not None else None,
        board_questions_html(summary),
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
        h("h2", "Suppliers by priority", class_="page-break"),
        supplier_table(summary, suppliers),
        impact_section_html(summary),
        movers_html(summary),
        actions_html(summary.board) if summary.board is not None else None,
        h("h2", "Supplier notes", class_="page-break"),
        supplier_notes(summary, notes, limit),
        h("h2", "Method notes"),
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
        h(
            "footer",
            f"Generated by {summary.generator} on {summary.today.isoformat()}. "
            "Scores and questions follow principle 6 of NHS Providers' Digital delivery "
            "principles.",
            [h("br"), audit_seal_line(summary.audit)] if summary.audit else None,
        ),
    ]
    title = f"{summary.trust}: {summary.title}" if summary.trust else summary.title
    return document(
        title,
        body,
        running=running_header(summary),
        marking=summary.marking or DEFAULT_MARKING,
    )
