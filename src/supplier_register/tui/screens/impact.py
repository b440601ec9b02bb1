"""The impact view ("if this supplier failed today, what stops?") and the concentration view.

Both are read by a worker thread through the application layer (``services.impact``), on a
connection of their own, so a keystroke never waits on the database; a read overtaken by a
newer one (the register changed meanwhile) is dropped.  Every user text is literal
``Content`` (see :func:`supplier_register.tui.text.lit`), never markup.

``i`` (or ``w``) on a supplier opens its impact; ``C`` anywhere opens the concentration view.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from supplier_register.domain.errors import RegisterError
from supplier_register.impact import ConcentrationRow, SupplierImpact
from supplier_register.impact.cells import (
    alternatives_cell,
    chain_text,
    concentration_kinds_cell,
    concentration_name_cell,
    data_location_cell,
    date_cell,
    days_left_cell,
    end_cell,
    exit_plan_cell,
    patient_data_cell,
    route_cell,
    services_of_dependent_text,
    substitutability_cell,
)
from supplier_register.services.impact import read_concentration, read_supplier_impact
from supplier_register.services.register_view import Snapshot
from supplier_register.services.rows import display_text
from supplier_register.tui.app import DataScreen, read_failure
from supplier_register.tui.text import lit
from supplier_register.tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from supplier_register.impact.model import ContractExit, DependentImpact, ServiceImpact
    from supplier_register.tui.app import SupplierRegisterApp

SOON_DAYS = 90
"""A decision this close (or passed) is highlighted."""

IMPACT_TOOLTIP = "Impact: what stops if this supplier fails"
CONCENTRATION_TOOLTIP = "Concentration: which suppliers carry the most services"


# ------------------------------------------------------------------- messages


@dataclass
class ImpactRead(Message):
    """A supplier's impact as read by the screen's worker (``None``: the supplier is gone;
    ``error``: why it could not be read)."""

    impact: SupplierImpact | None
    error: str | None
    worker: Worker[Any]


@dataclass
class ConcentrationRead(Message):
    """The register's concentration rows as read by the screen's worker."""

    rows: list[ConcentrationRow]
    error: str | None
    worker: Worker[Any]


# --------------------------------------------------------------------- wording


def _heading(text: str) -> Content:
    return Content.styled(text, "bold $text-accent")


def _muted(text: str) -> Content:
    return Content.styled(text, "$text-muted")


def service_option(service: ServiceImpact) -> Content:
    """A service that stops: name, kind and route, then the outlook sentence (which says how
    long it can cope, the fallback and the time to move: each fact once)."""
    kind = (
        Content.styled("  clinical", "bold $text-error")
        if service.clinical
        else _muted("  corporate")
    )
    head = Content.assemble(
        lit(service.name, "bold"), kind, _muted(" · "), lit(route_cell(service))
    )
    lines = [head, Content.assemble("  ", lit(service.outlook))]
    if service.also_supported_by:
        lines.append(
            Content.assemble(
                _muted("  also supported by "), lit(", ".join(service.also_supported_by))
            )
        )
    return Content("\n").join(lines)


def dependent_option(dependent: DependentImpact) -> Content:
    """A supplier that falls with the failing one: the chain, how, and how many services."""
    return Content("\n").join(
        [
            Content.assemble(
                lit(dependent.supplier, "bold"), _muted(f"  {dependent.criticality.label}")
            ),
            Content.assemble("  ", lit(chain_text(dependent))),
            Content.assemble("  ", _muted(services_of_dependent_text(dependent))),
        ]
    )


def decide_by_content(contract: ContractExit) -> Content:
    """'decide by 31 January 2027 (in 66 days)', highlighted when close or passed."""
    if contract.decide_by is None:
        return _muted("decide by: not recorded")
    text = f"decide by {date_cell(contract.decide_by)} ({days_left_cell(contract)})"
    days = contract.days_to_decide or 0
    if days < 0:
        return Content.styled(text, "bold $text-error")
    if days <= SOON_DAYS:
        return Content.styled(text, "bold $text-warning")
    return Content(text)


def contract_option(contract: ContractExit) -> Content:
    """A contract involved: who and what, its dates, and how ready the trust is to leave it."""
    return Content("\n").join(
        [
            Content.assemble(lit(contract.supplier, "bold"), " / ", lit(contract.title, "bold")),
            Content.assemble(
                _muted("  ends: "),
                lit(end_cell(contract)),
                _muted(" · "),
                decide_by_content(contract),
            ),
            Content.assemble(
                _muted("  substitutability: "),
                lit(substitutability_cell(contract)),
                _muted(" · exit plan: "),
                lit(exit_plan_cell(contract)),
                _muted(" · alternatives: "),
                lit(alternatives_cell(contract)),
            ),
            Content.assemble(
                _muted("  data held: "),
                lit(data_location_cell(contract)),
                _muted(" · patient data: "),
                lit(patient_data_cell(contract)),
            ),
        ]
    )


def impact_options(impact: SupplierImpact) -> tuple[list[Option | None], dict[str, str]]:
    """The impact as options (headings disabled) and, for each option that opens a supplier,
    the name of the supplier it opens."""
    options: list[Option | None] = []
    opens: dict[str, str] = {}

    def section(title: str, empty: str, count: int) -> None:
        if options:
            options.append(None)
        options.append(Option(_heading(title), disabled=True))
        if not count:
            options.append(Option(_muted(f"  {empty}"), disabled=True))

    clinical = len(impact.clinical_services)
    section(
        f"Services that stop ({len(impact.services)}, {clinical} clinical), clinical first",
        "No service is recorded as depending on it.",
        len(impact.services),
    )
    for n, service in enumerate(impact.services):
        options.append(Option(service_option(service), id=f"service-{n}"))
        opens[f"service-{n}"] = impact.supplier if service.direct else service.through[0]
    section(
        f"Suppliers that fall with it ({len(impact.dependents)})",
        "No supplier is recorded as depending on it.",
        len(impact.dependents),
    )
    for n, dependent in enumerate(impact.dependents):
        options.append(Option(dependent_option(dependent), id=f"dependent-{n}"))
        opens[f"dependent-{n}"] = dependent.supplier
    section(
        f"What it depends on ({len(impact.depends_on)})",
        "No dependency of its own is recorded.",
        len(impact.depends_on),
    )
    for n, link in enumerate(impact.depends_on):
        line = Content.assemble(lit(link.depends_on, "bold"), _muted(f"  {link.kind.label}"))
        if link.note:
            line = Content.assemble(line, _muted(" · "), lit(link.note))
        options.append(Option(line, id=f"depends-{n}"))
        opens[f"depends-{n}"] = link.depends_on
    section(
        f"Contracts and exit readiness ({len(impact.contracts)}): its own, then those of the "
        "suppliers that fall with it, soonest decision first in each",
        "No current contract is involved.",
        len(impact.contracts),
    )
    for n, contract in enumerate(impact.contracts):
        options.append(Option(contract_option(contract), id=f"contract-{n}"))
        opens[f"contract-{n}"] = contract.supplier
    section(
        f"Not recorded ({len(impact.gaps)})",
        "Everything the impact view needs is recorded.",
        len(impact.gaps),
    )
    for n, gap in enumerate(impact.gaps):
        options.append(Option(Content.assemble("• ", lit(gap, "$text-warning")), id=f"gap-{n}"))
    return options, opens


# ---------------------------------------------------------------------- impact


class ImpactList(OptionList):
    """The impact, section by section; Enter opens the supplier an entry is about."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            "Open supplier",
            tooltip="Open the supplier a service, dependent or contract is about",
            id="impact_list.select",
        ),
    ]


class ImpactScreen(DataScreen):
    """If this supplier failed today: what stops, who falls with it, the contracts, the gaps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Close the impact view", id="impact.back"),
    ]

    app: SupplierRegisterApp

    def __init__(self, supplier_id: int, name: str | None = None) -> None:
        super().__init__()
        self.supplier_id = supplier_id
        self.name_shown = name
        self.impact: SupplierImpact | None = None
        """The impact last read (``None`` until the first read arrives)."""
        self.error: str | None = None
        self._opens: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title("  · reading…"), id="impact-title")
        yield Static("", id="impact-summary")
        yield ImpactList(id="impact-list")
        yield KeyFooter()

    def _title(self, status: str = "") -> Content:
        name = self.impact.supplier if self.impact is not None else self.name_shown
        return Content.assemble(
            ("If ", "bold"),
            lit(name or "this supplier", "bold"),
            (" failed today", "bold"),
            _muted(f"  · as of {self.app.today.isoformat()}"),
            (status, "bold $text-warning"),
        )

    def on_mount(self) -> None:
        self.query_one(ImpactList).focus()
        self._read()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The register changed: read the impact again."""
        self._read()

    @work(thread=True, exclusive=True, group="impact", exit_on_error=False)
    def _read(self) -> None:
        worker = get_current_worker()
        try:
            impact = read_supplier_impact(self.app.db_path, self.supplier_id, self.app.today)
        except (RegisterError, sqlite3.Error) as exc:
            self.post_message(ImpactRead(None, read_failure(exc, self.app.db_path), worker))
            return
        self.post_message(ImpactRead(impact, None, worker))

    def on_impact_read(self, message: ImpactRead) -> None:
        if message.worker.is_cancelled:
            return  # a newer read is on its way
        self.error = message.error
        summary = self.query_one("#impact-summary", Static)
        if message.error is not None:
            summary.update(Content.styled(display_text(message.error), "bold $text-error"))
            self.query_one("#impact-title", Static).update(self._title())
            return
        if message.impact is None:
            summary.update(Content.styled("This supplier no longer exists.", "$text-warning"))
            self.query_one("#impact-title", Static).update(self._title())
            return
        self.impact = impact = message.impact
        self.query_one("#impact-title", Static).update(
            Content.assemble(self._title(), _muted(f" · {impact.criticality.label}"))
        )
        summary.update(lit(impact.summary))
        options, self._opens = impact_options(impact)
        impact_list = self.query_one(ImpactList)
        highlighted = impact_list.highlighted
        impact_list.clear_options()
        impact_list.add_options(options)
        if highlighted is not None and highlighted < impact_list.option_count:
            impact_list.highlighted = highlighted
        else:
            impact_list.action_first()

    @on(OptionList.OptionSelected, "#impact-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        name = self._opens.get(event.option.id or "")
        if name is None:
            return
        supplier_id = supplier_named(self.app.snapshot, name)
        if supplier_id is None:
            self.notify(
                f"{display_text(name)}: not in the register as read yet.", severity="warning"
            )
            return
        self.app.open_supplier(supplier_id)

    def action_back(self) -> None:
        self.dismiss()


def supplier_named(snapshot: Snapshot | None, name: str) -> int | None:
    """The id of the supplier called ``name`` (exactly, else in any case) in ``snapshot``."""
    if snapshot is None:
        return None
    folded = name.casefold()
    loose: int | None = None
    for supplier in snapshot.suppliers:
        if supplier.name == name:
            return supplier.id
        if loose is None and supplier.name.casefold() == folded:
            loose = supplier.id
    return loose


# --------------------------------------------------------------- concentration

CONCENTRATION_COLUMNS = (
    ("Supplier or group", "left"),
    ("Criticality", "left"),
    ("Clinical", "right"),
    ("Services", "right"),
    ("Own services", "right"),
    ("Dependents", "right"),
    ("Depended on for", "left"),
    ("Members", "left"),
)


def concentration_cells(row: ConcentrationRow) -> list[Text]:
    """One row of the concentration table, every cell literal text."""
    values = [
        concentration_name_cell(row),
        row.criticality.label if row.criticality is not None else "",
        str(row.clinical_services),
        str(row.services),
        str(row.direct_services),
        str(row.dependents),
        concentration_kinds_cell(row),
        ", ".join(row.members),
    ]
    return [
        Text(display_text(value), justify="right" if justify == "right" else "left")
        for value, (_, justify) in zip(values, CONCENTRATION_COLUMNS, strict=True)
    ]


class ConcentrationTable(DataTable[Text]):
    """The concentration rows; Enter opens the impact of the highlighted supplier."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Impact",
            tooltip="What stops if the highlighted supplier fails",
            id="concentration_table.select",
        ),
    ]


class ConcentrationScreen(DataScreen):
    """Which suppliers and parent groups carry the most services, most clinical first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            tooltip="Close the concentration view",
            id="concentration.back",
        ),
    ]

    app: SupplierRegisterApp

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[ConcentrationRow] | None = None
        """The rows last read (``None`` until the first read arrives)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title("  · reading…"), id="concentration-title")
        table = ConcentrationTable(id="concentration-table", cursor_type="row", zebra_stripes=True)
        for label, _ in CONCENTRATION_COLUMNS:
            table.add_column(label, key=label)
        yield table
        yield Static("", id="concentration-detail")
        yield KeyFooter()

    def _title(self, status: str = "") -> Content:
        return Content.assemble(
            ("Concentration: which suppliers carry the most services", "bold"),
            _muted(f"  · most clinical first · as of {self.app.today.isoformat()}"),
            (status, "bold $text-warning"),
        )

    def on_mount(self) -> None:
        self.query_one(ConcentrationTable).focus()
        self._read()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="concentration", exit_on_error=False)
    def _read(self) -> None:
        worker = get_current_worker()
        try:
            rows = read_concentration(self.app.db_path, self.app.today)
        except (RegisterError, sqlite3.Error) as exc:
            failure = read_failure(exc, self.app.db_path)
            self.post_message(ConcentrationRead([], failure, worker))
            return
        self.post_message(ConcentrationRead(rows, None, worker))

    def on_concentration_read(self, message: ConcentrationRead) -> None:
        if message.worker.is_cancelled:
            return
        title = self.query_one("#concentration-title", Static)
        detail = self.query_one("#concentration-detail", Static)
        if message.error is not None:
            title.update(self._title())
            detail.update(Content.styled(display_text(message.error), "bold $text-error"))
            return
        self.rows = message.rows
        table = self.query_one(ConcentrationTable)
        cursor = table.cursor_row
        table.clear()
        for n, row in enumerate(message.rows):
            table.add_row(*concentration_cells(row), key=str(n))
        if message.rows:
            table.move_cursor(row=min(cursor, len(message.rows) - 1))
        title.update(
            Content.assemble(self._title(), _muted(f" · {len(message.rows)} suppliers and groups"))
        )
        if not message.rows:
            detail.update(_muted("No service is recorded against any current contract."))
        else:
            self._show_detail(table.cursor_row)

    def _show_detail(self, index: int) -> None:
        """The clinical services the highlighted row would stop, by name."""
        if self.rows is None or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        names = ", ".join(row.clinical_names) or "none"
        self.query_one("#concentration-detail", Static).update(
            Content.assemble(lit(row.name, "bold"), _muted("  clinical services: "), lit(names))
        )

    @on(DataTable.RowHighlighted, "#concentration-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#concentration-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if self.rows is None or not 0 <= event.cursor_row < len(self.rows):
            return
        row = self.rows[event.cursor_row]
        if row.supplier_id is None:
            self.notify(
                f"{display_text(row.name)} is a parent group: open one of its members "
                f"({display_text(', '.join(row.members))}).",
                severity="information",
            )
            return
        self.app.push_screen(ImpactScreen(row.supplier_id, row.name))

    def action_back(self) -> None:
        self.dismiss()
