"""The services with the contracts that support them: one read for the whole register."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplier_register.domain.models import Service
from supplier_register.services.continuity import ServiceSummary, read_services
from supplier_register.services.linked import service_rows
from supplier_register.storage import Repository, open_database
from tests.support.registers import linked_register


def _loaded(path: Path, extra_services: int = 0) -> Repository:
    repo = Repository(open_database(path))
    repo.import_register(linked_register())
    for i in range(extra_services):
        repo.add_service(Service(name=f"Extra service {i:02d}", clinical=False))
    return repo


def test_rows_list_the_same_contracts_as_each_service_read_on_its_own(tmp_path: Path) -> None:
    repo = _loaded(tmp_path / "r.db", extra_services=2)
    rows = service_rows(repo)
    assert [r.service for r in rows] == repo.list_services()
    for row in rows:
        alone = repo.contracts_of_service(row.service.id)
        assert [(c.id, c.title, c.supplier_id, c.supplier) for c in row.contracts] == [
            (c.id, c.title, c.supplier_id, c.supplier) for c in alone
        ]
        assert row.suppliers == list(dict.fromkeys(c.supplier for c in alone))
        assert row.supplier_count == len({c.supplier_id for c in alone})
    assert any(len(r.contracts) > 1 for r in rows)  # the register has a shared service
    assert [r.contracts for r in rows if r.service.name.startswith("Extra")] == [(), ()]


def test_the_tui_summary_counts_contracts_and_suppliers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _loaded(tmp_path / "r.db")

    def per_service(*_args: object) -> None:
        raise AssertionError("a service's contracts read on their own")

    with monkeypatch.context() as patch:
        patch.setattr(Repository, "contracts_of_service", per_service)
        summaries = read_services(tmp_path / "r.db")
    assert summaries == [
        ServiceSummary(
            service=s,
            contracts=len(repo.contracts_of_service(s.id)),
            suppliers=len({c.supplier_id for c in repo.contracts_of_service(s.id)}),
        )
        for s in repo.list_services()
    ]


def _statements(repo: Repository) -> list[str]:
    seen: list[str] = []
    repo.db.conn.set_trace_callback(seen.append)
    try:
        service_rows(repo)
    finally:
        repo.db.conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def test_the_reads_do_not_grow_with_the_services(tmp_path: Path) -> None:
    """As many queries for 23 services as for 3: not one (or more) per service."""
    few = _statements(_loaded(tmp_path / "few.db"))
    many = _statements(_loaded(tmp_path / "many.db", extra_services=20))
    assert len(few) == len(many) == 2
    assert not any("c.*" in s for s in many)  # the contracts' titles only, not whole rows
