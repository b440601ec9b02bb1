"""Building HTML as an element tree, so user text can never become markup.

Documents are assembled from :class:`xml.etree.ElementTree.Element` nodes and
serialised by the standard library, which escapes every text node and
attribute value; no user text is ever pasted into a string of HTML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from supplier_register.reports.safety import printable

Child = ET.Element | str | int | None | Iterable["Child"]


def _append(parent: ET.Element, child: Child) -> None:
    if child is None:
        return
    if isinstance(child, ET.Element):
        parent.append(child)
        return
    if isinstance(child, str | int):
        text = printable(str(child))
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        return
    for item in child:
        _append(parent, item)


def h(tag: str, *children: Child, **attrs: str | int | float | None) -> ET.Element:
    """An element with children (elements, text or nested iterables) and attributes.

    Attribute names ending in ``_`` lose it (``class_`` becomes ``class``) and
    other underscores become hyphens (``aria_label`` becomes ``aria-label``).
    ``None`` attributes and children are left out.
    """
    element = ET.Element(tag)
    for name, value in attrs.items():
        if value is None:
            continue
        key = name[:-1] if name.endswith("_") else name.replace("_", "-")
        element.set(key, printable(str(value)))
    for child in children:
        _append(element, child)
    return element


def to_html(root: ET.Element) -> str:
    """A complete HTML5 document from its ``<html>`` element."""
    return "<!DOCTYPE html>\n" + ET.tostring(root, encoding="unicode", method="html") + "\n"
