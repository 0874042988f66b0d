"""Ratings, after the SDG Index trend dashboards (Sustainable Development Report, SDSN).

The rules, in the order they apply: achieved (gap 0); no target (no deadline); missed (the
deadline has passed with a gap left); not enough data (one observation); then by the ratio r
of observed to required pace: on track (r ≥ 1), moderately improving (0.5 ≤ r < 1),
stagnating (0 ≤ r < 0.5), decreasing (r < 0). Pure functions; no I/O.
"""

from __future__ import annotations

import pandas as pd

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
