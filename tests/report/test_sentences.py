"""The headline sentence of a page (issue 15), from the same gap table the page shows."""

from __future__ import annotations

import pytest

from ntm_analysis import config
from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.report import district_report


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    write_outputs(clean(config.RAW_DIR, today="2026-11-29"), out)
    return out


@pytest.mark.parametrize("district,lang,sentence", [
    ("Kiên Lương", "vi", "Huyện Kiên Lương đạt chuẩn huyện nông thôn mới ngày 20/02/2024, "
                         "trễ 14 tháng so với kế hoạch (31/12/2022)."),
    ("An Minh", "en", "Huyện An Minh reached the NTM district standard on 2025-03-26, 15 "
                      "months later than planned (2023-12-31)."),
    ("Kiên Hải", "vi", "Huyện Kiên Hải đạt 3/9 tiêu chí huyện nông thôn mới ngày 31/05/2022; "
                       "hạn 31/12/2023 đã qua, còn thiếu 6 tiêu chí."),
    ("Tân Hiệp", "vi", "Huyện Tân Hiệp đạt chuẩn huyện nông thôn mới ngày 31/12/2016."),
    ("Phú Quốc", "en", "No NTM district criteria tallies for Thành phố Phú Quốc in the data."),
])
def test_each_rating_has_its_sentence(processed, district, lang, sentence):
    assert str(district_report(district, lang=lang, processed_dir=processed)
               .headline_sentence()) == sentence


def test_before_the_deadline_the_sentence_says_what_is_left_and_how_fast(processed):
    page = district_report("An Biên", as_of="2022-05-31", processed_dir=processed)
    row = page.gaps[page.gaps.level == "huyen_ntm"].iloc[0]
    text = str(page.headline_sentence())
    assert text == ("Huyện An Biên đạt 4/9 tiêu chí huyện nông thôn mới ngày 31/05/2022; cần "
                    "thêm 5 tiêu chí trước 31/12/2022 (8.5 tiêu chí/năm).")
    # every number is one of the gap table's
    assert (row.criteria_met, row.criteria_total, row.gap) == (4, 9, 5)
    assert f"{row.required_pace:.1f}" == "8.5"


def test_plan_against_actual(processed):
    """Issue 15 item 2: the planned date, the date reached or "not yet", the delay."""
    late = district_report("An Biên", processed_dir=processed).plan_table().data
    assert late.iloc[0].tolist()[:6] == ["An Biên", "huyện NTM", "31/12/2022", "21/05/2023", 5,
                                         "Đạt trễ hạn"]
    missed = district_report("Kiên Hải", as_of="2025-12-31", processed_dir=processed,
                             lang="en").plan_table().data
    assert missed.iloc[0].tolist()[2:6] == ["2023-12-31", "not yet (6 left; projected —)", 24,
                                            "Missed"]
    assert str(district_report("Phú Quốc", processed_dir=processed).plan_table()) == \
        "Không có kế hoạch nào có hạn trong dữ liệu."


def test_each_page_says_what_it_rests_on(processed):
    """Issue 15 item 6: counts, date range and sources; or that the sources say nothing."""
    page = district_report("An Biên", processed_dir=processed)
    mine = page.facts[page.facts.district_code == "908"]
    assert str(page.coverage()) == (
        f"Trang này dựa trên {len(page.tallies)} kết quả tiêu chí và {len(mine)} dữ kiện "
        "(31/05/2022 – 31/12/2024), từ 7 nguồn.")
    assert str(district_report("Phú Quốc", lang="en", processed_dir=processed).coverage()) == \
        "No data about this unit in the sources held."


def test_a_statement_of_unmet_criteria_carries_its_date_and_source_and_ages(processed):
    """Issue 15 item 4: the province-wide list of May 2022 is dated and sourced; once every
    unit of the district with data met all its criteria later, it is marked superseded."""
    then = str(district_report("An Biên", as_of="2022-08-06", processed_dir=processed)
               .unmet_criteria())
    now = str(district_report("An Biên", processed_dir=processed).unmet_criteria())
    assert then.startswith("Toàn tỉnh, 31/05/2022: Giao thông")
    assert "Nguồn: Tập trung tháo gỡ khó khăn" in then and "Đã cũ" not in then
    assert "Đã cũ: sau 31/05/2022, mọi đơn vị của huyện có số liệu đều đã đạt đủ" in now
    kien_hai = str(district_report("Kiên Hải", processed_dir=processed).unmet_criteria())
    assert "Đã cũ" not in kien_hai  # 3/9: the statement may still hold


def test_the_overview_leads_with_a_sentence_and_sets_plans_against_what_happened(processed):
    """Issue 15 items 2 and 3 on the province overview, from the tables it shows."""
    from ntm_analysis.report import province_overview

    page = province_overview(processed_dir=processed)
    plans = page.plan_table().data
    assert plans.iloc[:, 0].tolist() == ["Kiên Lương", "An Biên", "An Minh", "Kiên Hải"]
    assert plans.iloc[:, 4].tolist()[:3] == [14, 5, 15]  # months late
    assert str(page.headline_sentence()).endswith(
        "3 trên 4 huyện có kế hoạch đã đạt chuẩn huyện nông thôn mới, 3 trong số đó trễ hạn.")
    rated = page.series_ratings().data
    end_2022 = rated[(rated["Mục tiêu"] == "3") & (rated["Hạn"] == "31/12/2022")].iloc[0]
    assert (end_2022["Đánh giá"], end_2022["Ngày đạt chuẩn"]) == ("Đạt trễ hạn", "02/11/2023")
