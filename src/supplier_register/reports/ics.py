"""The ICS view as a JSON document and as Markdown (``ics --format json|md``).

Pure: both take the :class:`~supplier_register.ics.analysis.IcsView` built by
``services.ics.ics_view``.  By default they cover the suppliers two or more trusts use
(``every_supplier`` adds those only one trust uses); the counts always cover all of them.

The JSON document (``format`` ``supplier-register-ics``, ``format_version`` 1) is stable:
keys are only ever added.  Unknown facts are ``null`` ("not shared"), never 0 or false::

    {"format", "format_version", "today", "window_months", "window_rule",
     "files": [{"file", "trust", "exported_by", "exported_at", "as_of", "redacted",
                "suppliers", "contracts"}],
     "warnings": [...],
     "summary": {"trusts", "suppliers", "shared_suppliers", "with_joint_window"},
     "suppliers": [{"name", "names", "company_numbers", "trusts",
                    "uses": [{"trust", "name", "criticality", "score", "band",
                              "next_decide_by"}],
                    "joint_windows": [{"start", "end", "trusts",
                                       "contracts": [{"trust", "title", "decide_by"}]}],
                    "timeline": [{"trust", "supplier", "title", "end_date", "decide_by",
                                  "decide_by_passed", "gap"}],
                    "gaps": [...]}]}

``suppliers`` is in the view's order: those with a joint window first, the soonest
first; then by the number of trusts using them, most first; then by name.
"""

from __future__ import annotations

import json
from typing import Any

from supplier_register.ics.analysis import WINDOW_MONTHS, IcsView, MatchedSupplier
from supplier_register.ics.text import (
    WINDOW_RULE,
    criticality_text,
    decide_by_text,
    end_text,
    file_name,
    score_text,
    summary_text,
    window_text,
)
from supplier_register.reports.mdtext import md_escape, md_table
from supplier_register.scoring.text import plural

ICS_FORMAT = "supplier-register-ics"
ICS_FORMAT_VERSION = 1


def _day(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _listed(view: IcsView, every_supplier: bool) -> tuple[MatchedSupplier, ...]:
    return view.suppliers if every_supplier else view.shared


def _supplier_json(supplier: MatchedSupplier) -> dict[str, Any]:
    return {
        "name": supplier.name,
        "names": list(supplier.names),
        "company_numbers": list(supplier.company_numbers),
        "trusts": list(supplier.trusts),
        "uses": [
            {
                "trust": use.trust,
                "name": use.name,
                "criticality": use.criticality,
                "score": use.score,
                "band": use.band,
                "next_decide_by": _day(use.next_decide_by),
            }
            for use in supplier.uses
        ],
        "joint_windows": [
            {
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "trusts": list(w.trusts),
                "contracts": [
                    {"trust": c.trust, "title": c.title, "decide_by": _day(c.decide_by)}
                    for c in w.contracts
                ],
            }
            for w in supplier.windows
        ],
        "timeline": [
            {
                "trust": c.trust,
                "supplier": c.supplier,
                "title": c.title,
                "end_date": _day(c.end_date),
                "decide_by": _day(c.decide_by),
                "decide_by_passed": c.passed,
                "gap": c.gap,
            }
            for c in supplier.timeline
        ],
        "gaps": list(supplier.gaps),
    }


def ics_document(view: IcsView, *, every_supplier: bool = False) -> dict[str, Any]:
    """The ICS view as a JSON-ready document (see the module's docstring)."""
    return {
        "format": ICS_FORMAT,
        "format_version": ICS_FORMAT_VERSION,
        "today": view.today.isoformat(),
        "window_months": WINDOW_MONTHS,
        "window_rule": WINDOW_RULE,
        "files": [
            {
                "file": f.label,
                "trust": f.trust,
                "exported_by": f.exported_by,
                "exported_at": f.exported_at.isoformat(timespec="seconds"),
                "as_of": f.as_of.isoformat(),
                "redacted": list(f.redacted),
                "suppliers": f.suppliers,
                "contracts": f.contracts,
            }
            for f in view.files
        ],
        "warnings": list(view.warnings),
        "summary": {
            "trusts": len(view.files),
            "suppliers": len(view.suppliers),
            "shared_suppliers": len(view.shared),
            "with_joint_window": len(view.with_windows),
        },
        "suppliers": [_supplier_json(s) for s in _listed(view, every_supplier)],
    }


def ics_json(view: IcsView, *, every_supplier: bool = False) -> str:
    """:func:`ics_document` as indented JSON text."""
    document = ics_document(view, every_supplier=every_supplier)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def ics_markdown(view: IcsView, *, every_supplier: bool = False) -> str:
    """The ICS view as a Markdown paper: the files, the joint windows, then each supplier with
    its trusts, its timeline of contracts and its data gaps.  Every user text is escaped."""
    e = md_escape
    out = [
        f"# ICS view of shared supplier registers on {view.today.isoformat()}",
        "",
        e(summary_text(view)) + ".",
        "",
        e(WINDOW_RULE),
        "",
        "## Shared files",
        "",
    ]
    out += md_table(
        ["Trust", "File", "Exported by", "Exported at", "As of", "Redacted"],
        [
            [
                e(f.trust),
                e(file_name(f.label)),
                e(f.exported_by),
                f.exported_at.isoformat(timespec="seconds"),
                f.as_of.isoformat(),
                e(", ".join(f.redacted)) or "nothing",
            ]
            for f in view.files
        ],
    )
    if view.warnings:
        out += ["", *(f"- {e(w)}" for w in view.warnings)]
    out += ["", "## Joint-procurement windows", ""]
    if view.with_windows:
        out += md_table(
            ["Supplier", "Window", "Trusts deciding", "Trusts using"],
            [
                [
                    e(s.name),
                    e(w.start.isoformat()) + " to " + e(w.end.isoformat()),
                    e(", ".join(w.trusts)),
                    str(len(s.trusts)),
                ]
                for s, w in sorted(
                    ((s, w) for s in view.with_windows for w in s.windows),
                    key=lambda o: (o[1].start, o[0].name.casefold(), o[1].end),
                )
            ],
            "lllr",
        )
    else:
        out.append(
            "No two trusts decide about the same supplier within "
            f"{WINDOW_MONTHS} months of each other."
        )
    listed = _listed(view, every_supplier)
    title = "Every supplier" if every_supplier else "Suppliers used by two or more trusts"
    out += ["", f"## {title}", ""]
    if not listed:
        out.append("None.")
    for supplier in listed:
        out += _supplier_markdown(supplier)
    return "\n".join(out).rstrip("\n") + "\n"


def _supplier_markdown(supplier: MatchedSupplier) -> list[str]:
    e = md_escape
    out = [f"### {e(supplier.name)}", ""]
    facts = [f"Used by {plural(len(supplier.trusts), 'trust')}"]
    if len(supplier.names) > 1:
        facts.append("recorded as " + ", ".join(e(n) for n in supplier.names))
    if supplier.company_numbers:
        facts.append("company number " + ", ".join(e(n) for n in supplier.company_numbers))
    out += ["; ".join(facts) + ".", ""]
    for window in supplier.windows:
        out.append(f"- **Joint window:** {e(window_text(window))}")
    if supplier.windows:
        out.append("")
    out += md_table(
        ["Trust", "Criticality", "Score (band)"],
        [[e(u.trust), e(criticality_text(u)), e(score_text(u))] for u in supplier.uses],
    )
    timeline = supplier.timeline
    if timeline:
        out += [""]
        out += md_table(
            ["Decide by", "Trust", "Contract", "End date"],
            [[e(decide_by_text(c)), e(c.trust), e(c.title), e(end_text(c))] for c in timeline],
        )
    gaps = supplier.gaps
    if gaps:
        out += ["", "Data gaps:", "", *(f"- {e(g)}" for g in gaps)]
    out.append("")
    return out
