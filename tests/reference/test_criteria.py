"""The criteria catalogue: counts per level and set, names in both languages with their
`verified` flag, criterion look-up, and the catalogue pinned to the shared file."""

import hashlib

import pandas as pd
import pytest

from ntm_analysis.reference import criteria as c


def test_counts_per_level_and_period():
    assert c.criteria_total(c.XA_NTM, "2021-2025") == 19
    assert c.criteria_total(c.XA_NANG_CAO, "2021-2025") == 19
    assert c.criteria_total(c.HUYEN_NTM, "2021-2025") == 9
    assert c.criteria_total(c.XA_NTM, "2026-2030") == 10
    assert c.criteria_total(c.HUYEN_NTM, "2026-2030") is None  # no district level after 2025
    assert c.criteria_total(c.XA_KIEU_MAU, "2021-2025") is None  # no x/19 scale of its own


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="unknown level"):
        c.criteria_total("xa_nnt", "2021-2025")


def test_names_in_both_languages_keep_verified_flag_and_basis():
    vi = c.criteria_names(c.XA_NTM, lang="vi")
    en = c.criteria_names(c.XA_NTM, lang="en")
    assert vi.loc[vi.number == 2, "name"].item() == "Giao thông"
    assert en.loc[en.number == 2, "name"].item() == "Transport"
    nang_cao = c.criteria_names(c.XA_NANG_CAO)
    assert set(nang_cao.verified) == {"no", "yes"}
    assert nang_cao.legal_basis.str.contains("318/QĐ-TTg").all()


# SHA-256 of ../shared/data/criteria_sets_2021_2030.csv as copied (2026-11-29): pinned here so
# that every run, CI's clean clone included, checks the catalogue was not edited by hand
CATALOGUE_SHA256 = "f5c229794e1f87d84c0ec325160744d883ec9e0fd192b23f13adf3e5dfacaf05"


def test_catalogue_is_the_shared_file_unchanged(shipped_raw):
    assert hashlib.sha256(c.CRITERIA_FILE.read_bytes()).hexdigest() == CATALOGUE_SHA256
    shared = shipped_raw.parents[2] / "shared" / "data" / "criteria_sets_2021_2030.csv"
    if shared.exists():  # beside a developer's checkout: the shared file has not moved on
        assert c.CRITERIA_FILE.read_bytes() == shared.read_bytes()


@pytest.mark.parametrize("text,number", [
    ("2", 2), ("TC2", 2), ("tc 2", 2), ("Tiêu chí 2", 2), ("Giao thông", 2), ("giao thong", 2),
    ("Y tế", 15), ("20", None), ("Giao thong nong thon", None),
])
def test_criterion_number(text, number):
    assert c.criterion_number(text, c.XA_NTM) == number


@pytest.mark.parametrize("day,period", [
    ("2019-05-02", "2016-2020"), ("2022-03-07", "2016-2020"), ("2022-03-08", "2021-2025"),
    ("2022-05-31", "2021-2025"), ("2026-03-01", "2026-2030"), ("2012-01-01", None),
])
def test_period_of(day, period):
    assert c.period_of(pd.Timestamp(day)) == period
