"""2026–2030 indicators: the office's thresholds sheet and the communes' values, cleaned
with every row accounted for; each wrong row rejected with its reason; a criterion's status
derived from its indicators and a contradicting typed status rejected."""

from __future__ import annotations

import pytest
from builders import assert_accounted, data_rows, write_csv
from conftest import TODAY

from ntm_analysis.clean import clean

DOC = "QĐ 51/2025/QĐ-TTg; Hướng dẫn của tỉnh An Giang"
THRESHOLD_HEADER = ["Mã chỉ tiêu", "Tiêu chí", "Tên chỉ tiêu", "Đơn vị tính", "Chiều",
                    "Nhóm 1", "Nhóm 2", "Nhóm 3", "Văn bản"]
#: invented thresholds of a small test catalogue (the real ones come from the office)
THRESHOLDS = [
    ["6.1", "6", "Tỷ lệ hộ nghèo đa chiều", "%", "tối đa", "1", "2", "4", DOC],
    ["6.2", "6", "Tỷ lệ người tham gia bảo hiểm y tế", "%", "tối thiểu", "95", "95", "90", DOC],
    ["3.1", "3", "Thu nhập bình quân đầu người", "triệu đồng/người/năm", "tối thiểu",
     "90", "80", "60", DOC],
    ["8.1", "8", "Có điểm thu gom rác thải", "có/không", "", "có", "có", "có", DOC],
]
VALUE_HEADER = ["Kỳ báo cáo", "Xã", "Nhóm xã", "Mã chỉ tiêu", "Giá trị", "Nguồn"]
CRITERIA_HEADER = ["Kỳ báo cáo", "Xã", "Cấp độ", "Tiêu chí", "Đánh giá", "Nguồn"]


def thresholds(*extra: list[str], rows=THRESHOLDS) -> list[list[str]]:
    return [THRESHOLD_HEADER, *rows, *extra]


def values(*rows: tuple[str, ...]) -> list[list[str]]:
    return [VALUE_HEADER, *([*r, "báo cáo xã"] for r in rows)]


def cleaned(raw, **files):
    written = {name: data_rows(write_csv(raw / name, rows)) for name, rows in files.items()}
    result = clean(raw, today=TODAY)
    assert_accounted(result, written)
    return result


def reasons(result) -> dict[tuple[str, int], str]:
    rej = result.rejected.dropna(subset=["raw_row"])
    return {(f, int(r)): c for f, r, c in zip(rej.raw_file, rej.raw_row, rej.reason_code,
                                              strict=True)}


def test_a_thresholds_sheet_and_values_become_typed_tables(tmp_path):
    result = cleaned(tmp_path, **{
        "nguong.csv": thresholds(),
        "chi_tieu.csv": values(("30/06/2026", "Xã An Biên", "nhóm 2", "6.1", "3,5%"),
                               ("30/06/2026", "Xã An Biên", "2", "3.1", "72.4"),
                               ("30/06/2026", "Xã An Biên", "2", "8.1", "Có"))})
    limits = result.indicator_thresholds
    assert len(limits) == 12 and set(limits.commune_group) == {1, 2, 3}
    row = limits[(limits.indicator == "3.1") & (limits.commune_group == 2)].iloc[0]
    assert (row.unit, row.direction, row.threshold, row.document) == (
        "million_vnd_per_person_year", "higher", 80.0, DOC)
    vals = result.indicator_values.set_index("indicator")
    assert vals.value.to_dict() == {"6.1": 3.5, "3.1": 72.4, "8.1": 1.0}
    assert set(vals.commune) == {"An Biên"} and set(vals.admin_era) == {"2025"}
    assert set(vals.commune_group) == {2}


@pytest.mark.parametrize("row,reason", [
    (["6.3", "6", "x", "%", "tối thiểu", "95", "cao", "90", DOC], "bad_threshold"),
    (["6.4", "6", "x", "%", "tối thiểu", "80", "90", "95", DOC], "thresholds_group_order"),
    (["6.5", "6", "x", "%", "tối đa", "4", "2", "1", DOC], "thresholds_group_order"),
    (["6.6", "6", "x", "%", "tối thiểu", "95", "95", "90", "Dự thảo 07/2025"],
     "thresholds_draft"),
    (["6.7", "5", "x", "%", "tối thiểu", "95", "95", "90", DOC],
     "indicator_criterion_mismatch"),
    (["11.1", "", "x", "%", "tối thiểu", "95", "95", "90", DOC], "bad_indicator_code"),
    (["6.8", "6", "x", "ha", "tối thiểu", "95", "95", "90", DOC], "unknown_indicator_unit"),
    (["6.9", "6", "x", "%", "", "95", "95", "90", DOC], "unknown_indicator_direction"),
    (["6.1", "6", "again", "%", "tối đa", "1", "2", "4", DOC], "threshold_twice"),
])
def test_a_wrong_thresholds_row_is_rejected_with_its_reason(tmp_path, row, reason):
    result = cleaned(tmp_path, **{"nguong.csv": thresholds(row)})
    assert reasons(result) == {("nguong.csv", len(THRESHOLDS) + 2): reason}


@pytest.mark.parametrize("row,reason", [
    (("30/06/2026", "Xã An Biên", "2", "6.1", "ba phần trăm"), "bad_indicator_value"),
    (("30/06/2026", "Xã An Biên", "2", "8.1", "12"), "bad_indicator_value"),
    (("30/06/2026", "Xã An Biên", "2", "6.1", "140%"), "bad_indicator_value"),
    (("30/06/2026", "Xã An Biên", "2", "9.9", "1"), "indicator_unknown"),
    (("30/06/2026", "Xã An Biên", "4", "6.1", "1"), "bad_commune_group"),
    (("30/01/2026", "Xã An Biên", "2", "6.1", "1"), "indicator_before_period"),
])
def test_a_wrong_value_is_rejected_with_its_reason(tmp_path, row, reason):
    result = cleaned(tmp_path, **{"nguong.csv": thresholds(), "chi_tieu.csv": values(row)})
    assert reasons(result) == {("chi_tieu.csv", 2): reason}


def test_a_value_of_a_group_without_threshold_names_the_group(tmp_path):
    partial = [["6.1", "6", "Tỷ lệ hộ nghèo đa chiều", "%", "tối đa", "1", "", "", DOC]]
    result = cleaned(tmp_path, **{
        "nguong.csv": thresholds(rows=partial),
        "chi_tieu.csv": values(("30/06/2026", "Xã An Biên", "2", "6.1", "1.5"),
                               ("30/06/2026", "Xã Tân Hiệp", "1", "6.1", "1.5"))})
    assert reasons(result) == {("chi_tieu.csv", 2): "threshold_missing"}
    line = result.rejected[result.rejected.reason_code == "threshold_missing"].iloc[0]
    assert "xã nhóm 2" in line.reason and "group 2" in line.reason_en


def test_a_typed_status_that_its_indicators_contradict_is_rejected_with_both(tmp_path):
    result = cleaned(tmp_path, **{
        "nguong.csv": thresholds(),
        "chi_tieu.csv": values(("30/06/2026", "Xã An Biên", "2", "6.1", "3.5"),
                               ("30/06/2026", "Xã An Biên", "2", "6.2", "96"),
                               ("30/06/2026", "Xã An Biên", "2", "8.1", "có")),
        "tieu_chi.csv": [CRITERIA_HEADER,
                         ["30/06/2026", "Xã An Biên", "xã NTM", "6", "Đạt", "x"],
                         ["30/06/2026", "Xã An Biên", "xã NTM", "8", "Đạt", "x"]]})
    assert reasons(result) == {("tieu_chi.csv", 2): "status_contradicts_indicators"}
    line = result.rejected[result.rejected.raw_file == "tieu_chi.csv"].iloc[0]
    assert "đạt / met" in line.reason and "chưa đạt / not met" in line.reason
    assert "6.1" in line.reason  # the unmet indicator, named
    assert result.criteria_status.criterion_number.tolist() == [8]  # agrees: kept


def test_the_commune_page_lists_each_unmet_indicator_with_its_gap_in_its_unit(tmp_path):
    """A filled indicator sheet for xã An Biên with the thresholds: the page derives each
    criterion's status from its indicators and lists the unmet ones with value, threshold
    of the commune's group, gap in the unit and pace to 2030."""
    from ntm_analysis.clean import write_outputs
    from ntm_analysis.report import commune_report

    result = cleaned(tmp_path / "raw", **{
        "nguong.csv": thresholds(),
        "chi_tieu.csv": values(("31/03/2026", "Xã An Biên", "2", "6.1", "4"),
                               ("30/09/2026", "Xã An Biên", "2", "6.1", "3,5"),
                               ("30/09/2026", "Xã An Biên", "2", "6.2", "96"),
                               ("30/09/2026", "Xã An Biên", "2", "3.1", "72.4"),
                               ("30/09/2026", "Xã An Biên", "2", "8.1", "có"))})
    write_outputs(result, tmp_path / "processed")
    page = commune_report("An Biên", processed_dir=tmp_path / "processed",
                          as_of="2026-11-29")
    unmet = page.unmet_indicators().data
    assert unmet["Mã chỉ tiêu"].tolist() == ["3.1", "6.1"]
    income = unmet.iloc[0]
    assert (income["Giá trị"], income["Ngưỡng"], income["Còn thiếu"]) == (
        "72,4 triệu đồng/người/năm", "≥ 80 triệu đồng/người/năm", "7,6 triệu đồng/người/năm")
    poverty = unmet.iloc[1]
    assert (poverty["Giá trị"], poverty["Ngưỡng"], poverty["Còn thiếu"],
            poverty["Kịp 2030?"]) == ("3,5%", "≤ 2%", "1,5%", "Kịp")
    assert income["Kịp 2030?"] == "Chưa đủ 2 kỳ số liệu"
    derived = page.criteria_from_indicators().data.set_index("Số")["Đánh giá gần nhất"]
    assert derived.to_dict() == {3: "Chưa đạt (chỉ tiêu 3.1)", 6: "Chưa đạt (chỉ tiêu 6.1)",
                                 8: "Đạt"}
    figure = page.indicator_charts()
    assert len(figure.figure.axes) == 2  # a panel per unmet indicator
    assert figure.alt == ("Biểu đồ: 2 chỉ tiêu chưa đạt của Xã An Biên, giá trị so với ngưỡng: "
                          "3.1 72,4 triệu đồng/người/năm (ngưỡng ≥ 80 triệu đồng/người/năm); "
                          "6.1 3,5% (ngưỡng ≤ 2%).")
    english = commune_report("An Biên", processed_dir=tmp_path / "processed",
                             as_of="2026-11-29", lang="en").unmet_indicators().data
    assert english.iloc[0]["Gap"] == "7.6 million VND per person per year"


def test_the_thresholds_template_filled_in_a_workbook_is_read_back(tmp_path):
    """``ntm template --thresholds`` writes the sheet; an office fills two rows (openpyxl,
    as Excel would) and ``ntm clean`` reads them; the blank rows are no rows."""
    import subprocess
    import sys

    import openpyxl

    forms = tmp_path / "forms"
    run = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "template", "--thresholds",
                          "--out", str(forms)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    path = forms / "nguong-chi-tieu-2026-2030.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert [c.value for c in ws[1]] == THRESHOLD_HEADER
    assert {str(v.sqref) for v in ws.data_validations.dataValidation} == {
        "D2:D48", "E2:E48", "B2:B48"}
    assert ws.freeze_panes == "A2"  # the headers stay in view down 47 indicators
    for row, values_ in ((2, THRESHOLDS[0]), (3, THRESHOLDS[2])):
        for column, value in enumerate(values_, start=1):
            ws.cell(row=row, column=column, value=float(value) if column in (6, 7, 8)
                    else value)
    raw = tmp_path / "raw"
    raw.mkdir()
    book.save(raw / "nguong.xlsx")
    result = clean(raw, today=TODAY)
    assert result.totals == {"read": 2, "accepted": 2, "merged": 0, "rejected": 0}
    limits = result.indicator_thresholds.set_index(["indicator", "commune_group"]).threshold
    assert limits[("3.1", 1)] == 90 and limits[("6.1", 3)] == 4


def test_the_province_page_says_which_indicators_hold_most_communes_back(tmp_path):
    from ntm_analysis.clean import write_outputs
    from ntm_analysis.report import province_overview_2025

    result = cleaned(tmp_path / "raw", **{
        "nguong.csv": thresholds(),
        "chi_tieu.csv": values(("30/09/2026", "Xã An Biên", "2", "6.1", "3.5"),
                               ("30/09/2026", "Xã Tân Hiệp", "2", "6.1", "2.5"),
                               ("30/09/2026", "Xã Tân Hiệp", "2", "3.1", "85"),
                               ("30/09/2026", "Xã An Biên", "2", "3.1", "70"))})
    write_outputs(result, tmp_path / "processed")
    page = province_overview_2025(processed_dir=tmp_path / "processed", as_of="2026-11-29")
    table = page.indicators_holding_back().data
    assert table.values.tolist() == [
        ["6.1", "Tỷ lệ hộ nghèo đa chiều", 2, 2, "1%"],  # median of 1.5 and 0.5 points
        ["3.1", "Thu nhập bình quân đầu người", 2, 1, "10 triệu đồng/người/năm"]]


def test_an_indicator_listed_without_thresholds_is_kept_and_its_values_rejected(tmp_path):
    """A row with no threshold at all is the office's catalogue entry: accepted, written
    with no group; a value of it is rejected (no threshold for its group)."""
    from ntm_analysis import processed
    from ntm_analysis.clean import write_outputs

    listed = ["7.1", "7", "Chuyển đổi số", "%", "tối thiểu", "", "", "", DOC]
    result = cleaned(tmp_path / "raw", **{
        "nguong.csv": thresholds(listed),
        "chi_tieu.csv": values(("30/09/2026", "Xã An Biên", "2", "7.1", "50"))})
    assert reasons(result) == {("chi_tieu.csv", 2): "threshold_missing"}
    write_outputs(result, tmp_path / "processed")
    table = processed.load(tmp_path / "processed")["indicator_thresholds"]
    entry = table[table.indicator == "7.1"]
    assert len(entry) == 1 and entry.commune_group.isna().all()
    assert str(table.commune_group.dtype) == "Int64"
