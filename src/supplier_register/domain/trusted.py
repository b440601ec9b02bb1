"""Pydantic models made from values the program produced itself, without validating them again.

The one place that reaches past pydantic's public API.  Summaries, scores and
records of a large register hold hundreds of thousands of small models.
Validating each copies its values and gives it a set of its own naming the
fields that were set, which for a large register takes more memory (and time)
than the values.  Callers pass every field, each of its field's type (their
tests validate whole results again), and:

- :func:`construct` goes through ``model_construct``, with one fields-set
  shared by every model of a class;
- :func:`maker` gives a function that does what ``model_construct`` does for a
  plain model (no aliases, private attributes, post-init hook or extra fields)
  by setting the instance's four slots itself: its per-field loop was most of
  the cost of scoring and reading a large register (:func:`whole_maker` when
  every field is given);
- :func:`share_fields_set` gives a validated model the class's shared set.

``tests/unit/test_trusted.py`` checks these against the installed pydantic: it fails
when pydantic's instance layout changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

INSTANCE_SLOTS = (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
)
"""What a pydantic model instance holds (``BaseModel.__slots__``), all of which :func:`maker` sets."""


def construct(cls: type[M], **values: Any) -> M:
    """``cls`` with ``values``, unvalidated, sharing the class's fields-set."""
    return cls.model_construct(every_field(cls), **values)


@cache
def every_field(cls: type[BaseModel]) -> set[str]:
    """The names of all of ``cls``'s fields (one set per class, shared by its instances)."""
    return set(cls.model_fields)


def is_plain(model: type[BaseModel]) -> bool:
    """Whether ``model_construct`` of ``model`` comes down to setting its instance's slots."""
    return (
        not model.__pydantic_root_model__
        and not model.__private_attributes__
        and not model.__pydantic_post_init__
        and model.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in model.model_fields.values())
    )


def maker(model: type[M]) -> Callable[[dict[str, Any], set[str]], M]:
    """A function doing what ``model.model_construct(fields_set, **values)`` does, faster.

    ``values`` must hold every field, and becomes the instance's ``__dict__``
    (the caller gives up the dict).  A model that is not :func:`plain <is_plain>`
    goes through ``model_construct``.
    """
    if not is_plain(model):

        def construct_slowly(values: dict[str, Any], fields_set: set[str]) -> M:
            return model.model_construct(fields_set, **values)

        return construct_slowly

    new = model.__new__
    setattr_ = object.__setattr__

    def make(values: dict[str, Any], fields_set: set[str]) -> M:
        instance = new(model)
        setattr_(instance, "__dict__", values)
        setattr_(instance, "__pydantic_fields_set__", fields_set)
        setattr_(instance, "__pydantic_extra__", None)
        setattr_(instance, "__pydantic_private__", None)
        return instance

    return make


def whole_maker(model: type[M]) -> Callable[[dict[str, Any]], M]:
    """:func:`maker` for values holding every field, sharing the class's fields-set."""
    make, fields_set = maker(model), every_field(model)

    def make_whole(values: dict[str, Any]) -> M:
        return make(values, fields_set)

    return make_whole


def share_fields_set(record: BaseModel) -> None:
    """Give a validated model that set every field the class's one shared fields-set.

    A set per record was two thirds of a large import's memory; setting a field
    adds a name already there, so sharing it changes nothing.
    """
    fields = every_field(type(record))
    if record.model_fields_set == fields:
        object.__setattr__(record, "__pydantic_fields_set__", fields)
