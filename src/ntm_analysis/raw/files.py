"""Which raw files there are, whether a workbook may be opened, and workbooks parsed ahead.

Light on purpose (the standard library, python-calamine and :mod:`config`): ``ntm clean``
lists the raw files and starts parsing the first workbook before it imports pandas and
pandera, so that the two overlap.

:class:`ReadAhead` parses the workbooks of a run one ahead of the reader, on one thread.
python-calamine parses a sheet's XML without holding the GIL, so the parse of the next
workbook runs on the other core while the cleaner imports its libraries or cleans the file
before; the reader takes the parsed sheets and their cells instead of parsing them itself.
A workbook over the limits (:func:`limits_exceeded`) is never parsed ahead, and anything
that goes wrong ahead is left to the reader, which reads the file again and reports the
problem.
"""

from __future__ import annotations

import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from .. import config


def raw_files(raw_dir: Path) -> list[Path]:
    """Return the CSV and XLSX files under ``raw_dir``, sorted, skipping hidden and lock files."""
    return sorted(
        p for p in Path(raw_dir).rglob("*")
        if p.is_file() and p.suffix.lower() in config.RAW_SUFFIXES
        and not any(part.startswith((".", "~$")) for part in p.relative_to(raw_dir).parts)
    )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def limits_exceeded(path: Path) -> tuple[str, str, int] | None:
    """(reason code, detail, rows declared) when a workbook exceeds :func:`config.xlsx_limits`
    or is no zip at all, from its zip directory alone; None when it may be parsed.

    A ``.xlsx`` is a zip of XML files: a few MB on disk can expand to gigabytes (a "zip
    bomb", or a sheet of millions of rows). The sizes and row counts it declares are read
    without decompressing the sheets.
    """
    limits = config.xlsx_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > limits.max_mb * 1_000_000:
                return "file_too_large", f"{total / 1e6:.0f} MB > {limits.max_mb} MB", 0
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 1_000_000 and ratio > limits.max_ratio:
                    return ("file_compression",
                            f"{member.filename}: {ratio:.0f} > {limits.max_ratio}", 0)
            for member in members:
                if not member.filename.startswith("xl/worksheets/"):
                    continue
                with archive.open(member) as handle:
                    match = _DIMENSION.search(handle.read(4096))
                rows = int(match[1]) if match and match[1] else 0
                if rows > limits.max_rows:
                    return "file_too_many_rows", f"{rows:,} > {limits.max_rows:,}", rows
    except (zipfile.BadZipFile, OSError, ValueError):
        return "file_not_xlsx", "", 0
    return None


@dataclass
class Worksheet:
    """One parsed worksheet: calamine's sheet and its cells from A1, as Python values."""

    sheet: python_calamine.CalamineSheet
    cells: list[list[object]]

    @property
    def name(self) -> str:
        """The sheet's name, as the workbook shows it."""
        return self.sheet.name


#: a parsed workbook: the open book and its worksheets, in the book's order
Parsed = tuple[python_calamine.CalamineWorkbook, list[Worksheet]]


def parse_workbook(path: Path) -> Parsed:
    """Open a workbook and parse every worksheet (chart sheets hold no cells)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        sheets = [book.get_sheet_by_name(meta.name) for meta in book.sheets_metadata
                  if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        return book, [Worksheet(ws, ws.to_python(skip_empty_area=False)) for ws in sheets]
    except BaseException:
        book.close()
        raise


def _parse_if_allowed(path: Path) -> Parsed | None:
    return None if limits_exceeded(path) else parse_workbook(path)


class ReadAhead:
    """The workbooks among ``paths`` parsed one ahead of the reader (see the module)."""

    def __init__(self, paths: list[Path]):
        self._books = [Path(p) for p in paths if Path(p).suffix.lower() == ".xlsx"]
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ntm-read-ahead")
        self._pending: dict[Path, Future] = {}
        self._start(0)

    def _start(self, index: int) -> None:
        if index < len(self._books) and self._books[index] not in self._pending:
            self._pending[self._books[index]] = self._pool.submit(_parse_if_allowed,
                                                                  self._books[index])

    def take(self, path: Path) -> Parsed | None:
        """The parsed workbook at ``path`` (None when it was not parsed ahead or could not
        be: the reader then opens it itself); the next workbook starts parsing."""
        path = Path(path)
        future = self._pending.pop(path, None)
        if path in self._books:
            self._start(self._books.index(path) + 1)
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # the reader opens it again and names the problem
            return None

    def close(self) -> None:
        """Stop parsing ahead and close what was parsed and not taken."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        for future in self._pending.values():
            if not future.cancelled() and future.exception() is None and future.result():
                future.result()[0].close()
        self._pending.clear()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
