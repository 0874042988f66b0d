"""The method of DESIGN §4 on hand-made fixtures, and the checks on the shipped data."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_analysis import config
from ntm_analysis.clean import clean
from ntm_analysis.method import (
    rate_area,
    rating,
    required_pace,
    retrospective,
    unit_gaps,
    unit_targets,
)
from ntm_analysis.method.pace import slope_per_year
from ntm_analysis.method.ratings import (
    ACHIEVED,
    ACHIEVED_LATE,
    ACHIEVED_ON_TIME,
    DECREASING,
    MISSED,
    MODERATE,
    NO_TARGET,
    NOT_ENOUGH_DATA,
    ON_TRACK,
    STAGNATING,
    rate_ratio,
)

D = pd.Timestamp


def tally(day: str, met: int, total: int = 9, *, district: str = "908", commune=None,
          level: str = "huyen_ntm", period: str = "2021-2025", origin: str = "reported"):
    return {"as_of": D(day), "as_of_precision": "day", "period": period, "level": level,
            "admin_era": "legacy", "province_code": "91", "province": "Kiên Giang",
            "district_code": district,
            "district": "An Biên", "commune_code": commune, "commune": None,
            "criteria_met": met, "criteria_total": total, "origin": origin, "source": "test",
            "raw_file": "fixture.csv", "raw_sheet": None, "raw_row": 2, "merged_from": None}


def target(deadline: str, district: str = "908", level: str = "huyen_ntm"):
    return pd.DataFrame([{"level": level, "admin_era": "legacy", "district_code": district,
                          "commune_code": None,
                          "deadline": D(deadline), "target_source": "plan"}])


# ---- formulas -----------------------------------------------------------------------------
@pytest.mark.parametrize("ratio,band", [
    (1.0, ON_TRACK), (3.2, ON_TRACK), (0.999, MODERATE), (0.5, MODERATE), (0.499, STAGNATING),
    (0.0, STAGNATING), (-0.001, DECREASING), (-2, DECREASING),
])
def test_rating_bands_and_their_boundaries(ratio, band):
    assert rate_ratio(ratio) == band


def test_rating_rules_before_the_ratio():
    as_of, deadline = D("2022-06-30"), D("2023-12-31")
    assert rating(0, None, None, None, as_of) == ACHIEVED
    assert rating(3, 2.0, None, None, as_of) == NO_TARGET
    assert rating(3, 5.0, 1.0, D("2022-01-01"), as_of) == MISSED
    assert rating(3, None, 2.0, deadline, as_of) == NOT_ENOUGH_DATA
    assert rating(3, 2.0, 2.0, deadline, as_of) == ON_TRACK


@pytest.mark.parametrize("reached,deadline,expected", [
    ("2022-12-31", "2022-12-31", ACHIEVED_ON_TIME),  # reached on the deadline day: on time
    ("2023-01-01", "2022-12-31", ACHIEVED_LATE),  # a day after
    ("2022-12-30", "2022-12-31", ACHIEVED_ON_TIME),
    (None, "2022-12-31", ACHIEVED),  # the date it was reached is not known
    ("2023-01-01", None, ACHIEVED),  # no plan: neither on time nor late
])
def test_achieved_on_time_or_late_at_the_deadline_boundary(reached, deadline, expected):
    as_of = D("2024-06-30")  # long after both: the deadline's passing changes nothing
    reached_on = D(reached) if reached else None
    deadline_day = D(deadline) if deadline else None
    assert rating(0, None, 0.0, deadline_day, as_of, reached_on) == expected


@pytest.mark.parametrize("reached,deadline,months", [
    ("2022-12-31", "2022-12-31", 0), ("2022-12-01", "2022-12-31", 0),  # early: not late
    ("2023-01-14", "2022-12-31", 0), ("2023-01-16", "2022-12-31", 1),  # half a month
    ("2024-02-20", "2022-12-31", 14), ("2023-05-21", "2022-12-31", 5),
])
def test_months_late(reached, deadline, months):
    from ntm_analysis.method.pace import months_late

    assert months_late(D(reached), D(deadline)) == months


def test_a_year_precision_recognition_counts_at_the_end_of_its_year():
    """"Đạt chuẩn năm 2023" is 31/12/2023: on time for a plan of 2023, late for 2022."""
    t = pd.DataFrame([tally("2022-05-31", 6),
                      dict(tally("2023-12-31", 9, origin="implied-by-recognition"),
                           as_of_precision="year")])
    on_time = unit_gaps(t, targets=target("2023-12-31")).iloc[0]
    late = unit_gaps(t, targets=target("2022-12-31")).iloc[0]
    assert (on_time.rating, late.rating) == (ACHIEVED_ON_TIME, ACHIEVED_LATE)
    assert on_time.reached_on == late.reached_on == D("2023-12-31")


def test_reached_on_is_the_first_full_tally_of_the_latest_set():
    t = pd.DataFrame([tally("2019-06-30", 9, period="2016-2020"),  # another set: not counted
                      tally("2022-06-30", 7), tally("2023-03-31", 9), tally("2024-03-31", 9)])
    g = unit_gaps(t, targets=target("2023-06-30")).iloc[0]
    assert (g.reached_on, g.rating) == (D("2023-03-31"), ACHIEVED_ON_TIME)
    assert pd.isna(unit_gaps(t[t.as_of < "2023-01-01"]).reached_on.iloc[0])  # a gap left
    dropped = pd.concat([t, pd.DataFrame([tally("2025-03-31", 8)])])  # full once, not now
    assert pd.isna(unit_gaps(dropped).reached_on.iloc[0])


def test_required_pace_is_gap_over_years_to_deadline():
    assert required_pace(2, D("2022-01-01"), D("2023-01-01")) == pytest.approx(2 / (365 / 365.25))
    assert required_pace(2, D("2023-01-01"), D("2022-01-01")) is None
    assert required_pace(2, D("2022-01-01"), None) is None


def test_observed_pace_is_the_least_squares_slope_per_year():
    dates = pd.Series([D("2020-01-01"), D("2021-01-01"), D("2022-01-01")])
    assert slope_per_year(dates, pd.Series([3, 5, 7])) == pytest.approx(2, rel=1e-3)
    # several observations on one date are averaged before the fit
    dates2 = pd.Series([D("2020-01-01"), D("2020-01-01"), D("2021-01-01")])
    assert slope_per_year(dates2, pd.Series([2, 4, 5])) == pytest.approx(2, rel=1e-2)
    assert slope_per_year(dates[:1], pd.Series([3])) is None


# ---- units --------------------------------------------------------------------------------
def test_unit_on_track_with_projection():
    t = pd.DataFrame([tally("2021-06-30", 3), tally("2022-06-30", 6)])
    g = unit_gaps(t, targets=target("2023-06-30")).iloc[0]
    assert (g.gap, g.n_obs, g.rating) == (3, 2, ON_TRACK)
    assert g.observed_pace == pytest.approx(3, rel=1e-2)
    assert g.required_pace == pytest.approx(3, rel=1e-2)
    assert abs((g.projected_on - D("2023-06-30")).days) <= 2


def test_unit_decreasing_and_stagnating():
    down = pd.DataFrame([tally("2021-06-30", 6), tally("2022-06-30", 5)])
    assert unit_gaps(down, targets=target("2025-06-30")).rating.item() == DECREASING
    flat = pd.DataFrame([tally("2021-06-30", 5), tally("2022-06-30", 5)])
    g = unit_gaps(flat, targets=target("2025-06-30")).iloc[0]
    assert g.rating == STAGNATING and pd.isna(g.projected_on)


def test_a_line_is_never_fitted_across_two_criteria_sets():
    t = pd.DataFrame([tally("2020-06-30", 8, period="2016-2020"),
                      tally("2022-06-30", 3), tally("2023-06-30", 5)])
    g = unit_gaps(t).iloc[0]
    assert g.n_obs == 2 and g.observed_pace == pytest.approx(2, rel=1e-2)


def test_window_limits_the_fit_to_recent_observations():
    t = pd.DataFrame([tally("2016-06-30", 0, period="2021-2025"), tally("2021-06-30", 3),
                      tally("2022-06-30", 4)])
    assert unit_gaps(t, window_years=3).n_obs.item() == 2
    assert unit_gaps(t, window_years=10).n_obs.item() == 3


def test_implied_recognition_counts_as_an_observation_and_achieves():
    t = pd.DataFrame([tally("2022-05-31", 4), tally("2024-02-20", 9,
                                                    origin="implied-by-recognition")])
    g = unit_gaps(t, targets=target("2022-12-31")).iloc[0]
    # An Biên: planned for 31/12/2022, recognised on 20/02/2024
    assert (g.gap, g.rating, g.origin) == (0, ACHIEVED_LATE, "implied-by-recognition")
    assert g.reached_on == D("2024-02-20")


def test_as_of_cuts_later_rows_and_a_passed_deadline_is_missed():
    t = pd.DataFrame([tally("2022-05-31", 4), tally("2024-02-20", 9)])
    at_2023 = unit_gaps(t, as_of="2023-06-30", targets=target("2022-12-31")).iloc[0]
    assert (at_2023.criteria_met, at_2023.rating) == (4, MISSED)


def test_no_target_gives_gap_and_pace_without_rating():
    t = pd.DataFrame([tally("2021-06-30", 3), tally("2022-06-30", 5)])
    g = unit_gaps(t).iloc[0]
    assert (g.gap, g.rating) == (4, NO_TARGET) and g.observed_pace == pytest.approx(2, rel=1e-2)
    assert pd.isna(g.target_source) and pd.isna(g.deadline) and pd.isna(g.required_pace)


def test_no_tallies_gives_an_empty_table_not_an_error():
    t = pd.DataFrame([tally("2022-05-31", 4)])
    empty = unit_gaps(t[t.district_code == "911"])
    assert empty.empty and {"gap", "rating", "required_pace"} <= set(empty.columns)


# ---- deadline-day boundaries (year-end recognitions on 31/12 are common) ------------------
@pytest.mark.parametrize("as_of,expected", [
    ("2022-12-30", ON_TRACK), ("2022-12-31", ON_TRACK), ("2023-01-01", MISSED)])
def test_a_unit_is_missed_only_from_the_day_after_its_deadline(as_of, expected):
    assert rating(1, 5.0, 1.0, D("2022-12-31"), D(as_of)) == expected


@pytest.mark.parametrize("as_of,expected", [("2022-12-31", NOT_ENOUGH_DATA),
                                            ("2023-01-01", MISSED)])
def test_unit_gaps_on_and_after_the_deadline_day(as_of, expected):
    t = pd.DataFrame([tally("2022-05-31", 4)])
    g = unit_gaps(t, as_of=as_of, targets=target("2022-12-31")).iloc[0]
    assert g.rating == expected
    assert g.required_pace == pytest.approx(5 / (214 / 365.25))


def test_a_gap_still_open_on_the_deadline_of_its_own_observation_is_missed():
    """Observed on the deadline day with a gap: no time is left, so no pace can close it."""
    assert required_pace(3, D("2022-12-31"), D("2022-12-31")) is None
    assert required_pace(3, D("2022-12-30"), D("2022-12-31")) == pytest.approx(3 * 365.25)
    t = pd.DataFrame([tally("2022-12-31", 6)])
    assert unit_gaps(t, targets=target("2022-12-31")).rating.item() == MISSED


@pytest.mark.parametrize("reached,in_time", [("2022-12-31", True), ("2023-01-01", False)])
def test_retrospective_counts_the_deadline_day_as_in_time(reached, in_time):
    t = pd.DataFrame([tally("2022-05-31", 4), tally(reached, 9, origin="implied-by-recognition")])
    row = retrospective(t, "2022-05-31", target("2022-12-31")).iloc[0]
    assert (row.reached_on, row.reached_origin, row.in_time) == \
        (D(reached), "implied-by-recognition", in_time)


def test_retrospective_without_deadline_or_without_reaching_says_none():
    t = pd.DataFrame([tally("2022-05-31", 4), tally("2023-05-31", 8)])
    assert retrospective(t, "2022-05-31", target("2022-12-31")).in_time.item() is None
    reached = pd.DataFrame([tally("2022-05-31", 4), tally("2023-05-31", 9)])
    assert retrospective(reached, "2022-05-31").in_time.item() is None
    # only reported rows on the snapshot date are its units; implied ones are not reports
    implied = pd.DataFrame([tally("2022-05-31", 9, origin="implied-by-recognition")])
    assert retrospective(implied, "2022-05-31").empty


def test_the_window_includes_its_first_day_and_the_observation_day():
    from ntm_analysis.method.pace import in_window

    as_of = D("2022-06-30")
    start = as_of - pd.Timedelta(days=3 * 365.25)
    dates = pd.Series([start - pd.Timedelta(days=1), start, as_of, as_of + pd.Timedelta(days=1)])
    assert in_window(dates, as_of, 3).tolist() == [False, True, True, False]


@pytest.mark.parametrize("gap,pace,expected", [
    (2, 1.0, D("2024-06-29")), (0, 1.0, None), (2, 0.0, None), (2, -1.0, None), (2, None, None)])
def test_projection_only_for_a_positive_pace_and_an_open_gap(gap, pace, expected):
    """Two years of 365.25 days from 30/06/2022 end at noon on 29/06/2024 (a leap year)."""
    from ntm_analysis.method.pace import projection

    assert projection(gap, D("2022-06-30"), pace) == expected


# ---- every column of the gap table --------------------------------------------------------
def test_gap_table_values_for_several_units_in_key_order():
    t = pd.DataFrame([
        tally("2021-06-30", 7, commune="31012", level="xa_ntm_nang_cao", total=19),
        tally("2021-06-30", 3), tally("2022-06-30", 8),             # district: gap 1
        tally("2022-06-30", 19, commune="31009", level="xa_ntm_nang_cao", total=19),
        tally("2022-06-30", 9, district="909"),                     # achieved after deadline
    ])
    targets = pd.concat([target("2023-06-30"), target("2022-01-01", district="909")])
    g = unit_gaps(t, targets=targets)
    assert g.index.tolist() == [0, 1, 2, 3]  # sorted by level, district, commune; fresh index
    assert list(zip(g.level, g.district_code, g.commune_code, strict=True)) == [
        ("huyen_ntm", "908", None), ("huyen_ntm", "909", None),
        ("xa_ntm_nang_cao", "908", "31009"), ("xa_ntm_nang_cao", "908", "31012")]
    an_bien, an_minh, dong_yen, nam_yen = (g.iloc[i] for i in range(4))
    assert (an_bien.gap, an_bien.completion) == (1, pytest.approx(8 / 9))
    assert an_bien.required_pace == pytest.approx(1 / (365 / 365.25))
    assert an_bien.ratio == pytest.approx(an_bien.observed_pace / an_bien.required_pace)
    assert an_bien.observed_pace == pytest.approx(5, rel=1e-2) and an_bien.rating == ON_TRACK
    assert an_bien.target_source == "plan" and an_bien.deadline == D("2023-06-30")
    # achieved after its deadline: no pace needed (not "unknown"), no ratio, no projection
    assert (an_minh.gap, an_minh.required_pace, an_minh.rating) == (0, 0.0, ACHIEVED_LATE)
    assert pd.isna(an_minh.ratio) and pd.isna(an_minh.projected_on)
    # no deadline: plain "achieved", neither on time nor late
    assert (dong_yen.gap, dong_yen.rating, dong_yen.completion) == (0, ACHIEVED, 1.0)
    assert pd.isna(nam_yen.target_source) and pd.isna(nam_yen.deadline)
    assert (nam_yen.rating, nam_yen.n_obs, nam_yen.raw_row) == (NO_TARGET, 1, 2)
    assert pd.isna(nam_yen.ratio) and pd.isna(nam_yen.required_pace)


def test_a_nan_pace_is_not_enough_data_and_projects_nothing():
    from ntm_analysis.method.pace import projection

    assert rating(3, float("nan"), 2.0, D("2023-12-31"), D("2022-06-30")) == NOT_ENOUGH_DATA
    assert projection(2, D("2022-06-30"), float("nan")) is None
    assert required_pace(2, D("2022-06-30"), pd.NaT) is None


def test_the_ratio_only_where_a_pace_is_needed():
    t = pd.DataFrame([
        tally("2020-06-30", 7), tally("2022-06-30", 8),                # gap 1 over 3.5 years
        tally("2021-06-30", 8, district="909"), tally("2022-06-30", 9, district="909"),
    ])
    g = unit_gaps(t, targets=pd.concat([target("2025-12-31"),
                                         target("2023-01-01", district="909")]))
    slow, done = g.iloc[0], g.iloc[1]
    assert 0 < slow.required_pace < 1 and slow.ratio == pytest.approx(
        slow.observed_pace / slow.required_pace)
    # achieved, with a pace observed: nothing is required, so there is no ratio
    assert done.required_pace == 0.0 and done.observed_pace > 0 and pd.isna(done.ratio)


def test_retrospective_looks_after_the_snapshot_only_and_keeps_its_columns():
    t = pd.DataFrame([tally("2022-05-31", 3, district="909"), tally("2022-05-31", 9),
                      tally("2023-05-31", 9)])
    out = retrospective(t, "2022-05-31")
    assert out.district_code.tolist() == ["908", "909"] and out.index.tolist() == [0, 1]
    # complete on the snapshot day already: the first *later* complete tally is the answer
    assert out.reached_on.iloc[0] == D("2023-05-31") and pd.isna(out.reached_on.iloc[1])
    assert str(out.deadline.dtype).startswith("datetime64")  # dates, even with no targets
    assert out.columns.tolist() == [
        "level", "admin_era", "district_code", "commune_code", "district", "commune", "as_of",
        "criteria_met", "criteria_total", "reached_on", "reached_origin", "deadline",
        "in_time"]


# ---- the shipped data ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped():
    """Kiên Giang before 01/07/2025, as its reports read the shipped data."""
    from ntm_analysis import processed

    result = clean(config.RAW_DIR, today=D("2026-11-29"))
    tables = processed.scoped({"tallies": result.tallies, "facts": result.facts,
                               "criteria_status": result.criteria_status}, "legacy", "91")
    return tables["tallies"], tables["facts"]


def test_shipped_gaps_at_31_may_2022(shipped):
    tallies, facts = shipped
    targets = unit_targets(facts, as_of="2022-08-06")
    g = unit_gaps(tallies, as_of="2022-05-31", targets=targets)
    communes = g[g.level == "xa_ntm_nang_cao"].set_index("commune").gap.to_dict()
    assert communes == {"Thạnh Hưng": 2, "Hòn Nghệ": 4, "Đông Yên": 5, "Đông Thạnh": 6,
                        "Hòn Tre": 8, "Vĩnh Hòa Hưng Bắc": 9}
    districts = g[(g.level == "huyen_ntm") & (g.as_of == "2022-05-31")].set_index("district")
    assert districts.gap.to_dict() == {"An Biên": 5, "Kiên Lương": 5, "An Minh": 4,
                                       "Kiên Hải": 6}
    assert districts.loc["An Biên", "required_pace"] == pytest.approx(8.5, abs=0.1)
    assert districts.loc["An Biên", "deadline"] == D("2022-12-31")
    assert districts.loc["An Minh", "deadline"] == D("2023-12-31")
    assert set(districts.rating) == {NOT_ENOUGH_DATA}  # one tally each before June 2022


def test_a_plan_reported_later_applies_when_it_is_the_only_one(shipped):
    _, facts = shipped
    may = unit_targets(facts, as_of="2022-05-31").set_index("district_code")
    assert may.loc["908", "deadline"] == D("2022-12-31")
    assert may.loc["909", "deadline"] == D("2023-12-31")
    replanned = pd.concat([facts, facts[facts.metric == "target_district_ntm_by"].assign(
        as_of=D("2023-01-15"), deadline=D("2024-12-31"))])
    assert unit_targets(replanned, as_of="2022-05-31").set_index("district_code") \
        .loc["908", "deadline"] == D("2022-12-31")
    assert unit_targets(replanned, as_of="2023-06-30").set_index("district_code") \
        .loc["908", "deadline"] == D("2024-12-31")


def test_shipped_province_share_rated_against_116_of_116_by_2025(shipped):
    _, facts = shipped
    rated = rate_area(facts, "ntm_communes", as_of="2021-12-31")
    share = rated[(rated.measure == "share") & (rated.target_text == "116/116")].iloc[0]
    assert share.current == pytest.approx(90 / 116)
    assert share.deadline == D("2025-12-31")
    assert share.required_pace == pytest.approx((1 - 90 / 116) / 4, rel=0.01)
    # from 64/117 (end of 2019) to 90/116: about 0.11 a year against 0.056 needed
    assert 0.08 < share.observed_pace < 0.14 and share.rating == ON_TRACK


def test_shipped_range_target_is_met_at_its_lower_bound(shipped):
    _, facts = shipped
    rated = rate_area(facts, "ntm_districts", as_of="2024-03-18")
    row = rated[rated.target_text == "7-9"].iloc[0]
    assert (row.target, row.target_upper, row.current, row.rating) == (7, 9, 7,
                                                                       ACHIEVED_ON_TIME)


def test_shipped_retrospective_of_may_2022(shipped):
    tallies, facts = shipped
    retro = retrospective(tallies, "2022-05-31", unit_targets(facts, as_of="2022-08-06"))
    by_unit = {(r.commune if isinstance(r.commune, str) else r.district): r
               for r in retro.itertuples()}
    assert len(by_unit) == 10
    assert by_unit["Đông Yên"].reached_on == D("2023-11-02")
    assert by_unit["Hòn Tre"].reached_on == D("2023-11-30")
    assert pd.isna(by_unit["Vĩnh Hòa Hưng Bắc"].reached_on)
    assert by_unit["An Biên"].reached_on == D("2023-05-21")
    assert by_unit["An Biên"].in_time is False
    assert by_unit["Kiên Lương"].reached_origin == "implied-by-recognition"
    # recognised NTM by QĐ 670/QĐ-TTg of 26/03/2025, planned for 2023: reached, late
    assert (by_unit["An Minh"].reached_on, by_unit["An Minh"].in_time) == (D("2025-03-26"),
                                                                          False)


def test_the_2026_2030_set_is_due_by_its_last_day_unless_a_plan_says_otherwise():
    """Issue 13: a 2025-era commune on the 2026-2030 set is due on 31/12/2030; a plan of its
    own wins; a unit on another set gets no deadline from this rule."""
    from ntm_analysis.method.targets import set_end_targets

    new = dict(tally("2026-06-30", 7, 10, district=None, commune="30985", level="xa_ntm",
                     period="2026-2030"), admin_era="2025")
    # the same commune on the old set before 15/02/2026, and on the new set twice
    before = dict(new, as_of=D("2025-11-30"), criteria_met=19, criteria_total=19,
                  period="2021-2025")
    earlier = dict(new, as_of=D("2026-03-31"), criteria_met=6)
    planned = dict(new, commune_code="30910")
    old = tally("2024-06-30", 14, 19, commune="31009", level="xa_ntm", period="2021-2025")
    plan = pd.DataFrame([{"level": "xa_ntm", "admin_era": "2025", "district_code": None,
                          "commune_code": "30910", "deadline": D("2027-12-31"),
                          "stated_on": D("2026-01-15"), "target_source": "plan",
                          "target_raw_file": "plan.csv", "target_raw_row": 2}])
    tallies = pd.DataFrame([new, before, earlier, planned, old])
    targets = set_end_targets(tallies, plan, source="QĐ 51")
    assert targets.columns.tolist() == plan.columns.tolist()  # the shape of unit_targets
    assert targets.index.tolist() == [0, 1]  # one row per unit, a fresh index
    by_code = targets.set_index("commune_code")
    assert by_code.deadline.to_dict() == {"30910": D("2027-12-31"), "30985": D("2030-12-31")}
    assert by_code.loc["30985", "target_source"] == "QĐ 51"
    assert pd.isna(by_code.loc["30985", "stated_on"])  # the rule states nothing on a date
    assert by_code.loc["30985", ["target_raw_file", "target_raw_row"]].isna().all()
    alone = set_end_targets(tallies, plan.iloc[:0], source="QĐ 51")  # no plan at all
    assert sorted(alone.commune_code) == ["30910", "30985"]
    assert alone.index.tolist() == [0, 1] and alone.columns.tolist() == plan.columns.tolist()
    gaps = unit_gaps(pd.DataFrame([new]), targets=targets)
    assert gaps.required_pace.iloc[0] == pytest.approx(3 / ((D("2030-12-31")
                                                             - D("2026-06-30")).days / 365.25))
