"""The trust profile in storage: one versioned row (m012), saved over the version read or
refused, audited, carried by the interchange (absent leaves it as stored), and migrated into
an older register as "not recorded"."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from supplier_register.domain import StaleRecord, TrustProfile
from supplier_register.domain.errors import InvalidInput
from supplier_register.interchange import (
    dump_register_json,
    iter_register_json,
    parse_register_json,
)
from supplier_register.services.exports import register_json
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import AuditReader, verify_audit
from tests.support.registers import before_tri_state, small_register

PROFILE = TrustProfile(
    ics="Fellside ICS",
    digital_staff=Decimal("38.5"),
    commercial_staff=Decimal(2),
    contractors=Decimal("14.25"),
    updated_on=dt.date(2026, 10, 1),
)


def table(db: Database) -> list[tuple[object, ...]]:
    return db.execute("SELECT * FROM trust_profile").fetchall()


def test_a_new_register_has_no_profile(repo: Repository) -> None:
    assert repo.get_profile() is None
    assert repo.profile() is None
    assert repo.load_register().profile is None


def test_round_trip_keeps_every_figure_exactly(repo: Repository) -> None:
    saved = repo.save_profile(PROFILE, expected_version=0)
    assert saved.version == 1
    assert repo.profile() == PROFILE
    assert repo.get_profile() == saved
    assert repo.get_profile().digital_staff == Decimal("38.5")  # type: ignore[union-attr]
    assert repo.load_register().profile == PROFILE
    cleared = repo.save_profile(TrustProfile(ics="Fellside ICS"), expected_version=1)
    assert cleared.version == 2
    assert cleared.digital_staff is None  # not recorded, never 0


def test_a_save_over_a_version_someone_replaced_is_refused(repo: Repository) -> None:
    first = repo.save_profile(PROFILE, expected_version=0)
    repo.save_profile(PROFILE.model_copy(update={"contractors": Decimal(20)}), first.version)
    before = table(repo.db)
    with pytest.raises(StaleRecord, match=r"trust profile: changed by someone else .*version 1"):
        repo.save_profile(TrustProfile(), expected_version=first.version)
    assert table(repo.db) == before


def test_a_first_profile_recorded_meanwhile_by_someone_else_is_refused(repo: Repository) -> None:
    repo.save_profile(PROFILE, expected_version=0)
    before = table(repo.db)
    with pytest.raises(StaleRecord, match="trust profile: recorded by someone else"):
        repo.save_profile(TrustProfile(digital_staff=Decimal(1)), expected_version=0)
    assert table(repo.db) == before


def test_one_row_only(repo: Repository) -> None:
    repo.save_profile(PROFILE)
    repo.save_profile(PROFILE.model_copy(update={"ics": None}))
    assert len(table(repo.db)) == 1


def test_changes_are_audited_and_named(repo: Repository) -> None:
    repo.save_profile(PROFILE, expected_version=0)
    repo.save_profile(PROFILE.model_copy(update={"contractors": Decimal(15)}), 1)
    entries = [e for e in AuditReader(repo.db).entries() if e.table == "trust_profile"]
    assert [e.action for e in entries] == ["insert", "update"]
    assert {e.record for e in entries} == {"trust profile"}
    assert entries[1].summary() == "contractors: 14.25 -> 15.0"
    assert verify_audit(repo.db).ok


# ------------------------------------------------------------- interchange


def test_export_and_import_carry_the_profile(repo: Repository) -> None:
    register = small_register().model_copy(update={"profile": PROFILE})
    summary = repo.import_register(register)
    assert "trust profile: 1 created, 0 updated, 0 unchanged" in summary.lines()
    text = "".join(register_json(repo.db))
    assert json.loads(text)["profile"]["digital_staff"] == 38.5
    assert text == dump_register_json(repo.load_register())
    other = Repository(open_database(":memory:"))
    other.import_register(parse_register_json(text))
    assert other.profile() == PROFILE
    again = other.import_register(parse_register_json(text))
    assert "trust profile: 0 created, 0 updated, 1 unchanged" in again.lines()
    assert other.get_profile().version == 1  # type: ignore[union-attr]


def test_a_file_without_a_profile_leaves_the_stored_one(repo: Repository) -> None:
    repo.save_profile(PROFILE)
    summary = repo.import_register(small_register())
    assert repo.profile() == PROFILE
    assert not any(line.startswith("trust profile") for line in summary.lines())
    data = json.loads(dump_register_json(small_register()))
    assert data["profile"] is None
    repo.import_register(parse_register_json(json.dumps(data)))
    assert repo.profile() == PROFILE


def test_the_streamed_export_writes_the_profile_as_the_model_does() -> None:
    register = small_register().model_copy(update={"profile": PROFILE})
    text = "".join(
        iter_register_json(
            register.trust,
            register.people,
            register.suppliers,
            register.contracts,
            register.answers,
            register.services,
            register.dependencies,
            profile=PROFILE,
        )
    )
    assert text == dump_register_json(register)


def test_a_bad_profile_in_a_file_is_named_and_nothing_is_written(repo: Repository) -> None:
    data = json.loads(dump_register_json(small_register()))
    data["profile"] = {"digital_staff": -2}
    with pytest.raises(InvalidInput) as caught:
        parse_register_json(json.dumps(data), "f.json")
    assert caught.value.problems == ["f.json: profile.digital_staff: must be at least 0"]
    version_1 = {"format_version": 1, "profile": {"digital_staff": 3}}
    with pytest.raises(InvalidInput) as caught:
        parse_register_json(json.dumps(version_1), "f.json")
    assert caught.value.problems == [
        'f.json: profile: only format_version 2 has it; set "format_version": 2 to import it'
    ]
    assert repo.get_profile() is None


# ---------------------------------------------------------------- migration


def test_migration_adds_an_empty_profile_to_an_older_register(tmp_path: Path) -> None:
    from supplier_register.storage.migrations import migrations

    path = tmp_path / "old.db"
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m012_trust_profile")
    # As the release before dated assurance (format version 3) wrote it.
    Repository(db).import_register(
        before_tri_state(small_register()).model_copy(update={"format_version": 2})
    )
    assert "trust_profile" not in db.table_names()
    db.close()
    db = open_database(path)
    repo = Repository(db)
    assert repo.get_profile() is None
    assert len(repo.list_suppliers()) == len(small_register().suppliers)
    repo.save_profile(PROFILE, expected_version=0)
    assert verify_audit(db).ok
    db.close()
