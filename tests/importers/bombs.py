"""Hostile workbooks made in a test: tiny files that would explode an importer without limits."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tests.importers.import_helpers import write_xlsx

SHEET_PART = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def sheet_xml(
    rows: Iterable[bytes] = (),
    *,
    dimension: str | None = "A1:B2",
    merges: Iterable[str] = (),
    padding: Iterable[bytes] = (),
) -> Iterator[bytes]:
    """A sheet's XML in pieces: ``padding`` (whitespace, say) goes before ``sheetData``."""
    yield HEAD
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield from padding
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData>"
    merges = list(merges)
    if merges:
        yield f'<mergeCells count="{len(merges)}">'.encode()
        for ref in merges:
            yield f'<mergeCell ref="{ref}"/>'.encode()
        yield b"</mergeCells>"
    yield b"</worksheet>"


def register_rows() -> list[bytes]:
    """A header and one supplier: what every bomb carries, so it looks like a register."""
    return [
        b'<row r="1">' + cell("A1", "Supplier") + cell("B1", "Category") + b"</row>",
        b'<row r="2">' + cell("A2", "Acme Ltd") + cell("B2", "software") + b"</row>",
    ]


def write_workbook(path: Path, sheet: Iterable[bytes]) -> Path:
    """A real openpyxl workbook with its one sheet's XML replaced by ``sheet`` (streamed in)."""
    base = write_xlsx(path.with_name(path.stem + "-base.xlsx"), [["Supplier"], ["Acme Ltd"]])
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename == SHEET_PART:
                with target.open(SHEET_PART, "w") as out:
                    for piece in sheet:
                        out.write(piece)
            else:
                target.writestr(info, source.read(info))
    base.unlink()
    return path


def whitespace(total: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """``total`` bytes of spaces, a chunk at a time (never held whole)."""
    block = b" " * chunk
    while total > 0:
        yield block[: min(chunk, total)]
        total -= chunk


def declare_size(path: Path, part: str, size: int) -> None:
    """Rewrite the uncompressed size ``part`` declares, in its local header and the directory.

    The data stays as it is: a file that claims gigabytes in a few KB, or
    that unpacks to more than it says.
    """
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, size_at, name_at in ((b"PK\x01\x02", 24, 46), (b"PK\x03\x04", 22, 30)):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + name_at - (18 if name_at == 46 else 4))[0]
            if bytes(data[at + name_at : at + name_at + length]) == name:
                struct.pack_into("<L", data, at + size_at, size)
                break
            at = data.find(signature, at + 4)
        else:
            raise AssertionError(f"{part} not found")
    path.write_bytes(bytes(data))
