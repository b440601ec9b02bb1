"""One trust's shared register as read for the ICS view: frozen value types, no behaviour.

Every optional fact is ``None`` when the file does not give it (redacted by the sharing
trust's policy, or never recorded): "not shared", never zero, "no" or an empty list
presented as a fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SharedContract:
    """A contract as a partner trust shared it."""

    supplier: str
    title: str
    what_is_bought: str | None
    procurement_route: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    notice_period_days: int | None
    auto_renewal: bool | None
    migration_lead_time_days: int | None
    decide_by: dt.date | None


@dataclass(frozen=True, slots=True)
class SharedSupplier:
    """A supplier as a partner trust shared it, with that trust's score and band."""

    name: str
    company_number: str | None
    identifiers: tuple[str, ...] | None
    category: str | None
    criticality: str | None
    sme: bool | None
    parent_group: str | None
    shared_with: tuple[str, ...] | None
    score: int | None
    band: str | None
    next_decide_by: dt.date | None


@dataclass(frozen=True, slots=True)
class SharedFile:
    """One trust's shared file: who shared it, when, under which policy, and its records.

    ``trust`` is ``None`` when the exporting register has no trust name; ``label`` is how
    messages and views name the file (its path as given).
    """

    label: str
    trust: str | None
    exported_by: str
    exported_at: dt.datetime
    as_of: dt.date
    redacted: tuple[str, ...]
    suppliers: tuple[SharedSupplier, ...]
    contracts: tuple[SharedContract, ...]

    @property
    def trust_name(self) -> str:
        """The trust as views name it: its own name, or the file's when the file gives none."""
        return self.trust if self.trust is not None else f"Unnamed trust ({self.label})"


def positional_maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen, slotted dataclass ``cls`` taking every field in order, about
    twice as fast as its own ``__init__``, for values already checked.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` looked
    up by name, which is most of the cost of reading a national pool of shared files (a
    quarter of a million records).  This one sets each slot through its descriptor, bound
    once; the instance is the same (equal, hashable, still frozen).  Generated as
    ``dataclasses`` generates ``__init__``.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    body = ["    self = _new(_cls)"]
    for i, name in enumerate(names):
        namespace[f"_set{i}"] = getattr(cls, name).__set__
        body.append(f"    _set{i}(self, v{i})")
    params = ", ".join(f"v{i}" for i in range(len(names)))
    source = f"def make({params}):\n" + "\n".join(body) + "\n    return self\n"
    exec(source, namespace)  # generated from the field names only
    maker: Callable[..., T] = namespace["make"]
    return maker


make_contract = positional_maker(SharedContract)
"""``SharedContract(...)`` with every field in order, for the reader's checked rows."""
make_supplier = positional_maker(SharedSupplier)
"""``SharedSupplier(...)`` with every field in order, for the reader's checked rows."""
