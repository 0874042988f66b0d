"""Indicator-level forms of the 2026–2030 set: ``ntm template`` lists the office's indicators
once its thresholds are cleaned, a person types values (Excel or LibreOffice), and ``ntm
clean`` reads back each value in its unit, rejects a blank or mistyped one with its reason,
and checks the typed criterion statuses against the indicators; the commune page lists the
unmet indicators with their gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import saved_by_calc, write_csv
from conftest import TODAY
from openpyxl import load_workbook

from ntm_analysis.clean import clean_files, write_outputs
from ntm_analysis.cli import main
from ntm_analysis.raw.entry_form import (
    FIRST_CRITERION_ROW,
    INDICATOR_KEY_CELL,
    indicator_header_row,
)
from ntm_analysis.report import commune_report

AN_BIEN_2025 = "30985"  # Xã An Biên from 01/07/2025
DOC = "QĐ 51/2025/QĐ-TTg; Hướng dẫn của tỉnh An Giang"
#: invented thresholds of a small test catalogue (the real ones come from the office)
THRESHOLDS = [
    ["Mã chỉ tiêu", "Tiêu chí", "Tên chỉ tiêu", "Đơn vị tính", "Chiều", "Nhóm 1", "Nhóm 2",
     "Nhóm 3", "Văn bản"],
    ["6.1", "6", "Tỷ lệ hộ nghèo đa chiều", "%", "tối đa", "1", "2", "4", DOC],
    ["3.1", "3", "Thu nhập bình quân đầu người", "triệu đồng/người/năm", "tối thiểu",
     "90", "80", "60", DOC],
    ["8.1", "8", "Có điểm thu gom rác thải", "có/không", "", "có", "có", "có", DOC],
]
#: the form's indicator rows in the decision's order, and what a person types in them
ORDER = ["3.1", "6.1", "8.1"]
TYPED = {"3.1": 72.4, "6.1": 3.5, "8.1": "Có"}
#: the statuses typed for the 10 criteria: 3 and 6 "Đạt" against their unmet indicators
STATUSES = ["Đạt"] * 10


@pytest.fixture(scope="module")
def indicator_form(tmp_path_factory) -> Path:
    """The form of Xã An Biên made by ``ntm template`` after the thresholds were cleaned."""
    work = tmp_path_factory.mktemp("office")
    write_csv(work / "raw" / "nguong.csv", THRESHOLDS)
    assert main(["clean", "--raw", str(work / "raw"), "--out", str(work / "processed")]) == 0
    assert main(["template", "--province", "An Giang", "--commune", "An Biên",
                 "--processed", str(work / "processed"), "--out", str(work / "forms")]) == 0
    [form] = (work / "forms").glob("*.xlsx")
    return form


def fill(form: Path, raw: Path, values: dict[str, object], statuses=STATUSES,
         date: str = "30/06/2026", group: int = 2) -> Path:
    """Type the sheet's date and group, the statuses and the indicator values (by code)."""
    book = load_workbook(form)
    ws = book.worksheets[0]
    ws["C7"], ws["C6"] = date, group
    for offset, status in enumerate(statuses):
        ws[f"C{FIRST_CRITERION_ROW + offset}"] = status
    for offset, code in enumerate(ORDER, start=indicator_header_row(len(statuses)) + 1):
        assert ws[f"A{offset}"].value == code  # the locked code the reader keys on
        ws[f"C{offset}"] = values.get(code)
    raw.mkdir(parents=True, exist_ok=True)
    write_csv(raw / "nguong.csv", THRESHOLDS)
    book.save(raw / "an_bien.xlsx")
    return raw / "an_bien.xlsx"


def cleaned(raw: Path):
    result = clean_files(sorted(raw.iterdir()), raw, today=TODAY)
    summary = result.summary.set_index("file")
    assert (summary.read == summary.accepted + summary.merged + summary.rejected).all()
    return result


def reasons(result, file: str = "an_bien.xlsx") -> dict[int, str]:
    rej = result.rejected[(result.rejected.raw_file == file) & result.rejected.raw_row.notna()]
    return dict(zip(rej.raw_row.astype(int), rej.reason_code, strict=True))


def test_the_form_lists_the_offices_indicators_with_cells_typed_by_unit(indicator_form):
    ws = load_workbook(indicator_form).worksheets[0]
    header = indicator_header_row(10)
    assert ws[INDICATOR_KEY_CELL].value == "ntm-indicators|3"
    rows = range(header + 1, header + 4)
    assert [ws[f"A{r}"].value for r in rows] == ORDER
    assert all(ws[f"A{r}"].protection.locked and not ws[f"C{r}"].protection.locked
               for r in rows)
    checks = {str(v.sqref): (v.type, v.formula1, v.formula2)
              for v in ws.data_validations.dataValidation}
    assert checks[f"C{header + 1}"] == ("decimal", "0", None)  # income: a number ≥ 0
    assert checks[f"C{header + 2}"] == ("decimal", "0", "100")  # a percentage
    assert checks[f"C{header + 3}"] == ("list", '"Có,Không"', None)  # yes/no
    assert ws.print_area.endswith(f"$F${header + 3}")


def test_indicator_values_are_read_in_their_unit_and_contradicted_statuses_rejected(
        indicator_form, tmp_path):
    result = cleaned(fill(indicator_form, tmp_path / "raw", TYPED).parent)
    values = result.indicator_values.set_index("indicator")
    assert values.loc[ORDER, "value"].tolist() == [72.4, 3.5, 1.0]
    assert set(values.commune_code) == {AN_BIEN_2025} and set(values.commune_group) == {2}
    # criteria 3 and 6 typed "Đạt" while 3.1 (72.4 < 80) and 6.1 (3.5% > 2%) are not met
    # the sheet's count (10/10) counted them: it is rejected too
    why = reasons(result)
    assert why == {FIRST_CRITERION_ROW + 2: "status_contradicts_indicators",
                   FIRST_CRITERION_ROW + 5: "status_contradicts_indicators",
                   FIRST_CRITERION_ROW + 10: "form_contradicted"}
    kept = result.criteria_status.set_index("criterion_number").met
    assert kept[8] and 3 not in kept.index and 6 not in kept.index
    assert result.tallies[result.tallies.raw_file == "an_bien.xlsx"].empty


def test_the_commune_page_lists_each_unmet_indicator_with_its_gap(indicator_form, tmp_path):
    statuses = ["Đạt", "Đạt", "Chưa đạt", "Đạt", "Đạt", "Chưa đạt", "Đạt", "Đạt", "Đạt", "Đạt"]
    result = cleaned(fill(indicator_form, tmp_path / "raw", TYPED, statuses).parent)
    assert reasons(result) == {}
    assert result.tallies.criteria_met.tolist() == [8]
    write_outputs(result, tmp_path / "processed")
    page = commune_report(AN_BIEN_2025, processed_dir=tmp_path / "processed")
    unmet = page.unmet_indicators().data
    assert unmet.iloc[:, 0].tolist() == ["3.1", "6.1"]
    text = unmet.to_string()
    assert "7,6" in text and "1,5" in text  # 80 − 72.4 million đồng; 3.5% − 2%
    derived = page.criteria_from_indicators().data.to_string()
    assert "3.1" in derived and "6.1" in derived


def test_a_blank_or_mistyped_value_is_rejected_with_its_reason(indicator_form, tmp_path):
    result = cleaned(fill(indicator_form, tmp_path / "raw",
                          {"3.1": "bảy mươi", "6.1": None, "8.1": "Có"}).parent)
    first = indicator_header_row(10) + 1
    why = reasons(result)
    assert why[first] == "bad_indicator_value" and why[first + 1] == "form_blank_indicator"
    assert first + 2 not in why
    assert result.indicator_values.indicator.tolist() == ["8.1"]


def test_an_untouched_indicator_table_holds_no_rows(indicator_form, tmp_path):
    result = cleaned(fill(indicator_form, tmp_path / "raw", {}).parent)
    assert result.indicator_values.empty
    assert all(row < indicator_header_row(10) for row in reasons(result))
    assert result.summary.set_index("file").loc["an_bien.xlsx", "read"] == 11


@pytest.mark.slow
def test_an_indicator_form_saved_by_libreoffice_calc_reads_back_the_same(
        indicator_form, tmp_path, soffice):
    path = fill(indicator_form, tmp_path / "raw", TYPED)
    out = saved_by_calc(soffice, path, tmp_path / "lo", tmp_path / "profile").parent
    write_csv(out / "nguong.csv", THRESHOLDS)
    ours, theirs = cleaned(path.parent), cleaned(out)
    columns = ["indicator", "value", "as_of", "commune_code", "commune_group"]
    assert theirs.indicator_values[columns].equals(ours.indicator_values[columns])
    assert reasons(theirs) == reasons(ours)
