"""The user's settings for the terminal interface: keys and theme, from the configuration file.

The TUI gets plain data (:class:`UiSettings`) and hands a chosen theme back; where the file is
(:func:`~supplier_register.storage.audit.config_path`) and how it is read and edited
(:mod:`supplier_register.storage.settings`) stay below this layer.
"""

from __future__ import annotations

from pathlib import Path

from supplier_register.storage import audit
from supplier_register.storage.settings import (
    ServeSettings,
    UiSettings,
    read_serve_settings,
    read_ui_settings,
    save_ics_folder,
    save_theme,
)

__all__ = [
    "ServeSettings",
    "UiSettings",
    "keep_ics_folder",
    "keep_theme",
    "serve_settings",
    "user_settings",
]


def user_settings(path: Path | None = None) -> UiSettings:
    """``[keys]`` and ``[tui]`` of ``path``, else of the user configuration file (never raises:
    what cannot be used is in ``problems``)."""
    return read_ui_settings(path if path is not None else audit.config_path())


def keep_theme(settings: UiSettings, theme: str) -> None:
    """Record ``theme`` in the file ``settings`` came from (``RegisterError``: not written)."""
    save_theme(settings.path, theme)


def keep_ics_folder(settings: UiSettings, folder: str) -> None:
    """Record the ICS view's shared files (a folder, or paths) in the file ``settings`` came
    from, to be proposed next time (``RegisterError``: not written)."""
    save_ics_folder(settings.path, folder)


def serve_settings(path: Path | None = None) -> ServeSettings:
    """``[serve]`` of ``path``, else of the user configuration file (``RegisterError``: a value
    that cannot be used, named)."""
    return read_serve_settings(path if path is not None else audit.config_path())
