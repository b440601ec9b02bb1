"""How a contract was competed and its extension options: stored, versioned, audited, migrated."""

from __future__ import annotations

import json
from pathlib import Path

from supplier_register.domain import Competition, Contract
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import AuditReader, ensure_audit_triggers, verify_audit
from supplier_register.storage.db import write_transaction
from supplier_register.storage.migrations import migrations
from tests.support.registers import before_tri_state, small_register

FACTS = {
    "competition": Competition.FRAMEWORK_DIRECT_AWARD,
    "extension_count": 2,
    "extension_months": 12,
}


def _with_facts(contract: Contract, **facts: object) -> Contract:
    data = contract.model_dump(exclude={"id", "supplier_id", "version"})
    return Contract.model_validate({**data, **(facts or FACTS)})


def test_facts_round_trip_through_add_update_and_every_read(repo: Repository) -> None:
    register = small_register()
    repo.import_register(register.model_copy(update={"contracts": []}))
    added = repo.add_contract(_with_facts(register.contracts[0]))
    assert (added.competition, added.extension_count, added.extension_months) == (
        Competition.FRAMEWORK_DIRECT_AWARD,
        2,
        12,
    )
    assert added.version == 1
    listed = {c.title: c for c in repo.list_contracts()}
    assert listed[added.title] == added
    assert repo.load_register().contracts[0].extension_months == 12
    changed = _with_facts(register.contracts[0], competition="no_competition", extension_count=0)
    updated = repo.update_contract(added.id, changed, expected_version=1)
    assert updated.version == 2
    assert (updated.competition, updated.extension_count, updated.extension_months) == (
        Competition.NO_COMPETITION,
        0,
        None,
    )


def test_a_contract_without_the_facts_stores_them_as_not_recorded(loaded_repo: Repository) -> None:
    for contract in loaded_repo.list_contracts():
        assert contract.competition is Competition.UNKNOWN
        assert (contract.extension_count, contract.extension_months) == (None, None)
    row = loaded_repo.db.execute(
        "SELECT competition, extension_count, extension_months FROM contracts LIMIT 1"
    ).fetchone()
    assert row == ("unknown", None, None)


def test_the_audit_log_records_the_facts(loaded_repo: Repository) -> None:
    contract = loaded_repo.list_contracts()[0]
    loaded_repo.update_contract(contract.id, _with_facts(contract), contract.version)
    entry = AuditReader(loaded_repo.db).entries()[-1]
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert changes == {
        "competition": ("unknown", "framework_direct_award"),
        "extension_count": (None, 2),
        "extension_months": (None, 12),
    }
    assert verify_audit(loaded_repo.db).ok


def test_a_version_10_register_migrates_with_the_facts_not_recorded(tmp_path: Path) -> None:
    path = tmp_path / "v10.db"
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m011_contract_competition_extensions")
    with write_transaction(db):
        ensure_audit_triggers(db)  # as every release's migration run ends
    columns = {r[1] for r in db.execute("SELECT * FROM pragma_table_info('contracts')")}
    assert "competition" not in columns and "exit_plan" in columns
    # Written as the previous release wrote it: it knew nothing of the new columns.
    Repository(db).import_register(
        before_tri_state(small_register()).model_copy(update={"format_version": 1})
    )
    db.close()
    db = open_database(path)
    try:
        repo = Repository(db)
        contracts = repo.list_contracts()
        assert len(contracts) == 2
        for contract in contracts:
            assert contract.competition is Competition.UNKNOWN
            assert contract.extension_count is None and contract.extension_months is None
        assert verify_audit(db).ok
        first = contracts[0]
        saved = repo.update_contract(first.id, _with_facts(first), first.version)
        assert saved.extension_count == 2 and saved.version == first.version + 1
        new = json.loads(
            db.execute("SELECT new_values FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
        )
        assert (new["competition"], new["extension_count"], new["extension_months"]) == (
            "framework_direct_award",
            2,
            12,
        )
        assert verify_audit(db).ok
    finally:
        db.close()
