"""Published notices as trusts meet them (issue 18): re-issued notices, procedures, joint
buyers and many files in one import."""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.enums import Competition, ProcurementRoute
from supplier_register.domain.errors import InvalidInput
from supplier_register.domain.models import Register
from supplier_register.importers.ocds import plan_ocds
from supplier_register.services.imports import (
    OcdsBatch,
    apply_import,
    import_ocds_files,
    open_ocds,
)
from supplier_register.storage import Repository, open_database
from tests.importers.import_helpers import FIXTURES, NOW
from tests.support.registers import dump
from tests.support.scoring_fixtures import clean_register, codes, score_of

PROCEDURES = FIXTURES / "ocds_procedures.json"
FIRST = FIXTURES / "ocds_reissued_first.json"
SECOND = FIXTURES / "ocds_reissued_second.json"
TITLE = "Pathology laboratory information system"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def titles(repo: Repository) -> list[tuple[str, str, Decimal | None]]:
    return sorted((c.supplier, c.title, c.total_value) for c in repo.list_contracts())


# -- re-issued notices ------------------------------------------------------------


def test_reissued_notice_with_a_new_award_id_updates_the_same_contract(
    repo: Repository,
) -> None:
    apply_import(repo, open_ocds(FIRST), NOW)
    assert titles(repo) == [("Harrier Health Systems Ltd", TITLE, Decimal("188487.00"))]
    plan = apply_import(repo, open_ocds(SECOND), NOW).plan
    assert [c.line() for c in plan.changes if c.action != "unchanged"] == [
        "update contract Harrier Health Systems Ltd / Pathology laboratory information system "
        "(ocds-b5fd17-0300 award ocds-b5fd17-0300-2): total value: £188,487 -> £18,848,731"
    ]
    assert titles(repo) == [("Harrier Health Systems Ltd", TITLE, Decimal("18848731.00"))]
    supplier = repo.find_supplier("Harrier Health Systems Ltd")
    [provenance] = repo.provenance(supplier.id)
    assert (provenance.ocds_id, provenance.release_id) == (
        "award:ocds-b5fd17-0300-2",
        "ocds-b5fd17-0300-award-2",
    )
    # Importing either file again changes nothing: the first is older, the second is known.
    before = dump(repo.db)
    assert not apply_import(repo, open_ocds(SECOND), NOW).plan.has_writes
    again = apply_import(repo, open_ocds(FIRST), NOW).plan
    assert not again.has_writes
    assert again.skipped == [
        "ocds-b5fd17-0300 award ocds-b5fd17-0300-1: older than the release already imported "
        "(2024-06-20T09:00:00+00:00)"
    ]
    assert dump(repo.db) == before


def test_both_notices_in_one_file_make_one_contract_with_the_later_values() -> None:
    package = load(FIRST)
    package["releases"] += load(SECOND)["releases"]
    plan = plan_ocds(package, "both.json", Register())
    assert [(c.title, c.total_value) for c in plan.records.contracts] == [
        (TITLE, Decimal("18848731.00"))
    ]
    assert plan.skipped == [
        "ocds-b5fd17-0300 award ocds-b5fd17-0300-1: superseded for 'HARRIER HEALTH SYSTEMS "
        "LIMITED' by the re-issued notice (award ocds-b5fd17-0300-2 of 2024-06-20)"
    ]


def test_a_later_notice_with_another_title_is_kept_apart_and_named(
    repo: Repository, tmp_path: Path
) -> None:
    # Another lot awarded later, or a re-issue with a new title: which, the data cannot say,
    # so the contract is not overwritten; the note names the earlier one (merge if the same).
    apply_import(repo, open_ocds(FIRST), NOW)
    second = load(SECOND)
    second["releases"][0]["awards"][0]["title"] = "Pathology LIMS, lot 2"
    path = tmp_path / "second.json"
    path.write_text(json.dumps(second), encoding="utf-8")
    plan = apply_import(repo, open_ocds(path), NOW).plan
    assert titles(repo) == [
        ("Harrier Health Systems Ltd", "Pathology LIMS, lot 2", Decimal("18848731.00")),
        ("Harrier Health Systems Ltd", TITLE, Decimal("188487.00")),
    ]
    assert (
        "ocds-b5fd17-0300 award ocds-b5fd17-0300-2: 'Pathology LIMS, lot 2' of 'Harrier Health "
        "Systems Ltd' is new in a process that gave 'Pathology laboratory information system' "
        "in an earlier notice: another lot, or a re-issued notice with a new title (if so, "
        "merge the two contracts)" in plan.warnings
    )
    package = load(FIRST)
    package["releases"] += second["releases"]
    both = plan_ocds(package, "both.json", Register())
    assert len(both.records.contracts) == 2 and both.skipped == []


def test_contract_notice_after_the_award_updates_the_contract_of_that_award(
    repo: Repository, tmp_path: Path
) -> None:
    apply_import(repo, open_ocds(FIRST), NOW)
    later = load(FIRST)
    release = later["releases"][0]
    release["id"], release["date"] = "ocds-b5fd17-0300-contract-1", "2024-08-01T09:00:00Z"
    release["contracts"] = [
        {
            "id": "C1",
            "awardID": "ocds-b5fd17-0300-1",
            "title": "Pathology LIMS contract",
            "value": {"amount": 190000, "currency": "GBP"},
        }
    ]
    path = tmp_path / "contract.json"
    path.write_text(json.dumps(later), encoding="utf-8")
    apply_import(repo, open_ocds(path), NOW)
    assert titles(repo) == [("Harrier Health Systems Ltd", TITLE, Decimal("190000.00"))]


def test_two_lots_of_one_notice_for_one_supplier_stay_two_contracts() -> None:
    package = load(FIRST)
    release = package["releases"][0]
    lot2 = copy.deepcopy(release["awards"][0])
    lot2["id"], lot2["title"] = "ocds-b5fd17-0300-lot2", "Pathology middleware"
    release["awards"].append(lot2)
    plan = plan_ocds(package, "lots.json", Register())
    assert sorted(c.title for c in plan.records.contracts) == [TITLE, "Pathology middleware"]
    assert plan.skipped == []


# -- procedures -------------------------------------------------------------------

R, C = ProcurementRoute, Competition
EXPECTED = {
    "Open procedure": (R.OPEN_TENDER, C.OPEN),
    "Restricted procedure": (R.COMPETITIVE_TENDER, C.COMPETITIVE_PROCEDURE),
    "Competitive procedure with negotiation": (R.COMPETITIVE_TENDER, C.COMPETITIVE_PROCEDURE),
    "Competitive flexible procedure": (R.COMPETITIVE_TENDER, C.COMPETITIVE_PROCEDURE),
    "Competitive quotation": (R.COMPETITIVE_TENDER, C.COMPETITIVE_PROCEDURE),
    "Call-off with further competition": (R.FRAMEWORK, C.FURTHER_COMPETITION),
    "Call-off without further competition": (R.FRAMEWORK, C.FRAMEWORK_DIRECT_AWARD),
    "Direct award": (R.DIRECT_AWARD, C.NO_COMPETITION),
    "Single tender action": (R.DIRECT_AWARD, C.NO_COMPETITION),
    "Negotiated without prior publication": (R.DIRECT_AWARD, C.NO_COMPETITION),
    "Limited, no details": (R.UNKNOWN, C.UNKNOWN),
    "Joint open procedure": (R.JOINT_PROCUREMENT, C.OPEN),
}
UNCOMPETED = {"rule.direct_award", "rule.no_further_competition"}


def _imported_procedures() -> dict[str, tuple[ProcurementRoute, Competition]]:
    plan = plan_ocds(load(PROCEDURES), "procedures.json", Register())
    return {c.title: (c.procurement_route, c.competition) for c in plan.records.contracts}


def test_each_published_procedure_maps_to_route_and_competition() -> None:
    assert _imported_procedures() == EXPECTED


@pytest.mark.parametrize("title", sorted(EXPECTED))
def test_the_board_is_told_without_competition_only_when_it_was(title: str) -> None:
    route, competition = _imported_procedures()[title]
    data = clean_register()  # a strategic supplier: every competition finding would show
    data["contracts"][0].update(
        {"procurement_route": route.value, "competition": competition.value}
    )
    score = score_of(data)
    said = " ".join(
        [f.explanation for f in score.findings] + [q.text for q in score.questions]
    ).casefold()
    if competition in (C.NO_COMPETITION, C.FRAMEWORK_DIRECT_AWARD):
        assert codes(score) & UNCOMPETED
    else:
        assert not codes(score) & UNCOMPETED
        assert "without competition" not in said
        assert "not competed" not in said


# -- joint buyers -----------------------------------------------------------------

JOINT = FIXTURES / "ocds_joint_buyers.json"


def test_a_file_naming_several_buyers_lists_every_party_with_the_buyer_role() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_ocds(load(JOINT), "joint.json", Register())
    assert caught.value.problems == [
        "--buyer: joint.json has 3 buyers; choose one of: "
        "'Eastmoor Community Health NHS Trust' (GB-NHS-RXX); "
        "'Northmoor Valley NHS Foundation Trust' (GB-NHS-RNV); "
        "'Riverside Integrated Care Board' (GB-NHS-QYY)"
    ]


def test_a_joint_buyer_beside_release_buyer_gets_the_joint_contract() -> None:
    plan = plan_ocds(load(JOINT), "joint.json", Register(), buyer="RXX")
    contracts = {c.title: c for c in plan.records.contracts}
    assert sorted(contracts) == [
        "Community telehealth monitoring",
        "Shared electronic document management",
    ]
    shared = contracts["Shared electronic document management"]
    assert (shared.procurement_route, shared.competition) == (
        ProcurementRoute.JOINT_PROCUREMENT,
        Competition.OPEN,
    )
    assert (
        "Bought jointly with 'Northmoor Valley NHS Foundation Trust' (GB-NHS-RNV), "
        "'Riverside Integrated Care Board' (GB-NHS-QYY)." in shared.notes
    )
    alone = contracts["Community telehealth monitoring"]
    assert alone.procurement_route is ProcurementRoute.COMPETITIVE_TENDER


@pytest.mark.parametrize(
    "wanted",
    [
        "Northmoor Valley FT",  # release.buyer's own name for the party GB-NHS-RNV
        "Northmoor Valley NHS Foundation Trust",
        "GB-NHS-RNV",
        "Riverside Integrated Care Board",  # a party with the buyer role, no identifier
        "GB-NHS-QYY",  # ... chosen by its party id
    ],
)
def test_every_buyer_is_selectable_by_name_or_identifier(wanted: str) -> None:
    plan = plan_ocds(load(JOINT), "joint.json", Register(), buyer=wanted)
    assert [c.title for c in plan.records.contracts] == ["Shared electronic document management"]
    assert plan.skipped == ["1 contracting process(es) of other buyers"]


def test_a_buyer_named_differently_by_release_buyer_and_its_party_is_one_buyer() -> None:
    data = load(JOINT)
    release = data["releases"][0]
    release["parties"] = [
        p for p in release["parties"] if p["id"] in ("GB-NHS-RNV", "GB-COH-06660666")
    ]
    plan = plan_ocds(release, "one.json", Register())
    assert "buyer 'Northmoor Valley NHS Foundation Trust' (GB-NHS-RNV)" in plan.source
    assert [c.procurement_route for c in plan.records.contracts] == [ProcurementRoute.OPEN_TENDER]


# -- many files in one call -------------------------------------------------------


def cli(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def _folder(tmp_path: Path, *, bad: bool = True) -> Path:
    folder = tmp_path / "notices"
    folder.mkdir()
    for source in (FIRST, SECOND, PROCEDURES):
        shutil.copy(source, folder / source.name)
    if bad:
        (folder / "broken.json").write_text("{", encoding="utf-8")
        shutil.copy(JOINT, folder / "joint.json")  # three buyers and no --buyer
    (folder / "notes.txt").write_text("not imported: not .json", encoding="utf-8")
    return folder


def _register_rows(db: Path) -> list[tuple[str, list[tuple[object, ...]]]]:
    skip = ("audit_log", "import_provenance", "_sqlite_migrations")
    return [t for t in dump(db) if t[0] not in skip]


def test_a_folder_is_imported_file_by_file_with_one_summary_and_refusals(
    tmp_path: Path,
) -> None:
    db = tmp_path / "register.db"
    code, out, err = cli(db, "import-ocds", str(_folder(tmp_path)))
    assert code == 2
    assert err == (
        "error: 2 of 5 files refused, nothing written from them (listed above); "
        "the others were imported\n"
    )
    lines = out.splitlines()
    assert lines[:3] == [
        "ocds_procedures.json: created: 1 supplier, 12 contracts; updated: nothing; "
        "unchanged: nothing",
        "ocds_reissued_first.json: created: 1 supplier, 1 contract; updated: nothing; "
        "unchanged: nothing",
        "ocds_reissued_second.json: created: nothing; updated: 1 contract; unchanged: 1 supplier",
    ]
    assert lines[3:] == [
        "Imported 3 of 5 files, each in one transaction:",
        "  created: 2 suppliers, 13 contracts",
        "  updated: 1 contract",
        "  unchanged: 1 supplier",
        "  rejected: 0 awards/contracts",
        "  refused: 2 file(s), nothing written from them:",
        "    broken.json: not valid JSON: Expecting property name enclosed in double quotes "
        "at line 1",
        "    joint.json: --buyer: joint.json has 3 buyers; choose one of: "
        "'Eastmoor Community Health NHS Trust' (GB-NHS-RXX); "
        "'Northmoor Valley NHS Foundation Trust' (GB-NHS-RNV); "
        "'Riverside Integrated Care Board' (GB-NHS-QYY)",
    ]
    with open_database(db) as conn:
        repo = Repository(conn)
        assert sorted(s.name for s in repo.list_suppliers()) == [
            "Harrier Health Systems Ltd",
            "Osprey Digital Ltd",
        ]
        assert len(repo.list_contracts()) == 13


def test_many_files_in_one_call_write_what_one_call_each_writes(tmp_path: Path) -> None:
    folder = _folder(tmp_path, bad=False)
    files = sorted(str(p) for p in folder.glob("*.json"))
    together, apart = tmp_path / "together.db", tmp_path / "apart.db"
    code, _, err = cli(together, "import-ocds", *files)
    assert code == 0, err
    for name in files:
        code, _, err = cli(apart, "import-ocds", name)
        assert code == 0, err
    assert _register_rows(together) == _register_rows(apart)
    with open_database(together) as one, open_database(apart) as other:
        assert [p.describe()[:60] for p in Repository(one).provenance(1)] == [
            p.describe()[:60] for p in Repository(other).provenance(1)
        ]


def test_a_missing_file_is_refused_and_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    code, out, err = cli(db, "import-ocds", str(FIRST), str(tmp_path / "gone.json"), "--dry-run")
    assert code == 2 and err.startswith("error: 1 of 2 files refused")
    assert "    gone.json: file not found" in out.splitlines()
    assert "Checked (dry run: nothing written) 1 of 2 files:" in out.splitlines()
    assert "  would be created: 1 supplier, 1 contract" in out.splitlines()
    assert not db.exists()


def test_a_dry_run_of_many_files_predicts_what_the_real_import_does(tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    code, preview, err = cli(db, "import-ocds", str(FIRST), str(SECOND), "--dry-run")
    assert code == 0, err
    assert not db.exists()
    code, imported, err = cli(db, "import-ocds", str(FIRST), str(SECOND))
    assert code == 0, err
    # The second notice re-issues the first's contract: one of each, then an update.
    assert preview.splitlines()[3:6] == [
        "  would be created: 1 supplier, 1 contract",
        "  would be updated: 1 contract",
        "  unchanged: 1 supplier",
    ]
    expected = imported.replace("Imported 2 of 2 files, each in one transaction:", "Checked")
    expected = expected.replace("created:", "would be created:").replace(
        "updated:", "would be updated:"
    )
    assert preview.replace("Checked (dry run: nothing written) 2 of 2 files:", "Checked") == (
        expected
    )


def test_a_dry_run_of_many_files_refuses_a_register_file(tmp_path: Path) -> None:
    with open_database(tmp_path / "register.db") as conn:
        with pytest.raises(ValueError, match="in-memory copy"):
            import_ocds_files(Repository(conn), [FIRST], NOW, dry_run=True)
        assert Repository(conn).list_contracts() == []


def test_a_folder_without_json_files_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = cli(tmp_path / "r.db", "import-ocds", str(tmp_path / "empty"))
    assert (code, err) == (2, f"error: {tmp_path / 'empty'}: a folder with no .json files\n")


def test_the_kept_register_is_read_again_after_another_connection_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "register.db"
    with open_database(path) as mine, open_database(path) as theirs:
        repo = Repository(mine)
        outcomes = import_ocds_files(repo, [FIRST], NOW)
        assert outcomes[0].plan is not None and outcomes[0].refused is None
        batch = OcdsBatch(repo)
        register, _ = batch.known()
        assert batch.known()[0] is register  # nothing changed: kept
        [contract] = Repository(theirs).list_contracts()
        Repository(theirs).delete_contract(contract.id)
        assert batch.known()[0].contracts == []


def test_an_interrupted_import_says_which_files_stay_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import supplier_register.services.imports as imports

    opened = imports.open_ocds

    def open_until_second(path: Path, buyer: str | None = None) -> imports.OcdsImport:
        if path.name == SECOND.name:
            raise KeyboardInterrupt
        return opened(path, buyer)

    monkeypatch.setattr(imports, "open_ocds", open_until_second)
    db = tmp_path / "register.db"
    code, out, err = cli(db, "import-ocds", str(FIRST), str(SECOND), str(PROCEDURES))
    assert code == 130
    assert "Imported 1 of 1 files, each in one transaction:" in out.splitlines()
    assert err == (
        "warning: stopped at ocds_reissued_second.json (1 of 3 files done): the files imported "
        "above stay written; nothing from that file or the files after it was written\n"
        "error: interrupted\n"
    )
    with open_database(db) as conn:
        assert titles(Repository(conn)) == [
            ("Harrier Health Systems Ltd", TITLE, Decimal("188487.00"))
        ]


# -- re-issued notices of two lots for one supplier --------------------------------

LOTS_FIRST = FIXTURES / "ocds_lots_first.json"
LOTS_SECOND = FIXTURES / "ocds_lots_second.json"
HARRIER = "Harrier Health Systems Ltd"
LOT_2 = f"{TITLE} (ocds-b5fd17-0300)"


def test_reissued_notice_of_two_lots_updates_both_contracts_and_duplicates_none(
    repo: Repository,
) -> None:
    apply_import(repo, open_ocds(LOTS_FIRST), NOW)
    assert titles(repo) == [
        (HARRIER, TITLE, Decimal("120000.00")),
        (HARRIER, LOT_2, Decimal("60000.00")),
    ]
    plan = apply_import(repo, open_ocds(LOTS_SECOND), NOW).plan
    # Lot 2's stored title carries the process's OCID (given to keep it apart from lot 1):
    # the re-issued award, published without it, is paired with it by its place in the notice.
    assert [c.line() for c in plan.changes if c.action != "unchanged"] == [
        f"update contract {HARRIER} / {LOT_2} (ocds-b5fd17-0300 award lot-2-reissued): "
        "total value: £60,000 -> £64,500"
    ]
    assert titles(repo) == [
        (HARRIER, TITLE, Decimal("120000.00")),
        (HARRIER, LOT_2, Decimal("64500.00")),
    ]
    supplier = repo.find_supplier(HARRIER)
    assert sorted(str(p.ocds_id) for p in repo.provenance(supplier.id)) == [
        "award:lot-1-reissued",
        "award:lot-2-reissued",
    ]
    before = dump(repo.db)
    assert not apply_import(repo, open_ocds(LOTS_SECOND), NOW).plan.has_writes
    assert not apply_import(repo, open_ocds(LOTS_FIRST), NOW).plan.has_writes
    assert dump(repo.db) == before


def test_reissued_lots_that_cannot_be_paired_update_none_and_are_named(
    repo: Repository, tmp_path: Path
) -> None:
    # Three awards of one title where two were imported: which is which, the data cannot say,
    # so nothing is guessed or overwritten and no contract is created; the note names both.
    apply_import(repo, open_ocds(LOTS_FIRST), NOW)
    before = dump(repo.db)
    second = load(LOTS_SECOND)
    awards = second["releases"][0]["awards"]
    awards.append({**copy.deepcopy(awards[1]), "id": "lot-3"})
    path = tmp_path / "second.json"
    path.write_text(json.dumps(second), encoding="utf-8")
    plan = apply_import(repo, open_ocds(path), NOW).plan
    assert not plan.has_writes
    assert dump(repo.db) == before
    note = (
        f": cannot tell which of the contracts {TITLE!r}, {LOT_2!r} of {HARRIER!r} imported "
        "from an earlier notice of the same process this award restates (the notice has 3 "
        "awards of that title for 2 contracts): none is updated or created; update them by hand"
    )
    assert plan.skipped == [
        f"ocds-b5fd17-0300 award {ident}{note}"
        for ident in ("lot-1-reissued", "lot-2-reissued", "lot-3")
    ]


def test_both_notices_of_two_lots_in_one_file_make_two_contracts() -> None:
    package = load(LOTS_FIRST)
    package["releases"] += load(LOTS_SECOND)["releases"]
    plan = plan_ocds(package, "both.json", Register())
    assert [(c.title, c.total_value) for c in plan.records.contracts] == [
        (TITLE, Decimal("120000.00")),
        (LOT_2, Decimal("64500.00")),
    ]
