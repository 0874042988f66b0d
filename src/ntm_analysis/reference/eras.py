"""Units of the two eras and the crosswalk from the old communes to the new ones.

On 01/07/2025 districts were abolished and provinces and communes merged. The
``legacy`` era is the units in force before that day (province → district → commune,
``units.legacy_table``); the ``2025`` era the units from that day (province → commune). Both,
and the old → new conversion, are read from the data files of the ``vietnamadminunits``
package (``dataset.db``, ``converter_2025.json``), never through its address parser, which
matches substrings silently ("Đông Hưng B" → xã Đông Hưng, whose real successor is xã An
Minh).

A GSO code means nothing without its era: every new code of former Kiên Giang was one of its
predecessors' codes (30910 was xã Thạnh Phước and is now xã Thạnh Hưng), so the crosswalk
names the era of every code it holds (``old_`` and ``new_`` columns). Pure reading and
joining: no name resolution of data rows (``units.py`` does that). The one thing written is
the national crosswalk, to the user's cache (``config.cache_dir``, atomically): building it
takes 0.3 s, reading it back 0.02 s, and every report kernel of a district needs it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import cache_dir
from ..errors import UnitNotFoundError
from ..storage import cached_frame
from ..text import close_matches
from .units import (
    ERA_2025,
    LEGACY,
    dataset_path,
    derived_key,
    legacy_table,
    name_key,
    plain_key,
    read_dataset,
    registry,
    unaccented_prefix,
    units_2025,
)

#: Columns of the crosswalk, then ``also_to``: the other successors of an old unit
#: that was divided (empty for every former Kiên Giang unit).
CROSSWALK_COLUMNS = [
    "old_code", "old_name", "old_type", "old_district_code", "old_district_name",
    "old_province_code", "new_code", "new_name", "new_type", "new_province_code",
    "new_province_name", "also_to",
]


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
    raise UnitNotFoundError("province", text, suggestions=close_matches(
        text, known, cutoff=0.6))


def province_pair(name_or_code: str | None, default_legacy: str) -> tuple[str, str]:
    """(legacy code, 2025 code) of a province named in either era, or of
    ``default_legacy`` when None: the other era's province is the successor, or the
    predecessor that is ``default_legacy`` (Kiên Giang for the new An Giang), else the first
    predecessor.

    Examples
    --------
    >>> province_pair(None, "91"), province_pair("89", "91"), province_pair("An Giang", "91")
    (('91', '91'), ('89', '91'), ('91', '91'))
    """
    if name_or_code is None:
        return default_legacy, (successor_provinces(default_legacy) or (default_legacy,))[0]
    era, code = province_codes(name_or_code)
    if era == LEGACY:
        return code, successor_provinces(code)[0]
    olds = predecessor_provinces(code)
    return (default_legacy if default_legacy in olds else olds[0]), code


def crosswalk(province: str | None = None) -> pd.DataFrame:
    """One row per old commune-level unit with its successor (``CROSSWALK_COLUMNS``), for
    the whole country or one province of either era (:func:`province_codes`)."""
    out = _national_crosswalk()
    if province is not None:
        era, code = province_codes(province)
        out = out[out[("new" if era == ERA_2025 else "old") + "_province_code"] == code]
    return out.reset_index(drop=True)


@cache
def _national_crosswalk() -> pd.DataFrame:
    """The crosswalk of the whole country: once per process, from the user's cache when it
    was built from the same package data by the same code (an edit to this module or to
    ``units.py`` builds it again: :func:`units.derived_key`)."""
    return cached_frame("crosswalk", derived_key(Path(__file__)), _build_national_crosswalk,
                        cache_dir())


def _build_national_crosswalk() -> pd.DataFrame:
    """The crosswalk of the whole country, from the package's data files."""
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
    return out.sort_values("old_code", kind="stable").reset_index(drop=True)


# ---- across the break ---------------------------------------------------------------------
#: The first day of the 2025 era: two-tier local government (NQ 202/2025/QH15 for provinces,
#: NQ 1654/NQ-UBTVQH15 for the communes of the new An Giang).
ERA_2025_START = pd.Timestamp("2025-07-01")


def era_on(day: object) -> str | None:
    """The era of the units in force on ``day`` (None for a missing date).

    Examples
    --------
    >>> era_on(pd.Timestamp("2025-06-30")), era_on(pd.Timestamp("2025-07-01"))
    ('legacy', '2025')
    """
    if day is None or pd.isna(day):
        return None
    return ERA_2025 if pd.Timestamp(day) >= ERA_2025_START else LEGACY


def eras_on(days: pd.Series) -> pd.Series:
    """:func:`era_on` of every date of a column, vectorised (a sheet has a million rows)."""
    days = pd.to_datetime(days)
    era = np.where(days >= ERA_2025_START, ERA_2025, LEGACY).astype(object)
    return pd.Series(np.where(days.isna(), None, era), index=days.index, dtype=object)


def predecessors(new_code: str) -> pd.DataFrame:
    """The crosswalk rows of the old units whose successor is the 2025 unit ``new_code``
    (its main successor: an old unit divided between several new ones is listed under the
    one the package names first), ordered by old code."""
    table = _national_crosswalk()
    return table[table.new_code == str(new_code)].reset_index(drop=True)


@cache
def successor_provinces(old_province_code: str) -> tuple[str, ...]:
    """Codes of the 2025 provinces that hold the old province's communes."""
    table = _national_crosswalk()
    return tuple(sorted(table[table.old_province_code == old_province_code].new_province_code
                        .dropna().unique()))


@cache
def predecessor_provinces(new_province_code: str) -> tuple[str, ...]:
    """Codes of the old provinces whose communes the 2025 province holds."""
    table = _national_crosswalk()
    return tuple(sorted(table[table.new_province_code == new_province_code].old_province_code
                        .dropna().unique()))


def short_province(name: str) -> str:
    """A province's name without its type, as labels show it: "Tỉnh An Giang" → "An Giang"."""
    return name.removeprefix("Tỉnh ")


@cache
def _crosswalk_records() -> list:
    """Every crosswalk row as a named tuple, made once for every province's index: the
    columns as objects first, since iterating Arrow text makes one scalar per cell."""
    return list(_national_crosswalk().astype(object).itertuples(index=False))


@cache
def _names_index(name_column: str, province_column: str,
                 province_code: str) -> tuple[list, dict[str, list[int]], dict[str, list[int]]]:
    """The crosswalk rows of one province (as named tuples) and, by normalised name and by
    the same without accents, the positions of the rows with that name: built once, so that
    thousands of old names in a sheet cost a dict look-up each, not a pass over a frame."""
    table = _national_crosswalk()
    records = _crosswalk_records()
    rows = [records[i] for i in np.flatnonzero(table[province_column] == province_code)]
    exact: dict[str, list[int]] = {}
    plain: dict[str, list[int]] = {}
    for position, name in enumerate(getattr(r, name_column) for r in rows):
        key = name_key(name, fix_tones=False)
        exact.setdefault(key, []).append(position)
        plain.setdefault(plain_key(key), []).append(position)
    return rows, exact, plain


def _same_name(name_column: str, province_column: str, province_code: str,
               written: str) -> list:
    """The crosswalk rows of a province whose ``name_column`` equals a written name after
    normalisation (without accents when it is written without), in crosswalk order."""
    rows, exact, plain = _names_index(name_column, province_column, province_code)
    key = name_key(written)
    if key == plain_key(key):
        stripped = unaccented_prefix(key)
        keys = {key} | ({stripped[0]} if stripped else set())
        positions = sorted({p for k in keys for p in plain.get(k, ())})
    else:
        positions = exact.get(key, [])
    return [rows[p] for p in positions]


def _successor_label(row) -> str:
    return f"{row.new_name} ({short_province(row.new_province_name)})"


def successor_labels(written: str, new_province_code: str,
                     old_type: str | None = None) -> list[str]:
    """For a name not official in the 2025 era: the successors of the old communes of that
    name (and of type ``old_type`` when given) whose successor is in ``new_province_code``
    ("Đông Yên" → "Xã An Biên (An Giang)"; "Thị trấn Vĩnh Bình" of type "Thị trấn" → "Xã
    Vĩnh An (An Giang)", not the new xã Vĩnh Bình)."""
    hit = _same_name("old_name", "new_province_code", new_province_code, written)
    return list(dict.fromkeys(_successor_label(r) for r in hit
                              if old_type is None or r.old_type == old_type))


def predecessor_labels(written: str, old_province_code: str) -> list[str]:
    """For a name not official before 01/07/2025: the predecessors of the 2025 communes of
    that name that took over communes of ``old_province_code`` ("An Biên" → "Đông Yên (An
    Biên), ..."), each with its old district."""
    hit = _same_name("new_name", "old_province_code", old_province_code, written)
    old = registry()  # the country's, shared with the cleaner; it indexes the province
    return [old.get("commune", r.old_code).label for r in hit]


@cache
def _legacy_keys() -> pd.Series:  # pragma: no mutate block
    """The package's key of every old commune-level unit (``province_district_ward``, as in
    ``converter_2025.json``), by commune code."""
    keys = read_dataset(
        "SELECT DISTINCT wardCode, provinceKey || '_' || districtKey || '_' || wardKey AS k "
        "FROM admin_units_legacy WHERE wardKey IS NOT NULL")
    return pd.Series(keys.k.to_numpy(), index=keys.wardCode.astype(str))
