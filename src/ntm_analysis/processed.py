"""The contract of ``data/processed``: where each table lives, its columns, how to read it.

``ntm clean`` writes these tables and every later stage reads them through this module, so
the names and columns are written down once (``clean.schemas`` checks the types against the
same column lists; a test keeps the two equal). Reading is light on purpose: no validation
library is imported, because every report kernel reads the tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import config
from .errors import RawDataError
from .messages import msg

#: The two eras of units (``admin_era``): before 01/07/2025, and from that day.
LEGACY, ERA_2025 = "legacy", "2025"
_WHEN_LEVEL = ("as_of", "as_of_precision", "period", "level")
#: ``admin_era`` first: a GSO code means nothing without its era (``legacy`` before
#: 01/07/2025, ``2025`` from that day; codes were reused). 2025 rows have no district.
UNIT_COLUMNS = ("admin_era", "province_code", "province", "district_code", "district",
                "commune_code", "commune")
PROVENANCE_COLUMNS = ("source", "raw_file", "raw_sheet", "raw_row", "merged_from")
#: Where a tally comes from: a sheet, a recognition of the unit (which implies total/total),
#: or its district's recognition or "N/N xã" count (each of its xã at xã NTM).
REPORTED, IMPLIED, IMPLIED_BY_DISTRICT = ("reported", "implied-by-recognition",
                                          "implied-by-district")
ORIGINS = (REPORTED, IMPLIED, IMPLIED_BY_DISTRICT)

COLUMNS: dict[str, tuple[str, ...]] = {
    "tallies": (*_WHEN_LEVEL, *UNIT_COLUMNS, "criteria_met", "criteria_total",
                "commune_group", "origin", "decision", "decided_on",
                "repair", *PROVENANCE_COLUMNS),
    "facts": ("as_of", "as_of_precision", "scope", *UNIT_COLUMNS, "metric", "metric_note",
              "value_text", "value_kind", "value", "denominator", "lower", "upper", "deadline",
              "decision", "standard_year", "criteria_met", "criteria_total", "source_url",
              *PROVENANCE_COLUMNS),
    "criteria_status": (*_WHEN_LEVEL, *UNIT_COLUMNS, "criterion_number", "criterion_name",
                        "met", "note", *PROVENANCE_COLUMNS),
    # the office's thresholds of the 2026–2030 indicators, one row per indicator and group
    "indicator_thresholds": ("indicator", "criterion_number", "name", "unit", "direction",
                             "commune_group", "threshold", "document", "raw_file", "raw_sheet",
                             "raw_row"),
    "indicator_values": ("as_of", "as_of_precision", *UNIT_COLUMNS, "commune_group",
                         "indicator", "value_text", "value", "unit", "source", "raw_file",
                         "raw_sheet", "raw_row"),
    "rejected": ("raw_file", "raw_sheet", "raw_row", "column", "value", "reason_code",
                 "reason", "reason_en", "suggestion", "admin_era", "district_code"),
}


#: the tables that a clean of no such row does not write (``load`` gives them empty)
OPTIONAL = ("criteria_status", "indicator_thresholds", "indicator_values")


def paths(out_dir: Path | None = None) -> dict[str, Path]:
    """Return the path of every processed file under ``out_dir`` (default data/processed)."""
    out = Path(out_dir) if out_dir is not None else config.PROCESSED_DIR
    return {
        "tallies": out / "tallies.parquet",
        "facts": out / "facts.parquet",
        "criteria_status": out / "criteria_status.parquet",
        "indicator_thresholds": out / "indicator_thresholds.parquet",
        "indicator_values": out / "indicator_values.parquet",
        "rejected": out / "rejected.parquet",
        "rejected_csv": out / "rejected.csv",
        "summary": out / "clean_summary.json",
    }


def load(out_dir: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Read the tables written by ``ntm clean``; ``criteria_status`` and the indicator
    tables are empty when absent.

    Raises
    ------
    RawDataError
        When the folder holds no processed tables (``ntm clean`` has not run).
    """
    out_dir = Path(out_dir) if out_dir else config.PROCESSED_DIR
    where = paths(out_dir)
    if not where["tallies"].exists():
        raise RawDataError(out_dir, msg("processed_missing", path=out_dir))
    tables = {name: pd.read_parquet(where[name])
              for name in ("tallies", "facts", "rejected", *OPTIONAL)
              if where[name].exists()}
    for name in OPTIONAL:
        if name not in tables:
            tables[name] = pd.DataFrame(
                {c: pd.Series(dtype="datetime64[ns]" if c == "as_of" else object)
                 for c in COLUMNS[name]})
    return tables


def scoped(tables: dict[str, pd.DataFrame], era: str,
           province_code: str) -> dict[str, pd.DataFrame]:
    """The rows of one era and one province, and the national facts (no era).

    A report of one province never shows another's figures, and never joins two eras: GSO
    codes were reused after 01/07/2025 (the new An Giang is 91, Kiên Giang's old code).
    """
    out = dict(tables)
    for name in ("tallies", "facts", "criteria_status"):
        table = tables[name]
        keep = ((table.admin_era == era) & (table.province_code == province_code)) \
            | table.admin_era.isna()
        out[name] = table[keep]
    return out


#: the tables whose rows belong to a unit, and so to one province of one era
UNIT_TABLES = ("tallies", "facts", "criteria_status", "indicator_values")


def province_slice(tables: dict[str, pd.DataFrame], province_code: str,
                   predecessors: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Every row a page of one 2025-era province can read, and no other.

    Its own rows (2025 era), those of the provinces merged into it (``predecessors``, legacy
    era: its communes' history), the national facts (no era) and the office's indicator
    thresholds (no unit). No rejected row: no page of the 2025 era shows them (they are on
    the clean summary and the legacy pages). A page made from the slice is the page made
    from the whole tables; a national run keys each province's pages on its slice, so that
    one province's new rows re-run its pages only.
    """
    out = dict(tables)
    for name in UNIT_TABLES:
        table = tables[name]
        era, code = table.admin_era, table.province_code
        keep = (((era == ERA_2025) & (code == province_code))
                | ((era == LEGACY) & code.isin(predecessors)) | era.isna())
        out[name] = table[keep].reset_index(drop=True)
    out["rejected"] = tables["rejected"].iloc[:0]
    return out


def reference_date(tables: dict[str, pd.DataFrame],
                   as_of: str | pd.Timestamp | None = None) -> pd.Timestamp:
    """The date a report describes: ``as_of`` when given, else the latest date in the data."""
    if as_of:
        return pd.Timestamp(as_of)
    return max(tables["tallies"].as_of.max(), tables["facts"].as_of.max())


def is_stale(raw_dir: Path, out_dir: Path) -> bool:
    """True when a processed table is missing or older than a file of the raw folder."""
    where = paths(out_dir)
    outputs = [where["tallies"], where["facts"], where["rejected"]]
    if not all(p.exists() for p in outputs):
        return True
    newest_raw = max((p.stat().st_mtime for p in Path(raw_dir).rglob("*") if p.is_file()),
                     default=0)
    return min(p.stat().st_mtime for p in outputs) < newest_raw
