"""Merging two suppliers that are one organisation: everything of DROP moves to KEEP.

:func:`plan_merge` reads both suppliers and says, without writing, what a merge
would move or refuses in one line; :func:`merge_suppliers` checks both versions
and carries the plan out in one write transaction, then deletes DROP.

The rules (a careful reading of "nothing is lost, nothing is invented"):

- KEEP's own details stay.  A detail KEEP has not recorded (empty or unknown)
  is taken from DROP (an assurance fact together with its date); DROP's notes
  are appended to KEEP's; the trusts it is shared with are combined.
- Two different company numbers mean two legal entities: the merge is refused.
- Contracts move.  Two contracts with the same title (one of each) are refused:
  rename one first, as the register cannot hold both under one supplier.
- Answers move.  When both answered the same question KEEP's answer stays and
  DROP's answer (with its evidence, who and when) is written into the evidence
  of KEEP's, so the disagreement stays visible for the next review.
- Dependencies move; one between the two, or one KEEP already has, is dropped;
  a merge that would make dependencies go round in a loop is refused.
- Organisation identifiers and import provenance move (a provenance row KEEP
  already holds for the same source is kept once), and DROP's name (with the
  names merged into DROP before) becomes an alias of KEEP, so re-imports that
  still use DROP's name find KEEP and the contracts moved to it.
- The audit trail keeps every entry of DROP; a 'merge' entry on KEEP records
  the merge, and the history of KEEP includes DROP's.  Review snapshots and
  agreed review actions keep the name they were written with.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from supplier_register.domain.errors import InvalidInput, NotFound, StaleRecord
from supplier_register.domain.graph import find_loop, loop_message
from supplier_register.storage.audit import AUDIT_TABLE, CONTEXT_TABLE, current_actor
from supplier_register.storage.db import write_transaction

LONG_TEXT_MAX = 10_000
"""What a notes or evidence field holds (``domain.models.LongText``)."""

_NOT_FILLED = frozenset({"id", "name", "version", "notes", "shared_with"})
_GAPS = (None, "unknown", "")
_DATED = {
    "dspt_year": "dspt_status",
    "cyber_essentials_expiry": "cyber_essentials",
    "dtac_date": "dtac_complete",
    "clinical_safety_case_date": "clinical_safety_case",
    "clinical_risk_assessment_date": "clinical_risk_assessment",
    "dpia_date": "dpia_done",
}
"""A date (or year) column and the fact it dates: taken from DROP together or not at all."""


@dataclass(frozen=True)
class AnswerClash:
    """A question both suppliers answered: KEEP's answer stays, DROP's goes into its evidence."""

    question_id: str
    kept: str
    dropped: str
    evidence: str = field(repr=False)
    """KEEP's evidence after the merge."""
    answer_id: int = 0


@dataclass
class MergePlan:
    """What merging DROP into KEEP moves, read from the register as it stands."""

    keep_id: int
    keep: str
    keep_version: int
    drop_id: int
    drop: str
    drop_version: int
    contracts: list[str] = field(default_factory=list)
    answers_moved: list[str] = field(default_factory=list)
    answer_clashes: list[AnswerClash] = field(default_factory=list)
    dependencies_moved: list[int] = field(default_factory=list)
    dependencies_dropped: list[int] = field(default_factory=list)
    identifiers: int = 0
    provenance: int = 0
    filled: dict[str, Any] = field(default_factory=dict)
    """KEEP's empty or unknown columns, with DROP's value."""
    notes: str | None = None
    """KEEP's notes after the merge, when DROP had notes."""
    shared_with: list[str] | None = None
    review_actions: int = 0
    """Open review actions written against DROP's name (kept as agreed)."""

    def lines(self, *, done: bool = False) -> list[str]:
        """The summary, one fact a line: what moves (or moved) from DROP to KEEP."""
        verb = "moved" if done else "would move"
        head = (
            f"merged {self.drop!r} into {self.keep!r}"
            if done
            else f"merge {self.drop!r} into {self.keep!r}"
        )
        out = [head + (":" if done else " (nothing written yet):")]

        def count(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        out.append(
            f"  contracts {verb}: {count(len(self.contracts), 'contract', 'contracts')}"
            + (f" ({', '.join(self.contracts)})" if self.contracts else "")
        )
        out.append(f"  answers {verb}: {count(len(self.answers_moved), 'answer', 'answers')}")
        for clash in self.answer_clashes:
            out.append(
                f"  answer to {clash.question_id}: {self.keep!r}'s {clash.kept!r} kept; "
                f"{self.drop!r}'s {clash.dropped!r} recorded in its evidence"
            )
        out.append(
            f"  dependencies {verb}: {len(self.dependencies_moved)}"
            + (
                f" ({len(self.dependencies_dropped)} dropped: between the two, "
                "or already held by the one kept)"
                if self.dependencies_dropped
                else ""
            )
        )
        out.append(
            f"  identifiers {verb}: {self.identifiers}; "
            f"import provenance records {verb}: {self.provenance}"
        )
        if self.filled:
            shown = ", ".join(k.replace("_id", "").replace("_", " ") for k in self.filled)
            out.append(f"  details {self.keep!r} lacked, taken from {self.drop!r}: {shown}")
        if self.notes is not None:
            out.append(f"  {self.drop!r}'s notes appended to {self.keep!r}'s")
        if self.review_actions:
            out.append(
                f"  {count(self.review_actions, 'open review action names', 'open review actions name')} "
                f"{self.drop!r}: kept as agreed"
            )
        out.append(
            f"  {self.drop!r} {'deleted' if done else 'would be deleted'}; its audit history "
            "is kept and shown with the one kept"
        )
        return out


def _supplier_row(db: Database, supplier_id: int, role: str) -> dict[str, Any]:
    cursor = db.execute("SELECT * FROM suppliers WHERE id = ?", [supplier_id])
    row = cursor.fetchone()
    if row is None:
        raise NotFound(f"{role}: no supplier with id {supplier_id} (deleted by someone else?)")
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _refuse(keep: str, drop: str, reason: str) -> InvalidInput:
    return InvalidInput([f"merge {drop!r} into {keep!r}: {reason}; nothing was changed"])


def plan_merge(db: Database, keep_id: int, drop_id: int, today: dt.date) -> MergePlan:
    """What merging ``drop_id`` into ``keep_id`` would do; one clear line if it cannot be done.

    ``today`` dates the note left in the evidence of an answer both had.
    """
    keep = _supplier_row(db, keep_id, "supplier to keep")
    drop = _supplier_row(db, drop_id, "supplier to merge")
    k, d = str(keep["name"]), str(drop["name"])
    if keep_id == drop_id:
        raise _refuse(k, d, "they are the same supplier")
    plan = MergePlan(keep_id, k, int(keep["version"]), drop_id, d, int(drop["version"]))

    kn, dn = keep.get("company_number"), drop.get("company_number")
    if kn and dn and str(kn).strip().casefold() != str(dn).strip().casefold():
        raise _refuse(
            k, d, f"their company numbers differ ({kn} and {dn}): they are different companies"
        )

    for column, value in drop.items():
        if column in _NOT_FILLED or column in _DATED or value in _GAPS:
            continue
        if keep.get(column) in _GAPS:
            plan.filled[column] = value
    for date_column, fact in _DATED.items():
        # an assurance fact and its date come from one supplier: DROP's date only with its fact
        if fact in plan.filled and drop.get(date_column) not in _GAPS:
            plan.filled[date_column] = drop[date_column]
    drop_notes = str(drop.get("notes") or "").strip()
    if drop_notes:
        keep_notes = str(keep.get("notes") or "").strip()
        joined = (keep_notes + "\n\n" if keep_notes else "") + f"From {d} (merged {today}): "
        plan.notes = joined + drop_notes
        if len(plan.notes) > LONG_TEXT_MAX:
            raise _refuse(
                k,
                d,
                f"the notes together would be longer than {LONG_TEXT_MAX:,} characters; "
                "shorten one first",
            )
    keep_shared = json.loads(keep.get("shared_with") or "[]")
    drop_shared = json.loads(drop.get("shared_with") or "[]")
    extra = [
        t for t in drop_shared if str(t).casefold() not in {str(s).casefold() for s in keep_shared}
    ]
    if extra:
        plan.shared_with = [*keep_shared, *extra]

    titles = {
        str(t).casefold(): str(t)
        for (t,) in db.execute("SELECT title FROM contracts WHERE supplier_id = ?", [keep_id])
    }
    for (title,) in db.execute(
        "SELECT title FROM contracts WHERE supplier_id = ? ORDER BY title", [drop_id]
    ):
        if str(title).casefold() in titles:
            raise _refuse(
                k,
                d,
                f"both have a contract titled {title!r}; rename or delete one of them first",
            )
        plan.contracts.append(str(title))

    kept_answers = {
        str(q): (int(i), str(a), str(e or ""))
        for i, q, a, e in db.execute(
            "SELECT id, question_id, answer, evidence FROM answers WHERE supplier_id = ?",
            [keep_id],
        )
    }
    for question, answer, evidence, by, on in db.execute(
        "SELECT question_id, answer, evidence, answered_by, answered_on FROM answers "
        "WHERE supplier_id = ? ORDER BY question_id",
        [drop_id],
    ):
        mine = kept_answers.get(str(question))
        if mine is None:
            plan.answers_moved.append(str(question))
            continue
        answer_id, kept, kept_evidence = mine
        evidence = str(evidence or "").strip()
        if str(answer) == kept and (not evidence or evidence in kept_evidence):
            continue  # the same answer, nothing more to record
        who = ", ".join(str(x) for x in (by, on) if x)
        note = f"From {d} (merged {today}): answered {answer!r}" + (f" ({who})" if who else "")
        note += f"; evidence: {evidence}" if evidence else ""
        merged = (kept_evidence.strip() + "\n\n" if kept_evidence.strip() else "") + note
        if len(merged) > LONG_TEXT_MAX:
            raise _refuse(
                k,
                d,
                f"the evidence of the answers to {question} together would be longer than "
                f"{LONG_TEXT_MAX:,} characters; shorten one first",
            )
        plan.answer_clashes.append(AnswerClash(str(question), kept, str(answer), merged, answer_id))

    edges = {
        (int(a), int(b)): int(i)
        for i, a, b in db.execute("SELECT id, supplier_id, depends_on_id FROM dependencies")
    }
    after: set[tuple[int, int]] = set()
    moved: list[tuple[int, int, int]] = []
    for (a, b), dep_id in sorted(edges.items(), key=lambda e: e[1]):
        if drop_id not in (a, b):
            after.add((a, b))
            continue
        na, nb = (keep_id if a == drop_id else a), (keep_id if b == drop_id else b)
        if na == nb or (na, nb) in edges or (na, nb) in after:
            plan.dependencies_dropped.append(dep_id)
        else:
            moved.append((dep_id, na, nb))
    for dep_id, na, nb in moved:
        loop = find_loop(after, na, nb)
        if loop is not None:
            names = dict(db.execute("SELECT id, name FROM suppliers").fetchall())
            names[drop_id] = names[keep_id]
            raise _refuse(k, d, loop_message([str(names[i]) for i in loop]))
        after.add((na, nb))
        plan.dependencies_moved.append(dep_id)

    plan.identifiers = int(
        db.execute(
            "SELECT count(*) FROM supplier_identifiers WHERE supplier_id = ?", [drop_id]
        ).fetchone()[0]
    )
    plan.provenance = int(
        db.execute(
            "SELECT count(*) FROM import_provenance AS p WHERE supplier_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM import_provenance AS q WHERE q.supplier_id = ? "
            "AND IFNULL(q.contract_id, 0) = IFNULL(p.contract_id, 0) "
            "AND q.source_key = p.source_key)",
            [drop_id, keep_id],
        ).fetchone()[0]
    )
    plan.review_actions = int(
        db.execute(
            "SELECT count(*) FROM review_actions WHERE supplier = ? COLLATE NOCASE "
            "AND done_on IS NULL",
            [d],
        ).fetchone()[0]
    )
    return plan


def merge_suppliers(
    db: Database,
    keep_id: int,
    drop_id: int,
    today: dt.date,
    *,
    keep_version: int | None = None,
    drop_version: int | None = None,
) -> MergePlan:
    """Merge ``drop_id`` into ``keep_id`` (see the module's rules) in one write transaction.

    With ``keep_version`` / ``drop_version`` (the versions the user saw), a
    supplier changed since is refused with :class:`StaleRecord`.  Any refusal
    leaves the database exactly as it was.
    """
    with write_transaction(db):
        plan = plan_merge(db, keep_id, drop_id, today)
        for role, name, seen, now in (
            ("supplier to keep", plan.keep, keep_version, plan.keep_version),
            ("supplier to merge", plan.drop, drop_version, plan.drop_version),
        ):
            if seen is not None and seen != now:
                raise StaleRecord(
                    f"{role} {name!r}: changed by someone else since you looked "
                    f"(version {seen}, now {now}); look again before merging"
                )
        _apply(db, plan)
    return plan


def _apply(db: Database, plan: MergePlan) -> None:
    keep_id, drop_id = plan.keep_id, plan.drop_id
    db.execute("UPDATE contracts SET supplier_id = ? WHERE supplier_id = ?", [keep_id, drop_id])
    for question in plan.answers_moved:
        db.execute(
            "UPDATE answers SET supplier_id = ? WHERE supplier_id = ? AND question_id = ?",
            [keep_id, drop_id, question],
        )
    for clash in plan.answer_clashes:
        db.execute(
            "UPDATE answers SET evidence = ?, version = version + 1 WHERE id = ?",
            [clash.evidence, clash.answer_id],
        )
    for dep_id in plan.dependencies_dropped:
        db.execute("DELETE FROM dependencies WHERE id = ?", [dep_id])
    for dep_id in plan.dependencies_moved:
        db.execute(
            "UPDATE dependencies SET "
            "supplier_id = CASE supplier_id WHEN :drop THEN :keep ELSE supplier_id END, "
            "depends_on_id = CASE depends_on_id WHEN :drop THEN :keep ELSE depends_on_id END, "
            "version = version + 1 WHERE id = :id",
            {"drop": drop_id, "keep": keep_id, "id": dep_id},
        )
    db.execute(
        "UPDATE supplier_identifiers SET supplier_id = ? WHERE supplier_id = ?", [keep_id, drop_id]
    )
    db.execute(
        "UPDATE OR IGNORE import_provenance SET supplier_id = ? WHERE supplier_id = ?",
        [keep_id, drop_id],
    )
    db.execute(
        "UPDATE supplier_aliases SET supplier_id = ? WHERE supplier_id = ?", [keep_id, drop_id]
    )
    if plan.drop.casefold() != plan.keep.casefold():
        db.execute(
            "INSERT INTO supplier_aliases (alias, supplier_id) VALUES (?, ?) "
            "ON CONFLICT (alias) DO UPDATE SET supplier_id = excluded.supplier_id",
            [plan.drop, keep_id],
        )
    values: dict[str, Any] = dict(plan.filled)
    if plan.notes is not None:
        values["notes"] = plan.notes
    if plan.shared_with is not None:
        values["shared_with"] = json.dumps(plan.shared_with, ensure_ascii=False)
    sets = "".join(f"[{column}] = ?, " for column in values)
    db.execute(
        f"UPDATE suppliers SET {sets}version = version + 1 WHERE id = ?",
        [*values.values(), keep_id],
    )
    db.execute("DELETE FROM suppliers WHERE id = ?", [drop_id])
    record = {
        "name": plan.keep,
        "merged": plan.drop,
        "merged_id": drop_id,
        "into": plan.keep,
        "contracts": plan.contracts,
        "answers_moved": plan.answers_moved,
        "answers_kept": [c.question_id for c in plan.answer_clashes],
        "dependencies_moved": len(plan.dependencies_moved),
        "dependencies_dropped": len(plan.dependencies_dropped),
        "identifiers": plan.identifiers,
        "provenance": plan.provenance,
        "filled": sorted(plan.filled),
    }
    db.execute(
        f"INSERT INTO {AUDIT_TABLE} (at, actor, table_name, record_id, supplier_id, action, "
        "old_values, new_values) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), "
        f"coalesce((SELECT actor FROM {CONTEXT_TABLE} ORDER BY rowid DESC LIMIT 1), ?), "
        "'suppliers', ?, ?, 'merge', NULL, ?)",
        [current_actor(), keep_id, keep_id, json.dumps(record, ensure_ascii=False)],
    )


def supplier_aliases(db: Database) -> dict[str, str]:
    """Every name a supplier had before it was merged away -> the name of the one kept."""
    return {
        str(alias): str(name)
        for alias, name in db.execute(
            "SELECT a.alias, s.name FROM supplier_aliases a JOIN suppliers s ON s.id = a.supplier_id"
        )
    }
