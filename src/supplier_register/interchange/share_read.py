"""Reading a partner trust's shared file (``export --format share``) for the ICS view.

Read-only: the file is parsed into the frozen value types of
:mod:`supplier_register.ics.model` and never written anywhere, least of all into a
register.  A file that is not JSON, not a shared register, of a newer format version,
too large, or with a field missing or of the wrong type is refused in one line naming
the file, the field (by a readable label) and the reason.  Fields the sharing trust's
policy left out (owner, values, notes, ...) are simply not read; optional facts missing
or ``null`` stay ``None`` ("not shared"), never zero or "no".

Hand-written checks rather than pydantic models: a national pool of 200 files of 250
suppliers must load well under a second.  The JSON is parsed by ``pydantic_core.from_json``
(the Rust parser pydantic already brings, no model or validation involved), which builds
the same Python values as ``json.loads`` in about 60% of the time: most of a shared file
is its answers, which the ICS view does not use but must still parse.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

from pydantic_core import from_json

from supplier_register.domain.enums import Criticality
from supplier_register.domain.errors import BadFile
from supplier_register.domain.models import NAME_MAX
from supplier_register.domain.textsafety import show_controls
from supplier_register.ics.model import (
    SharedContract,
    SharedFile,
    SharedSupplier,
    make_contract,
    make_supplier,
)
from supplier_register.importers import limits
from supplier_register.interchange.share import SHARE_FORMAT, SHARE_FORMAT_VERSION

TEXT_MAX = 500
"""The longest one-line fact (category, route, an identifier) a shared file may hold."""

_CRITICALITY = frozenset(c.value for c in Criticality)
_BANDS = frozenset({"low", "medium", "high", "severe", "unassessed"})
_DAYS_MAX = 36_500


class _Refused(Exception):
    """A field's problem, before the file's name is put in front of it."""


def _fail(where: str, reason: str) -> NoReturn:
    raise _Refused(f"{where}: {reason}")


def _text(row: dict[str, Any], key: str, where: str, label: str, *, limit: int) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        _fail(where, f"{label} is missing" if value is None else f"{label} must be text")
    if len(value) > limit:
        _fail(where, f"{label} is longer than {limit:,} characters")
    return value.strip()


def _opt_text(row: dict[str, Any], key: str, where: str, label: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        _fail(where, f"{label} must be text or null")
    if len(value) > TEXT_MAX:
        _fail(where, f"{label} is longer than {TEXT_MAX:,} characters")
    return value.strip() or None


def _opt_choice(
    row: dict[str, Any], key: str, where: str, label: str, allowed: frozenset[str]
) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:
        _fail(where, f"{label} must be one of {', '.join(sorted(allowed))} or null")
    return value


def _opt_int(row: dict[str, Any], key: str, where: str, label: str, top: int) -> int | None:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        _fail(where, f"{label} must be a whole number from 0 to {top:,} or null")
    return value


def _opt_bool(row: dict[str, Any], key: str, where: str, label: str) -> bool | None:
    value = row.get(key)
    if value is None or isinstance(value, bool):
        return value
    _fail(where, f"{label} must be true, false or null")


def _date(value: object, where: str, label: str) -> dt.date:
    if isinstance(value, str):
        day = _iso_date(value)
        if day is not None:
            return day
    if value is None:
        _fail(where, f"{label} is missing")
    _fail(where, f"{label} must be a date as YYYY-MM-DD")


def _opt_date(row: dict[str, Any], key: str, where: str, label: str) -> dt.date | None:
    value = row.get(key)
    return None if value is None else _date(value, where, label)


def _opt_texts(row: dict[str, Any], key: str, where: str, label: str) -> tuple[str, ...] | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _fail(where, f"{label} must be a list of text or null")
    if len(value) > 1_000 or any(len(v) > TEXT_MAX for v in value):
        _fail(where, f"{label} is too long")
    return tuple(v.strip() for v in value if v.strip())


def _object(value: object, where: str, label: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where, f"{label} is missing" if value is None else f"{label} must be an object")
    return value


def _rows(document: dict[str, Any], key: str, label: str) -> list[Any]:
    value = document.get(key)
    if not isinstance(value, list):
        _fail(key, f"{label} is missing" if value is None else f"{label} must be a list")
    if len(value) > limits.MAX_ROWS:
        _fail(key, f"more than {limits.MAX_ROWS:,} {label}")
    return value


@lru_cache(maxsize=65_536)
def _iso_date(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date (``None`` when it is not one); cached: a pool of files holds
    a few thousand distinct dates among hundreds of thousands."""
    if len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


_MISSING: Any = object()


def _day(value: object, dates: dict[str, dt.date | None]) -> Any:
    """The date of a ``YYYY-MM-DD`` text, ``None`` for null, or ``_MISSING`` when the checking
    path must look at it.  ``dates`` caches what was parsed (a file repeats its dates)."""
    if value is None:
        return None
    if type(value) is not str:
        return _MISSING
    day = dates.get(value, _MISSING)
    if day is _MISSING:
        day = dates[value] = _iso_date(value)
    return _MISSING if day is None else day


def _fast_supplier(row: dict[str, Any], dates: dict[str, dt.date | None]) -> Any:
    """The supplier when every value is already in the form the checking path keeps (text
    stripped and non-empty, known choices, ``YYYY-MM-DD`` dates), as in every file the
    exporter writes; ``None`` sends the row through :func:`_supplier`, which then gives the
    same result or the one-line refusal.  The checks are written out inline: this runs
    for every supplier of a national pool of files."""
    get = row.get
    text = str
    name = get("name")
    if not (
        type(name) is text and 0 < len(name) <= NAME_MAX and name.strip() == name
    ):  # fmt: skip
        return None
    for key in ("company_number", "category", "parent_group"):
        value = get(key)
        if value is not None and not (
            type(value) is text and 0 < len(value) <= TEXT_MAX and value.strip() == value
        ):
            return None
    identifiers, shared_with = get("identifiers"), get("shared_with")
    for values in (identifiers, shared_with):
        if values is not None and not (
            type(values) is list
            and (
                not values
                or (
                    len(values) <= 1_000
                    and all(
                        type(v) is text and 0 < len(v) <= TEXT_MAX and v.strip() == v
                        for v in values
                    )
                )
            )
        ):
            return None
    criticality, band, sme, score = get("criticality"), get("band"), get("sme"), get("score")
    decide = _day(get("next_decide_by"), dates)
    if (
        (criticality is not None and criticality not in _CRITICALITY)
        or (band is not None and band not in _BANDS)
        or (sme is not None and type(sme) is not bool)
        or (score is not None and not (type(score) is int and 0 <= score <= 100))
        or decide is _MISSING
    ):
        return None
    return make_supplier(
        name,
        get("company_number"),
        None if identifiers is None else tuple(identifiers),
        get("category"),
        criticality,
        sme,
        get("parent_group"),
        None if shared_with is None else tuple(shared_with),
        score,
        band,
        decide,
    )


def _fast_contract(
    row: dict[str, Any], suppliers: set[str], dates: dict[str, dt.date | None]
) -> Any:
    """The contract when every value is already in canonical form (see :func:`_fast_supplier`)."""
    get = row.get
    text = str
    supplier, title = get("supplier"), get("title")
    if not (
        type(supplier) is text
        and supplier in suppliers  # the file's supplier names, already checked
        and type(title) is text
        and 0 < len(title) <= NAME_MAX
        and title.strip() == title
    ):
        return None
    bought, route = get("what_is_bought"), get("procurement_route")
    for value in (bought, route):
        if value is not None and not (
            type(value) is text and 0 < len(value) <= TEXT_MAX and value.strip() == value
        ):
            return None
    notice, migration, renewal = (
        get("notice_period_days"),
        get("migration_lead_time_days"),
        get("auto_renewal"),
    )
    start, end, decide = (
        _day(get("start_date"), dates),
        _day(get("end_date"), dates),
        _day(get("decide_by"), dates),
    )
    if (
        (notice is not None and not (type(notice) is int and 0 <= notice <= _DAYS_MAX))
        or (migration is not None and not (type(migration) is int and 0 <= migration <= _DAYS_MAX))
        or (renewal is not None and type(renewal) is not bool)
        or start is _MISSING
        or end is _MISSING
        or decide is _MISSING
    ):
        return None
    return make_contract(
        supplier, title, bought, route, start, end, notice, renewal, migration, decide
    )


def _supplier(raw: object, index: int, dates: dict[str, dt.date | None]) -> SharedSupplier:
    if type(raw) is dict:
        fast: SharedSupplier | None = _fast_supplier(raw, dates)
        if fast is not None:
            return fast
    where = f"suppliers[{index}]"
    row = _object(raw, where, "the supplier")
    name = _text(row, "name", where, "the supplier's name", limit=NAME_MAX)
    where = f"supplier {show_controls(name)!r}"
    return SharedSupplier(
        name=name,
        company_number=_opt_text(row, "company_number", where, "the company number"),
        identifiers=_opt_texts(row, "identifiers", where, "the identifiers"),
        category=_opt_text(row, "category", where, "the category"),
        criticality=_opt_choice(row, "criticality", where, "the criticality", _CRITICALITY),
        sme=_opt_bool(row, "sme", where, "SME"),
        parent_group=_opt_text(row, "parent_group", where, "the parent group"),
        shared_with=_opt_texts(row, "shared_with", where, "shared with"),
        score=_opt_int(row, "score", where, "the score", 100),
        band=_opt_choice(row, "band", where, "the band", _BANDS),
        next_decide_by=_opt_date(row, "next_decide_by", where, "the next decide-by date"),
    )


def _contract(
    raw: object, index: int, suppliers: set[str], dates: dict[str, dt.date | None]
) -> SharedContract:
    if type(raw) is dict:
        fast: SharedContract | None = _fast_contract(raw, suppliers, dates)
        if fast is not None:
            return fast
    where = f"contracts[{index}]"
    row = _object(raw, where, "the contract")
    supplier = _text(row, "supplier", where, "the contract's supplier", limit=NAME_MAX)
    title = _text(row, "title", where, "the contract's title", limit=NAME_MAX)
    where = f"contract {show_controls(title)!r} of {show_controls(supplier)!r}"
    if supplier not in suppliers:
        _fail(where, "the supplier is not among the file's suppliers")
    return SharedContract(
        supplier=supplier,
        title=title,
        what_is_bought=_opt_text(row, "what_is_bought", where, "what is bought"),
        procurement_route=_opt_text(row, "procurement_route", where, "the procurement route"),
        start_date=_opt_date(row, "start_date", where, "the start date"),
        end_date=_opt_date(row, "end_date", where, "the end date"),
        notice_period_days=_opt_int(
            row, "notice_period_days", where, "the notice period (days)", _DAYS_MAX
        ),
        auto_renewal=_opt_bool(row, "auto_renewal", where, "auto-renewal"),
        migration_lead_time_days=_opt_int(
            row, "migration_lead_time_days", where, "the migration lead time (days)", _DAYS_MAX
        ),
        decide_by=_opt_date(row, "decide_by", where, "the decide-by date"),
    )


def _exported_at(value: object) -> dt.datetime:
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            # A time without a zone is taken as UTC, so files can always be compared.
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    if value is None:
        _fail("header", "the export time is missing")
    _fail("header", "the export time must be a date and time as YYYY-MM-DDTHH:MM:SS+00:00")


def _parse(document: object) -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("format") != SHARE_FORMAT:
        raise _Refused(
            f"not a shared register (format {SHARE_FORMAT!r}): "
            "make one with `export --format share`"
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        _fail("format_version", "the format version must be a whole number from 1")
    if version > SHARE_FORMAT_VERSION:
        raise _Refused(
            f"format version {version} is newer than this release reads "
            f"({SHARE_FORMAT_VERSION}); upgrade supplier-register"
        )
    return document


def parse_shared(document: object, label: str) -> SharedFile:
    """A shared file's parsed JSON as a :class:`SharedFile`; :class:`BadFile` in one line
    (``label`` first) when anything is wrong."""
    try:
        doc = _parse(document)
        shared = _object(doc.get("shared"), "header", "the header")
        trust = shared.get("trust")
        if trust is not None and (not isinstance(trust, str) or len(trust) > NAME_MAX):
            _fail("header", "the trust must be text or null")
        policy = _object(shared.get("policy"), "header", "the redaction policy")
        redacted = _opt_texts(policy, "redacted", "header", "the redacted fields")
        if redacted is None:
            _fail("header", "the redacted fields are missing")
        raw_suppliers = _rows(doc, "suppliers", "suppliers")
        raw_contracts = _rows(doc, "contracts", "contracts")
        answers = doc.get("answers")
        if not isinstance(answers, list):  # not used by the ICS view, but part of the format
            _fail("answers", "answers is missing" if answers is None else "answers must be a list")
        dates: dict[str, dt.date | None] = {}
        suppliers = tuple(_supplier(raw, i, dates) for i, raw in enumerate(raw_suppliers))
        names: set[str] = set()
        for supplier in suppliers:
            if supplier.name in names:
                _fail(f"supplier {show_controls(supplier.name)!r}", "listed twice")
            names.add(supplier.name)
        contracts = tuple(_contract(raw, i, names, dates) for i, raw in enumerate(raw_contracts))
        return SharedFile(
            label=label,
            trust=trust.strip() or None if isinstance(trust, str) else None,
            exported_by=_text(shared, "exported_by", "header", "who exported it", limit=NAME_MAX),
            exported_at=_exported_at(shared.get("exported_at")),
            as_of=_date(shared.get("as_of"), "header", "the as-of date"),
            redacted=redacted,
            suppliers=suppliers,
            contracts=contracts,
        )
    except _Refused as exc:
        raise BadFile(f"{label}: {exc}") from None


def read_shared_file(path: Path) -> SharedFile:
    """The shared file at ``path``, read and checked (see the module's docstring)."""
    label = show_controls(str(path))
    try:
        data = limits.read_limited(path, limits.MAX_JSON_BYTES, "shared file", label)
    except FileNotFoundError:
        raise BadFile(f"{label}: file not found") from None
    except IsADirectoryError:
        raise BadFile(f"{label}: is a folder, not a shared file") from None
    except OSError as exc:
        raise BadFile(f"{label}: cannot read the file: {exc.strerror or exc}") from None
    try:
        document = from_json(data, cache_strings="keys")
    except ValueError as exc:  # invalid JSON or UTF-8, nested too deeply: one line
        raise BadFile(f"{label}: not JSON ({show_controls(str(exc))})") from None
    return parse_shared(document, label)
