"""The key bar at the bottom, compact on narrow terminals so the important keys still fit."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 110
"""Terminal width (cells) under which the footer packs keys more tightly."""


class KeyFooter(Footer):
    """A ``Footer`` that switches to its compact style on narrow terminals and shows only the
    keys that fit whole beside the command palette's key (the rest are in help, ``?``).

    Textual's footer lets its keys run on under the palette key docked at the right, which
    is drawn one cell short of the edge in the compact style: at 80 columns the bar read
    ``… o Ow▏^p palettee``.  Here the palette key sits at the edge and a key that would
    be cut is not shown at all.
    """

    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-command-palette {
        margin: 0;
    }
    """

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
        self.call_after_refresh(self.fit_keys)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_keys)

    def _show_all(self) -> None:
        for child in self.children:
            child.display = True

    def fit_keys(self, tries: int = 8) -> None:
        """Hide every key from the first that does not fit whole left of the palette key.

        Run once the keys are laid out (their regions known); until then, again after the
        next refresh.
        """
        if not self.is_mounted or not tries:
            return
        if any(not c.display or not c.region for c in self.children):
            self._show_all()  # measured with every key shown, as laid out by the footer
            self.call_after_refresh(self.fit_keys, tries - 1)
            return
        palette = [c for c in self.children if c.has_class("-command-palette")]
        right = self.region.right - sum(p.outer_size.width for p in palette)
        overflowing = False
        for child in self.children:
            if child in palette:
                continue
            overflowing = overflowing or child.region.right > right
            child.display = not overflowing
