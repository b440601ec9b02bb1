"""User text is data: markup shows literally in every CLI table; control codes never get through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from supplier_register.cli import main, one_line
from supplier_register.domain import Contract, Person, Supplier
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import USER_ENV_VAR
from tests.support.hostile import MARKUP_PAYLOADS
from tests.support.registers import dump


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "3000"}).invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a MarkupError or any other crash fails here
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every payload in every text field the CLI shows (names must stay unique)."""
    monkeypatch.setenv(USER_ENV_VAR, "[@click=app.quit]auditor[/]")
    path = tmp_path / "hostile.db"
    db = open_database(path)
    repo = Repository(db)
    for i, payload in enumerate(MARKUP_PAYLOADS):
        person = repo.add_person(Person(name=f"P{i} {payload}", role="other", contact=payload))
        repo.add_supplier(
            Supplier(
                name=f"S{i} {payload}",
                category="other",
                criticality="low",
                owner=person.name,
                notes=payload,
            )
        )
        repo.add_contract(
            Contract(
                supplier=f"S{i} {payload}",
                title=f"C{i} {payload}",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=payload,
            )
        )
    db.close()
    return path


def test_markup_shows_literally_in_every_cli_table(hostile_db: Path) -> None:
    shown = 0
    checks = 0
    outputs = {
        cmd: run("--db", str(hostile_db), cmd)
        for cmd in ("suppliers", "contracts", "people", "audit")
    }
    for cmd, (code, _, err) in outputs.items():
        assert code == 0, (cmd, err)
    expected = {
        "suppliers": ["S{i} {p}", "P{i} {p}"],
        "contracts": ["S{i} {p}", "C{i} {p}"],
        "people": ["P{i} {p}", "{p}"],
        "audit": ["S{i} {p}", "P{i} {p}", "C{i} {p}"],
    }
    for cmd, patterns in expected.items():
        out = outputs[cmd][1]
        for i, payload in enumerate(MARKUP_PAYLOADS):
            for pattern in patterns:
                checks += 1
                text = pattern.format(i=i, p=payload).strip()
                assert text in out, (cmd, text)
                shown += 1
    assert "[@click=app.quit]auditor[/]" in outputs["audit"][1]
    assert shown == checks == len(MARKUP_PAYLOADS) * 9


def test_json_output_round_trips_payloads(hostile_db: Path) -> None:
    code, out, _ = run("--db", str(hostile_db), "suppliers", "--format", "json")
    assert code == 0
    names = {s["name"] for s in json.loads(out)}
    assert {f"S{i} {p}".strip() for i, p in enumerate(MARKUP_PAYLOADS)} <= names


@pytest.mark.parametrize(
    "text",
    ["Acme\x1b]0;pwned\x07 Ltd", "Acme\x1b[2J", "line\nbreak", "nul\x00", "bell\x07", "c1\x9b31m"],
)
def test_control_characters_are_refused_in_names(text: str) -> None:
    with pytest.raises(ValidationError, match="control characters"):
        Supplier(name=text, category="other", criticality="low")


def test_free_text_keeps_line_breaks_and_tabs_but_not_escapes() -> None:
    s = Supplier(name="A", category="other", criticality="low", notes="one\r\ntwo\tthree")
    assert s.notes == "one\ntwo\tthree"
    with pytest.raises(ValidationError, match="control characters"):
        Supplier(name="A", category="other", criticality="low", notes="red \x1b[31m")


def test_an_import_with_escape_sequences_is_one_escaped_line(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    open_database(db).close()
    file = tmp_path / "in.json"
    file.write_text(
        json.dumps(
            {
                "suppliers": [
                    {
                        "name": "Evil\x1b]0;owned\x07 Ltd",
                        "category": "other",
                        "criticality": "low",
                        "\rfake": 1,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    before = dump(db)
    code, _, err = run("--db", str(db), "import", str(file))
    assert code == 2
    assert "\x1b" not in err and "\r" not in err and "\x07" not in err
    lines = err.splitlines()
    assert all(line.startswith("error: ") for line in lines)
    assert any("name: must not contain control characters (found U+001B)" in line for line in lines)
    assert any("\\rfake: unknown field" in line for line in lines)
    assert dump(db) == before


def test_one_line_escapes_breaks_controls_and_bidi_overrides() -> None:
    assert one_line("a\nb\rc\x1b[2Jd\u202ee\u2028f") == "a\\nb\\rc\\x1b[2Jd\\u202ee\\u2028f"
    assert one_line("Acme [UK] Ltd – café") == "Acme [UK] Ltd – café"
