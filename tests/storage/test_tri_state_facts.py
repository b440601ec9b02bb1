"""Tri-state facts (m015): SME, clinical systems and auto-renewal may be "not recorded"."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplier_register.domain import Contract, Supplier
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import ensure_audit_triggers, verify_audit
from supplier_register.storage.db import write_transaction
from supplier_register.storage.migrations import migrations


def _nullable(db: object, table: str) -> dict[str, bool]:
    rows = db.execute(f"SELECT name, \"notnull\" FROM pragma_table_info('{table}')")  # type: ignore[attr-defined]
    return {name: not notnull for name, notnull in rows}


def test_a_version_14_register_keeps_every_stored_value(tmp_path: Path) -> None:
    path = tmp_path / "v14.db"
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m015_tri_state_facts")
    with write_transaction(db):
        ensure_audit_triggers(db)  # as every release's migration run ends
    assert _nullable(db, "suppliers")["sme"] is False
    with write_transaction(db):
        db.execute(
            "INSERT INTO suppliers (id, name, category, criticality, sme, runs_clinical_systems) "
            "VALUES (1, 'Acme', 'epr', 'strategic', 1, 0), (2, 'Bexley', 'devices', 'low', 0, 1)"
        )
        db.execute(
            "INSERT INTO contracts (supplier_id, title, what_is_bought, contract_type, "
            "auto_renewal) VALUES (1, 'EPR', 'commodity', 'outcome_based', 1), "
            "(2, 'Kit', 'commodity', 'outcome_based', 0)"
        )
        db.execute(
            "INSERT INTO import_provenance (supplier_id, contract_id, source_kind, source_key, "
            "source_file, imported_at) VALUES (1, 1, 'ocds', 'k', 'f.json', '2026-01-01')"
        )
    audit_before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    db.close()
    db = open_database(path)
    try:
        assert _nullable(db, "suppliers")["sme"] is True
        assert _nullable(db, "suppliers")["runs_clinical_systems"] is True
        assert _nullable(db, "contracts")["auto_renewal"] is True
        repo = Repository(db)
        acme, bexley = sorted(repo.list_suppliers(), key=lambda s: s.name)
        # Stored values are kept: a stored 0 stays "no" (the migration cannot know better).
        assert (acme.sme, acme.runs_clinical_systems) == (True, False)
        assert (bexley.sme, bexley.runs_clinical_systems) == (False, True)
        renewals = {c.title: c.auto_renewal for c in repo.list_contracts()}
        assert renewals == {"EPR": True, "Kit": False}
        # Nothing cascaded away and no change was recorded beyond the baseline of new columns.
        assert db.execute("SELECT count(*) FROM import_provenance").fetchone()[0] == 1
        entries = db.execute(
            "SELECT action FROM audit_log WHERE id > ? AND action != 'baseline'", [audit_before]
        ).fetchall()
        assert entries == []
        assert verify_audit(db).ok
        # A value can now be cleared to "not recorded" and is recorded as such.
        data = acme.model_dump(exclude={"id", "version"}) | {"sme": None}
        saved = repo.update_supplier(acme.id, Supplier.model_validate(data), acme.version)
        assert saved.sme is None
        assert verify_audit(db).ok
    finally:
        db.close()


@pytest.mark.parametrize("value", [True, False, None])
def test_each_state_round_trips_through_storage(tmp_path: Path, value: bool | None) -> None:
    db = open_database(tmp_path / "r.db")
    try:
        repo = Repository(db)
        supplier = repo.add_supplier(
            Supplier.model_validate(
                {
                    "name": "Acme",
                    "category": "epr",
                    "criticality": "high",
                    "sme": value,
                    "runs_clinical_systems": value,
                }
            )
        )
        contract = repo.add_contract(
            Contract.model_validate(
                {
                    "supplier": "Acme",
                    "title": "EPR",
                    "what_is_bought": "commodity",
                    "contract_type": "outcome_based",
                    "auto_renewal": value,
                }
            )
        )
        assert (supplier.sme, supplier.runs_clinical_systems) == (value, value)
        assert contract.auto_renewal is value
        loaded = repo.load_register()
        assert loaded.suppliers[0].sme is value
        assert loaded.suppliers[0].runs_clinical_systems is value
        assert loaded.contracts[0].auto_renewal is value
    finally:
        db.close()


def test_new_records_default_to_not_recorded() -> None:
    supplier = Supplier.model_validate({"name": "Acme", "category": "epr", "criticality": "low"})
    contract = Contract.model_validate(
        {
            "supplier": "Acme",
            "title": "EPR",
            "what_is_bought": "commodity",
            "contract_type": "outcome_based",
        }
    )
    assert (supplier.sme, supplier.runs_clinical_systems, contract.auto_renewal) == (
        None,
        None,
        None,
    )
