"""Any file, any size: oversized workbooks refused before parsing, bounded conflict messages,
refused sheets counted, and a reader error confined to its file."""

from __future__ import annotations

import openpyxl
from builders import good_csv, tally_rows, three_million_rows, workbook_with_sheet, write_csv

from ntm_analysis.clean import clean, clean_files


def test_a_workbook_of_three_million_rows_is_refused_and_its_neighbour_cleaned(tmp_path):
    raw = tmp_path / "raw"
    good_csv(raw)
    big = workbook_with_sheet(raw / "big.xlsx", three_million_rows)
    assert big.stat().st_size < 20_000_000  # small on disk, huge once unpacked
    result = clean(raw)
    summary = result.summary.set_index("file")
    assert summary.loc["good.csv", "accepted"] == 1
    assert summary.loc["big.xlsx", "unreadable"] in {"file_too_large", "file_compression",
                                                      "file_too_many_rows"}
    line = result.rejected[result.rejected.raw_file == "big.xlsx"]
    assert len(line) == 1 and "NTM_XLSX_MAX_" in line.reason_en.iloc[0]
    counts = summary[["read", "accepted", "merged", "rejected"]]
    assert counts.loc["good.csv"].tolist() == [1, 1, 0, 0]
    # refused unopened: the rows its sheet declares count as read and rejected
    assert counts.loc["big.xlsx"].tolist() == [3_000_001, 0, 0, 3_000_001]


def test_each_limit_names_itself_and_can_be_raised(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    good_csv(raw)

    def declares_many_rows(handle):
        handle.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.'
                     b'org/spreadsheetml/2006/main"><dimension ref="A1:G2000000"/>'
                     b"<sheetData/></worksheet>")

    workbook_with_sheet(raw / "rows.xlsx", declares_many_rows)
    result = clean(raw)
    row = result.rejected[result.rejected.raw_file == "rows.xlsx"].iloc[0]
    assert row.reason_code == "file_too_many_rows" and "2,000,000" in row.value
    assert "NTM_XLSX_MAX_ROWS" in row.reason_en
    assert result.summary.set_index("file").loc["rows.xlsx", "rejected"] == 2_000_000

    monkeypatch.setenv("NTM_XLSX_MAX_ROWS", "3000000")  # raised: now it is read (empty)
    again = clean(raw).rejected
    assert "file_too_many_rows" not in set(again[again.raw_file == "rows.xlsx"].reason_code)

    monkeypatch.setenv("NTM_XLSX_MAX_MB", "0")
    tiny = clean(raw).rejected
    assert tiny[tiny.raw_file == "rows.xlsx"].reason_code.tolist() == ["file_too_large"]


def test_a_conflict_group_of_a_thousand_rows_gives_bounded_messages(tmp_path):
    rows = [("05/2022", "An Biên", "Đông Yên", "nâng cao", f"{i % 19}/19")
            for i in range(1000)]
    write_csv(tmp_path / "ds.csv", tally_rows(*rows))
    result = clean_files([tmp_path / "ds.csv"], tmp_path)
    conflicts = result.rejected[result.rejected.reason_code == "conflict"]
    assert len(conflicts) == 1000 and result.tallies.empty
    first = conflicts.set_index("raw_row").loc[2, "reason_en"]
    assert "from 999 other row(s)" in first
    assert "ds.csv:3 (1/19); ds.csv:4 (2/19); ds.csv:5 (3/19); …" in first
    assert conflicts.reason_en.str.len().max() < 300
    s = result.summary.iloc[0]
    assert (s.read, s.accepted, s.merged, s.rejected) == (1000, 0, 0, 1000)


def test_rows_of_a_sheet_without_a_header_are_read_and_rejected_in_one_line(tmp_path):
    raw = tmp_path / "raw"
    good_csv(raw)
    write_csv(raw / "noheader.csv", [["05/2022", "An Biên", f"x{i}", "14/19"]
                                     for i in range(19)])
    book = openpyxl.Workbook()
    book.active.title = "Số liệu"
    for i in range(7):
        book.active.append(["a", i, "b"])
    book.create_sheet("Trống")
    book.save(raw / "noheader.xlsx")
    result = clean(raw)
    s = result.summary.set_index("file")
    assert (s.loc["noheader.csv", "read"], s.loc["noheader.csv", "rejected"]) == (19, 19)
    assert (s.loc["noheader.xlsx", "read"], s.loc["noheader.xlsx", "rejected"]) == (7, 7)
    lines = result.rejected[result.rejected.raw_file.str.startswith("noheader")]
    assert sorted(lines.reason_code) == ["sheet_empty", "sheet_no_header", "sheet_no_header"]
    assert (s.loc[["noheader.csv", "noheader.xlsx"], ["accepted", "merged"]] == 0).all().all()


def test_a_file_that_breaks_its_reader_is_rejected_and_the_rest_cleaned(tmp_path):
    raw = tmp_path / "raw"
    good_csv(raw)
    gone = raw / "gone.csv"  # listed, then removed before it is read: the reader raises
    result = clean_files([gone, raw / "good.csv"], raw)
    s = result.summary.set_index("file")
    assert s.loc["gone.csv", "unreadable"] == "file_error"
    assert "FileNotFoundError" in result.rejected.set_index("raw_file").loc["gone.csv", "value"]
    assert s.loc["good.csv", "accepted"] == 1
