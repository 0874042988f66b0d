"""The headline sentence of a page, from the same gap table the page shows."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import TODAY

from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.report import district_report


@pytest.mark.parametrize("district,lang,sentence", [
    ("Kiên Lương", "vi", "Huyện Kiên Lương đạt chuẩn huyện nông thôn mới ngày 20/02/2024, "
                         "trễ 14 tháng so với kế hoạch (31/12/2022)."),
    ("An Minh", "en", "Huyện An Minh reached the NTM district standard on 2025-03-26 (QĐ "
                      "670/QĐ-TTg), 15 months later than planned (2023-12-31)."),
    # recognised in 06/2022 for the year 2020: the page says both
    ("Vĩnh Thuận", "vi", "Huyện Vĩnh Thuận đạt chuẩn huyện nông thôn mới năm 2020 (QĐ "
                         "669/QĐ-TTg, ngày 02/06/2022)."),
    ("Kiên Hải", "vi", "Huyện Kiên Hải đạt 3/9 tiêu chí huyện nông thôn mới ngày 31/05/2022; "
                       "hạn 31/12/2023 đã qua, còn thiếu 6 tiêu chí."),
    # the data knows the year only: the sentence says the year, not a day
    ("Tân Hiệp", "vi", "Huyện Tân Hiệp đạt chuẩn huyện nông thôn mới năm 2016."),
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


def test_the_headline_names_the_day_criteria_were_met_and_the_day_of_recognition(processed):
    page = district_report("An Biên", processed_dir=processed)
    assert str(page.headline_sentence()) == (
        "Huyện An Biên đạt đủ 9/9 tiêu chí ngày 21/05/2023; được công nhận đạt chuẩn huyện "
        "nông thôn mới ngày 20/02/2024, trễ 14 tháng so với kế hoạch (31/12/2022).")
    figures = page.headline_figures()
    assert (figures["criteria_met_on"], figures["recognized_on"]) == (
        pd.Timestamp("2023-05-21"), pd.Timestamp("2024-02-20"))
    gaps = page.gap_table().data.set_index("Cấp độ").loc["huyện NTM"]
    assert (gaps["Ngày đạt đủ tiêu chí"], gaps["Ngày đạt chuẩn"]) == ("21/05/2023",
                                                                       "20/02/2024")


def test_plan_against_actual(processed):
    """The planned date, the date reached or "not yet", the delay: judged on recognition
    (20/02/2024), not on the day An Biên reported 9/9 criteria (21/05/2023)."""
    late = district_report("An Biên", processed_dir=processed).plan_table().data
    assert late.iloc[0].tolist()[:6] == ["An Biên", "huyện NTM", "31/12/2022", "20/02/2024", 14,
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
    assert plans.iloc[:, 4].tolist()[:3] == [14, 14, 15]  # months late
    assert str(page.headline_sentence()).endswith(
        "3 trên 4 huyện có kế hoạch đã đạt chuẩn huyện nông thôn mới, 3 trong số đó trễ hạn.")
    rated = page.series_ratings().data
    end_2022 = rated[(rated["Mục tiêu"] == "3") & (rated["Hạn"] == "31/12/2022")].iloc[0]
    assert (end_2022["Đánh giá"], end_2022["Ngày đạt chuẩn"]) == ("Đạt trễ hạn", "02/11/2023")


FACT_HEADER = ("as_of,level,province,district,commune,criteria_met,criteria_total,metric,"
               "value,source_url,source_title")
PLAN = "06/08/2022,district,Kiên Giang,An Biên,,,9,target_district_ntm_by,cuối năm 2022,,Kế hoạch"


def processed_facts(tmp_path, *rows: str):
    """A fact sheet of ``rows`` (under FACT_HEADER) cleaned into a processed folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "facts.csv").write_text("\n".join([FACT_HEADER, *rows]), encoding="utf-8")
    return write_outputs(clean(raw, today=TODAY), tmp_path / "processed")["tallies"].parent


@pytest.mark.parametrize("recognition,sentence,rating", [
    # decided in 02/2024 for the year 2022: reached in 2022, on time
    ("district_recognized_ntm (QĐ 235/QĐ-TTg; năm đạt chuẩn 2022)",
     "Huyện An Biên đạt chuẩn huyện nông thôn mới năm 2022 (QĐ 235/QĐ-TTg, ngày 20/02/2024), "
     "đúng kế hoạch (31/12/2022).", "achieved_on_time"),
    # the same decision without the year it is for: reached on its date, late
    ("district_recognized_ntm (QĐ 235/QĐ-TTg)",
     "Huyện An Biên đạt chuẩn huyện nông thôn mới ngày 20/02/2024 (QĐ 235/QĐ-TTg), trễ 14 "
     "tháng so với kế hoạch (31/12/2022).", "achieved_late"),
])
def test_a_recognition_is_rated_by_the_year_it_is_for_and_shows_its_decision(
        tmp_path, recognition, sentence, rating):
    folder = processed_facts(
        tmp_path, PLAN,
        f'20/02/2024,district,Kiên Giang,An Biên,,9,9,"{recognition}",1,,Quyết định')
    page = district_report("An Biên", processed_dir=folder)
    assert str(page.headline_sentence()) == sentence
    assert page.gaps.set_index("level").rating["huyen_ntm"] == rating


def test_the_year_a_recognition_is_for_must_be_a_year_not_after_its_decision(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = [f"{FACT_HEADER},Năm đạt chuẩn"] + [
        f"20/02/2024,district,Kiên Giang,{d},,9,9,district_recognized_ntm,1,,QĐ,{year}"
        for d, year in (("An Biên", "2022"), ("Kiên Lương", "2025"), ("An Minh", "hai"))]
    (raw / "facts.csv").write_text("\n".join(rows), encoding="utf-8")
    result = clean(raw, today=TODAY)
    assert result.facts.standard_year.tolist() == [2022]
    assert dict(zip(result.rejected.raw_row, result.rejected.reason_code, strict=True)) == {
        3: "standard_year_after_decision", 4: "bad_standard_year"}
    implied = result.tallies.iloc[0]
    assert (implied.as_of, implied.as_of_precision, implied.decided_on) == (
        pd.Timestamp("2022-12-31"), "year", pd.Timestamp("2024-02-20"))


def test_a_plan_that_names_a_year_is_no_recognition_for_it(tmp_path):
    """Only a recognition is "for" a year: a plan's note naming its target year is kept as
    the plan it is (it was once rejected as a year after its decision)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "facts.csv").write_text("\n".join([
        FACT_HEADER,
        '06/08/2022,district,Kiên Giang,An Biên,,,9,"target_district_ntm_by (đạt chuẩn năm '
        '2023)",cuối năm 2023,,Kế hoạch']), encoding="utf-8")
    result = clean(raw, today=TODAY)
    assert result.rejected.empty and result.facts.standard_year.isna().all()


def test_a_commune_page_counts_its_xa_and_names_each_implied_status(tmp_path):
    """Thị trấn Thứ Ba is not assessed on the xã criteria; An Biên district's recognition
    implies Hưng Yên and Đông Yên at xã NTM, citing its decision."""
    from ntm_analysis.report import commune_report

    folder = processed_facts(
        tmp_path, '20/02/2024,district,Kiên Giang,An Biên,,9,9,'
        '"district_recognized_ntm (QĐ 235/QĐ-TTg)",1,,Quyết định')
    for lang, count, not_assessed, implied in (
            ("vi", "2 trên 2 xã", "không thuộc diện đánh giá xã NTM",
             "xã NTM 19/19 (20/02/2024, suy từ QĐ 235/QĐ-TTg công nhận huyện An Biên)"),
            ("en", "2 of 2 xã", "not assessed as a xã",
             "NTM commune 19/19 (2024-02-20, implied by QĐ 235/QĐ-TTg recognising district "
             "An Biên)")):
        page = commune_report("An Biên", lang=lang, processed_dir=folder)
        assert page.headline().data.iloc[1, 1] == count
        table = page.predecessor_table().data.set_index(page.t("col_unit"))
        standing = table.iloc[:, 2]
        assert standing["Thị trấn Thứ Ba"] == not_assessed
        assert standing["Xã Hưng Yên"].endswith(implied) and standing["Xã Đông Yên"].endswith(
            implied)


def test_the_criteria_set_speaks_the_pages_language_and_keeps_verification_in_notes(
        processed):
    from ntm_analysis.report import commune_report

    for lang, basis, foreign in (
            ("vi", "QĐ 51/2025/QĐ-TTg 29/12/2025 (hiệu lực từ 15/02/2026), Phụ lục I; "
                   "47 chỉ tiêu, 3 nhóm xã", "in force"),
            ("en", "Decision 51/2025/QĐ-TTg of 29/12/2025 (in force 15/02/2026), Annex I; "
                   "47 indicators in 3 commune groups", "Phụ lục")):
        table = commune_report("An Biên", lang=lang, processed_dir=processed).criteria_set()
        frame = table.data
        assert len(frame) == 10 and set(frame.iloc[:, 3]) == {basis}
        assert not frame.iloc[:, 3].str.contains(foreign).any()
        # the verification is a note under the table, not a column of it
        assert len(frame.columns) == 5 and set(frame.iloc[:, 4]) == {"[1]"}
        # numbers confirmed by two sources' order (reference.indicators.CRITERIA_AS_LISTED)
        assert table.notes[0].endswith({"vi": "(hai nguồn liệt kê cùng thứ tự)",
                                        "en": "(two sources list them in this order)"}[lang])


def test_trend_charts_draw_series_that_moved_and_the_districts_own(processed):
    """An Biên's own series (4/9 → 9/9) is drawn; its xã at 19/19 on every date (implied by
    the district) are not: a flat line says nothing the gap table does not."""
    page = district_report("An Biên", processed_dir=processed)
    units = page.trend_units()
    assert list(zip(units.level, units.commune.fillna(""), strict=True)) == [
        ("huyen_ntm", ""), ("xa_ntm_nang_cao", "Đông Yên")]
    flat = district_report("Tân Hiệp", processed_dir=processed)
    assert flat.trend_units().empty and len(flat.gaps)
    assert str(flat.trend_charts()).startswith("Mọi đơn vị của Huyện Tân Hiệp có dữ liệu")


def test_the_overviews_charts_are_described_with_the_figures_they_draw(processed):
    """Each chart's alternative text says what it shows with its figures, from the data the
    chart is drawn from: the map's counts are the communes by status, the timeline's the
    complete tallies, the series' the latest value of each panel."""
    from ntm_analysis.report import province_overview

    page = province_overview(processed_dir=processed)
    counts = page.commune_status().status.value_counts()
    alt = page.commune_map().alt
    assert f"Đạt chuẩn NTM: {counts['ntm']};" in alt
    assert f"Phường, thị trấn: {counts['not_rural']}." in alt
    assert sum(int(n) for n in re.findall(r": (\d+)", alt)) == len(page.commune_status())
    tallies = page.tables["tallies"]
    done = tallies[(tallies.criteria_met == tallies.criteria_total)
                   & (tallies.as_of <= page.as_of)]
    timeline = page.timeline().alt
    assert timeline.startswith(f"Biểu đồ: {len(done)} mốc")
    assert timeline.endswith(f"đến {done.as_of.max():%d/%m/%Y}.")
    assert "Số huyện đạt chuẩn NTM 9/15 (18/06/2025)" in page.series_charts().alt


@pytest.mark.parametrize("lang,day", [("vi", "30/06/2025"), ("en", "2025-06-30")])
def test_pages_print_the_last_day_of_the_old_units_where_they_state_it(processed, lang, day):
    """Where a page states the rule's date, it is the day before the merger (30/06/2025),
    in the page's language: the predecessors' standing and the province's communes."""
    from ntm_analysis.report import commune_report, province_overview_2025

    page = commune_report("An Biên", lang=lang, processed_dir=processed)
    headline = page.headline().data
    assert headline.iloc[1, 2] == day  # the predecessors' standing, as of that day
    assert any(day in str(c) for c in province_overview_2025(
        lang=lang, processed_dir=processed).communes_table().data.columns)


def test_a_predecessor_complete_at_two_levels_is_one_xa_that_reached_ntm(tmp_path):
    """Đông Yên full at xã NTM and again at nâng cao is one of the 2 xã of An Biên (2025)
    that reached NTM, not two; Hưng Yên, 18/19, did not reach it."""
    from builders import tally_rows, write_csv

    from ntm_analysis.report import commune_report

    raw = tmp_path / "raw"
    write_csv(raw / "tallies.csv", tally_rows(
        ("31/12/2020", "An Biên", "Đông Yên", "xã NTM", "19/19"),
        ("31/12/2023", "An Biên", "Đông Yên", "nâng cao", "19/19"),
        ("31/12/2023", "An Biên", "Hưng Yên", "xã NTM", "18/19")))
    folder = write_outputs(clean(raw, today=TODAY), tmp_path / "processed")["tallies"].parent
    page = commune_report("An Biên", lang="vi", processed_dir=folder)
    assert page.headline().data.iloc[1, 1] == "1 trên 2 xã"
