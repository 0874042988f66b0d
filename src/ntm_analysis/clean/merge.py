"""Duplicates and conflicts: identical rows merged, differing ones rejected together.

Rows with the same key (unit, level, date...) and the same values are merged into the first
one, which keeps every source and lists the merged rows in ``merged_from``. Rows with the same
key and different values are all rejected, each naming the others: the cleaner never picks
one by guessing.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .columnar import group_codes
from .ledger import Ledger


def dedupe(ledger: Ledger, cand: pd.DataFrame, key: list[str], values: list[str],
            label: Callable[[pd.Series], str],
            column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge identical rows, reject conflicting ones. Return (kept, merged rows)."""
    if cand.empty:
        return cand.assign(merged_from=pd.Series(dtype=object)), cand.iloc[:0]
    cand = cand.reset_index(names="raw_row")
    group = pd.Series(group_codes(cand[key]), index=cand.index)
    value = pd.Series(group_codes(cand[values]), index=cand.index)
    size = group.map(group.value_counts())
    dup = cand[size > 1]
    distinct = value[dup.index].groupby(group[dup.index]).transform("nunique")
    conflict = dup[distinct > 1]
    for _, rows in conflict.groupby(group[conflict.index]):
        for i, row in rows.iterrows():
            others = "; ".join(f"{o.raw_file}:{o.raw_row} ({label(o)})"
                               for j, o in rows.iterrows() if j != i)
            one = pd.DataFrame([row]).set_index("raw_row")
            ledger.problem(one, pd.Series(True, index=one.index), column, "conflict",
                        value=pd.Series([label(row)], index=one.index), others=others)
    clean = cand.drop(index=conflict.index)
    first = ~group[clean.index].duplicated(keep="first")
    kept, merged = clean[first].copy(), clean[~first]
    kept["merged_from"] = None
    if not merged.empty:
        g_merged = group[merged.index]
        refs = (merged.raw_file.astype(str) + ":" + merged.raw_row.astype(str)) \
            .groupby(g_merged).agg("; ".join)
        sources = merged.source.groupby(g_merged).agg(lambda s: [x for x in s if x])
        g_kept = group[kept.index]
        has = g_kept.isin(refs.index)
        kept.loc[has, "merged_from"] = g_kept[has].map(refs)
        kept["source"] = kept.source.astype(object)
        kept.loc[has, "source"] = [
            " | ".join(dict.fromkeys([s for s in [src, *sources[g]] if s])) or None
            for src, g in zip(kept.loc[has, "source"], g_kept[has], strict=True)
        ]
    return kept.set_index("raw_row"), merged.set_index("raw_row")


