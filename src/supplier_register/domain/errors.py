"""User errors: problems a person can fix, reported in one line, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence

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


def _reason(error: dict[str, object]) -> str:
    msg = str(error.get("msg", "invalid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    if error.get("type") == "extra_forbidden":
        msg = "unknown field"
    elif error.get("type") == "enum":
        ctx = error.get("ctx")
        expected = ctx.get("expected") if isinstance(ctx, dict) else None
        msg = f"must be one of {expected}" if expected else msg
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
