"""Every value-taking parameter of every command, fed extreme values: never a traceback.

The commands and their parameters are read from the click group, so a new
command or option is covered as soon as it exists.  Each refusal must be
exit code 2 with one error line, and leave the register exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supplier_register.cli import main
from supplier_register.interchange import sample_register_path
from tests.support.paths import IMPORT_FIXTURES
from tests.support.registers import dump

OCDS = IMPORT_FIXTURES / "ocds_release_package.json"


def _leaves(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaves(command, (*path, name))
        else:
            yield (*path, name), command


def _takes_value(param: click.Parameter) -> bool:
    if isinstance(param, click.Option):
        return not (param.is_flag or param.count or param.hidden)
    return True


COMMANDS = dict(_leaves(main))
PARAMS: list[tuple[tuple[str, ...], str]] = [((), "db")] + [
    (path, param.name or "")
    for path, command in COMMANDS.items()
    for param in command.params
    if _takes_value(param)
]
"""(command, parameter) for every parameter that takes a value; ``()`` is the group itself."""


def _param(path: tuple[str, ...], name: str) -> click.Parameter:
    command = COMMANDS[path] if path else main
    return next(p for p in command.params if p.name == name)


# Values the other parameters of a command get, so the one under test is what is refused.
REQUIRED: dict[tuple[str, ...], list[str]] = {
    ("generate",): ["--suppliers", "1"],
    ("review", "action", "add"): ["--what", "Check", "--owner", "Sam", "--due", "2026-12-31"],
    ("review", "export"): ["--format", "md"],
}
ARGUMENTS = {
    "quarter": "2026-Q4",
    "action_id": "1",
    "numbers": "1",
    "file": "missing.db",
    "supplier": "Veridane Health Systems Ltd",
    "keep": "Veridane Health Systems Ltd",
    "drop": "Haemotrace Ltd",
}
FILE_ARGUMENTS: dict[tuple[str, ...], Callable[[Path], str]] = {
    ("import",): lambda base: str(base / "register.csv"),
    ("import-ocds",): lambda _base: str(OCDS),
    ("backup",): lambda base: str(base / "backup.db"),
    ("ics",): lambda base: str(base / "partner.json"),
}


def _argv(db: Path, path: tuple[str, ...], name: str, value: str) -> list[str]:
    """A command line giving ``value`` to parameter ``name`` of ``path`` (the rest valid)."""
    if not path:  # the group's own --db
        return ["--db", value, "suppliers"]
    command = COMMANDS[path]
    argv = ["--db", str(db), *path]
    for param in command.params:
        if isinstance(param, click.Argument):
            if param.name == name:
                argv.append(value)
            elif path in FILE_ARGUMENTS:
                argv.append(FILE_ARGUMENTS[path](db.parent))
            else:
                argv.append(ARGUMENTS[param.name or ""])
    tested = _param(path, name)
    if isinstance(tested, click.Option):
        argv += [max(tested.opts, key=len), value]
    required = REQUIRED.get(path, [])
    flags = [required[i] for i in range(0, len(required), 2)]
    if isinstance(tested, click.Option) and max(tested.opts, key=len) in flags:
        keep = flags.index(max(tested.opts, key=len))
        required = required[: 2 * keep] + required[2 * keep + 2 :]
    return argv + required


_DAY_NEAR = st.sampled_from(
    [
        dt.date(1, 1, 1),
        dt.date(1, 1, 5),
        dt.date(1899, 12, 31),
        dt.date(1900, 1, 1),
        dt.date(2200, 12, 31),
        dt.date(2201, 1, 1),
        dt.date(9999, 12, 30),
        dt.date(9999, 12, 31),
    ]
)
DATES = st.one_of(
    _DAY_NEAR.map(dt.date.isoformat),
    st.dates(max_value=dt.date(1, 12, 31)).map(dt.date.isoformat),
    st.dates(min_value=dt.date(9999, 1, 1)).map(dt.date.isoformat),
    _DAY_NEAR.map(lambda d: f"{d.isoformat()}T00:00+05:00"),
    _DAY_NEAR.map(lambda d: f"{d.isoformat()}T23:59-05:00"),
)
INTEGERS = st.one_of(
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**20, -(10**30)]),
    st.integers(min_value=2**40, max_value=2**200),
    st.integers(max_value=-1),
).map(str)
NUMBERS = st.sampled_from(["1e30", "-1e30", "NaN", "nan", "inf", "-inf", "1e308", "0.5", "1e-400"])
SHORT = st.one_of(DATES, INTEGERS, NUMBERS)
"""Values that are also ordinary file names (for the file parameters)."""
TEXT = st.one_of(
    st.text(max_size=40),
    st.binary(min_size=1, max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(["x" * 10_000, "\x1b[31mred", "a\nerror: b", "\u202e"]),
)
ANY = st.one_of(SHORT, TEXT)


def _values_for(path: tuple[str, ...], name: str) -> st.SearchStrategy[str]:
    param = _param(path, name)
    if isinstance(param.type, click.Path):
        return SHORT  # file names themselves (length, NUL bytes) are checked where files are opened
    return ANY


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The sample register's database, as bytes to start every example from."""
    db = tmp_path_factory.mktemp("pristine") / "register.db"
    result = CliRunner().invoke(main, ["--db", str(db), "import", str(sample_register_path())])
    assert result.exit_code == 0, result.output
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    return db.read_bytes()


def check(pristine: bytes, base: Path, path: tuple[str, ...], name: str, value: str) -> None:
    """Run one command line in a fresh copy of the register and hold it to the guarantees."""
    for leftover in base.iterdir():
        leftover.unlink() if leftover.is_file() else None
    db = base / "register.db"
    db.write_bytes(pristine)
    (base / "register.csv").write_text(
        "Supplier,Category,Criticality\nZeta Ltd,EPR,High\n", encoding="utf-8"
    )
    before = dump(db)
    argv = _argv(db, path, name, value)
    cwd = os.getcwd()
    os.chdir(base)  # anything a value names as a file lands in the example's folder
    try:
        result = CliRunner(env={"COLUMNS": "120"}).invoke(main, argv)
    finally:
        os.chdir(cwd)
    shown = f"{[arg[:80] for arg in argv]!r}: {result.output[-400:]!r}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}: {str(result.exception)[:300]}"
    )
    # `due` exits 1 when something is overdue (for cron): a result, not an error.
    allowed = (0, 1, 2) if path[:1] == ("due",) else (0, 2)
    assert result.exit_code in allowed, shown
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if not line.startswith("warning:")]
        assert len(lines) == 1, shown
        assert lines[0].startswith("error: "), shown
        assert dump(db) == before, shown


TARGETED = {
    "date": "9999-12-31",
    "int": "99999999999999999999",
    "other": "\udcff\udcfe\x00\x1b[2J" + "x" * 5000,
}


def _targeted(path: tuple[str, ...], name: str) -> str:
    param = _param(path, name)
    if isinstance(param.type, click.Path):
        return "1e30"
    if isinstance(param.type, click.types.IntParamType) or name in ("since",):
        return TARGETED["int"] if name != "since" else "0001-01-01T00:00+05:00"
    if "YYYY" in param.type.name or name in ("today", "due"):
        return TARGETED["date"]
    return TARGETED["other"]


PATH_PARAMS = [
    (path, name) for path, name in PARAMS if isinstance(_param(path, name).type, click.Path)
]


@pytest.mark.parametrize(
    ("path", "name"), PATH_PARAMS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else x
)
def test_each_file_parameter_refuses_a_name_too_long(
    pristine: bytes, tmp_path: Path, path: tuple[str, ...], name: str
) -> None:
    check(pristine, tmp_path, path, name, "x" * 5000)


def test_usage_errors_are_one_line(pristine: bytes, tmp_path: Path) -> None:
    for argv in (("score", "--format", "nope"), ("nosuch",), ("--nope",), ("score", "--top", "1")):
        db = tmp_path / "register.db"
        db.write_bytes(pristine)
        result = CliRunner().invoke(main, ["--db", str(db), *argv])
        assert result.exit_code == 2, argv
        assert result.stderr.count("\n") == 1, (argv, result.stderr)
        assert result.stderr.startswith("error: "), (argv, result.stderr)
        assert "--help" in result.stderr, argv


def test_every_command_with_a_value_is_covered() -> None:
    names = {path for path, _ in PARAMS}
    assert {("score",), ("questions",), ("review", "action", "done"), ("export",)} <= names
    assert ((), "db") in PARAMS and (("questions",), "top") in PARAMS


@pytest.mark.parametrize(
    ("path", "name"), PARAMS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else x
)
def test_each_parameter_refuses_its_extreme_value(
    pristine: bytes, tmp_path: Path, path: tuple[str, ...], name: str
) -> None:
    check(pristine, tmp_path, path, name, _targeted(path, name))


@settings(
    max_examples=int(os.environ.get("SUPPLIER_REGISTER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_extreme_values_anywhere_never_crash(
    pristine: bytes, tmp_path: Path, data: st.DataObject
) -> None:
    path, name = data.draw(st.sampled_from(PARAMS), label="parameter")
    value = data.draw(_values_for(path, name), label="value")
    check(pristine, tmp_path, path, name, value)
