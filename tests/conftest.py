"""Shared fixtures. Fixture files live in tests/fixtures; generated ones in tmp_path."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from browser import MISSING, find_browser, required

from ntm_analysis import config

FIXTURES = Path(__file__).parent / "fixtures"
#: "Today" of every cleaning in the tests: a date is judged against it (a date in the future
#: is rejected), so the suite gives the same answers on any day
TODAY = pd.Timestamp("2026-11-29")

# the cache of derived tables (config.cache_dir) in a folder of this session, never the
# user's ~/.cache: kernels and workers started by the tests inherit it
os.environ.setdefault("NTM_CACHE_DIR", tempfile.mkdtemp(prefix="ntm-test-cache-"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shipped_raw() -> Path:
    return config.RAW_DIR


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> Path:
    """The shipped raw data cleaned once for the session (read-only for the tests)."""
    from ntm_analysis.clean import clean, write_outputs  # pandera: only where a test cleans

    out = tmp_path_factory.mktemp("processed")
    write_outputs(clean(config.RAW_DIR, today=TODAY), out)
    return out


@pytest.fixture(autouse=True)
def fresh_unit_registry():
    """Each test resolves names in a registry of its own. The registry memoises every
    look-up: a memo warmed by an earlier test would hide a bug of the resolver, and under
    ``make mutation`` every mutant of it (the mutants run in processes forked after the
    whole suite has run once). Building the registry of a province takes milliseconds."""
    from ntm_analysis.reference.units import registry

    registry.cache_clear()


@pytest.fixture
def kg():
    from ntm_analysis.reference.units import registry

    return registry("91")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium the browser tests drive; skip (or fail on CI) when there is none."""
    path = find_browser()
    if path is None:
        if required():
            pytest.fail(MISSING.replace("SKIPPED", "REQUIRED (NTM_REQUIRE_BROWSER is set)"))
        pytest.skip(MISSING)
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's program; skip loudly when it is missing (CI requires it)."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        reason = ("LibreOffice Calc is not installed: the tests with files it produces are "
                  "SKIPPED (apt-get install libreoffice-calc-nogui)")
        if os.environ.get("NTM_REQUIRE_LIBREOFFICE"):
            pytest.fail(reason.replace("SKIPPED", "REQUIRED (NTM_REQUIRE_LIBREOFFICE is set)"))
        pytest.skip(reason)
    return path


def pytest_report_header(config) -> str:
    path = find_browser()
    return f"browser: {path}" if path else MISSING


def pytest_terminal_summary(terminalreporter) -> None:
    if find_browser() is None:  # said again at the end, where nobody misses it
        terminalreporter.write_sep("!", MISSING.split(":")[0], bold=True, red=True)
        terminalreporter.write_line(MISSING)
