"""Area series (share of communes at NTM, number of nâng cao communes, districts
recognised) and their rating against the plan's area targets, by the same rules as units.
Pure functions over the facts table; no I/O, no plotting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .pace import DEFAULT_WINDOW_YEARS, in_window, projection, required_pace, slope_per_year
from .ratings import rating
from .targets import area_targets


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


#: the columns of :func:`rate_area`, one row per target
RATED_COLUMNS = ("series", "measure", "as_of", "current", "target", "target_upper",
                 "target_text", "deadline", "gap", "required_pace", "observed_pace", "n_obs",
                 "ratio", "reached_on", "rating", "projected_on", "target_source")


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
        reached = usable.as_of[usable[column] >= target.target]
        reached_on = reached.min() if gap == 0 and len(reached) else None
        required = required_pace(gap, latest_on, target.deadline) if gap > 0 else 0.0
        records.append({
            "series": series, "measure": column, "as_of": latest_on, "current": current,
            "target": target.target, "target_upper": target.upper,
            "target_text": target.value_text, "deadline": target.deadline, "gap": gap,
            "required_pace": required, "observed_pace": observed,
            "n_obs": int(window.as_of.nunique()),
            "ratio": observed / required if observed is not None and required else np.nan,
            "reached_on": reached_on,
            "rating": rating(gap, observed, required, target.deadline, ref, reached_on),
            "projected_on": projection(gap, latest_on, observed),
            "target_source": target.source,
        })
    return pd.DataFrame(records, columns=RATED_COLUMNS)  # no target: no row, same columns
