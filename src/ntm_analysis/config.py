"""Paths and settings. The only module that knows where things live.

Set ``NTM_PROJECT_ROOT`` to point the package at another checkout or data folder, and
``NTM_PROCESSED_DIR`` to read (and write) the processed tables elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA_DIR = PACKAGE_DIR / "reference" / "data"


def _find_root() -> Path:
    env = os.environ.get("NTM_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    # src/ntm_analysis/config.py -> project root, for an editable install
    candidate = PACKAGE_DIR.parents[1]
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


PROJECT_ROOT = _find_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = Path(os.environ.get("NTM_PROCESSED_DIR", DATA_DIR / "processed"))
REPORTS_DIR = PROJECT_ROOT / "reports"
FORMS_DIR = PROJECT_ROOT / "forms"  # the data-entry workbooks of ntm template
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SOURCES_FILE_NAME = "sources.yml"

#: Where a report page's pieces live in its executed notebook: the output type under which
#: report.display writes each heading, note and table as data and publish reads them back
#: (a vendor "+json" type, which nbformat allows and the HTML export does not show).
PIECE_MIME = "application/vnd.ntm-analysis.piece+json"

CRITERIA_FILE = PACKAGE_DATA_DIR / "criteria_sets_2021_2030.csv"
CRITERIA_PERIODS_FILE = PACKAGE_DATA_DIR / "criteria_periods.csv"
#: GSO's spellings of unit names that the address package spells otherwise (scripts/gso_aliases.py)
GSO_ALIASES_FILE = PACKAGE_DATA_DIR / "gso_aliases.csv"
TEMPLATES_DIR = PACKAGE_DIR / "publish" / "templates"

#: GSO code of the province whose units reports cover (Kiên Giang).
DEFAULT_PROVINCE_CODE = os.environ.get("NTM_PROVINCE_CODE", "91")


def cache_dir() -> Path | None:
    """Where tables derived from installed packages are kept between processes (the
    legacy units and the crosswalk to the 2025 units), or None when caching is off.

    ``NTM_CACHE_DIR`` moves it, and an empty value turns it off; the default follows the
    XDG rule (``$XDG_CACHE_HOME/ntm-analysis``, else ``~/.cache/ntm-analysis``). Read at each
    call, so that tests and kernels started with another environment use their own.
    """
    chosen = os.environ.get("NTM_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ntm-analysis"

#: File types the cleaner reads.
RAW_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class XlsxLimits:
    """What a workbook may declare before it is parsed; no real office file comes near."""

    max_mb: int = 200  # uncompressed size of all its parts
    max_ratio: int = 100  # uncompressed / compressed size of one part over 1 MB
    max_rows: int = 1_048_576  # rows of one sheet (Excel's own limit)


def xlsx_limits() -> XlsxLimits:
    """The limits in force: the defaults, or ``NTM_XLSX_MAX_MB``, ``NTM_XLSX_MAX_RATIO`` and
    ``NTM_XLSX_MAX_ROWS`` from the environment."""
    default = XlsxLimits()
    return XlsxLimits(*(int(os.environ.get(f"NTM_XLSX_{name.upper()}", getattr(default, name)))
                        for name in ("max_mb", "max_ratio", "max_rows")))
