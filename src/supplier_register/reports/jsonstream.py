"""Writing one large JSON document a piece at a time, exactly as ``json.dumps`` would.

A register of tens of thousands of suppliers makes documents of hundreds of
megabytes; building them whole would hold every item (and the text) in memory
at once.  :func:`stream_document` yields the same text in pieces instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


def stream_document(
    document: Mapping[str, Any],
    key: str,
    items: Iterable[Any],
    *,
    dumps: Callable[[Any], str] | None = None,
    indent: int = 2,
) -> Iterator[str]:
    """The text of ``json.dumps({**document, key: list(items)}, indent=indent, ensure_ascii=False)``.

    ``document`` gives every other member in order (``key`` must be one of
    them; its value is ignored).  ``items`` is consumed one at a time;
    ``dumps`` turns one item into its own indented JSON text (default:
    ``json.dumps`` with the same indent).
    """
    if key not in document:
        raise KeyError(key)
    dump = dumps or (lambda item: json.dumps(item, indent=indent, ensure_ascii=False))
    text = json.dumps({**document, key: []}, indent=indent, ensure_ascii=False)
    return splice(text, key, (dump(item) for item in items), indent=indent)


def splice(text: str, key: str, items: Iterable[str], *, indent: int = 2) -> Iterator[str]:
    """``text`` (an indented JSON object whose member ``key`` is ``[]``) with ``items`` in that list.

    Each item is its own JSON text, indented as a document of its own; it is
    moved in to sit inside the list, exactly where ``json.dumps`` (or pydantic's
    ``model_dump_json``) would have written it.
    """
    member = "\n" + " " * indent + json.dumps(key, ensure_ascii=False) + ": []"
    at = text.find(member)
    if at < 0:
        raise KeyError(key)
    split = at + len(member) - 2
    head, tail = text[:split], text[split + 2 :]
    pad = " " * (2 * indent)
    yield head
    first = True
    for item in items:
        body = "\n".join(pad + line for line in item.split("\n"))
        yield ("[\n" if first else ",\n") + body
        first = False
    yield ("[]" if first else "\n" + " " * indent + "]") + tail
