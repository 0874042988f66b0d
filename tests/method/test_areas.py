"""Area series and targets on a small hand-made facts table: every number below is worked
out by hand from the rows of ``FACTS``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ntm_analysis.method import area_series, area_targets, rate_area, unit_targets
from ntm_analysis.method.gaps import unit_gaps
from ntm_analysis.method.ratings import ACHIEVED_LATE, ACHIEVED_ON_TIME, MISSED, ON_TRACK

D = pd.Timestamp


def fact(day, metric, kind, value, denominator=None, *, scope="province", district=None,
         commune=None, lower=None, upper=None, text="", deadline=None, row=2, file="f.csv"):
    return {"as_of": D(day), "as_of_precision": "day", "metric": metric, "scope": scope,
            "admin_era": "legacy", "district_code": district, "commune_code": commune,
            "value_kind": kind,
            "value": value, "denominator": denominator, "lower": lower, "upper": upper,
            "value_text": text or str(value), "deadline": deadline, "source": f"nguồn {row}",
            "raw_file": file, "raw_row": row}


FACTS = pd.DataFrame([
    fact("2023-12-31", "ntm_communes", "percent", 90.0, row=4),          # share 0.9, no count
    fact("2021-12-31", "ntm_communes", "ratio", 80.0, 116.0, row=2),
    fact("2022-12-31", "ntm_communes", "ratio", 92.0, 116.0, row=3),
    fact("2020-01-01", "target_2024_nang_cao_communes", "percent", 50.0, row=15),  # no share
    fact("2020-01-01", "target_unparsed", "number", 1.0, row=16),       # not an area target
    fact("2022-12-31", "ntm_communes", "ratio", 5.0, 9.0, scope="district", district="908",
         row=5),
    fact("2022-12-31", "ntm_communes", "ratio", 7.0, 7.0, scope="district", district="911",
         row=6),
    fact("2022-06-30", "ntm_communes", "text", np.nan, text="nhiều xã", row=7),  # not a number
    fact("2022-06-30", "nang_cao_communes", "number", 10.0, row=8),
    fact("2023-06-30", "nang_cao_communes", "number", 16.0, row=9),
    fact("2020-01-01", "target_2025_ntm_communes", "ratio", 116.0, 116.0, row=10),
    fact("2020-01-01", "target_2025_nang_cao_communes", "bound", 30.0, lower=30.0, row=11),
    fact("2020-01-01", "target_2023_nang_cao_communes", "range", 7.0, lower=7.0, upper=9.0,
         row=12, text="7-9"),
    fact("2020-01-01", "target_2025_kieu_mau_communes", "percent", 50.0, row=13),
    fact("2020-01-01", "target_2025_ntm_communes", "ratio", 5.0, 9.0, scope="district",
         district="908", row=14),
])


def test_area_series_shares_counts_and_scope():
    s = area_series(FACTS, "ntm_communes")
    assert s.raw_row.tolist() == [2, 3, 4]  # the text row and the district rows are left out
    assert s.share.round(4).tolist() == [round(80 / 116, 4), round(92 / 116, 4), 0.9]
    assert s["count"].tolist()[:2] == [80.0, 92.0] and np.isnan(s["count"].iloc[2])
    assert s.denominator.tolist()[:2] == [116.0, 116.0] and np.isnan(s.denominator.iloc[2])
    assert s.columns.tolist() == ["as_of", "as_of_precision", "count", "denominator", "share",
                                  "value_text", "source", "raw_file", "raw_row"]
    assert s.index.tolist() == [0, 1, 2]
    district = area_series(FACTS, "ntm_communes", "district", "908")
    assert district.raw_row.tolist() == [5] and district.share.item() == pytest.approx(5 / 9)


def test_area_targets_measure_and_bounds():
    t = area_targets(FACTS).set_index("raw_row")
    assert t.loc[10, ["series", "measure", "target"]].tolist() == ["ntm_communes", "share", 1.0]
    assert t.loc[10, "deadline"] == D("2025-12-31")
    assert t.loc[11, ["measure", "target"]].tolist() == ["count", 30.0]
    assert t.loc[12, ["series", "target", "upper", "value_text"]].tolist() == \
        ["nang_cao_communes", 7.0, 9.0, "7-9"]
    assert t.loc[12, "deadline"] == D("2023-12-31")
    assert t.loc[13, ["measure", "target"]].tolist() == ["share", 0.5]
    assert t.loc[10, ["stated_on", "source", "raw_file"]].tolist() == \
        [D("2020-01-01"), "nguồn 10", "f.csv"]
    assert t.columns.tolist() == ["series", "deadline", "measure", "target", "upper",
                                  "value_text", "stated_on", "source", "raw_file"]
    assert 16 not in t.index and 15 in t.index  # after a metric that is not a target
    none = area_targets(FACTS[FACTS.metric == "ntm_communes"])
    assert none.empty and none.columns.tolist() == ["series", "deadline", "measure", "target",
                                                    "upper", "value_text", "stated_on",
                                                    "source", "raw_file", "raw_row"]
    assert area_targets(FACTS, "district").raw_row.tolist() == [14]


def test_rate_area_share_against_116_of_116():
    row = rate_area(FACTS, "ntm_communes", as_of="2022-12-31").iloc[0]
    assert (row.series, row.measure, row.as_of) == ("ntm_communes", "share", D("2022-12-31"))
    assert row.current == pytest.approx(92 / 116) and row.gap == pytest.approx(24 / 116)
    assert row.n_obs == 2 and row.observed_pace == pytest.approx(12 / 116 * 365.25 / 365,
                                                                 rel=1e-3)
    years = (D("2025-12-31") - D("2022-12-31")).days / 365.25
    assert row.required_pace == pytest.approx(24 / 116 / years)
    assert row.ratio == pytest.approx(row.observed_pace / row.required_pace)
    assert row.rating == ON_TRACK and row.target_source == "nguồn 10"
    # 24 more communes at 12 a year: two years (730 days, to within the day's rounding)
    assert abs((row.projected_on - D("2024-12-30")).days) <= 1
    assert (row.target, row.target_text, row.deadline) == (1.0, "116.0", D("2025-12-31"))


def test_rate_area_uses_only_points_up_to_as_of_and_rates_the_latest_share():
    later = rate_area(FACTS, "ntm_communes").iloc[0]  # as_of: the last point, 90 %
    assert later.as_of == D("2023-12-31") and later.current == pytest.approx(0.9)
    assert later.n_obs == 3


def test_rate_area_counts_ranges_and_a_reached_target():
    rated = rate_area(FACTS, "nang_cao_communes", as_of="2024-01-01").set_index("target_text")
    assert set(rated.index) == {"7-9", "30.0"}  # "50%" has no share to rate: skipped
    reached = rated.loc["7-9"]  # 16 ≥ 7 before the deadline: achieved, nothing more needed
    assert (reached.gap, reached.required_pace, reached.rating) == (0.0, 0.0,
                                                                    ACHIEVED_ON_TIME)
    assert np.isnan(reached.ratio) and pd.isna(reached.projected_on)
    assert reached.target_upper == 9.0
    bound = rated.loc["30.0"]
    assert (bound.current, bound.gap, bound.n_obs) == (16.0, 14.0, 2)
    assert bound.observed_pace == pytest.approx(6 * 365.25 / 365, rel=1e-3)


def test_rate_area_after_the_deadline_and_with_no_usable_point():
    rated = rate_area(FACTS, "nang_cao_communes", as_of="2026-01-01").set_index("target_text")
    assert rated.loc["30.0", "rating"] == MISSED
    assert rate_area(FACTS, "kieu_mau_communes").empty  # a target without any point
    district = rate_area(FACTS, "ntm_communes", scope="district", district_code="908").iloc[0]
    # "5/9" as a target is not all of the district's communes: a count, met by the 5 of 9
    assert (district.measure, district.current, district.n_obs, district.rating) == \
        ("count", 5.0, 1, ACHIEVED_ON_TIME)


def test_rate_area_window_and_an_area_achieved_after_its_deadline():
    short = rate_area(FACTS, "ntm_communes", as_of="2022-12-31", window_years=0.5).iloc[0]
    assert short.n_obs == 1 and pd.isna(short.observed_pace)
    late = pd.DataFrame([
        fact("2024-06-30", "nang_cao_communes", "number", 12.0, row=2),
        fact("2020-01-01", "target_2023_nang_cao_communes", "bound", 10.0, lower=10.0, row=3),
    ])
    row = rate_area(late, "nang_cao_communes").iloc[0]
    assert (row.gap, row.required_pace, row.rating) == (0.0, 0.0, ACHIEVED_LATE)
    assert row.reached_on == D("2024-06-30")  # the first point at the target
    fell_back = pd.concat([late, pd.DataFrame([
        fact("2025-06-30", "nang_cao_communes", "number", 9.0, row=4)])])
    again = rate_area(fell_back, "nang_cao_communes").iloc[0]  # below the target today
    assert again.gap == 1.0 and again.reached_on is None


def test_unit_targets_latest_stated_before_as_of():
    rows = pd.DataFrame([
        fact("2021-01-01", "target_district_ntm_by", "deadline", np.nan, scope="district",
             district="908", deadline=D("2022-12-31"), row=2),
        fact("2022-08-06", "target_district_ntm_by", "deadline", np.nan, scope="district",
             district="908", deadline=D("2023-12-31"), row=3),
        fact("2022-08-06", "target_district_ntm_by", "deadline", np.nan, scope="district",
             district="911", deadline=D("2023-12-31"), row=4),
        fact("2022-08-06", "target_district_ntm_by", "deadline", np.nan, scope="district",
             district="912", deadline=None, row=5),                 # no date: not a deadline
        fact("2022-08-06", "ntm_communes", "ratio", 1.0, 2.0, scope="district",
             district="912", deadline=D("2020-01-01"), row=6),     # not a plan metric
    ])
    on_the_day = unit_targets(rows, as_of="2022-08-06").set_index("district_code")
    assert on_the_day.deadline.to_dict() == {"908": D("2023-12-31"), "911": D("2023-12-31")}
    before = unit_targets(rows, as_of="2022-08-05").set_index("district_code")
    # 908 had a plan then; 911's only plan, stated later, applies (an article reports it)
    assert before.deadline.to_dict() == {"908": D("2022-12-31"), "911": D("2023-12-31")}
    assert before.loc["908", ["stated_on", "target_source", "target_raw_file",
                              "target_raw_row"]].tolist() == [D("2021-01-01"), "nguồn 2",
                                                              "f.csv", 2]
    assert set(before.level) == {"huyen_ntm"} and before.commune_code.isna().all()
    assert unit_targets(rows).deadline.to_dict() == {0: D("2023-12-31"), 1: D("2023-12-31")}
    assert unit_targets(rows).columns.tolist() == [
        "level", "admin_era", "district_code", "commune_code", "deadline", "stated_on",
        "target_source",
        "target_raw_file", "target_raw_row"]


def test_empty_gaps_have_the_columns_of_full_ones():
    one = pd.DataFrame([{
        "as_of": D("2022-05-31"), "as_of_precision": "month", "period": "2021-2025",
        "level": "huyen_ntm", "admin_era": "legacy", "province_code": "91",
        "province": "Kiên Giang",
        "district_code": "908", "district": "An Biên", "commune_code": None, "commune": None,
        "criteria_met": 4, "criteria_total": 9, "origin": "reported", "source": "s",
        "raw_file": "f.csv", "raw_sheet": None, "raw_row": 2, "merged_from": None}])
    full = unit_gaps(one)
    empty = unit_gaps(one, as_of="2020-01-01")
    assert empty.empty and empty.columns.tolist() == full.columns.tolist()


def test_rate_area_window_ends_at_the_latest_point_not_the_report_date():
    """Two years without a new figure do not empty the window: the pace is the one the
    series last showed (the window runs back from its latest point, like the units')."""
    rated = rate_area(FACTS, "nang_cao_communes", as_of="2025-06-30",
                      window_years=1.5).set_index("target_text")
    # 10 on 30/06/2022 and 16 on 30/06/2023 are within 1.5 years of the latest point;
    # counted back from 30/06/2025 only the second would be
    assert rated.loc["30.0", "n_obs"] == 2
    assert rated.loc["30.0", "observed_pace"] == pytest.approx(6 * 365.25 / 365, rel=1e-3)
