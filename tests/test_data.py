"""The analyst's API: units named as offices write them, resolved exactly; the report's
figures for any set of units; charts that take ``data=`` and ``ax=`` and return the Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from builders import write_csv
from conftest import TODAY

from ntm_analysis import data
from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.errors import AmbiguousUnitError, UnitNotFoundError
from ntm_analysis.report import district_report


@pytest.fixture(scope="module")
def tables(processed):
    return data.load(processed)


def test_a_shared_name_raises_with_each_unit_and_a_district_or_code_picks_one(tables):
    with pytest.raises(AmbiguousUnitError) as info:
        data.gaps(tables, ["Bình An"])
    assert len(info.value.candidates) == 2
    kg = data.units("Kiên Giang")
    code = kg[(kg.name == "Bình An") & (kg.district == "Kiên Lương")].code.item()
    by_district = data.trend(tables, "Bình An (Kiên Lương)")
    by_code = data.trend(tables, code)
    assert by_district.equals(by_code)
    assert set(by_district.commune_code) <= {code}


def test_a_near_miss_is_not_guessed(tables):
    with pytest.raises(UnitNotFoundError) as info:
        data.gaps(tables, ["Đông Yênn"])
    assert "Đông Yên" in info.value.suggestions


def test_the_figures_are_the_reports(tables, processed):
    """The district page's gap table and the API's, for the same unit and date."""
    page = district_report("An Biên", processed_dir=processed)
    mine = data.gaps(tables, ["An Biên"], as_of=page.as_of)
    theirs = page.gaps[page.gaps.commune_code.isna()]
    assert mine[["level", "criteria_met", "gap", "rating", "reached_on"]].values.tolist() == \
        theirs[["level", "criteria_met", "gap", "rating", "reached_on"]].values.tolist()


def test_the_criteria_most_often_unmet(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "tieu_chi.csv", [["Ngày", "Huyện", "Xã", "Cấp độ", "Tiêu chí", "Đánh giá"]]
              + [["05/2022", "An Biên", commune, "nâng cao", number, status]
                 for commune, statuses in (("Đông Yên", "x.x"), ("Nam Yên", "..x"))
                 for number, status in zip(("1", "2", "3"),
                                           ["Đạt" if c == "x" else "chưa đạt" for c in statuses],
                                           strict=True)])
    write_outputs(clean(raw, today=TODAY), tmp_path / "out")
    unmet = data.unmet_criteria(data.load(tmp_path / "out"))
    assert unmet[["criterion_number", "communes_unmet"]].values.tolist() == [[2, 2], [1, 1]]


def test_charts_take_data_and_ax_and_return_the_axes(tables):
    fig, (left, right) = plt.subplots(1, 2)
    three = data.gaps(tables, ["An Biên", "Đông Yên", "Hòn Tre"])
    assert data.gap_chart(data=three, ax=left) is left
    trend = data.trend(tables, "Đông Yên", level="xa_ntm_nang_cao")
    assert data.trend_chart(data=trend, ax=right, lang="en") is right
    assert len(left.patches) >= 3 and right.get_title()
    plt.close(fig)


def test_units_of_the_2025_era_and_their_gaps(tables):
    new = data.units("An Giang", era="2025")
    assert len(new) == 102 and new.district.isna().all()
    assert data.gaps(tables, era="2025").empty  # the shipped data has no 2025 tallies
