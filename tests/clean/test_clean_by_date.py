"""Cleaning by date: a row's date decides the era of its units and its criteria set.

Before 01/07/2025: province → district → commune (the legacy units); from that day: province
→ commune, no district. The 2021-2025 sets until 14/02/2026, the 2026-2030 set of 10 from
15/02/2026. A name official in the other era only is rejected with what was official on the
row's date; a tally is never moved from one unit to another.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import assert_accounted, write_csv
from conftest import TODAY

from ntm_analysis.clean import clean_files

NEW_HEADER = ["STT", "Kỳ báo cáo", "Tỉnh", "Xã", "Cấp độ", "Kết quả", "Nguồn"]


def clean_new(tmp_path: Path, *rows: tuple[object, ...], header: list[str] = NEW_HEADER):
    """A sheet as a 2026 office types it: no district column; rows (date, province, commune,
    level, tally)."""
    body = [[i, *row, "test"] for i, row in enumerate(rows, start=1)]
    path = write_csv(tmp_path / "xa_moi.csv", [header, *body])
    result = clean_files([path], tmp_path, today=TODAY)
    assert_accounted(result, {"xa_moi.csv": set(range(2, len(rows) + 2))})
    return result


def outcome(result) -> dict[int, tuple]:
    """Row number → ("ok", era, commune code, met/total) or (reason code, suggestion)."""
    out = {int(r.raw_row): ("ok", r.admin_era, r.commune_code,
                            f"{r.criteria_met}/{r.criteria_total}")
           for r in result.tallies.itertuples()}
    for r in result.rejected.dropna(subset=["raw_row"]).itertuples():
        out[int(r.raw_row)] = (r.reason_code, None if pd.isna(r.suggestion) else r.suggestion)
    return out


def test_a_2026_sheet_in_the_new_units_cleans_with_every_row_accounted_for(tmp_path):
    result = clean_new(
        tmp_path,
        ("06/2026", "An Giang", "Xã An Biên", "NTM", "7/10"),
        ("06/2026", "", "Thạnh Hưng", "", "9/10"),  # blank province: the default's successor
        ("30/06/2026", "tinh an giang", "dac khu kien hai", "xã NTM", "đạt 10/10 tiêu chí"),
        ("06/2026", "An Giang", "Xã An Biên", "NTM", "12/19"),  # the 2021-2025 scale in 2026
    )
    assert outcome(result) == {
        2: ("ok", "2025", "30985", "7/10"), 3: ("ok", "2025", "30910", "9/10"),
        4: ("ok", "2025", "31108", "10/10"), 5: ("total_mismatch", None),
    }
    row = result.tallies.set_index("raw_row").loc[2]
    assert (row.province_code, row.province, row.commune) == ("91", "An Giang", "An Biên")
    assert result.tallies.district_code.isna().all() and result.tallies.district.isna().all()
    assert set(result.tallies.period) == {"2026-2030"}


def test_the_set_follows_the_date_not_the_units(tmp_path):
    """A new commune is assessed on the 2021-2025 set until 14/02/2026."""
    result = clean_new(
        tmp_path,
        ("30/11/2025", "An Giang", "An Biên", "NTM", "19/19"),
        ("14/02/2026", "An Giang", "An Biên", "NTM", "19/19"),
        ("15/02/2026", "An Giang", "An Biên", "NTM", "19/19"),
        ("15/02/2026", "An Giang", "An Biên", "NTM", "10/10"),
    )
    assert outcome(result) == {
        2: ("ok", "2025", "30985", "19/19"), 3: ("ok", "2025", "30985", "19/19"),
        4: ("total_mismatch", None), 5: ("ok", "2025", "30985", "10/10"),
    }
    assert result.tallies.period.tolist() == ["2021-2025", "2021-2025", "2026-2030"]


def test_an_old_commune_after_the_merger_names_its_successor(tmp_path):
    result = clean_new(
        tmp_path,
        ("06/2026", "An Giang", "Đông Yên", "NTM", "7/10"),
        ("06/2026", "An Giang", "xa dong yen", "NTM", "7/10"),
        ("06/2026", "An Giang", "Hòn Tre", "NTM", "7/10"),
        ("06/2026", "An Giang", "Đông Yênn", "NTM", "7/10"),  # no unit of either era
    )
    merged = ("commune_merged", "Xã An Biên (An Giang)")
    assert outcome(result) == {2: merged, 3: merged,
                               4: ("commune_merged", "Đặc khu Kiên Hải (An Giang)"),
                               5: ("unknown_commune", outcome(result)[5][1])}
    assert "An Biên" not in (outcome(result)[5][1] or "")  # a misspelling is not a merger
    texts = result.rejected.set_index("raw_row")
    assert texts.loc[2, "reason"].startswith("Tên xã này không còn từ 01/07/2025")
    assert texts.loc[2, "reason_en"].startswith("This commune no longer exists")


def test_a_written_type_that_contradicts_the_new_unit_is_rejected_naming_the_successor(
        tmp_path):
    """Thị trấn were abolished on 01/07/2025: "Thị trấn Vĩnh Bình" in 2026 is the old town
    (Châu Thành), merged into xã Vĩnh An, never the new xã Vĩnh Bình of the same name."""
    result = clean_new(
        tmp_path,
        ("06/2026", "An Giang", "Thị trấn Vĩnh Bình", "NTM", "7/10"),
        ("06/2026", "An Giang", "TT Vĩnh Thuận", "NTM", "7/10"),
        ("06/2026", "An Giang", "Phường An Biên", "NTM", "7/10"),  # a xã, not a phường
        ("06/2026", "An Giang", "Xã Vĩnh Bình", "NTM", "7/10"),  # the new xã, as written
        ("07/2026", "An Giang", "Vĩnh Bình", "NTM", "8/10"),
        ("05/2024", "Kiên Giang", "Thị trấn Vĩnh Bình", "NTM", "17/19"),  # the old town then
        header=["STT", "Kỳ báo cáo", "Tỉnh", "Xã", "Cấp độ", "Kết quả", "Nguồn"],
    )
    got = outcome(result)
    assert got[2] == ("commune_type_changed", "Xã Vĩnh An (An Giang)")
    assert got[3] == ("commune_type_changed", "Xã Vĩnh Phong (An Giang)")
    assert got[4] == ("commune_type_changed", "Xã An Biên")
    assert got[5][:3] == got[6][:3] == ("ok", "2025", "31064")
    assert got[7][0] == "blank_district"  # the old units need their district before the day
    texts = result.rejected.set_index("raw_row")
    assert "thị trấn không còn" in texts.loc[2, "reason"]
    # the rejected line points at the cell that holds the contradiction, as it was written
    assert texts.loc[[2, 3, 4], "column"].tolist() == ["commune"] * 3
    assert texts.loc[[2, 3, 4], "value"].tolist() == ["Thị trấn Vĩnh Bình", "TT Vĩnh Thuận",
                                                      "Phường An Biên"]
    assert "thị trấn were abolished" in texts.loc[2, "reason_en"]


def test_a_merged_province_after_the_merger_names_the_new_one(tmp_path):
    result = clean_new(tmp_path, ("06/2026", "Kiên Giang", "An Biên", "NTM", "7/10"),
                       ("06/2026", "Kiên Giangg", "An Biên", "NTM", "7/10"))
    assert outcome(result)[2] == ("province_merged", "An Giang")
    assert outcome(result)[3][0] == "unknown_province"


def test_a_new_commune_before_the_merger_names_its_predecessors(tmp_path):
    header = ["STT", "Kỳ báo cáo", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"]
    path = write_csv(tmp_path / "cu.csv", [
        header, [1, "05/2024", "An Biên", "Xã An Biên", "NTM", "19/19", "t"],
        [2, "05/2024", "An Biên", "Đông Yên", "NTM", "19/19", "t"]])
    result = clean_files([path], tmp_path, today=TODAY)
    assert outcome(result) == {
        2: ("commune_not_yet", "Thứ Ba (An Biên), Hưng Yên (An Biên), Đông Yên (An Biên)"),
        3: ("ok", "legacy", "31009", "19/19"),
    }


@pytest.mark.parametrize("as_of,era", [
    ("30/06/2025", "legacy"), ("06/2025", "legacy"), ("quý II/2025", "legacy"),
    ("01/07/2025", "2025"), ("07/2025", "2025"), ("2025", "2025"),  # a year: its last day
])
def test_the_first_of_july_2025_is_the_first_day_of_the_new_units(tmp_path, as_of, era):
    old = ("Kiên Giang", "Đông Yên")  # legacy: needs its district, below
    header = ["STT", "Kỳ báo cáo", "Tỉnh", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"]
    path = write_csv(tmp_path / "ranh_gioi.csv", [
        header, [1, as_of, old[0], "An Biên", old[1], "NTM", "19/19", "t"],
        [2, as_of, "An Giang", "", "An Biên", "NTM", "19/19", "t"]])
    result = clean_files([path], tmp_path, today=TODAY)
    got = outcome(result)
    if era == "legacy":
        assert got[2] == ("ok", "legacy", "31009", "19/19")
        assert got[3][0] in {"blank_district", "commune_not_yet"}
    else:
        assert got[2][0] in {"province_merged", "commune_merged"}
        assert got[3] == ("ok", "2025", "30985", "19/19")


def test_a_district_after_the_merger_is_rejected(tmp_path):
    header = ["STT", "Kỳ báo cáo", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"]
    path = write_csv(tmp_path / "huyen.csv", [
        header, [1, "06/2026", "An Biên", "", "huyện NTM", "9/9", "t"]])
    result = clean_files([path], tmp_path, today=TODAY)
    assert outcome(result) == {2: ("district_abolished", None)}


def test_one_code_in_two_eras_is_two_units_never_merged(tmp_path):
    """30910 was xã Thạnh Phước (Giồng Riềng) and is xã Thạnh Hưng from 01/07/2025: the same
    tally of each is two rows, each with its era, and nothing is merged."""
    header = ["STT", "Kỳ báo cáo", "Tỉnh", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"]
    path = write_csv(tmp_path / "ma_so.csv", [
        header, [1, "05/2025", "Kiên Giang", "Giồng Riềng", "Thạnh Phước", "NTM", "19/19", "t"],
        [2, "11/2025", "An Giang", "", "Thạnh Hưng", "NTM", "19/19", "t"]])
    result = clean_files([path], tmp_path, today=TODAY)
    assert outcome(result) == {2: ("ok", "legacy", "30910", "19/19"),
                               3: ("ok", "2025", "30910", "19/19")}
    assert result.tallies.merged_from.isna().all()
    assert result.tallies.district_code.fillna("none").tolist() == ["906", "none"]


def test_the_commune_group_is_an_optional_column_of_a_tally(tmp_path):
    """QĐ 51/2025/QĐ-TTg sets thresholds by commune group 1, 2 or 3."""
    header = ["STT", "Kỳ báo cáo", "Xã", "Nhóm xã", "Kết quả", "Nguồn"]
    result = clean_new(
        tmp_path, ("06/2026", "Xã An Biên", "Nhóm 2", "7/10"),
        ("06/2026", "Thạnh Hưng", 3, "9/10"),
        ("06/2026", "Kiên Hải", "", "8/10"), ("06/2026", "Vĩnh Hòa Hưng", "4", "5/10"),
        header=header)
    groups = result.tallies.set_index("raw_row").commune_group
    assert groups.loc[[2, 3]].tolist() == [2, 3] and pd.isna(groups.loc[4])
    assert outcome(result)[5] == ("bad_commune_group", None)
