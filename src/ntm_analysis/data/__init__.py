"""The tables and figures of ntm-analysis for an analyst's own questions, in a notebook.

Five functions and the charts, with stable names; nothing private needed:

- :func:`load`: the typed tables ``ntm clean`` wrote (tallies, facts, criteria status,
  rejected rows), each row with its era;
- :func:`units`: the units of a province in either era (codes, names, types, coordinates);
- :func:`gaps`: gap, pace and rating of any units on any date (the report's method);
- :func:`trend`: one unit's tallies over time, ready for :func:`trend_chart`;
- :func:`unmet_criteria`: how many communes have each criterion unmet;
- :func:`gap_chart` and :func:`trend_chart`: the report's charts (``data=``, ``ax=``,
  return the Axes).

Units are named as the office writes them ("Đông Yên", "H. An Biên", a GSO code), resolved
by the same rules as the cleaner: exactly, never by a guess. A name that two units share
("Bình An" is a commune of two districts of Kiên Giang) raises with both; write
"Bình An (Châu Thành)" or the code. Reads only; never writes.

Example, from the shipped raw data cleaned into a temporary folder:

>>> import tempfile
>>> from ntm_analysis import data
>>> from ntm_analysis.clean import clean, write_outputs
>>> folder = tempfile.mkdtemp()
>>> _ = write_outputs(clean(), folder)
>>> tables = data.load(folder)
>>> sorted(tables.tallies.admin_era.unique())
['legacy']
>>> table = data.gaps(tables, ["An Biên", "Đông Yên", "Hòn Tre"], as_of="2022-05-31")
>>> print(table[["unit", "level", "criteria_met", "gap", "rating"]].to_string(index=False))
    unit           level  criteria_met  gap          rating
 An Biên       huyen_ntm             4    5 not_enough_data
Đông Yên          xa_ntm            19    0        achieved
 Hòn Tre          xa_ntm            19    0        achieved
Đông Yên xa_ntm_nang_cao            14    5       no_target
 Hòn Tre xa_ntm_nang_cao            11    8       no_target
>>> data.trend(tables, "Đông Yên", level="xa_ntm_nang_cao")[["as_of", "criteria_met"]].iloc[0]
... # doctest: +NORMALIZE_WHITESPACE
as_of           2022-05-31 00:00:00
criteria_met                     14
Name: 0, dtype: object
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config, processed
from ..errors import AmbiguousUnitError, UnitNotFoundError
from ..method.gaps import unit_gaps
from ..method.targets import unit_targets
from ..reference.eras import province_pair
from ..reference.units import ERAS, LEGACY, name_key, registry
from ..report.plots import gap_chart, trend_chart
from ..text import close_matches

__all__ = ["Tables", "gap_chart", "gaps", "load", "trend", "trend_chart", "units",
           "unmet_criteria"]


@dataclass(frozen=True)
class Tables:
    """The processed tables of one folder (``ntm clean``'s output), as DataFrames."""

    tallies: pd.DataFrame
    facts: pd.DataFrame
    criteria_status: pd.DataFrame
    rejected: pd.DataFrame
    folder: Path

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """The tables by name, as the report layer takes them."""
        return {"tallies": self.tallies, "facts": self.facts,
                "criteria_status": self.criteria_status, "rejected": self.rejected}


def load(processed_dir: Path | str | None = None) -> Tables:
    """The typed tables ``ntm clean`` wrote to ``processed_dir`` (default
    ``data/processed``). Every table's rows carry ``admin_era`` (``legacy`` before
    01/07/2025, ``2025`` from that day): a GSO code means nothing without its era.

    Raises
    ------
    RawDataError
        When the folder holds no processed tables (run ``ntm clean`` first).
    """
    folder = Path(processed_dir) if processed_dir else config.PROCESSED_DIR
    tables = processed.load(folder)
    return Tables(tables["tallies"], tables["facts"], tables["criteria_status"],
                  tables["rejected"], folder)


def units(province: str | None = None, era: str = LEGACY) -> pd.DataFrame:
    """The units of a province (name or code of either era; default Kiên Giang, or its
    successor the new An Giang for ``era="2025"``): one row per district and commune-level
    unit with ``level``, ``code``, ``name``, ``full_name``, ``unit_type``, ``district_code``
    and ``district`` (legacy era only), ``lat`` and ``lon``.

    >>> from ntm_analysis import data
    >>> kg = data.units("Kiên Giang")
    >>> kg.level.value_counts().to_dict(), int((kg.unit_type == "Xã").sum())
    ({'commune': 143, 'district': 15}, 116)
    >>> data.units("An Giang", era="2025").unit_type.value_counts().to_dict()
    {'Xã': 85, 'Phường': 14, 'Đặc khu': 3}
    """
    code = _province_code(province, era)
    reg = registry(code, era)
    communes = reg.communes(province_code=code)
    out = communes.assign(district_code=communes.parent_code if era == LEGACY else None,
                          district=communes.parent_name if era == LEGACY else None)
    if era == LEGACY:
        out = pd.concat([reg.districts(code).assign(district_code=None, district=None), out],
                        ignore_index=True)
    return out.assign(era=era)[["era", "level", "code", "name", "full_name", "unit_type",
                                "district_code", "district", "lat", "lon"]]


def gaps(tables: Tables, names: list[str] | None = None, *, province: str | None = None,
         era: str = LEGACY, as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """Gap, required and observed pace, rating and projection of each named unit (every
    unit with data when ``names`` is None) at each level it has data for, on ``as_of``
    (default: the latest date of the data), with the plans' deadlines: the report's method
    (README, "Method"). One row per unit and level, ``unit`` its name."""
    code = _province_code(province, era)
    scoped = processed.scoped(tables.as_dict(), era, code)
    ref = processed.reference_date(scoped, as_of)
    tallies = scoped["tallies"]
    tallies = tallies[(tallies.as_of <= ref) & (tallies.admin_era == era)]
    if names is not None:
        tallies = tallies[_rows_of(tallies, _find(names, code, era))]
    facts = scoped["facts"]
    # a plan reported after ``as_of`` still applies when it is the only one (unit_targets)
    out = unit_gaps(tallies, as_of=ref, targets=unit_targets(facts, as_of=ref))
    unit = out.commune.where(out.commune.notna(), out.district)
    return out.assign(unit=unit.astype(str)).reset_index(drop=True)


def trend(tables: Tables, name: str, *, province: str | None = None, era: str = LEGACY,
          level: str | None = None) -> pd.DataFrame:
    """The tallies of one unit over time, oldest first (every level, or ``level``),
    reported and implied, with their sources: :func:`trend_chart`'s ``data``."""
    code = _province_code(province, era)
    tallies = tables.tallies[(tables.tallies.admin_era == era)
                             & (tables.tallies.province_code == code)]
    rows = tallies[_rows_of(tallies, _find([name], code, era))]
    if level is not None:
        rows = rows[rows.level == level]
    return rows.sort_values(["level", "as_of"], ignore_index=True)


def unmet_criteria(tables: Tables, *, province: str | None = None, era: str = LEGACY,
                   as_of: str | pd.Timestamp | None = None) -> pd.DataFrame:
    """For each criterion of a set: how many communes had it unmet in their latest status
    on or before ``as_of`` (from criterion sheets and forms), most often unmet first."""
    code = _province_code(province, era)
    status = processed.scoped(tables.as_dict(), era, code)["criteria_status"]
    if as_of is not None:
        status = status[status.as_of <= pd.Timestamp(as_of)]
    latest = status.sort_values("as_of").drop_duplicates(
        ["level", "period", "commune_code", "criterion_number"], keep="last")
    unmet = latest[~latest.met.astype(bool)]
    out = (unmet.groupby(["level", "period", "criterion_number", "criterion_name"])
           .commune_code.nunique().rename("communes_unmet").reset_index())
    return out.sort_values(["communes_unmet", "criterion_number"], ascending=[False, True],
                           ignore_index=True)


# ---- units by name ------------------------------------------------------------------------
def _province_code(province: str | None, era: str) -> str:
    if era not in ERAS:
        raise ValueError(f"unknown era {era!r}; expected one of {ERAS}")
    legacy, new = province_pair(province, config.DEFAULT_PROVINCE_CODE)
    return legacy if era == LEGACY else new


_WITH_DISTRICT = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")


def _find(names: list[str], province_code: str, era: str) -> list[tuple[str, str]]:
    """(level, code) of each name: a GSO code, a district or commune name, or "commune
    (district)"; raises for a name that matches no unit or several."""
    table = units(province_code, era)
    keys = table.full_name.map(name_key)
    found = []
    for name in names:
        text = str(name).strip()
        hit = table[table.code == text]
        if hit.empty:
            match = _WITH_DISTRICT.match(text)
            key, district = ((name_key(match[1]), name_key(match[2])) if match
                             else (name_key(text), None))
            hit = table[keys == key]
            if district is not None:
                hit = hit[hit.district.fillna("").map(name_key) == district]
            if len(hit) > 1 and (hit.level == "district").any():
                hit = hit[hit.level == "district"]  # "An Biên" is the district
        if hit.empty:
            close = close_matches(text, table.name)
            raise UnitNotFoundError("commune", text, suggestions=close)
        if len(hit) > 1:
            raise AmbiguousUnitError("commune", text, [
                f"{r.full_name} ({r.district})" for r in hit.itertuples()])
        found.append((hit.level.iloc[0], hit.code.iloc[0]))
    return found


def _rows_of(tallies: pd.DataFrame, found: list[tuple[str, str]]) -> pd.Series:
    """The tallies of the found units (a district's own rows, not its communes')."""
    districts = {code for level, code in found if level == "district"}
    communes = {code for level, code in found if level == "commune"}
    own = tallies.commune_code.isna() & tallies.district_code.isin(districts)
    return own | tallies.commune_code.isin(communes)

