"""Hostile files are refused in one line, within the limits, before they can exhaust memory.

Each bomb here is made in the test and is small; without the limits each would
take the importer to gigabytes (a 2 KB workbook declaring the whole sheet, a
merged range over all of it, a few KB that unpack to gigabytes of whitespace,
a CSV or OCDS file of any size).  Where a bomb would have to be large to reach
the default limit, the limit is lowered instead; the default limits are checked
on sparse files (which take no disk) and on a zip that merely declares a size.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.errors import BadFile
from supplier_register.importers import limits, xlsxguard
from supplier_register.importers.tabular import read_table
from supplier_register.interchange import dump_register_json, read_register_file
from supplier_register.services.imports import open_ocds, open_spreadsheet
from tests.importers.bombs import (
    SHEET_PART,
    cell,
    declare_size,
    register_rows,
    sheet_xml,
    whitespace,
    write_workbook,
)
from tests.importers.import_helpers import write_xlsx
from tests.support.registers import dump, small_register

MB = 1024 * 1024


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    json_file = tmp_path / "small.json"
    json_file.write_text(dump_register_json(small_register()), encoding="utf-8")
    code, _, err = run("import", str(json_file), db=path)
    assert code == 0, err
    return path


def refused(db: Path, *args: str) -> str:
    """Run an import that must be refused: exit 2, one ``error:`` line, the database unchanged."""
    before = dump(db)
    code, out, err = run(*args, db=db)
    assert code == 2, (out, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert dump(db) == before
    return err


def sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole)."""
    with path.open("wb") as fh:
        fh.truncate(size)
    return path


# -- workbooks -----------------------------------------------------------------------


def test_xlsx_declaring_the_whole_sheet_is_refused(tmp_path: Path, db: Path) -> None:
    book = write_workbook(
        tmp_path / "dimension.xlsx", sheet_xml(register_rows(), dimension="A1:XFD1048576")
    )
    assert book.stat().st_size < 10_000
    err = refused(db, "import", str(book))
    assert "dimension.xlsx: sheet 'Register' declares 1,048,576 rows (A1:XFD1048576)" in err
    assert "beyond the 100,000-row limit" in err


def test_xlsx_declaring_too_many_columns_is_refused(tmp_path: Path, db: Path) -> None:
    book = write_workbook(tmp_path / "wide.xlsx", sheet_xml(register_rows(), dimension="A1:XFD2"))
    err = refused(db, "import", str(book))
    assert "declares 16,384 columns (A1:XFD2), beyond the 1,000-column limit" in err


def test_xlsx_merged_range_over_the_whole_sheet_is_refused_unexpanded(
    tmp_path: Path, db: Path
) -> None:
    book = write_workbook(
        tmp_path / "merged.xlsx", sheet_xml(register_rows(), merges=["A1:XFD1048576"])
    )
    assert book.stat().st_size < 10_000
    err = refused(db, "import", str(book))
    assert "merged.xlsx: sheet 'Register' has a merged range A1:XFD1048576" in err
    assert "beyond the 100,000-row limit" in err


def test_xlsx_merged_ranges_within_the_rows_but_over_the_cells_are_refused(
    tmp_path: Path, db: Path
) -> None:
    book = write_workbook(
        tmp_path / "merged.xlsx", sheet_xml(register_rows(), merges=["A1:ALL90000"])
    )
    err = refused(db, "import", str(book))
    assert "merged ranges covering more than 2,000,000 cells, beyond the" in err


def test_xlsx_row_numbered_far_down_is_refused(tmp_path: Path, db: Path) -> None:
    # Read-only openpyxl yields an empty row for every row number skipped.
    rows = [*register_rows(), b'<row r="1048576">' + cell("A1048576", "x") + b"</row>"]
    book = write_workbook(tmp_path / "far.xlsx", sheet_xml(rows))
    err = refused(db, "import", str(book))
    assert "has a row numbered 1,048,576, beyond the 100,000-row limit" in err


def test_xlsx_cell_far_right_is_refused(tmp_path: Path, db: Path) -> None:
    rows = [*register_rows(), b'<row r="3">' + cell("XFD3", "x") + b"</row>"]
    book = write_workbook(tmp_path / "right.xlsx", sheet_xml(rows))
    err = refused(db, "import", str(book))
    assert "has a cell in column XFD (16,384), beyond the 1,000-column limit" in err


def test_xlsx_rows_times_columns_over_the_cell_limit_are_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_CELLS", 70)
    rows = [*register_rows(), b'<row r="30">' + cell("C30", "x") + b"</row>"]
    book = write_workbook(tmp_path / "area.xlsx", sheet_xml(rows))
    err = refused(db, "import", str(book))
    assert "spans 30 rows by 3 columns (90 cells), beyond the 70-cell limit" in err


def test_zip_bomb_of_whitespace_is_refused_by_its_compression_ratio(
    tmp_path: Path, db: Path
) -> None:
    # 4 MB of whitespace packs to about 4 KB; the same file at 2 GB took 2.1 GB to refuse.
    sheet = sheet_xml(register_rows(), padding=whitespace(4 * MB))
    book = write_workbook(tmp_path / "bomb.xlsx", sheet)
    assert book.stat().st_size < 20_000
    err = refused(db, "import", str(book))
    assert f"bomb.xlsx: part '{SHEET_PART}' is compressed" in err
    assert "more than the 200 to 1 limit (a zip bomb, not a workbook)" in err


def test_sheet_unpacking_beyond_the_part_limit_is_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = (
        f'<row r="{r}">'.encode() + cell(f"A{r}", f"Supplier {r} Ltd") + b"</row>"
        for r in range(1, 3000)
    )
    book = write_workbook(tmp_path / "big.xlsx", sheet_xml(rows, dimension=None))
    monkeypatch.setattr(limits, "MAX_XLSX_PART_BYTES", 64 * 1024)
    err = refused(db, "import", str(book))
    assert f"big.xlsx: the part '{SHEET_PART}' unpacked is larger than the 64 KB limit (" in err


def test_workbook_unpacking_beyond_the_total_limit_is_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = write_xlsx(tmp_path / "book.xlsx", [["Supplier"], ["Acme Ltd"]])
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", 4096)
    err = refused(db, "import", str(book))
    assert "book.xlsx: the workbook unpacked is larger than the 4 KB limit" in err


def test_default_limits_refuse_a_declared_huge_part_without_unpacking_it(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = write_workbook(tmp_path / "claims.xlsx", sheet_xml(register_rows()))
    declare_size(book, SHEET_PART, 3 * 1024 * MB)  # 3 GB, in a file of a few KB

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a part was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    err = refused(db, "import", str(book))
    assert f"the part '{SHEET_PART}' unpacked is larger than the 256 MB limit (3,072 MB)" in err


def test_part_unpacking_to_more_than_it_declares_is_refused(tmp_path: Path, db: Path) -> None:
    book = write_workbook(tmp_path / "liar.xlsx", sheet_xml(register_rows()))
    declare_size(book, SHEET_PART, 100)  # the real sheet is several hundred bytes
    err = refused(db, "import", str(book))
    assert "liar.xlsx: " in err


def test_a_part_is_never_read_past_its_limit() -> None:
    class Endless:
        def read(self, size: int) -> bytes:
            return b" " * size

    stream = xlsxguard.LimitedPart(Endless(), "xl/sheet.xml", 1000, "liar.xlsx")  # type: ignore[arg-type]
    assert len(stream.read(600)) == 600
    with pytest.raises(
        BadFile, match=r"liar\.xlsx: part 'xl/sheet\.xml' unpacks to more than the 1,000 bytes"
    ):
        stream.read(600)
    assert stream.count == 1001  # never more than one byte past the limit is read


def test_a_part_read_whole_has_its_own_lower_limit(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # openpyxl parses the styles (and the workbook, the content types...) into a tree of
    # about 20 times their size: a 100 MB styles part took 1.9 GB.
    base = write_xlsx(tmp_path / "base.xlsx", [["Supplier"], ["Acme Ltd"]])
    book = tmp_path / "styles.xlsx"
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(book, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/styles.xml":
                data += b" " * 100_000  # space after the root element: still valid XML
            target.writestr(info, data)
    monkeypatch.setattr(limits, "MAX_XLSX_WHOLE_PART_BYTES", 64 * 1024)
    err = refused(db, "import", str(book))
    assert "styles.xlsx: the part 'xl/styles.xml', read whole, is larger than the 64 KB" in err


def test_shared_strings_beyond_the_cell_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # openpyxl holds every shared string (and an element for each while it reads them).
    book = tmp_path / "strings.xlsx"
    workbook = xlsxwriter.Workbook(str(book))  # shared strings, as Excel writes them
    sheet = workbook.add_worksheet()
    for n in range(30):
        sheet.write_string(n, 0, f"Supplier {n} Ltd")
    workbook.close()
    monkeypatch.setattr(limits, "MAX_CELLS", 20)
    with pytest.raises(BadFile, match=r"^strings.xlsx has more than 20 shared strings, beyond"):
        read_table(book)


def test_workbook_file_over_the_limit_is_refused(tmp_path: Path, db: Path) -> None:
    book = sparse(tmp_path / "huge.xlsx", limits.MAX_XLSX_BYTES + 1)
    err = refused(db, "import", str(book))
    assert "huge.xlsx: the workbook file is larger than the 100 MB limit" in err


def test_zip_directory_of_too_many_parts_is_refused_before_it_is_read(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(book, "w") as archive:
        for n in range(12):
            archive.writestr(f"part{n}.xml", b"")
    monkeypatch.setattr(limits, "MAX_XLSX_PARTS", 10)
    err = refused(db, "import", str(book))
    assert "lists 12 parts, more than the 10-part limit" in err


def test_parts_are_counted_from_a_zip64_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = tmp_path / "zip64.zip"
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 4)  # so zipfile writes zip64 records
    with zipfile.ZipFile(book, "w") as archive:
        for n in range(12):
            archive.writestr(f"part{n}.xml", b"")
    data = bytearray(book.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = b"\xff\xff\xff\xff"  # counts only in the zip64 record
    book.write_bytes(bytes(data))
    with zipfile.ZipFile(book) as archive:
        assert len(archive.infolist()) == 12
    with book.open("rb") as fh:
        assert xlsxguard._declared_parts(fh, book.stat().st_size) == 12


def test_sheet_declaring_less_than_it_holds_is_read_whole(tmp_path: Path) -> None:
    # Read-only openpyxl trusts the dimension unless told not to: data past it would be lost.
    rows = [
        *register_rows(),
        b'<row r="3">' + cell("A3", "Beta Ltd") + cell("B3", "hardware") + b"</row>",
    ]
    book = write_workbook(tmp_path / "small-dimension.xlsx", sheet_xml(rows, dimension="A1"))
    table = read_table(book)
    assert [row.cells for row in table.rows] == [
        ["Supplier", "Category"],
        ["Acme Ltd", "software"],
        ["Beta Ltd", "hardware"],
    ]


def test_bad_references_in_a_sheet_are_one_line(tmp_path: Path, db: Path) -> None:
    rows = [*register_rows(), b'<row r="3">' + cell("3A", "x") + b"</row>"]
    book = write_workbook(tmp_path / "badref.xlsx", sheet_xml(rows))
    err = refused(db, "import", str(book))
    assert (
        "badref.xlsx: sheet 'Register': not a readable .xlsx workbook (a bad cell reference" in err
    )


# -- CSV, OCDS, interchange JSON and mapping files ---------------------------------------


def test_csv_over_the_default_limit_is_refused_before_reading(tmp_path: Path, db: Path) -> None:
    csv_file = sparse(tmp_path / "huge.csv", limits.MAX_CSV_BYTES + 1)
    err = refused(db, "import", str(csv_file))
    assert "huge.csv: the CSV file is larger than the 100 MB limit (100 MB)" in err


def test_csv_over_a_lowered_limit_is_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_CSV_BYTES", 1024)
    csv_file = tmp_path / "big.csv"
    csv_file.write_text("Supplier\n" + "Acme Ltd\n" * 200, encoding="utf-8")
    err = refused(db, "import", str(csv_file))
    assert "big.csv: the CSV file is larger than the 1 KB limit (1 KB)" in err


def test_csv_rows_columns_and_cells_over_the_limits_are_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text("Supplier\n" + "," * 1000 + "\n", encoding="utf-8")
    err = refused(db, "import", str(wide))
    assert "wide.csv: line 2 has 1,001 columns, more than the 1,000-column limit" in err
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    long = tmp_path / "long.csv"
    long.write_text("Supplier\n" + "Acme Ltd\n" * 10, encoding="utf-8")
    err = refused(db, "import", str(long))
    assert "long.csv: more than 10 rows, the limit for a CSV file" in err
    monkeypatch.setattr(limits, "MAX_CELLS", 15)
    cells = tmp_path / "cells.csv"
    cells.write_text("Supplier,Category\n" + "Acme Ltd,software\n" * 8, encoding="utf-8")
    err = refused(db, "import", str(cells))
    assert "cells.csv: more than 15 cells by line 8, the limit for a CSV file" in err


def test_ocds_over_the_limit_is_refused(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    huge = sparse(tmp_path / "notices.json", limits.MAX_OCDS_BYTES + 1)
    err = refused(db, "import-ocds", str(huge))
    assert "notices.json: the OCDS file is larger than the 200 MB limit" in err
    monkeypatch.setattr(limits, "MAX_OCDS_BYTES", 100)
    small = tmp_path / "small.json"
    small.write_text('{"releases": [' + "{}," * 50 + "{}]}", encoding="utf-8")
    with pytest.raises(BadFile, match=r"small.json: the OCDS file is larger than the 100 bytes"):
        open_ocds(small)


def test_interchange_json_over_the_limit_is_refused(tmp_path: Path, db: Path) -> None:
    huge = sparse(tmp_path / "register.json", limits.MAX_JSON_BYTES + 1)
    err = refused(db, "import", str(huge))
    assert "register.json: the file is larger than the 200 MB limit" in err


def test_mapping_file_over_the_limit_is_refused(tmp_path: Path, db: Path) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text("Supplier\nAcme Ltd\n", encoding="utf-8")
    mapping = sparse(tmp_path / "mapping.toml", limits.MAX_MAPPING_BYTES + 1)
    err = refused(db, "import", str(sheet), "--mapping", str(mapping))
    assert "mapping.toml: the mapping file is larger than the 1 MB limit" in err
    with pytest.raises(BadFile, match="the mapping file is larger than the 1 MB limit"):
        open_spreadsheet(sheet, mapping)


def test_a_file_that_never_ends_is_refused_at_the_limit() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(BadFile, match=r"zero: the CSV file is larger than the 1 KB limit$"):
        limits.read_limited(Path("/dev/zero"), 1024, "CSV file")


def test_files_within_the_limits_still_import(tmp_path: Path) -> None:
    json_file = tmp_path / "small.json"
    json_file.write_text(dump_register_json(small_register()), encoding="utf-8")
    assert read_register_file(json_file).suppliers
    sheet = tmp_path / "register.csv"
    sheet.write_text("Supplier\r\nAcme Ltd\r\n", encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(b'header_row = 1\r[columns]\r"Supplier" = "supplier.name"\r')
    job = open_spreadsheet(sheet, mapping)
    assert [row.cells for row in job.table.rows] == [["Supplier"], ["Acme Ltd"]]


def test_merged_ranges_read_as_the_full_reader_read_them(tmp_path: Path) -> None:
    # Read-only openpyxl gives cells a merged range covers as the file has them; they are
    # emptied, as openpyxl's full reader did, before a range down rows is filled.
    rows = [
        b'<row r="1">' + cell("A1", "Clinical systems") + cell("B1", "stale") + b"</row>",
        b'<row r="2">' + cell("A2", "Supplier") + cell("B2", "Contract") + b"</row>",
        b'<row r="3">' + cell("A3", "Acme Ltd") + cell("B3", "EPR") + b"</row>",
        b'<row r="4">' + cell("A4", "stale") + cell("B4", "PACS") + b"</row>",
    ]
    book = write_workbook(
        tmp_path / "merged.xlsx", sheet_xml(rows, dimension="A1:B4", merges=["A1:B1", "A3:A4"])
    )
    table = read_table(book)
    assert [(row.cells, row.heading) for row in table.rows] == [
        (["Clinical systems", None], True),
        (["Supplier", "Contract"], False),
        (["Acme Ltd", "EPR"], False),
        (["Acme Ltd", "PACS"], False),
    ]
