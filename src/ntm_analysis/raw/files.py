"""Which raw files there are, whether a workbook may be opened, and a workbook parsed.

Light on purpose (the standard library, :mod:`config`, python-calamine when a workbook is
parsed): ``ntm clean`` lists the raw files and parses the first workbook before it imports
pandas and pandera (:mod:`.ahead`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

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


def parse_worksheets(path: Path) -> tuple:
    """Open a workbook with python-calamine and parse every worksheet (chart sheets hold no
    cells): ``(book, [sheet, ...])``, the book to close. No pandas here: the read-ahead
    thread parses a workbook (without the GIL) while the cleaner still loads pandas."""
    import python_calamine  # the parser only when a workbook is read

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        return book, [book.get_sheet_by_name(meta.name) for meta in book.sheets_metadata
                      if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except BaseException:
        book.close()
        raise
