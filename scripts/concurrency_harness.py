#!/usr/bin/env python3
"""Processes edit the same records at once: count lost updates, conflicts and misdirected saves.

Each worker process makes ``--edits`` read-modify-write edits through the
Repository (the code the TUI and CLI use), going round five kinds: one shared
supplier (annual spend + £1), one shared contract (annual value + £1), one
shared questionnaire answer (its evidence, a number, + 1), a rename of one of
two suppliers (spend + £1; then a new supplier takes the name it had), and a
move of the contract to the other supplier (value + £1).  Every save passes
the version it read (``expected_version``; for the answer, the version of the
answer read) and gives a contract's or answer's supplier by id; a save refused
with StaleRecord is a *conflict caught*: the worker reloads and tries again,
as a person would after the "reload" message.

At the end the shared amounts must have grown by exactly the number of
successful edits (lost updates = expected - actual = 0), the versions must have
advanced once per edit, the audit log must hold one update per edit, no
save of the contract or the answer may have gone to a newcomer that took a renamed
supplier's name (every one is in the audit log),
the kept scores (``storage.score_cache``) must equal a fresh scoring, and no
worker may have seen "database is locked" or any other database error.

Negative controls: ``--blind`` saves without versions (last writer wins), which
loses updates under contention; ``--by-name`` saves contracts and answers to the
supplier by the name read before thinking, which sends some to the newcomers.

Usage: ``python scripts/concurrency_harness.py --edits 500`` (``--json`` for JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
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
OTHER = "Other Supplier Ltd"
CONTRACT = "Shared Contract"
QUESTION = "options.bulk_export"
KINDS = ("supplier", "contract", "answer", "rename", "move")
"""The edits each worker makes in turn (see :func:`worker`)."""


def worker(
    db_path: Path,
    edits: int,
    blind: bool,
    start_at: float,
    name: str,
    think_ms: float,
    by_name: bool = False,
) -> dict[str, object]:
    """Make ``edits`` successful edits, retrying on conflicts; return what happened.

    The edits go round :data:`KINDS`, each adding one to a counter of the
    record it edits: ``supplier`` (the shared supplier's annual spend),
    ``contract`` (the shared contract's annual value), ``answer`` (the shared
    answer's evidence, a number), ``rename`` (one of the two suppliers renamed,
    its spend + £1; then a new supplier takes the name it had, as somebody
    adding a supplier might) and ``move`` (the contract moved to the other
    supplier, its value + £1).  Contracts and answers are saved to their
    supplier by id.  Between reading a record and saving it the worker "thinks"
    for a random 0 to ``think_ms`` milliseconds, as a person editing a form does
    (for far longer), so that the workers' edits overlap.

    ``blind`` saves without versions; ``by_name`` saves contracts and answers to
    the supplier by the name read before thinking (the old way): both are
    negative controls.
    """
    os.environ["SUPPLIER_REGISTER_USER"] = name
    from supplier_register.domain import Answer, Supplier
    from supplier_register.domain.errors import Duplicate, RegisterError, StaleRecord
    from supplier_register.storage import Repository, open_database

    db = open_database(db_path)
    repo = Repository(db)
    shared_id = repo.find_supplier(SUPPLIER).id
    other_id = repo.find_supplier(OTHER).id
    contract_id = repo.list_contracts(shared_id)[0].id
    done = dict.fromkeys(KINDS, 0)
    spend_edits = {shared_id: 0, other_id: 0}
    conflicts = 0
    decoys = 0
    locked_errors: list[str] = []
    other_errors: list[str] = []
    rng = random.Random(name)
    while time.time() < start_at:  # the workers start together
        time.sleep(0.001)

    def think() -> None:
        time.sleep(rng.uniform(0, think_ms) / 1000)

    def edit_supplier(supplier_id: int, rename: str | None) -> None:
        s = repo.get_supplier(supplier_id)
        think()
        update: dict[str, object] = {"annual_spend": (s.annual_spend or Decimal(0)) + 1}
        if rename is not None:
            update["name"] = rename
        repo.update_supplier(
            supplier_id, s.model_copy(update=update), expected_version=None if blind else s.version
        )
        spend_edits[supplier_id] += 1
        if rename is not None:
            nonlocal decoys
            try:  # a newcomer takes the old name: a save by that name would now go to it
                repo.add_supplier(Supplier(name=s.name, category="other", criticality="low"))
                decoys += 1
            except Duplicate:
                pass

    def edit_contract(move: bool) -> None:
        c = repo.get_contract(contract_id)
        target = (other_id if c.supplier_id == shared_id else shared_id) if move else c.supplier_id
        seen_name = repo.get_supplier(target).name
        think()
        changed = c.model_copy(
            update={"annual_value": (c.annual_value or Decimal(0)) + 1, "supplier": seen_name}
        )
        version = None if blind else c.version
        if by_name:
            repo.update_contract(contract_id, changed, version)
        else:
            repo.update_contract(contract_id, changed, version, supplier_id=target)

    def edit_answer() -> None:
        a = repo.get_answer(shared_id, QUESTION)
        assert a is not None
        think()
        answer = Answer(
            supplier=a.supplier,
            question_id=QUESTION,
            answer=a.answer,
            evidence=str(int(a.evidence) + 1),
        )
        if blind:  # last writer wins: saved over whatever is there at that moment
            now = repo.get_answer(shared_id, QUESTION)
            repo.set_answer(answer, None if now is None else now.version, supplier_id=shared_id)
        elif by_name:
            repo.set_answer(answer, a.version)
        else:
            repo.set_answer(answer, a.version, supplier_id=shared_id)

    began = time.monotonic()
    started_wall = time.time()
    offset = rng.randrange(len(KINDS))  # workers out of step: one renames while another saves
    for i in range(edits):
        kind = KINDS[(i + offset) % len(KINDS)]
        while True:
            try:
                if kind == "supplier":
                    edit_supplier(shared_id, None)
                elif kind == "rename":
                    target = shared_id if (i // len(KINDS)) % 2 == 0 else other_id
                    base = SUPPLIER if target == shared_id else OTHER
                    edit_supplier(target, f"{base} ({name}, edit {i})")
                elif kind in ("contract", "move"):
                    edit_contract(move=kind == "move")
                else:
                    edit_answer()
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
        "edits": done,
        "spend_edits": {str(k): v for k, v in spend_edits.items()},
        "decoys": decoys,
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
    by_name: bool = False
    think_ms: float = 0.0
    successful_edits: int = 0
    edits_by_kind: dict[str, int] = field(default_factory=dict)
    conflicts_caught: int = 0
    lost_supplier_updates: int = 0
    lost_contract_updates: int = 0
    lost_answer_updates: int = 0
    version_mismatch: int = 0
    audit_updates: int = 0
    decoys: int = 0
    """Suppliers added under a name another supplier had just been renamed from."""
    misdirected: int = 0
    """Saves of the contract or the answer that went to a newcomer (a decoy), from the audit log."""
    stale_scores: int = 0
    """Suppliers whose kept score differs from a fresh scoring at the end."""
    locked_errors: int = 0
    other_errors: int = 0
    seconds: float = 0.0
    details: list[dict[str, object]] = field(default_factory=list)

    @property
    def lost_updates(self) -> int:
        return self.lost_supplier_updates + self.lost_contract_updates + self.lost_answer_updates


def setup(db_path: Path) -> None:
    from supplier_register.domain import Answer, Contract, Supplier
    from supplier_register.services.register_scoring import prepare_scoring
    from supplier_register.storage import Repository, open_database

    db = open_database(db_path)
    repo = Repository(db)
    for supplier in (SUPPLIER, OTHER):
        repo.add_supplier(
            Supplier(
                name=supplier, category="epr", criticality="strategic", annual_spend=Decimal(0)
            )
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
    repo.set_answer(Answer(supplier=SUPPLIER, question_id=QUESTION, answer="yes", evidence="0"))
    prepare_scoring(db, dt.date.today()).overview()  # kept scores, to be kept up to date
    db.close()


def run(
    edits: int,
    workers: int = 2,
    blind: bool = False,
    workdir: Path | None = None,
    think_ms: float = 2.0,
    import_suppliers: int = 0,
    by_name: bool = False,
) -> Result:
    """Run the workers against a fresh register and check the outcome."""
    from supplier_register.services.register_scoring import prepare_scoring
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
                "1" if by_name else "0",
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
    result = Result(
        workers=workers, edits_per_worker=edits, blind=blind, by_name=by_name, think_ms=think_ms
    )
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
    spend_edits: dict[int, int] = {}
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise RuntimeError(f"worker crashed: {err.strip()[-2000:]}")
        detail = json.loads(out)
        result.details.append(detail)
        if "locked" in err:
            result.locked_errors += 1
        for kind, count in detail["edits"].items():
            result.edits_by_kind[kind] = result.edits_by_kind.get(kind, 0) + int(count)
        for key, count in detail["spend_edits"].items():
            spend_edits[int(key)] = spend_edits.get(int(key), 0) + int(count)
        result.decoys += int(detail["decoys"])
        result.conflicts_caught += int(detail["conflicts"])
        result.locked_errors += len(detail["locked_errors"])
        result.other_errors += len(detail["other_errors"])
        result.seconds = max(result.seconds, float(detail["seconds"]))
    kinds = result.edits_by_kind
    result.successful_edits = sum(kinds.values())
    contract_edits = kinds.get("contract", 0) + kinds.get("move", 0)
    answer_edits = kinds.get("answer", 0)
    db = open_database(db_path)
    repo = Repository(db)
    contract = repo.get_contract(
        db.execute("SELECT id FROM contracts WHERE title = ?", [CONTRACT]).fetchone()[0]
    )
    answer = repo.list_answers()
    home = {int(i) for i in spend_edits}
    for supplier_id, count in spend_edits.items():
        supplier = repo.get_supplier(supplier_id)
        result.lost_supplier_updates += count - int(supplier.annual_spend or 0)
        result.version_mismatch += abs(supplier.version - 1 - count)
    result.lost_contract_updates = contract_edits - int(contract.annual_value or 0)
    result.version_mismatch += abs(contract.version - 1 - contract_edits)
    shared_id = int(
        db.execute(
            "SELECT record_id FROM audit_log WHERE table_name = 'suppliers' "
            "AND action = 'insert' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    )  # the first supplier added, the shared one (it may have been renamed since)
    found = [a for a in answer if a.question_id == QUESTION and a.supplier_id == shared_id]
    result.lost_answer_updates = answer_edits - sum(int(a.evidence) for a in found)
    result.version_mismatch += sum(abs(a.version - 1 - answer_edits) for a in found)
    decoys = [  # the newcomers: suppliers holding a name one of the two had before
        int(r[0])
        for r in db.execute(
            "SELECT id FROM suppliers WHERE substr(name, 1, length(?)) = ? "
            "OR substr(name, 1, length(?)) = ?",
            [SUPPLIER, SUPPLIER, OTHER, OTHER],
        )
        if int(r[0]) not in home
    ]
    marks = ", ".join("?" for _ in decoys)
    result.misdirected = db.execute(  # every save, including those a later move put right
        "SELECT count(*) FROM audit_log WHERE table_name IN ('contracts', 'answers') "
        f"AND action IN ('insert', 'update') AND supplier_id IN ({marks})",
        decoys,
    ).fetchone()[0]
    result.audit_updates = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'update' "
        "AND table_name IN ('suppliers', 'contracts', 'answers')"
    ).fetchone()[0]
    today = dt.date.today()
    kept = prepare_scoring(db, today).overview().suppliers
    fresh = {o.supplier: o for o in prepare_scoring(db, today).overview(cache=False).suppliers}
    result.stale_scores = sum(1 for o in kept if fresh.get(o.supplier) != o)
    db.close()
    if workdir is None:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        db_path, edits, blind, start_at, name, think, by_name = argv[1:8]
        print(
            json.dumps(
                worker(
                    Path(db_path),
                    int(edits),
                    blind == "1",
                    float(start_at),
                    name,
                    float(think),
                    by_name == "1",
                )
            )
        )
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=500, help="successful edits per worker")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blind", action="store_true", help="negative control: no versions")
    parser.add_argument(
        "--by-name",
        action="store_true",
        help="negative control: contracts and answers saved to their supplier by name",
    )
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
        by_name=args.by_name,
    )
    if args.json:
        print(json.dumps({**asdict(result), "lost_updates": result.lost_updates}, indent=2))
    else:
        mode = (
            "blind saves (control)"
            if args.blind
            else "saves by supplier name (control)"
            if args.by_name
            else "saves with expected_version, by id"
        )
        extra = (
            f", plus a CLI import of {args.import_suppliers} suppliers"
            if args.import_suppliers
            else ""
        )
        print(f"{result.workers} processes x {result.edits_per_worker} edits, {mode}{extra}")
        print(f"successful edits: {result.successful_edits} in {result.seconds:.1f} s")
        print("  by kind: " + ", ".join(f"{k} {v}" for k, v in result.edits_by_kind.items()))
        print(f"conflicts caught (StaleRecord, reloaded and retried): {result.conflicts_caught}")
        print(
            f"lost updates: {result.lost_updates} (supplier {result.lost_supplier_updates}, "
            f"contract {result.lost_contract_updates}, answer {result.lost_answer_updates})"
        )
        print(
            f"newcomers taking a renamed supplier's old name: {result.decoys}; saves of the "
            f"contract or answer that followed a name to one of them: {result.misdirected}"
        )
        print(f"kept scores differing from a fresh scoring: {result.stale_scores}")
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
    ok = (
        result.lost_updates == 0
        and result.misdirected == 0
        and result.stale_scores == 0
        and result.version_mismatch == 0
        and result.locked_errors == 0
        and result.other_errors == 0
    )
    return 0 if ok or args.blind or args.by_name else 1


if __name__ == "__main__":
    sys.exit(main())
