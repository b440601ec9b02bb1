"""User errors: problems a person can fix, reported in one line, never a traceback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ValidationError


class RegisterError(Exception):
    """Base class of every error caused by user input rather than a bug."""

    exit_code = 2

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class InvalidInput(RegisterError):
    """One or more values failed validation; ``problems`` holds one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(first_problem(self.problems))


def first_problem(problems: Sequence[str]) -> str:
    """The first of ``problems`` in one line, saying how many more there are."""
    first = problems[0] if problems else "invalid input"
    more = len(problems) - 1
    return first if more == 0 else f"{first} (and {more} more problem(s))"


class NotFound(RegisterError):
    """A named or numbered record does not exist."""


class Duplicate(RegisterError):
    """A record with the same natural key already exists."""


class StaleRecord(RegisterError):
    """Somebody else saved the record after it was loaded; reload before saving."""


class BadFile(RegisterError):
    """A file cannot be read or is not in the expected format."""


def _loc(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + item)
    return "".join(parts) or "record"


_PLAIN = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "decimal_parsing": "must be a number",
    "decimal_type": "must be a number",
    "float_parsing": "must be a number",
    "date_parsing": "must be a date such as 2025-03-31",
    "date_from_datetime_parsing": "must be a date such as 2025-03-31",
    "date_from_datetime_inexact": "must be a date such as 2025-03-31",
    "date_type": "must be a date such as 2025-03-31",
    "bool_parsing": "must be yes or no",
    "bool_type": "must be yes or no",
    "string_type": "must be text",
}
"""Pydantic's wording of common problems, said plainly (after the field's name)."""

_BOUNDS = {
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be more than {}"),
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be less than {}"),
    "string_too_long": ("max_length", "must be at most {} characters long"),
    "too_long": ("max_length", "must have at most {} items"),
}


def _number(value: object) -> object:
    """A bound as a person writes it: 0 rather than 0.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plain_reason(error: Mapping[str, object]) -> str:
    """One pydantic problem in plain English, e.g. "must be at least 0", "is required"."""
    return _reason(dict(error))


def _reason(error: dict[str, object]) -> str:
    msg = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    kind = str(error.get("type"))
    ctx = error.get("ctx")
    if kind == "extra_forbidden":
        msg = "unknown field"
    elif kind == "enum":
        expected = ctx.get("expected") if isinstance(ctx, dict) else None
        msg = f"must be one of {expected}" if expected else msg
    elif kind in _PLAIN:
        msg = _PLAIN[kind]
    elif kind in _BOUNDS and isinstance(ctx, dict) and _BOUNDS[kind][0] in ctx:
        key, wording = _BOUNDS[kind]
        msg = wording.format(_number(ctx[key]))
    elif kind == "string_too_short" and isinstance(ctx, dict) and ctx.get("min_length") == 1:
        msg = "must not be empty"
    elif kind == "string_too_short" and isinstance(ctx, dict) and "min_length" in ctx:
        msg = f"must be at least {ctx['min_length']} characters long"
    elif kind == "decimal_max_places" and isinstance(ctx, dict) and "decimal_places" in ctx:
        msg = f"must have at most {ctx['decimal_places']} decimal places"
    elif msg.startswith("Input should be "):
        msg = "must be " + msg.removeprefix("Input should be ")
    return msg[:1].lower() + msg[1:]


def describe_validation_error(
    exc: ValidationError, record: str = "", model: type[BaseModel] | None = None
) -> list[str]:
    """Turn a pydantic error into lines of ``record: field: reason``.

    Given the ``model`` validated, a field declared with a ``title`` (e.g.
    "tolerable outage (hours)") is named by it rather than by its key.
    """
    lines = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        field = model.model_fields.get(str(loc[0])) if model is not None and loc else None
        if field is not None and field.title:
            loc = (field.title, *loc[1:])
        where = _loc(loc)
        prefix = f"{record}: " if record else ""
        lines.append(f"{prefix}{where}: {_reason(dict(error))}")
    return lines


def unreadable_record(exc: ValidationError) -> RegisterError:
    """The one-line error for a record read from the register that this release cannot read.

    User input is checked where it is read, so a validation error that reaches a
    command or a screen came from the register itself: a record written by another
    tool or restored from a crafted file.
    """
    first = describe_validation_error(exc)[0]
    return RegisterError(
        f"the register holds a record this release cannot read ({first}); "
        "`supplier-register audit --verify` shows what changed, or restore a backup"
    )
