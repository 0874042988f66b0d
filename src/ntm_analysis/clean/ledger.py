"""The ledger of a cleaning run: every data row accepted, merged or rejected, never lost.

:class:`Ledger` collects the candidate rows of each sheet kind and one problem record per
rejected row or unreadable sheet. :func:`rejected_table` turns the problems into the
``rejected`` table, and :func:`balanced_summary` counts, per file, rows read, accepted,
merged and rejected, and asserts read = accepted + merged + rejected: a row that vanished
is a bug, so the run stops instead of writing tables that silently miss data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import AmbiguousUnitError, UnitNotFoundError
from ..messages import msg
from ..raw.readers import SheetProblem
from ..reference.units import LEGACY, UnitRegistry
from ..text import is_blank
from .columnar import apply_unique, group_codes, sorted_by
from .schemas import REJECTED_TABLE, REPORTED, empty_frame


@dataclass
class Ledger:
    """Accumulates candidates and problems while the sheets are processed.

    Every data row read is counted in ``read``; every problem becomes one row of the
    ``rejected`` table (``problem`` for data rows, ``sheet_problem`` for a file or sheet that
    could not be read). :func:`balanced_summary` then proves that the counts add up.
    """

    registry: UnitRegistry  # units before 01/07/2025
    registry_2025: UnitRegistry  # units from 01/07/2025
    province_code: str
    today: pd.Timestamp
    tallies: list[pd.DataFrame] = field(default_factory=list)
    facts: list[pd.DataFrame] = field(default_factory=list)
    criteria: list[pd.DataFrame] = field(default_factory=list)
    thresholds: list[pd.DataFrame] = field(default_factory=list)  # the office's, per group
    indicator_values: list[pd.DataFrame] = field(default_factory=list)
    problems: list[pd.DataFrame] = field(default_factory=list)
    read: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # rows of sheets refused whole
    unreadable: dict[str, str] = field(default_factory=dict)
    sheet_repairs: dict[str, list[str]] = field(default_factory=dict)  # file → what was undone

    def problem(self, rows: pd.DataFrame, mask: pd.Series, column: str | None,
                reason: str, value: pd.Series | None = None,
                suggestion: pd.Series | None = None, **fields: object) -> None:
        """Record ``reason`` for the rows of ``rows`` selected by ``mask``.

        ``fields`` fill the reason's message: one value for every row, or a Series (aligned
        with ``rows``) for a message per row.
        """
        if not mask.any():
            return
        # the columns a problem line reads, not the whole row: a sheet with many rejected
        # groups would copy every column of every rejected row once per group
        sel = rows.loc[mask, [c for c in dict.fromkeys(("raw_file", "raw_sheet", column,
                                                          "district")) if c in rows]]
        reason_vi, reason_en = (_reasons(reason, fields, mask) if fields else
                                (msg(f"reason_{reason}", lang="vi"),
                                 msg(f"reason_{reason}", lang="en")))
        values = (value[mask] if value is not None
                  else sel[column] if column in sel else pd.Series("", index=sel.index))
        self.problems.append(pd.DataFrame({
            "raw_file": sel["raw_file"].to_numpy(),
            "raw_sheet": sel["raw_sheet"].to_numpy(),
            "raw_row": sel.index.to_numpy(dtype="int64"),
            "column": column,
            "value": _texts(values),
            "reason_code": reason,
            "reason": reason_vi,
            "reason_en": reason_en,
            "suggestion": (suggestion[mask].to_numpy() if suggestion is not None else None),
            "district_text": _texts(sel["district"]) if "district" in sel else None,
        }))

    def sheet_problem(self, problem: SheetProblem) -> None:
        """Record a file or sheet that could not be read as a table."""
        if problem.sheet is None and problem.reason.startswith("file_"):
            self.unreadable[problem.file] = problem.reason
        # the rows of a refused sheet are read and rejected with it, in one line of
        # ``rejected`` (not one per row): the counts still describe the whole file
        self.read[problem.file] = self.read.get(problem.file, 0) + problem.rows
        self.refused[problem.file] = self.refused.get(problem.file, 0) + problem.rows
        rows = " / ".join(msg("refused_rows", lang=lang, n=problem.rows)
                          for lang in ("vi", "en")) if problem.rows else ""
        self.problems.append(pd.DataFrame([{
            "raw_file": problem.file, "raw_sheet": problem.sheet, "raw_row": None,
            "column": None, "value": "; ".join(filter(None, [problem.detail, rows])) or None,
            "reason_code": problem.reason,
            "reason": msg(f"reason_{problem.reason}", lang="vi"),
            "reason_en": msg(f"reason_{problem.reason}", lang="en"), "suggestion": None,
            "district_text": None,
        }]))


def _reasons(reason: str, fields: dict[str, object],
             mask: pd.Series) -> tuple[object, object]:
    """The reason's message in both languages: one text, or one per selected row."""
    per_row = {k: v[mask].tolist() for k, v in fields.items() if isinstance(v, pd.Series)}
    if not per_row:
        return (msg(f"reason_{reason}", lang="vi", **fields),
                msg(f"reason_{reason}", lang="en", **fields))
    same = {k: v for k, v in fields.items() if k not in per_row}
    rows = [dict(zip(per_row, values, strict=True), **same)
            for values in zip(*per_row.values(), strict=True)]
    # the catalogue's text once per language, filled once per row (conflicts: 70,000 rows)
    texts = (msg(f"reason_{reason}", lang="vi"), msg(f"reason_{reason}", lang="en"))
    return tuple([text.format_map(row) for row in rows] for text in texts)


def _texts(values: pd.Series) -> np.ndarray:
    """:func:`cell_text` of every cell, worked out once per distinct cell (a rejected
    sheet repeats its names and dates thousands of times)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    texts = np.array([cell_text(u) for u in uniques], dtype=object)
    return texts[codes] if len(codes) else np.array([], dtype=object)


def cell_text(value: object) -> str:
    """A cell as the text shown in ``rejected`` (dates as ISO dates, blanks empty)."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return "" if value is None or value != value else str(value)



def rejected_table(ledger: Ledger) -> pd.DataFrame:
    frames = [p for p in ledger.problems if not p.empty]
    if not frames:
        return empty_frame(REJECTED_TABLE)
    table = pd.concat(frames, ignore_index=True)
    table["district_code"] = apply_unique(table.district_text.fillna(""),
                                          lambda text: district_code_of(ledger, text))
    table["admin_era"] = table.district_code.notna().map({True: LEGACY, False: None})
    table["raw_row"] = table.raw_row.astype("Int64")
    table = sorted_by(table, ["raw_file", "raw_sheet", "raw_row"], na_first=True)
    return REJECTED_TABLE.validate(table[list(REJECTED_TABLE.columns)])


def district_code_of(ledger: Ledger, text: str) -> str | None:
    """The district a rejected row names, when the name resolves (for report notes)."""
    if is_blank(text):
        return None
    try:
        return ledger.registry.resolve_district(text, ledger.province_code).code
    except (UnitNotFoundError, AmbiguousUnitError):
        return None


def balanced_summary(ledger: Ledger, tallies: pd.DataFrame, facts: pd.DataFrame, crit: pd.DataFrame,
             merged: list[pd.DataFrame], rejected: pd.DataFrame,
             indicators: tuple[pd.DataFrame, ...] = ()) -> pd.DataFrame:
    files = sorted(ledger.read)
    reported = tallies[tallies.origin == REPORTED]
    # a thresholds row is one row per group it gives: counted once per raw row
    rows_of = [t.drop_duplicates(["raw_file", "raw_sheet", "raw_row"]).raw_file
               for t in indicators if not t.empty]
    accepted = pd.concat([reported.raw_file, facts.raw_file, crit.raw_file, *rows_of]) \
        .value_counts()
    merged_counts = pd.concat([m.raw_file for m in merged if not m.empty] or
                              [pd.Series(dtype=object)]).value_counts()
    repaired = pd.concat([t.raw_file[t.repair.notna()] for t in (reported, *merged)
                          if "repair" in t and not t.empty] or [pd.Series(dtype=object)])
    repaired_counts = repaired.value_counts()
    row_rejects = rejected[rejected.raw_row.notna()]
    # one count per rejected row, however many reasons it has
    _, first = np.unique(group_codes(row_rejects[["raw_file", "raw_sheet", "raw_row"]]),
                         return_index=True)
    rejected_counts = row_rejects.raw_file.iloc[first].value_counts()
    summary = pd.DataFrame({
        "file": files,
        "read": [ledger.read[f] for f in files],
        "accepted": [int(accepted.get(f, 0)) for f in files],
        "merged": [int(merged_counts.get(f, 0)) for f in files],
        "rejected": [int(rejected_counts.get(f, 0)) + ledger.refused.get(f, 0) for f in files],
        "unreadable": [ledger.unreadable.get(f) for f in files],
        # accepted or merged rows read differently from their cell (``repair``): a part of
        # accepted + merged, never a fourth way for a row to go
        "repaired": [int(repaired_counts.get(f, 0)) for f in files],
        "sheet_repairs": ["; ".join(ledger.sheet_repairs[f]) if f in ledger.sheet_repairs
                          else None for f in files],
    })
    lost = summary[summary.read != summary.accepted + summary.merged + summary.rejected]
    assert lost.empty, f"rows unaccounted for in {lost.file.tolist()}: {lost.to_dict('records')}"
    return summary


