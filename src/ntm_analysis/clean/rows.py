"""What every sheet kind shares: the date of a row and the units it names.

Dates are parsed once per distinct spelling and units resolved once per distinct
(province, district, commune, era) key; each bad cell is recorded in the ledger with its
reason and, for a name that is not official, a "did you mean". A name is never corrected.

The row's date decides the era of its units: before 01/07/2025 province →
district → commune, from that day province → commune, with no district. A name official in
the other era only is rejected with the units that were official on the row's date as the
suggestion (an old commune in 2026 names its successor, a new commune in 2024 its
predecessors): a tally is never moved from one unit to another. From 01/07/2025 a type
written in the name must be the found unit's: "Thị trấn Vĩnh Bình" in 2026 is the old town,
whose successor is xã Vĩnh An, not the new xã Vĩnh Bình (thị trấn were abolished that day),
and "Phường X" is never the xã X; such a row is rejected naming the successor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import AmbiguousUnitError, NtmError, UnitNotFoundError
from ..processed import UNIT_COLUMNS
from ..reference.eras import eras_on, predecessor_labels, successor_labels, successor_provinces
from ..reference.units import ERA_2025, LEGACY, Unit, UnitRegistry, name_type
from ..text import is_blank
from .cells import DAY, MONTH, QUARTER, parse_as_of
from .columnar import apply_unique, blank_cells, column_of
from .ledger import Ledger


@dataclass(frozen=True)
class _UnitHit:
    codes: tuple[str | None, ...] = (None,) * len(UNIT_COLUMNS)
    column: str | None = None
    reason: str | None = None
    value: str | None = None
    suggestion: str | None = None


def resolve_units(ledger: Ledger, frame: pd.DataFrame, scope: pd.Series,
                  as_of: pd.Series) -> pd.DataFrame:
    """Resolve the province/district/commune names of every row in the era of its date
    (``as_of``; a row without a date is read in the legacy era), once per distinct key."""
    reg = ledger.registry

    def resolve(province: object, district: object, commune: object, scope: str,
                era: str | None) -> _UnitHit:
        if scope == "national":
            return _UnitHit()
        if era == ERA_2025:
            return _resolve_2025(ledger, province, district, commune, scope)
        prov = _province(reg, province, ledger.province_code)
        if isinstance(prov, NtmError):
            return _UnitHit(column="province", reason="unknown_province", value=str(province),
                            suggestion=", ".join(getattr(prov, "suggestions", ())) or None)
        if scope == "province":
            return _UnitHit((LEGACY, prov.code, prov.name, None, None, None, None))
        if is_blank(district):
            return _UnitHit(column="district", reason="blank_district", value="")
        dist = _lookup("district", district, reg.lookup("district", str(district), prov.code))
        if isinstance(dist, _UnitHit):
            return dist
        if scope == "district":
            return _UnitHit((LEGACY, prov.code, prov.name, dist.code, dist.name, None, None))
        comm = _commune(commune,
                        lambda suggest: reg.lookup("commune", str(commune), dist.code,
                                                   prefer_type="Xã", suggest=suggest),
                        lambda: predecessor_labels(str(commune), prov.code), "commune_not_yet")
        if isinstance(comm, _UnitHit):
            return comm
        return _UnitHit((LEGACY, prov.code, prov.name, dist.code, dist.name, comm.code,
                         comm.name))

    keys = pd.DataFrame({"p": column_of(frame, "province"), "d": column_of(frame, "district"),
                         "c": column_of(frame, "commune"), "s": scope, "e": eras_on(as_of)})
    fields = (*UNIT_COLUMNS, "unit_column", "unit_reason", "unit_value", "unit_suggestion")
    # the unit columns as categories from the start: a million rows, a few thousand units
    return apply_unique(keys, lambda *k: _flatten(resolve(*k)), fields,
                        dtypes=dict.fromkeys(UNIT_COLUMNS, "category"))


def _resolve_2025(ledger: Ledger, province: object, district: object, commune: object,
                  scope: str) -> _UnitHit:
    """Units of the 2025 era: province → commune (xã, phường, đặc khu); no district."""
    reg = ledger.registry_2025
    default = successor_provinces(ledger.province_code) or (ledger.province_code,)
    prov = _province(reg, province, default[0])
    if isinstance(prov, NtmError):
        return _old_province(ledger, province, prov)
    if scope == "province":
        return _UnitHit((ERA_2025, prov.code, prov.name, None, None, None, None))
    if scope == "district":  # districts were abolished on 01/07/2025
        return _UnitHit(column="district", reason="district_abolished", value=str(district))
    comm = _commune(commune,
                    lambda suggest: reg.lookup("commune", str(commune), prov.code,
                                               prefer_type="Xã", suggest=suggest),
                    lambda: successor_labels(str(commune), prov.code), "commune_merged")
    if isinstance(comm, _UnitHit):
        return comm
    stated = name_type(str(commune))
    if stated in _COMMUNE_TYPES and stated != comm.unit_type:
        successors = successor_labels(str(commune), prov.code, old_type=stated)
        return _UnitHit(column="commune", reason="commune_type_changed", value=str(commune),
                        suggestion=", ".join(successors) or comm.full_name)
    return _UnitHit((ERA_2025, prov.code, prov.name, None, None, comm.code, comm.name))


#: the commune-level types a name may state; a stated type must be the found unit's
_COMMUNE_TYPES = ("Xã", "Phường", "Thị trấn", "Đặc khu")


def _commune(commune: object, resolver: Callable[[bool], Unit | NtmError],
             other_era: Callable[[], list[str]], reason: str) -> Unit | _UnitHit:
    """Resolve a commune name; a name that is no unit of the row's era but names units of
    the other era is rejected with ``reason`` and those units as the suggestion. The close
    names of the row's era are looked for only when the other era has none (``resolver``
    takes whether to suggest): a 2026 sheet under old names has thousands of them."""
    if is_blank(commune):
        return _UnitHit(column="commune", reason="blank_commune", value="")
    comm = _lookup("commune", commune, resolver(False))
    if isinstance(comm, _UnitHit) and comm.reason == "unknown_commune":
        units = other_era()
        if units:
            return _UnitHit(column="commune", reason=reason, value=str(commune),
                            suggestion=", ".join(units))
        return _lookup("commune", commune, resolver(True))
    return comm


def _province(reg: UnitRegistry, province: object, default: str) -> Unit | NtmError:
    """The province a row names, or the run's province when the cell is blank."""
    if not is_blank(province):
        return reg.lookup("province", str(province), None)
    try:
        return reg.get("province", default)
    except KeyError:  # the run's province is not a province of this era
        return UnitNotFoundError("province", str(province))


def _old_province(ledger: Ledger, province: object, error: NtmError) -> _UnitHit:
    """A province name the 2025 era does not know: a merged province ("Kiên Giang" in 2026)
    is rejected with the province that took it over as the suggestion."""
    old = ledger.registry.lookup("province", str(province), None)
    if isinstance(old, NtmError):
        return _UnitHit(column="province", reason="unknown_province", value=str(province),
                        suggestion=", ".join(getattr(error, "suggestions", ())) or None)
    names = [ledger.registry_2025.get("province", code).name
             for code in successor_provinces(old.code)]
    return _UnitHit(column="province", reason="province_merged", value=str(province),
                    suggestion=", ".join(names) or None)


def _lookup(column: str, value: object, found: Unit | NtmError) -> Unit | _UnitHit:
    """The unit a name resolved to, or why it does not resolve (with suggestions)."""
    if isinstance(found, UnitNotFoundError):
        return _UnitHit(column=column, reason=f"unknown_{column}", value=str(value),
                        suggestion=", ".join(found.suggestions) or None)
    if isinstance(found, AmbiguousUnitError):
        return _UnitHit(column=column, reason="ambiguous_unit", value=str(value),
                        suggestion="; ".join(found.candidates))
    return found


def _flatten(hit: _UnitHit) -> tuple[str | None, ...]:
    return (*hit.codes, hit.column, hit.reason, hit.value, hit.suggestion)


def unit_problems(ledger: Ledger, rows: pd.DataFrame, units: pd.DataFrame) -> pd.Series:
    """Record the rows whose unit did not resolve, one problem per (column, reason) in that
    order; return the mask of those rows. Each problem works on the bad rows only and the
    columns a problem line reads, not on every row of the sheet."""
    bad = units.unit_reason.notna()
    if not bad.any():
        return bad
    picked = units.loc[bad, ["unit_column", "unit_reason", "unit_value", "unit_suggestion"]]
    shown = rows.loc[bad, [c for c in ("raw_file", "raw_sheet", "province", "district",
                                        "commune") if c in rows]]
    codes, pairs = pd.factorize(picked.unit_column.astype(str) + "\0" +
                                picked.unit_reason.astype(str), sort=True)
    for number, pair in enumerate(pairs):
        column, reason = pair.split("\0")
        ledger.problem(shown, pd.Series(codes == number, index=shown.index), column, reason,
                       value=picked.unit_value, suggestion=picked.unit_suggestion)
    return bad


# ---- dates --------------------------------------------------------------------------------
def parse_dates(ledger: Ledger, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    parsed = apply_unique(column_of(rows, "as_of"), parse_as_of, ("day", "precision", "error"),
                          dtypes={"day": "datetime64[ns]"})
    dates = pd.DataFrame({"as_of": parsed.day, "as_of_precision": parsed.precision},
                         index=rows.index)
    errors = parsed.error
    for reason in errors.dropna().unique():
        ledger.problem(rows, errors == reason, "as_of", reason)
    starts = apply_unique(dates[["as_of", "as_of_precision"]],
                          lambda day, precision: (_period_start(day, precision),), ("start",),
                          dtypes={"start": "datetime64[ns]"}).start
    future = errors.isna() & (starts > ledger.today)
    ledger.problem(rows, future, "as_of", "future_date")
    return dates, errors.notna() | future


def _period_start(day: pd.Timestamp, precision: str | None) -> pd.Timestamp | None:
    if day is None or day is pd.NaT or precision is None:
        return None
    if precision == DAY:
        return day
    if precision == MONTH:
        return day.replace(day=1)
    if precision == QUARTER:
        return (day - pd.offsets.QuarterBegin(1, startingMonth=1)).normalize()
    return day.replace(month=1, day=1)


def dates_and_units(ledger: Ledger, rows: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame,
                                                              pd.Series, pd.DataFrame,
                                                              pd.Series]:
    """Parse the dates and resolve the units of rows about a district or, when the commune
    cell is filled, a commune; record their problems. Returns (scope, dates, bad date mask,
    units, bad unit mask)."""
    commune_blank = blank_cells(column_of(rows, "commune"))
    scope = pd.Series(np.where(commune_blank, "district", "commune"), index=rows.index)
    dates, bad_date = parse_dates(ledger, rows)
    units = resolve_units(ledger, rows, scope, dates.as_of)
    return scope, dates, bad_date, units, unit_problems(ledger, rows, units)


