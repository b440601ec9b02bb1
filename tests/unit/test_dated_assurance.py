"""Dated assurance: the DSPT year rule, expiry and review dates, and the findings they make."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from pydantic import ValidationError

from supplier_register.domain.assurance import (
    dated,
    dspt_due,
    latest_dspt_due,
    parse_dspt_year,
)
from supplier_register.domain.bounds import STORED
from supplier_register.domain.models import Supplier, SupplierRecord
from supplier_register.scoring import SupplierScore
from supplier_register.scoring.deadlines import deadlines
from supplier_register.scoring.validity import DayValidity
from tests.support.scoring_fixtures import TODAY, change_supplier, clean_register, score_of

CODE = "rule.assurance_lapsed"


def scored(today: dt.date = TODAY, **changes: Any) -> SupplierScore:
    data = clean_register()
    change_supplier(data["suppliers"][0], **changes)
    return score_of(data, today=today)


def lapses(score: SupplierScore) -> list[str]:
    return [f.title for f in score.findings if f.code == CODE and not f.data_gap]


def gaps(score: SupplierScore) -> list[str]:
    return [f.title for f in score.findings if f.code == CODE and f.data_gap]


# --- the domain: years and dates ------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024-25", "2024/25", " 2024 - 2025 ", "2024-2025"])
def test_a_dspt_year_is_written_the_usual_way(text: str) -> None:
    assert parse_dspt_year(text) == "2024-25"
    assert parse_dspt_year("2099-00") == "2099-00"


@pytest.mark.parametrize("text", ["2024", "2024-26", "24-25", "2024-2026", "1999-00", "next"])
def test_a_dspt_year_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="must be"):
        parse_dspt_year(text)


def test_the_latest_dspt_year_due_turns_on_30_june() -> None:
    assert latest_dspt_due(dt.date(2026, 6, 29)) == "2024-25"
    assert latest_dspt_due(dt.date(2026, 6, 30)) == "2025-26"
    assert latest_dspt_due(dt.date(2026, 12, 7)) == "2025-26"
    assert latest_dspt_due(dt.date(2027, 1, 1)) == "2025-26"


def supplier(**fields: object) -> Supplier:
    values: dict[str, object] = {"name": "Acme", "category": "epr", "criticality": "high"}
    return Supplier.model_validate(values | fields)


def test_each_dated_assurance_held_gives_its_due_date() -> None:
    s = supplier(
        dspt_status="standards_met",
        dspt_year="2024-25",
        cyber_essentials="plus",
        cyber_essentials_expiry="2026-03-03",
        dtac_complete=True,
        dtac_date="2025-09-01",
        clinical_safety_case=True,
        clinical_safety_case_date="2025-02-28",
        clinical_risk_assessment=True,
        clinical_risk_assessment_date="2024-02-29",
        dpia_done=True,
        dpia_date="2025-01-31",
        pen_test_date="2025-12-01",
    )
    assert [(d.item, d.due, d.what) for d in dated(s)] == [
        ("dspt", dt.date(2026, 6, 30), "DSPT 2025-26 submission"),
        ("cyber_essentials", dt.date(2026, 3, 3), "Cyber Essentials Plus certificate"),
        ("dtac", dt.date(2026, 9, 1), "DTAC assessment review"),
        ("clinical_safety_case", dt.date(2026, 2, 28), "DCB0129 clinical safety case review"),
        (
            "clinical_risk_assessment",
            dt.date(2025, 2, 28),
            "DCB0160 clinical risk assessment review",
        ),
        ("dpia", dt.date(2026, 1, 31), "DPIA review"),
        ("pen_test", dt.date(2026, 12, 1), "penetration test"),
    ]


def test_no_date_and_no_assurance_held_give_no_due_date() -> None:
    assert dated(supplier()) == []
    assert dated(supplier(dspt_status="standards_met", cyber_essentials="plus")) == []
    # A status not held has nothing to lapse (its own finding says so).
    assert dated(supplier(dspt_status="standards_not_met", dspt_year="2020-21")) == []
    stored = Supplier.model_validate(
        {
            "name": "Acme",
            "category": "epr",
            "criticality": "high",
            "cyber_essentials": "none",
            "cyber_essentials_expiry": "2025-01-01",
            "dtac_complete": False,
            "dtac_date": "2025-01-01",
            "dspt_status": "standards_met",
            "dspt_year": "rubbish",
        },
        context=STORED,
    )
    assert dated(stored) == []
    assert dspt_due(stored) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"dtac_date": "2025-01-01"}, "a date needs DTAC complete to be 'yes'"),
        (
            {"clinical_safety_case": False, "clinical_safety_case_date": "2025-01-01"},
            "a date needs clinical safety case (DCB0129) to be 'yes'",
        ),
        ({"dpia_date": "2025-01-01"}, "a date needs DPIA done to be 'yes'"),
        (
            {"cyber_essentials": "none", "cyber_essentials_expiry": "2025-01-01"},
            "an expiry date needs Cyber Essentials to be 'basic' or 'plus'",
        ),
        ({"dspt_year": "2024-25"}, "a DSPT year needs the DSPT status it is for"),
        ({"pen_test_date": "1800-01-01"}, "between"),
    ],
)
def test_a_date_without_its_assurance_is_refused(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        supplier(**fields)


# --- the rule: fresh, stale, expired, undated ------------------------------------------------


def test_fresh_assurance_raises_nothing() -> None:
    score = scored()
    assert lapses(score) == [] and gaps(score) == []


def test_an_expired_certificate_is_a_finding_the_day_after_expiry() -> None:
    on_the_day = scored(cyber_essentials_expiry="2025-06-30")
    assert lapses(on_the_day) == []
    expired = scored(cyber_essentials_expiry="2025-03-03")
    assert lapses(expired) == ["Cyber Essentials Plus certificate expired"]
    finding = next(f for f in expired.findings if f.code == CODE)
    assert "certificate expired on 3 March 2025" in finding.explanation
    assert finding.points == 1.0  # weight 2, half severity: assurance lapsed, not absent
    board = [q.text for q in expired.questions if CODE in q.finding_codes]
    assert board == [
        "Acme [UK] Ltd's Cyber Essentials Plus certificate expired on 3 March 2025: has it "
        "been renewed, and what cyber assurance do we hold meanwhile?"
    ]
    basic = scored(cyber_essentials="basic", cyber_essentials_expiry="2025-03-03")
    assert lapses(basic) == ["Cyber Essentials certificate expired"]


def test_a_dspt_status_goes_stale_when_the_next_year_was_due() -> None:
    # 2023-24: the 2024-25 assessment was due by 30 June 2025 (today): still current today.
    assert lapses(scored(dspt_year="2023-24")) == []
    stale = scored(dt.date(2025, 7, 1), dspt_year="2023-24")
    assert lapses(stale) == ["DSPT status out of date"]
    text = next(f.explanation for f in stale.findings if f.code == CODE)
    assert "('Standards met') is for 2023-24" in text
    assert "2024-25 assessment was due to be published by 30 June 2025" in text
    # A bad status is its own finding (rule.dspt), never counted twice as stale.
    bad = scored(dt.date(2027, 1, 1), dspt_status="standards_not_met", dspt_year="2020-21")
    assert "DSPT status out of date" not in lapses(bad)
    assert "rule.dspt" in {f.code for f in bad.findings}


def test_reviews_and_the_pen_test_are_out_of_date_after_twelve_months() -> None:
    score = scored(
        dt.date(2026, 7, 1),
        dspt_year="2025-26",
        cyber_essentials_expiry="2026-12-31",
        dtac_date="2025-06-30",
        clinical_safety_case_date="2025-07-01",
        clinical_risk_assessment=True,
        clinical_risk_assessment_date="2025-01-10",
        dpia_done=True,
        dpia_date="2025-06-30",
        pen_test_date="2025-05-01",
    )
    assert lapses(score) == [
        "DTAC assessment out of date",
        "DCB0160 clinical risk assessment out of date",
        "DPIA out of date",
        "Penetration test overdue",
    ]
    texts = {f.title: f.explanation for f in score.findings if f.code == CODE}
    assert texts["Penetration test overdue"] == (
        "Acme [UK] Ltd's service was last penetration tested on 1 May 2025; the next test was "
        "due by 1 May 2026."
    )
    assert (
        "is dated 30 June 2025 and was due for review on 30 June 2026" in texts["DPIA out of date"]
    )


def test_a_held_assurance_without_its_date_is_a_data_gap_not_a_weakness() -> None:
    score = scored(
        dspt_year=None,
        cyber_essentials_expiry=None,
        dtac_date=None,
        clinical_safety_case_date=None,
        clinical_risk_assessment=True,
        dpia_done=True,
    )
    assert lapses(score) == []
    assert gaps(score) == [
        "Not known: which year the supplier's DSPT status ('Standards met') is for",
        "Not known: when the supplier's Cyber Essentials Plus certificate expires",
        "Not known: when the DTAC assessment was done",
        "Not known: the date of the supplier's DCB0129 clinical safety case",
        "Not known: the date of the trust's DCB0160 clinical risk assessment",
        "Not known: the date of the DPIA",
    ]
    assert not [q for q in score.questions if CODE in q.finding_codes]
    # Unknown status, or no assurance held: nothing to date, so no gap from this rule.
    none_held = scored(
        dspt_status="unknown",
        cyber_essentials="none",
        dtac_complete=None,
        clinical_safety_case=False,
    )
    assert gaps(none_held) == [] and lapses(none_held) == []


def test_a_low_criticality_supplier_is_not_held_to_it() -> None:
    score = scored(
        criticality="low",
        owner="Cat Manager",
        runs_clinical_systems=False,
        cyber_essentials_expiry="2025-01-01",
        pen_test_date="2020-01-01",
        dtac_date=None,
    )
    assert lapses(score) == [] and gaps(score) == []


def test_the_score_holds_until_the_next_assurance_lapses() -> None:
    validity = DayValidity()
    s = Supplier.model_validate(
        change_supplier(
            clean_register()["suppliers"][0],
            cyber_essentials_expiry="2025-09-30",
            pen_test_date="2024-12-01",
            last_review=None,
        )
    )
    assert validity.next_change(s, [], [], TODAY) == dt.date(2025, 10, 1)  # the certificate
    assert validity.next_change(s, [], [], dt.date(2025, 10, 1)) == dt.date(2025, 12, 2)  # test
    assert validity.next_change(s, [], [], dt.date(2025, 12, 2)) == dt.date(2026, 1, 16)  # DTAC
    # the DCB0129 case dated 1 March 2025 is due on 1 March 2026, out of date the day after
    assert validity.next_change(s, [], [], dt.date(2026, 1, 16)) == dt.date(2026, 3, 2)
    assert validity.next_change(s, [], [], dt.date(2026, 3, 2)) == dt.date(2026, 7, 1)  # DSPT


# --- deadlines: each dated assurance falls due ----------------------------------------------

DUE_DAY = dt.date(2026, 12, 7)


def record(sid: int, name: str, **fields: object) -> SupplierRecord:
    return SupplierRecord.model_validate(
        {"id": sid, "name": name, "category": "epr", "criticality": "low", **fields}
    )


def test_each_dated_assurance_is_a_deadline_with_what_falls_due() -> None:
    acme = record(
        1,
        "Acme",
        dspt_status="standards_met",
        dspt_year="2024-25",
        cyber_essentials="plus",
        cyber_essentials_expiry="2026-03-03",
        dtac_complete=True,
        dtac_date="2026-02-10",
        clinical_risk_assessment=True,
        clinical_risk_assessment_date="2026-01-20",
        pen_test_date="2026-05-18",
    )
    found = [d for d in deadlines([acme], [], DUE_DAY, None) if d.kind == "assurance_expiry"]
    assert [(d.date, d.what, d.overdue, d.key) for d in found] == [
        (
            dt.date(2026, 3, 3),
            "assurance expires: Cyber Essentials Plus certificate",
            True,
            "assurance_expiry-supplier-1-cyber_essentials",
        ),
        (
            dt.date(2026, 6, 30),
            "assurance expires: DSPT 2025-26 submission",
            True,
            "assurance_expiry-supplier-1-dspt",
        ),
        (
            dt.date(2027, 1, 20),
            "assurance expires: DCB0160 clinical risk assessment review",
            False,
            "assurance_expiry-supplier-1-clinical_risk_assessment",
        ),
        (
            dt.date(2027, 2, 10),
            "assurance expires: DTAC assessment review",
            False,
            "assurance_expiry-supplier-1-dtac",
        ),
        (
            dt.date(2027, 5, 18),
            "assurance expires: penetration test",
            False,
            "assurance_expiry-supplier-1-pen_test",
        ),
    ]
    meanings = [d.meaning for d in found]
    assert meanings == [
        "Acme's Cyber Essentials Plus certificate expired on 3 March 2026.",
        "Acme's DSPT 2025-26 submission was due to be published by 30 June 2026 (the status "
        "recorded, 'Standards met', is for 2024-25).",
        "The DCB0160 clinical risk assessment for Acme, dated 20 January 2026, is due for "
        "review on 20 January 2027.",
        "The DTAC assessment for Acme, dated 10 February 2026, is due for review on 10 "
        "February 2027.",
        "Acme's next penetration test is due by 18 May 2027; the last was on 18 May 2026.",
    ]
    # Within 90 days: the two overdue, the DCB0160 (44 days) and DTAC (65) reviews; not the test.
    window = [d.detail for d in deadlines([acme], [], DUE_DAY, 90)]
    assert window == [
        "Cyber Essentials Plus certificate",
        "DSPT 2025-26 submission",
        "DCB0160 clinical risk assessment review",
        "DTAC assessment review",
    ]


def test_no_date_or_no_assurance_gives_no_assurance_deadline() -> None:
    undated = record(
        2, "Beta", dspt_status="standards_met", cyber_essentials="plus", dtac_complete=True
    )
    not_held = record(3, "Gamma", dspt_status="standards_not_met", dspt_year="2024-25")
    assert deadlines([undated, not_held], [], DUE_DAY, None) == []
