#!/usr/bin/env python3
"""Feed the importer the resource-exhaustion attacks at full size; time and measure each refusal.

Each attack file is made in a temporary folder at the size that exhausted the
importer before the limits (a 2 KB workbook declaring or merging the whole
sheet, a workbook whose sheet unpacks to 2 GB of whitespace, files of over a
gigabyte; the plain files are sparse, so they take no disk).  Each is imported
by the real CLI in a subprocess against a register database; the script
reports the exit code, the error line, the seconds taken, the subprocess's
peak memory (its own high-water mark, VmHWM) and whether the database is
exactly as it was.  A realistic 20,000-row workbook, which must import, is
measured alongside for comparison.

Usage: ``python scripts/hostile_files.py`` (``--json`` for JSON; ``--quick``
makes the whitespace bomb 200 MB instead of 2 GB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
ROWS = (
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Supplier</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>Acme Ltd</t></is></c></row></sheetData>'
)


@dataclass
class Result:
    attack: str
    file_bytes: int
    exit_code: int
    error: str
    seconds: float
    peak_mb: float
    database_unchanged: bool


def workbook(path: Path, pieces: Callable[[], Iterator[bytes]]) -> Path:
    """A real openpyxl workbook whose sheet XML is replaced by ``pieces`` (streamed)."""
    base = path.with_name("base.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Supplier"])
    book.save(base)
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w", force_zip64=True) as out:
                    for piece in pieces():
                        out.write(piece)
            else:
                target.writestr(info, source.read(info))
    base.unlink()
    return path


def sheet(dimension: str = "A1:A2", merge: str | None = None, spaces: int = 0) -> Iterator[bytes]:
    yield HEAD + f'<dimension ref="{dimension}"/>'.encode()
    block = b" " * MB
    while spaces > 0:
        yield block[: min(MB, spaces)]
        spaces -= MB
    yield ROWS
    if merge:
        yield f'<mergeCells count="1"><mergeCell ref="{merge}"/></mergeCells>'.encode()
    yield b"</worksheet>"


def padded(megabytes: int) -> Iterator[bytes]:
    """A sheet just inside the limits: each MB is spaces and a comment of random hex, so it
    packs about 150 to 1, under the ratio limit, and must be unpacked and parsed in full."""
    yield HEAD + b'<dimension ref="A1:A2"/>'
    for _ in range(megabytes):
        noise = os.urandom(4_500).hex().encode()
        yield b"<!--" + noise + b"-->" + b" " * (MB - len(noise) - 7)
    yield ROWS + b"</worksheet>"


def styles(path: Path, megabytes: int) -> Path:
    """A workbook whose styles part (which openpyxl parses whole, into a tree) is ``megabytes``
    of small elements with random values (packing about 3 to 1, nothing like a bomb)."""
    base = path.with_name("base.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Supplier"])
    book.save(base)
    with (
        zipfile.ZipFile(base) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename == "xl/styles.xml":
                data = source.read(info)
                end = data.rindex(b"</")
                with target.open(info.filename, "w", force_zip64=True) as out:
                    out.write(data[:end])
                    for _ in range(megabytes * 16):
                        out.write(
                            b"".join(
                                b'<x a="%s"/>' % os.urandom(3).hex().encode() for _ in range(4096)
                            )
                        )
                    out.write(data[end:])
            else:
                target.writestr(info, source.read(info))
    base.unlink()
    return path


def largest(path: Path, rows: int, columns: int) -> Path:
    """A sheet at the cell limit, every cell a different string (all shared strings)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Register")
    sheet.write_row(0, 0, ["Supplier", *(f"Column {c}" for c in range(1, columns))])
    for r in range(1, rows):
        sheet.write_row(r, 0, [f"Supplier {r} Ltd", *(f"r{r}c{c}" for c in range(1, columns))])
    book.close()
    return path


def declared(path: Path, size: int) -> Path:
    """Make the sheet part claim ``size`` bytes unpacked (in the directory and local header)."""
    data = bytearray(path.read_bytes())
    name = SHEET.encode()
    for signature, size_at, name_at, length_at in (
        (b"PK\x01\x02", 24, 46, 28),
        (b"PK\x03\x04", 22, 30, 26),
    ):
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if bytes(data[at + name_at : at + name_at + length]) == name:
                struct.pack_into("<L", data, at + size_at, size)
                break
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def realistic(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Supplier", "Category", "Contract", "Annual value", "Contract end"])
    for i in range(20_000):
        sheet.append([f"Supplier {i} Ltd", "software", f"Contract {i}", 12_000 + i, "2027-03-31"])
    book.save(path)
    return path


def digest(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


# The CLI run with its own peak memory written at exit: the kernel's high-water mark of the
# process's own memory (VmHWM).  ``ru_maxrss`` from getrusage or wait4 would also count the
# memory of this script at the moment it started the subprocess, which Linux carries over.
_MEASURED = """
import atexit, runpy, sys
_out = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    with open(_out, "w") as out:
        out.write(str(kb))
atexit.register(_peak)
sys.argv[0] = "supplier-register"
runpy.run_module("supplier_register", run_name="__main__")
"""


def run(db: Path, args: list[str]) -> tuple[int, str, float, float]:
    """Run the CLI; its exit code, last stderr line, seconds and peak memory in MB."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURED, peak.name, "--db", str(db), *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            check=False,
        )
        seconds = time.monotonic() - start
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
        peak_kb = int(peak.read() or 0)
    return proc.returncode, (lines[-1] if lines else ""), seconds, peak_kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a 200 MB whitespace bomb, not 2 GB")
    options = parser.parse_args(argv)
    spaces = (200 if options.quick else 2048) * MB
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = tmp / "register.db"
        code, error, _, _ = run(db, ["import", str(ROOT / "sample_data" / "register.json")])
        if code != 0:
            raise SystemExit(f"could not make the register: {error}")
        small = tmp / "small.csv"
        cases: list[tuple[str, Callable[[], Path], str]] = [
            (
                "baseline: a CSV of one supplier (accepted)",
                lambda: small.write_text("Supplier\nAcme Ltd\n", encoding="utf-8") and small,
                "",
            ),
            (
                "XLSX declaring A1:XFD1048576",
                lambda: workbook(tmp / "dimension.xlsx", lambda: sheet("A1:XFD1048576")),
                "import",
            ),
            (
                "XLSX merging A1:XFD1048576",
                lambda: workbook(tmp / "merged.xlsx", lambda: sheet(merge="A1:XFD1048576")),
                "import",
            ),
            (
                f"XLSX zip bomb: {spaces // MB:,} MB of whitespace",
                lambda: workbook(tmp / "bomb.xlsx", lambda: sheet(spaces=spaces)),
                "import",
            ),
            (
                "XLSX declaring a 3 GB sheet",
                lambda: declared(workbook(tmp / "claims.xlsx", sheet), 3 * 1024 * MB),
                "import",
            ),
            ("CSV of 1.1 GB", lambda: sparse(tmp / "huge.csv", 1100 * MB), "import"),
            (
                "OCDS JSON of 1.1 GB",
                lambda: sparse(tmp / "huge-ocds.json", 1100 * MB),
                "import-ocds",
            ),
            ("register JSON of 1.1 GB", lambda: sparse(tmp / "huge.json", 1100 * MB), "import"),
            (
                "XLSX just inside the limits: a 250 MB sheet packed about 150 to 1 (accepted)",
                lambda: workbook(tmp / "padded.xlsx", lambda: padded(50 if options.quick else 250)),
                "",
            ),
            (
                "XLSX whose styles part is 100 MB",
                lambda: styles(tmp / "styles.xlsx", 100),
                "import",
            ),
            (
                "XLSX whose styles part is just under 16 MB (accepted)",
                lambda: styles(tmp / "styles16.xlsx", 15),
                "",
            ),
            (
                "XLSX at the cell limit: 50,000 rows by 40 columns, all different strings "
                "(accepted)",
                lambda: largest(tmp / "largest.xlsx", 50_000, 40),
                "",
            ),
            ("realistic XLSX, 20,000 rows (accepted)", lambda: realistic(tmp / "real.xlsx"), ""),
        ]
        for attack, make, command in cases:
            path = make()
            before = digest(db)
            args = [command, str(path)] if command else ["import", str(path), "--dry-run"]
            code, error, seconds, peak = run(db, args)
            results.append(
                Result(
                    attack,
                    path.stat().st_size,
                    code,
                    error if code else "(imported: dry run)",
                    round(seconds, 2),
                    round(peak, 1),
                    digest(db) == before,
                )
            )
            path.unlink()
    if options.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
        return 0
    print("| attack | file | exit | seconds | peak memory | database unchanged | message |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        size = f"{r.file_bytes / MB:,.1f} MB" if r.file_bytes >= MB else f"{r.file_bytes:,} bytes"
        print(
            f"| {r.attack} | {size} | {r.exit_code} | {r.seconds} | {r.peak_mb} MB | "
            f"{'yes' if r.database_unchanged else 'NO'} | `{r.error}` |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
