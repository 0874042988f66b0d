"""Pace: the criteria a year a unit needs (required) and shows (observed), and where it leads.

- required pace = gap / years from the observation to the deadline;
- observed pace = least-squares slope of met over time (criteria per year);
- projection = the date the observed pace closes the gap.

Pure functions; no I/O, no plotting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAYS_PER_YEAR = 365.25
DEFAULT_WINDOW_YEARS = 3.0


def years_between(start: pd.Timestamp, end: pd.Timestamp) -> float:
    """Return ``end - start`` in years (365.25 days)."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_YEAR


def months_late(reached: pd.Timestamp, deadline: pd.Timestamp) -> int:
    """Whole months from ``deadline`` to ``reached`` (0 when on time), as a headline says it:
    31/12/2022 to 21/05/2023 is 5 months (days / 30.4375, rounded half up).

    Examples
    --------
    >>> months_late(pd.Timestamp("2023-05-21"), pd.Timestamp("2022-12-31"))
    5
    >>> months_late(pd.Timestamp("2022-12-31"), pd.Timestamp("2022-12-31"))
    0
    """
    days = (pd.Timestamp(reached) - pd.Timestamp(deadline)).days
    return max(int(days / (DAYS_PER_YEAR / 12) + 0.5), 0)


def slope_per_year(dates: pd.Series, values: pd.Series) -> float | None:
    """Least-squares slope of ``values`` over ``dates``, in units per year.

    Several values on one date are averaged first; None with fewer than two distinct dates.
    """
    return slope_of(pd.to_datetime(dates).to_numpy(dtype="datetime64[ns]"),
                    values.astype(float).to_numpy(dtype=float, na_value=np.nan))


def slope_of(days: np.ndarray, values: np.ndarray) -> float | None:
    """:func:`slope_per_year` on arrays (``datetime64[ns]`` and floats), for callers that
    fit one series per unit and would otherwise build two frames for each."""
    keep = ~np.isnat(days) & ~np.isnan(values)
    dates, where = np.unique(days[keep], return_inverse=True)
    if len(dates) < 2:
        return None
    means = np.bincount(where, weights=values[keep]) / np.bincount(where)
    t = (dates - dates[0]) // np.timedelta64(1, "D") / DAYS_PER_YEAR
    return round(float(np.polyfit(t, means, 1)[0]), 9)  # no -1e-16 "decline"


def in_window(dates: pd.Series | np.ndarray, as_of: pd.Timestamp,
              window_years: float = DEFAULT_WINDOW_YEARS) -> pd.Series | np.ndarray:
    """True for the dates within ``window_years`` before ``as_of`` (inclusive); a Series
    or an array (``datetime64``) of dates, the same kind back."""
    end = pd.Timestamp(as_of)
    start = end - pd.Timedelta(days=window_years * DAYS_PER_YEAR)
    # as numpy datetimes: an array compared with a Timestamp goes object by object
    return (dates >= start.to_datetime64()) & (dates <= end.to_datetime64())


def required_pace(gap: float, observed_on: pd.Timestamp,
                  deadline: pd.Timestamp | None) -> float | None:
    """Criteria per year needed to close ``gap`` between ``observed_on`` and ``deadline``.

    None without a deadline or when the deadline is not after the observation.

    Examples
    --------
    >>> round(required_pace(5, pd.Timestamp("2022-05-31"), pd.Timestamp("2022-12-31")), 2)
    8.53
    """
    if deadline is None or pd.isna(deadline):
        return None
    years = years_between(observed_on, deadline)
    return gap / years if years > 0 else None


def projection(gap: float, observed_on: pd.Timestamp, pace: float | None) -> pd.Timestamp | None:
    """The date the observed pace closes the gap (None when the pace is not positive)."""
    if gap <= 0 or pace is None or pd.isna(pace) or pace <= 0:
        return None
    days = gap / pace * DAYS_PER_YEAR
    return (pd.Timestamp(observed_on) + pd.Timedelta(days=days)).normalize()
