"""Read the processed tables (light: no validation library imported, for report kernels)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import config
from .errors import RawDataError
from .messages import msg

#: Columns of ``criteria_status`` (the same as ``schemas.CRITERIA_STATUS_TABLE``; tested).
CRITERIA_STATUS_COLUMNS = (
    "as_of", "as_of_precision", "period", "level", "province_code", "province", "district_code",
    "district", "commune_code", "commune", "criterion_number", "criterion_name", "met",
    "source", "raw_file", "raw_sheet", "raw_row", "merged_from",
)


def load_processed(out_dir: Path = config.PROCESSED_DIR) -> dict[str, pd.DataFrame]:
    """Read the tables written by ``ntm clean``; ``criteria_status`` is empty when absent."""
    paths = config.processed_paths(out_dir)
    if not paths["tallies"].exists():
        raise RawDataError(Path(out_dir), msg("processed_missing", path=out_dir))
    tables = {name: pd.read_parquet(paths[name])
              for name in ("tallies", "facts", "rejected", "criteria_status")
              if paths[name].exists()}
    if "criteria_status" not in tables:
        tables["criteria_status"] = pd.DataFrame(
            {c: pd.Series(dtype="datetime64[ns]" if c == "as_of" else object)
             for c in CRITERIA_STATUS_COLUMNS})
    return tables
