"""GSO codes were reused on 01/07/2025: the new Xã Hòa Điền (An Giang, 91) has code 30790,
the code of Xã Kiên Bình (Kiên Lương, Kiên Giang, 91) before. A tally of each, read by every
page kind: each page shows a tally only as the unit of its own era, never the other's."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest
from builders import write_csv

from ntm_analysis.report import (
    commune_report,
    district_report,
    national_overview,
    province_overview,
    province_overview_2025,
)
from ntm_analysis.report.display import Chart, Heading, Note, Table

CODE = "30790"
OLD, NEW = "19/19", "6/10"  # Kiên Bình's legacy tally, Hòa Điền's 2026–2030 tally
LONE = "30856"  # a reused code with a legacy tally only


@pytest.fixture(scope="module")
def reused(tmp_path_factory):
    from ntm_analysis.clean import clean, write_outputs  # pandera: only where a test cleans

    root = tmp_path_factory.mktemp("reused")
    write_csv(root / "raw" / "tallies.csv", [
        ["STT", "Kỳ báo cáo", "Tỉnh", "Huyện", "Xã", "Cấp độ", "Kết quả", "Nguồn"],
        [1, "01/05/2024", "Kiên Giang", "Kiên Lương", "Kiên Bình", "NTM", OLD, "nguồn cũ"],
        [2, "01/03/2026", "An Giang", "", "Hòa Điền", "NTM", NEW, "nguồn mới"],
        # 30856: Xã Tân Thành (Tân Hiệp) before, Xã Tân Hội after; no tally of the new unit
        [3, "01/05/2024", "Kiên Giang", "Tân Hiệp", "Tân Thành", "NTM", OLD, "nguồn cũ"]])
    result = clean(root / "raw")
    assert sorted(zip(result.tallies.admin_era, result.tallies.commune_code,
                      strict=True)) == [("2025", CODE), ("legacy", CODE), ("legacy", LONE)]
    write_outputs(result, root / "processed")
    return root / "processed"


def page_text(page) -> str:
    """Everything a page shows: the HTML of each of its parts, the alt text of each chart."""
    parts = []
    for name, method in inspect.getmembers(page, inspect.ismethod):
        if name.startswith("_") or any(p.default is p.empty for p in
                                       inspect.signature(method).parameters.values()):
            continue
        shown = method()
        if isinstance(shown, Heading | Note | Table):
            parts.append(shown._repr_html_())
        elif isinstance(shown, Chart):
            parts.append(shown.alt)
    return "\n".join(parts)


def test_the_new_communes_page_shows_its_own_tally_and_the_old_one_as_a_predecessors(
        reused):
    page = commune_report(CODE, province="91", processed_dir=reused)
    assert page.commune.full_name == "Xã Hòa Điền"
    assert (page.latest_new_set().criteria_met, page.latest_new_set().criteria_total) == (6, 10)
    assert NEW in page.headline_sentence()._repr_html_()
    assert OLD not in page.headline()._repr_html_() + page.gap_table()._repr_html_()
    history = page.predecessor_table()._repr_html_()
    assert "Kiên Bình" in history and OLD in page_text(page)


def test_the_new_provinces_page_counts_the_new_tally_only(reused):
    page = province_overview_2025("91", processed_dir=reused)
    rows = page.statuses.set_index("code")
    assert (rows.loc[CODE].criteria_met, rows.loc[CODE].criteria_total) == (6, 10)
    assert rows.loc[CODE].status == "not_met"
    # the old unit of its code was at NTM: the new unit is not, it has no figure of its own
    assert rows.loc[LONE].status == "unknown" and pd.isna(rows.loc[LONE].criteria_met)
    assert rows.loc[LONE].reached_ntm == 1
    assert OLD not in page.communes_table()._repr_html_()


def test_a_reused_code_with_a_legacy_tally_only_gives_the_new_unit_no_tally(reused):
    page = commune_report(LONE, province="91", processed_dir=reused)
    assert page.commune.full_name == "Xã Tân Hội" and page.latest_new_set() is None
    assert "Tân Thành" in page.predecessor_table()._repr_html_()


@pytest.mark.parametrize("build", [
    lambda p: district_report("Kiên Lương", processed_dir=p),
    lambda p: province_overview(processed_dir=p)], ids=["district", "province"])
def test_the_legacy_pages_never_show_the_new_tally(reused, build):
    text = page_text(build(reused))
    assert NEW not in text


def test_the_district_page_shows_the_old_tally_as_kien_binhs(reused):
    page = district_report("Kiên Lương", processed_dir=reused)
    mine = page.tallies[page.tallies.commune_code == CODE]
    assert mine.commune.tolist() == ["Kiên Bình"] and mine.criteria_met.tolist() == [19]


def test_the_national_page_counts_the_new_unit_once(reused):
    rows = national_overview(processed_dir=reused).provinces.set_index("code")
    assert rows.loc["91", "covered"] == 1
    assert rows.drop("91").covered.sum() == 0
