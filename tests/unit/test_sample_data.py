"""The bundled sample register: valid, coherent and rich enough to exercise every rule.

`--demo` and many tests load this file, so it must validate against the
interchange model, its records must refer to each other correctly, and it must
cover every vocabulary and the principle-6 risks the scoring looks for.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from supplier_register.domain.enums import (
    AnswerValue,
    Competition,
    ContractType,
    Criticality,
    ProcurementRoute,
    PurchaseKind,
    Role,
    SupplyCategory,
)
from supplier_register.domain.models import Register
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.scoring.questions import default_question_bank
from supplier_register.storage import Repository, open_database
from tests.support.paths import REPO_ROOT

SAMPLE = REPO_ROOT / "sample_data" / "register.json"
TODAY = dt.date(2026, 11, 26)
TWO_QUARTERS_ON = dt.date(2027, 5, 26)


@pytest.fixture(scope="module")
def text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def register(text: str) -> Register:
    return Register.model_validate_json(text)


def test_validates_against_the_interchange_model(register: Register) -> None:
    assert register.format == "supplier-register"
    assert register.format_version == 4


def test_is_stored_exactly_as_the_model_writes_it(text: str, register: Register) -> None:
    """2-space indent, model field order, nothing the model would drop or change."""
    expected = json.dumps(register.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    assert text == expected


def test_is_the_register_the_package_ships() -> None:
    """--demo loads this very file (from the source tree or the installed package)."""
    assert sample_register_path().read_bytes() == SAMPLE.read_bytes()


def _keyed(register: Register) -> dict[str, dict[object, object]]:
    """Every record by natural key, so two registers compare regardless of order."""
    return {
        "people": {p.name: p for p in register.people},
        "suppliers": {s.name: s for s in register.suppliers},
        "contracts": {(c.supplier, c.title): c for c in register.contracts},
        "answers": {(a.supplier, a.question_id): a for a in register.answers},
        "services": {s.name: s for s in register.services},
        "dependencies": {(d.supplier, d.depends_on): d for d in register.dependencies},
    }


def test_imports_into_a_database_and_comes_back_unchanged(register: Register) -> None:
    """The reader accepts it (question ids included) and storage loses nothing."""
    read = read_register_file(SAMPLE)
    assert read == register
    db = open_database(":memory:")
    try:
        repo = Repository(db)
        repo.import_register(read)
        assert repo.counts() == {
            "people": len(register.people),
            "suppliers": len(register.suppliers),
            "contracts": len(register.contracts),
            "answers": len(register.answers),
            "services": len(register.services),
            "dependencies": len(register.dependencies),
        }
        assert _keyed(repo.load_register()) == _keyed(register)
    finally:
        db.close()


def test_names_are_unique(register: Register) -> None:
    people = [p.name.casefold() for p in register.people]
    suppliers = [s.name.casefold() for s in register.suppliers]
    contracts = [(c.supplier.casefold(), c.title.casefold()) for c in register.contracts]
    answers = [(a.supplier.casefold(), a.question_id) for a in register.answers]
    for keys in (people, suppliers, contracts, answers):
        assert len(keys) == len(set(keys))


def test_references_resolve(register: Register) -> None:
    people = {p.name for p in register.people}
    suppliers = {s.name for s in register.suppliers}
    assert {s.owner for s in register.suppliers if s.owner} <= people
    assert {c.supplier for c in register.contracts} <= suppliers
    assert {a.supplier for a in register.answers} <= suppliers
    assert {a.answered_by for a in register.answers if a.answered_by} <= people


def test_every_supplier_has_a_contract(register: Register) -> None:
    with_contracts = {c.supplier for c in register.contracts}
    assert {s.name for s in register.suppliers} == with_contracts


def test_size(register: Register) -> None:
    assert len(register.suppliers) >= 28
    assert len(register.contracts) >= 40


def test_every_vocabulary_is_used(register: Register) -> None:
    assert {s.category for s in register.suppliers} == set(SupplyCategory)
    assert {s.criticality for s in register.suppliers} == set(Criticality)
    assert {c.contract_type for c in register.contracts} == set(ContractType)
    assert {c.what_is_bought for c in register.contracts} == set(PurchaseKind)
    assert {c.procurement_route for c in register.contracts} == set(ProcurementRoute)
    assert {c.competition for c in register.contracts} == set(Competition)
    assert {p.role for p in register.people} == set(Role)


def test_how_contracts_were_competed_and_their_extensions(register: Register) -> None:
    """A realistic subset is recorded; the rest stays not recorded, as in a real register."""
    contracts = {(c.supplier, c.title): c for c in register.contracts}
    epr = contracts[
        ("Veridane Health Systems Ltd", "Trust-wide EPR: licences, hosting and support")
    ]
    assert epr.competition is Competition.OPEN
    assert (epr.extension_count, epr.extension_months) == (2, 12)
    direct = [c for c in register.contracts if c.competition is Competition.FRAMEWORK_DIRECT_AWARD]
    assert len(direct) >= 3
    assert len([c for c in register.contracts if c.competition is Competition.NO_COMPETITION]) == 1
    unknown = [c for c in register.contracts if c.competition is Competition.UNKNOWN]
    assert len(unknown) > len(register.contracts) / 2
    counted = [c for c in register.contracts if c.extension_count is not None]
    assert {c.extension_count for c in counted} >= {0, 1, 2}
    assert any(c.extension_count is None and c.extension_options for c in register.contracts)


def test_relationship_owners_at_every_level(register: Register) -> None:
    role_of = {p.name: p.role for p in register.people}
    owner_roles = {role_of[s.owner] for s in register.suppliers if s.owner}
    assert owner_roles == set(Role)


def test_strategic_owners(register: Register) -> None:
    role_of = {p.name: p.role for p in register.people}
    strategic = [s for s in register.suppliers if s.criticality is Criticality.STRATEGIC]
    owned_by_ceo = [s for s in strategic if s.owner and role_of[s.owner] is Role.CHIEF_EXECUTIVE]
    assert 2 <= len(owned_by_ceo) <= 3
    too_junior = [s for s in strategic if s.owner and role_of[s.owner].seniority < 2]
    assert too_junior, "a strategic supplier should be owned by someone below CIO level"


def test_a_high_supplier_has_no_owner(register: Register) -> None:
    assert any(s.owner is None for s in register.suppliers if s.criticality is Criticality.HIGH)


def test_decide_by_dates_are_spread_around_today(register: Register) -> None:
    live = [c for c in register.contracts if c.end_date is None or c.end_date >= TODAY]
    decide = [c.decide_by() for c in live]
    passed = [d for d in decide if d is not None and d < TODAY]
    soon = [d for d in decide if d is not None and TODAY <= d <= TWO_QUARTERS_ON]
    later = [d for d in decide if d is not None and d > TWO_QUARTERS_ON]
    assert len(passed) >= 3
    assert len(soon) >= 3
    assert len(later) >= 3
    assert any(c.end_date is None for c in register.contracts)
    assert any(c.end_date and c.end_date < TODAY for c in register.contracts)
    ends = [c.end_date for c in register.contracts if c.end_date]
    assert any(e.year < 2027 for e in ends)
    assert any(e.year > 2027 for e in ends)


def test_principle_six_risks_are_present(register: Register) -> None:
    contracts = register.contracts
    assert any(c.contract_type is ContractType.COMMITTED_CLOUD_SPEND for c in contracts)
    assert any(
        c.what_is_bought is PurchaseKind.BESPOKE_DEVELOPMENT
        and c.contract_type is ContractType.FIXED_SCOPE_FIXED_PRICE
        for c in contracts
    )
    assert any(c.auto_renewal for c in contracts)
    assert any(s.sme for s in register.suppliers)
    assert any(not s.sme for s in register.suppliers)
    assert any(s.last_review is None for s in register.suppliers)
    assert any(s.dtac_complete is None for s in register.suppliers)
    shared = {name for s in register.suppliers for name in s.shared_with}
    assert any("Integrated Care" in name or "ICS" in name for name in shared)


def test_names_that_stress_display(register: Register) -> None:
    names = [s.name for s in register.suppliers]
    assert any("[" in n and "]" in n for n in names)
    assert any("&" in n and "'" in n for n in names)
    assert any(not n.isascii() for n in names)


def test_answers_are_to_questions_the_supplier_is_asked(register: Register) -> None:
    bank = default_question_bank()
    supplier = {s.name: s for s in register.suppliers}
    for answer in register.answers:
        question = bank.get(answer.question_id)
        assert question is not None, answer.question_id
        s = supplier[answer.supplier]
        assert question.applies(s.category, s.criticality), (s.name, question.id)


def test_answers_are_attributed_and_dated(register: Register) -> None:
    for answer in register.answers:
        assert answer.answered_by is not None
        assert answer.answered_on is not None
        assert dt.date(2026, 1, 1) <= answer.answered_on <= TODAY


def test_every_answer_but_yes_says_what_it_rests_on(register: Register) -> None:
    bare = [
        (a.supplier, a.question_id)
        for a in register.answers
        if a.answer is not AnswerValue.YES and not a.evidence
    ]
    assert bare == []


def test_questionnaires_are_partly_filled(register: Register) -> None:
    """Important suppliers mostly answered, small ones barely: the gaps are the point."""
    bank = default_question_bank()
    answered = {s.name: 0 for s in register.suppliers}
    for answer in register.answers:
        answered[answer.supplier] += 1
    share: dict[Criticality, list[float]] = {c: [] for c in Criticality}
    for s in register.suppliers:
        asked = sum(q.applies(s.category, s.criticality) for q in bank.questions)
        share[s.criticality].append(answered[s.name] / asked)
    mean = {c: sum(v) / len(v) for c, v in share.items()}
    assert mean[Criticality.STRATEGIC] > 0.8
    assert mean[Criticality.HIGH] > 0.6
    assert mean[Criticality.LOW] < 0.3
    assert min(min(v) for v in share.values()) == 0, "some supplier should have no answers"
    assert max(max(v) for v in share.values()) == 1, "some supplier should be fully answered"


def test_every_answer_value_is_used(register: Register) -> None:
    counts = {v: sum(a.answer is v for a in register.answers) for v in AnswerValue}
    assert all(counts.values()), counts
    assert counts[AnswerValue.UNKNOWN] >= 10


REAL_VENDORS = (
    "Cerner",
    "Epic",
    "Oracle",
    "System C",
    "Dedalus",
    "Meditech",
    "Allscripts",
    "InterSystems",
    "Nervecentre",
    "Sectra",
    "Agfa",
    "Philips",
    "Siemens",
    "Fujifilm",
    "Clinisys",
    "Microsoft",
    "Amazon",
    "Google",
    "Accenture",
    "Deloitte",
    "Capita",
)


def test_uses_no_real_vendor_names(text: str) -> None:
    found = [v for v in REAL_VENDORS if re.search(rf"\b{re.escape(v)}\b", text)]
    assert found == []
