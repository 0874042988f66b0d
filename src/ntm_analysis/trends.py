"""Observed pace: least-squares slopes over time, and the area series they are fitted to.

Pure functions over the processed tables; no I/O, no plotting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
DEFAULT_WINDOW_YEARS = 3.0


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Return ``end - start`` in years (365.25 days)."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR


def slope_per_year(dates: pd.Series, values: pd.Series) -> float | None:
    """Least-squares slope of ``values`` over ``dates``, in units per year.

    Several values on one date are averaged first; None with fewer than two distinct dates.
    """
    frame = pd.DataFrame({"d": pd.to_datetime(dates), "v": values.astype(float)}).dropna()
    frame = frame.groupby("d", as_index=False).v.mean()
    if len(frame) < 2:
        return None
    t = (frame.d - frame.d.min()).dt.days.to_numpy() / DAYS_PER_YEAR
    return round(float(np.polyfit(t, frame.v.to_numpy(), 1)[0]), 9)  # no -1e-16 "decline"


def in_window(dates: pd.Series, as_of: pd.Timestamp,
              window_years: float = DEFAULT_WINDOW_YEARS) -> pd.Series:
    """True for the dates within ``window_years`` before ``as_of`` (inclusive)."""
    start = pd.Timestamp(as_of) - pd.Timedelta(days=window_years * DAYS_PER_YEAR)
    return (dates >= start) & (dates <= pd.Timestamp(as_of))


def area_series(facts: pd.DataFrame, metric: str, scope: str = "province",
                district_code: str | None = None) -> pd.DataFrame:
    """Return an area series from the facts: as_of, count, denominator, share, provenance.

    ``share`` is count / denominator where the fact gives one ("90/116"), 1.0 for "100%".
    Several facts on one date are all kept (the caller decides); rows are sorted by date.
    """
    rows = facts[(facts.metric == metric) & (facts.scope == scope)
                 & facts.value_kind.isin(["ratio", "number", "percent"])]
    if district_code is not None:
        rows = rows[rows.district_code == district_code]
    percent = rows.value_kind == "percent"
    out = pd.DataFrame({
        "as_of": rows.as_of,
        "as_of_precision": rows.as_of_precision,
        "count": rows.value.where(~percent),
        "denominator": rows.denominator.where(~percent),
        "share": np.where(percent, rows.value / 100.0, rows.value / rows.denominator),
        "value_text": rows.value_text,
        "source": rows.source,
        "raw_file": rows.raw_file,
        "raw_row": rows.raw_row,
    })
    return out.sort_values(["as_of", "raw_file", "raw_row"], ignore_index=True)
