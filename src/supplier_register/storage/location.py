"""Where the database lives: warn when it is on a network share.

SQLite in WAL mode keeps its lock table in shared memory, which only works
when every program using the database runs on the same computer; network
file systems also get POSIX locks wrong.  Two people opening one register on
a share can therefore corrupt it, so the CLI and TUI warn before opening it.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC_MOUNTS = Path("/proc/mounts")
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "lustre",
        "gpfs",
        "ncpfs",
        "coda",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "vboxsf",
    }
)


def _unescape(field: str) -> str:
    """Mount points in /proc/mounts escape space, tab, newline and backslash as octal."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def filesystem_type(path: Path, mounts: Path | None = None) -> str | None:
    """The type of file system holding ``path`` (longest matching mount point); None if unknown."""
    try:
        text = (mounts or PROC_MOUNTS).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None  # not Linux, or /proc not mounted
    target = Path(os.path.realpath(path if path.exists() else path.parent))
    best: tuple[int, str] | None = None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = Path(_unescape(fields[1]))
        if target == mount_point or mount_point in target.parents:
            depth = len(mount_point.parts)
            if best is None or depth >= best[0]:
                best = (depth, fields[2])
    return best[1] if best else None


def network_share_warning(path: Path, mounts: Path | None = None) -> str | None:
    """A one-line warning when the database is on a network file system, else None."""
    if str(path) == ":memory:":
        return None
    fstype = filesystem_type(Path(path).expanduser(), mounts)
    if fstype is None or fstype.lower() not in NETWORK_FILESYSTEMS:
        return None
    return (
        f"{path} is on a network share ({fstype}); SQLite cannot safely share a database "
        "between computers, so keep the register on a local disk and use "
        "'supplier-register backup' to copy it to the share"
    )
