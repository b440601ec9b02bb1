"""The service impact section of the risk summary exports.

For each strategic and high-criticality supplier: what would stop if it failed
today (clinical services first) set against how long each service can cope, its
fallback and the time to move; the suppliers that fall with it; and how ready
the trust is to leave its contracts.  Then where the register's services are
concentrated.  The application layer works the impacts out
(``services.impact``) and hands them over in an :class:`ImpactSection`; this
module only words them, as plain text for the tabular exports and as cells and
blocks for the papers (each format escapes or guards them by its own rules).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from supplier_register.domain.enums import ExitPlan, Fallback
from supplier_register.impact import ConcentrationRow, ContractExit, ServiceImpact, SupplierImpact
from supplier_register.impact.cells import (
    alternatives_cell,
    concentration_kinds_cell,
    concentration_name_cell,
    data_location_cell,
    decide_by_cell,
    exit_plan_cell,
    fallback_cell,
    move_cell,
    outage_cell,
    patient_data_cell,
    route_cell,
    substitutability_cell,
)
from supplier_register.reports.htmltree import Child, h
from supplier_register.reports.impact_md import impact_markdown as supplier_markdown
from supplier_register.reports.mdtext import md_escape, md_table
from supplier_register.reports.safety import Cell
from supplier_register.reports.summary import ImpactSection
from supplier_register.reports.tabular import Column, Kind

CONCENTRATION_LIMIT = 10
"""Rows of the concentration table in the exports: the suppliers and groups carrying most."""

IMPACT_INTRO = (
    "If each strategic or high-criticality supplier failed today: the services that would "
    "stop (clinical first, least tolerant first), directly or through the suppliers that "
    "depend on it, set against how long each can cope, its fallback and the time it would "
    "take to move; who falls with it; and how ready the trust is to leave its contracts."
)
CONCENTRATION_INTRO = (
    "The suppliers and parent groups whose failure would stop the most clinical services "
    "(then the most services, then the most suppliers that depend on them)."
)
WHERE_EVERY_IMPACT = "the impact view shows any supplier's in full"


# ------------------------------------------------------------------ words
# Every fact is worded by supplier_register.impact.cells, as in the CLI and the TUI.


def contract_label(contract: ContractExit, impact: SupplierImpact) -> str:
    """The contract's title, with its supplier when it is not the failing supplier's."""
    if contract.supplier == impact.supplier:
        return contract.title
    return f"{contract.supplier} / {contract.title}"


def dependent_text(impact: SupplierImpact) -> list[str]:
    """Each supplier that falls with it: 'Iris AI (medium; via Lumen Imaging; 1 service)'."""
    lines = []
    for d in impact.dependents:
        parts = [d.criticality.label.lower()]
        if len(d.path) > 2:
            parts.append("via " + ", ".join(d.path[1:-1]))
        parts.append(f"{d.services} service{'s' if d.services != 1 else ''}")
        lines.append(f"{d.supplier} ({'; '.join(parts)})")
    return lines


def own_contracts(impact: SupplierImpact) -> list[ContractExit]:
    return [c for c in impact.contracts if c.supplier == impact.supplier]


def exit_plans_text(impact: SupplierImpact) -> str:
    """Each own contract's exit plan: 'EPR: Written', 'PACS: not recorded'."""
    return "; ".join(f"{c.title}: {exit_plan_cell(c)}" for c in own_contracts(impact))


def next_decide_by(impact: SupplierImpact) -> dt.date | None:
    dates = [c.decide_by for c in own_contracts(impact) if c.decide_by is not None]
    return min(dates, default=None)


def service_line(service: ServiceImpact) -> str:
    """One service in a cell: 'ED triage (clinical; copes 2 hours; fallback: ...; direct; ...)'."""
    parts = [
        "clinical" if service.clinical else "not clinical",
        f"copes {outage_cell(service)}",
        f"fallback: {fallback_cell(service)}",
        route_cell(service),
        f"move: {move_cell(service)}",
    ]
    return f"{service.name} ({'; '.join(parts)})"


def contract_line(contract: ContractExit, impact: SupplierImpact) -> str:
    """One contract's exit readiness in a cell."""
    return (
        f"{contract_label(contract, impact)} (substitutability: {substitutability_cell(contract)}; "
        f"exit plan: {exit_plan_cell(contract)}; alternatives: {alternatives_cell(contract)}; "
        f"data held: {data_location_cell(contract)}; "
        f"patient data: {patient_data_cell(contract)}; decide by: {decide_by_cell(contract)})"
    )


# ------------------------------------------------------ tabular exports


def _shortest(impact: SupplierImpact) -> Cell:
    service = impact.least_tolerant
    return None if service is None else service.max_outage_hours


def _least_name(impact: SupplierImpact) -> Cell:
    service = impact.least_tolerant
    return None if service is None else service.name


IMPACT_COLUMNS: Sequence[Column[SupplierImpact]] = (
    Column("Supplier", lambda i: i.supplier, Kind.TEXT, 30),
    Column("Criticality", lambda i: i.criticality.label, Kind.TEXT, 11),
    Column("Services stopped", lambda i: len(i.services), Kind.INTEGER, 9),
    Column("Clinical services stopped", lambda i: len(i.clinical_services), Kind.INTEGER, 9),
    Column(
        "Stopped through dependents",
        lambda i: sum(1 for s in i.services if not s.direct),
        Kind.INTEGER,
        11,
    ),
    Column("Shortest tolerable outage (hours)", _shortest, Kind.INTEGER, 11),
    Column("Least tolerant service", _least_name, Kind.TEXT, 24),
    Column("Services that stop", lambda i: "; ".join(map(service_line, i.services)), Kind.TEXT, 70),
    Column("Dependent suppliers", lambda i: len(i.dependents), Kind.INTEGER, 10),
    Column("Suppliers that fall with it", lambda i: "; ".join(dependent_text(i)), Kind.TEXT, 40),
    Column("Exit plans", exit_plans_text, Kind.TEXT, 30),
    Column("Next decide-by", next_decide_by, Kind.DATE, 13),
    Column(
        "Contracts and exit readiness",
        lambda i: "; ".join(contract_line(c, i) for c in i.contracts),
        Kind.TEXT,
        70,
    ),
    Column("Not recorded", lambda i: "; ".join(i.gaps), Kind.TEXT, 50),
    Column("Summary", lambda i: i.summary, Kind.TEXT, 70),
)
"""One row per strategic and high-criticality supplier, in the summary's priority order."""

CONCENTRATION_COLUMNS: Sequence[Column[tuple[int, ConcentrationRow]]] = (
    Column("Rank", lambda p: p[0], Kind.INTEGER, 6),
    Column("Kind", lambda p: p[1].kind.capitalize(), Kind.TEXT, 12),
    Column("Name", lambda p: p[1].name, Kind.TEXT, 30),
    Column(
        "Criticality",
        lambda p: p[1].criticality.label if p[1].criticality else None,
        Kind.TEXT,
        11,
    ),
    Column("Clinical services", lambda p: p[1].clinical_services, Kind.INTEGER, 9),
    Column("Services", lambda p: p[1].services, Kind.INTEGER, 9),
    Column("Own services", lambda p: p[1].direct_services, Kind.INTEGER, 9),
    Column("Dependent suppliers", lambda p: p[1].dependents, Kind.INTEGER, 10),
    Column("Depended on for", lambda p: concentration_kinds_cell(p[1]), Kind.TEXT, 22),
    Column("Clinical services named", lambda p: "; ".join(p[1].clinical_names), Kind.TEXT, 50),
    Column("Group members", lambda p: "; ".join(p[1].members), Kind.TEXT, 30),
)
"""The top rows of the concentration view, most clinical services first."""


def concentration_rows(section: ImpactSection) -> list[tuple[int, ConcentrationRow]]:
    return list(enumerate(section.concentration, start=1))


def left_out_text(section: ImpactSection) -> str | None:
    """What the section leaves out, and where it is."""
    if not section.left_out:
        return None
    n = section.left_out
    return (
        f"The impact of {n:,} more strategic or high-criticality supplier"
        f"{'s is' if n != 1 else ' is'} not shown here (the paper explains as many as its notes); "
        f"the spreadsheet and CSV exports list every one, and {WHERE_EVERY_IMPACT}."
    )


def concentration_left_out(section: ImpactSection) -> str | None:
    rest = section.concentration_total - len(section.concentration)
    if rest <= 0:
        return None
    return (
        f"{rest:,} more supplier{'s and groups carry' if rest != 1 else ' or group carries'} "
        "fewer services (the concentration view lists every one)."
    )


# ------------------------------------------------------------------ HTML


def _service_rows(impact: SupplierImpact) -> list[ET.Element]:
    bodies = []
    for s in impact.services:
        name: list[Child] = [h("strong", s.name)]
        if s.clinical:
            name += [" ", h("span", "clinical", class_="tag clinical")]
        outage: Child = (
            outage_cell(s)
            if s.max_outage_hours is not None
            else h("span", outage_cell(s), class_="muted")
        )
        fallback: Child = (
            h("span", fallback_cell(s), class_="overdue")
            if s.fallback is Fallback.NONE
            else h("span", fallback_cell(s), class_="muted")
            if s.fallback is Fallback.UNKNOWN
            else fallback_cell(s)
        )
        move: Child = (
            move_cell(s)
            if s.migration_lead_time_days is not None
            else h("span", move_cell(s), class_="muted")
        )
        bodies.append(
            h(
                "tbody",
                h(
                    "tr",
                    h("td", name, class_="name"),
                    h("td", outage, class_="nowrap"),
                    h("td", fallback),
                    h("td", route_cell(s)),
                    h("td", move, class_="nowrap"),
                    class_="main",
                ),
                h("tr", h("td", s.outlook, colspan=5, class_="outlook"), class_="sub"),
                class_="service",
            )
        )
    return bodies


def _exit_table(impact: SupplierImpact) -> ET.Element:
    rows = [
        h(
            "tr",
            h("td", contract_label(c, impact), class_="name"),
            h("td", substitutability_cell(c)),
            h(
                "td",
                exit_plan_cell(c),
                class_="overdue" if c.exit_plan is ExitPlan.NONE else None,
            ),
            h("td", alternatives_cell(c)),
            h("td", data_location_cell(c)),
            h("td", patient_data_cell(c)),
            h(
                "td",
                decide_by_cell(c),
                class_="nowrap overdue"
                if c.days_to_decide is not None and c.days_to_decide < 0
                else "nowrap",
            ),
        )
        for c in impact.contracts
    ]
    headers = [
        "Contract",
        "Substitutability",
        "Exit plan",
        "Alternatives",
        "Data held",
        "Patient data",
        "Decide by",
    ]
    return h(
        "table",
        h("thead", h("tr", [h("th", x) for x in headers])),
        h("tbody", rows),
        class_="impact-exit",
    )


def impact_block(impact: SupplierImpact) -> ET.Element:
    """One supplier's impact, for the board paper."""
    parts: list[Child] = [
        h("h3", impact.supplier, " ", h("span", impact.criticality.label, class_="crit-label")),
        h("p", impact.summary, class_="impact-summary"),
    ]
    if impact.services:
        headers = ["Service", "Can cope", "Fallback", "Route", "Time to move"]
        parts.append(
            h(
                "table",
                h("thead", h("tr", [h("th", x) for x in headers])),
                _service_rows(impact),
                class_="impact-services",
            )
        )
    fallen = dependent_text(impact)
    if fallen:
        parts.append(h("p", h("strong", "Falls with it: "), "; ".join(fallen), class_="fallen"))
    if impact.contracts:
        parts.append(_exit_table(impact))
    if impact.gaps:
        parts.append(h("p", "Not recorded: ", "; ".join(impact.gaps), class_="note"))
    return h("div", parts, class_="impact")


def concentration_table(section: ImpactSection) -> Child:
    if not section.concentration:
        return h("p", "No service is recorded against any current contract.", class_="muted")
    headers: list[tuple[str, str | None]] = [
        ("#", "num"),
        ("Supplier or group", None),
        ("Clinical", "num"),
        ("Services", "num"),
        ("Dependents", "num"),
        ("Depended on for", None),
        ("Clinical services", None),
    ]
    rows = [
        h(
            "tr",
            h("td", str(rank), class_="num"),
            h(
                "td",
                h("strong", row.name),
                [h("br"), h("span", "Group: " + ", ".join(row.members), class_="note")]
                if row.kind == "parent group"
                else [h("br"), h("span", row.criticality.label, class_="note")]
                if row.criticality
                else None,
                class_="name",
            ),
            h("td", str(row.clinical_services), class_="num"),
            h("td", str(row.services), class_="num"),
            h("td", str(row.dependents), class_="num"),
            h("td", concentration_kinds_cell(row)),
            h("td", ", ".join(row.clinical_names)),
        )
        for rank, row in concentration_rows(section)
    ]
    return h(
        "table",
        h("thead", h("tr", [h("th", text, class_=cls) for text, cls in headers])),
        h("tbody", rows),
        class_="concentration",
    )


def impact_html(section: ImpactSection) -> list[Child]:
    """The board paper's service impact section."""
    left_out = left_out_text(section)
    more = concentration_left_out(section)
    return [
        h("h2", "Service impact", class_="page-break"),
        h("p", IMPACT_INTRO, class_="note"),
        h("p", left_out, class_="notes-left-out") if left_out else None,
        [impact_block(i) for i in section.impacts]
        if section.impacts
        else h("p", "No strategic or high-criticality suppliers.", class_="muted"),
        h("h3", "Where services are concentrated", class_="concentration-head"),
        h("p", CONCENTRATION_INTRO, class_="note"),
        concentration_table(section),
        h("p", more, class_="note") if more else None,
    ]


# -------------------------------------------------------------- Markdown


def impact_section_markdown(section: ImpactSection) -> list[str]:
    """The Markdown paper's service impact section, as lines (all user text escaped).

    Each supplier's impact is :func:`~supplier_register.reports.impact_md.impact_markdown`, the
    CLI's ``impact --format md``, one heading level down."""
    out = ["## Service impact", "", md_escape(IMPACT_INTRO), ""]
    left_out = left_out_text(section)
    if left_out:
        out += [f"*{md_escape(left_out)}*", ""]
    if not section.impacts:
        out += ["No strategic or high-criticality suppliers.", ""]
    for impact in section.impacts:
        out += [supplier_markdown(impact, level=3)]
    out += ["### Where services are concentrated", "", md_escape(CONCENTRATION_INTRO), ""]
    if not section.concentration:
        out += ["No service is recorded against any current contract.", ""]
    else:
        out += md_table(
            [
                "#",
                "Supplier or group",
                "Clinical",
                "Services",
                "Dependents",
                "Depended on for",
                "Members",
                "Clinical services",
            ],
            [
                [
                    str(rank),
                    md_escape(concentration_name_cell(row)),
                    str(row.clinical_services),
                    str(row.services),
                    str(row.dependents),
                    md_escape(concentration_kinds_cell(row)),
                    md_escape(", ".join(row.members)),
                    md_escape(", ".join(row.clinical_names)),
                ]
                for rank, row in concentration_rows(section)
            ],
            "rlrrrlll",
        )
        out.append("")
    more = concentration_left_out(section)
    if more:
        out += [f"*{md_escape(more)}*", ""]
    return out
