"""A scrolling page of indented text blocks, so long explanations wrap under themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class Block(NamedTuple):
    """One paragraph of the page and how far it is indented (in cells)."""

    content: Content
    indent: int = 0


class BlockView(VerticalScroll, can_focus=True):
    """Shows blocks as one ``Static`` each; wrapped lines keep their block's indent."""

    DEFAULT_CSS = """
    BlockView {
        height: 1fr;
    }
    BlockView > Static {
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._blocks: list[Block] = []
        self._pending = False

    @property
    def blocks(self) -> Sequence[Block]:
        return self._blocks

    @property
    def text(self) -> str:
        """The plain text of every block, one per line (for tests and copying)."""
        return "\n".join(block.content.plain for block in self._blocks)

    def set_blocks(self, blocks: Sequence[Block], *, now: bool = True) -> None:
        """Show new blocks, reusing the existing widgets where there are as many.

        With ``now=False`` the blocks are kept (``blocks`` and ``text`` give them) but their
        widgets are only made by :meth:`show_pending`: a page in a hidden tab costs nothing
        until the tab is shown.
        """
        self._blocks = list(blocks)
        self._pending = not now
        if now:
            self._update()

    def show_pending(self) -> None:
        """Make the widgets of blocks set with ``now=False`` (nothing if there are none)."""
        if self._pending:
            self._pending = False
            self._update()

    def _update(self) -> None:
        statics = list(self.query_children(Static))
        for static, block in zip(statics, self._blocks, strict=False):
            static.update(block.content)
            static.styles.padding = (0, 0, 0, block.indent)
        if len(statics) > len(self._blocks):
            for static in statics[len(self._blocks) :]:
                static.remove()
        elif len(self._blocks) > len(statics):
            new = []
            for block in self._blocks[len(statics) :]:
                static = Static(block.content)
                static.styles.padding = (0, 0, 0, block.indent)
                new.append(static)
            self.mount_all(new)
