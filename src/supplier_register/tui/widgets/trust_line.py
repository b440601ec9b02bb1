"""One line on the register screen with the trust's own findings, always in view.

"The trust: contractor dependence 32%; 2 FTE commercial staff for £41m spend · T: the
trust's findings".  The findings come with the register's scores (``Scores.trust``);
the line is hidden until they have been worked out (a register without a database).
"""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from supplier_register.scoring.trust import TrustFinding
from supplier_register.services.register_view import Snapshot
from supplier_register.services.trust_board import trust_headline
from supplier_register.tui.text import lit

HINT = " · T: the trust's findings"


def trust_line_content(findings: list[TrustFinding]) -> Content:
    """The line's text: the findings' headline as literal text, or that there are none."""
    if not findings:
        return Content.assemble(
            ("The trust: ", "bold"),
            ("no findings about the trust itself", "$text-muted"),
            (HINT, "$text-muted"),
        )
    gaps_only = all(f.data_gap for f in findings)
    return Content.assemble(
        ("The trust: ", "bold"),
        lit(trust_headline(findings), "$text-muted" if gaps_only else "$text-warning"),
        (HINT, "$text-muted"),
    )


class TrustLine(Static):
    """The trust's own findings in one line (see the module)."""

    DEFAULT_CSS: ClassVar[str] = """
    TrustLine {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = "trust-line") -> None:
        super().__init__("", id=id, markup=False)
        self.display = False  # set before mounting: shown once the findings are known
        self.findings: list[TrustFinding] | None = None

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Show the findings the snapshot's scores came with (kept while it is re-scored)."""
        scores = snapshot.scores
        if scores is None or scores.trust is None:
            return
        self.findings = scores.trust
        self.update(trust_line_content(scores.trust))
        self.display = True
