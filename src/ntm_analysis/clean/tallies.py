"""Tally sheets: one row per unit, level and date with ``met`` of ``total`` criteria.

Rows are parsed (date, units, level, tally and total column), checked against the criteria
set in force on the row's date with the pandera rules of :data:`schemas.TALLY_RULES`, and
added to the ledger as candidates; every failure is a rejected row with its reason.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..messages import msg
from ..processed import UNIT_COLUMNS
from ..reference.criteria import (
    HUYEN_NTM,
    XA_KIEU_MAU,
    XA_NANG_CAO,
    XA_NTM,
    criteria_total,
    period_of,
)
from .cells import (
    Level,
    date_pair,
    date_readings,
    level_for_unit,
    parse_commune_group,
    parse_level,
    parse_tally,
)
from .columnar import apply_unique, as_category, blank_cells, column_of
from .ledger import Ledger
from .rows import dates_and_units
from .schemas import REPORTED, TALLY_RULES

TALLY_FIELDS = ("met", "total", "error")


def tally_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate tally rows: accepted candidates to ``ledger.tallies``, problems to the ledger."""
    scope, dates, bad_date, units, bad_unit = dates_and_units(ledger, rows)

    tally = apply_unique(column_of(rows, "tally"), parse_tally, TALLY_FIELDS)
    total_blank = blank_cells(column_of(rows, "total"))
    total_col = apply_unique(column_of(rows, "total"), parse_tally, TALLY_FIELDS)
    tally, repair, readings = _recover_dates(rows, tally, scope, dates, bad_date,
                                             total_col.met.where(~total_blank))
    tally_error = tally.error
    for reason in tally_error.dropna().unique():
        fields = ({"shown": column_of(rows, "tally").map(_shown), "readings": readings}
                  if reason == "date_in_tally" else {})
        ledger.problem(rows, tally_error == reason, "tally", reason, **fields)
    bad_total_col = ~total_blank & (total_col.error.notna() | total_col.total.notna())
    fractional_total = bad_total_col & (total_col.error == "fractional")
    ledger.problem(rows, fractional_total, "total", "fractional")  # 19.5 is not truncated
    ledger.problem(rows, bad_total_col & ~fractional_total, "total", "not_a_tally")
    met = tally.met
    from_tally = tally.total
    from_column = total_col.met.where(~total_blank)
    conflict = from_tally.notna() & from_column.notna() & (from_tally != from_column)
    ledger.problem(rows, conflict & tally_error.isna(), "total", "total_conflict")
    total = from_tally.where(from_tally.notna(), from_column)
    missing_total = tally_error.isna() & total.isna() & ~bad_total_col
    ledger.problem(rows, missing_total, "total", "missing_total")
    bad_tally = tally_error.notna() | bad_total_col | conflict | missing_total

    level_error = apply_unique(column_of(rows, "level"), lambda v: parse_level(v).error)
    ledger.problem(rows, level_error == "unknown_level", "level", "unknown_level")
    group = apply_unique(column_of(rows, "commune_group"), parse_commune_group)
    bad_group = group == "bad_commune_group"
    ledger.problem(rows, bad_group, "commune_group", "bad_commune_group")

    ok = ~(bad_date | bad_unit | bad_tally | (level_error == "unknown_level") | bad_group)
    # the columns read below, not the whole sheet: each column taken is a copy of its text
    good = rows.loc[ok, [c for c in _GOOD_COLUMNS if c in rows]]
    if good.empty:
        return
    decided = apply_unique(
        pd.DataFrame({"lv": column_of(good, "level"), "d": scope[ok] == "district",
                      "day": dates.as_of[ok], "total": total[ok].astype(object)}),
        lambda lv, d, day, tot: _decide_level(parse_level(lv), d, day, tot),
        ("level", "problem", "period", "expected"),
    )
    level_code = decided.level
    level_problem = decided.problem
    for reason in level_problem.dropna().unique():
        ledger.problem(good, level_problem == reason, "level", reason,
                       value=column_of(good, "level"))
    period = decided.period
    expected = decided.expected

    keep = level_problem.isna()
    cand = pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "period": period, "level": level_code, **{c: units.loc[good.index, c]
                                                 for c in UNIT_COLUMNS},
        "criteria_met": pd.array(met[ok], dtype="Int64"),
        "criteria_total": pd.array(total[ok], dtype="Int64"),
        "commune_group": pd.array(group[ok].astype(object), dtype="Int64"),
        "expected_total": pd.array(expected, dtype="Int64"),
        "origin": column_of(good, "origin").where(column_of(good, "origin") != "", REPORTED),
        "repair": _joined(column_of(good, "sheet_repair"), repair[ok]),
        "source": column_of(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index)[keep]
    cand = _compact(cand)
    del tally, total_col, units, dates, decided, met, total, level_code, period, expected
    failures = _lazy_failures(cand)
    for reason, index in failures.items():
        mask = pd.Series(cand.index.isin(index), index=cand.index)
        fields = {"expected": "/".join(sorted(set(cand.loc[mask, "expected_total"].astype(str))))}
        ledger.problem(cand.assign(tally=column_of(good, "tally")), mask, "tally", reason, **fields)
    rejected = set().union(*failures.values()) if failures else set()
    ledger.tallies.append(cand[~cand.index.isin(rejected)].drop(columns="expected_total"))


#: the columns of a sheet that an accepted row still needs (``problem`` reads ``district``)
_GOOD_COLUMNS = ("level", "origin", "sheet_repair", "source", "tally", "district", "raw_file",
                 "raw_sheet")
_LABEL_COLUMNS = ("as_of_precision", "period", "level", *UNIT_COLUMNS, "origin", "repair",
                  "source", "raw_file", "raw_sheet")


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Store the label columns as categories: a million rows hold a few thousand labels."""
    for column in _LABEL_COLUMNS:
        if column in frame:
            frame[column] = as_category(frame[column])
    return frame


def _recover_dates(rows: pd.DataFrame, tally: pd.DataFrame, scope: pd.Series,
                   dates: pd.DataFrame, bad_date: pd.Series,
                   total_column: pd.Series) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Read back the tallies a spreadsheet program stored as dates.

    Only cells of the tally column that are not a tally but a date, on rows whose own date
    is good: the criteria total of the row's level and date decides which of the two
    readings ("12/19" or "19/12") is a tally. Exactly one → accepted, with the repair
    stated; none or both → ``date_in_tally``, naming both. Returns the tally fields, the
    repair text per row (None elsewhere) and the readings named for rejected cells.
    """
    repair = pd.Series(None, index=rows.index, dtype=object)
    readings = pd.Series("", index=rows.index, dtype=object)
    maybe = (tally.error == "not_a_tally") & ~bad_date
    if not maybe.any():
        return tally, repair, readings
    cells = pd.DataFrame({"v": column_of(rows, "tally")[maybe],
                          "lv": column_of(rows, "level")[maybe],
                          "d": scope[maybe] == "district", "day": dates.as_of[maybe],
                          "tot": total_column[maybe].astype(object)})
    read = apply_unique(cells, _read_date_cell, ("met", "total", "error", "repair", "readings"))
    date_cells = read.error != "not_a_tally"
    index = read.index[date_cells]
    tally = tally.astype(object)
    tally.loc[index, ["met", "total", "error"]] = read.loc[index, ["met", "total", "error"]]
    repair.loc[index] = read.repair[date_cells]
    readings.loc[index] = read.readings[date_cells]
    return tally, repair, readings


def _read_date_cell(value: object, level_text: object, is_district: bool, day: pd.Timestamp,
                    total: object) -> tuple[int | None, int | None, str | None, str | None,
                                            str]:
    pair = date_pair(value)
    if pair is None:
        return None, None, "not_a_tally", None, ""
    first, second, shown = pair
    level, valid, known = parse_level(level_text), [], False
    for candidate_total in dict.fromkeys((second, first)):
        if not pd.isna(total) and total != candidate_total:
            continue  # the total column says which number is the total
        expected = _decide_level(level, is_district, day, candidate_total)[3]
        known |= expected is not None
        valid += [r for r in date_readings(first, second, expected)
                  if r.total == candidate_total and r not in valid]
    if not known and not valid:  # no criteria total for this row: nothing to read it by
        return None, None, "not_a_tally", None, ""
    if len(valid) == 1:
        met, total_ = valid[0].met, valid[0].total
        return met, total_, None, msg("repair_date_tally", lang="vi", shown=shown,
                                            tally=f"{met}/{total_}"), ""
    return None, None, "date_in_tally", None, ", ".join(
        dict.fromkeys((f"{first}/{second}", f"{second}/{first}")))


def _joined(*repairs: pd.Series) -> pd.Series:
    """Every repair of a row (the sheet's, the cell's) in one text; None when there is none.

    Joined only on the rows that have a second repair: a million rows hold a few.
    """
    parts = [r.astype(object).where(r.notna() & (r != ""), None) for r in repairs]
    out = parts[0]
    for part in parts[1:]:
        more = part.notna()
        if more.any():
            out = out.copy()
            out[more] = (out[more].fillna("") + "; " + part[more]).str.strip("; ")
    return out.where(out.notna(), None)


def _shown(value: object) -> str:
    pair = date_pair(value)
    return pair[2] if pair else ""


def _decide_level(level: Level, is_district: bool, day: pd.Timestamp,
                  total: object) -> tuple[str | None, str | None, str | None, int | None]:
    """Return (level code, problem reason, period, expected total) for one distinct row."""
    period = period_of(day)
    if level.error == "missing_level":
        options = (HUYEN_NTM,) if is_district else (XA_NTM, XA_NANG_CAO)
        fits = [lv for lv in options if period and criteria_total(lv, period) == total]
        if len(fits) != 1:
            reason = "ambiguous_level" if len(fits) > 1 else "missing_level"
            return None, reason, period, None
        code = fits[0]
    else:
        code = level_for_unit(level, is_district)
        if code is None:
            return None, "level_unit_mismatch", period, None
    if code == XA_KIEU_MAU:
        return None, "no_scale_for_level", period, None
    expected = criteria_total(code, period) if period else None
    if expected is None:
        return None, "no_set_for_date", period, None
    return code, None, period, expected


def _lazy_failures(cand: pd.DataFrame) -> dict[str, set]:
    """Run :data:`TALLY_RULES` lazily; return {reason code: row labels that fail it}."""
    try:
        TALLY_RULES.validate(cand, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        whole = cases[cases["index"].isna()]
        if len(whole):  # a column of the wrong type is the cleaner's bug, never a row's fault
            raise TypeError(f"tally candidates do not fit TALLY_RULES: "
                            f"{whole[['column', 'check']].to_dict('records')}") from exc
        return {reason: set(group["index"]) for reason, group in cases.groupby("check")}
    return {}


