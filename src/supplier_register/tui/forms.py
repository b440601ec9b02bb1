"""The fields of the edit forms, and turning what was typed into a validated model.

Validation is the domain models' own (the same pydantic models the CLI and the
importers use); this module only converts raw form values into model input
and maps each validation problem back to the field it belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from supplier_register.domain import (
    Competition,
    ContractType,
    Criticality,
    CyberEssentials,
    DataLocation,
    DependencyKind,
    Difficulty,
    DsptStatus,
    ExitPlan,
    Fallback,
    IpOwner,
    ProcurementRoute,
    PurchaseKind,
    Role,
    Substitutability,
    SupplyCategory,
    describe_validation_error,
)
from supplier_register.domain.models import (
    Contract,
    Dependency,
    Person,
    Service,
    Supplier,
    TrustProfile,
)
from supplier_register.services.entry import read_date, read_money

Kind = Literal[
    "text", "notes", "choice", "flag", "maybe", "date", "money", "number", "list", "multi"
]
"""How a field is edited: text input, multi-line notes, a choice from a list, a yes/no
check box, a yes/no/unknown choice, an ISO date, an amount in pounds, a whole number,
a comma-separated list, or several names ticked from a list (``choices_from``)."""

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form."""

    name: str
    label: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs for ``choice`` fields."""
    placeholder: str = ""
    help: str = ""
    required: bool = False
    choices_from: str | None = None
    """Fill the choices at run time (``"people"``: the register's people; ``"services"``: its
    services; ``"suppliers"``: its other suppliers)."""
    blank: Any = None
    """The value a blank optional field saves as (the model's default)."""


def _enum_choices(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((member.label, member.value) for member in enum)  # type: ignore[attr-defined]


def _help(model: type[BaseModel], name: str) -> str:
    return model.model_fields[name].description or ""


def _spec(
    model: type[BaseModel], name: str, label: str, kind: Kind = "text", **kw: Any
) -> FieldSpec:
    info = model.model_fields[name]
    required = info.is_required()
    return FieldSpec(
        name=name,
        label=label,
        kind=kind,
        help=kw.pop("help", _help(model, name)),
        required=required,
        blank=None if required or info.default_factory else info.default,
        **kw,
    )


def _choice(model: type[BaseModel], name: str, label: str, enum: type[Enum]) -> FieldSpec:
    """A field chosen from the members of ``enum``, by their labels."""
    return _spec(model, name, label, "choice", choices=_enum_choices(enum))


SUPPLIER_FIELDS: tuple[FieldSpec, ...] = (
    _spec(Supplier, "name", "Name"),
    _choice(Supplier, "category", "Category", SupplyCategory),
    _choice(Supplier, "criticality", "Criticality", Criticality),
    _spec(Supplier, "owner", "Relationship owner", "choice", choices_from="people"),
    _spec(
        Supplier, "annual_spend", "Annual spend (£)", "money", placeholder="e.g. 250000 or £250k"
    ),
    _spec(Supplier, "company_number", "Company number", placeholder="e.g. 01234567"),
    _spec(Supplier, "sme", "Small or medium-sized enterprise", "maybe"),
    _spec(Supplier, "runs_clinical_systems", "Runs clinical systems", "maybe"),
    _choice(Supplier, "dspt_status", "DSPT status", DsptStatus),
    _spec(Supplier, "dspt_year", "DSPT year", placeholder="e.g. 2025-26"),
    _choice(Supplier, "cyber_essentials", "Cyber Essentials", CyberEssentials),
    _spec(
        Supplier,
        "cyber_essentials_expiry",
        "Certificate expires",
        "date",
        placeholder="e.g. 31/03/2025",
    ),
    _spec(Supplier, "dtac_complete", "DTAC complete", "maybe"),
    _spec(Supplier, "dtac_date", "DTAC assessed on", "date", placeholder="e.g. 31/03/2025"),
    _spec(Supplier, "clinical_safety_case", "Clinical safety case (DCB0129)", "maybe"),
    _spec(
        Supplier,
        "clinical_safety_case_date",
        "Safety case dated",
        "date",
        placeholder="e.g. 31/03/2025",
    ),
    _spec(Supplier, "clinical_risk_assessment", "Clinical risk assessment (DCB0160)", "maybe"),
    _spec(
        Supplier,
        "clinical_risk_assessment_date",
        "DCB0160 dated",
        "date",
        placeholder="e.g. 31/03/2025",
    ),
    _spec(Supplier, "dpia_done", "DPIA done", "maybe"),
    _spec(Supplier, "dpia_date", "DPIA dated", "date", placeholder="e.g. 31/03/2025"),
    _spec(
        Supplier, "pen_test_date", "Last penetration test", "date", placeholder="e.g. 31/03/2025"
    ),
    _spec(
        Supplier,
        "review_cadence_months",
        "Review every (months)",
        "number",
        placeholder="empty: by criticality",
    ),
    _spec(Supplier, "last_review", "Last review", "date", placeholder="e.g. 31/03/2025"),
    _spec(Supplier, "shared_with", "Shared with", "list", placeholder="comma-separated"),
    _spec(Supplier, "parent_group", "Parent group", placeholder="empty: none known"),
    _spec(Supplier, "notes", "Notes", "notes"),
)

CONTRACT_FIELDS: tuple[FieldSpec, ...] = (
    _spec(Contract, "title", "Title"),
    _choice(Contract, "what_is_bought", "What is bought", PurchaseKind),
    _choice(Contract, "contract_type", "Contract type", ContractType),
    _choice(Contract, "procurement_route", "Procurement route", ProcurementRoute),
    _choice(Contract, "competition", "How it was competed", Competition),
    _spec(Contract, "start_date", "Start date", "date", placeholder="e.g. 31/03/2025"),
    _spec(Contract, "end_date", "End date", "date", placeholder="e.g. 31/03/2025"),
    _spec(Contract, "notice_period_days", "Notice period (days)", "number"),
    _spec(Contract, "migration_lead_time_days", "Time to move supplier (days)", "number"),
    _spec(Contract, "auto_renewal", "Renews automatically", "maybe"),
    _spec(Contract, "extension_options", "Extension options", placeholder="e.g. 2 x 12 months"),
    _spec(
        Contract,
        "extension_count",
        "Number of extensions",
        "number",
        placeholder="empty: not recorded; 0: none",
    ),
    _spec(Contract, "extension_months", "Months per extension", "number", placeholder="e.g. 12"),
    _spec(Contract, "annual_value", "Annual value (£)", "money"),
    _spec(Contract, "total_value", "Total value (£)", "money"),
    _spec(Contract, "lifetime_cost", "Whole-life cost (£)", "money"),
    _spec(Contract, "milestone_payments", "Milestone payments", "maybe"),
    _spec(Contract, "break_clause", "Break clause", "maybe"),
    _spec(Contract, "exit_assistance_clause", "Exit assistance clause", "maybe"),
    _spec(Contract, "data_ownership_clause", "Trust owns its data", "maybe"),
    _choice(Contract, "ip_owner", "IP in customisations owned by", IpOwner),
    _spec(
        Contract,
        "services",
        "Services it supports",
        "multi",
        choices_from="services",
        help="The trust's services this contract supports (space ticks one; add services on "
        "the Services screen, key t).",
    ),
    _choice(Contract, "substitutability", "Substitutability", Substitutability),
    _spec(Contract, "substitutability_reason", "Why (substitutability)"),
    _choice(Contract, "insourcing", "Bringing it back in-house", Difficulty),
    _spec(
        Contract,
        "alternative_providers",
        "Alternative providers",
        "list",
        placeholder="comma-separated",
    ),
    _choice(Contract, "exit_plan", "Exit plan", ExitPlan),
    _spec(
        Contract, "exit_plan_tested", "Exit plan last tested", "date", placeholder="e.g. 31/03/2025"
    ),
    _choice(Contract, "data_location", "Data held in", DataLocation),
    _spec(Contract, "patient_data", "Patient-identifiable data", "maybe"),
    _spec(Contract, "notes", "Notes", "notes"),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    _spec(Person, "name", "Name"),
    _choice(Person, "role", "Role", Role),
    _spec(Person, "contact", "Email or phone"),
)

SERVICE_FIELDS: tuple[FieldSpec, ...] = (
    _spec(Service, "name", "Name"),
    # Required and without a default: the form starts with nothing chosen, never "No".
    _spec(
        Service, "clinical", "Clinical service", "choice", choices=(("Yes", "yes"), ("No", "no"))
    ),
    _spec(Service, "sites", "Sites or departments"),
    _spec(Service, "people_affected", "Who is affected"),
    _spec(Service, "people_per_day", "People relying on it each day", "number"),
    _spec(
        Service,
        "max_outage_hours",
        "Tolerable outage (hours)",
        "number",
        placeholder="empty: not known",
    ),
    _choice(Service, "fallback", "Fallback", Fallback),
    _spec(
        Service, "fallback_tested", "Fallback last tested", "date", placeholder="e.g. 31/03/2025"
    ),
    _spec(Service, "notes", "Notes", "notes"),
)

DEPENDENCY_FIELDS: tuple[FieldSpec, ...] = (
    _spec(Dependency, "depends_on", "Depends on", "choice", choices_from="suppliers"),
    _choice(Dependency, "kind", "Kind", DependencyKind),
    _spec(Dependency, "note", "Note"),
)

PROFILE_FIELDS: tuple[FieldSpec, ...] = (
    _spec(TrustProfile, "ics", "Integrated care system", placeholder="empty: not recorded"),
    _spec(
        TrustProfile,
        "digital_staff",
        "In-house digital staff (FTE)",
        "number",
        placeholder="empty: not recorded",
    ),
    _spec(
        TrustProfile,
        "commercial_staff",
        "Commercial staff buying technology (FTE)",
        "number",
        placeholder="empty: not recorded",
    ),
    _spec(
        TrustProfile,
        "contractors",
        "Contractors and interims in digital (FTE)",
        "number",
        placeholder="empty: not recorded",
    ),
)
"""The trust profile's form; when it was recorded is the day it is saved."""


def to_raw(model: BaseModel | None, fields: Sequence[FieldSpec]) -> dict[str, Any]:
    """The form values showing an existing model (or the defaults for a new one)."""
    raw: dict[str, Any] = {}
    for spec in fields:
        value = getattr(model, spec.name) if model is not None else spec.blank
        if spec.kind in ("flag",):
            raw[spec.name] = bool(value)
        elif spec.kind == "maybe":
            raw[spec.name] = value
        elif spec.kind == "choice":
            if isinstance(value, bool):  # a required yes/no, chosen from "yes" and "no"
                raw[spec.name] = "yes" if value else "no"
            else:
                raw[spec.name] = value.value if isinstance(value, Enum) else value
        elif spec.kind == "multi":
            raw[spec.name] = sorted(value or [], key=str.casefold)
        elif spec.kind == "list":
            raw[spec.name] = ", ".join(value or [])
        elif value is None:
            raw[spec.name] = ""
        elif spec.kind == "date":
            raw[spec.name] = value.isoformat()
        elif spec.kind == "money":
            raw[spec.name] = format(value, "f")
        else:
            raw[spec.name] = str(value)
    return raw


def to_input(
    raw: Mapping[str, Any], fields: Sequence[FieldSpec], problems: dict[str, str] | None = None
) -> dict[str, Any]:
    """Model input from form values: blank optional values become ``None`` (or are left out).

    Amounts and dates are read as the spreadsheet importer reads them (``£250k``, ``1.2m``,
    ``31/03/2025``: ``services.entry``); one that cannot be read is left out of the input and
    its reason, after the field's label, goes into ``problems`` by field name.
    """
    data: dict[str, Any] = {}
    for spec in fields:
        value = raw.get(spec.name)
        if spec.kind == "multi":
            data[spec.name] = list(value or [])
            continue
        if spec.kind in ("flag", "maybe", "choice"):
            if value is not None:
                data[spec.name] = value
            elif not spec.required:
                data[spec.name] = spec.blank
            continue
        text = value.strip() if isinstance(value, str) else ""
        if spec.kind == "list":
            data[spec.name] = [part.strip() for part in text.split(",") if part.strip()]
        elif text == "" and not spec.required:
            data[spec.name] = spec.blank
        elif spec.kind in ("money", "date"):
            try:
                value = read_money(text) if spec.kind == "money" else read_date(text)
            except ValueError as exc:
                if problems is not None:
                    problems[spec.name] = labelled(spec.label, str(exc))
                continue
            data[spec.name] = value
        else:
            data[spec.name] = text
    return data


@dataclass
class FormResult(Generic[M]):
    """A validated model, or the problems per field (``""`` for the whole form)."""

    model: M | None
    errors: dict[str, str]


def validate(
    model_type: type[M],
    raw: Mapping[str, Any],
    fields: Sequence[FieldSpec],
    extra: Mapping[str, Any] | None = None,
    record_label: str = "",
) -> FormResult[M]:
    """Validate form values with the domain model; map each problem to its field."""
    unread: dict[str, str] = {}
    data = {**to_input(raw, fields, unread), **(extra or {})}
    try:
        model = model_type.model_validate(data)
    except ValidationError as exc:
        errors = field_errors(exc, fields, record_label)
        return FormResult(None, {**unread, **{k: v for k, v in errors.items() if k not in unread}})
    if unread:
        return FormResult(None, unread)
    return FormResult(model, {})


def field_errors(
    exc: ValidationError, fields: Sequence[FieldSpec], record_label: str = ""
) -> dict[str, str]:
    """One message per field, worded as the CLI words it but naming the field by its label
    ("End date must not be before the start date, 1 Jan 2027")."""
    labels = {spec.name: spec.label for spec in fields}
    names = set(labels)
    lines = describe_validation_error(exc, record_label)
    errors: dict[str, str] = {}
    for error, line in zip(exc.errors(include_url=False), lines, strict=True):
        loc = error["loc"]
        name = str(loc[0]) if loc else ""
        key = name if name in names else ""
        message = line.split(": ", 1)[1] if record_label else line
        if key:
            prefix = f"{name}: "
            message = message.removeprefix(prefix)
            if len(loc) > 1:
                message = (
                    f"item {int(loc[1]) + 1 if isinstance(loc[1], int) else loc[1]}: {message}"
                )
            message = labelled(labels[name], message)
        errors.setdefault(key, message)
    return errors


_PREDICATES = ("must ", "is ", "are ", "needs ", "needed ", "cannot ", "has ")


def labelled(label: str, reason: str) -> str:
    """A field's problem as one line: "End date must not be before …", or "Start date: '32/1'
    is not a date …" when the reason does not read on from the label."""
    if reason.startswith(_PREDICATES):
        return f"{label} {reason}"
    return f"{label}: {reason}"


def error_field(message: str, fields: Sequence[FieldSpec]) -> tuple[str, str]:
    """Split a storage error such as ``"name: a supplier named 'X' already exists"``.

    Returns the field it names (or ``""``) and the message.  The field may be named
    as stored (``depends_on``) or in words (``depends on``).
    """
    head, sep, rest = message.partition(": ")
    names = {spec.name for spec in fields}
    name = head.strip().replace(" ", "_")
    if sep and name in names:
        return name, rest
    return "", message
