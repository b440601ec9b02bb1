"""The days a score holds for: checked day by day against scoring itself, and kept complete."""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import pytest

from supplier_register.domain.bounds import STORED
from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Answer, Contract, Register, Supplier
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.register_scoring import cached_first_rows, prepare_scoring
from supplier_register.scoring import Scorer, ScoringConfig, ScoringContext
from supplier_register.scoring.context import key
from supplier_register.scoring.engine import OverviewEntry
from supplier_register.scoring.validity import DATE_LOGIC, DayValidity
from supplier_register.services.register_view import BOARD_KEPT, Scoring, read_records
from supplier_register.storage import Repository, open_database
from supplier_register.synthetic import generate_register

TODAY = dt.date(2026, 11, 26)
DAY = dt.timedelta(days=1)


# --- exact boundaries, one kind at a time ------------------------------------------------------


# Records as stored: a register written by an older release may hold dates outside today's window
# (the edges of the calendar below), which scoring must still handle.


def supplier(**fields: object) -> Supplier:
    values: dict[str, object] = {"name": "Acme", "category": "epr", "criticality": "high"}
    return Supplier.model_validate(values | fields, context=STORED)


def contract(**fields: object) -> Contract:
    values: dict[str, object] = {
        "supplier": "Acme",
        "title": "EPR",
        "what_is_bought": "configurable_product",
        "contract_type": "time_and_materials",
    }
    return Contract.model_validate(values | fields, context=STORED)


def answer(question_id: str, value: str, on: dt.date | None) -> Answer:
    return Answer(supplier="Acme", question_id=question_id, answer=value, answered_on=on)


def next_change(
    contracts: Sequence[Contract] = (),
    answers: Sequence[Answer] = (),
    today: dt.date = TODAY,
    config: ScoringConfig | None = None,
    **supplier_fields: object,
) -> dt.date | None:
    return DayValidity(config).next_change(supplier(**supplier_fields), contracts, answers, today)


def test_no_date_ahead_means_no_change() -> None:
    assert next_change() is None
    assert next_change([contract(end_date=TODAY - 400 * DAY)]) is None
    assert next_change([contract()]) is None  # no end date


def test_a_contract_ending_and_its_decide_by_date() -> None:
    end = TODAY + 400 * DAY
    # decide-by = end - 30 - 60 = TODAY + 310; it comes within 182 days on TODAY + 128
    c = contract(end_date=end, notice_period_days=30, migration_lead_time_days=60)
    assert next_change([c]) == TODAY + 128 * DAY
    assert next_change([c], config=ScoringConfig(decide_by_horizon_days=90)) == TODAY + 220 * DAY
    assert next_change([c], today=TODAY + 128 * DAY) == TODAY + 311 * DAY  # passes the day after
    assert next_change([c], today=TODAY + 311 * DAY) == end + DAY  # then ends
    assert next_change([c], today=end) == end + DAY
    assert next_change([c], today=end + DAY) is None


def test_reviews_falling_due_and_missed_twice() -> None:
    last = dt.date(2026, 8, 31)  # high: every 6 months -> due 28 February 2027
    assert next_change(last_review=last) == dt.date(2027, 3, 1)
    # the second is a cadence after the first due date: 28 August
    assert next_change(last_review=last, today=dt.date(2027, 3, 1)) == dt.date(2027, 8, 29)
    assert next_change(last_review=last, review_cadence_months=1) is None  # missed twice by now
    recent = dt.date(2026, 11, 10)
    assert next_change(last_review=recent, review_cadence_months=1) == dt.date(2026, 12, 11)
    assert next_change(last_review=last, today=dt.date(2027, 9, 1)) is None


def test_a_dated_yes_going_stale() -> None:
    on = dt.date(2026, 3, 15)
    # exit.plan_tested is refreshed every 24 months and applies to strategic and high suppliers
    assert next_change(answers=[answer("exit.plan_tested", "yes", on)]) == dt.date(2028, 3, 16)
    # not a 'yes', undated, not refreshed, or not asked of a low-criticality supplier: no day
    assert next_change(answers=[answer("exit.plan_tested", "no", on)]) is None
    assert next_change(answers=[answer("exit.plan_tested", "yes", None)]) is None
    assert next_change(answers=[answer("buying.need_defined", "yes", on)]) is None
    assert next_change(answers=[answer("exit.plan_tested", "yes", on)], criticality="low") is None
    # only the latest answer to a question counts
    older = answer("exit.financial_health", "yes", dt.date(2026, 1, 10))
    newer = answer("exit.financial_health", "no", dt.date(2026, 6, 1))
    assert next_change(answers=[older]) == dt.date(2027, 1, 11)
    assert next_change(answers=[older, newer]) is None


def test_the_earliest_of_all_and_the_edges_of_the_calendar() -> None:
    contracts = [
        contract(title="A", end_date=TODAY + 900 * DAY),
        contract(title="B", end_date=TODAY + 20 * DAY),
    ]
    assert next_change(contracts, last_review=TODAY) == TODAY + 21 * DAY
    far = contract(end_date=dt.date.max, notice_period_days=1)
    assert next_change([far]) == dt.date.max - DAY - dt.timedelta(days=182)
    assert next_change([far], today=dt.date.max - DAY) == dt.date.max
    assert next_change(last_review=dt.date(9999, 10, 1)) == dt.date.max  # due past year 9999


# --- day by day against scoring itself --------------------------------------------------------


def records_of(register: Register) -> list[tuple[Supplier, list[Contract], list[Answer]]]:
    contracts: dict[str, list[Contract]] = defaultdict(list)
    answers: dict[str, list[Answer]] = defaultdict(list)
    for c in register.contracts:
        contracts[key(c.supplier)].append(c)
    for a in register.answers:
        answers[key(a.supplier)].append(a)
    return [(s, contracts[key(s.name)], answers[key(s.name)]) for s in register.suppliers]


@pytest.mark.parametrize(
    ("source", "first", "last"),
    [
        ("sample", TODAY - 120 * DAY, TODAY + 240 * DAY),
        ("generated", TODAY - 20 * DAY, TODAY + 60 * DAY),
    ],
)
def test_every_overview_holds_on_every_day_until_its_next_change(
    source: str, first: dt.date, last: dt.date
) -> None:
    """Each supplier is scored on every day of a window; for every start day in it, the entry
    (overview and board-question priorities, what the cache keeps) is the same on every day
    from the start up to its next change (or the window's end)."""
    register = (
        read_register_file(sample_register_path())
        if source == "sample"
        else generate_register(300, seed=29, today=TODAY)
    )
    scorer = Scorer()
    context = ScoringContext.build(register.people, register.suppliers, scorer.config)
    validity = DayValidity(scorer.config, scorer.bank)
    days = [first + i * DAY for i in range((last - first).days + 1)]
    records = records_of(register)
    by_day: list[list[OverviewEntry]] = [
        list(scorer.overview_entries(records, context=context, today=day)) for day in days
    ]
    changes_seen = changes_found = 0
    for index, (s, contracts, answers) in enumerate(records):
        entries = [by_day[d][index] for d in range(len(days))]
        # differs[k]: the first day index after k whose entry differs from day k's
        differs = [len(days)] * len(days)
        for k in range(len(days) - 2, -1, -1):
            differs[k] = k + 1 if entries[k + 1] != entries[k] else differs[k + 1]
        for k, start in enumerate(days):
            until = validity.next_change(s, contracts, answers, start)
            end = len(days) if until is None else min((until - first).days, len(days))
            assert end > k, (s.name, start, until)
            assert differs[k] >= end, (
                f"{s.name}: worked out on {start}, said to hold until {until}, "
                f"but differs on {days[differs[k]]}"
            )
            if end < len(days):
                changes_found += 1
                changes_seen += entries[end] != entries[k]
    # The days found are real changes, not merely safe: nearly every one changes the entry.
    assert changes_found > 50
    assert changes_seen >= 0.9 * changes_found


def test_only_the_listed_functions_compute_with_today() -> None:
    """A function of the scoring package that compares or computes with ``today`` must be in
    validity.DATE_LOGIC, and its dates covered by DayValidity.next_change."""
    found: set[str] = set()
    package = resources.files("supplier_register.scoring")
    for item in package.iterdir():
        if not item.name.endswith(".py") or item.name == "validity.py":
            continue
        tree = ast.parse(item.read_text(encoding="utf-8"))
        found |= _computing_with_today(tree, Path(item.name).stem)
    assert found == DATE_LOGIC, (
        "the scoring package's date logic changed: make DayValidity.next_change (scoring/"
        "validity.py) cover it, then list the functions in DATE_LOGIC"
    )


def _computing_with_today(tree: ast.Module, module: str) -> set[str]:
    """Functions using ``today`` (or ``x.today``) other than by passing it on to a call."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found: set[str] = set()
    for node in ast.walk(tree):
        is_today = (isinstance(node, ast.Name) and node.id == "today") or (
            isinstance(node, ast.Attribute) and node.attr == "today"
        )
        if not is_today or not isinstance(getattr(node, "ctx", None), ast.Load):
            continue
        parent = parents[node]
        if isinstance(parent, ast.keyword) or (
            isinstance(parent, ast.Call) and node in parent.args
        ):
            continue  # passed on: the callee is checked where it computes
        names = []
        walker: ast.AST | None = node
        while walker is not None:
            if isinstance(walker, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.append(walker.name)
            walker = parents.get(walker)
        found.add(".".join([module, *reversed(names)]))
    return found


# --- the cache across days: the TUI's and the exports' results as without it -----------------


@pytest.mark.parametrize("source", ["sample", "generated"])
def test_cached_results_equal_uncached_on_a_sequence_of_days(tmp_path: Path, source: str) -> None:
    register = (
        read_register_file(sample_register_path())
        if source == "sample"
        else generate_register(300, seed=31, today=TODAY)
    )
    path = tmp_path / "register.db"
    db = open_database(path)
    Repository(db).import_register(register)
    total = len(register.suppliers)
    scored: list[int] = []
    for offset in (0, 1, 7, 30, 400, -1):
        day = TODAY + offset * DAY
        ending = db.execute(
            "SELECT count(*) FROM score_cache WHERE valid_from > ? OR valid_until <= ?",
            [day.isoformat(), day.isoformat()],
        ).fetchone()[0]
        kept = db.execute("SELECT count(*) FROM score_cache").fetchone()[0]
        scored.append(total - kept + ending)
        # as the CLI and exports, the TUI and the board paper's top list ask for them
        for ranked, limit in ((0, None), (BOARD_KEPT, None), (0, 25)):
            cached = prepare_scoring(db, day).overview(ranked_per_key=ranked, question_limit=limit)
            fresh = prepare_scoring(db, day).overview(
                ranked_per_key=ranked, question_limit=limit, cache=False
            )
            assert cached == fresh, (day, ranked, limit)
        tui = Scoring().score_all(read_records(path), day)
        fresh = prepare_scoring(db, day).overview(ranked_per_key=BOARD_KEPT, cache=False)
        assert tui.overviews == list(fresh.suppliers)
        assert tui.board.ranked == {k: list(v) for k, v in fresh.ranked_questions.items()}
        assert tui.board.counts == dict(fresh.question_counts)
        first = cached_first_rows(db, day, limit=30)
        assert first is not None
        assert first.rows == prepare_scoring(db, day).in_priority_order(fresh)[:30]
    # Everyone on the first day and on a day before the rows were worked out; a day, a week,
    # a month later only those some date caught up with.
    assert scored[0] == total
    assert scored[-1] == total
    assert 0 <= scored[1] < total // 4
    assert scored[1] <= scored[2] < total
    db.close()


def test_a_supplier_at_a_boundary_scores_differently_from_the_day_before() -> None:
    """The decide-by date entering the horizon really changes the overview that day."""
    c = contract(
        end_date=TODAY + 400 * DAY,
        notice_period_days=30,
        migration_lead_time_days=60,
        auto_renewal=True,
    )
    s = supplier(criticality=Criticality.HIGH)
    scorer = Scorer()
    context = ScoringContext.build([], [s], scorer.config)
    until = DayValidity().next_change(s, [c], [], TODAY)
    assert until == TODAY + 128 * DAY

    def entry(day: dt.date) -> OverviewEntry:
        return next(scorer.overview_entries([(s, [c], [])], context=context, today=day))

    assert entry(until - DAY) == entry(TODAY)
    assert entry(until) != entry(TODAY)
