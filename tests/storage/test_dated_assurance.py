"""Dated assurance on suppliers (m014): stored, read back, and migrated without inventing dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from supplier_register.domain import Supplier
from supplier_register.domain.enums import CyberEssentials, DsptStatus
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import ensure_audit_triggers, verify_audit
from supplier_register.storage.db import write_transaction
from supplier_register.storage.migrations import migrations

DATES = {
    "dspt_status": "standards_met",
    "dspt_year": "2025/26",
    "cyber_essentials": "plus",
    "cyber_essentials_expiry": "2026-03-03",
    "dtac_complete": True,
    "dtac_date": "2025-09-01",
    "clinical_safety_case": True,
    "clinical_safety_case_date": "2025-04-10",
    "clinical_risk_assessment": False,
    "dpia_done": True,
    "dpia_date": "2024-11-30",
    "pen_test_date": "2025-12-01",
}


def test_dated_assurance_round_trips_through_add_update_and_every_read(tmp_path: Path) -> None:
    db = open_database(tmp_path / "r.db")
    try:
        repo = Repository(db)
        added = repo.add_supplier(
            Supplier.model_validate(
                {"name": "Acme", "category": "epr", "criticality": "high"} | DATES
            )
        )
        assert added.dspt_year == "2025-26"  # written the usual way
        assert added.cyber_essentials_expiry == dt.date(2026, 3, 3)
        assert added.clinical_risk_assessment is False
        assert added.clinical_risk_assessment_date is None
        assert repo.list_suppliers() == [added]
        assert repo.load_register().suppliers[0].pen_test_date == dt.date(2025, 12, 1)
        changed = added.model_copy(
            update={"pen_test_date": None, "dpia_done": None, "dpia_date": None}
        )
        data = changed.model_dump(exclude={"id", "version"})
        updated = repo.update_supplier(added.id, Supplier.model_validate(data), added.version)
        assert (updated.pen_test_date, updated.dpia_done, updated.dpia_date) == (None, None, None)
        assert verify_audit(db).ok
    finally:
        db.close()


def test_a_version_13_register_keeps_every_value_and_gains_no_date(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    db = open_database(path, migrate=False)
    migrations.apply(db, stop_before="m014_dated_assurance")
    with write_transaction(db):
        ensure_audit_triggers(db)  # as every release's migration run ends
    columns = {r[1] for r in db.execute("SELECT * FROM pragma_table_info('suppliers')")}
    assert "dtac_complete" in columns and "dtac_date" not in columns
    # Written as the previous release wrote it: undated assurance values.
    with write_transaction(db):
        db.execute(
            "INSERT INTO suppliers (name, category, criticality, dspt_status, cyber_essentials, "
            "dtac_complete, clinical_safety_case) VALUES "
            "('Acme', 'epr', 'strategic', 'standards_met', 'plus', 1, 0), "
            "('Bexley', 'devices', 'low', 'unknown', 'none', NULL, NULL)"
        )
    db.close()
    db = open_database(path)
    try:
        repo = Repository(db)
        acme, bexley = sorted(repo.list_suppliers(), key=lambda s: s.name)
        assert (acme.dspt_status, acme.cyber_essentials) == (
            DsptStatus.STANDARDS_MET,
            CyberEssentials.PLUS,
        )
        assert (acme.dtac_complete, acme.clinical_safety_case) == (True, False)
        assert (bexley.dtac_complete, bexley.cyber_essentials) == (None, CyberEssentials.NONE)
        for supplier in (acme, bexley):
            assert supplier.dspt_year is None
            assert supplier.cyber_essentials_expiry is None
            assert supplier.dtac_date is None  # "done, date not recorded"
            assert supplier.clinical_safety_case_date is None
            assert supplier.clinical_risk_assessment is None
            assert supplier.clinical_risk_assessment_date is None
            assert supplier.dpia_done is None and supplier.dpia_date is None
            assert supplier.pen_test_date is None
        assert verify_audit(db).ok
        data = acme.model_dump(exclude={"id", "version"}) | {"dtac_date": dt.date(2025, 9, 1)}
        saved = repo.update_supplier(acme.id, Supplier.model_validate(data), acme.version)
        assert saved.dtac_date == dt.date(2025, 9, 1) and saved.dtac_complete is True
        assert verify_audit(db).ok
    finally:
        db.close()
