"""Workbooks of the reports: every table a page shows, as a sheet an official can paste
into the steering committee's Word report or filter in Excel.

A page's workbook is written from the pieces its executed notebook carries as data
(``report.display.PIECE_MIME``): the same cells the page shows, in the same order, so the
two cannot disagree. The first sheet holds the page's text (title, headline sentence,
coverage); then one sheet per table, named after the section it stands in; then the
numbered sources of every table. Cells the page shows as numbers or dates are numbers and
Excel dates here; a tally ("14/19") stays text, a dash is an empty cell.

The summary workbook (``bang-tong-hop.xlsx``) has one row per unit of a run, from the
index's rows. Both are written atomically; nothing here reads data/processed.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import __version__
from ..config import PIECE_MIME
from ..messages import msg
from ..storage import write_atomic

SUMMARY_FILE = "bang-tong-hop.xlsx"
_DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$|^(\d{4})-(\d{2})-(\d{2})$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_PERCENT = re.compile(r"^(-?\d+(?:\.\d+)?)\s?%$")
_HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_BAD_TITLE = re.compile(r"[\[\]:*?]")


def pieces(notebook: dict) -> list[dict]:
    """The headings, notes and tables an executed notebook shows, in order."""
    return [output["data"][PIECE_MIME]
            for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
            for output in cell.get("outputs", [])
            if PIECE_MIME in output.get("data", {})]


def page_title(notebook: dict) -> str:
    """The page's first heading (its unit: "Tiến độ xây dựng nông thôn mới: Huyện An
    Biên"), the title of its HTML and of its workbook; "" when it shows none."""
    return next((p["text"] for p in pieces(notebook) if p["kind"] == "heading"), "")


def typed(value: object, numeric: bool) -> tuple[object, str | None]:
    """A page's cell as an Excel value and its number format: in a column of numbers and
    dates, "31/05/2022" (vi) or "2022-05-31" (en) is a date, "8.5" a number, "80%" a
    fraction shown as a percentage; a dash or nothing is an empty cell; the rest is text.

    Digits alone stay text: the page's numbers arrive as numbers, and a text of digits is
    a code (GSO codes keep their leading zeros).
    """
    if value is None or value in ("—", ""):
        return None, None
    if not numeric or not isinstance(value, str):
        return value, None
    text = value.strip()
    day = _DAY.match(text)
    if day:
        d, m, y = (day[1], day[2], day[3]) if day[1] else (day[6], day[5], day[4])
        return datetime(int(y), int(m), int(d)), "DD/MM/YYYY"
    if _DECIMAL.match(text):
        return float(text), "0.0"
    percent = _PERCENT.match(text)
    if percent:
        return float(percent[1]) / 100, "0%"
    return value, None


def report_workbook(notebook: dict, lang: str) -> Workbook:
    """The workbook of one executed report notebook (see the module's docstring)."""
    found = pieces(notebook)
    workbook = Workbook()
    text_sheet = workbook.active
    text_sheet.title = msg("xlsx_text_sheet", lang=lang)
    text_sheet.column_dimensions["A"].width = 120
    used = {text_sheet.title}
    section, sources = "", []
    for piece in found:
        if piece["kind"] == "heading" and piece["level"] > 1:
            section = piece["text"]
        elif piece["kind"] == "table":
            title = _sheet_title(section or msg("xlsx_table", lang=lang), used)
            _table_sheet(workbook.create_sheet(title), piece)
            sources += [(title, number, note)
                        for number, note in enumerate(piece["notes"], start=1)]
        else:
            text_sheet.append([piece["text"]])
            cell = text_sheet.cell(text_sheet.max_row, 1)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if piece["kind"] == "heading":
                cell.font = Font(bold=True, size=14 if piece["level"] == 1 else 12)
    if sources:
        sheet = workbook.create_sheet(_sheet_title(msg("xlsx_sources", lang=lang), used))
        _table_sheet(sheet, {"columns": msg("xlsx_sources_headers", lang=lang).split("|"),
                             "numeric": [], "rows": [list(s) for s in sources]})
    _properties(workbook, page_title(notebook))
    return workbook


def _sheet_title(text: str, used: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, 31 characters at most, unique."""
    base = _BAD_TITLE.sub("", re.sub(r"[/\\]", "-", text)).strip()[:31] or "Sheet"
    title, number = base, 2
    while title in used:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(title)
    return title


def _table_sheet(ws, table: dict) -> None:
    """A table with a bold frozen header, filters, typed cells and widths that fit."""
    columns = table["columns"]
    numeric = set(table["numeric"])
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(str(c)) for c in columns]
    for row in table["rows"]:
        values = [typed(v, c in numeric) for v, c in zip(row, columns, strict=True)]
        ws.append([v for v, _ in values])
        for index, (value, number_format) in enumerate(values):
            if number_format:
                ws.cell(ws.max_row, index + 1).number_format = number_format
            widths[index] = max(widths[index], 10 if number_format else len(str(value or "")))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    if table["rows"]:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"


def _properties(workbook: Workbook, title: str) -> None:
    props = workbook.properties
    props.creator = props.lastModifiedBy = f"ntm-analysis {__version__}"
    props.title = title
    props.created = props.modified = datetime.now().replace(microsecond=0)


def write_report_workbook(notebook: dict, path: Path, lang: str) -> Path:
    """Write the workbook of an executed notebook to ``path`` atomically."""
    return write_atomic(path, report_workbook(notebook, lang).save)


#: the summary's columns: the index row's key for each catalogue header
SUMMARY_KEYS = ("era", "name", "criteria", "gap", "rating", "criteria_met_on", "reached_on",
                "as_of", "deadline", "source", "page")


def write_summary_workbook(rows: list[dict], path: Path, lang: str, title: str) -> Path:
    """Write ``bang-tong-hop.xlsx``: one row per unit of the run (``SUMMARY_KEYS`` of the
    index's rows), typed like a page's table, atomically."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = _sheet_title(msg("xlsx_summary_sheet", lang=lang), set())
    numeric = ["gap", "criteria_met_on", "reached_on", "as_of", "deadline"]
    headers = msg("xlsx_summary_headers", lang=lang).split("|")
    _table_sheet(ws, {"columns": headers,
                      "numeric": [h for h, k in zip(headers, SUMMARY_KEYS, strict=True)
                                  if k in numeric],
                      "rows": [[row.get(k) for k in SUMMARY_KEYS] for row in rows]})
    for number, row in enumerate(rows, start=2):
        if row.get("page"):
            ws.cell(number, len(SUMMARY_KEYS)).hyperlink = row["page"]
    _properties(workbook, title)
    return write_atomic(path, workbook.save)
