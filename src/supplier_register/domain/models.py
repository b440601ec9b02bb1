"""Pydantic models of the register: the single source of validation.

The same models validate the JSON interchange, the CLI, the importers and the
TUI forms, so a rule is enforced identically everywhere.  Records refer to one
another by natural key (a supplier by name, a contract by supplier and title,
a person by name), which keeps the interchange format readable and lets a
partial register be merged into an existing one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)

from supplier_register.domain.assurance import parse_dspt_year
from supplier_register.domain.bounds import (
    DATE_MAX,
    DATE_MIN,
    MONEY_MAX,
    STORED,
    add_days,
    check_date,
    check_money,
    day_text,
)
from supplier_register.domain.enums import (
    AnswerValue,
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
)

NAME_MAX = 200
FORMAT_VERSION: Literal[4] = 4
"""The interchange format this release writes; it reads every version up to this one."""
V2_ONLY_FIELDS: frozenset[str] = frozenset(
    {
        "parent_group",
        "services",
        "substitutability",
        "substitutability_reason",
        "insourcing",
        "alternative_providers",
        "exit_plan",
        "exit_plan_tested",
        "data_location",
        "patient_data",
        "competition",
        "extension_count",
        "extension_months",
    }
)
"""Supplier and contract fields format version 2 added: a version-1 file says nothing of them."""
V3_ONLY_FIELDS: frozenset[str] = frozenset(
    {
        "dspt_year",
        "cyber_essentials_expiry",
        "dtac_date",
        "clinical_safety_case_date",
        "clinical_risk_assessment",
        "clinical_risk_assessment_date",
        "dpia_done",
        "dpia_date",
        "pen_test_date",
    }
)
"""Supplier fields format version 3 added (dated assurance): an older file says nothing of them."""
V4_ONLY_LISTS: tuple[str, ...] = ("provenance", "identifiers")
"""The lists format version 4 added (where imported records came from, suppliers' identifiers):
an older file says nothing of them, and an import leaves what is stored as it is."""
OUTAGE_HOURS_MAX = 8760
"""The longest tolerable outage a service may record: one year, in hours."""
EXTENSIONS_MAX = 10
"""The most extension options a contract may record."""
EXTENSION_MONTHS_MAX = 120
"""The longest one extension may be: ten years, in months."""
PEOPLE_PER_DAY_MAX = 10_000_000
"""More people a day than any trust serves: a typing error, refused."""
FTE_MAX = 10_000
"""More full-time equivalent staff than any trust's digital or commercial team: refused."""


def _money_json(value: Decimal) -> int | float:
    """Write whole amounts as integers and the rest as numbers with pence."""
    return int(value) if value == value.to_integral_value() else float(value)


def _stored_as_is(base: type) -> WrapValidator:
    """A number outside its field's limits (days, months) is refused, except when reading
    records as stored (``context=STORED``): then any value of type ``base`` is read as it is,
    so a record written by an older release or another tool still reads (and scoring, whose
    date arithmetic never raises, still runs)."""
    adapter: TypeAdapter[Any] = TypeAdapter(base)

    def validate(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        try:
            return handler(value)
        except ValidationError:
            if info.context is not STORED:
                raise
            return adapter.validate_python(value)

    return WrapValidator(validate)


def _within(check: Callable[[Any], Any]) -> WrapValidator:
    """``check`` (a window or ceiling) after the value is parsed, except when reading records
    as stored (``context=STORED``), which are read as they are (see :func:`_stored_as_is`).
    One wrap validator rather than an after validator and a wrap validator: it runs on every
    date and amount of every import."""

    def validate(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        parsed = handler(value)
        return parsed if info.context is STORED else check(parsed)

    return WrapValidator(validate)


def _money_schema(schema: dict[str, Any]) -> None:
    """The ceiling in the JSON Schema, beside the minimum of the number form of an amount."""
    for form in schema.get("anyOf", [schema]):
        if form.get("type") == "number":
            form["maximum"] = int(MONEY_MAX)


_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _control_error(found: str) -> ValueError:
    return ValueError(f"must not contain control characters (found U+{ord(found):04X})")


def _one_line(value: str, info: ValidationInfo) -> str:
    """Refuse control characters (escape sequences, NUL, line breaks) in one-line text.

    They could rewrite the terminal or the screen when the text is shown, and
    no name or title legitimately contains them.  Text read as stored
    (``context=STORED``: written by another tool or a crafted file) is read as
    it is, so it can still be shown, with its control characters escaped, by
    every output.
    """
    if info.context is STORED:
        return value
    found = _CONTROL_IN_LINE.search(value)
    if found:
        raise _control_error(found.group())
    return value


def _multi_line(value: str, info: ValidationInfo) -> str:
    """Like :func:`_one_line`, but free text may hold line breaks and tabs (CRLF becomes LF)."""
    if info.context is STORED:
        return value
    value = value.replace("\r\n", "\n")
    found = _CONTROL_IN_TEXT.search(value)
    if found:
        raise _control_error(found.group())
    return value


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(_one_line),
]
"""A trimmed, non-empty name of at most 200 characters, without control characters."""

ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_one_line)
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10_000),
    AfterValidator(_multi_line),
]

Money = Annotated[
    Decimal,
    Field(
        ge=0,
        decimal_places=2,
        allow_inf_nan=False,
        json_schema_extra=_money_schema,
    ),
    _within(check_money),
    PlainSerializer(_money_json, return_type=int | float, when_used="json"),
]
"""An amount in pounds sterling, never negative, to the penny, at most £1,000,000,000,000
(``bounds.MONEY_MAX``: stored in pence, any 50,000 of them add up within SQLite's integers)."""

RegisterDate = Annotated[
    dt.date,
    _within(check_date),
    Field(
        json_schema_extra={
            "formatMinimum": DATE_MIN.isoformat(),
            "formatMaximum": DATE_MAX.isoformat(),
        }
    ),
]
"""A date from 1 Jan 1900 to 31 Dec 2200 (``bounds.DATE_MIN`` to ``bounds.DATE_MAX``)."""


def _dspt_year(value: str, info: ValidationInfo) -> str:
    """A DSPT year in its usual form ("2024/25" becomes "2024-25"); as stored, as it is."""
    return value if info.context is STORED else parse_dspt_year(value)


DsptYear = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=20),
    AfterValidator(_dspt_year),
    Field(json_schema_extra={"examples": ["2024-25"]}),
]
"""A Data Security and Protection Toolkit assessment year, such as "2024-25"."""

Days = Annotated[int, Field(ge=0, le=3650), _stored_as_is(int)]
"""A number of days from 0 to 3650 (ten years)."""

Fte = Annotated[
    Decimal,
    Field(ge=0, le=FTE_MAX, decimal_places=2, allow_inf_nan=False),
    _stored_as_is(Decimal),
    PlainSerializer(_money_json, return_type=int | float, when_used="json"),
]
"""A number of full-time equivalent staff, from 0 to 10,000, to two decimal places (12.5)."""

CadenceMonths = Annotated[int, Field(ge=1, le=36), _stored_as_is(int)]
"""A number of months from 1 to 36 (three years) between relationship reviews."""

OutageHours = Annotated[int, Field(ge=0, le=OUTAGE_HOURS_MAX), _stored_as_is(int)]
"""A number of hours from 0 to 8760 (one year)."""

ExtensionCount = Annotated[int, Field(ge=0, le=EXTENSIONS_MAX), _stored_as_is(int)]
"""A number of extension options, from 0 (none) to 10."""

ExtensionMonths = Annotated[int, Field(ge=1, le=EXTENSION_MONTHS_MAX), _stored_as_is(int)]
"""The length of one extension in months, from 1 to 120 (ten years)."""

PeoplePerDay = Annotated[int, Field(ge=0, le=PEOPLE_PER_DAY_MAX), _stored_as_is(int)]
"""A number of people a day, from 0 to ten million."""


def _once_each(value: list[str], info: ValidationInfo) -> list[str]:
    """Refuse a name listed twice (case-insensitively): a link made twice is a typing error."""
    if info.context is STORED:
        return value
    seen: set[str] = set()
    for item in value:
        if item.casefold() in seen:
            raise ValueError(f"{item!r} is listed twice")
        seen.add(item.casefold())
    return value


NameList = Annotated[list[Name], AfterValidator(_once_each)]
"""Names of other records, each at most once."""

QuestionId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_.-]{1,63}$"),
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        validate_assignment=True,
        use_enum_values=False,
        frozen=False,
    )


class Person(_Model):
    """Somebody in the trust who owns supplier relationships."""

    name: Name = Field(description="Full name; unique in the register (case-insensitive).")
    role: Role = Field(description="Seniority of the person in the trust.")
    contact: ShortText | None = Field(default=None, description="Email or phone.")


_DONE_OF_DATE = {
    "dtac_date": ("dtac_complete", "DTAC complete"),
    "clinical_safety_case_date": ("clinical_safety_case", "clinical safety case (DCB0129)"),
    "clinical_risk_assessment_date": (
        "clinical_risk_assessment",
        "clinical risk assessment (DCB0160)",
    ),
    "dpia_date": ("dpia_done", "DPIA done"),
}
"""Each assurance date, the yes/no field it needs to be 'yes', and that field's label."""


class Supplier(_Model):
    """A technology supplier the trust depends on."""

    name: Name = Field(description="Trading name; unique in the register (case-insensitive).")
    company_number: str | None = Field(
        default=None, description="Companies House number: 8 digits, or 2 letters and 6 digits."
    )
    sme: bool | None = Field(
        default=None, description="Small or medium-sized enterprise (empty when not recorded)."
    )
    category: SupplyCategory = Field(description="What the supplier provides.")
    criticality: Criticality = Field(description="How much the trust depends on the supplier.")
    annual_spend: Money | None = Field(default=None, description="Annual spend in pounds.")
    owner: Name | None = Field(
        default=None, description="Name of the relationship owner (a person in the register)."
    )
    review_cadence_months: CadenceMonths | None = Field(
        default=None,
        description="Months between relationship reviews; defaults by criticality when empty.",
    )
    last_review: RegisterDate | None = Field(default=None, description="Date of the last review.")
    runs_clinical_systems: bool | None = Field(
        default=None,
        description="Runs systems used in direct patient care (empty when not recorded).",
    )
    dspt_status: DsptStatus = Field(default=DsptStatus.UNKNOWN, description="Latest DSPT status.")
    dspt_year: DsptYear | None = Field(
        title="DSPT assessment year",
        default=None,
        description='The DSPT year the status is for, such as "2024-25" (empty when not '
        "recorded); stale once the next year's was due to be published (30 June).",
    )
    cyber_essentials: CyberEssentials = Field(
        default=CyberEssentials.UNKNOWN, description="Cyber Essentials certification."
    )
    cyber_essentials_expiry: RegisterDate | None = Field(
        title="Cyber Essentials certificate expires",
        default=None,
        description="When the Cyber Essentials (Plus) certificate expires (they last 12 months).",
    )
    dtac_complete: bool | None = Field(
        default=None, description="DTAC assessment done (empty when unknown)."
    )
    dtac_date: RegisterDate | None = Field(
        title="DTAC assessed on", default=None, description="When the DTAC assessment was done."
    )
    clinical_safety_case: bool | None = Field(
        default=None,
        description="Supplier's DCB0129 clinical safety case in place (empty when unknown).",
    )
    clinical_safety_case_date: RegisterDate | None = Field(
        title="DCB0129 safety case dated",
        default=None,
        description="Date of the supplier's DCB0129 clinical safety case (its latest issue).",
    )
    clinical_risk_assessment: bool | None = Field(
        title="DCB0160 clinical risk assessment",
        default=None,
        description="The trust's own DCB0160 clinical risk assessment of the system done "
        "(empty when unknown).",
    )
    clinical_risk_assessment_date: RegisterDate | None = Field(
        title="DCB0160 assessment dated",
        default=None,
        description="Date of the trust's DCB0160 clinical risk assessment.",
    )
    dpia_done: bool | None = Field(
        title="DPIA done",
        default=None,
        description="Data protection impact assessment done (empty when unknown).",
    )
    dpia_date: RegisterDate | None = Field(
        title="DPIA dated",
        default=None,
        description="Date of the data protection impact assessment.",
    )
    pen_test_date: RegisterDate | None = Field(
        title="last penetration test",
        default=None,
        description="When the supplier's service was last penetration tested (empty when unknown).",
    )
    shared_with: list[Name] = Field(
        default_factory=list,
        description="Other trusts or ICS partners known to use the same supplier.",
    )
    parent_group: Name | None = Field(
        title="parent group",
        default=None,
        description="Parent group the supplier belongs to; suppliers of one group count together.",
    )
    notes: LongText = Field(default="", description="Free notes.")

    @field_validator("company_number", mode="before")
    @classmethod
    def _normalise_company_number(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().upper().replace(" ", "")
            return value or None
        return value

    @field_validator("company_number")
    @classmethod
    def _check_company_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value) == 8 and (value.isdigit() or (value[:2].isalpha() and value[2:].isdigit())):
            return value
        raise ValueError("must be 8 digits, or 2 letters followed by 6 digits")

    @field_validator("shared_with")
    @classmethod
    def _dedupe_shared_with(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for item in value:
            if item.casefold() not in seen:
                seen.add(item.casefold())
                out.append(item)
        return out

    @field_validator("dspt_year")
    @classmethod
    def _dspt_year_with_status(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.context is STORED or value is None:
            return value
        if info.data.get("dspt_status") is DsptStatus.UNKNOWN:
            raise ValueError("a DSPT year needs the DSPT status it is for")
        return value

    @field_validator("cyber_essentials_expiry")
    @classmethod
    def _expiry_with_certificate(
        cls, value: dt.date | None, info: ValidationInfo
    ) -> dt.date | None:
        if info.context is STORED or value is None:
            return value
        held = info.data.get("cyber_essentials")
        if held is not None and held not in (CyberEssentials.PLUS, CyberEssentials.BASIC):
            raise ValueError("an expiry date needs Cyber Essentials to be 'basic' or 'plus'")
        return value

    @field_validator(
        "dtac_date", "clinical_safety_case_date", "clinical_risk_assessment_date", "dpia_date"
    )
    @classmethod
    def _date_when_done(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if info.context is STORED or value is None or info.field_name is None:
            return value
        done, label = _DONE_OF_DATE[info.field_name]
        if done in info.data and info.data[done] is not True:
            raise ValueError(f"a date needs {label} to be 'yes'")
        return value

    @property
    def effective_cadence_months(self) -> int:
        """Review cadence in months, defaulting by criticality."""
        if self.review_cadence_months is not None:
            return self.review_cadence_months
        return DEFAULT_CADENCE_MONTHS[self.criticality]


DEFAULT_CADENCE_MONTHS = {
    Criticality.STRATEGIC: 3,
    Criticality.HIGH: 6,
    Criticality.MEDIUM: 12,
    Criticality.LOW: 12,
}


class Contract(_Model):
    """A contract with a supplier; identified by supplier name and title."""

    supplier: Name = Field(description="Name of the supplier.")
    title: Name = Field(description="Title of the contract; unique per supplier.")
    what_is_bought: PurchaseKind = Field(description="What kind of thing is bought.")
    contract_type: ContractType = Field(description="How the contract prices the work.")
    procurement_route: ProcurementRoute = Field(
        default=ProcurementRoute.UNKNOWN, description="How it was bought."
    )
    competition: Competition = Field(
        default=Competition.UNKNOWN,
        description="How it was competed: open, a competitive procedure, a framework's further "
        "competition or direct award, or a direct award without competition.",
    )
    start_date: RegisterDate | None = Field(
        title="start date", default=None, description="Start date."
    )
    end_date: RegisterDate | None = Field(
        title="end date", default=None, description="End date of the current term."
    )
    extension_options: ShortText = Field(
        default="", description="Extension options as written, e.g. '2 x 12 months'."
    )
    extension_count: ExtensionCount | None = Field(
        title="number of extensions",
        default=None,
        description="How many extension options the contract has (0-10; empty when not recorded).",
    )
    extension_months: ExtensionMonths | None = Field(
        title="months per extension",
        default=None,
        validate_default=True,
        description="How long each extension option is, in months (1-120; empty when not "
        "recorded or when there are none).",
    )
    notice_period_days: Days | None = Field(
        default=None, description="Notice the trust must give to leave, in days (0-3650)."
    )
    auto_renewal: bool | None = Field(
        default=None,
        description="Renews automatically unless notice is given (empty when not recorded).",
    )
    annual_value: Money | None = Field(default=None, description="Annual value in pounds.")
    total_value: Money | None = Field(default=None, description="Total contract value in pounds.")
    lifetime_cost: Money | None = Field(
        default=None,
        description="Estimated whole-life cost in pounds, including later licensing and development.",
    )
    milestone_payments: bool | None = Field(
        default=None, description="Payments are tied to milestones (empty when unknown)."
    )
    break_clause: bool | None = Field(default=None, description="Has a break clause.")
    exit_assistance_clause: bool | None = Field(
        default=None, description="Supplier must help the trust leave."
    )
    data_ownership_clause: bool | None = Field(
        default=None, description="Contract says the trust owns its data."
    )
    ip_owner: IpOwner = Field(
        default=IpOwner.UNKNOWN, description="Who owns IP in customisations made for the trust."
    )
    migration_lead_time_days: Days | None = Field(
        default=None, description="How long moving to another supplier would take, in days."
    )
    services: NameList = Field(
        default_factory=list,
        description="Names of the trust's services this contract supports.",
    )
    substitutability: Substitutability = Field(
        default=Substitutability.UNKNOWN,
        description="How easily another supplier could provide this.",
    )
    substitutability_reason: ShortText = Field(
        title="substitutability reason",
        default="",
        description="Why it is as substitutable as it is.",
    )
    insourcing: Difficulty = Field(
        title="bringing in-house",
        default=Difficulty.UNKNOWN,
        description="How hard bringing the service back in-house would be.",
    )
    alternative_providers: NameList = Field(
        title="alternative providers",
        default_factory=list,
        description="Other providers known to offer this.",
    )
    exit_plan: ExitPlan = Field(
        title="exit plan",
        default=ExitPlan.UNKNOWN,
        description="State of the exit plan: none, written or tested.",
    )
    exit_plan_tested: RegisterDate | None = Field(
        title="exit plan last tested",
        default=None,
        description="When the exit plan was last tested.",
    )
    data_location: DataLocation = Field(
        title="data location", default=DataLocation.UNKNOWN, description="Where the data is held."
    )
    patient_data: bool | None = Field(
        title="patient-identifiable data",
        default=None,
        description="The data includes patient-identifiable data (empty when unknown).",
    )
    notes: LongText = Field(default="", description="Free notes.")

    @field_validator("end_date")
    @classmethod
    def _end_not_before_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start_date")
        if value is not None and isinstance(start, dt.date) and value < start:
            raise ValueError(f"must not be before the start date, {day_text(start)}")
        return value

    @field_validator("extension_months")
    @classmethod
    def _extensions_together(cls, value: int | None, info: ValidationInfo) -> int | None:
        """The number of extensions and the months of each are given together, or neither
        (no extensions, a count of 0, needs no months)."""
        if info.context is STORED or "extension_count" not in info.data:
            return value  # a count that failed its own check is reported by itself
        count = info.data["extension_count"]
        if value is None and count:
            raise ValueError(
                f"needed with the number of extensions ({count}): give both, or neither"
            )
        if value is not None and count is None:
            raise ValueError("needs the number of extensions too: give both, or neither")
        return value

    @field_validator("exit_plan_tested")
    @classmethod
    def _tested_plan_only(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if info.context is STORED or value is None:
            return value
        plan = info.data.get("exit_plan")
        if plan is not None and plan is not ExitPlan.TESTED:
            raise ValueError("a test date needs the exit plan to be 'tested'")
        return value

    def decide_by(self) -> dt.date | None:
        """The last day to decide whether to renew or leave.

        End date minus notice period minus migration lead time.  Unknown notice
        or migration time counts as zero here (the latest possible date);
        scoring reports those gaps separately.  ``None`` when there is no end.
        """
        if self.end_date is None:
            return None
        return self.decide_before(self.end_date)

    def notice_by(self) -> dt.date | None:
        """The last day to give notice: end date minus notice period.  ``None`` when either
        is not recorded (never guessed)."""
        if self.end_date is None or self.notice_period_days is None:
            return None
        return add_days(self.end_date, -self.notice_period_days)  # never raises

    def decide_before(self, end: dt.date) -> dt.date:
        """The last day to decide about a term ending on ``end``: ``end`` minus the notice
        period minus the migration lead time (each counted as zero when unknown)."""
        days = (self.notice_period_days or 0) + (self.migration_lead_time_days or 0)
        return add_days(end, -days)  # never raises, even for a record stored by hand


class Answer(_Model):
    """An answer to one questionnaire question about one supplier."""

    supplier: Name = Field(description="Name of the supplier.")
    question_id: QuestionId = Field(description="Id of the question in the question bank.")
    answer: AnswerValue = Field(description="Answer on the fixed scale.")
    evidence: LongText = Field(default="", description="What the answer is based on.")
    answered_by: Name | None = Field(default=None, description="Who answered.")
    answered_on: RegisterDate | None = Field(default=None, description="When it was answered.")


class Service(_Model):
    """A service the trust runs (clinical or corporate) that contracts support."""

    name: Name = Field(
        description="Name of the service; unique in the register (case-insensitive)."
    )
    clinical: bool = Field(description="A clinical service (direct patient care) or not.")
    sites: ShortText = Field(default="", description="Sites or departments that use it.")
    people_affected: ShortText = Field(
        title="people affected",
        default="",
        description="Who is affected when it stops (staff, patients).",
    )
    people_per_day: PeoplePerDay | None = Field(
        title="people a day", default=None, description="About how many people rely on it each day."
    )
    max_outage_hours: OutageHours | None = Field(
        title="tolerable outage (hours)",
        default=None,
        description="Longest outage the trust can tolerate, in hours (0-8760).",
    )
    fallback: Fallback = Field(
        default=Fallback.UNKNOWN, description="Business-continuity fallback when it is down."
    )
    fallback_tested: RegisterDate | None = Field(
        title="fallback last tested", default=None, description="When the fallback was last tested."
    )
    notes: LongText = Field(default="", description="Free notes.")

    @field_validator("fallback_tested")
    @classmethod
    def _fallback_to_test(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if info.context is STORED or value is None:
            return value
        fallback = info.data.get("fallback")
        if fallback is Fallback.NONE:
            raise ValueError("there is no fallback to have tested")
        return value


class Dependency(_Model):
    """Supplier ``supplier`` depends on supplier ``depends_on``: a failure of the second
    reaches the first's services."""

    supplier: Name = Field(description="Name of the supplier that depends on another.")
    depends_on: Name = Field(title="depends on", description="Name of the supplier it depends on.")
    kind: DependencyKind = Field(description="How it depends on it.")
    note: ShortText = Field(default="", description="What the dependency is, in a few words.")

    @field_validator("depends_on")
    @classmethod
    def _not_itself(cls, value: str, info: ValidationInfo) -> str:
        supplier = info.data.get("supplier")
        if isinstance(supplier, str) and supplier.casefold() == value.casefold():
            raise ValueError("a supplier cannot depend on itself")
        return value


SourceText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_one_line),
]
"""A non-empty one-line text of at most 500 characters (a file name, an OCDS id)."""


class ImportSource(_Model):
    """Where an imported supplier or contract came from: the spreadsheet and row, or the OCDS
    process, award or contract, and release.  A later import of the same source finds the
    record by it and keeps what was corrected in the register since (format version 4)."""

    supplier: Name = Field(description="Name of the supplier.")
    contract: Name | None = Field(
        default=None,
        description="Title of the supplier's contract it is about; empty for the supplier itself.",
    )
    source_kind: Literal["spreadsheet", "ocds"] = Field(
        title="source kind", description="A spreadsheet (CSV or XLSX) or published OCDS data."
    )
    source_file: SourceText = Field(title="source file", description="The file imported.")
    row_number: int | None = Field(
        title="row", default=None, ge=1, le=10_000_000, description="The spreadsheet row."
    )
    ocid: SourceText | None = Field(
        title="OCID", default=None, description="The OCDS contracting process."
    )
    ocds_id: SourceText | None = Field(
        title="OCDS award or contract",
        default=None,
        validate_default=True,
        pattern=r"^(award|contract):.+$",
        description="'award:ID' or 'contract:ID' within the process.",
    )
    release_id: SourceText | None = Field(
        title="release", default=None, description="The OCDS release last imported."
    )
    release_date: dt.datetime | None = Field(
        title="release date", default=None, description="Date of the OCDS release last imported."
    )
    defaulted: list[SourceText] = Field(
        default_factory=list,
        description="Fields the source lacked, set by default on import ('contract.end_date').",
    )
    imported_at: dt.datetime = Field(
        title="imported at", description="When the source was last imported."
    )

    @field_validator("release_date", "imported_at")
    @classmethod
    def _with_zone(cls, value: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        if info.context is STORED or value is None:
            return value
        if value.tzinfo is None:
            raise ValueError("needs a time zone (e.g. 2026-08-31T09:00:00Z)")
        if not DATE_MIN <= value.date() <= DATE_MAX:
            raise ValueError(f"must be between {day_text(DATE_MIN)} and {day_text(DATE_MAX)}")
        return value

    @field_validator("ocds_id")
    @classmethod
    def _ocds_needs_ocid(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("source_kind")
        if kind == "ocds" and (value is None or info.data.get("ocid") is None):
            raise ValueError("published (OCDS) data needs its OCID and 'award:ID' or 'contract:ID'")
        if kind == "spreadsheet" and (value is not None or info.data.get("ocid") is not None):
            raise ValueError("a spreadsheet has no OCID or OCDS award")
        return value

    @property
    def source_key(self) -> str:
        """What makes two imports 'the same source' for one record (as the importers store it)."""
        if self.source_kind == "ocds":
            return f"ocds:{self.ocid}:{self.ocds_id}"
        return f"spreadsheet:{self.source_file}"


class SupplierIdentifier(_Model):
    """An organisation identifier an import matched a supplier by ('GB-COH-01234567')
    (format version 4)."""

    supplier: Name = Field(description="Name of the supplier.")
    identifier: SourceText = Field(
        description="Scheme and id, as OCDS parties give them ('GB-COH-01234567')."
    )


class TrustProfile(_Model):
    """The trust itself, as principle 6 asks about it: its integrated care system and who
    buys and runs its technology.  The trust's name is the register's own (``Register.trust``).
    Every figure is optional: empty means not recorded, never none."""

    ics: Name | None = Field(
        title="integrated care system",
        default=None,
        description="The integrated care system (ICS) the trust belongs to.",
    )
    digital_staff: Fte | None = Field(
        title="in-house digital staff (FTE)",
        default=None,
        description="In-house digital staff, full-time equivalent (empty when not recorded).",
    )
    commercial_staff: Fte | None = Field(
        title="in-house commercial staff for technology (FTE)",
        default=None,
        description="In-house commercial and procurement staff who buy technology, full-time "
        "equivalent (empty when not recorded).",
    )
    contractors: Fte | None = Field(
        title="contractors and interims in the digital team (FTE)",
        default=None,
        description="Contractors and interims working in the digital team, full-time "
        "equivalent (empty when not recorded).",
    )
    updated_on: RegisterDate | None = Field(
        title="recorded on", default=None, description="When these figures were last recorded."
    )

    @property
    def staffing_recorded(self) -> bool:
        """True when any of the three staffing figures is recorded."""
        return any(
            v is not None for v in (self.digital_staff, self.commercial_staff, self.contractors)
        )


class Register(_Model):
    """A whole register, or part of one, as moved in and out in JSON."""

    model_config = ConfigDict(
        title="supplier-register interchange",
        extra="forbid",
        json_schema_extra={
            "$id": "https://example.invalid/supplier-register/register.schema.json",
        },
    )

    format: Literal["supplier-register"] = "supplier-register"
    format_version: Literal[1, 2, 3, 4] = 4
    trust: Name | None = Field(
        default=None, description="Name of the trust (or ICS) whose register this is."
    )
    profile: TrustProfile | None = Field(
        default=None,
        description="The trust's profile (ICS, digital and commercial staffing); when absent or "
        "null, an import leaves the stored profile as it is.",
    )
    people: list[Person] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
    provenance: list[ImportSource] = Field(
        default_factory=list,
        description="Where imported suppliers and contracts came from (format version 4).",
    )
    identifiers: list[SupplierIdentifier] = Field(
        default_factory=list,
        description="Organisation identifiers imports matched suppliers by (format version 4).",
    )


# Records as stored: the domain model plus its database identity and version.


class PersonRecord(Person):
    """A stored person."""

    id: int
    version: int = 1


class SupplierRecord(Supplier):
    """A stored supplier."""

    id: int
    version: int = 1


class ContractRecord(Contract):
    """A stored contract."""

    id: int
    supplier_id: int
    version: int = 1


class AnswerRecord(Answer):
    """A stored answer."""

    id: int
    supplier_id: int
    version: int = 1


class ServiceRecord(Service):
    """A stored service."""

    id: int
    version: int = 1


class TrustProfileRecord(TrustProfile):
    """The stored trust profile (one per register)."""

    version: int = 1


class DependencyRecord(Dependency):
    """A stored dependency of one supplier on another."""

    id: int
    supplier_id: int
    depends_on_id: int
    version: int = 1
