"""Where an export may be written, and writing it there without harming anything else.

Every ``--out`` of every command (and any future export screen) goes through
:func:`check_output` before the work starts and :func:`write_output_file` to
write.  An output never replaces:

* the register, its ``-wal``, ``-shm`` or ``-journal`` file, its backup
  folder or anything in it (``export --out register.db --force`` would
  otherwise swap the live register for a text file);
* a file the command reads (its input);
* anything but a regular file: a folder, a device such as ``/dev/null``, a
  named pipe or a socket.

Paths are compared both resolved (symbolic links followed) and by identity
(device and inode), so a symbolic link, a hard link or a bind mount of a
protected file is caught too.  The text is written to a new temporary file in
the same folder, created exclusively (``O_CREAT | O_EXCL | O_NOFOLLOW``, owner
only, with a random name), so a link planted in the folder is never followed;
the final ``os.replace`` is the only thing that touches the output path.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TypedDict, Unpack

from supplier_register.domain.errors import BadFile
from supplier_register.storage.backup import backup_folder

SIDECARS = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database, named after it."""
_TMP_TRIES = 8
_OUT = "--out"
"""How a refusal names the output unless told otherwise."""
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class Protected(TypedDict, total=False):
    """The keyword arguments of every check and write here: what the output must not harm."""

    registers: Iterable[Path]
    """The register databases in play (their side files and backup folders with them)."""
    inputs: Iterable[Path]
    """The files the command reads."""
    label: str
    """How a refusal names the output (``--out`` unless given)."""


def _fixed(protected: Protected) -> Protected:
    """``protected`` with its paths in lists (they are read more than once) and its label."""
    return Protected(
        registers=list(protected.get("registers", ())),
        inputs=list(protected.get("inputs", ())),
        label=protected.get("label", _OUT),
    )


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of what ``path`` leads to, or None if nothing is there."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop
        return path.absolute()


def _protected(
    registers: Iterable[Path], inputs: Iterable[Path]
) -> tuple[list[tuple[Path, str]], list[tuple[Path, str]]]:
    """The files and the folders an output must stay out of, each with what it is."""
    files: list[tuple[Path, str]] = []
    folders: list[tuple[Path, str]] = []
    for register in registers:
        register = register.expanduser()
        for base in dict.fromkeys([register, _resolved(register)]):
            files.append((base, "the register"))
            files += [(base.with_name(base.name + s), f"the register's {s} file") for s in SIDECARS]
            folders.append((backup_folder(base), "the register's backup folder"))
    files += [(p.expanduser(), f"the input file {p}") for p in inputs]
    return files, folders


def check_target(out: Path, **protected: Unpack[Protected]) -> None:
    """Refuse an output path that is not a regular file or is (or is in) something protected.

    Raises :class:`BadFile` with one line naming the output by its ``label``.
    """
    label = protected.get("label", _OUT)
    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadFile(f"{label}: cannot use {out} ({exc.strerror})") from None
    except ValueError:  # a NUL in the path
        raise BadFile(f"{label}: {out!r} is not a usable file name") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise BadFile(f"{label}: {out} is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise BadFile(
            f"{label}: {out} is not a regular file (a device, pipe or socket); "
            "give the name of a file"
        )
    files, folders = _protected(protected.get("registers", ()), protected.get("inputs", ()))
    target = _resolved(out)
    here = (st.st_dev, st.st_ino) if st is not None else None
    for path, what in files:
        if target == _resolved(path) or (here is not None and here == _identity(path)):
            raise BadFile(f"{label}: {out} is {what}; writing there would destroy it")
    ancestors = [target, *target.parents]
    seen = {_identity(a) for a in ancestors[1:]}
    for folder, what in folders:
        place = _resolved(folder)
        ident = _identity(folder)
        if any(a == place for a in ancestors) or (ident is not None and ident in seen):
            raise BadFile(f"{label}: {out} is in {what}; choose a file elsewhere")
        if here is not None and ident is not None and here in _identities_in(folder):
            raise BadFile(f"{label}: {out} is a file in {what}; choose a file elsewhere")


def _identities_in(folder: Path) -> set[tuple[int, int] | None]:
    """(device, inode) of every file in ``folder`` (a hard link to one is that file)."""
    try:
        return {_identity(p) for p in folder.iterdir()}
    except OSError:
        return set()


def check_output(out: Path, *, force: bool, **protected: Unpack[Protected]) -> None:
    """Everything :func:`check_target` refuses, an existing file without ``force``, a missing folder."""
    protected = _fixed(protected)
    check_target(out, **protected)
    label = protected["label"]
    if (out.exists() or out.is_symlink()) and not force:
        raise BadFile(f"{label}: {out} already exists; use --force to overwrite it")
    if out.parent and not out.parent.exists():
        raise BadFile(f"{label}: folder {out.parent} does not exist")


def _create_temporary(out: Path, label: str) -> tuple[int, Path]:
    """A new, empty, owner-only file beside ``out``, under a random name nobody could plant."""
    stem = out.name[:100]
    for _ in range(_TMP_TRIES):
        tmp = out.with_name(f".{stem}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, _CREATE, 0o600), tmp
        except FileExistsError:  # taken (or planted): never opened, try another name
            continue
    raise BadFile(f"{label}: cannot create a temporary file beside {out}")


def write_output_file(
    data: str | bytes | Iterable[str],
    out: Path,
    *,
    force: bool,
    **protected: Unpack[Protected],
) -> None:
    """Write ``data`` (text, bytes, or text in pieces written as they come) to ``out``.

    Checked again with :func:`check_output` first, written to an exclusive
    temporary file, flushed to disk, and renamed over ``out`` in one step: an
    interrupted export leaves the old file (or none), never half of one.
    """
    protected = _fixed(protected)
    check_output(out, force=force, **protected)
    label = protected["label"]
    tmp: Path | None = None
    try:
        fd, tmp = _create_temporary(out, label)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for piece in [data] if isinstance(data, str) else data:
                    fh.write(piece.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        # Checked once more just before: the work may have taken a while.
        check_target(out, **protected)
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise BadFile(f"{label}: cannot write {out} ({exc.strerror})") from None
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
