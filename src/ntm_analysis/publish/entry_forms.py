"""``ntm template``: data-entry workbooks that an office fills and ``ntm clean`` reads back.

One sheet per unit in the layout of :mod:`raw.entry_form`: a title block (unit, province,
era, criteria set and its legal basis, two lines of instructions), the commune group and the
assessment date to fill, then one row per criterion with a dropdown status (Đạt / Chưa đạt),
a date, a source and a note, and the count of criteria met; a 2026–2030 commune form made
after the office's thresholds were cleaned adds one row per indicator (its value cell typed
by its unit: a percentage, a number, a whole number or a Có/Không dropdown; a date; a
source), the commune group chosen once above for all of them. What the tool writes is locked
(sheet protection without a password: nobody overwrites a code by accident, anybody can
still unlock it); only the cells to fill are open. An "Hướng dẫn" sheet explains the form;
the workbook's properties carry the tool's version, the creation date and the mark by which
the cleaner recognises a form.

Never reads or writes data/processed; each workbook is written atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from .. import __version__
from ..errors import BatchError
from ..messages import msg
from ..raw.entry_form import (
    CODE_ROW,
    CREATED_PROPERTY,
    DATE_ROW,
    ERA_ROW,
    FIRST_CRITERION_ROW,
    FORM_PROPERTY,
    GROUP_ROW,
    GUIDE_KEY,
    HEADER_ROW,
    HELP_ROWS,
    INDICATOR_KEY_CELL,
    INDICATOR_PREFIX,
    KEY_CELL,
    LAYOUT_VERSION,
    MET,
    SET_ROW,
    TITLE_ROW,
    TOOL_PROPERTY,
    UNIT_ROW,
    UNMET,
    VALUE_COLUMN,
    FormKey,
    indicator_header_row,
    tally_row,
)
from ..reference.criteria import HUYEN_NTM, XA_NTM, criteria_names, periods_table
from ..reference.indicators import INDICATOR_COUNT, criterion_of
from ..reference.units import ERA_2025, LEGACY, Unit, registry
from ..storage import write_atomic
from ..text import slug

#: the set each era's forms use unless ``--period`` says otherwise
DEFAULT_PERIOD = {ERA_2025: "2026-2030", LEGACY: "2021-2025"}
#: the sets with commune groups (QĐ 51/2025/QĐ-TTg)
GROUPED_PERIODS = {"2026-2030"}
#: units a form is made for by default: NTM criteria are set for rural communes
ASSESSED_TYPES = {"Xã"}
_WIDTHS = {"A": 7, "B": 46, "C": 14, "D": 16, "E": 30, "F": 26}
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_OPEN = Protection(locked=False)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator row of a form: as the office's thresholds sheet named it."""

    code: str  # "6.1"
    name: str
    unit: str  # a unit code of reference.indicators


@dataclass(frozen=True)
class FormUnit:
    """One unit sheet to write: its key, the names shown in the title block and the
    indicator rows (none unless the office's thresholds are known)."""

    key: FormKey
    unit: Unit
    province: str
    indicators: tuple[IndicatorLine, ...] = ()


def indicator_lines(thresholds) -> tuple[IndicatorLine, ...]:
    """The indicators of the office's cleaned thresholds (``indicator_thresholds``), one
    each, in the decision's order (criterion, then number)."""
    if thresholds is None or thresholds.empty:
        return ()
    first = thresholds.drop_duplicates("indicator")
    lines = [IndicatorLine(code, "" if name is None or name != name else str(name), unit)
             for code, name, unit in zip(first.indicator, first.name, first.unit, strict=True)]
    return tuple(sorted(lines, key=lambda line: tuple(int(p) for p in line.code.split("."))))


@dataclass(frozen=True)
class FormBook:
    """One workbook to write: its file name and unit sheets."""

    file_name: str
    units: tuple[FormUnit, ...]


def _t(key: str, **fields: object) -> str:
    return msg(key, lang="vi", **fields)  # a form is Vietnamese: the office's language


def check_period(level: str, period: str) -> None:
    """Raise BatchError when the catalogue has no criteria of ``level`` for ``period``."""
    if criteria_names(level, period).empty:
        sets = periods_table()
        named = sorted(set(sets.period[sets.level == level])
                       & set(p for p in sets.period if not criteria_names(level, p).empty))
        raise BatchError(_t("template_no_set", level=_t(f"level_{level}"), period=period,
                            choices=", ".join(named)))


def plan_forms(province_code: str, era: str = ERA_2025, communes: Iterable[str] = (),
               district: str | None = None, period: str | None = None,
               single: bool = False,
               indicators: tuple[IndicatorLine, ...] = ()) -> list[FormBook]:
    """The workbooks ``ntm template`` writes for a province of ``era``.

    2025 era: one workbook per commune (all rural communes, or those named), or one with
    a sheet per commune when ``single``. Legacy era: one workbook per district (all, or
    ``district``) with the district's own sheet and one per rural commune (or those named).
    ``indicators`` (:func:`indicator_lines`) go on every commune sheet of the 2026–2030 set.

    Raises
    ------
    BatchError
        For a period the catalogue has no set for, or ``district`` in the 2025 era.
    UnitNotFoundError
        For a unit name that is not official in the era (with suggestions).
    """
    period = period or DEFAULT_PERIOD[era]
    check_period(XA_NTM, period)
    reg = registry(province_code, era)
    province = reg.get("province", province_code)
    if era == ERA_2025:
        if district:
            raise BatchError(_t("template_district_era"))
        units = _communes(reg, province_code, province_code, communes)
        lines = indicators if period in GROUPED_PERIODS else ()
        sheets = [FormUnit(FormKey(era, province_code, "", u.code, XA_NTM, period), u,
                           province.name, lines) for u in units]
        if single:
            return [FormBook(f"bieu-mau-{slug(province.name)}.xlsx", tuple(sheets))]
        return [FormBook(f"{slug(s.unit.full_name)}-{s.unit.code}.xlsx", (s,))
                for s in sheets]
    check_period(HUYEN_NTM, period)
    districts = ([reg.resolve_district(district, province_code)] if district else
                 [reg.get("district", code) for code in reg.districts(province_code).code])
    books = []
    for dist in districts:
        sheets = [FormUnit(FormKey(era, province_code, dist.code, "", HUYEN_NTM, period),
                           dist, province.name)]
        sheets += [FormUnit(FormKey(era, province_code, dist.code, u.code, XA_NTM, period),
                            u, province.name)
                   for u in _communes(reg, dist.code, province_code, communes)]
        books.append(FormBook(f"{slug(dist.full_name)}-{dist.code}.xlsx", tuple(sheets)))
    if single:
        return [FormBook(f"bieu-mau-{slug(province.name)}.xlsx",
                         tuple(s for b in books for s in b.units))]
    return books


def _communes(reg, parent: str, province_code: str, names: Iterable[str]) -> list[Unit]:
    names = list(names or ())
    if names:
        return [reg.resolve_commune(name, parent) for name in names]
    table = (reg.communes(province_code=province_code) if reg.era == ERA_2025
             else reg.communes(parent))
    return [reg.get("commune", code) for code, kind in zip(table.code, table.unit_type,
                                                           strict=True)
            if kind in ASSESSED_TYPES]


def write_forms(books: list[FormBook], out_dir: Path,
                created: datetime | None = None) -> list[Path]:
    """Write every workbook of ``books`` into ``out_dir`` atomically; return their paths."""
    created = created or datetime.now().replace(microsecond=0)
    paths = []
    for book in books:
        workbook = form_workbook(book, created)
        paths.append(write_atomic(Path(out_dir) / book.file_name, workbook.save))
    return paths


def form_workbook(book: FormBook, created: datetime) -> Workbook:
    """The workbook of ``book``: its unit sheets, then the instructions sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for form in book.units:
        _unit_sheet(workbook.create_sheet(_sheet_title(form.unit, used)), form)
    _guide_sheet(workbook.create_sheet(_t("form_guide_sheet")))
    workbook.active = 0
    props = workbook.properties
    props.creator = props.lastModifiedBy = f"ntm-analysis {__version__}"
    props.created = props.modified = created
    props.title = _t("form_title")
    props.subject = ", ".join(f.unit.full_name for f in book.units)[:250]
    for name, value in ((FORM_PROPERTY, LAYOUT_VERSION), (TOOL_PROPERTY, __version__),
                        (CREATED_PROPERTY, created.isoformat())):
        workbook.custom_doc_props.append(StringProperty(name=name, value=value))
    return workbook


def _sheet_title(unit: Unit, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters at most, unique in the workbook)."""
    title = unit.full_name[:31]
    if title in used:
        title = f"{unit.full_name[:24]} {unit.code}"[:31]
    used.add(title)
    return title


def _unit_sheet(ws, form: FormUnit) -> None:
    key, unit = form.key, form.unit
    criteria = criteria_names(key.level, key.period)
    sets = periods_table()
    basis = sets.legal_basis[(sets.level == key.level) & (sets.period == key.period)].iloc[0]
    last = tally_row(len(criteria))
    place = (f"{unit.full_name}, {unit.parent_name}, tỉnh {form.province}"
             if key.era == LEGACY and unit.level == "commune"
             else f"{unit.full_name}, tỉnh {form.province}")
    ws[KEY_CELL] = key.text()
    ws.column_dimensions["H"].hidden = True
    ws.merge_cells(f"A{TITLE_ROW}:F{TITLE_ROW}")
    ws[f"A{TITLE_ROW}"] = _t("form_title")
    ws[f"A{TITLE_ROW}"].font = Font(bold=True, size=14)
    ws[f"A{TITLE_ROW}"].alignment = Alignment(horizontal="center")
    block = {UNIT_ROW: ("form_unit", place), CODE_ROW: ("form_code", unit.code),
             ERA_ROW: ("form_era", _t(f"era_{key.era}")),
             SET_ROW: ("form_set", _t("form_set_value", level=_t(f"level_{key.level}"),
                                      period=key.period, basis=basis))}
    if key.period in GROUPED_PERIODS and key.level == XA_NTM:
        block[GROUP_ROW] = ("form_group", None)
    block[DATE_ROW] = ("form_date", None)
    for row, (label, value) in block.items():
        ws.merge_cells(f"A{row}:B{row}")
        ws.merge_cells(f"{VALUE_COLUMN}{row}:F{row}")
        ws[f"A{row}"] = _t(label)
        ws[f"A{row}"].font = Font(bold=True)
        cell = ws[f"{VALUE_COLUMN}{row}"]
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if value is None:  # to fill
            cell.protection = _OPEN
            cell.border = _BOX
        else:
            cell.value = value
            cell.fill = _LOCKED_FILL
    ws[f"{VALUE_COLUMN}{DATE_ROW}"].number_format = "DD/MM/YYYY"
    for row, text in zip(HELP_ROWS, ("form_help_1", "form_help_2"), strict=True):
        ws.merge_cells(f"A{row}:F{row}")
        ws[f"A{row}"] = _t(text)
        ws[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 30
    for column, header in zip("ABCDEF", _t("form_headers").split("|"), strict=True):
        cell = ws[f"{column}{HEADER_ROW}"]
        cell.value = header
        cell.font = Font(bold=True)
        cell.fill = _LOCKED_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, row in enumerate(criteria.itertuples()):
        r = FIRST_CRITERION_ROW + offset
        ws[f"A{r}"], ws[f"B{r}"] = int(row.number), row.name
        for column in "AB":
            ws[f"{column}{r}"].fill = _LOCKED_FILL
        ws[f"B{r}"].alignment = Alignment(wrap_text=True, vertical="top")
        for column in "CDEF":
            ws[f"{column}{r}"].protection = _OPEN
        ws[f"D{r}"].number_format = "DD/MM/YYYY"
        for column in "ABCDEF":
            ws[f"{column}{r}"].border = _BOX
    ws[f"B{last}"] = _t("form_tally")
    ws[f"B{last}"].font = Font(bold=True)
    status = f"C{FIRST_CRITERION_ROW}:C{last - 1}"
    # the count a person sees while filling; the cleaner counts the statuses itself
    ws[f"C{last}"] = f'=COUNTIF({status},"{MET}")&"/{len(criteria)}"'
    ws[f"C{last}"].font = Font(bold=True)
    _validations(ws, status, f"D{FIRST_CRITERION_ROW}:D{last - 1}",
                 GROUP_ROW in block)
    if form.indicators:
        last = _indicator_table(ws, form.indicators, len(criteria))
    for column, width in _WIDTHS.items():
        ws.column_dimensions[column].width = width
    ws.freeze_panes = f"A{FIRST_CRITERION_ROW}"
    ws.print_area = f"A1:F{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # one page wide, any tall
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True  # no password: it guards against accidents, not people
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths may change


def _validations(ws, status: str, dates: str, grouped: bool) -> None:
    choices = DataValidation(type="list", formula1=f'"{MET},{UNMET}"', allow_blank=True,
                             showErrorMessage=True, error=_t("form_status_error"))
    choices.add(status)
    ws.add_data_validation(choices)
    day = DataValidation(type="date", operator="greaterThan", formula1="DATE(2010,1,1)",
                         allow_blank=True, showErrorMessage=True, errorStyle="warning",
                         error=_t("form_date_warning"))
    day.add(dates)
    day.add(f"{VALUE_COLUMN}{DATE_ROW}")
    ws.add_data_validation(day)
    if grouped:
        group = DataValidation(type="list", formula1='"1,2,3"', allow_blank=True,
                               showErrorMessage=True, error=_t("form_group_error"))
        group.add(f"{VALUE_COLUMN}{GROUP_ROW}")
        ws.add_data_validation(group)


#: per unit of measure: the value cell's check (Excel's data validation) and format
_VALUE_CHECKS = {
    "percent": (dict(type="decimal", operator="between", formula1="0", formula2="100"),
                "0.0"),
    "million_vnd_per_person_year": (dict(type="decimal", operator="greaterThanOrEqual",
                                         formula1="0"), "#,##0.0"),
    "count": (dict(type="whole", operator="greaterThanOrEqual", formula1="0"), "0"),
    "yes_no": (dict(type="list", formula1='"Có,Không"'), "@"),
}


def _indicator_table(ws, lines: tuple[IndicatorLine, ...], n_criteria: int) -> int:
    """The indicator rows under the count of criteria met; returns the last row."""
    header = indicator_header_row(n_criteria)
    ws[INDICATOR_KEY_CELL] = f"{INDICATOR_PREFIX}|{len(lines)}"
    ws.merge_cells(f"A{header - 1}:F{header - 1}")
    ws[f"A{header - 1}"] = _t("form_indicator_title")
    ws[f"A{header - 1}"].font = Font(bold=True)
    for column, text in zip("ABCDEF", _t("form_indicator_headers").split("|"), strict=True):
        cell = ws[f"{column}{header}"]
        cell.value, cell.font, cell.fill, cell.border = text, Font(bold=True), _LOCKED_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    checks = {unit: DataValidation(**rule, allow_blank=True, showErrorMessage=True,
                                   error=_t("form_value_error",
                                            unit=_t(f"form_unit_{unit}")))
              for unit, (rule, _) in _VALUE_CHECKS.items()}
    for r, line in enumerate(lines, start=header + 1):
        ws[f"A{r}"] = line.code
        ws[f"B{r}"] = f"{line.name} (TC {criterion_of(line.code)})" if line.name else \
            f"TC {criterion_of(line.code)}"
        ws[f"F{r}"] = _t(f"form_unit_{line.unit}")
        for column in "ABF":
            ws[f"{column}{r}"].fill = _LOCKED_FILL
        ws[f"B{r}"].alignment = Alignment(wrap_text=True, vertical="top")
        for column in "CDE":
            ws[f"{column}{r}"].protection = _OPEN
        ws[f"C{r}"].number_format = _VALUE_CHECKS[line.unit][1]
        ws[f"D{r}"].number_format = "DD/MM/YYYY"
        for column in "ABCDEF":
            ws[f"{column}{r}"].border = _BOX
        checks[line.unit].add(f"C{r}")
    for check in checks.values():
        if check.sqref:
            ws.add_data_validation(check)
    last = header + len(lines)
    day = DataValidation(type="date", operator="greaterThan", formula1="DATE(2026,1,1)",
                         allow_blank=True, showErrorMessage=True, errorStyle="warning",
                         error=_t("form_date_warning"))
    day.add(f"D{header + 1}:D{last}")
    ws.add_data_validation(day)
    return last


def _guide_sheet(ws) -> None:
    ws[KEY_CELL] = GUIDE_KEY
    ws.column_dimensions["H"].hidden = True
    ws["A1"] = _t("form_title")
    ws["A1"].font = Font(bold=True, size=14)
    for number, line in enumerate(_t("form_guide").split("|"), start=1):
        ws[f"A{number + 2}"] = f"{number}. {line}"
        ws[f"A{number + 2}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[number + 2].height = 32
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True


# ---- the thresholds sheet of the 2026–2030 indicators (clean/indicators.py) -----------------
THRESHOLDS_FILE = "nguong-chi-tieu-2026-2030.xlsx"
#: the sheet's headers, as the reader knows them (raw/readers.HEADER_ALIASES)
THRESHOLD_HEADERS = ("Mã chỉ tiêu", "Tiêu chí", "Tên chỉ tiêu", "Đơn vị tính", "Chiều",
                     "Nhóm 1", "Nhóm 2", "Nhóm 3", "Văn bản")
#: what the unit and direction cells offer (each read back by reference/indicators.py)
THRESHOLD_UNITS = ("%", "triệu đồng/người/năm", "số", "có/không")
THRESHOLD_DIRECTIONS = ("tối thiểu", "tối đa")


def thresholds_workbook(rows: int = INDICATOR_COUNT) -> Workbook:
    """The office's thresholds sheet to fill once from QĐ 51/2025/QĐ-TTg and its province's
    guidance: one row per indicator (``rows``, 47 by default), a threshold per commune group,
    units and directions as drop-downs, the document in the last column; then the
    instructions. Nothing is pre-filled: no threshold is known publicly."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = _t("thresholds_sheet")
    for column, header in enumerate(THRESHOLD_HEADERS, start=1):
        cell = ws.cell(row=1, column=column, value=header)
        cell.font, cell.fill, cell.border = Font(bold=True), _LOCKED_FILL, _BOX
    last = rows + 1
    for letter, width in zip("ABCDEFGHI", (12, 8, 46, 22, 12, 10, 10, 10, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    lists = ((f"D2:D{last}", THRESHOLD_UNITS, "thresholds_unit_error"),
             (f"E2:E{last}", THRESHOLD_DIRECTIONS, "thresholds_direction_error"),
             (f"B2:B{last}", tuple(str(n) for n in range(1, 11)), "thresholds_criterion_error"))
    for cells, choices, error in lists:
        check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"',
                               allow_blank=True, showErrorMessage=True, error=_t(error))
        check.add(cells)
        ws.add_data_validation(check)
    guide = workbook.create_sheet(_t("form_guide_sheet"))
    guide[KEY_CELL] = GUIDE_KEY  # the reader skips the instructions, as in the forms
    guide.column_dimensions["H"].hidden = True
    for number, line in enumerate(_t("thresholds_guide").split("|"), start=1):
        guide[f"A{number}"] = f"{number}. {line}"
        guide[f"A{number}"].alignment = Alignment(wrap_text=True, vertical="top")
    guide.column_dimensions["A"].width = 110
    workbook.properties.title = _t("thresholds_sheet")
    workbook.properties.creator = f"ntm-analysis {__version__}"
    # a workbook of the project's: its sheets are read by their keys, the guide skipped
    workbook.custom_doc_props.append(StringProperty(name=FORM_PROPERTY, value=LAYOUT_VERSION))
    return workbook


def write_thresholds(out_dir: Path) -> Path:
    """Write the thresholds sheet to fill (:func:`thresholds_workbook`) atomically."""
    return write_atomic(Path(out_dir) / THRESHOLDS_FILE, thresholds_workbook().save)


__all__ = ["FormBook", "FormUnit", "IndicatorLine", "form_workbook", "indicator_lines",
           "plan_forms", "thresholds_workbook", "write_forms", "write_thresholds"]
