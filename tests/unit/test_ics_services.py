"""services/ics.py: the ICS view from files and folders of shared files, no register opened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supplier_register.domain.errors import BadFile
from supplier_register.services import ics
from supplier_register.services.ics import ics_view, shared_file_paths
from tests.support.shares import contract, share_document, supplier, write_share

TODAY = dt.date(2026, 11, 26)


def _pool(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    a = write_share(
        folder / "a.json",
        share_document(
            "Trust A",
            [supplier("Acme Ltd", company_number="01234567"), supplier("Only A")],
            [contract("Acme Ltd", "EPR", end_date="2028-03-31", decide_by="2027-03-01")],
        ),
    )
    b = write_share(
        folder / "b.json",
        share_document(
            "Trust B",
            [supplier("ACME Limited", company_number="01234567")],
            [contract("ACME Limited", "EPR", end_date="2028-06-30", decide_by="2027-06-01")],
        ),
    )
    (folder / "readme.txt").write_text("not read", encoding="utf-8")
    return a, b


def test_a_folder_means_every_json_file_in_it(tmp_path: Path) -> None:
    a, b = _pool(tmp_path / "pool")
    view = ics_view([tmp_path / "pool"], TODAY)
    assert [f.label for f in view.files] == [str(a), str(b)]
    acme = view.suppliers[0]
    assert acme.trusts == ("Trust A", "Trust B")
    assert [(w.start, w.end) for w in acme.windows] == [(dt.date(2027, 3, 1), dt.date(2027, 6, 1))]
    # a tie of spellings: the first in alphabetical order
    assert [s.name for s in view.suppliers] == ["ACME Limited", "Only A"]


def test_a_file_given_twice_is_read_once(tmp_path: Path) -> None:
    a, _ = _pool(tmp_path / "pool")
    assert shared_file_paths([a, tmp_path / "pool" / "." / "a.json", tmp_path / "pool"]) == [
        a,
        tmp_path / "pool" / "b.json",
    ]


def test_an_empty_folder_or_nothing_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadFile, match=r"no \.json file in this folder"):
        ics_view([tmp_path / "empty"], TODAY)
    with pytest.raises(BadFile, match="no shared file given"):
        ics_view([], TODAY)


def test_a_symbolic_link_loop_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    with pytest.raises(BadFile, match=r"a\.json: cannot be read \(a symbolic link that loops"):
        ics_view([tmp_path / "a.json"], TODAY)


def test_too_many_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pool(tmp_path / "pool")
    monkeypatch.setattr(ics, "MAX_SHARED_FILES", 1)
    with pytest.raises(BadFile, match="2 shared files: more than the 1"):
        ics_view([tmp_path / "pool"], TODAY)


def test_one_bad_file_refuses_the_view_naming_it(tmp_path: Path) -> None:
    _pool(tmp_path / "pool")
    bad = tmp_path / "pool" / "c.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(BadFile, match=r"c\.json: not JSON"):
        ics_view([tmp_path / "pool"], TODAY)


def test_no_register_is_created_or_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pool(tmp_path / "pool")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    ics_view([tmp_path / "pool"], TODAY)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_synthetic_pool_is_reproducible_and_matches_across_trusts(tmp_path: Path) -> None:
    from supplier_register.interchange.share_synthetic import write_share_pool

    first = write_share_pool(tmp_path / "one", 5, 30, seed=3)
    second = write_share_pool(tmp_path / "two", 5, 30, seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    view = ics_view([tmp_path / "one"], TODAY)
    assert len(view.files) == 5
    assert view.shared, "common suppliers are matched across trusts"
    # spelt differently by different trusts, still one supplier
    assert any(len(s.names) > 1 for s in view.shared)
    assert view.with_windows


def test_a_synthetic_pool_without_answers_differs_only_in_its_answers(tmp_path: Path) -> None:
    import json

    from supplier_register.interchange.share_synthetic import write_share_pool

    (full,) = write_share_pool(tmp_path / "full", 1, 40, seed=3)
    (bare,) = write_share_pool(tmp_path / "bare", 1, 40, seed=3, answers=False)
    with_answers = json.loads(full.read_bytes())
    without = json.loads(bare.read_bytes())
    assert with_answers["answers"] and without["answers"] == []
    assert {**with_answers, "answers": []} == without
