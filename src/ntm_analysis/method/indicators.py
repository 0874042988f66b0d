"""Numeric gaps of the 2026–2030 indicators: how far each value is from its threshold, in the
indicator's own unit, and whether the commune moves fast enough to reach it by 31/12/2030.

Pure functions; no I/O, no plotting. The inputs are the processed ``indicator_values`` and
``indicator_thresholds`` tables; a value is compared with the threshold of its commune's
group on the day of the value (``reference.indicators``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..reference import indicators as ind

DAYS_PER_YEAR = 365.25
GAP_COLUMNS = ["commune_code", "commune", "indicator", "criterion_number", "name", "unit",
               "direction", "commune_group", "as_of", "value", "threshold", "met", "gap",
               "observed_pace", "required_pace", "on_pace", "document", "raw_file", "raw_row"]


def with_thresholds(values: pd.DataFrame, thresholds: pd.DataFrame) -> pd.DataFrame:
    """``values`` with the threshold, direction, name and document of their indicator for
    their commune's group (a value without one is left out: the cleaner rejected it)."""
    limits = thresholds.dropna(subset=["commune_group"]).astype({"commune_group": "int64"})
    return values.drop(columns=["unit"], errors="ignore").merge(
        limits[["indicator", "commune_group", "criterion_number", "name", "unit", "direction",
                "threshold", "document"]], on=["indicator", "commune_group"])


def indicator_gaps(values: pd.DataFrame, thresholds: pd.DataFrame,
                   as_of: pd.Timestamp | None = None,
                   deadline: pd.Timestamp = ind.PERIOD_END) -> pd.DataFrame:
    """One row per commune and indicator: its latest value up to ``as_of``, the threshold of
    its group, whether it is met, the gap in the indicator's unit (0 when met) and, with two
    or more dated values, the observed pace per year against the pace per year needed to
    close the gap by ``deadline`` (``on_pace``; None when it cannot be told).

    Examples
    --------
    >>> values = pd.DataFrame({"commune_code": ["30985"] * 2, "commune": ["An Biên"] * 2,
    ...     "indicator": ["6.1"] * 2, "commune_group": [2, 2], "value": [4.0, 3.5],
    ...     "as_of": pd.to_datetime(["2026-06-30", "2027-06-30"]), "unit": ["percent"] * 2,
    ...     "raw_file": ["a.csv"] * 2, "raw_row": [2, 3]})
    >>> limits = pd.DataFrame({"indicator": ["6.1"], "criterion_number": [6],
    ...     "name": ["Tỷ lệ hộ nghèo"], "unit": ["percent"], "direction": ["lower"],
    ...     "commune_group": [2], "threshold": [2.0], "document": ["QĐ 51"]})
    >>> row = indicator_gaps(values, limits).iloc[0]
    >>> [round(float(x), 2) for x in row[["value", "gap", "observed_pace", "required_pace"]]]
    [3.5, 1.5, -0.5, -0.43]
    >>> bool(row.on_pace)
    True
    """
    rows = with_thresholds(values, thresholds)
    if as_of is not None:
        rows = rows[rows.as_of <= as_of]
    if rows.empty:
        return pd.DataFrame(columns=GAP_COLUMNS)
    rows = rows.sort_values(["commune_code", "indicator", "as_of"], kind="stable")
    first = rows.groupby(["commune_code", "indicator"]).head(1).set_index(
        ["commune_code", "indicator"])
    latest = rows.groupby(["commune_code", "indicator"]).tail(1).set_index(
        ["commune_code", "indicator"])
    latest["met"] = [ind.met(v, t, d) for v, t, d in
                     zip(latest.value, latest.threshold, latest.direction, strict=True)]
    latest["gap"] = [ind.gap(v, t, d) for v, t, d in
                     zip(latest.value, latest.threshold, latest.direction, strict=True)]
    years = (latest.as_of - first.as_of).dt.days / DAYS_PER_YEAR
    # per year, signed as the value moves: a falling poverty rate has a negative pace
    latest["observed_pace"] = np.where(years > 0, (latest.value - first.value) / years.where(
        years > 0, 1), np.nan)
    left = (deadline - latest.as_of).dt.days / DAYS_PER_YEAR
    latest["required_pace"] = np.where(left > 0, (latest.threshold - latest.value) / left.where(
        left > 0, 1), np.nan)
    latest["on_pace"] = [
        None if met_ or np.isnan(observed) or np.isnan(required) else
        bool(observed >= required) if direction == "higher" else bool(observed <= required)
        for met_, observed, required, direction in
        zip(latest.met, latest.observed_pace, latest.required_pace, latest.direction,
            strict=True)]
    out = latest.reset_index()
    out = out.assign(order=out.indicator.map(lambda c: tuple(int(p) for p in c.split("."))))
    return out.sort_values(["commune_code", "order"]).reindex(columns=GAP_COLUMNS) \
        .reset_index(drop=True)


def holding_back(gaps: pd.DataFrame) -> pd.DataFrame:
    """Which indicators hold most communes back: per indicator (of :func:`indicator_gaps`),
    the communes with a value, those not meeting it and their median gap in its unit; most
    communes held back first.

    Examples
    --------
    >>> gaps = pd.DataFrame({"indicator": ["6.1", "6.1", "3.1"], "name": ["a", "a", "b"],
    ...     "unit": ["percent", "percent", "count"], "commune_code": ["1", "2", "1"],
    ...     "met": [False, False, True], "gap": [1.5, 0.5, 0.0]})
    >>> holding_back(gaps)[["indicator", "communes", "not_met", "median_gap"]].values.tolist()
    [['6.1', 2, 2, 1.0], ['3.1', 1, 0, nan]]
    """
    columns = ["indicator", "name", "unit", "communes", "not_met", "median_gap"]
    if gaps.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for code, group in gaps.groupby("indicator", sort=False):
        short = group[~group.met.astype(bool)]
        rows.append((code, group.name.iloc[0], group.unit.iloc[0],
                     group.commune_code.nunique(), short.commune_code.nunique(),
                     float(short.gap.median()) if len(short) else float("nan")))
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["not_met", "median_gap"], ascending=[False, False],
                           ignore_index=True)


def criteria_from_indicators(gaps: pd.DataFrame, thresholds: pd.DataFrame) -> pd.DataFrame:
    """Each criterion's status from the latest values of its indicators
    (:func:`reference.indicators.derived_statuses` on :func:`indicator_gaps`'s rows), with
    how many of its indicators have a value."""
    per_criterion = thresholds.drop_duplicates("indicator").groupby("criterion_number").size()
    if gaps.empty:
        return pd.DataFrame(columns=["commune_code", "criterion_number", "met", "unmet",
                                     "given", "indicators"])
    latest = gaps.assign(as_of=gaps.groupby("commune_code").as_of.transform("max"))
    derived = ind.derived_statuses(latest, per_criterion).drop(columns="as_of")
    given = gaps.groupby(["commune_code", "criterion_number"]).indicator.nunique()
    derived["given"] = [int(given.get((c, n), 0)) for c, n in
                        zip(derived.commune_code, derived.criterion_number, strict=True)]
    derived["indicators"] = derived.criterion_number.map(per_criterion).astype("int64")
    return derived
