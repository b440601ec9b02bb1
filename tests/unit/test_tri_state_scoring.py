"""Unknown auto-renewal, SME status and clinical systems: data gaps, never taken as "no"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from supplier_register.domain.models import ContractRecord, Supplier
from supplier_register.scoring.deadlines import _contract_deadlines
from supplier_register.scoring.trust import sme_share, trust_figures, trust_findings
from tests.support.scoring_fixtures import (
    TODAY,
    clean_contract,
    clean_register,
    clean_supplier,
    score_of,
)


def _gaps(data: dict, code: str) -> list:  # type: ignore[type-arg]
    return [f for f in score_of(data).data_gaps if f.code == code]


def test_unknown_auto_renewal_of_a_material_supplier_is_a_data_gap() -> None:
    data = clean_register()
    data["contracts"][0]["auto_renewal"] = None
    score = score_of(data)
    gaps = [f for f in score.data_gaps if f.code == "rule.auto_renewal"]
    assert [g.contract for g in gaps] == ["EPR"]
    assert gaps[0].title.startswith("Not known")
    assert "whether 'EPR' renews automatically" in score.gap_phrases
    # Never asked of the board as if it renewed, and never silently "no".
    assert not [q for q in score.questions if "rule.auto_renewal" in q.finding_codes]
    assert not [f for f in score.findings if f.code == "rule.auto_renewal" and not f.data_gap]


def test_recorded_no_raises_nothing_and_low_criticality_unknown_is_not_asked() -> None:
    data = clean_register()
    assert _gaps(data, "rule.auto_renewal") == []  # the clean contract records "no"
    data["contracts"][0]["auto_renewal"] = None
    data["suppliers"][0]["criticality"] = "low"
    assert _gaps(data, "rule.auto_renewal") == []


def test_unknown_clinical_systems_is_a_data_gap_without_a_safety_case() -> None:
    data = clean_register()
    data["suppliers"][0] = clean_supplier(
        runs_clinical_systems=None, clinical_safety_case=None, clinical_safety_case_date=None
    )
    gaps = _gaps(data, "rule.clinical_safety_case")
    assert len(gaps) == 1
    assert "whether the supplier runs clinical systems" in score_of(data).gap_phrases
    # Recorded "no": nothing to ask.
    data["suppliers"][0]["runs_clinical_systems"] = False
    assert _gaps(data, "rule.clinical_safety_case") == []


def _contract(renews: bool | None) -> ContractRecord:
    data = clean_contract(end_date="2026-03-31", auto_renewal=renews)
    return ContractRecord.model_validate(data | {"id": 1, "supplier_id": 1, "version": 1})


@pytest.mark.parametrize(("renews", "notice"), [(True, True), (False, False), (None, False)])
def test_notice_by_deadline_only_when_it_renews(renews: bool | None, notice: bool) -> None:
    found = {kind: meaning for kind, _, meaning in _contract_deadlines(_contract(renews), TODAY)}
    assert ("notice_by" in found) is notice
    assert ("renews automatically is not recorded" in found["contract_end"]) is (renews is None)


def _suppliers(*sizes: bool | None, spend: int = 100) -> list[Supplier]:
    return [
        Supplier.model_validate(
            {
                "name": f"S{i}",
                "category": "other",
                "criticality": "low",
                "annual_spend": spend,
                "sme": sme,
            }
        )
        for i, sme in enumerate(sizes)
    ]


def test_sme_share_leaves_out_suppliers_whose_size_is_not_recorded() -> None:
    share, smes, left_out = sme_share(_suppliers(True, False, None, None))
    assert (share, smes, left_out) == (0.5, Decimal(100), 2)
    figures = trust_figures(None, _suppliers(True, False, None), [], TODAY)
    assert figures["share of annual spend with SMEs"].endswith(
        "(1 supplier with spend left out: size not recorded)"
    )


def test_no_smes_never_counts_unknown_size_as_not_sme() -> None:
    unknown = trust_findings(None, _suppliers(*[None] * 10), [], TODAY)
    gap = next(f for f in unknown if f.code == "trust.no_smes")
    assert gap.data_gap and "not recorded" in gap.title
    known = trust_findings(None, _suppliers(*[False] * 10), [], TODAY)
    finding = next(f for f in known if f.code == "trust.no_smes")
    assert not finding.data_gap
    assert finding.figures == {"suppliers": "10", "SMEs": "0"}
