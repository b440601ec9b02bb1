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


def summary_lines(plan: ImportPlan, *, applied: bool = False) -> list[str]:
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


def plan_lines(
    plan: ImportPlan,
    *,
    applied: bool = False,
    details: bool = True,
    problems_first: bool = False,
    mapping_hint: str = "use --mapping to map them",
) -> list[str]:
    """The whole preview (or result): summary, columns, changes, every rejection, notes.

    With ``problems_first`` the rejections and notes come straight after the
    summary (for a screen read from the top); otherwise they come last (for a
    terminal, where the end stays in view).
    """
    columns: list[str] = []
    if plan.columns:
        columns.append("Columns used:")
        columns += [f"  {c}" for c in plan.columns]
    if plan.unmatched_columns:
        columns.append(f"Columns not imported (no matching field; {mapping_hint}):")
        columns += [f"  {c}" for c in plan.unmatched_columns]
    changes: list[str] = []
    changed = [c for c in plan.changes if c.action != "unchanged"]
    if details and changed:
        changes.append("Changes:" if applied else "Would change:")
        for change in changed:
            changes.append(f"  {change.line()}")
            changes += [f"      {reading}" for reading in change.readings]
    problems: list[str] = []
    if plan.rejections:
        problems.append("Rejected (not imported):")
        problems += [f"  {r.line()}" for r in plan.rejections]
    if plan.skipped:
        problems.append("Skipped:")
        problems += [f"  {s}" for s in plan.skipped]
    if plan.duplicates:
        problems.append(
            "Possible duplicates (new suppliers, not merged: names alone never merge two "
            "suppliers; if one is the same organisation, run `supplier merge KEEP DROP`):"
        )
        problems += [f"  {d}" for d in plan.duplicates]
    if plan.warnings:
        problems.append("Notes:")
        problems += [f"  {w}" for w in plan.warnings]
    body = problems + columns + changes if problems_first else columns + changes + problems
    return summary_lines(plan, applied=applied) + body


def outcome_line(
    plan: ImportPlan, *, applied: bool, strict: bool = False, recorded: int = 0
) -> str:
    """The closing sentence: what happened to the database.

    ``recorded``: provenance entries and supplier identifiers the import wrote,
    so an import that changed no record but recorded where records came from
    does not say it wrote nothing.
    """
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
    if not plan.has_writes and recorded:
        return (
            "No record changed; where the records came from was recorded "
            f"({recorded} {'row' if recorded == 1 else 'rows'} of provenance and identifiers), "
            "in one transaction."
        )
    if not plan.has_writes:
        return "Nothing to write: the register already holds this data."
    if rejected:
        return (
            f"Written in one transaction; the {rejected} rejected were skipped "
            "(fix them and import the file again: the rest will show as unchanged)."
        )
    return "Written in one transaction."
