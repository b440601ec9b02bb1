#!/usr/bin/env python3
"""Two processes edit the same supplier and contract at once: count lost updates and conflicts.

Each worker process makes ``--edits`` read-modify-write edits through the
Repository (the code the TUI and CLI use), alternating between one shared
supplier (annual spend + £1) and one shared contract (annual value + £1).
Every save passes the version it read (``expected_version``); a save refused
with StaleRecord is a *conflict caught*: the worker reloads and tries again,
as a person would after the "reload" message.

At the end the shared amounts must have grown by exactly the number of
successful edits (lost updates = expected - actual = 0), the versions must have
advanced once per edit, the audit log must hold one update per edit, and no
worker may have seen "database is locked" or any other database error.

``--blind`` is the negative control: saves without ``expected_version`` (last
writer wins), which loses updates under contention and shows the check works.

Usage: ``python scripts/concurrency_harness.py --edits 500`` (``--json`` for JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

SUPPLIER = "Shared Supplier [UK] Ltd"
CONTRACT = "Shared Contract"


def worker(
    db_path: Path, edits: int, blind: bool, start_at: float, name: str, think_ms: float
) -> dict[str, object]:
    """Make ``edits`` successful edits, retrying on conflicts; return what happened.

    Between reading a record and saving it the worker "thinks" for a random
    0 to ``think_ms`` milliseconds, as a person editing a form does (for far
    longer), so that the two workers' edits overlap.
    """
    os.environ["SUPPLIER_REGISTER_USER"] = name
    from supplier_register.domain.errors import RegisterError, StaleRecord
    from supplier_register.storage import Repository, open_database

    db = open_database(db_path)
    repo = Repository(db)
    supplier_id = repo.find_supplier(SUPPLIER).id
    contract_id = repo.list_contracts(supplier_id)[0].id
    done = {"supplier": 0, "contract": 0}
    conflicts = 0
    locked_errors: list[str] = []
    other_errors: list[str] = []
    rng = random.Random(name)
    while time.time() < start_at:  # both workers start together
        time.sleep(0.001)
    began = time.monotonic()
    started_wall = time.time()
    for i in range(edits):
        kind = "supplier" if i % 2 == 0 else "contract"
        while True:
            try:
                if kind == "supplier":
                    s = repo.get_supplier(supplier_id)
                    time.sleep(rng.uniform(0, think_ms) / 1000)
                    changed = s.model_copy(update={"annual_spend": s.annual_spend + Decimal(1)})
                    repo.update_supplier(
                        supplier_id, changed, expected_version=None if blind else s.version
                    )
                else:
                    c = repo.get_contract(contract_id)
                    time.sleep(rng.uniform(0, think_ms) / 1000)
                    changed_c = c.model_copy(update={"annual_value": c.annual_value + Decimal(1)})
                    repo.update_contract(
                        contract_id, changed_c, expected_version=None if blind else c.version
                    )
                done[kind] += 1
                break
            except StaleRecord:
                conflicts += 1  # reload and try again
            except sqlite3.OperationalError as exc:  # must never happen
                (locked_errors if "locked" in str(exc) else other_errors).append(str(exc))
                break
            except RegisterError as exc:
                other_errors.append(exc.message)
                break
    seconds = time.monotonic() - began
    db.close()
    return {
        "name": name,
        "supplier_edits": done["supplier"],
        "contract_edits": done["contract"],
        "conflicts": conflicts,
        "locked_errors": locked_errors,
        "other_errors": other_errors,
        "seconds": round(seconds, 2),
        "started": started_wall,
        "finished": time.time(),
    }


@dataclass
class Result:
    """Figures of one run."""

    workers: int
    edits_per_worker: int
    blind: bool
    think_ms: float = 0.0
    successful_edits: int = 0
    conflicts_caught: int = 0
    lost_supplier_updates: int = 0
    lost_contract_updates: int = 0
    version_mismatch: int = 0
    audit_updates: int = 0
    locked_errors: int = 0
    other_errors: int = 0
    seconds: float = 0.0
    details: list[dict[str, object]] = field(default_factory=list)

    @property
    def lost_updates(self) -> int:
        return self.lost_supplier_updates + self.lost_contract_updates


def setup(db_path: Path) -> None:
    from supplier_register.domain import Contract, Supplier
    from supplier_register.storage import Repository, open_database

    db = open_database(db_path)
    repo = Repository(db)
    repo.add_supplier(
        Supplier(name=SUPPLIER, category="epr", criticality="strategic", annual_spend=Decimal(0))
    )
    repo.add_contract(
        Contract(
            supplier=SUPPLIER,
            title=CONTRACT,
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            annual_value=Decimal(0),
        )
    )
    db.close()


def run(
    edits: int,
    workers: int = 2,
    blind: bool = False,
    workdir: Path | None = None,
    think_ms: float = 2.0,
    import_suppliers: int = 0,
) -> Result:
    """Run the workers against a fresh register and check the outcome."""
    from supplier_register.storage import Repository, open_database

    folder = Path(tempfile.mkdtemp(prefix="concurrency-")) if workdir is None else workdir
    db_path = folder / "register.db"
    setup(db_path)
    start_at = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                str(db_path),
                str(edits),
                "1" if blind else "0",
                str(start_at),
                f"worker {n + 1}",
                str(think_ms),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(workers)
    ]
    importer = None
    if import_suppliers:
        # A big import through the CLI holds the write lock for a while, mid-way through the edits.
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from crash_harness import batch_register

        file = folder / "big.json"
        file.write_text(json.dumps(batch_register(1, import_suppliers, 0)), encoding="utf-8")
        time.sleep(max(0.0, start_at - time.time() + 0.3))
        import_began = time.time()
        importer = subprocess.run(
            [sys.executable, "-m", "supplier_register", "--db", str(db_path), "import", str(file)],
            capture_output=True,
            text=True,
            timeout=900,
        )
    result = Result(workers=workers, edits_per_worker=edits, blind=blind, think_ms=think_ms)
    if importer is not None:
        result.details.append(
            {
                "import_started": import_began,
                "import_finished": time.time(),
                "import_exit": importer.returncode,
            }
        )
        if importer.returncode != 0:
            result.other_errors += 1
            result.details.append({"import": importer.stderr.strip()[-500:]})
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise RuntimeError(f"worker crashed: {err.strip()[-2000:]}")
        detail = json.loads(out)
        result.details.append(detail)
        if "locked" in err:
            result.locked_errors += 1
        result.conflicts_caught += int(detail["conflicts"])
        result.locked_errors += len(detail["locked_errors"])  # type: ignore[arg-type]
        result.other_errors += len(detail["other_errors"])  # type: ignore[arg-type]
        result.seconds = max(result.seconds, float(detail["seconds"]))  # type: ignore[arg-type]
    workers_done = [d for d in result.details if "supplier_edits" in d]
    supplier_edits = sum(int(d["supplier_edits"]) for d in workers_done)  # type: ignore[call-overload]
    contract_edits = sum(int(d["contract_edits"]) for d in workers_done)  # type: ignore[call-overload]
    result.successful_edits = supplier_edits + contract_edits
    db = open_database(db_path)
    repo = Repository(db)
    supplier = repo.find_supplier(SUPPLIER)
    contract = repo.list_contracts(supplier.id)[0]
    result.lost_supplier_updates = supplier_edits - int(supplier.annual_spend or 0)
    result.lost_contract_updates = contract_edits - int(contract.annual_value or 0)
    result.version_mismatch = abs(supplier.version - 1 - supplier_edits) + abs(
        contract.version - 1 - contract_edits
    )
    result.audit_updates = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'update' "
        "AND table_name IN ('suppliers', 'contracts')"
    ).fetchone()[0]
    db.close()
    if workdir is None:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        db_path, edits, blind, start_at, name, think = argv[1:7]
        print(
            json.dumps(
                worker(Path(db_path), int(edits), blind == "1", float(start_at), name, float(think))
            )
        )
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=500, help="successful edits per worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blind", action="store_true", help="negative control: no versions")
    parser.add_argument(
        "--think-ms", type=float, default=2.0, help="longest pause between reading and saving"
    )
    parser.add_argument(
        "--import-suppliers",
        type=int,
        default=0,
        help="also import this many suppliers (with contracts and answers) through the CLI "
        "while the workers edit, holding the write lock for a while",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(
        args.edits,
        args.workers,
        args.blind,
        think_ms=args.think_ms,
        import_suppliers=args.import_suppliers,
    )
    if args.json:
        print(json.dumps({**asdict(result), "lost_updates": result.lost_updates}, indent=2))
    else:
        mode = "blind saves (control)" if args.blind else "saves with expected_version"
        extra = (
            f", plus a CLI import of {args.import_suppliers} suppliers"
            if args.import_suppliers
            else ""
        )
        print(f"{result.workers} processes x {result.edits_per_worker} edits, {mode}{extra}")
        print(f"successful edits: {result.successful_edits} in {result.seconds:.1f} s")
        print(f"conflicts caught (StaleRecord, reloaded and retried): {result.conflicts_caught}")
        print(
            f"lost updates: {result.lost_updates} (supplier {result.lost_supplier_updates}, "
            f"contract {result.lost_contract_updates})"
        )
        print(
            f"version drift: {result.version_mismatch}; audit update entries: {result.audit_updates}"
        )
        print(
            f"'database is locked' seen by a worker: {result.locked_errors}; other errors: {result.other_errors}"
        )
        imports = [d for d in result.details if "import_started" in d]
        spans = [d for d in result.details if "started" in d]
        if imports and spans:
            first = min(float(str(d["started"])) for d in spans)
            last = max(float(str(d["finished"])) for d in spans)
            began = float(str(imports[0]["import_started"])) - first
            ended = float(str(imports[0]["import_finished"])) - first
            print(
                f"the import ran from {began:.1f} s to {ended:.1f} s of the workers' {last - first:.1f} s"
            )
    ok = result.lost_updates == 0 and result.locked_errors == 0 and result.other_errors == 0
    return 0 if ok or args.blind else 1


if __name__ == "__main__":
    sys.exit(main())
