"""Small helpers that write dates, money and lists the way a board paper does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from supplier_register.domain.enums import Criticality, Role


@lru_cache(maxsize=8192)
def long_date(day: dt.date) -> str:
    """'1 March 2026'.  Cached: a large register writes the same few thousand dates again and again."""
    return f"{day.day} {day:%B %Y}"


def money(amount: Decimal | int | float) -> str:
    """'£1,250,000' (pence shown only when there are any)."""
    value = Decimal(str(amount))
    if value == value.to_integral_value():
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


def quoted(title: str) -> str:
    """A record name in single quotes, as it appears in running text."""
    return f"'{title}'"


def join_and(items: Sequence[str], conjunction: str = "and", separator: str = ", ") -> str:
    """'a', 'a and b', 'a, b and c'."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{separator.join(items[:-1])} {conjunction} {items[-1]}"


def join_some(
    items: Sequence[str], limit: int = 3, conjunction: str = "and", separator: str = ", "
) -> str:
    """Like :func:`join_and` but names at most ``limit`` items and counts the rest."""
    if len(items) <= limit:
        return join_and(items, conjunction, separator)
    return f"{separator.join(items[:limit])} {conjunction} {len(items) - limit} more"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 day', '3 days'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def sentence_start(text: str) -> str:
    """Capitalise the first letter without touching the rest (names keep their case)."""
    return text[:1].upper() + text[1:]


def criticality_phrase(criticality: Criticality) -> str:
    """'strategic', 'high-criticality', ... as in 'a ... supplier'."""
    if criticality is Criticality.STRATEGIC:
        return "strategic"
    return f"{criticality.label.lower()}-criticality"


def role_phrase(role: Role) -> str:
    """A role label inside a sentence: 'senior manager', but 'CIO / CDO' kept as written."""
    label = role.label
    return label if label[:2].isupper() else label[:1].lower() + label[1:]
