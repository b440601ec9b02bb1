#!/usr/bin/env python3
"""Kill -9 the register at random moments of large imports and edits; check nothing is half-done.

Each run starts one real writer in a subprocess and SIGKILLs it:

* ``import``: ``python -m supplier_register --db DB import batch.json`` creating a new
  batch of suppliers, contracts, answers and people (thousands of rows in one
  transaction);
* ``reimport``: the same command re-importing an existing batch with every
  supplier's notes changed (thousands of updates);
* ``delete``: a subprocess deleting every supplier of a batch in one transaction
  (cascading to its contracts and answers);
* ``edit``: a subprocess making many edits in a row, each changing every contract
  of a batch in one transaction, through the same Repository the TUI uses;
* ``answers``: the same for every questionnaire answer of a batch (each saved
  over the version read);
* ``rename``: the same renaming every supplier of a batch;
* ``move``: the same moving every contract of a batch to the next supplier of
  the batch (by id).

The kill comes either after a random delay, or (half the runs) the moment the
WAL file has grown past a random size, which lands it while SQLite is writing
the transaction's pages.  After every run, from a fresh connection:

* ``PRAGMA integrity_check`` is ``ok`` and ``PRAGMA foreign_key_check`` is empty;
* every batch is wholly present (all its rows, all at one revision, every contract,
  answer and name at one step of the edits, renames and moves) or wholly absent,
  and is in the state before or after the killed operation, nothing else;
* the audit log replays to exactly the tables (the log is as atomic as the data).

Usage: ``python scripts/crash_harness.py --runs 120`` (figures printed at the end;
``--json`` for machine-readable output).  ``tests/storage/test_crash_safety.py`` runs a
smaller version.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NamedTuple

QUESTION_IDS = (
    "options.bulk_export",
    "options.exit_plan",
    "relationship.account_manager",
)

EDIT_WORKER = r"""
import sys
from supplier_register.storage import Repository, open_database, write_transaction
db_path, prefix, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = open_database(db_path)
repo = Repository(db)
for k in range(start, start + count):
    with write_transaction(db):
        for c in repo.list_contracts():
            if c.supplier.startswith(prefix):
                repo.update_contract(c.id, c.model_copy(update={"notes": f"edit {k}"}),
                                     expected_version=c.version)
    print(k, flush=True)
"""

ANSWER_WORKER = r"""
import sys
from supplier_register.domain import Answer
from supplier_register.storage import Repository, open_database, write_transaction
db_path, prefix, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = open_database(db_path)
repo = Repository(db)
for k in range(start, start + count):
    with write_transaction(db):
        for a in repo.list_answers():
            if a.supplier.startswith(prefix):
                changed = Answer(supplier=a.supplier, question_id=a.question_id, answer=a.answer,
                                 evidence=f"edit {k}")
                repo.set_answer(changed, a.version, supplier_id=a.supplier_id)
    print(k, flush=True)
"""

RENAME_WORKER = r"""
import re, sys
from supplier_register.storage import Repository, open_database, write_transaction
db_path, prefix, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = open_database(db_path)
repo = Repository(db)
for k in range(start, start + count):
    with write_transaction(db):
        for s in repo.list_suppliers():
            if s.name.startswith(prefix):
                name = re.sub(r" r[0-9]+$", "", s.name) + f" r{k}"
                repo.update_supplier(s.id, s.model_copy(update={"name": name}),
                                     expected_version=s.version)
    print(k, flush=True)
"""

MOVE_WORKER = r"""
import re, sys
from supplier_register.storage import Repository, open_database, write_transaction
db_path, prefix, start, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
db = open_database(db_path)
repo = Repository(db)
def index(name):
    return int(re.search(r"Supplier ([0-9]{5})", name).group(1))
for k in range(start, start + count):
    with write_transaction(db):
        ids = {index(s.name): s.id for s in repo.list_suppliers() if s.name.startswith(prefix)}
        for c in repo.list_contracts():
            if c.supplier.startswith(prefix):
                # to the next supplier of the batch, titled for this move (titles stay unique)
                title = re.sub(r" m[0-9]+$", "", c.title) + f" m{k}"
                to = ids[(index(c.supplier) + 1) % len(ids)]
                repo.update_contract(c.id, c.model_copy(update={"title": title}),
                                     expected_version=c.version, supplier_id=to)
    print(k, flush=True)
"""

DELETE_WORKER = r"""
import sys
from supplier_register.storage import Repository, open_database, write_transaction
db_path, prefix = sys.argv[1], sys.argv[2]
db = open_database(db_path)
repo = Repository(db)
with write_transaction(db):
    for s in repo.list_suppliers():
        if s.name.startswith(prefix):
            repo.delete_supplier(s.id, expected_version=s.version)
print("deleted", flush=True)
"""


CONTROL_WORKER = r"""
import sys
from supplier_register.interchange import read_register_file
from supplier_register.storage import Repository, open_database
from pathlib import Path
# A deliberately unsafe importer (one transaction per record) that the harness must catch.
db_path, file = sys.argv[1], sys.argv[2]
register = read_register_file(Path(file))
repo = Repository(open_database(db_path))
for p in register.people:
    repo.add_person(p)
for s in register.suppliers:
    repo.add_supplier(s)
for c in register.contracts:
    repo.add_contract(c)
for a in register.answers:
    repo.set_answer(a)
"""


def question_ids() -> tuple[str, ...]:
    """Three real question ids (the importer refuses unknown questions)."""
    try:
        from supplier_register.scoring.questions import default_question_bank

        return tuple(q.id for q in default_question_bank().questions[:3])
    except Exception:  # pragma: no cover - the bank is part of the package
        return QUESTION_IDS


def batch_register(
    batch: int, suppliers: int, revision: int, renames: int = 0, moves: int = 0
) -> dict[str, object]:
    """Interchange JSON for one batch: people, suppliers, two contracts and three answers each.

    ``renames`` and ``moves`` give the batch as the rename and move workers leave
    it after that many steps: every supplier's name ends " r<renames>", and the
    contracts of supplier ``i`` belong to supplier ``i + moves`` with titles
    ending " m<moves>" (a re-import then updates them rather than adding more).
    """
    prefix = f"B{batch:03d} "
    owners = [f"{prefix}Owner {k}" for k in range(max(1, suppliers // 50))]
    questions = question_ids()

    def name(i: int) -> str:
        return f"{prefix}Supplier {i:05d}" + (f" r{renames}" if renames else "")

    def title(base: str) -> str:
        return f"{base} m{moves}" if moves else base

    return {
        "people": [{"name": name, "role": "senior_manager"} for name in owners],
        "suppliers": [
            {
                "name": name(i),
                "category": "other",
                "criticality": ["low", "medium", "high", "strategic"][i % 4],
                "owner": owners[i % len(owners)],
                "annual_spend": 1000 + i,
                "notes": f"revision {revision}",
            }
            for i in range(suppliers)
        ],
        "contracts": [
            {
                "supplier": name((i + moves) % suppliers),
                "title": title(base),
                "what_is_bought": "commodity",
                "contract_type": "time_and_materials",
                "end_date": "2028-03-31",
                "notice_period_days": 90,
                "annual_value": 500 + i,
                "notes": "edit 0",
            }
            for i in range(suppliers)
            for base in ("Licence", "Support")
        ],
        "answers": [
            {"supplier": name(i), "question_id": q, "answer": "partly"}
            for i in range(suppliers)
            for q in questions
        ],
    }


class State(NamedTuple):
    """A batch as stored."""

    status: str  # "present" or "absent"
    revision: int
    edit: int
    people: bool
    answers: int = 0
    renames: int = 0
    moves: int = 0


STEPS = {"edit": "edit", "answers": "answers", "rename": "renames", "move": "moves"}
"""Operations made of steps (one transaction each), and the part of the state each step moves on."""
STEP_WORKERS = {
    "edit": EDIT_WORKER,
    "answers": ANSWER_WORKER,
    "rename": RENAME_WORKER,
    "move": MOVE_WORKER,
}


@dataclass
class Batch:
    """What the harness knows of one batch: absent, or present at a revision."""

    number: int
    present: bool = False
    revision: int = 0
    edit: int = 0  # notes of all its contracts: "edit N"
    people: bool = False  # its people stay when its suppliers are deleted
    answers: int = 0  # evidence of all its answers: "edit N" ("" for 0)
    renames: int = 0  # every supplier's name ends " rN"
    moves: int = 0  # contracts moved N suppliers on, titles ending " mN"

    def state(self) -> State:
        if self.present:
            return State(
                "present",
                self.revision,
                self.edit,
                self.people,
                self.answers,
                self.renames,
                self.moves,
            )
        return State("absent", 0, 0, self.people, 0, 0, 0)

    def take(self, seen: State) -> None:
        self.present = seen.status == "present"
        self.revision, self.edit, self.people = seen.revision, seen.edit, seen.people
        self.answers, self.renames, self.moves = seen.answers, seen.renames, seen.moves

    @property
    def prefix(self) -> str:
        return f"B{self.number:03d} "


@dataclass
class Figures:
    """Counts for the report."""

    runs: int = 0
    kills: int = 0
    finished_before_kill: int = 0
    kills_mid_write: int = 0  # WAL frames of the transaction written, yet rolled back
    kills_before_wal: int = (
        0  # rolled back with nothing in the WAL yet (start-up, or pages in memory)
    )
    committed_then_killed: int = 0
    rolled_back: int = 0
    integrity_ok: int = 0
    partial_batches: int = 0
    wrong_state: int = 0
    audit_ok: int = 0
    by_operation: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def observe(db_path: Path, batch: Batch, suppliers: int) -> State | str:
    """The batch as stored (see :class:`State`), or what is damaged."""
    conn = sqlite3.connect(db_path)
    try:
        like = batch.prefix + "%"
        n_sup, revs = conn.execute(
            "SELECT count(*), count(DISTINCT notes) FROM suppliers WHERE name LIKE ?", [like]
        ).fetchone()
        n_con, edits = conn.execute(
            "SELECT count(*), count(DISTINCT c.notes) FROM contracts c "
            "JOIN suppliers s ON s.id = c.supplier_id WHERE s.name LIKE ?",
            [like],
        ).fetchone()
        n_ans = conn.execute(
            "SELECT count(*) FROM answers a JOIN suppliers s ON s.id = a.supplier_id "
            "WHERE s.name LIKE ?",
            [like],
        ).fetchone()[0]
        n_people = conn.execute("SELECT count(*) FROM people WHERE name LIKE ?", [like]).fetchone()[
            0
        ]
        all_people = max(1, suppliers // 50)
        if n_people not in (0, all_people):
            return f"partial: {n_people} of {all_people} people"
        if n_sup == n_con == n_ans == 0:
            return State("absent", 0, 0, n_people > 0)
        expected = (suppliers, 2 * suppliers, 3 * suppliers, all_people)
        if (n_sup, n_con, n_ans, n_people) != expected or revs != 1 or edits != 1:
            return (
                f"partial: {n_sup} suppliers, {n_con} contracts, {n_ans} answers, "
                f"{n_people} people, {revs} revisions, {edits} edit states"
            )
        rev = conn.execute(
            "SELECT notes FROM suppliers WHERE name LIKE ? LIMIT 1", [like]
        ).fetchone()[0]
        edit = conn.execute(
            "SELECT c.notes FROM contracts c JOIN suppliers s ON s.id = c.supplier_id "
            "WHERE s.name LIKE ? LIMIT 1",
            [like],
        ).fetchone()[0]
        steps = _steps(conn, like, suppliers)
        if isinstance(steps, str):
            return steps
        return State("present", int(rev.split()[-1]), int(edit.split()[-1]), True, *steps)
    finally:
        conn.close()


def _steps(conn: sqlite3.Connection, like: str, suppliers: int) -> tuple[int, int, int] | str:
    """How many answer, rename and move steps a present batch shows, all of its rows alike."""
    evidence = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT a.evidence FROM answers a JOIN suppliers s ON s.id = a.supplier_id "
            "WHERE s.name LIKE ?",
            [like],
        )
    }
    names = [r[0] for r in conn.execute("SELECT name FROM suppliers WHERE name LIKE ?", [like])]
    renames = {int(m.group(1)) if (m := re.search(r" r([0-9]+)$", n)) else 0 for n in names}
    rows = conn.execute(
        "SELECT s.name, c.title, c.annual_value_pence FROM contracts c "
        "JOIN suppliers s ON s.id = c.supplier_id WHERE s.name LIKE ?",
        [like],
    ).fetchall()
    moves = {int(m.group(1)) if (m := re.search(r" m([0-9]+)$", t)) else 0 for _, t, _ in rows}
    # every contract is where its number of moves puts it: supplier i's at supplier i + moves
    offsets = {
        (int(re.search(r"Supplier ([0-9]{5})", n).group(1)) - (pence // 100 - 500))  # type: ignore[union-attr]
        % suppliers
        for n, _, pence in rows
    }
    if len(evidence) != 1 or len(renames) != 1 or len(moves) != 1 or len(offsets) != 1:
        return (
            f"partial: {len(evidence)} answer states, {len(renames)} rename states, "
            f"{len(moves)} move states, {len(offsets)} contract positions"
        )
    (text,), (renamed,), (moved,), (offset,) = evidence, renames, moves, offsets
    if offset != moved % suppliers:
        return f"partial: contracts {offset} suppliers on after {moved} moves"
    return (int(text.split()[-1]) if text else 0), renamed, moved


def check_database(db_path: Path) -> list[str]:
    """Integrity and foreign keys from a plain connection (which also replays the WAL)."""
    conn = sqlite3.connect(db_path)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        return problems
    finally:
        conn.close()


def check_audit(db_path: Path) -> list[str]:
    from supplier_register.storage import open_database
    from supplier_register.storage.audit import verify_audit

    db = open_database(db_path)
    try:
        return verify_audit(db).problems
    finally:
        db.close()


def checkpoint(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def wal_size(db_path: Path) -> int:
    try:
        return os.stat(f"{db_path}-wal").st_size
    except FileNotFoundError:
        return 0


def run_and_kill(
    argv: list[str], db_path: Path, rng: random.Random, max_delay: float, wal_target: int | None
) -> tuple[bool, int]:
    """Start a writer and SIGKILL it; returns (killed, WAL size at the kill)."""
    env = {**os.environ, "SUPPLIER_REGISTER_USER": "crash-harness"}
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + (rng.uniform(0, max_delay) if wal_target is None else 600)
    size = 0
    while proc.poll() is None and time.monotonic() < deadline:
        size = wal_size(db_path)
        if wal_target is not None and size >= wal_target:
            break
        time.sleep(0.0005 if wal_target is not None else 0.002)
    if proc.poll() is None:
        size = wal_size(db_path)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
        return True, size
    assert proc.stderr is not None
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"writer failed without being killed: {err.strip()}")
    return False, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=120)
    parser.add_argument("--suppliers", type=int, default=1500, help="suppliers per batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--control",
        action="store_true",
        help="negative control: import with an unsafe record-by-record importer, which the "
        "checks must catch (expect failures)",
    )
    args = parser.parse_args(argv)
    figures = run_harness(
        runs=args.runs,
        suppliers=args.suppliers,
        seed=args.seed,
        workdir=args.workdir,
        log=None if args.quiet else print,
        control=args.control,
    )
    if args.json:
        print(json.dumps(asdict(figures), indent=2))
    else:
        print_figures(figures)
    return 1 if figures.failures else 0


def print_figures(f: Figures) -> None:
    print(f"runs: {f.runs}  ({', '.join(f'{k} {v}' for k, v in sorted(f.by_operation.items()))})")
    print(f"killed with SIGKILL: {f.kills}  (finished before the kill: {f.finished_before_kill})")
    print(f"  killed after commit: {f.committed_then_killed}; rolled back: {f.rolled_back}")
    print(
        f"  of which rolled back with transaction pages already in the WAL: {f.kills_mid_write}; "
        f"before any page reached the WAL: {f.kills_before_wal}"
    )
    print(f"integrity_check ok: {f.integrity_ok}/{f.runs}")
    print(f"partial batches: {f.partial_batches}; batches in an impossible state: {f.wrong_state}")
    print(f"audit log replays exactly: {f.audit_ok}/{f.runs}")
    for failure in f.failures:
        print(f"FAIL: {failure}")


def run_harness(
    *,
    runs: int,
    suppliers: int,
    seed: int = 1,
    workdir: Path | None = None,
    log: object = print,
    control: bool = False,
) -> Figures:
    """Run the harness and return its figures (``failures`` empty when all is well).

    With ``control`` every run is an import by an unsafe record-by-record
    importer killed a quarter of the way through: the checks must report it.
    """
    say = log if callable(log) else (lambda *_: None)
    rng = random.Random(seed)
    own_dir = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="crash-harness-")) if workdir is None else workdir
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "register.db"
    for p in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        p.unlink(missing_ok=True)
    python = sys.executable
    cli = [python, "-m", "supplier_register", "--db", str(db_path)]
    subprocess.run([*cli, "init"], check=True, capture_output=True)
    batches = [Batch(i) for i in range(max(4, runs // 4))]
    files: dict[tuple[int, int, int, int], Path] = {}

    def file_for(batch: Batch, revision: int, renames: int = 0, moves: int = 0) -> Path:
        key = (batch.number, revision, renames, moves)
        if key not in files:
            path = folder / f"batch{batch.number:03d}-rev{revision}-r{renames}-m{moves}.json"
            data = batch_register(batch.number, suppliers, revision, renames, moves)
            path.write_text(json.dumps(data))
            files[key] = path
        return files[key]

    # Calibrate: one import, unkilled, gives the time and the WAL size a writer reaches.
    start = time.monotonic()
    first = batches[0]
    proc = subprocess.Popen([*cli, "import", str(file_for(first, 0))], stdout=subprocess.DEVNULL)
    import_wal = 4096
    while proc.poll() is None:
        import_wal = max(import_wal, wal_size(db_path))
        time.sleep(0.001)
    if proc.returncode != 0:
        raise RuntimeError("calibration import failed")
    import_seconds = time.monotonic() - start
    first.present = first.people = True
    checkpoint(db_path)
    say(
        f"calibration: import of {suppliers} suppliers takes {import_seconds:.2f} s, WAL {import_wal} bytes"
    )

    f = Figures()
    for run in range(runs):
        if not batches:
            break
        present = [b for b in batches if b.present]
        absent = [b for b in batches if not b.present]
        # Each operation in turn, the least run so far first (an import counts half: twice as
        # many), so that even a short run kills every kind.
        choices = (["import"] if absent else []) + (
            ["reimport", "edit", "answers", "rename", "move", "delete"] if present else []
        )
        op = (
            "import"
            if control and absent
            else min(
                choices,
                key=lambda o: (
                    f.by_operation.get(o, 0) / (2 if o == "import" else 1),
                    rng.random(),
                ),
            )
        )
        f.by_operation[op] = f.by_operation.get(op, 0) + 1
        after: State | None
        if op == "import":
            target = rng.choice(absent)
            after = State("present", 0, 0, True)
            argv = [*cli, "import", str(file_for(target, 0))]
            if control:
                argv = [python, "-c", CONTROL_WORKER, str(db_path), str(file_for(target, 0))]
        elif op == "reimport":
            target = rng.choice(present)
            # the file carries contract notes "edit 0" and no evidence, so a re-import also
            # resets the edits of contracts and answers; it holds the names and places as they are
            after = State("present", target.revision + 1, 0, True, 0, target.renames, target.moves)
            file = file_for(target, target.revision + 1, target.renames, target.moves)
            argv = [*cli, "import", str(file)]
        elif op == "delete":
            target = rng.choice(present)
            after = State("absent", 0, 0, True)
            argv = [python, "-c", DELETE_WORKER, str(db_path), target.prefix]
        else:
            target = rng.choice(present)
            argv = [
                python,
                "-c",
                STEP_WORKERS[op],
                str(db_path),
                target.prefix,
                str(getattr(target, STEPS[op]) + 1),
                "5",
            ]
            after = None  # any number of steps from the current one on
        before = target.state()
        wal_target = rng.randint(1, import_wal) if rng.random() < 0.5 else None
        if control:
            wal_target = import_wal // 4
        killed, wal_at_kill = run_and_kill(argv, db_path, rng, import_seconds * 1.3, wal_target)
        f.runs += 1
        f.kills += killed
        f.finished_before_kill += not killed
        problems = check_database(db_path)
        if problems:
            f.failures.append(f"run {run} ({op}): integrity: {problems[:3]}")
        else:
            f.integrity_ok += 1
        seen = observe(db_path, target, suppliers)
        if isinstance(seen, str):
            f.partial_batches += 1
            f.failures.append(f"run {run} ({op} {target.prefix.strip()}): {seen}")
            batches.remove(target)  # damaged: leave it out of later runs
        else:
            if op in STEPS:
                field_name = STEPS[op]
                ok = seen._replace(**{field_name: 0}) == before._replace(**{field_name: 0}) and (
                    getattr(seen, field_name) >= getattr(before, field_name)
                )
            else:
                ok = seen in (before, after)
            if not ok:
                f.wrong_state += 1
                f.failures.append(f"run {run} ({op}): state {seen}, expected {before} or {after}")
            if seen != before:
                f.committed_then_killed += killed
            else:
                f.rolled_back += killed
                if killed and wal_at_kill > 0:
                    f.kills_mid_write += 1
                elif killed:
                    f.kills_before_wal += 1
            target.take(seen)
        # the other batches must be untouched
        for other in batches:
            if other is target:
                continue
            if run % 10 == 0 and observe(db_path, other, suppliers) != other.state():
                f.failures.append(f"run {run}: batch {other.number} changed by another operation")
        audit_problems = check_audit(db_path)
        if audit_problems:
            f.failures.append(f"run {run} ({op}): audit: {audit_problems[:3]}")
        else:
            f.audit_ok += 1
        checkpoint(db_path)
        say(
            f"run {run + 1:3d}/{runs} {op:8s} {target.prefix.strip()} "
            f"{'killed' if killed else 'finished'} wal={wal_at_kill:>9d} -> {seen}"
        )
    if own_dir and not f.failures:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return f


if __name__ == "__main__":
    sys.exit(main())
