"""The synthetic generator's services and dependencies: the benchmark's impact register."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from supplier_register.domain.enums import Criticality, DependencyKind
from supplier_register.interchange import dump_register_json, parse_register_json
from supplier_register.interchange.synthetic import generate_register
from supplier_register.services.impact import register_concentration, supplier_impact
from supplier_register.storage import Repository, open_database

TODAY = dt.date(2026, 11, 26)


def _depth_below(dependencies: list[tuple[str, str]]) -> dict[str, int]:
    """For each supplier others depend on: the longest chain of dependents above it."""
    above: dict[str, list[str]] = defaultdict(list)
    for supplier, depends_on in dependencies:
        above[depends_on].append(supplier)

    def depth(name: str) -> int:
        return max((1 + depth(up) for up in above.get(name, ())), default=0)

    return {name: depth(name) for name in above}


def test_default_output_is_unchanged_by_the_option() -> None:
    plain = generate_register(200, seed=4, today=TODAY)
    rich = generate_register(200, seed=4, today=TODAY, continuity=True)
    assert not plain.services and not plain.dependencies
    assert plain.people == rich.people
    assert plain.suppliers == rich.suppliers
    assert plain.answers == rich.answers
    assert [(c.supplier, c.title) for c in plain.contracts] == [
        (c.supplier, c.title) for c in rich.contracts
    ]
    changed = {c.supplier for a, c in zip(plain.contracts, rich.contracts, strict=True) if a != c}
    strategic = {s.name for s in plain.suppliers if s.criticality is Criticality.STRATEGIC}
    assert changed and changed <= strategic  # only the strategic suppliers' contracts gain facts


def test_continuity_is_reproducible_by_seed() -> None:
    a = dump_register_json(generate_register(120, seed=7, continuity=True))
    assert a == dump_register_json(generate_register(120, seed=7, continuity=True))
    assert a != dump_register_json(generate_register(120, seed=8, continuity=True))


def test_ten_services_per_strategic_supplier_and_chains_five_deep() -> None:
    register = generate_register(600, seed=3, today=TODAY, continuity=True)
    parse_register_json(dump_register_json(register))  # valid as an interchange file
    strategic = [s.name for s in register.suppliers if s.criticality is Criticality.STRATEGIC]
    assert len(register.services) == 10 * len(strategic)
    assert 0 < sum(s.clinical for s in register.services) < len(register.services)
    live = [c for c in register.contracts if c.end_date is None or c.end_date >= TODAY]
    supported = Counter(c.supplier for c in live for _ in c.services)
    assert all(supported[name] == 10 for name in strategic)
    links = [(d.supplier, d.depends_on) for d in register.dependencies]
    assert len(links) == len(set(links))
    depths = _depth_below(links)
    assert max(depths.values()) == 5  # five deep, never deeper
    hosting = Counter(
        d.depends_on for d in register.dependencies if d.kind is DependencyKind.HOSTING
    )
    host, hosted = hosting.most_common(1)[0]
    assert hosted >= 6 and depths[host] == 1

    # it imports (no loop, every name known) and the impact view reaches the whole chain
    repo = Repository(open_database(":memory:"))
    repo.import_register(register)
    bottom = max(depths, key=lambda name: (depths[name], name != host))
    impact = supplier_impact(repo, bottom, TODAY)
    assert max(len(d.path) for d in impact.dependents) == 6  # five links above the bottom
    assert len(impact.services) >= 10
    rows = register_concentration(repo, TODAY, limit=3)
    assert rows[0].services >= len(impact.services)
