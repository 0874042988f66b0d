"""Gaps per unit: the latest tally, gap, required and observed pace, rating and projection;
and the retrospective of a snapshot (when did each unit reach its total, and was it in time).

A unit's series never crosses a criteria set: the observed pace is fitted to the
observations of the latest tally's set only. Pure functions over the processed tables; no
I/O, no plotting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..processed import IMPLIED as RECOGNITION
from ..processed import REPORTED
from .pace import DEFAULT_WINDOW_YEARS, in_window, projection, required_pace, slope_of
from .ratings import rating
from .targets import UNIT_KEY


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
        records.append(_unit_record(unit, window_years))
    gaps = _keyed(pd.DataFrame(records))
    if targets is not None and not targets.empty:
        gaps = gaps.merge(_keyed(targets[[*UNIT_KEY, "deadline", "target_source"]]),
                          on=UNIT_KEY, how="left")
    else:
        gaps["deadline"] = pd.NaT
        gaps["target_source"] = None
    gaps["deadline"] = pd.to_datetime(gaps.deadline)
    # an achieved unit needs no pace, even when its deadline has passed
    # zip over the columns each rule reads, not itertuples over all 26 (a third of the time)
    gaps["required_pace"] = [required_pace(gap, day, deadline) if gap > 0 else 0.0
                             for gap, day, deadline in zip(gaps.gap, gaps.as_of, gaps.deadline,
                                                           strict=True)]
    required = gaps.required_pace.astype(float)
    gaps["ratio"] = (gaps.observed_pace.astype(float) / required).where(required > 0)
    gaps["rating"] = [rating(gap, observed, needed, deadline, ref, reached)
                      for gap, observed, needed, deadline, reached in zip(
                          gaps.gap, gaps.observed_pace, gaps.required_pace, gaps.deadline,
                          gaps.reached_on, strict=True)]
    gaps["projected_on"] = pd.to_datetime(
        [projection(gap, day, observed) for gap, day, observed in zip(
            gaps.gap, gaps.as_of, gaps.observed_pace, strict=True)])
    return gaps.sort_values(UNIT_KEY, ignore_index=True)


def _keyed(frame: pd.DataFrame) -> pd.DataFrame:
    """Unit keys as objects with None for missing, so that frames merge on them."""
    frame = frame.copy()
    for column in UNIT_KEY:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _unit_record(unit: pd.DataFrame, window_years: float) -> dict:
    # one unit's few rows as arrays: pandas operations on frames this small cost more in
    # overhead than in work, and pages, overviews and the index call this for every unit
    met = unit.criteria_met.to_numpy(dtype=float, na_value=np.nan)
    days = unit.as_of.to_numpy(dtype="datetime64[ns]")
    order = np.lexsort((met, days))  # by date, then met: the last is the highest value on
    latest = unit.iloc[order[-1]]    # the latest date
    met, days = met[order], days[order]
    total = unit.criteria_total.to_numpy(dtype=float, na_value=np.nan)[order]
    same_set = unit.period.to_numpy(dtype=object)[order] == latest.period
    window = same_set & in_window(days, latest.as_of, window_years)
    gap = int(latest.criteria_total - latest.criteria_met)
    # the first date with every criterion of the latest set, when the unit has them now:
    # its recognition's when the data holds one ("đạt chuẩn" in a plan means recognised),
    # else the first figure with every criterion met; both dates are kept
    origin = unit.origin.to_numpy(dtype=object)[order]
    complete = same_set & (met == total)
    recognised = days[complete & (origin == RECOGNITION)]
    met_all = days[complete & (origin == REPORTED)]
    full = recognised if len(recognised) else days[complete]
    return {
        **{k: latest[k] for k in ("level", "admin_era", "district_code", "district",
                                  "commune_code",
                                  "commune", "as_of", "as_of_precision", "period")},
        "criteria_met": int(latest.criteria_met), "criteria_total": int(latest.criteria_total),
        "gap": gap, "completion": latest.criteria_met / latest.criteria_total,
        "observed_pace": slope_of(days[window], met[window]),
        "n_obs": len(np.unique(days[window])),
        "reached_on": pd.Timestamp(full.min()) if gap == 0 and len(full) else pd.NaT,
        "criteria_met_on": (pd.Timestamp(met_all.min()) if gap == 0 and len(met_all)
                            else pd.NaT),
        "recognized_on": (pd.Timestamp(recognised.min()) if gap == 0 and len(recognised)
                          else pd.NaT),
        "origin": latest.origin, "source": latest.source, "raw_file": latest.raw_file,
        "raw_row": int(latest.raw_row),
    }


def _empty_gaps() -> pd.DataFrame:
    return pd.DataFrame(columns=[
        "level", "admin_era", "district_code", "district", "commune_code", "commune", "as_of",
        "as_of_precision", "period", "criteria_met", "criteria_total", "gap", "completion",
        "observed_pace", "n_obs", "reached_on", "criteria_met_on", "recognized_on", "origin",
        "source", "raw_file", "raw_row", "deadline",
        "target_source", "required_pace", "ratio", "rating", "projected_on"])


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
    out["in_time"] = [None if pd.isna(u.reached_on) or pd.isna(u.deadline)
                      else bool(u.reached_on <= u.deadline) for u in out.itertuples()]
    return out.sort_values(UNIT_KEY, ignore_index=True)
