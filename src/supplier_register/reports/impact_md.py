"""The impact view and the concentration view as Markdown sections, ready for a board paper.

GitHub-flavoured Markdown; every user text (names, titles, reasons, the sentences that
quote them) goes through :func:`~supplier_register.reports.mdtext.md_escape`.
"""

from __future__ import annotations

from collections.abc import Sequence

from supplier_register.impact.cells import (
    alternatives_cell,
    concentration_kinds_cell,
    concentration_name_cell,
    data_location_cell,
    date_cell,
    days_left_cell,
    end_cell,
    exit_plan_cell,
    fallback_cell,
    insourcing_cell,
    kinds_cell,
    move_cell,
    outage_cell,
    path_cell,
    patient_data_cell,
    route_cell,
    substitutability_cell,
)
from supplier_register.impact.model import ConcentrationRow, ServiceImpact, SupplierImpact
from supplier_register.reports.mdtext import md_escape, md_table
from supplier_register.scoring.text import long_date


def impact_markdown(impact: SupplierImpact, level: int = 2) -> str:
    """If ``impact.supplier`` failed: a section with its summary, the services that stop (clinical
    first, each with its outlook), who falls with it, its own dependencies, the contracts and
    their exit state, and what is not recorded.  ``level`` is the heading level of the section."""
    h = "#" * level
    sub = "#" * (level + 1)
    e = md_escape
    out = [
        f"{h} If {e(impact.supplier)} failed: impact on {long_date(impact.today)}",
        "",
        f"{impact.criticality.label} criticality. {e(impact.summary)}",
        "",
    ]
    out += [f"{sub} Services that stop", ""]
    if impact.services:
        out += md_table(
            ["Service", "Clinical", "Can cope", "Fallback", "Route", "Time to move"],
            [
                [
                    e(s.name),
                    "yes" if s.clinical else "no",
                    e(outage_cell(s)),
                    e(fallback_cell(s)),
                    e(route_cell(s)),
                    e(move_cell(s)),
                ]
                for s in impact.services
            ],
        )
        out.append("")
        out += [_outlook_bullet(s) for s in impact.services]
    else:
        out.append("No service is recorded as depending on it.")
    out.append("")

    out += [f"{sub} Suppliers that fall with it", ""]
    if impact.dependents:
        out += md_table(
            ["Supplier", "Criticality", "Path", "Dependency kinds", "Services"],
            [
                [
                    e(d.supplier),
                    d.criticality.label,
                    e(path_cell(d)),
                    e(kinds_cell(d)),
                    str(d.services),
                ]
                for d in impact.dependents
            ],
            "llllr",
        )
    else:
        out.append("No supplier is recorded as depending on it.")
    out.append("")

    out += [f"{sub} What it depends on", ""]
    if impact.depends_on:
        out += md_table(
            ["Depends on", "Kind", "Note"],
            [[e(d.depends_on), d.kind.label, e(d.note)] for d in impact.depends_on],
        )
    else:
        out.append("No dependency of its own is recorded.")
    out.append("")

    out += [f"{sub} Contracts and exit readiness", ""]
    if impact.contracts:
        out += md_table(
            [
                "Supplier",
                "Contract",
                "Ends",
                "Decide by",
                "Days left",
                "Substitutability",
                "In-house",
                "Exit plan",
                "Alternatives",
                "Data held",
                "Patient data",
            ],
            [
                [
                    e(c.supplier),
                    e(c.title),
                    e(end_cell(c)),
                    e(date_cell(c.decide_by)),
                    e(days_left_cell(c)),
                    e(substitutability_cell(c)),
                    e(insourcing_cell(c)),
                    e(exit_plan_cell(c)),
                    e(alternatives_cell(c)),
                    e(data_location_cell(c)),
                    e(patient_data_cell(c)),
                ]
                for c in impact.contracts
            ],
        )
    else:
        out.append("No current contract is involved.")
    out.append("")

    out += [f"{sub} Not recorded", ""]
    if impact.gaps:
        out += [f"- {e(gap)}" for gap in impact.gaps]
    else:
        out.append("Everything the impact view needs is recorded.")
    out.append("")
    return "\n".join(out)


def _outlook_bullet(service: ServiceImpact) -> str:
    """'- **ED triage** can cope 2 hours without it; ...': the name once, in bold."""
    e = md_escape
    rest = service.outlook.removeprefix(service.name)
    if rest != service.outlook and rest[:1] == " ":
        return f"- **{e(service.name)}** {e(rest.lstrip())}"
    return f"- **{e(service.name)}**: {e(service.outlook)}"


def concentration_markdown(rows: Sequence[ConcentrationRow], level: int = 2) -> str:
    """Which suppliers and parent groups carry the most services, most clinical first."""
    h = "#" * level
    e = md_escape
    out = [f"{h} Concentration: which suppliers carry the most services", ""]
    if not rows:
        out += ["No service is recorded against any current contract.", ""]
        return "\n".join(out)
    out += md_table(
        [
            "Supplier or group",
            "Criticality",
            "Clinical services",
            "Services",
            "Own services",
            "Dependents",
            "Depended on for",
            "Members",
            "Clinical services named",
        ],
        [
            [
                e(concentration_name_cell(r)),
                r.criticality.label if r.criticality is not None else "",
                str(r.clinical_services),
                str(r.services),
                str(r.direct_services),
                str(r.dependents),
                e(concentration_kinds_cell(r)),
                e(", ".join(r.members)),
                e(", ".join(r.clinical_names)),
            ]
            for r in rows
        ],
        "llrrrrlll",
    )
    out.append("")
    return "\n".join(out)
