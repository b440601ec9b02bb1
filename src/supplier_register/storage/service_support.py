"""Which contracts support each of the trust's services, read in one query for every service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class SupportingContract:
    """A contract (live or ended) as a list of a service's support names it."""

    id: int
    title: str
    supplier_id: int
    supplier: str


def supporting_contracts(db: Database) -> dict[int, list[SupportingContract]]:
    """For each service id that any contract supports, those contracts by supplier then title.

    One query over the links, the contracts and their suppliers, for the whole register
    (not one per service); services no contract supports are absent.
    """
    support: dict[int, list[SupportingContract]] = {}
    rows = db.execute(
        "SELECT cs.service_id, c.id, c.title, s.id, s.name FROM contract_services cs "
        "JOIN contracts c ON c.id = cs.contract_id "
        "JOIN suppliers s ON s.id = c.supplier_id "
        "ORDER BY s.name COLLATE NOCASE, c.title COLLATE NOCASE, c.id"
    ).fetchall()
    for service_id, contract_id, title, supplier_id, supplier in rows:
        support.setdefault(int(service_id), []).append(
            SupportingContract(int(contract_id), str(title), int(supplier_id), str(supplier))
        )
    return support
