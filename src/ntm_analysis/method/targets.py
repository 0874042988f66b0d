"""Deadlines from the plan facts: per unit (``target_district_ntm_by``) and per area series
(``target_2025_nang_cao_communes`` "≥30"). Which metric is a plan is the vocabulary's call
(:mod:`reference.metrics`). Pure functions over the facts table; no I/O.
"""

from __future__ import annotations

import pandas as pd

from ..reference.criteria import period_end
from ..reference.metrics import UNIT_TARGET_LEVEL, area_target

#: A unit of the data: its level and codes, with their era (codes were reused across the
#: break of 01/07/2025, so a series keyed without the era could join two units).
UNIT_KEY = ["level", "admin_era", "district_code", "commune_code"]


def unit_targets(facts: pd.DataFrame, as_of: pd.Timestamp | None = None) -> pd.DataFrame:
    """Deadlines per unit from the plan facts (``target_district_ntm_by`` ...).

    Where a unit has several, the latest stated on or before ``as_of`` applies; a plan only
    reported after ``as_of`` still applies when it is the only one (an article of August
    2022 reports the plan in force in May 2022).
    """
    rows = facts[facts.metric.isin(UNIT_TARGET_LEVEL) & facts.deadline.notna()]
    rows = rows.sort_values("as_of", kind="stable")
    if as_of is not None:
        stated_before = rows.as_of <= pd.Timestamp(as_of)
        key = (rows.admin_era.fillna("") + "|" + rows.district_code.fillna("") + "|"
               + rows.commune_code.fillna("") + "|" + rows.metric)
        has_before = key.isin(set(key[stated_before]))
        first_after = ~stated_before & ~has_before & ~key.duplicated(keep="first")
        rows = rows[stated_before | first_after]
    out = pd.DataFrame({
        "level": rows.metric.map(UNIT_TARGET_LEVEL),
        "admin_era": rows.admin_era,
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


#: Criteria sets whose end is every unit's deadline unless a plan says otherwise (the
#: 2026-2030 set's target year is 2030).
SET_END_DEADLINE_PERIODS = ("2026-2030",)


def set_end_targets(tallies: pd.DataFrame, targets: pd.DataFrame,
                    source: str) -> pd.DataFrame:
    """``targets`` plus, for every unit whose latest tally is on a set of
    :data:`SET_END_DEADLINE_PERIODS` and that has no plan of its own, the last day of that
    set's period as its deadline, with ``source`` as the target's source."""
    if tallies.empty:
        return targets
    latest = tallies.sort_values("as_of", kind="stable").drop_duplicates(UNIT_KEY, keep="last")
    latest = latest[latest.period.isin(SET_END_DEADLINE_PERIODS)]
    if len(targets):
        planned = set(targets[UNIT_KEY].fillna("").itertuples(index=False, name=None))
        latest = latest[[k not in planned for k in
                         latest[UNIT_KEY].fillna("").itertuples(index=False, name=None)]]
    extra = pd.DataFrame({
        **{k: latest[k] for k in UNIT_KEY},
        "deadline": latest.period.map(period_end).astype("datetime64[ns]"),
        "stated_on": pd.NaT, "target_source": source, "target_raw_file": None,
        "target_raw_row": None,
    })
    return pd.concat([targets, extra], ignore_index=True) if len(targets) else \
        extra.reset_index(drop=True)


def area_targets(facts: pd.DataFrame, scope: str = "province") -> pd.DataFrame:
    """Area targets from the plan facts: metric of the series, deadline, bounds, as stated.

    ``target_2025_nang_cao_communes`` "≥30" → series ``nang_cao_communes``, 31/12/2025,
    lower 30. A range ("7-9") is met at its lower bound; "116/116" and "100%" are shares.
    """
    records = []
    for row in facts[(facts.scope == scope) & facts.metric.str.startswith("target_")].itertuples():
        parsed = area_target(row.metric)
        if parsed is None:
            continue
        year, series = parsed
        is_share = row.value_kind == "percent" or (
            row.value_kind == "ratio" and row.value == row.denominator)
        records.append({
            "series": series, "deadline": pd.Timestamp(int(year), 12, 31),
            "measure": "share" if is_share else "count",
            # a bound's or a range's value is its lower bound (cells.parse_fact_value)
            "target": (row.value / 100 if row.value_kind == "percent"
                       else row.value / row.denominator if is_share else row.value),
            "upper": row.upper, "value_text": row.value_text, "stated_on": row.as_of,
            "source": row.source, "raw_file": row.raw_file, "raw_row": row.raw_row,
        })
    return pd.DataFrame(records, columns=["series", "deadline", "measure", "target", "upper",
                                          "value_text", "stated_on", "source", "raw_file",
                                          "raw_row"])
