"""Reading a partner trust's shared file for the ICS view (interchange/share_read.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain.errors import BadFile
from supplier_register.importers import limits
from supplier_register.interchange.share_read import read_shared_file
from tests.support.shares import contract, share_document, supplier, write_share


def _document() -> dict[str, Any]:
    return share_document(
        "Riverside NHS Trust",
        [
            supplier(
                "Acme Ltd",
                company_number="01234567",
                identifiers=["GB-COH-01234567"],
                criticality="strategic",
                sme=False,
                shared_with=["Hillside NHS Trust"],
                score=72,
                band="severe",
                next_decide_by="2027-03-01",
            )
        ],
        [
            contract(
                "Acme Ltd",
                "EPR",
                start_date="2022-04-01",
                end_date="2028-03-31",
                notice_period_days=180,
                auto_renewal=True,
                migration_lead_time_days=365,
                decide_by="2026-04-06",
            )
        ],
    )


def test_a_shared_file_is_read_into_value_types(tmp_path: Path) -> None:
    path = write_share(tmp_path / "riverside.json", _document())
    before = path.read_bytes()
    shared = read_shared_file(path)
    assert shared.trust == "Riverside NHS Trust"
    assert shared.exported_by == "Test CIO"
    assert shared.exported_at == dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)
    assert shared.as_of == dt.date(2026, 11, 26)
    assert "values" in shared.redacted
    (acme,) = shared.suppliers
    assert acme.company_number == "01234567"
    assert acme.identifiers == ("GB-COH-01234567",)
    assert (acme.criticality, acme.score, acme.band) == ("strategic", 72, "severe")
    assert acme.sme is False and acme.shared_with == ("Hillside NHS Trust",)
    assert acme.next_decide_by == dt.date(2027, 3, 1)
    (epr,) = shared.contracts
    assert (epr.end_date, epr.decide_by) == (dt.date(2028, 3, 31), dt.date(2026, 4, 6))
    assert (epr.notice_period_days, epr.auto_renewal) == (180, True)
    assert path.read_bytes() == before  # read-only


def test_missing_or_null_optional_facts_stay_unknown(tmp_path: Path) -> None:
    document = share_document(
        "T",
        [{"name": "Bare"}, supplier("Nulls", sme=None, score=None, band=None)],
        [{"supplier": "Bare", "title": "Support"}],
    )
    shared = read_shared_file(write_share(tmp_path / "t.json", document))
    bare, nulls = shared.suppliers
    assert bare.company_number is None and bare.identifiers is None
    assert bare.criticality is None and bare.sme is None and bare.score is None
    assert bare.shared_with is None and bare.next_decide_by is None
    assert nulls.sme is None and nulls.score is None and nulls.band is None
    (support,) = shared.contracts
    assert support.end_date is None and support.decide_by is None
    assert support.auto_renewal is None and support.notice_period_days is None


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


_DELETE = object()

REFUSALS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "another format": (_set(("format",), "supplier-register"), "not a shared register"),
    "a newer version": (_set(("format_version",), 2), "format version 2 is newer"),
    "a version as text": (_set(("format_version",), "1"), "format version must be"),
    "no header": (_set(("shared",), _DELETE), "the header is missing"),
    "no export time": (_set(("shared", "exported_at"), _DELETE), "the export time is missing"),
    "a bad export time": (_set(("shared", "exported_at"), "yesterday"), "the export time must"),
    "a bad as-of date": (_set(("shared", "as_of"), "2026-13-01"), "the as-of date must be a date"),
    "no exporter": (_set(("shared", "exported_by"), _DELETE), "who exported it is missing"),
    "trust as a number": (_set(("shared", "trust"), 7), "the trust must be text"),
    "no policy": (_set(("shared", "policy"), _DELETE), "the redaction policy is missing"),
    "no suppliers": (_set(("suppliers",), _DELETE), "suppliers: suppliers is missing"),
    "contracts not a list": (_set(("contracts",), {}), "contracts must be a list"),
    "no answers": (_set(("answers",), _DELETE), "answers: answers is missing"),
    "answers not a list": (_set(("answers",), "none"), "answers must be a list"),
    "supplier not an object": (_set(("suppliers", 0), "Acme"), "suppliers[0]: the supplier must"),
    "supplier without a name": (
        _set(("suppliers", 0, "name"), _DELETE),
        "suppliers[0]: the supplier's name is missing",
    ),
    "score as text": (
        _set(("suppliers", 0, "score"), "72"),
        "supplier 'Acme Ltd': the score must be a whole number",
    ),
    "score over 100": (_set(("suppliers", 0, "score"), 101), "the score must be a whole number"),
    "unknown criticality": (
        _set(("suppliers", 0, "criticality"), "vital"),
        "the criticality must be one of",
    ),
    "unknown band": (_set(("suppliers", 0, "band"), "red"), "the band must be one of"),
    "sme as text": (_set(("suppliers", 0, "sme"), "no"), "SME must be true, false or null"),
    "identifiers as text": (
        _set(("suppliers", 0, "identifiers"), "GB-COH-1"),
        "the identifiers must be a list",
    ),
    "a bad end date": (
        _set(("contracts", 0, "end_date"), "31/03/2028"),
        "contract 'EPR' of 'Acme Ltd': the end date must be a date as YYYY-MM-DD",
    ),
    "a bad decide-by": (
        _set(("contracts", 0, "decide_by"), 20260406),
        "the decide-by date must be a date",
    ),
    "a negative notice period": (
        _set(("contracts", 0, "notice_period_days"), -1),
        "the notice period (days) must be a whole number",
    ),
    "a contract of no listed supplier": (
        _set(("contracts", 0, "supplier"), "Nobody"),
        "the supplier is not among the file's suppliers",
    ),
    "a very long name": (
        _set(("suppliers", 0, "name"), "x" * 201),
        "the supplier's name is longer than 200 characters",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_bad_file_is_refused_in_one_line_naming_file_and_field(tmp_path: Path, case: str) -> None:
    change, reason = REFUSALS[case]
    document = _document()
    change(document)
    path = write_share(tmp_path / "partner.json", document)
    with pytest.raises(BadFile) as caught:
        read_shared_file(path)
    message = caught.value.message
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert reason in message


def test_a_supplier_listed_twice_is_refused(tmp_path: Path) -> None:
    document = share_document("T", [supplier("Acme"), supplier("Acme")])
    with pytest.raises(BadFile, match=r"supplier 'Acme': listed twice"):
        read_shared_file(write_share(tmp_path / "t.json", document))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json at all", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
        (b"[]", "not a shared register"),
        (b"", "not JSON"),
    ],
)
def test_what_is_not_a_shared_file_is_refused(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    with pytest.raises(BadFile) as caught:
        read_shared_file(path)
    assert caught.value.message.startswith(f"{path}: ")
    assert reason in caught.value.message
    assert "\n" not in caught.value.message


def test_an_absurdly_large_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_share(tmp_path / "big.json", _document())
    monkeypatch.setattr(limits, "MAX_JSON_BYTES", 100)
    with pytest.raises(BadFile, match=r"big\.json: the shared file is larger than the 100 bytes"):
        read_shared_file(path)


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = share_document("T", [supplier(f"S{i}") for i in range(3)])
    path = write_share(tmp_path / "rows.json", document)
    monkeypatch.setattr(limits, "MAX_ROWS", 2)
    with pytest.raises(BadFile, match=r"suppliers: more than 2 suppliers"):
        read_shared_file(path)


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="file not found"):
        read_shared_file(tmp_path / "absent.json")
    with pytest.raises(BadFile, match="is a folder"):
        read_shared_file(tmp_path)


def test_an_export_time_without_a_zone_is_taken_as_utc(tmp_path: Path) -> None:
    document = _document()
    document["shared"]["exported_at"] = "2026-11-26T09:00:00"
    shared = read_shared_file(write_share(tmp_path / "t.json", document))
    assert shared.exported_at == dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)


def test_the_file_written_by_the_exporter_round_trips(tmp_path: Path) -> None:
    """The reader takes what interchange/share.py writes, key for key."""
    from supplier_register.interchange.share import ShareHeader, share_document, share_json
    from tests.support.registers import small_register

    register = small_register()
    header = ShareHeader(
        trust="Riverside",
        exported_by="CIO",
        exported_at=dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC),
        as_of=dt.date(2026, 11, 26),
        redacted=("notes", "people"),
    )
    document = share_document(
        header, register.suppliers, register.contracts, register.answers, [], [], [], {}
    )
    path = tmp_path / "exported.json"
    path.write_text(share_json(document), encoding="utf-8")
    shared = read_shared_file(path)
    assert [s.name for s in shared.suppliers] == [s.name for s in register.suppliers]
    assert [c.decide_by for c in shared.contracts] == [c.decide_by() for c in register.contracts]
    assert shared.redacted == ("notes", "people")
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 1


def test_text_not_in_canonical_form_is_read_as_the_exporter_would_write_it(
    tmp_path: Path,
) -> None:
    """Rows the fast path leaves to the checking path come out the same."""
    document = share_document(
        "T",
        [supplier("  Acme  ", company_number="", identifiers=[" GB-COH-01234567 ", "  "])],
        [contract(" Acme", " EPR ", what_is_bought="", decide_by="2027-01-01")],
    )
    shared = read_shared_file(write_share(tmp_path / "t.json", document))
    (acme,) = shared.suppliers
    assert acme.name == "Acme" and acme.company_number is None
    assert acme.identifiers == ("GB-COH-01234567",)
    (epr,) = shared.contracts
    assert (epr.supplier, epr.title, epr.what_is_bought) == ("Acme", "EPR", None)
    assert epr.decide_by == dt.date(2027, 1, 1)
