"""Shared fixtures. Fixture files live in tests/fixtures; generated ones in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntm_analysis import config

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shipped_raw() -> Path:
    return config.RAW_DIR


@pytest.fixture(scope="session")
def kg():
    from ntm_analysis.units import registry

    return registry("91")
