"""Indicator sheets of the 2026–2030 commune set: the office's thresholds, and the communes'
indicator values.

A thresholds sheet ("ngưỡng chỉ tiêu") has one row per indicator: its code ("6.1"), criterion,
name, unit, direction and a threshold per commune group, with the document they come from.
A values sheet has one row per commune, indicator and date: the value in the indicator's
unit and the commune's group. Values are checked against the thresholds at the end of a
clean (:func:`finish`), since the two sheets may come in any order; a criterion's status
is derived there from its indicators (``method.indicators``) and a typed criterion status
that contradicts them is rejected with both shown.

Refused, each with its reason: a thresholds sheet that cites the draft (its groups are
numbered the other way round); a row whose groups' thresholds run against the final text's
order (``reference.indicators.in_order``); a threshold or a value that is not of its unit's
type; a value of an indicator or a group that has no threshold; two thresholds for one
indicator and group. Every row is accepted or rejected: the ledger balances.
"""

from __future__ import annotations

import pandas as pd

from ..processed import UNIT_COLUMNS
from ..reference import indicators as ind
from ..reference.units import ERA_2025
from ..text import is_blank
from .columnar import apply_unique, column_of
from .ledger import Ledger
from .rows import dates_and_units

GROUP_COLUMNS = {group: f"group_{group}" for group in ind.GROUPS}


def threshold_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate thresholds-sheet rows into ``ledger.thresholds`` (one row per group given)."""
    code = apply_unique(column_of(rows, "indicator"), ind.indicator_code)
    bad_code = code.isna()
    ledger.problem(rows, bad_code, "indicator", "bad_indicator_code")
    stated = apply_unique(column_of(rows, "criterion"),
                          lambda v: None if is_blank(v) else str(v).strip())
    mismatch = ~bad_code & stated.notna() & (stated != code.map(
        lambda c: str(ind.criterion_of(c)) if isinstance(c, str) else None))
    ledger.problem(rows, mismatch, "criterion", "indicator_criterion_mismatch")
    unit = apply_unique(column_of(rows, "unit"), ind.unit_code)
    bad_unit = ~(bad_code | mismatch) & unit.isna()
    ledger.problem(rows, bad_unit, "unit", "unknown_indicator_unit")
    direction = pd.Series([ind.direction_code(d, u) for d, u in
                           zip(column_of(rows, "direction"), unit, strict=True)],
                          index=rows.index)
    pre = bad_code | mismatch | bad_unit
    bad_direction = ~pre & direction.isna()
    ledger.problem(rows, bad_direction, "direction", "unknown_indicator_direction")
    pre |= bad_direction
    draft = ~pre & column_of(rows, "document").map(ind.is_draft)
    ledger.problem(rows, draft, "document", "thresholds_draft")
    pre |= draft
    values = {g: pd.Series([ind.cell_value(v, u) if u else None for v, u in
                            zip(column_of(rows, GROUP_COLUMNS[g]), unit, strict=True)],
                           index=rows.index, dtype=object) for g in ind.GROUPS}
    typed_wrong = pd.Series(False, index=rows.index)
    for g in ind.GROUPS:
        written = ~column_of(rows, GROUP_COLUMNS[g]).map(is_blank)
        wrong = ~pre & ~typed_wrong & written & values[g].isna()
        ledger.problem(rows, wrong, GROUP_COLUMNS[g], "bad_threshold")
        typed_wrong |= wrong
    pre |= typed_wrong
    given = pd.DataFrame(values)
    order = pd.Series([ind.in_order({g: v for g, v in row.items() if v is not None}, d)
                       if d else True for row, d in
                       zip(given.to_dict("records"), direction, strict=True)], index=rows.index)
    ledger.problem(rows, ~pre & ~order, "group_1", "thresholds_group_order")
    ok = ~pre & order
    good = rows[ok]
    if good.empty:
        return
    given = given[ok]
    # one row per group given; a row without any threshold is still the office's row, kept
    # once as the indicator's catalogue entry (no group), so the ledger counts it accepted
    parts = [(g, given[g], given[g].notna()) for g in ind.GROUPS]
    parts.append((pd.NA, pd.Series(float("nan"), index=given.index),
                  given.isna().all(axis=1)))
    frames = [pd.DataFrame({
        "indicator": code[ok][has], "criterion_number": code[ok][has].map(ind.criterion_of),
        "name": column_of(good[has], "name").replace("", None),
        "unit": unit[ok][has], "direction": direction[ok][has], "commune_group": g,
        "threshold": limit[has].astype(float),
        "document": column_of(good[has], "document").replace("", None),
        "raw_file": good.raw_file[has], "raw_sheet": good.raw_sheet[has]},
        index=good.index[has]) for g, limit, has in parts if has.any()]
    ledger.thresholds.append(pd.concat(frames))


def indicator_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate values-sheet rows into ``ledger.indicator_values`` (typed at :func:`finish`)."""
    _, dates, bad_date, units, bad_unit = dates_and_units(ledger, rows)
    pre = bad_date | bad_unit
    early = ~pre & ((units.admin_era != ERA_2025) | (dates.as_of < ind.IN_FORCE))
    ledger.problem(rows, early, "as_of", "indicator_before_period")
    pre |= early
    code = apply_unique(column_of(rows, "indicator"), ind.indicator_code)
    bad_code = ~pre & code.isna()
    ledger.problem(rows, bad_code, "indicator", "bad_indicator_code")
    pre |= bad_code
    group = apply_unique(column_of(rows, "commune_group"), ind.commune_group)
    bad_group = ~pre & group.isna()
    ledger.problem(rows, bad_group, "commune_group", "bad_commune_group")
    good = rows[~(pre | bad_group)]
    if good.empty:
        return
    ledger.indicator_values.append(pd.DataFrame({
        **{c: dates.loc[good.index, c] for c in dates},
        **{c: units.loc[good.index, c].astype(object) for c in UNIT_COLUMNS},
        "commune_group": group[good.index].astype("int64"),
        "indicator": code[good.index],
        "value_text": column_of(good, "value").astype(object),
        "source": column_of(good, "source").replace("", None),
        "raw_file": good.raw_file, "raw_sheet": good.raw_sheet,
    }, index=good.index))


def _reject(ledger: Ledger, frame: pd.DataFrame, mask: pd.Series, column: str, reason: str,
            value: pd.Series | None = None, **fields: pd.Series) -> None:
    """``ledger.problem`` sheet by sheet: rows of several sheets share spreadsheet numbers."""
    for _, part in frame[mask].groupby(["raw_file", "raw_sheet"], dropna=False, sort=False):
        sub = part.set_index("raw_row")
        ledger.problem(sub, pd.Series(True, index=sub.index), column, reason,
                       value=None if value is None else value[part.index].set_axis(sub.index),
                       **{k: v[part.index].set_axis(sub.index) for k, v in fields.items()})


def finish(ledger: Ledger) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The thresholds and the typed indicator values; values without a threshold or not of
    their unit's type, and second thresholds of one indicator and group, rejected."""
    thresholds = (pd.concat(ledger.thresholds).reset_index(names="raw_row")
                  if ledger.thresholds else pd.DataFrame(columns=THRESHOLD_COLUMNS))
    thresholds = thresholds.sort_values(["raw_file", "raw_row"], kind="stable",
                                        ignore_index=True)
    # a group number, or none for an indicator listed without any threshold
    thresholds["commune_group"] = thresholds.commune_group.astype("Int64")
    keyed = thresholds[thresholds.commune_group.notna()]
    twice = keyed.duplicated(["indicator", "commune_group"], keep="first")
    first = keyed[~twice].set_index(["indicator", "commune_group"])
    if twice.any():
        where = keyed[twice].apply(lambda r: "{}:{}".format(
            *first.loc[(r.indicator, r.commune_group), ["raw_file", "raw_row"]]), axis=1)
        _reject(ledger, keyed, twice, "indicator", "threshold_twice", first=where)
    # a row is rejected whole: every group of a row that gave a second threshold goes
    dropped = set(zip(keyed[twice].raw_file, keyed[twice].raw_row, strict=True))
    thresholds = thresholds[pd.Series([k not in dropped for k in zip(
        thresholds.raw_file, thresholds.raw_row, strict=True)], index=thresholds.index,
        dtype=bool)]
    values = (pd.concat(ledger.indicator_values).reset_index(names="raw_row")
              if ledger.indicator_values else pd.DataFrame(columns=VALUE_COLUMNS))
    if values.empty:
        return thresholds[THRESHOLD_COLUMNS].reset_index(drop=True), \
            values.reindex(columns=VALUE_COLUMNS)
    catalogue = thresholds.drop_duplicates("indicator").set_index("indicator")
    known = values.indicator.isin(catalogue.index)
    _reject(ledger, values, ~known, "indicator", "indicator_unknown")
    limits = thresholds[thresholds.commune_group.notna()].drop_duplicates(
        ["indicator", "commune_group"]).set_index(["indicator", "commune_group"]).threshold
    has_limit = pd.Series([(i, g) in limits.index for i, g in
                           zip(values.indicator, values.commune_group, strict=True)],
                          index=values.index)
    missing = known & ~has_limit
    _reject(ledger, values, missing, "commune_group", "threshold_missing",
            group=values.commune_group.astype(str))
    unit = values.indicator.map(catalogue.unit)
    number = pd.Series([ind.cell_value(v, u) if isinstance(u, str) else None
                        for v, u in zip(values.value_text, unit, strict=True)],
                       index=values.index, dtype=object)
    wrong = known & has_limit & number.isna()
    _reject(ledger, values, wrong, "value", "bad_indicator_value",
            value=values.value_text.astype(str), unit=unit.map(lambda u: u or ""))
    ok = known & has_limit & ~wrong
    values = values[ok].assign(value=number[ok].astype(float), unit=unit[ok])
    return (thresholds[THRESHOLD_COLUMNS].reset_index(drop=True),
            values[VALUE_COLUMNS].reset_index(drop=True))


THRESHOLD_COLUMNS = ["indicator", "criterion_number", "name", "unit", "direction",
                     "commune_group", "threshold", "document", "raw_file", "raw_sheet",
                     "raw_row"]
VALUE_COLUMNS = ["as_of", "as_of_precision", *UNIT_COLUMNS, "commune_group", "indicator",
                 "value_text", "value", "unit", "source", "raw_file", "raw_sheet", "raw_row"]


def contradicted_statuses(ledger: Ledger, crit: pd.DataFrame, values: pd.DataFrame,
                          thresholds: pd.DataFrame) -> pd.DataFrame:
    """``crit`` without the typed 2026–2030 statuses that contradict the status their
    indicators give on the same day; each rejected with both."""
    if crit.empty or values.empty:
        return crit
    limits = thresholds.dropna(subset=["commune_group"]).astype({"commune_group": "int64"})
    given = values.merge(limits[["indicator", "commune_group", "threshold", "direction"]],
                         on=["indicator", "commune_group"])
    per_criterion = thresholds.drop_duplicates("indicator").groupby("criterion_number").size()
    derived = ind.derived_statuses(given, per_criterion).dropna(subset=["met"])
    if derived.empty:
        return crit
    table = crit.reset_index(names="raw_row") if "raw_row" not in crit else \
        crit.reset_index(drop=True)
    found = table.merge(derived.rename(columns={"met": "derived"}), how="left",
                        on=["commune_code", "as_of", "criterion_number"])
    clash = ((table.admin_era == ERA_2025) & found.derived.notna()
             & (found.derived.astype(object) != table.met.astype(object))).to_numpy()
    clash = pd.Series(clash, index=table.index)
    if not clash.any():
        return crit
    word = {True: "đạt / met", False: "chưa đạt / not met"}
    _reject(ledger, table, clash, "status", "status_contradicts_indicators",
            typed=table.met.map(word), derived=found.derived.map(word),
            unmet=found.unmet.fillna("").replace("", "—"))
    return crit[~clash.to_numpy()]
