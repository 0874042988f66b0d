"""The two eras of units and the crosswalk between them."""

from __future__ import annotations

import csv
import subprocess
import sys

import pandas as pd
import pytest

from ntm_analysis.errors import UnitNotFoundError
from ntm_analysis.reference.eras import (
    CROSSWALK_COLUMNS,
    ERA_2025,
    LEGACY,
    crosswalk,
    province_codes,
)

SEEDS = [  # old commune → new unit, verified against NQ 1654/NQ-UBTVQH15
    ("31009", "Xã Đông Yên", "30985", "Xã An Biên", "Xã"),
    ("31030", "Xã Đông Thạnh", "31024", "Xã Đông Hòa", "Xã"),
    ("30907", "Xã Thạnh Hưng", "30910", "Xã Thạnh Hưng", "Xã"),
    ("30955", "Xã Vĩnh Hòa Hưng Bắc", "30970", "Xã Vĩnh Hòa Hưng", "Xã"),
    ("30814", "Xã Hòn Nghệ", "30814", "Xã Hòn Nghệ", "Xã"),
    ("31108", "Xã Hòn Tre", "31108", "Đặc khu Kiên Hải", "Đặc khu"),
]


@pytest.fixture(scope="module")
def kien_giang():
    return crosswalk("Kiên Giang")


@pytest.mark.parametrize(("old_code", "old_name", "new_code", "new_name", "new_type"), SEEDS)
def test_seed_communes_map_to_their_successors(kien_giang, old_code, old_name, new_code,
                                               new_name, new_type):
    row = kien_giang.set_index("old_code").loc[old_code]
    assert (row.old_name, row.new_code, row.new_name, row.new_type) == \
        (old_name, new_code, new_name, new_type)
    assert (row.old_province_code, row.new_province_code) == ("91", "91")
    assert row.new_province_name == "Tỉnh An Giang"


def test_the_143_units_of_kien_giang_become_48_each_with_one_successor(kien_giang):
    assert len(kien_giang) == 143 and kien_giang.old_code.is_unique
    assert kien_giang.new_code.notna().all() and (kien_giang.also_to == "").all()
    new = kien_giang.drop_duplicates("new_code")
    assert new.new_type.value_counts().to_dict() == {"Xã": 41, "Phường": 4, "Đặc khu": 3}


def test_every_new_code_of_kien_giang_was_a_predecessors_code(kien_giang):
    """Codes are reused across eras: a code needs its era."""
    for new_code, group in kien_giang.groupby("new_code"):
        assert new_code in set(group.old_code)
    assert kien_giang.set_index("old_code").loc["30910", "old_name"] == "Xã Thạnh Phước"


def test_the_package_public_converter_agrees_for_every_former_kien_giang_unit(kien_giang):
    """The crosswalk reads the package's data files; its own converter, given each unit's
    full official address, must say the same."""
    from vietnamadminunits import convert_address

    for row in kien_giang.itertuples():
        address = f"{row.old_name}, {row.old_district_name}, Tỉnh Kiên Giang"
        assert convert_address(address).ward_code == row.new_code, address


def test_a_province_of_either_era_selects_its_rows():
    assert province_codes("Kiên Giang") == (LEGACY, "91")
    assert province_codes("tinh an giang") == (ERA_2025, "91")  # today's An Giang
    assert province_codes("89") == (LEGACY, "89")  # the former An Giang, by its code
    new_an_giang = crosswalk("An Giang")
    assert new_an_giang.new_code.nunique() == 102
    assert set(new_an_giang.old_province_code) == {"89", "91"}
    former = crosswalk("89")
    assert set(former.old_province_code) == {"89"} and set(former.new_province_code) == {"91"}
    assert len(new_an_giang) == len(former) + 143
    assert len(crosswalk()) == crosswalk().old_code.nunique() > 10_000


def test_an_unknown_province_names_the_closest():
    with pytest.raises(UnitNotFoundError) as err:
        province_codes("Kien Gang")
    assert "Kiên Giang" in str(err.value)


def test_ntm_crosswalk_writes_a_bom_csv_for_excel(tmp_path):
    out = tmp_path / "crosswalk.csv"
    done = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "crosswalk", "--province",
                           "Kiên Giang", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "143" in done.stdout and "48" in done.stdout
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == CROSSWALK_COLUMNS and len(rows) == 143
    assert {"old_code": "31009", "new_code": "30985"}.items() <= \
        next(r for r in rows if r["old_code"] == "31009").items()
    bad = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "crosswalk", "--province",
                          "Kien Gang", "--out", str(tmp_path / "x.csv")], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "Kiên Giang" in bad.stderr
    assert not (tmp_path / "x.csv").exists()


# ---- units of the 2025 era ----------------------------------------------------------------
def test_the_new_an_giang_has_102_units_of_three_types_and_no_districts():
    from ntm_analysis.reference.units import registry

    reg = registry("91", ERA_2025)
    units = reg.communes(province_code="91")
    assert units.unit_type.value_counts().to_dict() == {"Xã": 85, "Phường": 14, "Đặc khu": 3}
    assert reg.districts("91").empty  # districts were abolished
    assert reg.get("province", "91").name == "An Giang"


@pytest.mark.parametrize("written,code,unit_type", [
    ("Xã An Biên", "30985", "Xã"), ("an bien", "30985", "Xã"),
    ("Đặc khu Kiên Hải", "31108", "Đặc khu"), ("dac khu kien hai", "31108", "Đặc khu"),
    ("Kiên Hải", "31108", "Đặc khu"), ("30910", "30910", "Xã"),
])
def test_new_units_resolve_strictly_with_their_type_and_era(written, code, unit_type):
    from ntm_analysis.reference.units import registry, units_2025

    unit = registry("91", ERA_2025).resolve_commune(written, "91")
    assert (unit.code, unit.unit_type, unit.era, unit.parent_name) == \
        (code, unit_type, "2025", "An Giang")
    row = units_2025().set_index("wardCode").loc[code]
    assert (unit.lat, unit.lon) == (row.wardLat, row.wardLon)  # for the map


def test_a_new_name_misspelt_is_not_found_and_the_old_name_is_not_a_new_unit():
    from ntm_analysis.reference.units import registry

    reg = registry("91", ERA_2025)
    with pytest.raises(UnitNotFoundError) as err:
        reg.resolve_commune("An Biênn", "91")
    assert err.value.suggestions[0] == "An Biên (An Giang)"
    with pytest.raises(UnitNotFoundError):
        reg.resolve_commune("Đông Yên", "91")  # an old name: no unit of the 2025 era


def test_one_code_means_two_units_in_two_eras():
    from ntm_analysis.reference.units import registry

    old = registry("91").get("commune", "30910")
    new = registry("91", ERA_2025).get("commune", "30910")
    assert (old.name, old.era, old.parent_name) == ("Thạnh Phước", "legacy", "Giồng Riềng")
    assert (new.name, new.era, new.parent_name) == ("Thạnh Hưng", "2025", "An Giang")


def test_the_era_of_a_date_and_of_a_column_of_dates():
    import pandas as pd

    from ntm_analysis.reference.eras import era_on, eras_on

    days = pd.Series(pd.to_datetime(["2025-06-30", "2025-07-01", None, "2010-01-01"]))
    assert eras_on(days).tolist() == ["legacy", "2025", None, "legacy"]
    assert [era_on(d) for d in days] == eras_on(days).tolist()


def test_names_across_the_break_are_named_by_what_was_official_on_the_other_side():
    from ntm_analysis.reference.eras import (
        predecessor_labels,
        predecessor_provinces,
        successor_labels,
        successor_provinces,
    )

    assert successor_labels("Đông Yên", "91") == ["Xã An Biên (An Giang)"]
    assert successor_labels("xa hon tre", "91") == ["Đặc khu Kiên Hải (An Giang)"]
    assert successor_labels("Đông Yênn", "91") == []  # a misspelling is not a merger
    assert predecessor_labels("Xã An Biên", "91") == [
        "Thứ Ba (An Biên)", "Hưng Yên (An Biên)", "Đông Yên (An Biên)"]
    assert successor_provinces("91") == successor_provinces("89") == ("91",)
    assert predecessor_provinces("91") == ("89", "91")


def test_the_crosswalk_read_from_the_cache_is_the_crosswalk_built(tmp_path, monkeypatch):
    """A report kernel reads the national crosswalk from the cache; it must be the same
    table, dtypes included, as the one built from the package's data."""
    from ntm_analysis.reference import eras

    monkeypatch.setenv("NTM_CACHE_DIR", str(tmp_path))
    built = eras._build_national_crosswalk()
    eras._national_crosswalk.cache_clear()
    try:
        eras._national_crosswalk()  # builds and writes
        monkeypatch.setattr(eras, "_build_national_crosswalk", lambda: pytest.fail("rebuilt"))
        eras._national_crosswalk.cache_clear()
        cached = eras._national_crosswalk()  # reads
    finally:
        eras._national_crosswalk.cache_clear()
    assert len(list(tmp_path.glob("crosswalk-*.parquet"))) == 1
    pd.testing.assert_frame_equal(cached, built)
