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
from collections.abc import Callable, Collection, Iterator, Mapping
from decimal import Decimal
from enum import Enum
from operator import itemgetter
from typing import Annotated, Any, Generic, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from supplier_register.gcpause import gc_paused

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


def _enum(cls: type[Enum]) -> Convert:
    members = dict(cls._value2member_map_)

    def convert(value: Any) -> Enum:
        member = members.get(value)
        return cls(value) if member is None else member

    return convert


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
        return json.loads
    if annotation in (str, int):
        return None
    raise TypeError(f"no database reader for fields of type {annotation!r}")


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
        self._construct = _constructor(model)

    def read(
        self,
        cursor: sqlite3.Cursor,
        fallback: Callable[[Mapping[str, Any]], M],
    ) -> list[M]:
        """Every row of an executed query as a model; ``fallback`` validates a row that does not convert."""
        with gc_paused():
            return list(self.iter(cursor, fallback))

    def iter(
        self,
        cursor: sqlite3.Cursor,
        fallback: Callable[[Mapping[str, Any]], M],
    ) -> Iterator[M]:
        """The rows of an executed query as models, one at a time (see :meth:`read`)."""
        columns = [d[0] for d in cursor.description]
        index = {name: i for i, name in enumerate(columns)}
        positions = [index[column] for _, column, _, _ in self._fields]
        pick = itemgetter(*positions) if len(positions) > 1 else lambda row: (row[positions[0]],)
        names = self._names
        steps: list[tuple[str, Convert | None, dict[Any, Any] | None]] = [
            (name, convert, {} if shared else None)
            for name, _, convert, shared in self._fields
            if convert is not None or shared
        ]
        fields_set = set(names)
        construct = self._construct
        for row in cursor:
            values = dict(zip(names, pick(row), strict=True))
            try:
                for name, convert, memo in steps:
                    value = values[name]
                    if value is None:
                        continue
                    if memo is None:
                        values[name] = convert(value)  # type: ignore[misc]
                    else:
                        cached = memo.get(value)
                        if cached is None:
                            cached = memo[value] = value if convert is None else convert(value)
                        values[name] = cached
            except (ValueError, TypeError, KeyError):
                yield fallback(dict(zip(columns, row, strict=True)))
                continue
            yield construct(values, fields_set)


def _constructor(model: type[M]) -> Callable[[dict[str, Any], set[str]], M]:
    """A function doing what ``model.model_construct(fields_set, **values)`` does, faster.

    ``values`` must hold every field.  For a model without aliases, private
    attributes, post-init hook or extra fields, ``model_construct`` comes down to
    setting the four instance attributes below; its per-field loop is most of
    the cost of reading a large register.  Any other model uses ``model_construct``.
    """
    simple = (
        not model.__pydantic_root_model__
        and not model.__private_attributes__
        and not model.__pydantic_post_init__
        and model.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in model.model_fields.values())
    )
    if not simple:

        def construct_slowly(values: dict[str, Any], fields_set: set[str]) -> M:
            return model.model_construct(fields_set, **values)

        return construct_slowly

    new = model.__new__
    setattr_ = object.__setattr__

    def construct(values: dict[str, Any], fields_set: set[str]) -> M:
        instance = new(model)
        setattr_(instance, "__dict__", values)
        setattr_(instance, "__pydantic_fields_set__", fields_set)
        setattr_(instance, "__pydantic_extra__", None)
        setattr_(instance, "__pydantic_private__", None)
        return instance

    return construct
