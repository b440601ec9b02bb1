"""Check a workbook's size and shape before openpyxl reads it, so a hostile file cannot explode.

An .xlsx file is a zip of XML parts.  A 2 KB file can declare a sheet of
1,048,576 rows by 16,384 columns, a merged range over all of it, or a part
that unpacks to gigabytes of whitespace; read naively, each takes the
importer to many gigabytes.  So, before any part is unpacked
(:func:`check_workbook`):

* the file itself, and the number of parts its zip directory lists (read from
  the end-of-directory record, before ``zipfile`` builds an entry per part);
* every part's declared uncompressed size, their total, and the compression
  ratio (a zip bomb packs about 1,000 to 1; real sheets about 10 to 1).

Then openpyxl reads the workbook, read-only, through a :class:`GuardedZipFile`
(:func:`load_workbook`): a part it streams (a sheet, the shared strings) can
give no more than its declared size, counted as it is unpacked, so a part
larger than it declares is refused, never held; a part it reads whole to parse
into a tree (the styles, the workbook, a sheet's relationships) may be at most
``MAX_XLSX_WHOLE_PART_BYTES``.  The shared strings, which openpyxl keeps, are
counted first.  Before each sheet's rows are read, :func:`scan_sheet` streams
its XML through expat and checks its declared dimension, every row and cell
reference, and every merged range (taken as four numbers, never expanded into
cells) against the row, column and cell limits of :mod:`.limits`.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, Protocol, cast
from xml.parsers import expat

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from supplier_register.domain.errors import BadFile
from supplier_register.importers import limits

EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_CHUNK = 1024 * 1024

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"

Merge = tuple[int, int, int, int]
"""A merged range as (first column, first row, last column, last row), 1-based."""


# -- the zip directory ------------------------------------------------------------


def check_workbook(path: Path, label: str) -> None:
    """Refuse a workbook whose file, or whose zip directory, is beyond the limits.

    Nothing is unpacked.  A file that is not a zip at all is left to openpyxl
    to report, as before.
    """
    size = path.stat().st_size
    if size > limits.MAX_XLSX_BYTES:
        raise limits.too_large(label, "workbook file", limits.MAX_XLSX_BYTES, size)
    with path.open("rb") as fh:
        parts = _declared_parts(fh, size)
    if parts is not None and parts > limits.MAX_XLSX_PARTS:
        raise BadFile(
            f"{label}: the workbook's zip directory lists {parts:,} parts, more than the "
            f"{limits.MAX_XLSX_PARTS:,}-part limit"
        )
    with zipfile.ZipFile(path) as archive:
        check_directory(archive.infolist(), label)


def check_directory(infos: list[zipfile.ZipInfo], label: str) -> None:
    """Refuse parts, or a total, that unpack beyond the limits, or compress like a bomb."""
    total = 0
    for info in infos:
        unpacked = info.file_size
        if unpacked > limits.MAX_XLSX_PART_BYTES:
            raise limits.too_large(
                label, f"part {info.filename!r} unpacked", limits.MAX_XLSX_PART_BYTES, unpacked
            )
        if unpacked > limits.RATIO_CHECK_BYTES:
            ratio = unpacked / max(info.compress_size, 1)
            if ratio > limits.MAX_COMPRESSION_RATIO:
                raise BadFile(
                    f"{label}: part {info.filename!r} is compressed {ratio:,.0f} to 1, more than "
                    f"the {limits.MAX_COMPRESSION_RATIO:,} to 1 limit (a zip bomb, not a workbook)"
                )
        total += unpacked
        if total > limits.MAX_XLSX_UNPACKED_BYTES:
            raise limits.too_large(
                label, "workbook unpacked", limits.MAX_XLSX_UNPACKED_BYTES, total
            )


def _declared_parts(fh: IO[bytes], size: int) -> int | None:
    """The number of parts the zip's end-of-directory record declares (None if not a zip)."""
    tail_size = min(size, _EOCD.size + 0xFFFF)  # the record, then a comment of up to 64 KB
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or at + _EOCD.size > len(tail):
        return None
    entries = _EOCD.unpack_from(tail, at)[4]
    if entries != 0xFFFF:
        return int(entries)
    # Zip64: the real count is in the zip64 record the locator just before points to.
    if at < _ZIP64_LOCATOR.size:
        return None
    signature, _, offset, _ = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
    if signature != _ZIP64_LOCATOR_SIGNATURE or offset + _ZIP64_EOCD.size > size:
        return None
    fh.seek(offset)
    record = fh.read(_ZIP64_EOCD.size)
    if len(record) < _ZIP64_EOCD.size or not record.startswith(_ZIP64_EOCD_SIGNATURE):
        return None
    return int(_ZIP64_EOCD.unpack(record)[7])


# -- one sheet --------------------------------------------------------------------


@dataclass
class SheetShape:
    """What a sheet's XML declares and holds, as far as the limits are concerned."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    merges: list[Merge] = field(default_factory=list)
    merged_cells: int = 0


class LimitedPart:
    """A part's stream that gives no more than its limit, whoever reads it.

    Read whole (``read()``, as openpyxl does before building a tree of a part),
    a part may be at most ``MAX_XLSX_WHOLE_PART_BYTES``; read in chunks (as
    openpyxl streams a sheet or the shared strings, and as :func:`scan_sheet`
    does), at most its declared size and ``MAX_XLSX_PART_BYTES``.  ``zipfile``
    itself stops at the declared size; this makes sure of it whatever the
    stream, and names the part when a file lies.
    """

    def __init__(self, stream: IO[bytes], name: str, declared: int, label: str) -> None:
        self._stream = stream
        self._name = name
        self._declared = declared
        self._label = label
        self._limit = min(declared, limits.MAX_XLSX_PART_BYTES)
        self.count = 0

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            whole = limits.MAX_XLSX_WHOLE_PART_BYTES
            if self._declared > whole:
                raise limits.too_large(
                    self._label, f"part {self._name!r}, read whole,", whole, self._declared
                )
            size = min(self._limit, whole) - self.count + 1
        data = self._stream.read(min(size, self._limit - self.count + 1))
        self.count += len(data)
        if self.count > self._limit:
            raise BadFile(
                f"{self._label}: part {self._name!r} unpacks to more than the "
                f"{limits.size_text(self._limit)} its zip directory declares or the limit allows "
                "(a damaged or hostile file)"
            )
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> LimitedPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class GuardedZipFile(zipfile.ZipFile):
    """The workbook's zip as openpyxl reads it: every part through :class:`LimitedPart`."""

    def __init__(self, path: Path, label: str) -> None:
        super().__init__(path)
        self.label = label

    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: Literal["r", "w"] = "r",
        pwd: bytes | None = None,
        *,
        force_zip64: bool = False,
    ) -> IO[bytes]:
        stream = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return stream
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        return cast(IO[bytes], LimitedPart(stream, info.filename, info.file_size, self.label))


def load_workbook(path: Path, label: str) -> Any:
    """openpyxl's read-only workbook, read through a :class:`GuardedZipFile`.

    The shared strings, which openpyxl holds all of, are counted first (at
    most one per cell of the limit).  Call :func:`check_workbook` before.
    """
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS
    from openpyxl.xml.functions import fromstring

    reader = ExcelReader(path, read_only=True, data_only=True)
    reader.archive.close()
    archive = reader.archive = GuardedZipFile(path, label)
    try:
        package = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
        strings = package.find(SHARED_STRINGS)
        if strings is not None:
            _scan(archive, strings.PartName[1:], _StringCounter(label), label)
        reader.read()
    except BaseException:
        archive.close()
        raise
    return reader.wb


class _StringCounter:
    def __init__(self, label: str) -> None:
        self.label = label
        self.strings = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(" ")[2] == "si":
            self.strings += 1
            if self.strings > limits.MAX_CELLS:
                raise BadFile(
                    f"{self.label} has more than {limits.MAX_CELLS:,} shared strings, beyond "
                    f"the {limits.MAX_CELLS:,}-cell limit"
                )


class _Scanner:
    """The expat handler: checks each reference against the limits as it streams past."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shape = SheetShape()
        self._row = 0
        self._column = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "c":
            self._cell(attrs.get("r"))
        elif tag == "row":
            self._row_start(attrs.get("r"))
        elif tag == "dimension":
            self._dimension(attrs.get("ref", ""))
        elif tag == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def _row_start(self, ref: str | None) -> None:
        # As openpyxl numbers rows: 'r' (which may be written as a float), else the next row.
        if ref is None:
            self._row += 1
        else:
            try:
                self._row = int(ref)
            except ValueError:
                number = _float(ref, self.label)
                if not number.is_integer():
                    raise _unreadable(self.label, f"row number {ref[:20]!r}") from None
                self._row = int(number)
        self._column = 0
        shape = self.shape
        if self._row > shape.rows:
            if self._row > limits.MAX_ROWS:
                raise self._beyond(f"has a row numbered {self._row:,}", "row", limits.MAX_ROWS)
            shape.rows = self._row
            self._check_area(shape.rows, shape.columns, "spans")

    def _cell(self, ref: str | None) -> None:
        shape = self.shape
        shape.cells += 1
        if shape.cells > limits.MAX_CELLS:
            raise self._beyond(
                f"has more than {limits.MAX_CELLS:,} cells", "cell", limits.MAX_CELLS
            )
        if ref is None:
            self._column += 1
        else:
            try:
                self._column = coordinate_to_tuple(ref)[1]
            except (ValueError, TypeError):
                raise _unreadable(self.label, f"cell reference {ref[:20]!r}") from None
        if self._column > shape.columns:
            if self._column > limits.MAX_COLUMNS:
                raise self._beyond(
                    f"has a cell in column {get_column_letter(min(self._column, EXCEL_COLUMNS))} "
                    f"({self._column:,})",
                    "column",
                    limits.MAX_COLUMNS,
                )
            shape.columns = self._column
            self._check_area(shape.rows, shape.columns, "spans")

    def _dimension(self, ref: str) -> None:
        first_col, first_row, last_col, last_row = _bounds(ref, self.label)
        rows, columns = max(first_row, last_row), max(first_col, last_col)
        if rows > limits.MAX_ROWS:
            raise self._beyond(f"declares {rows:,} rows ({ref[:30]})", "row", limits.MAX_ROWS)
        if columns > limits.MAX_COLUMNS:
            raise self._beyond(
                f"declares {columns:,} columns ({ref[:30]})", "column", limits.MAX_COLUMNS
            )
        self._check_area(rows, columns, f"declares ({ref[:30]})")

    def _merge(self, ref: str) -> None:
        first_col, first_row, last_col, last_row = _bounds(ref, self.label)
        shape = self.shape
        if len(shape.merges) >= limits.MAX_MERGED_RANGES:
            raise self._beyond(
                f"has more than {limits.MAX_MERGED_RANGES:,} merged ranges",
                "merged-range",
                limits.MAX_MERGED_RANGES,
            )
        top, bottom = sorted((first_row, last_row))
        left, right = sorted((first_col, last_col))
        if bottom > limits.MAX_ROWS:
            raise self._beyond(
                f"has a merged range {ref[:30]} down to row {bottom:,}", "row", limits.MAX_ROWS
            )
        if right > limits.MAX_COLUMNS:
            raise self._beyond(
                f"has a merged range {ref[:30]} across to column {right:,}",
                "column",
                limits.MAX_COLUMNS,
            )
        shape.merged_cells += (bottom - top + 1) * (right - left + 1)
        if shape.merged_cells > limits.MAX_CELLS:
            raise self._beyond(
                f"has merged ranges covering more than {limits.MAX_CELLS:,} cells",
                "cell",
                limits.MAX_CELLS,
            )
        shape.merges.append((left, top, right, bottom))

    def _check_area(self, rows: int, columns: int, verb: str) -> None:
        if rows * columns > limits.MAX_CELLS:
            raise self._beyond(
                f"{verb} {rows:,} rows by {columns:,} columns ({rows * columns:,} cells)",
                "cell",
                limits.MAX_CELLS,
            )

    def _beyond(self, what: str, unit: str, limit: int) -> BadFile:
        return BadFile(f"{self.label} {what}, beyond the {limit:,}-{unit} limit")


def _float(text: str, label: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _unreadable(label, f"row number {text[:20]!r}") from None


def _bounds(ref: str, label: str) -> Merge:
    """A range's (first column, first row, last column, last row); a whole column or row
    ('A:A', '3:3') reaches the edge of the sheet."""
    try:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
    except (ValueError, TypeError):
        raise _unreadable(label, f"range {ref[:30]!r}") from None
    return (
        first_col or 1,
        first_row or 1,
        last_col or EXCEL_COLUMNS,
        last_row or EXCEL_ROWS,
    )


def _unreadable(label: str, what: str) -> BadFile:
    return BadFile(f"{label}: not a readable .xlsx workbook (a bad {what})")


def scan_sheet(archive: zipfile.ZipFile, part: str, label: str) -> SheetShape:
    """Stream one sheet's XML and check its shape; ``label`` names the sheet in messages."""
    scanner = _Scanner(label)
    _scan(archive, part, scanner, label)
    return scanner.shape


class _Handler(Protocol):
    def start(self, name: str, attrs: dict[str, str]) -> None: ...


def _scan(archive: zipfile.ZipFile, part: str, handler: _Handler, label: str) -> None:
    """Stream ``part`` through expat in chunks, ``handler`` seeing every element's start."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        raise BadFile(
            f"{label}: not a readable .xlsx workbook (its part {part!r} is missing)"
        ) from None
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = handler.start
    with archive.open(info) as raw:
        stream = LimitedPart(raw, part, info.file_size, label)  # again, if the archive is guarded
        try:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise BadFile(
                f"{label}: not a readable .xlsx workbook (bad XML: {expat.ErrorString(exc.code)})"
            ) from None
