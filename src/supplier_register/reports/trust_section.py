"""The board paper's section on the trust's own findings (issue 15, point 5).

Principle 6 asks the board about the trust itself as well as its suppliers: does it
have the in-house skills to buy technology well, and is it using the right contracting
methods?  The trust-level findings (``scoring.trust``, worked out by the application
layer from the trust's profile and the whole register) are set out near the top of the
HTML and Markdown papers, after the summary, each with its figures and the sentence of
principle 6 it rests on (their board questions are among the paper's questions, and the
spreadsheets', ranked with the suppliers').  All text is data: escaped in HTML (an
element tree) and in Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence

from supplier_register.reports.htmltree import Child, h
from supplier_register.reports.mdtext import md_escape
from supplier_register.scoring.trust import TrustFinding, percent

TITLE = "The trust's own findings"

INTRO = (
    "Principle 6 asks about the trust itself as well as its suppliers: these findings come "
    "from the trust's profile (its in-house digital and commercial staff and contractors) and "
    "from patterns across the whole register. Each one that is not a gap in what is recorded "
    "is also a question for the board, ranked with the suppliers' questions."
)

NONE = "The register raises no finding about the trust itself."


def _severity(finding: TrustFinding) -> str:
    return (
        "a gap in what is recorded" if finding.data_gap else f"severity {percent(finding.severity)}"
    )


def _figures(finding: TrustFinding) -> list[str]:
    return [f"{label}: {value}" for label, value in finding.figures.items()]


def _quote(finding: TrustFinding) -> str:
    return f"Principle 6, {finding.reference}: “{finding.quote}”"


def trust_section_html(findings: Sequence[TrustFinding] | None) -> list[Child]:
    """The section as HTML elements (nothing when the summary was made without it)."""
    if findings is None:
        return []
    body: list[Child] = [h("h2", TITLE, class_="trust-findings"), h("p", INTRO, class_="note")]
    if not findings:
        body.append(h("p", NONE))
        return body
    for finding in findings:
        body.append(
            h(
                "div",
                h("h3", finding.title, " ", h("span", f"({_severity(finding)})", class_="note")),
                h("p", finding.explanation),
                h("ul", [h("li", line) for line in _figures(finding)]) if finding.figures else None,
                h("blockquote", _quote(finding), class_="note"),
                class_="trust-finding",
            )
        )
    return body


def trust_section_markdown(findings: Sequence[TrustFinding] | None) -> list[str]:
    """The section as Markdown lines (none when the summary was made without it)."""
    if findings is None:
        return []
    out = ["", f"## {TITLE}", "", md_escape(INTRO), ""]
    if not findings:
        return [*out, NONE]
    for finding in findings:
        out += [f"### {md_escape(finding.title)} ({_severity(finding)})", ""]
        out += [md_escape(finding.explanation), ""]
        if finding.figures:
            out += [f"- {md_escape(line)}" for line in _figures(finding)]
            out.append("")
        out += [f"> {md_escape(_quote(finding))}", ""]
    return out[:-1]
