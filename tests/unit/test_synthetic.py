"""The synthetic register generator: valid, reproducible and realistically distributed."""

from __future__ import annotations

from collections import Counter

from supplier_register.interchange import dump_register_json, parse_register_json
from supplier_register.interchange.synthetic import generate_register
from supplier_register.storage import Repository, open_database


def test_same_seed_same_register_other_seed_differs() -> None:
    a = dump_register_json(generate_register(50, seed=7))
    assert a == dump_register_json(generate_register(50, seed=7))
    assert a != dump_register_json(generate_register(50, seed=8))


def test_generated_register_is_valid_and_imports() -> None:
    register = generate_register(300, seed=3)
    parse_register_json(dump_register_json(register))  # full validation incl. question ids
    repo = Repository(open_database(":memory:"))
    repo.import_register(register)
    counts = repo.counts()
    assert counts["suppliers"] == 300
    assert 600 <= counts["contracts"] <= 1200  # about three each
    crit = Counter(s.criticality.value for s in register.suppliers)
    assert crit["low"] > crit["medium"] > crit["high"] > crit["strategic"] > 0
    per_supplier = Counter(a.supplier for a in register.answers)
    strategic = [s.name for s in register.suppliers if s.criticality == "strategic"]
    low = [s.name for s in register.suppliers if s.criticality == "low"]
    assert min(per_supplier[n] for n in strategic) > max(per_supplier[n] for n in low) / 2
