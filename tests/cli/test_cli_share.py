"""``export --format share``: the register for partner trusts, redacted by policy (issue 19)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.models import (
    Dependency,
    ImportSource,
    Person,
    Register,
    Service,
)
from supplier_register.interchange import dump_register_json
from supplier_register.scoring.config import SHARE_FIELDS
from tests.support.registers import TODAY, small_register


def run(*args: str, db: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200", **(env or {})}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def _register() -> Register:
    """The small register with a service, a dependency and an import's provenance."""
    register = small_register()
    return register.model_copy(
        update={
            "trust": "Riverside Test NHS Trust",
            "services": [Service(name="Theatres", clinical=True)],
            "dependencies": [
                Dependency(supplier="Acme [UK] Ltd", depends_on="Beta Cloud", kind="hosting")
            ],
            "provenance": [
                ImportSource(
                    supplier="Beta Cloud",
                    source_kind="spreadsheet",
                    source_file="register.xlsx",
                    row_number=2,
                    imported_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
                )
            ],
        }
    )


def _edit(items: list[Any], index: int, **changes: object) -> list[Any]:
    items = list(items)
    items[index] = items[index].model_copy(update=changes)
    return items


MARKER = "QZXMARKER7731"
MONEY = Decimal("987654.31")
MONEY_TEXT = str(MONEY)

Plant = Callable[[Register], Register]

PLANTS: dict[str, tuple[str, str, Plant]] = {
    # case: (policy name, marker, how it is planted)
    "supplier notes": (
        "notes",
        MARKER,
        lambda r: r.model_copy(update={"suppliers": _edit(r.suppliers, 0, notes=MARKER)}),
    ),
    "contract notes": (
        "notes",
        MARKER,
        lambda r: r.model_copy(update={"contracts": _edit(r.contracts, 0, notes=MARKER)}),
    ),
    "service notes": (
        "notes",
        MARKER,
        lambda r: r.model_copy(update={"services": _edit(r.services, 0, notes=MARKER)}),
    ),
    "dependency note": (
        "notes",
        MARKER,
        lambda r: r.model_copy(update={"dependencies": _edit(r.dependencies, 0, note=MARKER)}),
    ),
    "answer evidence": (
        "evidence",
        MARKER,
        lambda r: r.model_copy(update={"answers": _edit(r.answers, 0, evidence=MARKER)}),
    ),
    "person's name and supplier owner": (
        "people",
        "Qzxmarker Person",
        lambda r: r.model_copy(
            update={
                "people": [*r.people, Person(name="Qzxmarker Person", role="cio_cdo")],
                "suppliers": _edit(r.suppliers, 0, owner="Qzxmarker Person"),
            }
        ),
    ),
    "person's contact": (
        "people",
        "qzxmarker@example.nhs.uk",
        lambda r: r.model_copy(
            update={"people": _edit(r.people, 1, contact="qzxmarker@example.nhs.uk")}
        ),
    ),
    "answered by": (
        "people",
        "Qzxmarker Answerer",
        lambda r: r.model_copy(
            update={"answers": _edit(r.answers, 0, answered_by="Qzxmarker Answerer")}
        ),
    ),
    "annual spend": (
        "values",
        MONEY_TEXT,
        lambda r: r.model_copy(update={"suppliers": _edit(r.suppliers, 0, annual_spend=MONEY)}),
    ),
    "contract annual value": (
        "values",
        MONEY_TEXT,
        lambda r: r.model_copy(update={"contracts": _edit(r.contracts, 0, annual_value=MONEY)}),
    ),
    "contract total value": (
        "values",
        MONEY_TEXT,
        lambda r: r.model_copy(update={"contracts": _edit(r.contracts, 0, total_value=MONEY)}),
    ),
    "contract lifetime cost": (
        "values",
        MONEY_TEXT,
        lambda r: r.model_copy(update={"contracts": _edit(r.contracts, 1, lifetime_cost=MONEY)}),
    ),
    "import file path": (
        "provenance",
        "qzxmarker-imports/register.xlsx",
        lambda r: r.model_copy(
            update={
                "provenance": _edit(r.provenance, 0, source_file="qzxmarker-imports/register.xlsx")
            }
        ),
    ),
}


def _db_with(tmp_path: Path, register: Register) -> Path:
    source = tmp_path / "source.json"
    source.write_text(dump_register_json(register), encoding="utf-8")
    db = tmp_path / "trust.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    return db


def _share(db: Path, out: Path, *args: str) -> bytes:
    code, _, err = run(
        "export", "--format", "share", "--today", TODAY.isoformat(), "--out", str(out), *args, db=db
    )
    assert code == 0, err
    return out.read_bytes()


def test_every_default_field_is_planted() -> None:
    """The cases cover each field of the default policy."""
    assert {policy for policy, _, _ in PLANTS.values()} == set(SHARE_FIELDS)


@pytest.mark.parametrize("case", list(PLANTS))
def test_a_redacted_field_is_absent_from_every_byte(tmp_path: Path, case: str) -> None:
    policy, marker, plant = PLANTS[case]
    db = _db_with(tmp_path, plant(_register()))
    # the marker really is in the register: the lossless export carries it
    full = tmp_path / "full.json"
    code, _, err = run("export", "--format", "json", "--out", str(full), db=db)
    assert code == 0, err
    assert marker.encode() in full.read_bytes()

    shared = _share(db, tmp_path / "shared.json")
    assert marker.encode() not in shared
    assert marker.encode("utf-16-le") not in shared
    document = json.loads(shared)
    assert policy in document["shared"]["policy"]["redacted"]

    # kept when the [share] table says so
    config = tmp_path / "share.toml"
    config.write_text(f'[share]\nkeep = ["{policy}"]\n', encoding="utf-8")
    kept = _share(db, tmp_path / "kept.json", "--config", str(config))
    if case not in ("service notes", "dependency note"):  # never in a shared file
        assert marker.encode() in kept
    assert policy in json.loads(kept)["shared"]["policy"]["kept"]


def test_the_header_names_actor_date_trust_and_policy(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    out = tmp_path / "shared.json"
    code, _, err = run(
        "export",
        "--format",
        "share",
        "--today",
        TODAY.isoformat(),
        "--out",
        str(out),
        db=db,
        env={"SUPPLIER_REGISTER_USER": "Exporting CIO"},
    )
    assert code == 0, err
    document = json.loads(out.read_bytes())
    assert document["format"] == "supplier-register-share"
    shared = document["shared"]
    assert shared["exported_by"] == "Exporting CIO"
    assert shared["trust"] == "Riverside Test NHS Trust"
    assert shared["as_of"] == TODAY.isoformat()
    assert dt.datetime.fromisoformat(shared["exported_at"]).tzinfo is not None
    assert shared["policy"] == {"redacted": list(SHARE_FIELDS), "kept": []}


def test_suppliers_and_contracts_carry_what_a_partner_trust_lines_up(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    document = json.loads(_share(db, tmp_path / "shared.json"))
    acme = next(s for s in document["suppliers"] if s["name"] == "Acme [UK] Ltd")
    assert acme["criticality"] == "strategic"
    assert acme["category"] == "epr"
    assert acme["company_number"] == "01234567"
    assert acme["shared_with"] == ["Riverside ICS"]
    assert isinstance(acme["score"], int)
    assert acme["band"] in ("low", "moderate", "high", "severe")
    contract = next(c for c in document["contracts"] if c["title"] == "EPR licence and support")
    assert contract["end_date"] == "2027-03-31"
    assert contract["notice_period_days"] == 180
    assert contract["procurement_route"] == "framework"
    # 2027-03-31 less 180 days' notice and 365 days to migrate
    assert contract["decide_by"] == "2025-10-02"
    assert "annual_value" not in contract and "owner" not in acme


def test_a_redact_list_narrows_the_policy(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    config = tmp_path / "share.toml"
    config.write_text('[share]\nredact = ["notes", "people"]\n', encoding="utf-8")
    document = json.loads(_share(db, tmp_path / "shared.json", "--config", str(config)))
    assert document["shared"]["policy"]["redacted"] == ["notes", "people"]
    acme = next(s for s in document["suppliers"] if s["name"] == "Acme [UK] Ltd")
    assert acme["annual_spend"] == "1250000.50"
    assert "owner" not in acme and "people" not in document


@pytest.mark.parametrize("table", ['redact = ["notes", "secrets"]', 'keep = ["secrets"]'])
def test_an_unknown_policy_name_is_refused_and_nothing_written(tmp_path: Path, table: str) -> None:
    db = _db_with(tmp_path, _register())
    config = tmp_path / "share.toml"
    config.write_text(f"[share]\n{table}\n", encoding="utf-8")
    out = tmp_path / "shared.json"
    code, stdout, err = run(
        "export", "--format", "share", "--out", str(out), "--config", str(config), db=db
    )
    assert code == 2
    assert not out.exists()
    assert stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert "secrets" in lines[0] and "share" in lines[0]


def test_the_share_file_is_never_written_over_the_register(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    before = db.read_bytes()
    code, _, err = run("export", "--format", "share", "--out", str(db), "--force", db=db)
    assert code == 2
    assert err.startswith("error:")
    assert db.read_bytes() == before


def test_an_existing_file_needs_force(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    out = tmp_path / "shared.json"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = run("export", "--format", "share", "--out", str(out), db=db)
    assert code == 2 and err.startswith("error:")
    assert out.read_text(encoding="utf-8") == "keep me"
    _share(db, out, "--force")
    assert json.loads(out.read_bytes())["format"] == "supplier-register-share"


def test_review_actions_and_their_owners_are_never_shared(tmp_path: Path) -> None:
    db = _db_with(tmp_path, _register())
    day = TODAY.isoformat()
    code, _, err = run("review", "start", "2026-Q4", "--today", day, db=db)
    assert code == 0, err
    code, _, err = run(
        "review",
        "action",
        "add",
        "2026-Q4",
        "--supplier",
        "Acme [UK] Ltd",
        "--what",
        "Ask Qzxmarker Task about exit",
        "--owner",
        "Qzxmarker Owner",
        "--due",
        "2027-03-31",
        "--today",
        day,
        db=db,
    )
    assert code == 0, err
    code, shown, err = run("review", "show", "2026-Q4", db=db)
    assert code == 0, err
    assert "Qzxmarker Owner" in shown  # the action is recorded
    shared = _share(db, tmp_path / "shared.json")
    assert b"Qzxmarker" not in shared
