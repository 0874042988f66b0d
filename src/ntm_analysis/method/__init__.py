"""The README's Method section: pace, ratings, targets, gaps of units and area series.

Pure functions over the processed tables; no I/O, no plotting.
"""

from .areas import area_series, rate_area
from .gaps import retrospective, unit_gaps
from .pace import projection, required_pace, slope_per_year
from .ratings import RATINGS, rating
from .targets import area_targets, unit_targets

__all__ = ["RATINGS", "area_series", "area_targets", "projection", "rate_area", "rating",
           "required_pace", "retrospective", "slope_per_year", "unit_gaps", "unit_targets"]
