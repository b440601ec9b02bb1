"""How large an imported file may be: every limit on input files, in one place.

A trust's supplier register has at most tens of thousands of rows, so each
limit is well above any real register and well below what would exhaust the
machine: a hostile or broken file is refused in one line (naming what is too
large and the limit) before it is read into memory, and nothing is written.

The limits are read from this module when a file is opened (``limits.NAME``,
never copied into the reading modules), so a test can lower one.
"""

from __future__ import annotations

import os
from pathlib import Path

from supplier_register.domain.errors import BadFile

MB = 1024 * 1024

MAX_JSON_BYTES = 200 * MB
"""An interchange register (``import FILE.json``)."""
MAX_OCDS_BYTES = 200 * MB
"""Published contract data (OCDS JSON): years of a trust's notices are tens of MB."""
MAX_CSV_BYTES = 100 * MB
"""A CSV register: 100,000 rows of 1 KB each."""
MAX_MAPPING_BYTES = 1 * MB
"""A TOML mapping file: a few dozen lines."""

MAX_XLSX_BYTES = 100 * MB
"""An .xlsx workbook as stored (compressed)."""
MAX_XLSX_UNPACKED_BYTES = 512 * MB
"""All the parts of a workbook, uncompressed, as its zip directory declares them."""
MAX_XLSX_PART_BYTES = 256 * MB
"""One part (a sheet, the shared strings), uncompressed."""
MAX_XLSX_WHOLE_PART_BYTES = 16 * MB
"""One part that openpyxl reads whole and parses into a tree (the styles, the workbook, the
content types, a sheet's relationships): a tree takes about 20 times its XML in memory."""
MAX_XLSX_PARTS = 10_000
"""Parts in a workbook's zip directory (a real workbook has dozens)."""
MAX_COMPRESSION_RATIO = 200
"""Uncompressed to compressed, for a part over ``RATIO_CHECK_BYTES``: real sheets are about
10 to 1; a zip bomb of whitespace or repeated rows is about 1,000 to 1."""
RATIO_CHECK_BYTES = 1 * MB

MAX_ROWS = 100_000
"""Rows of a sheet or CSV file."""
MAX_COLUMNS = 1_000
"""Columns of a sheet or CSV file (Excel allows 16,384)."""
MAX_CELLS = 2_000_000
"""Rows × columns of a sheet (the grid the importer holds), cells of a CSV file, and
shared strings of a workbook: 50,000 rows of 40 columns."""
MAX_MERGED_RANGES = 100_000
"""Merged ranges of a sheet (one per supplier merged down its contracts is realistic)."""


def size_text(size: int) -> str:
    """A byte count for a message: '200 MB', '64 KB' or '900 bytes'."""
    if (size >= MB and size % MB == 0) or size >= 10 * MB:
        return f"{size // MB:,} MB"
    if size >= 1024:
        return f"{size // 1024:,} KB"
    return f"{size:,} bytes"


def too_large(label: str, what: str, limit: int, size: int | None = None) -> BadFile:
    """The one-line refusal: 'big.csv: the CSV file is larger than the 100 MB limit (1,100 MB)'."""
    actual = f" ({size_text(size)})" if size is not None else ""
    return BadFile(f"{label}: the {what} is larger than the {size_text(limit)} limit{actual}")


def read_limited(path: Path, limit: int, what: str, label: str | None = None) -> bytes:
    """The bytes of ``path``, refused in one line if there are more than ``limit`` of them.

    The size is checked before anything is read, and the read itself stops one
    byte past the limit, so a file that grows, or a device that never ends,
    is refused too.  ``OSError`` (no such file, a folder) is left to the caller,
    which names it in its own words.
    """
    name = label if label is not None else path.name
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise too_large(name, what, limit, size)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, what, limit)
    return data


def read_import(path: Path, limit: int, what: str) -> bytes:
    """An import file's bytes (see :func:`read_limited`); an I/O problem is one ``BadFile`` line."""
    try:
        return read_limited(path, limit, what)
    except FileNotFoundError:
        raise BadFile(f"{path}: file not found") from None
    except OSError as exc:
        raise BadFile(f"{path}: cannot read the file: {exc.strerror or exc}") from None
