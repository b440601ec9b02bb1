"""What a killed run leaves beside the register, and a register others can read.

A run killed while writing leaves its temporary files behind: the staged copy
of a restore (``.restore-PID-HEX.db`` in the backup folder), a backup or
export being written (``.NAME.tmp-PID...`` beside its target) and their
SQLite journals.  They may hold a copy of the register, so they are removed
at the next start: only files named by this program's own patterns, only
beside the register and in its backup folder, only if they are older than
this process and the process named in them is no longer running.

The register and its ``-wal``/``-shm`` files are created owner-only; one found
readable by others (copied with ``cp``, or made by an old release under a
loose umask) is made owner-only again, with a one-line warning on stderr.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import time
from pathlib import Path

STARTED = time.time()
"""When this program started (this module is imported as the register is first opened)."""

_SIDECAR = r"(?:-wal|-shm|-journal)?"
TEMP_BESIDE = re.compile(r"\.(?P<name>.+)\.tmp-(?P<pid>\d+)(?:-[0-9a-f]+)?" + _SIDECAR)
"""A file being written under a temporary name: ``.NAME.tmp-PID`` or ``.NAME.tmp-PID-HEX``."""
TEMP_RANDOM = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{16}\.tmp(?P<pid>)" + _SIDECAR)
"""A file being written under a random temporary name, ``.NAME.HEX.tmp`` (no process id)."""
QUIET_FOR = 600.0
"""A temporary file naming no process is left alone until it is this many seconds older than
this process (a slow export of another program may still be writing it)."""
STAGED_RESTORE = re.compile(r"\.restore-(?P<pid>\d+)-[0-9a-f]+\.db" + _SIDECAR)
"""The private copy a restore checks (in the backup folder)."""


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, but is somebody else's
    return True


def leftovers(folder: Path, patterns: list[re.Pattern[str]]) -> list[Path]:
    """Files in ``folder`` named by one of ``patterns``, older than this process, whose
    process is gone."""
    found: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        match = next((m for p in patterns if (m := p.fullmatch(entry.name))), None)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        pid = match.group("pid")
        older_than = STARTED if pid else STARTED - QUIET_FOR
        if not stat.S_ISREG(info.st_mode) or info.st_mtime >= older_than:
            continue
        if pid and _running(int(pid)):
            continue
        found.append(Path(entry.path))
    return found


def remove_leftovers(db_path: Path) -> list[Path]:
    """Remove what killed runs left beside the register and in its backup folder."""
    from supplier_register.storage.backup import backup_folder

    doomed = leftovers(db_path.parent, [TEMP_BESIDE, TEMP_RANDOM]) + leftovers(
        backup_folder(db_path), [TEMP_BESIDE, TEMP_RANDOM, STAGED_RESTORE]
    )
    for path in doomed:
        with contextlib.suppress(OSError):
            path.unlink()
    return doomed


def tighten_permissions(db_path: Path) -> str | None:
    """Make the register and its -wal/-shm owner-only; a warning line if any was not."""
    loose: list[tuple[Path, int]] = []
    for path in [db_path, *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))]:
        try:
            info = path.stat()
        except OSError:
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077 and stat.S_ISREG(info.st_mode):
            loose.append((path, mode))
    if not loose:
        return None
    failed = []
    for path, _ in loose:
        try:
            path.chmod(mode=0o600)
        except OSError:
            failed.append(path.name)
    what = f"--db: {db_path}"
    sidecars = [p.name[len(db_path.name) :] for p, _ in loose if p != db_path]
    if sidecars:
        what += f" ({'its ' if len(sidecars) == len(loose) else 'and its '}{', '.join(sidecars)})"
    modes = ", ".join(sorted({f"{m:04o}" for _, m in loose}))
    if failed:
        return (
            f"{what} can be read by other users (mode {modes}) and could not be made "
            f"owner-only; run: chmod 600 {' '.join(failed)}"
        )
    return f"{what} could be read by other users (mode {modes}); made owner-only (0600)"


_tidied: set[Path] = set()


def tidy_beside(db_path: Path) -> None:
    """At the first open of a register in this process: tighten its permissions (with a
    warning) and remove leftovers.  Once only: the TUI opens a connection per operation,
    and must not print while it owns the terminal."""
    key = db_path.resolve()
    if key in _tidied:
        return
    _tidied.add(key)
    warning = tighten_permissions(db_path)
    if warning is not None:
        print(f"warning: {warning}", file=sys.stderr)
    remove_leftovers(db_path)
