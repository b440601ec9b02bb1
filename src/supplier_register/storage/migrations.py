"""Schema versions of the register database, applied in order by sqlite-utils.

Append new migrations at the end; never edit one that has shipped.  Each runs
in its own transaction together with the record of it having been applied.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("supplier_register")


def _run(db: Database, *statements: str) -> None:
    for statement in statements:
        db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    """People, suppliers, contracts and questionnaire answers."""
    _run(
        db,
        """
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            role TEXT NOT NULL,
            contact TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )
        """,
        """
        CREATE TABLE suppliers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            company_number TEXT,
            sme INTEGER NOT NULL DEFAULT 0,
            category TEXT NOT NULL,
            criticality TEXT NOT NULL,
            annual_spend_pence INTEGER,
            owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
            review_cadence_months INTEGER,
            last_review TEXT,
            runs_clinical_systems INTEGER NOT NULL DEFAULT 0,
            dspt_status TEXT NOT NULL DEFAULT 'unknown',
            cyber_essentials TEXT NOT NULL DEFAULT 'unknown',
            dtac_complete INTEGER,
            clinical_safety_case INTEGER,
            shared_with TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1
        )
        """,
        """
        CREATE TABLE contracts (
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
            title TEXT NOT NULL COLLATE NOCASE,
            what_is_bought TEXT NOT NULL,
            contract_type TEXT NOT NULL,
            procurement_route TEXT NOT NULL DEFAULT 'unknown',
            start_date TEXT,
            end_date TEXT,
            extension_options TEXT NOT NULL DEFAULT '',
            notice_period_days INTEGER,
            auto_renewal INTEGER NOT NULL DEFAULT 0,
            annual_value_pence INTEGER,
            total_value_pence INTEGER,
            lifetime_cost_pence INTEGER,
            milestone_payments INTEGER,
            break_clause INTEGER,
            exit_assistance_clause INTEGER,
            data_ownership_clause INTEGER,
            ip_owner TEXT NOT NULL DEFAULT 'unknown',
            migration_lead_time_days INTEGER,
            notes TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (supplier_id, title)
        )
        """,
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            evidence TEXT NOT NULL DEFAULT '',
            answered_by TEXT,
            answered_on TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (supplier_id, question_id)
        )
        """,
        "CREATE INDEX idx_suppliers_owner ON suppliers(owner_id)",
        "CREATE INDEX idx_contracts_supplier ON contracts(supplier_id)",
        "CREATE INDEX idx_contracts_end ON contracts(end_date)",
        "CREATE INDEX idx_answers_supplier ON answers(supplier_id)",
    )


@migrations()
def m002_settings(db: Database) -> None:
    """Register-wide settings, such as the trust's name shown on board papers."""
    _run(db, "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migrations()
def m003_quarterly_reviews(db: Database) -> None:
    """Quarterly supplier reviews: immutable snapshots, and the actions agreed at them."""
    _run(
        db,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            quarter TEXT NOT NULL UNIQUE,
            started_on TEXT NOT NULL,
            closed_on TEXT,
            top_questions TEXT NOT NULL DEFAULT '[]',
            actions_at_close TEXT
        )
        """,
        """
        CREATE TABLE review_snapshots (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews(id),
            position INTEGER NOT NULL,
            supplier TEXT NOT NULL COLLATE NOCASE,
            criticality TEXT NOT NULL,
            score INTEGER NOT NULL,
            band TEXT NOT NULL,
            data TEXT NOT NULL,
            UNIQUE (review_id, supplier)
        )
        """,
        """
        CREATE TABLE review_actions (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews(id),
            supplier TEXT,
            what TEXT NOT NULL,
            owner TEXT NOT NULL,
            due TEXT NOT NULL,
            agreed_on TEXT NOT NULL,
            done_on TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )
        """,
        "CREATE INDEX idx_review_snapshots_review ON review_snapshots(review_id)",
        "CREATE INDEX idx_review_actions_review ON review_actions(review_id)",
        # Immutability, enforced by the database as well as the code.
        """
        CREATE TRIGGER review_snapshots_no_update BEFORE UPDATE ON review_snapshots
        BEGIN SELECT RAISE(ABORT, 'review snapshots are immutable'); END
        """,
        """
        CREATE TRIGGER review_snapshots_no_delete BEFORE DELETE ON review_snapshots
        BEGIN SELECT RAISE(ABORT, 'review snapshots are immutable'); END
        """,
        """
        CREATE TRIGGER review_snapshots_closed BEFORE INSERT ON review_snapshots
        WHEN (SELECT closed_on FROM reviews WHERE id = NEW.review_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'review is closed'); END
        """,
        """
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are kept'); END
        """,
        """
        CREATE TRIGGER reviews_frozen BEFORE UPDATE ON reviews
        WHEN OLD.closed_on IS NOT NULL
          OR NEW.quarter IS NOT OLD.quarter
          OR NEW.started_on IS NOT OLD.started_on
          OR NEW.top_questions IS NOT OLD.top_questions
        BEGIN SELECT RAISE(ABORT, 'review is closed or immutable'); END
        """,
        """
        CREATE TRIGGER review_actions_closed BEFORE INSERT ON review_actions
        WHEN (SELECT closed_on FROM reviews WHERE id = NEW.review_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'review is closed'); END
        """,
        """
        CREATE TRIGGER review_actions_agreed BEFORE UPDATE ON review_actions
        WHEN NEW.review_id IS NOT OLD.review_id
          OR NEW.what IS NOT OLD.what
          OR NEW.owner IS NOT OLD.owner
          OR NEW.due IS NOT OLD.due
          OR NEW.agreed_on IS NOT OLD.agreed_on
          OR NEW.supplier IS NOT OLD.supplier
        BEGIN SELECT RAISE(ABORT, 'an agreed action cannot be changed, only marked done'); END
        """,
    )


@migrations()
def m004_audit_trail(db: Database) -> None:
    """Audit trail: every insert, update and delete of every table, recorded by triggers.

    Tables added by later migrations get their triggers automatically (see
    ``storage.audit.ensure_audit_triggers``, run after every migration).
    """
    from supplier_register.storage.audit import (
        auditable_tables,
        create_audit_tables,
        install_audit_triggers,
    )

    create_audit_tables(db)
    for table in auditable_tables(db):
        install_audit_triggers(db, table)


@migrations()
def m005_import_provenance(db: Database) -> None:
    """Where imported records came from (file, row, OCID, release), and suppliers' identifiers."""
    _run(
        db,
        """
        CREATE TABLE import_provenance (
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
            contract_id INTEGER REFERENCES contracts(id) ON DELETE CASCADE,
            source_kind TEXT NOT NULL,
            source_key TEXT NOT NULL,
            source_file TEXT NOT NULL,
            row_number INTEGER,
            ocid TEXT,
            ocds_id TEXT,
            release_id TEXT,
            release_date TEXT,
            defaulted TEXT NOT NULL DEFAULT '[]',
            imported_at TEXT NOT NULL
        )
        """,
        """
        CREATE UNIQUE INDEX idx_provenance_key
            ON import_provenance(supplier_id, IFNULL(contract_id, 0), source_key)
        """,
        "CREATE INDEX idx_provenance_contract ON import_provenance(contract_id)",
        "CREATE INDEX idx_provenance_ocid ON import_provenance(ocid)",
        """
        CREATE TABLE supplier_identifiers (
            identifier TEXT PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX idx_identifiers_supplier ON supplier_identifiers(supplier_id)",
    )


@migrations()
def m006_score_cache(db: Database) -> None:
    """Scores kept between runs: each supplier's overview, valid for one day and one scoring.

    Derived data, never audited (see ``storage.score_cache``): a row is worked out
    again whenever the audit log shows a change to its supplier.
    """
    _run(
        db,
        """
        CREATE TABLE score_cache (
            supplier_id INTEGER PRIMARY KEY REFERENCES suppliers(id) ON DELETE CASCADE,
            data TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE score_cache_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            stamp TEXT NOT NULL,
            audit_mark INTEGER NOT NULL
        )
        """,
    )


@migrations()
def m007_score_cache_order_and_days(db: Database) -> None:
    """Score cache rows kept in priority order and valid for a range of days.

    The m006 cache is derived data, so it is dropped and made again (the next
    scoring run fills it): each row gains the columns of the register's
    priority order, with an index so the first screen is one ``ORDER BY ...
    LIMIT`` without a scan, and the days it holds for (``valid_from`` up to but
    not including ``valid_until``, NULL when no later day changes it), indexed
    so the days every row holds for are two look-ups.  The state splits its
    stamp into what does not depend on the records (``scoring``) and the
    register-wide context (``context``), and counts the suppliers.
    """
    _run(
        db,
        "DROP TABLE score_cache",
        "DROP TABLE score_cache_state",
        """
        CREATE TABLE score_cache (
            supplier_id INTEGER PRIMARY KEY REFERENCES suppliers(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            priority REAL NOT NULL,
            score INTEGER NOT NULL,
            criticality_rank INTEGER NOT NULL,
            name_key TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_until TEXT
        )
        """,
        """
        CREATE INDEX idx_score_cache_order
            ON score_cache(priority DESC, score DESC, criticality_rank DESC, name_key)
        """,
        "CREATE INDEX idx_score_cache_valid_from ON score_cache(valid_from)",
        "CREATE INDEX idx_score_cache_valid_until ON score_cache(valid_until)",
        """
        CREATE TABLE score_cache_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            scoring TEXT NOT NULL,
            context TEXT NOT NULL,
            audit_mark INTEGER NOT NULL,
            suppliers INTEGER NOT NULL
        )
        """,
    )


@migrations()
def m008_score_cache_questions(db: Database) -> None:
    """The register's top board questions kept next to the score cache, one row per request.

    Derived data like the cache (never audited): working the lists out again
    means scoring afresh every supplier whose questions could make them, most of
    a warm run's time.  A row holds the lists for one set of arguments (top
    findings, questions per key, question limit) and is used only for the
    scoring, context, audit mark and day it was worked out for.
    """
    _run(
        db,
        """
        CREATE TABLE score_cache_questions (
            ranked_per_key INTEGER NOT NULL,
            question_limit INTEGER NOT NULL,
            scoring TEXT NOT NULL,
            context TEXT NOT NULL,
            audit_mark INTEGER NOT NULL,
            day TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (ranked_per_key, question_limit)
        )
        """,
    )


@migrations()
def m009_audit_chain(db: Database) -> None:
    """The audit log becomes a hash chain: each entry sealed with a hash of it and the last seal.

    ``hash`` is the SHA-256 (hex) of the entry's every column and of the seal of
    the entry before it (``storage.audit.entry_hash``).  The entries already in
    the log are sealed here, in order; later ones are sealed by
    ``write_transaction`` before each commit.
    """
    from supplier_register.storage.audit import AUDIT_TABLE, seal_entries

    _run(db, f"ALTER TABLE {AUDIT_TABLE} ADD COLUMN hash TEXT")
    seal_entries(db.conn, 0)


@migrations()
def m010_services_dependencies_exit(db: Database) -> None:
    """What would stop if a supplier failed: the trust's services, which contracts support
    them, which suppliers depend on which, each supplier's parent group, and each
    contract's exit readiness (substitutability, bringing it in-house, alternatives, exit
    plan, where the data is held).  Every new column of a contract is unknown until told.
    """
    _run(
        db,
        "ALTER TABLE suppliers ADD COLUMN parent_group TEXT",
        "ALTER TABLE contracts ADD COLUMN substitutability TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE contracts ADD COLUMN substitutability_reason TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE contracts ADD COLUMN insourcing TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE contracts ADD COLUMN alternative_providers TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE contracts ADD COLUMN exit_plan TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE contracts ADD COLUMN exit_plan_tested TEXT",
        "ALTER TABLE contracts ADD COLUMN data_location TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE contracts ADD COLUMN patient_data INTEGER",
        """
        CREATE TABLE services (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            clinical INTEGER NOT NULL,
            sites TEXT NOT NULL DEFAULT '',
            people_affected TEXT NOT NULL DEFAULT '',
            people_per_day INTEGER,
            max_outage_hours INTEGER,
            fallback TEXT NOT NULL DEFAULT 'unknown',
            fallback_tested TEXT,
            notes TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1
        )
        """,
        """
        CREATE TABLE contract_services (
            id INTEGER PRIMARY KEY,
            contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
            service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
            UNIQUE (contract_id, service_id)
        )
        """,
        "CREATE INDEX idx_contract_services_service ON contract_services(service_id)",
        """
        CREATE TABLE dependencies (
            id INTEGER PRIMARY KEY,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
            depends_on_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            UNIQUE (supplier_id, depends_on_id),
            CHECK (supplier_id != depends_on_id)
        )
        """,
        "CREATE INDEX idx_dependencies_on ON dependencies(depends_on_id)",
        "CREATE INDEX idx_suppliers_group ON suppliers(parent_group COLLATE NOCASE)",
    )


@migrations()
def m011_contract_competition_extensions(db: Database) -> None:
    """How each contract was competed, and its extension options as numbers (how many, and
    the months of each) beside the words.  Not recorded until told: competition 'unknown',
    extensions NULL (a data gap, never "none").
    """
    _run(
        db,
        "ALTER TABLE contracts ADD COLUMN competition TEXT NOT NULL DEFAULT 'unknown'",
        "ALTER TABLE contracts ADD COLUMN extension_count INTEGER",
        "ALTER TABLE contracts ADD COLUMN extension_months INTEGER",
    )


@migrations()
def m012_trust_profile(db: Database) -> None:
    """The trust's profile: its integrated care system and its in-house digital, commercial
    and contracted staff (full-time equivalents), one row with a version like every record.
    Every figure is empty (not recorded) until told."""
    _run(
        db,
        """
        CREATE TABLE trust_profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            ics TEXT,
            digital_staff REAL,
            commercial_staff REAL,
            contractors REAL,
            updated_on TEXT,
            version INTEGER NOT NULL DEFAULT 1
        )
        """,
    )


@migrations()
def m013_review_scoring_model(db: Database) -> None:
    """Which score model scored each quarterly review.  A review started before this was
    recorded was scored with the first model (``weighted-dimensions-1``), which is what the
    default says of every existing review; its snapshots stay exactly as they were taken.
    The model is frozen with the rest of the review once it has started.
    """
    _run(
        db,
        "ALTER TABLE reviews ADD COLUMN scoring_model TEXT NOT NULL "
        "DEFAULT 'weighted-dimensions-1'",
        "DROP TRIGGER reviews_frozen",
        """
        CREATE TRIGGER reviews_frozen BEFORE UPDATE ON reviews
        WHEN OLD.closed_on IS NOT NULL
          OR NEW.quarter IS NOT OLD.quarter
          OR NEW.started_on IS NOT OLD.started_on
          OR NEW.top_questions IS NOT OLD.top_questions
          OR NEW.scoring_model IS NOT OLD.scoring_model
        BEGIN SELECT RAISE(ABORT, 'review is closed or immutable'); END
        """,
    )


@migrations()
def m014_dated_assurance(db: Database) -> None:
    """Dated assurance on each supplier: the DSPT year its status is for, the Cyber Essentials
    certificate's expiry, when the DTAC, the DCB0129 safety case, the trust's DCB0160
    clinical risk assessment and the DPIA were done (the last two with yes/no/unknown of their
    own), and the last penetration test.  Every existing value is kept as it is and no date is
    invented: each new column is NULL (not recorded) until told, so a DTAC recorded as done
    stays "done, date not recorded".
    """
    _run(
        db,
        "ALTER TABLE suppliers ADD COLUMN dspt_year TEXT",
        "ALTER TABLE suppliers ADD COLUMN cyber_essentials_expiry TEXT",
        "ALTER TABLE suppliers ADD COLUMN dtac_date TEXT",
        "ALTER TABLE suppliers ADD COLUMN clinical_safety_case_date TEXT",
        "ALTER TABLE suppliers ADD COLUMN clinical_risk_assessment INTEGER",
        "ALTER TABLE suppliers ADD COLUMN clinical_risk_assessment_date TEXT",
        "ALTER TABLE suppliers ADD COLUMN dpia_done INTEGER",
        "ALTER TABLE suppliers ADD COLUMN dpia_date TEXT",
        "ALTER TABLE suppliers ADD COLUMN pen_test_date TEXT",
    )


_TRI_STATE = (
    ("suppliers", "sme"),
    ("suppliers", "runs_clinical_systems"),
    ("contracts", "auto_renewal"),
)
"""The yes/no columns made nullable (not recorded) by m015, with the tables they are in."""


@migrations()
def m015_tri_state_facts(db: Database) -> None:
    """A supplier's SME status and whether it runs clinical systems, and a contract's
    auto-renewal, may be empty (not recorded) like the clauses: a source that leaves them out
    no longer becomes "no".  Every stored value is kept exactly as it is: the migration cannot
    tell a 0 that was a real "no" from one stored because the fact was not recorded, so it
    invents nothing and changes no 0 into "unknown" (clear a value by editing the record).

    SQLite cannot drop a NOT NULL constraint in place, and rebuilding the tables inside this
    transaction would cascade deletes through their foreign keys, so each column is copied to
    a new nullable column that then takes its name.  The audit triggers of the two tables are
    dropped first (the copy is not a change to the records) and rebuilt after, with a baseline
    entry per row, as for any change of columns.
    """
    from supplier_register.storage.audit import ensure_audit_triggers

    for table in sorted({t for t, _ in _TRI_STATE}):
        for action in ("insert", "update", "delete"):
            db.execute(f'DROP TRIGGER IF EXISTS "audit_{table}_{action}"')
    for table, column in _TRI_STATE:
        _run(
            db,
            f"ALTER TABLE {table} ADD COLUMN {column}_m015 INTEGER",
            f"UPDATE {table} SET {column}_m015 = {column}",
            f"ALTER TABLE {table} DROP COLUMN {column}",
            f"ALTER TABLE {table} RENAME COLUMN {column}_m015 TO {column}",
        )
    ensure_audit_triggers(db)


@migrations()
def m016_supplier_aliases(db: Database) -> None:
    """The names a supplier was known by before other suppliers were merged into it (see
    storage.merge), so re-importing a file that still uses the old name finds the one kept."""
    _run(
        db,
        """
        CREATE TABLE supplier_aliases (
            alias TEXT PRIMARY KEY COLLATE NOCASE,
            supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE
        )
        """,
        "CREATE INDEX idx_aliases_supplier ON supplier_aliases(supplier_id)",
    )


_OVERVIEW_HEAD = "substr(data, 1, instr(data, char(10)) - 1)"
"""A score cache row's overview: the JSON array before the line break (see
``services.register_scoring._encode``; its field order is that of
``scoring.results.SupplierOverview``, checked by tests/storage/test_analyst_views.py)."""


def _overview_field(index: int) -> str:
    return f"CASE WHEN json_valid(c.head) THEN json_extract(c.head, '$[{index}]') END"


def _days_before(end: str, days: str) -> str:
    """``end`` minus ``days`` as an ISO date, stopping at year 1 and year 9999 as
    ``domain.bounds.add_days`` does."""
    return (
        f"date(min(max(julianday({end}) - ({days}), julianday('0001-01-01')), "
        "julianday('9999-12-31')))"
    )


@migrations()
def m017_analyst_views(db: Database) -> None:
    """Read-only views with friendly names for analysts (sqlite-utils, Datasette).

    ``supplier_scores``: every supplier with its owner and its score as of the
    last scoring run (the score cache; NULL when the supplier was not scored
    since), in the register's priority order.  ``contracts_due``: every
    contract with its notice-by and decide-by dates worked out as
    ``Contract.notice_by`` and ``Contract.decide_by`` do.  ``board_questions``:
    the board questions the last run kept (the cache's widest list).  Views
    only: nothing is stored twice and nothing here is audited.
    """
    end = "c.end_date"
    notice = "c.notice_period_days"
    lead = "c.migration_lead_time_days"
    _run(
        db,
        f"""
        CREATE VIEW supplier_scores AS
        SELECT
            s.id AS supplier_id,
            s.name AS supplier,
            s.category AS category,
            s.criticality AS criticality,
            p.name AS owner,
            s.annual_spend_pence / 100.0 AS annual_spend_gbp,
            c.score AS score,
            {_overview_field(3)} AS band,
            c.priority AS priority,
            {_overview_field(7)} AS confidence,
            {_overview_field(16)} AS next_decide_by,
            {_overview_field(17)} AS next_decide_by_contract,
            c.valid_from AS scored_on
        FROM suppliers AS s
        LEFT JOIN people AS p ON p.id = s.owner_id
        LEFT JOIN (
            SELECT supplier_id, score, priority, criticality_rank, valid_from,
                {_OVERVIEW_HEAD} AS head
            FROM score_cache
        ) AS c ON c.supplier_id = s.id
        ORDER BY c.priority IS NULL, c.priority DESC, c.score DESC,
            c.criticality_rank DESC, s.name
        """,
        f"""
        CREATE VIEW contracts_due AS
        SELECT
            c.id AS contract_id,
            s.name AS supplier,
            s.criticality AS criticality,
            c.title AS contract,
            c.what_is_bought AS what_is_bought,
            c.start_date AS start_date,
            c.end_date AS end_date,
            {notice} AS notice_period_days,
            {lead} AS migration_lead_time_days,
            c.auto_renewal AS auto_renewal,
            CASE WHEN {end} IS NOT NULL AND {notice} IS NOT NULL
                THEN {_days_before(end, notice)} END AS notice_by,
            CASE WHEN {end} IS NOT NULL
                THEN {_days_before(end, f"coalesce({notice}, 0) + coalesce({lead}, 0)")}
                END AS decide_by
        FROM contracts AS c
        JOIN suppliers AS s ON s.id = c.supplier_id
        ORDER BY decide_by IS NULL, decide_by, s.name, c.title
        """,
        """
        CREATE VIEW board_questions AS
        SELECT
            CAST(q.key AS INTEGER) + 1 AS rank,
            json_extract(q.value, '$.supplier') AS supplier,
            json_extract(q.value, '$.theme') AS theme,
            json_extract(q.value, '$.key_question') AS key_question,
            json_extract(q.value, '$.text') AS question,
            json_extract(q.value, '$.priority') AS priority,
            json_extract(q.value, '$.criticality') AS criticality,
            (SELECT group_concat(t.value, '; ')
                FROM json_each(q.value, '$.contracts') AS t) AS contracts,
            k.day AS worked_out_on
        FROM (
            SELECT day, data FROM score_cache_questions
            WHERE json_valid(data)
            ORDER BY day DESC, question_limit = -1 DESC, question_limit DESC,
                ranked_per_key DESC
            LIMIT 1
        ) AS k, json_each(k.data, '$.top_questions') AS q
        ORDER BY rank
        """,
    )


SCHEMA_VERSION = len(migrations._migrations)
"""The number of migrations this release knows; a database with more is from a newer release."""
