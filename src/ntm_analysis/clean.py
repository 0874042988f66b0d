"""Load raw → validate → processed tables + rejected rows, with every row accounted for.

Each raw data row ends up in exactly one place: accepted (``tallies``, ``facts`` or
``criteria_status``), merged into an identical row from another place (both sources kept in
``merged_from``), or rejected with a reason (``rejected``). :func:`clean` returns the tables
and a per-file summary whose counts always add up; :func:`write_outputs` writes them
atomically.

Parsing is done once per distinct value (and unit names once per distinct spelling), so the
cost grows with the number of distinct values, not rows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import config
from .criteria import (
    HUYEN_NTM,
    XA_KIEU_MAU,
    XA_NANG_CAO,
    XA_NTM,
    criteria_names,
    criteria_total,
    criterion_number,
    period_of,
)
from .errors import AmbiguousUnitError, RawDataError, UnitNotFoundError
from .inventory import raw_files
from .messages import msg
from .readers import Sheet, SheetProblem, read_raw_file
from .schemas import (
    CRITERIA_STATUS_TABLE,
    FACTS_TABLE,
    REJECTED_TABLE,
    TALLIES_TABLE,
    TALLY_RULES,
    empty_frame,
)
from .storage import write_csv_for_excel, write_parquet, write_text
from .tallies import (
    DAY,
    MONTH,
    QUARTER,
    Level,
    fold,
    is_blank,
    level_for_unit,
    parse_as_of,
    parse_level,
    parse_status,
    parse_tally,
)
from .units import Unit, UnitRegistry, registry

REPORTED, IMPLIED = "reported", "implied-by-recognition"
TALLY_FIELDS = ("met", "total", "error")
FACT_FIELDS = ("kind", "value", "denominator", "lower", "upper", "deadline", "decision",
               "error")
UNIT_COLUMNS = ["province_code", "province", "district_code", "district", "commune_code",
                "commune"]
PROVENANCE = ["source", "raw_file", "raw_sheet", "raw_row", "merged_from"]

#: Fact metrics that say a unit reached a level on a date; each implies a total/total tally.
IMPLIED_BY_METRIC = {
    "recognized_ntm": XA_NTM,
    "recognized_nang_cao": XA_NANG_CAO,
    "status_nang_cao": XA_NANG_CAO,
    "district_recognized_ntm": HUYEN_NTM,
    "city_completed_ntm_task": HUYEN_NTM,
}
_SCOPES = {"national": "national", "quoc gia": "national", "province": "province",
           "tinh": "province", "district": "district", "huyen": "district",
           "commune": "commune", "xa": "commune"}


# ---- results ------------------------------------------------------------------------------
@dataclass
class CleanResult:
    """The processed tables and the per-file accounting of one cleaning run."""

    tallies: pd.DataFrame
    facts: pd.DataFrame
    criteria_status: pd.DataFrame
    rejected: pd.DataFrame
    summary: pd.DataFrame  # file, read, accepted, merged, rejected, unreadable

    @property
    def totals(self) -> dict[str, int]:
        """Total rows read, accepted, merged and rejected over every file."""
        return {k: int(self.summary[k].sum()) for k in ("read", "accepted", "merged", "rejected")}


@dataclass
class _Run:
    """Accumulates candidates and problems while the sheets are processed."""

    registry: UnitRegistry
    province_code: str
    today: pd.Timestamp
    tallies: list[pd.DataFrame] = field(default_factory=list)
    facts: list[pd.DataFrame] = field(default_factory=list)
    criteria: list[pd.DataFrame] = field(default_factory=list)
    problems: list[pd.DataFrame] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)

    def problem(self, rows: pd.DataFrame, mask: pd.Series, column: str | None,
                reason: str, value: pd.Series | None = None,
                suggestion: pd.Series | None = None, **fields: object) -> None:
        """Record ``reason`` for the rows of ``rows`` selected by ``mask``."""
        if not mask.any():
            return
        sel = rows[mask]
        values = (value[mask] if value is not None
                  else sel[column] if column in sel else pd.Series("", index=sel.index))
        self.problems.append(pd.DataFrame({
            "raw_file": sel["raw_file"].to_numpy(),
            "raw_sheet": sel["raw_sheet"].to_numpy(),
            "raw_row": sel.index.to_numpy(dtype="int64"),
            "column": column,
            "value": values.map(_text).to_numpy(),
            "reason_code": reason,
            "reason": msg(f"reason_{reason}", lang="vi", **fields) if fields else
            msg(f"reason_{reason}", lang="vi"),
            "reason_en": msg(f"reason_{reason}", lang="en", **fields) if fields else
            msg(f"reason_{reason}", lang="en"),
            "suggestion": (suggestion[mask].to_numpy() if suggestion is not None else None),
            "district_text": (sel["district"].map(_text).to_numpy() if "district" in sel
                              else None),
        }))


def _text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return "" if value is None or value != value else str(value)


# ---- helpers: compute once per distinct value ---------------------------------------------
def group_codes(frame: pd.DataFrame | pd.Series) -> np.ndarray:
    """Return one integer per row, equal for equal rows (0, 1, 2... in order of appearance)."""
    columns = [frame] if isinstance(frame, pd.Series) else [frame[c] for c in frame.columns]
    combined: np.ndarray | None = None
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        combined = codes if combined is None else pd.factorize(
            combined.astype("int64") * len(uniques) + codes)[0]
    return combined if combined is not None else np.zeros(len(frame), dtype="int64")


def apply_unique(frame: pd.DataFrame | pd.Series, func: Callable[..., object],
                 fields: tuple[str, ...] | None = None) -> pd.Series | pd.DataFrame:
    """Return ``func(*row)`` for every row, calling ``func`` once per distinct row.

    With ``fields``, the results (dataclasses or tuples) are spread into columns of those
    names, so that callers pick a column instead of mapping over a million objects.
    """
    codes = group_codes(frame)
    _, first = np.unique(codes, return_index=True)
    firsts = frame.iloc[first]
    if isinstance(frame, pd.Series):
        results = [func(v) for v in firsts]
    else:
        results = [func(*row) for row in firsts.itertuples(index=False, name=None)]
    if fields is None:
        out = np.empty(len(results), dtype=object)
        out[:] = results
        return pd.Series(out[codes], index=frame.index)
    table = pd.DataFrame(
        [r if isinstance(r, tuple) else tuple(getattr(r, f) for f in fields) for r in results],
        columns=list(fields), dtype=object)
    return table.iloc[codes].set_index(frame.index)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series("", index=frame.index, dtype=object)


def _blank(series: pd.Series) -> pd.Series:
    return apply_unique(series, is_blank).astype(bool)


# ---- units --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _UnitHit:
    codes: tuple[str | None, ...] = (None,) * 6
    column: str | None = None
    reason: str | None = None
    value: str | None = None
    suggestion: str | None = None


def _resolve_units(run: _Run, frame: pd.DataFrame, scope: pd.Series) -> pd.DataFrame:
    """Resolve province/district/commune names of every row (once per distinct triple)."""
    reg = run.registry

    def resolve(province: object, district: object, commune: object, scope: str) -> _UnitHit:
        if scope == "national":
            return _UnitHit()
        try:
            prov = (reg.get("province", run.province_code) if is_blank(province)
                    else reg.resolve_province(str(province)))
        except (UnitNotFoundError, AmbiguousUnitError, KeyError) as exc:
            return _UnitHit(column="province", reason="unknown_province", value=str(province),
                            suggestion=", ".join(getattr(exc, "suggestions", ())) or None)
        if scope == "province":
            return _UnitHit((prov.code, prov.name, None, None, None, None))
        if is_blank(district):
            return _UnitHit(column="district", reason="blank_district", value="")
        dist = _lookup("district", district,
                       lambda: reg.resolve_district(str(district), prov.code))
        if isinstance(dist, _UnitHit):
            return dist
        if scope == "district":
            return _UnitHit((prov.code, prov.name, dist.code, dist.name, None, None))
        if is_blank(commune):
            return _UnitHit(column="commune", reason="blank_commune", value="")
        comm = _lookup("commune", commune,
                       lambda: reg.resolve_commune(str(commune), dist.code, prefer_type="Xã"))
        if isinstance(comm, _UnitHit):
            return comm
        return _UnitHit((prov.code, prov.name, dist.code, dist.name, comm.code, comm.name))

    keys = pd.DataFrame({"p": _col(frame, "province"), "d": _col(frame, "district"),
                         "c": _col(frame, "commune"), "s": scope})
    fields = (*UNIT_COLUMNS, "unit_column", "unit_reason", "unit_value", "unit_suggestion")
    return apply_unique(keys, lambda *k: _flatten(resolve(*k)), fields)


def _lookup(column: str, value: object, resolver: Callable[[], Unit]) -> Unit | _UnitHit:
    """Resolve a name, or describe why it does not resolve (with suggestions)."""
    try:
        return resolver()
    except UnitNotFoundError as exc:
        return _UnitHit(column=column, reason=f"unknown_{column}", value=str(value),
                        suggestion=", ".join(exc.suggestions) or None)
    except AmbiguousUnitError as exc:
        return _UnitHit(column=column, reason="ambiguous_unit", value=str(value),
                        suggestion="; ".join(exc.candidates))


def _flatten(hit: _UnitHit) -> tuple[str | None, ...]:
    return (*hit.codes, hit.column, hit.reason, hit.value, hit.suggestion)


def _unit_problems(run: _Run, rows: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    bad = units.unit_reason.notna()
    for (column, reason), group in units[bad].groupby(["unit_column", "unit_reason"]):
        mask = pd.Series(False, index=rows.index)
        mask[group.index] = True
        run.problem(rows, mask, column, reason, value=units.unit_value,
                    suggestion=units.unit_suggestion)
    return bad


# ---- dates --------------------------------------------------------------------------------
def _parse_dates(run: _Run, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    parsed = apply_unique(_col(rows, "as_of"), parse_as_of, ("day", "precision", "error"))
    dates = pd.DataFrame({
        "as_of": pd.to_datetime(parsed.day).astype("datetime64[ns]"),
        "as_of_precision": parsed.precision,
    }, index=rows.index)
    errors = parsed.error
    for reason in errors.dropna().unique():
        run.problem(rows, errors == reason, "as_of", reason)
    starts = apply_unique(dates[["as_of", "as_of_precision"]], _period_start)
    future = errors.isna() & (pd.to_datetime(starts) > run.today)
    run.problem(rows, future, "as_of", "future_date")
    return dates, errors.notna() | future


def _period_start(day: pd.Timestamp, precision: str | None) -> pd.Timestamp | None:
    if day is None or day is pd.NaT or precision is None:
        return None
    if precision == DAY:
        return day
    if precision == MONTH:
        return day.replace(day=1)
    if precision == QUARTER:
        return (day - pd.offsets.QuarterBegin(1, startingMonth=1)).normalize()
    return day.replace(month=1, day=1)


def _dates_and_units(run: _Run, rows: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame,
                                                              pd.Series, pd.DataFrame,
                                                              pd.Series]:
    """Parse the dates and resolve the units of rows about a district or, when the commune
    cell is filled, a commune; record their problems. Returns (scope, dates, bad date mask,
    units, bad unit mask)."""
    commune_blank = _blank(_col(rows, "commune"))
    scope = pd.Series(np.where(commune_blank, "district", "commune"), index=rows.index)
    dates, bad_date = _parse_dates(run, rows)
    units = _resolve_units(run, rows, scope)
    return scope, dates, bad_date, units, _unit_problems(run, rows, units)


# ---- tallies ------------------------------------------------------------------------------
def _tally_candidates(run: _Run, rows: pd.DataFrame) -> None:
    """Validate tally rows; add accepted candidates to ``run.tallies``, problems to the run."""
    scope, dates, bad_date, units, bad_unit = _dates_and_units(run, rows)

    tally = apply_unique(_col(rows, "tally"), parse_tally, TALLY_FIELDS)
    tally_error = tally.error
    for reason in tally_error.dropna().unique():
        run.problem(rows, tally_error == reason, "tally", reason)
    total_blank = _blank(_col(rows, "total"))
    total_col = apply_unique(_col(rows, "total"), parse_tally, TALLY_FIELDS)
    bad_total_col = ~total_blank & (total_col.error.notna() | total_col.total.notna())
    run.problem(rows, bad_total_col, "total", "not_a_tally")
    met = tally.met
    from_tally = tally.total
    from_column = total_col.met.where(~total_blank)
    conflict = from_tally.notna() & from_column.notna() & (from_tally != from_column)
    run.problem(rows, conflict & tally_error.isna(), "total", "total_conflict")
    total = from_tally.where(from_tally.notna(), from_column)
    missing_total = tally_error.isna() & total.isna() & ~bad_total_col
    run.problem(rows, missing_total, "total", "missing_total")
    bad_tally = tally_error.notna() | bad_total_col | conflict | missing_total

    level_error = apply_unique(_col(rows, "level"), lambda v: parse_level(v).error)
    run.problem(rows, level_error == "unknown_level", "level", "unknown_level")

    ok = ~(bad_date | bad_unit | bad_tally | (level_error == "unknown_level"))
    good = rows[ok]
    if good.empty:
        return
    decided = apply_unique(
        pd.DataFrame({"lv": _col(good, "level"), "d": scope[ok] == "district",
                      "day": dates.as_of[ok], "total": total[ok].astype(object)}),
        lambda lv, d, day, tot: _decide_level(parse_level(lv), d, day, tot),
        ("level", "problem", "period", "expected"),
    )
    level_code = decided.level
    level_problem = decided.problem
    for reason in level_problem.dropna().unique():
        run.problem(good, level_problem == reason, "level", reason, value=_col(good, "level"))
    period = decided.period
    expected = decided.expected

    keep = level_problem.isna()
    cand = pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "period": period, "level": level_code, **{c: units.loc[good.index, c]
                                                 for c in UNIT_COLUMNS},
        "criteria_met": pd.array(met[ok], dtype="Int64"),
        "criteria_total": pd.array(total[ok], dtype="Int64"),
        "expected_total": pd.array(expected, dtype="Int64"),
        "origin": _col(good, "origin").where(_col(good, "origin") != "", REPORTED),
        "source": _col(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index)[keep]
    cand = _compact(cand)
    del tally, total_col, units, dates, decided, met, total, level_code, period, expected
    failures = _lazy_failures(cand)
    for reason, index in failures.items():
        mask = pd.Series(cand.index.isin(index), index=cand.index)
        fields = {"expected": "/".join(sorted(set(cand.loc[mask, "expected_total"].astype(str))))}
        run.problem(cand.assign(tally=_col(good, "tally")), mask, "tally", reason, **fields)
    rejected = set().union(*failures.values()) if failures else set()
    run.tallies.append(cand[~cand.index.isin(rejected)].drop(columns="expected_total"))


_LABEL_COLUMNS = ("as_of_precision", "period", "level", *UNIT_COLUMNS, "origin", "source",
                  "raw_file", "raw_sheet")


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Store the label columns as categories: a million rows hold a few thousand labels."""
    for column in _LABEL_COLUMNS:
        if column in frame:
            frame[column] = frame[column].astype("category")
    return frame


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
        cases = exc.failure_cases.dropna(subset=["index"])
        return {reason: set(group["index"]) for reason, group in cases.groupby("check")}
    return {}


# ---- facts --------------------------------------------------------------------------------
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
_DECISION = re.compile(r"\b(?:QĐ|QD)\s*[\w./-]*\d[\w./-]*", re.IGNORECASE)


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def parse_fact_value(value: object, metric: str) -> FactValue:
    """Type a fact value: ``90/116``, ``≥100``, ``>=30``, ``7-9``, ``100%``, ``16.8``, a decision
    number (``QĐ 349/QĐ-TTg``), a deadline (metrics ending in ``_by``) or, for
    ``common_unmet_criterion*`` metrics, text."""
    if is_blank(value):
        return FactValue(error="empty_value")
    text = unicodedata.normalize("NFC", str(value)).strip()
    if metric.endswith("_by"):
        when = parse_as_of(text)
        return (FactValue("deadline", deadline=when.day) if when.error is None
                else FactValue(error="bad_value"))
    if m := re.fullmatch(rf"{_N}\s*/\s*{_N}", text):
        return FactValue("ratio", _num(m[1]), _num(m[2]))
    if m := re.fullmatch(rf"(≥|>=|>|≤|<=|<)\s*{_N}", text):
        bound = _num(m[2])
        if m[1] in ("≥", ">=", ">"):
            return FactValue("bound", bound, lower=bound)
        return FactValue("bound", bound, upper=bound)
    if m := re.fullmatch(rf"{_N}\s*[-–]\s*{_N}", text):
        return FactValue("range", _num(m[1]), lower=_num(m[1]), upper=_num(m[2]))
    if m := re.fullmatch(rf"{_N}\s*%", text):
        return FactValue("percent", _num(m[1]), 100.0)
    if m := re.fullmatch(_N, text):
        return FactValue("number", _num(m[1]))
    if m := _DECISION.search(text):
        return FactValue("decision", 1.0, decision=m[0])
    if metric.startswith("common_unmet_criterion"):
        return FactValue("text")
    return FactValue(error="bad_value")


def _decision_in(text: object) -> str | None:
    match = _DECISION.search(text) if isinstance(text, str) else None
    return match[0] if match else None


def _split_metric(text: object) -> tuple[str | None, str | None]:
    if is_blank(text):
        return None, None
    m = re.fullmatch(r"\s*([^()]+?)\s*(?:\((.*)\))?\s*", str(text))
    if not m:
        return str(text).strip(), None
    return m[1], m[2]


def _fact_candidates(run: _Run, rows: pd.DataFrame) -> None:
    """Validate fact rows; tally-like facts (``*_criteria_met``) go to the tally rules."""
    metric = apply_unique(_col(rows, "metric"), _split_metric, ("name", "note"))
    name = metric.name
    tally_like = name.fillna("").str.endswith("_criteria_met") & ~_blank(_col(rows, "tally"))
    if tally_like.any():
        as_tally = rows[tally_like].copy()
        as_tally["level"] = name[tally_like].map(_level_of_metric)
        _tally_candidates(run, as_tally)
    rows, metric, name = rows[~tally_like], metric[~tally_like], name[~tally_like]
    if rows.empty:
        return
    note = metric.note
    run.problem(rows, name.isna(), "metric", "missing_metric")

    scope_text = apply_unique(_col(rows, "scope"),
                              lambda s: "" if is_blank(s) else _SCOPES.get(fold(s)))
    inferred = np.where(~_blank(_col(rows, "commune")), "commune",
                        np.where(~_blank(_col(rows, "district")), "district", "province"))
    scope = scope_text.where(scope_text != "", pd.Series(inferred, index=rows.index))
    bad_scope = scope.isna()
    run.problem(rows, bad_scope, "scope", "bad_scope")
    dates, bad_date = _parse_dates(run, rows)
    units = _resolve_units(run, rows, scope.fillna("national"))
    bad_unit = _unit_problems(run, rows, units)

    typed = apply_unique(pd.DataFrame({"v": _col(rows, "value"), "m": name.fillna("")}),
                         parse_fact_value, FACT_FIELDS)
    value_error = typed.error
    for reason in value_error.dropna().unique():
        run.problem(rows, value_error == reason, "value", reason)
    met = apply_unique(_col(rows, "tally"), parse_tally, TALLY_FIELDS)
    tot = apply_unique(_col(rows, "total"), parse_tally, TALLY_FIELDS)
    bad_counts = ((~_blank(_col(rows, "tally")) & met.met.isna())
                  | (~_blank(_col(rows, "total")) & tot.met.isna()))
    run.problem(rows, bad_counts, "tally", "not_a_tally")

    ok = ~(name.isna() | bad_scope | bad_date | bad_unit | value_error.notna() | bad_counts)
    good = rows[ok]
    t = typed[ok]
    decision = t.decision.where(t.decision.notna(), note[ok].map(_decision_in))
    cand = pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "scope": scope[ok],
        **{c: units.loc[good.index, c] for c in UNIT_COLUMNS},
        "metric": name[ok], "metric_note": note[ok],
        "value_text": _col(good, "value").map(_text),
        "value_kind": t.kind,
        "value": t.value.astype(float),
        "denominator": t.denominator.astype(float),
        "lower": t.lower.astype(float),
        "upper": t.upper.astype(float),
        "deadline": pd.to_datetime(t.deadline).astype("datetime64[ns]"),
        "decision": decision,
        "criteria_met": pd.array(met.met[ok], dtype="Int64"),
        "criteria_total": pd.array(tot.met[ok], dtype="Int64"),
        "source_url": _col(good, "source_url").replace("", None),
        "source": _col(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index)
    run.facts.append(cand)


def _level_of_metric(metric: str) -> str:
    if "nang_cao" in metric:
        return XA_NANG_CAO
    return HUYEN_NTM if metric.startswith("district") else XA_NTM


def implied_tallies(facts: pd.DataFrame) -> pd.DataFrame:
    """Return the total/total tallies implied by recognition facts (origin implied)."""
    facts = facts.reset_index(names="raw_row") if "raw_row" not in facts else facts
    level = facts.metric.map(IMPLIED_BY_METRIC)
    hit = facts[level.notna() & (facts.value.fillna(0) >= 1)
                & facts.scope.isin(["district", "commune"])].copy()
    if hit.empty:
        return hit.iloc[:0]
    hit["level"] = level[hit.index]
    hit = hit[(hit.level == HUYEN_NTM) == (hit.scope == "district")]
    hit["period"] = hit.as_of.map(period_of)
    totals = [criteria_total(lv, p) if p else None for lv, p in zip(hit.level, hit.period,
                                                                    strict=True)]
    hit["criteria_total"] = pd.array(totals, dtype="Int64")
    hit = hit[hit.criteria_total.notna()]
    hit["criteria_met"] = hit.criteria_total
    hit["origin"] = IMPLIED
    return hit.set_index("raw_row")


# ---- criterion sheets ---------------------------------------------------------------------
def _criteria_candidates(run: _Run, rows: pd.DataFrame) -> None:
    """Validate criterion-sheet rows into ``run.criteria``."""
    scope, dates, bad_date, units, bad_unit = _dates_and_units(run, rows)
    status = apply_unique(_col(rows, "status"), parse_status)
    bad_status = apply_unique(_col(rows, "status"), lambda v: isinstance(parse_status(v), str))
    run.problem(rows, bad_status, "status", "bad_status")
    decided = apply_unique(pd.DataFrame({"lv": _col(rows, "level"), "d": scope == "district"}),
                           lambda lv, d: _criteria_level(parse_level(lv), d),
                           ("level", "problem"))
    level_code = decided.level
    level_problem = decided.problem
    pre = bad_date | bad_unit
    for reason in level_problem[~pre].dropna().unique():
        run.problem(rows, ~pre & (level_problem == reason), "level", reason)
    period = apply_unique(dates.as_of, lambda d: period_of(d) if pd.notna(d) else None)
    number = apply_unique(pd.DataFrame({"c": _col(rows, "criterion"), "l": level_code,
                                        "p": period}), _criterion)
    bad_criterion = ~pre & level_problem.isna() & number.isna()
    run.problem(rows, bad_criterion, "criterion", "unknown_criterion")
    ok = ~(pre | bad_status | level_problem.notna() | bad_criterion)
    good = rows[ok]
    if good.empty:
        return
    names = apply_unique(pd.DataFrame({"n": number[ok], "l": level_code[ok], "p": period[ok]}),
                         lambda n, lv, p: criteria_names(lv, p).set_index("number").name[n])
    run.criteria.append(pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        "period": period[ok], "level": level_code[ok],
        **{c: units.loc[good.index, c] for c in UNIT_COLUMNS},
        "criterion_number": number[ok].astype("int64"),
        "criterion_name": names,
        "met": status[ok].astype(bool),
        "source": _col(good, "source").replace("", None),
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


# ---- duplicates and conflicts -------------------------------------------------------------
def _dedupe(run: _Run, cand: pd.DataFrame, key: list[str], values: list[str],
            label: Callable[[pd.Series], str],
            column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge identical rows, reject conflicting ones. Return (kept, merged rows)."""
    if cand.empty:
        return cand.assign(merged_from=pd.Series(dtype=object)), cand.iloc[:0]
    cand = cand.reset_index(names="raw_row")
    group = pd.Series(group_codes(cand[key]), index=cand.index)
    value = pd.Series(group_codes(cand[values]), index=cand.index)
    size = group.map(group.value_counts())
    dup = cand[size > 1]
    distinct = value[dup.index].groupby(group[dup.index]).transform("nunique")
    conflict = dup[distinct > 1]
    for _, rows in conflict.groupby(group[conflict.index]):
        for i, row in rows.iterrows():
            others = "; ".join(f"{o.raw_file}:{o.raw_row} ({label(o)})"
                               for j, o in rows.iterrows() if j != i)
            one = pd.DataFrame([row]).set_index("raw_row")
            run.problem(one, pd.Series(True, index=one.index), column, "conflict",
                        value=pd.Series([label(row)], index=one.index), others=others)
    clean = cand.drop(index=conflict.index)
    first = ~group[clean.index].duplicated(keep="first")
    kept, merged = clean[first].copy(), clean[~first]
    kept["merged_from"] = None
    if not merged.empty:
        g_merged = group[merged.index]
        refs = (merged.raw_file.astype(str) + ":" + merged.raw_row.astype(str)) \
            .groupby(g_merged).agg("; ".join)
        sources = merged.source.groupby(g_merged).agg(lambda s: [x for x in s if x])
        g_kept = group[kept.index]
        has = g_kept.isin(refs.index)
        kept.loc[has, "merged_from"] = g_kept[has].map(refs)
        kept["source"] = kept.source.astype(object)
        kept.loc[has, "source"] = [
            " | ".join(dict.fromkeys([s for s in [src, *sources[g]] if s])) or None
            for src, g in zip(kept.loc[has, "source"], g_kept[has], strict=True)
        ]
    return kept.set_index("raw_row"), merged.set_index("raw_row")


# ---- the run ------------------------------------------------------------------------------
_HANDLERS = {"tallies": _tally_candidates, "facts": _fact_candidates,
             "criteria": _criteria_candidates}


def _process_sheet(run: _Run, sheet: Sheet) -> None:
    rows = sheet.frame.copy()
    rows["raw_file"] = sheet.file
    rows["raw_sheet"] = sheet.sheet
    run.read[sheet.file] = run.read.get(sheet.file, 0) + len(rows)
    if not rows.empty:
        _HANDLERS[sheet.kind](run, rows)


def _sheet_problem(run: _Run, problem: SheetProblem) -> None:
    if problem.sheet is None and problem.reason.startswith("file_"):
        run.unreadable[problem.file] = problem.reason
    run.read.setdefault(problem.file, 0)
    run.problems.append(pd.DataFrame([{
        "raw_file": problem.file, "raw_sheet": problem.sheet, "raw_row": None, "column": None,
        "value": problem.detail or None, "reason_code": problem.reason,
        "reason": msg(f"reason_{problem.reason}", lang="vi"),
        "reason_en": msg(f"reason_{problem.reason}", lang="en"), "suggestion": None,
        "district_text": None,
    }]))


def clean_files(paths: Iterable[Path], raw_dir: Path, *,
                province_code: str = config.DEFAULT_PROVINCE_CODE,
                today: pd.Timestamp | None = None) -> CleanResult:
    """Clean the given raw files (paths under ``raw_dir``) into a :class:`CleanResult`."""
    run = _Run(registry(), province_code, pd.Timestamp(today or pd.Timestamp.today()).normalize())
    # Load inputs
    for path in paths:
        sheets, problems = read_raw_file(Path(path), Path(raw_dir))
        for problem in problems:
            _sheet_problem(run, problem)
        # Process
        for sheet in sheets:
            _process_sheet(run, sheet)
    return _finish(run)


def clean(raw_dir: Path = config.RAW_DIR, **kwargs: object) -> CleanResult:
    """Clean every CSV and XLSX file under ``raw_dir``.

    Raises
    ------
    RawDataError
        When ``raw_dir`` does not exist or holds no CSV or XLSX file that can be read.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise RawDataError(raw_dir, msg("raw_dir_missing", path=raw_dir))
    files = raw_files(raw_dir)
    if not files:
        raise RawDataError(raw_dir, msg("raw_dir_empty", path=raw_dir))
    result = clean_files(files, raw_dir, **kwargs)
    if result.summary.unreadable.notna().all():
        raise RawDataError(raw_dir, msg("raw_dir_empty", path=raw_dir))
    return result


def _concat(frames: list[pd.DataFrame], schema: pa.DataFrameSchema) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames) if frames else empty_frame(schema).set_index("raw_row")


def _finish(run: _Run) -> CleanResult:
    tallies = _concat(run.tallies, TALLIES_TABLE)
    tallies, merged_t = _dedupe(run, tallies, ["level", "province_code", "district_code",
                                               "commune_code", "as_of", "as_of_precision"],
                                ["criteria_met", "criteria_total"],
                                lambda r: f"{r.criteria_met}/{r.criteria_total}", "tally")
    facts = _concat(run.facts, FACTS_TABLE)
    # a text metric (the criteria most often unmet) holds a list: each value is its own fact
    facts["_item"] = facts.value_text.where(facts.value_kind == "text", "")
    facts, merged_f = _dedupe(run, facts, ["scope", "province_code", "district_code",
                                           "commune_code", "as_of", "as_of_precision", "metric",
                                           "metric_note", "_item"],
                              ["value_text"], lambda r: str(r.value_text), "value")
    crit = _concat(run.criteria, CRITERIA_STATUS_TABLE)
    crit, merged_c = _dedupe(run, crit, ["level", "district_code", "commune_code", "as_of",
                                         "as_of_precision", "criterion_number"], ["met"],
                             lambda r: str(r.met), "status")
    implied = implied_tallies(facts)
    if not implied.empty:
        reported_keys = set(zip(tallies.level, tallies.district_code,
                                tallies.commune_code.fillna(""), tallies.as_of, strict=True))
        fresh = [k not in reported_keys for k in zip(implied.level, implied.district_code,
                                                     implied.commune_code.fillna(""),
                                                     implied.as_of, strict=True)]
        implied = implied[fresh].drop_duplicates(["level", "district_code", "commune_code",
                                                  "as_of"])
        tallies = pd.concat([tallies, implied[[c for c in tallies.columns]]])

    rejected = _rejected_table(run)
    tallies = _typed(tallies, TALLIES_TABLE, ["as_of", "level", "district_code", "commune_code"])
    facts = _typed(facts, FACTS_TABLE, ["as_of", "metric", "district_code"])
    crit = _typed(crit, CRITERIA_STATUS_TABLE, ["as_of", "district_code", "commune_code",
                                                "criterion_number"])
    summary = _summary(run, tallies, facts, crit, [merged_t, merged_f, merged_c], rejected)
    return CleanResult(tallies, facts, crit, rejected, summary)


def _typed(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: list[str]) -> pd.DataFrame:
    frame = frame.reset_index(names="raw_row") if "raw_row" not in frame else frame
    frame = frame.sort_values([*order, "raw_file", "raw_row"], ignore_index=True)
    out = pd.DataFrame({name: frame.get(name) for name in schema.columns}, index=frame.index)
    return schema.validate(out)


def _rejected_table(run: _Run) -> pd.DataFrame:
    frames = [p for p in run.problems if not p.empty]
    if not frames:
        return empty_frame(REJECTED_TABLE)
    table = pd.concat(frames, ignore_index=True)
    table["district_code"] = apply_unique(table.district_text.fillna(""),
                                          lambda text: _district_code(run, text))
    table["raw_row"] = table.raw_row.astype("Int64")
    table = table.sort_values(["raw_file", "raw_sheet", "raw_row"], na_position="first",
                              ignore_index=True)
    return REJECTED_TABLE.validate(table[list(REJECTED_TABLE.columns)])


def _district_code(run: _Run, text: str) -> str | None:
    """The district a rejected row names, when the name resolves (for report notes)."""
    if is_blank(text):
        return None
    try:
        return run.registry.resolve_district(text, run.province_code).code
    except (UnitNotFoundError, AmbiguousUnitError):
        return None


def _summary(run: _Run, tallies: pd.DataFrame, facts: pd.DataFrame, crit: pd.DataFrame,
             merged: list[pd.DataFrame], rejected: pd.DataFrame) -> pd.DataFrame:
    files = sorted(run.read)
    reported = tallies[tallies.origin == REPORTED]
    accepted = pd.concat([reported.raw_file, facts.raw_file, crit.raw_file]).value_counts()
    merged_counts = pd.concat([m.raw_file for m in merged if not m.empty] or
                              [pd.Series(dtype=object)]).value_counts()
    row_rejects = rejected[rejected.raw_row.notna()]
    rejected_counts = row_rejects.drop_duplicates(["raw_file", "raw_sheet", "raw_row"]) \
        .raw_file.value_counts()
    summary = pd.DataFrame({
        "file": files,
        "read": [run.read[f] for f in files],
        "accepted": [int(accepted.get(f, 0)) for f in files],
        "merged": [int(merged_counts.get(f, 0)) for f in files],
        "rejected": [int(rejected_counts.get(f, 0)) for f in files],
        "unreadable": [run.unreadable.get(f) for f in files],
    })
    lost = summary[summary.read != summary.accepted + summary.merged + summary.rejected]
    assert lost.empty, f"rows unaccounted for in {lost.file.tolist()}: {lost.to_dict('records')}"
    return summary


# ---- output -------------------------------------------------------------------------------
def write_outputs(result: CleanResult, out_dir: Path = config.PROCESSED_DIR) -> dict[str, Path]:
    """Write the processed tables atomically; return their paths."""
    paths = config.processed_paths(out_dir)
    write_parquet(paths["tallies"], result.tallies)
    write_parquet(paths["facts"], result.facts)
    if not result.criteria_status.empty:
        write_parquet(paths["criteria_status"], result.criteria_status)
    else:
        paths["criteria_status"].unlink(missing_ok=True)
    write_parquet(paths["rejected"], result.rejected)
    write_csv_for_excel(paths["rejected_csv"], result.rejected)
    write_text(paths["summary"], json.dumps(
        {"files": result.summary.to_dict("records"), "totals": result.totals},
        ensure_ascii=False, indent=2))
    return paths


__all__ = ["CleanResult", "clean", "clean_files", "implied_tallies",
           "parse_fact_value", "write_outputs"]
