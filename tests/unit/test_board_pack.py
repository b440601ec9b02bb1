"""The board pack's three lists (scoring/board.py): decisions, board questions, actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from supplier_register.domain.enums import Criticality
from supplier_register.scoring.board import (
    REVIEW_TEXT_LIMIT,
    BoardPack,
    Decision,
    ManagementAction,
    board_pack,
    days_text,
    deadline,
    decisions_scope,
    span,
    told_together,
)
from supplier_register.scoring.config import BoardConfig
from supplier_register.scoring.results import DecisionFact, SupplierOverview
from supplier_register.scoring.text import long_date
from tests.support.scoring_fixtures import NAME, TODAY, clean_contract, clean_supplier, score_of
from tests.support.scoring_fixtures import clean_register as _clean

Data = dict[str, Any]


def _pack(data: Data, today: dt.date = TODAY, **config: Any) -> BoardPack:
    from supplier_register.domain.models import Register
    from tests.support.oracles import score_register

    scores = score_register(Register.model_validate(data), today=today)
    overviews = [SupplierOverview.of(s) for s in scores.suppliers]
    return board_pack(
        overviews,
        scores.top_questions,
        today=today,
        config=BoardConfig(**config),
        horizon_days=182,
        owner_of=lambda o: f"owner of {o.supplier}",
    )


def _fact(**changes: Any) -> DecisionFact:
    values: dict[str, Any] = {
        "kind": "decide_by",
        "contract": "EPR",
        "date": dt.date(2025, 7, 4),
        "end_date": dt.date(2026, 12, 31),
        "notice_by": dt.date(2026, 7, 4),
        "auto_renewal": False,
        "latest_end": None,
        "migration_days": 365,
    }
    values.update(changes)
    return DecisionFact(**values)


def test_days_in_words() -> None:
    assert days_text(-504) == "overdue by 504 days"
    assert days_text(-1) == "overdue by 1 day"
    assert days_text(0) == "today"
    assert days_text(5) == "in 5 days"


def test_what_happens_if_a_decide_by_date_is_missed() -> None:
    soon = deadline(_fact(), NAME, TODAY).consequence
    assert "after 4 July 2025 the only option left is to extend or renew" in soon
    assert "moving to another supplier takes 1 year" in soon
    late = deadline(_fact(date=dt.date(2025, 6, 1)), NAME, TODAY).consequence
    assert "already too late to leave in time" in late


def test_an_auto_renewal_can_still_be_stopped_after_its_decide_by_date() -> None:
    fact = _fact(date=dt.date(2025, 6, 1), notice_by=dt.date(2025, 7, 31), auto_renewal=True)
    said = deadline(fact, NAME, TODAY)
    assert said.date == dt.date(2025, 6, 1)  # the decision is overdue ...
    assert "can still be given until 31 July 2025" in said.consequence  # ... notice is not
    assert "renews automatically when its term ends on 31 December 2026" in said.consequence
    gone = deadline(
        _fact(date=dt.date(2025, 1, 1), notice_by=dt.date(2025, 2, 1), auto_renewal=True),
        NAME,
        TODAY,
    )
    assert "passed on 1 February 2025" in gone.consequence


def test_an_ended_contract_still_in_use_is_a_decision_dated_by_its_end() -> None:
    fact = _fact(kind="ended_in_use", date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 1))
    said = deadline(fact, NAME, TODAY)
    assert said.kind == "ended_in_use"
    assert "ended on 1 January 2025" in said.consequence


def _two_suppliers(low_criticality: str = "low") -> Data:
    data = _clean()
    data["contracts"][0].update(end_date="2025-12-31")  # decide-by passed (strategic)
    data["suppliers"].append(clean_supplier("Small Co", criticality=low_criticality))
    data["contracts"].append(clean_contract("Small Co", end_date="2025-12-31"))
    return data


def test_the_board_decides_for_critical_suppliers_the_team_for_the_others() -> None:
    pack = _pack(_two_suppliers())
    assert [d.supplier for d in pack.decisions] == [NAME]
    [decision] = pack.decisions
    assert decision.overdue and decision.owner == f"owner of {NAME}"
    assert decision.action.startswith(
        f"Decide whether to renew or leave our contract 'EPR' with {NAME}"
    )
    small = [a for a in pack.actions if a.supplier == "Small Co" and a.kind == "decide"]
    assert len(small) == 1
    assert small[0].due == decision.date  # the same date, the team's to act on
    # The threshold is the config's.
    wider = _pack(_two_suppliers(), decisions_from=Criticality.LOW)
    assert {d.supplier for d in wider.decisions} == {NAME, "Small Co"}
    assert not [a for a in wider.actions if a.kind == "decide"]


def test_a_strategic_supplier_without_an_exit_plan_is_told_to_commission_one() -> None:
    data = _two_suppliers()
    for answer in data["answers"]:
        if answer["question_id"] == "exit.plan_exists":
            answer["answer"] = "no"
    [decision] = _pack(data).decisions
    assert decision.exit_plan == "no"
    assert decision.action.endswith("and commission an exit plan first")
    assert "no exit plan" in decision.consequence
    [with_plan] = _pack(_two_suppliers()).decisions
    assert with_plan.exit_plan == "yes"
    assert "exit plan" not in with_plan.action


def _with_exit_plan(answer: str) -> Decision:
    data = _two_suppliers()
    for recorded in data["answers"]:
        if recorded["question_id"] == "exit.plan_exists":
            recorded["answer"] = answer
    [decision] = _pack(data).decisions
    return decision


def test_an_exit_plan_is_only_called_missing_when_the_register_says_so() -> None:
    partly = _with_exit_plan("partly")
    assert partly.action.endswith("and commission an exit plan first")
    assert "The register records that the exit plan is only partly in place" in (partly.consequence)
    # Unknown stays unknown: the register does not say there is no plan.
    unknown = _with_exit_plan("unknown")
    assert unknown.exit_plan == "unknown"
    assert "commission" not in unknown.action
    assert unknown.action.endswith("and first find out whether there is an exit plan")
    assert "does not record whether there is an exit plan" in unknown.consequence
    assert "not known" not in unknown.consequence
    # An exit plan that does not apply is not asked for.
    not_applicable = _with_exit_plan("not_applicable")
    assert "exit plan" not in not_applicable.action
    assert "exit plan" not in not_applicable.consequence
    assert "n/a" not in not_applicable.consequence


def test_decisions_urgent_first_then_the_most_critical_then_the_soonest() -> None:
    data = _clean()
    data["contracts"][0].update(end_date="2026-12-31")  # decide-by 4 July 2025: in 4 days
    for name, criticality, end in [
        ("High Overdue", "high", "2025-11-30"),  # decide-by passed
        ("High Later", "high", "2027-01-31"),  # decide-by in about two months
        ("Strategic Later", "strategic", "2027-03-31"),
    ]:
        data["suppliers"].append(clean_supplier(name, criticality=criticality))
        data["contracts"].append(clean_contract(name, end_date=end))
    pack = _pack(data)
    order = [d.supplier for d in pack.decisions]
    assert order == [NAME, "High Overdue", "Strategic Later", "High Later"]
    assert [d.days_left for d in pack.decisions][:2] == [4, pack.decisions[1].days_left]
    assert pack.decisions[1].overdue


def test_unknowns_become_one_find_out_action_per_supplier() -> None:
    data = _clean()
    data["answers"] = data["answers"][:5]
    pack = _pack(data)
    assert not [q for q in pack.questions if "do not yet know" in q.text]
    [action] = [a for a in pack.actions if a.kind == "find_out"]
    assert action.text.startswith(f"Find out for {NAME}: ")
    assert len(action.unknowns) == 3
    assert f"{action.gap_count - 3} more unknowns" in action.text
    assert action.due == TODAY + dt.timedelta(days=91)
    assert action.owner == f"owner of {NAME}"


def test_a_find_out_falls_due_before_the_decision_it_informs() -> None:
    data = _clean()
    data["answers"] = data["answers"][:5]
    data["contracts"][0].update(end_date="2026-12-31")  # decide-by 4 July 2025
    [action] = [a for a in _pack(data).actions if a.kind == "find_out"]
    assert action.due == dt.date(2025, 7, 4)


def test_a_review_records_a_short_action() -> None:
    long = ManagementAction(
        supplier=NAME,
        criticality=Criticality.HIGH,
        kind="find_out",
        unknowns=tuple(f"whether something long is true ({n})" for n in range(40)),
        gap_count=40,
        due=TODAY,
        owner=None,
        priority=1.0,
    )
    assert len(long.review_text) <= REVIEW_TEXT_LIMIT
    assert long.review_text.endswith("…")
    # A decide action's review text is its first sentence, whole even when a name holds '. '.
    data = _clean()
    data["suppliers"].append(clean_supplier("Smith & Co. Ltd", criticality="low"))
    data["contracts"].append(clean_contract("Smith & Co. Ltd", end_date="2025-12-31"))
    [decide] = [a for a in _pack(data).actions if a.kind == "decide"]
    assert decide.text.startswith(decide.review_text + " ")
    assert decide.review_text == (
        "Decide whether to renew or leave our contract 'EPR' with Smith & Co. Ltd "
        f"({long_date(decide.due)})."
    )


def test_overview_carries_what_the_pack_needs() -> None:
    data = _clean()
    data["answers"] = data["answers"][:5]
    data["contracts"][0].update(end_date="2025-12-31")
    score = score_of(data)
    overview = SupplierOverview.of(score)
    assert overview.decisions == tuple(score.decisions)
    assert overview.gap_phrases == tuple(score.gap_phrases[:3])
    assert overview.gap_priority == score.gap_priority > 0


def test_lengths_of_time_in_words() -> None:
    assert span(30) == "30 days"
    assert span(270) == "270 days (about 9 months)"
    assert span(1095) == "3 years"


def test_contracts_with_the_same_outcome_are_told_together() -> None:
    first = deadline(_fact(date=dt.date(2025, 6, 1)), NAME, TODAY)
    second = deadline(
        _fact(contract="Integration", date=dt.date(2025, 5, 1), migration_days=180), NAME, TODAY
    )
    told = told_together([first, second])
    assert told.count("already too late to leave in time") == 1
    assert "'EPR' ends on 31 December 2026" in told and "'Integration' ends" in told
    assert told.startswith("'EPR' ends")
    assert ": in both cases it is already too late to leave in time" in told
    third = deadline(
        _fact(contract="Archive", date=dt.date(2025, 4, 1), migration_days=90), NAME, TODAY
    )
    assert ": in each case it is already too late" in told_together([first, second, third])
    assert ": it is already too late" in told_together([first])


def test_an_ended_contract_is_told_as_ended_not_overdue() -> None:
    data = _clean()
    data["contracts"][0].update(end_date="2025-06-01")  # ended, the service still in use
    decisions = _pack(data).decisions
    ended = [d for d in decisions if d.kind == "ended_in_use"]
    assert ended, decisions
    days = (TODAY - ended[0].date).days
    assert ended[0].when == f"ended {days} days ago"
    assert ended[0].action == (
        f"Put a new contract in place with {NAME}: our contract 'EPR' ended but the service "
        "is still in use"
    )


def test_a_less_critical_ended_contract_is_an_action_that_says_when_it_ended() -> None:
    data = _clean()
    data["suppliers"].append(clean_supplier("Small Co", criticality="low"))
    data["contracts"].append(clean_contract("Small Co", end_date="2025-06-01"))
    [action] = [a for a in _pack(data).actions if a.kind == "decide"]
    assert action.review_text == (
        "Put a new contract in place with Small Co: our contract 'EPR' ended on 1 June 2025 "
        "but the service is still in use."
    )
    assert action.text.count("ended") == 2  # the headline, then the consequence


def test_whose_contracts_the_board_decides_on_in_words() -> None:
    assert decisions_scope(Criticality.STRATEGIC) == "strategic suppliers"
    assert decisions_scope(Criticality.HIGH) == "high-criticality and strategic suppliers"
    assert decisions_scope(Criticality.MEDIUM) == "suppliers of medium criticality or above"
    assert decisions_scope(Criticality.LOW) == "suppliers of low criticality or above"


def test_two_unknowns_read_as_a_pair_three_as_a_list() -> None:
    import dataclasses

    data = _clean()
    data["answers"] = data["answers"][:5]
    overview = SupplierOverview.of(score_of(data))

    def text(*phrases: str) -> str:
        changed = dataclasses.replace(
            overview, gap_phrases=phrases, data_gap_count=len(phrases), decisions=()
        )
        pack = board_pack(
            [changed],
            [],
            today=TODAY,
            config=BoardConfig(),
            horizon_days=182,
            owner_of=lambda o: None,
        )
        [action] = pack.actions
        return action.text

    assert text("whether a", "whether b") == f"Find out for {NAME}: whether a and whether b."
    assert text("whether a", "whether b", "whether c") == (
        f"Find out for {NAME}: whether a; whether b; and whether c."
    )
    assert text("whether a") == f"Find out for {NAME}: whether a."


def test_a_contracts_notice_date_is_never_guessed() -> None:
    from supplier_register.domain.models import Contract

    base = {
        **clean_contract(),
        "end_date": dt.date(2026, 12, 31),
        "notice_period_days": None,
    }
    assert Contract(**{**base, "notice_period_days": 90}).notice_by() == dt.date(2026, 10, 2)
    assert Contract(**base).notice_by() is None  # no notice period recorded
    no_end = {**base, "end_date": None, "start_date": None, "notice_period_days": 90}
    assert Contract(**no_end).notice_by() is None
