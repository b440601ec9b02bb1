"""A review keeps each strategic and high supplier's service impact as it was when it started."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from supplier_register.domain.enums import ExitPlan
from supplier_register.reports.review_pack import (
    render_review_html,
    render_review_markdown,
    sections,
)
from supplier_register.review.models import ExitPlanAtReview, SupplierSnapshot
from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as review_service
from supplier_register.services.impact import supplier_impact
from supplier_register.storage import Repository, open_database
from supplier_register.storage.reviews import ReviewStore, decode_snapshot
from tests.support.htmlcheck import collect
from tests.support.impact import impact_register
from tests.support.registers import TODAY

QUARTER = "2026-Q4"


@pytest.fixture
def reviewed() -> Database:
    db = open_database(":memory:")
    Repository(db).import_register(impact_register())
    review_service.start_review(db, QUARTER, TODAY)
    return db


def _snapshots(db: Database) -> dict[str, SupplierSnapshot]:
    store = ReviewStore(db)
    review = store.get_review(Quarter.parse(QUARTER))
    return {s.supplier.name: s for s in store.iter_snapshots(review)}


def test_strategic_and_high_snapshots_keep_their_impact(reviewed: Database) -> None:
    snaps = _snapshots(reviewed)
    veridane = snaps["Veridane"].impact
    assert veridane is not None
    assert veridane.services == ["ED triage", "Maternity records"]
    assert veridane.clinical == 2 and veridane.through_dependents == 0
    assert (veridane.least_tolerant, veridane.shortest_outage_hours) == ("ED triage", 2)
    assert veridane.exit_plans == [ExitPlanAtReview(contract="EPR", exit_plan=ExitPlan.WRITTEN)]
    lumen = snaps["Lumen Imaging"].impact
    assert lumen is not None and lumen.dependents == ["Iris AI"]
    corvid = snaps["Corvid Labs"].impact
    assert corvid is not None and corvid.services == ["Pathology results"]
    ensemble = snaps["Ensemble"].impact
    assert ensemble is not None and ensemble.through_dependents == 5
    for name in ("Iris AI", "PayCo", "Corvid Analytics"):  # medium and low: none taken
        assert snaps[name].impact is None


def test_a_later_change_does_not_change_the_review(reviewed: Database) -> None:
    repo = Repository(reviewed)
    iris = repo.find_supplier("Iris AI")
    for link in repo.list_dependencies(iris.id):
        repo.delete_dependency(link.id)
    report = review_service.review_report(reviewed, QUARTER, TODAY)
    by_name = {i.supplier: i.impact for i in report.impacts}
    # Every strategic and high supplier, in the review's priority order.
    in_order = [s.supplier for s in report.scores if s.supplier in by_name]
    assert list(by_name) == in_order
    assert sorted(by_name) == [
        "Corvid Labs",
        "Ensemble",
        "Lumen Imaging",
        "Nimbus Hosting",
        "Veridane",
    ]
    assert by_name["Lumen Imaging"].dependents == ["Iris AI"]  # as it was when it started


def test_review_pack_shows_the_impact_compactly(reviewed: Database) -> None:
    report = review_service.review_report(reviewed, QUARTER, TODAY)
    by_key = {s.key: s for s in sections(report)}
    assert list(by_key) == [
        "movers",
        "due",
        "deadlines",
        "actions",
        "gaps",
        "impact",
        "scores",
        "questions",
    ]
    rows = {row[0]: row for row in by_key["impact"].rows}
    assert rows["Veridane"] == [
        "Veridane",
        "Strategic",
        "2",
        "2",
        "ED triage, 2 hours",
        "EPR: Written",
        "",
    ]
    assert rows["Lumen Imaging"][6] == "Iris AI"
    assert rows["Nimbus Hosting"][5] == "no current contract"
    markdown = render_review_markdown(report)
    assert "## Service impact at this review" in markdown
    assert "| Veridane | Strategic | 2 | 2 | ED triage, 2 hours | EPR: Written |" in (markdown)
    page = collect(render_review_html(report))
    assert [
        "Veridane",
        "Strategic",
        "2",
        "2",
        "ED triage, 2 hours",
        "EPR: Written",
        "",
    ] in (page.cells)


def test_an_old_snapshot_without_the_impact_still_reads(reviewed: Database) -> None:
    """Snapshots taken before the impact was kept have no ``impact`` member at all."""
    store = ReviewStore(reviewed)
    review_service.close_review(reviewed, QUARTER, TODAY)
    rows = reviewed.execute(
        "SELECT position, supplier, criticality, score, band, data FROM review_snapshots "
        "ORDER BY position"
    ).fetchall()
    # an earlier quarter's review, written as an older version wrote it
    cursor = reviewed.execute(
        "INSERT INTO reviews (quarter, started_on, top_questions) "
        "VALUES ('2026-Q3', '2026-07-02', '[]')"
    )
    old_id = cursor.lastrowid
    for position, supplier, criticality, score, band, data in rows:
        document = json.loads(decode_snapshot(data))
        document.pop("impact")
        reviewed.execute(
            "INSERT INTO review_snapshots "
            "(review_id, position, supplier, criticality, score, band, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [old_id, position, supplier, criticality, score, band, json.dumps(document)],
        )
    reviewed.execute(
        "UPDATE reviews SET closed_on = '2026-07-30', actions_at_close = '[]' WHERE id = ?",
        [old_id],
    )
    old = store.get_review(Quarter.parse("2026-Q3"))
    snaps = list(store.iter_snapshots(old))
    assert len(snaps) == len(rows) and all(s.impact is None for s in snaps)
    report = review_service.review_report(reviewed, "2026-Q3", TODAY)
    assert report.impacts == []
    assert "impact" not in {s.key for s in sections(report)}
    assert "Service impact" not in render_review_markdown(report)
    # and the later review still compares with it
    later = review_service.review_report(reviewed, QUARTER, TODAY)
    assert later.previous_quarter == "2026-Q3" and len(later.impacts) == 5


def test_the_impacts_are_read_in_batches_and_equal_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Starting a review reads the impacts a batch of suppliers at a time (never one supplier's
    on its own), and each snapshot keeps what that supplier's impact view says."""
    db = open_database(":memory:")
    repo = Repository(db)
    repo.import_register(impact_register())
    expected = {
        s.name: review_service.impact_at_review(supplier_impact(repo, s.id, TODAY))
        for s in repo.list_suppliers()
    }

    def one_at_a_time(*_args: object) -> None:
        raise AssertionError("an impact read one supplier at a time")

    monkeypatch.setattr(Repository, "impact_records", one_at_a_time)
    review_service.start_review(db, QUARTER, TODAY)
    kept = {name: snap.impact for name, snap in _snapshots(db).items() if snap.impact}
    assert sorted(kept) == [
        "Corvid Labs",
        "Ensemble",
        "Lumen Imaging",
        "Nimbus Hosting",
        "Veridane",
    ]
    assert kept == {name: expected[name] for name in kept}
