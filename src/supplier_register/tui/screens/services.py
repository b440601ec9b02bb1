"""The services the trust runs: whether clinical, how long an outage it can bear, its fallback,
and how many contracts (of how many suppliers) support it.  Add, edit and delete them."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from supplier_register.domain import Fallback, RegisterError
from supplier_register.domain.models import ServiceRecord
from supplier_register.impact.cells import fallback_cell, outage_cell
from supplier_register.services.continuity import ServiceSummary, read_services
from supplier_register.services.register_view import Snapshot
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.messages import ServicesRead
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.record_list import RecordList

if TYPE_CHECKING:
    from pathlib import Path

    from supplier_register.tui.app import SupplierRegisterApp


class ServiceList(RecordList):
    """The services; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Edit service", id="services.select"),
    ]


def _outage(service: ServiceRecord) -> Content:
    """'can cope: 4 hours', worded as in the impact view; 'not recorded' stands out."""
    text = outage_cell(service)
    style = "$text-warning" if service.max_outage_hours is None else ""
    return Content.assemble("can cope: ", Content.styled(text, style))


def _fallback(service: ServiceRecord) -> Content:
    """'fallback: Manual (paper) fallback, tested 1 March 2026', as in the impact view; no
    fallback stands out as an error, one not recorded (or not recorded as tested) as a warning."""
    text = fallback_cell(service)
    if service.fallback is Fallback.NONE:
        style = "bold $text-error"
    elif service.fallback is Fallback.UNKNOWN or service.fallback_tested is None:
        style = "$text-warning"
    else:
        style = ""
    return Content.assemble("fallback: ", Content.styled(text, style))


def _support(summary: ServiceSummary) -> Content:
    if not summary.contracts:
        return Content.styled("no contract supports it", "$text-warning")
    contracts, suppliers = summary.contracts, summary.suppliers
    return Content(
        f"supported by {contracts} contract{'s' if contracts != 1 else ''}"
        f" of {suppliers} supplier{'s' if suppliers != 1 else ''}"
    )


def service_option(summary: ServiceSummary) -> Content:
    """A service in two lines: name and kind, then outage, fallback and support (literal text)."""
    service = summary.service
    kind = "clinical" if service.clinical else "corporate"
    return Content("\n").join(
        [
            Content.assemble(lit(service.name, "bold"), (f"  {kind}", "italic")),
            Content.assemble(
                "    ",
                _outage(service),
                " · ",
                _fallback(service),
                " · ",
                _support(summary),
            ),
        ]
    )


class ServicesScreen(DataScreen):
    """Add, edit and delete the services the trust runs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="services.back"),
        Binding("a", "add_service", "Add service", id="services.add_service"),
        Binding(
            "d,delete",
            "delete_service",
            "Delete service",
            key_display="d",
            id="services.delete_service",
        ),
    ]

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self.services: list[ServiceSummary] | None = None
        """The services as last read (``None`` until the first read arrives)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Reading the services…"), id="services-title")
        yield ServiceList(id="service-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ServiceList).focus()
        self._read(self.app.db_path)

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """After every write (and reload), read the services again."""
        self._read(self.app.db_path)

    @work(thread=True, exclusive=True, group="services-read", exit_on_error=False)
    def _read(self, db_path: Path) -> None:
        worker = get_current_worker()
        try:
            services = read_services(db_path)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(ServicesRead([], read_failure(exc, db_path), worker))
            return
        self.post_message(ServicesRead(services, None, worker))

    def on_services_read(self, message: ServicesRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        title = self.query_one("#services-title", Static)
        if message.error is not None:
            title.update(lit(f"The services could not be read: {message.error}", "$text-error"))
            return
        self.show_services(message.services)

    def show_services(self, services: list[ServiceSummary]) -> None:
        """Fill the list (called on the UI thread)."""
        self.services = services
        service_list = self.query_one(ServiceList)
        highlighted = service_list.highlighted_option_id
        service_list.clear_options()
        service_list.add_options(
            [Option(service_option(s), id=str(s.service.id)) for s in services]
        )
        if services:
            ids = [str(s.service.id) for s in services]
            service_list.highlighted = ids.index(highlighted) if highlighted in ids else 0
        clinical = sum(1 for s in services if s.service.clinical)
        unsupported = sum(1 for s in services if not s.contracts)
        self.query_one("#services-title", Static).update(
            Content.assemble(
                ("Services", "bold"),
                f"  · {len(services)} service{'s' if len(services) != 1 else ''}"
                f" ({clinical} clinical)",
                (
                    (f" · {unsupported} supported by no contract", "$text-warning")
                    if unsupported
                    else ""
                ),
                "" if services or self.app.read_only else "  · press a to add the first",
            )
        )

    def action_back(self) -> None:
        self.dismiss()

    def action_add_service(self) -> None:
        from supplier_register.tui.screens.edit import add_service

        add_service(self.app)

    def action_delete_service(self) -> None:
        from supplier_register.tui.screens.edit import delete_service

        service_id = self.query_one(ServiceList).highlighted_record
        if service_id is None:
            self.notify("No service to delete.", severity="warning")
            return
        delete_service(self.app, service_id)

    @on(OptionList.OptionSelected, "#service-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        from supplier_register.tui.screens.edit import edit_service

        if event.option.id is not None:
            edit_service(self.app, int(event.option.id))
