"""Statuses the data implies, each with its reason, and nothing more.

A district recognised as NTM, or a district count "N/N xã" (or "100%"), had every one of its
xã at NTM on that date (district criterion 1, QĐ 320/QĐ-TTg): each xã gets a row of origin
``implied-by-district`` citing the district's row. A thị trấn is no xã and gets none; a
count whose N is not the district's number of xã implies nothing; a commune's own figure on
the same date wins, and a later one of its own is its latest.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import TODAY

from ntm_analysis.clean import clean
from ntm_analysis.reference.units import registry

FACT_HEADER = ("as_of,level,province,district,commune,criteria_met,criteria_total,metric,"
               "value,source_url,source_title")
TALLY_HEADER = "Kỳ báo cáo,Huyện,Xã,Cấp độ,Kết quả,Nguồn"


def cleaned(tmp_path, facts: list[str], tallies: list[str] = ()):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "facts.csv").write_text("\n".join([FACT_HEADER, *facts]), encoding="utf-8")
    if tallies:
        (raw / "tallies.csv").write_text("\n".join([TALLY_HEADER, *tallies]),
                                         encoding="utf-8")
    return clean(raw, today=TODAY)


def an_bien_xa() -> pd.DataFrame:
    units = registry("91").communes("908")
    return units[units.unit_type == "Xã"]


def implied_of(result) -> pd.DataFrame:
    return result.tallies[result.tallies.origin == "implied-by-district"]


def test_a_recognised_district_implies_each_of_its_xa_with_its_decision(tmp_path):
    result = cleaned(tmp_path, [
        '20/02/2024,district,Kiên Giang,An Biên,,9,9,"district_recognized_ntm (QĐ 235/QĐ-TTg)"'
        ',1,,Thủ tướng công nhận'])
    rows = implied_of(result)
    assert set(rows.commune_code) == set(an_bien_xa().code) and len(rows) == 8
    assert "Thứ Ba" not in set(rows.commune)  # a thị trấn is not assessed as a xã
    assert set(rows.level) == {"xa_ntm"} and (rows.criteria_met == 19).all()
    assert set(rows.as_of) == {pd.Timestamp("2024-02-20")}
    assert set(rows.decision) == {"QĐ 235/QĐ-TTg"}
    assert set(rows.source) == {"Thủ tướng công nhận"}
    assert set(rows.raw_file) == {"facts.csv"} and set(rows.raw_row) == {2}
    # implied rows are no rows of a sheet: the ledger still balances on what was read
    assert result.summary.set_index("file").loc["facts.csv", "accepted"] == 1


@pytest.mark.parametrize("value,implies", [("8/8", True), ("100%", True), ("7/8", False),
                                           ("9/9", False)])  # An Biên has 8 xã, not 9
def test_a_complete_district_count_implies_each_xa_and_nothing_else_does(tmp_path, value,
                                                                       implies):
    result = cleaned(tmp_path, [
        f"18/03/2024,district,Kiên Giang,An Biên,,,,ntm_communes,{value},,SGGP"])
    rows = implied_of(result)
    assert len(rows) == (8 if implies else 0)
    if implies:
        assert set(rows.as_of) == {pd.Timestamp("2024-03-18")} and rows.decision.isna().all()


def test_a_communes_own_figure_wins_on_its_date_and_later(tmp_path):
    result = cleaned(
        tmp_path,
        ["20/02/2024,district,Kiên Giang,An Biên,,9,9,district_recognized_ntm,1,,QĐ"],
        ["20/02/2024,An Biên,Hưng Yên,xã NTM,18/19,xã",  # its own figure that day
         "31/12/2024,An Biên,Nam Yên,xã NTM,17/19,xã"])  # its own later figure
    t = result.tallies
    assert result.rejected.empty  # no conflict between an implied row and a reported one
    hung_yen = t[(t.commune == "Hưng Yên") & (t.level == "xa_ntm")]
    assert hung_yen[["criteria_met", "origin"]].values.tolist() == [[18, "reported"]]
    nam_yen = t[(t.commune == "Nam Yên") & (t.level == "xa_ntm")].sort_values("as_of")
    assert nam_yen.origin.tolist() == ["implied-by-district", "reported"]
    assert nam_yen.iloc[-1].criteria_met == 17  # the latest is its own, not the implied
