"""Duplicates and conflicts: identical rows merged, differing ones rejected together.

Rows with the same key (unit, level, date...) and the same values are merged into the first
one, which keeps every source and lists the merged rows in ``merged_from``. Rows with the same
key and different values are all rejected, each naming the others: the cleaner never picks
one by guessing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .columnar import group_codes
from .ledger import Ledger

#: Other rows a conflict message names, at most: a conflict group of 1,000 rows must not
#: write 1,000 names into each of its 1,000 rejections (quadratic in time and size).
MAX_NAMED = 3


def dedupe(ledger: Ledger, cand: pd.DataFrame, key: list[str], values: list[str],
           label: Callable[[pd.DataFrame], pd.Series],
           column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge identical rows, reject conflicting ones. Return (kept, merged rows).

    ``label(frame)`` gives each row's value as shown in a message (``14/19``). Linear in the
    number of rows: groups are found with integer codes, never with a function per group.
    """
    if cand.empty:
        return cand.assign(merged_from=pd.Series(dtype=object)), cand.iloc[:0]
    cand = cand.reset_index(names="raw_row")
    group = pd.Series(group_codes(cand[key]), index=cand.index)
    value = pd.Series(group_codes(cand[values]), index=cand.index)
    size = group.map(group.value_counts())
    dup = group[size > 1]
    distinct = value[dup.index].groupby(dup).transform("nunique")
    conflict = cand.loc[distinct.index[distinct > 1]]
    _reject_conflicts(ledger, conflict, group[conflict.index].to_numpy(), label, column)
    clean = cand.drop(index=conflict.index)
    first = ~group[clean.index].duplicated(keep="first")
    kept, merged = clean[first].copy(), clean[~first]
    kept["merged_from"] = None
    if not merged.empty:
        g_kept, g_merged = group[kept.index].to_numpy(), group[merged.index].to_numpy()
        refs = pc.binary_join_element_wise(
            pa.array(merged.raw_file.astype(str)).cast(pa.string()),
            pc.cast(pa.array(merged.raw_row.to_numpy()), pa.string()), ":")
        merged_from = _joined(g_merged, refs, "; ")
        has = np.isin(g_kept, merged_from.index.to_numpy())
        kept.loc[has, "merged_from"] = merged_from.reindex(g_kept[has]).to_numpy(object)
        # every source of a group once, the kept row's first, then the merged rows' in order
        sources = pd.DataFrame({"g": np.r_[g_kept[has], g_merged],
                                "s": pd.concat([kept.source[has], merged.source],
                                               ignore_index=True).astype(object)})
        sources = sources[sources.s.notna() & (sources.s != "")].drop_duplicates()
        joined = _joined(sources.g.to_numpy(), pa.array(sources.s, pa.string()), " | ")
        kept["source"] = kept.source.astype(object)
        kept.loc[has, "source"] = joined.reindex(g_kept[has]).astype(object) \
            .where(lambda s: s.notna(), None).to_numpy(object)
    return kept.set_index("raw_row"), merged.set_index("raw_row")


def _joined(groups: np.ndarray, texts: pa.Array, sep: str) -> pd.Series:
    """Per group (the index), its texts in row order joined with ``sep``.

    Arrow's hash aggregation, single-threaded, lists each group's values in row order and
    joins them in C++: no Python function per group or per row (a function per group cost
    42 s of 56 on a sheet of 316,000 duplicate groups; a loop per row, 2.5 s of 29).
    """
    lists = pa.table({"g": groups, "t": texts}).group_by("g", use_threads=False) \
        .aggregate([("t", "list")])
    return pd.Series(pc.binary_join(lists["t_list"], sep).to_numpy(zero_copy_only=False),
                     index=lists["g"].to_numpy())


def _reject_conflicts(ledger: Ledger, rows: pd.DataFrame, groups: np.ndarray,
                      label: Callable[[pd.DataFrame], pd.Series], column: str) -> None:
    """Reject every row of a conflicting group; each names up to MAX_NAMED others and the
    number of others."""
    if rows.empty:
        return
    order = np.lexsort((np.arange(len(rows)), groups))
    rows, groups = rows.iloc[order], groups[order]
    labels = label(rows).astype(str)
    refs = (rows.raw_file.astype(str) + ":" + rows.raw_row.astype(str) + " (" + labels + ")")
    refs = refs.to_numpy(dtype=object)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    sizes = np.diff(np.r_[starts, len(groups)])
    first, size = np.repeat(starts, sizes), np.repeat(sizes, sizes)
    # each row names the first MAX_NAMED other rows of its group: of the group's first
    # MAX_NAMED + 1 rows, those that exist and are not the row itself, in order (columns of
    # positions joined by Arrow, not a Python loop over 70,000 conflicting rows)
    here = np.arange(len(groups))
    picks = np.stack([np.where((k < size) & (first + k != here), first + k, -1)
                      for k in range(MAX_NAMED + 1)], axis=1)
    picks = np.take_along_axis(picks, np.argsort(picks < 0, axis=1, kind="stable"), axis=1)
    named = [pa.array(np.where(p >= 0, refs[np.maximum(p, 0)], None), pa.string())
             for p in picks[:, :MAX_NAMED].T]
    joined = pc.binary_join_element_wise(*named, "; ", null_handling="skip")
    others = pc.if_else(pa.array(size - 1 > MAX_NAMED),
                        pc.binary_join_element_wise(joined, "…", "; "), joined) \
        .to_numpy(zero_copy_only=False)
    frame = rows.set_index("raw_row")
    every = pd.Series(True, index=frame.index)
    ledger.problem(frame, every, column, "conflict",
                   value=pd.Series(labels.to_numpy(), index=frame.index),
                   others=pd.Series(others, index=frame.index),
                   n=pd.Series(np.asarray(size) - 1, index=frame.index))
