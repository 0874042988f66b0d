"""Read raw CSV and XLSX files into sheets with canonical column names.

Workbooks are read with python-calamine (Rust's calamine: typed cells, merged ranges, at
about the speed of a CSV), after their zip directory has been checked against the size
limits of :func:`config.xlsx_limits`, so that an oversized file is refused in seconds.
Handles title rows above the header (official letterheads), headers in Vietnamese or English
with or without accents, merged cells (the value applies to every cell of the range),
several sheets per workbook, Excel date cells, UTF-8 (with or without BOM) and UTF-16 text.
Row numbers are the ones a spreadsheet program shows (CSV header row = 1 when it is the first
line; XLSX: the Excel row number).

Both readers are in this module on purpose: they share the header detection and the repairs
of damaged text, which decide what a sheet is, and keep the same contract (a sheet with
canonical columns and spreadsheet row numbers, or a problem naming why not); the text damage
itself is undone in :mod:`.mojibake` and :mod:`.legacy_fonts`, the zip limits and the parse
of workbooks (no pandas: the read-ahead thread parses before pandas is loaded) live in
:mod:`.files`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import python_calamine

from ..messages import msg
from ..reference.criteria import criteria_names
from ..text import fold
from .entry_form import (
    GUIDE_KEY,
    HEADER_ROW,
    INDICATOR_KEY_CELL,
    KEY_CELL,
    KEY_PREFIX,
    FormKey,
    cell_at,
    filled,
    form_rows,
    indicator_count,
    is_form,
)
from .files import limits_exceeded, parse_worksheets
from .legacy_fonts import VNI, first_legacy, from_tcvn3
from .mojibake import first_damaged, fix

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "as_of": ("thoi diem", "ngay", "ky bao cao", "as of", "date", "ngay bao cao", "thoi gian",
              "ky", "thang"),
    "province": ("tinh", "province", "tinh thanh pho"),
    "district": ("huyen", "district", "don vi cap huyen", "huyen thi xa thanh pho", "huyen tp"),
    "commune": ("xa", "commune", "ward", "xa phuong thi tran", "don vi cap xa", "xa phuong"),
    "level": ("cap do", "muc", "level", "muc do", "muc dat chuan"),
    "tally": ("so tieu chi dat", "ket qua", "tally", "so tc dat", "tieu chi dat", "criteria met",
              "so tieu chi da dat"),
    "commune_group": ("nhom xa", "nhom", "commune group", "group", "nhom xa qd 51"),
    "total": ("tong so tieu chi", "total", "tong so tc", "criteria total", "tong tieu chi"),
    "source": ("nguon", "source", "source title", "nguon tin"),
    "source_url": ("source url", "url", "duong dan"),
    "stt": ("stt", "no", "tt", "so tt"),
    "metric": ("metric", "chi tieu", "chi so"),
    "value": ("value", "gia tri"),
    "criterion": ("tieu chi", "criterion", "ten tieu chi", "tc", "so tieu chi"),
    "status": ("danh gia", "tinh trang", "status", "trang thai"),
    # the year a recognition is for, when it was decided later ("đạt chuẩn năm 2023")
    "standard_year": ("nam dat chuan", "standard year", "for year"),
    # 2026–2030 indicators (clean/indicators.py): thresholds and values sheets
    "indicator": ("ma chi tieu", "chi tieu so", "indicator", "indicator code", "ma ct"),
    "name": ("ten chi tieu", "indicator name", "noi dung chi tieu"),
    "unit": ("don vi tinh", "dvt", "unit"),
    "direction": ("chieu", "chieu danh gia", "direction", "yeu cau"),
    "document": ("van ban", "so van ban", "can cu", "document"),
    "group_1": ("nhom 1", "xa nhom 1", "group 1"),
    "group_2": ("nhom 2", "xa nhom 2", "group 2"),
    "group_3": ("nhom 3", "xa nhom 3", "group 3"),
}
_ALIAS_TO_COLUMN = {alias: col for col, aliases in HEADER_ALIASES.items() for alias in aliases}
_KEY_COLUMNS = {"tally": "tallies", "metric": "facts", "criterion": "criteria"}
HEADER_SCAN_ROWS = 30


@dataclass
class Sheet:
    """One table found in a raw file."""

    file: str  # path relative to the raw folder
    sheet: str | None  # worksheet name (XLSX) or None (CSV)
    kind: str  # "tallies", "facts", "criteria", "thresholds", "indicators" or "form"
    frame: pd.DataFrame  # canonical columns; index = spreadsheet row numbers
    header_row: int
    repair: str | None = None  # what was undone in the whole sheet (mojibake), as a message


@dataclass
class SheetProblem:
    """A file or sheet that could not be read as a table."""

    file: str
    sheet: str | None
    reason: str  # reason code in the message catalogue
    detail: str = ""
    rows: int = 0  # data rows the refused sheet or file holds: read, and rejected with it


def canonical_column(header: object) -> str | None:
    """Return the canonical column a header cell names, or None."""
    return _ALIAS_TO_COLUMN.get(fold(header)) if header is not None else None


def _kind_of(columns: list[str | None]) -> str | None:
    present = set(columns)
    if {"indicator", "group_1", "group_2", "group_3"} <= present:
        return "thresholds"
    if {"indicator", "value"} <= present:
        return "indicators"
    if "metric" in present:
        return "facts"
    if "criterion" in present and ("status" in present or "tally" in present):
        return "criteria"
    if "tally" in present:
        return "tallies"
    return None


def find_header(rows: list[list[object]]) -> tuple[int, str, list[str | None]] | None:
    """Return (index, kind, canonical columns) of the first header row among ``rows``."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = [canonical_column(cell) for cell in row]
        named = [c for c in columns if c]
        kind = _kind_of(columns)
        if kind and len(set(named)) >= 3:
            return index, kind, columns
    return None


def _canonical_frame(data: pd.DataFrame, columns: list[str | None], kind: str) -> pd.DataFrame:
    keep: dict[int, str] = {}
    for position, column in enumerate(columns):
        if kind == "facts" and column == "level":
            column = "scope"  # in fact sheets "level" is the unit's scope, not an NTM level
        if kind == "criteria" and column == "tally":
            column = "status"
        if column and column not in keep.values() and position < data.shape[1]:
            keep[position] = column
    frame = data.iloc[:, list(keep)].copy()
    frame.columns = list(keep.values())
    blank = pd.Series(True, index=frame.index)
    for column in (c for c in frame.columns if c != "stt"):
        values = frame[column]
        blank &= values.isna() | (values.astype(str).str.strip() == "")
    return frame[~blank]


def _blank_cell(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value != value


def read_raw_file(path: Path, raw_dir: Path,
                  parsed: tuple | None = None) -> tuple[list[Sheet], list[SheetProblem]]:
    """Read one raw file into its sheets; problems name what could not be read.

    ``parsed``: a workbook already opened and parsed within the limits
    (:func:`.files.parse_worksheets`'s result), by the read-ahead thread (:mod:`.ahead`).
    """
    rel = Path(path).relative_to(raw_dir).as_posix() if raw_dir else Path(path).name
    if Path(path).suffix.lower() == ".xlsx":
        return _read_xlsx(Path(path), rel, parsed)
    return _read_csv(Path(path), rel)


# ---- CSV ----------------------------------------------------------------------------------
def decode_text(data: bytes) -> str | None:
    """Decode CSV bytes: UTF-16 with a BOM, else UTF-8 (BOM optional); None when neither."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _read_csv(path: Path, rel: str) -> tuple[list[Sheet], list[SheetProblem]]:
    with path.open("rb") as handle:
        head_bytes = handle.read(64 * 1024)
    utf16 = head_bytes.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in head_bytes[:4096] and not utf16:
        return [], [SheetProblem(rel, None, "file_binary")]
    if utf16:  # rare and small: decode it whole
        text = decode_text(path.read_bytes())
        if text is None:
            return [], [SheetProblem(rel, None, "file_encoding")]
        source, encoding, head_text = io.StringIO(text), None, text
    else:
        head_text = head_bytes.decode("utf-8-sig", errors="ignore")  # may cut a character
        source, encoding = path, "utf-8-sig"
    head = list(csv.reader(io.StringIO("\n".join(head_text.splitlines()[:HEADER_SCAN_ROWS]))))
    damaged = None if utf16 else first_damaged(c for row in head for c in row)
    if damaged is not None:  # UTF-8 read with the wrong code page and saved: undo it
        text = decode_text(path.read_bytes())
        if text is None:
            return [], [SheetProblem(rel, None, "file_encoding")]
        text = fix(text)
        source, encoding, head_text = io.StringIO(text), None, text
        head = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:HEADER_SCAN_ROWS]))))
    legacy = first_legacy(c for row in head for c in row)
    if legacy is not None and legacy[0] == VNI:
        return [], [SheetProblem(rel, None, "sheet_vni", f"'{legacy[1]}'",
                                 rows=_filled_lines(path))]
    if legacy is not None:  # typed in a TCVN3 (.VnTime) font: read it as such
        head = _text_mapped(head, _unicode_cell)
    found = find_header(head)
    if found is None and damaged is not None:
        return [], [SheetProblem(rel, None, "sheet_mojibake", _damage_text(damaged),
                                 rows=_filled_lines(path))]
    if found is None:
        if not utf16 and decode_text(head_bytes[:4096].rsplit(b"\n", 1)[0]) is None:
            return [], [SheetProblem(rel, None, "file_encoding")]
        if not head_text.strip():
            return [], [SheetProblem(rel, None, "sheet_empty")]
        return [], [SheetProblem(rel, None, "sheet_no_header", rows=_filled_lines(path))]
    index, kind, columns = found
    try:
        body = _read_body(source, index + 1, len(columns), encoding)
    except UnicodeDecodeError:
        return [], [SheetProblem(rel, None, "file_encoding")]
    except (pd.errors.ParserError, ValueError):
        text = decode_text(path.read_bytes()) if encoding else source.getvalue()
        if text is None:
            return [], [SheetProblem(rel, None, "file_encoding")]
        body = _tolerant_rows(text, index, len(columns))
    body.index = body.index + index + 2  # spreadsheet row numbers; header is row index + 1
    if legacy is not None:
        body = body.map(_once_per_text(_unicode_cell))
    frame = _canonical_frame(body, columns, kind)
    return [Sheet(rel, None, kind, frame, index + 1, _repair_text(damaged, legacy))], []


def _read_body(source: Path | io.StringIO, skip: int, width: int,
               encoding: str | None) -> pd.DataFrame:
    """The rows under the header as text, every line a row (blank lines included, so that
    row numbers are the spreadsheet's). A file on disk is read with Arrow's parser first: it
    makes Arrow text directly and releases the GIL (the C parser makes a Python string
    per cell, then converts them, holding the GIL the cleaner's imports need); a file it
    refuses (a blank line, a row of another width) is read again by the C parser, which
    takes those."""
    options = dict(header=None, skiprows=skip, dtype=str, keep_default_na=False,
                   skip_blank_lines=False, names=range(width), encoding=encoding)
    if isinstance(source, Path):
        try:
            return pd.read_csv(source, engine="pyarrow", **options)
        except ValueError:  # ParserError and UnicodeDecodeError are ValueErrors
            pass  # the C parser below reads it or says why not
    return pd.read_csv(source, engine="c", **options)


def _damage_text(damaged: tuple[str, str]) -> str:
    return f"'{damaged[0]}' → '{damaged[1]}'"


def _repair_text(damaged: tuple[str, str] | None,
                 legacy: tuple[str, str, str | None] | None) -> str | None:
    """The repairs of a sheet as recorded on its rows (Vietnamese, like ``reason``)."""
    parts = []
    if damaged is not None:
        parts.append(msg("repair_mojibake", lang="vi", example=_damage_text(damaged)))
    if legacy is not None:
        parts.append(msg("repair_tcvn3", lang="vi",
                         example=_damage_text((legacy[1], legacy[2] or ""))))
    return "; ".join(parts) or None


def _unicode_cell(text: str) -> str:
    """A cell typed in TCVN3 as Unicode; any other cell as it is."""
    converted = None if text.isascii() else from_tcvn3(text)
    return text if converted is None else converted


def _once_per_text(func: Callable[[str], object]) -> Callable[[object], object]:
    """``func`` for text cells, computed once per distinct text (a sheet repeats its names
    thousands of times); other cells pass through."""
    done: dict[str, object] = {}

    def one(value: object) -> object:
        if not isinstance(value, str):
            return value
        if value not in done:
            done[value] = func(value)
        return done[value]

    return one


def _text_mapped(rows: list[list[object]], func: Callable[[str], object]) -> list[list[object]]:
    """Every text cell of ``rows`` through ``func``, once per distinct text."""
    one = _once_per_text(func)
    return [[one(v) for v in row] for row in rows]


def _filled_lines(path: Path) -> int:
    """Lines with anything but spaces in them (the rows of a sheet refused as a whole)."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip(b" \t\r\n,;"))


def _tolerant_rows(text: str, header_index: int, width: int) -> pd.DataFrame:
    """Read rows one by one when pandas cannot (ragged or truncated files)."""
    rows = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            rows.append((row + [""] * width)[:width])
    except csv.Error:
        pass  # a truncated last record: keep what was read
    return pd.DataFrame(rows[header_index + 1:], columns=range(width), dtype=object)


# ---- XLSX ---------------------------------------------------------------------------------
def _cell(value: object) -> object:
    if isinstance(value, datetime | date):
        return pd.Timestamp(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def workbook_limits_problem(path: Path, rel: str) -> SheetProblem | None:
    """Refuse a workbook from its zip directory alone, before any sheet is parsed
    (:func:`.files.limits_exceeded`)."""
    exceeded = limits_exceeded(path)
    if exceeded is None:
        return None
    reason, detail, rows = exceeded
    return SheetProblem(rel, None, reason, detail, rows=rows)


def _read_xlsx(path: Path, rel: str,
               parsed: tuple | None = None) -> tuple[list[Sheet], list[SheetProblem]]:
    if parsed is not None:
        book, worksheets = parsed
    else:
        refused = workbook_limits_problem(path, rel)
        if refused is not None:
            return [], [refused]
        try:
            book, worksheets = parse_worksheets(path)
        except (python_calamine.CalamineError, OSError, ValueError):  # zip, XML, password
            return [], [SheetProblem(rel, None, "file_not_xlsx")]
    sheets: list[Sheet] = []
    problems: list[SheetProblem] = []
    form = is_form(path)  # said by the workbook's properties, never guessed
    try:
        for ws in worksheets:
            found = _form_sheet(ws, rel) if form else None
            sheet, problem = found if found is not None else _xlsx_sheet(ws, rel)
            if sheet is not None:
                sheets.append(sheet)
            if problem is not None:
                problems.append(problem)
    finally:
        book.close()
    return sheets, problems


def _form_sheet(ws, rel: str) -> tuple[Sheet | None, SheetProblem | None] | None:
    """A sheet of a form (:mod:`.entry_form`): a unit sheet, or (None, None) for the
    instructions sheet; None when the sheet carries no key (it is read as any sheet)."""
    grid = [[_cell(v) for v in row] for row in ws.to_python(skip_empty_area=False)]
    if cell_at(grid, KEY_CELL) == GUIDE_KEY:
        return None, None
    text = cell_at(grid, KEY_CELL)
    key = FormKey.parse(text)
    if key is None and str(text).startswith(f"{KEY_PREFIX}|"):  # a form of another layout:
        # its cells are elsewhere, so none is read rather than read from the wrong place
        return None, SheetProblem(rel, ws.name, "form_layout", str(text))
    if key is None:
        return None
    n_criteria = len(criteria_names(key.level, key.period)) if key.period else 0
    if not n_criteria:
        return None, SheetProblem(rel, ws.name, "form_bad_key", str(cell_at(grid, KEY_CELL)))
    frame = form_rows(grid, key, n_criteria,
                      indicator_count(cell_at(grid, INDICATOR_KEY_CELL)))
    if not filled(frame):
        return None, SheetProblem(rel, ws.name, "form_unfilled")
    return Sheet(rel, ws.name, "form", frame, HEADER_ROW), None


def _xlsx_sheet(ws, rel: str) -> tuple[Sheet | None, SheetProblem | None]:
    """One worksheet as a table: merged ranges filled, header found, Excel row numbers.

    Cells are converted a column at a time (:func:`_cells`), not one by one: calamine hands
    over a sheet of 200,000 rows in a third of a second, and a Python call per cell would
    take three times that."""
    grid = ws.to_python(skip_empty_area=False)
    for (r0, c0), (r1, c1) in ws.merged_cell_ranges or ():
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, min(c1, len(grid[r]) - 1) + 1):
                grid[r][c] = value
    head = [[_cell(v) for v in row] for row in grid[:HEADER_SCAN_ROWS]]
    damaged = first_damaged(v for row in head for v in row)
    legacy = first_legacy(v for row in (_text_mapped(head, fix) if damaged else head)
                          for v in row)
    cells = _cells(pd.DataFrame(grid, dtype=object)) if grid else pd.DataFrame()
    if damaged is not None:  # text that went through the wrong code page: undo it
        cells = cells.map(_once_per_text(fix))
    if legacy is not None and legacy[0] != VNI:  # typed in a TCVN3 (.VnTime) font
        cells = cells.map(_once_per_text(_unicode_cell))
    found = None if legacy is not None and legacy[0] == VNI else find_header(
        cells.head(HEADER_SCAN_ROWS).to_numpy().tolist())
    if found is None:  # refused: its filled rows are counted as read and rejected
        filled = _filled_rows(cells)
        if not filled:
            return None, SheetProblem(rel, ws.name, "sheet_empty")
        if legacy is not None and legacy[0] == VNI:
            return None, SheetProblem(rel, ws.name, "sheet_vni", f"'{legacy[1]}'", rows=filled)
        if damaged is not None:
            return None, SheetProblem(rel, ws.name, "sheet_mojibake", _damage_text(damaged),
                                      rows=filled)
        return None, SheetProblem(rel, ws.name, "sheet_no_header", rows=filled)
    index, kind, columns = found
    width = len(columns)
    body = cells.iloc[index + 1:, :width].copy()
    for missing in range(body.shape[1], width):
        body[missing] = ""
    body.columns = range(width)
    body.index = body.index + 1  # Excel row numbers: the grid's first row is row 1
    return Sheet(rel, ws.name, kind, _canonical_frame(body, columns, kind), index + 1,
                 _repair_text(damaged, legacy)), None


def _cells(grid: pd.DataFrame) -> pd.DataFrame:
    """:func:`_cell` of every cell of a sheet, a column at a time: a column of text (the
    usual case) only has its empty cells made "" and is typed as text, as ``read_csv``
    types a CSV's columns (the cleaner's string operations are faster on it); a column of
    numbers is written as text in one pass; any other column goes cell by cell."""
    out = {}
    for position in grid.columns:
        column = grid[position]
        kind = pd.api.types.infer_dtype(column, skipna=True)
        if kind in ("string", "empty"):
            # straight to Arrow text with blanks as "": half the time of where + astype
            text = pa.array(column.to_numpy(), type=pa.large_string(), from_pandas=True)
            out[position] = pd.Series(pc.fill_null(text, ""), index=grid.index,
                                      dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        elif kind in ("floating", "integer", "mixed-integer-float"):
            out[position] = _numbers_as_text(column)
        else:
            out[position] = column.map(_cell)
    return pd.DataFrame(out, index=grid.index)


def _numbers_as_text(column: pd.Series) -> pd.Series:
    """A column of numbers (and blanks) as :func:`_cell` writes them: "14" for 14.0."""
    values = column.to_numpy(dtype=float, na_value=np.nan)
    whole = np.isfinite(values) & (values == np.floor(values))
    if np.abs(values[whole]).max(initial=0) >= 2**53:  # beyond int64's exact floats
        return column.map(_cell)
    text = np.where(whole, np.where(whole, values, 0).astype(np.int64).astype(str),
                    values.astype(str)).astype(object)
    text[np.isnan(values)] = ""
    return pd.Series(text, index=column.index, dtype=object)


def _filled_rows(cells: pd.DataFrame) -> int:
    """Rows with a cell that is not empty nor only spaces."""
    if not len(cells.columns):
        return 0
    blank = cells.apply(lambda c: c.map(_blank_cell))
    return int((~blank).any(axis=1).sum())
