"""What a report shows: the only thing the notebooks import.

``report.district_report(...)`` and ``report.province_overview(...)`` (units before
01/07/2025), ``report.commune_report(...)`` and ``report.province_overview_2025(...)`` (units
from that day) and ``report.national_overview(...)`` (every province from that day) build a
page from the processed tables; their methods return displayable
pieces. ``report.set_theme()`` gives the charts their one look.
"""

from .commune import CommuneReport, commune_report
from .district import DistrictReport, district_report
from .national import NationalOverview, national_overview
from .overview_2025 import ProvinceOverview2025, province_overview_2025
from .province import ProvinceOverview, district_reports, province_overview

__all__ = ["CommuneReport", "DistrictReport", "NationalOverview", "ProvinceOverview",
           "ProvinceOverview2025", "commune_report", "district_report", "district_reports",
           "national_overview", "province_overview", "province_overview_2025", "set_theme"]


def set_theme() -> None:
    """Give every chart of this kernel the project's look (seaborn style, colour-blind palette).

    Imported here rather than at the top: only kernels draw charts, and the parent of
    ``ntm report`` imports this package without matplotlib.
    """
    from .plots import set_theme as apply

    apply()
