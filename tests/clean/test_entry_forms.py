"""Data-entry forms: ``ntm template`` writes them, a person fills them with
openpyxl as Excel or LibreOffice would store the cells, ``ntm clean`` reads back exactly the
statuses and tally typed in them, every row accounted for.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from builders import assert_accounted, assert_rejections_name_their_column, saved_by_calc
from conftest import TODAY
from openpyxl import load_workbook

from ntm_analysis import __version__
from ntm_analysis.clean import clean_files, write_outputs
from ntm_analysis.cli import main
from ntm_analysis.publish.entry_forms import TITLE_ROW, plan_forms, write_forms
from ntm_analysis.raw.entry_form import FIRST_CRITERION_ROW, FORM_PROPERTY, KEY_CELL
from ntm_analysis.reference.criteria import criteria_names
from ntm_analysis.report import commune_report

CREATED = datetime(2026, 11, 30, 8, 0)
AN_BIEN_2025 = "30985"  # Xã An Biên from 01/07/2025
FIRST = FIRST_CRITERION_ROW
# what a person chooses for the 10 criteria of the 2026-2030 set: 7 met
TEN = ["Đạt", "Đạt", "đạt", "Chưa đạt", "Đạt", "Đạt", "Chưa đạt", "Đạt", "Chưa đạt", "ĐẠT"]


@pytest.fixture(scope="module")
def blank_form(tmp_path_factory) -> Path:
    """The form of Xã An Biên (2025 era, 2026-2030 set), as ``ntm template`` writes it."""
    out = tmp_path_factory.mktemp("forms")
    [path] = write_forms(plan_forms("91", "2025", ["An Biên"]), out, CREATED)
    return path


def fill(form: Path, target: Path, statuses: list[object], date: object = "15/6/2026",
         group: object = 2, sheet: int = 0, **cells: object) -> Path:
    """Fill ``form`` the way a person does and save it as ``target``: a date typed as text,
    a group chosen, one status per criterion (None: left empty), any other cells by
    address."""
    book = load_workbook(form)
    ws = book.worksheets[sheet]
    ws["C7"], ws["C6"] = date, group
    for offset, status in enumerate(statuses):
        ws[f"C{FIRST + offset}"] = status
    for address, value in cells.items():
        ws[address] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def clean_folder(folder: Path):
    result = clean_files(sorted(folder.glob("*.xlsx")), folder, today=TODAY)
    assert_rejections_name_their_column(result)
    return result


def rows_of(path: Path, n: int) -> set[int]:
    """The rows a form sheet of ``n`` criteria holds: one per criterion and the tally row."""
    return set(range(FIRST, FIRST + n + 1))


def test_a_form_has_its_unit_locked_its_cells_open_a_dropdown_and_fits_a4(blank_form):
    book = load_workbook(blank_form)
    ws, guide = book.worksheets
    assert guide.title == "Hướng dẫn" and guide.protection.sheet
    assert guide.column_dimensions["H"].hidden  # its key cell, out of the reader's way
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props[FORM_PROPERTY] == "1" and props["ntm_analysis_version"] == __version__
    assert props["ntm_form_created"] == "2026-11-30T08:00:00"
    assert book.properties.creator == f"ntm-analysis {__version__}"
    assert ws.protection.sheet and not ws.protection.password
    assert ws["C3"].value == AN_BIEN_2025 and ws["C3"].protection.locked
    assert ws[KEY_CELL].value.split("|")[2:] == ["2025", "91", "", AN_BIEN_2025, "xa_ntm",
                                                 "2026-2030"]
    assert ws[KEY_CELL].protection.locked and ws.column_dimensions["H"].hidden
    names = criteria_names("xa_ntm", "2026-2030")
    last = FIRST + len(names) - 1
    assert [ws[f"B{r}"].value for r in range(FIRST, last + 1)] == names.name.tolist()
    assert [ws[f"A{r}"].value for r in range(FIRST, last + 1)] == list(range(1, 11))
    for address in ("C6", "C7", f"C{FIRST}", f"D{last}", f"E{FIRST}", f"F{last}"):
        assert not ws[address].protection.locked, address
    assert all(ws[f"{c}{FIRST}"].protection.locked for c in "AB")
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation
             if v.type == "list"}
    assert lists == {f"C{FIRST}:C{last}": '"Đạt,Chưa đạt"', "C6": '"1,2,3"'}
    assert ws.freeze_panes == f"A{FIRST}"
    # the title across the form's width, centred, as a printed form has it
    assert f"A{TITLE_ROW}:F{TITLE_ROW}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"A{TITLE_ROW}"].alignment.horizontal == "center"
    assert ws.print_area == f"'{ws.title}'!$A$1:$F${last + 1}"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_a_filled_form_cleans_to_exactly_the_statuses_and_tally_typed_in_it(blank_form,
                                                                            tmp_path):
    path = fill(blank_form, tmp_path / "raw" / "an_bien_06_2026.xlsx", TEN,
                **{f"E{FIRST}": "QĐ 12/QĐ-UBND", f"F{FIRST + 3}": "đang hoàn thiện hồ sơ"})
    result = clean_folder(path.parent)
    assert_accounted(result, {path.name: rows_of(path, 10)})
    status = result.criteria_status.set_index("criterion_number")
    assert status.met.tolist() == [s.lower() == "đạt" for s in TEN]
    assert set(status.as_of) == {pd.Timestamp("2026-06-15")}
    assert set(status.commune_code) == {AN_BIEN_2025} and set(status.admin_era) == {"2025"}
    assert status.source[1] == "QĐ 12/QĐ-UBND" and status.note[4] == "đang hoàn thiện hồ sơ"
    [tally] = result.tallies.itertuples()
    assert (tally.criteria_met, tally.criteria_total, tally.commune_group) == (7, 10, 2)
    assert (tally.commune_code, tally.as_of, tally.raw_row) == (
        AN_BIEN_2025, pd.Timestamp("2026-06-15"), FIRST + 10)


def test_the_commune_page_shows_what_its_form_says(blank_form, tmp_path):
    path = fill(blank_form, tmp_path / "raw" / "an_bien.xlsx", TEN)
    write_outputs(clean_folder(path.parent), tmp_path / "processed")
    page = commune_report(AN_BIEN_2025, processed_dir=tmp_path / "processed")
    shown = page.criteria_set().data.set_index("Số")["Đánh giá gần nhất"]
    assert shown.tolist() == [("Đạt" if s.lower() == "đạt" else "Chưa đạt") + " (15/06/2026)"
                              for s in TEN]
    assert page.headline().data.iloc[0, 1] == "7/10"


def test_empty_and_pasted_statuses_are_rejected_and_the_tally_is_not_guessed(blank_form,
                                                                             tmp_path):
    statuses = [*TEN[:4], None, "x", *TEN[6:]]  # one left empty, one pasted over
    path = fill(blank_form, tmp_path / "raw" / "thieu.xlsx", statuses)
    result = clean_folder(path.parent)
    assert_accounted(result, {path.name: rows_of(path, 10)})
    assert len(result.criteria_status) == 8 and result.tallies.empty
    reasons = dict(zip(result.rejected.raw_row, result.rejected.reason_code, strict=True))
    assert reasons == {FIRST + 4: "form_blank_status", FIRST + 5: "form_bad_status",
                       FIRST + 10: "form_incomplete"}
    pasted = result.rejected.set_index("raw_row").loc[FIRST + 5]
    assert (pasted.value, pasted.suggestion) == ("x", "Đạt, Chưa đạt")
    assert "2 trong 10" in result.rejected.set_index("raw_row").reason[FIRST + 10]


def test_a_form_one_status_short_of_complete_gives_no_count(blank_form, tmp_path):
    """Nine statuses of ten, the last left empty: the count is not taken, naming 1 of 10."""
    path = fill(blank_form, tmp_path / "raw" / "gan_du.xlsx", [*TEN[:9], None])
    result = clean_folder(path.parent)
    assert_accounted(result, {path.name: rows_of(path, 10)})
    assert len(result.criteria_status) == 9 and result.tallies.empty
    tally = result.rejected.set_index("raw_row").loc[FIRST + 10]
    assert tally.reason_code == "form_incomplete" and "1 trong 10" in tally.reason


def test_a_form_without_a_date_is_rejected_with_the_sheet_named(blank_form, tmp_path):
    path = fill(blank_form, tmp_path / "raw" / "khong_ngay.xlsx", TEN, date=None)
    result = clean_folder(path.parent)
    assert_accounted(result, {path.name: rows_of(path, 10)})
    assert result.criteria_status.empty and result.tallies.empty
    undated = result.rejected[result.rejected.reason_code == "form_no_date"]
    assert len(undated) == 10 and undated.reason.str.contains("“Xã An Biên”").all()


def test_a_date_outside_the_forms_era_or_set_is_rejected(blank_form, tmp_path):
    before_merger = fill(blank_form, tmp_path / "a" / "f.xlsx", TEN, date="31/05/2025")
    before_set = fill(blank_form, tmp_path / "b" / "f.xlsx", TEN, date="31/12/2025")
    for path, reason in ((before_merger, "form_era_mismatch"),
                         (before_set, "form_period_mismatch")):
        result = clean_folder(path.parent)
        assert result.criteria_status.empty
        assert (result.rejected.reason_code == reason).sum() == 10, reason


def test_a_form_of_another_layout_version_is_refused_whole_with_its_reason(blank_form,
                                                                          tmp_path):
    """A form whose key states another layout: its cells may be elsewhere, so not one is
    read; the sheet is one line of ``rejected`` naming the key."""
    key = load_workbook(blank_form).worksheets[0][KEY_CELL].value
    other = key.replace("|1|", "|9|", 1)
    path = fill(blank_form, tmp_path / "raw" / "an_bien.xlsx", TEN, **{KEY_CELL: other})
    result = clean_folder(path.parent)
    assert result.criteria_status.empty and result.tallies.empty
    sheet = result.rejected[result.rejected.reason_code == "form_layout"]
    assert sheet.value.tolist() == [other] and sheet.raw_row.isna().all()


def test_a_renamed_copy_is_read_for_the_unit_it_carries_and_merges_with_the_original(
        blank_form, tmp_path):
    original = fill(blank_form, tmp_path / "raw" / "an_bien.xlsx", TEN)
    renamed = tmp_path / "raw" / "xa_tay_yen_gui_lai.xlsx"  # the name says another commune
    shutil.copy(original, renamed)
    result = clean_folder(original.parent)
    assert_accounted(result, {original.name: rows_of(original, 10),
                              renamed.name: rows_of(renamed, 10)})
    assert set(result.criteria_status.commune_code) == {AN_BIEN_2025}
    assert result.summary.set_index("file").merged[renamed.name] == 11


def test_a_legacy_district_workbook_reads_the_district_and_its_communes(tmp_path):
    [book] = plan_forms("91", "legacy", district="An Biên")
    assert book.units[0].unit.full_name == "Huyện An Biên" and len(book.units) == 9
    [form] = write_forms([book], tmp_path / "forms", CREATED)
    path = fill(form, tmp_path / "raw" / "an_bien_2024.xlsx", ["Đạt"] * 5 + ["Chưa đạt"] * 4,
                date="31/05/2024", group=None)
    path = fill(path, path, ["Đạt"] * 19, date="31/05/2024", group=None, sheet=2)
    result = clean_folder(path.parent)
    counts = result.summary.set_index("file").loc[path.name]
    # two sheets filled (9 + 1 and 19 + 1 rows); the 7 untouched ones are one line each
    assert counts[["read", "accepted", "merged", "rejected"]].tolist() == [30, 30, 0, 0]
    unfilled = result.rejected[result.rejected.reason_code == "form_unfilled"]
    assert len(unfilled) == 7 and unfilled.raw_row.isna().all()
    tallies = result.tallies.set_index("level")
    assert tallies.loc["huyen_ntm", ["district_code", "criteria_met", "criteria_total"]] \
        .tolist() == ["908", 5, 9]
    commune = tallies.loc["xa_ntm"]
    assert (commune.commune, commune.criteria_met, commune.criteria_total) == (
        book.units[2].unit.name, 19, 19)
    assert set(result.criteria_status.admin_era) == {"legacy"}


@pytest.mark.slow
def test_a_form_saved_by_libreoffice_calc_reads_back_the_same(blank_form, tmp_path, soffice):
    path = fill(blank_form, tmp_path / "raw" / "an_bien.xlsx", TEN)
    out = saved_by_calc(soffice, path, tmp_path / "lo", tmp_path / "profile").parent
    ours, theirs = clean_folder(path.parent), clean_folder(out)
    columns = ["criterion_number", "met", "as_of", "commune_code", "source"]
    assert theirs.criteria_status[columns].equals(ours.criteria_status[columns])
    assert theirs.tallies[["criteria_met", "criteria_total", "commune_group"]].values \
        .tolist() == [[7, 10, 2]]


def test_ntm_template_writes_one_workbook_per_commune_and_refuses_what_cannot_be(
        tmp_path, capsys):
    out = tmp_path / "forms"
    assert main(["template", "--commune", "An Biên", "--commune", "Tây Yên",
                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["xa-an-bien-30985.xlsx",
                                                     "xa-tay-yen-30988.xlsx"]
    assert main(["template", "--single", "--commune", "An Biên", "--commune", "Tây Yên",
                 "--out", str(tmp_path / "one")]) == 0
    [single] = (tmp_path / "one").iterdir()
    assert load_workbook(single).sheetnames == ["Xã An Biên", "Xã Tây Yên", "Hướng dẫn"]
    assert main(["template", "--district", "An Biên", "--out", str(out)]) == 2
    assert "--era legacy" in capsys.readouterr().err
    assert main(["template", "--era", "legacy", "--period", "2016-2020",
                 "--out", str(out)]) == 2
    assert "2021-2025" in capsys.readouterr().err
    assert len(list(out.iterdir())) == 2
