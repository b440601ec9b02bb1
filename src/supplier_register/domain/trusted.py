"""Pydantic models made from values the program produced itself, without validating them again.

Summaries and review reports of a large register hold hundreds of thousands
of small models.  Validating each copies its values and gives it a set of its
own naming the fields that were set, which for a large register takes more
memory than the values.  :func:`construct` uses ``model_construct`` with one
fields-set shared by every model of a class; callers pass every field, each of
its field's type (their tests validate whole results again).
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def construct(cls: type[M], **values: Any) -> M:
    """``cls`` with ``values``, unvalidated, sharing the class's fields-set."""
    return cls.model_construct(every_field(cls), **values)


@cache
def every_field(cls: type[BaseModel]) -> set[str]:
    """The names of all of ``cls``'s fields (one set per class, shared by its instances)."""
    return set(cls.model_fields)
