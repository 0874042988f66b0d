"""The national page's rows: every 2025-era province with its units by type, its latest
sourced count of communes at NTM (date and source kept), its coverage; the country's
series by date with every source; nothing summed across provinces but the unit list."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_analysis.processed import load
from ntm_analysis.reference.units import units_2025
from ntm_analysis.report import national_overview
from ntm_analysis.report.national import count_text, national_series, province_rows


@pytest.fixture(scope="module")
def tables(processed):
    return load(processed)


def test_counts_are_written_as_each_language_writes_numbers():
    assert count_text(6084, 7669, "vi") == "6.084/7.669 (79,3%)"
    assert count_text(6084, 7669, "en") == "6,084/7,669 (79.3%)"
    assert count_text(2567, None, "vi") == "2.567" and count_text(17.5, None, "vi") == "17,5"


def test_every_province_once_with_its_units_by_type(tables):
    rows = province_rows(tables)
    units = units_2025()
    assert rows.code.tolist() == sorted(units.provinceCode.unique()) and len(rows) == 34
    kinds = units.groupby(["provinceCode", "wardType"]).size()
    for row in rows.itertuples():
        assert row.units == (units.provinceCode == row.code).sum()
        assert row.Xã == kinds.get((row.code, "Xã"), 0)
    assert rows[["Xã", "Phường", "Đặc khu"]].sum().sum() == len(units) == 3321


def test_a_province_shows_its_latest_sourced_count_with_date_and_raw_row(tables):
    facts = tables["facts"]
    mine = facts[(facts.admin_era == "2025") & (facts.province_code == "91")
                 & (facts.metric == "ntm_communes") & (facts.scope == "province")]
    assert len(mine)
    newest = mine.sort_values("as_of").iloc[-1]
    # an older count of the same province, from another file, is not the one shown
    older = newest.copy()
    older[["as_of", "value", "raw_file", "raw_row"]] = [newest.as_of - pd.Timedelta(days=30),
                                                        1.0, "older.csv", 7]
    with_older = dict(tables, facts=pd.concat([facts, older.to_frame().T.astype(
        facts.dtypes.to_dict())], ignore_index=True))
    row = province_rows(with_older, [("91", "An Giang")]).iloc[0]
    assert (row.value, row.denominator, row.as_of) == (newest.value, newest.denominator,
                                                       newest.as_of)
    assert (row.raw_file, row.raw_row) == (newest.raw_file, newest.raw_row)
    # a province no source counted has no figure, never a zero
    assert pd.isna(province_rows(tables, [("12", "Lai Châu")]).iloc[0].value)


def test_the_page_lists_the_provinces_and_the_countrys_series_with_sources(processed):
    page = national_overview(processed_dir=processed)
    provinces = page.provinces_table()
    frame = provinces.data
    assert len(frame) == 34
    an_giang = frame[frame.iloc[:, 0] == "An Giang"].iloc[0]
    assert an_giang.iloc[4].startswith("69/85") and an_giang.iloc[5] == "14/12/2025"
    assert an_giang.iloc[-1] == "[1]" and "csv:" in provinces._repr_html_()
    series = national_series(load(processed)["facts"])
    table = page.series_table().data
    assert table.iloc[:, 0].tolist() == [d.strftime("%d/%m/%Y")
                                         for d in sorted(series.as_of.unique())]
    assert table.iloc[-1, 1] == "6.084/7.669 (79,3%)"
    # the only total is of the unit list
    kinds = units_2025().wardType.value_counts()
    assert f"34 tỉnh, thành phố: {kinds['Xã']} xã, {kinds['Phường']} phường" in \
        page.unit_totals()._repr_html_()
    figure = page.series_chart()
    assert "30/06/2025: 6.084/7.669 (79,3%)" in figure.alt
