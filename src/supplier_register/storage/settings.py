"""The terminal interface's own settings in the user configuration file: keys and theme.

They live beside ``[audit]`` in ``config.toml`` (see :func:`~supplier_register.storage.audit.
config_path`)::

    [keys]                      # binding id = key(s), comma-separated; `?` in the TUI lists ids
    "app.board" = "ctrl+b"
    "register.filter" = "slash,f"

    [tui]
    theme = "nord"              # written by the TUI when the theme is changed from the palette
    ics_folder = "~/ics/shared" # the partner trusts' shared files last opened in the ICS view

This module reads them as plain data and writes the theme (and the ICS view's files) back; which binding ids and key names
exist is the TUI's business (it validates what is read here and warns about the rest).

Writing touches one line: ``theme = ...`` (or ``ics_folder = ...``) in the ``[tui]`` table
(added when missing).  Every
other line, comments and layout included, stays as it was, and the result is parsed back and
compared with the original before it replaces the file (atomically), so a file this line-based
edit cannot handle safely (say ``tui.theme`` written as a dotted key) is refused, never damaged.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supplier_register.domain import RegisterError

KEYS_TABLE = "keys"
TUI_TABLE = "tui"
THEME_KEY = "theme"
ICS_FOLDER_KEY = "ics_folder"


@dataclass(frozen=True)
class UiSettings:
    """What the TUI reads from the configuration file at start-up.

    ``keys`` maps a binding id to its key string (Textual's comma-separated form), as written;
    ``problems`` are one-line warnings about entries that could not be used (they are ignored).
    """

    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problems: list[str] = field(default_factory=list)
    ics_folder: str | None = None
    """The shared files (a folder, or paths separated by spaces) last read in the ICS view."""


def read_ui_settings(path: Path) -> UiSettings:
    """The ``[keys]`` and ``[tui]`` tables of ``path``; a missing file means no settings.

    Never raises: an unreadable file, or a value of the wrong type, becomes a problem line and
    the rest is used.  ``[keys]`` accepts quoted ids (``"app.board" = "b"``), dotted ones
    (``app.board = "b"``, which TOML reads as nested tables) and a list of keys
    (``"app.board" = ["b", "f2"]``).
    """
    name = path.name
    try:
        data = _load(path)
    except FileNotFoundError:
        return UiSettings(path)
    except RegisterError as exc:
        return UiSettings(path, problems=[f"{exc.message}; its keys and theme are ignored"])
    problems: list[str] = []
    keys: dict[str, str] = {}
    table = data.get(KEYS_TABLE)
    if table is not None and not isinstance(table, dict):
        problems.append(f"{name}: [{KEYS_TABLE}] must be a table of binding id = keys; ignored")
    elif isinstance(table, dict):
        for binding_id, value in _flatten(table):
            keys_text = _keys_text(value)
            if keys_text is None:
                problems.append(
                    f'{name} [{KEYS_TABLE}]: "{binding_id}" must be a key such as "ctrl+b" '
                    "(or several, comma-separated); ignored"
                )
            else:
                keys[binding_id] = keys_text
    theme: str | None = None
    tui = data.get(TUI_TABLE)
    if isinstance(tui, dict):
        value = tui.get(THEME_KEY)
        if isinstance(value, str) and value.strip():
            theme = value.strip()
        elif value is not None:
            problems.append(f"{name} [{TUI_TABLE}]: theme must be a theme's name; ignored")
    ics_folder: str | None = None
    if isinstance(tui, dict):
        value = tui.get(ICS_FOLDER_KEY)
        if isinstance(value, str) and value.strip():
            ics_folder = value.strip()
        elif value is not None:
            problems.append(
                f"{name} [{TUI_TABLE}]: {ICS_FOLDER_KEY} must be a folder or files; ignored"
            )
    return UiSettings(path, keys, theme, problems, ics_folder)


def save_theme(path: Path, theme: str) -> None:
    """Record ``theme`` as ``[tui] theme`` in ``path``, keeping every other line as it was.

    Raises ``RegisterError`` (one line, nothing written) when the file cannot be read as TOML,
    cannot be edited safely, or cannot be written.
    """
    save_tui_value(path, THEME_KEY, theme, "the theme")


def save_ics_folder(path: Path, folder: str) -> None:
    """Record ``folder`` as ``[tui] ics_folder`` in ``path`` (as :func:`save_theme` does)."""
    save_tui_value(path, ICS_FOLDER_KEY, folder, "the ICS view's files")


def save_tui_value(path: Path, key: str, value: str, what: str) -> None:
    """Record ``key = value`` in the ``[tui]`` table of ``path``, every other line kept;
    ``RegisterError`` naming ``what`` was not saved when it cannot be done safely."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{path}: cannot be read ({exc}); {what} was not saved") from None
    before = _parse(text, path)
    new_text = with_tui_value(text, key, value)
    expected = {**before, TUI_TABLE: {**_table(before.get(TUI_TABLE)), key: value}}
    try:
        after = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError:
        after = None
    if after != expected:
        raise RegisterError(
            f"{path}: {what} cannot be recorded without rewriting other lines; "
            f"set it by hand under [{TUI_TABLE}] as {key} = {_toml_string(value)}"
        )
    _write_atomically(path, new_text, what)


def with_theme(text: str, theme: str) -> str:
    """``text`` with its ``[tui]`` table's ``theme`` line set to ``theme`` (a pure line edit)."""
    return with_tui_value(text, THEME_KEY, theme)


def with_tui_value(text: str, key: str, value: str) -> str:
    """``text`` with its ``[tui]`` table's ``key`` line set to ``value`` (a pure line edit)."""
    line = f"{key} = {_toml_string(value)}"
    key_line = re.compile(rf"^(?P<indent>\s*)({key}|\"{key}\"|'{key}')\s*=")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    start = next((i for i, raw in enumerate(lines) if _TUI_HEADER.match(raw)), None)
    if start is None:
        body = text if not text or text.endswith(("\n", "\r")) else text + newline
        gap = newline if body.strip() else ""
        return f"{body}{gap}[{TUI_TABLE}]{newline}{line}{newline}"
    end = next(
        (i for i in range(start + 1, len(lines)) if _TABLE_HEADER.match(lines[i])), len(lines)
    )
    for i in range(start + 1, end):
        match = key_line.match(lines[i])
        if match:
            ending = lines[i][len(lines[i].rstrip("\r\n")) :] or newline
            lines[i] = f"{match.group('indent')}{line}{ending}"
            return "".join(lines)
    if not lines[start].endswith(("\n", "\r")):
        lines[start] += newline
    lines.insert(start + 1, line + newline)
    return "".join(lines)


_TUI_HEADER = re.compile(r"^\s*\[\s*tui\s*\]\s*(#.*)?$")
_TABLE_HEADER = re.compile(r"^\s*\[")


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's); a value TOML would still refuse (a DEL
    character) is caught when the edited file is parsed back, and nothing is written."""
    return json.dumps(value, ensure_ascii=False)


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"{path}: cannot be read ({exc})") from None
    return _parse(text, path)


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegisterError(f"{path}: not valid TOML ({exc})") from None


def _table(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted id, value) pairs: ``{"app": {"board": "b"}}`` is ``("app.board", "b")``."""
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(_flatten(value, f"{name}."))
        else:
            out.append((name, value))
    return out


def _keys_text(value: object) -> str | None:
    """The comma-separated key string of a ``[keys]`` value; None when it is not keys."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return ",".join(value)
    return None


def _write_atomically(path: Path, text: str, what: str = "the theme") -> None:
    """Replace ``path`` with ``text`` in one rename, so a crash leaves the old or the new file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            if path.exists():
                os.chmod(temp, path.stat().st_mode & 0o777)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RegisterError(f"{path}: cannot be written ({exc}); {what} was not saved") from None


SERVE_TABLE = "serve"


@dataclass(frozen=True)
class ServeSettings:
    """``[serve]`` of the configuration file: where ``serve`` listens unless told otherwise."""

    path: Path
    host: str | None = None
    port: int | None = None


def read_serve_settings(path: Path) -> ServeSettings:
    """The ``[serve]`` table of ``path`` (``host = "127.0.0.1"``, ``port = 8000``); a missing file
    or table means none.  A value of the wrong type is a ``RegisterError`` naming the setting."""
    try:
        data = _load(path)
    except FileNotFoundError:
        return ServeSettings(path)
    table = data.get(SERVE_TABLE)
    if table is None:
        return ServeSettings(path)
    where = f"{path} [{SERVE_TABLE}]"
    if not isinstance(table, dict):
        raise RegisterError(f"{where} must be a table (host, port)")
    host = table.get("host")
    if host is not None and not (isinstance(host, str) and host.strip()):
        raise RegisterError(f'{where}: host must be a host name or address such as "127.0.0.1"')
    port = table.get("port")
    if port is not None and (
        not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535
    ):
        raise RegisterError(f"{where}: port must be a whole number from 1 to 65,535")
    return ServeSettings(path, host.strip() if isinstance(host, str) else None, port)
