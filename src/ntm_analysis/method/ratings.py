"""Ratings, after the SDG Index trend dashboards (Sustainable Development Report, SDSN).

The rules, in the order they apply: achieved (gap 0): on time when the date the standard was
reached is on or before the deadline, late when after it, plain achieved without a deadline
or a known date ("achieved" alone would hide that An Biên was 14 months late); no target
(no deadline); missed (the deadline has passed with a gap left); not enough data (one
observation); then by the ratio r of observed to required pace: on track (r ≥ 1),
moderately improving (0.5 ≤ r < 1), stagnating (0 ≤ r < 0.5), decreasing (r < 0). Pure
functions; no I/O.
"""

from __future__ import annotations

import pandas as pd

ACHIEVED = "achieved"
ACHIEVED_ON_TIME = "achieved_on_time"
ACHIEVED_LATE = "achieved_late"
ON_TRACK = "on_track"
MODERATE = "moderately_improving"
STAGNATING = "stagnating"
DECREASING = "decreasing"
MISSED = "missed"
NOT_ENOUGH_DATA = "not_enough_data"
NO_TARGET = "no_target"
RATINGS = (ACHIEVED, ACHIEVED_ON_TIME, ACHIEVED_LATE, ON_TRACK, MODERATE, STAGNATING,
           DECREASING, MISSED, NOT_ENOUGH_DATA, NO_TARGET)


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
           deadline: pd.Timestamp | None, as_of: pd.Timestamp,
           reached_on: pd.Timestamp | None = None) -> str:
    """Rate one unit or series; see the module docstring for the rules and their order.

    ``reached_on`` is the date the unit first had every criterion (a recognition's date
    when that is how it is known; a year-precision date counts as 31/12 of the year)."""
    if gap <= 0:
        if _missing(deadline) or _missing(reached_on):
            return ACHIEVED
        on_time = pd.Timestamp(reached_on) <= pd.Timestamp(deadline)
        return ACHIEVED_ON_TIME if on_time else ACHIEVED_LATE
    if _missing(deadline):
        return NO_TARGET
    if pd.Timestamp(deadline) < pd.Timestamp(as_of) or required is None:
        return MISSED
    if observed is None or pd.isna(observed):
        return NOT_ENOUGH_DATA
    return rate_ratio(observed / required)


def _missing(day: pd.Timestamp | None) -> bool:
    return day is None or pd.isna(day)
