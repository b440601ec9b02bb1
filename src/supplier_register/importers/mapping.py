"""Which spreadsheet column feeds which field: header synonyms and the TOML mapping file.

A register kept in a spreadsheet names its columns in many ways ("Vendor",
"Supplier name", "Contract end", "Expiry", "Annual cost (£k)").  Headers are
matched to fields through a table of common synonyms; a mapping file given by
the user overrides the guess, sets defaults for new records, and picks the
sheet and header row.  Columns that match nothing are reported, never dropped
silently.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from supplier_register.domain.enums import (
    Competition,
    ContractType,
    Criticality,
    CyberEssentials,
    DataLocation,
    Difficulty,
    DsptStatus,
    ExitPlan,
    IpOwner,
    ProcurementRoute,
    PurchaseKind,
    Role,
    Substitutability,
    SupplyCategory,
)
from supplier_register.domain.errors import BadFile, describe_validation_error
from supplier_register.importers import limits
from supplier_register.importers import values as v

Kind = Literal[
    "name",
    "text",
    "date",
    "money",
    "bool",
    "days",
    "months",
    "enum",
    "company",
    "list",
    "extensions",
]
Entity = Literal["supplier", "contract", "owner"]
IGNORE = "ignore"


@dataclass(frozen=True)
class FieldSpec:
    """One importable field: where it goes, how its cells are read, and its header synonyms."""

    key: str
    kind: Kind
    synonyms: tuple[str, ...] = ()
    enum: type[Enum] | None = None
    enum_synonyms: Mapping[str, Enum] = field(default_factory=dict)
    enum_ambiguous: Mapping[str, str] = field(default_factory=dict)
    """Words refused in an enum column (normalised), each with why: the sheet must choose."""
    lenient: bool = False
    """An enum value outside the list (and its synonyms) is reported and left unrecorded,
    never rejecting the row: for vocabularies every trust words its own way."""

    @property
    def entity(self) -> Entity:
        entity = self.key.split(".", 1)[0]
        assert entity in ("supplier", "contract", "owner")
        return entity  # type: ignore[return-value]

    @property
    def name(self) -> str:
        """The model field name (``end_date``), or ``role``/``contact`` for the owner."""
        return self.key.split(".", 1)[1]

    @property
    def label(self) -> str:
        """How the field is named to a person: 'contract end date'."""
        return f"{self.entity} {self.name.replace('_', ' ')}"


def _ambiguous(pairs: Mapping[str, str]) -> dict[str, str]:
    return {v.normalise_words(k): why for k, why in pairs.items()}


def _syn(*words: str) -> tuple[str, ...]:
    return tuple(v.normalise_words(w) for w in words)


def _enum_syn(pairs: Mapping[str, Enum]) -> dict[str, Enum]:
    return {v.normalise_words(k): member for k, member in pairs.items()}


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "supplier.name",
        "name",
        _syn(
            "supplier",
            "supplier name",
            "vendor",
            "vendor name",
            "company",
            "company name",
            "organisation",
            "organization",
            "organisation name",
            "provider",
            "provider name",
            "contractor",
            "third party",
            "supplier vendor",
            "name",
            "supplier organisation",
            "supplier trading name",
            "trading name",
            "service provider",
            "system supplier",
            "software supplier",
            "it supplier",
            "supplier company",
        ),
    ),
    FieldSpec(
        "supplier.company_number",
        "company",
        _syn(
            "company number",
            "company no",
            "company reg no",
            "companies house number",
            "companies house no",
            "companies house",
            "crn",
            "company registration number",
            "registration number",
            "reg no",
            "registered number",
        ),
    ),
    FieldSpec("supplier.sme", "bool", _syn("sme", "is sme", "small or medium enterprise")),
    FieldSpec(
        "supplier.category",
        "enum",
        _syn("category", "supply category", "supplier category", "service category", "area"),
        SupplyCategory,
        _enum_syn(
            {
                "ehr": SupplyCategory.EPR,
                "electronic patient record": SupplyCategory.EPR,
                "electronic health record": SupplyCategory.EPR,
                "pacs": SupplyCategory.IMAGING_PACS,
                "imaging": SupplyCategory.IMAGING_PACS,
                "lims": SupplyCategory.PATHOLOGY_LIMS,
                "pathology": SupplyCategory.PATHOLOGY_LIMS,
                "cloud": SupplyCategory.CLOUD_HOSTING,
                "hosting": SupplyCategory.CLOUD_HOSTING,
                "infrastructure": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "network": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "networks": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "hardware": SupplyCategory.DEVICES,
                "end user devices": SupplyCategory.DEVICES,
                "software development": SupplyCategory.BESPOKE_DEVELOPMENT,
                "patient app": SupplyCategory.PATIENT_FACING_APP,
                "managed services": SupplyCategory.MANAGED_SERVICE,
                "consultancy": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "contractors": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "emr": SupplyCategory.EPR,
                "epr system": SupplyCategory.EPR,
                "patient record": SupplyCategory.EPR,
                "radiology": SupplyCategory.IMAGING_PACS,
                "ris": SupplyCategory.IMAGING_PACS,
                "ris pacs": SupplyCategory.IMAGING_PACS,
                "laboratory": SupplyCategory.PATHOLOGY_LIMS,
                "labs": SupplyCategory.PATHOLOGY_LIMS,
                "cloud services": SupplyCategory.CLOUD_HOSTING,
                "data centre": SupplyCategory.CLOUD_HOSTING,
                "iaas": SupplyCategory.CLOUD_HOSTING,
                "telephony": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "telecoms": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "wan": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "lan": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "infrastructure and network": SupplyCategory.INFRASTRUCTURE_NETWORK,
                "device": SupplyCategory.DEVICES,
                "end user computing": SupplyCategory.DEVICES,
                "euc": SupplyCategory.DEVICES,
                "bespoke": SupplyCategory.BESPOKE_DEVELOPMENT,
                "development": SupplyCategory.BESPOKE_DEVELOPMENT,
                "patient facing": SupplyCategory.PATIENT_FACING_APP,
                "patient apps": SupplyCategory.PATIENT_FACING_APP,
                "patient portal": SupplyCategory.PATIENT_FACING_APP,
                "managed service provider": SupplyCategory.MANAGED_SERVICE,
                "outsourced service": SupplyCategory.MANAGED_SERVICE,
                "consulting": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "consultants": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "professional services": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "interims": SupplyCategory.CONSULTANCY_CONTRACTORS,
                "misc": SupplyCategory.OTHER,
                "miscellaneous": SupplyCategory.OTHER,
                "general": SupplyCategory.OTHER,
                # The register has no software or licence category: 'Licences',
                # 'Software licences' and the like are reported and left to Other.
            }
        ),
        lenient=True,
    ),
    FieldSpec(
        "supplier.criticality",
        "enum",
        _syn("criticality", "business criticality", "critical", "importance", "tier", "risk tier"),
        Criticality,
        _enum_syn(
            {
                "critical": Criticality.STRATEGIC,
                "business critical": Criticality.STRATEGIC,
                "mission critical": Criticality.STRATEGIC,
                "very high": Criticality.STRATEGIC,
                "hi": Criticality.HIGH,
                "h": Criticality.HIGH,
                "high criticality": Criticality.HIGH,
                "med": Criticality.MEDIUM,
                "m": Criticality.MEDIUM,
                "medium criticality": Criticality.MEDIUM,
                "moderate": Criticality.MEDIUM,
                "lo": Criticality.LOW,
                "l": Criticality.LOW,
                "low criticality": Criticality.LOW,
                "minor": Criticality.LOW,
                "not critical": Criticality.LOW,
                "non critical": Criticality.LOW,
                # Tiers as trusts number them: tier 1 is the most critical.
                **{
                    f"{word}{gap}{n}": member
                    for n, member in enumerate(Criticality, start=1)
                    for word in ("tier", "priority", "p")
                    for gap in ("", " ")
                },
            }
        ),
        lenient=True,
    ),
    FieldSpec(
        "supplier.annual_spend",
        "money",
        _syn("annual spend", "spend", "total spend", "yearly spend", "spend per year", "spend pa"),
    ),
    FieldSpec(
        "supplier.owner",
        "name",
        _syn(
            "owner",
            "relationship owner",
            "supplier owner",
            "contract owner",
            "account owner",
            "supplier manager",
            "relationship manager",
            "contract manager",
            "sro",
            "lead",
            "accountable owner",
            "responsible",
            "responsible person",
        ),
    ),
    FieldSpec(
        "supplier.review_cadence_months",
        "months",
        _syn("review cadence", "review frequency", "review interval", "review every"),
    ),
    FieldSpec(
        "supplier.last_review",
        "date",
        _syn(
            "last review",
            "last reviewed",
            "last review date",
            "date of last review",
            "reviewed on",
            "review date",
            "last supplier review",
        ),
    ),
    FieldSpec(
        "supplier.runs_clinical_systems",
        "bool",
        _syn("clinical", "clinical system", "clinical systems", "runs clinical systems"),
    ),
    FieldSpec(
        "supplier.dspt_status",
        "enum",
        _syn("dspt", "dspt status", "data security and protection toolkit", "ds and pt"),
        DsptStatus,
        _enum_syn(
            {
                "exceeded": DsptStatus.STANDARDS_EXCEEDED,
                "met": DsptStatus.STANDARDS_MET,
                "approaching": DsptStatus.APPROACHING_STANDARDS,
                "not met": DsptStatus.STANDARDS_NOT_MET,
            }
        ),
    ),
    FieldSpec(
        "supplier.cyber_essentials",
        "enum",
        _syn("cyber essentials", "ce", "cyber essentials status", "ce status"),
        CyberEssentials,
        _enum_syn(
            {
                "ce+": CyberEssentials.PLUS,
                "ce plus": CyberEssentials.PLUS,
                "cyber essentials+": CyberEssentials.PLUS,
                "ce": CyberEssentials.BASIC,
                "no": CyberEssentials.NONE,
            }
        ),
    ),
    FieldSpec(
        "supplier.dspt_year",
        "text",
        _syn("dspt year", "dspt assessment year", "dspt period", "dspt submission year"),
    ),
    FieldSpec(
        "supplier.cyber_essentials_expiry",
        "date",
        _syn(
            "cyber essentials expiry",
            "cyber essentials expiry date",
            "cyber essentials expires",
            "ce expiry",
            "ce expiry date",
            "ce expires",
            "ce certificate expiry",
            "cyber essentials renewal date",
        ),
    ),
    FieldSpec("supplier.dtac_complete", "bool", _syn("dtac", "dtac complete", "dtac done")),
    FieldSpec(
        "supplier.dtac_date",
        "date",
        _syn("dtac date", "dtac assessed", "dtac assessment date", "dtac completed on"),
    ),
    FieldSpec(
        "supplier.clinical_safety_case",
        "bool",
        _syn("clinical safety case", "dcb0129", "dcb 0129", "safety case"),
    ),
    FieldSpec(
        "supplier.clinical_safety_case_date",
        "date",
        _syn("safety case date", "clinical safety case date", "dcb0129 date", "dcb 0129 date"),
    ),
    FieldSpec(
        "supplier.clinical_risk_assessment",
        "bool",
        _syn("dcb0160", "dcb 0160", "clinical risk assessment", "dcb0160 done"),
    ),
    FieldSpec(
        "supplier.clinical_risk_assessment_date",
        "date",
        _syn("dcb0160 date", "dcb 0160 date", "clinical risk assessment date"),
    ),
    FieldSpec(
        "supplier.dpia_done",
        "bool",
        _syn("dpia", "dpia done", "dpia complete", "data protection impact assessment"),
    ),
    FieldSpec("supplier.dpia_date", "date", _syn("dpia date", "dpia completed on", "dpia dated")),
    FieldSpec(
        "supplier.pen_test_date",
        "date",
        _syn(
            "pen test",
            "pen test date",
            "last pen test",
            "pentest",
            "penetration test",
            "last penetration test",
            "penetration test date",
        ),
    ),
    FieldSpec("supplier.shared_with", "list", _syn("shared with", "also used by", "other trusts")),
    FieldSpec(
        "supplier.parent_group",
        "name",
        _syn(
            "parent group",
            "group",
            "parent",
            "parent company",
            "ultimate parent",
            "ultimate parent company",
            "owning group",
            "corporate group",
        ),
    ),
    FieldSpec("supplier.notes", "text", _syn("supplier notes", "supplier comments")),
    FieldSpec(
        "contract.title",
        "name",
        _syn(
            "contract",
            "contract name",
            "contract title",
            "title",
            "service",
            "service name",
            "product",
            "system",
            "system name",
            "application",
            "contract description",
            "agreement",
            "description",
            "what",
            # real registers: "Service / System", "Product/Service", "Goods & services", ...
            "service system",
            "service or system",
            "service and system",
            "system service",
            "system or service",
            "systems",
            "product name",
            "products",
            "product service",
            "product or service",
            "product and service",
            "goods and services",
            "goods or services",
            "service description",
            "description of service",
            "description of services",
            "description of contract",
            "contract details",
            "contract summary",
            "name of contract",
            "name of system",
            "system description",
            "application name",
            "applications",
            "application system",
            "system application",
            "solution",
            "solution name",
            "software",
            "software name",
            "platform",
            "item",
            "item description",
            "subject",
            "contract subject",
            "service provided",
            "what is provided",
        ),
    ),
    FieldSpec(
        "contract.what_is_bought",
        "enum",
        _syn("what is bought", "purchase type", "purchase kind", "kind of purchase"),
        PurchaseKind,
        _enum_syn(
            {
                "cots": PurchaseKind.CONFIGURABLE_PRODUCT,
                "off the shelf": PurchaseKind.CONFIGURABLE_PRODUCT,
                "configurable": PurchaseKind.CONFIGURABLE_PRODUCT,
                "customised": PurchaseKind.CUSTOMISED_PRODUCT,
                "customized": PurchaseKind.CUSTOMISED_PRODUCT,
                "bespoke": PurchaseKind.BESPOKE_DEVELOPMENT,
                "consultancy": PurchaseKind.STAFF_AUGMENTATION,
                "contractors": PurchaseKind.STAFF_AUGMENTATION,
                "not known": PurchaseKind.UNKNOWN,
            }
        ),
    ),
    FieldSpec(
        "contract.contract_type",
        "enum",
        _syn(
            "contract type",
            "type of contract",
            "pricing",
            "pricing model",
            "commercial model",
            "charging model",
        ),
        ContractType,
        _enum_syn(
            {
                "saas": ContractType.SUBSCRIPTION_SAAS,
                "subscription": ContractType.SUBSCRIPTION_SAAS,
                "t and m": ContractType.TIME_AND_MATERIALS,
                "t m": ContractType.TIME_AND_MATERIALS,
                "capped t and m": ContractType.CAPPED_TIME_AND_MATERIALS,
                "fixed price": ContractType.FIXED_SCOPE_FIXED_PRICE,
                "fixed": ContractType.FIXED_SCOPE_FIXED_PRICE,
                "outcome": ContractType.OUTCOME_BASED,
                "licence": ContractType.PERPETUAL_LICENCE_SUPPORT,
                "license": ContractType.PERPETUAL_LICENCE_SUPPORT,
                "perpetual licence": ContractType.PERPETUAL_LICENCE_SUPPORT,
                "payg": ContractType.PAY_AS_YOU_GO,
                "call off": ContractType.FRAMEWORK_CALL_OFF,
                "committed spend": ContractType.COMMITTED_CLOUD_SPEND,
                "not known": ContractType.UNKNOWN,
            }
        ),
    ),
    FieldSpec(
        "contract.procurement_route",
        "enum",
        _syn(
            "procurement route",
            "route to market",
            "procurement method",
            "procured via",
            "how procured",
            "route",
        ),
        ProcurementRoute,
        _enum_syn(
            {
                "open": ProcurementRoute.OPEN_TENDER,
                "open procedure": ProcurementRoute.OPEN_TENDER,
                "tender": ProcurementRoute.OPEN_TENDER,
                "competitive tender": ProcurementRoute.OPEN_TENDER,
                "call off": ProcurementRoute.FRAMEWORK,
                "framework call off": ProcurementRoute.FRAMEWORK,
                "g cloud": ProcurementRoute.FRAMEWORK,
                "direct": ProcurementRoute.DIRECT_AWARD,
                "single tender": ProcurementRoute.DIRECT_AWARD,
                "single tender action": ProcurementRoute.DIRECT_AWARD,
                "sta": ProcurementRoute.DIRECT_AWARD,
                "waiver": ProcurementRoute.DIRECT_AWARD,
                "joint": ProcurementRoute.JOINT_PROCUREMENT,
                "collaborative": ProcurementRoute.JOINT_PROCUREMENT,
                "not known": ProcurementRoute.UNKNOWN,
            }
        ),
    ),
    FieldSpec(
        "contract.competition",
        "enum",
        _syn(
            "competition",
            "procurement procedure",
            "procedure",
            "competition type",
            "type of competition",
            "how competed",
            "award procedure",
            "tender procedure",
        ),
        Competition,
        _enum_syn(
            {
                "open procedure": Competition.OPEN,
                "open tender": Competition.OPEN,
                "restricted": Competition.COMPETITIVE_PROCEDURE,
                "restricted procedure": Competition.COMPETITIVE_PROCEDURE,
                "competitive flexible": Competition.COMPETITIVE_PROCEDURE,
                "competitive flexible procedure": Competition.COMPETITIVE_PROCEDURE,
                "competitive dialogue": Competition.COMPETITIVE_PROCEDURE,
                "competitive procedure with negotiation": Competition.COMPETITIVE_PROCEDURE,
                "negotiated procedure": Competition.COMPETITIVE_PROCEDURE,
                "negotiation": Competition.COMPETITIVE_PROCEDURE,
                "further competition": Competition.FURTHER_COMPETITION,
                "mini competition": Competition.FURTHER_COMPETITION,
                "framework mini competition": Competition.FURTHER_COMPETITION,
                "call off with further competition": Competition.FURTHER_COMPETITION,
                "framework direct award": Competition.FRAMEWORK_DIRECT_AWARD,
                "direct award from framework": Competition.FRAMEWORK_DIRECT_AWARD,
                "direct award from a framework": Competition.FRAMEWORK_DIRECT_AWARD,
                "call off without further competition": Competition.FRAMEWORK_DIRECT_AWARD,
                "call off without competition": Competition.FRAMEWORK_DIRECT_AWARD,
                "direct call off": Competition.FRAMEWORK_DIRECT_AWARD,
                "single tender": Competition.NO_COMPETITION,
                "single tender action": Competition.NO_COMPETITION,
                "sta": Competition.NO_COMPETITION,
                "waiver": Competition.NO_COMPETITION,
                "single source": Competition.NO_COMPETITION,
                "direct award without competition": Competition.NO_COMPETITION,
                "no competition": Competition.NO_COMPETITION,
                "negotiated without prior publication": Competition.NO_COMPETITION,
                "not known": Competition.UNKNOWN,
                "not recorded": Competition.UNKNOWN,
            }
        ),
        _ambiguous(
            {
                "direct award": "from a framework, or with no competition at all?",
                "direct": "from a framework, or with no competition at all?",
                "framework": "a further competition or a direct award from it?",
                "call off": "a further competition or a direct award from the framework?",
                "framework call off": "a further competition or a direct award?",
            }
        ),
    ),
    FieldSpec(
        "contract.start_date",
        "date",
        _syn(
            "start",
            "start date",
            "contract start",
            "contract start date",
            "commenced",
            "commencement",
            "commencement date",
            "effective date",
            "from",
        ),
    ),
    FieldSpec(
        "contract.end_date",
        "date",
        _syn(
            "end",
            "end date",
            "contract end",
            "contract end date",
            "expiry",
            "expiry date",
            "expires",
            "contract expiry",
            "contract expiry date",
            "renewal date",
            "term end",
            "to",
            "current end date",
        ),
    ),
    FieldSpec(
        "contract.extension_options",
        "extensions",
        _syn("extension", "extensions", "extension options", "options to extend"),
    ),
    FieldSpec(
        "contract.notice_period_days",
        "days",
        _syn("notice", "notice period", "notice required", "termination notice"),
    ),
    FieldSpec(
        "contract.auto_renewal",
        "bool",
        _syn(
            "auto renew", "auto renewal", "auto renews", "automatic renewal", "rolling", "evergreen"
        ),
    ),
    FieldSpec(
        "contract.annual_value",
        "money",
        _syn(
            "annual value",
            "annual contract value",
            "acv",
            "cost per year",
            "yearly cost",
            "annual charge",
            "contract annual value",
        ),
    ),
    FieldSpec(
        "contract.total_value",
        "money",
        _syn(
            "total value", "contract value", "tcv", "total contract value", "whole contract value"
        ),
    ),
    FieldSpec(
        "contract.lifetime_cost",
        "money",
        _syn("lifetime cost", "whole life cost", "tco", "total cost of ownership"),
    ),
    FieldSpec("contract.milestone_payments", "bool", _syn("milestone payments", "milestones")),
    FieldSpec(
        "contract.break_clause",
        "bool",
        _syn("break clause", "break", "termination for convenience"),
    ),
    FieldSpec(
        "contract.exit_assistance_clause",
        "bool",
        _syn("exit assistance", "exit assistance clause", "exit clause"),
    ),
    FieldSpec(
        "contract.data_ownership_clause",
        "bool",
        _syn("data ownership", "data ownership clause", "trust owns data"),
    ),
    FieldSpec(
        "contract.ip_owner",
        "enum",
        _syn("ip owner", "ip", "ipr", "intellectual property", "ip ownership"),
        IpOwner,
        _enum_syn(
            {
                "us": IpOwner.TRUST,
                "nhs": IpOwner.TRUST,
                "vendor": IpOwner.SUPPLIER,
                "joint": IpOwner.SHARED,
            }
        ),
    ),
    FieldSpec(
        "contract.migration_lead_time_days",
        "days",
        _syn(
            "migration lead time",
            "migration time",
            "exit lead time",
            "lead time",
            "time to migrate",
        ),
    ),
    FieldSpec(
        "contract.services",
        "list",
        _syn(
            "services",
            "services supported",
            "supported services",
            "trust services",
            "services it supports",
            "services affected",
        ),
    ),
    FieldSpec(
        "contract.substitutability",
        "enum",
        _syn("substitutability", "substitutable", "replaceability", "ease of replacement"),
        Substitutability,
        _enum_syn(
            {
                "not possible": Substitutability.NOT_SUBSTITUTABLE,
                "irreplaceable": Substitutability.NOT_SUBSTITUTABLE,
                "difficult": Substitutability.HARD,
                "moderate": Substitutability.MEDIUM,
                "not known": Substitutability.UNKNOWN,
            }
        ),
        # 'none' may mean "no substitute" (the strongest claim) or "nothing recorded"
        _ambiguous(
            {"none": "no substitute, or nothing recorded? leave the cell blank when nothing is"}
        ),
    ),
    FieldSpec(
        "contract.substitutability_reason",
        "text",
        _syn("substitutability reason", "why substitutable", "substitutability notes"),
    ),
    FieldSpec(
        "contract.insourcing",
        "enum",
        _syn("insourcing", "insource", "bring in house", "bringing in house"),
        Difficulty,
        _enum_syn(
            {
                "impossible": Difficulty.NOT_POSSIBLE,
                "difficult": Difficulty.HARD,
                "moderate": Difficulty.MEDIUM,
                "not known": Difficulty.UNKNOWN,
            }
        ),
    ),
    FieldSpec(
        "contract.alternative_providers",
        "list",
        _syn(
            "alternative providers",
            "alternatives",
            "alternative suppliers",
            "other providers",
            "other suppliers",
        ),
    ),
    FieldSpec(
        "contract.exit_plan",
        "enum",
        _syn("exit plan", "exit plan status", "exit strategy"),
        ExitPlan,
        _enum_syn(
            {
                # an older "Exit plan" Yes/No column: yes, there is a plan; no, there is none
                "yes": ExitPlan.WRITTEN,
                "y": ExitPlan.WRITTEN,
                "true": ExitPlan.WRITTEN,
                "no": ExitPlan.NONE,
                "n": ExitPlan.NONE,
                "false": ExitPlan.NONE,
                "no plan": ExitPlan.NONE,
                "not written": ExitPlan.NONE,
                "draft": ExitPlan.WRITTEN,
                "drafted": ExitPlan.WRITTEN,
                "not known": ExitPlan.UNKNOWN,
            }
        ),
    ),
    FieldSpec(
        "contract.exit_plan_tested",
        "date",
        _syn(
            "exit plan tested",
            "exit plan last tested",
            "exit plan test date",
            "exit plan tested on",
            "exit tested",
        ),
    ),
    FieldSpec(
        "contract.data_location",
        "enum",
        _syn(
            "data location",
            "data held in",
            "data held",
            "where data is held",
            "data residency",
            "data hosted in",
            "data stored in",
        ),
        DataLocation,
        _enum_syn(
            {
                "united kingdom": DataLocation.UK,
                "gb": DataLocation.UK,
                "great britain": DataLocation.UK,
                "england": DataLocation.UK,
                "eu": DataLocation.EEA,
                "european union": DataLocation.EEA,
                "european economic area": DataLocation.EEA,
                "us": DataLocation.ELSEWHERE,
                "usa": DataLocation.ELSEWHERE,
                "united states": DataLocation.ELSEWHERE,
                "not known": DataLocation.UNKNOWN,
            }
        ),
        _ambiguous(
            {
                "europe": "the UK and Switzerland are in Europe but not the EEA",
                "european": "the UK and Switzerland are in Europe but not the EEA",
            }
        ),
    ),
    FieldSpec(
        "contract.patient_data",
        "bool",
        _syn(
            "patient data",
            "patient identifiable",
            "patient identifiable data",
            "holds patient data",
            "includes patient data",
        ),
    ),
    FieldSpec("contract.notes", "text", _syn("contract notes", "contract comments")),
    FieldSpec(
        "owner.role",
        "enum",
        _syn("owner role", "owner job title", "owner title", "role of owner"),
        Role,
        _enum_syn(
            {
                "ceo": Role.CHIEF_EXECUTIVE,
                "cio": Role.CIO_CDO,
                "cdo": Role.CIO_CDO,
                "ccio": Role.CCIO_CNIO,
                "cnio": Role.CCIO_CNIO,
                "commercial": Role.COMMERCIAL_LEAD,
                "procurement lead": Role.COMMERCIAL_LEAD,
            }
        ),
    ),
    FieldSpec("owner.contact", "text", _syn("owner email", "owner contact", "owner phone")),
)

FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}

# Headers whose meaning depends on whether the sheet lists contracts: with a
# contract column they describe the contract on the row, otherwise the supplier.
_CONTEXTUAL: dict[str, tuple[str, str]] = {
    v.normalise_words(header): pair
    for header, pair in {
        "annual cost": ("contract.annual_value", "supplier.annual_spend"),
        "cost": ("contract.annual_value", "supplier.annual_spend"),
        "cost pa": ("contract.annual_value", "supplier.annual_spend"),
        "cost p a": ("contract.annual_value", "supplier.annual_spend"),
        "annual cost of contract": ("contract.annual_value", "supplier.annual_spend"),
        "value": ("contract.total_value", "supplier.annual_spend"),
        "notes": ("contract.notes", "supplier.notes"),
        "comments": ("contract.notes", "supplier.notes"),
        "remarks": ("contract.notes", "supplier.notes"),
    }.items()
}

_SYNONYMS: dict[str, str] = {}
for _spec in FIELDS:
    for _word in (*_spec.synonyms, v.normalise_words(_spec.name), v.normalise_words(_spec.label)):
        _SYNONYMS.setdefault(_word, _spec.key)

# Units written in headers: "Annual cost (£k)", "Notice (months)", "Value £000s".
_MONEY_UNITS = (
    (re.compile(r"£\s*'?0{3}s?|\(\s*0{3}s?\s*\)|£\s*k\b|\(\s*k\s*\)|in thousands"), Decimal(1000)),
    (re.compile(r"£\s*m\b|\(\s*m\s*\)|\(\s*£?\s*millions?\s*\)|in millions"), Decimal(1_000_000)),
)
_TIME_UNITS = (
    (re.compile(r"\bmonths?\b|\bmths?\b"), "month"),
    (re.compile(r"\bweeks?\b|\bwks?\b"), "week"),
    (re.compile(r"\byears?\b|\byrs?\b"), "year"),
    (re.compile(r"\bdays?\b"), "day"),
)
_QUALIFIER = re.compile(r"\(([^)]*)\)|\bin (\w+)")
_NOISE = re.compile(
    r"\(\s*[^)]*\)|£\s*'?0{3}s?|£\s*k\b|£\s*m\b|[£?*:#]"
    r"|\bin (?:thousands|millions|days|weeks|months|years)\b"
)


@dataclass(frozen=True)
class HeaderHint:
    """A header reduced to words for matching, plus any unit it names."""

    words: str
    multiplier: Decimal = Decimal(1)
    time_unit: str = "day"


def read_header(header: str) -> HeaderHint:
    """Split a header like 'Annual cost (£k)' into the words 'annual cost' and a unit of £1000."""
    lowered = header.casefold()
    multiplier = Decimal(1)
    for pattern, factor in _MONEY_UNITS:
        if pattern.search(lowered):
            multiplier = factor
            break
    time_unit = "day"
    # Only a unit in brackets or after 'in' counts: 'Notice (months)', 'Lead time in weeks'.
    qualifiers = " ".join(" ".join(groups) for groups in _QUALIFIER.findall(lowered))
    for pattern, unit in _TIME_UNITS:
        if pattern.search(qualifiers):
            time_unit = unit
            break
    words = v.normalise_words(_NOISE.sub(" ", lowered))
    return HeaderHint(words or v.normalise_words(lowered), multiplier, time_unit)


class MappingFile(BaseModel):
    """The TOML mapping file: which column is which field, defaults, sheet and header row."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    sheet: str | None = Field(default=None, description="Worksheet to read (XLSX).")
    header_row: int | None = Field(
        default=None, ge=1, le=1000, description="Row number of the header (1 = first row)."
    )
    columns: dict[str, str] = Field(
        default_factory=dict, description="Header text -> field key (e.g. 'contract.end_date')."
    )
    defaults: dict[str, Any] = Field(
        default_factory=dict, description="Field key -> value used when a new record lacks it."
    )


@dataclass
class ColumnMapping:
    """A checked mapping file: resolved field keys and parsed default values."""

    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str | None] = field(default_factory=dict)  # header words -> key or None
    defaults: dict[str, object] = field(default_factory=dict)


def resolve_field_key(text: str) -> str | None:
    """The field key named by ``text`` in a mapping file: 'contract.end_date', 'end_date', ...

    Returns ``None`` for 'ignore'; raises ``ValueError`` when nothing or more
    than one field fits.
    """
    key = text.strip()
    if key.casefold() == IGNORE:
        return None
    if key in FIELDS_BY_KEY:
        return key
    words = v.normalise_words(key)
    candidates = {
        spec.key
        for spec in FIELDS
        if words in (v.normalise_words(spec.name), v.normalise_words(spec.label))
    }
    if len(candidates) == 1:
        return candidates.pop()
    if len(candidates) > 1:
        raise ValueError(f"{text!r} is ambiguous: write one of {', '.join(sorted(candidates))}")
    raise ValueError(f"{text!r} is not a field; fields are: {', '.join(FIELDS_BY_KEY)}")


def load_mapping(path: Path) -> ColumnMapping:
    """Read and check a TOML mapping file; any problem is a one-line ``BadFile``."""
    try:
        data = limits.read_limited(path, limits.MAX_MAPPING_BYTES, "mapping file", str(path))
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        raw = tomllib.loads(text)
    except FileNotFoundError:
        raise BadFile(f"{path}: mapping file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFile(f"{path}: cannot read the mapping file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadFile(f"{path}: not valid TOML: {exc}") from None
    try:
        model = MappingFile.model_validate(raw)
    except ValidationError as exc:
        raise BadFile(f"{path}: {describe_validation_error(exc)[0]}") from None
    mapping = ColumnMapping(sheet=model.sheet, header_row=model.header_row)
    for header, target in model.columns.items():
        try:
            mapping.columns[v.normalise_words(header) or header] = resolve_field_key(target)
        except ValueError as exc:
            raise BadFile(f"{path}: columns.{header}: {exc}") from None
    for target, value in model.defaults.items():
        try:
            key = resolve_field_key(target)
            if key is None:
                raise ValueError("cannot be 'ignore'")
            spec = FIELDS_BY_KEY[key]
            if spec.key in ("supplier.name", "contract.title"):
                raise ValueError("a name or title cannot have a default")
            for name, parsed in field_values(spec, parse_cell(spec, value)).items():
                if parsed is not None:
                    mapping.defaults[f"{spec.entity}.{name}"] = parsed
        except ValueError as exc:
            raise BadFile(f"{path}: defaults.{target}: {exc}") from None
    return mapping


def parse_cell(spec: FieldSpec, value: v.CellValue, hint: HeaderHint | None = None) -> object:
    """Read one non-blank cell as the type of ``spec``; raises ``ValueError`` with a reason."""
    hint = hint or HeaderHint(spec.name)
    readers: dict[Kind, Callable[[v.CellValue], object]] = {
        "name": v.parse_name,
        "text": v.parse_text,
        "date": v.parse_date,
        "money": lambda cell: v.parse_money(cell, hint.multiplier),
        "bool": v.parse_bool,
        "days": lambda cell: v.parse_days(cell, hint.time_unit),
        "months": v.parse_months,
        "company": v.parse_company_number,
        "list": v.parse_list,
        "extensions": v.parse_extensions,
    }
    if spec.kind == "enum":
        assert spec.enum is not None
        return v.parse_enum(spec.enum, value, spec.enum_synonyms, spec.enum_ambiguous)
    return readers[spec.kind](value)


def field_values(spec: FieldSpec, parsed: object) -> dict[str, object]:
    """The field values one parsed cell gives: its own field, or for extension options the
    words and, when they say them plainly, the number and months (``None``: not given)."""
    if isinstance(parsed, v.Extensions):
        return {
            spec.name: parsed.text,
            "extension_count": parsed.count,
            "extension_months": parsed.months,
        }
    return {spec.name: parsed}


@dataclass(frozen=True)
class Column:
    """A column of the sheet and the field it feeds (``None`` when it feeds nothing)."""

    index: int
    header: str
    spec: FieldSpec | None
    hint: HeaderHint
    note: str = ""

    @property
    def letter(self) -> str:
        """The spreadsheet column letter: A, B, ..., AA."""
        index, letters = self.index + 1, ""
        while index:
            index, rem = divmod(index - 1, 26)
            letters = chr(65 + rem) + letters
        return letters


@dataclass
class ColumnPlan:
    """How the columns of one sheet map to fields."""

    columns: list[Column]

    @property
    def bound(self) -> list[Column]:
        return [c for c in self.columns if c.spec is not None]

    @property
    def unmatched(self) -> list[Column]:
        """Columns with a header that feed no field (reported to the user)."""
        return [c for c in self.columns if c.spec is None and c.header and c.note != IGNORE]

    def column_for(self, key: str) -> Column | None:
        return next((c for c in self.bound if c.spec and c.spec.key == key), None)

    def has_entity(self, entity: Entity) -> bool:
        return any(c.spec is not None and c.spec.entity == entity for c in self.columns)


def plan_columns(headers: Sequence[str], mapping: ColumnMapping | None = None) -> ColumnPlan:
    """Decide which field each header feeds: the mapping file first, then synonyms.

    A field fed by two columns keeps the first and reports the second as
    unmatched.  'Annual cost', 'Notes' and similar headers go to the contract
    when the sheet has contract columns, otherwise to the supplier.
    """
    mapping = mapping or ColumnMapping()
    chosen: dict[int, str | None] = {}
    notes: dict[int, str] = {}
    hints = [read_header(h) for h in headers]
    contextual: list[int] = []
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        words = v.normalise_words(header) or header
        if words in mapping.columns:
            chosen[index] = mapping.columns[words]
            if chosen[index] is None:
                notes[index] = IGNORE
            continue
        key = _SYNONYMS.get(hints[index].words)
        if key is None and hints[index].words in _CONTEXTUAL:
            contextual.append(index)
            continue
        chosen[index] = key
    has_contract = any(key and key.startswith("contract.") for key in chosen.values())
    for index in contextual:
        contract_key, supplier_key = _CONTEXTUAL[hints[index].words]
        chosen[index] = contract_key if has_contract else supplier_key
    used: dict[str, int] = {}
    columns: list[Column] = []
    for index, header in enumerate(headers):
        key = chosen.get(index)
        note = notes.get(index, "")
        if key is not None and key in used:
            note = f"also looks like {FIELDS_BY_KEY[key].label} (column {_letter(used[key])} used)"
            key = None
        elif key is not None:
            used[key] = index
        spec = FIELDS_BY_KEY[key] if key else None
        columns.append(Column(index, header.strip(), spec, hints[index], note))
    return ColumnPlan(columns)


def _letter(index: int) -> str:
    return Column(index, "", None, HeaderHint("")).letter


def score_header(cells: Sequence[object]) -> int:
    """How many cells of a row read as known headers: used to find the header row."""
    count = 0
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            words = read_header(cell).words
            if words in _SYNONYMS or words in _CONTEXTUAL:
                count += 1
    return count
