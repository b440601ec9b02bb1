"""Import published contract data: OCDS 1.1 releases, release packages and record packages.

Contracts Finder and Find a Tender publish each NHS trust's awards in the Open
Contracting Data Standard.  Every award (or the contract signed under it) of
the chosen buyer becomes a contract with each of its suppliers.  Nothing is
invented: what a release does not say stays unknown, so scoring shows it as a
data gap; only the supplier's category and criticality, which the published
data never holds but the register requires, get defaults, and each such use is
reported and kept in the record's provenance.

Releases that share an OCID are combined oldest first: a later release's
values replace an earlier one's, and awards, contracts and parties are matched
by their ``id`` (a simplified form of the OCDS merge routine).  A record
package's ``compiledRelease`` is used as published.

A contract is identified by OCID and supplier, and by the award's own id (or
the contract's award id) when that is stable: a re-issued notice, whose award
often gets a new id, updates the contract of the notice it re-issues (see
``current_items`` within a file and ``known_contract`` across imports).  Every
party with the 'buyer' role is a buyer (joint procurements name several).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from supplier_register.domain.bounds import MONEY_LIMIT, MONEY_MAX
from supplier_register.domain.enums import Competition, ProcurementRoute
from supplier_register.domain.errors import BadFile, InvalidInput
from supplier_register.domain.models import Register
from supplier_register.importers import limits
from supplier_register.importers import values as v
from supplier_register.importers.names import normalise_name
from supplier_register.importers.plan import (
    ImportPlan,
    RegisterBuilder,
    Rejection,
    format_money,
)

JSON = Any
_SKIPPED_AWARD_STATUSES = frozenset({"cancelled", "unsuccessful"})
_SKIPPED_CONTRACT_STATUSES = frozenset({"cancelled"})
_SME_SCALES = frozenset({"sme", "micro", "small", "medium", "selfemployed"})
_NOTES_MAX = 2000
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Organisation:
    """A party as the release describes it."""

    name: str
    party_id: str | None = None
    identifiers: tuple[str, ...] = ()
    company_number: str | None = None
    sme: bool | None = None
    aliases: tuple[str, ...] = ()
    """Other names the release gives it: ``release.buyer.name`` beside its party's name."""

    @property
    def key(self) -> str:
        """What makes two mentions the same organisation: an identifier, else the name."""
        return self.identifiers[0] if self.identifiers else f"name:{normalise_name(self.name)}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def keys(self) -> frozenset[str]:
        """Every identifier and normalised name: sharing any one means the same buyer."""
        return frozenset({*self.identifiers, *(f"name:{normalise_name(n)}" for n in self.names)})

    def describe(self) -> str:
        ident = self.identifiers[0] if self.identifiers else self.party_id
        return f"{self.name!r}" + (f" ({ident})" if ident else "")


@dataclass
class Buyer:
    """One buyer, however its releases name it: mentions that share an identifier or name."""

    mentions: list[Organisation]
    keys: set[str]

    def includes(self, organisation: Organisation) -> bool:
        return bool(self.keys & organisation.keys)

    def describe(self) -> str:
        best = next((m for m in self.mentions if m.identifiers), self.mentions[0])
        return best.describe()


@dataclass
class Compiled:
    """All releases of one contracting process (one OCID), combined."""

    ocid: str
    release_id: str | None = None
    date: dt.datetime | None = None
    tender: dict[str, JSON] = field(default_factory=dict)
    parties: dict[str, dict[str, JSON]] = field(default_factory=dict)
    awards: dict[str, dict[str, JSON]] = field(default_factory=dict)
    contracts: dict[str, dict[str, JSON]] = field(default_factory=dict)
    unnamed_parties: list[dict[str, JSON]] = field(default_factory=list)
    seen: dict[str, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)
    """'award:1' or 'contract:1' -> dates of the first and the latest release that hold it."""
    buyer_refs: list[JSON] = field(default_factory=list)
    """Every buyer reference of its releases (``release.buyer``), newest last; the newest
    is the process's ``release.buyer``."""


@dataclass(frozen=True)
class KnownContract:
    """A contract already imported from OCDS, as its provenance records it."""

    supplier: str
    title: str
    release_date: dt.datetime | None


@dataclass
class OcdsHistory:
    """What earlier OCDS imports left in the register, for matching re-imports."""

    contracts: dict[tuple[str, str, str], KnownContract] = field(default_factory=dict)
    """(ocid, ocds id, supplier name casefolded) -> the stored contract."""
    identifiers: dict[str, str] = field(default_factory=dict)
    """Organisation identifier ('GB-COH-01234567') -> supplier name."""
    aliases: dict[str, str] = field(default_factory=dict)
    """A name a supplier had before it was merged into another -> the supplier kept."""
    titles: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    """(supplier, title) casefolded -> 'ocid NUL ocds id' its contract was imported from."""
    processes: dict[tuple[str, str], list[tuple[str, KnownContract]]] = field(default_factory=dict)
    """(ocid, supplier name casefolded) -> (ocds id, stored contract) of every contract imported
    from that contracting process for that supplier: how a re-issued notice whose award has a
    new id finds the contract it restates."""

    def add(self, ocid: str, ocds_id: str, known: KnownContract) -> None:
        """Index one stored contract imported from OCDS."""
        supplier = known.supplier.casefold()
        # A contract's provenance follows a re-issued notice to its new id: forget the old one.
        mine = self.processes.get((ocid, supplier), [])
        for ident, old in [e for e in mine if e[1].title.casefold() == known.title.casefold()]:
            mine.remove((ident, old))
            self.contracts.pop((ocid, ident, supplier), None)
        self.contracts[(ocid, ocds_id, supplier)] = known
        self.titles.setdefault((supplier, known.title.casefold()), set()).add(
            f"{ocid}\x00{ocds_id}"
        )
        self.processes.setdefault((ocid, supplier), []).append((ocds_id, known))


# -- reading ----------------------------------------------------------------------


def load_json(path: Path) -> JSON:
    """Parse a JSON file, numbers as exact decimals; any failure is one ``BadFile`` line."""
    data = limits.read_import(path, limits.MAX_OCDS_BYTES, "OCDS file")
    try:
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise BadFile(f"{path.name}: not UTF-8 text, so not OCDS JSON") from None
    except json.JSONDecodeError as exc:
        raise BadFile(f"{path.name}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise BadFile(f"{path.name}: JSON nested too deeply") from None
    except ValueError:  # an integer of more than 4300 digits
        raise BadFile(
            f"{path.name}: not valid JSON: a number is thousands of digits long"
        ) from None


def _obj(value: JSON) -> dict[str, JSON]:
    return value if isinstance(value, dict) else {}


def _list(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else []


def _str(value: JSON) -> str | None:
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _datetime(value: JSON) -> dt.datetime | None:
    text = _str(value)
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _sort_key(release: dict[str, JSON]) -> dt.datetime:
    return _datetime(release.get("date")) or dt.datetime.min.replace(tzinfo=dt.UTC)


def releases_of(data: JSON, source: str) -> tuple[list[dict[str, JSON]], list[str], str]:
    """The releases in any OCDS shape, the records that could not be used, and the shape's name."""
    skipped: list[str] = []
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        releases: list[dict[str, JSON]] = []
        for index, record in enumerate(data["records"]):
            record = _obj(record)
            label = _str(record.get("ocid")) or f"records[{index}]"
            compiled = record.get("compiledRelease")
            if isinstance(compiled, dict):
                releases.append(compiled)
                continue
            embedded = [r for r in _list(record.get("releases")) if _obj(r).get("ocid")]
            if embedded:
                releases.extend(embedded)
            else:
                skipped.append(f"{label}: no compiledRelease, and its releases are only links")
        return releases, skipped, "record package"
    if isinstance(data, dict) and isinstance(data.get("releases"), list):
        found = [r for r in data["releases"] if isinstance(r, dict)]
        skipped += [
            f"releases[{i}]: not a release"
            for i, r in enumerate(data["releases"])
            if not isinstance(r, dict)
        ]
        return found, skipped, "release package"
    if isinstance(data, dict) and "ocid" in data:
        return [data], skipped, "release"
    if isinstance(data, list) and data and all(isinstance(r, dict) and "ocid" in r for r in data):
        return list(data), skipped, "list of releases"
    raise BadFile(
        f"{source}: not OCDS data: expected a release, a release package ('releases') "
        "or a record package ('records')"
    )


def _merge_by_id(
    target: dict[str, dict[str, JSON]],
    items: JSON,
    prefix: str,
    seen: dict[str, tuple[dt.datetime, dt.datetime]] | None = None,
    when: dt.datetime | None = None,
) -> None:
    for index, item in enumerate(_list(items)):
        if not isinstance(item, dict):
            continue
        key = _str(item.get("id")) or f"{prefix}{index}"
        target[key] = {**target.get(key, {}), **item}
        if seen is not None and when is not None:
            name = f"{prefix.strip()}:{key}"
            first = seen.get(name, (when, when))[0]
            seen[name] = (first, when)


def compile_releases(releases: Iterable[dict[str, JSON]]) -> list[Compiled]:
    """Combine the releases of each OCID, oldest first, later values winning."""
    by_ocid: dict[str, list[dict[str, JSON]]] = defaultdict(list)
    for release in releases:
        ocid = _str(release.get("ocid"))
        if ocid:
            by_ocid[ocid].append(release)
    out = []
    for ocid, group in by_ocid.items():
        compiled = Compiled(ocid)
        for release in sorted(group, key=_sort_key):
            compiled.release_id = _str(release.get("id")) or compiled.release_id
            compiled.date = _datetime(release.get("date")) or compiled.date
            when = _sort_key(release)
            if isinstance(release.get("buyer"), dict):
                compiled.buyer_refs.append(release["buyer"])
            compiled.tender = {**compiled.tender, **_obj(release.get("tender"))}
            for party in _list(release.get("parties")):
                if isinstance(party, dict) and not _str(party.get("id")):
                    compiled.unnamed_parties.append(party)
            _merge_by_id(
                compiled.parties,
                [p for p in _list(release.get("parties")) if _str(_obj(p).get("id"))],
                "party",
            )
            _merge_by_id(compiled.awards, release.get("awards"), "award ", compiled.seen, when)
            _merge_by_id(
                compiled.contracts, release.get("contracts"), "contract ", compiled.seen, when
            )
        out.append(compiled)
    return out


# -- organisations ----------------------------------------------------------------


def _identifier(raw: JSON) -> str | None:
    raw = _obj(raw)
    scheme, ident = _str(raw.get("scheme")), _str(raw.get("id"))
    if not scheme or not ident:
        return None
    return f"{scheme.upper()}-{ident.replace(' ', '').upper()}"


def organisation(ref: JSON, parties: Mapping[str, dict[str, JSON]]) -> Organisation | None:
    """The organisation an OrganizationReference points at, with identifiers from its party."""
    ref = _obj(ref)
    party_id = _str(ref.get("id"))
    party = parties.get(party_id, {}) if party_id else {}
    identifier = _obj(party.get("identifier")) or _obj(ref.get("identifier"))
    name = _str(party.get("name")) or _str(ref.get("name")) or _str(identifier.get("legalName"))
    if not name:
        return None
    identifiers: list[str] = []
    company_number = None
    for raw in [identifier, *_list(party.get("additionalIdentifiers"))]:
        ident = _identifier(raw)
        if ident and ident.startswith("GB-COH-"):
            try:
                number = v.parse_company_number(ident.removeprefix("GB-COH-"))
            except ValueError:
                number = None
            if number is not None:
                ident = f"GB-COH-{number}"
                company_number = company_number or number
        if ident and ident not in identifiers:
            identifiers.append(ident)
    scale = _str(_obj(party.get("details")).get("scale"))
    sme = None if scale is None else scale.casefold().replace(" ", "") in _SME_SCALES
    named = _str(ref.get("name"))
    aliases = (named[:200],) if named and normalise_name(named) != normalise_name(name) else ()
    return Organisation(name[:200], party_id, tuple(identifiers), company_number, sme, aliases)


def buyers_of(compiled: Compiled) -> list[Organisation]:
    """Every buyer of a process: ``release.buyer`` and every party with the 'buyer' role
    (joint procurements name several).  A ``release.buyer`` that points at a party by id is
    that party, whatever name each gives (both names then find it)."""
    found: list[Organisation] = []
    refs = [*compiled.buyer_refs[-1:]]
    refs += [
        {"id": party_id}
        for party_id, party in compiled.parties.items()
        if "buyer" in [_str(r) for r in _list(party.get("roles"))]
    ]
    for ref in refs:
        buyer = organisation(ref, compiled.parties)
        if buyer is None:
            continue
        same = next(
            (
                b
                for b in found
                if (b.party_id is not None and b.party_id == buyer.party_id) or b.keys & buyer.keys
            ),
            None,
        )
        if same is None:
            found.append(buyer)
    return found


def _buyer_matches(buyer: Organisation, wanted: str) -> bool:
    text = wanted.strip()
    upper = text.upper().replace(" ", "")
    if buyer.party_id and text == buyer.party_id:
        return True
    if any(upper == ident or ident.endswith("-" + upper) for ident in buyer.identifiers):
        return True
    return any(normalise_name(text) == normalise_name(name) for name in buyer.names)


def buyers_in(processes: Iterable[Compiled]) -> list[Buyer]:
    """The distinct buyers of the processes, merging mentions that share a key."""
    buyers: list[Buyer] = []
    for compiled in processes:
        for found in buyers_of(compiled):
            joined = [b for b in buyers if b.includes(found)]
            merged = Buyer([found], set(found.keys))
            for other in joined:
                merged.mentions = other.mentions + merged.mentions
                merged.keys |= other.keys
                buyers.remove(other)
            buyers.append(merged)
    return sorted(buyers, key=lambda b: b.mentions[0].name.casefold())


def choose_buyer(processes: list[Compiled], wanted: str | None, source: str) -> Buyer:
    """The buyer whose contracts to import: the one named by ``wanted``, or the only one."""
    buyers = buyers_in(processes)
    if not buyers:
        raise BadFile(f"{source}: no buyer is named in the data")
    listing = "; ".join(b.describe() for b in buyers)
    if wanted is None:
        if len(buyers) == 1:
            return buyers[0]
        raise InvalidInput(
            [f"--buyer: {source} has {len(buyers)} buyers; choose one of: {listing}"]
        )
    matches = [b for b in buyers if any(_buyer_matches(m, wanted) for m in b.mentions)]
    words = normalise_name(wanted)
    if not matches and words:
        # Part of the name will do when it picks out one buyer: 'Northmoor Valley'.
        matches = [
            b
            for b in buyers
            if any(words in normalise_name(n) for m in b.mentions for n in m.names)
        ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InvalidInput([f"--buyer: no buyer {wanted!r} in {source}; buyers are: {listing}"])
    names = "; ".join(b.describe() for b in matches)
    raise InvalidInput([f"--buyer: {wanted!r} matches several buyers: {names}; use an identifier"])


# -- awards and contracts ---------------------------------------------------------


_FRAMEWORK = re.compile(
    r"framework|call[- ]?off|dynamic purchasing|\bdps\b|mini[- ]?competition|further competition"
)
_CALL_OFF = re.compile(r"call[- ]?off")
_NOT_COMPETED_AGAIN = re.compile(r"\b(?:without|no)\s+(?:a\s+)?(?:further\s+)?competition")
_FURTHER = re.compile(r"further competition|mini[- ]?competition")
_JOINT = re.compile(r"\bjoint\b|collaborative")
_DIRECT = re.compile(
    r"single[- ](?:tender|source|supplier|quot)|\bwaiver\b|negotiated\b.*\bwithout"
    r"|without (?:prior )?(?:publication|competition|a call for competition)"
    r"|direct (?:award|contract)|\bsta\b"
)
_COMPETITIVE = re.compile(
    r"restricted|competitive (?:procedure )?with negotiation|competitive flexible"
    r"|competitive dialogue|innovation partnership|negotiated (?:procedure )?with (?:prior )?"
    r"(?:publication|call|competition)|quotation|quick quote|\bquotes?\b|\brfq\b"
    r"|competitive tender"
)
_OPEN = re.compile(r"\bopen\b")


def procedure_of(tender: Mapping[str, JSON]) -> tuple[ProcurementRoute, Competition]:
    """The procurement route and the competition, from ``procurementMethod``, its details
    (the UK notices' procedure names) and the framework techniques, where they say it plainly.

    The details name the procedure more precisely than the method, so they are read first:
    a framework or DPS call-off -> framework, competed again after a further (mini-)
    competition, or a direct award without one ("limited" with a call-off, or saying so);
    direct award, single tender or source, waiver, negotiated without prior publication ->
    direct award without competition; restricted, competitive with negotiation, competitive
    flexible, competitive dialogue, innovation partnership, competitive quotation (below
    threshold) -> a competitive (not open) tender; open -> open tender.  Without details:
    open -> open, selective -> competitive, direct -> direct award; "limited" alone (the buyer
    chose whom to ask: one supplier, or several for quotes) stays unknown.  A joint or
    collaborative procurement is recorded as such, with its competition read the same way.
    Anything unclear stays unknown: a data gap, never "not competed".
    """
    method = (_str(tender.get("procurementMethod")) or "").casefold()
    details = (_str(tender.get("procurementMethodDetails")) or "").casefold()
    techniques = _obj(tender.get("techniques"))
    framework = _FRAMEWORK.search(details) is not None or any(
        techniques.get(t) is True for t in ("hasFrameworkAgreement", "hasDynamicPurchasingSystem")
    )
    if framework:
        return ProcurementRoute.FRAMEWORK, _framework_competition(method, details)
    if _DIRECT.search(details):
        route, competition = ProcurementRoute.DIRECT_AWARD, Competition.NO_COMPETITION
    elif _COMPETITIVE.search(details):
        route, competition = ProcurementRoute.COMPETITIVE_TENDER, Competition.COMPETITIVE_PROCEDURE
    elif _OPEN.search(details) or method == "open":
        route, competition = ProcurementRoute.OPEN_TENDER, Competition.OPEN
    elif method == "selective":
        route, competition = ProcurementRoute.COMPETITIVE_TENDER, Competition.COMPETITIVE_PROCEDURE
    elif method == "direct":
        route, competition = ProcurementRoute.DIRECT_AWARD, Competition.NO_COMPETITION
    else:
        route, competition = ProcurementRoute.UNKNOWN, Competition.UNKNOWN
    if _JOINT.search(details):
        route = ProcurementRoute.JOINT_PROCUREMENT
    return route, competition


def _framework_competition(method: str, details: str) -> Competition:
    """How a framework call-off was competed, where the notice says it plainly.

    Framework words with an open or selective method and nothing more are not clear (the
    framework's own tender, or a call-off?): unknown.
    """
    not_again = _NOT_COMPETED_AGAIN.search(details) is not None
    if not not_again and _FURTHER.search(details):
        return Competition.FURTHER_COMPETITION
    if not_again or "direct award" in details or "direct call" in details:
        return Competition.FRAMEWORK_DIRECT_AWARD
    if method == "limited" and _CALL_OFF.search(details):
        return Competition.FRAMEWORK_DIRECT_AWARD
    return Competition.UNKNOWN


def route_of(tender: Mapping[str, JSON]) -> ProcurementRoute:
    """The procurement route (see :func:`procedure_of`)."""
    return procedure_of(tender)[0]


def competition_of(tender: Mapping[str, JSON]) -> Competition:
    """How the contract was competed (see :func:`procedure_of`)."""
    return procedure_of(tender)[1]


class _Bad(ValueError):
    """A value in a release that cannot be used, with the field it is in."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where


def _date(value: JSON, where: str) -> dt.date | None:
    text = _str(value)
    if text is None:
        return None
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        raise _Bad(where, f"{text!r} is not a date")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise _Bad(where, f"{text!r} is not a date") from None


def _period(
    candidates: list[tuple[str, JSON]],
) -> tuple[dt.date | None, dt.date | None, dt.date | None, str | None]:
    """Start, end and maximum extent from the first period that gives any date."""
    for where, raw in candidates:
        period = _obj(raw)
        start = _date(period.get("startDate"), f"{where}.startDate")
        end = _date(period.get("endDate"), f"{where}.endDate")
        extent = _date(period.get("maxExtentDate"), f"{where}.maxExtentDate")
        if start or end:
            return start, end, extent, where
    return None, None, None, None


def _money(raw: JSON, where: str) -> tuple[Decimal | None, str | None]:
    """An amount in pounds, or ``None`` and a reason to report when there is none to use."""
    value = _obj(raw)
    amount = value.get("amount")
    if amount is None:
        amount = value.get("amountGross", value.get("amountNet"))
    if amount is None:
        return None, None
    currency = _str(value.get("currency"))
    if currency is not None and currency.upper() != "GBP":
        return None, f"{where} is in {currency}, not pounds: not imported"
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | str):
        raise _Bad(f"{where}.amount", f"{amount!r} is not an amount")
    try:
        decimal = Decimal(str(amount))
    except InvalidOperation:
        raise _Bad(f"{where}.amount", f"{amount!r} is not an amount") from None
    if not decimal.is_finite() or decimal < 0:
        raise _Bad(f"{where}.amount", f"{amount!r} is not an amount of money")
    if decimal > MONEY_MAX:  # refused before rounding to pence, which so large a figure overflows
        raise _Bad(
            f"{where}.amount",
            f"{str(amount)!r} is more than {MONEY_LIMIT}, the most an amount can be",
        )
    return decimal.quantize(Decimal("0.01")), None


@dataclass
class Item:
    """One award or contract of the chosen buyer, ready to stage for each supplier."""

    compiled: Compiled
    ocds_id: str
    label: str
    suppliers: list[Organisation]
    title: str
    values: dict[str, Any]
    notes: str
    messages: list[str]
    aliases: frozenset[str] = frozenset()
    """Other ids it was imported under: a contract's award ('award:1')."""
    first_seen: dt.datetime = _EPOCH
    last_seen: dt.datetime = _EPOCH
    """The first and the latest release that hold the award or contract."""
    lots: frozenset[str] = frozenset()

    @property
    def ids(self) -> frozenset[str]:
        return self.aliases | {self.ocds_id}


def _items(compiled: Compiled, plan: ImportPlan) -> list[Item]:
    tender = compiled.tender
    awards = compiled.awards
    used_awards: set[str] = set()
    out: list[Item] = []
    entries: list[tuple[str, str, dict[str, JSON], dict[str, JSON]]] = []
    for cid, contract in compiled.contracts.items():
        status = (_str(contract.get("status")) or "").casefold()
        award_id = _str(contract.get("awardID"))
        award = awards.get(award_id, {}) if award_id else {}
        if award_id:
            used_awards.add(award_id)
        if status in _SKIPPED_CONTRACT_STATUSES:
            plan.skipped.append(f"{compiled.ocid} contract {cid}: {status}")
            continue
        entries.append(("contract", cid, contract, award))
    for aid, award in awards.items():
        if aid in used_awards:
            continue
        status = (_str(award.get("status")) or "").casefold()
        if status in _SKIPPED_AWARD_STATUSES:
            plan.skipped.append(f"{compiled.ocid} award {aid}: {status}")
            continue
        entries.append(("award", aid, {}, award))
    if not awards and not compiled.contracts:
        plan.skipped.append(f"{compiled.ocid}: no award or contract yet")
    for kind, ident, contract, award in entries:
        label = f"{compiled.ocid} {kind} {ident}"
        plan.items_read += 1
        try:
            item = _item(compiled, kind, ident, label, contract, award, tender)
        except _Bad as exc:
            plan.rejections.append(Rejection(location=label, column=exc.where, reason=str(exc)))
            continue
        award_id = _str(contract.get("awardID")) if kind == "contract" else None
        names = [f"{kind}:{ident}"] + ([f"award:{award_id}"] if award_id else [])
        spans = [compiled.seen[n] for n in names if n in compiled.seen]
        if spans:
            item.first_seen = min(first for first, _ in spans)
            item.last_seen = max(last for _, last in spans)
        item.aliases = frozenset(names[1:])
        item.lots = frozenset(
            lot for lot in (_str(x) for x in _list(award.get("relatedLots"))) if lot
        )
        out.append(item)
    return out


def current_items(items: list[Item], plan: ImportPlan) -> list[tuple[Item, list[Organisation]]]:
    """Each item with the suppliers to import it for, leaving out re-issued notices' old awards.

    When a notice is re-published its award often gets a new id, so the process holds the
    old award (from the earlier release only) and the new one (from the later release).  For
    one supplier, an award or contract that no later release repeats is superseded by one of
    a later release with the same title (and lots, when both name theirs).  With another title
    it may be another lot awarded later, so both are kept.  Awards published in the same
    release stay separate.
    """
    by_supplier: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        for supplier in item.suppliers:
            by_supplier[supplier.key].append(item)
    superseded: set[tuple[int, str]] = set()
    for key, mine in by_supplier.items():
        latest = max(i.last_seen for i in mine)
        current = [i for i in mine if i.last_seen == latest]
        older = [i for i in mine if i.last_seen < latest]
        for old in older:
            same = [
                i
                for i in current
                if i.title.casefold() == old.title.casefold()
                and (not i.lots or not old.lots or i.lots == old.lots)
            ]
            if not same:
                continue
            replacement = same[0]
            superseded.add((id(old), key))
            name = next(s.name for s in old.suppliers if s.key == key)
            plan.skipped.append(
                f"{old.label}: superseded for {name!r} by the re-issued notice "
                f"({replacement.ocds_id.replace(':', ' ')} of {latest.date().isoformat()})"
            )
    out = []
    for item in items:
        suppliers = [s for s in item.suppliers if (id(item), s.key) not in superseded]
        if suppliers:
            out.append((item, suppliers))
    return out


def _item(
    compiled: Compiled,
    kind: str,
    ident: str,
    label: str,
    contract: dict[str, JSON],
    award: dict[str, JSON],
    tender: dict[str, JSON],
) -> Item:
    where = "contracts" if kind == "contract" else "awards"
    refs = _list(award.get("suppliers"))
    suppliers = [o for o in (organisation(r, compiled.parties) for r in refs) if o is not None]
    unique: dict[tuple[str, str], Organisation] = {}
    for supplier in suppliers:
        unique.setdefault((supplier.key, normalise_name(supplier.name)), supplier)
    if not unique:
        reason = "no named supplier" if refs else "no supplier"
        raise _Bad(
            "awards.suppliers", reason + (" (the award is not in the data)" if not award else "")
        )
    title = (
        _str(contract.get("title"))
        or _str(award.get("title"))
        or _str(tender.get("title"))
        or compiled.ocid
    )[:200]
    messages: list[str] = []
    amount, note = _money(contract.get("value"), "contracts.value") if contract else (None, None)
    if amount is None and note is None:
        amount, note = _money(award.get("value"), "awards.value")
    if note:
        messages.append(f"{label}: {note}")
    start, end, extent, _ = _period(
        [
            ("contracts.period", contract.get("period")),
            ("awards.contractPeriod", award.get("contractPeriod")),
            ("tender.contractPeriod", tender.get("contractPeriod")),
        ]
    )
    values: dict[str, Any] = {"start_date": start, "end_date": end}
    route = route_of(tender)
    if route is not ProcurementRoute.UNKNOWN:
        values["procurement_route"] = route
    competition = competition_of(tender)
    if competition is not Competition.UNKNOWN:
        values["competition"] = competition
    if extent and (end is None or extent > end):
        values["extension_options"] = f"may be extended to {extent.isoformat()} (published maximum)"
    notes = [f"Imported from published contract data: {compiled.ocid} ({where[:-1]} {ident})."]
    method = " / ".join(
        t
        for t in (
            _str(tender.get("procurementMethod")),
            _str(tender.get("procurementMethodDetails")),
        )
        if t
    )
    if method:
        notes.append(f"Procurement method: {method}.")
    if amount is not None and len(unique) > 1:
        notes.append(
            f"Published value {format_money(amount)} is shared by {len(unique)} suppliers "
            "and is not split."
        )
        amount = None
    values["total_value"] = amount
    description = (
        _str(contract.get("description"))
        or _str(award.get("description"))
        or _str(tender.get("description"))
    )
    if description:
        notes.append(description)
    text = " ".join(notes)
    return Item(
        compiled,
        f"{kind}:{ident}",
        label,
        list(unique.values()),
        title,
        values,
        text[:_NOTES_MAX],
        messages,
    )


# -- planning ---------------------------------------------------------------------


def plan_ocds(
    data: JSON,
    source: str,
    existing: Register,
    history: OcdsHistory | None = None,
    buyer: str | None = None,
) -> ImportPlan:
    """Plan the import of the chosen buyer's awards and contracts from parsed OCDS JSON."""
    history = history or OcdsHistory()
    releases, unusable, shape = releases_of(data, source)
    processes = compile_releases(releases)
    if not processes:
        raise BadFile(f"{source}: the {shape} holds no releases with an ocid")
    chosen = choose_buyer(processes, buyer, source)
    plan = ImportPlan(source=f"{source} ({shape}, buyer {chosen.describe()})", source_kind="ocds")
    plan.skipped.extend(unusable)
    builder = RegisterBuilder(existing, identifiers=history.identifiers, aliases=history.aliases)
    other_buyers = 0
    staged_titles: dict[tuple[str, str], str] = {}
    for compiled in sorted(
        processes, key=lambda c: (c.date or dt.datetime.min.replace(tzinfo=dt.UTC), c.ocid)
    ):
        buyers = buyers_of(compiled)
        if not any(chosen.includes(b) for b in buyers):
            other_buyers += 1
            continue
        items = _items(compiled, plan)
        partners = [b for b in buyers if not chosen.includes(b)]
        if partners:
            _jointly(items, partners)
        ids_here = frozenset().union(*(i.ids for i in items)) if items else frozenset()
        claimed: set[tuple[str, str]] = set()
        current = current_items(items, plan)
        unpaired: set[tuple[str, str]] = set()
        for item, suppliers in current:
            plan.warnings.extend(item.messages)
            for supplier in suppliers:
                _stage(
                    item,
                    supplier,
                    builder,
                    _Context(
                        history,
                        plan,
                        source,
                        staged_titles,
                        ids_here,
                        claimed,
                        [i for i, _ in current],
                        unpaired,
                    ),
                )
    if other_buyers:
        plan.skipped.append(f"{other_buyers} contracting process(es) of other buyers")
    return builder.build(plan)


def _jointly(items: list[Item], partners: list[Organisation]) -> None:
    """Mark the items of a process bought jointly with other buyers as joint procurements
    (a framework or a direct award stays what it is: that is what the board must hear)."""
    names = ", ".join(p.describe() for p in partners)
    for item in items:
        if item.values.get("procurement_route", ProcurementRoute.UNKNOWN) in (
            ProcurementRoute.UNKNOWN,
            ProcurementRoute.OPEN_TENDER,
            ProcurementRoute.COMPETITIVE_TENDER,
        ):
            item.values["procurement_route"] = ProcurementRoute.JOINT_PROCUREMENT
        first, _, rest = item.notes.partition(". ")
        joint = f"{first.removesuffix('.')}. Bought jointly with {names}."
        item.notes = f"{joint} {rest}".strip()[:_NOTES_MAX]


@dataclass
class _Context:
    """What staging one item needs besides the item: the import so far and its history."""

    history: OcdsHistory
    plan: ImportPlan
    source: str
    staged_titles: dict[tuple[str, str], str]
    ids_here: frozenset[str]
    """Every award and contract id of the process being staged (and a contract's award id)."""
    claimed: set[tuple[str, str]]
    """(supplier, title) casefolded of stored contracts this process has matched already."""
    items: list[Item] = field(default_factory=list)
    """The process's current awards and contracts, in the order they are staged."""
    unpaired: set[tuple[str, str]] = field(default_factory=set)
    """(supplier, title) casefolded of awards that could not be paired with stored contracts."""


def _restates(stored: str, title: str, ocid: str) -> bool:
    """Whether a stored contract's title is the item's title, as given or as
    ``_free_title`` made it unique (with the OCID, and the award or contract id)."""
    stored, title, ocid = stored.casefold(), title.casefold(), ocid.casefold()
    return stored in (title, f"{title} ({ocid})"[:200]) or (
        stored.startswith(f"{title} ({ocid} ") and stored.endswith(")")
    )


# A re-issued award that cannot be paired with one stored contract: staged as nothing.
_AMBIGUOUS: Final = KnownContract("", "", None)


def known_contract(
    item: Item, supplier: str, context: _Context, key: str | None = None
) -> KnownContract | None:
    """The contract imported earlier that this award or contract restates, if any.

    By OCID, supplier and the award's own id when that id is stable (or the contract's award
    id); else, for a re-issued notice whose award got a new id, the contract imported from the
    same process for the same supplier, with the same title (as given, or as made unique when
    it was imported), whose id this process no longer holds.  When several such contracts
    remain (lots of one title) and as many of the notice's awards for the supplier with that
    title are still to be staged, they are paired in order (the stored ones in the order they
    were created); with other counts the pairing would be a guess: ``_AMBIGUOUS``, named in a
    note, so nothing is overwritten or duplicated.  One with another title may be another lot
    awarded later: it is not taken, but named in a note (merge the two if they are one
    contract).
    """
    history, ocid = context.history, item.compiled.ocid
    fold = supplier.casefold()
    for ident in (item.ocds_id, *sorted(item.aliases)):
        known = history.contracts.get((ocid, ident, fold))
        if known is not None:
            return known
    candidates: dict[str, KnownContract] = {}
    for ident, known in history.processes.get((ocid, fold), []):
        title = known.title.casefold()
        if ident not in context.ids_here and (fold, title) not in context.claimed:
            candidates.setdefault(title, known)
    same = [k for k in candidates.values() if _restates(k.title, item.title, ocid)]
    found = same[0] if same else None
    if len(same) > 1:
        peers = [
            i
            for i in context.items
            if i.title.casefold() == item.title.casefold()
            and (key is None or any(s.key == key for s in i.suppliers))
            and not any((ocid, ident, fold) in history.contracts for ident in i.ids)
        ]
        place = next((n for n, i in enumerate(peers) if i is item), len(peers))
        group = (fold, item.title.casefold())
        if group in context.unpaired or len(peers) - place != len(same):
            context.unpaired.add(group)
            names = ", ".join(repr(k.title) for k in same)
            context.plan.skipped.append(
                f"{item.label}: cannot tell which of the contracts {names} of {supplier!r} "
                "imported from an earlier notice of the same process this award restates (the "
                f"notice has {len(peers)} awards of that title for {len(same)} contracts): none "
                "is updated or created; update them by hand"
            )
            return _AMBIGUOUS
    if found is not None:
        context.plan.warnings.append(
            f"{item.label}: a re-issued notice: updates {found.title!r} of {found.supplier!r} "
            "imported from an earlier notice of the same process"
        )
    elif candidates:
        others = ", ".join(repr(k.title) for k in candidates.values())
        context.plan.warnings.append(
            f"{item.label}: {item.title!r} of {supplier!r} is new in a process that gave "
            f"{others} in an earlier notice: another lot, or a re-issued notice with a new "
            "title (if so, merge the two contracts)"
        )
    return found


def _stage(item: Item, supplier: Organisation, builder: RegisterBuilder, context: _Context) -> None:
    history, plan, source = context.history, context.plan, context.source
    staged_titles = context.staged_titles
    compiled = item.compiled
    label = item.label + (f" supplier {supplier.name!r}" if len(item.suppliers) > 1 else "")
    resolution = builder.resolve_supplier(
        supplier.name, supplier.company_number, supplier.identifiers
    )
    if resolution.name is None:
        plan.rejections.append(
            Rejection(location=label, column="awards.suppliers", reason=resolution.problem or "")
        )
        return
    name = resolution.name
    known = known_contract(item, name, context, supplier.key)
    if known is _AMBIGUOUS:
        return
    if (
        known is not None
        and known.release_date
        and compiled.date
        and compiled.date < known.release_date
    ):
        plan.skipped.append(
            f"{label}: older than the release already imported ({known.release_date.isoformat()})"
        )
        return
    if known is not None:
        context.claimed.add((name.casefold(), known.title.casefold()))
    if resolution.note():
        plan.warnings.append(f"{label}: {resolution.note()}")
    title = (
        known.title
        if known is not None
        else _free_title(item, name, builder, history, staged_titles)
    )
    base = builder.contract_base(name, title)
    values = dict(item.values)
    sme = supplier.sme
    if known is not None and base is not None and known.release_date == compiled.date:
        # The release already imported, again: only fill what is still empty, so
        # corrections made in the register since the first import are kept.
        values = {k: val for k, val in values.items() if _is_empty(getattr(base, k, None))}
        sme = None
    contract: dict[str, Any] = {"title": title, **values}
    if base is None:
        contract["notes"] = item.notes
    staged = builder.stage(
        label,
        supplier={
            "name": supplier.name if resolution.matched_from is None else name,
            "company_number": supplier.company_number,
            "sme": sme,
        },
        contract=contract,
        columns={
            "supplier.name": "awards.suppliers",
            "contract.end_date": "contractPeriod.endDate",
            "contract.start_date": "contractPeriod.startDate",
            "contract.total_value": "value.amount",
            "contract.title": "title",
        },
        identifiers=supplier.identifiers,
        repeats=True,
    )
    if not plan.add_staged(
        staged,
        source_kind="ocds",
        source_file=source,
        ocid=compiled.ocid,
        ocds_id=item.ocds_id,
        release_id=compiled.release_id,
        release_date=compiled.date,
        identifiers=supplier.identifiers,
    ):
        return
    assert staged.supplier is not None
    staged_titles[(staged.supplier.casefold(), title.casefold())] = (
        f"{compiled.ocid}\x00{item.ocds_id}"
    )


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value is ProcurementRoute.UNKNOWN


def _free_title(
    item: Item,
    supplier: str,
    builder: RegisterBuilder,
    history: OcdsHistory,
    staged_titles: dict[tuple[str, str], str],
) -> str:
    """The item's title, made unique for the supplier when another process already uses it.

    A stored contract with the same title that came from no OCDS process (typed
    in by hand) is taken to be this contract and updated.
    """
    ocid, me = item.compiled.ocid, f"{item.compiled.ocid}\x00{item.ocds_id}"
    candidates = [item.title, f"{item.title} ({ocid})", f"{item.title} ({ocid} {item.ocds_id})"]
    for title in (c[:200] for c in candidates):
        key = (supplier.casefold(), title.casefold())
        staged_by = staged_titles.get(key)
        if staged_by is not None and staged_by != me:
            continue
        imported_from = history.titles.get(key, set())
        if imported_from and me not in imported_from:
            continue
        return title
    return candidates[-1][:200]
