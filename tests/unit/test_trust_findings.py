"""Trust-level findings (scoring/trust.py): each threshold at and either side of it, unknowns
left out and said so, never counted as zero, and the sample register's profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest

from supplier_register.domain.enums import (
    ContractType,
    Criticality,
    ProcurementRoute,
    PurchaseKind,
    SupplyCategory,
)
from supplier_register.domain.models import Contract, Supplier, TrustProfile
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.results import KeyQuestion
from supplier_register.scoring.rules.passages import REFERENCES
from supplier_register.scoring.trust import (
    TrustFinding,
    TrustThresholds,
    fte,
    percent,
    trust_figures,
    trust_findings,
)

TODAY = dt.date(2026, 11, 26)
PAST = dt.date(2026, 1, 31)
ROUTE = ProcurementRoute


def supplier(
    name: str,
    criticality: Criticality = Criticality.MEDIUM,
    *,
    spend: int | None = None,
    sme: bool = False,
    shared: Sequence[str] = (),
) -> Supplier:
    return Supplier(
        name=name,
        category=SupplyCategory.OTHER,
        criticality=criticality,
        annual_spend=None if spend is None else Decimal(spend),
        sme=sme,
        shared_with=list(shared),
    )


def contract(
    supplier_name: str,
    title: str,
    *,
    route: ProcurementRoute = ROUTE.OPEN_TENDER,
    value: float | None = None,
    kind: PurchaseKind = PurchaseKind.COMMODITY,
    end: dt.date | None = None,
) -> Contract:
    return Contract(
        supplier=supplier_name,
        title=title,
        what_is_bought=kind,
        contract_type=ContractType.UNKNOWN,
        procurement_route=route,
        annual_value=None if value is None else Decimal(str(value)),
        end_date=end,
    )


FULL = TrustProfile(digital_staff=Decimal(80), commercial_staff=Decimal(3), contractors=Decimal(0))
"""A profile that raises nothing by itself (no contractors, commercial staff for £30m)."""


def codes(found: list[TrustFinding]) -> list[str]:
    return [f.code for f in found]


def only(found: list[TrustFinding], code: str) -> TrustFinding:
    hits = [f for f in found if f.code == code]
    assert len(hits) == 1, codes(found)
    return hits[0]


def findings(
    profile: TrustProfile | None = FULL,
    suppliers: Sequence[Supplier] = (),
    contracts: Sequence[Contract] = (),
    config: TrustThresholds | None = None,
) -> list[TrustFinding]:
    return trust_findings(profile, suppliers, contracts, TODAY, config)


# ------------------------------------------------------------ not recorded


def test_nothing_recorded_is_one_data_gap_finding() -> None:
    found = findings(None)
    assert codes(found) == ["trust.profile_not_recorded"]
    gap = found[0]
    assert gap.data_gap
    assert gap.title == "The trust's digital and commercial staffing is not recorded"
    assert gap.key_question is KeyQuestion.SKILLS
    assert "in-house digital staff" in gap.explanation


def test_a_profile_with_only_the_ics_is_still_not_recorded() -> None:
    found = findings(TrustProfile(ics="North ICS"))
    assert only(found, "trust.profile_not_recorded").title.startswith("The trust's digital")


def test_part_of_the_staffing_missing_names_what_is_missing() -> None:
    gap = only(
        findings(TrustProfile(digital_staff=Decimal(10), contractors=Decimal(1))),
        "trust.profile_not_recorded",
    )
    assert gap.title == "Part of the trust's staffing is not recorded"
    assert gap.figures == {"not recorded": "in-house commercial staff who buy technology"}
    assert "contractors" not in gap.explanation.split("technology")[0]


def test_a_full_profile_raises_nothing() -> None:
    assert findings(FULL) == []


# ------------------------------------------------------ contractor dependence


def staffed(digital: int, contractors: int) -> TrustProfile:
    return FULL.model_copy(
        update={"digital_staff": Decimal(digital), "contractors": Decimal(contractors)}
    )


def test_contractor_share_at_the_threshold_fires() -> None:
    found = only(findings(staffed(70, 30)), "trust.contractor_dependence")
    assert found.severity == 0.4
    assert not found.data_gap
    assert "30 FTE of the 100 FTE in the digital team (30%)" in found.explanation
    assert found.figures["contractors' share of the digital team"] == "30%"


def test_contractor_share_just_below_the_threshold_does_not_fire() -> None:
    assert findings(staffed(71, 29)) == []


def test_contractor_share_above_the_threshold_is_more_severe() -> None:
    above = only(findings(staffed(40, 60)), "trust.contractor_dependence")
    assert 0.4 < above.severity < 1
    everyone = only(findings(staffed(0, 10)), "trust.contractor_dependence")
    assert everyone.severity == 1.0


def test_no_digital_team_at_all_is_no_share() -> None:
    assert findings(staffed(0, 0)) == []


def test_contractor_share_threshold_can_be_overridden() -> None:
    assert findings(staffed(60, 40), config=TrustThresholds(contractor_share=0.5)) == []
    assert findings(staffed(60, 40))  # the default fires


STAFF = [supplier("Interim Co", Criticality.STRATEGIC)]
STAFFING = [
    contract(
        "Interim Co",
        "Interims",
        kind=PurchaseKind.STAFF_AUGMENTATION,
        value=300_000,
        route=ROUTE.JOINT_PROCUREMENT,  # so that only the people it provides can raise anything
    )
]


@pytest.mark.parametrize(
    ("digital", "fires"), [(19, True), (Decimal("19.99"), True), (20, False), (21, False)]
)
def test_a_major_supplier_providing_people_with_a_small_team(
    digital: int | Decimal, fires: bool
) -> None:
    profile = FULL.model_copy(update={"digital_staff": Decimal(digital)})
    found = findings(profile, STAFF, STAFFING)
    if not fires:
        assert found == []
        return
    hit = only(found, "trust.contractor_dependence")
    assert hit.severity == 0.7  # a strategic supplier
    assert "Interim Co (£300,000 a year) provides people" in hit.explanation
    assert f"{fte(Decimal(digital))}, below the 20 FTE" in hit.explanation


def test_a_high_supplier_providing_people_is_less_severe_than_a_strategic_one() -> None:
    high = [supplier("Interim Co", Criticality.HIGH)]
    profile = FULL.model_copy(update={"digital_staff": Decimal(5)})
    assert only(findings(profile, high, STAFFING), "trust.contractor_dependence").severity == 0.5


def test_a_supplier_providing_people_with_the_team_not_recorded_is_a_data_gap() -> None:
    profile = FULL.model_copy(update={"digital_staff": None})
    hit = only(findings(profile, STAFF, STAFFING), "trust.contractor_dependence")
    assert hit.data_gap
    assert "not recorded" in hit.explanation
    assert "in-house digital staff" not in hit.figures  # nothing invented


@pytest.mark.parametrize(
    ("criticality", "end"), [(Criticality.MEDIUM, None), (Criticality.STRATEGIC, PAST)]
)
def test_people_from_a_minor_supplier_or_an_ended_contract_raise_nothing(
    criticality: Criticality, end: dt.date | None
) -> None:
    profile = FULL.model_copy(update={"digital_staff": Decimal(5)})
    staffing = [contract("Interim Co", "Interims", kind=PurchaseKind.STAFF_AUGMENTATION, end=end)]
    assert findings(profile, [supplier("Interim Co", criticality)], staffing) == []


# ------------------------------------------------------- thin commercial


SPEND = [supplier("A", spend=15_000_000), supplier("B", spend=10_000_000)]  # £25m


@pytest.mark.parametrize(
    ("commercial", "fires"), [(Decimal("2.4"), True), (Decimal("2.5"), False), (3, False)]
)
def test_commercial_staff_per_ten_million_of_spend(commercial: Decimal, fires: bool) -> None:
    profile = FULL.model_copy(update={"commercial_staff": Decimal(commercial)})
    found = findings(profile, SPEND)
    if not fires:
        assert found == []
        return
    hit = only(found, "trust.thin_commercial")
    assert "2.4 FTE of in-house commercial staff for £25,000,000 a year" in hit.explanation
    assert "(2.5 FTE at that rate)" in hit.explanation
    assert 0.3 < hit.severity < 0.4


def test_no_commercial_staff_at_all() -> None:
    profile = FULL.model_copy(update={"commercial_staff": Decimal(0)})
    hit = only(findings(profile, SPEND), "trust.thin_commercial")
    assert hit.severity == 0.8
    assert "no in-house commercial" in hit.explanation
    # with no spend recorded it still fires, and quotes no spend
    bare = only(findings(profile), "trust.thin_commercial")
    assert "£" not in bare.explanation


def test_spend_not_recorded_is_left_out_and_said_so() -> None:
    profile = FULL.model_copy(update={"commercial_staff": Decimal(1)})
    hit = only(
        findings(profile, [*SPEND, supplier("C")]), "trust.thin_commercial"
    )  # 1 FTE for £25m
    assert "of the 2 suppliers whose annual spend is recorded; 1 supplier without" in (
        hit.explanation
    )


def test_commercial_staff_not_recorded_is_only_a_data_gap() -> None:
    profile = FULL.model_copy(update={"commercial_staff": None})
    assert codes(findings(profile, SPEND)) == ["trust.profile_not_recorded"]


def test_commercial_staff_with_no_spend_recorded_raise_nothing() -> None:
    profile = FULL.model_copy(update={"commercial_staff": Decimal(1)})
    assert findings(profile, [supplier("A")]) == []


# ------------------------------------------------------------ routes


SOME = [supplier(name) for name in "ABCDEF"]


def routed(values: Sequence[tuple[ProcurementRoute, float | None]]) -> list[Contract]:
    return [
        contract("ABCDEF"[i % 6], f"Contract {i}", route=route, value=value)
        for i, (route, value) in enumerate(values)
    ]


def test_one_route_for_eighty_per_cent_fires() -> None:
    contracts = routed([(ROUTE.FRAMEWORK, 20)] * 4 + [(ROUTE.OPEN_TENDER, 20)])
    hit = only(findings(FULL, SOME, contracts), "trust.single_route")
    assert hit.severity == 0.3
    assert hit.key_question is KeyQuestion.CONTRACTING
    assert "80% of the trust's live contract value (£80 of £100 a year" in hit.explanation
    assert "framework" in hit.explanation


def test_one_route_just_below_eighty_per_cent_does_not_fire() -> None:
    contracts = routed([(ROUTE.FRAMEWORK, 19.75)] * 4 + [(ROUTE.OPEN_TENDER, 21)])
    assert "trust.single_route" not in codes(findings(FULL, SOME, contracts))


def test_one_route_for_everything_is_more_severe() -> None:
    contracts = routed([(ROUTE.FRAMEWORK, 20)] * 5)
    assert only(findings(FULL, SOME, contracts), "trust.single_route").severity == 0.8


def test_one_route_needs_enough_contracts_with_value_and_route() -> None:
    few = routed([(ROUTE.FRAMEWORK, 20)] * 4)
    assert findings(FULL, SOME, few) == []
    # unknown routes and values do not count towards the five, and are said to be left out
    unknowns = few + routed([(ROUTE.UNKNOWN, 500), (ROUTE.FRAMEWORK, None)])
    assert findings(FULL, SOME, unknowns) == []
    enough = [*unknowns, contract("A", "Fifth", route=ROUTE.FRAMEWORK, value=20)]
    hit = only(findings(FULL, SOME, enough), "trust.single_route")
    assert "100%" in hit.explanation  # the £500 of unknown route is not counted either way
    assert "of the 5 live contracts whose annual value and route are recorded" in hit.explanation
    assert "2 other live contracts left out: value or route not recorded" in hit.explanation


def test_ended_contracts_do_not_count() -> None:
    contracts = [
        *routed([(ROUTE.FRAMEWORK, 20)] * 4),
        contract("A", "Old", route=ROUTE.FRAMEWORK, value=20, end=PAST),
    ]
    assert findings(FULL, SOME, contracts) == []


def test_direct_awards_from_a_quarter_of_the_value() -> None:
    at = routed([(ROUTE.DIRECT_AWARD, 25), (ROUTE.OPEN_TENDER, 40), (ROUTE.FRAMEWORK, 35)])
    hit = only(findings(FULL, SOME, at), "trust.direct_awards")
    assert hit.severity == 0.4
    assert hit.figures["share of live annual value"] == "25%"
    assert "£25 of £100 a year" in hit.explanation
    below = routed([(ROUTE.DIRECT_AWARD, 24), (ROUTE.OPEN_TENDER, 41), (ROUTE.FRAMEWORK, 35)])
    assert findings(FULL, SOME, below) == []
    above = routed([(ROUTE.DIRECT_AWARD, 60), (ROUTE.OPEN_TENDER, 40)])
    assert only(findings(FULL, SOME, above), "trust.direct_awards").severity > 0.4


def test_direct_awards_of_unknown_value_are_not_counted() -> None:
    contracts = routed([(ROUTE.DIRECT_AWARD, None), (ROUTE.OPEN_TENDER, 100)])
    assert findings(FULL, SOME, contracts) == []


# ------------------------------------------------------------ joint


MAJORS = [
    supplier("EPR Co", Criticality.STRATEGIC),
    supplier("PACS Co", Criticality.HIGH),
    supplier("Shared Co", Criticality.HIGH, shared=["Other Trust"]),
    supplier("Small Co", Criticality.LOW),
]


def test_little_bought_jointly_fires_below_ten_per_cent() -> None:
    contracts = [
        contract("EPR Co", "EPR", value=91),
        contract("PACS Co", "PACS", route=ROUTE.JOINT_PROCUREMENT, value=9),
        contract("Small Co", "Prints", route=ROUTE.JOINT_PROCUREMENT, value=1000),  # not major
    ]
    profile = FULL.model_copy(update={"ics": "Fellside ICS"})
    hit = only(findings(profile, MAJORS, contracts), "trust.little_joint")
    assert hit.title == "Little is bought with the ICS"
    assert "Only 9% " in hit.explanation
    assert "with Fellside ICS or other trusts" in hit.explanation
    assert 0.3 < hit.severity < 0.4


def test_ten_per_cent_bought_jointly_is_enough() -> None:
    contracts = [
        contract("EPR Co", "EPR", value=90),
        contract("PACS Co", "PACS", route=ROUTE.JOINT_PROCUREMENT, value=10),
    ]
    assert findings(FULL, MAJORS, contracts) == []


def test_a_supplier_shared_with_other_trusts_counts_as_joint() -> None:
    contracts = [
        contract("EPR Co", "EPR", value=50),
        contract("Shared Co", "Shared", route=ROUTE.UNKNOWN, value=50),
    ]
    assert findings(FULL, MAJORS, contracts) == []


def test_nothing_bought_jointly_and_unknown_routes_left_out() -> None:
    contracts = [
        contract("EPR Co", "EPR", value=100),
        contract("PACS Co", "PACS", route=ROUTE.UNKNOWN, value=900),
    ]
    hit = only(findings(FULL, MAJORS, contracts), "trust.little_joint")
    assert hit.severity == 0.7
    assert "£0 of £100 a year" in hit.explanation
    assert "1 other live contract left out" in hit.explanation
    assert "with the ICS or other trusts" in hit.explanation  # no ICS recorded


# ------------------------------------------------------------ SMEs


def test_no_sme_among_ten_suppliers_fires() -> None:
    ten = [supplier(f"S{i}") for i in range(10)]
    hit = only(findings(FULL, ten), "trust.no_smes")
    assert "None of the trust's 10 suppliers" in hit.explanation
    assert findings(FULL, ten[:9]) == []
    one_sme = [*ten[:9], supplier("Small", sme=True)]
    assert findings(FULL, one_sme) == []


def test_sme_share_of_spend_is_a_figure() -> None:
    suppliers = [
        supplier("Big", spend=750),
        supplier("Small", spend=250, sme=True),
        supplier("Unknown spend", sme=True),
    ]
    figures = trust_figures(FULL, suppliers, [], TODAY)
    assert figures["share of annual spend with SMEs"] == "25% (£250)"
    assert figures["annual technology spend"] == "£1,000 (2 of 3 suppliers recorded)"


# ------------------------------------------------------------ all of them


def test_every_finding_quotes_principle_6_and_comes_in_severity_order() -> None:
    profile = TrustProfile(commercial_staff=Decimal(0), contractors=Decimal(5))
    suppliers = [*MAJORS, *(supplier(f"S{i}") for i in range(10))]
    contracts = [*routed([(ROUTE.DIRECT_AWARD, 100)] * 5), contract("EPR Co", "EPR", value=1)]
    contracts += [contract("EPR Co", "Interims", kind=PurchaseKind.STAFF_AUGMENTATION)]
    found = findings(profile, suppliers, contracts)
    assert set(codes(found)) == {
        "trust.profile_not_recorded",
        "trust.contractor_dependence",
        "trust.thin_commercial",
        "trust.single_route",
        "trust.direct_awards",
        "trust.little_joint",
        "trust.no_smes",
    }
    assert [f.severity for f in found] == sorted((f.severity for f in found), reverse=True)
    for finding in found:
        assert finding.reference in REFERENCES
        assert finding.quote
        assert 0 <= finding.severity <= 1


def test_figures_say_what_is_not_recorded() -> None:
    figures = trust_figures(None, [supplier("A")], [], TODAY)
    assert figures["in-house digital staff"] == "not recorded"
    assert figures["integrated care system"] == "not recorded"
    assert figures["annual technology spend"] == "not recorded"
    assert "contractors' share of the digital team" not in figures


def test_wording_of_staff_and_shares() -> None:
    assert fte(Decimal("38.0")) == "38 FTE"
    assert fte(Decimal("12.50")) == "12.5 FTE"
    assert percent(0.004) == "under 1%"
    assert percent(0.996) == "over 99%"
    assert percent(0.3) == "30%"


def test_the_sample_register_depends_on_contractors() -> None:
    register = read_register_file(sample_register_path())
    assert register.profile is not None
    found = trust_findings(register.profile, register.suppliers, register.contracts, TODAY)
    hit = only(found, "trust.contractor_dependence")
    assert "16 FTE of the 50 FTE in the digital team (32%)" in hit.explanation
    assert "trust.profile_not_recorded" not in codes(found)
    assert "trust.thin_commercial" not in codes(found)  # 2 FTE for £13.1m
