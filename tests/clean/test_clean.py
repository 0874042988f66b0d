"""The cleaning contract: what is accepted, what is rejected and why, and that no row is lost."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import (
    assert_accounted,
    data_rows,
    encode_cp1258,
    letterhead_workbook,
    tally_rows,
    write_csv,
)
from conftest import TODAY

from ntm_analysis import config
from ntm_analysis.clean import clean, clean_files, write_outputs


def clean_one(tmp_path: Path, rows: list[list[object]], name: str = "sheet.csv"):
    path = write_csv(tmp_path / name, rows)
    return clean_files([path], tmp_path, today=TODAY)


def reasons(result) -> dict[int, set[str]]:
    rej = result.rejected.dropna(subset=["raw_row"])
    return {int(r): set(g.reason_code) for r, g in rej.groupby("raw_row")}


# ---- headers ------------------------------------------------------------------------------
@pytest.mark.parametrize("header", [
    ["STT", "Thời điểm", "Huyện", "Xã", "Cấp độ", "Số tiêu chí đạt", "Tổng số tiêu chí"],
    ["stt", "NGAY", "HUYEN", "XA", "MUC", "so tieu chi dat", "tong so tieu chi"],
    ["No", "as_of", "district", "commune", "level", "tally", "total"],
    ["STT", "Kỳ báo cáo", "Huyện", "Xã", "Mức", "Kết quả", "Total"],
])
def test_headers_in_vietnamese_or_english_any_case_accents_optional(tmp_path, header):
    rows = [header, [1, "31/05/2022", "An Biên", "Đông Yên", "nâng cao", "14", "19"]]
    result = clean_one(tmp_path, rows)
    row = result.tallies.iloc[0]
    assert (row.district_code, row.commune_code, row.criteria_met, row.criteria_total) == \
        ("908", "31009", 14, 19)


def test_province_column_is_optional_and_used_when_present(tmp_path):
    header = ["Tỉnh", "Ngày", "Huyện", "Xã", "Cấp độ", "Kết quả"]
    result = clean_one(tmp_path, [
        header,
        ["Kiên Giang", "2022", "An Biên", "Đông Yên", "nâng cao", "14/19"],
        ["An Giang", "2022", "An Biên", "Đông Yên", "nâng cao", "14/19"],
    ])
    assert result.tallies.province_code.tolist() == ["91"]
    assert reasons(result) == {3: {"unknown_district"}}


# ---- XLSX ---------------------------------------------------------------------------------
def test_xlsx_letterhead_merged_cells_several_sheets_and_date_cells(tmp_path):
    path = letterhead_workbook(tmp_path / "bao_cao.xlsx")
    result = clean_files([path], tmp_path, today=TODAY)
    t = result.tallies.set_index("commune")
    # the Excel row numbers, under the two letterhead rows and the header
    assert t.loc["Đông Yên", "raw_row"] == 5 and t.loc["Hòn Nghệ", "raw_row"] == 7
    # the merged district cell applies to Nam Yên too
    assert t.loc["Nam Yên", "district"] == "An Biên"
    assert t.loc["Đông Yên", "as_of"] == pd.Timestamp("2022-05-31")
    assert t.loc["Đông Yên", "as_of_precision"] == "day"
    district = result.tallies[result.tallies.level == "huyen_ntm"].iloc[0]
    assert (district.raw_sheet, district.raw_row, district.as_of_precision) == \
        ("Huyện", 2, "quarter")
    # the notes sheet has no header: it is reported, not skipped silently
    notes = result.rejected[result.rejected.raw_sheet == "Ghi chú"]
    assert notes.reason_code.tolist() == ["sheet_no_header"]
    assert_accounted(result, {"bao_cao.xlsx": {5, 6, 7, 2}}, refused={"bao_cao.xlsx": 1})


def test_numeric_excel_cells_with_a_fraction_are_rejected_never_truncated(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Ngày", "Huyện", "Xã", "Mức", "Số tiêu chí đạt", "Tổng số tiêu chí"])
    book.active.append(["31/05/2022", "An Biên", "Đông Yên", "nâng cao", 14.5, 19])   # 2
    book.active.append(["31/05/2022", "An Biên", "Nam Yên", "nâng cao", 14.0, 19])    # 3
    book.active.append(["31/05/2022", "An Biên", "Nam Thái", "nâng cao", 12, 19.5])   # 4
    book.active.append(["31/05/2022", "An Biên", "Tây Yên", "nâng cao", 0.999, 19])   # 5
    book.save(tmp_path / "so.xlsx")
    result = clean_files([tmp_path / "so.xlsx"], tmp_path, today=TODAY)
    assert reasons(result) == {2: {"fractional"}, 4: {"fractional"}, 5: {"fractional"}}
    assert result.tallies[["commune", "criteria_met"]].values.tolist() == [["Nam Yên", 14]]
    assert_accounted(result, {"so.xlsx": {2, 3, 4, 5}})


# ---- values -------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["14/19", " 14 / 19 ", "đạt 14/19 tiêu chí", "14/19 tiêu chí",
                                  "14 trên 19", "Đạt 14/19", "dat 14/19 tieu chi"])
def test_tally_forms(tmp_path, text):
    result = clean_one(tmp_path, tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao", text)))
    assert result.tallies[["criteria_met", "criteria_total"]].values.tolist() == [[14, 19]]


@pytest.mark.parametrize("value,met,error", [
    (14, 14, None), (14.0, 14, None), (14.5, None, "fractional"), (0.999, None, "fractional"),
    (-1.5, None, "fractional"), ("14,5", None, "fractional"), ("14.0", 14, None),
    ("14/19.5", None, "fractional"), (True, None, "not_a_tally"), (None, None, "empty_tally"),
])
def test_numbers_as_python_values_or_text_are_whole_or_rejected(value, met, error):
    """What a reader hands over for a numeric cell (an int or a float), or the cell's text."""
    from ntm_analysis.clean.cells import parse_tally

    result = parse_tally(value)
    assert (result.met, result.error) == (met, error)


@pytest.mark.parametrize("text,day,precision", [
    ("2022-05-31", "2022-05-31", "day"), ("31/05/2022", "2022-05-31", "day"),
    ("05/2022", "2022-05-31", "month"), ("5/2022", "2022-05-31", "month"),
    ("tháng 5/2022", "2022-05-31", "month"), ("T5/2022", "2022-05-31", "month"),
    ("quý II/2022", "2022-06-30", "quarter"), ("Q2/2022", "2022-06-30", "quarter"),
    ("2022", "2022-12-31", "year"), ("1/3/2023", "2023-03-01", "day"),
])
def test_date_forms_keep_their_precision(tmp_path, text, day, precision):
    result = clean_one(tmp_path, tally_rows((text, "An Biên", "Đông Yên", "nâng cao", "14/19")))
    row = result.tallies.iloc[0]
    assert (row.as_of, row.as_of_precision) == (pd.Timestamp(day), precision)


@pytest.mark.parametrize("text,commune,tally,level", [
    ("NTM", "Đông Yên", "19/19", "xa_ntm"), ("xã NTM", "Đông Yên", "19/19", "xa_ntm"),
    ("nông thôn mới", "Đông Yên", "19/19", "xa_ntm"), ("nong thon moi", "Đông Yên", "19/19",
                                                       "xa_ntm"),
    ("NTM nâng cao", "Đông Yên", "14/19", "xa_ntm_nang_cao"),
    ("nâng cao", "Đông Yên", "14/19", "xa_ntm_nang_cao"),
    ("NANG CAO", "Đông Yên", "14/19", "xa_ntm_nang_cao"),
    ("huyện NTM", "", "4/9", "huyen_ntm"), ("huyện nông thôn mới", "", "4/9", "huyen_ntm"),
    ("huyen ntm", "", "4/9", "huyen_ntm"), ("NTM", "", "4/9", "huyen_ntm"),
    ("", "", "4/9", "huyen_ntm"),  # district row with total 9: unambiguous
])
def test_levels(tmp_path, text, commune, tally, level):
    result = clean_one(tmp_path, tally_rows(("05/2022", "An Biên", commune, text, tally)))
    assert result.tallies.level.tolist() == [level]


def test_kieu_mau_is_a_level_without_a_scale(tmp_path):
    result = clean_one(tmp_path, tally_rows(("05/2022", "An Biên", "Đông Yên", "kiểu mẫu",
                                             "14/19")))
    assert reasons(result) == {2: {"no_scale_for_level"}}


def test_missing_level_is_accepted_only_when_unambiguous(tmp_path):
    result = clean_one(tmp_path, tally_rows(
        ("05/2022", "An Biên", "Đông Yên", "", "14/19"),   # xã NTM or nâng cao: ambiguous
        ("05/2026", "", "An Biên", "", "7/10"),    # 2026-2030 set, a 2025-era commune: x/10
        ("05/2022", "An Biên", "", "", "4/9"),             # district set
    ))
    assert reasons(result) == {2: {"ambiguous_level"}}
    assert result.tallies.level.tolist() == ["huyen_ntm", "xa_ntm"]


def test_nfd_and_nfc_names_resolve_alike(tmp_path):
    nfd = unicodedata.normalize("NFD", "Vĩnh Hoà Hưng Bắc")
    result = clean_one(tmp_path, tally_rows(
        ("05/2022", unicodedata.normalize("NFD", "Gò Quao"), nfd, "nâng cao", "10/19"),
        ("06/2022", "Gò Quao", "Vĩnh Hòa Hưng Bắc", "nâng cao", "10/19"),
    ))
    assert result.tallies.commune_code.tolist() == ["30955", "30955"]


def test_separate_total_column(tmp_path):
    header = ["Ngày", "Huyện", "Xã", "Cấp độ", "Số tiêu chí đạt", "Tổng số tiêu chí"]
    result = clean_one(tmp_path, [
        header,
        ["2022", "An Biên", "Đông Yên", "nâng cao", "14", "19"],
        ["2022", "An Minh", "Đông Thạnh", "nâng cao", "13/19", "18"],  # the totals disagree
        ["2022", "Kiên Hải", "Hòn Tre", "nâng cao", "11", ""],         # no total at all
    ])
    assert result.tallies.commune.tolist() == ["Đông Yên"]
    assert reasons(result) == {3: {"total_conflict"}, 4: {"missing_total"}}


# ---- rejections ---------------------------------------------------------------------------
def test_each_bad_row_is_rejected_with_its_reason_and_a_suggestion_for_names(tmp_path):
    result = clean_one(tmp_path, tally_rows(
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "20/19"),        # 2 met above total
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "-1/19"),        # 3 negative
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14.5/19"),      # 4 fractional
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "gần đạt"),      # 5 not a tally
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", ""),             # 6 empty tally
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/18"),        # 7 wrong total
        ("05/2022", "An Biên", "Đông Yênn", "nâng cao", "14/19"),       # 8 unknown commune
        ("05/2022", "An Minh", "Đông Yên", "nâng cao", "14/19"),        # 9 wrong district
        ("32/13/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),     # 10 impossible date
        ("05/2022", "An Biên", "Đông Yên", "", "14/19"),                # 11 ambiguous level
        ("05/2022", "An Biên", "Đông Yên", "siêu cấp", "14/19"),        # 12 unknown level
        ("05/2022", "", "Đông Yên", "nâng cao", "14/19"),               # 13 blank district
        ("05/2031", "", "An Biên", "nâng cao", "14/19"),                # 14 future date
        ("05/2022", "An Biên", "", "xã NTM", "19/19"),                  # 15 level vs unit
    ))
    assert reasons(result) == {
        2: {"met_above_total"}, 3: {"negative"}, 4: {"fractional"}, 5: {"not_a_tally"},
        6: {"empty_tally"}, 7: {"total_mismatch"}, 8: {"unknown_commune"},
        9: {"unknown_commune"}, 10: {"impossible_date"}, 11: {"ambiguous_level"},
        12: {"unknown_level"}, 13: {"blank_district"}, 14: {"future_date"},
        15: {"level_unit_mismatch"},
    }
    rej = result.rejected.set_index("raw_row")
    assert rej.loc[9, "suggestion"].startswith("Đông Yên (An Biên)")
    assert "Đông Yên (An Biên)" in rej.loc[8, "suggestion"]
    assert "19" in rej.loc[7, "reason"]  # names the expected total
    assert result.tallies.empty
    assert_accounted(result, {"sheet.csv": set(range(2, 16))})


def test_several_problems_of_one_row_are_all_listed_but_the_row_counts_once(tmp_path):
    result = clean_one(tmp_path, tally_rows(("32/13/2022", "An Biên", "Đông Yênn", "nâng cao",
                                             "abc")))
    assert reasons(result) == {2: {"impossible_date", "unknown_commune", "not_a_tally"}}
    assert result.summary.rejected.item() == 1
    assert_accounted(result, {"sheet.csv": {2}})


def test_identical_rows_from_two_files_are_merged_keeping_both_sources(tmp_path):
    row = ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19")
    a = write_csv(tmp_path / "a.csv", tally_rows((*row, "Báo cáo huyện")))
    b = write_csv(tmp_path / "b.csv", tally_rows((*row, "Báo Kiên Giang")))
    result = clean_files([a, b], tmp_path, today=TODAY)
    assert len(result.tallies) == 1
    kept = result.tallies.iloc[0]
    assert kept.source == "Báo cáo huyện | Báo Kiên Giang"
    assert kept.merged_from == "b.csv:2"
    assert result.summary.set_index("file").loc["b.csv", "merged"] == 1
    assert_accounted(result, {"a.csv": {2}, "b.csv": {2}})


def test_a_row_sent_four_times_keeps_every_copy_and_each_source_once_in_order(tmp_path):
    """The office's monthly re-sends: three files, one holding the row twice; one of them
    with no source. Two different units keep their own copies apart."""
    row = ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19")
    other = ("05/2022", "An Minh", "Đông Thạnh", "nâng cao", "12/19")
    a = write_csv(tmp_path / "a.csv", tally_rows((*other, "Huyện"), (*row, "Huyện"),
                                                 (*row, "Tỉnh")))
    b = write_csv(tmp_path / "b.csv", tally_rows((*row, ""), (*other, "Báo")))
    c = write_csv(tmp_path / "c.csv", tally_rows((*row, "Huyện")))
    result = clean_files([a, b, c], tmp_path, today=TODAY)
    kept = result.tallies.set_index("commune")
    assert kept.loc["Đông Yên", "merged_from"] == "a.csv:4; b.csv:2; c.csv:2"
    assert kept.loc["Đông Yên", "source"] == "Huyện | Tỉnh"
    assert kept.loc["Đông Thạnh", "merged_from"] == "b.csv:3"
    assert kept.loc["Đông Thạnh", "source"] == "Huyện | Báo"
    assert result.summary.set_index("file").merged.to_dict() == {"a.csv": 1, "b.csv": 2,
                                                                 "c.csv": 1}
    assert_accounted(result, {"a.csv": {2, 3, 4}, "b.csv": {2, 3}, "c.csv": {2}})


def test_conflicting_rows_are_rejected_together_each_naming_the_other(tmp_path):
    a = write_csv(tmp_path / "a.csv", tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao",
                                                  "14/19")))
    b = write_csv(tmp_path / "b.csv", tally_rows(("31/05/2022", "An Biên", "X. Đông Yên",
                                                  "nâng cao", "15/19")))
    c = write_csv(tmp_path / "c.csv", tally_rows(("31/05/2022", "H. An Biên", "dong yen",
                                                  "NTM nâng cao", "16/19")))
    result = clean_files([a, b, c], tmp_path, today=TODAY)
    conflicts = result.rejected[result.rejected.reason_code == "conflict"].set_index("raw_file")
    # a.csv is month precision: a different date from the two day-precision rows
    assert set(conflicts.index) == {"b.csv", "c.csv"}
    assert "c.csv:2 (16/19)" in conflicts.loc["b.csv", "reason"]
    assert "b.csv:2 (15/19)" in conflicts.loc["c.csv", "reason"]
    assert result.tallies.raw_file.tolist() == ["a.csv"]
    assert_accounted(result, {"a.csv": {2}, "b.csv": {2}, "c.csv": {2}})


# ---- criterion sheets ---------------------------------------------------------------------
def test_criterion_sheet_numbers_names_and_statuses(tmp_path):
    header = ["Ngày", "Huyện", "Xã", "Cấp độ", "Tiêu chí", "Đánh giá"]
    rows = [header] + [
        ["05/2022", "An Biên", "Đông Yên", "xã NTM", crit, status]
        for crit, status in [("1", "Đạt"), ("TC2", "chưa đạt"), ("Tiêu chí 3", "x"),
                             ("Điện", "✓"), ("Trường học", "0"), ("Y tế", ""), ("15", "1"),
                             ("Tiêu chí 42", "Đạt"), ("Văn hóa", "có lẽ")]
    ]
    result = clean_one(tmp_path, rows)
    status = result.criteria_status.set_index("criterion_number")
    assert status.met.to_dict() == {1: True, 2: False, 3: True, 4: True, 5: False}
    assert status.loc[2, "criterion_name"] == "Giao thông"
    # "Y tế" is criterion 15: unmet on row 7 and met on row 8, a conflict
    assert reasons(result) == {7: {"conflict"}, 8: {"conflict"}, 9: {"unknown_criterion"},
                               10: {"bad_status"}}
    assert_accounted(result, {"sheet.csv": set(range(2, 11))})


# ---- the shipped data ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped():
    return clean(config.RAW_DIR, today=TODAY)


def test_shipped_data_every_row_accounted_for(shipped):
    assert_accounted(shipped, {f.name: data_rows(f) for f in config.RAW_DIR.glob("*.csv")})
    by_file = shipped.summary.set_index("file")
    assert by_file.loc["kien_giang_ntm_facts_2010_2025.csv", "read"] == 87
    assert by_file.loc["bao_cao_thang_5_2022_tallies.csv", "accepted"] == 10


def test_shipped_article_tallies(shipped):
    may = shipped.tallies[(shipped.tallies.as_of == "2022-05-31")
                          & (shipped.tallies.origin == "reported")]
    got = {(r.commune if isinstance(r.commune, str) else r.district): f"{r.criteria_met}/"
           f"{r.criteria_total}" for r in may.itertuples()}
    assert got == {"Đông Yên": "14/19", "Đông Thạnh": "13/19", "Thạnh Hưng": "17/19",
                   "Vĩnh Hòa Hưng Bắc": "10/19", "Hòn Nghệ": "15/19", "Hòn Tre": "11/19",
                   "An Biên": "4/9", "Kiên Lương": "4/9", "An Minh": "5/9", "Kiên Hải": "3/9"}
    assert set(may.as_of_precision) == {"month"}


def test_shipped_fact_values_are_typed(shipped):
    f = shipped.facts
    dec = f[(f.metric == "ntm_communes") & (f.as_of == "2021-12-31") & (f.scope == "province")]
    assert (dec.value.item(), dec.denominator.item(), dec.as_of_precision.item()) == \
        (90, 116, "month")
    assert f[(f.metric == "target_2021_2025_ntm_communes")].lower.item() == 100
    nang_cao = f[f.metric == "target_2025_nang_cao_communes"]
    assert (nang_cao.value_kind.item(), nang_cao.lower.item()) == ("bound", 30)
    districts = f[f.metric == "target_2025_ntm_districts"]
    assert (districts.lower.item(), districts.upper.item()) == (7, 9)
    kien_giang = (f.province_code == "91") & (f.admin_era == "legacy")
    assert f[kien_giang & (f.metric == "target_2025_ntm_communes")].value_kind.tolist() == \
        ["ratio", "percent"]
    former_an_giang = f[(f.province_code == "89") & (f.metric == "target_2025_ntm_communes")]
    assert (former_an_giang.value.item(), former_an_giang.denominator.item()) == (93, 116)
    giong_rieng = f[(f.metric == "district_recognized_ntm") & (f.district == "Giồng Riềng")]
    assert giong_rieng.decision.item() == "QĐ 349/QĐ-TTg"
    an_bien = f[(f.metric == "target_district_ntm_by") & (f.district == "An Biên")]
    assert an_bien.deadline.item() == pd.Timestamp("2022-12-31")
    unmet = f[f.metric == "common_unmet_criterion_nang_cao"].value_text.tolist()
    assert "Giao thông" in unmet and len(unmet) == 5


def test_recognitions_imply_full_tallies(shipped):
    t = shipped.tallies
    hon_tre = t[(t.commune == "Hòn Tre") & (t.level == "xa_ntm_nang_cao")]
    assert set(hon_tre.origin) == {"reported", "implied-by-recognition"}
    recognised = hon_tre[hon_tre.as_of == "2024-02-28"].iloc[0]
    assert (recognised.criteria_met, recognised.criteria_total, recognised.origin) == \
        (19, 19, "implied-by-recognition")
    an_bien = t[(t.district == "An Biên") & (t.level == "huyen_ntm")
                & (t.origin == "implied-by-recognition")]
    assert an_bien.as_of.tolist() == [pd.Timestamp("2024-02-20")]
    # Vĩnh Thuận has a xã and a thị trấn of the same name; NTM recognition is for the xã
    vt = t[(t.district == "Vĩnh Thuận") & (t.as_of == "2019-05-02")]
    from ntm_analysis.reference.units import registry

    units = registry("91").communes("910").set_index("code")
    assert set(units.loc[vt.commune_code, "unit_type"]) == {"Xã"}
    assert len(vt) == 2


# ---- files and the command line -----------------------------------------------------------
def test_unreadable_files_are_reported_and_the_others_still_cleaned(tmp_path):
    write_csv(tmp_path / "good.csv", tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao",
                                                 "14/19")))
    (tmp_path / "junk.xlsx").write_bytes(b"\x00\x01not a zip at all" * 50)
    (tmp_path / "legacy.csv").write_bytes(encode_cp1258(
        "Ngày,Huyện,Xã,Cấp độ,Kết quả\n05/2022,An Biên,Đông Yên,nâng cao,14/19\n"))
    utf16 = "Ngày,Huyện,Xã,Cấp độ,Kết quả\n05/2022,Kiên Hải,Hòn Tre,nâng cao,11/19\n"
    (tmp_path / "utf16.csv").write_bytes(utf16.encode("utf-16"))
    result = clean(tmp_path, today=TODAY)
    s = result.summary.set_index("file")
    assert s.loc["junk.xlsx", "unreadable"] == "file_not_xlsx"
    assert s.loc["legacy.csv", "unreadable"] == "file_encoding"
    assert set(result.tallies.commune) == {"Đông Yên", "Hòn Tre"}
    # a file that cannot be decoded is one rejection of the file, with no row read
    assert_accounted(result, {"good.csv": {2}, "junk.xlsx": set(), "legacy.csv": set(),
                              "utf16.csv": {2}})


def test_outputs_written_atomically_with_a_bom_csv(tmp_path):
    write_csv(tmp_path / "raw" / "a.csv", tally_rows(
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
        ("05/2022", "An Biên", "Đông Yênn", "nâng cao", "14/19")))
    result = clean(tmp_path / "raw", today=TODAY)
    paths = write_outputs(result, tmp_path / "out")
    assert paths["rejected_csv"].read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Đông Yênn" in paths["rejected_csv"].read_text(encoding="utf-8-sig")
    tallies = pd.read_parquet(paths["tallies"])
    assert tallies.district_code.tolist() == ["908"] and str(tallies.as_of.dtype).startswith(
        "datetime64")
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_a_fact_without_a_level_is_about_the_smallest_unit_it_names(tmp_path):
    """A blank level cell: a commune named makes a commune's fact, else a district named a
    district's, else the province's."""
    path = write_csv(tmp_path / "facts.csv", [
        ["as_of", "level", "province", "district", "commune", "metric", "value", "source_url"],
        ["2021", "", "Kiên Giang", "", "", "ntm_communes", "90", "x"],
        ["2021", "", "Kiên Giang", "An Biên", "", "ntm_communes", "5", "x"],
        ["2021", "", "Kiên Giang", "An Biên", "Đông Yên", "avg_criteria_per_commune", "14", "x"],
    ])
    result = clean_files([path], tmp_path, today=TODAY)
    assert_accounted(result, {"facts.csv": {2, 3, 4}})
    facts = result.facts.set_index("raw_row")
    assert facts.scope.to_dict() == {2: "province", 3: "district", 4: "commune"}
    assert facts.loc[3, "district"] == "An Biên" and facts.loc[4, "commune"] == "Đông Yên"


def test_tally_rules_that_cannot_run_are_an_error_not_a_pass():
    """A rule of ``TALLY_RULES`` that cannot run on the candidates (a column missing or of
    another type) is the cleaner's bug: it stops the clean, never lets rows through
    unchecked."""
    from ntm_analysis.clean.tallies import _lazy_failures

    candidates = pd.DataFrame({"criteria_met": pd.array([3], dtype="Int64"),
                               "criteria_total": pd.array([19], dtype="Int64")})
    with pytest.raises(TypeError, match="column_in_dataframe"):
        _lazy_failures(candidates)


@pytest.mark.parametrize(("rows", "ellipsis"), [(4, False), (5, True)])
def test_a_conflict_names_three_other_rows_then_an_ellipsis(tmp_path, rows, ellipsis):
    """Each conflicting row names up to three others (``merge.MAX_NAMED``): with four rows in
    conflict every row names all three others; with five it names three and "…"."""
    sheet = write_csv(tmp_path / "a.csv", tally_rows(*[
        ("31/05/2022", "An Biên", "Đông Yên", "nâng cao", f"{10 + i}/19") for i in range(rows)]))
    result = clean_files([sheet], tmp_path, today=TODAY)
    lines = result.rejected.set_index("raw_row")
    assert (lines.reason_code == "conflict").all() and len(lines) == rows
    first = lines.loc[2, "reason_en"]
    assert f"from {rows - 1} other row(s)" in first
    assert [f"a.csv:{r} ({8 + r}/19)" in first for r in (3, 4, 5)] == [True, True, True]
    assert ("…" in first) == ellipsis
