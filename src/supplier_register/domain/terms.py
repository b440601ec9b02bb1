"""A contract's term with its extension options: the latest it can run, and when to decide.

Pure date arithmetic on a :class:`~supplier_register.domain.models.Contract`.  The current
term's decide-by date is :meth:`Contract.decide_by
<supplier_register.domain.models.Contract.decide_by>` (end date minus notice minus migration
lead time); :func:`latest_decide_by` is the same for the latest possible end, every extension
option taken.  What is not recorded gives ``None``, never a guess: a contract whose extension
options are not recorded has no known latest end, and one with none (a count of 0) ends when
its current term does.  Like every date sum in the register, these never raise, whatever a
stored record holds (see :mod:`supplier_register.domain.bounds`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from supplier_register.domain.bounds import add_months
from supplier_register.domain.enums import Competition

if TYPE_CHECKING:
    from supplier_register.domain.models import Contract


def extension_months_total(contract: Contract) -> int | None:
    """How many months all the extension options add together (0 when there are none), or
    ``None`` when that is not recorded."""
    count, months = contract.extension_count, contract.extension_months
    if count is None:
        return None
    if count == 0:
        return 0
    if months is None:  # only a record stored by another tool: the models refuse it
        return None
    return count * months


def latest_possible_end(contract: Contract) -> dt.date | None:
    """The end date with every extension option taken (end date + count x months).

    ``None`` when the end date or the extension options are not recorded.
    """
    total = extension_months_total(contract)
    if contract.end_date is None or total is None:
        return None
    return add_months(contract.end_date, total)


def latest_decide_by(contract: Contract) -> dt.date | None:
    """The decide-by date for the latest possible end: the last day to decide whether to
    renew or leave if every extension is taken.  ``None`` when that end is not known."""
    end = latest_possible_end(contract)
    return None if end is None else contract.decide_before(end)


def extensions_text(contract: Contract) -> str:
    """The extension options in a few words: '2 x 12 months', 'none', or 'not recorded'."""
    count, months = contract.extension_count, contract.extension_months
    if count is None:
        return "not recorded"
    if count == 0:
        return "none"
    if months is None:
        return f"{count} x ? months"
    return f"{count} x {months} month{'s' if months != 1 else ''}"


def competition_text(competition: Competition) -> str:
    """How a contract was competed, for people: its label, or 'not recorded' (never 'no')."""
    return "not recorded" if competition is Competition.UNKNOWN else competition.label
