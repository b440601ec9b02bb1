"""The import preview and result as lines of plain text, for the CLI and the TUI."""

from __future__ import annotations

from supplier_register.importers.plan import Action, ImportPlan, RecordKind

_KINDS: tuple[tuple[RecordKind, str], ...] = (
    ("supplier", "suppliers"),
    ("contract", "contracts"),
    ("person", "people"),
)


def _counts(plan: ImportPlan, action: Action) -> str:
    parts = [
        f"{plan.count(kind, action)} {plural}"
        for kind, plural in _KINDS
        if plan.count(kind, action)
    ]
    return ", ".join(parts) or "nothing"


def summary_lines(plan: ImportPlan, *, applied: bool) -> list[str]:
    """The headline: what is (or would be) created, updated, unchanged and rejected."""
    verb = "" if applied else "would be "
    unit = "rows" if plan.source_kind == "spreadsheet" else "awards/contracts"
    rejected = plan.rejected_locations
    lines = [
        f"{plan.source}: {plan.items_read} {unit} read",
        f"  {verb}created: {_counts(plan, 'create')}",
        f"  {verb}updated: {_counts(plan, 'update')}",
        f"  unchanged: {_counts(plan, 'unchanged')}",
        f"  rejected: {len(rejected)} {unit if len(rejected) != 1 else unit[:-1]}"
        + (" (not imported; listed below)" if rejected else ""),
    ]
    return lines


def plan_lines(plan: ImportPlan, *, applied: bool = False, details: bool = True) -> list[str]:
    """The whole preview (or result): columns, changes, every rejection, warnings."""
    lines = summary_lines(plan, applied=applied)
    if plan.columns:
        lines.append("Columns used:")
        lines += [f"  {c}" for c in plan.columns]
    if plan.unmatched_columns:
        lines.append("Columns not imported (no matching field; use --mapping to map them):")
        lines += [f"  {c}" for c in plan.unmatched_columns]
    changes = [c for c in plan.changes if c.action != "unchanged"]
    if details and changes:
        lines.append("Changes:" if applied else "Would change:")
        lines += [f"  {c.line()}" for c in changes]
    if plan.rejections:
        lines.append("Rejected (not imported):")
        lines += [f"  {r.line()}" for r in plan.rejections]
    if plan.skipped:
        lines.append("Skipped:")
        lines += [f"  {s}" for s in plan.skipped]
    if plan.warnings:
        lines.append("Notes:")
        lines += [f"  {w}" for w in plan.warnings]
    return lines


def outcome_line(plan: ImportPlan, *, applied: bool, strict: bool = False) -> str:
    """The closing sentence: what happened to the database."""
    rejected = len(plan.rejected_locations)
    if not applied:
        if rejected and strict:
            return "Dry run: nothing written. With --strict the import would be refused."
        if rejected:
            return (
                f"Dry run: nothing written. An import would skip the {rejected} rejected "
                "and write everything else in one transaction (all or nothing)."
            )
        return "Dry run: nothing written."
    if not plan.has_writes:
        return "Nothing to write: the register already holds this data."
    if rejected:
        return (
            f"Written in one transaction; the {rejected} rejected were skipped "
            "(fix them and import the file again: the rest will show as unchanged)."
        )
    return "Written in one transaction."
