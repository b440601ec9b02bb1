"""Published contract data (OCDS 1.1): shapes, buyers, awards, matching, re-imports, provenance."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain.enums import ContractType, ProcurementRoute, PurchaseKind
from supplier_register.domain.errors import BadFile, InvalidInput
from supplier_register.domain.models import Register
from supplier_register.importers.ocds import plan_ocds, route_of
from supplier_register.services.imports import apply_import, load_history, open_ocds
from supplier_register.storage import Repository
from tests.importers.import_helpers import FIXTURES, NOW
from tests.support.registers import dump, small_register

PACKAGE = FIXTURES / "ocds_release_package.json"
UPDATE = FIXTURES / "ocds_release_package_update.json"
RECORDS = FIXTURES / "ocds_record_package.json"
AWARDS_ONLY = FIXTURES / "ocds_release_awards_only.json"
BUYER = "GB-NHS-RNV"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def contracts_of(repo: Repository) -> dict[tuple[str, str], Any]:
    return {(c.supplier, c.title): c for c in repo.list_contracts()}


def test_several_buyers_without_buyer_is_an_error_listing_them() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_ocds(load(PACKAGE), "package.json", Register())
    assert caught.value.problems == [
        "--buyer: package.json has 2 buyers; choose one of: "
        "'Northmoor Valley NHS Foundation Trust' (GB-NHS-RNV); "
        "'Riverside Hospitals NHS Trust' (GB-NHS-RRH)"
    ]


@pytest.mark.parametrize(
    "wanted",
    [
        "GB-NHS-RNV",
        "RNV",
        "rnv",
        "Northmoor Valley NHS Foundation Trust",
        "NORTHMOOR VALLEY NHS FOUNDATION TRUST",
        "northmoor valley",
    ],
)
def test_buyer_by_identifier_or_name(wanted: str) -> None:
    plan = plan_ocds(load(PACKAGE), "package.json", Register(), buyer=wanted)
    assert "Riverside" not in plan.source
    assert {s.name for s in plan.records.suppliers} == {
        "ACME LTD",
        "Beacon Digital LLP",
        "Cobalt Consulting Ltd",
        "Echo Imaging GmbH",
    }


def test_part_of_a_name_shared_by_buyers_is_ambiguous() -> None:
    with pytest.raises(InvalidInput, match=r"'NHS' matches several buyers"):
        plan_ocds(load(PACKAGE), "package.json", Register(), buyer="NHS")


def test_unknown_buyer_lists_the_buyers() -> None:
    with pytest.raises(InvalidInput, match=r"no buyer 'St Elsewhere' in package\.json; buyers are"):
        plan_ocds(load(PACKAGE), "package.json", Register(), buyer="St Elsewhere")


def test_awards_and_contracts_become_contracts_with_what_the_release_says() -> None:
    plan = plan_ocds(load(PACKAGE), "package.json", Register(), buyer=BUYER)
    contracts = {(c.supplier, c.title): c for c in plan.records.contracts}
    epr = contracts[("ACME LTD", "EPR support and maintenance")]
    assert (epr.start_date, epr.end_date) == (dt.date(2024, 4, 1), dt.date(2027, 3, 31))
    assert epr.total_value == Decimal("1500000")
    assert epr.annual_value is None
    assert epr.procurement_route is ProcurementRoute.FRAMEWORK
    assert epr.extension_options == "may be extended to 2029-03-31 (published maximum)"
    assert epr.contract_type is ContractType.UNKNOWN
    assert epr.what_is_bought is PurchaseKind.UNKNOWN
    assert epr.notice_period_days is None and epr.break_clause is None
    assert epr.notes.startswith(
        "Imported from published contract data: ocds-b5fd17-0001 (contract 1). "
        "Procurement method: selective / Call-off from a framework agreement."
    )
    acme = next(s for s in plan.records.suppliers if s.name == "ACME LTD")
    assert acme.company_number == "01234567" and acme.sme is False


def test_period_falls_back_to_the_tender_and_missing_value_stays_unknown() -> None:
    plan = plan_ocds(load(PACKAGE), "package.json", Register(), buyer=BUYER)
    network = next(c for c in plan.records.contracts if c.title == "Network refresh")
    assert network.supplier == "ACME LTD"
    assert (network.start_date, network.end_date) == (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert network.total_value is None
    assert network.procurement_route is ProcurementRoute.OPEN_TENDER
    assert (
        "ocds-b5fd17-0002 award A1: 'Acme Limited' matched to 'ACME LTD' (same company number)"
        in plan.warnings
    )


def test_several_suppliers_on_one_award_each_get_the_contract_without_a_split_value() -> None:
    plan = plan_ocds(load(PACKAGE), "package.json", Register(), buyer=BUYER)
    shared = [c for c in plan.records.contracts if c.title == "Outpatient letters discovery"]
    assert sorted(c.supplier for c in shared) == ["Beacon Digital LLP", "Cobalt Consulting Ltd"]
    for contract in shared:
        assert contract.total_value is None
        assert contract.start_date is None and contract.end_date is None
        assert contract.procurement_route is ProcurementRoute.DIRECT_AWARD
        assert "Published value £240,000 is shared by 2 suppliers and is not split." in (
            contract.notes
        )
    beacon = next(s for s in plan.records.suppliers if s.name == "Beacon Digital LLP")
    assert beacon.sme is True and beacon.company_number == "OC401234"


def test_cancelled_foreign_currency_bad_dates_and_other_buyers() -> None:
    plan = plan_ocds(load(PACKAGE), "package.json", Register(), buyer=BUYER)
    assert plan.skipped == [
        "ocds-b5fd17-0004 award 1: cancelled",
        "1 contracting process(es) of other buyers",
    ]
    assert "ocds-b5fd17-0005 award 1: awards.value is in EUR, not pounds: not imported" in (
        plan.warnings
    )
    echo = next(c for c in plan.records.contracts if c.supplier == "Echo Imaging GmbH")
    assert echo.total_value is None and echo.end_date == dt.date(2028, 3, 31)
    assert [r.line() for r in plan.rejections] == [
        'ocds-b5fd17-0006 award 1, column "awards.contractPeriod.startDate": '
        "'2025-13-45T00:00:00Z' is not a date",
        'ocds-b5fd17-0006 award 2, column "contractPeriod.endDate": '
        "must not be before the start date, 1 Apr 2026",
    ]
    assert "Pathology LIMS" not in {c.title for c in plan.records.contracts}


def test_record_package_uses_compiled_release_or_embedded_releases() -> None:
    plan = plan_ocds(load(RECORDS), "records.json", Register())
    contracts = {c.supplier: c for c in plan.records.contracts}
    indigo = contracts["Indigo Cloud Services Ltd"]
    assert indigo.title == "Cloud hosting for the data platform"
    assert indigo.total_value == Decimal("600000")
    # A restricted procedure is competitive but not open.
    assert indigo.procurement_route is ProcurementRoute.COMPETITIVE_TENDER
    assert indigo.end_date == dt.date(2027, 6, 30)
    jade = contracts["Jade Secure Ltd"]
    assert jade.title == "Cyber security operations centre"
    assert (jade.start_date, jade.end_date) == (dt.date(2025, 6, 1), dt.date(2028, 5, 31))
    assert jade.total_value == Decimal("450000")
    assert plan.skipped == [
        "ocds-h6vhtk-00e5f6: no compiledRelease, and its releases are only links"
    ]


def test_single_release_awards_only_with_buyer_from_party_roles() -> None:
    plan = plan_ocds(load(AWARDS_ONLY), "award.json", Register())
    [contract] = plan.records.contracts
    assert (contract.supplier, contract.title) == (
        "Kestrel Speech Ltd",
        "Digital dictation and speech recognition",
    )
    assert contract.procurement_route is ProcurementRoute.DIRECT_AWARD
    assert contract.start_date is None and contract.total_value is None
    assert plan.records.suppliers[0].sme is True


@pytest.mark.parametrize(
    ("tender", "route"),
    [
        ({"procurementMethod": "open"}, ProcurementRoute.OPEN_TENDER),
        (
            {"procurementMethod": "selective", "procurementMethodDetails": "Restricted procedure"},
            ProcurementRoute.COMPETITIVE_TENDER,
        ),
        (
            {
                "procurementMethod": "selective",
                "procurementMethodDetails": "Call-off from a dynamic purchasing system",
            },
            ProcurementRoute.FRAMEWORK,
        ),
        ({"techniques": {"hasFrameworkAgreement": True}}, ProcurementRoute.FRAMEWORK),
        ({"procurementMethod": "direct"}, ProcurementRoute.DIRECT_AWARD),
        (
            {"procurementMethodDetails": "Negotiated procedure without prior publication"},
            ProcurementRoute.DIRECT_AWARD,
        ),
        (
            {"procurementMethodDetails": "Joint procurement with the ICS"},
            ProcurementRoute.JOINT_PROCUREMENT,
        ),
        ({"procurementMethodDetails": "Mini-competition"}, ProcurementRoute.FRAMEWORK),
        (
            {"procurementMethod": "limited", "procurementMethodDetails": "Request for quotation"},
            ProcurementRoute.COMPETITIVE_TENDER,
        ),
        ({"procurementMethod": "selective"}, ProcurementRoute.COMPETITIVE_TENDER),
        ({"procurementMethod": "limited"}, ProcurementRoute.UNKNOWN),
        ({}, ProcurementRoute.UNKNOWN),
        ({"procurementMethod": "something else"}, ProcurementRoute.UNKNOWN),
    ],
)
def test_procurement_route_from_method_and_details(
    tender: dict[str, Any], route: ProcurementRoute
) -> None:
    assert route_of(tender) is route


def test_import_is_idempotent_and_records_provenance(repo: Repository) -> None:
    first = apply_import(repo, open_ocds(PACKAGE, BUYER), NOW)
    assert first.summary.contracts.created == 5
    after_first = dump(repo.db)
    second = apply_import(repo, open_ocds(PACKAGE, BUYER), NOW)
    assert not second.plan.has_writes
    assert second.plan.count("contract", "unchanged") == 5
    assert dump(repo.db) == after_first
    acme = repo.find_supplier("ACME LTD")
    assert [p.describe() for p in repo.provenance(acme.id)] == [
        "contract 'EPR support and maintenance': OCDS ocds-b5fd17-0001 contract 1, "
        "release ocds-b5fd17-0001-2024-03-20T10:00:00Z of 2024-03-20, from "
        "ocds_release_package.json, imported 2026-11-26 09:30; not in the source, set by "
        "default: supplier.category, supplier.criticality",
        "contract 'Network refresh': OCDS ocds-b5fd17-0002 award A1, release "
        "ocds-b5fd17-0002-2024-09-02T08:30:00Z of 2024-09-02, from "
        "ocds_release_package.json, imported 2026-11-26 09:30",
    ]
    assert repo.identifiers(acme.id) == ["GB-COH-01234567"]
    everyone = repo.provenance_by_supplier()
    assert everyone[acme.id] == repo.provenance(acme.id)
    assert sorted(repo.get_supplier(i).name for i in everyone) == [
        "ACME LTD",
        "Beacon Digital LLP",
        "Cobalt Consulting Ltd",
        "Echo Imaging GmbH",
    ]


def test_newer_release_updates_older_is_skipped_and_spellings_match(repo: Repository) -> None:
    apply_import(repo, open_ocds(PACKAGE, BUYER), NOW)
    later = NOW + dt.timedelta(days=30)
    applied = apply_import(repo, open_ocds(UPDATE), later)
    plan = applied.plan
    assert [c.line() for c in plan.changes if c.action != "unchanged"] == [
        "update contract ACME LTD / EPR support and maintenance (ocds-b5fd17-0001 contract 1): "
        "end date: 2027-03-31 -> 2028-03-31; total value: £1,500,000 -> £1,800,000",
        "create contract Beacon Digital LLP / Outpatient letters alpha (ocds-b5fd17-0010 award 1)",
    ]
    assert plan.skipped == [
        "ocds-b5fd17-0002 award A1: older than the release already imported "
        "(2024-09-02T08:30:00+00:00)"
    ]
    assert (
        "ocds-b5fd17-0010 award 1: 'Beacon Digital Limited' matched to 'Beacon Digital LLP' "
        "(same name once normalised)" in plan.warnings
    )
    contracts = contracts_of(repo)
    assert len(contracts) == 6
    network = contracts[("ACME LTD", "Network refresh")]
    assert network.end_date == dt.date(2026, 12, 31)
    acme = repo.find_supplier("ACME LTD")
    epr = repo.provenance(acme.id)[0]
    assert epr.release_id == "ocds-b5fd17-0001-2025-09-15T10:00:00Z"
    assert epr.source_file == "ocds_release_package_update.json"
    assert len(repo.provenance(acme.id)) == 2


def test_reimporting_the_same_release_keeps_corrections_and_fills_gaps(repo: Repository) -> None:
    apply_import(repo, open_ocds(PACKAGE, BUYER), NOW)
    acme = repo.find_supplier("ACME LTD")
    repo.update_supplier(
        acme.id, acme.model_copy(update={"criticality": "strategic", "category": "epr"})
    )
    epr = next(c for c in repo.list_contracts(acme.id) if c.title.startswith("EPR"))
    repo.update_contract(
        epr.id,
        epr.model_copy(update={"end_date": dt.date(2027, 9, 30), "total_value": None}),
    )
    epr = repo.get_contract(epr.id)
    repo.update_contract(
        epr.id,
        epr.model_copy(
            update={
                "contract_type": "subscription_saas",
                "notice_period_days": 180,
                "notes": "Mine",
            }
        ),
    )
    plan = apply_import(repo, open_ocds(PACKAGE, BUYER), NOW).plan
    assert [c.line() for c in plan.changes if c.action != "unchanged"] == [
        "update contract ACME LTD / EPR support and maintenance (ocds-b5fd17-0001 contract 1): "
        "total value: (empty) -> £1,500,000"
    ]
    kept = repo.get_contract(epr.id)
    assert (kept.contract_type, kept.notice_period_days, kept.notes, kept.end_date) == (
        ContractType.SUBSCRIPTION_SAAS,
        180,
        "Mine",
        dt.date(2027, 9, 30),
    )
    assert repo.find_supplier("ACME LTD").criticality.value == "strategic"


def test_existing_supplier_matched_by_company_number_and_ambiguity_reported(
    loaded_repo: Repository,
) -> None:
    data = load(AWARDS_ONLY)
    data["parties"][1] = {
        "id": "GB-COH-01234567",
        "name": "ACME UK LIMITED",
        "identifier": {"scheme": "GB-COH", "id": "01234567"},
        "roles": ["supplier"],
    }
    data["awards"][0]["suppliers"] = [{"id": "GB-COH-01234567", "name": "ACME UK LIMITED"}]
    history = load_history(loaded_repo)
    plan = plan_ocds(data, "a.json", loaded_repo.load_register(), history)
    assert [c.key for c in plan.changes if c.kind == "contract"] == [
        "Acme [UK] Ltd / Digital dictation and speech recognition"
    ]
    existing = small_register()
    existing.suppliers.append(
        existing.suppliers[1].model_copy(update={"name": "Kestrel Speech PLC"})
    )
    existing.suppliers.append(
        existing.suppliers[1].model_copy(update={"name": "KESTREL SPEECH LLP"})
    )
    plan = plan_ocds(load(AWARDS_ONLY), "a.json", existing)
    assert [r.line() for r in plan.rejections] == [
        "ocds-b5fd17-0200 award 1, column \"awards.suppliers\": 'Kestrel Speech Ltd' is "
        "ambiguous: it could be any of 'KESTREL SPEECH LLP', 'Kestrel Speech PLC'"
    ]
    assert plan.records == Register()


def test_same_title_from_two_processes_stays_two_contracts() -> None:
    data = load(AWARDS_ONLY)
    second = json.loads(json.dumps(data))
    second["ocid"] = "ocds-b5fd17-0201"
    second["id"] = "ocds-b5fd17-0201-2025-12-01T00:00:00Z"
    second["date"] = "2025-12-01T00:00:00Z"
    package = {"version": "1.1", "releases": [data, second]}
    plan = plan_ocds(package, "p.json", Register())
    assert sorted(c.title for c in plan.records.contracts) == [
        "Digital dictation and speech recognition",
        "Digital dictation and speech recognition (ocds-b5fd17-0201)",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{", "not valid JSON"),
        (b"[]", "not OCDS data"),
        (b'{"releases": []}', "holds no releases with an ocid"),
        (b'{"uri": "x"}', "not OCDS data"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"ocid": "ocds-1", "awards": []}', "no buyer is named"),
    ],
)
def test_bad_files_are_one_line_and_change_nothing(
    tmp_path: Path, loaded_repo: Repository, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = dump(loaded_repo.db)
    with pytest.raises(BadFile, match=message):
        apply_import(loaded_repo, open_ocds(path), NOW)
    assert dump(loaded_repo.db) == before


def test_rejected_only_input_and_buyer_errors_change_nothing(
    loaded_repo: Repository, tmp_path: Path
) -> None:
    before = dump(loaded_repo.db)
    with pytest.raises(InvalidInput):
        apply_import(loaded_repo, open_ocds(PACKAGE), NOW)
    data = load(PACKAGE)
    data["releases"] = [r for r in data["releases"] if r["ocid"] == "ocds-b5fd17-0006"]
    path = tmp_path / "bad_dates.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    applied = apply_import(loaded_repo, open_ocds(path), NOW)
    assert len(applied.plan.rejections) == 2
    assert dump(loaded_repo.db) == before
