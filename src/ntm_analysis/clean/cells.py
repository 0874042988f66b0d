"""Parsers for the cells of raw sheets: tallies, dates, levels, criterion status, fact values.

Each parser takes one cell value and returns a small result carrying a reason code when the
value is bad; none raises on bad input, because a bad cell is data to report, not a crash.
The cleaner calls them once per *distinct* value and maps the results onto the rows. Pure
functions; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from ..reference.criteria import HUYEN_NTM, XA_KIEU_MAU, XA_NANG_CAO, XA_NTM
from ..reference.metrics import is_deadline, is_text
from ..text import fold, is_blank, strip_accents

DAY, MONTH, QUARTER, YEAR = "day", "month", "quarter", "year"
PRECISIONS = (DAY, MONTH, QUARTER, YEAR)


# ---- tallies ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    """A parsed tally: ``met`` of ``total`` criteria, or an ``error`` reason code."""

    met: int | None = None
    total: int | None = None
    error: str | None = None


_NUM = r"(-?\d+(?:[.,]\d+)?)"
_TALLY_WORDS = re.compile(r"\b(?:dat|tieu chi|tc)\b")
_TALLY = re.compile(rf"^{_NUM}\s*(?:/|\btren\b|\bof\b)\s*{_NUM}$")
_SINGLE = re.compile(rf"^{_NUM}$")


def _to_int(text: str) -> int | None:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else None


def parse_tally(value: object) -> Tally:
    """Parse ``"14/19"``, ``" 14 / 19 "``, ``"đạt 14/19 tiêu chí"``, ``"14 trên 19"`` or ``"14"``.

    A bare number gives ``met`` only (the total comes from a total column). Error codes:
    ``empty_tally``, ``not_a_tally``, ``fractional``.
    """
    if is_blank(value):
        return Tally(error="empty_tally")
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return Tally(met=int(number)) if number.is_integer() else Tally(error="fractional")
    text = " ".join(_TALLY_WORDS.sub(" ", fold(value, keep="/.,-")).split())
    match = _TALLY.match(text)
    if match:
        met, total = (_to_int(g) for g in match.groups())
        if met is None or total is None:
            return Tally(error="fractional")
        return Tally(met=met, total=total)
    match = _SINGLE.match(text)
    if match:
        met = _to_int(match.group(1))
        return Tally(met=met) if met is not None else Tally(error="fractional")
    return Tally(error="not_a_tally")


# ---- tallies a spreadsheet program turned into dates ----------------------------------------
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_TEXT = [
    re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{2}|\d{4})(?: 00:00(?::00)?)?$"),  # 19/12/2026
    re.compile(r"^\d{4}-(\d{1,2})-(\d{1,2})(?: 00:00:00)?$"),                    # 2026-12-19
]
_DAY_MONTH = re.compile(r"^(\d{1,2})[- ]([a-z]{3})$")  # 19-Dec, 9-May
_MONTH_DAY = re.compile(r"^([a-z]{3})[- ](\d{1,2})$")  # Dec-19


def date_pair(value: object) -> tuple[int, int, str] | None:
    """The two numbers of a tally cell that a spreadsheet program stored as a date, and the
    date as it shows; None when the cell is not such a date.

    "12/19" typed in a month-first locale becomes 19/12 of the current year, "5/9" in a
    day-first one 05/09: the year is the program's, the two numbers are the tally's, in an
    order only the row's criteria total can tell (:func:`date_readings`).

    Examples
    --------
    >>> date_pair("19/12/2026"), date_pair("9-May"), date_pair("Dec-19"), date_pair("14/19")
    ((19, 12, '19/12/2026'), (9, 5, '9-May'), (12, 19, 'Dec-19'), None)
    """
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.day, value.month, f"{value.day:02d}/{value.month:02d}/{value.year}"
    if not isinstance(value, str):
        return None
    text = value.strip()
    low = text.lower()
    for pattern in _DATE_TEXT:
        if m := pattern.match(low):
            return int(m[1]), int(m[2]), text
    if (m := _DAY_MONTH.match(low)) and m[2] in _MONTHS:
        return int(m[1]), _MONTHS[m[2]], text
    if (m := _MONTH_DAY.match(low)) and m[1] in _MONTHS:
        return _MONTHS[m[1]], int(m[2]), text
    return None


def date_readings(first: int, second: int, expected_total: int | None) -> list[Tally]:
    """The readings "first/second" and "second/first" that are valid tallies of
    ``expected_total`` criteria (met ≤ total = expected), without repeats.

    >>> [r.met for r in date_readings(19, 12, 19)], [r.met for r in date_readings(9, 5, 9)]
    ([12], [5])
    >>> date_readings(9, 9, 9), date_readings(3, 4, 19)
    ([Tally(met=9, total=9, error=None)], [])
    """
    out = []
    for met, total in ((first, second), (second, first)):
        reading = Tally(met=met, total=total)
        if expected_total is not None and total == expected_total and 0 <= met <= total \
                and reading not in out:
            out.append(reading)
    return out


# ---- dates --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AsOf:
    """A parsed date: the last day of the period it names, its precision, or an ``error``."""

    day: pd.Timestamp | None = None
    precision: str | None = None
    error: str | None = None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_DATE_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?$"), "ymd"),
    (re.compile(r"^(?:ngay\s*)?(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(?:thang\s*|t\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$"), "my"),
    (re.compile(r"^(?:quy\s*|q\s*)(i{1,3}|iv|[1-4])\s*[/.\-\s]\s*(\d{4})$"), "qy"),
    (re.compile(r"^(?:(?:cuoi\s*)?nam\s*)?(\d{4})$"), "y"),
]


def parse_as_of(value: object) -> AsOf:
    """Parse a report date; the result is the *end* of the period named, with its precision.

    Accepted: ``2022-05-31``, ``31/05/2022`` (day first), ``05/2022``, ``5/2022``,
    ``tháng 5/2022``, ``T5/2022``, ``quý II/2022``, ``Q2/2022``, ``2022``, ``cuối năm 2022``,
    ``2021-12`` and Excel date cells. Error codes: ``empty_date``, ``impossible_date``,
    ``bad_date``.
    """
    parsed = _parse_as_of(value)
    if parsed.error is None and not MIN_YEAR <= parsed.day.year <= MAX_YEAR:
        return AsOf(error="impossible_date")
    return parsed


MIN_YEAR, MAX_YEAR = 1900, 2100  # a report date outside is a typo


def _parse_as_of(value: object) -> AsOf:
    if is_blank(value):
        return AsOf(error="empty_date")
    if isinstance(value, datetime | date | pd.Timestamp):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return AsOf(error="impossible_date")
        return AsOf(pd.Timestamp(value).normalize(), DAY)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = " ".join(strip_accents(str(value).strip()).split())
    for pattern, form in _DATE_FORMS:
        match = pattern.match(text)
        if match:
            return _build_date(form, match.groups())
    return AsOf(error="bad_date")


def _build_date(form: str, groups: tuple[str, ...]) -> AsOf:
    try:
        if form == "ymd":
            return AsOf(pd.Timestamp(int(groups[0]), int(groups[1]), int(groups[2])), DAY)
        if form == "dmy":
            return AsOf(pd.Timestamp(int(groups[2]), int(groups[1]), int(groups[0])), DAY)
        if form in ("ym", "my"):
            year, month = (groups[0], groups[1]) if form == "ym" else (groups[1], groups[0])
            start = pd.Timestamp(int(year), int(month), 1)
            return AsOf(start + pd.offsets.MonthEnd(0), MONTH)
        if form == "qy":
            start = pd.Timestamp(int(groups[1]), 3 * _ROMAN[groups[0]] - 2, 1)
            return AsOf(start + pd.offsets.QuarterEnd(0), QUARTER)
        return AsOf(pd.Timestamp(int(groups[0]), 12, 31), YEAR)
    except (ValueError, OverflowError):
        return AsOf(error="impossible_date")


# ---- levels -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    """A parsed level: the level code, whether the text named the unit kind, or an error."""

    code: str | None = None
    kind: str | None = None  # "commune", "district" or None when the text does not say
    error: str | None = None


_GENERIC_NTM = {"ntm", "nong thon moi", "dat chuan ntm", "dat chuan nong thon moi", "new rural"}


def parse_level(value: object) -> Level:
    """Parse ``"NTM"``, ``"xã NTM"``, ``"NTM nâng cao"``, ``"kiểu mẫu"``, ``"huyện NTM"``...

    A generic ``"NTM"`` gives ``xa_ntm`` with ``kind=None``: on a district row the cleaner
    reads it as ``huyen_ntm``. Error codes: ``missing_level``, ``unknown_level``.
    """
    if is_blank(value):
        return Level(error="missing_level")
    text = fold(value)  # the level codes too: "xa_ntm_nang_cao" folds to "xa ntm nang cao"
    if "kieu mau" in text or text in {"model", "model commune"}:
        return Level(XA_KIEU_MAU, "commune")
    if "nang cao" in text or text in {"advanced", "advanced commune"}:
        return Level(XA_NANG_CAO, "commune")
    words = text.split()
    if (words and words[0] in {"huyen", "district"}) or text.startswith(("thi xa", "thanh pho")):
        rest = " ".join(words[1:])
        if rest in _GENERIC_NTM or rest == "" or text.startswith(("thi xa", "thanh pho")):
            return Level(HUYEN_NTM, "district")
    if words and words[0] in {"xa", "commune"}:
        rest = " ".join(words[1:])
        if rest in _GENERIC_NTM or rest == "":
            return Level(XA_NTM, "commune")
    if text in _GENERIC_NTM:
        return Level(XA_NTM, None)
    return Level(error="unknown_level")


def level_for_unit(level: Level, is_district_row: bool) -> str | None:
    """Return the level code for a row of a district (no commune) or a commune.

    None when the text names a commune level on a district row or the reverse.
    """
    if level.code is None:
        return None
    if level.kind is None:
        return HUYEN_NTM if is_district_row else level.code
    if is_district_row != (level.kind == "district"):
        return None
    return level.code


# ---- commune group ------------------------------------------------------------------------
_GROUP = re.compile(r"^(?:nhom\s*|group\s*)?([123])$")


def parse_commune_group(value: object) -> int | str | None:
    """Parse the commune group of the 2026-2030 set (QĐ 51/2025/QĐ-TTg sets thresholds by
    group): ``1``, ``"2"``, ``"Nhóm 3"``, ``"group 1"``. None when blank; the string
    ``"bad_commune_group"`` for anything else (a group 4, a fraction, a word)."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = _GROUP.match(fold(value))
    return int(match[1]) if match else "bad_commune_group"


# ---- criterion status ---------------------------------------------------------------------
_MET = {"dat", "x", "1", "co", "yes", "true", "met", "v"}
_UNMET = {"chua dat", "khong dat", "0", "khong", "no", "false", "not met", "chua"}


def parse_status(value: object) -> bool | str | None:
    """Parse a criterion status: True for met, False for unmet (empty counts as unmet).

    Returns the string ``"bad_status"`` when the text is neither.
    """
    if is_blank(value):
        return False
    raw = str(value).strip()
    if raw in {"✓", "✔", "☑", "✅"}:
        return True
    text = fold(raw)
    if text in _MET:
        return True
    if text in _UNMET:
        return False
    return "bad_status"


# ---- fact values ------------------------------------------------------------------------
@dataclass(frozen=True)
class FactValue:
    """A typed fact value."""

    kind: str | None = None
    value: float | None = None
    denominator: float | None = None
    lower: float | None = None
    upper: float | None = None
    deadline: pd.Timestamp | None = None
    decision: str | None = None
    error: str | None = None


_N = r"(\d+(?:[.,]\d+)?)"
DECISION = re.compile(r"\b(?:QĐ|QD)\s*[\w./-]*\d[\w./-]*", re.IGNORECASE)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_fact_value(value: object, metric: str) -> FactValue:
    """Type a fact value: ``90/116``, ``≥100``, ``>=30``, ``7-9``, ``100%``, ``16.8``, a decision
    number (``QĐ 349/QĐ-TTg``), a deadline (metrics ending in ``_by``) or, for
    ``common_unmet_criterion*`` metrics, text."""
    if is_blank(value):
        return FactValue(error="empty_value")
    text = unicodedata.normalize("NFC", str(value)).strip()
    if is_deadline(metric):
        when = parse_as_of(text)
        return (FactValue("deadline", deadline=when.day) if when.error is None
                else FactValue(error="bad_value"))
    if m := re.fullmatch(rf"{_N}\s*/\s*{_N}", text):
        return FactValue("ratio", _number(m[1]), _number(m[2]))
    if m := re.fullmatch(rf"(≥|>=|>|≤|<=|<)\s*{_N}", text):
        bound = _number(m[2])
        if m[1] in ("≥", ">=", ">"):
            return FactValue("bound", bound, lower=bound)
        return FactValue("bound", bound, upper=bound)
    if m := re.fullmatch(rf"{_N}\s*[-–]\s*{_N}", text):
        return FactValue("range", _number(m[1]), lower=_number(m[1]), upper=_number(m[2]))
    if m := re.fullmatch(rf"{_N}\s*%", text):
        return FactValue("percent", _number(m[1]), 100.0)
    if m := re.fullmatch(_N, text):
        return FactValue("number", _number(m[1]))
    if m := DECISION.search(text):
        return FactValue("decision", 1.0, decision=m[0])
    if is_text(metric):
        return FactValue("text")
    return FactValue(error="bad_value")



__all__ = [
    "DAY",
    "MONTH",
    "PRECISIONS",
    "QUARTER",
    "YEAR",
    "AsOf",
    "FactValue",
    "Level",
    "Tally",
    "date_pair",
    "date_readings",
    "level_for_unit",
    "parse_as_of",
    "parse_fact_value",
    "parse_level",
    "parse_status",
    "parse_tally",
]
