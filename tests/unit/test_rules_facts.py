"""Rules that use every recorded fact (issue 15): a contract that has ended while the service is
still in use, checks on what is bought rather than its label, partner trusts, answer evidence,
competition and extension options.  Each fires, stays quiet on a near miss, and leaves an
unknown as a data gap, never a "no"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from supplier_register.domain.enums import Criticality
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.board import deadline
from supplier_register.scoring.engine import EVIDENCE_CHARS, evidence_excerpt
from supplier_register.scoring.results import Band, KeyQuestion
from tests.support.oracles import score_register
from tests.support.scoring_fixtures import (
    NAME,
    TODAY,
    clean_contract,
    clean_register,
    codes,
    score_of,
)

Data = dict[str, Any]
ENDED = {"start_date": "2020-01-01", "end_date": "2025-01-01"}  # before TODAY (2025-06-30)


def _register(supplier: dict[str, Any] | None = None, /, **contract: Any) -> Data:
    data = clean_register()
    data["suppliers"][0].update(supplier or {})
    data["contracts"][0].update(contract)
    return data


def _clinical_services(data: Data, *names: str, clinical: bool = True) -> None:
    data.setdefault("services", []).extend({"name": n, "clinical": clinical} for n in names)


# --- a contract that has ended while the service is still in use ------------------------------


def test_clinical_service_running_without_a_contract_is_severe_on_a_strategic_supplier() -> None:
    data = _register(services=["Emergency department"], **ENDED)
    _clinical_services(data, "Emergency department")
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "rule.ended_in_use")
    assert not finding.data_gap
    assert finding is score.findings[0]
    assert finding.contract == "EPR"
    assert "1 January 2025" in finding.explanation
    assert "our clinical service Emergency department" in finding.explanation
    assert score.band is Band.SEVERE
    # A decision for the board (a contract to put in place), not a question.
    assert not [q for q in score.questions if "rule.ended_in_use" in q.finding_codes]
    [decision] = score.decisions
    assert (decision.kind, decision.contract, decision.date) == (
        "ended_in_use",
        "EPR",
        dt.date(2025, 1, 1),
    )


def test_clinical_system_without_a_contract_is_high_on_a_high_criticality_supplier() -> None:
    data = _register({"criticality": "high", "owner": "Ben Digital"}, **ENDED)
    score = score_of(data)
    assert "rule.ended_in_use" in codes(score)
    assert score.band.rank >= Band.HIGH.rank


def test_a_non_clinical_service_without_a_contract_is_serious_but_less_than_a_clinical_one() -> (
    None
):
    severe_data = _register(services=["A&E"], **ENDED)
    _clinical_services(severe_data, "A&E")
    clinical = score_of(severe_data)
    data = _register({"runs_clinical_systems": False}, services=["Payroll"], **ENDED)
    _clinical_services(data, "Payroll", clinical=False)
    other = score_of(data)
    [found] = [f for f in other.findings if f.code == "rule.ended_in_use"]
    assert not found.data_gap
    assert "our service Payroll" in found.explanation
    [severe] = [f for f in clinical.findings if f.code == "rule.ended_in_use"]
    assert 0 < found.points < severe.points
    assert other.band.rank >= Band.HIGH.rank  # strategic


def test_ended_contract_beside_a_current_one_is_history() -> None:
    data = _register(**ENDED)
    data["contracts"].append(clean_contract(title="EPR 2025"))
    assert "rule.ended_in_use" not in codes(score_of(data))


def test_ended_auto_renewing_contract_stays_a_data_gap() -> None:
    score = score_of(_register(auto_renewal=True, **ENDED))
    assert "rule.ended_in_use" not in codes(score)
    assert [f.data_gap for f in score.findings if f.code == "rule.term_ended"] == [True]


def test_an_ended_auto_renewing_contract_beside_a_lapsed_one_is_asked_about_not_condemned() -> None:
    data = _register(**ENDED)
    data["contracts"].append(clean_contract(title="Support", auto_renewal=True, **ENDED))
    score = score_of(data)
    assert "rule.ended_in_use" not in codes(score)
    assert [f.contract for f in score.findings if f.code == "rule.term_ended"] == ["Support"]


def test_no_contract_recorded_at_all_stays_a_data_gap() -> None:
    data = clean_register()
    data["contracts"].clear()
    score = score_of(data)
    assert "rule.ended_in_use" not in codes(score)
    assert [f.data_gap for f in score.findings if f.code == "rule.no_contract"] == [True]


def test_the_most_recently_ended_contract_is_named_once() -> None:
    data = _register(**ENDED)
    data["contracts"].append(
        clean_contract(title="Old EPR", start_date="2015-01-01", end_date="2019-12-31")
    )
    found = [f for f in score_of(data).findings if f.code == "rule.ended_in_use"]
    assert [f.contract for f in found] == ["EPR"]


# --- answer evidence --------------------------------------------------------------------------


def _answer(data: Data, question_id: str, value: str, evidence: str) -> None:
    for answer in data["answers"]:
        if answer["question_id"] == question_id:
            answer.update(answer=value, evidence=evidence)


def test_evidence_is_quoted_beside_the_finding_and_carried_by_its_question() -> None:
    data = clean_register()
    _answer(data, "options.bulk_export", "no", "Bulk extracts cost £18,000 each, six weeks")
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "options.bulk_export")
    assert finding.evidence == "Bulk extracts cost £18,000 each, six weeks"
    assert finding.explanation.endswith("Recorded: Bulk extracts cost £18,000 each, six weeks.")
    question = next(q for q in score.questions if "options.bulk_export" in q.finding_codes)
    assert question.evidence == ["Bulk extracts cost £18,000 each, six weeks"]


def test_without_evidence_nothing_is_quoted() -> None:
    data = clean_register()
    _answer(data, "options.bulk_export", "no", "  ")
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "options.bulk_export")
    assert finding.evidence is None
    assert "Recorded:" not in finding.explanation
    assert all(q.evidence == [] for q in score.questions)


def test_evidence_is_not_shared_between_suppliers() -> None:
    data = clean_register()
    _answer(data, "options.bulk_export", "no", "Costs extra.")
    other = "Other Co"
    data["suppliers"].append(dict(data["suppliers"][0], name=other))
    data["contracts"].append(clean_contract(other))
    data["answers"].extend(
        {**a, "supplier": other, "evidence": ""} for a in list(data["answers"]) if a["supplier"]
    )
    theirs = score_of(data, other)
    finding = next(f for f in theirs.findings if f.code == "options.bulk_export")
    assert finding.evidence is None
    assert "Costs extra" not in finding.explanation


def test_evidence_of_an_unknown_answer_stays_with_the_data_gap() -> None:
    data = clean_register()
    _answer(data, "options.bulk_export", "unknown", "Supplier has not replied.")
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "options.bulk_export")
    assert finding.data_gap
    assert finding.evidence == "Supplier has not replied."
    # An unknown is the CIO's team's to find out, not a board question: it carries no evidence
    # into the board's questions.
    assert not [q for q in score.questions if "options.bulk_export" in q.finding_codes]
    assert all("Supplier has not replied." not in q.evidence for q in score.questions)
    assert any("bulk" in phrase for phrase in score.gap_phrases)


def test_long_evidence_is_kept_whole_in_the_finding_and_trimmed_for_the_question() -> None:
    text = "Line one <b>bold</b> =SUM(A1)\n" + " ".join(["word"] * 100)
    data = clean_register()
    _answer(data, "options.bulk_export", "no", text)
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "options.bulk_export")
    assert finding.evidence == text  # whole, as written: plain data
    question = next(q for q in score.questions if "options.bulk_export" in q.finding_codes)
    [quoted] = question.evidence
    assert len(quoted) <= EVIDENCE_CHARS
    assert quoted.endswith("\u2026")
    assert quoted.startswith("Line one <b>bold</b> =SUM(A1) word")  # unchanged, one line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("short", "short"),
        ("a\n\nb  c", "a b c"),
        ("x" * 300, "x" * (EVIDENCE_CHARS - 1) + "\u2026"),
    ],
)
def test_evidence_excerpt(text: str, expected: str) -> None:
    assert evidence_excerpt(text) == expected


def test_criticality_is_unchanged_by_evidence() -> None:
    # Evidence is a quote, not a weight: the score is the same with or without it.
    plain, quoted = clean_register(), clean_register()
    _answer(plain, "options.bulk_export", "no", "")
    _answer(quoted, "options.bulk_export", "no", "Costs extra.")
    a, b = score_of(plain), score_of(quoted)
    assert (a.score, a.band, a.confidence) == (b.score, b.band, b.confidence)
    assert a.criticality is Criticality.STRATEGIC


# --- checks on what is bought, not the label --------------------------------------------------

FIVE_YEARS = {"start_date": "2024-01-01", "end_date": "2028-12-31"}


def _cloud(**contract: Any) -> Data:
    return _register(
        {"category": "cloud_hosting", "runs_clinical_systems": False},
        **(
            {"what_is_bought": "commodity", "contract_type": "subscription_saas"}
            | {"break_clause": False}
            | FIVE_YEARS
            | contract
        ),
    )


@pytest.mark.parametrize("label", ["subscription_saas", "framework_call_off", "unknown"])
def test_multi_year_commodity_commitment_is_caught_whatever_its_label(label: str) -> None:
    score = score_of(_cloud(contract_type=label))
    [found] = [f for f in score.findings if f.code == "rule.committed_cloud_spend"]
    assert not found.data_gap
    assert "with no break clause" in found.explanation
    assert "cloud" in found.explanation
    question = next(q for q in score.questions if "rule.committed_cloud_spend" in q.finding_codes)
    assert "multi-year cloud spend" in question.text


def test_devices_bought_for_years_without_a_break_are_a_commitment() -> None:
    data = _register(
        {"category": "devices", "runs_clinical_systems": False},
        what_is_bought="configurable_product",
        contract_type="perpetual_licence_support",
        break_clause=False,
        **FIVE_YEARS,
    )
    [found] = [f for f in score_of(data).findings if f.code == "rule.committed_cloud_spend"]
    assert "devices" in found.explanation


@pytest.mark.parametrize(
    "near_miss",
    [
        {"break_clause": True},
        {"contract_type": "pay_as_you_go"},
        {"start_date": "2025-01-01", "end_date": "2026-12-31"},  # two years
        {"what_is_bought": "customised_product"},  # not commodity
    ],
)
def test_commodity_commitment_near_misses(near_miss: dict[str, Any]) -> None:
    assert "rule.committed_cloud_spend" not in codes(score_of(_cloud(**near_miss)))


def test_commodity_commitment_of_a_commodity_purchase_from_any_supplier() -> None:
    data = _register(
        what_is_bought="commodity",
        contract_type="subscription_saas",
        break_clause=False,
        **FIVE_YEARS,
    )
    [found] = [f for f in score_of(data).findings if f.code == "rule.committed_cloud_spend"]
    assert "commodity technology" in found.explanation


def test_three_year_commodity_term_with_unrecorded_break_is_a_data_gap() -> None:
    data = _cloud(break_clause=None, start_date="2024-01-01", end_date="2026-12-31")
    found = [f for f in score_of(data).findings if f.code == "rule.committed_cloud_spend"]
    assert [f.data_gap for f in found] == [True]


def test_longer_commodity_term_with_unrecorded_break_is_asked_once() -> None:
    score = score_of(_cloud(break_clause=None))
    assert "rule.committed_cloud_spend" not in codes(score)
    assert [f.data_gap for f in score.findings if f.code == "rule.no_break_clause"] == [True]


def test_commodity_commitment_without_a_start_date_is_a_data_gap() -> None:
    found = [
        f
        for f in score_of(_cloud(start_date=None)).findings
        if f.code == "rule.committed_cloud_spend"
    ]
    assert [f.data_gap for f in found] == [True]


@pytest.mark.parametrize(
    ("supplier", "contract"),
    [
        ({}, {"contract_type": "fixed_scope_fixed_price", "what_is_bought": "bespoke_development"}),
        # Not recorded what is bought, but the supplier is a bespoke developer.
        (
            {"category": "bespoke_development"},
            {"contract_type": "fixed_scope_fixed_price", "what_is_bought": "unknown"},
        ),
        # Bespoke development bought as if it were a licensed product.
        (
            {},
            {"contract_type": "perpetual_licence_support", "what_is_bought": "bespoke_development"},
        ),
    ],
)
def test_fixed_scope_for_built_work_whatever_its_label(
    supplier: dict[str, Any], contract: dict[str, Any]
) -> None:
    [found] = [
        f
        for f in score_of(_register(supplier, **contract)).findings
        if f.code == "rule.fixed_scope_bespoke"
    ]
    assert "bespoke software development" in found.explanation
    # Where the work is judged from the supplier, the explanation says so: nothing invented.
    inferred = contract["what_is_bought"] == "unknown"
    assert ("what it buys is not recorded" in found.explanation) is inferred


@pytest.mark.parametrize(
    ("supplier", "contract"),
    [
        # A customised product's licence is how products are sold: not a fixed scope of work.
        ({}, {"contract_type": "perpetual_licence_support"}),
        # A bespoke developer selling a product it made: what is bought is recorded.
        (
            {"category": "bespoke_development"},
            {"contract_type": "fixed_scope_fixed_price", "what_is_bought": "configurable_product"},
        ),
    ],
)
def test_fixed_scope_near_misses(supplier: dict[str, Any], contract: dict[str, Any]) -> None:
    assert "rule.fixed_scope_bespoke" not in codes(score_of(_register(supplier, **contract)))


def test_off_the_shelf_beside_its_customisation_is_a_magic_turn_key_finding() -> None:
    data = clean_register()
    data["contracts"].insert(
        0, clean_contract(title="Clinic product", what_is_bought="configurable_product")
    )
    score = score_of(data)
    [found] = [f for f in score.findings if f.code == "rule.fake_off_the_shelf"]
    assert found.contract == "Clinic product"
    assert "customisation under 'EPR'" in found.explanation
    assert found.dimension.value == "turnkey"
    question = next(q for q in score.questions if "rule.fake_off_the_shelf" in q.finding_codes)
    assert "'Clinic product'" in question.text and "'EPR'" in question.text


@pytest.mark.parametrize(
    ("answer", "rule_speaks"), [("no", False), ("partly", False), ("yes", True), ("unknown", True)]
)
def test_off_the_shelf_rule_is_quiet_when_the_questionnaire_already_says_so(
    answer: str, rule_speaks: bool
) -> None:
    # The board is told once: by the answer when it already raises the customisation.
    data = clean_register()
    data["contracts"].insert(
        0, clean_contract(title="Clinic product", what_is_bought="configurable_product")
    )
    _answer(data, "turnkey.customisation_known", answer, "")
    found = codes(score_of(data))
    assert ("rule.fake_off_the_shelf" in found) is rule_speaks
    if not rule_speaks:
        assert "turnkey.customisation_known" in found


def test_off_the_shelf_with_unknown_other_purchases_raises_nothing() -> None:
    data = clean_register()
    data["contracts"][0]["what_is_bought"] = "unknown"
    data["contracts"].append(clean_contract(title="Product", what_is_bought="configurable_product"))
    assert "rule.fake_off_the_shelf" not in codes(score_of(data))


# --- partner trusts ---------------------------------------------------------------------------

PARTNERS = ["Northgate NHS Trust", "Westmoor NHS Foundation Trust"]


def _partners(linked: str | None, **supplier: Any) -> Data:
    data = _register({"shared_with": PARTNERS, **supplier})
    if linked is None:
        data["answers"] = [a for a in data["answers"] if a["question_id"] != LINKED]
    else:
        _answer(data, LINKED, linked, "")
    return data


LINKED = "options.other_trusts_linked"


@pytest.mark.parametrize("linked", ["no", "partly", "unknown", None])
def test_partner_trusts_are_named_in_a_link_up_question(linked: str | None) -> None:
    score = score_of(_partners(linked))
    [found] = [f for f in score.findings if f.code == "rule.partner_trusts"]
    assert not found.data_gap
    assert "Northgate NHS Trust and Westmoor NHS Foundation Trust also use" in found.explanation
    assert "linking up with other trusts" in found.explanation
    question = next(q for q in score.questions if "rule.partner_trusts" in q.finding_codes)
    assert question.text == (
        f"Northgate NHS Trust and Westmoor NHS Foundation Trust also use {NAME}: are we linking "
        "up with them on the renewal of 'EPR' (decide-by date 4 July 2029)?"
    )


@pytest.mark.parametrize("linked", ["no", "unknown"])
def test_partner_trusts_weigh_little(linked: str) -> None:
    named = score_of(_partners(linked))
    unnamed = score_of(_partners(linked, shared_with=[]))
    [found] = [f for f in named.findings if f.code == "rule.partner_trusts"]
    assert found.points <= 1
    assert 0 < named.priority - unnamed.priority < 10
    assert named.band.rank <= Band.MEDIUM.rank


def test_partner_trusts_without_a_current_contract_ask_to_buy_together() -> None:
    data = _partners("no")
    data["contracts"][0].update(end_date=None)
    question = next(q for q in score_of(data).questions if "rule.partner_trusts" in q.finding_codes)
    assert question.text.endswith(f"linking up with them to buy and manage {NAME} together?")


@pytest.mark.parametrize(
    ("linked", "supplier"),
    [
        ("yes", {}),  # the trust says it is linked up already
        ("not_applicable", {}),
        ("no", {"shared_with": []}),  # nothing recorded: nothing invented
        ("no", {"criticality": "medium", "owner": "Cat Manager"}),
    ],
)
def test_partner_trusts_near_misses(linked: str, supplier: dict[str, Any]) -> None:
    assert "rule.partner_trusts" not in codes(score_of(_partners(linked, **supplier)))


# --- competition ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("competition", "route", "words"),
    [
        ("framework_direct_award", "framework", "called off a framework without further"),
        ("no_competition", "open_tender", "awarded without competition"),
        ("no_competition", "unknown", "awarded without competition"),
    ],
)
def test_contract_not_competed_is_a_contracting_finding(
    competition: str, route: str, words: str
) -> None:
    score = score_of(_register(competition=competition, procurement_route=route))
    [found] = [f for f in score.findings if f.code == "rule.no_further_competition"]
    assert not found.data_gap
    assert words in found.explanation
    assert found.key_question is KeyQuestion.CONTRACTING
    question = next(q for q in score.questions if "rule.no_further_competition" in q.finding_codes)
    assert question.text.startswith(f"Our contract with {NAME} for 'EPR' was not competed")


@pytest.mark.parametrize(
    ("supplier", "contract"),
    [
        ({}, {"competition": "further_competition"}),
        ({}, {"competition": "open"}),
        ({"criticality": "medium", "owner": "Cat Manager"}, {"competition": "no_competition"}),
        ({}, {"competition": "framework_direct_award", "what_is_bought": "commodity"}),
        # A single tender recorded as a direct award is rule.direct_award's: not raised twice.
        ({}, {"competition": "no_competition", "procurement_route": "direct_award"}),
        # Not a framework and not recorded: nothing says it was not competed.
        ({}, {"competition": "unknown", "procurement_route": "open_tender"}),
    ],
)
def test_competition_near_misses(supplier: dict[str, Any], contract: dict[str, Any]) -> None:
    score = score_of(_register(supplier, **contract))
    assert "rule.no_further_competition" not in codes(score)


def test_framework_call_off_without_recorded_competition_is_a_data_gap() -> None:
    score = score_of(_register(competition="unknown", procurement_route="framework"))
    found = [f for f in score.findings if f.code == "rule.no_further_competition"]
    assert [f.data_gap for f in found] == [True]
    assert score.confidence < 1


def test_single_tender_recorded_as_direct_award_is_raised_once() -> None:
    score = score_of(_register(competition="no_competition", procurement_route="direct_award"))
    assert "rule.direct_award" in codes(score)
    assert "rule.no_further_competition" not in codes(score)


# --- extension options in the decide-by wording ------------------------------------------------


def test_decide_by_states_the_current_term_and_the_latest_possible_end() -> None:
    # decide-by 4 July 2025 (in 4 days); 2 x 12 months could run it to 31 December 2028.
    data = _register(end_date="2026-12-31", extension_count=2, extension_months=12)
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "rule.decide_by_soon")
    assert (
        "by 4 July 2025, in 4 days, for the current term; the two 12-month extensions could run "
        "it to 31 December 2028" in finding.explanation
    )
    [decision] = score.decisions
    assert decision.date == dt.date(2025, 7, 4)
    assert decision.latest_end == dt.date(2028, 12, 31)
    said = deadline(decision, NAME, TODAY).consequence
    assert "its extension options run to 31 December 2028" in said
    assert "after 4 July 2025 the only option left" in said


def test_decide_by_passed_names_what_the_extensions_could_still_do() -> None:
    data = _register(end_date="2025-12-31", extension_count=1, extension_months=24)
    score = score_of(data)
    finding = next(f for f in score.findings if f.code == "rule.decide_by_passed")
    assert "the one 24-month extension could run it to 31 December 2027" in finding.explanation
    assert "must renew, extend or accept a rushed exit" in finding.explanation
    [decision] = score.decisions
    said = deadline(decision, NAME, TODAY).consequence
    assert "its extension options run to 31 December 2027" in said
    assert "already too late to leave in time" in said


@pytest.mark.parametrize(
    "extensions",
    [{}, {"extension_count": 0}, {"extension_count": None, "extension_months": None}],
)
def test_decide_by_without_extension_options_says_nothing_of_them(
    extensions: dict[str, Any],
) -> None:
    score = score_of(_register(end_date="2026-12-31", **extensions))
    finding = next(f for f in score.findings if f.code == "rule.decide_by_soon")
    assert "extension" not in finding.explanation
    assert "current term" not in finding.explanation
    [decision] = score.decisions
    assert decision.latest_end is None or decision.latest_end == decision.end_date
    assert "extension" not in deadline(decision, NAME, TODAY).consequence


# --- the sample register uses every recorded fact ---------------------------------------------


def test_the_sample_register_shows_every_recorded_fact_at_work() -> None:
    scores = score_register(
        read_register_file(sample_register_path()), today=dt.date(2026, 12, 7)
    ).suppliers
    by_name = {s.supplier.split()[0]: s for s in scores}
    fired = {f.code for s in scores for f in s.findings}
    assert {
        "rule.ended_in_use",
        "rule.partner_trusts",
        "rule.no_further_competition",
        "rule.fake_off_the_shelf",
        "rule.committed_cloud_spend",
    } <= fired
    # The ophthalmology record runs on a lapsed subscription: a clinical service, high band.
    fenwick = by_name["Fenwick"]
    assert fenwick.findings[0].code == "rule.ended_in_use"
    assert fenwick.band.rank >= Band.HIGH.rank
    # The trust-wide EPR: the board sees what bulk extracts cost, and how far the extensions go.
    veridane = by_name["Veridane"]
    bulk = next(q for q in veridane.questions if "options.bulk_export" in q.finding_codes)
    assert any("£18,000" in e for e in bulk.evidence)
    epr = next(d for d in veridane.decisions if d.contract.startswith("Trust-wide EPR"))
    assert epr.latest_end is not None and epr.end_date is not None
    assert epr.latest_end > epr.end_date


def test_committed_cloud_spend_of_unrecorded_length_is_a_data_gap() -> None:
    # Committed cloud spend without its dates: how long is unknown, never "several years".
    data = _register(
        {"category": "cloud_hosting"},
        contract_type="committed_cloud_spend",
        what_is_bought="commodity",
        start_date=None,
    )
    found = [f for f in score_of(data).findings if f.code == "rule.committed_cloud_spend"]
    assert [f.data_gap for f in found] == [True]
    assert "several years" not in found[0].explanation


@pytest.mark.parametrize("competition", ["no_competition", "framework_direct_award"])
def test_a_direct_award_is_raised_once_whatever_competition_is_recorded(competition: str) -> None:
    # Route "direct award" is rule.direct_award's; the competition rule does not repeat it.
    found = codes(score_of(_register(procurement_route="direct_award", competition=competition)))
    assert "rule.direct_award" in found
    assert "rule.no_further_competition" not in found
