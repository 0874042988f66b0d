"""Load raw → validate → processed tables + rejected rows, with every row accounted for.

Each raw data row ends up in exactly one place: accepted (``tallies``, ``facts`` or
``criteria_status``), merged into an identical row from another place (both sources kept in
``merged_from``), or rejected with a reason (``rejected``). :func:`clean` returns the tables
and a per-file summary whose counts always add up (:mod:`.ledger`); :func:`write_outputs`
writes them atomically, so a run killed mid-write leaves the previous tables whole.

Steps, after Our World in Data's ETL: Load inputs (:mod:`raw.readers`), Process (one module per
sheet kind, then :mod:`.merge`), Save outputs (:func:`write_outputs`). Parsing is done once
per distinct value, so the cost grows with the number of distinct values, not rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow  # not `pa`: pandera's name in this module

from .. import config, processed
from ..errors import RawDataError
from ..messages import msg
from ..raw.ahead import ReadAhead
from ..raw.files import raw_files
from ..raw.readers import Sheet, SheetProblem
from ..reference.units import ERA_2025, registry
from ..storage import write_csv_for_excel, write_parquet, write_text
from .columnar import sorted_by
from .criteria import criteria_candidates
from .entry_form import contradicted_forms, form_candidates
from .facts import fact_candidates, implied_by_district, implied_tallies
from .indicators import contradicted_statuses, indicator_candidates, threshold_candidates
from .indicators import finish as finish_indicators
from .ledger import Ledger, balanced_summary, rejected_table
from .merge import dedupe
from .schemas import (
    CRITERIA_STATUS_TABLE,
    FACTS_TABLE,
    TALLIES_TABLE,
    empty_frame,
)
from .tallies import tally_candidates


@dataclass
class CleanResult:
    """The processed tables and the per-file accounting of one cleaning run."""

    tallies: pd.DataFrame
    facts: pd.DataFrame
    criteria_status: pd.DataFrame
    rejected: pd.DataFrame
    summary: pd.DataFrame  # file, read, accepted, merged, rejected, unreadable
    #: the office's thresholds, one row per indicator and group; the 2026–2030 values, typed
    indicator_thresholds: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicator_values: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def totals(self) -> dict[str, int]:
        """Total rows read, accepted, merged and rejected over every file."""
        return {k: int(self.summary[k].sum()) for k in ("read", "accepted", "merged", "rejected")}



#: One module per sheet kind: the kind a header row reveals → the function that takes its rows.
HANDLERS = {"tallies": tally_candidates, "facts": fact_candidates,
            "criteria": criteria_candidates, "form": form_candidates,
            "thresholds": threshold_candidates, "indicators": indicator_candidates}


def _process_sheet(ledger: Ledger, sheet: Sheet) -> None:
    rows = sheet.frame.copy()
    rows["raw_file"] = sheet.file
    rows["raw_sheet"] = sheet.sheet
    ledger.read[sheet.file] = ledger.read.get(sheet.file, 0) + len(rows)
    if sheet.repair:  # on every row of the sheet, and once in the summary
        rows["sheet_repair"] = sheet.repair
        ledger.sheet_repairs.setdefault(sheet.file, []).append(
            f"{sheet.sheet}: {sheet.repair}" if sheet.sheet else sheet.repair)
    if not rows.empty:
        HANDLERS[sheet.kind](ledger, rows)


def clean_files(paths: Iterable[Path], raw_dir: Path, *,
                province_code: str = config.DEFAULT_PROVINCE_CODE,
                today: pd.Timestamp | None = None,
                ahead: ReadAhead | None = None) -> CleanResult:
    """Clean the given raw files (paths under ``raw_dir``) into a :class:`CleanResult`.

    Files are read one ahead of the file being cleaned (:class:`raw.ahead.ReadAhead`;
    ``ahead`` when the caller started it earlier, and closes it)."""
    paths = [Path(p) for p in paths]
    if ahead is None:
        with ReadAhead(paths, Path(raw_dir)) as own:
            return clean_files(paths, raw_dir, province_code=province_code, today=today,
                               ahead=own)
    ledger = Ledger(registry(), registry(None, ERA_2025), province_code,
                    pd.Timestamp(today or pd.Timestamp.today()).normalize())
    # Load inputs
    for path in paths:
        try:
            sheets, problems = ahead.take(path)
        except Exception as exc:  # one file that breaks a reader must not stop the others
            rel = Path(path).relative_to(raw_dir).as_posix()
            sheets, problems = [], [SheetProblem(rel, None, "file_error",
                                                 f"{type(exc).__name__}: {exc}"[:300])]
        for problem in problems:
            ledger.sheet_problem(problem)
        # Process
        for sheet in sheets:
            _process_sheet(ledger, sheet)
    return _finish(ledger)


def clean(raw_dir: Path = config.RAW_DIR, **kwargs: object) -> CleanResult:
    """Clean every CSV and XLSX file under ``raw_dir``.

    Raises
    ------
    RawDataError
        When ``raw_dir`` does not exist or holds no CSV or XLSX file that can be read.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise RawDataError(raw_dir, msg("raw_dir_missing", path=raw_dir))
    files = raw_files(raw_dir)
    if not files:
        raise RawDataError(raw_dir, msg("raw_dir_empty", path=raw_dir))
    result = clean_files(files, raw_dir, **kwargs)
    if result.summary.unreadable.notna().all():
        raise RawDataError(raw_dir, msg("raw_dir_empty", path=raw_dir))
    return result


def _concat(frames: list[pd.DataFrame], schema: pa.DataFrameSchema) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames) if frames else empty_frame(schema).set_index("raw_row")


def _tally_label(frame: pd.DataFrame) -> pd.Series:
    return frame.criteria_met.astype(str) + "/" + frame.criteria_total.astype(str)


def _finish(ledger: Ledger) -> CleanResult:
    tallies = _concat(ledger.tallies, TALLIES_TABLE)
    tallies, merged_t = dedupe(ledger, tallies, ["level", "admin_era", "province_code",
                                               "district_code", "commune_code", "as_of",
                                               "as_of_precision"],
                                ["criteria_met", "criteria_total", "commune_group"],
                                _tally_label, "tally")
    facts = _concat(ledger.facts, FACTS_TABLE)
    # a text metric (the criteria most often unmet) holds a list: each value is its own fact
    facts["_item"] = facts.value_text.where(facts.value_kind == "text", "")
    facts, merged_f = dedupe(ledger, facts, ["scope", "admin_era", "province_code",
                                           "district_code",
                                           "commune_code", "as_of", "as_of_precision", "metric",
                                           "metric_note", "_item"],
                              ["value_text"], lambda f: f.value_text.astype(str), "value")
    crit = _concat(ledger.criteria, CRITERIA_STATUS_TABLE)
    crit, merged_c = dedupe(ledger, crit, ["level", "admin_era", "district_code",
                                         "commune_code", "as_of",
                                         "as_of_precision", "criterion_number"], ["met"],
                             lambda f: f.met.astype(str), "status")
    thresholds, values = finish_indicators(ledger)
    typed, crit = crit, contradicted_statuses(ledger, crit, values, thresholds)
    tallies = contradicted_forms(ledger, tallies, typed, crit)
    implied = implied_tallies(facts)
    # a recognition implies its unit's tally, a district's standing its xã's; a row of
    # a sheet on the same unit, level and date wins over both, and a recognition over a
    # district's standing
    for derived in (implied, implied_by_district(implied, facts)):
        tallies = _add_implied(tallies, derived)

    rejected = rejected_table(ledger)
    tallies = _typed(tallies, TALLIES_TABLE, ["as_of", "level", "admin_era", "district_code",
                                              "commune_code"])
    facts = _typed(facts, FACTS_TABLE, ["as_of", "metric", "district_code"])
    crit = _typed(crit, CRITERIA_STATUS_TABLE, ["as_of", "admin_era", "district_code",
                                                "commune_code", "criterion_number"])
    summary = balanced_summary(ledger, tallies, facts, crit, [merged_t, merged_f, merged_c],
                               rejected, (thresholds, values))
    return CleanResult(tallies, facts, crit, rejected, summary, thresholds, values)


def _add_implied(tallies: pd.DataFrame, implied: pd.DataFrame) -> pd.DataFrame:
    """``tallies`` with the ``implied`` rows whose unit, level and date it has no row of."""
    if implied.empty:
        return tallies
    key = ["level", "admin_era", "district_code", "commune_code", "as_of"]
    # the unit columns may be categories (clean/rows.py): compare them as text
    known = set(tallies[key].astype(object).fillna("").itertuples(index=False, name=None))
    fresh = [k not in known for k in implied[key].astype(object).fillna("")
             .itertuples(index=False, name=None)]
    implied = implied[fresh].drop_duplicates(key)
    return pd.concat([tallies, implied.reindex(
        columns=tallies.columns.union(["decision", "decided_on"], sort=False))])


def _typed(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: list[str]) -> pd.DataFrame:
    frame = frame.reset_index(names="raw_row") if "raw_row" not in frame else frame
    frame = sorted_by(frame, [*order, "raw_file", "raw_row"])
    out = pd.DataFrame({name: _text_if_category(frame.get(name)) for name in schema.columns},
                       index=frame.index)
    return schema.validate(out)


def _text_if_category(column: pd.Series | None) -> pd.Series | None:
    """A label column kept as categories (fast to compare and factorize) as text, decoded
    by Arrow from the codes and the categories: pandera's coercion
    (``Categorical.astype(str)``) took about 0.7 s per column of a million rows, this takes
    0.02 s."""
    if column is None or not isinstance(column.dtype, pd.CategoricalDtype):
        return column
    codes = column.cat.codes.to_numpy()
    words = pyarrow.array([str(c) for c in column.cat.categories], type=pyarrow.large_string())
    text = pyarrow.DictionaryArray.from_arrays(pyarrow.array(codes, mask=codes < 0), words) \
        .dictionary_decode()
    return pd.Series(text, index=column.index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


# ---- output -------------------------------------------------------------------------------
def write_outputs(result: CleanResult, out_dir: Path = config.PROCESSED_DIR) -> dict[str, Path]:
    """Write the processed tables atomically; return their paths."""
    paths = processed.paths(out_dir)
    # each file on a thread of its own: Arrow encodes and compresses without the GIL, so
    # the tallies, the rejected rows and their CSV are written side by side
    with ThreadPoolExecutor(max_workers=3) as pool:
        writes = [pool.submit(write_parquet, paths["tallies"], result.tallies),
                  pool.submit(write_parquet, paths["rejected"], result.rejected),
                  pool.submit(write_csv_for_excel, paths["rejected_csv"], result.rejected),
                  pool.submit(write_parquet, paths["facts"], result.facts)]
        for name in processed.OPTIONAL:
            table = getattr(result, name)  # optional: a table of no row is not written
            if not table.empty:
                writes.append(pool.submit(write_parquet, paths[name], table))
            else:
                paths[name].unlink(missing_ok=True)
        for write in writes:
            write.result()  # an error of any write is raised here
    write_text(paths["summary"], json.dumps(
        {"files": result.summary.to_dict("records"), "totals": result.totals},
        ensure_ascii=False, indent=2))
    return paths


__all__ = ["CleanResult", "clean", "clean_files", "implied_tallies", "write_outputs"]
