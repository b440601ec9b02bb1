#!/usr/bin/env python3
"""Measure audit coverage: random writes of every kind, each checked against a table diff.

Before and after every operation the script snapshots every audited table
(independently of the audit triggers) and works out which rows were inserted,
updated and deleted.  Each of those row changes must have exactly one new
audit entry of the right action whose stored values equal the row after (or,
for a delete, before) the change; entries that match no change are counted
too.  Operations: repository adds, edits (including to and from empty),
deletes with cascades, imports, answers, the trust name, and raw SQL from a
second, plain sqlite3 connection (as someone using the sqlite3 shell would).
At the end the whole log is replayed (``verify_audit``).

Usage: ``python scripts/audit_coverage.py --operations 3000``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sqlite3
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

Row = dict[str, Any]


def snapshot(conn: sqlite3.Connection, tables: list[str]) -> dict[tuple[str, int], Row]:
    out: dict[tuple[str, int], Row] = {}
    for table in tables:
        cursor = conn.execute(f'SELECT rowid AS __rowid, * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            out[(table, int(row.pop("__rowid")))] = row
    return out


@dataclass
class Coverage:
    operations: int = 0
    refused_operations: int = 0
    row_changes: int = 0
    inserts: int = 0
    updates: int = 0
    deletes: int = 0
    recorded: int = 0
    unrecorded: int = 0
    wrong_values: int = 0
    spurious_entries: int = 0
    raw_sql_changes: int = 0
    cascade_changes: int = 0
    replay_ok: bool = False
    by_table: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def run(operations: int, seed: int, control: bool = False) -> Coverage:
    from pydantic import ValidationError

    from supplier_register.domain import Answer, Contract, Person, Register, Supplier
    from supplier_register.domain.errors import RegisterError
    from supplier_register.storage import Repository, open_database
    from supplier_register.storage.audit import auditable_tables, verify_audit

    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="audit-coverage-"))
    path = folder / "register.db"
    db = open_database(path)
    repo = Repository(db)
    raw = sqlite3.connect(path)  # a second program, outside supplier-register
    raw.execute("PRAGMA foreign_keys = ON")
    tables = auditable_tables(db)
    if control:  # negative control: one trigger missing, which the diff must notice
        db.execute("DROP TRIGGER audit_suppliers_update")
    cov = Coverage()
    names = [f"Supplier {i}" for i in range(25)]
    people = [f"Person {i}" for i in range(8)]
    questions = ["options.bulk_export", "options.exit_plan", "relationship.account_manager"]

    def supplier(name: str) -> Supplier:
        return Supplier(
            name=name,
            category=rng.choice(["epr", "other", "cloud_hosting"]),
            criticality=rng.choice(["low", "medium", "high", "strategic"]),
            owner=rng.choice([None, *people]) if repo.list_people() else None,
            annual_spend=rng.choice([None, Decimal(rng.randint(0, 10**6))]),
            notes=rng.choice(["", "late", "[b]x[/b]"]),
        )

    def op() -> str:
        kind = rng.choice(
            [
                "person",
                "supplier",
                "edit",
                "edit",
                "delete",
                "contract",
                "contract_edit",
                "delete_contract",
                "answer",
                "delete_person",
                "import",
                "raw_update",
                "raw_delete",
                "trust",
            ]
        )
        if kind == "person":
            repo.add_person(Person(name=rng.choice(people), role="senior_manager"))
        elif kind == "supplier":
            repo.add_supplier(supplier(rng.choice(names)))
        elif kind == "edit":
            s = repo.find_supplier(rng.choice(names))
            new = supplier(s.name).model_copy(update={"name": s.name})
            repo.update_supplier(s.id, new, expected_version=s.version)
        elif kind == "delete":
            s = repo.find_supplier(rng.choice(names))
            repo.delete_supplier(s.id, expected_version=s.version)
        elif kind == "contract":
            repo.add_contract(
                Contract(
                    supplier=rng.choice(names),
                    title=rng.choice(["Licence", "Support", "Hosting"]),
                    what_is_bought="commodity",
                    contract_type="time_and_materials",
                    notice_period_days=rng.choice([None, 30, 90]),
                )
            )
        elif kind == "contract_edit":
            contracts = repo.list_contracts()
            if contracts:
                c = rng.choice(contracts)
                repo.update_contract(
                    c.id,
                    c.model_copy(update={"notice_period_days": rng.choice([None, 60, 180])}),
                    expected_version=c.version,
                )
        elif kind == "delete_contract":
            contracts = repo.list_contracts()
            if contracts:
                c = rng.choice(contracts)
                repo.delete_contract(c.id, expected_version=c.version)
        elif kind == "answer":
            name, question = rng.choice(names), rng.choice(questions)
            seen = repo.get_answer(repo.find_supplier(name).id, question)
            repo.set_answer(
                Answer(
                    supplier=name,
                    question_id=question,
                    answer=rng.choice(["yes", "no", "partly", "unknown"]),
                ),
                None if seen is None else seen.version,
            )
        elif kind == "delete_person":
            repo.delete_person(repo.find_person(rng.choice(people)).id)
        elif kind == "import":
            chosen = rng.sample(names, 4)
            repo.import_register(
                Register(suppliers=[supplier(n).model_copy(update={"owner": None}) for n in chosen])
            )
        elif kind == "raw_update":
            raw.execute(
                "UPDATE suppliers SET notes = ?, sme = 1 - sme WHERE name = ?",
                [rng.choice(["raw edit", ""]), rng.choice(names)],
            )
            raw.commit()
        elif kind == "raw_delete":
            raw.execute("DELETE FROM suppliers WHERE name = ?", [rng.choice(names)])
            raw.commit()
        elif kind == "trust":
            repo.set_trust_name(rng.choice(["Northmoor Valley NHS FT", "Riverside NHS Trust"]))
        return kind

    last_audit = 0
    for _ in range(operations):
        before = snapshot(raw, tables)
        try:
            kind = op()
        except (RegisterError, ValidationError):
            cov.refused_operations += 1
            kind = "refused"
        cov.operations += 1
        after = snapshot(raw, tables)
        entries = raw.execute(
            "SELECT id, table_name, record_id, action, old_values, new_values FROM audit_log "
            "WHERE id > ? AND action != 'baseline' ORDER BY id",
            [last_audit],
        ).fetchall()
        if entries:
            last_audit = entries[-1][0]
        pending: dict[tuple[str, int, str], list[tuple[Row | None, Row | None]]] = {}
        for _, table, record_id, action, old_t, new_t in entries:
            pending.setdefault((table, int(record_id), action), []).append(
                (json.loads(old_t) if old_t else None, json.loads(new_t) if new_t else None)
            )
        changes: list[tuple[str, int, str]] = []
        for key in before.keys() | after.keys():
            if key not in before:
                changes.append((*key, "insert"))
            elif key not in after:
                changes.append((*key, "delete"))
            elif before[key] != after[key]:
                changes.append((*key, "update"))
        for table, record_id, action in changes:
            cov.row_changes += 1
            setattr(cov, action + "s", getattr(cov, action + "s") + 1)
            cov.by_table[table] = cov.by_table.get(table, 0) + 1
            if kind.startswith("raw"):
                cov.raw_sql_changes += 1
            elif kind in ("delete", "delete_person") and table != (
                "suppliers" if kind == "delete" else "people"
            ):
                cov.cascade_changes += 1
            recorded = pending.get((table, record_id, action))
            if not recorded:
                cov.unrecorded += 1
                cov.problems.append(f"{kind}: {action} of {table} #{record_id} not recorded")
                continue
            old, new = recorded.pop(0)
            expected = after.get((table, record_id)) if action != "delete" else None
            expected_old = before.get((table, record_id)) if action != "insert" else None
            if new != expected or old != expected_old:
                cov.wrong_values += 1
                cov.problems.append(f"{kind}: {action} of {table} #{record_id}: values differ")
            else:
                cov.recorded += 1
        cov.spurious_entries += sum(len(v) for v in pending.values())
    check = verify_audit(db)
    cov.replay_ok = check.ok
    cov.problems.extend(check.problems)
    raw.close()
    db.close()
    for p in sorted(folder.iterdir()):
        p.unlink()
    folder.rmdir()
    return cov


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--operations", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--control", action="store_true", help="negative control: drop one trigger first"
    )
    args = parser.parse_args(argv)
    cov = run(args.operations, args.seed, args.control)
    if args.json:
        print(json.dumps(asdict(cov), indent=2))
    else:
        print(f"operations: {cov.operations} ({cov.refused_operations} refused as invalid)")
        print(
            f"row changes seen by table diff: {cov.row_changes} "
            f"(inserts {cov.inserts}, updates {cov.updates}, deletes {cov.deletes}; "
            f"by raw SQL {cov.raw_sql_changes}, by cascades {cov.cascade_changes})"
        )
        print(f"  by table: {json.dumps(cov.by_table, sort_keys=True)}")
        pct = 100 * cov.recorded / cov.row_changes if cov.row_changes else 100.0
        print(f"recorded with exact old and new values: {cov.recorded} ({pct:.1f}%)")
        print(
            f"unrecorded: {cov.unrecorded}; wrong values: {cov.wrong_values}; "
            f"entries matching no change: {cov.spurious_entries}"
        )
        print(f"whole log replays to the tables: {cov.replay_ok}")
        for problem in cov.problems[:20]:
            print(f"FAIL: {problem}")
    ok = cov.unrecorded == cov.wrong_values == cov.spurious_entries == 0 and cov.replay_ok
    return 0 if ok else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
