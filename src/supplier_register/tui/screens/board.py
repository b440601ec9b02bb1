"""The questions to take to the board, for the whole register, ranked and grouped.

Principle 6 asks boards three key questions; every board question raised by
scoring belongs to one of them, so the screen groups by those three and ranks
within each group by priority (the supplier's impact times severity).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from supplier_register.scoring.results import BoardQuestion, KeyQuestion
from supplier_register.scoring.text import plural
from supplier_register.services.register_view import BOARD_PER_GROUP, Snapshot
from supplier_register.services.rows import display_text
from supplier_register.tui.app import DataScreen
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp


TRUST_OPTION = "trust"
"""How the option of a question about the trust itself starts (no key question is called so)."""


class BoardQuestionList(OptionList):
    """Ranked board questions; Enter opens the supplier a question is about."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open supplier", id="board_question.select"),
    ]


def _whence(snapshot: Snapshot) -> str:
    """'381: 380 from 32 suppliers, 1 from the trust', or '380 from 32 suppliers': the
    same supplier count as the register's status line, with the trust's own questions apart."""
    board = snapshot.board
    total = board.total if board is not None else 0
    from_suppliers = sum(row.questions or 0 for row in snapshot.rows) if board is not None else 0
    own = total - from_suppliers
    suppliers = plural(board.suppliers if board is not None else 0, "supplier")
    if own <= 0:
        return f"{total:,} from {suppliers}"
    return f"{total:,}: {from_suppliers:,} from {suppliers}, {own:,} from the trust"


def question_option(rank: int, question: BoardQuestion) -> Table:
    """A ranked question with a hanging indent: the number, then the question, the evidence
    recorded behind it ("Recorded: …") and its supplier.

    The texts are ``rich.text.Text`` objects, so they are never parsed as markup.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=4, justify="right", style="bold")
    grid.add_column(ratio=1)
    about = Text.assemble(
        (display_text(question.supplier), "bold"),
        (f" · {_whose(question)} · priority {question.priority:g}", "dim"),
    )
    grid.add_row(f"{rank}.", Text(display_text(question.text), overflow="fold"))
    for excerpt in question.evidence:
        grid.add_row(
            "", Text(f"Recorded: {display_text(excerpt)}", style="dim italic", overflow="fold")
        )
    grid.add_row("", about)
    return grid


def _whose(question: BoardQuestion) -> str:
    """The supplier's criticality, or that the question is about the trust itself."""
    return "its own finding" if question.scope == "trust" else question.criticality.label


class BoardScreen(DataScreen):
    """Register-wide board questions, grouped by principle 6's three key questions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="board.back"),
    ]

    app: SupplierRegisterApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="board-title")
        yield BoardQuestionList(id="board-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(BoardQuestionList).focus()
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        board = snapshot.board
        board_list = self.query_one(BoardQuestionList)
        highlighted = board_list.highlighted
        board_list.clear_options()
        options: list[Option | None] = []
        for key in KeyQuestion:
            count = board.counts[key] if board is not None else 0
            group = board.ranked[key][:BOARD_PER_GROUP] if board is not None else []
            if options:
                options.append(None)
            options.append(
                Option(
                    Content.assemble(
                        (key.text, "bold $text-accent"),
                        (f"  ({count} question{'s' if count != 1 else ''})", "$text-muted"),
                    ),
                    disabled=True,
                )
            )
            if not group:
                options.append(
                    Option(Content.styled("     nothing to ask", "$text-muted"), disabled=True)
                )
            for rank, question in enumerate(group, start=1):
                options.append(
                    Option(
                        question_option(rank, question),
                        id=f"{key.value}:{rank}:{question.supplier}"
                        if question.scope == "supplier"
                        else f"{TRUST_OPTION}:{key.value}:{rank}",
                    )
                )
            if count > len(group):
                options.append(
                    Option(
                        Content.styled(
                            f"     … and {count - len(group)} more in the board report",
                            "$text-muted",
                        ),
                        disabled=True,
                    )
                )
        board_list.add_options(options)
        if highlighted is not None and highlighted < board_list.option_count:
            board_list.highlighted = highlighted
        else:
            board_list.action_first()
        self.query_one("#board-title", Static).update(
            Content.assemble(
                ("Board questions", "bold"),
                f" · {_whence(snapshot)}"
                f" · ranked by impact and severity · as of {snapshot.today.isoformat()}",
                ("" if snapshot.scores_current else " · scoring…", "$text-warning"),
            )
        )

    @on(OptionList.OptionSelected, "#board-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        snapshot = self.app.snapshot
        if snapshot is None or event.option.id is None:
            return
        if event.option.id.startswith(f"{TRUST_OPTION}:"):  # about the trust itself
            self.app.action_trust_findings()
            return
        supplier_name = event.option.id.split(":", 2)[2]
        supplier = next((s for s in snapshot.suppliers if s.name == supplier_name), None)
        if supplier is not None:
            self.app.open_supplier(supplier.id)

    def action_back(self) -> None:
        self.dismiss()
