"""A damaged register in the TUI: one notification saying so and how to restore, no crash."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.tui.tui_support import make_app, settle, write_register_db


def _corrupt(path: Path, table: str) -> None:
    """Overwrite the pages of one table with garbage, keeping the header and the schema."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ?", [table])]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        for page in pages:
            fh.seek((page - 1) * size)
            fh.write(b"\xde\xad\xbe\xef" * (size // 4))


async def test_a_damaged_register_is_one_notification_pointing_to_restore(
    tmp_path: Path,
) -> None:
    path = write_register_db(tmp_path)
    _corrupt(path, "suppliers")
    app = make_app(path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.is_running
        assert app.load_error == (
            f"--db: {path} is damaged (SQLite reports: database disk image is malformed); "
            "restore a backup with `supplier-register restore BACKUP`"
        )
        assert [n.message for n in app._notifications] == [app.load_error]
