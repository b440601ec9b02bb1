"""Hostile and malformed import files: one-line errors, never a crash, the register unchanged."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import verify_audit
from tests.support.registers import dump, small_register

FUZZ = settings(
    # the suite runs 75 examples per test; set the variable higher for a long fuzzing run
    max_examples=int(os.environ.get("SUPPLIER_REGISTER_FUZZ_EXAMPLES", "75")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
VALID = dump_register_json(small_register())


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register with data in it, shared by the examples of each test."""
    folder = tmp_path_factory.mktemp("fuzz")
    db = open_database(folder / "register.db")
    Repository(db).import_register(small_register())
    db.close()
    return folder


def import_bytes(
    folder: Path, data: bytes, command: tuple[str, ...] = ("import",), suffix: str = ".json"
) -> None:
    """Import ``data`` through the CLI and check the outcome is one of the two allowed ones.

    Either it imports (exit 0, the audit still replays exactly), or it fails with
    exit 2, every line of stderr a one-line ``error:`` message, and the database
    byte-for-byte as it was.  Anything else (a traceback, exit 1) fails the test.
    """
    db = folder / "register.db"
    file = folder / f"in{suffix}"
    file.write_bytes(data)
    before = dump(db)
    result = CliRunner().invoke(main, ["--db", str(db), *command, str(file)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crash on {data[:200]!r}") from result.exception
    if result.exit_code == 0:
        check_db = open_database(db)
        try:
            assert verify_audit(check_db).ok
        finally:
            check_db.close()
        return
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert lines, "an error must say what is wrong"
    assert len(lines) <= 21
    assert all(line.startswith("error: ") for line in lines), result.stderr
    assert all(len(line) < 2000 for line in lines)
    assert dump(db) == before


@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"")
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe{\x00}\x00")
@example(data=b"[" * 100_000)
@example(data=b'{"people": [' + b"[" * 5000 + b"]" * 5000 + b"]}")
@example(data=b'{"suppliers": [{"name": ' + b"9" * 5000 + b"}]}")
@example(data=b'{"people": [{"name": "a\\ud800b", "role": "cio_cdo"}]}')
@example(data=b'{"people": [{"name": "a\\u0000b", "role": "cio_cdo"}]}')
@example(data=b"NaN")
@example(
    data=b'{"suppliers": [{"name": "x", "category": "epr", "criticality": "low", "annual_spend": 1e400}]}'
)
def test_random_bytes(workspace: Path, data: bytes) -> None:
    import_bytes(workspace, data)


@FUZZ
@given(cut=st.integers(0, len(VALID.encode()) - 1))
def test_truncated_files(workspace: Path, cut: int) -> None:
    import_bytes(workspace, VALID.encode()[:cut])


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(value=JSON_VALUES)
def test_random_json_documents(workspace: Path, value: Any) -> None:
    import_bytes(workspace, json.dumps(value).encode())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {**doc, head: _replace(doc[head], rest, new)}
    copy = list(doc)
    copy[head] = _replace(copy[head], rest, new)
    return copy


HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "x" * 20_000,
        "\x00",
        "\ud800",
        "[@click=app.quit]x[/]",
        "=cmd|' /C calc'!A0",
        "Robert'); DROP TABLE suppliers;--",
        "\u202eevil",
        "2026-02-30",
        "-1",
        "1e999",
    ]
)


@FUZZ
@given(
    seed=st.integers(0, 10_000),
    new=JSON_VALUES | HOSTILE_TEXT,
    extra_key=st.booleans(),
)
def test_valid_file_with_one_field_replaced(
    workspace: Path, seed: int, new: Any, extra_key: bool
) -> None:
    """Mutate one field, list or record of a valid file to something random or hostile."""
    doc = json.loads(VALID)
    path = random.Random(seed).choice(_paths(doc))
    mutated = _replace(doc, path, new)
    if extra_key and isinstance(mutated, dict):
        # A new dict, not the one mutated: when the path is the whole document, mutated is new.
        mutated = {**mutated, "unexpected": new}
    import_bytes(workspace, json.dumps(mutated).encode())


def test_a_lone_surrogate_in_a_name_is_a_clear_error(workspace: Path) -> None:
    doc = json.loads(VALID)
    doc["suppliers"][0]["name"] = "Acme \ud800 Ltd"
    before = dump(workspace / "register.db")
    import_bytes(workspace, json.dumps(doc).encode())
    assert dump(workspace / "register.db") == before


IMPORTERS = [
    (("import",), ".json"),
    (("import-ocds", "--buyer", "GB-NHS-RNV"), ".json"),
    (("import",), ".csv"),
    (("import",), ".tsv"),
    (("import",), ".xlsx"),
]


@FUZZ
@given(data=st.binary(max_size=1500), importer=st.sampled_from(IMPORTERS))
@example(data=b"[" * 100_000, importer=IMPORTERS[1])
@example(data=b'{"releases": [{"x": ' + b"9" * 5000 + b"}]}", importer=IMPORTERS[1])
@example(data=b"PK\x03\x04" + b"\x00" * 100, importer=IMPORTERS[4])
@example(data=b"Supplier,Category\n\x1b]0;x\x07Evil,other\n", importer=IMPORTERS[2])
def test_every_importer_from_the_cli(workspace: Path, data: bytes, importer: Any) -> None:
    """Random bytes through every importer: a result or one-line errors, never a traceback."""
    command, suffix = importer
    import_bytes(workspace, data, command, suffix)
