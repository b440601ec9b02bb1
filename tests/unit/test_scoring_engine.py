"""The scoring engine: arithmetic, traceability, ordering, determinism, config and monotonicity."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supplier_register.domain.enums import AnswerValue, Criticality, SupplyCategory
from supplier_register.domain.errors import BadFile
from supplier_register.domain.models import Answer, Contract, Person, Register, Supplier
from supplier_register.scoring import (
    Band,
    Dimension,
    KeyQuestion,
    RegisterScores,
    ScoringConfig,
    SupplierScore,
    load_config,
)
from supplier_register.scoring.config import AnswerFactors, BandThresholds
from supplier_register.scoring.engine import DECISION_CODES, combine, impact_reasons
from supplier_register.scoring.questions import default_question_bank
from supplier_register.scoring.results import THEME_OF, Theme
from tests.support.oracles import score_register, score_supplier
from tests.support.scoring_fixtures import (
    NAME,
    PEOPLE,
    TODAY,
    clean_contract,
    clean_register,
    clean_supplier,
    score_of,
)

BANK = default_question_bank()


def answer(
    data: dict[str, Any], question_id: str, value: str, on: str | None = "2025-06-01"
) -> None:
    for item in data["answers"]:
        if item["question_id"] == question_id:
            item.update(answer=value, answered_on=on)
            return
    raise AssertionError(question_id)


def test_every_point_traces_to_a_finding() -> None:
    data = clean_register()
    answer(data, "options.bulk_export", "no")
    answer(data, "exit.plan_exists", "partly")
    answer(data, "relationship.roles_clear", "unknown")
    data["contracts"][0].update(auto_renewal=True, lifetime_cost=None)
    score = score_of(data)
    config = ScoringConfig()
    for dimension in score.dimensions:
        own = [f for f in score.findings if f.dimension is dimension.dimension]
        assert dimension.points == pytest.approx(sum(f.points for f in own))
        assert (dimension.score > 0) == any(f.points > 0 for f in own)

    # The exposure is worked out from the findings alone: each finding's severity from
    # its points and its dimension's weight, known weaknesses and unknowns combined apart.
    def severity(points: float, dimension: Dimension) -> float:
        x = points * config.dimension_weights[dimension] / config.exposure.points_scale
        return 1 - math.exp(-x)

    further = config.exposure.further_share
    alpha = config.exposure.unknown_share
    severities = [(severity(f.points, f.dimension), f.data_gap) for f in score.findings]
    known = combine([s for s, gap in severities if not gap], further)
    every = combine([s for s, _ in severities], further)
    counted = combine([alpha * s if gap else s for s, gap in severities], further)
    assert any(gap for _, gap in severities)
    assert score.exposure == pytest.approx(counted, abs=1e-4)
    assert known < score.exposure < every
    assert score.priority == pytest.approx(100 * score.impact / 5 * score.exposure, abs=0.01)
    assert score.score == round(score.priority)
    assert score.risk_low == round(100 * score.impact / 5 * known)
    assert score.risk_high == round(100 * score.impact / 5 * every)
    assert score.risk_low <= score.score <= score.risk_high
    for finding in score.findings:
        assert finding.explanation
        assert finding.reference
        assert finding.title


def test_answers_score_by_factor_and_weight() -> None:
    data = clean_register()
    weight = BANK.by_id["options.bulk_export"].weight
    answer(data, "options.bulk_export", "no")
    no = next(f for f in score_of(data).findings if f.code == "options.bulk_export")
    answer(data, "options.bulk_export", "partly")
    partly = next(f for f in score_of(data).findings if f.code == "options.bulk_export")
    answer(data, "options.bulk_export", "unknown")
    unknown = next(f for f in score_of(data).findings if f.code == "options.bulk_export")
    assert no.points == weight
    assert partly.points == weight / 2
    # An unknown's points are what it would add if bad; only a share of that is counted.
    assert unknown.points == weight * ScoringConfig().answer_factors.unknown
    assert (no.data_gap, partly.data_gap, unknown.data_gap) == (False, False, True)
    assert no.question_id == "options.bulk_export"
    assert no.explanation.startswith("Answered 'no'.")
    assert unknown.title.startswith("Not known:")
    exposures = {}
    for value in ("no", "unknown", "yes"):
        answer(data, "options.bulk_export", value)
        exposures[value] = score_of(data).exposure
    assert exposures["no"] > exposures["unknown"] > exposures["yes"]


def test_unanswered_question_is_a_data_gap() -> None:
    data = clean_register()
    data["answers"] = [a for a in data["answers"] if a["question_id"] != "exit.plan_exists"]
    finding = next(f for f in score_of(data).findings if f.code == "exit.plan_exists")
    assert finding.data_gap
    assert finding.explanation.startswith("Not answered yet")


def test_not_applicable_removes_the_question_from_the_dimension() -> None:
    data = clean_register()
    before = next(d for d in score_of(data).dimensions if d.dimension is Dimension.TURNKEY)
    answer(data, "turnkey.test_drive", "not_applicable")
    after = next(d for d in score_of(data).dimensions if d.dimension is Dimension.TURNKEY)
    assert after.max_points == before.max_points - BANK.by_id["turnkey.test_drive"].weight


def test_questions_that_do_not_apply_are_ignored() -> None:
    data = clean_register()
    data["suppliers"][0].update(category="devices", criticality="low", owner="Cat Manager")
    data["suppliers"][0].update(runs_clinical_systems=False)
    answer(data, "options.epr_lockin_mitigated", "no")  # EPR only
    score = score_of(data)
    assert "options.epr_lockin_mitigated" not in {f.code for f in score.findings}
    turnkey = next(d for d in score.dimensions if d.dimension is Dimension.TURNKEY)
    assert (turnkey.max_points, turnkey.score) == (0, 0)


def test_stale_yes_counts_as_partly() -> None:
    data = clean_register()
    answer(data, "options.export_tested", "yes", on="2024-05-01")  # refresh: 12 months
    finding = next(f for f in score_of(data).findings if f.code == "options.export_tested")
    assert finding.points == BANK.by_id["options.export_tested"].weight / 2
    assert "1 May 2024" in finding.explanation
    assert not finding.data_gap
    answer(data, "options.export_tested", "yes", on=None)
    undated = next(f for f in score_of(data).findings if f.code == "options.export_tested")
    assert undated.data_gap
    answer(data, "options.export_tested", "yes", on="2024-07-01")
    assert "options.export_tested" not in {f.code for f in score_of(data).findings}


def test_latest_answer_wins() -> None:
    data = clean_register()
    data["answers"].append(
        {
            "supplier": NAME,
            "question_id": "exit.plan_exists",
            "answer": "no",
            "answered_on": "2025-06-15",
        }
    )
    assert "exit.plan_exists" in {f.code for f in score_of(data).findings}
    data["answers"][-1]["answered_on"] = "2020-01-01"
    assert "exit.plan_exists" not in {f.code for f in score_of(data).findings}


def test_nothing_known_is_unassessed_with_its_impact() -> None:
    data = clean_register()
    data["answers"] = []
    data["contracts"] = []
    data["suppliers"][0] = {"name": NAME, "category": "epr", "criticality": "strategic"}
    score = score_of(data)
    # Ignorance is not ranked as risk: unassessed, its impact shown, its range wide open.
    assert score.band is Band.UNASSESSED
    assert score.impact == ScoringConfig().impact.base[Criticality.STRATEGIC]
    assert score.confidence < ScoringConfig().exposure.unassessed_below
    assert score.risk_low < score.score < score.risk_high
    assert ScoringConfig().bands.band(score.risk_high) is Band.SEVERE
    assert score.findings[0].title == "Not yet assessed"
    assert score.findings[0].data_gap
    assert len(score.data_gaps) >= len(BANK.questions) - 1
    # Nothing is recorded: said in words, not as "Only 0%".
    assert score.confidence == 0
    assert score.findings[0].explanation.startswith(
        "Next to nothing of what matters about this supplier is recorded"
    )


def test_impact_reasons_read_as_plain_english() -> None:
    reasons = impact_reasons(
        Criticality.HIGH,
        3,
        [("clinical", 0.2, 1), ("short_outage", 0.1, 0), ("dependents", 0.1, 1)],
    )
    assert reasons[1:] == [
        "+0.2: it supports 1 clinical service",
        "+0.1: a service it supports cannot be down at all",
        "+0.1: 1 other supplier depends on it",
    ]
    assert impact_reasons(Criticality.HIGH, 3, [("short_outage", 0.1, 1)])[1] == (
        "+0.1: a service it supports can be down for at most 1 hour"
    )
    assert impact_reasons(Criticality.HIGH, 3, [("short_outage", 0.1, 4)])[1] == (
        "+0.1: a service it supports can be down for at most 4 hours"
    )


def test_bands_follow_thresholds() -> None:
    bands = BandThresholds()
    # The NHS 5 x 5 matrix's 4, 8 and 15 of 25, on a scale of 100.
    assert [bands.band(s) for s in (0, 15, 16, 31, 32, 59, 60, 100)] == [
        Band.LOW,
        Band.LOW,
        Band.MEDIUM,
        Band.MEDIUM,
        Band.HIGH,
        Band.HIGH,
        Band.SEVERE,
        Band.SEVERE,
    ]


def test_criticality_sets_priority_and_order() -> None:
    data = clean_register()
    data["answers"] = []
    twin = clean_supplier("Twin Ltd", criticality="low", owner="Cat Manager")
    data["suppliers"].append(twin)
    data["contracts"].append(clean_contract("Twin Ltd"))
    scores = score_register(Register.model_validate(data), today=TODAY)
    first, second = scores.suppliers
    assert first.supplier == NAME
    assert second.supplier == "Twin Ltd"
    assert first.priority > second.priority
    assert first.impact - second.impact >= 3 - ScoringConfig().impact.max_uplift
    for score in (first, second):
        assert score.priority == pytest.approx(100 * score.impact / 5 * score.exposure, abs=0.01)


def test_board_questions_ranked_one_per_theme_and_merged() -> None:
    data = clean_register()
    data["answers"] = []
    data["contracts"][0].update(contract_type="fixed_scope_fixed_price", end_date="2025-12-31")
    data["suppliers"].append(clean_supplier("Small Co", criticality="low", owner="Cat Manager"))
    data["contracts"].append(
        clean_contract("Small Co", contract_type="fixed_scope_fixed_price", end_date="2025-12-31")
    )
    scores = score_register(Register.model_validate(data), today=TODAY)
    top = scores.top_questions
    every = [q for score in scores.suppliers for q in score.questions]
    assert len(every) >= 2
    assert len(top) == min(len(every), ScoringConfig().top_questions)
    priorities = [q.priority for q in top]
    assert priorities == sorted(priorities, reverse=True)
    assert top[0].supplier == NAME
    for score in scores.suppliers:
        # At most one question per theme; no data gap and no time-bound finding among them.
        themes = [q.theme for q in score.questions]
        assert len(themes) == len(set(themes))
        assert not [q for q in score.questions if "do not yet know" in q.text]
        assert not [q for q in score.questions if set(q.finding_codes) & DECISION_CODES]
        for q in score.questions:
            # Every finding merged in is one of the supplier's, and its theme is the question's.
            merged = [f for f in score.findings if f.code in q.finding_codes and not f.data_gap]
            assert merged
            assert {THEME_OF[f.dimension] for f in merged} == {q.theme}
            assert q.text not in q.also
    # The decide-by date that has passed is a decision, not a question.
    assert [d.kind for d in scores.suppliers[0].decisions] == ["decide_by"]
    fixed = [q for q in top if "rule.fixed_scope_bespoke" in q.finding_codes]
    assert fixed[0].text == (
        f"Our fixed-scope contract with {NAME} for 'EPR' is a product that needs significant "
        "customisation: how are change requests priced and controlled?"
    )
    assert fixed[0].theme is Theme.BUYING
    # The same findings on a low-criticality supplier rank below the strategic one.
    small = next(s for s in scores.suppliers if s.supplier == "Small Co")
    small_fixed = next(q for q in small.questions if "rule.fixed_scope_bespoke" in q.finding_codes)
    assert small_fixed.priority < fixed[0].priority


def test_a_merged_question_names_every_contract_and_keeps_the_others() -> None:
    data = clean_register()
    data["answers"] = []
    data["contracts"][0].update(ip_owner="supplier")
    data["contracts"].append(clean_contract(NAME, title="Integration", ip_owner="supplier"))
    score = score_of(data)
    [ip] = [q for q in score.questions if "rule.supplier_owns_ip" in q.finding_codes]
    assert set(ip.contracts) >= {"EPR", "Integration"}
    assert "'EPR'" in ip.text and "'Integration'" in ip.text
    # The other findings of the theme are asked within it, not as questions of their own.
    same_theme = [q for q in score.questions if q.theme is ip.theme]
    assert same_theme == [ip]


def test_a_question_from_the_records_leads_its_theme() -> None:
    data = clean_register()
    data["answers"] = [a for a in data["answers"] if a["question_id"] != "options.bulk_export"]
    data["answers"].append({"supplier": NAME, "question_id": "options.bulk_export", "answer": "no"})
    data["contracts"][0].update(ip_owner="supplier")
    score = score_of(data)
    [exit_question] = [q for q in score.questions if q.theme is Theme.EXIT]
    assert "rule.supplier_owns_ip" in exit_question.finding_codes
    assert "options.bulk_export" in exit_question.finding_codes
    assert "'EPR'" in exit_question.text  # the rule's question, naming the contract, leads
    assert any("data out" in t or "bulk" in t for t in exit_question.also)


def test_every_key_question_is_served() -> None:
    data = clean_register()
    data["answers"] = [
        {"supplier": NAME, "question_id": q, "answer": "no"}
        for q in ("expertise.client_side", "buying.lifetime_costs", "exit.plan_exists")
    ]
    score = score_of(data)
    assert {q.key_question for q in score.questions} == set(KeyQuestion)


def test_results_validate_against_the_contract() -> None:
    data = clean_register()
    data["answers"] = data["answers"][:10]
    data["contracts"][0].update(auto_renewal=True, ip_owner="shared")
    scores = score_register(Register.model_validate(data), today=TODAY)
    assert RegisterScores.model_validate(scores.model_dump()) == scores
    again = RegisterScores.model_validate_json(scores.model_dump_json())
    assert again.suppliers[0].findings == scores.suppliers[0].findings


def test_scoring_is_deterministic() -> None:
    data = clean_register()
    data["answers"] = data["answers"][::3]
    data["contracts"][0].update(auto_renewal=True, end_date="2026-01-31")
    for i in range(5):
        data["suppliers"].append(clean_supplier(f"S{i}", criticality="high", owner=None))
        data["contracts"].append(clean_contract(f"S{i}", ip_owner="unknown"))
    register = Register.model_validate(data)
    first = score_register(register, today=TODAY).model_dump_json()
    shuffled = register.model_copy(
        update={
            "suppliers": list(reversed(register.suppliers)),
            "contracts": list(reversed(register.contracts)),
        }
    )
    assert score_register(register, today=TODAY).model_dump_json() == first
    assert score_register(shuffled, today=TODAY).model_dump_json() == first


def test_today_is_a_parameter() -> None:
    data = clean_register()
    data["contracts"][0].update(end_date="2026-12-31")  # decide-by 4 July 2025
    assert "rule.decide_by_soon" in {f.code for f in score_of(data, today=TODAY).findings}
    later = score_of(data, today=dt.date(2025, 7, 5))
    assert "rule.decide_by_passed" in {f.code for f in later.findings}
    earlier = score_of(data, today=dt.date(2024, 1, 1))
    assert not {"rule.decide_by_soon", "rule.decide_by_passed"} & {f.code for f in earlier.findings}


def test_score_supplier_alone_matches_register() -> None:
    data = clean_register()
    data["answers"] = data["answers"][:20]
    register = Register.model_validate(data)
    alone = score_supplier(
        register.suppliers[0],
        register.contracts,
        register.answers,
        register.people,
        today=TODAY,
    )
    assert alone.findings == score_of(data).findings
    assert alone.score == score_of(data).score


# --- configuration ------------------------------------------------------------------------


def test_config_override_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "scoring.toml"
    path.write_text(
        "top_questions = 3\n"
        "[bands]\nmedium = 10\nhigh = 20\nsevere = 30\n"
        "[answer_factors]\nunknown = 1.0\n"
        "[rule_weights]\nrule.auto_renewal = 9\n"
        '[question_weights]\n"options.bulk_export" = 7\n'
        "[impact.base]\nstrategic = 4.5\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.rule_weights["rule.auto_renewal"] == 9
    assert config.rule_weights["rule.no_owner"] == 5  # untouched defaults stay
    data = clean_register()
    data["contracts"][0].update(auto_renewal=True)
    answer(data, "options.bulk_export", "no")
    answer(data, "exit.plan_exists", "unknown")
    default = score_of(data)
    custom = score_of(data, config=config)
    points = {f.code: f.points for f in custom.findings}
    assert points["rule.auto_renewal"] == 9
    assert points["options.bulk_export"] == 7
    assert points["exit.plan_exists"] == BANK.by_id["exit.plan_exists"].weight
    assert custom.score > default.score
    assert custom.band is config.bands.band(custom.score)
    assert custom.impact == pytest.approx(default.impact + 0.5)
    assert custom.priority == pytest.approx(100 * custom.impact / 5 * custom.exposure, abs=0.01)


def test_default_config_when_no_file() -> None:
    assert load_config(None) == ScoringConfig()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[bands]\nmedium = 50\nhigh = 40\n", "must increase"),
        ("[answer_factors]\npartly = 0.9\nno = 0.8\n", "yes <= partly"),
        ('[rule_weights]\n"rule.nope" = 1\n', "unknown rule code"),
        ('[question_weights]\n"options.nope" = 1\n', "unknown question id"),
        ("colour = 'red'\n", "unknown field"),
        ("[bands\n", "not valid TOML"),
        ("[criticality_weights]\nlow = 1\n", "no longer used"),
        ("[impact.base]\nlow = 0\n", "between 0.5 and 5"),
        ("[impact.base]\nhigh = 2.3\n", "more than max_uplift"),
        ("[exposure]\nunknown_share = 1\n", "less than 1"),
    ],
)
def test_bad_config_is_one_line_bad_file(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadFile) as info:
        load_config(path)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="cannot read scoring config"):
        load_config(tmp_path / "none.toml")


# --- property: improving an answer never raises a score ----------------------------------

# The model's order of answers, worst first: no, partly, unknown (or unanswered), yes.
# A known "partly" is a weakness; an unknown counts only a share of what it would add if bad.
IMPROVE: dict[AnswerValue | None, AnswerValue] = {
    None: AnswerValue.YES,
    AnswerValue.UNKNOWN: AnswerValue.YES,
    AnswerValue.NO: AnswerValue.PARTLY,
    AnswerValue.PARTLY: AnswerValue.UNKNOWN,
}
KNOWN_IMPROVE: dict[AnswerValue | None, AnswerValue] = {
    AnswerValue.NO: AnswerValue.PARTLY,
    AnswerValue.PARTLY: AnswerValue.YES,
}
RECENT = dt.date(2025, 6, 1)

answer_values = st.sampled_from([None, *AnswerValue])
dates = st.one_of(st.none(), st.dates(dt.date(2021, 1, 1), dt.date(2025, 6, 30)))


@st.composite
def factor_configs(draw: st.DrawFn) -> ScoringConfig:
    yes = draw(st.floats(0, 0.3))
    partly = draw(st.floats(yes, 0.7))
    no = draw(st.floats(partly, 1))
    unknown = draw(st.floats(partly, 1))
    return ScoringConfig(
        answer_factors=AnswerFactors(yes=yes, partly=partly, no=no, unknown=unknown)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    category=st.sampled_from(list(SupplyCategory)),
    criticality=st.sampled_from(list(Criticality)),
    given_answers=st.lists(
        st.tuples(answer_values, dates), min_size=len(BANK.questions), max_size=len(BANK.questions)
    ),
    index=st.integers(0, len(BANK.questions) - 1),
    config=st.one_of(st.just(ScoringConfig()), factor_configs()),
    auto_renewal=st.booleans(),
)
def test_improving_one_answer_never_raises_the_score(
    category: SupplyCategory,
    criticality: Criticality,
    given_answers: list[tuple[AnswerValue | None, dt.date | None]],
    index: int,
    config: ScoringConfig,
    auto_renewal: bool,
) -> None:
    supplier = Supplier(name=NAME, category=category, criticality=criticality, owner="Ada Chief")
    contracts = [Contract.model_validate(clean_contract(auto_renewal=auto_renewal))]
    people = [Person.model_validate(p) for p in PEOPLE]

    def answers_with(override: AnswerValue | None) -> list[Answer]:
        out = []
        for i, (question, (value, on)) in enumerate(
            zip(BANK.questions, given_answers, strict=True)
        ):
            if i == index:
                value = override
                if value is AnswerValue.YES:
                    on = RECENT  # a stale 'yes' counts as 'partly': not an improvement
            if value is not None:
                out.append(
                    Answer(supplier=NAME, question_id=question.id, answer=value, answered_on=on)
                )
        return out

    value = given_answers[index][0]
    # With factors of its own, an unknown may weigh more than a known 'partly' (partly 0.06,
    # unknown 1) or a 'yes' more than an unknown (yes 0.3): the order through 'unknown'
    # holds for the defaults; between known answers it holds for any factors.
    steps = IMPROVE if config == ScoringConfig() else KNOWN_IMPROVE
    assume(value in steps)
    better = steps[value]

    def run(answers: list[Answer]) -> SupplierScore:
        return score_supplier(supplier, contracts, answers, people, today=TODAY, config=config)

    before = run(answers_with(value))
    after = run(answers_with(better))
    assert after.score <= before.score
    assert after.priority <= before.priority
    if Band.UNASSESSED not in (before.band, after.band):  # filling a gap may band it
        assert after.band.rank <= before.band.rank
    assert after.exposure <= before.exposure
    for old, new in zip(before.dimensions, after.dimensions, strict=True):
        assert new.score <= old.score
        if better is not AnswerValue.UNKNOWN:  # an unknown's points are 'as if bad'
            assert new.points <= old.points + 1e-9
