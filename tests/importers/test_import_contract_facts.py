"""Importing how a contract was competed and its extension options, from spreadsheets and OCDS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain.enums import Competition
from supplier_register.domain.models import Register
from supplier_register.importers.mapping import load_mapping, plan_columns
from supplier_register.importers.ocds import competition_of, plan_ocds
from supplier_register.importers.plan import ImportPlan
from supplier_register.importers.tabular import plan_table, read_table
from supplier_register.importers.values import Extensions, parse_extensions
from tests.importers.import_helpers import write_csv
from tests.support.registers import small_register


def plan_csv(tmp_path: Path, text: str, existing: Register | None = None) -> ImportPlan:
    path = write_csv(tmp_path / "register.csv", text)
    return plan_table(read_table(path), existing or small_register())


@pytest.mark.parametrize(
    ("cell", "count", "months"),
    [
        ("2 x 12 months", 2, 12),
        ("2x12m", 2, 12),
        ("2 × 6-month", 2, 6),
        ("1 x 2 years", 1, 24),
        ("1 + 1 years", 2, 12),
        ("1+1+1 yrs", 3, 12),
        ("12 + 12 months", 2, 12),
        ("1 x 12 months (not yet exercised)", 1, 12),
        ("none", 0, None),
        ("No", 0, None),
        (0, 0, None),
        # Not said plainly: the words are kept, the numbers stay not recorded.
        ("3 + 1 + 1 years", None, None),
        ("2 x 12", None, None),
        ("Extended twice", None, None),
        ("Renews automatically for 12 months at a time", None, None),
        (2, None, None),
    ],
)
def test_extension_cells(cell: object, count: int | None, months: int | None) -> None:
    parsed = parse_extensions(cell)  # type: ignore[arg-type]
    assert parsed == Extensions(str(cell), count, months)


@pytest.mark.parametrize("header", ["Competition", "Procurement procedure", "How competed"])
def test_competition_headers_are_recognised(header: str) -> None:
    spec = plan_columns(["Supplier", "Contract", header]).columns[2].spec
    assert spec is not None and spec.key == "contract.competition"


SHEET = """\
Supplier,Contract,Competition,Extension options
Acme [UK] Ltd,EPR licence and support,Open procedure,2 x 12 months
Beta Cloud,Hosting,call-off without further competition,none
Beta Cloud,Backup,Mini-competition,1 + 1 years
Beta Cloud,Monitoring,Single tender action,Extended twice
Beta Cloud,Tape storage,unknown,
"""


def test_a_sheet_fills_competition_and_extensions(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, SHEET)
    assert plan.rejections == []
    found = {c.title: c for c in plan.records.contracts}
    facts = {
        t: (c.competition, c.extension_count, c.extension_months, c.extension_options)
        for t, c in found.items()
    }
    assert facts == {
        "EPR licence and support": (Competition.OPEN, 2, 12, "2 x 12 months"),
        "Hosting": (Competition.FRAMEWORK_DIRECT_AWARD, 0, None, "none"),
        "Backup": (Competition.FURTHER_COMPETITION, 2, 12, "1 + 1 years"),
        "Monitoring": (Competition.NO_COMPETITION, None, None, "Extended twice"),
        "Tape storage": (Competition.UNKNOWN, None, None, ""),
    }


def test_a_blank_or_unknown_cell_leaves_the_recorded_facts(tmp_path: Path) -> None:
    base = small_register()
    epr = base.contracts[0].model_copy(
        update={"competition": Competition.OPEN, "extension_count": 1, "extension_months": 24}
    )
    existing = base.model_copy(update={"contracts": [epr, base.contracts[1]]})
    text = "Supplier,Contract,Competition,Extension options,Notice period\n"
    text += "Acme [UK] Ltd,EPR licence and support,unknown,Extended twice,90\n"
    plan = plan_csv(tmp_path, text, existing)
    assert plan.rejections == []
    (contract,) = plan.records.contracts
    assert contract.notice_period_days == 90
    assert contract.competition is Competition.OPEN
    assert (contract.extension_count, contract.extension_months) == (1, 24)
    assert contract.extension_options == "Extended twice"


def test_an_ambiguous_competition_is_rejected_naming_the_choices(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, "Supplier,Contract,Competition\nBeta Cloud,Hosting,Direct award\n")
    (rejection,) = plan.rejections
    assert rejection.column == "Competition"
    assert rejection.reason.startswith("'Direct award' is ambiguous (from a framework")


def test_too_many_extensions_are_rejected_naming_the_column(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, "Supplier,Contract,Extensions\nBeta Cloud,Hosting,11 x 12 months\n")
    (rejection,) = plan.rejections
    assert rejection.line() == ('row 2, column "Extensions": must be at most 10')
    assert plan.records.contracts == []


def test_a_mapping_default_gives_the_numbers_too(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[defaults]\n"contract.extension_options" = "2 x 12 months"\n')
    loaded = load_mapping(mapping)
    assert loaded.defaults == {
        "contract.extension_options": "2 x 12 months",
        "contract.extension_count": 2,
        "contract.extension_months": 12,
    }


def _tender(method: str, details: str = "") -> dict[str, Any]:
    return {"procurementMethod": method, "procurementMethodDetails": details}


@pytest.mark.parametrize(
    ("method", "details", "competition"),
    [
        ("open", "Open procedure", Competition.OPEN),
        ("selective", "Restricted procedure", Competition.COMPETITIVE_PROCEDURE),
        ("selective", "Competitive flexible procedure", Competition.COMPETITIVE_PROCEDURE),
        (
            "limited",
            "Call-off from framework after further competition",
            Competition.FURTHER_COMPETITION,
        ),
        ("limited", "Framework mini-competition", Competition.FURTHER_COMPETITION),
        ("limited", "Call-off without further competition", Competition.FRAMEWORK_DIRECT_AWARD),
        ("limited", "Direct award from a framework", Competition.FRAMEWORK_DIRECT_AWARD),
        ("limited", "Single tender action", Competition.NO_COMPETITION),
        ("limited", "Negotiated procedure without prior publication", Competition.NO_COMPETITION),
        ("limited", "Direct award", Competition.NO_COMPETITION),
        ("direct", "Direct award (below threshold)", Competition.NO_COMPETITION),
        # Unclear: stays unknown, never "not competed".
        ("limited", "", Competition.UNKNOWN),
        ("limited", "Framework agreement", Competition.UNKNOWN),
        ("selective", "Call-off from a framework agreement", Competition.UNKNOWN),
        ("open", "Call-off from a framework agreement", Competition.UNKNOWN),
        ("", "", Competition.UNKNOWN),
    ],
)
def test_ocds_competition(method: str, details: str, competition: Competition) -> None:
    assert competition_of(_tender(method, details)) is competition


def test_an_ocds_import_records_the_competition() -> None:
    release = {
        "ocid": "ocds-b5fd17-9001",
        "id": "ocds-b5fd17-9001-01",
        "date": "2026-01-10T00:00:00Z",
        "tag": ["award"],
        "buyer": {"id": "GB-NHS-RNV", "name": "Northmoor Valley NHS Foundation Trust"},
        "parties": [
            {
                "id": "GB-NHS-RNV",
                "name": "Northmoor Valley NHS Foundation Trust",
                "roles": ["buyer"],
            },
            {"id": "GB-COH-07654321", "name": "Delta Health Ltd", "roles": ["supplier"]},
        ],
        "tender": _tender("limited", "Call-off without further competition"),
        "awards": [
            {
                "id": "1",
                "title": "Patient portal",
                "status": "active",
                "suppliers": [{"id": "GB-COH-07654321", "name": "Delta Health Ltd"}],
            }
        ],
    }
    plan = plan_ocds(release, "release.json", Register())
    (contract,) = plan.records.contracts
    assert contract.competition is Competition.FRAMEWORK_DIRECT_AWARD
    plan = plan_ocds({**release, "tender": _tender("limited")}, "release.json", Register())
    assert plan.records.contracts[0].competition is Competition.UNKNOWN
