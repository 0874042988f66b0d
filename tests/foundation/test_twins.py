"""Outputs that exist in two forms say the same thing, cell by cell and type by type:
``rejected.parquet`` and ``rejected.csv`` (what an official opens in Excel), and
``clean_summary.json`` and the summary the cleaner returns."""

from __future__ import annotations

import json

import pandas as pd
from builders import tally_rows, write_csv
from conftest import TODAY

from ntm_analysis import processed
from ntm_analysis.clean import clean, write_outputs


def test_rejected_csv_is_rejected_parquet_cell_by_cell(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "a.csv", tally_rows(
        ("05/2022", "An Biên", "Đông Yênn", "nâng cao", "14/19"),  # a suggestion
        ("32/13/2022", "An Biên", "Nam Yên", "nâng cao", "12/19"),  # a bad date
        ("05/2022", "An Biên", "Nam Yên", "nâng cao", "20/19"),  # met above total
        ("06/2026", "An Biên", "Đông Yên", "NTM", "7/10")))  # an old name in 2026
    (raw / "empty.csv").write_text("", encoding="utf-8")  # a file refused whole: no row
    result = clean(raw, today=TODAY)
    paths = write_outputs(result, tmp_path / "out")
    table = pd.read_parquet(paths["rejected"])
    sheet = pd.read_csv(paths["rejected_csv"], dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    assert list(sheet.columns) == list(table.columns) == list(processed.COLUMNS["rejected"])
    assert len(sheet) == len(table) >= 5
    as_text = table.astype(object).where(table.notna(), "").astype(str)
    assert as_text.values.tolist() == sheet.values.tolist()
    # types: a row number is a whole number in both (never "2.0"), blank where a file has none
    assert table.raw_row.dtype == "Int64"
    assert set(sheet.raw_row) - {""} == {str(n) for n in table.raw_row.dropna()}


def test_the_summary_file_is_the_summary_the_cleaner_returned(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "a.csv", tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
                                        ("05/2022", "An Biên", "Nam Yênn", "nâng cao", "2/19")))
    result = clean(raw, today=TODAY)
    written = json.loads(write_outputs(result, tmp_path / "out")["summary"].read_text("utf-8"))
    assert written["totals"] == result.totals
    rows = pd.DataFrame(written["files"])
    for column in ("file", "read", "accepted", "merged", "rejected", "repaired"):
        assert rows[column].tolist() == result.summary[column].tolist(), column
