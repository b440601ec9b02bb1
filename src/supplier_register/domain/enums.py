"""The fixed vocabularies of the register.

Every enum value is the stable machine string stored in the database and the
JSON interchange; ``label`` is what a person reads, and ``meaning`` (where
present) is the one-line explanation shown beside the choice.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A string enum whose members carry a human label.

    Labels are looked up by value (a member equals its string): two enums sharing a value
    ("unknown", "managed_service") share its label, so a new value must not reuse another
    enum's value for a different meaning.
    """

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())


class SupplyCategory(_Labelled):
    """What the supplier provides to the trust."""

    EPR = "epr"
    IMAGING_PACS = "imaging_pacs"
    PATHOLOGY_LIMS = "pathology_lims"
    CLOUD_HOSTING = "cloud_hosting"
    INFRASTRUCTURE_NETWORK = "infrastructure_network"
    DEVICES = "devices"
    BESPOKE_DEVELOPMENT = "bespoke_development"
    PATIENT_FACING_APP = "patient_facing_app"
    MANAGED_SERVICE = "managed_service"
    CONSULTANCY_CONTRACTORS = "consultancy_contractors"
    OTHER = "other"


class Criticality(_Labelled):
    """How much the trust depends on the supplier; sets priority everywhere."""

    STRATEGIC = "strategic"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def meaning(self) -> str:
        return _CRITICALITY_MEANING[self]

    @property
    def rank(self) -> int:
        """4 for strategic down to 1 for low: higher means more important."""
        return _CRITICALITY_RANK[self]


class Role(_Labelled):
    """The seniority of a relationship owner."""

    CHIEF_EXECUTIVE = "chief_executive"
    CIO_CDO = "cio_cdo"
    CCIO_CNIO = "ccio_cnio"
    SENIOR_MANAGER = "senior_manager"
    COMMERCIAL_LEAD = "commercial_lead"
    OTHER = "other"

    @property
    def seniority(self) -> int:
        """3 = chief executive, 2 = executive digital lead, 1 = senior team, 0 = other."""
        return _ROLE_SENIORITY[self]


class PurchaseKind(_Labelled):
    """What is bought under a contract, from commodity to bespoke."""

    COMMODITY = "commodity"
    CONFIGURABLE_PRODUCT = "configurable_product"
    CUSTOMISED_PRODUCT = "customised_product"
    BESPOKE_DEVELOPMENT = "bespoke_development"
    MANAGED_SERVICE = "managed_service"
    STAFF_AUGMENTATION = "staff_augmentation"
    UNKNOWN = "unknown"
    """Not recorded (e.g. imported from published data); scoring treats it as a data gap."""


class ContractType(_Labelled):
    """How the contract prices the work."""

    FIXED_SCOPE_FIXED_PRICE = "fixed_scope_fixed_price"
    TIME_AND_MATERIALS = "time_and_materials"
    CAPPED_TIME_AND_MATERIALS = "capped_time_and_materials"
    OUTCOME_BASED = "outcome_based"
    SUBSCRIPTION_SAAS = "subscription_saas"
    COMMITTED_CLOUD_SPEND = "committed_cloud_spend"
    PERPETUAL_LICENCE_SUPPORT = "perpetual_licence_support"
    PAY_AS_YOU_GO = "pay_as_you_go"
    FRAMEWORK_CALL_OFF = "framework_call_off"
    UNKNOWN = "unknown"
    """Not recorded (e.g. imported from published data); scoring treats it as a data gap."""


class ProcurementRoute(_Labelled):
    """How the contract was bought."""

    OPEN_TENDER = "open_tender"
    COMPETITIVE_TENDER = "competitive_tender"
    """A competitive procedure that is not open: restricted (selective), competitive with
    negotiation or flexible, competitive dialogue, or competitive quotations below threshold."""
    FRAMEWORK = "framework"
    DIRECT_AWARD = "direct_award"
    JOINT_PROCUREMENT = "joint_procurement"
    UNKNOWN = "unknown"


class Competition(_Labelled):
    """How a contract was competed: how far the market was tested before it was awarded.

    Recorded beside :class:`ProcurementRoute` (the buying vehicle): a framework call-off may
    have been competed again among the framework's suppliers, or awarded to one of them directly.
    """

    OPEN = "open"
    COMPETITIVE_PROCEDURE = "competitive_procedure"
    """Restricted, competitive flexible, competitive dialogue or negotiated procedure."""
    FURTHER_COMPETITION = "further_competition"
    """A framework call-off after a further (mini-) competition among its suppliers."""
    FRAMEWORK_DIRECT_AWARD = "framework_direct_award"
    """A framework call-off awarded to one supplier without further competition."""
    NO_COMPETITION = "no_competition"
    """A direct award without competition: a single tender action or a waiver."""
    UNKNOWN = "unknown"
    """Not recorded: a data gap, never "not competed"."""


class DsptStatus(_Labelled):
    """The supplier's latest published Data Security and Protection Toolkit status."""

    STANDARDS_EXCEEDED = "standards_exceeded"
    STANDARDS_MET = "standards_met"
    APPROACHING_STANDARDS = "approaching_standards"
    STANDARDS_NOT_MET = "standards_not_met"
    NOT_PUBLISHED = "not_published"
    UNKNOWN = "unknown"


class CyberEssentials(_Labelled):
    """The supplier's Cyber Essentials certification."""

    PLUS = "plus"
    BASIC = "basic"
    NONE = "none"
    UNKNOWN = "unknown"


class IpOwner(_Labelled):
    """Who owns the intellectual property in customisations made for the trust."""

    TRUST = "trust"
    SUPPLIER = "supplier"
    SHARED = "shared"
    UNKNOWN = "unknown"


class AnswerValue(_Labelled):
    """The fixed answer scale of the questionnaire.

    Every question is worded so that ``yes`` is the good answer; ``unknown`` is a
    data gap: it counts only in part and lowers the confidence in the score.
    """

    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


class Fallback(_Labelled):
    """How a service carries on when its system is down (business continuity)."""

    NONE = "none"
    MANUAL = "manual"
    ALTERNATIVE_SYSTEM = "alternative_system"
    UNKNOWN = "unknown"


class DependencyKind(_Labelled):
    """How one supplier depends on another, so that the other's failure reaches it."""

    HOSTING = "hosting"
    INTEGRATION = "integration"
    SUBCONTRACTOR = "subcontractor"
    DATA_PROCESSOR = "data_processor"
    NETWORK = "network"
    LICENCE_RESELLER = "licence_reseller"


class Substitutability(_Labelled):
    """How easily another supplier could provide what a contract buys (DORA B_07)."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    NOT_SUBSTITUTABLE = "not_substitutable"
    UNKNOWN = "unknown"


class Difficulty(_Labelled):
    """How hard something would be (bringing a service back in-house)."""

    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    NOT_POSSIBLE = "not_possible"
    UNKNOWN = "unknown"


class ExitPlan(_Labelled):
    """The state of a contract's exit plan."""

    NONE = "none"
    WRITTEN = "written"
    TESTED = "tested"
    UNKNOWN = "unknown"


class DataLocation(_Labelled):
    """Where the data a contract's service holds is kept."""

    UK = "uk"
    EEA = "eea"
    ELSEWHERE = "elsewhere"
    UNKNOWN = "unknown"


# Looked up from module-level tables, not dicts built on each call: sorting and scoring a
# large register ask for a rank or seniority millions of times.
_CRITICALITY_RANK: dict[Criticality, int] = {
    Criticality.STRATEGIC: 4,
    Criticality.HIGH: 3,
    Criticality.MEDIUM: 2,
    Criticality.LOW: 1,
}
_ROLE_SENIORITY: dict[Role, int] = {
    Role.CHIEF_EXECUTIVE: 3,
    Role.CIO_CDO: 2,
    Role.CCIO_CNIO: 2,
    Role.SENIOR_MANAGER: 1,
    Role.COMMERCIAL_LEAD: 1,
    Role.OTHER: 0,
}

_CRITICALITY_MEANING = {
    Criticality.STRATEGIC: "The trust cannot run safely without it; failure is a board-level crisis.",
    Criticality.HIGH: "A major service or clinical system depends on it; failure hurts patients or staff.",
    Criticality.MEDIUM: "Important to a department; workarounds exist for a while.",
    Criticality.LOW: "Easily replaced; failure is an inconvenience.",
}

_LABELS: dict[_Labelled, str] = {
    SupplyCategory.EPR: "EPR",
    SupplyCategory.IMAGING_PACS: "Imaging / PACS",
    SupplyCategory.PATHOLOGY_LIMS: "Pathology / LIMS",
    SupplyCategory.CLOUD_HOSTING: "Cloud hosting",
    SupplyCategory.INFRASTRUCTURE_NETWORK: "Infrastructure / network",
    SupplyCategory.DEVICES: "Devices",
    SupplyCategory.BESPOKE_DEVELOPMENT: "Bespoke development",
    SupplyCategory.PATIENT_FACING_APP: "Patient-facing app",
    SupplyCategory.MANAGED_SERVICE: "Managed service",
    SupplyCategory.CONSULTANCY_CONTRACTORS: "Consultancy / contractors",
    SupplyCategory.OTHER: "Other",
    Role.CHIEF_EXECUTIVE: "Chief executive",
    Role.CIO_CDO: "CIO / CDO",
    Role.CCIO_CNIO: "CCIO / CNIO",
    Role.SENIOR_MANAGER: "Senior manager",
    Role.COMMERCIAL_LEAD: "Commercial lead",
    Role.OTHER: "Other",
    PurchaseKind.COMMODITY: "Established commodity technology",
    PurchaseKind.CONFIGURABLE_PRODUCT: "Configurable off-the-shelf product",
    PurchaseKind.CUSTOMISED_PRODUCT: "Product needing significant customisation",
    PurchaseKind.BESPOKE_DEVELOPMENT: "Bespoke software development",
    PurchaseKind.MANAGED_SERVICE: "Managed service",
    PurchaseKind.STAFF_AUGMENTATION: "Staff augmentation / consultancy",
    PurchaseKind.UNKNOWN: "Unknown",
    ContractType.FIXED_SCOPE_FIXED_PRICE: "Fixed scope, fixed price",
    ContractType.TIME_AND_MATERIALS: "Time and materials",
    ContractType.CAPPED_TIME_AND_MATERIALS: "Capped time and materials",
    ContractType.OUTCOME_BASED: "Outcome-based",
    ContractType.SUBSCRIPTION_SAAS: "Subscription / SaaS",
    ContractType.COMMITTED_CLOUD_SPEND: "Committed multi-year cloud spend",
    ContractType.PERPETUAL_LICENCE_SUPPORT: "Perpetual licence plus support",
    ContractType.PAY_AS_YOU_GO: "Pay as you go",
    ContractType.FRAMEWORK_CALL_OFF: "Framework call-off",
    ContractType.UNKNOWN: "Unknown",
    ProcurementRoute.OPEN_TENDER: "Open tender",
    ProcurementRoute.COMPETITIVE_TENDER: "Competitive tender (restricted, negotiated or quotes)",
    ProcurementRoute.FRAMEWORK: "Framework",
    ProcurementRoute.DIRECT_AWARD: "Direct award",
    ProcurementRoute.JOINT_PROCUREMENT: "Joint procurement with system partners",
    ProcurementRoute.UNKNOWN: "Unknown",
    Competition.OPEN: "Open competition",
    Competition.COMPETITIVE_PROCEDURE: "Restricted or competitive procedure",
    Competition.FURTHER_COMPETITION: "Framework further competition (mini-competition)",
    Competition.FRAMEWORK_DIRECT_AWARD: "Framework direct award (no further competition)",
    Competition.NO_COMPETITION: "Direct award without competition (single tender / waiver)",
    Competition.UNKNOWN: "Unknown",
    DsptStatus.STANDARDS_EXCEEDED: "Standards exceeded",
    DsptStatus.STANDARDS_MET: "Standards met",
    DsptStatus.APPROACHING_STANDARDS: "Approaching standards",
    DsptStatus.STANDARDS_NOT_MET: "Standards not met",
    DsptStatus.NOT_PUBLISHED: "Not published",
    DsptStatus.UNKNOWN: "Unknown",
    CyberEssentials.PLUS: "Cyber Essentials Plus",
    CyberEssentials.BASIC: "Cyber Essentials",
    CyberEssentials.NONE: "None",
    CyberEssentials.UNKNOWN: "Unknown",
    IpOwner.TRUST: "The trust",
    IpOwner.SUPPLIER: "The supplier",
    IpOwner.SHARED: "Shared",
    IpOwner.UNKNOWN: "Unknown",
    AnswerValue.YES: "Yes",
    AnswerValue.PARTLY: "Partly",
    AnswerValue.NO: "No",
    AnswerValue.UNKNOWN: "Unknown",
    AnswerValue.NOT_APPLICABLE: "Not applicable",
    Fallback.NONE: "None",
    Fallback.MANUAL: "Manual (paper) fallback",
    Fallback.ALTERNATIVE_SYSTEM: "Alternative system",
    Fallback.UNKNOWN: "Unknown",
    DependencyKind.HOSTING: "Hosting",
    DependencyKind.INTEGRATION: "Integration",
    DependencyKind.SUBCONTRACTOR: "Subcontractor",
    DependencyKind.DATA_PROCESSOR: "Data processor / sub-processor",
    DependencyKind.NETWORK: "Network",
    DependencyKind.LICENCE_RESELLER: "Licence reseller",
    Substitutability.EASY: "Easy",
    Substitutability.MEDIUM: "Medium",
    Substitutability.HARD: "Hard",
    Substitutability.NOT_SUBSTITUTABLE: "Not substitutable",
    Substitutability.UNKNOWN: "Unknown",
    Difficulty.EASY: "Easy",
    Difficulty.MEDIUM: "Medium",
    Difficulty.HARD: "Hard",
    Difficulty.NOT_POSSIBLE: "Not possible",
    Difficulty.UNKNOWN: "Unknown",
    ExitPlan.NONE: "None",
    ExitPlan.WRITTEN: "Written",
    ExitPlan.TESTED: "Written and tested",
    ExitPlan.UNKNOWN: "Unknown",
    DataLocation.UK: "UK",
    DataLocation.EEA: "EEA",
    DataLocation.ELSEWHERE: "Elsewhere",
    DataLocation.UNKNOWN: "Unknown",
}
