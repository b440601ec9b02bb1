"""The pure deadlines list: each kind from its recorded dates, nothing guessed, soonest first."""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.models import ContractRecord, SupplierRecord
from supplier_register.scoring.deadlines import deadlines

TODAY = dt.date(2026, 11, 26)


def supplier(sid: int, name: str, **fields: object) -> SupplierRecord:
    return SupplierRecord.model_validate(
        {"id": sid, "name": name, "category": "epr", "criticality": "high", **fields}
    )


def contract(cid: int, sid: int, name: str, title: str, **fields: object) -> ContractRecord:
    return ContractRecord.model_validate(
        {
            "id": cid,
            "supplier_id": sid,
            "supplier": name,
            "title": title,
            "what_is_bought": "commodity",
            "contract_type": "subscription_saas",
            **fields,
        }
    )


def test_each_kind_from_recorded_dates_soonest_first() -> None:
    suppliers = [supplier(1, "Acme", last_review=dt.date(2026, 3, 1))]  # high: every 6 months
    contracts = [
        contract(
            7,
            1,
            "Acme",
            "EPR",
            end_date=dt.date(2027, 3, 31),
            notice_period_days=90,
            migration_lead_time_days=30,
            auto_renewal=True,
        )
    ]
    found = deadlines(suppliers, contracts, TODAY)
    assert [(d.kind, d.date, d.days_left, d.overdue) for d in found] == [
        ("review_due", dt.date(2026, 9, 1), -86, True),
        ("decide_by", dt.date(2026, 12, 1), 5, False),
        ("notice_by", dt.date(2026, 12, 31), 35, False),
        ("contract_end", dt.date(2027, 3, 31), 125, False),
    ]
    notice = found[2]
    assert (notice.supplier, notice.contract, notice.contract_id) == ("Acme", "EPR", 7)
    assert notice.meaning == (
        "'EPR' renews automatically on 31 March 2027 unless notice (90 days) is given by "
        "31 December 2026."
    )
    assert found[0].contract is None
    assert found[0].meaning == (
        "The relationship with Acme is reviewed every 6 months; the last review was on "
        "1 March 2026, so the next was due on 1 September 2026."
    )
    assert found[1].meaning == (
        "Decide by 1 December 2026 whether to renew or leave 'EPR': it ends on 31 March 2027 "
        "and needs 90 days' notice and 30 days to move to another supplier."
    )
    later = deadlines(suppliers, contracts, dt.date(2027, 1, 5))
    assert [(d.kind, d.overdue) for d in later[1:3]] == [("decide_by", True), ("notice_by", True)]
    assert later[1].meaning.startswith(
        "The last day to decide whether to renew or leave 'EPR' was 1 December 2026: it ends"
    )
    assert later[2].meaning == (
        "The last day to give notice (90 days) on 'EPR' was 31 December 2026: it renews "
        "automatically on 31 March 2027."
    )
    assert len({d.key for d in found}) == 4


def test_unknown_dates_give_no_deadline() -> None:
    suppliers = [supplier(1, "Acme")]  # no review recorded
    contracts = [
        contract(1, 1, "Acme", "No end"),  # no end date
        # an end but neither notice nor migration: only the end, no guessed decide-by
        contract(2, 1, "Acme", "Bare", end_date=dt.date(2027, 1, 31), auto_renewal=True),
    ]
    found = deadlines(suppliers, contracts, TODAY)
    assert [(d.kind, d.contract) for d in found] == [("contract_end", "Bare")]


def test_auto_renewal_needs_a_notice_period_for_a_notice_date() -> None:
    contracts = [
        contract(
            1,
            1,
            "Acme",
            "C",
            end_date=dt.date(2027, 1, 31),
            migration_lead_time_days=10,
            auto_renewal=True,
        )
    ]
    found = deadlines([supplier(1, "Acme")], contracts, TODAY)
    assert [d.kind for d in found] == ["decide_by", "contract_end"]
    assert "notice period is not recorded" in found[0].meaning


def test_days_window_keeps_everything_overdue_and_drops_ended_contracts() -> None:
    suppliers = [supplier(1, "Acme", last_review=dt.date(2020, 1, 1))]
    contracts = [
        contract(1, 1, "Acme", "Later", end_date=dt.date(2027, 6, 30)),
        contract(2, 1, "Acme", "Ended", end_date=dt.date(2026, 1, 31), notice_period_days=30),
        contract(3, 1, "Acme", "Soon", end_date=dt.date(2026, 12, 10)),
    ]
    found = deadlines(suppliers, contracts, TODAY, days=30)
    assert [(d.kind, d.contract, d.overdue) for d in found] == [
        ("review_due", None, True),
        ("contract_end", "Soon", False),
    ]
    assert len(deadlines(suppliers, contracts, TODAY)) == 3


def test_stored_dates_at_the_calendar_edge_never_raise() -> None:
    # values a release writing outside the limits could have stored (read without validation)
    far = supplier(1, "Far", review_cadence_months=12).model_copy(
        update={"last_review": dt.date(9999, 6, 1)}
    )
    edge = contract(1, 1, "Far", "Edge", auto_renewal=True).model_copy(
        update={
            "end_date": dt.date(1, 1, 2),
            "notice_period_days": 3650,
            "migration_lead_time_days": 3650,
        }
    )
    found = deadlines([far], [edge], dt.date(1, 1, 1))
    assert {d.kind for d in found} == {"review_due", "decide_by", "notice_by", "contract_end"}
    assert all(d.date >= dt.date(1, 1, 1) for d in found)


def test_decide_by_equal_to_notice_by_is_listed_once() -> None:
    contracts = [
        contract(
            1,
            1,
            "Acme",
            "C",
            end_date=dt.date(2027, 1, 31),
            notice_period_days=30,
            auto_renewal=True,
        ),
        contract(2, 1, "Acme", "D", end_date=dt.date(2027, 1, 31), notice_period_days=30),
    ]
    found = deadlines([supplier(1, "Acme")], contracts, TODAY)
    assert [(d.kind, d.contract) for d in found] == [
        ("notice_by", "C"),
        ("decide_by", "D"),
        ("contract_end", "C"),
        ("contract_end", "D"),
    ]
