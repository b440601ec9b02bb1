"""The register open here as one of the ICS view's trusts (``services.ics_own``, issue 19)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlite_utils import Database

from supplier_register.domain.models import Contract, Register, Supplier
from supplier_register.services.exports import share_export
from supplier_register.services.ics_own import register_ics_view
from supplier_register.storage import Repository, open_database
from tests.support.registers import TODAY
from tests.support.shares import contract, share_document, supplier, write_share


def _register_db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    db = open_database(path)
    try:
        Repository(db).import_register(
            Register(
                trust="Riverside NHS Trust",
                suppliers=[
                    Supplier(name="Acme Ltd", category="epr", criticality="strategic"),
                    Supplier(name="Nobody Else Ltd", category="devices", criticality="low"),
                ],
                contracts=[
                    Contract(
                        supplier="Acme Ltd",
                        title="EPR",
                        what_is_bought="configurable_product",
                        contract_type="subscription_saas",
                        end_date=dt.date(2027, 6, 30),
                        notice_period_days=90,
                        migration_lead_time_days=0,
                    )
                ],
            )
        )
    finally:
        db.close()
    return path


def _exported(path: Path) -> dict[str, dict[str, object]]:
    db: Database = open_database(path, create=False)
    try:
        document = json.loads("".join(share_export(db, TODAY)))
    finally:
        db.close()
    return {row["name"]: row for row in document["suppliers"]}


def test_the_register_is_a_trust_marked_as_this_one_with_its_shared_scores_and_dates(
    tmp_path: Path,
) -> None:
    db = _register_db(tmp_path)
    partner = write_share(
        tmp_path / "hillside.json",
        share_document(
            "Hillside NHS Trust",
            [supplier("ACME Limited", next_decide_by="2027-06-01")],
            [contract("ACME Limited", "PAS", end_date="2027-09-01", decide_by="2027-06-01")],
        ),
    )
    result = register_ics_view(db, [partner], TODAY)
    view = result.view
    assert result.this_trust == "Riverside NHS Trust (this trust)"
    assert view.trusts == ("Hillside NHS Trust", "Riverside NHS Trust (this trust)")
    acme = next(s for s in view.suppliers if s.name in ("Acme Ltd", "ACME Limited"))
    own = next(u for u in acme.uses if u.trust == result.this_trust)
    exported = _exported(db)["Acme Ltd"]
    assert (own.score, own.band) == (exported["score"], exported["band"])
    assert own.contracts[0].decide_by == dt.date(2027, 4, 1)  # 90 days before the end
    window = acme.windows[0]
    assert (window.start, window.end) == (dt.date(2027, 4, 1), dt.date(2027, 6, 1))
    assert window.trusts == ("Hillside NHS Trust", "Riverside NHS Trust (this trust)")
    # The scores the caller holds are used as given (the TUI's current ones).
    again = register_ics_view(db, [partner], TODAY, overviews=[])
    own = next(u for s in again.view.suppliers for u in s.uses if u.trust == again.this_trust)
    assert own.score is None


def test_a_shared_file_of_this_trust_or_claiming_its_mark_is_left_out(tmp_path: Path) -> None:
    db = _register_db(tmp_path)
    old = write_share(
        tmp_path / "riverside.json",
        share_document(" riverside  nhs TRUST", [supplier("Acme Ltd")]),
    )
    claim = write_share(
        tmp_path / "claim.json",
        share_document(
            "Riverside NHS Trust (this trust)",
            [supplier("Acme Ltd")],
            exported_at="2030-01-01T00:00:00+00:00",
        ),
    )
    partner = write_share(tmp_path / "p.json", share_document("Hillside", [supplier("Acme Ltd")]))
    result = register_ics_view(db, [old, claim, partner], TODAY)
    assert result.view.trusts == ("Hillside", "Riverside NHS Trust (this trust)")
    assert result.view.warnings == (
        f"{old}: a shared file of riverside  nhs TRUST, this trust; the register open here "
        "is shown instead",
        f"{claim}: a shared file of Riverside NHS Trust (this trust), this trust; the register "
        "open here is shown instead",
    )
