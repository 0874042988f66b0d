"""Criterion sheets: one row per unit, criterion and date, met or not."""

from __future__ import annotations

import pandas as pd

from ..processed import UNIT_COLUMNS
from ..reference.criteria import HUYEN_NTM, XA_KIEU_MAU, criteria_names, criterion_number, period_of
from ..text import is_blank
from .cells import Level, level_for_unit, parse_level, parse_status
from .columnar import apply_unique, column_of
from .ledger import Ledger
from .rows import dates_and_units


def criteria_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate criterion-sheet rows into ``ledger.criteria``."""
    scope, dates, bad_date, units, bad_unit = dates_and_units(ledger, rows)
    status = apply_unique(column_of(rows, "status"), parse_status)
    bad_status = apply_unique(column_of(rows, "status"), lambda v: isinstance(parse_status(v), str))
    ledger.problem(rows, bad_status, "status", "bad_status")
    decided = apply_unique(pd.DataFrame({"lv": column_of(rows, "level"), "d": scope == "district"}),
                           lambda lv, d: _criteria_level(parse_level(lv), d),
                           ("level", "problem"))
    level_code = decided.level
    level_problem = decided.problem
    pre = bad_date | bad_unit
    for reason in level_problem[~pre].dropna().unique():
        ledger.problem(rows, ~pre & (level_problem == reason), "level", reason)
    period = apply_unique(dates.as_of, lambda d: period_of(d) if pd.notna(d) else None)
    number = apply_unique(pd.DataFrame({"c": column_of(rows, "criterion"), "l": level_code,
                                        "p": period}), _criterion)
    bad_criterion = ~pre & level_problem.isna() & number.isna()
    ledger.problem(rows, bad_criterion, "criterion", "unknown_criterion")
    ok = ~(pre | bad_status | level_problem.notna() | bad_criterion)
    good = rows[ok]
    if good.empty:
        return
    names = apply_unique(pd.DataFrame({"n": number[ok], "l": level_code[ok], "p": period[ok]}),
                         lambda n, lv, p: criteria_names(lv, p).set_index("number").name[n])
    ledger.criteria.append(pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "period": period[ok], "level": level_code[ok],
        **{c: units.loc[good.index, c] for c in UNIT_COLUMNS},
        "criterion_number": number[ok].astype("int64"),
        "criterion_name": names,
        "met": status[ok].astype(bool),
        "note": column_of(good, "note").replace("", None),
        "source": column_of(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index))


def _criteria_level(level: Level, is_district: bool) -> tuple[str | None, str | None]:
    if level.error == "missing_level":
        return (HUYEN_NTM, None) if is_district else (None, "missing_level")
    if level.error:
        return None, level.error
    code = level_for_unit(level, is_district)
    if code is None:
        return None, "level_unit_mismatch"
    if code == XA_KIEU_MAU:
        return None, "no_scale_for_level"
    return code, None


def _criterion(text: object, level: str | None, period: str | None) -> int | None:
    if level is None or period is None or is_blank(text):
        return None
    if criteria_names(level, period).empty:
        return None
    return criterion_number(str(text), level, period)


