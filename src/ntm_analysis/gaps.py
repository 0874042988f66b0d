"""Gaps, required against observed pace, ratings and projections (DESIGN §4).

For a unit at a level with ``met`` of ``total`` criteria observed on ``t``:

- gap = total − met; completion = met / total;
- required pace = gap / years from ``t`` to the deadline (criteria per year);
- observed pace = least-squares slope of met over the observations of the same criteria set
  in the ``window_years`` before ``t`` (at least two dates); ratio r = observed / required;
- rating, after the SDG Index trend dashboards: achieved (gap 0), missed (deadline passed with a
  gap), on track (r ≥ 1), moderately improving (0.5 ≤ r < 1), stagnating (0 ≤ r < 0.5),
  decreasing (r < 0), not enough data (one observation), no target (no deadline);
- projection: the date the observed pace reaches the total.

Pure functions over the processed tables; no I/O, no plotting.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .criteria import HUYEN_NTM, XA_NANG_CAO, XA_NTM
from .trends import (
    DAYS_PER_YEAR,
    DEFAULT_WINDOW_YEARS,
    area_series,
    in_window,
    slope_per_year,
    years_between,
)

ACHIEVED = "achieved"
ON_TRACK = "on_track"
MODERATE = "moderately_improving"
STAGNATING = "stagnating"
DECREASING = "decreasing"
MISSED = "missed"
NOT_ENOUGH_DATA = "not_enough_data"
NO_TARGET = "no_target"
RATINGS = (ACHIEVED, ON_TRACK, MODERATE, STAGNATING, DECREASING, MISSED, NOT_ENOUGH_DATA,
           NO_TARGET)

#: Fact metrics that set a deadline for one unit, and the level they are about.
UNIT_TARGET_METRICS = {
    "target_district_ntm_by": HUYEN_NTM,
    "target_commune_ntm_by": XA_NTM,
    "target_commune_nang_cao_by": XA_NANG_CAO,
}
UNIT_KEY = ["level", "district_code", "commune_code"]


# ---- formulas -----------------------------------------------------------------------------
def required_pace(gap: float, observed_on: pd.Timestamp,
                  deadline: pd.Timestamp | None) -> float | None:
    """Criteria per year needed to close ``gap`` between ``observed_on`` and ``deadline``.

    None without a deadline or when the deadline is not after the observation.

    Examples
    --------
    >>> round(required_pace(5, pd.Timestamp("2022-05-31"), pd.Timestamp("2022-12-31")), 2)
    8.54
    """
    if deadline is None or pd.isna(deadline):
        return None
    years = years_between(observed_on, deadline)
    return gap / years if years > 0 else None


def rate_ratio(ratio: float) -> str:
    """Rating band of r = observed / required pace (SDG Index trend thresholds)."""
    if ratio >= 1:
        return ON_TRACK
    if ratio >= 0.5:
        return MODERATE
    if ratio >= 0:
        return STAGNATING
    return DECREASING


def rating(gap: float, observed: float | None, required: float | None,
           deadline: pd.Timestamp | None, as_of: pd.Timestamp) -> str:
    """Rate one unit or series; see the module docstring for the rules and their order."""
    if gap <= 0:
        return ACHIEVED
    if deadline is None or pd.isna(deadline):
        return NO_TARGET
    if pd.Timestamp(deadline) < pd.Timestamp(as_of) or required is None:
        return MISSED
    if observed is None or pd.isna(observed):
        return NOT_ENOUGH_DATA
    return rate_ratio(observed / required)


def projection(gap: float, observed_on: pd.Timestamp, pace: float | None) -> pd.Timestamp | None:
    """The date the observed pace closes the gap (None when the pace is not positive)."""
    if gap <= 0 or pace is None or pd.isna(pace) or pace <= 0:
        return None
    days = gap / pace * DAYS_PER_YEAR
    return (pd.Timestamp(observed_on) + pd.Timedelta(days=days)).normalize()


# ---- targets ------------------------------------------------------------------------------
def unit_targets(facts: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Deadlines per unit from the plan facts (``target_district_ntm_by`` ...).

    Where a unit has several, the latest stated on or before ``as_of`` applies; a plan only
    reported after ``as_of`` still applies when it is the only one (an article of August
    2022 reports the plan in force in May 2022).
    """
    rows = facts[facts.metric.isin(UNIT_TARGET_METRICS) & facts.deadline.notna()]
    rows = rows.sort_values("as_of", kind="stable")
    if as_of is not None:
        stated_before = rows.as_of <= pd.Timestamp(as_of)
        key = rows.district_code.fillna("") + "|" + rows.commune_code.fillna("") + "|" + \
            rows.metric
        has_before = key.isin(set(key[stated_before]))
        first_after = ~stated_before & ~has_before & ~key.duplicated(keep="first")
        rows = rows[stated_before | first_after]
    out = pd.DataFrame({
        "level": rows.metric.map(UNIT_TARGET_METRICS),
        "district_code": rows.district_code,
        "commune_code": rows.commune_code,
        "deadline": rows.deadline,
        "stated_on": rows.as_of,
        "target_source": rows.source,
        "target_raw_file": rows.raw_file,
        "target_raw_row": rows.raw_row,
    })
    out = out.sort_values("stated_on").drop_duplicates(UNIT_KEY, keep="last")
    return out.reset_index(drop=True)


_AREA_TARGET = re.compile(r"^target_(?:(?:\d{4})_)?(\d{4})_(.+)$|^target_(.+)_by_(\d{4})$")


def area_targets(facts: pd.DataFrame, scope: str = "province") -> pd.DataFrame:
    """Area targets from the plan facts: metric of the series, deadline, bounds, as stated.

    ``target_2025_nang_cao_communes`` "≥30" → series ``nang_cao_communes``, 31/12/2025,
    lower 30. A range ("7-9") is met at its lower bound; "116/116" and "100%" are shares.
    """
    records = []
    for row in facts[(facts.scope == scope) & facts.metric.str.startswith("target_")].itertuples():
        match = _AREA_TARGET.match(row.metric)
        if not match:
            continue
        year, series = (match[1], match[2]) if match[1] else (match[4], match[3])
        is_share = row.value_kind == "percent" or (
            row.value_kind == "ratio" and row.value == row.denominator)
        records.append({
            "series": series, "deadline": pd.Timestamp(int(year), 12, 31),
            "measure": "share" if is_share else "count",
            "target": (row.value / 100 if row.value_kind == "percent"
                       else row.value / row.denominator if is_share
                       else row.lower if pd.notna(row.lower) else row.value),
            "upper": row.upper, "value_text": row.value_text, "stated_on": row.as_of,
            "source": row.source, "raw_file": row.raw_file, "raw_row": row.raw_row,
        })
    return pd.DataFrame(records, columns=["series", "deadline", "measure", "target", "upper",
                                          "value_text", "stated_on", "source", "raw_file",
                                          "raw_row"])


# ---- units --------------------------------------------------------------------------------
def unit_gaps(tallies: pd.DataFrame, as_of: pd.Timestamp | str | None = None,
              targets: pd.DataFrame | None = None,
              window_years: float = DEFAULT_WINDOW_YEARS) -> pd.DataFrame:
    """Gap, pace, rating and projection per unit and level at ``as_of``.

    Parameters
    ----------
    tallies
        The processed ``tallies`` table (reported and implied-by-recognition rows).
    as_of
        Reference date; only observations on or before it count, and a deadline before it
        has passed. None means the latest date in ``tallies``.
    targets
        Deadlines per unit as from :func:`unit_targets`; None means no deadlines.
    window_years
        Length of the window before each unit's latest observation for the observed pace.

    Returns
    -------
    pandas.DataFrame
        One row per unit and level: the latest observation (date, precision, met, total,
        origin, source, raw_file, raw_row), gap, completion, deadline, required_pace,
        observed_pace, n_obs (dates in the window), ratio, rating, projected_on.
    """
    ref = pd.Timestamp(as_of) if as_of is not None else tallies.as_of.max()
    obs = tallies[tallies.as_of <= ref]
    if obs.empty:
        return _empty_gaps()
    records = []
    for _, unit in obs.groupby(UNIT_KEY, dropna=False, sort=False):
        records.append(_unit_record(unit, ref, window_years))
    gaps = _keyed(pd.DataFrame(records))
    if targets is not None and not targets.empty:
        gaps = gaps.merge(_keyed(targets[[*UNIT_KEY, "deadline", "target_source"]]),
                          on=UNIT_KEY, how="left")
    else:
        gaps["deadline"] = pd.NaT
        gaps["target_source"] = None
    gaps["deadline"] = pd.to_datetime(gaps.deadline)
    gaps["required_pace"] = [required_pace(g, t, d) if g > 0 else 0.0 for g, t, d in
                             zip(gaps.gap, gaps.as_of, gaps.deadline, strict=True)]
    gaps["ratio"] = [o / r if (o is not None and pd.notna(o) and r) else np.nan
                     for o, r in zip(gaps.observed_pace, gaps.required_pace, strict=True)]
    gaps["rating"] = [rating(g, o, r, d, ref) for g, o, r, d in
                      zip(gaps.gap, gaps.observed_pace, gaps.required_pace, gaps.deadline,
                          strict=True)]
    gaps["projected_on"] = pd.to_datetime(
        [projection(g, t, o) for g, t, o in zip(gaps.gap, gaps.as_of, gaps.observed_pace,
                                                strict=True)])
    return gaps.sort_values(["level", "district_code", "commune_code"], ignore_index=True)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Unit keys as objects with None for missing, so that frames merge on them."""
    frame = frame.copy()
    for column in UNIT_KEY:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _unit_record(unit: pd.DataFrame, ref: pd.Timestamp, window_years: float) -> dict:
    unit = unit.sort_values(["as_of", "criteria_met"])
    latest = unit.iloc[-1]  # the highest value on the latest date
    same_set = unit[unit.period == latest.period]
    window = same_set[in_window(same_set.as_of, latest.as_of, window_years)]
    pace = slope_per_year(window.as_of, window.criteria_met)
    gap = int(latest.criteria_total - latest.criteria_met)
    return {
        **{k: latest[k] for k in ("level", "district_code", "district", "commune_code",
                                  "commune", "as_of", "as_of_precision", "period")},
        "criteria_met": int(latest.criteria_met), "criteria_total": int(latest.criteria_total),
        "gap": gap, "completion": latest.criteria_met / latest.criteria_total,
        "observed_pace": pace, "n_obs": int(window.as_of.nunique()),
        "origin": latest.origin, "source": latest.source, "raw_file": latest.raw_file,
        "raw_row": int(latest.raw_row),
    }


def _empty_gaps() -> pd.DataFrame:
    return pd.DataFrame(columns=[
        "level", "district_code", "district", "commune_code", "commune", "as_of",
        "as_of_precision", "period", "criteria_met", "criteria_total", "gap", "completion",
        "observed_pace", "n_obs", "origin", "source", "raw_file", "raw_row", "deadline",
        "target_source", "required_pace", "ratio", "rating", "projected_on"])


# ---- areas --------------------------------------------------------------------------------
def rate_area(facts: pd.DataFrame, series: str, as_of: pd.Timestamp | str | None = None,
              scope: str = "province", district_code: str | None = None,
              window_years: float = DEFAULT_WINDOW_YEARS) -> pd.DataFrame:
    """Rate an area series (``ntm_communes``, ``nang_cao_communes``, ``ntm_districts``...)
    against each of its targets, with the same rules as units.

    Returns one row per target: the measure (share or count), current value and date,
    target (lower bound of a range, and its upper bound), deadline, required and observed
    pace per year, ratio, rating and projection.
    """
    points = area_series(facts, series, scope, district_code)
    ref = pd.Timestamp(as_of) if as_of is not None else points.as_of.max()
    points = points[points.as_of <= ref]
    targets = area_targets(facts, scope)
    targets = targets[targets.series == series]
    records = []
    for target in targets.itertuples():
        column = target.measure
        usable = points.dropna(subset=[column])
        if usable.empty:
            continue
        latest_on = usable.as_of.max()
        current = usable[usable.as_of == latest_on][column].max()
        window = usable[in_window(usable.as_of, latest_on, window_years)]
        observed = slope_per_year(window.as_of, window[column])
        gap = max(target.target - current, 0.0)
        required = required_pace(gap, latest_on, target.deadline) if gap > 0 else 0.0
        records.append({
            "series": series, "measure": column, "as_of": latest_on, "current": current,
            "target": target.target, "target_upper": target.upper,
            "target_text": target.value_text, "deadline": target.deadline, "gap": gap,
            "required_pace": required, "observed_pace": observed,
            "n_obs": int(window.as_of.nunique()),
            "ratio": observed / required if observed is not None and required else np.nan,
            "rating": rating(gap, observed, required, target.deadline, ref),
            "projected_on": projection(gap, latest_on, observed),
            "target_source": target.source,
        })
    return pd.DataFrame(records)


# ---- retrospective ------------------------------------------------------------------------
def retrospective(tallies: pd.DataFrame, snapshot: pd.Timestamp | str,
                  targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each unit reported on ``snapshot``, what happened next according to later rows.

    Returns the snapshot tally, the first later date the unit had all its criteria
    (``reached_on``, with the origin of that row: reported, or implied by a recognition),
    the deadline, and whether the total was reached by it (``in_time``; None when never
    reached in the data or no deadline).
    """
    snapshot = pd.Timestamp(snapshot)
    base = tallies[(tallies.as_of == snapshot) & (tallies.origin == "reported")]
    later = tallies[(tallies.as_of > snapshot)
                    & (tallies.criteria_met == tallies.criteria_total)].sort_values("as_of")
    first = later.drop_duplicates(UNIT_KEY, keep="first")[[*UNIT_KEY, "as_of", "origin"]]
    first = first.rename(columns={"as_of": "reached_on", "origin": "reached_origin"})
    out = _keyed(base[[*UNIT_KEY, "district", "commune", "as_of", "criteria_met",
                       "criteria_total"]])
    out = out.merge(_keyed(first), on=UNIT_KEY, how="left")
    if targets is not None and not targets.empty:
        out = out.merge(_keyed(targets[[*UNIT_KEY, "deadline"]]), on=UNIT_KEY, how="left")
    else:
        out["deadline"] = pd.NaT
    out["in_time"] = [
        None if pd.isna(r) or pd.isna(d) else bool(r <= d)
        for r, d in zip(out.reached_on, out.deadline, strict=True)
    ]
    return out.sort_values(["level", "district_code", "commune_code"], ignore_index=True)
