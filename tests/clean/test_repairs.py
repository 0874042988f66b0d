"""Sheets that went through a spreadsheet program: tallies stored as dates are read back
when exactly one reading fits the row's criteria total, the repair stated on the row and
counted in the summary; any other date in a tally cell is rejected naming both readings."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from builders import assert_accounted, tally_rows, write_csv
from conftest import TODAY

from ntm_analysis.clean import clean_files


def clean_csv(tmp_path, *rows, header=None):
    path = write_csv(tmp_path / "qua_excel.csv", tally_rows(*rows, **(
        {"header": header} if header else {})))
    return clean_files([path], tmp_path, today=TODAY)


@pytest.mark.parametrize("cell,district,commune,level,tally", [
    ("19/12/2026", "An Biên", "Đông Yên", "nâng cao", (12, 19)),   # 12/19, day-first output
    ("12/19/2026", "An Biên", "Đông Yên", "nâng cao", (12, 19)),   # 12/19, month-first output
    ("19-Dec", "An Biên", "Đông Yên", "nâng cao", (12, 19)),
    ("Dec-19", "An Biên", "Đông Yên", "nâng cao", (12, 19)),
    ("09/05/2026", "An Minh", "", "huyện NTM", (5, 9)),              # 5/9 typed month-first
    ("05/09/2026", "An Minh", "", "huyện NTM", (5, 9)),              # 5/9 typed day-first
    ("9-May", "An Minh", "", "huyện NTM", (5, 9)),
    ("09/09/2026", "An Minh", "", "huyện NTM", (9, 9)),              # one reading, twice
    ("2026-12-19", "An Biên", "Đông Yên", "nâng cao", (12, 19)),     # ISO, as some programs save
    ("2026-05-09", "An Minh", "", "", (5, 9)),                       # level from the total
])
def test_a_tally_stored_as_a_date_is_read_back_with_the_repair_stated(tmp_path, cell, district,
                                                                      commune, level, tally):
    result = clean_csv(tmp_path, ("05/2022", district, commune, level, cell))
    row = result.tallies.iloc[0]
    assert (row.criteria_met, row.criteria_total) == tally
    assert row.repair == f"ngày {cell} đọc là {tally[0]}/{tally[1]}"
    assert result.summary.repaired.item() == 1
    assert_accounted(result, {"qua_excel.csv": {2}})


def test_excel_date_cells_in_a_workbook(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Ngày", "Huyện", "Xã", "Mức", "Kết quả"])
    book.active.append(["31/05/2022", "An Biên", "Đông Yên", "nâng cao", datetime(2026, 12, 19)])
    book.active.append(["31/05/2022", "An Minh", None, "huyện NTM", datetime(2026, 5, 9)])
    book.active.append(["31/05/2022", "An Biên", "Nam Yên", "nâng cao", "12/19"])
    book.active["E2"].number_format = book.active["E3"].number_format = "d-mmm"
    book.save(tmp_path / "so.xlsx")
    result = clean_files([tmp_path / "so.xlsx"], tmp_path, today=TODAY)
    t = result.tallies.set_index("raw_row")
    assert t.loc[2, ["criteria_met", "criteria_total", "repair"]].tolist() == \
        [12, 19, "ngày 19/12/2026 đọc là 12/19"]
    assert t.loc[3, ["criteria_met", "criteria_total"]].tolist() == [5, 9]
    assert pd.isna(t.loc[4, "repair"])  # typed as text: nothing to repair
    assert result.summary.repaired.item() == 2
    assert_accounted(result, {"so.xlsx": {2, 3, 4}})


def test_the_total_column_decides_which_number_is_the_total(tmp_path):
    header = ["STT", "Ngày", "Huyện", "Xã", "Cấp độ", "Số tiêu chí đạt", "Tổng số tiêu chí"]
    path = write_csv(tmp_path / "t.csv", [header,
        [1, "05/2022", "An Minh", "", "huyện NTM", "05/09/2026", "9"],
        [2, "05/2022", "An Minh", "", "huyện NTM", "05/09/2026", "5"]])
    result = clean_files([path], tmp_path, today=TODAY)
    assert result.tallies[["criteria_met", "criteria_total"]].values.tolist() == [[5, 9]]
    # 9/5 is not a district tally: no reading agrees with the total column of row 3
    assert set(result.rejected.raw_row) == {3}


@pytest.mark.parametrize("cell,readings", [
    ("03/04/2026", "3/4, 4/3"),       # neither reading has the 19 criteria of the set
    ("05/05/2026", "5/5"),
])
def test_a_date_with_no_valid_reading_is_rejected_naming_the_readings(tmp_path, cell, readings):
    result = clean_csv(tmp_path, ("05/2022", "An Biên", "Đông Yên", "nâng cao", cell))
    (row,) = result.rejected.itertuples()
    assert row.reason_code == "date_in_tally" and row.value == cell
    assert f"readings {readings} is" in row.reason_en and cell in row.reason
    assert result.tallies.empty and result.summary.repaired.item() == 0


@pytest.mark.parametrize("date,level,reasons", [
    ("32/13/2022", "nâng cao", {"impossible_date", "not_a_tally"}),  # no date: no total known
    ("05/2022", "kiểu mẫu", {"not_a_tally"}),                         # a level without a scale
])
def test_never_repaired_when_the_total_is_unknown(tmp_path, date, level, reasons):
    result = clean_csv(tmp_path, (date, "An Biên", "Đông Yên", level, "19/12/2026"))
    assert result.tallies.empty and set(result.rejected.reason_code) == reasons


def test_a_date_in_the_date_column_is_a_date(tmp_path):
    result = clean_csv(tmp_path, ("19/12/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"))
    row = result.tallies.iloc[0]
    assert row.as_of == pd.Timestamp("2022-12-19") and pd.isna(row.repair)


# ---- mojibake: UTF-8 read with the wrong code page, then saved ------------------------------
ROWS = [("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
        ("05/2022", "Gò Quao", "Vĩnh Hòa Hưng Bắc", "nâng cao", "12/19"),
        ("05/2022", "An Minh", "", "huyện NTM", "5/9")]


def damaged(text: str, times: int = 1) -> str:
    """``text`` as a program shows it after reading its UTF-8 bytes as Latin-1 ``times``."""
    for _ in range(times):
        text = text.encode("utf-8").decode("latin-1")
    return text


def calc_western(text: str) -> str:
    """``text`` as LibreOffice Calc's default import (Windows-1252) keeps it: the bytes
    Windows-1252 leaves undefined become the private-use character U+F100 + byte."""
    return "".join(chr(0xF100 + b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else bytes([b]).decode("cp1252") for b in text.encode("utf-8"))


def tallies_of(result) -> list[list[object]]:
    return result.tallies[["district", "commune", "criteria_met"]].fillna("").values.tolist()


@pytest.mark.parametrize("times", [1, 2])
def test_a_csv_decoded_with_the_wrong_code_page_cleans_to_the_same_rows(tmp_path, times):
    original = write_csv(tmp_path / "goc.csv", tally_rows(*ROWS))
    expected = clean_files([original], tmp_path, today=TODAY)
    assert expected.summary.sheet_repairs.isna().all()  # correct text is left alone
    bad = tmp_path / "hong.csv"
    bad.write_text(damaged(original.read_text(encoding="utf-8"), times), encoding="utf-8")
    result = clean_files([bad], tmp_path, today=TODAY)
    assert tallies_of(result) == tallies_of(expected)
    assert "'Kỳ báo cáo'" in result.summary.sheet_repairs.item()
    assert result.tallies.repair.str.startswith("văn bản UTF-8 bị đọc sai bảng mã").all()
    assert result.summary.repaired.item() == 3
    assert_accounted(result, {"hong.csv": {2, 3, 4}})


def test_a_csv_saved_by_calc_after_its_default_import_keeps_every_name(tmp_path):
    original = write_csv(tmp_path / "goc.csv", tally_rows(*ROWS))
    bad = tmp_path / "calc.csv"
    bad.write_text(calc_western(original.read_text(encoding="utf-8")), encoding="utf-8")
    assert "\uf190" in bad.read_text(encoding="utf-8")  # "Đông Yên" carries the damage
    result = clean_files([bad], tmp_path, today=TODAY)
    assert result.rejected.empty, result.rejected[["raw_row", "reason_en"]].to_string()
    assert tallies_of(result) == tallies_of(clean_files([original], tmp_path, today=TODAY))


def test_a_workbook_with_damaged_text_is_repaired_per_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Hỏng"
    for row in tally_rows(*ROWS):
        book.active.append([damaged(v) if isinstance(v, str) else v for v in row])
    good = book.create_sheet("Tốt")
    for row in tally_rows(ROWS[0]):
        good.append(row)
    book.save(tmp_path / "hai_sheet.xlsx")
    result = clean_files([tmp_path / "hai_sheet.xlsx"], tmp_path, today=TODAY)
    repaired = result.tallies[result.tallies.raw_sheet == "Hỏng"]
    assert len(repaired) == 3 and repaired.repair.notna().all()
    assert result.summary.sheet_repairs.item().startswith("Hỏng: ")  # the good sheet: nothing
    assert result.summary[["accepted", "merged", "repaired"]].values.tolist() == [[3, 1, 3]]


def test_damaged_text_that_is_still_no_table_names_the_cause(tmp_path):
    path = tmp_path / "ghi_chu.csv"
    path.write_text(damaged("Ghi chú,Người lập\nSố liệu tạm tính,Phòng Nông nghiệp\n"),
                    encoding="utf-8")
    result = clean_files([path], tmp_path, today=TODAY)
    (row,) = result.rejected.itertuples()
    assert row.reason_code == "sheet_mojibake" and "UTF-8" in row.reason_en
    # the refused sheet's line speaks both languages, each in its own column
    assert row.reason.startswith("Văn bản có vẻ là UTF-8")
    assert row.reason_en.startswith("The text looks like UTF-8")
    assert "→ 'Ghi chú'" in row.value
    assert result.summary[["read", "rejected"]].values.tolist() == [[2, 2]]


# ---- legacy Vietnamese fonts ----------------------------------------------------------------
# the bytes a .VnTime (TCVN3) font shows as these words, as Windows-1252 characters
TCVN3_HEADER = ["STT", "Ngµy", "HuyÖn", "X·", "CÊp ®é", "KÕt qu¶"]
TCVN3_ROWS = [[1, "31/05/2022", "An Biªn", "§«ng Yªn", "n©ng cao", "14/19"],
              [2, "31/05/2022", "Gß Quao", "VÜnh Hßa H\u00adng B¾c", "n©ng cao", "12/19"]]


def test_a_workbook_typed_in_tcvn3_is_converted_and_says_so(tmp_path):
    book = openpyxl.Workbook()
    for row in [TCVN3_HEADER, *TCVN3_ROWS]:
        book.active.append(row)
    book.save(tmp_path / "vntime.xlsx")
    result = clean_files([tmp_path / "vntime.xlsx"], tmp_path, today=TODAY)
    assert tallies_of(result) == [["Gò Quao", "Vĩnh Hòa Hưng Bắc", 12],
                                  ["An Biên", "Đông Yên", 14]]
    assert "TCVN3" in result.summary.sheet_repairs.item()
    assert "'Ngµy' → 'Ngày'" in result.tallies.repair.iloc[0]
    assert_accounted(result, {"vntime.xlsx": {2, 3}})


def test_a_csv_typed_in_tcvn3_is_converted(tmp_path):
    path = write_csv(tmp_path / "vntime.csv", [TCVN3_HEADER, *TCVN3_ROWS])
    result = clean_files([path], tmp_path, today=TODAY)
    assert [r[1] for r in tallies_of(result)] == ["Vĩnh Hòa Hưng Bắc", "Đông Yên"]


def test_a_sheet_typed_in_vni_is_refused_naming_the_encoding(tmp_path):
    path = write_csv(tmp_path / "vni.csv", [
        ["STT", "Ngaøy", "Huyeän", "Xaõ", "Caáp ñoä", "Keát quaû"],
        [1, "31/05/2022", "An Bieân", "Ñoâng Yeân", "naâng cao", "14/19"]])
    result = clean_files([path], tmp_path, today=TODAY)
    (row,) = result.rejected.itertuples()
    assert row.reason_code == "sheet_vni" and "VNI" in row.reason_en
    assert row.value.startswith("'Ngaøy'") and result.tallies.empty


@pytest.mark.parametrize("text", ["Kiên Giang", "Vĩnh Hòa Hưng Bắc", "Quân", "Muông",
                                  "Nguyễn Thị Thu Hưởng", "café", "14/19"])
def test_unicode_vietnamese_is_neither_tcvn3_nor_vni(text):
    from ntm_analysis.raw.legacy_fonts import from_tcvn3, looks_vni

    assert from_tcvn3(text) is None and not looks_vni(text)


def test_text_mixing_tcvn3_with_unicode_letters_is_not_converted():
    from ntm_analysis.raw.legacy_fonts import from_tcvn3

    assert from_tcvn3("Kiªn Giang Việt") is None  # "ệ" has no byte in any 8-bit font


def test_one_odd_cell_does_not_make_a_sheet_vni(tmp_path):
    """Found by the fuzzer: a note "aø" once refused a whole sheet of good rows."""
    result = clean_csv(tmp_path, ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19", "aø"),
                       ("05/2022", "An Biên", "Nam Yên", "nâng cao", "12/19"))
    assert len(result.tallies) == 2 and result.rejected.empty


def test_clean_text_with_typographic_quotes_and_nfd_is_left_alone(tmp_path):
    """Text that is not damaged is never "repaired": curly quotes, a dash and decomposed
    Unicode (as macOS and some web forms write it) come out as they went in, the NFD name
    still resolves, and no row says it was repaired."""
    import unicodedata

    quoted = "“Báo cáo số 12” – Sở NN&PTNT"
    decomposed = unicodedata.normalize("NFD", "Báo cáo “quý II”")
    path = write_csv(tmp_path / "t.csv", [
        ["STT", "Kỳ báo cáo", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"],
        ["1", "31/05/2022", "An Biên", unicodedata.normalize("NFD", "Đông Yên"), "xã NTM",
         "14/19", quoted],
        ["2", "31/05/2022", "An Biên", "Hưng Yên", "xã NTM", "15/19", decomposed]])
    result = clean_files([path], tmp_path, today=TODAY)
    tallies = result.tallies.sort_values("raw_row")
    assert tallies.source.tolist() == [quoted, decomposed]
    assert tallies.commune.tolist() == ["Đông Yên", "Hưng Yên"]
    assert tallies.repair.isna().all() and result.summary.repaired.sum() == 0


def test_a_repaired_row_merged_with_its_plain_twin_is_counted_once_as_repaired(tmp_path):
    """The same tally sent twice, once stored as a date by a spreadsheet program (repaired)
    and once typed as text: one accepted, one merged, and the repair counted on the file
    whose cell it was, whichever of the two is kept."""
    for repaired_first in (True, False):
        cells = ("19/12/2026", "12/19") if repaired_first else ("12/19", "19/12/2026")
        paths = [write_csv(tmp_path / name, tally_rows(
            ("05/2022", "An Biên", "Đông Yên", "nâng cao", cell)))
            for name, cell in zip(("a.csv", "b.csv"), cells, strict=True)]
        result = clean_files(paths, tmp_path, today=TODAY)
        summary = result.summary.set_index("file")
        assert summary.accepted.sum() == 1 and summary.merged.sum() == 1
        assert summary.repaired.to_dict() == {"a.csv": int(repaired_first),
                                              "b.csv": int(not repaired_first)}
    assert (result.tallies.criteria_met.item(), result.tallies.criteria_total.item()) == (12, 19)
    assert_accounted(result, {"a.csv": {2}, "b.csv": {2}})
