"""Merging two suppliers: everything moves to the one kept, in one transaction, or nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from supplier_register.domain import Answer, Contract, Register, Supplier
from supplier_register.domain.errors import InvalidInput, StaleRecord
from supplier_register.domain.models import Dependency, Person
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import AuditReader, verify_audit
from supplier_register.storage.merge import supplier_aliases
from supplier_register.storage.provenance import ProvenanceEntry, record_provenance

TODAY = dt.date(2026, 12, 7)
KEEP = "Trustmarque"
DROP = "TRUSTMARQUE SOLUTIONS LIMITED"


def register() -> Register:
    return Register(
        people=[Person(name="Dana Whitfield", role="chief_executive")],
        suppliers=[
            Supplier(
                name=KEEP,
                category="consultancy_contractors",
                criticality="high",
                notes="Main reseller",
            ),
            Supplier(
                name=DROP,
                category="other",
                criticality="medium",
                company_number="01234567",
                owner="Dana Whitfield",
                notes="Imported from the finance ledger",
            ),
            Supplier(name="Beta Cloud", category="cloud_hosting", criticality="high"),
            Supplier(name="Gamma Apps", category="patient_facing_app", criticality="low"),
        ],
        contracts=[
            Contract(
                supplier=KEEP,
                title="Microsoft licences",
                what_is_bought="commodity",
                contract_type="subscription_saas",
            ),
            Contract(
                supplier=DROP,
                title="Adobe licences",
                what_is_bought="commodity",
                contract_type="subscription_saas",
                end_date=dt.date(2027, 3, 31),
            ),
            Contract(
                supplier=DROP,
                title="Licence advice",
                what_is_bought="staff_augmentation",
                contract_type="time_and_materials",
            ),
        ],
        answers=[
            Answer(
                supplier=KEEP, question_id="options.bulk_export", answer="yes", evidence="Tested"
            ),
            Answer(
                supplier=DROP,
                question_id="options.bulk_export",
                answer="no",
                evidence="Export refused in 2025",
                answered_by="Sam Okafor",
            ),
            Answer(supplier=DROP, question_id="buying.need_defined", answer="partly"),
        ],
        dependencies=[
            Dependency(supplier=DROP, depends_on="Beta Cloud", kind="hosting"),
            Dependency(supplier=KEEP, depends_on="Beta Cloud", kind="hosting"),
            Dependency(supplier="Gamma Apps", depends_on=DROP, kind="subcontractor"),
            Dependency(supplier=KEEP, depends_on=DROP, kind="integration"),
        ],
    )


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    db = open_database(tmp_path / "register.db")
    repository = Repository(db)
    repository.import_register(register())
    drop = repository.find_supplier(DROP)
    record_provenance(
        db,
        [
            ProvenanceEntry(
                supplier_id=drop.id,
                contract_id=None,
                source_kind="spreadsheet",
                source_file="ledger.csv",
                row_number=4,
                identifiers=["GB-COH-01234567"],
            )
        ],
        dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC),
    )
    return repository


def dump(repo: Repository) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        r[0]
        for r in repo.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    return {t: list(repo.db.execute(f"SELECT * FROM [{t}] ORDER BY rowid")) for t in tables}


def test_everything_moves_to_the_supplier_kept(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    plan = repo.merge_suppliers(
        keep.id, drop.id, TODAY, keep_version=keep.version, drop_version=drop.version
    )
    assert [s.name for s in repo.list_suppliers()] == ["Beta Cloud", "Gamma Apps", KEEP]
    titles = sorted(c.title for c in repo.list_contracts(keep.id))
    assert titles == ["Adobe licences", "Licence advice", "Microsoft licences"]
    answers = {a.question_id: a for a in repo.list_answers(keep.id)}
    assert answers["buying.need_defined"].answer.value == "partly"
    kept = answers["options.bulk_export"]
    assert kept.answer.value == "yes"  # KEEP's answer stays ...
    assert kept.evidence.startswith("Tested\n\n")  # ... and DROP's is recorded beside it
    assert (
        f"From {DROP} (merged 2026-12-07): answered 'no' (Sam Okafor); "
        "evidence: Export refused in 2025" in kept.evidence
    )
    merged = repo.get_supplier(keep.id)
    assert merged.company_number == "01234567"  # a gap filled from DROP
    assert merged.owner == "Dana Whitfield"
    assert merged.criticality.value == "high"  # KEEP's own details stay
    assert merged.notes == (
        f"Main reseller\n\nFrom {DROP} (merged 2026-12-07): Imported from the finance ledger"
    )
    assert merged.version == keep.version + 1
    deps = sorted((d.supplier, d.depends_on) for d in repo.list_dependencies())
    assert deps == [("Gamma Apps", KEEP), (KEEP, "Beta Cloud")]
    assert repo.identifiers(keep.id) == ["GB-COH-01234567"]
    assert [p.source_file for p in repo.provenance(keep.id)] == ["ledger.csv"]
    assert plan.contracts == ["Adobe licences", "Licence advice"]
    assert plan.answers_moved == ["buying.need_defined"]
    assert [c.question_id for c in plan.answer_clashes] == ["options.bulk_export"]
    assert len(plan.dependencies_moved) == 1 and len(plan.dependencies_dropped) == 2


def test_history_is_kept_and_the_merge_recorded(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    reader = AuditReader(repo.db)
    drop_entries = [e.id for e in reader.entries(supplier_ids={drop.id})]
    assert drop_entries
    repo.merge_suppliers(keep.id, drop.id, TODAY)
    reader = AuditReader(repo.db)
    # DROP's entries are still there, and the history of KEEP includes them
    assert {e.id for e in reader.entries(supplier_ids={drop.id})} >= set(drop_entries)
    history = reader.entries(supplier_ids=reader.supplier_ids(KEEP))
    assert set(drop_entries) <= {e.id for e in history}
    merge = [e for e in history if e.action == "merge"]
    assert len(merge) == 1
    assert merge[0].supplier_id == keep.id
    assert merge[0].record == KEEP
    assert merge[0].summary().startswith(f"merged {DROP!r} into {KEEP!r}: 2 contract(s)")
    assert json.loads(json.dumps(merge[0].new))["merged_id"] == drop.id
    check = verify_audit(repo.db)
    assert check.problems == []


def test_a_stale_merge_is_refused_and_nothing_changes(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    repo.update_supplier(drop.id, drop.model_copy(update={"notes": "edited elsewhere"}))
    before = dump(repo)
    with pytest.raises(StaleRecord, match="supplier to merge 'TRUSTMARQUE SOLUTIONS LIMITED'"):
        repo.merge_suppliers(
            keep.id, drop.id, TODAY, keep_version=keep.version, drop_version=drop.version
        )
    assert dump(repo) == before


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            "UPDATE contracts SET title = 'Microsoft licences' WHERE title = 'Adobe licences'",
            "both have a contract titled 'Microsoft licences'; rename or delete one",
        ),
        (
            "UPDATE suppliers SET company_number = '07654321' WHERE name = 'Trustmarque'",
            "their company numbers differ (07654321 and 01234567)",
        ),
        (
            "INSERT INTO dependencies (supplier_id, depends_on_id, kind) SELECT "
            "(SELECT id FROM suppliers WHERE name = 'Beta Cloud'), "
            "(SELECT id FROM suppliers WHERE name = 'TRUSTMARQUE SOLUTIONS LIMITED'), 'hosting'",
            "dependencies cannot go round in a loop",
        ),
    ],
)
def test_refusals_leave_the_database_exactly_as_it_was(
    repo: Repository, change: str, reason: str
) -> None:
    with repo.db.conn:
        repo.db.execute(change)
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    before = dump(repo)
    with pytest.raises(InvalidInput) as caught:
        repo.merge_suppliers(keep.id, drop.id, TODAY)
    assert reason in caught.value.message
    assert caught.value.message.startswith(f"merge {DROP!r} into {KEEP!r}: ")
    assert caught.value.message.endswith("; nothing was changed")
    assert dump(repo) == before


def test_a_supplier_cannot_be_merged_into_itself(repo: Repository) -> None:
    keep = repo.find_supplier(KEEP)
    with pytest.raises(InvalidInput, match="they are the same supplier"):
        repo.merge_suppliers(keep.id, keep.id, TODAY)


def test_the_plan_writes_nothing(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    before = dump(repo)
    plan = repo.plan_merge(keep.id, drop.id, TODAY)
    assert dump(repo) == before
    assert plan.lines()[0] == f"merge {DROP!r} into {KEEP!r} (nothing written yet):"


def test_an_integrity_failure_midway_rolls_everything_back(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    with repo.db.conn:
        repo.db.execute(
            "CREATE TRIGGER no_delete BEFORE DELETE ON suppliers "
            "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
        )
    before = dump(repo)
    with pytest.raises(sqlite3.IntegrityError):
        repo.merge_suppliers(keep.id, drop.id, TODAY)
    assert dump(repo) == before


def test_an_assurance_fact_comes_with_its_own_date_only(repo: Repository) -> None:
    with repo.db.conn:
        repo.db.execute(
            "UPDATE suppliers SET cyber_essentials = 'plus', cyber_essentials_expiry = "
            "'2027-01-31', dtac_complete = 1, dtac_date = '2026-02-01' WHERE name = ?",
            [DROP],
        )
        repo.db.execute(
            "UPDATE suppliers SET dtac_complete = 0, dtac_date = NULL WHERE name = ?", [KEEP]
        )
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    repo.merge_suppliers(keep.id, drop.id, TODAY)
    merged = repo.get_supplier(keep.id)
    assert merged.cyber_essentials.value == "plus"  # KEEP did not know: DROP's, with its date
    assert merged.cyber_essentials_expiry == dt.date(2027, 1, 31)
    assert merged.dtac_complete is False  # KEEP's own answer stays, without DROP's date
    assert merged.dtac_date is None


def test_the_merged_name_becomes_an_alias_of_the_one_kept(repo: Repository) -> None:
    keep, drop = repo.find_supplier(KEEP), repo.find_supplier(DROP)
    other = repo.find_supplier("Gamma Apps")
    repo.merge_suppliers(keep.id, drop.id, TODAY)
    assert supplier_aliases(repo.db) == {DROP: KEEP}
    # merged again: the names it was known by follow it
    repo.merge_suppliers(other.id, keep.id, TODAY)
    assert supplier_aliases(repo.db) == {DROP: "Gamma Apps", KEEP: "Gamma Apps"}
    assert verify_audit(repo.db).problems == []


def test_history_of_the_kept_leaves_out_a_later_supplier_given_the_merged_id(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "register.db")
    repository = Repository(db)
    repository.import_register(
        Register(
            suppliers=[
                Supplier(name=KEEP, category="other", criticality="high"),
                Supplier(name=DROP, category="other", criticality="low"),
            ]
        )
    )
    keep, drop = repository.find_supplier(KEEP), repository.find_supplier(DROP)
    repository.merge_suppliers(keep.id, drop.id, TODAY)
    newcomer = repository.add_supplier(
        Supplier(name="Orion", category="cloud_hosting", criticality="low")
    )
    assert newcomer.id == drop.id  # SQLite gives the merged supplier's id again
    reader = AuditReader(db)
    for ids in (reader.supplier_ids(KEEP), reader.with_merged({keep.id})):
        history = reader.entries(supplier_ids=ids)
        assert {e.supplier for e in history if e.supplier_id == drop.id} == {DROP}
        assert not any("Orion" in str(e.new) for e in history)
        assert any(e.action == "merge" for e in history)
        assert any(e.action == "delete" and e.supplier_id == drop.id for e in history)
    assert "Orion" in str([e.new for e in reader.entries(supplier_ids={newcomer.id})])
