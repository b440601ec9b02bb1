"""Relationship owners: the people in the trust who own supplier relationships."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from supplier_register.domain import PersonRecord
from supplier_register.services.register_view import Snapshot
from supplier_register.services.rows import display_text
from supplier_register.tui.app import DataScreen
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.record_list import RecordList

if TYPE_CHECKING:
    from supplier_register.tui.app import SupplierRegisterApp


class PeopleList(RecordList):
    """The people; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Edit owner", id="people.select"),
    ]


def person_option(person: PersonRecord, owned: list[str]) -> Group:
    """A person with their role, contact and the suppliers they own (texts are literal)."""
    if owned:
        shown = ", ".join(owned[:5]) + (f" and {len(owned) - 5} more" if len(owned) > 5 else "")
        owns = Text.assemble(f"owns {len(owned)}: ", display_text(shown))
    else:
        owns = Text("owns no suppliers", style="dim")
    lines: list[RenderableType] = [
        Text.assemble((display_text(person.name), "bold"), (f"  {person.role.label}", "italic"))
    ]
    if person.contact:
        lines.append(Padding(Text(display_text(person.contact), style="dim"), (0, 0, 0, 4)))
    lines.append(Padding(owns, (0, 0, 0, 4)))
    return Group(*lines)


class PeopleScreen(DataScreen):
    """Add, edit and delete relationship owners."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="people.back"),
        Binding("a", "add_person", "Add owner", id="people.add_person"),
        Binding(
            "d,delete", "delete_person", "Delete owner", key_display="d", id="people.delete_person"
        ),
    ]

    app: SupplierRegisterApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="people-title")
        yield PeopleList(id="people-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PeopleList).focus()
        if self.app.snapshot is not None:
            self.show_snapshot(self.app.snapshot)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        people_list = self.query_one(PeopleList)
        highlighted = people_list.highlighted
        people_list.clear_options()
        people_list.add_options(
            [
                Option(
                    person_option(person, [s.name for s in snapshot.suppliers_owned_by(person)]),
                    id=str(person.id),
                )
                for person in snapshot.people
            ]
        )
        if snapshot.people:
            people_list.highlighted = min(highlighted or 0, len(snapshot.people) - 1)
        unowned = sum(1 for s in snapshot.suppliers if not s.owner)
        self.query_one("#people-title", Static).update(
            Content.assemble(
                ("Relationship owners", "bold"),
                f"  · {len(snapshot.people)} people",
                (f" · {unowned} suppliers have no owner", "$text-warning") if unowned else "",
                "" if snapshot.people or self.app.read_only else "  · press a to add the first",
            )
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_add_person(self) -> None:
        from supplier_register.tui.screens.edit import add_person

        add_person(self.app)

    def action_delete_person(self) -> None:
        from supplier_register.tui.screens.edit import delete_person

        person_id = self.query_one(PeopleList).highlighted_record
        if person_id is None:
            self.notify("No owner to delete.", severity="warning")
            return
        delete_person(self.app, person_id)

    @on(OptionList.OptionSelected, "#people-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        from supplier_register.tui.screens.edit import edit_person

        if event.option.id is not None:
            edit_person(self.app, int(event.option.id))
