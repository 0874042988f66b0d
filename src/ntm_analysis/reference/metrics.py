"""The fact-metric vocabulary: what each ``metric`` of a fact sheet means.

A fact sheet's ``metric`` column names what a row states: a count for an area
(``ntm_communes`` "90/116"), a recognition of one unit (``recognized_ntm``), a tally written
as a fact (``district_ntm_criteria_met``), a plan (``target_district_ntm_by``,
``target_2025_nang_cao_communes``) or a statement (``common_unmet_criterion``). The cleaner
types values by it, the method finds deadlines and series by it, and the report labels
series by it: all of them ask this module, so a new metric is one entry here. Pure data and
look-ups; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .criteria import HUYEN_NTM, XA_KIEU_MAU, XA_NANG_CAO, XA_NTM

#: Recognitions: a unit reached a level on the fact's date, which implies total/total.
RECOGNITION_LEVEL = {
    "recognized_ntm": XA_NTM,
    "recognized_nang_cao": XA_NANG_CAO,
    "status_nang_cao": XA_NANG_CAO,
    "district_recognized_ntm": HUYEN_NTM,
    "city_completed_ntm_task": HUYEN_NTM,
}

#: Plans that set a deadline for one unit, and the level they are about.
UNIT_TARGET_LEVEL = {
    "target_district_ntm_by": HUYEN_NTM,
    "target_commune_ntm_by": XA_NTM,
    "target_commune_nang_cao_by": XA_NANG_CAO,
}


@dataclass(frozen=True)
class AreaSeries:
    """A count of units in an area that plans set targets for, and how it is shown."""

    name: str  # the metric, e.g. "ntm_communes"
    measure: str  # "share" (of all units) or "count"
    level: str  # the level its units reached


#: Area series the province overview rates against plan targets, in display order.
AREA_SERIES = (
    AreaSeries("ntm_communes", "share", XA_NTM),
    AreaSeries("nang_cao_communes", "count", XA_NANG_CAO),
    AreaSeries("ntm_districts", "count", HUYEN_NTM),
)

#: District-scope count of communes at each commune level (``kieu_mau_communes`` "1/10").
COMMUNE_COUNT_METRIC = {
    XA_NTM: "ntm_communes",
    XA_NANG_CAO: "nang_cao_communes",
    XA_KIEU_MAU: "kieu_mau_communes",
}

_TALLY_SUFFIX = "_criteria_met"
_DEADLINE_SUFFIX = "_by"
_TEXT_PREFIX = "common_unmet_criterion"
_AREA_TARGET = re.compile(r"^target_(?:(?:\d{4})_)?(\d{4})_(.+)$|^target_(.+)_by_(\d{4})$")


def is_tally(metric: str) -> bool:
    """True for a tally written as a fact (``commune_nang_cao_criteria_met``)."""
    return metric.endswith(_TALLY_SUFFIX)


def tally_level(metric: str) -> str:
    """The level of a tally-as-fact metric.

    Examples
    --------
    >>> tally_level("district_ntm_criteria_met"), tally_level("commune_nang_cao_criteria_met")
    ('huyen_ntm', 'xa_ntm_nang_cao')
    """
    if "nang_cao" in metric:
        return XA_NANG_CAO
    return HUYEN_NTM if metric.startswith("district") else XA_NTM


def is_deadline(metric: str) -> bool:
    """True when the value is a date by which something is planned (``..._by``)."""
    return metric.endswith(_DEADLINE_SUFFIX)


def is_text(metric: str) -> bool:
    """True when the value is free text (the criteria most often unmet)."""
    return metric.startswith(_TEXT_PREFIX)


def area_target(metric: str) -> tuple[int, str] | None:
    """(deadline year, series) of an area target metric, or None.

    Examples
    --------
    >>> area_target("target_2025_nang_cao_communes"), area_target("target_ntm_communes_by_2020")
    ((2025, 'nang_cao_communes'), (2020, 'ntm_communes'))
    >>> area_target("target_2021_2025_ntm_communes"), area_target("ntm_communes")
    ((2025, 'ntm_communes'), None)
    """
    match = _AREA_TARGET.match(metric)
    if not match:
        return None
    year, series = (match[1], match[2]) if match[1] else (match[4], match[3])
    return int(year), series
