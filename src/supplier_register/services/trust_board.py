"""The trust's own findings as board questions, ranked with the suppliers' questions.

A trust-level finding (``scoring.trust``) that is not a data gap becomes one board
question about the trust itself (``BoardQuestion.scope == "trust"``), under its key
question.  Its priority is on the suppliers' scale (a supplier's question is its
impact x the points of the findings behind it):

    priority = ``TrustThresholds.question_impact`` (default 4, a strategic supplier's)
               x the finding's severity (0..1)
               x ``ExposureConfig.points_scale`` (10 points)

so a trust finding at full severity ranks like one full-weight weakness of a strategic
supplier, above every question about a low-criticality supplier (impact at most 1.5)
of up to 26 points, and below a strategic supplier's question with several weaknesses.
A data gap (the trust's staffing not recorded) is not a question for the board: the
register view and the paper show it as a gap to fill.

The findings depend on the whole register (every supplier, every live contract, the
profile), so they are worked out after scoring, on each run, never kept in the score
cache: one query of five columns of the live contracts beside the suppliers already read
(about 0.1 s at 10,000 suppliers and 30,000 contracts, beside 0.4 s for a warm overview
and 3 s cold).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Supplier, TrustProfile
from supplier_register.scoring import BoardQuestion, KeyQuestion, RegisterOverview
from supplier_register.scoring.engine import question_order, top_of
from supplier_register.scoring.trust import (
    TrustFinding,
    TrustThresholds,
    trust_findings,
)
from supplier_register.storage.repository import Repository
from supplier_register.storage.trust_facts import live_contracts

__all__ = [
    "TRUST_SUBJECT",
    "register_trust_findings",
    "trust_headline",
    "trust_question",
    "trust_questions",
    "with_trust_questions",
]

TRUST_SUBJECT = "The trust"
"""What a question about the trust itself names where a supplier question names its supplier."""


def register_trust_findings(
    repo: Repository,
    suppliers: Sequence[Supplier],
    today: dt.date,
    thresholds: TrustThresholds | None = None,
    profile: TrustProfile | None = None,
) -> list[TrustFinding]:
    """The trust-level findings of the register in ``repo`` on ``today``, most severe first.

    ``suppliers`` are the register's suppliers, already read; the live contracts are read
    here, five columns each; the profile is read unless given.
    """
    stored = profile if profile is not None else repo.profile()
    return trust_findings(stored, suppliers, live_contracts(repo.db, today), today, thresholds)


def _question_text(finding: TrustFinding) -> str:
    """The question for the board, with the figures it rests on, in the trust's own voice."""
    f = finding.figures
    code = finding.code
    if code == "trust.contractor_dependence":
        share = f.get("contractors' share of the digital team")
        inhouse = f.get("in-house digital staff")
        people = f.get("strategic or high suppliers providing people")
        if people is None and share is not None and inhouse is not None:
            return (
                f"Contractors and interims are {share} of our digital team "
                f"({f.get('contractors and interims', '')} beside {inhouse} in-house): what is "
                "our plan to build in-house skills?"
            )
        # Raised (at least) by the suppliers providing people: name them, in words that
        # read the same for one supplier or several.
        team = f"our own team is {inhouse}" if inhouse else "the size of our own team is unknown"
        if share is not None:
            team += f", with contractors and interims {share} of it"
        return (
            f"Our digital team relies on people from {people or 'suppliers'} under "
            f"staff-augmentation contracts, while {team}: what is our plan to build in-house "
            "skills?"
        )
    if code == "trust.thin_commercial":
        staff = f.get("in-house commercial staff for technology", "no FTE")
        spend = f.get("annual technology spend")
        spent = f" for {spend} a year of technology spend" if spend else ""
        return (
            f"We have {staff} of in-house commercial staff buying technology{spent}: do we "
            "have the skills to buy technology well?"
        )
    if code == "trust.single_route" and "main route" in f:
        return (
            f"{f.get('its share of live annual value', 'Most')} of our live contract value is "
            f"bought one way ({f['main route'].lower()}): are we using the right contracting "
            "method for cloud, devices, products and bespoke work?"
        )
    if code == "trust.direct_awards" and "directly awarded" in f:
        return (
            f"{f.get('share of live annual value', 'Much')} of our live contract value "
            f"({f['directly awarded']} a year) was awarded directly, without competition: "
            "which alternatives, including SMEs, did we consider?"
        )
    if code == "trust.little_joint" and "share of strategic and high live value" in f:
        partners = f.get("integrated care system", "the ICS or other trusts")
        return (
            f"Only {f['share of strategic and high live value']} of what we spend on strategic "
            f"and high-criticality suppliers is bought jointly or shared with {partners}: "
            "where could we procure with our system partners?"
        )
    if code == "trust.no_smes" and "suppliers" in f:
        return (
            # A supplier not marked as an SME may be one: say what is recorded, no more.
            f"None of our {f['suppliers']} suppliers is recorded as a small or medium-sized "
            "enterprise: are we missing skilled SMEs and lower-cost technology?"
        )
    asked = [s.strip() for s in finding.explanation.split(". ") if s.strip().endswith("?")]
    return f"{finding.title}: {asked[-1] if asked else 'what is our plan?'}"


def trust_question(
    finding: TrustFinding, thresholds: TrustThresholds, points_scale: float
) -> BoardQuestion:
    """The board question a trust-level finding (not a data gap) raises."""
    return BoardQuestion(
        supplier=TRUST_SUBJECT,
        key_question=finding.key_question,
        text=_question_text(finding),
        priority=round(thresholds.question_impact * finding.severity * points_scale, 3),
        criticality=Criticality.STRATEGIC,
        finding_codes=[finding.code],
        scope="trust",
    )


def trust_questions(
    findings: Iterable[TrustFinding], thresholds: TrustThresholds, points_scale: float
) -> list[BoardQuestion]:
    """The board questions of the trust's findings that are not data gaps, most pressing first."""
    asked = [trust_question(f, thresholds, points_scale) for f in findings if not f.data_gap]
    return sorted(asked, key=question_order)


def _top(candidates: Iterable[BoardQuestion], limit: int, per_key: int) -> list[BoardQuestion]:
    """The top list of ``candidates`` as the scorer makes one: ``per_key`` places (within
    ``limit``) kept for each key question raised, the rest strictly by priority."""
    return top_of(candidates, limit, per_key)


def with_trust_questions(
    overview: RegisterOverview,
    asked: Sequence[BoardQuestion],
    *,
    limit: int,
    per_key: int,
    ranked_per_key: int,
) -> RegisterOverview:
    """``overview`` with the trust's questions ranked in among the suppliers'.

    ``overview.top_questions`` must hold the best ``limit + 3 x per_key`` supplier
    questions (the scorer's top list for that limit): then the top ``limit`` of them and
    ``asked`` together are exactly the top list of every question.
    """
    if not asked:
        top = _top(overview.top_questions, limit, per_key)
        return dataclasses.replace(overview, top_questions=top)
    counts = dict(overview.question_counts)
    ranked = {k: list(overview.ranked_questions.get(k, [])) for k in KeyQuestion}
    for key in KeyQuestion:
        mine = [q for q in asked if q.key_question is key]
        counts[key] = counts.get(key, 0) + len(mine)
        if mine and ranked_per_key > 0:
            ranked[key] = sorted([*ranked[key], *mine], key=question_order)[:ranked_per_key]
    return dataclasses.replace(
        overview,
        top_questions=_top([*overview.top_questions, *asked], limit, per_key),
        question_counts=counts,
        ranked_questions=ranked,
    )


def _short(finding: TrustFinding) -> str:
    """A few words for one finding, with its key figure, for a line that is always shown."""
    f = finding.figures
    code = finding.code
    if code == "trust.contractor_dependence":
        share = f.get("contractors' share of the digital team")
        return f"contractor dependence {share}" if share else "depends on contractors"
    if code == "trust.thin_commercial":
        staff = f.get("in-house commercial staff for technology", "")
        spend = f.get("annual technology spend")
        return f"{staff} commercial staff for {spend} spend" if spend else f"{staff} commercial"
    if code == "trust.single_route" and "its share of live annual value" in f:
        return f"{f['its share of live annual value']} bought one way"
    if code == "trust.direct_awards" and "share of live annual value" in f:
        return f"{f['share of live annual value']} awarded directly"
    if code == "trust.little_joint" and "share of strategic and high live value" in f:
        return f"only {f['share of strategic and high live value']} bought jointly"
    if code == "trust.no_smes":
        return (
            "supplier sizes not recorded" if finding.data_gap else "no supplier recorded as an SME"
        )
    if code == "trust.profile_not_recorded":
        return "staffing not recorded"
    return finding.title[:1].lower() + finding.title[1:]


def trust_headline(findings: Sequence[TrustFinding]) -> str:
    """The trust's own findings in one line, most severe first: 'contractor dependence 32%;
    only 4% bought jointly' (empty when there are none)."""
    return "; ".join(_short(f) for f in findings)
