"""Files a real spreadsheet program produced: LibreOffice Calc (headless) opens a CSV of
ordinary tallies the way an office does and saves it again; each result must clean to the
same rows as the original, every repair stated.

- as XLSX in the en-US locale: "12/19", "10/19" and "5/9" become dates (month first);
- as XLSX in the Vietnamese locale: "5/9", "3/9" become dates (day first), dates are dates;
- imported as Latin-1 and saved as CSV: every accented letter is mojibake, and the tallies
  that look like dates are saved as "12/19/26".
"""

from __future__ import annotations

import subprocess

import pytest
from builders import tally_rows, write_csv
from conftest import TODAY

from ntm_analysis.clean import clean_files

pytestmark = pytest.mark.slow
ROWS = [
    ("31/05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
    ("31/05/2022", "An Biên", "Nam Yên", "nâng cao", "12/19"),
    ("31/05/2022", "Gò Quao", "Vĩnh Hòa Hưng Bắc", "nâng cao", "10/19"),
    ("31/05/2022", "Kiên Hải", "Hòn Tre", "nâng cao", "11/19"),
    ("31/05/2022", "An Biên", "", "huyện NTM", "4/9"),
    ("31/05/2022", "An Minh", "", "huyện NTM", "5/9"),
    ("31/05/2022", "Kiên Lương", "", "huyện NTM", "6/9"),
    ("31/05/2022", "Kiên Hải", "", "huyện NTM", "3/9"),
]
# LibreOffice's CSV import options: separator, quote, character set (76 UTF-8, 12 ISO 8859-1),
# first line, column formats (standard: the program guesses, as a user's double-click does),
# locale (1033 en-US, 1066 vi-VN)
IMPORT = "CSV:44,34,{charset},1,,{locale}"


def convert(soffice: str, source, out_dir, charset: int, locale: int, to: str):
    profile = out_dir / "profile"  # a profile of its own: no state from another run
    done = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         f"--infilter={IMPORT.format(charset=charset, locale=locale)}", "--convert-to", to,
         "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180)
    produced = list(out_dir.glob(f"{source.stem}.*"))
    assert done.returncode == 0 and produced, done.stdout + done.stderr
    return produced[0]


def rows_of(result) -> list[list[object]]:
    t = result.tallies.sort_values(["district_code", "commune_code"], na_position="first")
    return t[["as_of", "level", "district_code", "commune_code", "criteria_met",
              "criteria_total"]].fillna("").values.tolist()


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    folder = tmp_path_factory.mktemp("goc")
    path = write_csv(folder / "bao_cao.csv", tally_rows(*ROWS))
    result = clean_files([path], folder, today=TODAY)
    assert result.rejected.empty and len(result.tallies) == len(ROWS)
    return path, rows_of(result)


@pytest.mark.parametrize("name,charset,locale,to,repaired", [
    # month first: every tally but 14/19 is a date (14 is not a month)
    ("xlsx-en-US", 76, 1033, "xlsx", 7),
    # day first: the four district tallies x/9 are dates; x/19 cannot be (19 is not a month)
    ("xlsx-vi-VN", 76, 1066, "xlsx", 4),
    # every row is mojibake (a sheet repair), 7 of them dates as well
    ("csv-latin1", 12, 1033, "csv:Text - txt - csv (StarCalc):44,34,76", 8),
])
def test_a_sheet_saved_by_libreoffice_cleans_to_the_original_rows(soffice, original, tmp_path,
                                                                  name, charset, locale, to,
                                                                  repaired):
    source, expected = original
    saved = convert(soffice, source, tmp_path / name, charset, locale, to)
    result = clean_files([saved], saved.parent, today=TODAY)
    assert result.rejected.empty, result.rejected[["raw_row", "reason_en"]].to_string()
    assert rows_of(result) == expected
    assert result.summary.repaired.item() == repaired
    assert result.tallies.repair.notna().sum() == repaired


def test_a_utf8_sheet_opened_with_the_default_import_keeps_every_name(soffice, tmp_path):
    """Calc's default CSV import (no character set given: Western, Windows-1252) keeps the
    bytes Windows-1252 leaves undefined as private-use characters: "Đ" (C4 90) is "Ä" +
    U+F190, "ề" (E1 BB 81) ends in U+F181. Every name with them must still clean."""
    rows = [("31/05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
            ("31/05/2022", "Giồng Riềng", "Ngọc Chúc", "nâng cao", "15/19"),
            ("31/05/2022", "Giồng Riềng", "Thạnh Lộc", "nâng cao", "13/19"),
            ("31/05/2022", "An Minh", "Đông Hưng", "nâng cao", "16/19")]
    source = write_csv(tmp_path / "goc.csv", tally_rows(*rows))
    expected = rows_of(clean_files([source], tmp_path, today=TODAY))
    out = tmp_path / "calc"
    done = subprocess.run([soffice, f"-env:UserInstallation=file://{out / 'profile'}",
                           "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                           str(source)], capture_output=True, text=True, timeout=180)
    saved = out / "goc.xlsx"
    assert done.returncode == 0 and saved.exists(), done.stdout + done.stderr
    import python_calamine

    cells = python_calamine.CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0) \
        .to_python()
    assert any("\uf190" in str(c) for row in cells for c in row)  # the damage is really there
    result = clean_files([saved], out, today=TODAY)
    assert result.rejected.empty, result.rejected[["raw_row", "reason_en"]].to_string()
    assert rows_of(result) == expected
    assert result.tallies.repair.notna().all()
