"""A province's slice of the processed tables makes the same pages as the whole tables: the
national run keys each province's pages on its slice, so a row a page reads and the slice
left out would leave a page stale."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ntm_analysis.processed import UNIT_TABLES, load, province_slice
from ntm_analysis.publish.national import write_slice
from ntm_analysis.reference.eras import predecessor_provinces
from ntm_analysis.report import commune_report, province_overview_2025

COMMUNE_PARTS = ("title", "coverage", "headline_sentence", "headline", "gap_table",
                 "criteria_set", "criteria_from_indicators", "unmet_indicators",
                 "predecessor_table", "history_table")
OVERVIEW_PARTS = ("title", "headline_sentence", "unit_counts", "province_figures",
                  "reconciliation", "communes_table", "indicators_holding_back")


@pytest.fixture(scope="module")
def an_giang_slice(processed, tmp_path_factory) -> tuple:
    tables = load(processed)
    folder = tmp_path_factory.mktemp("slice")
    key = write_slice(province_slice(tables, "91", predecessor_provinces("91")),
                      folder)
    return tables, folder, key


def html(report, parts) -> dict[str, str]:
    """Each part's HTML, without the random id pandas' Styler gives each table."""
    return {name: re.sub(r"T_[0-9a-f]{5}", "T_", getattr(report, name)()._repr_html_())
            for name in parts}


def test_the_slice_holds_the_province_its_predecessors_and_the_countrys_rows(an_giang_slice):
    tables, folder, _ = an_giang_slice
    mine = load(folder)
    for name in UNIT_TABLES:
        kept = mine[name]
        pairs = zip(kept.admin_era.fillna("-"), kept.province_code.fillna("-"), strict=True)
        assert set(pairs) <= {("2025", "91"), ("legacy", "89"), ("legacy", "91"), ("-", "-")}
    whole = tables["tallies"]
    legacy_ag = whole[(whole.admin_era == "legacy") & whole.province_code.isin(["89", "91"])]
    assert len(legacy_ag) and len(mine["tallies"]) == len(legacy_ag) + \
        (whole.admin_era.isna() | ((whole.admin_era == "2025") & (whole.province_code == "91"))
         ).sum()
    facts = tables["facts"]
    national = facts[facts.scope == "national"]
    assert len(national) and pd.Index(national.source).isin(mine["facts"].source).all()
    assert mine["rejected"].empty


@pytest.mark.parametrize("commune", ["An Biên", "Vĩnh Hòa Hưng", "Rạch Giá"])
def test_a_commune_page_from_the_slice_is_the_page_from_the_whole_tables(
        an_giang_slice, processed, commune):
    _, folder, _ = an_giang_slice
    whole = commune_report(commune, province="91", processed_dir=processed)
    sliced = commune_report(commune, province="91", processed_dir=folder)
    assert sliced.as_of <= whole.as_of  # the slice may end earlier: the run passes the date
    as_of = whole.as_of
    assert html(commune_report(commune, province="91", as_of=as_of, processed_dir=folder),
                COMMUNE_PARTS) == html(whole, COMMUNE_PARTS)


def test_the_province_page_from_the_slice_is_the_page_from_the_whole_tables(an_giang_slice,
                                                                           processed):
    _, folder, _ = an_giang_slice
    whole = province_overview_2025("91", processed_dir=processed)
    sliced = province_overview_2025("91", as_of=whole.as_of, processed_dir=folder)
    assert html(sliced, OVERVIEW_PARTS) == html(whole, OVERVIEW_PARTS)


def test_the_slice_is_written_once_and_its_key_follows_its_rows(an_giang_slice, processed):
    tables, folder, key = an_giang_slice
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = write_slice(province_slice(tables, "91", ("89", "91")), folder)
    assert again == key  # the same rows: the same key, and no file written again
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written
    # a row of another province changes nothing; a row of this one changes the key
    other = dict(tables, facts=pd.concat([tables["facts"], tables["facts"].iloc[[-1]].assign(
        admin_era="2025", province_code="46")]))
    assert write_slice(province_slice(other, "91", ("89", "91")), folder) == key
    mine = dict(tables, facts=pd.concat([tables["facts"], tables["facts"].iloc[[-1]].assign(
        admin_era="2025", province_code="91", value=1.0)]))
    assert write_slice(province_slice(mine, "91", ("89", "91")), folder) != key
