"""The key bar at the bottom, compact on narrow terminals so the important keys still fit."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 110
"""Terminal width (cells) under which the footer packs keys more tightly."""


class KeyFooter(Footer):
    """A ``Footer`` that switches to its compact style on narrow terminals."""

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
