"""Administrative units of both eras and the resolution of messy names to GSO codes.

A registry holds the units of one era, read from the ``vietnamadminunits`` package's data:
``legacy`` (before 01/07/2025, ``admin_units_legacy``: province → district → commune) or
``2025`` (from 01/07/2025, ``admin_units``: province → commune; districts abolished, the
unit types xã, phường and đặc khu). Codes, names, unit types and coordinates; nothing here
is a hand-maintained list of units. GSO codes are reused across eras (30910 was xã Thạnh
Phước and is now xã Thạnh Hưng), so every :class:`Unit` carries its era and a registry never
mixes the two.

A name resolves only when it equals an official name after normalisation: Unicode NFC,
case, the other tone placement of open syllables in oa, oe, uy (``HOÀ``, ``Thuỳ``, ``Khoà``
→ ``hòa``, ``thùy``, ``khòa``: :func:`official_tones`, a rule, not a word list), spacing and
punctuation, unit prefixes (``xã``, ``X.``, ``huyện``, ``H.``, ``TP``, ``thành phố``, ``thị
xã``, ``TX``, numbered wards ``P5``, ``P 5``, ``P05``, ``P.5``...), and i or y as the lone
vowel of a syllable (``Sỹ``/``Sĩ``, ``Kỳ``/``Kì``: :func:`iy_key`, used only when the
exact key finds nothing; no two units of one parent differ only so), GSO's own spelling
where the package spells a pre-July-2025 unit otherwise (``Đắk Glei``/``Đăk Glei``,
``Quí``/``Quý``, ``EaBar``/``Ea Bar``: ``gso_aliases.csv``, one row per GSO code, built by
``scripts/gso_aliases.py`` from GSO's list of 04/01/2025; an alias is indexed only where it
names no other unit of the same parent) and, when the name is written without any accent,
accents. A tone mark is never ignored (Thiệu Hòa and Thiệu Hóa
are two communes). A near miss is never corrected: it raises :class:`UnitNotFoundError`
with suggestions.

The registry and its name rules are one module on purpose: what a name resolves to is
decided by the keys the registry is indexed by (:func:`name_key`, :func:`plain_key`,
:func:`iy_key`) and the order it tries them in, and the two change together.

The loading code is marked ``# pragma: no mutate block``: the tests build the registry once
per process, before the mutation tester forks one process per mutant, so a mutant there
would never run (TESTING.md); the reference tests cover it. The legacy units table is kept
in the user's cache (``config.cache_dir``) between processes, keyed by the package's data
and this code (:func:`derived_key`): 0.2 s to query, 0.03 s to read back.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..config import DEFAULT_PROVINCE_CODE, GSO_ALIASES_FILE, cache_dir
from ..errors import AmbiguousUnitError, NtmError, UnitNotFoundError
from ..processed import ERA_2025, LEGACY
from ..storage import cached_frame
from ..text import close_matches, plain

_PREFIX = re.compile(
    r"^(?:tỉnh|thành phố|thành phô|tp|thị xã|tx|quận|huyện|thị trấn|tt|phường|xã|đặc khu)"
    r"(?:\s+|\.\s*)"
    r"|^(?:h|x|p|q)\.\s*"
    r"|^p\s*(?=\d)",  # numbered wards: "P5", "P 5", "P05"
    re.IGNORECASE,
)
_SUFFIX = re.compile(r"\s*\((?:tp|thành phố|tx|thị xã|huyện|h|xã|thị trấn|tt|đặc khu)\.?\)\s*$",
                     re.I)
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_ZERO = re.compile(r"\b0+(\d)")
_STATE_FARM = re.compile(r"\bn ?t\b")  # "TT NT Sông Hậu", "N.T": nông trường, a state farm's town

_FIELDS = [
    "provinceCode", "provinceShort", "districtCode", "district", "districtShort", "districtType",
    "districtLat", "districtLon", "wardCode", "ward", "wardShort", "wardType", "wardLat", "wardLon",
]


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng (NFD)
#: an open syllable ending in oa, oe or uy with its tone on the second vowel ("hoà",
#: "thuỳ"; not "quý", whose u belongs to the consonant, nor "hoàng", which is not open)
_OTHER_TONE = re.compile(rf"(?<!q)(o(?=[ae])|u(?=y))([aey])([{_TONES}])"
                         r"(?![\w\u0300-\u036f])")


#: what every syllable :data:`_OTHER_TONE` rewrites contains, written composed: a cheap
#: test that lets most names skip the two normalisations
_MAYBE_OTHER_TONE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ]")


def official_tones(text: str) -> str:
    """Lower-case ``text`` with the tone of open syllables in oa, oe, uy on the first vowel,
    as the official unit names write it (``Hoà`` → ``hòa``, ``Thuỳ`` → ``thùy``).

    Both placements are in use; the official lists write "Hòa", "Thủy", "Khánh Hòa".

    Examples
    --------
    >>> official_tones("XÃ HOÀ ĐIỀN"), official_tones("Thuỳ Luỹ Toả Loà Thuý Khoẻ")
    ('xã hòa điền', 'thùy lũy tỏa lòa thúy khỏe')
    >>> official_tones("Hoàng Quý Thủy")  # closed syllables, qu, and the official form
    'hoàng quý thủy'
    """
    lower = unicodedata.normalize("NFC", str(text).lower())
    if not _MAYBE_OTHER_TONE.search(lower):  # most names: no o or u before a toned a, e, y
        return lower
    text = unicodedata.normalize("NFD", lower)
    return unicodedata.normalize("NFC", _OTHER_TONE.sub(r"\1\3\2", text))


_LONE_Y = re.compile(r"(?<![^\W\d_])((?:ch|gh|kh|ng|nh|ph|th|tr|[bcdđghklmnprstvx])"
                     r"[\u0300-\u036f]*)y(?=[\u0300-\u036f]*(?![\w\u0300-\u036f]))")


def iy_key(key: str) -> str:
    """``key`` with y written i where it is a syllable's lone vowel after a consonant (the
    two spellings of Sỹ/Sĩ, Kỳ/Kì, Lý/Lí, Mỹ/Mĩ); "uy", "quy", "yên" keep their y.

    Examples
    --------
    >>> iy_key("sỹ bình"), iy_key("kỳ sơn"), iy_key("thủy duy yên quý")
    ('sĩ bình', 'kì sơn', 'thủy duy yên quý')
    """
    text = unicodedata.normalize("NFD", key)
    return unicodedata.normalize("NFC", _LONE_Y.sub(r"\1i", text))


@lru_cache(maxsize=1 << 16)  # a sheet repeats its names: each is normalised once
def name_key(name: str, fix_tones: bool = True) -> str:
    """Return the accented comparison key of a unit name (prefixes, case, spacing removed).

    ``fix_tones`` writes the tones of open oa, oe, uy syllables as the official names do
    (:func:`official_tones`); the official names need no fixing (checked in the tests).

    Examples
    --------
    >>> name_key("  H.  An  Biên ") == name_key("huyện an biên") == "an biên"
    True
    >>> name_key("TỈNH KHÁNH HOÀ"), name_key("P05"), name_key("p 5"), name_key("TT NT Mộc Châu")
    ('khánh hòa', '5', '5', 'nông trường mộc châu')
    """
    text = unicodedata.normalize("NFC", str(name)).strip()
    if fix_tones:
        text = official_tones(text)
    text = _SUFFIX.sub("", text)
    text = _PREFIX.sub("", text.strip(), count=1)
    text = _NON_WORD.sub(" ", text.lower()).replace("_", " ")
    text = _STATE_FARM.sub("nông trường", text)
    return _LEADING_ZERO.sub(r"\1", " ".join(text.split()))


_TYPE_PREFIXES = (
    (re.compile(r"^(?:thị trấn|tt)[\s.]", re.I), "Thị trấn"),
    (re.compile(r"^(?:phường|p\.|p\s*\d)", re.I), "Phường"),
    (re.compile(r"^(?:xã|x\.)", re.I), "Xã"),
    (re.compile(r"^(?:thành phố|tp)[\s.]", re.I), "Thành phố"),
    (re.compile(r"^(?:thị xã|tx)[\s.]", re.I), "Thị xã"),
    (re.compile(r"^(?:huyện|h\.)", re.I), "Huyện"),
    (re.compile(r"^đặc khu\s", re.I), "Đặc khu"),
)


def name_type(name: str) -> str | None:
    """Return the unit type a name's prefix states (``"Xã"``, ``"Thị trấn"``...), or None."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    for pattern, unit_type in _TYPE_PREFIXES:
        if pattern.match(text):
            return unit_type
    return None


_PLAIN_PREFIX = re.compile(
    r"^(tinh|thanh pho|thi xa|quan|huyen|thi tran|phuong|xa|dac khu)\s+(.+)$")
_PLAIN_TYPES = {"thi tran": "Thị trấn", "phuong": "Phường", "xa": "Xã", "huyen": "Huyện",
                "thanh pho": "Thành phố", "thi xa": "Thị xã", "dac khu": "Đặc khu"}


def unaccented_prefix(key: str) -> tuple[str, str | None] | None:
    """For a key written without accents that starts with a unit type (``phuong 1``,
    ``xa dong yen``), return (the rest, the type); None otherwise. The caller tries the key
    as it is first: ``Xa Phien`` may be the commune Xà Phiên."""
    if key != plain_key(key):
        return None
    match = _PLAIN_PREFIX.match(key)
    return (match[2], _PLAIN_TYPES.get(match[1])) if match else None


@lru_cache(maxsize=1 << 16)
def plain_key(key: str) -> str:
    """Return ``key`` without diacritics (``đ`` → ``d``)."""
    return plain(key)


ERAS = (LEGACY, ERA_2025)


@dataclass(frozen=True)
class Unit:
    """One administrative unit of one era."""

    level: str  # "province", "district" or "commune"
    code: str
    name: str  # short name, e.g. "An Biên"
    full_name: str  # e.g. "Huyện An Biên"
    unit_type: str  # e.g. "Huyện", "Thành phố", "Xã", "Phường", "Thị trấn", "Đặc khu"
    parent_code: str | None  # a commune's district (legacy) or province (2025)
    parent_name: str | None
    lat: float | None = None
    lon: float | None = None
    era: str = LEGACY

    @property
    def label(self) -> str:
        """Name with its parent, for messages: ``Đông Yên (An Biên)``."""
        return f"{self.name} ({self.parent_name})" if self.parent_name else self.name


class UnitRegistry:
    """Index of units with name resolution; build once, resolve many names.

    Provinces are indexed at once; the districts and communes of a province when first used,
    so that a provincial run does not pay for the whole country. In the ``2025`` era there
    are no districts: a commune's parent is its province.
    """

    def __init__(self, table: pd.DataFrame, era: str = LEGACY):  # pragma: no mutate block
        self.table = table
        self.era = era
        self._by_code: dict[str, Unit] = {}
        self._exact: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
        self._plain: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
        self._iy: dict[tuple[str, str, str], list[Unit]] = defaultdict(list)
        self._children: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        self._rows = dict(iter(table.groupby("provinceCode", sort=False)))
        self._province_of = {
            "district": ({} if era == ERA_2025  # no districts: a commune's parent is its province
                         else dict(zip(table.districtCode, table.provinceCode, strict=True))),
            "commune": dict(zip(table.wardCode, table.provinceCode, strict=True)),
        }
        self._indexed: set[str] = set()
        self._aliases = gso_aliases() if era == LEGACY else {}
        # outcomes, not exception objects: re-raising one object grows its traceback with
        # every repeated bad look-up (a million-row sheet repeats the same typo)
        self._memo: dict[tuple, Unit | NtmError] = {}
        self._plain_children: dict[tuple[str, str], dict[str, Unit]] = {}
        for r in table.drop_duplicates("provinceCode").itertuples():
            self._add(Unit("province", r.provinceCode, r.provinceShort, r.provinceShort, "Tỉnh",
                           None, None, era=era))

    def _add(self, unit: Unit) -> None:  # pragma: no mutate block
        self._by_code[f"{unit.level}:{unit.code}"] = unit
        key = name_key(unit.full_name, fix_tones=False)
        parent = unit.parent_code or ""
        self._exact[(unit.level, parent, key)].append(unit)
        self._plain[(unit.level, parent, plain_key(key))].append(unit)
        self._iy[(unit.level, parent, iy_key(key))].append(unit)
        self._children[(unit.level, parent)].append(unit)

    def _add_aliases(self) -> None:  # pragma: no mutate block
        """Index GSO's spellings of the units indexed so far, after their official names:
        an alias that is already a key (another unit's name, or another alias) is left out."""
        for (level, code), names in self._aliases.items():
            unit = self._by_code.get(f"{level}:{code}")
            for alias in names if unit else ():
                key = (level, unit.parent_code or "", name_key(alias))
                if key not in self._exact:
                    self._exact[key].append(unit)

    def _ensure(self, province_code: str | None) -> None:
        """Index the districts and communes of a province on first use."""
        if province_code is None or province_code in self._indexed:
            return
        self._indexed.add(province_code)
        rows = self._rows.get(province_code)
        if rows is None:
            return

        def columns(frame: pd.DataFrame, *names: str) -> zip:
            # plain Python values column by column: iterating Arrow text by rows makes one
            # scalar object per cell, and itertuples a tuple per row on top
            return zip(*(frame[n].astype(object).tolist() for n in names), strict=True)

        if self.era == ERA_2025:
            for values in columns(rows, "wardCode", "wardShort", "ward", "wardType",
                                  "provinceCode", "provinceShort", "wardLat", "wardLon"):
                self._add(Unit("commune", *values, ERA_2025))
            return
        for values in columns(rows.drop_duplicates("districtCode"), "districtCode",
                              "districtShort", "district", "districtType", "provinceCode",
                              "provinceShort", "districtLat", "districtLon"):
            self._add(Unit("district", *values))
        for values in columns(rows[rows.wardCode.notna()], "wardCode", "wardShort", "ward",
                              "wardType", "districtCode", "districtShort", "wardLat",
                              "wardLon"):
            self._add(Unit("commune", *values))
        self._add_aliases()

    # ---- look-ups -------------------------------------------------------------------------
    def get(self, level: str, code: str) -> Unit:
        """Return the unit of ``level`` with GSO ``code``; KeyError if there is none."""
        self._ensure(self._province_of.get(level, {}).get(code))
        return self._by_code[f"{level}:{code}"]

    def districts(self, province_code: str = DEFAULT_PROVINCE_CODE) -> pd.DataFrame:
        """Return the district-level units of a province, ordered by code."""
        self._ensure(province_code)
        return self._frame(self._children[("district", province_code)])

    def communes(self, district_code: str | None = None,
                 province_code: str = DEFAULT_PROVINCE_CODE) -> pd.DataFrame:
        """Return the commune-level units of a district, or of a whole province."""
        self._ensure(self._province_of["district"].get(district_code, province_code))
        if self.era == ERA_2025:
            units = self._children[("commune", province_code)]
        elif district_code is not None:
            units = self._children[("commune", district_code)]
        else:
            units = [u for d in self._children[("district", province_code)]
                     for u in self._children[("commune", d.code)]]
        return self._frame(units)

    @staticmethod
    def _frame(units: list[Unit]) -> pd.DataFrame:
        frame = pd.DataFrame([u.__dict__ for u in units])
        return frame.sort_values("code", ignore_index=True) if len(frame) else frame

    # ---- resolution -----------------------------------------------------------------------
    def resolve_province(self, name: str) -> Unit:
        """Resolve a province name or code."""
        return self._resolve("province", name, None)

    def resolve_district(self, name: str, province_code: str = DEFAULT_PROVINCE_CODE) -> Unit:
        """Resolve a district-level name (or GSO code) within a province."""
        return self._resolve("district", name, province_code)

    def resolve_commune(self, name: str, district_code: str,
                        prefer_type: str | None = None, suggest: bool = True) -> Unit:
        """Resolve a commune-level name (or GSO code) within a district.

        When a district has a commune and a town of the same name (Xã and Thị trấn Vĩnh
        Thuận), a type prefix in the name (``xã``, ``thị trấn``) or ``prefer_type`` picks one;
        otherwise :class:`AmbiguousUnitError` is raised. ``suggest=False`` leaves the close
        names out of :class:`UnitNotFoundError` (they cost a millisecond; a caller that
        looks in the other era first may not need them).
        """
        return self._resolve("commune", name, district_code, prefer_type, suggest)

    def lookup(self, level: str, name: str, parent: str | None,
               prefer_type: str | None = None, suggest: bool = True) -> Unit | NtmError:
        """The unit a name resolves to, or the error that says why it does not, returned and
        not raised: a cleaner resolves thousands of names that are not official and records
        each, and raising costs more than the look-up."""
        memo_key = (level, name, parent, prefer_type, suggest)
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._resolve_once(level, name, parent, prefer_type,
                                                            suggest)
        return hit

    def _resolve(self, level: str, name: str, parent: str | None,
                 prefer_type: str | None = None, suggest: bool = True) -> Unit:
        hit = self.lookup(level, name, parent, prefer_type, suggest)
        if isinstance(hit, NtmError):
            raise dataclasses.replace(hit)  # a fresh error, with a fresh traceback
        return hit

    def _resolve_once(self, level: str, name: str, parent: str | None,
                      prefer_type: str | None, suggest: bool = True) -> Unit | NtmError:
        raw = str(name).strip()
        parent_key = parent or ""
        if level == "district":
            self._ensure(parent)
        elif level == "commune":  # the parent is a district (legacy) or a province (2025)
            self._ensure(self._province_of["district"].get(parent_key, parent_key))
        by_code = self._by_code.get(f"{level}:{raw}")
        if by_code is not None and (by_code.parent_code or "") == parent_key:
            return by_code
        key = name_key(raw)
        stated_type = name_type(raw)
        hits = self._exact.get((level, parent_key, key), [])
        if not hits and key != plain_key(key):  # "Sỹ" for "Sĩ": the other spelling of i
            hits = self._iy.get((level, parent_key, iy_key(key)), [])
        if not hits and key == plain_key(key):  # written without accents
            hits = self._plain.get((level, parent_key, key), [])
            stripped = unaccented_prefix(key)
            if not hits and stripped:
                key, stated_type = stripped
                hits = self._plain.get((level, parent_key, key), [])
        for wanted in (stated_type, prefer_type):
            if len(hits) > 1 and wanted:
                typed = [u for u in hits if u.unit_type == wanted]
                hits = typed or hits
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return AmbiguousUnitError(level, raw, [f"{u.full_name} ({u.parent_name})"
                                                   for u in hits])
        parent_name = self.get(self._parent_level(level), parent).name if parent else None
        return UnitNotFoundError(level, raw, parent_name,
                                 self.suggest(level, key, parent) if suggest else ())

    def _plain_names(self, level: str, parent: str) -> dict[str, Unit]:
        """{plain key: unit} of the children of ``parent`` (cached: suggestions use it)."""
        cached = self._plain_children.get((level, parent))
        if cached is None:
            cached = {plain_key(name_key(u.full_name, fix_tones=False)): u
                      for u in self._children[(level, parent)]}
            self._plain_children[(level, parent)] = cached
        return cached

    def suggest(self, level: str, key: str, parent: str | None, n: int = 3) -> list[str]:
        """Return up to ``n`` labels of units whose names are close to ``key``.

        The same name under another parent of the same province comes first (a commune
        filed under the wrong district), then close spellings under the given parent.
        """
        plain = plain_key(key)
        out: list[str] = []
        if parent is not None and level == "commune" and self.era == LEGACY:
            province = self.get("district", parent).parent_code
            for district in self._children[("district", province)]:
                for unit in self._plain.get(("commune", district.code, plain), []):
                    out.append(unit.label)
        by_plain = self._plain_names(level, parent or "")
        for close in close_matches(plain, by_plain, n=n):
            label = by_plain[close].label if level == "commune" else by_plain[close].name
            if label not in out:
                out.append(label)
        return out[:n]

    def _parent_level(self, level: str) -> str:
        if self.era == ERA_2025:
            return "province"
        return {"commune": "district", "district": "province"}[level]


def dataset_path() -> Path:  # pragma: no mutate block
    """The SQLite file of units that ``vietnamadminunits`` ships (found without importing the
    package, whose address parser takes most of a second to load)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("vietnamadminunits")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"


def read_dataset(query: str) -> pd.DataFrame:  # pragma: no mutate block
    """The result of ``query`` on the package's SQLite file, opened read-only."""
    with sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True) as conn:
        return pd.read_sql_query(query, conn)


def derived_key(*code: Path) -> str:  # pragma: no mutate block
    """What a table derived from the address package depends on, as a cache key
    (``storage.cached_frame``): the package's version, its data files' sizes and times,
    and the text of ``code`` and of this module (an edit to either builds it again)."""
    db = dataset_path()
    sources = (db, db.with_name("converter_2025.json"))
    return "|".join([metadata.version("vietnamadminunits"),
                     *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sources),
                     *(p.read_text(encoding="utf-8") for p in (Path(__file__), *code))])


@cache
def legacy_table() -> pd.DataFrame:  # pragma: no mutate block
    """Return the package's pre-July-2025 units, one row per commune, codes as strings.

    The same query as ``vietnamadminunits.database.get_data(table="admin_units_legacy")``,
    kept in the user's cache (``config.cache_dir``): every page and every clean needs it.
    """
    return cached_frame("legacy-units", derived_key(), _read_legacy_table, cache_dir())


def _read_legacy_table() -> pd.DataFrame:  # pragma: no mutate block
    table = read_dataset(f"SELECT DISTINCT {', '.join(_FIELDS)} FROM admin_units_legacy")
    for col in ("provinceCode", "districtCode", "wardCode"):
        table[col] = table[col].astype(str)
    return table


@cache
def gso_aliases() -> dict[tuple[str, str], tuple[str, ...]]:
    """{(level, GSO code): GSO's spellings} of pre-July-2025 units (``gso_aliases.csv``)."""
    table = pd.read_csv(GSO_ALIASES_FILE, dtype=str)
    return {key: tuple(group["name"]) for key, group in table.groupby(["level", "code"])}


@cache
def units_2025() -> pd.DataFrame:  # pragma: no mutate block
    """The package's units from 01/07/2025: one row per commune-level unit, codes as text."""
    table = read_dataset("SELECT provinceCode, province, provinceShort, provinceKey, "
                         "wardCode, ward, wardShort, wardType, wardKey, wardLat, wardLon "
                         "FROM admin_units")
    return table.astype({"provinceCode": str, "wardCode": str})


@cache
def registry(province_code: str | None = None,
             era: str = LEGACY) -> UnitRegistry:  # pragma: no mutate block
    """Return the (cached) registry of one province, or of the whole country when None, in
    ``era`` (``legacy`` or ``2025``)."""
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; expected one of {ERAS}")
    table = legacy_table() if era == LEGACY else units_2025()
    if province_code is not None:
        table = table[table.provinceCode == province_code]
    return UnitRegistry(table, era)
