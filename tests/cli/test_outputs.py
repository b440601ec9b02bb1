"""No --out can destroy the register, its side files or backups, an input, or a device or pipe;
temporary export files never follow a planted link."""

from __future__ import annotations

import os
import secrets
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.errors import BadFile
from supplier_register.storage import Repository, open_database, outputs
from supplier_register.storage.backup import automatic_backup, backup_folder
from tests.support.registers import small_register

TODAY = ("--today", "2026-11-26")

# Every command that writes --out (or, for backup, FILE), as argv after --db.
WRITERS: dict[str, list[str]] = {
    "export json": ["export", "--format", "json", "--force", "--out"],
    "export md": ["export", "--format", "md", *TODAY, "--force", "--out"],
    "export csv": ["export", "--format", "csv", *TODAY, "--force", "--out"],
    "export html": ["export", "--format", "html", *TODAY, "--force", "--out"],
    "export xlsx": ["export", "--format", "xlsx", *TODAY, "--force", "--out"],
    "export summary-json": ["export", "--format", "summary-json", *TODAY, "--force", "--out"],
    "audit table": ["audit", "--force", "--out"],
    "audit csv": ["audit", "--format", "csv", "--force", "--out"],
    "audit json": ["audit", "--format", "json", "--force", "--out"],
    "review export md": [
        "review",
        "export",
        "2026-Q4",
        "--format",
        "md",
        *TODAY,
        "--force",
        "--out",
    ],
    "review export html": [
        "review",
        "export",
        "2026-Q4",
        "--format",
        "html",
        *TODAY,
        "--force",
        "--out",
    ],
    "generate": ["generate", "--suppliers", "1", "--force", "--out"],
    "backup": ["backup", "--force"],
}


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def one_error(code: int, err: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Path]:
    """A register with data, an open quarterly review and one automatic backup, open elsewhere
    (as in a TUI), so that its -wal and -shm files exist."""
    path = tmp_path / "data" / "register.db"
    path.parent.mkdir()
    db = open_database(path)
    Repository(db).import_register(small_register())
    automatic_backup(db, path, "test")
    db.close()
    code, _, err = run(path, "review", "start", "2026-Q4", *TODAY)
    assert code == 0, err
    elsewhere = open_database(path)
    elsewhere.execute("SELECT count(*) FROM suppliers").fetchall()
    assert path.with_name(path.name + "-shm").exists()
    yield path
    elsewhere.close()


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under ``folder``: its type and, for a regular file, its bytes."""
    out: dict[str, tuple[int, bytes | None]] = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        kind = stat.S_IFMT(st.st_mode)
        if p.name.endswith("-shm"):  # shared memory: readers write to it, so the same file will do
            content: bytes | None = str(st.st_ino).encode()
        else:
            content = p.read_bytes() if stat.S_ISREG(kind) else None
        out[str(p.relative_to(folder))] = (kind, content)
    return out


def _register(db: Path, tmp: Path) -> Path:
    return db


def _wal(db: Path, tmp: Path) -> Path:
    return db.with_name(db.name + "-wal")


def _shm(db: Path, tmp: Path) -> Path:
    return db.with_name(db.name + "-shm")


def _symlink_to_register(db: Path, tmp: Path) -> Path:
    link = tmp / "innocent.json"
    link.symlink_to(db)
    return link


def _hard_link_to_register(db: Path, tmp: Path) -> Path:
    link = tmp / "innocent-hard.json"
    os.link(db, link)
    return link


def _register_through_linked_folder(db: Path, tmp: Path) -> Path:
    folder = tmp / "linked-data"
    folder.symlink_to(db.parent, target_is_directory=True)
    return folder / db.name


def _automatic_backup(db: Path, tmp: Path) -> Path:
    return next(backup_folder(db).iterdir())


def _hard_link_to_a_backup(db: Path, tmp: Path) -> Path:
    link = tmp / "old-export.db"
    os.link(next(backup_folder(db).iterdir()), link)
    return link


def _new_file_in_backups(db: Path, tmp: Path) -> Path:
    return backup_folder(db) / "export.json"


def _backups_folder(db: Path, tmp: Path) -> Path:
    return backup_folder(db)


def _backups_through_link(db: Path, tmp: Path) -> Path:
    link = tmp / "shelf"
    link.symlink_to(backup_folder(db), target_is_directory=True)
    return link / "export.json"


def _fifo(db: Path, tmp: Path) -> Path:
    fifo = tmp / "pipe"
    os.mkfifo(fifo)
    return fifo


def _socket(db: Path, tmp: Path) -> Path:
    path = tmp / "sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
    return path


def _folder(db: Path, tmp: Path) -> Path:
    folder = tmp / "a-folder"
    folder.mkdir()
    return folder


TARGETS: dict[str, Callable[[Path, Path], Path]] = {
    "the register": _register,
    "its -wal file": _wal,
    "its -shm file": _shm,
    "a symlink to the register": _symlink_to_register,
    "a hard link to the register": _hard_link_to_register,
    "the register through a linked folder": _register_through_linked_folder,
    "an automatic backup": _automatic_backup,
    "a hard link to an automatic backup": _hard_link_to_a_backup,
    "a new file in the backup folder": _new_file_in_backups,
    "the backup folder": _backups_folder,
    "the backup folder through a link": _backups_through_link,
    "a FIFO": _fifo,
    "a socket": _socket,
    "a folder": _folder,
}


# Every command against the main attacks, and every attack against three commands (one of
# each kind of writer): they all go through the one check in storage.outputs.
CASES = list(
    dict.fromkeys(
        [(c, t) for c in WRITERS for t in ("the register", "a hard link to the register", "a FIFO")]
        + [(c, t) for c in ("export json", "audit csv", "backup") for t in TARGETS]
    )
)


@pytest.mark.parametrize(("command", "target"), CASES)
def test_no_output_destroys_the_register_its_backups_or_a_special_file(
    register: Path, tmp_path: Path, command: str, target: str
) -> None:
    out = TARGETS[target](register, tmp_path)
    before = snapshot(tmp_path)
    code, _, err = run(register, *WRITERS[command], str(out))
    if out.is_dir() and command != "backup":  # click's dir_okay=False refuses it first
        assert code == 2 and "is a directory" in err, err
    else:
        line = one_error(code, err)
        label = "FILE" if command == "backup" else "--out"
        assert line.startswith(f"error: {label}: {out} "), line
    assert snapshot(tmp_path) == before  # the register byte for byte, and everything else


@pytest.mark.parametrize("command", ["export json", "audit csv", "review export md"])
def test_an_output_over_the_register_is_refused_even_without_force(
    register: Path, command: str
) -> None:
    argv = [a for a in WRITERS[command] if a != "--force"]
    before = register.read_bytes()
    line = one_error(*run(register, *argv, str(register))[::2])
    assert line == (f"error: --out: {register} is the register; writing there would destroy it")
    assert register.read_bytes() == before


def test_the_users_own_register_is_protected_when_working_on_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = tmp_path / "own.db"
    open_database(own).close()
    monkeypatch.setenv("SUPPLIER_REGISTER_DB", str(own))
    before = own.read_bytes()
    result = CliRunner().invoke(main, ["--demo", "export", "--out", str(own), "--force"])
    assert one_error(result.exit_code, result.stderr).endswith(
        "is the register; writing there would destroy it"
    )
    assert own.read_bytes() == before


def test_a_device_is_never_replaced(register: Path, tmp_path: Path) -> None:
    # /dev/null itself only through the check: a bug here must not replace the machine's.
    with pytest.raises(BadFile, match=r"^--out: /dev/null is not a regular file"):
        outputs.check_output(Path("/dev/null"), force=True, registers=[register])
    try:  # a private copy of /dev/null (needs root), to run the real command on
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    line = one_error(*run(register, "export", "--out", str(device), "--force")[::2])
    assert "is not a regular file (a device, pipe or socket)" in line
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.fixture
def victim(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "victim.txt"
    path.write_text("somebody else's file\n")
    yield path
    assert path.read_text() == "somebody else's file\n"  # never written through a link


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(
    register: Path, tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "export.json"
    planted = [out.with_name(f".{out.name}.tmp-{os.getpid()}"), out.with_name(f".{out.name}.tmp")]
    for link in planted:
        link.symlink_to(victim)
    code, _, err = run(register, "export", "--out", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").startswith("{")
    assert all(link.is_symlink() for link in planted)  # left alone
    hidden = {p.name for p in tmp_path.iterdir() if p.name.startswith(".")}
    assert hidden == {link.name for link in planted}  # and no temporary file left behind


def test_a_link_planted_at_the_exact_temporary_name_is_not_followed(
    register: Path, tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a link at the very name chosen (were it guessed) is skipped, never opened."""
    out = tmp_path / "export.csv"
    names = iter(["guessed0guessed0", "guessed1guessed1", "fresh000fresh000"])
    monkeypatch.setattr(secrets, "token_hex", lambda _n: next(names))
    links = [out.with_name(f".{out.name}.guessed{i}guessed{i}.tmp") for i in (0, 1)]
    links[0].symlink_to(victim)
    links[1].symlink_to(tmp_path / "dangling")  # O_CREAT would create the target of this one
    code, _, err = run(register, "export", "--format", "csv", *TODAY, "--out", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8-sig").startswith("Rank,Supplier,")
    assert not (tmp_path / "dangling").exists()
    assert all(link.is_symlink() for link in links)


def test_when_every_temporary_name_is_taken_the_export_fails_in_one_line(
    register: Path, tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export.json"
    monkeypatch.setattr(secrets, "token_hex", lambda _n: "planted")
    out.with_name(f".{out.name}.planted.tmp").symlink_to(victim)
    line = one_error(*run(register, "export", "--out", str(out))[::2])
    assert line == f"error: --out: cannot create a temporary file beside {out}"
    assert not out.exists()


def test_an_output_replacing_a_symlink_replaces_the_link_not_its_target(
    register: Path, tmp_path: Path, victim: Path
) -> None:
    out = tmp_path / "report.md"
    out.symlink_to(victim)
    line = one_error(*run(register, "export", "--format", "md", *TODAY, "--out", str(out))[::2])
    assert "already exists; use --force" in line  # a link is something to overwrite
    code, _, err = run(register, "export", "--format", "md", *TODAY, "--out", str(out), "--force")
    assert code == 0, err
    assert not out.is_symlink() and out.read_text(encoding="utf-8").startswith("#")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_an_input_file_is_protected(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("{}")
    with pytest.raises(BadFile, match=r"is the input file .*in\.json; writing there"):
        outputs.check_output(tmp_path / "." / "in.json", force=True, inputs=[source])
    os.link(source, tmp_path / "alias.json")
    with pytest.raises(BadFile, match="is the input file"):
        outputs.check_output(tmp_path / "alias.json", force=True, inputs=[source])
    outputs.check_output(tmp_path / "other.json", force=True, inputs=[source])
