"""Warnings about where the register lives are shown inside the TUI, where the user sees them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from supplier_register.tui import app as app_module
from tests.tui.tui_support import make_app, settle, write_register_db


async def test_network_share_warning_is_a_notification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_register_db(tmp_path)
    monkeypatch.setattr(
        app_module, "network_share_warning", lambda p: f"{p} is on a network share [nfs]"
    )
    app = make_app(path)
    async with app.run_test() as pilot:
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages == [f"{path} is on a network share [nfs]"]
        assert all(n.severity == "warning" and not n.markup for n in app._notifications)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only files")
async def test_read_only_register_is_warned_about(tmp_path: Path) -> None:
    path = write_register_db(tmp_path)
    path.chmod(0o400)
    app = make_app(path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == [
            f"{path} is read-only: you can look, but changes cannot be saved"
        ]


def test_local_writable_register_has_no_warnings(tmp_path: Path) -> None:
    path = write_register_db(tmp_path)
    assert app_module.location_warnings(path) == []


def test_read_only_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_register_db(tmp_path)
    monkeypatch.setattr(app_module.os, "access", lambda p, mode: False)
    assert app_module.location_warnings(path) == [
        f"{path} is read-only: you can look, but changes cannot be saved"
    ]
