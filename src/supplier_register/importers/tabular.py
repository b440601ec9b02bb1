"""Import a supplier register kept in a spreadsheet (CSV or XLSX).

Reading is separate from planning: ``read_table`` turns a file into numbered
rows of cells (or raises one ``BadFile``), and ``plan_table`` turns those rows
into an ``ImportPlan`` against the register as it stands.  Every row either
contributes records or is rejected with its row number, column and reason;
blank rows, section headings (rows merged across the sheet) and total rows are
skipped.  One row describes a supplier and, optionally, one of its contracts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supplier_register.domain.errors import BadFile
from supplier_register.domain.models import Register
from supplier_register.importers import limits
from supplier_register.importers import values as v
from supplier_register.importers.mapping import (
    Column,
    ColumnMapping,
    ColumnPlan,
    FieldSpec,
    field_values,
    parse_cell,
    plan_columns,
    score_header,
)
from supplier_register.importers.plan import (
    ImportPlan,
    RegisterBuilder,
    Rejection,
    format_money,
)

if TYPE_CHECKING:
    from supplier_register.importers import xlsxguard

SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
_HEADER_SEARCH_ROWS = 30
_EXCEL_ERRORS = frozenset(
    {"#n/a", "#ref!", "#value!", "#div/0!", "#name?", "#num!", "#null!", "#spill!", "#calc!"}
)
_TOTAL_ENDS = frozenset({"total", "totals", "subtotal", "subtotals"})
_TOTAL_EXACT = frozenset(
    {"total", "totals", "subtotal", "subtotals", "sub total", "sub totals", "grand total"}
)
_TOTAL_QUALIFIED = frozenset({"sub total", "sub totals", "grand total", "grand totals"})
_TOTAL_OF = frozenset(
    {"spend", "cost", "costs", "value", "values", "for", "of", "all", "annual", "amount"}
    | {"contract", "contracts", "expenditure", "budget", "pa", "per", "ex", "excl", "incl"}
)
_COMPANY_WORDS = frozenset({"ltd", "limited", "plc", "llp", "inc", "llc", "gmbh", "lp", "co"})
_FREE_TEXT_KINDS = frozenset({"text", "list", "extensions"})


@dataclass
class RawRow:
    """One row as the spreadsheet shows it: its 1-based number and its cells."""

    number: int
    cells: list[v.CellValue]
    heading: bool = False


@dataclass
class RawTable:
    """The rows of one sheet (or CSV file)."""

    source: str
    rows: list[RawRow]
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


# -- reading files ----------------------------------------------------------------


def read_table(path: Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into rows; an unreadable file is one ``BadFile`` line."""
    suffix = path.suffix.casefold()
    if suffix == ".xls":
        raise BadFile(f"{path.name}: old Excel .xls files cannot be read; save it as .xlsx or CSV")
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(path)
    raise BadFile(f"{path.name}: not a spreadsheet; expected .csv or .xlsx")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadFile(f"{name}: cannot read the UTF-16 text") from None
    if b"\x00" in data:
        raise BadFile(f"{name}: not a text CSV file (it contains binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in Windows-1252, where £ is byte A3.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadFile(f"{name}: cannot read the text; save the file as CSV UTF-8") from None


def _delimiter(text: str, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_csv(path: Path) -> RawTable:
    """Read a CSV (or tab- or semicolon-separated) file, in UTF-8, UTF-16 or Windows-1252."""
    data = limits.read_import(path, limits.MAX_CSV_BYTES, "CSV file")
    text = _decode(data, path.name)
    del data
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(text, path.suffix.casefold())
    )
    del text
    rows: list[RawRow] = []
    held = 0
    try:
        for number, cells in enumerate(reader, start=1):
            _check_csv_row(path.name, number, len(cells), held)
            held += len(cells)
            rows.append(RawRow(number, list[v.CellValue](cells)))
    except csv.Error as exc:
        raise BadFile(f"{path.name}: line {reader.line_num}: not valid CSV: {exc}") from None
    return RawTable(path.name, rows)


def _check_csv_row(name: str, number: int, width: int, held: int) -> None:
    """Refuse a CSV file at its first row beyond the row, column or cell limits."""
    if number > limits.MAX_ROWS:
        raise BadFile(f"{name}: more than {limits.MAX_ROWS:,} rows, the limit for a CSV file")
    if width > limits.MAX_COLUMNS:
        raise BadFile(
            f"{name}: line {number} has {width:,} columns, more than the "
            f"{limits.MAX_COLUMNS:,}-column limit"
        )
    if held + width > limits.MAX_CELLS:
        raise BadFile(
            f"{name}: more than {limits.MAX_CELLS:,} cells by line {number}, "
            "the limit for a CSV file"
        )


def read_xlsx(path: Path, sheet: str | None = None) -> RawTable:
    """Read one sheet of a workbook: the named one, else the one that looks like a register.

    Cells merged down a column (a supplier name spanning its contracts) give
    their value to every row they cover; a row whose only content is a cell
    merged across the sheet is a section heading.

    The workbook's zip directory, then each sheet's XML, is checked against
    :mod:`.limits` (see :mod:`.xlsxguard`) before openpyxl unpacks it, and
    openpyxl reads it in read-only (streaming) mode, trusting no declared size,
    through an archive that holds every part it reads to the limits.
    """
    # Imported here: loading openpyxl costs time the CSV path does not need.
    from supplier_register.importers import xlsxguard

    if not path.exists():
        raise BadFile(f"{path}: file not found")
    try:
        xlsxguard.check_workbook(path, path.name)
        workbook = xlsxguard.load_workbook(path, path.name)
    except BadFile:
        raise
    except Exception as exc:  # zipfile and openpyxl raise many types for damaged workbooks
        raise _unreadable(path, exc) from None
    try:
        return _choose_sheet(workbook, workbook._archive, path, sheet)
    except BadFile:
        raise
    except Exception as exc:  # read-only mode parses each sheet only as its rows are read
        raise _unreadable(path, exc) from None
    finally:
        workbook.close()


def _unreadable(path: Path, exc: Exception) -> BadFile:
    return BadFile(f"{path.name}: not a readable .xlsx workbook ({type(exc).__name__})")


def _choose_sheet(
    workbook: Any, archive: zipfile.ZipFile, path: Path, sheet: str | None
) -> RawTable:
    names = list(workbook.sheetnames)
    if sheet is not None:
        chosen = next((n for n in names if n.casefold() == sheet.strip().casefold()), None)
        if chosen is None:
            raise BadFile(
                f"{path.name}: no sheet named {sheet!r}; sheets: {', '.join(names) or 'none'}"
            )
        candidates = [chosen]
    else:
        candidates = names
    best: RawTable | None = None
    best_score = -1
    for name in candidates:
        table = _read_sheet(workbook[name], archive, path.name, name)
        score = max((score_header(r.cells) for r in table.rows[:_HEADER_SEARCH_ROWS]), default=0)
        if score > best_score:
            best, best_score = table, score
    if best is None:
        raise BadFile(f"{path.name}: the workbook has no sheets")
    if len(names) > 1 and sheet is None:
        best.notes.append(
            f"read sheet {best.sheet!r} of {len(names)} ({', '.join(names)}); "
            "choose another with 'sheet' in a mapping file"
        )
    return best


def _read_sheet(worksheet: Any, archive: zipfile.ZipFile, source: str, name: str) -> RawTable:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from supplier_register.importers import xlsxguard

    if not isinstance(worksheet, ReadOnlyWorksheet):  # a chart sheet has no cells
        return RawTable(source, [], sheet=name)
    # Checked first: its rows and columns, as openpyxl will number them, and its merged ranges.
    shape = xlsxguard.scan_sheet(archive, worksheet._worksheet_path, f"{source}: sheet {name!r}")
    worksheet.reset_dimensions()  # rows as they are, never padded to a declared size
    rows: list[list[v.CellValue]] = [list(r) for r in worksheet.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    headings = _apply_merges(rows, width, shape.merges)
    return RawTable(
        source,
        [RawRow(i + 1, cells, heading=i in headings) for i, cells in enumerate(rows)],
        sheet=name,
    )


def _apply_merges(
    rows: list[list[v.CellValue]], width: int, merges: list[xlsxguard.Merge]
) -> set[int]:
    """Fill cells merged down a column with their value; return the section-heading rows.

    As openpyxl's full reader leaves a sheet, every cell a range covers but its
    first is empty; then a range down several rows gives every cell its first
    cell's value, and a range along one row that is the row's only content
    makes it a heading.  The work is bounded by the cells the ranges cover.
    """
    inside: list[tuple[xlsxguard.Merge, xlsxguard.Merge]] = []  # (as clipped, as declared)
    for merge in merges:
        left, top, right, bottom = merge
        top, left = top - 1, left - 1
        if top >= len(rows) or left >= width:
            continue
        bottom, right = min(bottom, len(rows)), min(right, width)
        inside.append(((left, top, right, bottom), merge))
        for r in range(top, bottom):
            cells = rows[r]
            for c in range(left, right):
                if r != top or c != left:
                    cells[c] = None
    filled: dict[int, int] = {}  # row index -> its non-blank cells, counted when first needed
    headings: set[int] = set()
    for (left, top, right, bottom), merge in inside:
        value = rows[top][left]
        if merge[1] == merge[3]:
            if top not in filled:
                filled[top] = sum(1 for c in rows[top] if not v.is_blank(c))
            others = filled[top] - (0 if v.is_blank(value) else 1)
            if not others and merge[2] - merge[0] >= 1:
                headings.add(top)
            continue
        gained = 0 if v.is_blank(value) else 1
        for r in range(top, bottom):
            cells = rows[r]
            for c in range(left, right):
                if r in filled:
                    filled[r] += gained - (0 if v.is_blank(cells[c]) else 1)
                cells[c] = value
    return headings


# -- planning ---------------------------------------------------------------------


def _header_index(table: RawTable, header_row: int | None) -> int:
    if header_row is not None:
        for index, row in enumerate(table.rows):
            if row.number == header_row:
                return index
        raise BadFile(f"{table.source}: header row {header_row} is beyond the end of the file")
    best, best_score = None, 0
    for index, row in enumerate(table.rows[:_HEADER_SEARCH_ROWS]):
        if row.heading:
            continue
        score = score_header(row.cells)
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    first = next((i for i, r in enumerate(table.rows) if not _blank_row(r)), None)
    if first is None:
        raise BadFile(f"{table.source}: the file has no rows")
    return first


def _blank_row(row: RawRow) -> bool:
    return all(v.is_blank(c) for c in row.cells)


def _describe_column(column: Column) -> str:
    return f"{column.letter} {column.header!r}"


def plan_table(
    table: RawTable,
    existing: Register,
    mapping: ColumnMapping | None = None,
    aliases: Mapping[str, str] | None = None,
) -> ImportPlan:
    """Plan the import of ``table`` into ``existing``: what is created, updated and rejected.

    ``aliases`` maps a name a supplier had before a merge to the supplier kept."""
    mapping = mapping or ColumnMapping()
    source = table.source + (f" (sheet {table.sheet!r})" if table.sheet else "")
    header_at = _header_index(table, mapping.header_row)
    header_row = table.rows[header_at]
    headers = [v.parse_name(c) if c is not None else "" for c in header_row.cells]
    columns = plan_columns(headers, mapping)
    plan = ImportPlan(source=source, source_kind="spreadsheet", warnings=list(table.notes))
    plan.columns = [
        f"{_describe_column(c)} -> {c.spec.label}" for c in columns.bound if c.spec is not None
    ]
    plan.unmatched_columns = [
        f"{_describe_column(c)}" + (f" ({c.note})" if c.note else "") for c in columns.unmatched
    ]
    name_column = columns.column_for("supplier.name")
    if name_column is None:
        raise BadFile(
            f"{table.source}: no column for the supplier name in header row {header_row.number} "
            f"({', '.join(repr(h) for h in headers if h) or 'empty'}); "
            "name it 'Supplier' or map it in a mapping file"
        )
    if columns.has_entity("contract") and columns.column_for("contract.title") is None:
        plan.warnings.append(
            "no contract title column: each row's contract is titled after its supplier"
        )
    supplier_defaults = _defaults(mapping.defaults, "supplier.")
    contract_defaults = _defaults(mapping.defaults, "contract.")
    builder = RegisterBuilder(
        existing,
        aliases=aliases,
        supplier_defaults=supplier_defaults,
        contract_defaults=contract_defaults,
    )
    readings: dict[str, list[Reading]] = defaultdict(list)
    outside: list[Outside] = []
    for row in table.rows[header_at + 1 :]:
        skip = _skip_reason(row, headers, columns, name_column)
        if skip is not None:
            if skip:
                plan.skipped.append(f"row {row.number} skipped: {skip}")
            continue
        plan.items_read += 1
        _plan_row(row, columns, builder, plan, table.source, readings, outside)
    _report_outside(outside, builder)  # once every row is staged: what each supplier has
    return _attach_readings(builder.build(plan), readings)


def _defaults(defaults: Mapping[str, object], prefix: str) -> dict[str, object]:
    return {k.removeprefix(prefix): val for k, val in defaults.items() if k.startswith(prefix)}


def _skip_reason(
    row: RawRow, headers: Sequence[str], columns: ColumnPlan, name_column: Column
) -> str | None:
    """Why a row is skipped ('' for a silent skip), or ``None`` when it is data."""
    if _blank_row(row):
        return ""
    if row.heading:
        text = next((v.parse_name(c) for c in row.cells if not v.is_blank(c)), "")
        return f"section heading {text!r}"
    cells = [v.parse_name(c) if c is not None else "" for c in row.cells]
    if [c.casefold() for c in cells[: len(headers)]] == [h.casefold() for h in headers]:
        return "repeated header"
    total = _total_label(row, columns, name_column)
    if total is not None:
        return f"a total row ({total})"
    return None


def _label_strength(cell: v.CellValue) -> str | None:
    """'strong' for a label only a total row has ('Total', 'Sub-total clinical', 'Total
    spend', 'Clinical total'), 'weak' for 'Total' before other words (a name like 'Total
    Care' could start so), ``None`` for anything else, and for a company ('... Ltd')."""
    if not isinstance(cell, str):
        return None
    words = v.normalise_words(cell).split()
    if not words or len(words) > 6 or _COMPANY_WORDS.intersection(words):
        return None
    if words[0] in ("subtotal", "subtotals") or " ".join(words[:2]) in _TOTAL_QUALIFIED:
        return "strong"
    if words[-1] in _TOTAL_ENDS:
        return "strong"
    if words[0] in ("total", "totals"):
        return "strong" if words[1] in _TOTAL_OF or words[1].isdigit() else "weak"
    return None


def _total_label(row: RawRow, columns: ColumnPlan, name_column: Column) -> str | None:
    """Where a total or subtotal row says so ("'TOTAL', column B"), or ``None``.

    The label may sit in any column but a free-text one (notes say "total cost
    includes VAT"): in the supplier column, or anywhere when the supplier cell
    is empty; beside a supplier's name only as the bare word ('Acme Ltd | Total').
    A 'Total ...' that could be a name counts only when nothing else in the row is text.
    """
    by_index = {c.index: c for c in columns.columns}

    def where(index: int) -> str:
        return f"{v.parse_name(row.cells[index])!r}, column {by_index[index].letter}"

    name_at = name_column.index
    name = row.cells[name_at] if name_at < len(row.cells) else None
    strength = _label_strength(name)
    if strength == "strong" or (strength == "weak" and not _other_text(row, name_at)):
        return where(name_at)
    for index, cell in enumerate(row.cells):
        column = by_index.get(index)
        if index == name_at or column is None or v.is_blank(cell):
            continue
        if column.spec is not None and column.spec.kind in _FREE_TEXT_KINDS:
            continue
        if not v.is_blank(name) and v.normalise_words(str(cell)) not in _TOTAL_EXACT:
            continue
        strength = _label_strength(cell)
        if strength == "strong" or (strength == "weak" and not _other_text(row, index)):
            return where(index)
    return None


def _other_text(row: RawRow, label_at: int) -> bool:
    """True when a cell other than the label holds words (not a number or an amount)."""
    for index, cell in enumerate(row.cells):
        if index == label_at or v.is_blank(cell) or not isinstance(cell, str):
            continue
        try:
            v.parse_money(cell)
        except ValueError:
            return True
    return False


@dataclass(frozen=True)
class Reading:
    """One cell as written beside the value read from it, for the preview."""

    row: int
    entity: str
    fields: tuple[str, ...]
    line: str


def _shown_cell(cell: v.CellValue) -> str:
    """A cell as the sheet shows it: '31/3/27', '£1.2m', a date cell as 2027-03-31."""
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        cell = cell.date()
    text = " ".join(str(cell).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _shown_value(spec: FieldSpec, parsed: object) -> str:
    """A value read, unambiguously: '£1,200,000', '31 Mar 2027', '183 days', 'yes'."""
    if isinstance(parsed, v.Extensions):
        said = [
            f"{parsed.count} option(s)" if parsed.count is not None else "",
            f"{parsed.months} months each" if parsed.months is not None else "",
        ]
        return ", ".join(x for x in said if x) or "options not counted"
    if isinstance(parsed, bool):
        return "yes" if parsed else "no"
    if isinstance(parsed, Decimal):
        return format_money(parsed)
    if isinstance(parsed, dt.date):
        return f"{parsed.day} {parsed:%b %Y}"
    if isinstance(parsed, Enum):
        return str(getattr(parsed, "label", parsed.value))
    if isinstance(parsed, list):
        return ", ".join(str(x) for x in parsed) or "(none)"
    if isinstance(parsed, int) and spec.kind in ("days", "months"):
        return f"{parsed} {spec.kind}"
    return " ".join(str(parsed).split())


def _reading(row: int, column: Column, cell: v.CellValue, parsed: object) -> Reading | None:
    """'Annual value: £1.2m → £1,200,000', or ``None`` when the value reads as written."""
    assert column.spec is not None
    raw, shown = _shown_cell(cell), _shown_value(column.spec, parsed)
    if raw == shown:
        return None
    names = tuple(field_values(column.spec, parsed))
    return Reading(row, column.spec.entity, names, f"{column.header}: {raw} → {shown}")


def _attach_readings(plan: ImportPlan, readings: Mapping[str, list[Reading]]) -> ImportPlan:
    """Give every created or updated record the readings of the cells it came from
    (for an update, of the fields that change)."""
    changes = []
    for change in plan.changes:
        found = readings.get(f"{change.kind}\x00{change.key.casefold()}", [])
        if change.action == "update":
            changed = {f.split(":", 1)[0] for f in change.fields}
            found = [r for r in found if changed & {n.replace("_", " ") for n in r.fields}]
        if change.action != "unchanged" and found:
            rows: dict[str, list[int]] = {}
            for r in found:
                rows.setdefault(r.line, []).append(r.row)
            if len({r.row for r in found}) > 1:
                lines = [_rows_said(numbers) + line for line, numbers in rows.items()]
            else:
                lines = list(rows)
            change = change.model_copy(update={"readings": tuple(lines)})
        changes.append(change)
    plan.changes = changes
    return plan


def _rows_said(numbers: list[int]) -> str:
    """'row 2: ', or 'rows 2, 3, 5: ' for one reading on several rows."""
    unique = list(dict.fromkeys(numbers))
    if len(unique) == 1:
        return f"row {unique[0]}: "
    shown = ", ".join(str(n) for n in unique[:5]) + (", ..." if len(unique) > 5 else "")
    return f"rows {shown}: "


def _plan_row(
    row: RawRow,
    columns: ColumnPlan,
    builder: RegisterBuilder,
    plan: ImportPlan,
    file: str,
    readings: dict[str, list[Reading]],
    outside_all: list[Outside],
) -> None:
    location = f"row {row.number}"
    read: list[Reading] = []
    values: dict[str, dict[str, Any]] = {"supplier": {}, "contract": {}, "owner": {}}
    labels: dict[str, str] = {}
    problems: list[Rejection] = []
    outside: list[tuple[Column, str]] = []  # lenient cells outside the vocabulary

    def reject(header: str, reason: str) -> None:
        problems.append(Rejection(location=location, row=row.number, column=header, reason=reason))

    for column in columns.bound:
        assert column.spec is not None
        spec = column.spec
        labels[spec.key] = column.header
        cell = row.cells[column.index] if column.index < len(row.cells) else None
        if v.is_blank(cell):
            if isinstance(cell, str) and cell.strip():  # 'TBC', 'n/a': said, but nothing known
                line = f"{column.header}: {_shown_cell(cell)} → not recorded"
                read.append(Reading(row.number, spec.entity, (spec.name,), line))
            continue
        if isinstance(cell, str) and cell.strip().casefold() in _EXCEL_ERRORS:
            reject(column.header, f"{cell.strip()!r} is a spreadsheet error, not a value")
            continue
        try:
            value = parse_cell(spec, cell, column.hint)
        except ValueError as exc:
            if spec.lenient:  # a category or criticality in the trust's own words
                outside.append((column, v.parse_text(cell)))
                line = f"{column.header}: {_shown_cell(cell)} → not in the list (see notes)"
                read.append(Reading(row.number, spec.entity, (spec.name,), line))
            else:
                reject(column.header, str(exc))
            continue
        reading = _reading(row.number, column, cell, value)
        if reading is not None:
            read.append(reading)
        parsed = field_values(spec, value)
        values[spec.entity].update(parsed)
        for name in parsed:  # a problem with a value read from this column names it
            labels.setdefault(f"{spec.entity}.{name}", column.header)
    supplier_values = values["supplier"]
    if not supplier_values.get("name"):
        if not problems:
            reject(labels["supplier.name"], "empty: every row needs its supplier's name")
        plan.rejections.extend(problems)
        return
    contract_values: dict[str, Any] | None = values["contract"] or None
    if contract_values is not None and not contract_values.get("title"):
        contract_values["title"] = supplier_values["name"]
        if "contract.title" in labels:
            reject(labels["contract.title"], "empty, but the row has contract details")
    if problems:
        plan.rejections.extend(problems)
        return
    if "supplier.owner" in labels:
        labels["owner.name"] = labels["supplier.owner"]
    staged = builder.stage(
        location,
        row=row.number,
        supplier=supplier_values,
        contract=contract_values,
        owner=values["owner"],
        columns=labels,
    )
    if plan.add_staged(staged, source_kind="spreadsheet", source_file=file, row=row.number):
        assert staged.supplier is not None
        outside_all += [Outside(location, c, text, staged.supplier) for c, text in outside]
        keys = {
            "supplier": f"supplier\x00{staged.supplier.casefold()}",
            "contract": f"contract\x00{staged.supplier} / {staged.contract}".casefold(),
            "owner": f"person\x00{str(supplier_values.get('owner', '')).casefold()}",
        }
        for reading in read:
            if reading.entity != "contract" or staged.contract is not None:
                readings[keys[reading.entity]].append(reading)


@dataclass(frozen=True)
class Outside:
    """A cell of an imported row outside a lenient vocabulary (left unrecorded)."""

    location: str
    column: Column
    text: str
    name: str


def _report_outside(outside: list[Outside], builder: RegisterBuilder) -> None:
    """Warn, on its row, of each value outside a lenient vocabulary and what the supplier has."""
    for location, column, text, name in ((o.location, o.column, o.text, o.name) for o in outside):
        supplier = builder.suppliers.get(name.casefold())
        assert column.spec is not None and column.spec.enum is not None
        field = column.spec.name.replace("_", " ")
        kept = getattr(supplier, column.spec.name, None)
        shown = str(getattr(kept, "label", kept)) if kept is not None else "not recorded"
        choices = ", ".join(getattr(m, "label", str(m.value)) for m in column.spec.enum)
        builder.warnings.append(
            f'{location}, column "{column.header}": {text!r} is not a '
            f"{field} the register knows ({choices}): the row is imported and {name!r} "
            f"has {field} {shown}; review it"
        )
