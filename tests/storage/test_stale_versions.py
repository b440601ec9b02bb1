"""Every save checks the version of what the user saw, by id: answers included, and a contract's
supplier is never found again by a name that may since belong to somebody else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from supplier_register.domain import Answer, Contract, NotFound, StaleRecord, Supplier
from supplier_register.domain.models import SupplierRecord
from supplier_register.storage import Repository, open_database
from tests.support.registers import dump, small_register

QUESTION = "options.bulk_export"


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Repository, Repository]]:
    """Two repositories on one database file, as two programs (a TUI and another TUI or CLI)."""
    path = tmp_path / "register.db"
    first = open_database(path)
    Repository(first).import_register(small_register())
    second = open_database(path)
    yield Repository(first), Repository(second)
    first.close()
    second.close()


def _answer(supplier: str, value: str, evidence: str = "", question: str = QUESTION) -> Answer:
    return Answer(supplier=supplier, question_id=question, answer=value, evidence=evidence)


def test_answers_carry_their_version(two: tuple[Repository, Repository]) -> None:
    a, _ = two
    loaded = a.list_answers()[0]
    assert loaded.version == 1
    saved = a.set_answer(_answer(loaded.supplier, "partly"), loaded.version)
    assert saved.version == 2 and saved.answer == "partly"
    assert a.get_answer(saved.supplier_id, QUESTION) == saved
    # Saving the same answer again (nothing changed) keeps the version.
    assert a.set_answer(_answer(loaded.supplier, "partly"), 2).version == 2


def test_a_stale_answer_save_is_refused_and_nothing_is_lost(
    two: tuple[Repository, Repository],
) -> None:
    a, b = two
    seen_by_a = a.list_answers()[0]
    seen_by_b = b.list_answers()[0]
    supplier = seen_by_a.supplier
    b.set_answer(_answer(supplier, "yes", "clause 14.2"), seen_by_b.version)
    with pytest.raises(StaleRecord) as refused:
        a.set_answer(_answer(supplier, "no", "guess"), seen_by_a.version)
    assert refused.value.message == (
        "answer: changed by someone else since you opened it (version 1, now version 2); "
        "reload and try again"
    )
    kept = a.get_answer(seen_by_a.supplier_id, QUESTION)
    assert kept is not None and (kept.answer, kept.evidence, kept.version) == (
        "yes",
        "clause 14.2",
        2,
    )
    # Reloaded, the save goes through.
    assert a.set_answer(_answer(supplier, "no", "checked"), kept.version).version == 3


def test_an_answer_saved_where_the_user_saw_none_is_a_conflict_too(
    two: tuple[Repository, Repository],
) -> None:
    a, b = two
    supplier = b.find_supplier("Beta Cloud")
    assert a.get_answer(supplier.id, QUESTION) is None  # A sees the question unanswered
    b.set_answer(_answer("Beta Cloud", "yes", "tested"), None)
    with pytest.raises(StaleRecord, match=r"\(no answer, now version 1\)"):
        a.set_answer(_answer("Beta Cloud", "no"), None)
    kept = a.get_answer(supplier.id, QUESTION)
    assert kept is not None and (kept.answer, kept.evidence) == ("yes", "tested")
    # An answer deleted since it was loaded: the save over it is refused as well.
    b.delete_answer(supplier.id, QUESTION, expected_version=1)
    with pytest.raises(StaleRecord, match=r"\(version 1, now no answer\)"):
        a.set_answer(_answer("Beta Cloud", "partly"), 1)
    assert a.get_answer(supplier.id, QUESTION) is None


def test_a_stale_answer_delete_is_refused(two: tuple[Repository, Repository]) -> None:
    a, b = two
    loaded = a.list_answers()[0]
    b.set_answer(_answer(loaded.supplier, "partly"), loaded.version)
    with pytest.raises(StaleRecord, match=r"\(version 1, now version 2\)"):
        a.delete_answer(loaded.supplier_id, QUESTION, expected_version=loaded.version)
    assert a.get_answer(loaded.supplier_id, QUESTION) is not None


def _rename_and_take_the_name(repo: Repository, old: str, new: str) -> SupplierRecord:
    """Another user renames ``old`` to ``new`` and adds a new supplier called ``old``."""
    supplier = repo.find_supplier(old)
    repo.update_supplier(
        supplier.id, supplier.model_copy(update={"name": new}), expected_version=supplier.version
    )
    return repo.add_supplier(Supplier(name=old, category="other", criticality="low"))


def test_a_contract_save_never_follows_a_name_to_another_supplier(
    two: tuple[Repository, Repository],
) -> None:
    a, b = two
    contract = a.list_contracts(a.find_supplier("Beta Cloud").id)[0]  # the form A opened
    newcomer = _rename_and_take_the_name(b, "Beta Cloud", "Beta Cloud Holdings")
    saved = a.update_contract(
        contract.id,
        contract.model_copy(update={"notes": "renewal agreed"}),
        expected_version=contract.version,
        supplier_id=contract.supplier_id,
    )
    assert saved.supplier_id == contract.supplier_id != newcomer.id
    assert saved.supplier == "Beta Cloud Holdings" and saved.notes == "renewal agreed"
    assert b.list_contracts(newcomer.id) == []


def test_a_new_contract_goes_to_the_supplier_the_user_opened(
    two: tuple[Repository, Repository],
) -> None:
    a, b = two
    opened = a.find_supplier("Beta Cloud")
    newcomer = _rename_and_take_the_name(b, "Beta Cloud", "Beta Cloud Holdings")
    added = a.add_contract(
        Contract(
            supplier=opened.name,  # the name the form showed, now another supplier's
            title="Backup",
            what_is_bought="commodity",
            contract_type="pay_as_you_go",
        ),
        supplier_id=opened.id,
    )
    assert added.supplier_id == opened.id and added.supplier == "Beta Cloud Holdings"
    assert b.list_contracts(newcomer.id) == []


def test_answers_go_to_the_supplier_the_user_opened(two: tuple[Repository, Repository]) -> None:
    a, b = two
    opened = a.find_supplier("Beta Cloud")
    newcomer = _rename_and_take_the_name(b, "Beta Cloud", "Beta Cloud Holdings")
    saved = a.set_answer(_answer(opened.name, "yes"), None, supplier_id=opened.id)
    assert saved.supplier_id == opened.id and saved.supplier == "Beta Cloud Holdings"
    assert b.list_answers(newcomer.id) == []


def test_a_save_to_a_supplier_deleted_meanwhile_is_refused(
    two: tuple[Repository, Repository],
) -> None:
    a, b = two
    contract = a.list_contracts(a.find_supplier("Beta Cloud").id)[0]
    supplier_id = contract.supplier_id
    b.delete_supplier(supplier_id)
    with pytest.raises(NotFound, match="deleted by someone else"):
        a.set_answer(_answer("Beta Cloud", "yes"), None, supplier_id=supplier_id)
    with pytest.raises(NotFound, match="deleted by someone else"):
        a.add_contract(contract, supplier_id=supplier_id)
    assert a.counts()["contracts"] == 1  # Acme's only


def test_a_refused_answer_save_leaves_the_database_exactly_as_it_was(
    two: tuple[Repository, Repository], tmp_path: Path
) -> None:
    """Every kind of stale answer save (an older version, none seen where one now exists, a
    version seen of an answer since removed) is refused with the same one line, and a dump of
    every table (answers, audit log, score cache...) is unchanged; the fresh version is
    accepted and bumped."""
    a, b = two
    path = tmp_path / "register.db"
    supplier = b.find_supplier("Beta Cloud")
    first = b.set_answer(_answer("Beta Cloud", "partly", "demo"), None)
    assert first.version == 1
    second = b.set_answer(_answer("Beta Cloud", "no", "clause 9"), first.version)
    assert second.version == 2
    before = dump(path)
    for seen, text in ((1, "version 1, now version 2"), (None, "no answer, now version 2")):
        with pytest.raises(StaleRecord) as refused:
            a.set_answer(_answer("Beta Cloud", "yes", "guess"), seen)
        assert refused.value.message == (
            f"answer: changed by someone else since you opened it ({text}); reload and try again"
        )
        assert "\n" not in refused.value.message
        assert dump(path) == before
    # A stale save of the very answer now stored is refused too: the user had not seen it.
    with pytest.raises(StaleRecord):
        a.set_answer(_answer("Beta Cloud", "no", "clause 9"), 1)
    assert dump(path) == before
    b.delete_answer(supplier.id, QUESTION, expected_version=2)
    gone = dump(path)
    with pytest.raises(StaleRecord, match=r"\(version 2, now no answer\)"):
        a.set_answer(_answer("Beta Cloud", "yes"), 2)
    assert dump(path) == gone
    # Saved over what is there now (no answer), it goes through at version 1, then 2.
    assert a.set_answer(_answer("Beta Cloud", "yes", "tested"), None).version == 1
    assert a.set_answer(_answer("Beta Cloud", "yes", "tested again"), 1).version == 2
    kept = b.get_answer(supplier.id, QUESTION)
    assert kept is not None and (kept.answer, kept.evidence, kept.version) == (
        "yes",
        "tested again",
        2,
    )
