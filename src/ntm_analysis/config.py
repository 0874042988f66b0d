"""Paths and settings. The only module that knows where things live.

Set ``NTM_PROJECT_ROOT`` to point the package at another checkout or data folder, and
``NTM_PROCESSED_DIR`` to read (and write) the processed tables elsewhere.
"""

from __future__ import annotations

import os
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
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SOURCES_FILE_NAME = "sources.yml"

CRITERIA_FILE = PACKAGE_DATA_DIR / "criteria_sets_2021_2030.csv"
CRITERIA_PERIODS_FILE = PACKAGE_DATA_DIR / "criteria_periods.csv"
TEMPLATES_DIR = PACKAGE_DIR / "publish" / "templates"

#: GSO code of the province whose units reports cover (Kiên Giang).
DEFAULT_PROVINCE_CODE = os.environ.get("NTM_PROVINCE_CODE", "91")

#: File types the cleaner reads.
RAW_SUFFIXES = (".csv", ".xlsx")
