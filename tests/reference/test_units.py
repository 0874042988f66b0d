import re
import unicodedata

import pytest

from ntm_analysis.errors import UnitNotFoundError
from ntm_analysis.reference.units import name_key

KG_DISTRICTS = {
    "Rạch Giá": "899", "Hà Tiên": "900", "Kiên Lương": "902", "Hòn Đất": "903",
    "Tân Hiệp": "904", "Châu Thành": "905", "Giồng Riềng": "906", "Gò Quao": "907",
    "An Biên": "908", "An Minh": "909", "Vĩnh Thuận": "910", "Phú Quốc": "911",
    "Kiên Hải": "912", "U Minh Thượng": "913", "Giang Thành": "914",
}


def test_all_fifteen_district_level_units_resolve(kg):
    assert {n: kg.resolve_district(n).code for n in KG_DISTRICTS} == KG_DISTRICTS
    assert kg.districts().code.tolist() == sorted(KG_DISTRICTS.values())


@pytest.mark.parametrize("spelling", [
    "h. an bien", "H.An Biên", "huyện An Biên", "HUYỆN  AN   BIÊN", "An Bien", "908",
    unicodedata.normalize("NFD", "Huyện An Biên"),
])
def test_district_spellings_resolve_to_an_bien(kg, spelling):
    assert kg.resolve_district(spelling).code == "908"


@pytest.mark.parametrize("spelling,code", [
    ("TP Hà Tiên", "900"), ("thành phố Rạch Giá", "899"), ("TP. Phú Quốc", "911"),
    ("Hà Tiên (TP)", "900"), ("TX Hà Tiên", "900"), ("thị xã Hà Tiên", "900"),
])
def test_city_prefixes_and_suffixes(kg, spelling, code):
    assert kg.resolve_district(spelling).code == code


@pytest.mark.parametrize("spelling", [
    "Vĩnh Hoà Hưng Bắc", "Vĩnh Hòa Hưng Bắc", "xã Vĩnh Hòa Hưng Bắc", "X. vinh hoa hung bac",
    unicodedata.normalize("NFD", "Vĩnh Hòa Hưng Bắc"),
    unicodedata.normalize("NFD", "Vĩnh Hoà Hưng Bắc"),
])
def test_commune_old_tone_placement_and_nfd(kg, spelling):
    assert kg.resolve_commune(spelling, "907").code == "30955"


def test_commune_in_wrong_district_suggests_the_right_one(kg):
    with pytest.raises(UnitNotFoundError) as info:
        kg.resolve_commune("Đông Yên", kg.resolve_district("An Minh").code)
    assert info.value.suggestions[0] == "Đông Yên (An Biên)"
    assert "Đông Yên (An Biên)" in str(info.value)


def test_near_miss_is_never_corrected(kg):
    # Gò Quao has Vĩnh Phước A and Vĩnh Phước B: a typo must not pick one of them.
    with pytest.raises(UnitNotFoundError) as info:
        kg.resolve_commune("Vĩnh Phước", "907")
    assert set(info.value.suggestions) >= {"Vĩnh Phước A (Gò Quao)", "Vĩnh Phước B (Gò Quao)"}
    assert kg.resolve_commune("vinh phuoc b", "907").code == "30976"


def test_wrong_accent_is_rejected_not_corrected(kg):
    with pytest.raises(UnitNotFoundError) as info:
        kg.resolve_commune("Đông Yến", "908")
    assert "Đông Yên (An Biên)" in info.value.suggestions


def test_unknown_district_has_suggestions(kg):
    with pytest.raises(UnitNotFoundError) as info:
        kg.resolve_district("Kiên Lươn")
    assert "Kiên Lương" in info.value.suggestions


def test_units_carry_codes_as_strings_types_and_coordinates(kg):
    communes = kg.communes()
    assert len(communes) == 143 and (communes.unit_type == "Xã").sum() == 116
    assert communes.code.map(type).eq(str).all()
    hon_tre = kg.resolve_commune("Hòn Tre", "912")
    assert hon_tre.unit_type == "Xã" and 9 < hon_tre.lat < 11 and 103 < hon_tre.lon < 106


def test_name_key_strips_prefix_only_once():
    assert name_key("Thị trấn Hòn Đất") == "hòn đất"
    assert name_key("Phường 01") == name_key("P. 1") == "1"


def test_the_registry_is_the_packages_tables_and_needs_no_tone_fixing():
    from vietnamadminunits.database.main import get_data

    from ntm_analysis.reference.units import legacy_table, official_tones, units_2025

    ours = legacy_table()
    theirs = get_data(fields=["wardCode", "ward", "district"], table="admin_units_legacy")
    assert len(ours) == len(theirs) == 10040
    assert set(ours.wardCode.dropna()) == {r["wardCode"] for r in theirs if r["wardCode"]}
    new = units_2025()
    names = (set(ours.ward.dropna()) | set(ours.district.dropna()) | set(new.ward)
             | set(new.province))
    # why indexing skips the tone rule: every official name already writes "Hòa", "Thủy"
    assert all(official_tones(n) == n.lower() for n in names)


@pytest.mark.parametrize("written,era,province,parent,code", [
    # capitals in either tone placement (only "Hoà" in mixed case used to match)
    ("XÃ HOÀ ĐIỀN", "legacy", "91", "902", "30802"),
    ("xã HÒA ĐIỀN", "legacy", "91", "902", "30802"),
    ("XÃ HOÀ ĐIỀN", "2025", "91", "91", None),
    # numbered wards in every usual spelling
    ("P5", "legacy", "96", "964", "32008"),
    ("P 5", "legacy", "96", "964", "32008"),
    ("P05", "legacy", "96", "964", "32008"),
    ("p.05", "legacy", "96", "964", "32008"),
    # i and y as a syllable's lone vowel: the package's "Sỹ Bình" written with i, and back
    ("Xã Sĩ Bình", "legacy", "06", "063", "01978"),
    ("Lục Sỹ Thành", "legacy", "86", "862", "29857"),
    # "NT" for nông trường
    ("TT NT Việt Lâm", "legacy", "02", "030", "00916"),
    ("Thị trấn N.T Phong Hải", "legacy", "10", "086", "02902"),
    # GSO's spellings where the package writes the name otherwise (gso_aliases.csv)
    ("Thị trấn Đắk Glei", "legacy", "62", "610", "23341"),
    ("Xã EaBar", "legacy", "54", "561", "22225"),
    ("Xã Quí Quân", "legacy", "08", "075", "02431"),
    ("Xã Vĩnh Kim", "legacy", "84", "848", "29431"),
    ("Huyện Đắk Hà", "legacy", "62", None, "615"),
])
def test_usual_spellings_of_official_names_resolve(written, era, province, parent, code):
    from ntm_analysis.reference.units import registry

    reg = registry(province, era)
    unit = (reg.resolve_commune(written, parent) if parent else
            reg.resolve_district(written, province))
    if code is None:  # the 2025 unit of that name, whatever its code
        code = reg.resolve_commune("Xã Hòa Điền", parent).code
    assert unit.code == code


@pytest.mark.parametrize("word,official", [
    ("Thuỳ", "thùy"), ("Luỹ", "lũy"), ("Khoà", "khòa"), ("Toả", "tỏa"), ("Loà", "lòa"),
    ("Thuý", "thúy"), ("HOÈ", "hòe"), ("UỶ", "ủy"),
    ("Hoàng", "hoàng"), ("Quỳ", "quỳ"), ("Thuận", "thuận"), ("Duệ", "duệ"), ("Hoằng", "hoằng"),
])
def test_the_tone_rule_moves_open_oa_oe_uy_only(word, official):
    from ntm_analysis.reference.units import official_tones

    assert official_tones(word) == official


def test_other_vowels_are_still_near_misses(kg):
    """i/y is one letter only as a lone vowel; a tone mark is never ignored."""
    with pytest.raises(UnitNotFoundError):
        kg.resolve_commune("Hòa Điên", "902")
    with pytest.raises(UnitNotFoundError):
        kg.resolve_commune("Hóa Điền", "902")


@pytest.mark.parametrize("level,name,parent,expected", [
    # the same name in another district of the province comes first, then close spellings
    ("commune", "Đông Yên", "909", ["Đông Yên (An Biên)", "Đông Hưng (An Minh)"]),
    ("commune", "Đông Yến", "908", ["Đông Yên (An Biên)", "Hưng Yên (An Biên)"]),
    ("commune", "Vĩnh Phước", "907", ["Vĩnh Phước A (Gò Quao)", "Vĩnh Phước B (Gò Quao)"]),
    ("commune", "Hòn Tree", "912", ["Hòn Tre (Kiên Hải)"]),
    ("commune", "Zzz", "912", []),
    ("district", "Kiên Lươn", "91", ["Kiên Lương"]),  # districts by name: the province is known
])
def test_suggestions_exactly(kg, level, name, parent, expected):
    with pytest.raises(UnitNotFoundError) as info:
        if level == "commune":
            kg.resolve_commune(name, parent)
        else:
            kg.resolve_district(name, parent)
    assert info.value.suggestions == expected
    assert kg.suggest(level, name_key(name), parent, n=1) == expected[:1]


def test_unit_tables_are_sorted_by_code_with_a_fresh_index(kg):
    communes = kg.communes("912")
    assert communes.code.tolist() == ["31108", "31111", "31114", "31115"]
    assert communes.index.tolist() == [0, 1, 2, 3]
    assert communes.name.tolist() == ["Hòn Tre", "Lại Sơn", "An Sơn", "Nam Du"]
    assert set(communes.columns) >= {"level", "code", "name", "unit_type", "parent_code",
                                     "parent_name", "lat", "lon"}
    districts = kg.districts()
    assert districts.index.tolist() == list(range(15))
    assert kg.communes("999").empty  # no such district: an empty table, not an error


@pytest.fixture
def fresh():
    """A registry built for this test alone: nothing indexed or cached by an earlier one."""
    from ntm_analysis.reference.units import UnitRegistry, legacy_table

    table = legacy_table()
    return UnitRegistry(table[table.provinceCode == "91"])


def test_a_fresh_registry_indexes_a_province_on_first_use(fresh):
    assert len(fresh.districts()) == 15  # the first call of all indexes the province
    assert len(fresh.communes("912")) == 4 and len(fresh.communes()) == 143
    with pytest.raises(UnitNotFoundError) as info:
        fresh.resolve_commune("Đông Yênn", "909")
    assert "An Minh" in str(info.value)  # the district it was looked for in, by name
    with pytest.raises(UnitNotFoundError) as again:
        fresh.resolve_commune("Đông Yến", "908")
    assert again.value.suggestions == ["Đông Yên (An Biên)", "Hưng Yên (An Biên)"]


@pytest.mark.parametrize("key,expected", [
    ("xa dong yen", ("dong yen", "Xã")), ("thi tran thu ba", ("thu ba", "Thị trấn")),
    ("phuong 1", ("1", "Phường")), ("huyen an bien", ("an bien", "Huyện")),
    ("thanh pho rach gia", ("rach gia", "Thành phố")), ("thi xa ha tien", ("ha tien", "Thị xã")),
    ("dong yen", None), ("xã đông yên", None),  # no prefix; accents: not this rule's case
])
def test_unaccented_prefix(key, expected):
    from ntm_analysis.reference.units import unaccented_prefix

    assert unaccented_prefix(key) == expected


def test_unaccented_names_with_a_prefix_resolve_and_pick_the_stated_type(fresh):
    assert fresh.resolve_commune("xa dong yen", "908").code == "31009"
    town = fresh.resolve_commune("thi tran thu ba", "908")
    assert (town.unit_type, town.name) == ("Thị trấn", "Thứ Ba")


def test_a_type_preference_picks_the_town_or_the_commune_of_one_name(kg):
    from ntm_analysis.errors import AmbiguousUnitError

    with pytest.raises(AmbiguousUnitError) as err:
        kg.resolve_commune("Vĩnh Thuận", "910")
    # the message names what was looked for and every candidate, with its district
    assert (err.value.kind, err.value.name) == ("commune", "Vĩnh Thuận")
    assert sorted(err.value.candidates) == ["Thị trấn Vĩnh Thuận (Vĩnh Thuận)",
                                            "Xã Vĩnh Thuận (Vĩnh Thuận)"]
    assert str(err.value).startswith("Tên xã “Vĩnh Thuận” khớp nhiều đơn vị")
    town = kg.resolve_commune("Vĩnh Thuận", "910", prefer_type="Thị trấn")
    commune = kg.resolve_commune("Vĩnh Thuận", "910", prefer_type="Xã")
    assert (town.unit_type, commune.unit_type) == ("Thị trấn", "Xã")
    assert kg.resolve_commune("thị trấn Vĩnh Thuận", "910").code == town.code


def test_province_names_resolve_and_a_miss_is_suggested(kg):
    assert kg.resolve_province("tỉnh Kiên Giang").code == "91"
    with pytest.raises(UnitNotFoundError) as info:
        kg.resolve_province("Kiên Giangg")
    assert info.value.suggestions == ["Kiên Giang"]


def test_a_district_unit_carries_its_type_province_and_coordinates(kg):
    """The fields the index and the commune map read, checked against the package's row."""
    from ntm_analysis.reference.units import legacy_table

    unit = kg.resolve_district("An Biên", "91")
    row = legacy_table().set_index("districtCode").loc["908"].iloc[0]
    assert (unit.code, unit.full_name, unit.unit_type) == ("908", "Huyện An Biên", "Huyện")
    assert (unit.parent_code, unit.parent_name) == ("91", "Kiên Giang")
    assert (unit.lat, unit.lon) == (row.districtLat, row.districtLon)


def test_a_misspelt_name_without_accents_is_not_found_with_suggestions(kg):
    from ntm_analysis.errors import UnitNotFoundError

    with pytest.raises(UnitNotFoundError) as err:
        kg.resolve_commune("Dong Yenn", "908")
    assert err.value.suggestions[0] == "Đông Yên (An Biên)"
    with pytest.raises(UnitNotFoundError) as prefixed:  # its type written too, unaccented
        kg.resolve_commune("xa dong yenn", "908")
    assert prefixed.value.suggestions[0] == "Đông Yên (An Biên)"


def test_names_one_tone_apart_resolve_each_to_its_own_unit():
    """Hoằng Phú and Hoằng Phụ (Hoằng Hóa, Thanh Hóa) share a name without accents: written
    with accents each is itself; written without, neither is guessed."""
    from ntm_analysis.errors import AmbiguousUnitError
    from ntm_analysis.reference.units import registry

    th = registry("38")
    assert th.resolve_commune("Hoằng Phú", "399").code == "15883"
    assert th.resolve_commune("xã Hoằng Phụ", "399").code == "16003"
    with pytest.raises(AmbiguousUnitError) as err:
        th.resolve_commune("Hoang Phu", "399")
    assert sorted(err.value.candidates) == ["Xã Hoằng Phú (Hoằng Hóa)",
                                            "Xã Hoằng Phụ (Hoằng Hóa)"]


def test_suggestions_are_three_unless_asked_for_more():
    from ntm_analysis.reference.units import registry

    th = registry("38")
    assert th.suggest("commune", "hoằng pho", "399") == [
        "Hoằng Phong (Hoằng Hóa)", "Hoằng Hợp (Hoằng Hóa)", "Hoằng Phụ (Hoằng Hóa)"]
    assert len(th.suggest("commune", "hoằng pho", "399", n=6)) == 6


def test_look_ups_by_code_index_the_province_they_need():
    """``get`` and ``communes`` of a registry that has indexed nothing yet; the district
    belongs to another province than the default one (89, the former An Giang)."""
    from ntm_analysis.reference.units import UnitRegistry, legacy_table

    assert len(UnitRegistry(legacy_table()).communes("883")) == 12
    fresh = UnitRegistry(legacy_table())
    assert fresh.get("commune", "31009").name == "Đông Yên"
    assert fresh.get("district", "883").name == "Long Xuyên"
    assert fresh.resolve_province("91").name == "Kiên Giang"  # a province by its code


def test_a_miss_names_what_was_written(kg):
    with pytest.raises(UnitNotFoundError) as err:
        kg.resolve_commune("  Đông Yênn ", "908")
    assert (err.value.kind, err.value.name, err.value.parent) == ("commune", "Đông Yênn",
                                                                  "An Biên")
    assert "Đông Yênn" in str(err.value)


def test_name_key_reads_underscores_as_spaces():
    assert name_key("Đông_Yên") == name_key("Đông Yên") == "đông yên"
    assert name_key("an__bien") == "an bien"


def test_a_gso_alias_never_takes_another_units_name():
    from ntm_analysis.reference.units import LEGACY, UnitRegistry, legacy_table, name_key

    table = legacy_table()
    reg = UnitRegistry(table[table.provinceCode == "91"], LEGACY)
    # Đông Yên's GSO spelling said to be "Hưng Yên", its neighbour's official name
    reg._aliases = {("commune", "31009"): ("Xã Hưng Yên", "Xã Đông Yên Mới")}
    assert reg.resolve_commune("Xã Hưng Yên", "908").code == "30997"
    assert reg.resolve_commune("Xã Đông Yên Mới", "908").code == "31009"
    assert name_key("Xã Đông Yên Mới") not in {name_key(n) for n in table.ward.dropna()}


def test_the_shipped_aliases_are_gso_spellings_of_existing_units_and_clash_with_none():
    from ntm_analysis.reference.units import gso_aliases, legacy_table, name_key

    table = legacy_table()
    official = {("commune", r.wardCode): (r.districtCode, r.ward) for r in table.itertuples()}
    official |= {("district", r.districtCode): (r.provinceCode, r.district)
                 for r in table.itertuples()}
    siblings = {}
    for (level, _), (parent, name) in official.items():
        siblings.setdefault((level, parent), set()).add(name_key(name, fix_tones=False))
    aliases = gso_aliases()
    assert len(aliases) > 100
    for (level, code), names in aliases.items():
        parent, name = official[(level, code)]
        for alias in names:
            assert name_key(alias) not in siblings[(level, parent)], (code, alias, name)


def test_the_tone_rewrite_skips_no_name_that_needs_it():
    """``official_tones`` skips names without an o or u before a toned a, e or y; on every
    official name and old-style spelling, in capitals and decomposed, the result is the
    full rewrite's."""
    from ntm_analysis.reference import units

    def rewritten(text: str) -> str:
        nfd = unicodedata.normalize("NFD", text.lower())
        return unicodedata.normalize("NFC", units._OTHER_TONE.sub(r"\1\3\2", nfd))

    table = units.legacy_table()
    names = {*table.ward.dropna(), *table.district.dropna(), *units.units_2025().ward}
    # each official "òa, óe, ùy..." written the old way too ("oà, oé, uỳ...")
    tone_first = re.compile(f"([ouOU])([{units._TONES}])([aeyAEY])")
    old_style = {unicodedata.normalize("NFC", tone_first.sub(
        r"\1\3\2", unicodedata.normalize("NFD", n))) for n in names}
    assert "Xã Hoà Bình" in old_style and "Xã Hòa Bình" in names
    old_style |= {"Thuỳ Luỹ Toả Loà Thuý Khoẻ", "KHOÈ", "Uỷ ban"}
    spellings = {form for name in names | old_style
                 for form in (name, name.upper(), unicodedata.normalize("NFD", name),
                              unicodedata.normalize("NFD", name.upper()))}
    assert [s for s in spellings if units.official_tones(s) != rewritten(s)] == []
    assert units.official_tones("HOÀ") == "hòa" != "hoà"
