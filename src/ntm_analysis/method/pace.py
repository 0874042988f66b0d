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
