"""Builders of small, named raw files for tests (CSV text and real XLSX via openpyxl)."""

from __future__ import annotations

import csv
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd

from ntm_analysis.raw.readers import HEADER_ALIASES

TALLY_HEADER = ["STT", "Kỳ báo cáo", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle).writerows(rows)
    return path


def tally_rows(*rows: tuple[object, ...], header: list[str] = TALLY_HEADER) -> list[list[object]]:
    """Rows of a tally sheet: each row is (date, district, commune, level, tally[, source])."""
    out = [header]
    for i, row in enumerate(rows, start=1):
        source = row[5] if len(row) > 5 else "test"
        out.append([i, *row[:5], source])
    return out


def letterhead_workbook(path: Path) -> Path:
    """An official-looking workbook: letterhead title rows with merged cells, a merged
    district column, an Excel date cell, a second data sheet and a notes sheet."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tháng 5"
    ws["A1"] = "UBND TỈNH KIÊN GIANG"
    ws.merge_cells("A1:G1")
    ws["A2"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN BỘ TIÊU CHÍ XÃ NTM NÂNG CAO"
    ws.merge_cells("A2:G2")
    ws.append([])  # row 3 blank
    ws.append(["STT", "Ngày", "Huyện", "Xã", "Mức", "Số tiêu chí đạt", "Tổng số tiêu chí"])  # 4
    ws.append([1, datetime(2022, 5, 31), "An Biên", "Đông Yên", "nâng cao", 14, 19])  # row 5
    ws.append([2, "31/05/2022", None, "Nam Yên", "nâng cao", 12, 19])  # row 6: merged district
    ws.merge_cells("C5:C6")
    ws.append([3, "tháng 5/2022", "Kiên Lương", "Hòn Nghệ", "NTM nâng cao", "15", 19])  # row 7
    second = book.create_sheet("Huyện")
    second.append(["Thời điểm", "Huyện", "Xã", "Cấp độ", "Kết quả"])  # row 1
    second.append(["quý II/2022", "An Minh", None, "huyện NTM", "5/9"])  # row 2
    notes = book.create_sheet("Ghi chú")
    notes["A1"] = "Số liệu do phòng NN&PTNT tổng hợp"
    book.save(path)
    return path


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 does: base letter, then a combining tone mark."""
    import unicodedata

    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(p for p in parts if p in _TONES)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def data_rows(path: Path) -> set[int]:
    """Row numbers of the data rows of a CSV with one header row, as a spreadsheet shows them
    (header = 1), counted with the csv module: independent of the cleaner's reader."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return {number for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)}


def accounted_rows(result) -> dict[str, set[tuple[str, int]]]:
    """Each raw row (file, row) the output tables account for, by what became of it: a row
    of ``tallies`` (reported), ``facts`` or ``criteria_status`` (accepted), a ``file:row`` of
    their ``merged_from`` (merged), or a row of ``rejected`` (rejected)."""
    kept = [result.tallies[result.tallies.origin == "reported"], result.facts,
            result.criteria_status, result.indicator_thresholds, result.indicator_values]
    accepted = {(f, int(r)) for t in kept for f, r in zip(t.raw_file, t.raw_row, strict=True)}
    merged = set()
    for table in kept:
        for refs in table.get("merged_from", pd.Series(dtype=object)).dropna():
            for ref in refs.split("; "):
                name, _, row = ref.rpartition(":")
                merged.add((name, int(row)))
    rej = result.rejected.dropna(subset=["raw_row"])
    rejected = {(f, int(r)) for f, r in zip(rej.raw_file, rej.raw_row, strict=True)}
    return {"accepted": accepted, "merged": merged, "rejected": rejected}


def assert_rejections_name_their_column(result) -> None:
    """Every rejected row names the column of its bad cell by the readers' name for it: the
    office finds the cell from the file, the row and that column."""
    lines = result.rejected.dropna(subset=["raw_row"])
    unnamed = lines[~lines.column.isin(list(HEADER_ALIASES))]
    assert unnamed.empty, unnamed[["reason_code", "column"]].drop_duplicates()


def assert_accounted(result, written: dict[str, set[int]],
                     refused: dict[str, int] | None = None) -> None:
    """Every row the test wrote is accepted, merged or rejected, exactly once, and the
    summary's counts are those of the sets (not a formula over the summary itself).

    ``refused`` counts, per file, the rows of sheets refused whole (no header row): they are
    read and rejected under one line of ``rejected`` without a row number."""
    refused = refused or {}
    assert_rejections_name_their_column(result)
    parts = accounted_rows(result)
    accepted, merged, rejected = parts["accepted"], parts["merged"], parts["rejected"]
    assert not accepted & merged and not accepted & rejected and not merged & rejected
    expected = {(name, row) for name, rows in written.items() for row in rows}
    assert accepted | merged | rejected == expected
    summary = result.summary.set_index("file")
    for name, rows in written.items():
        accepted_n, merged_n, rejected_n = (sum(1 for f, _ in part if f == name)
                                            for part in parts.values())
        extra = refused.get(name, 0)
        assert [len(rows) + extra, accepted_n, merged_n, rejected_n + extra] == \
            summary.loc[name, ["read", "accepted", "merged", "rejected"]].tolist(), name


# ---- workbooks larger than the limits (config.xlsx_limits) ---------------------------------
SHEET = "xl/worksheets/sheet1.xml"


def good_csv(raw: Path) -> None:
    write_csv(raw / "good.csv", tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao",
                                            "14/19")))


def workbook_with_sheet(path: Path, write_sheet) -> Path:
    """A real workbook (openpyxl) whose first sheet's XML is replaced by ``write_sheet``."""
    book = openpyxl.Workbook()
    book.active.append(TALLY_HEADER)
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename == SHEET:
                with out.open(SHEET, "w", force_zip64=True) as handle:
                    write_sheet(handle)
            else:
                out.writestr(item, src.read(item.filename))
    plain.unlink()
    return path


def three_million_rows(handle) -> None:
    """The sheet of the issue: 3,000,001 rows, more than Excel's 1,048,576."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:A3000001"/>'
            '<sheetData>')
    handle.write(head.encode())
    block = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 10_001))
    for _ in range(300):  # same bytes each time: the file stays small, its XML does not
        handle.write(block.encode())
    handle.write(b'<row r="3000001"><c r="A3000001"><v>1</v></c></row></sheetData></worksheet>')


def saved_by_calc(soffice: str, path: Path, out: Path, profile: Path) -> Path:
    """``path`` opened and saved as XLSX by LibreOffice Calc (headless) into ``out``."""
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and (out / path.name).exists(), done.stdout + done.stderr
    return out / path.name
