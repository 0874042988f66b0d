"""Inventory of the raw folder: every file with its row count and its declared source."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import python_calamine
import yaml

from ..config import SOURCES_FILE_NAME
from .files import raw_files
from .readers import workbook_limits_problem


def load_sources(raw_dir: Path) -> dict[str, dict]:
    """Return ``sources.yml`` of ``raw_dir`` as {file name: entry} (empty when absent)."""
    path = Path(raw_dir) / SOURCES_FILE_NAME
    if not path.exists():
        return {}
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("files", [])
    return {str(entry["file"]): entry for entry in entries}


def count_rows(path: Path) -> int | None:
    """Return the number of non-blank data rows (CSV: below the header; XLSX: all sheets).

    Returns None when the file cannot be read at all.
    """
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = [r for r in csv.reader(handle) if any(c.strip() for c in r)]
            return max(len(rows) - 1, 0)
        if workbook_limits_problem(path, path.name) is not None:
            return None
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            return sum(
                1 for name in book.sheet_names
                for row in book.get_sheet_by_name(name).to_python()
                if any(v not in (None, "") for v in row)
            )
        finally:
            book.close()
    except (UnicodeDecodeError, csv.Error, OSError, ValueError, KeyError,
            python_calamine.CalamineError):
        return None


def inventory(raw_dir: Path) -> pd.DataFrame:
    """Return one row per raw file: file, rows, listed, publisher, title, date."""
    raw_dir = Path(raw_dir)
    sources = load_sources(raw_dir)
    records = []
    for path in raw_files(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        entry = sources.get(rel, {})
        records.append({
            "file": rel,
            "rows": count_rows(path),
            "listed": rel in sources,
            "publisher": entry.get("publisher"),
            "title": entry.get("title"),
            "date": str(entry.get("date")) if entry.get("date") else None,
        })
    return pd.DataFrame(records, columns=["file", "rows", "listed", "publisher", "title", "date"])


def unlisted_missing(raw_dir: Path) -> tuple[list[str], list[str]]:
    """Return (files present but not in sources.yml, files in sources.yml but absent)."""
    table = inventory(raw_dir)
    listed = set(load_sources(raw_dir))
    present = set(table.file)
    return sorted(present - listed), sorted(listed - present)
