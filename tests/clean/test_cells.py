"""The cell parsers one value at a time: each form an analyst types, and the typed value or
the reason code it gives (every field compared, so a half-filled result fails)."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_analysis.clean.cells import AsOf, FactValue, Tally, parse_fact_value, parse_status


@pytest.mark.parametrize("text,metric,expected", [
    ("90/116", "ntm_communes", FactValue("ratio", 90.0, 116.0)),
    (" 90 / 116 ", "ntm_communes", FactValue("ratio", 90.0, 116.0)),
    ("≥100", "target_2025_ntm_communes", FactValue("bound", 100.0, lower=100.0)),
    (">= 30", "target", FactValue("bound", 30.0, lower=30.0)),
    (">30", "target", FactValue("bound", 30.0, lower=30.0)),
    ("≤5", "target", FactValue("bound", 5.0, upper=5.0)),
    ("<=5", "target", FactValue("bound", 5.0, upper=5.0)),
    ("<5", "target", FactValue("bound", 5.0, upper=5.0)),
    ("7-9", "target", FactValue("range", 7.0, lower=7.0, upper=9.0)),
    ("7 – 9", "target", FactValue("range", 7.0, lower=7.0, upper=9.0)),
    ("100%", "share", FactValue("percent", 100.0, 100.0)),
    ("87,5 %", "share", FactValue("percent", 87.5, 100.0)),
    ("16,8", "income", FactValue("number", 16.8)),
    ("16.8", "income", FactValue("number", 16.8)),
    ("QĐ 349/QĐ-TTg", "decision", FactValue("decision", 1.0, decision="QĐ 349/QĐ-TTg")),
    ("theo qd 670/QĐ-TTg ngày 26/03/2025", "decision",
     FactValue("decision", 1.0, decision="qd 670/QĐ-TTg")),
    ("cuối năm 2022", "target_district_ntm_by",
     FactValue("deadline", deadline=pd.Timestamp("2022-12-31"))),
    ("2023", "target_district_ntm_by",
     FactValue("deadline", deadline=pd.Timestamp("2023-12-31"))),
    ("sớm", "target_district_ntm_by", FactValue(error="bad_value")),
    ("Giao thông", "common_unmet_criterion_nang_cao", FactValue("text")),
    ("Giao thông", "ntm_communes", FactValue(error="bad_value")),
    ("", "ntm_communes", FactValue(error="empty_value")),
    (None, "ntm_communes", FactValue(error="empty_value")),
])
def test_fact_values(text, metric, expected):
    assert parse_fact_value(text, metric) == expected


@pytest.mark.parametrize("value,expected", [
    *[(v, True) for v in ("✓", "✔", "☑", "✅", "Đạt", "đạt", " DAT ", "x", "X", "1", 1, "có",
                          "yes", "True", "met", "v")],
    *[(v, False) for v in ("chưa đạt", "Chưa Đạt", "không đạt", "0", 0, "không", "no",
                           "false", "not met", "chưa", "", None, float("nan"))],
    *[(v, "bad_status") for v in ("có lẽ", "đạt một phần", "2", "✗", "?")],
])
def test_criterion_status(value, expected):
    assert parse_status(value) == expected


@pytest.mark.parametrize("value,code,kind", [
    ("xa_ntm", "xa_ntm", "commune"), ("XA_NTM_NANG_CAO", "xa_ntm_nang_cao", "commune"),
    ("xa_ntm_kieu_mau", "xa_ntm_kieu_mau", "commune"), (" huyen_ntm ", "huyen_ntm", "district"),
    ("NTM", "xa_ntm", None), ("nâng cao", "xa_ntm_nang_cao", "commune"),
    ("Huyện nông thôn mới", "huyen_ntm", "district"), ("thị xã NTM", "huyen_ntm", "district"),
    ("thành phố", "huyen_ntm", "district"), ("district NTM", "huyen_ntm", "district"),
    ("District", "huyen_ntm", "district"), ("xã", "xa_ntm", "commune"),
    ("commune NTM", "xa_ntm", "commune"), ("Xã nông thôn mới", "xa_ntm", "commune"),
    ("model", "xa_ntm_kieu_mau", "commune"),
    ("Model commune", "xa_ntm_kieu_mau", "commune"), ("kiểu mẫu", "xa_ntm_kieu_mau", "commune"),
    ("advanced", "xa_ntm_nang_cao", "commune"),
    ("advanced commune", "xa_ntm_nang_cao", "commune"),
])
def test_levels_as_codes_or_words(value, code, kind):
    from ntm_analysis.clean.cells import parse_level

    level = parse_level(value)
    assert (level.code, level.kind, level.error) == (code, kind, None)


@pytest.mark.parametrize("value,day,precision", [
    ("2022-05-31", "2022-05-31", "day"), ("31/05/2022", "2022-05-31", "day"),
    ("ngày 1.6.2022", "2022-06-01", "day"), ("2021-12", "2021-12-31", "month"),
    ("05/2022", "2022-05-31", "month"), ("T2/2024", "2024-02-29", "month"),
    ("tháng 12/2022", "2022-12-31", "month"), ("quý I/2022", "2022-03-31", "quarter"),
    ("Quý II/2022", "2022-06-30", "quarter"), ("Q3/2022", "2022-09-30", "quarter"),
    ("quý IV/2022", "2022-12-31", "quarter"), ("2022", "2022-12-31", "year"),
    ("cuối năm 2022", "2022-12-31", "year"), (2022, "2022-12-31", "year"),
    ("1900", "1900-12-31", "year"), ("2100", "2100-12-31", "year"),
    (pd.Timestamp("2022-05-31 13:45"), "2022-05-31", "day"),
    (pd.Timestamp("1900-01-01"), "1900-01-01", "day"),
    (pd.Timestamp("2100-12-31"), "2100-12-31", "day"),
    # numeric cells: a year typed as a number, "5.2022" typed into a number cell
    (2022.0, "2022-12-31", "year"), (5.2022, "2022-05-31", "month"),
])
def test_dates_end_of_the_period_named(value, day, precision):
    from ntm_analysis.clean.cells import parse_as_of

    assert parse_as_of(value) == AsOf(pd.Timestamp(day), precision)


@pytest.mark.parametrize("value,error", [
    ("", "empty_date"), (None, "empty_date"), ("   ", "empty_date"),
    ("1899", "impossible_date"), ("2101", "impossible_date"), ("13/2022", "impossible_date"),
    ("32/01/2022", "impossible_date"), ("quý V/2022", "bad_date"), ("sớm", "bad_date"),
    (2022.5, "bad_date"), (True, "bad_date"),  # half a year is no date; nor is a checkbox
    (pd.Timestamp("1899-12-31"), "impossible_date"), (pd.Timestamp("2101-01-01"),
                                                       "impossible_date"),
])
def test_dates_that_are_no_date_say_why(value, error):
    from ntm_analysis.clean.cells import parse_as_of

    assert parse_as_of(value) == AsOf(error=error)


@pytest.mark.parametrize("value,met,total", [
    ("14/19", 14, 19), ("đạt 14 / 19 tiêu chí", 14, 19), ("14 trên 19", 14, 19),
    ("5 of 9", 5, 9), ("Đạt 9/9 TC", 9, 9), ("14", 14, None), ("14,0", 14, None),
])
def test_tally_texts(value, met, total):
    from ntm_analysis.clean.cells import parse_tally

    assert parse_tally(value) == Tally(met=met, total=total)


@pytest.mark.parametrize("value,group", [
    (1, 1), (2.0, 2), ("3", 3), ("Nhóm 2", 2), ("nhom 1", 1), ("Group 3", 3), ("", None),
    (None, None), (4, "bad_commune_group"), ("2.5", "bad_commune_group"),
    ("nhóm", "bad_commune_group"), (0, "bad_commune_group"),
])
def test_commune_groups(value, group):
    from ntm_analysis.clean.cells import parse_commune_group

    assert parse_commune_group(value) == group
