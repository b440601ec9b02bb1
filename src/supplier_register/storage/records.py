"""Domain models from trusted database rows, built without validating them a second time.

Every row in the register was validated by the models on its way in, so
reading tens of thousands of them back through ``model_validate`` spends most
of its time (and memory) re-checking what is already known to be good.  A
:class:`RowReader` instead converts each column to exactly the type its field
holds after validation (enum members, ``date``, ``Decimal`` pounds, ``bool``,
lists) and calls ``model_construct``.  Values that repeat across rows (supplier
names, question ids, dates) are shared rather than copied, and every model of
one read shares one fields-set, which together cut the memory of a large
register by about two thirds.  A row that does not convert (a database edited
by hand) falls back to ordinary validation, so it fails exactly as before.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import types
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar, Union, cast, get_args, get_origin

from pydantic import BaseModel

from supplier_register.domain.trusted import maker

M = TypeVar("M", bound=BaseModel)

Convert = Callable[[Any], Any]


def pounds(value: int | None) -> Decimal | None:
    """Pence as stored, back to pounds to the penny."""
    return None if value is None else Decimal(value).scaleb(-2)


def _unwrap(annotation: Any) -> Any:
    """The type inside ``X | None`` and ``Annotated[X, ...]``."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return _unwrap(inner[0])
    return annotation


class _EnumValue:
    """Converts a stored value to its member of ``cls`` (``cls(value)`` raises for others)."""

    def __init__(self, cls: type[Enum]) -> None:
        self.cls = cls
        self.members = dict(cls._value2member_map_)

    def __call__(self, value: Any) -> Enum:
        member = self.members.get(value)
        return self.cls(value) if member is None else member


def _enum(cls: type[Enum]) -> Convert:
    return _EnumValue(cls)


class _Memo(dict[Any, Any]):
    """Converted values by stored value: each distinct value is converted once.

    A look-up is one dictionary access (``None`` is kept as itself); only a value
    not seen before calls ``convert`` (``None``: keep the value), which may raise
    to send the row to validation.  For immutable results only, so sharing them
    between models is safe.
    """

    def __init__(self, convert: Convert | None) -> None:
        super().__init__()
        self[None] = None
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        converted = value if self.convert is None else self.convert(value)
        self[value] = converted
        return converted


def _memoised(convert: Convert | None, shared: bool) -> bool:
    """Whether a field's values go through a :class:`_Memo`: shared, or converted to
    immutable values that repeat (enum members, dates, booleans)."""
    return shared or isinstance(convert, _EnumValue) or convert in (bool, dt.date.fromisoformat)


def converter(annotation: Any, *, money: bool = False) -> Convert | None:
    """How to turn a stored value into the type of a field (``None``: use it as it is).

    Raises ``TypeError`` for a field type it does not know, so a new kind of
    field fails the storage tests instead of being read back with the wrong type.
    """
    annotation = _unwrap(annotation)
    if money:
        if annotation is not Decimal:
            raise TypeError(f"money field of type {annotation!r}")
        return pounds
    if annotation is bool:
        return bool
    if annotation is dt.date:
        return dt.date.fromisoformat
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _enum(annotation)
    if get_origin(annotation) is list:
        return _json_list
    if annotation in (str, int):
        return None
    raise TypeError(f"no database reader for fields of type {annotation!r}")


def _json_list(text: str) -> list[Any]:
    """A list column: most are empty, which needs no JSON parser (a new list each time, as
    records are never meant to share one)."""
    return [] if text == "[]" else cast(list[Any], json.loads(text))


class RowReader(Generic[M]):
    """Builds ``model`` from rows of a query whose columns are named after its fields.

    ``money`` maps a field to the column holding it in pence; ``shared`` names the
    fields whose values repeat across rows and are worth sharing.
    """

    def __init__(
        self,
        model: type[M],
        *,
        money: Mapping[str, str] | None = None,
        shared: Collection[str] = (),
    ) -> None:
        self.model = model
        money = money or {}
        self._fields: list[tuple[str, str, Convert | None, bool]] = []
        for name, info in model.model_fields.items():
            convert = converter(info.annotation, money=name in money)
            self._fields.append((name, money.get(name, name), convert, name in shared))
        self._names = tuple(model.model_fields)
        self._construct = maker(model)
        self._code: dict[tuple[str, ...], types.CodeType] = {}
        """The compiled builder of each query shape (its columns), kept: compiling was most of
        the cost of a small read, and the impact view makes many."""

    def read(
        self,
        cursor: sqlite3.Cursor,
        fallback: Callable[[Mapping[str, Any]], M],
    ) -> list[M]:
        """Every row of an executed query as a model; ``fallback`` validates a row that does not convert."""
        return list(self.iter(cursor, fallback))

    def iter(
        self,
        cursor: sqlite3.Cursor,
        fallback: Callable[[Mapping[str, Any]], M],
    ) -> Iterator[M]:
        """The rows of an executed query as models, one at a time (see :meth:`read`)."""
        columns = [d[0] for d in cursor.description]
        build = self._builder(columns)
        fields_set = set(self._names)
        construct = self._construct
        for row in cursor:
            try:
                values = build(row)
            except (ValueError, TypeError, KeyError):
                yield fallback(dict(zip(columns, row, strict=True)))
                continue
            yield construct(values, fields_set)

    def _builder(self, columns: Sequence[str]) -> Callable[[Sequence[Any]], dict[str, Any]]:
        """A function from a row (of a query with these columns) to the model's field values.

        Written out for this query as :func:`collections.namedtuple` and
        :mod:`dataclasses` write their methods: one dict display, every field
        converted inline, instead of a loop over the fields for every row (a
        third of the cost of reading 30,000 contracts).  Only field names
        (identifiers) and column numbers go into the code; the values stay in
        the row.  The code is compiled once per query shape and kept; each read
        gets its own function, with memos of its own.
        """
        index = {name: i for i, name in enumerate(columns)}
        namespace: dict[str, Any] = {}
        entries = []
        for n, (name, column, convert, shared) in enumerate(self._fields):
            if not name.isidentifier():
                raise ValueError(f"field name {name!r}")
            value = f"row[{index[column]}]"
            if _memoised(convert, shared):
                namespace[f"memo{n}"] = _Memo(convert)
                value = f"memo{n}[{value}]"
            elif convert is not None:
                namespace[f"convert{n}"] = convert
                value = f"None if {value} is None else convert{n}({value})"
            entries.append(f"{name!r}: {value}")
        key = tuple(columns)
        code = self._code.get(key)
        if code is None:
            source = "def build(row):\n    return {" + ", ".join(entries) + "}\n"
            code = compile(source, f"<{self.model.__name__} row builder>", "exec")
            self._code[key] = code
        exec(code, namespace)
        build: Callable[[Sequence[Any]], dict[str, Any]] = namespace["build"]
        return build
