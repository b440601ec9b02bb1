"""The user's keymap: binding ids, key names, and which keys are in force.

Every binding of the TUI has an id, ``<namespace>.<action>``: the namespace is the screen or
widget it belongs to (``app`` for the keys that work everywhere, ``register``, ``supplier``,
``register_table``...), the rest names the action (``app.board``, ``register.filter``,
``supplier.tab_contracts``).  The ids are stable: a keymap names them, so renaming one breaks
users' files.  ``[keys]`` in the configuration file (read by ``storage.settings``) maps ids to
keys; :func:`check_keymap` keeps the entries that name a known id and real keys, in the form
Textual's ``App.set_keymap`` expects, and words a warning for each of the others.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

from textual.binding import Binding, BindingsMap, BindingType
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from supplier_register.tui.commands import bindings_of

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")

_NAMED_KEYS = frozenset(
    k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")
) | frozenset(KEY_NAME_REPLACEMENTS.values())


@cache
def binding_owners() -> tuple[type[DOMNode], ...]:
    """Every class of the TUI (app, screens, widgets) that declares ``BINDINGS`` of its own."""
    import supplier_register.tui as package
    from supplier_register.tui.app import SupplierRegisterApp

    owners: list[type[DOMNode]] = [SupplierRegisterApp]
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, DOMNode)
                and "BINDINGS" in vars(cls)
                and cls not in owners
            ):
                owners.append(cls)
    return tuple(owners)


@cache
def known_bindings() -> dict[str, Binding]:
    """Every binding id of the TUI, with its binding (default keys, description)."""
    known: dict[str, Binding] = {}
    for owner in binding_owners():
        for binding in bindings_of(owner.BINDINGS):
            if binding.id is not None:
                known.setdefault(binding.id, binding)
    return known


def normalize_key(key: str) -> str | None:
    """Textual's name for one key as a user writes it (``?`` is ``question_mark``, ``ctrl+b``
    stays), or None when it names no key."""
    key = key.strip()
    if not key:
        return None
    if key == "+":
        return "plus"
    *modifiers, base = key.rsplit("+", maxsplit=len(MODIFIERS))
    if not base or any(m.lower() not in MODIFIERS for m in modifiers):
        return None
    prefix = "".join(f"{m.lower()}+" for m in modifiers)
    if len(base) == 1:
        if not base.isprintable():
            return None
        if base.isalnum():
            return prefix + base
        name = unicodedata.name(base, "").lower().replace("-", "_").replace(" ", "_")
        return prefix + KEY_NAME_REPLACEMENTS.get(name, name) if name else None
    base = base.lower()
    if base in _NAMED_KEYS or key_to_character(base) is not None:
        return prefix + base
    return None


def check_keymap(keys: Mapping[str, str], source: str) -> tuple[dict[str, str], list[str]]:
    """The usable part of a ``[keys]`` table, normalized for ``App.set_keymap``, and one warning
    line for each entry ignored (an unknown binding id or a key that does not exist)."""
    if not keys:
        return {}, []
    known = known_bindings()
    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, text in keys.items():
        if binding_id not in known:
            warnings.append(
                f'{source} [keys]: "{binding_id}" is not a key binding id; ignored '
                "(the ids are listed in docs/keys.md)"
            )
            continue
        wanted = [part.strip() for part in text.split(",")]
        normalized = [normalize_key(part) for part in wanted]
        bad = [part for part, name in zip(wanted, normalized, strict=True) if name is None]
        if bad:
            warnings.append(
                f'{source} [keys]: "{binding_id}" = "{text}": {_quoted(bad)} '
                f"{'is not a key' if len(bad) == 1 else 'are not keys'} "
                '(examples: "b", "B", "ctrl+b", "f5", "?", "pagedown"); ignored'
            )
            continue
        keymap[binding_id] = ",".join(dict.fromkeys(n for n in normalized if n is not None))
    return keymap, warnings


def keys_in_force(
    bindings: Iterable[BindingType], keymap: Mapping[str, str]
) -> list[tuple[Binding, list[str]]]:
    """Each binding of one class's ``BINDINGS`` with the keys that trigger it under ``keymap``.

    Applied as Textual applies it (``BindingsMap.apply_keymap``): a rebound binding has the
    keymap's keys, and a key the keymap gives to another binding of the same screen is taken
    away from the binding that had it (which may be left with none).
    """
    bindings = bindings_of(bindings)
    in_force = BindingsMap(bindings)
    if keymap:
        in_force.apply_keymap(dict(keymap))
    out: list[tuple[Binding, list[str]]] = []
    for binding in bindings:
        keys = [
            key
            for key, for_key in in_force.key_to_bindings.items()
            if any(_same(b, binding) for b in for_key)
        ]
        out.append((binding, keys))
    return out


def _same(one: Binding, other: Binding) -> bool:
    """The same binding, one key of it (``BindingsMap`` holds one copy per key)."""
    if one.id is not None or other.id is not None:
        return one.id == other.id
    return one.action == other.action


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def keys_table() -> str:
    """The Markdown table of every binding id in docs/keys.md (kept in step by a test)::

    python -c "from supplier_register.tui.keymap import keys_table; print(keys_table())"
    """
    rows = ["| id | default keys | what it does |", "| --- | --- | --- |"]
    for binding_id, binding in sorted(known_bindings().items()):
        keys = ", ".join(f"`{key.strip()}`" for key in binding.key.split(","))
        what = (binding.tooltip or binding.description or binding.action).replace("|", "\\|")
        rows.append(f"| `{binding_id}` | {keys} | {what} |")
    return "\n".join(rows)
