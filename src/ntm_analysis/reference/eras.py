"""Units of the two eras and the crosswalk from the old communes to the new ones.

On 01/07/2025 districts were abolished and provinces and communes merged (DESIGN.md §9). The
``legacy`` era is the units in force before that day (province → district → commune,
``units.legacy_table``); the ``2025`` era the units from that day (province → commune). Both,
and the old → new conversion, are read from the data files of the ``vietnamadminunits``
package (``dataset.db``, ``converter_2025.json``), never through its address parser, which
matches substrings silently ("Đông Hưng B" → xã Đông Hưng, whose real successor is xã An
Minh).

A GSO code means nothing without its era: every new code of former Kiên Giang was one of its
predecessors' codes (30910 was xã Thạnh Phước and is now xã Thạnh Hưng), so the crosswalk
names the era of every code it holds (``old_`` and ``new_`` columns). Pure reading and
joining: no name resolution of data rows (``units.py`` does that), no writing.
"""

from __future__ import annotations

import difflib
import json
from functools import cache

import pandas as pd

from ..errors import UnitNotFoundError
from .units import (
    dataset_path,
    legacy_table,
    name_key,
    plain_key,
    read_dataset,
    unaccented_prefix,
)

LEGACY, ERA_2025 = "legacy", "2025"

#: Columns of the crosswalk (issue 13), then ``also_to``: the other successors of an old unit
#: that was divided (empty for every former Kiên Giang unit).
CROSSWALK_COLUMNS = [
    "old_code", "old_name", "old_type", "old_district_code", "old_district_name",
    "old_province_code", "new_code", "new_name", "new_type", "new_province_code",
    "new_province_name", "also_to",
]


@cache
def units_2025() -> pd.DataFrame:  # pragma: no mutate block
    """The package's units from 01/07/2025: one row per commune-level unit, codes as text."""
    table = read_dataset("SELECT provinceCode, province, provinceShort, provinceKey, "
                         "wardCode, ward, wardShort, wardType, wardKey FROM admin_units")
    return table.astype({"provinceCode": str, "wardCode": str})


@cache
def conversion() -> pd.DataFrame:  # pragma: no mutate block
    """Old unit key → new (province key, unit key), one row per pair, from the package's
    ``converter_2025.json``; ``default`` marks the successor of an old unit that was divided
    that the package names first (``isDefaultNewWard``), and is True for undivided units."""
    path = dataset_path().with_name("converter_2025.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [(old, province, new, True)
            for province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items()
            for new, olds in wards.items() for old in olds]
    rows += [(old, province, target["newWardKey"], bool(target["isDefaultNewWard"]))
             for province, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items()
             for old, targets in olds.items() for target in targets]
    return pd.DataFrame(rows, columns=["old_key", "provinceKey", "wardKey", "default"])


def province_codes(name_or_code: str) -> tuple[str, str]:
    """``(era, code)`` of a province given by name (either era) or GSO code.

    A name or code of the 2025 era wins over the same of the legacy era ("An Giang" and "91"
    are the new An Giang; the former An Giang is "89"), since a province named today means
    today's. An unknown name raises :class:`UnitNotFoundError` with the closest names.
    """
    new = units_2025().drop_duplicates("provinceCode")
    old = legacy_table().drop_duplicates("provinceCode")
    text = str(name_or_code).strip()
    key = name_key(text)
    # written without accents ("tinh an giang"): compare without accents, after the prefix
    plain = key == plain_key(key)
    key = plain_key((unaccented_prefix(key) or (key,))[0]) if plain else key
    for era, table in ((ERA_2025, new), (LEGACY, old)):
        if text in set(table.provinceCode):
            return era, text
        names = table.provinceShort.map(name_key)
        hit = table[(names.map(plain_key) if plain else names) == key]
        if len(hit):
            return era, hit.provinceCode.iloc[0]
    known = sorted(set(new.provinceShort) | set(old.provinceShort))
    raise UnitNotFoundError("province", text, suggestions=difflib.get_close_matches(
        text, known, n=3, cutoff=0.6))


def crosswalk(province: str | None = None) -> pd.DataFrame:
    """One row per old commune-level unit with its successor (``CROSSWALK_COLUMNS``), for
    the whole country or one province of either era (:func:`province_codes`)."""
    old = legacy_table()
    old = old[old.wardCode.notna() & (old.wardCode != "None")]
    keys = _legacy_keys()
    old = old.assign(old_key=keys.reindex(old.wardCode).to_numpy())
    pairs = conversion().merge(units_2025(), on=["provinceKey", "wardKey"], how="left")
    default = pairs[pairs["default"]].drop_duplicates("old_key").set_index("old_key")
    others = pairs[~pairs["default"]].groupby("old_key").wardCode \
        .agg(lambda codes: " ".join(sorted(codes)))  # a few hundred divided units
    new = default.reindex(old.old_key)
    out = pd.DataFrame({
        "old_code": old.wardCode.to_numpy(), "old_name": old.ward.to_numpy(),
        "old_type": old.wardType.to_numpy(), "old_district_code": old.districtCode.to_numpy(),
        "old_district_name": old.district.to_numpy(),
        "old_province_code": old.provinceCode.to_numpy(), "new_code": new.wardCode.to_numpy(),
        "new_name": new.ward.to_numpy(), "new_type": new.wardType.to_numpy(),
        "new_province_code": new.provinceCode.to_numpy(),
        "new_province_name": new.province.to_numpy(),
        "also_to": old.old_key.map(others).fillna("").to_numpy(),
    })
    if province is not None:
        era, code = province_codes(province)
        out = out[out[("new" if era == ERA_2025 else "old") + "_province_code"] == code]
    return out.sort_values("old_code", kind="stable").reset_index(drop=True)


@cache
def _legacy_keys() -> pd.Series:  # pragma: no mutate block
    """The package's key of every old commune-level unit (``province_district_ward``, as in
    ``converter_2025.json``), by commune code."""
    keys = read_dataset(
        "SELECT DISTINCT wardCode, provinceKey || '_' || districtKey || '_' || wardKey AS k "
        "FROM admin_units_legacy WHERE wardKey IS NOT NULL")
    return pd.Series(keys.k.to_numpy(), index=keys.wardCode.astype(str))
