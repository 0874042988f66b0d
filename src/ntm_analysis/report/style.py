"""The look shared by charts, tables and the index page: rating colours and date format.

Kept free of plotting imports, so that the index page is written without loading matplotlib.
"""

from __future__ import annotations

import pandas as pd

#: One colour per rating, used by every chart and table (Okabe–Ito palette, colour-blind safe).
RATING_COLORS = {
    "achieved": "#009E73",
    "achieved_on_time": "#009E73",
    "achieved_late": "#8FD1B9",  # the green of achieved, lighter: reached, after the plan
    "on_track": "#56B4E9",
    "moderately_improving": "#F0E442",
    "stagnating": "#E69F00",
    "decreasing": "#D55E00",
    "missed": "#CC79A7",
    "not_enough_data": "#999999",
    "no_target": "#C8C8C8",
}


def date_text(day: pd.Timestamp | None, lang: str) -> str:
    """A date as users write it: 31/05/2022 (vi) or 2022-05-31 (en)."""
    if day is None or pd.isna(day):
        return "—"
    return pd.Timestamp(day).strftime("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d")


def unit_label(row: pd.Series) -> str:
    """A unit's short name for tables and charts: the commune, or else the district."""
    commune = row.get("commune")
    return str(commune) if isinstance(commune, str) and commune else str(row.get("district"))
