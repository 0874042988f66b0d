"""What a report run produces, decided before any kernel starts (both eras)."""

from __future__ import annotations

import pytest

from ntm_analysis.errors import BatchError, UnitNotFoundError
from ntm_analysis.publish.plan import (
    NEW_OVERVIEW_SLUG,
    OVERVIEW_SLUG,
    ReportOptions,
    plan,
    validate,
)


def test_the_default_run_is_every_district_every_new_commune_and_both_overviews(tmp_path):
    options = ReportOptions(out_dir=tmp_path)
    selection = validate(options)
    assert (selection.legacy_province, selection.new_province) == ("91", "91")
    assert len(selection.districts) == 15 and len(selection.communes) == 102
    assert {u.era for u in selection.districts} == {"legacy"}
    assert {u.era for u in selection.communes} == {"2025"}
    slugs = [job.slug for job in plan(options, selection)]
    assert len(slugs) == len(set(slugs)) == 15 + 102 + 2  # a district never meets a commune
    assert slugs[:2] == [OVERVIEW_SLUG, NEW_OVERVIEW_SLUG]  # the longest jobs start first
    assert {"an-bien", "xa-an-bien", "dac-khu-kien-hai", "kien-hai"} <= set(slugs)


@pytest.mark.parametrize("era,districts,communes", [("legacy", 15, 0), ("2025", 0, 102)])
def test_an_era_narrows_the_run_to_its_reports_and_overview(tmp_path, era, districts,
                                                            communes):
    selection = validate(ReportOptions(era=era, out_dir=tmp_path))
    assert (len(selection.districts), len(selection.communes)) == (districts, communes)
    assert (selection.overview, selection.new_overview) == (era == "legacy", era == "2025")


def test_naming_units_runs_only_those_without_overviews(tmp_path):
    one = validate(ReportOptions(communes=["An Biên"], out_dir=tmp_path))
    assert [u.code for u in one.communes] == ["30985"] and one.districts == []
    both = validate(ReportOptions(districts=["An Biên"], communes=["đặc khu Kiên Hải"],
                                  out_dir=tmp_path))
    assert [u.code for u in both.districts] == ["908"]
    assert [u.code for u in both.communes] == ["31108"]
    assert not (one.overview or one.new_overview or both.overview or both.new_overview)
    job = plan(ReportOptions(communes=["An Biên"], out_dir=tmp_path), one)[0]
    assert job.parameters["commune"] == "30985" and job.parameters["province"] == "91"


def test_a_province_of_either_era_sets_the_other(tmp_path):
    old = validate(ReportOptions(province="89", era="legacy", out_dir=tmp_path))
    assert (old.legacy_province, old.new_province) == ("89", "91")
    assert len(old.districts) == 11  # the former An Giang's district-level units
    new = validate(ReportOptions(province="An Giang", era="2025", out_dir=tmp_path))
    assert (new.legacy_province, new.new_province) == ("91", "91")  # Kiên Giang: the default


def test_an_old_commune_named_on_the_command_line_names_its_successor(tmp_path):
    with pytest.raises(UnitNotFoundError) as err:
        validate(ReportOptions(communes=["Đông Yên"], out_dir=tmp_path))
    assert err.value.suggestions == ["Xã An Biên (An Giang)"]
    with pytest.raises(BatchError):
        validate(ReportOptions(era="2030", out_dir=tmp_path))


def test_every_commune_page_of_a_province_has_its_own_file_name():
    """Communes whose names differ only by accents (Xã Sơn Hà and Xã Sơn Hạ in Quảng Ngãi)
    get their code in the file name; the others keep the name alone."""
    from ntm_analysis.publish.plan import page_slug
    from ntm_analysis.reference.units import units_2025
    from ntm_analysis.text import slug

    table = units_2025()
    slugs = [page_slug(c, n, p) for c, n, p in zip(table.wardCode, table.ward,
                                                    table.provinceCode, strict=True)]
    per_province = set(zip(table.provinceCode, slugs, strict=True))
    assert len(per_province) == len(table)  # no page written over another
    plain = sum(s == slug(n) for s, n in zip(slugs, table.ward, strict=True))
    assert plain == len(table) - 16  # the 8 pairs of twins found nationally
    assert page_slug("21289", "Xã Sơn Hà", "51") == "xa-son-ha-21289"
    assert page_slug("30985", "Xã An Biên", "91") == "xa-an-bien"
