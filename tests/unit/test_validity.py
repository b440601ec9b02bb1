"""The days a score holds for: checked day by day against scoring itself, and kept complete."""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path

import pytest

from supplier_register.domain.bounds import STORED
from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Answer, Contract, Register, Supplier
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.interchange.synthetic import generate_register
from supplier_register.scoring import Scorer, ScoringConfig, ScoringContext
from supplier_register.scoring.context import key
from supplier_register.scoring.engine import OverviewEntry
from supplier_register.scoring.rules import RULES
from supplier_register.scoring.validity import ENGINE_DATE_LOGIC, DayValidity
from supplier_register.services.register_scoring import cached_first_rows, prepare_scoring
from supplier_register.services.register_view import BOARD_KEPT, Scoring, read_records
from supplier_register.storage import Repository, open_database

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


def test_a_rule_the_config_turns_off_ends_no_score() -> None:
    """Validity is built from the rules scoring applies: one weighted 0 is not scored, so its
    dates change nothing, while the dates of the rules still scored still do."""
    end = TODAY + 400 * DAY
    c = contract(end_date=end, notice_period_days=30, migration_lead_time_days=60)
    soon_off = ScoringConfig(rule_weights={"rule.decide_by_soon": 0})
    assert next_change([c], config=soon_off) == TODAY + 311 * DAY  # passed: still scored
    both_off = ScoringConfig(rule_weights={"rule.decide_by_soon": 0, "rule.decide_by_passed": 0})
    assert next_change([c], config=both_off) == end + DAY  # only the end of the term is left
    last = dt.date(2026, 8, 31)
    review_off = ScoringConfig(rule_weights={"rule.review_overdue": 0})
    assert next_change(last_review=last, config=review_off) is None
    assert next_change(last_review=last, config=soon_off) == dt.date(2027, 3, 1)


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


OFF = {"rule.decide_by_soon": 0.0, "rule.review_overdue": 0.0}
"""Two date rules turned off: their dates no longer end a score, the other rules' still do."""


@pytest.mark.parametrize(
    ("source", "first", "last", "weights"),
    [
        ("sample", TODAY - 120 * DAY, TODAY + 240 * DAY, {}),
        ("generated", TODAY - 20 * DAY, TODAY + 60 * DAY, {}),
        ("generated", TODAY - 20 * DAY, TODAY + 60 * DAY, OFF),
    ],
    ids=["sample", "generated", "generated-two-rules-off"],
)
def test_every_overview_holds_on_every_day_until_its_next_change(
    source: str, first: dt.date, last: dt.date, weights: dict[str, float]
) -> None:
    """Each supplier is scored on every day of a window; for every start day in it, the entry
    (overview and board-question priorities, what the cache keeps) is the same on every day
    from the start up to its next change (or the window's end)."""
    register = (
        read_register_file(sample_register_path())
        if source == "sample"
        else generate_register(150 if weights else 300, seed=29, today=TODAY)
    )
    scorer = Scorer(ScoringConfig(rule_weights=weights))
    context = ScoringContext.build(
        register.people, register.suppliers, scorer.config, register.services
    )
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


def test_every_comparison_with_today_has_a_declared_date() -> None:
    """A function of the scoring package that compares or computes with ``today`` must be a
    rule's check declaring (``changes=``) one date per comparison it makes, or an engine function
    listed in validity.ENGINE_DATE_LOGIC with one covered change per comparison, and no rule
    declares dates it does not compare with."""
    root = Path(str(resources.files("supplier_register.scoring")))
    sources = {
        ".".join(path.relative_to(root).with_suffix("").parts): ast.parse(
            path.read_text(encoding="utf-8")
        )
        for path in sorted(root.rglob("*.py"))
        # trust.py's findings are about the whole register and worked out afresh each time,
        # never kept in the score cache, so its comparisons with today need no validity; so
        # is board.py's board pack, drawn up from the overviews on the day it is shown, and
        # deadlines.py's list of dates (the `due` command), worked out afresh each time.
        if path.name not in ("validity.py", "trust.py", "board.py", "deadlines.py")
    }
    own = _defined_names(sources.values())
    found: dict[str, int] = {}
    for module, tree in sources.items():
        found |= _comparing_with_today(tree, module, own)
    declared = {name: len(changes) for name, changes in ENGINE_DATE_LOGIC.items()}
    for r in RULES.values():
        if r.changes:
            module = r.check.__module__.removeprefix("supplier_register.scoring.")
            declared[f"{module}.{r.check.__qualname__}"] = len(r.changes)
    # The rules' date logic is where the day by day test above looks for it.
    assert {"rules.exit._decide_by_passed", "rules.relationship._review_overdue"} <= set(declared)
    assert found == declared, (
        "the scoring package's date logic changed: declare the date of each comparison with "
        "today next to the rule's check (changes=[ContractDate(...)] or SupplierDate), or, in "
        "the engine, cover it in DayValidity.next_change and ENGINE_DATE_LOGIC (scoring/"
        "validity.py)"
    )


def test_the_tripwire_counts_each_comparison_and_what_it_passes_on() -> None:
    """The counting above, on made-up code: direct and derived comparisons count (identity
    checks do not), and ``today`` handed to a function of the package is that function's."""
    tree = ast.parse(
        """
def passes_on(facts):
    found = _helper(facts.today)
    return found is None

def compares(facts, c):
    horizon = add_days(facts.today, 30)
    late = (c.end - facts.today).days
    if c.start is None or not facts.today <= c.decide <= horizon:
        return late == 0
    return c.end < facts.today

def _helper(today):
    return today + 1

class Engine:
    def run(self, today):
        helper = _helper
        helper(today)
        return [x for x in self.items if x.end >= today]
"""
    )
    assert _comparing_with_today(tree, "m", _defined_names([tree])) == {
        "m.compares": 4,
        "m._helper": 0,
        "m.Engine.run": 1,
    }


def _defined_names(trees: Iterable[ast.Module]) -> set[str]:
    """The functions and classes the modules define (today handed to one is counted there)."""
    return {
        node.name
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def _is_today(node: ast.AST) -> bool:
    return (
        (isinstance(node, ast.Name) and node.id == "today")
        or (isinstance(node, ast.Attribute) and node.attr == "today")
    ) and isinstance(getattr(node, "ctx", None), ast.Load)


def _comparing_with_today(tree: ast.Module, module: str, own: set[str]) -> dict[str, int]:
    """Each function using ``today`` other than by handing it to a function of the package, with
    the number of comparisons it makes of ``today`` or of a value worked out from it."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, path: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                inner = [*path, child.name]
                if not isinstance(child, ast.ClassDef):
                    count = _today_comparisons(child, own)
                    if count is not None:
                        found[".".join([module, *inner])] = count
                visit(child, inner)

    visit(tree, [])
    return found


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body, not those of the functions and classes defined in it."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        yield child
        yield from _own_nodes(child)


def _today_comparisons(function: ast.AST, own: set[str]) -> int | None:
    """None when the function does not use ``today`` itself, else its comparisons with it."""
    nodes = list(_own_nodes(function))
    own = own | {  # local aliases, such as `assess = self._assess`
        target.id
        for node in nodes
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Name | ast.Attribute)
        and (node.value.id if isinstance(node.value, ast.Name) else node.value.attr) in own
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    handed_on: set[ast.AST] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", None)
            if name in own:  # counted where that function compares it
                handed_on.update(node.args)
                handed_on.update(k.value for k in node.keywords)
    uses = [n for n in nodes if _is_today(n) and n not in handed_on]
    if not uses:
        return None
    derived: set[str] = set()

    def from_today(expr: ast.AST) -> bool:
        stack = [expr]
        while stack:
            node = stack.pop()
            if node in handed_on:
                continue
            if _is_today(node) or (isinstance(node, ast.Name) and node.id in derived):
                return True
            stack.extend(ast.iter_child_nodes(node))
        return False

    grown = True
    while grown:  # names assigned a value worked out from today, until no more are found
        grown = False
        for node in nodes:
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                if node.value is None or not from_today(node.value):
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for name in (n for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)):
                    if name.id not in derived:
                        derived.add(name.id)
                        grown = True
    count = 0
    for node in nodes:
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for index, op in enumerate(node.ops):
                if isinstance(op, ast.Is | ast.IsNot):
                    continue  # `x is None`: not a comparison of dates
                count += from_today(operands[index]) or from_today(operands[index + 1])
    return count


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
        # The TUI's board adds the trust's own questions (worked out from the whole register
        # each time, never cached) to the suppliers', which must be the uncached ones.
        for key_question, questions in fresh.ranked_questions.items():
            on_board = tui.board.ranked[key_question]
            suppliers_only = [q for q in on_board if q.scope == "supplier"]
            assert suppliers_only == list(questions)[: len(suppliers_only)]
            trust_asked = len(on_board) - len(suppliers_only)
            assert len(suppliers_only) == min(len(questions), BOARD_KEPT - trust_asked)
        trust_counts = {
            k: tui.board.counts[k] - fresh.question_counts[k] for k in fresh.question_counts
        }
        assert all(count >= 0 for count in trust_counts.values())
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


def test_a_contract_ending_without_renewal_raises_ended_in_use_the_day_after() -> None:
    """rule.ended_in_use reads only which contracts are current: the engine's end-of-term
    boundary (the day after the end date) is the day it starts to fire, and no rule adds a
    comparison of its own."""
    end = TODAY + 10 * DAY
    c = contract(end_date=end)  # no notice or migration time: decide-by is the end date
    s = supplier(criticality=Criticality.STRATEGIC, runs_clinical_systems=True)
    scorer = Scorer()
    context = ScoringContext.build([], [s], scorer.config)
    assert RULES["rule.ended_in_use"].changes == ()
    assert DayValidity().next_change(s, [c], [], end) == end + DAY

    def codes(day: dt.date) -> set[str]:
        score = scorer.score(s, [c], [], today=day, context=context)
        return {f.code for f in score.findings}

    assert "rule.ended_in_use" not in codes(end)
    assert "rule.ended_in_use" in codes(end + DAY)
