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
        refs = _joined(group[merged.index].to_numpy(),
                       (merged.raw_file.astype(str) + ":" + merged.raw_row.astype(str))
                       .to_numpy(), "; ")
        sources = _joined(group[merged.index].to_numpy(), merged.source.to_numpy(), None)
        g_kept = group[kept.index].to_numpy()
        has = np.fromiter((g in refs for g in g_kept.tolist()), bool, len(g_kept))
        kept.loc[has, "merged_from"] = [refs[g] for g in g_kept[has].tolist()]
        kept["source"] = kept.source.astype(object)
        kept.loc[has, "source"] = [
            " | ".join(dict.fromkeys(s for s in [src, *sources[g]] if s)) or None
            for src, g in zip(kept.loc[has, "source"], g_kept[has].tolist(), strict=True)
        ]
    return kept.set_index("raw_row"), merged.set_index("raw_row")


def _joined(groups: np.ndarray, texts: np.ndarray, sep: str | None) -> dict[int, object]:
    """Per group, its texts in row order: joined with ``sep``, or as a list when None.

    One pass over the rows (a Python function per group cost 42 s of 56 on a sheet of
    316,000 duplicate groups).
    """
    out: dict[int, list] = {}
    for g, text in zip(groups.tolist(), texts.tolist(), strict=True):
        out.setdefault(g, []).append(text)
    return out if sep is None else {g: sep.join(texts) for g, texts in out.items()}


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
    refs = refs.tolist()
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    sizes = np.diff(np.r_[starts, len(groups)])
    first = np.repeat(starts, sizes).tolist()
    size = np.repeat(sizes, sizes).tolist()
    others = []
    for i, (start, n) in enumerate(zip(first, size, strict=True)):
        named = [refs[j] for j in range(start, start + min(n, MAX_NAMED + 1)) if j != i]
        others.append("; ".join(named[:MAX_NAMED]) + ("; …" if n - 1 > MAX_NAMED else ""))
    frame = rows.set_index("raw_row")
    every = pd.Series(True, index=frame.index)
    ledger.problem(frame, every, column, "conflict",
                   value=pd.Series(labels.to_numpy(), index=frame.index),
                   others=pd.Series(others, index=frame.index),
                   n=pd.Series(np.asarray(size) - 1, index=frame.index))
