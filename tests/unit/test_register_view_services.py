"""The TUI's scoring reads the register's services: which are clinical is register-wide context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from supplier_register.domain.models import Contract, Service, Supplier
from supplier_register.services.register_view import Scoring, read_records
from supplier_register.storage import Repository, open_database

TODAY = dt.date(2026, 11, 26)


def test_records_carry_the_services_and_a_clinical_change_rescores_everyone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "register.db"
    db = open_database(path)
    try:
        repo = Repository(db)
        repo.add_supplier(Supplier(name="Veridane", category="epr", criticality="medium"))
        repo.add_contract(
            Contract(
                supplier="Veridane",
                title="EPR",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
            )
        )
        for name in ("ED triage", "Theatres"):
            repo.add_service(Service(name=name, clinical=True))
        contract = repo.list_contracts()[0]
        repo.update_contract(
            contract.id, contract.model_copy(update={"services": ["ED triage", "Theatres"]})
        )
        scoring = Scoring()
        records = read_records(path)
        assert [s.name for s in records.services] == ["ED triage", "Theatres"]
        scores = scoring.score_all(records, TODAY)
        assert "rule.concentration" in {
            f.code for f in scoring.full(scores, records, records.suppliers[0]).findings
        }
        assert scores.context.clinical_services == frozenset({"ed triage", "theatres"})
        # Records patched after a change to one supplier keep the services: same context.
        supplier = records.suppliers[0]
        patched = records.patched(supplier.id, supplier, *records.own(supplier.id))
        assert patched.services == records.services
        assert scoring.rescore(scores, records, patched, {supplier.id}, TODAY) is not None
        # A service no longer clinical changes every score's context: the whole register again.
        theatres = repo.find_service("Theatres")
        repo.update_service(theatres.id, theatres.model_copy(update={"clinical": False}))
        after = read_records(path)
        assert scoring.rescore(scores, records, after, {supplier.id}, TODAY) is None
        rescored = scoring.score_all(after, TODAY)
        assert "rule.concentration" not in {
            f.code for f in scoring.full(rescored, after, after.suppliers[0]).findings
        }
    finally:
        db.close()
