"""Merge another supplier into the one on screen: choose it, read what moves, confirm.

The other suppliers are listed with possible duplicates (names that nearly match)
first; the choice is previewed in a worker (what moves, or the one line refusing
it), confirmed with that list, and merged in a write worker with the versions the
preview read, so a supplier changed meanwhile is refused and nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from supplier_register.domain.models import SupplierRecord
from supplier_register.services.merge import (
    MergePlan,
    merge_as_previewed,
    read_candidates,
    read_preview,
)
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.text import lit

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp


class MergeChooser(ModalScreen[int | None]):
    """The supplier to merge into ``keep``: possible duplicates first, then everyone else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without merging", id="merge.cancel"),
    ]

    def __init__(self, keep: str, choices: list[tuple[SupplierRecord, bool]]) -> None:
        super().__init__(classes="dialog-screen")
        self.keep = keep
        self.choices = choices

    def compose(self) -> ComposeResult:
        near = sum(1 for _, flagged in self.choices if flagged)
        with Vertical(classes="dialog form"):
            yield Static(
                Content.assemble("Merge into ", lit(self.keep, "bold"), ": which supplier?"),
                classes="dialog-title",
            )
            yield Static(
                Content(
                    f"{near} possible duplicate{'s' if near != 1 else ''} (names that nearly "
                    "match) listed first. The one chosen moves into this supplier and is "
                    "deleted; you see what moves before anything is written."
                ),
                classes="dialog-body",
            )
            options = [
                Option(
                    Content.assemble(
                        lit(record.name),
                        Content.styled("  possible duplicate", "bold") if flagged else "",
                    ),
                    id=str(record.id),
                )
                for record, flagged in self.choices
            ]
            yield OptionList(*options, id="merge-choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#merge-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id is not None else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def merge_body(plan: MergePlan) -> Content:
    """The confirmation: every line of what would move, as literal text."""
    return Content.assemble(
        lit("\n".join(plan.lines()[1:])),
        "\n\nIt cannot be undone (the audit trail keeps the history).",
    )


def merge_into(app: SupplierRegisterApp, keep_id: int, keep_name: str) -> None:
    """Choose a supplier to merge into ``keep_id``, preview, confirm, then merge in a worker."""
    db_path, today = app.db_path, app.today

    def chosen(drop_id: int | None) -> None:
        if drop_id is not None:
            app.fetch(lambda: read_preview(db_path, keep_id, drop_id, today), previewed)

    def previewed(plan: MergePlan | str) -> None:
        if isinstance(plan, str):
            app.notify(plan, title="Not merged", severity="error", timeout=10)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                app.write(
                    lambda repo: merge_as_previewed(repo, plan, today),
                    saved=f"Merged {plan.drop} into {plan.keep}.",
                )

        title = Content.assemble(
            "Merge ", lit(plan.drop, "bold"), " into ", lit(plan.keep, "bold"), "?"
        )
        app.push_screen(ConfirmScreen(title, merge_body(plan), yes="Merge"), answered)

    def listed(choices: list[tuple[SupplierRecord, bool]]) -> None:
        if not choices:
            app.notify("No other supplier to merge with.", severity="warning")
            return
        app.push_screen(MergeChooser(keep_name, choices), chosen)

    app.fetch(lambda: read_candidates(db_path, keep_id), listed)
