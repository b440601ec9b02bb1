"""Every weight and threshold of the scoring, in one place a trust can override.

``ScoringConfig()`` holds the defaults.  A trust overrides any part of it with a
TOML file read by :func:`load_config`; anything the file leaves out keeps its
default, and weight tables are merged key by key::

    [bands]
    high = 36

    [impact.base]
    high = 3.2

    [exposure]
    unknown_share = 0.2

    [rule_weights]
    "rule.auto_renewal" = 3

    [question_weights]
    "options.bulk_export" = 4

    [trust]
    contractor_share = 0.4
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from supplier_register.domain.enums import Criticality, Role
from supplier_register.domain.errors import BadFile, describe_validation_error, first_problem
from supplier_register.scoring.questions import default_question_bank
from supplier_register.scoring.results import Band, Dimension

DEFAULT_RULE_WEIGHTS: dict[str, float] = {
    "rule.fixed_scope_bespoke": 4,
    "rule.committed_cloud_spend": 3,
    "rule.auto_renewal": 2,
    "rule.decide_by_passed": 6,
    "rule.decide_by_soon": 4,
    "rule.term_ended": 3,
    "rule.exit_dates_unknown": 2,
    "rule.no_owner": 5,
    "rule.owner_too_junior": 3,
    "rule.ceo_span": 1,
    "rule.review_overdue": 3,
    "rule.lifetime_cost_missing": 2,
    "rule.concentration": 3,
    "rule.contract_terms_unknown": 2,
    "rule.no_contract": 3,
    "rule.no_exit_assistance": 3,
    "rule.no_data_ownership": 3,
    "rule.supplier_owns_ip": 3,
    "rule.payments_not_leveraged": 2,
    "rule.no_break_clause": 2,
    "rule.clinical_safety_case": 4,
    "rule.dspt": 3,
    "rule.cyber_essentials": 2,
    "rule.assurance_lapsed": 2,
    "rule.direct_award": 2,
    "rule.ended_in_use": 8,
    "rule.fake_off_the_shelf": 3,
    "rule.partner_trusts": 0.5,
    "rule.no_further_competition": 3,
}
"""Risk points each rule adds at full severity (before its severity factor)."""


class _Config(BaseModel):
    # inf and nan (which TOML allows) would make every score nan: refused like any bad value.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class AnswerFactors(_Config):
    """Share of a question's weight each answer adds as risk; 'yes' is the good answer.

    ``unknown`` is the share an unknown (or unanswered question, or unrecorded fact)
    would add if it turned out bad: how much of it counts in the score is
    :attr:`ExposureConfig.unknown_share`, so an unknown never counts as much as a "no".
    """

    yes: float = Field(default=0.0, ge=0, le=1)
    partly: float = Field(default=0.5, ge=0, le=1)
    no: float = Field(default=1.0, ge=0, le=1)
    unknown: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="What an unknown would add if it turned out bad (unanswered questions "
        "and unrecorded facts too).",
    )

    @model_validator(mode="after")
    def _ordered(self) -> AnswerFactors:
        # Improving an answer must never raise a score: yes <= partly <= no and unknown.
        if not self.yes <= self.partly <= min(self.no, self.unknown):
            raise ValueError("factors must satisfy yes <= partly <= no and partly <= unknown")
        return self


class BandThresholds(_Config):
    """Lowest risk score (0-100) of each band above 'low'.

    The defaults are the NHS 5 x 5 risk matrix's bands (consequence x likelihood:
    moderate from 4, high from 8, extreme from 15 of 25), on the score's scale of
    100: a risk of impact 4 and exposure 80% (4 x 4 of 25) is 64, severe.
    """

    medium: int = Field(default=16, ge=1, le=100)
    high: int = Field(default=32, ge=1, le=100)
    severe: int = Field(default=60, ge=1, le=100)

    @model_validator(mode="after")
    def _increasing(self) -> BandThresholds:
        if not self.medium < self.high < self.severe:
            raise ValueError("thresholds must increase: medium < high < severe")
        return self

    def band(self, score: int) -> Band:
        """The band of an overall score."""
        if score >= self.severe:
            return Band.SEVERE
        if score >= self.high:
            return Band.HIGH
        if score >= self.medium:
            return Band.MEDIUM
        return Band.LOW


def _default_dimension_weights() -> dict[Dimension, float]:
    return {
        Dimension.BUYING: 1.25,
        Dimension.EXPERTISE: 1.0,
        Dimension.TURNKEY: 0.75,
        Dimension.OPTIONS: 2.0,
        Dimension.EXIT: 2.0,
        Dimension.RELATIONSHIP: 1.0,
    }


def _default_impact_base() -> dict[Criticality, float]:
    return {
        Criticality.STRATEGIC: 4.0,
        Criticality.HIGH: 3.0,
        Criticality.MEDIUM: 2.0,
        Criticality.LOW: 1.0,
    }


class ImpactConfig(_Config):
    """How much harm a supplier would do if the relationship went wrong, 1 to 5.

    The base comes from the supplier's criticality (the trust's own judgement);
    the services and suppliers that depend on it and what we spend raise it a
    little, never by as much as the gap to the next criticality, so criticality
    always ranks first and a low-criticality supplier never reaches 'high'.
    """

    base: dict[Criticality, float] = Field(
        default_factory=_default_impact_base, description="Impact of each criticality."
    )
    max_uplift: float = Field(
        default=0.5, ge=0, le=0.99, description="Most the raises below add together."
    )
    clinical_service: float = Field(
        default=0.2, ge=0, le=1, description="Raise when it supports a clinical service."
    )
    short_outage: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Raise when a service it supports tolerates "
        "no more than short_outage_hours down.",
    )
    short_outage_hours: int = Field(default=4, ge=0, le=8760)
    many_services: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Raise when it supports many_services_count services or more.",
    )
    many_services_count: int = Field(default=3, ge=1, le=1000)
    dependents: float = Field(
        default=0.1, ge=0, le=1, description="Raise when other suppliers depend on it."
    )
    high_spend: float = Field(
        default=0.1, ge=0, le=1, description="Raise when annual spend is high_spend_pounds or more."
    )
    high_spend_pounds: int = Field(default=1_000_000, ge=0)

    @field_validator("base")
    @classmethod
    def _all_criticalities(cls, value: dict[Criticality, float]) -> dict[Criticality, float]:
        merged = {**_default_impact_base(), **value}
        if any(not 0.5 <= weight <= 5 for weight in merged.values()):
            raise ValueError("impacts must be between 0.5 and 5")
        return merged

    @model_validator(mode="after")
    def _criticality_first(self) -> ImpactConfig:
        # Criticality must always rank first: each base above the one below by more than
        # the most the raises can add, and the top one with its raises within 5.
        ordered = [self.base[c] for c in sorted(self.base, key=lambda c: c.rank)]
        if any(b - a <= self.max_uplift for a, b in pairwise(ordered)):
            raise ValueError(
                "each criticality's impact must exceed the one below by more than max_uplift"
            )
        if ordered[-1] + self.max_uplift > 5:
            raise ValueError("the strategic impact plus max_uplift must be at most 5")
        return self


class ExposureConfig(_Config):
    """How known weaknesses and unknowns make up a supplier's exposure, 0 to 1."""

    points_scale: float = Field(
        default=10.0,
        gt=0,
        le=1000,
        description="A finding's severity is 1 - e^-(points x dimension weight / points_scale): "
        "at this many weighted points one finding alone is an exposure of 63%.",
    )
    further_share: float = Field(
        default=0.7,
        ge=0,
        le=1,
        description="How much each further weakness counts beside the one before it (the "
        "worst counts in full).",
    )
    unknown_share: float = Field(
        default=0.25,
        gt=0,
        lt=1,
        description="Share of its severity (were it bad) each unknown counts with in the "
        "score; the whole of it widens the range.",
    )
    unassessed_below: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Confidence below which a supplier is 'unassessed' rather than banded.",
    )


class TrustThresholds(_Config):
    """Where each trust-level finding starts: every threshold in one place a trust can override.

    Read by :mod:`supplier_register.scoring.trust` (the ``[trust]`` table of a config file).
    """

    contractor_share: float = Field(
        default=0.30,
        gt=0,
        le=1,
        description="Contractors' share of the digital team (contractors / (in-house digital "
        "staff + contractors)) from which the trust depends on contractors.",
    )
    low_digital_staff: Decimal = Field(
        default=Decimal(20),
        ge=0,
        description="In-house digital staff (FTE) below which a strategic or high-criticality "
        "supplier providing people is a dependence.",
    )
    spend_per_commercial_fte: Decimal = Field(
        default=Decimal(10_000_000),
        gt=0,
        description="Annual technology spend (pounds) one in-house commercial FTE can cover.",
    )
    single_route_share: float = Field(
        default=0.80,
        gt=0,
        le=1,
        description="Share of live contract annual value through one procurement route from "
        "which the trust buys (almost) everything one way.",
    )
    single_route_min_contracts: int = Field(
        default=5,
        ge=1,
        description="Live contracts with value and route recorded needed before one route is "
        "a pattern rather than a small register.",
    )
    direct_award_share: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="Share of live contract annual value awarded directly from which it is a finding.",
    )
    joint_share: float = Field(
        default=0.10,
        gt=0,
        le=1,
        description="Share of the live contract value of strategic and high-criticality suppliers "
        "bought jointly or shared with other trusts below which little is bought with the ICS.",
    )
    sme_min_suppliers: int = Field(
        default=10,
        ge=1,
        description="Suppliers from which having no SME among them is a finding.",
    )
    question_impact: float = Field(
        default=4.0,
        ge=1,
        le=5,
        description="The impact a board question about the trust itself is ranked with (4: "
        "as a strategic supplier's): its priority is this impact x the finding's severity x "
        "the exposure's points scale, on the scale of the suppliers' questions.",
    )


def _default_owner_roles() -> dict[Criticality, Role]:
    return {
        Criticality.STRATEGIC: Role.CHIEF_EXECUTIVE,
        Criticality.HIGH: Role.CIO_CDO,
        Criticality.MEDIUM: Role.SENIOR_MANAGER,
        Criticality.LOW: Role.SENIOR_MANAGER,
    }


def _flatten(value: object, prefix: str = "") -> object:
    """Turn TOML's nested tables from unquoted dotted keys back into 'a.b' keys."""
    if not isinstance(value, dict):
        return value
    flat: dict[str, object] = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            nested = _flatten(item, name + ".")
            assert isinstance(nested, dict)
            flat.update(nested)
        else:
            flat[name] = item
    return flat


class BoardConfig(_Config):
    """What goes before the board, and how the board paper is marked (the ``[board]`` table).

    The board's decisions are the time-bound ones about suppliers of ``decisions_from``
    criticality or above; the same dates for less critical suppliers are the CIO's team's
    management actions.  Every management action falls due ``action_due_days`` after the
    day it is drawn up (the next quarterly review), or at its decide-by date when sooner.
    """

    decisions_from: Criticality = Field(
        default=Criticality.HIGH,
        description="The least criticality whose time-bound decisions go to the board.",
    )
    action_due_days: int = Field(
        default=91,
        ge=1,
        le=730,
        description="Days a management action has before it falls due (one quarter).",
    )
    classification: str = Field(
        default="OFFICIAL-SENSITIVE: COMMERCIAL",
        min_length=1,
        max_length=80,
        description="The protective marking printed on every page of the papers.",
    )


SHARE_FIELDS: dict[str, str] = {
    "notes": "free notes of suppliers, contracts, services and dependencies",
    "evidence": "the evidence behind each answer to the principle-6 questions",
    "people": "people's names and contacts (the people, owners, who answered)",
    "values": "money: annual spend and contract values and lifetime costs",
    "provenance": "where imported records came from (file paths, rows)",
}
"""What ``export --format share`` can redact, by the name the ``[share]`` table uses."""


class ShareConfig(_Config):
    """What a file shared with partner trusts leaves out (the ``[share]`` table).

    ``redact`` names the fields left out (default: every one of :data:`SHARE_FIELDS`);
    ``keep`` names fields to keep even so.  Unknown names are refused.
    """

    redact: list[str] = Field(
        default_factory=lambda: list(SHARE_FIELDS),
        description="Fields a shared file leaves out: " + ", ".join(SHARE_FIELDS) + ".",
    )
    keep: list[str] = Field(
        default_factory=list, description="Fields a shared file keeps even when redacted."
    )

    @field_validator("redact", "keep")
    @classmethod
    def _known_fields(cls, value: list[str]) -> list[str]:
        _refuse_unknown(value, SHARE_FIELDS, "share field")
        return value

    def redacted(self) -> list[str]:
        """The fields left out, in :data:`SHARE_FIELDS` order."""
        return [f for f in SHARE_FIELDS if f in self.redact and f not in self.keep]


class ScoringConfig(_Config):
    """Weights, thresholds and limits of principle-6 scoring (defaults are the house view)."""

    board: BoardConfig = Field(default_factory=BoardConfig)
    share: ShareConfig = Field(default_factory=ShareConfig)

    answer_factors: AnswerFactors = Field(default_factory=AnswerFactors)
    bands: BandThresholds = Field(default_factory=BandThresholds)
    impact: ImpactConfig = Field(default_factory=ImpactConfig)
    exposure: ExposureConfig = Field(default_factory=ExposureConfig)
    trust: TrustThresholds = Field(
        default_factory=TrustThresholds,
        description="Where each finding about the trust as a whole starts, and the impact its "
        "board questions are ranked with.",
    )
    dimension_weights: dict[Dimension, float] = Field(
        default_factory=_default_dimension_weights,
        description="How much a finding in each dimension weighs in the exposure.",
    )
    question_weights: dict[str, float] = Field(
        default_factory=dict, description="Overrides of question-bank weights, by question id."
    )
    rule_weights: dict[str, float] = Field(
        default_factory=lambda: dict(DEFAULT_RULE_WEIGHTS),
        description="Risk points of each record rule at full severity, by rule code.",
    )
    owner_min_role: dict[Criticality, Role] = Field(
        default_factory=_default_owner_roles,
        description="Most junior role that should own a relationship of each criticality.",
    )
    ceo_relationships: int = Field(
        default=3,
        ge=0,
        le=20,
        description="How many top strategic relationships the chief executive should lead.",
    )
    decide_by_horizon_days: int = Field(
        default=182, ge=0, le=3650, description="'Decide soon' window: two quarters."
    )
    # Three services resting on one critical supplier is where one failure becomes an
    # incident across the trust (the same threshold the contract count always had); two
    # clinical services stopping at once already stretches the downtime procedures of the
    # same wards and clinicians, so clinical services count sooner.
    concentration_min_services: int = Field(
        default=3,
        ge=2,
        le=100,
        description="Services supported by a critical supplier's live contracts that make it "
        "concentrated.",
    )
    concentration_min_clinical_services: int = Field(
        default=2,
        ge=1,
        le=100,
        description="Clinical services supported by a supplier's live contracts that make it "
        "concentrated.",
    )
    concentration_min_contracts: int = Field(
        default=3,
        ge=2,
        le=100,
        description="Live contracts that make a critical supplier concentrated when some of "
        "them do not record the services they support (replaced by the two service counts "
        "above once every live contract records its services).",
    )
    long_term_years: int = Field(
        default=3, ge=1, le=20, description="A term longer than this needs a break clause."
    )
    top_questions: int = Field(
        default=10, ge=1, le=500, description="How many board questions go to the board."
    )
    top_questions_per_key: int = Field(
        default=0,
        ge=0,
        le=50,
        description="Places in a top list kept for each of the three key questions, when raised.",
    )

    @field_validator("question_weights", "rule_weights", mode="before")
    @classmethod
    def _flatten_keys(cls, value: object) -> object:
        return _flatten(value)

    @field_validator("question_weights", "rule_weights")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        for key, weight in value.items():
            if not 0 <= weight <= 100:
                raise ValueError(f"{key}: weight must be between 0 and 100")
        return value

    @field_validator("question_weights")
    @classmethod
    def _known_questions(cls, value: dict[str, float]) -> dict[str, float]:
        _refuse_unknown(value, default_question_bank().by_id, "question id")
        return value

    @field_validator("rule_weights")
    @classmethod
    def _known_rules(cls, value: dict[str, float]) -> dict[str, float]:
        _refuse_unknown(value, DEFAULT_RULE_WEIGHTS, "rule code")
        return {**DEFAULT_RULE_WEIGHTS, **value}

    @field_validator("dimension_weights")
    @classmethod
    def _all_dimensions(cls, value: dict[Dimension, float]) -> dict[Dimension, float]:
        merged = {**_default_dimension_weights(), **value}
        if any(not 0 <= weight <= 100 for weight in merged.values()) or not any(merged.values()):
            raise ValueError("weights must be >= 0 and at most 100, and not all zero")
        return merged

    @model_validator(mode="before")
    @classmethod
    def _retired(cls, data: object) -> object:
        # Settings of the first score model: a trust's old file is told what replaced them
        # rather than refused as unknown.
        if isinstance(data, dict):
            for name, instead in _RETIRED.items():
                if name in data:
                    raise ValueError(f"{name} is no longer used (score model 2): {instead}")
        return data

    @field_validator("owner_min_role")
    @classmethod
    def _all_owner_roles(cls, value: dict[Criticality, Role]) -> dict[Criticality, Role]:
        return {**_default_owner_roles(), **value}

    def rule_weight(self, code: str) -> float:
        """Full-severity points of a rule."""
        return self.rule_weights[code]


_RETIRED = {
    "criticality_weights": "set the impact of each criticality in [impact.base]",
    "min_dimension_capacity": "dimensions no longer have a capacity; remove it",
}


def _refuse_unknown(keys: Iterable[str], known: Iterable[str], what: str) -> None:
    """``ValueError`` naming the first (in sorted order) of ``keys`` not among ``known``."""
    unknown = sorted(set(keys) - set(known))
    if unknown:
        raise ValueError(f"unknown {what} {unknown[0]!r}")


def parse_config(data: dict[str, Any], source: str = "scoring config") -> ScoringConfig:
    """Validate a mapping (e.g. parsed TOML) as a config; BadFile with one line if wrong."""
    try:
        return ScoringConfig.model_validate(data)
    except ValidationError as exc:
        raise BadFile(first_problem(describe_validation_error(exc, source))) from None


def load_config(path: Path | str | None) -> ScoringConfig:
    """Read a trust's TOML override file; the defaults when ``path`` is None."""
    if path is None:
        return ScoringConfig()
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise BadFile(f"{path}: cannot read scoring config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadFile(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise BadFile(f"{path}: not valid TOML: not UTF-8 text") from None
    except RecursionError:  # arrays nested thousands deep
        raise BadFile(f"{path}: not valid TOML: nested too deeply") from None
    except ValueError:  # an integer of more than 4300 digits
        raise BadFile(f"{path}: not valid TOML: a number is thousands of digits long") from None
    return parse_config(data, str(path))
