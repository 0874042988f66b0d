"""The criteria catalogue: levels, criteria sets per period, criterion names.

Built from package data: ``criteria_sets_2021_2030.csv`` (names, legal basis and the
``verified`` flag, as shipped in ``shared/data``) and ``criteria_periods.csv`` (the date
range of each set and, for the 2016-2020 sets whose names are not catalogued, the count).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pandas as pd

from ..config import CRITERIA_FILE, CRITERIA_PERIODS_FILE
from ..text import fold

#: Level codes, in order of ambition.
XA_NTM = "xa_ntm"
XA_NANG_CAO = "xa_ntm_nang_cao"
XA_KIEU_MAU = "xa_ntm_kieu_mau"
HUYEN_NTM = "huyen_ntm"
LEVELS = (XA_NTM, XA_NANG_CAO, XA_KIEU_MAU, HUYEN_NTM)
COMMUNE_LEVELS = (XA_NTM, XA_NANG_CAO, XA_KIEU_MAU)


@cache
def criteria_table() -> pd.DataFrame:
    """Return every catalogued criterion: set, period, level, number, names, verified, basis."""
    df = pd.read_csv(CRITERIA_FILE, dtype={"number": "int64"}, keep_default_na=False)
    return df


@cache
def periods_table() -> pd.DataFrame:
    """Return the criteria sets by period and level with their date range and total."""
    df = pd.read_csv(CRITERIA_PERIODS_FILE, parse_dates=["start", "end"], keep_default_na=False)
    counts = criteria_table().groupby(["period", "level"]).size()
    totals = [
        int(row.total) if row.total != "" else int(counts[(row.period, row.level)])
        for row in df.itertuples()
    ]
    return df.assign(total=totals)


@cache
def _period_spans() -> tuple[tuple[pd.Timestamp, pd.Timestamp, str], ...]:
    """(start, end, period) of each period, in the table's order: a few rows that the
    cleaner asks about once per distinct date of a sheet (thousands), so no frame per ask."""
    table = periods_table().drop_duplicates("period")
    return tuple(zip(table.start, table.end, table.period.astype(str), strict=True))


@cache
def _totals() -> dict[tuple[str, str], int]:
    """{(level, period): number of criteria}, first row of each pair as in the table."""
    table = periods_table().drop_duplicates(["level", "period"])
    return {(lv, p): int(t) for lv, p, t in zip(table.level, table.period, table.total,
                                                 strict=True)}


def period_of(day: date | pd.Timestamp) -> str | None:
    """Return the period whose criteria sets were in force on ``day`` (None before 2016)."""
    ts = pd.Timestamp(day)
    return next((period for start, end, period in _period_spans() if start <= ts <= end),
                None)


def period_end(period: str) -> pd.Timestamp:
    """The last day the criteria sets of ``period`` are in force.

    Examples
    --------
    >>> period_end("2026-2030")
    Timestamp('2030-12-31 00:00:00')
    """
    return periods_table().drop_duplicates("period").set_index("period").end[period]


def criteria_total(level: str, period: str) -> int | None:
    """Return the number of criteria of ``level`` in ``period``.

    Returns None where the level has no x/N scale of its own (``xa_ntm_kieu_mau``) or the
    period has no set for that level (no district set in 2026-2030).

    Examples
    --------
    >>> criteria_total("xa_ntm", "2021-2025"), criteria_total("huyen_ntm", "2021-2025")
    (19, 9)
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {LEVELS}")
    return _totals().get((level, period))


def criteria_names(level: str, period: str = "2021-2025", lang: str = "vi") -> pd.DataFrame:
    """Return the criteria of a set: number, name (in ``lang``), verified, legal_basis."""
    table = criteria_table()
    rows = table[(table.level == level) & (table.period == period)]
    name_col = "name_en" if lang == "en" else "name_vi"
    return (rows[["number", name_col, "verified", "legal_basis"]]
            .rename(columns={name_col: "name"}).reset_index(drop=True))


_BASIS_WORDS = {
    "vi": ((re.compile(r"\(in force ([^)]+)\)"), r"(hiệu lực từ \1)"),
           (re.compile(r"(\d+) indicators in (\d+) commune groups"), r"\1 chỉ tiêu, \2 nhóm xã"),
           (re.compile(r"\bAnnex\b"), "Phụ lục")),
    "en": ((re.compile(r"^QĐ (\S+) (\d{2}/\d{2}/\d{4})"), r"Decision \1 of \2"),
           (re.compile(r"^QĐ (\S+)"), r"Decision \1"),
           (re.compile(r"\bPhụ lục\b"), "Annex")),
}


def legal_basis_text(text: str, lang: str = "vi") -> str:
    """A catalogue's legal basis in the page's language: the words around the document's
    number translated, the number kept as the decision writes it.

    Examples
    --------
    >>> basis = ("QĐ 51/2025/QĐ-TTg 29/12/2025 (in force 15/02/2026), Phụ lục I; "
    ...          "47 indicators in 3 commune groups")
    >>> legal_basis_text(basis, "vi")
    'QĐ 51/2025/QĐ-TTg 29/12/2025 (hiệu lực từ 15/02/2026), Phụ lục I; 47 chỉ tiêu, 3 nhóm xã'
    >>> legal_basis_text(basis, "en").split(";")[0]
    'Decision 51/2025/QĐ-TTg of 29/12/2025 (in force 15/02/2026), Annex I'
    """
    for pattern, replacement in _BASIS_WORDS.get(lang, ()):
        text = pattern.sub(replacement, text, count=1)
    return text


def criterion_number(value: str, level: str, period: str = "2021-2025") -> int | None:
    """Resolve a criterion written as ``"2"``, ``"TC2"``, ``"Tiêu chí 2"`` or ``"Giao thông"``.

    Returns None when the text names no criterion of the set.
    """
    folded = fold(str(value))
    names = criteria_names(level, period)
    match = re.fullmatch(r"(?:tieu chi|tc)?\s*(\d{1,2})", folded)
    if match:
        number = int(match.group(1))
        return number if number in set(names.number) else None
    for row in names.itertuples():
        if fold(row.name) == folded:
            return int(row.number)
    return None
