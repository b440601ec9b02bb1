"""Reading HTML back for the tests: every tag, attribute and text node, via html.parser."""

from __future__ import annotations

from html.parser import HTMLParser


class Collected(HTMLParser):
    """Collects start tags with their attributes, and text per nearest element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.stack: list[str] = []
        self.cells: list[list[str]] = []  # text of each <td>/<th> of each <tr>
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.cells.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.cells:
            self.cells[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)


def collect(html: str) -> Collected:
    parser = Collected()
    parser.feed(html)
    parser.close()
    return parser
