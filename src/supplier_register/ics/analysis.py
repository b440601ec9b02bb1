"""Suppliers matched across trusts' shared files, and the windows in which they could buy together.

:func:`line_up` takes the shared files already read (:mod:`.model`) and ``today``, and
gives the :class:`IcsView`: per supplier, the trusts that use it, each trust's
criticality, score and band, its contracts' end and decide-by dates, the data gaps, and
the joint-procurement windows (see :func:`joint_windows` for the rule).  Nothing is read
or written here; the files are never merged into anybody's register.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from supplier_register.domain.bounds import add_months
from supplier_register.domain.errors import BadFile
from supplier_register.ics.model import (
    SharedContract,
    SharedFile,
    SharedSupplier,
    positional_maker,
)
from supplier_register.importers.names import normalise_name

WINDOW_MONTHS = 6
"""Two trusts' decide-by dates this many calendar months apart or less make a joint window."""


@dataclass(frozen=True, slots=True)
class ContractLine:
    """One trust's contract with the supplier, on the ICS timeline."""

    trust: str
    supplier: str
    """The supplier's name as this trust records it."""
    title: str
    end_date: dt.date | None
    decide_by: dt.date | None
    passed: bool
    """The decide-by date is before ``today``: shown, never counted in a window."""

    @property
    def gap(self) -> str | None:
        """What the timeline lacks for this contract, in words; ``None`` when nothing."""
        if self.end_date is None:
            return "end date not recorded"
        if self.decide_by is None:
            return "decide-by not shared"
        return None


_make_line = positional_maker(ContractLine)


@dataclass(frozen=True, slots=True)
class TrustUse:
    """One trust's record of the supplier: how critical it is to them and how they scored it.

    Holds the record as read; its contracts become timeline lines when asked for (a pool
    of 200 trusts has tens of thousands of suppliers nobody else uses, rarely looked at).
    """

    trust: str
    supplier: SharedSupplier
    shared_contracts: tuple[SharedContract, ...]
    today: dt.date

    @property
    def name(self) -> str:
        """The supplier's name as this trust records it."""
        return self.supplier.name

    @property
    def criticality(self) -> str | None:
        return self.supplier.criticality

    @property
    def score(self) -> int | None:
        return self.supplier.score

    @property
    def band(self) -> str | None:
        return self.supplier.band

    @property
    def next_decide_by(self) -> dt.date | None:
        return self.supplier.next_decide_by

    @property
    def contracts(self) -> tuple[ContractLine, ...]:
        """This trust's contracts with the supplier, as timeline lines (in the file's order)."""
        trust, name, today = self.trust, self.supplier.name, self.today
        return tuple(
            [
                _make_line(
                    trust,
                    name,
                    c.title,
                    c.end_date,
                    c.decide_by,
                    c.decide_by is not None and c.decide_by < today,
                )
                for c in self.shared_contracts
            ]
        )


@dataclass(frozen=True, slots=True)
class JointWindow:
    """Two or more trusts that must decide about the supplier within six months of each other."""

    start: dt.date
    """The earliest decide-by date in the window."""
    end: dt.date
    """The latest decide-by date in the window (at most six months after ``start``)."""
    trusts: tuple[str, ...]
    contracts: tuple[ContractLine, ...]


@dataclass(frozen=True, slots=True)
class MatchedSupplier:
    """One supplier as every trust that shared it records it."""

    name: str
    """The spelling most trusts use (the first in alphabetical order on a tie)."""
    names: tuple[str, ...]
    company_numbers: tuple[str, ...]
    trusts: tuple[str, ...]
    uses: tuple[TrustUse, ...]
    windows: tuple[JointWindow, ...]

    @property
    def gaps(self) -> tuple[str, ...]:
        """Data gaps, one line each ('Trust B: “EPR” end date not recorded')."""
        gaps: list[str] = []
        for use in self.uses:
            if not use.contracts:
                gaps.append(f"{use.trust}: no contract in the shared file")
            for line in use.contracts:
                gap = line.gap
                if gap is not None:
                    gaps.append(f"{use.trust}: “{line.title}” {gap}")
        return tuple(gaps)

    @property
    def timeline(self) -> tuple[ContractLine, ...]:
        """Every trust's contracts by decide-by date (unknown dates last), then trust."""
        lines = [c for use in self.uses for c in use.contracts]
        return tuple(
            sorted(
                lines,
                key=lambda c: (
                    c.decide_by is None,
                    c.decide_by or dt.date.max,
                    c.trust.casefold(),
                    c.title.casefold(),
                ),
            )
        )


@dataclass(frozen=True, slots=True)
class SharedFileSummary:
    """A file the view was built from: whose, who exported it, when, and what was redacted."""

    label: str
    trust: str
    exported_by: str
    exported_at: dt.datetime
    as_of: dt.date
    redacted: tuple[str, ...]
    suppliers: int
    contracts: int


@dataclass(frozen=True, slots=True)
class IcsView:
    """The ICS view: every supplier of every file, matched, joint windows soonest first."""

    today: dt.date
    files: tuple[SharedFileSummary, ...]
    suppliers: tuple[MatchedSupplier, ...]
    warnings: tuple[str, ...]

    @property
    def trusts(self) -> tuple[str, ...]:
        return tuple(f.trust for f in self.files)

    @property
    def shared(self) -> tuple[MatchedSupplier, ...]:
        """The suppliers two or more trusts use, in the view's order."""
        return tuple(s for s in self.suppliers if len(s.trusts) > 1)

    @property
    def with_windows(self) -> tuple[MatchedSupplier, ...]:
        return tuple(s for s in self.suppliers if s.windows)


def one_file_per_trust(files: Sequence[SharedFile]) -> tuple[list[SharedFile], list[str]]:
    """The files to line up, one per trust, and a warning for each file left out.

    Two files from the same trust (the trust's name, ignoring case and spacing) are two
    exports of one register: the one exported later is kept and the other named in a
    warning.  Two exported at the same second cannot be told apart and are refused in one
    line.  Files without a trust name are never taken for one another.
    """
    kept: dict[str, SharedFile] = {}
    warnings: list[str] = []
    for file in files:
        if file.trust is None:
            kept[f"\0{len(kept)}"] = file
            continue
        key = " ".join(file.trust.casefold().split())
        other = kept.get(key)
        if other is None:
            kept[key] = file
            continue
        if other.exported_at == file.exported_at:
            raise BadFile(
                f"{file.label}: shared by {file.trust} at the same time as {other.label} "
                f"({file.exported_at.isoformat()}); keep one of the two files"
            )
        newer, older = (file, other) if file.exported_at > other.exported_at else (other, file)
        kept[key] = newer
        warnings.append(
            f"{older.label}: an older export of {file.trust} than {newer.label}; left out"
        )
    return list(kept.values()), warnings


def joint_windows(lines: Iterable[ContractLine], today: dt.date) -> tuple[JointWindow, ...]:
    """The joint-procurement windows among one supplier's contracts across trusts.

    The rule: only decide-by dates on or after ``today`` count (a date already passed is
    shown on the timeline as passed, but nobody can plan a joint decision for it), and
    unknown ones never do.  Taking those dates in order, a window starts at the earliest
    date from which the dates up to :data:`WINDOW_MONTHS` calendar months later
    (inclusive: 31 January to 31 July, 31 August to the end of February) belong to two or more
    *different* trusts; it holds every date in that span and runs from its earliest to
    its latest date, so every two dates in a window are at most six months apart.  The
    next window is looked for among the dates after it.  A date after a window that no later
    date of another trust follows closely enough, but that falls within six months of an
    earlier date of another trust, is not left out: its window starts at the earliest such
    date, so two windows may share a trust (Riverside and Hillside by March, Hillside and
    Lakeside by August).  So a decide-by date within six months of another trust's is always
    in a window, and a date in a window always has another trust's within six months.  One
    trust's several contracts never make a window by themselves.
    """
    points = sorted(
        (c for c in lines if c.decide_by is not None and c.decide_by >= today),
        key=lambda c: (c.decide_by, c.trust.casefold(), c.title.casefold()),
    )
    days = [c.decide_by or dt.date.max for c in points]
    windows: list[JointWindow] = []

    def span(i: int) -> int:
        """The end (exclusive) of the dates within six months from ``points[i]``."""
        limit = add_months(days[i], WINDOW_MONTHS)
        j = i
        while j < len(points) and days[j] <= limit:
            j += 1
        return j

    def keep(i: int, j: int) -> bool:
        members = points[i:j]
        trusts = sorted({c.trust for c in members}, key=str.casefold)
        if len(trusts) < 2:
            return False
        windows.append(JointWindow(days[i], days[j - 1], tuple(trusts), tuple(members)))
        return True

    i = 0
    covered = 0  # points before this index are in a window already
    while i < len(points):
        j = span(i)
        if keep(i, j):
            covered = i = j
            continue
        if i >= covered:
            # Nothing later pairs with this date: an earlier date of another trust may.
            partner = next(
                (
                    k
                    for k in range(covered)
                    if points[k].trust != points[i].trust
                    and add_months(days[k], WINDOW_MONTHS) >= days[i]
                ),
                None,
            )
            if partner is not None:
                j = span(partner)
                keep(partner, j)
                covered = i = j
                continue
        i += 1
    return tuple(windows)


def _company_key(number: str) -> str:
    """``GB-COH-<number>``: spaces and case ignored, a ``GB-COH-`` already written in front
    of the number taken once, and the leading zeros a spreadsheet drops restored (a number
    of 5 to 7 digits is padded to Companies House's 8), so ``1234567``, ``01234567`` and
    ``GB-COH-01234567`` are one company."""
    text = "".join(number.split()).upper().removeprefix("GB-COH-")
    if text.isdigit() and 5 <= len(text) < 8:
        text = text.zfill(8)
    return "GB-COH-" + text


def _identifier_key(identifier: str) -> str:
    text = "".join(identifier.split()).upper()
    return _company_key(text) if text.startswith("GB-COH-") else text


def _match(records: Sequence[tuple[str, SharedSupplier]]) -> list[list[int]]:
    """Groups of record indexes that are one supplier (each group in record order).

    First by identifier: the company number (as ``GB-COH-<number>``) and every listed
    identifier, spaces and case ignored, so one trust's company number meets another's
    ``GB-COH-`` identifier.  Then by normalised name (:func:`normalise_name`), except
    that a name never joins two records whose known company numbers differ.  A
    union-find over every record of every trust, written out: it runs once per record
    of a national pool.
    """
    parent = list(range(len(records)))
    companies: dict[int, frozenset[str]] = {}  # the company numbers of each group, by root

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def union(a: int, b: int, *, guard: bool) -> None:
        ra, rb = find(a), find(b)
        if ra == rb:
            return
        ca, cb = companies.get(ra, frozenset()), companies.get(rb, frozenset())
        if guard and ca and cb and not ca & cb:
            return  # one name, two different companies: never one supplier
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        if ca or cb:
            companies[ra] = ca | cb
            companies.pop(rb, None)

    by_key: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    name_keys: dict[str, str] = {}
    for i, (_, supplier) in enumerate(records):
        number, identifiers = supplier.company_number, supplier.identifiers
        if number or identifiers:
            keys = [key for key in map(_identifier_key, identifiers or ()) if key]
            if number:
                keys.append(_company_key(number))
            known = frozenset(key for key in keys if key.startswith("GB-COH-"))
            if known:
                root = find(i)
                companies[root] = companies.get(root, frozenset()) | known
            for key in keys:
                first = by_key.setdefault(key, i)
                if first != i:
                    union(first, i, guard=False)
        name = supplier.name
        name_key = name_keys.get(name)
        if name_key is None:
            name_key = name_keys[name] = normalise_name(name)
        if not name_key:
            continue  # a name of punctuation only ("???") names nothing to match on
        bucket = by_name.get(name_key)
        if bucket is None:
            by_name[name_key] = [i]
        else:
            bucket.append(i)
    for indexes in by_name.values():
        for other in indexes[1:]:
            union(indexes[0], other, guard=True)
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        root = parent[i]
        if root != i:
            root = find(i)
        group = groups.get(root)
        if group is None:
            groups[root] = [i]
        else:
            group.append(i)
    return list(groups.values())


def _matched(uses: list[TrustUse], today: dt.date) -> MatchedSupplier:
    uses.sort(key=lambda u: (u.trust.casefold(), u.supplier.name.casefold()))
    counts = Counter(u.supplier.name for u in uses)
    name = min(counts, key=lambda n: (-counts[n], n.casefold(), n))
    trusts = tuple(sorted({u.trust for u in uses}, key=str.casefold))
    companies = {u.supplier.company_number for u in uses if u.supplier.company_number}
    lines = [c for use in uses for c in use.contracts]
    return MatchedSupplier(
        name=name,
        names=tuple(sorted(counts, key=str.casefold)),
        company_numbers=tuple(sorted(companies)),
        trusts=trusts,
        uses=tuple(uses),
        windows=joint_windows(lines, today) if len(trusts) > 1 else (),
    )


make_use = positional_maker(TrustUse)
make_matched = positional_maker(MatchedSupplier)


def _order(supplier: MatchedSupplier) -> tuple[bool, dt.date, int, str, str]:
    first = supplier.windows[0].start if supplier.windows else dt.date.max
    return (
        not supplier.windows,
        first,
        -len(supplier.trusts),
        supplier.name.casefold(),
        supplier.name,
    )


def line_up(files: Sequence[SharedFile], today: dt.date) -> IcsView:
    """The ICS view of ``files`` on ``today`` (see the module's docstring).

    Order: suppliers with a joint window first, the soonest window first; then by the
    number of trusts using the supplier, most first; then by name.
    """
    kept, warnings = one_file_per_trust(files)
    kept.sort(key=lambda f: (f.trust_name.casefold(), f.label))
    records: list[tuple[str, SharedSupplier]] = []
    contracts: list[dict[str, tuple[SharedContract, ...]]] = []
    for file in kept:
        grouped: dict[str, list[SharedContract]] = {}
        for contract in file.contracts:
            found = grouped.get(contract.supplier)
            if found is None:
                grouped[contract.supplier] = [contract]
            else:
                found.append(contract)
        by_supplier = {name: tuple(found) for name, found in grouped.items()}
        trust = file.trust_name
        for supplier in file.suppliers:
            records.append((trust, supplier))
            contracts.append(by_supplier)
    matched: list[MatchedSupplier] = []
    add = matched.append
    for group in _match(records):
        if len(group) == 1:  # most suppliers of a pool: one trust's, so no window
            i = group[0]
            trust, supplier = records[i]
            name = supplier.name
            use = make_use(trust, supplier, contracts[i].get(name, ()), today)
            number = supplier.company_number
            add(make_matched(name, (name,), (number,) if number else (), (trust,), (use,), ()))
            continue
        uses = [
            make_use(records[i][0], records[i][1], contracts[i].get(records[i][1].name, ()), today)
            for i in group
        ]
        add(_matched(uses, today))
    matched.sort(key=_order)
    summaries = tuple(
        SharedFileSummary(
            label=f.label,
            trust=f.trust_name,
            exported_by=f.exported_by,
            exported_at=f.exported_at,
            as_of=f.as_of,
            redacted=f.redacted,
            suppliers=len(f.suppliers),
            contracts=len(f.contracts),
        )
        for f in kept
    )
    return IcsView(today=today, files=summaries, suppliers=tuple(matched), warnings=tuple(warnings))
