"""Hand-built registers and scores for the report tests (no scoring engine involved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Contract, Person, Register, Supplier
from supplier_register.scoring.results import (
    Band,
    BoardQuestion,
    Dimension,
    DimensionScore,
    Finding,
    KeyQuestion,
    RegisterScores,
    SupplierScore,
)

TODAY = dt.date(2026, 11, 26)

PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
    "\n=3",
    "<script>alert(1)</script>",
    '" onmouseover="x',
]
"""Formula-injection and markup payloads; every export must show them literally."""

HOSTILE_SUPPLIER = '=HYPERLINK("http://x")'
SCRIPT_SUPPLIER = "<script>alert(1)</script>"
MARKUP_SUPPLIER = "Acme [UK] *Ltd* | `x` _y_ & <b>"


def finding(
    supplier: str,
    title: str,
    points: float = 3.0,
    *,
    dimension: Dimension = Dimension.EXIT,
    key_question: KeyQuestion = KeyQuestion.IF_WRONG,
    contract: str | None = None,
    explanation: str = "Leaving would take longer than the notice allows.",
    data_gap: bool = False,
    code: str | None = None,
) -> Finding:
    return Finding(
        code=code or f"rule.{title.lower()[:12]}",
        supplier=supplier,
        contract=contract,
        dimension=dimension,
        key_question=key_question,
        points=points,
        title=title,
        explanation=explanation,
        reference="Keep your options open",
        data_gap=data_gap,
    )


def question(supplier: str, text: str, criticality: Criticality, priority: float) -> BoardQuestion:
    return BoardQuestion(
        supplier=supplier,
        key_question=KeyQuestion.IF_WRONG,
        text=text,
        priority=priority,
        criticality=criticality,
        finding_codes=["rule.x"],
    )


def supplier_score(
    name: str,
    criticality: Criticality,
    score: int,
    band: Band,
    findings: Sequence[Finding] = (),
    questions: Sequence[BoardQuestion] = (),
    *,
    dims: dict[Dimension, int] | None = None,
    decide_by: dt.date | None = None,
    contract: str | None = None,
    model: dict[str, Any] | None = None,
) -> SupplierScore:
    """A score as the engine would give it; ``model`` holds its model-2 figures (impact, exposure,
    confidence, risk_low, risk_high, impact_reasons), the defaults when not given."""
    dims = dims or {d: min(100, score + i) for i, d in enumerate(Dimension)}
    return SupplierScore(
        supplier=name,
        criticality=criticality,
        score=score,
        band=band,
        dimensions=[
            DimensionScore(dimension=d, score=s, points=s / 10, max_points=10)
            for d, s in dims.items()
        ],
        findings=list(findings),
        data_gaps=[f for f in findings if f.data_gap],
        questions=list(questions),
        next_decide_by=decide_by,
        next_decide_by_contract=contract,
        **(model or {}),
    )


def hostile_register() -> Register:
    """Three suppliers whose names and owners are injection and markup payloads."""
    return Register(
        people=[
            Person(name="-1+2", role="cio_cdo"),
            Person(name='" onmouseover="x', role="senior_manager"),
        ],
        suppliers=[
            Supplier(
                name=HOSTILE_SUPPLIER,
                category="epr",
                criticality="strategic",
                owner="-1+2",
                annual_spend="1250000.50",
                last_review=dt.date(2026, 6, 1),
            ),
            Supplier(
                name=SCRIPT_SUPPLIER,
                category="cloud_hosting",
                criticality="high",
                owner='" onmouseover="x',
            ),
            Supplier(name=MARKUP_SUPPLIER, category="devices", criticality="low"),
        ],
        contracts=[
            Contract(
                supplier=HOSTILE_SUPPLIER,
                title="@SUM(A1)",
                what_is_bought="configurable_product",
                contract_type="subscription_saas",
                end_date=dt.date(2027, 3, 31),
                notice_period_days=180,
            )
        ],
    )


HOSTILE_MODEL: dict[str, Any] = {
    "impact": 4.4,
    "exposure": 0.93,
    "confidence": 0.75,
    "risk_low": 80,
    "risk_high": 84,
    "impact_reasons": [
        "Strategic criticality: impact 4 of 5",
        "+0.2: it supports 1 clinical service (<script>alert(2)</script>)",
        "+0.2: =SUM(A1) other suppliers depend on it",
    ],
}
"""The hostile supplier's model-2 figures; a reason carries markup, as a service name could."""


def hostile_scores() -> RegisterScores:
    a = HOSTILE_SUPPLIER
    s = SCRIPT_SUPPLIER
    m = MARKUP_SUPPLIER
    scores = [
        supplier_score(
            a,
            Criticality.STRATEGIC,
            82,
            Band.SEVERE,
            [
                finding(a, "+1", 6, contract="@SUM(A1)"),
                finding(a, "\t=1", 4, data_gap=True, code="options.bulk_export"),
                finding(a, "Auto-renews", 2),
                finding(a, "Fourth", 1),
            ],
            [question(a, "\r=2 What if it fails?", Criticality.STRATEGIC, 24.0)],
            decide_by=dt.date(2026, 10, 2),
            contract="@SUM(A1)",
            model=HOSTILE_MODEL,
        ),
        supplier_score(
            s,
            Criticality.HIGH,
            55,
            Band.HIGH,
            [finding(s, "<b>bold</b>", 5, explanation='" onmouseover="x')],
            [question(s, "\n=3 <i>really</i>?", Criticality.HIGH, 15.0)],
            decide_by=dt.date(2027, 2, 1),
            contract="Hosting",
        ),
        supplier_score(m, Criticality.LOW, 10, Band.LOW),
    ]
    top = [q for sc in scores for q in sc.questions]
    return RegisterScores(today=TODAY, suppliers=scores, top_questions=top)
