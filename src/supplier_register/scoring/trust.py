"""Trust-level findings: patterns of the whole register and the trust's own staffing.

Pure: from the trust's profile, its suppliers and contracts and a date to a list of
findings, each firing on an explicit threshold of :class:`TrustThresholds` (defined,
with its defaults, in :mod:`supplier_register.scoring.config` and re-exported here; a
config file's ``[trust]`` table overrides any of them).  Every figure quoted comes
from the records; what is not recorded is left out of a figure and said so ("of the 24
live contracts whose annual value is recorded"), never counted as zero.

The findings answer principle 6's questions about the trust itself rather than about
one supplier: does it have the in-house digital and commercial skills to buy well
(contractor dependence, thin commercial expertise, no SMEs), and is it using the right
contracting methods (one route for almost everything, direct awards, little bought
with the ICS)?
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from supplier_register.domain.enums import Criticality, ProcurementRoute, PurchaseKind
from supplier_register.domain.models import Supplier, TrustProfile
from supplier_register.scoring.config import TrustThresholds as TrustThresholds
from supplier_register.scoring.results import KeyQuestion
from supplier_register.scoring.rules.passages import BUY, EXPERTS
from supplier_register.scoring.text import join_some, money, plural

MAJOR = frozenset({Criticality.STRATEGIC, Criticality.HIGH})


class ContractFacts(Protocol):
    """What the trust-level findings read of a contract: a :class:`~supplier_register.domain.
    models.Contract`, or the few columns a large register reads of each live contract."""

    @property
    def supplier(self) -> str: ...
    @property
    def end_date(self) -> dt.date | None: ...
    @property
    def what_is_bought(self) -> PurchaseKind: ...
    @property
    def annual_value(self) -> Decimal | None: ...
    @property
    def procurement_route(self) -> ProcurementRoute: ...


C = TypeVar("C", bound=ContractFacts)

QUOTE_EXPERTS = (
    "To make smart buying decisions, you need digital and commercial experts in-house who "
    "understand both the healthcare and wider technology markets."
)
QUOTE_FAMILIARITY = (
    "If you only consider the usual NHS technology suppliers you risk missing out on skilled "
    "small and medium sized enterprises or more modern, lower cost technologies used widely "
    "outside the NHS."
)
QUOTE_ONE_SIZE = (
    "Problems arise when organisations adopt a one-size-fits-all purchasing approach, "
    "especially when this approach is out-of-step with modern approaches to technology."
)
QUOTE_ICS = (
    "Ideally, technology and purchasing decisions should be coordinated across an ICS: it's "
    "difficult to deliver joined up care across organisations with fragmented systems and poor "
    "interoperability."
)


DEFAULT_THRESHOLDS = TrustThresholds()


class TrustFinding(BaseModel):
    """One finding about the trust as a whole, in words a board member understands."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(description="Stable id of the finding, e.g. 'trust.contractor_dependence'.")
    title: str = Field(description="A short headline.")
    explanation: str = Field(description="Plain English, with the figures it rests on.")
    key_question: KeyQuestion
    severity: float = Field(ge=0, le=1, description="0 (none) to 1 (as bad as it gets).")
    data_gap: bool = Field(default=False, description="Raised because something is unknown.")
    reference: str = Field(description="The principle-6 passage it comes from.")
    quote: str = Field(description="The sentence of principle 6 it rests on.")
    figures: dict[str, str] = Field(
        default_factory=dict, description="The figures it quotes, by label, as displayed."
    )


# ----------------------------------------------------------------- wording


def fte(value: Decimal) -> str:
    """'38 FTE', '12.5 FTE'."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} FTE"


def percent(share: float) -> str:
    """'27%' (never rounds a share above zero down to 0%, nor one below all up to 100%)."""
    shown = round(share * 100)
    if shown == 0 and share > 0:
        return "under 1%"
    if shown == 100 and share < 1:
        return "over 99%"
    return f"{shown}%"


def _severity(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 2)


def _rising(share: float, threshold: float, low: float, high: float) -> float:
    """``low`` at ``threshold``, rising linearly to ``high`` at a share of 1."""
    span = 1 - threshold
    return _severity(low + (high - low) * ((share - threshold) / span if span > 0 else 1.0))


def _live(contracts: Iterable[C], today: dt.date) -> list[C]:
    """Contracts whose current term has not ended (as the supplier scoring counts them)."""
    return [c for c in contracts if c.end_date is None or c.end_date >= today]


# ---------------------------------------------------------------- findings


def trust_findings(
    profile: TrustProfile | None,
    suppliers: Sequence[Supplier],
    contracts: Sequence[ContractFacts],
    today: dt.date,
    config: TrustThresholds | None = None,
) -> list[TrustFinding]:
    """The trust-level findings of a register on ``today``, most severe first."""
    limits = config or DEFAULT_THRESHOLDS
    live = _live(contracts, today)
    by_name = {s.name.casefold(): s for s in suppliers}
    found = [
        finding
        for finding in (
            _not_recorded(profile),
            _contractor_dependence(profile, by_name, live, limits),
            _thin_commercial(profile, suppliers, limits),
            _single_route(live, limits),
            _direct_awards(live, limits),
            _little_joint(profile, by_name, live, limits),
            _no_smes(suppliers, limits),
        )
        if finding is not None
    ]
    return sorted(found, key=lambda f: (-f.severity, f.code))


def _not_recorded(profile: TrustProfile | None) -> TrustFinding | None:
    missing = [
        label
        for label, value in (
            ("in-house digital staff", profile.digital_staff if profile else None),
            (
                "in-house commercial staff who buy technology",
                profile.commercial_staff if profile else None,
            ),
            (
                "contractors and interims in the digital team",
                profile.contractors if profile else None,
            ),
        )
        if value is None
    ]
    if not missing:
        return None
    whole = len(missing) == 3
    title = (
        "The trust's digital and commercial staffing is not recorded"
        if whole
        else "Part of the trust's staffing is not recorded"
    )
    return TrustFinding(
        code="trust.profile_not_recorded",
        title=title,
        explanation=(
            f"The register does not record the trust's {join_some(missing, limit=3)}. "
            "Without them nobody can say whether the trust has the in-house skills to buy "
            "technology well, or how far it depends on contractors: record them in the trust "
            "profile (supplier-register profile set, or key P)."
        ),
        key_question=KeyQuestion.SKILLS,
        severity=0.5 if whole else 0.3,
        data_gap=True,
        reference=EXPERTS,
        quote=QUOTE_EXPERTS,
        figures={"not recorded": ", ".join(missing)},
    )


def _staff_suppliers(
    by_name: dict[str, Supplier], live: Sequence[ContractFacts]
) -> dict[str, tuple[Supplier, Decimal | None]]:
    """Strategic and high-criticality suppliers with a live staff-augmentation contract, by
    name, with the annual value of those contracts (``None`` when none is recorded)."""
    out: dict[str, tuple[Supplier, Decimal | None]] = {}
    for contract in live:
        if contract.what_is_bought is not PurchaseKind.STAFF_AUGMENTATION:
            continue
        supplier = by_name.get(contract.supplier.casefold())
        if supplier is None or supplier.criticality not in MAJOR:
            continue
        _, value = out.get(supplier.name, (supplier, None))
        if contract.annual_value is not None:
            value = (value or Decimal(0)) + contract.annual_value
        out[supplier.name] = (supplier, value)
    return out


def _contractor_dependence(
    profile: TrustProfile | None,
    by_name: dict[str, Supplier],
    live: Sequence[ContractFacts],
    limits: TrustThresholds,
) -> TrustFinding | None:
    digital = profile.digital_staff if profile else None
    contractors = profile.contractors if profile else None
    figures: dict[str, str] = {}
    sentences: list[str] = []
    severity = 0.0
    data_gap = False
    if digital is not None:
        figures["in-house digital staff"] = fte(digital)
    if contractors is not None:
        figures["contractors and interims"] = fte(contractors)
    if digital is not None and contractors is not None and digital + contractors > 0:
        share = float(contractors / (digital + contractors))
        figures["contractors' share of the digital team"] = percent(share)
        if share >= limits.contractor_share:
            severity = _rising(share, limits.contractor_share, 0.4, 1.0)
            sentences.append(
                f"Contractors and interims are {fte(contractors)} of the "
                f"{fte(digital + contractors)} in the digital team ({percent(share)}), at or "
                f"above the {percent(limits.contractor_share)} from which the trust depends on "
                "them: the skills and knowledge of its systems leave with them."
            )
    staffing = _staff_suppliers(by_name, live)
    low = digital is None or digital < limits.low_digital_staff
    if staffing and low:
        names = sorted(staffing, key=str.casefold)
        strategic = any(s.criticality is Criticality.STRATEGIC for s, _ in staffing.values())
        described = [
            f"{name} ({money(value)} a year)" if value is not None else name
            for name in names
            for _, value in [staffing[name]]
        ]
        figures["strategic or high suppliers providing people"] = ", ".join(names)
        if digital is None:
            sentences.append(
                f"{join_some(described, limit=3)} "
                f"{'provides' if len(names) == 1 else 'provide'} people to the trust under "
                "staff-augmentation contracts, and the trust's own digital staff are not "
                "recorded, so nobody can say how much of the work depends on them."
            )
            data_gap = not sentences[:-1]  # only the unknown raised it
            severity = max(severity, 0.4)
        else:
            sentences.append(
                f"{join_some(described, limit=3)} "
                f"{'provides' if len(names) == 1 else 'provide'} people to the trust under "
                f"staff-augmentation contracts while the in-house digital team is "
                f"{fte(digital)}, below the {fte(limits.low_digital_staff)} the trust watches for."
            )
            severity = max(severity, 0.7 if strategic else 0.5)
    if not sentences:
        return None
    return TrustFinding(
        code="trust.contractor_dependence",
        title="The digital team depends on contractors",
        explanation=" ".join(sentences)
        + " How dependent is the trust on technology suppliers and contractors, and what is the "
        "plan to build its own team?",
        key_question=KeyQuestion.SKILLS,
        severity=severity,
        data_gap=data_gap,
        reference=EXPERTS,
        quote=QUOTE_EXPERTS,
        figures=figures,
    )


def _thin_commercial(
    profile: TrustProfile | None, suppliers: Sequence[Supplier], limits: TrustThresholds
) -> TrustFinding | None:
    commercial = profile.commercial_staff if profile else None
    if commercial is None:
        return None  # the not-recorded finding says so
    spends = [s.annual_spend for s in suppliers if s.annual_spend is not None]
    spend = sum(spends, Decimal(0))
    figures = {"in-house commercial staff for technology": fte(commercial)}
    unknown = len(suppliers) - len(spends)
    of = (
        f" (of the {plural(len(spends), 'supplier')} whose annual spend is recorded; "
        f"{plural(unknown, 'supplier')} without)"
        if unknown
        else ""
    )
    if spends:
        figures["annual technology spend"] = money(spend) + (" (recorded part)" if unknown else "")
    needed = spend / limits.spend_per_commercial_fte if spends else None
    per = money(limits.spend_per_commercial_fte)
    if commercial == 0:
        spent = f" for {money(spend)} a year of technology spend{of}" if spends else ""
        explanation = (
            f"The trust records no in-house commercial or procurement staff who buy "
            f"technology{spent}: buying decisions rest on suppliers' and frameworks' advice."
        )
        severity = 0.8
    elif needed is not None and commercial < needed:
        explanation = (
            f"The trust has {fte(commercial)} of in-house commercial staff for {money(spend)} a "
            f"year of technology spend{of}: fewer than one for every {per} "
            f"({fte(needed.quantize(Decimal('0.1')))} at that rate)."
        )
        severity = _severity(0.3 + 0.5 * float(1 - commercial / needed))
    else:
        return None
    return TrustFinding(
        code="trust.thin_commercial",
        title="Thin in-house commercial expertise",
        explanation=explanation + " Does the trust have the in-house skills to navigate "
        "technology markets?",
        key_question=KeyQuestion.SKILLS,
        severity=severity,
        reference=EXPERTS,
        quote=QUOTE_EXPERTS,
        figures=figures,
    )


def _valued(live: Sequence[C]) -> tuple[list[C], int]:
    """Live contracts whose annual value is recorded, and how many have none."""
    valued = [c for c in live if c.annual_value is not None]
    return valued, len(live) - len(valued)


def _left_out(count: int, what: str) -> str:
    return f"; {plural(count, 'other live contract')} left out: {what}" if count else ""


def _route_values(
    live: Sequence[ContractFacts],
) -> tuple[dict[ProcurementRoute, Decimal], int, int, Decimal]:
    """Annual value by route over live contracts with value and route recorded, how many
    such contracts, how many live contracts were left out, and their total."""
    valued, no_value = _valued(live)
    routed = [c for c in valued if c.procurement_route is not ProcurementRoute.UNKNOWN]
    by_route: dict[ProcurementRoute, Decimal] = {}
    for c in routed:
        assert c.annual_value is not None
        by_route[c.procurement_route] = by_route.get(c.procurement_route, Decimal(0)) + (
            c.annual_value
        )
    return (
        by_route,
        len(routed),
        no_value + len(valued) - len(routed),
        sum(by_route.values(), Decimal(0)),
    )


def _single_route(live: Sequence[ContractFacts], limits: TrustThresholds) -> TrustFinding | None:
    by_route, counted, left_out, total = _route_values(live)
    if counted < limits.single_route_min_contracts or total <= 0:
        return None
    route, value = max(by_route.items(), key=lambda item: (item[1], item[0].value))
    share = float(value / total)
    if share < limits.single_route_share:
        return None
    of = (
        f"of the {plural(counted, 'live contract')} whose annual value and route are recorded"
        + _left_out(left_out, "value or route not recorded")
    )
    return TrustFinding(
        code="trust.single_route",
        title="One purchasing route for almost everything",
        explanation=(
            f"{percent(share)} of the trust's live contract value ({money(value)} of "
            f"{money(total)} a year, {of}) was bought one way: "
            f"{route.label.lower()}. Cloud, devices, configurable products and bespoke "
            "development each need a different approach; are we using the right contracting "
            "methods?"
        ),
        key_question=KeyQuestion.CONTRACTING,
        severity=_rising(share, limits.single_route_share, 0.3, 0.8),
        reference=BUY,
        quote=QUOTE_ONE_SIZE,
        figures={
            "main route": route.label,
            "its share of live annual value": percent(share),
            "live annual value counted": money(total),
        },
    )


def _direct_awards(live: Sequence[ContractFacts], limits: TrustThresholds) -> TrustFinding | None:
    by_route, counted, left_out, total = _route_values(live)
    if total <= 0:
        return None
    direct = by_route.get(ProcurementRoute.DIRECT_AWARD, Decimal(0))
    share = float(direct / total)
    if share < limits.direct_award_share:
        return None
    of = (
        f"of the {plural(counted, 'live contract')} whose annual value and route are recorded"
        + _left_out(left_out, "value or route not recorded")
    )
    return TrustFinding(
        code="trust.direct_awards",
        title="Much is awarded directly, without competition",
        explanation=(
            f"{percent(share)} of the trust's live contract value ({money(direct)} of "
            f"{money(total)} a year, {of}) was awarded directly, at or above the "
            f"{percent(limits.direct_award_share)} the trust watches for. Which alternatives, "
            "including SMEs and suppliers outside the NHS, were considered?"
        ),
        key_question=KeyQuestion.CONTRACTING,
        severity=_rising(share, limits.direct_award_share, 0.4, 1.0),
        reference=EXPERTS,
        quote=QUOTE_FAMILIARITY,
        figures={
            "directly awarded": money(direct),
            "share of live annual value": percent(share),
            "live annual value counted": money(total),
        },
    )


def _little_joint(
    profile: TrustProfile | None,
    by_name: dict[str, Supplier],
    live: Sequence[ContractFacts],
    limits: TrustThresholds,
) -> TrustFinding | None:
    joint = Decimal(0)
    total = Decimal(0)
    counted = left_out = 0
    for contract in live:
        supplier = by_name.get(contract.supplier.casefold())
        if supplier is None or supplier.criticality not in MAJOR:
            continue
        shared = bool(supplier.shared_with)
        route = contract.procurement_route
        if contract.annual_value is None or (route is ProcurementRoute.UNKNOWN and not shared):
            left_out += 1  # no value, or not known whether it was bought jointly
            continue
        counted += 1
        total += contract.annual_value
        if shared or route is ProcurementRoute.JOINT_PROCUREMENT:
            joint += contract.annual_value
    if total <= 0:
        return None
    share = float(joint / total)
    if share >= limits.joint_share:
        return None
    ics = profile.ics if profile and profile.ics else None
    partners = f"with {ics} or other trusts" if ics else "with the ICS or other trusts"
    of = f"of the {plural(counted, 'live contract')} of strategic and high-criticality suppliers"
    of += " whose value and route (or partner trusts) are recorded" + _left_out(
        left_out, "value not recorded, or route not recorded and no partner trust named"
    )
    return TrustFinding(
        code="trust.little_joint",
        title="Little is bought with the ICS",
        explanation=(
            f"Only {percent(share)} of what the trust spends on its strategic and "
            f"high-criticality suppliers ({money(joint)} of {money(total)} a year, {of}) is "
            f"bought jointly or with suppliers shared {partners}, below the "
            f"{percent(limits.joint_share)} the trust watches for. Might it be easier to "
            "procure jointly with neighbours or system partners?"
        ),
        key_question=KeyQuestion.CONTRACTING,
        severity=_severity(0.3 + 0.4 * (1 - share / limits.joint_share)),
        reference=BUY,
        quote=QUOTE_ICS,
        figures={
            "bought jointly or shared": money(joint),
            "share of strategic and high live value": percent(share),
            **({"integrated care system": ics} if ics else {}),
        },
    )


def sme_share(suppliers: Sequence[Supplier]) -> tuple[float | None, Decimal, int]:
    """The share of recorded annual spend that goes to SMEs, over the suppliers whose size is
    recorded (``None`` when no such spend is recorded), that spend, and how many suppliers
    with spend recorded were left out because whether they are SMEs is not recorded (an
    unknown size is never counted as "not an SME")."""
    spends = [(s.sme, s.annual_spend) for s in suppliers if s.annual_spend is not None]
    known = [(sme, spend) for sme, spend in spends if sme is not None]
    total = sum((spend for _, spend in known), Decimal(0))
    smes = sum((spend for sme, spend in known if sme), Decimal(0))
    return (float(smes / total) if total > 0 else None), smes, len(spends) - len(known)


def _no_smes(suppliers: Sequence[Supplier], limits: TrustThresholds) -> TrustFinding | None:
    """No supplier is an SME.  Only suppliers recorded as not SMEs count as "not": when too few
    are recorded for the finding, suppliers whose size is not recorded make it a data gap."""
    if len(suppliers) < limits.sme_min_suppliers or any(s.sme for s in suppliers):
        return None
    not_recorded = sum(1 for s in suppliers if s.sme is None)
    known = len(suppliers) - not_recorded
    figures = {"suppliers": str(len(suppliers)), "SMEs": "0"}
    if not_recorded:
        figures["size not recorded"] = str(not_recorded)
    if known < limits.sme_min_suppliers:
        return TrustFinding(
            code="trust.no_smes",
            title="Whether suppliers are small or medium-sized is not recorded",
            explanation=(
                f"None of the trust's {plural(len(suppliers), 'supplier')} is recorded as a "
                f"small or medium-sized enterprise, and for {plural(not_recorded, 'supplier')} "
                "it is not recorded whether they are one, so nobody can say whether the trust "
                "considers SMEs. Record each supplier's size."
            ),
            key_question=KeyQuestion.SKILLS,
            severity=0.3,
            data_gap=True,
            reference=EXPERTS,
            quote=QUOTE_FAMILIARITY,
            figures=figures,
        )
    unrecorded = (
        f" ({plural(not_recorded, 'other')} not recorded either way)" if not_recorded else ""
    )
    return TrustFinding(
        code="trust.no_smes",
        title="No supplier recorded as small or medium-sized",
        explanation=(
            f"None of the trust's {plural(known, 'supplier')} whose size is recorded is a small "
            f"or medium-sized enterprise{unrecorded}. Considering only the usual suppliers "
            "risks missing skilled SMEs and lower-cost technology used outside the NHS."
            if not_recorded
            else f"None of the trust's {plural(len(suppliers), 'supplier')} is recorded as a "
            "small or medium-sized enterprise. Considering only the usual suppliers risks "
            "missing skilled SMEs and lower-cost technology used outside the NHS."
        ),
        key_question=KeyQuestion.SKILLS,
        severity=0.4,
        reference=EXPERTS,
        quote=QUOTE_FAMILIARITY,
        figures=figures,
    )


def trust_figures(
    profile: TrustProfile | None,
    suppliers: Sequence[Supplier],
    contracts: Sequence[ContractFacts],
    today: dt.date,
) -> dict[str, str]:
    """The register-wide figures the findings rest on, by label, as displayed (a figure not
    recorded shows as "not recorded"), whether or not any finding fires."""
    live = _live(contracts, today)
    unknown = "not recorded"
    figures: dict[str, str] = {
        "integrated care system": profile.ics if profile and profile.ics else unknown,
    }
    for label, value in (
        ("in-house digital staff", profile.digital_staff if profile else None),
        ("in-house commercial staff for technology", profile.commercial_staff if profile else None),
        ("contractors and interims", profile.contractors if profile else None),
    ):
        figures[label] = fte(value) if value is not None else unknown
    digital = profile.digital_staff if profile else None
    contractors = profile.contractors if profile else None
    if digital is not None and contractors is not None and digital + contractors > 0:
        figures["contractors' share of the digital team"] = percent(
            float(contractors / (digital + contractors))
        )
    spends = [s.annual_spend for s in suppliers if s.annual_spend is not None]
    figures["annual technology spend"] = (
        money(sum(spends, Decimal(0)))
        + (
            f" ({len(spends)} of {len(suppliers)} suppliers recorded)"
            if len(spends) < len(suppliers)
            else ""
        )
        if spends
        else unknown
    )
    by_route, _counted, left_out, total = _route_values(live)
    if total > 0:
        for route in ProcurementRoute:
            if route in by_route:
                figures[f"live annual value: {route.label.lower()}"] = (
                    f"{money(by_route[route])} ({percent(float(by_route[route] / total))})"
                )
        if left_out:
            figures["live contracts without value or route"] = str(left_out)
    share, smes, left_out = sme_share(suppliers)
    figures["share of annual spend with SMEs"] = (
        f"{percent(share)} ({money(smes)})" if share is not None else unknown
    ) + (
        f" ({plural(left_out, 'supplier')} with spend left out: size not recorded)"
        if left_out
        else ""
    )
    if profile is not None and profile.updated_on is not None:
        figures["profile recorded on"] = profile.updated_on.isoformat()
    return figures
