"""The trust's own findings in full (key T): each finding's figures, explanation and the
sentence of principle 6 it rests on, then the register-wide figures they come from.

Read in a worker (``services.profile.read_picture``) when the screen opens and again
whenever a new snapshot of the register arrives; every text is literal ``Content``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Header, Static

from supplier_register.scoring.text import plural
from supplier_register.scoring.trust import percent
from supplier_register.services.profile import TrustPicture, read_picture
from supplier_register.services.register_view import Snapshot
from supplier_register.tui.app import DataScreen
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp


def picture_content(picture: TrustPicture) -> Content:
    """Every finding in full, then the figures: one literal ``Content``."""
    parts: list[Content | tuple[str, str] | str] = []
    if not picture.findings:
        parts.append(("The register raises no finding about the trust itself.\n\n", "italic"))
    for finding in picture.findings:
        how = (
            "a gap in what is recorded"
            if finding.data_gap
            else f"severity {percent(finding.severity)}, a board question"
        )
        parts += [
            lit(finding.title, "bold"),
            (f"  ({finding.key_question.text} · {how})\n", "$text-muted"),
            lit(finding.explanation),
            "\n",
        ]
        for label, value in finding.figures.items():
            parts += ["  • ", lit(label), ": ", lit(value, "bold"), "\n"]
        parts += [
            lit(f"Principle 6, {finding.reference}: “{finding.quote}”", "italic $text-muted"),
            "\n\n",
        ]
    parts.append(("Figures the findings rest on\n", "bold $text-accent"))
    for label, value in picture.figures.items():
        parts += ["  ", lit(label), ": ", lit(value, "bold"), "\n"]
    return Content.assemble(*parts)


class TrustScreen(DataScreen):
    """The trust's own findings (see the module)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="trust.back"),
    ]

    app: SupplierRegisterApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content.styled("The trust's own findings", "bold"), id="trust-title")
        with VerticalScroll(id="trust-body"):
            yield Static(Content("Reading the trust's findings…"), id="trust-findings")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#trust-body").focus()
        self._read()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._read()

    def _read(self) -> None:
        db_path, today = self.app.db_path, self.app.today
        thresholds = self.app.scoring.config.trust  # the app's scoring config's [trust]
        self.app.fetch(
            lambda: read_picture(db_path, today, thresholds), self._show, hold_keys=False
        )

    def _show(self, picture: TrustPicture) -> None:
        if not self.is_mounted:
            return
        whose = Content.assemble(": ", lit(picture.trust)) if picture.trust else Content("")
        self.query_one("#trust-title", Static).update(
            Content.assemble(
                ("The trust's own findings", "bold"),
                whose,
                (
                    f" · {plural(len(picture.findings), 'finding')}"
                    f" · as of {self.app.today.isoformat()}",
                    "$text-muted",
                ),
            )
        )
        self.query_one("#trust-findings", Static).update(picture_content(picture))

    def action_back(self) -> None:
        self.dismiss()
