"""Read one spreadsheet cell as a typed value, the way UK registers are written.

Each parser takes what openpyxl or the CSV reader produced (text, a number, a
bool, a date or datetime) and returns a typed value or raises ``ValueError``
with a short reason that names the offending text, so a rejected row can say
exactly what was wrong.  Nothing here guesses: an ambiguous value is refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from openpyxl.utils.datetime import from_excel

from supplier_register.domain.bounds import MONEY_LIMIT, MONEY_MAX, date_problem

CellValue = str | int | float | bool | Decimal | dt.datetime | dt.date | dt.time | None
"""What a cell can hold once read from CSV (always text) or XLSX (typed)."""

E = TypeVar("E", bound=Enum)

UNKNOWN_TOKENS = frozenset(
    {"", "-", "--", "—", "–", "n/a", "na", "n a", "tbc", "tbd", "unknown", "not known", "?", "??"}
)
"""Cell texts that mean 'nothing recorded here'; treated exactly like an empty cell."""

# Serial day numbers Excel uses for 1 Jan 1950 and 31 Dec 2149: outside this a
# number in a date column is far more likely a year or a typo than a date.
_SERIAL_MIN = 18264
_SERIAL_MAX = 91675

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
)
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{4}|\d{2})$")


def _text(value: CellValue) -> str:
    return str(value).strip() if value is not None else ""


def is_blank(value: CellValue) -> bool:
    """True when a cell is empty or holds a 'nothing recorded' token such as 'n/a' or 'TBC'."""
    if value is None:
        return True
    if isinstance(value, str):
        return " ".join(value.split()).casefold() in UNKNOWN_TOKENS
    return False


def normalise_words(text: str) -> str:
    """Lower-case, '&' as 'and', punctuation as spaces, single spaces: for matching words."""
    text = text.casefold().replace("&", " and ").replace("+", " plus ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: 00-69 are this century, 70-99 the last (as Excel does up to 29/30).
        year += 2000 if year < 70 else 1900
    return year


def _make_date(original: str, year: int, month: int, day: int) -> dt.date:
    if not 1 <= month <= 12:
        raise ValueError(f"{original!r} is not a date: month {month} (dates are read day first)")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{original!r} is not a date: {exc}") from None


def _from_serial(number: float, original: str) -> dt.date:
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueError(f"{original!r} is not a date")
    result = from_excel(number)
    if isinstance(result, dt.datetime):
        return result.date()
    if isinstance(result, dt.date):
        return result
    raise ValueError(f"{original!r} is not a date")  # pragma: no cover - from_excel gives dates


def parse_date(value: CellValue) -> dt.date:
    """A date from an Excel date cell, an Excel serial number or UK text (day first).

    Accepts ISO ``2025-03-31``, ``31/03/2025``, ``31/3/25``, ``31.03.2025``,
    ``31-03-2025``, ``31 March 2025``, ``31-Mar-25`` and ``2025/03/31``.  US-style
    month-first text is refused rather than silently misread, and so is a date
    outside the register's window (1900 to 2200: ``domain.bounds``).
    """
    day = read_day(value)
    problem = date_problem(day)
    if problem:
        raise ValueError(f"{_text(value)!r} is not a date the register holds: it {problem}")
    return day


def read_day(value: CellValue) -> dt.date:
    """A date read as :func:`parse_date` reads it, before the register's window is checked."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time):
        raise ValueError(f"{_text(value)!r} is not a date")
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise ValueError(f"{_text(value)!r} is not a date")
        return _from_serial(number, _text(value))
    text = _text(value)
    lowered = " ".join(text.casefold().split())
    if match := _ISO.match(lowered):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(text, year, month, day)
    if match := _YMD_SLASH.match(lowered):
        year, month, day = (int(g) for g in match.groups())
        return _make_date(text, year, month, day)
    if match := _DMY.match(lowered):
        day_s, month_s, year_s = match.groups()
        return _make_date(text, _year(year_s), int(month_s), int(day_s))
    if match := _D_MONTH_Y.match(lowered):
        day_s, month_name, year_s = match.groups()
        named_month = _MONTH_NAMES.get(month_name)
        if named_month is None:
            raise ValueError(f"{text!r} is not a date: unknown month {month_name!r}")
        return _make_date(text, _year(year_s), named_month, int(day_s))
    if re.fullmatch(r"\d+(?:\.\d+)?", lowered):
        if len(lowered) == 4 and "." not in lowered:
            raise ValueError(f"{text!r} is a year, not a date")
        return _from_serial(float(lowered), text)
    raise ValueError(f"{text!r} is not a date (use dd/mm/yyyy or yyyy-mm-dd)")


_FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NAMES = _MONTHS | {name: number for number, name in enumerate(_FULL_MONTHS, start=1)}


_MULTIPLIERS = {
    "k": Decimal(1000),
    "thousand": Decimal(1000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
_MONEY_NOTES = re.compile(
    r"\s*(?:\(?\s*(?:\+|plus|ex\.?|exc\.?|excl\.?|excluding|inc\.?|incl\.?|including)\s*vat\s*\)?"
    r"|p\.?a\.?|per annum|per year|a year|/\s*yr|/\s*year|pa)\s*$"
)
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CENT = Decimal("0.01")


def parse_money(value: CellValue, multiplier: Decimal = Decimal(1)) -> Decimal:
    """An amount in pounds from a number or text such as '£1,250.50', '£250k' or '1.2m + VAT'.

    ``multiplier`` applies the unit named in the column header (e.g. '£k')
    unless the cell names its own ('£45.5k').  A
    figure in another currency, a negative amount or a European decimal comma
    is refused, because reading it as pounds would be wrong.
    """
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(f"{_text(value)!r} is not an amount of money")
    if isinstance(value, int | float | Decimal):
        if (isinstance(value, float) and not math.isfinite(value)) or (
            isinstance(value, Decimal) and not value.is_finite()
        ):
            raise ValueError(f"{_text(value)!r} is not an amount of money")
        amount = Decimal(str(value)) * multiplier
        if amount < 0:
            raise ValueError(f"{_text(value)!r} is negative")
        _check_ceiling(amount, value)
        if isinstance(value, float):
            amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        return amount
    text = _text(value)
    work = text.casefold().replace("\u00a0", " ")
    if any(sign in work for sign in ("$", "€", "usd", "eur")):
        raise ValueError(f"{text!r} is not in pounds")
    if (work.startswith("(") and work.endswith(")")) or work.startswith("-"):
        raise ValueError(f"{text!r} is negative")
    work = _MONEY_NOTES.sub("", work).strip()
    work = work.replace("£", "").replace("gbp", "").strip()
    unit = Decimal(1)
    if match := re.fullmatch(r"(.*?)\s*(k|thousand|m|mn|million|bn|billion)", work):
        work, unit = match.group(1).strip(), _MULTIPLIERS[match.group(2)]
    work = work.replace(" ", "")
    if not _NUMBER.match(work):
        raise ValueError(f"{text!r} is not an amount of money")
    try:
        # A unit written in the cell ('45.5k') wins over the one in the header.
        amount = Decimal(work.replace(",", "")) * (unit if unit != 1 else multiplier)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ValueError(f"{text!r} is not an amount of money") from None
    _check_ceiling(amount, value)
    if unit != 1 or multiplier != 1:
        amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    return amount


def _check_ceiling(amount: Decimal, value: CellValue) -> None:
    """Refuse an amount above the register's ceiling before any rounding (which it would
    overflow): a figure that large is a typo or a unit error, never a contract."""
    if amount > MONEY_MAX:
        raise ValueError(f"{_text(value)!r} is more than {MONEY_LIMIT}, the most an amount can be")


_YES = frozenset({"yes", "y", "true", "t", "1", "✓", "✔", "✅", "☑", "ticked"})
_NO = frozenset({"no", "n", "false", "f", "0", "✗", "✘", "❌", "☒", "×", "none"})


_NOT_RECORDED = frozenset(
    {"not recorded", "to be confirmed", "to be determined", "unsure", "not sure", "don't know"}
)
"""Answers to a yes/no question that record nothing (besides :data:`UNKNOWN_TOKENS`)."""


def parse_bool(value: CellValue) -> bool | None:
    """Yes or no from a boolean cell, 1/0, or text like 'Y', 'yes - signed 2023', 'False', '✓';
    ``None`` (not recorded, never "no") for a blank cell or one like 'TBC', 'unknown', 'n/a',
    '?' or 'not sure'."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if value == 1:
            return True
        if value == 0:
            return False
        raise ValueError(f"{_text(value)!r} is not yes or no")
    text = _text(value)
    lowered = text.casefold()
    if " ".join(lowered.replace("’", "'").split()) in _NOT_RECORDED:
        return None
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    first = re.split(r"[\s,;:.()\-–—/]+", lowered, maxsplit=1)[0]
    if first in {"yes", "y"}:
        return True
    if first in {"no", "n"}:
        return False
    raise ValueError(f"{text!r} is not yes or no")


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty four": 24,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 365 / 12, "year": 365.0}


def _unit_of(word: str) -> str | None:
    word = word.rstrip("s")
    aliases = {"d": "day", "wk": "week", "w": "week", "mth": "month", "mon": "month", "m": "month"}
    aliases |= {"yr": "year", "y": "year"}
    word = aliases.get(word, word)
    return word if word in _UNIT_DAYS else None


def parse_days(value: CellValue, unit: str = "day") -> int:
    """A whole number of days from '90', '90 days', '12 weeks', '3 months' or 'six months'.

    A bare number is in ``unit`` (from the column header, e.g. 'Notice (months)').
    Months count as 365/12 days, rounded to the nearest day.
    """
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(f"{_text(value)!r} is not a number of days")
    text = _text(value)
    if isinstance(value, int | float | Decimal):
        number, words = float(value), unit
    else:
        if text.startswith(("-", "(")):
            raise ValueError(f"{text!r} is not a number of days")
        lowered = " ".join(text.casefold().replace("-", " ").strip(" '.").split())
        if match := re.fullmatch(r"(\d+(?:\.\d+)?)\s*([a-z]+)?", lowered):
            number, words = float(match.group(1)), match.group(2) or unit
        else:
            amount_s, _, last = lowered.rpartition(" ")
            if not amount_s or _unit_of(last) is None:
                amount_s, last = lowered, unit
            if amount_s not in _NUMBER_WORDS:
                raise ValueError(f"{text!r} is not a number of days")
            number, words = float(_NUMBER_WORDS[amount_s]), last
    unit_name = _unit_of(words)
    if unit_name is None or math.isnan(number) or math.isinf(number) or number < 0:
        raise ValueError(f"{text!r} is not a number of days")
    days = number * _UNIT_DAYS[unit_name]
    if unit_name == "day" and days != int(days):
        raise ValueError(f"{text!r} is not a whole number of days")
    return int(days + 0.5)


_CADENCE_WORDS = {
    "monthly": 1,
    "every month": 1,
    "quarterly": 3,
    "every quarter": 3,
    "six monthly": 6,
    "6 monthly": 6,
    "half yearly": 6,
    "biannually": 6,
    "twice a year": 6,
    "annually": 12,
    "annual": 12,
    "yearly": 12,
    "every year": 12,
    "every two years": 24,
    "biennially": 24,
}


def parse_months(value: CellValue) -> int:
    """A whole number of months from '6', '6 months', 'quarterly', 'annually' or '1 year'."""
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(f"{_text(value)!r} is not a number of months")
    text = _text(value)
    if isinstance(value, int | float | Decimal):
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            raise ValueError(f"{text!r} is not a whole number of months")
        if value != int(value):
            raise ValueError(f"{text!r} is not a whole number of months")
        return int(value)
    lowered = normalise_words(text)
    if lowered in _CADENCE_WORDS:
        return _CADENCE_WORDS[lowered]
    match = re.fullmatch(r"(?:every )?(\d{1,9}|[a-z ]+?)(?: (months?|mths?|years?|yrs?))?", lowered)
    if match:
        amount_s, unit = match.group(1), match.group(2) or "month"
        number = int(amount_s) if amount_s.isdigit() else _NUMBER_WORDS.get(amount_s)
        if number is not None:
            return number * 12 if unit.startswith("y") else number
    raise ValueError(f"{text!r} is not a number of months")


@dataclass(frozen=True)
class Extensions:
    """An extension options cell: its text, and the number and months of the options when the
    text says them plainly (``None`` when it does not: not recorded, never guessed)."""

    text: str
    count: int | None = None
    months: int | None = None


_NO_EXTENSIONS = frozenset(
    {"none", "no", "nil", "0", "no extension", "no extensions", "no options", "no option"}
)
_EXTENSION_UNIT = r"(months?|mths?|m|years?|yrs?|y)"
_TIMES = re.compile(rf"^(\d{{1,3}})\s*(?:x|\*|times)\s*(\d{{1,4}})\s*{_EXTENSION_UNIT}(?![a-z0-9])")
_PLUS = re.compile(rf"^(\d{{1,4}}(?:\s*\+\s*\d{{1,4}})+)\s*{_EXTENSION_UNIT}(?![a-z0-9])")


def parse_extensions(value: CellValue) -> Extensions:
    """Extension options from '2 x 12 months', '2x12m', '1 x 2 years', '1 + 1 years' (two
    of 12 months) or 'none' (0), keeping the text as written.

    Anything else ('Extended twice', '3 + 1 + 1 years', '2 x 12' without a unit) keeps only
    the text: the number and months stay not recorded rather than guessed.
    """
    text = parse_text(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and value == 0:
        return Extensions(text, 0)
    lowered = " ".join(text.casefold().replace("×", "x").replace("-", " ").split())
    if lowered in _NO_EXTENSIONS:
        return Extensions(text, 0)
    if match := _TIMES.match(lowered):
        count, length, unit = int(match.group(1)), int(match.group(2)), match.group(3)
    elif match := _PLUS.match(lowered):
        terms = {int(term) for term in match.group(1).split("+")}
        if len(terms) != 1:  # '3 + 1 + 1': a term and options, or options of unequal lengths
            return Extensions(text)
        count, length, unit = match.group(1).count("+") + 1, terms.pop(), match.group(2)
    else:
        return Extensions(text)
    months = length * 12 if unit.startswith("y") else length
    return Extensions(text, count, months)


def parse_text(value: CellValue) -> str:
    """Cell text as written; whole numbers read by Excel as floats lose their '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _text(value)


def parse_name(value: CellValue) -> str:
    """A name with runs of spaces, tabs, line breaks and non-breaking spaces made single spaces."""
    return " ".join(parse_text(value).split())


def parse_company_number(value: CellValue) -> str:
    """A Companies House number; restores leading zeros Excel dropped from a numeric cell."""
    original = parse_text(value)
    text = original.replace(" ", "").upper()
    if text.isdigit() and 5 <= len(text) < 8:
        text = text.zfill(8)
    if len(text) == 8 and (text.isdigit() or (text[:2].isalpha() and text[2:].isdigit())):
        return text
    raise ValueError(f"{original!r} is not a company number (8 digits, or 2 letters and 6 digits)")


def parse_list(value: CellValue) -> list[str]:
    """Names separated by semicolons or line breaks (or commas when there are no semicolons)."""
    text = parse_text(value)
    separators = r"[;\n|]" if re.search(r"[;\n|]", text) else r","
    return [" ".join(part.split()) for part in re.split(separators, text) if part.strip()]


def parse_enum(
    enum: type[E],
    value: CellValue,
    synonyms: Mapping[str, E] | None = None,
    ambiguous: Mapping[str, str] | None = None,
) -> E:
    """A member of ``enum`` by its stored value, its label, or a common synonym, ignoring case.

    A word in ``ambiguous`` (normalised, with why it is) is refused, naming the choices,
    even when it is a member's value: the sheet must say which it means.
    """
    text = parse_text(value)
    key = normalise_words(text)
    choices = ", ".join(getattr(m, "label", str(m.value)) for m in enum)
    if ambiguous and key in ambiguous:
        raise ValueError(f"{text!r} is ambiguous ({ambiguous[key]}); write one of: {choices}")
    for member in enum:
        label = getattr(member, "label", str(member.value))
        if key in (normalise_words(str(member.value)), normalise_words(label)):
            return member
    if synonyms and key in synonyms:
        return synonyms[key]
    raise ValueError(f"{text!r} is not one of: {choices}")


def join_nonblank(values: Iterable[str]) -> str:
    """Join the non-empty strings with '; '."""
    return "; ".join(v for v in values if v)
