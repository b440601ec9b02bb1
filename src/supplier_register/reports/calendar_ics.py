"""Deadlines as an iCalendar file (RFC 5545) a CIO imports into, or subscribes to in, Outlook.

One all-day event per deadline, with a UID made from the record ids and the kind, so that a
re-export updates the events already in the calendar rather than adding copies; a reminder a
week before and one on the day.  Every piece of user text goes in as a property value, which
:mod:`icalendar` escapes (commas, semicolons, backslashes, newlines), never as raw lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from supplier_register.domain.bounds import add_days
from supplier_register.scoring.deadlines import Deadline

PRODID = "-//supplier-register//Deadlines//EN"
UID_DOMAIN = "supplier-register.deadlines"
EPOCH = dt.date(2000, 1, 1)
"""SEQUENCE counts days from here to the export's day, so each day's export supersedes."""


def _alarm(trigger: dt.timedelta, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", trigger)
    return alarm


def summary(deadline: Deadline) -> str:
    """The event's title: supplier, contract and what falls due."""
    about = f" '{deadline.contract}'" if deadline.contract is not None else ""
    overdue = "OVERDUE: " if deadline.overdue else ""
    return f"{overdue}{deadline.supplier}{about}: {deadline.what}"


def deadlines_ics(deadlines: Iterable[Deadline], stamp: dt.datetime) -> bytes:
    """The calendar, as bytes (UTF-8, CRLF line ends).  ``stamp`` is the DTSTAMP of every
    event (when the file was made, UTC); its day sets the SEQUENCE."""
    # A later export is a newer revision of the same events: clients that compare SEQUENCE
    # (Google, Apple) take its dates and titles, as Outlook does for the same UID.
    sequence = max(0, (stamp.date() - EPOCH).days)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Supplier register deadlines")
    for deadline in deadlines:
        event = Event()
        event.add("uid", f"{deadline.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", deadline.date)
        event.add("dtend", add_days(deadline.date, 1))
        event.add("summary", summary(deadline))
        event.add("description", deadline.meaning)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [deadline.label])
        title = summary(deadline)
        event.add_component(_alarm(dt.timedelta(days=-7), f"In a week: {title}"))
        event.add_component(_alarm(dt.timedelta(hours=9), f"Today: {title}"))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
