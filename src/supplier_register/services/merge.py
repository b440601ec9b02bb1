"""Near-duplicate suppliers and merging two into one (used by the CLI and the TUI).

Names alone never merge two suppliers: :func:`duplicate_pairs` lists the pairs
whose names nearly match (``importers.names.near_duplicate``, the rule every
import preview uses for "possible duplicate of ..."), and the user decides with
:func:`merge`, which moves everything of one to the other in one transaction
(``storage.merge``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from supplier_register.domain.errors import NotFound, RegisterError
from supplier_register.domain.models import SupplierRecord
from supplier_register.importers.names import NameIndex, near_duplicate, possible_duplicates
from supplier_register.services.register_view import repository
from supplier_register.storage import Repository
from supplier_register.storage.merge import MergePlan

__all__ = [
    "MergePlan",
    "candidates",
    "duplicate_pairs",
    "find",
    "merge",
    "merge_as_previewed",
    "preview",
    "read_candidates",
    "read_preview",
]


def duplicate_pairs(repo: Repository) -> list[tuple[SupplierRecord, SupplierRecord]]:
    """Every pair of suppliers whose names nearly match, in name order."""
    suppliers = repo.list_suppliers()
    by_name = {s.name: s for s in suppliers}
    return [(by_name[a], by_name[b]) for a, b in possible_duplicates(by_name)]


def candidates(repo: Repository, supplier_id: int) -> list[tuple[SupplierRecord, bool]]:
    """The other suppliers, to merge with ``supplier_id``: possible duplicates first (flagged
    True), then the rest by name."""
    suppliers = repo.list_suppliers()
    this = next((s for s in suppliers if s.id == supplier_id), None)
    if this is None:
        raise NotFound(f"supplier: no supplier with id {supplier_id} (deleted by someone else?)")
    others = [s for s in suppliers if s.id != supplier_id]
    similar = set(NameIndex(s.name for s in others).similar(this.name))
    near = [s for s in others if s.name in similar or near_duplicate(s.name, this.name)]
    rest = [s for s in others if s not in near]
    return [(s, True) for s in near] + [(s, False) for s in rest]


def find(repo: Repository, text: str, role: str) -> SupplierRecord:
    """The supplier named ``text`` (case-insensitive), else the one with that id (``12`` or
    ``#12``); ``role`` names the argument in the error."""
    wanted = text.strip()
    try:
        return repo.find_supplier(wanted)
    except NotFound:
        digits = wanted.removeprefix("#")
        if digits.isascii() and digits.isdigit() and len(digits) <= 18:
            try:
                return repo.get_supplier(int(digits))
            except NotFound:
                pass
    raise NotFound(f"{role}: no supplier named {wanted!r} (nor with that id) in the register")


def preview(
    repo: Repository, keep: SupplierRecord, drop: SupplierRecord, today: dt.date
) -> MergePlan:
    """What merging ``drop`` into ``keep`` would move; refused in one line when it cannot be."""
    return repo.plan_merge(keep.id, drop.id, today)


def merge(
    repo: Repository,
    keep: SupplierRecord,
    drop: SupplierRecord,
    today: dt.date,
) -> MergePlan:
    """Merge ``drop`` into ``keep`` as the caller saw them (their versions are checked)."""
    return repo.merge_suppliers(
        keep.id, drop.id, today, keep_version=keep.version, drop_version=drop.version
    )


# --- for the TUI: reads in a worker, each on its own connection ------------------------------


def read_candidates(db_path: Path, supplier_id: int) -> list[tuple[SupplierRecord, bool]]:
    """:func:`candidates`, read from the register at ``db_path`` (``[]``: the supplier is gone)."""
    with repository(db_path) as repo:
        try:
            return candidates(repo, supplier_id)
        except NotFound:
            return []


def read_preview(db_path: Path, keep_id: int, drop_id: int, today: dt.date) -> MergePlan | str:
    """What merging ``drop_id`` into ``keep_id`` would move, or the one line refusing it."""
    with repository(db_path) as repo:
        try:
            return repo.plan_merge(keep_id, drop_id, today)
        except RegisterError as exc:
            return exc.message


def merge_as_previewed(repo: Repository, plan: MergePlan, today: dt.date) -> MergePlan:
    """Merge as ``plan`` showed it: either supplier changed since is refused (StaleRecord)."""
    return repo.merge_suppliers(
        plan.keep_id,
        plan.drop_id,
        today,
        keep_version=plan.keep_version,
        drop_version=plan.drop_version,
    )
