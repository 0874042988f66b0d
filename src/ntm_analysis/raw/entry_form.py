"""The data-entry form (``ntm template``): its layout, and reading a filled one back.

A form is a workbook the tool wrote (:mod:`publish.entry_forms`) and an office filled in:
one sheet per unit, the unit's code, era and criteria set in locked cells, one row per
criterion with a status to choose (Đạt / Chưa đạt), a date, a source and a note; a form of the
2026–2030 commune set made after the office's thresholds were cleaned has, under the count,
one row per indicator with its value, a date and a source (the indicators and their units are
the office's, so the block's size is locked in :data:`INDICATOR_KEY_CELL`). The layout is
written down here once, so that writer and reader cannot drift apart.

A workbook is read as a form only when it says so: its document properties carry
:data:`FORM_PROPERTY` and each unit sheet carries its key in the locked cell
:data:`KEY_CELL`. Nothing is guessed from headers or file names, so a form renamed to another
file is still read for the unit it carries. The protection keeps the positions fixed: rows
cannot be inserted or deleted in a protected sheet, so every cell is where the layout says.

Reading never raises for what a person typed: the cells go to the cleaner as text
(:mod:`clean.entry_form` checks them); a sheet nobody filled in is a sheet problem, not a
row of rejections.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: the custom document property that marks a form; its value is the layout's version
FORM_PROPERTY = "ntm_form_layout"
LAYOUT_VERSION = "1"
#: the custom document properties with the tool's version and the form's creation date
TOOL_PROPERTY, CREATED_PROPERTY = "ntm_analysis_version", "ntm_form_created"

#: Excel rows (1-based) of the block above the criteria
TITLE_ROW, UNIT_ROW, CODE_ROW, ERA_ROW, SET_ROW, GROUP_ROW, DATE_ROW = 1, 2, 3, 4, 5, 6, 7
HELP_ROWS = (8, 9)
HEADER_ROW = 11
FIRST_CRITERION_ROW = 12
VALUE_COLUMN = "C"  # the values of the block above the criteria
#: the criterion table's columns, in order (A..F)
COLUMNS = ("criterion", "criterion_name", "status", "as_of", "source", "note")
#: the locked cell that holds the sheet's key, in a hidden column
KEY_CELL = "H1"
#: the locked cell that holds the number of indicator rows ("ntm-indicators|47"); empty on
#: a form without indicators, which reads as before
INDICATOR_KEY_CELL, INDICATOR_PREFIX = "H2", "ntm-indicators"
#: the indicator table's columns, in order (A..F): code, name, value, date, source, unit
INDICATOR_COLUMNS = ("indicator", "indicator_name", "value", "as_of", "source", "unit_text")
KEY_PREFIX = "ntm-form"
#: the key of the instructions sheet ("Hướng dẫn"), which holds no data
GUIDE_KEY = f"{KEY_PREFIX}|guide"
#: the dropdown's values, as the form shows them (Vietnamese, the office's language)
MET, UNMET = "Đạt", "Chưa đạt"

_CUSTOM_XML = "docProps/custom.xml"


@dataclass(frozen=True)
class FormKey:
    """What a form sheet is about: written by the tool, locked, read back as it is."""

    era: str  # "legacy" or "2025"
    province_code: str
    district_code: str  # "" in the 2025 era
    commune_code: str  # "" on a district's sheet
    level: str  # a level code of reference.criteria
    period: str  # "2021-2025", "2026-2030"

    def text(self) -> str:
        """The key as one cell's text."""
        return "|".join((KEY_PREFIX, LAYOUT_VERSION, self.era, self.province_code,
                         self.district_code, self.commune_code, self.level, self.period))

    @classmethod
    def parse(cls, text: object) -> FormKey | None:
        """The key in a cell's text, or None when the cell holds no key of this layout."""
        parts = str(text).split("|") if isinstance(text, str) else []
        if len(parts) != 8 or parts[:2] != [KEY_PREFIX, LAYOUT_VERSION]:
            return None
        return cls(*parts[2:])


def tally_row(n_criteria: int) -> int:
    """The Excel row of the sheet's count of criteria met, under its ``n_criteria`` rows."""
    return FIRST_CRITERION_ROW + n_criteria


def indicator_header_row(n_criteria: int) -> int:
    """The Excel row of the indicator table's header, under the count and a title row."""
    return tally_row(n_criteria) + 2


def indicator_count(text: object) -> int:
    """The number of indicator rows :data:`INDICATOR_KEY_CELL` states (0 when none)."""
    prefix, _, count = str(text).partition("|")
    return int(count) if prefix == INDICATOR_PREFIX and count.isdigit() else 0


def is_form(path: Path) -> bool:
    """True when the workbook at ``path`` says in its properties that it is a form.

    Reads the one small XML part of the properties; the sheets are not opened.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            if _CUSTOM_XML not in archive.namelist():
                return False
            text = archive.read(_CUSTOM_XML).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError):
        return False
    return re.search(rf'name="{FORM_PROPERTY}"', text) is not None


def cell_at(grid: list[list[object]], address: str) -> object:
    """The value at an A1 ``address`` of a calamine grid ("" when outside it)."""
    match = re.fullmatch(r"([A-Z])(\d+)", address)
    column, row = ord(match[1]) - ord("A"), int(match[2]) - 1
    if row >= len(grid) or column >= len(grid[row]):
        return ""
    return grid[row][column]


def form_rows(grid: list[list[object]], key: FormKey, n_criteria: int,
              n_indicators: int = 0) -> pd.DataFrame:
    """The rows of one filled form sheet, as text cells, indexed by Excel row number.

    One row per criterion (``row_kind`` "criterion"), one for the sheet's count of criteria
    met (``row_kind`` "tally") and, when anything was typed in the indicator table, one per
    indicator (``row_kind`` "indicator"; an untouched table holds no data, like an untouched
    sheet); the unit's codes and level from ``key``, the sheet's date and commune group on
    every row. A row's own date, when typed, wins over the sheet's.
    """
    def value(address: str) -> object:
        cell = cell_at(grid, address)
        return "" if cell is None else cell

    sheet_date = value(f"{VALUE_COLUMN}{DATE_ROW}")
    rows = {}
    for number in range(FIRST_CRITERION_ROW, tally_row(n_criteria)):
        cells = dict(zip(COLUMNS, (value(f"{c}{number}") for c in "ABCDEF"), strict=True))
        rows[number] = {**cells, "row_kind": "criterion",
                        "as_of": cells["as_of"] if cells["as_of"] != "" else sheet_date}
    rows[tally_row(n_criteria)] = {"row_kind": "tally", "as_of": sheet_date}
    first = indicator_header_row(n_criteria) + 1
    table = {number: dict(zip(INDICATOR_COLUMNS, (value(f"{c}{number}") for c in "ABCDEF"),
                              strict=True)) for number in range(first, first + n_indicators)}
    if any(str(cells[c]).strip() for cells in table.values()
           for c in ("value", "as_of", "source")):
        for number, cells in table.items():
            rows[number] = {**cells, "row_kind": "indicator",
                            "as_of": cells["as_of"] if cells["as_of"] != "" else sheet_date}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return frame.assign(province=key.province_code, district=key.district_code,
                        commune=key.commune_code, level=key.level, form_era=key.era,
                        form_period=key.period,
                        commune_group=value(f"{VALUE_COLUMN}{GROUP_ROW}")).fillna("")


def filled(frame: pd.DataFrame) -> bool:
    """True when a person typed anything in the sheet: a status, date, source or note of a
    criterion, or the sheet's date or group."""
    typed = frame[["status", "source", "note"]].astype(str).apply(lambda c: c.str.strip())
    criteria = frame.row_kind == "criterion"
    return bool((typed[criteria] != "").any().any()
                or (frame.row_kind == "indicator").any()
                or (frame.as_of.astype(str).str.strip() != "").any()
                or (frame.commune_group.astype(str).str.strip() != "").any())

