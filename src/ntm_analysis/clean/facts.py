"""Fact sheets: area counts, recognitions, plans and statements, one per row.

Each row's ``metric`` (see :mod:`reference.metrics`) decides how its value is typed; tallies
written as facts go through the tally rules; recognitions imply a total/total tally
(:func:`implied_tallies`) on their date, or at the end of the year they are for.

A recognition is often decided months after the year it is "for" (QĐ of 03/2025 recognising
a district "đạt chuẩn năm 2024"): the row's date is the decision's, and the year it is for
comes from a ``Năm đạt chuẩn`` column or the metric's note ("năm đạt chuẩn 2024", "đạt
chuẩn năm 2024"). A year after the decision is rejected.

A district's standing says something of its xã, and only this (district criterion 1 of QĐ
320/QĐ-TTg: 100% of its xã at NTM): a district recognised as NTM, or a district count of
"N/N" xã at NTM (or "100%"), means that every xã of that district was at xã NTM on that
date (:func:`implied_by_district`). Each such row says where it comes from (origin
``implied-by-district``, the district's decision, source and raw row); a thị trấn or phường
is not a xã and gets none; a count whose N is not the district's number of xã implies
nothing; and a commune's own figure on the same date wins.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..processed import UNIT_COLUMNS
from ..reference.criteria import HUYEN_NTM, XA_NTM, criteria_total, period_of
from ..reference.metrics import RECOGNITION_LEVEL, is_tally, tally_level
from ..reference.units import LEGACY, registry
from ..text import fold, is_blank
from .cells import DECISION, parse_fact_value, parse_tally
from .columnar import apply_unique, blank_cells, column_of
from .ledger import Ledger, cell_text
from .rows import parse_dates, resolve_units, unit_problems
from .schemas import IMPLIED, IMPLIED_BY_DISTRICT
from .tallies import TALLY_FIELDS, tally_candidates

FACT_FIELDS = ("kind", "value", "denominator", "lower", "upper", "deadline", "decision",
               "error")
_SCOPES = {"national": "national", "quoc gia": "national", "province": "province",
           "tinh": "province", "district": "district", "huyen": "district",
           "commune": "commune", "xa": "commune"}


def _decision_in(text: object) -> str | None:
    match = DECISION.search(text) if isinstance(text, str) else None
    return match[0] if match else None


def _split_metric(text: object) -> tuple[str | None, str | None]:
    if is_blank(text):
        return None, None
    m = re.fullmatch(r"\s*([^()]+?)\s*(?:\((.*)\))?\s*", str(text))
    if not m:
        return str(text).strip(), None
    return m[1], m[2]



_STANDARD_YEAR = re.compile(r"(?:nam dat chuan|dat chuan(?: ntm| nong thon moi)? nam|"
                            r"standard year|for(?: the)? year)\s*:?\s*(\d{4})\b")


def standard_year(column: object, note: object) -> int | str | None:
    """The year a recognition is for: the column's year, else one the note states; None
    when neither says; ``"bad_standard_year"`` for a column that holds no year."""
    if not is_blank(column):
        text = str(column).strip()
        text = text[:-2] if text.endswith(".0") else text  # a number cell of a workbook
        return int(text) if re.fullmatch(r"(19|20)\d\d", text) else "bad_standard_year"
    match = _STANDARD_YEAR.search(fold(note)) if isinstance(note, str) else None
    return int(match[1]) if match else None


def fact_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate fact rows; tally-like facts (``*_criteria_met``) go to the tally rules."""
    metric = apply_unique(column_of(rows, "metric"), _split_metric, ("name", "note"))
    name = metric.name
    tally_like = (name.fillna("").map(is_tally).astype(bool)
                  & ~blank_cells(column_of(rows, "tally")))
    if tally_like.any():
        as_tally = rows[tally_like].copy()
        as_tally["level"] = name[tally_like].map(tally_level)
        tally_candidates(ledger, as_tally)
    rows, metric, name = rows[~tally_like], metric[~tally_like], name[~tally_like]
    if rows.empty:
        return
    note = metric.note
    ledger.problem(rows, name.isna(), "metric", "missing_metric")

    scope_text = apply_unique(column_of(rows, "scope"),
                              lambda s: "" if is_blank(s) else _SCOPES.get(fold(s)))
    inferred = np.where(~blank_cells(column_of(rows, "commune")), "commune",
                        np.where(~blank_cells(column_of(rows, "district")), "district", "province"))
    scope = scope_text.where(scope_text != "", pd.Series(inferred, index=rows.index))
    bad_scope = scope.isna()
    ledger.problem(rows, bad_scope, "scope", "bad_scope")
    dates, bad_date = parse_dates(ledger, rows)
    units = resolve_units(ledger, rows, scope.fillna("national"), dates.as_of)
    bad_unit = unit_problems(ledger, rows, units)

    typed = apply_unique(pd.DataFrame({"v": column_of(rows, "value"), "m": name.fillna("")}),
                         parse_fact_value, FACT_FIELDS)
    value_error = typed.error
    for reason in value_error.dropna().unique():
        ledger.problem(rows, value_error == reason, "value", reason)
    met = apply_unique(column_of(rows, "tally"), parse_tally, TALLY_FIELDS)
    tot = apply_unique(column_of(rows, "total"), parse_tally, TALLY_FIELDS)
    bad_counts = ((~blank_cells(column_of(rows, "tally")) & met.met.isna())
                  | (~blank_cells(column_of(rows, "total")) & tot.met.isna()))
    ledger.problem(rows, bad_counts, "tally", "not_a_tally")

    # only a recognition is "for" a year: a plan's note ("đạt chuẩn năm 2025") is its target
    recognition = name.isin(list(RECOGNITION_LEVEL))
    year = apply_unique(pd.DataFrame({"c": column_of(rows, "standard_year"), "n": note}),
                        standard_year).where(recognition)
    bad_year = year == "bad_standard_year"
    ledger.problem(rows, bad_year, "standard_year", "bad_standard_year")
    numeric_year = pd.to_numeric(year.where(~bad_year), errors="coerce")
    late_year = ~bad_date & (numeric_year > dates.as_of.dt.year)
    ledger.problem(rows, late_year, "standard_year", "standard_year_after_decision",
                   value=numeric_year.astype("Int64").astype(str))
    ok = ~(name.isna() | bad_scope | bad_date | bad_unit | value_error.notna() | bad_counts
           | bad_year | late_year)
    good = rows[ok]
    t = typed[ok]
    decision = t.decision.where(t.decision.notna(), note[ok].map(_decision_in))
    cand = pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "scope": scope[ok],
        **{c: units.loc[good.index, c] for c in UNIT_COLUMNS},
        "metric": name[ok], "metric_note": note[ok],
        "value_text": column_of(good, "value").map(cell_text),
        "value_kind": t.kind,
        "value": t.value.astype(float),
        "denominator": t.denominator.astype(float),
        "lower": t.lower.astype(float),
        "upper": t.upper.astype(float),
        "deadline": pd.to_datetime(t.deadline).astype("datetime64[ns]"),
        "decision": decision,
        "standard_year": pd.array(numeric_year[ok], dtype="Int64"),
        "criteria_met": pd.array(met.met[ok], dtype="Int64"),
        "criteria_total": pd.array(tot.met[ok], dtype="Int64"),
        "source_url": column_of(good, "source_url").replace("", None),
        "source": column_of(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index)
    ledger.facts.append(cand)


def implied_tallies(facts: pd.DataFrame) -> pd.DataFrame:
    """Return the total/total tallies implied by recognition facts (origin implied)."""
    facts = facts.reset_index(names="raw_row") if "raw_row" not in facts else facts
    level = facts.metric.map(RECOGNITION_LEVEL)
    hit = facts[level.notna() & (facts.value.fillna(0) >= 1)
                & facts.scope.isin(["district", "commune"])].copy()
    if hit.empty:
        return hit.iloc[:0]
    hit["level"] = level[hit.index]
    hit = hit[(hit.level == HUYEN_NTM) == (hit.scope == "district")]
    # the tally holds at the end of the year the recognition is for, when it says one;
    # the decision and its date stay with it, for the page to show both
    hit["decided_on"] = hit.as_of
    for_year = hit.standard_year.notna()
    hit.loc[for_year, "as_of"] = pd.to_datetime(
        hit.standard_year[for_year].astype(int).astype(str) + "-12-31")
    hit.loc[for_year, "as_of_precision"] = "year"
    hit["period"] = hit.as_of.map(period_of)
    totals = [criteria_total(lv, p) if p else None for lv, p in zip(hit.level, hit.period,
                                                                    strict=True)]
    hit["criteria_total"] = pd.array(totals, dtype="Int64")
    hit = hit[hit.criteria_total.notna()]
    hit["criteria_met"] = hit.criteria_total
    hit["origin"] = IMPLIED
    return hit.set_index("raw_row")




def implied_by_district(implied: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The xã NTM tallies (total/total) that a district's standing implies for each of its
    xã (see the module): from the district recognitions among ``implied`` (the output of
    :func:`implied_tallies`) and from district counts of xã at NTM that are complete
    ("8/8" where the district has 8 xã, or "100%") among ``facts``. Legacy units only
    (districts were abolished on 01/07/2025); indexed by the district row's raw row."""
    facts = facts.reset_index(names="raw_row") if "raw_row" not in facts else facts
    implied = implied.reset_index(names="raw_row") if "raw_row" not in implied else implied
    districts = (implied[(implied.level == HUYEN_NTM) & (implied.admin_era == LEGACY)]
                 if "level" in implied else implied.iloc[:0])
    counts = facts[(facts.metric == "ntm_communes") & (facts.scope == "district")
                   & (facts.admin_era == LEGACY)
                   & (((facts.value_kind == "ratio") & (facts.value == facts.denominator))
                      | ((facts.value_kind == "percent") & (facts.value == 100)))]
    sources = pd.concat([
        districts.assign(count=pd.NA),
        counts.assign(count=counts.denominator.where(counts.value_kind == "ratio"),
                      decided_on=pd.NaT),
    ], ignore_index=True)
    rows = []
    for src in sources.itertuples():
        xa = registry(src.province_code).communes(src.district_code,
                                                  province_code=src.province_code)
        xa = xa[xa.unit_type == "Xã"] if len(xa) else xa
        if not len(xa) or (not pd.isna(src.count) and int(src.count) != len(xa)):
            continue  # the count is of other units than today's list: nothing is implied
        period = period_of(src.as_of)
        total = criteria_total(XA_NTM, period) if period else None
        if total is None:
            continue
        decision = src.decision if isinstance(src.decision, str) else None
        for unit in xa.itertuples():
            rows.append({
                "raw_row": src.raw_row, "as_of": src.as_of,
                "as_of_precision": src.as_of_precision, "period": period, "level": XA_NTM,
                "admin_era": LEGACY, "province_code": src.province_code,
                "province": src.province, "district_code": src.district_code,
                "district": src.district, "commune_code": unit.code, "commune": unit.name,
                "criteria_met": total, "criteria_total": total, "origin": IMPLIED_BY_DISTRICT,
                "decision": decision, "decided_on": src.decided_on, "source": src.source,
                "raw_file": src.raw_file, "raw_sheet": src.raw_sheet,
            })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    # the earliest source that implies it, for each xã and date: one row, one citation
    out = out.sort_values(["commune_code", "as_of", "decided_on"], na_position="last")
    return out.drop_duplicates(["commune_code", "as_of"]).set_index("raw_row")
