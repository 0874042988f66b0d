"""Axes-level chart functions, seaborn style.

Each function takes ``data=`` and ``ax=`` (a new figure when None), draws one chart with a
title, axis labels with units, the as-of date and a source line, and returns the Axes. None
calls ``show`` or ``savefig``. Call :func:`set_theme` once; every chart uses
``style.RATING_COLORS`` (Okabe–Ito, colour-blind safe) for ratings.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterable

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from ..messages import msg
from ..method.ratings import ACHIEVED, DECREASING, MISSED
from .style import RATING_COLORS, date_text, unit_label

STATUS_COLORS = {"nang_cao": "#0072B2", "ntm": "#009E73", "unknown": "#E69F00",
                 "not_rural": "#C8C8C8"}
#: the statuses of a 2025-era unit (report.commune.UNIT_STATUSES), Okabe–Ito
UNIT_STATUS_COLORS = {"met_own": "#009E73", "met_implied": "#56B4E9", "not_met": "#D55E00",
                      "unknown": "#E69F00", "not_assessed": "#C8C8C8"}
FONT = "DejaVu Sans"  # ships with matplotlib; has every Vietnamese letter


def set_theme() -> None:
    """Set the one theme of all charts (call once per notebook).

    In a notebook it also stops the inline backend from cropping figures to a tight box:
    the charts use constrained layout (titles, labels and source line fit already), and the
    crop costs a second drawing of every figure.
    """
    sns.set_theme(style="whitegrid", context="notebook", font=FONT,
                  rc={"figure.dpi": 100, "savefig.dpi": 150, "axes.titleweight": "bold",
                      "figure.autolayout": False})
    with contextlib.suppress(ImportError):  # not in a kernel: nothing to tell
        from IPython import get_ipython
        from matplotlib_inline.config import InlineBackend

        if get_ipython() is not None:
            # what `%config InlineBackend.print_figure_kwargs = ...` sets, without the
            # magic: its first use loads all of IPython's lazy magics (0.09 s a kernel)
            InlineBackend.instance().print_figure_kwargs = {"bbox_inches": None}


def _axes(ax: plt.Axes | None, size: tuple[float, float]) -> plt.Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _footer(ax: plt.Axes, sources: Iterable[str], as_of: pd.Timestamp | None, lang: str) -> None:
    names = sorted({str(s) for s in sources if isinstance(s, str) and s})
    text = "; ".join(names) if len(names) <= 2 else f"{names[0]}; … (+{len(names) - 1})"
    line = msg("source_line", lang=lang, sources=text or "—", date=date_text(as_of, lang))
    width = ax.get_position().width * ax.figure.get_figwidth()  # inches
    line = textwrap.shorten(line, width=320)
    line = textwrap.fill(line, width=max(40, int(width * 14)), max_lines=3, placeholder=" …")
    ax.annotate(line, xy=(0, 0), xycoords="axes fraction", xytext=(0, -44),
                textcoords="offset points", fontsize=7.5, color="#555555", va="top")


def _date_axis(ax: plt.Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
    # a span of 31-35 months has fewer than three yearly ticks and more than 30 monthly ones
    # at matplotlib's largest month step (6): the locator warns on the page, in the
    # official's view, and falls back; a yearly step in months closes that gap
    locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]
    ax.xaxis.set_major_locator(locator)
    # month/year, but the day too when the ticks are days or weeks apart: a series of a few
    # weeks read "04/2019, 04/2019, 05/2019" (matplotlib picks the format by tick spacing)
    formatter = mdates.AutoDateFormatter(locator, defaultfmt="%m/%Y")
    formatter.scaled = {1 / 24: "%d/%m/%Y", 1.0: "%d/%m/%Y"}
    ax.xaxis.set_major_formatter(formatter)


def gap_chart(data: pd.DataFrame, ax: plt.Axes | None = None, *, title_unit: str = "",
              as_of: pd.Timestamp | None = None, lang: str = "vi") -> plt.Axes:
    """Horizontal bars of criteria still unmet per unit, coloured by rating.

    ``data`` is a :func:`ntm_analysis.method.gaps.unit_gaps` table.
    """
    rows = data.sort_values(["gap", "criteria_met"], ascending=[True, False])
    ax = _axes(ax, (8, max(2.5, 0.45 * len(rows) + 1.5)))
    labels = [f"{unit_label(r)} · {msg('level_' + r.level, lang=lang)}"
              for _, r in rows.iterrows()]
    colors = [RATING_COLORS.get(r, "#999999") for r in rows.rating]
    ax.barh(labels, rows.gap, color=colors, edgecolor="#333333", linewidth=0.5)
    for y, (_, r) in enumerate(rows.iterrows()):
        ax.annotate(f"{r.criteria_met}/{r.criteria_total}", (r.gap, y), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set_xlim(0, max(rows.gap.max() if len(rows) else 1, 1) * 1.2 + 0.5)
    ax.set_xlabel(msg("axis_gap", lang=lang))
    ax.set_ylabel("")
    ax.set_title(msg("chart_gap_title", lang=lang, district=title_unit))
    present = list(dict.fromkeys(rows.rating))
    handles = [plt.Rectangle((0, 0), 1, 1, color=RATING_COLORS[r]) for r in present]
    if handles:
        ax.legend(handles, [msg(f"rating_{r}", lang=lang) for r in present], loc="lower right",
                  fontsize=8, frameon=True)
    _footer(ax, rows.source, as_of, lang)
    return ax


def trend_chart(data: pd.DataFrame, ax: plt.Axes | None = None, *,
                deadline: pd.Timestamp | None = None,
                projected_on: pd.Timestamp | None = None,
                as_of: pd.Timestamp | None = None, lang: str = "vi") -> plt.Axes:
    """Criteria met over time for one unit and level: reported tallies, recognitions
    (implied full tallies), the standard, the deadline and the projection (dashed)."""
    rows = data.sort_values("as_of")
    ax = _axes(ax, (7, 3.6))
    total = int(rows.criteria_total.iloc[-1])
    reported = rows[rows.origin == "reported"]
    implied = rows[rows.origin != "reported"]
    ax.plot(rows.as_of, rows.criteria_met, color="#0072B2", linewidth=1.5, alpha=0.6)
    ax.scatter(reported.as_of, reported.criteria_met, color="#0072B2", s=40, zorder=3,
               label=msg("legend_reported", lang=lang))
    if len(implied):
        ax.scatter(implied.as_of, implied.criteria_met, marker="*", s=160, color="#009E73",
                   zorder=4, label=msg("legend_implied", lang=lang))
    ax.axhline(total, color="#333333", linewidth=1, linestyle=":",
               label=msg("legend_target", lang=lang, total=total))
    if deadline is not None and pd.notna(deadline):
        ax.axvline(deadline, color=RATING_COLORS[MISSED], linewidth=1.2,
                   label=msg("legend_deadline", lang=lang))
    if projected_on is not None and pd.notna(projected_on):
        last = rows.iloc[-1]
        ax.plot([last.as_of, projected_on], [last.criteria_met, total], linestyle="--",
                color="#0072B2", label=msg("legend_projection", lang=lang))
    ax.set_ylim(0, total + 1)
    ax.set_ylabel(msg("axis_met", lang=lang))
    ax.set_xlabel(msg("axis_date", lang=lang))
    _date_axis(ax)
    first = rows.iloc[0]
    ax.set_title(msg("chart_trend_title", lang=lang, unit=unit_label(first),
                     level=msg("level_" + first.level, lang=lang)))
    ax.legend(fontsize=7.5, loc="lower right")
    _footer(ax, rows.source, as_of, lang)
    return ax


def series_chart(data: pd.DataFrame, ax: plt.Axes | None = None, *, measure: str = "share",
                 targets: pd.DataFrame | None = None, title: str = "",
                 as_of: pd.Timestamp | None = None, lang: str = "vi") -> plt.Axes:
    """An area series over time (share in % or count) with its targets (a band for a range)."""
    rows = data.dropna(subset=[measure]).sort_values("as_of")
    ax = _axes(ax, (7, 3.6))
    scale = 100.0 if measure == "share" else 1.0
    ax.plot(rows.as_of, rows[measure] * scale, marker="o", color="#0072B2")
    for target in (targets.itertuples() if targets is not None else []):
        if target.measure != measure:
            continue
        label = msg("legend_target_value", lang=lang, text=target.value_text,
                    year=target.deadline.year)
        ax.scatter([target.deadline], [target.target * scale], marker="D", s=50,
                   color="#D55E00", zorder=4, label=label)
        if pd.notna(target.upper):
            ax.vlines(target.deadline, target.target * scale, target.upper * scale,
                      color="#D55E00", linewidth=3, alpha=0.5)
    _date_axis(ax)
    ax.set_ylabel(msg("axis_share" if measure == "share" else "axis_count", lang=lang))
    ax.set_xlabel(msg("axis_date", lang=lang))
    ax.set_title(title)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7.5, loc="lower right")
    _footer(ax, rows.source, as_of, lang)
    return ax


def commune_map(data: pd.DataFrame, ax: plt.Axes | None = None, *,
                districts: pd.DataFrame | None = None, as_of: pd.Timestamp | None = None,
                lang: str = "vi", palette: dict[str, str] | None = None,
                label_prefix: str = "status_") -> plt.Axes:
    """Communes as points at their coordinates, coloured by ``status`` (no tiles, no network);
    district names at the districts' coordinates. ``palette`` maps each status to its
    colour (default :data:`STATUS_COLORS`) and ``label_prefix`` + status is its label's
    catalogue key."""
    ax = _axes(ax, (7, 7))
    for status, color in (palette or STATUS_COLORS).items():
        rows = data[(data.status == status) & data.lat.notna()]
        if len(rows):
            ax.scatter(rows.lon, rows.lat, s=28, color=color, edgecolor="#333333",
                       linewidth=0.3, label=msg(f"{label_prefix}{status}", lang=lang))
    for row in (districts.itertuples() if districts is not None else []):
        ax.annotate(row.name, (row.lon, row.lat), fontsize=8, ha="center", color="#222222",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.6,
                          "lw": 0})
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(msg("axis_lon", lang=lang))
    ax.set_ylabel(msg("axis_lat", lang=lang))
    ax.set_title(msg("chart_map_title", lang=lang))
    ax.legend(fontsize=8, loc="lower left")
    _footer(ax, data.get("source", pd.Series(dtype=object)), as_of, lang)
    return ax


def status_bar(data: pd.DataFrame, ax: plt.Axes | None = None, *,
               as_of: pd.Timestamp | None = None, lang: str = "vi",
               sources: Iterable[str] = ()) -> plt.Axes:
    """One bar of a province's units split by status (``data``: ``status`` and ``count``,
    in the order to draw), each part labelled with its count."""
    ax = _axes(ax, (8, 2.6))
    left = 0
    for row in data.itertuples():
        if not row.count:
            continue
        ax.barh(0, row.count, left=left, color=UNIT_STATUS_COLORS[row.status],
                edgecolor="white", label=f"{msg('unit_status_' + row.status, lang=lang)} "
                                         f"({row.count})")
        ax.text(left + row.count / 2, 0, str(row.count), ha="center", va="center",
                fontsize=9, color="#111111")
        left += row.count
    ax.set_yticks([])
    ax.set_xlim(0, max(left, 1))
    ax.set_xlabel(msg("axis_units", lang=lang))
    ax.set_title(msg("chart_unit_status_title", lang=lang), pad=30)
    ax.legend(fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3,
              frameon=False)
    _footer(ax, sources, as_of, lang)
    return ax


def indicator_dot(data: pd.Series, ax: plt.Axes | None = None, *, value_text: str = "",
                  threshold_text: str = "", lang: str = "vi") -> plt.Axes:
    """One indicator of one commune (``data``: a row of ``method.indicators.indicator_gaps``):
    its value as a dot, its group's threshold as a line, the gap between them shaded; the
    axis in the indicator's own unit, labelled with the page's texts of both."""
    ax = _axes(ax, (8, 1.1))
    value, threshold = float(data.value), float(data.threshold)
    low, high = sorted((value, threshold))
    pad = max(high - low, abs(high) * 0.1, 1.0) * 0.6
    ax.axvspan(low, high, color=RATING_COLORS[MISSED], alpha=0.25, lw=0)
    ax.axvline(threshold, color="#333333", lw=2,
               label=msg("chart_threshold", lang=lang, text=threshold_text))
    ax.plot([value], [0], "o", color="#D55E00", markersize=9,
            label=msg("chart_value", lang=lang, text=value_text))
    ax.set_xlim(low - pad, high + pad)
    if data.unit == "yes_no":  # two values, not a scale
        ax.set_xlim(-0.5, 1.5)
        ax.set_xticks([0, 1], [msg("no", lang=lang), msg("yes", lang=lang)])
    ax.set_yticks([])
    name = data["name"] if isinstance(data["name"], str) else ""
    ax.set_title(f"{data.indicator} {name}".strip(), loc="left", fontsize=10)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return ax


def timeline_chart(data: pd.DataFrame, ax: plt.Axes | None = None, *,
                   as_of: pd.Timestamp | None = None, lang: str = "vi") -> plt.Axes:
    """Dates on which units reached all their criteria (recognitions), one row per level."""
    rows = data.sort_values("as_of")
    ax = _axes(ax, (8, 3.2))
    levels = list(dict.fromkeys(rows.level))
    y = rows.level.map({lv: i for i, lv in enumerate(levels)})
    jitter = np.tile([-0.15, 0.0, 0.15], len(rows) // 3 + 1)[: len(rows)]
    ax.scatter(rows.as_of, y + jitter, s=36, color="#009E73", edgecolor="#333333",
               linewidth=0.4)
    ax.set_yticks(range(len(levels)), [msg("level_" + lv, lang=lang) for lv in levels])
    ax.set_ylim(-0.6, len(levels) - 0.4)
    ax.set_xlabel(msg("axis_date", lang=lang))
    ax.set_title(msg("chart_timeline_title", lang=lang))
    _date_axis(ax)
    _footer(ax, rows.source, as_of, lang)
    return ax


def criteria_heatmap(data: pd.DataFrame, ax: plt.Axes | None = None, *,
                     as_of: pd.Timestamp | None = None, lang: str = "vi") -> plt.Axes:
    """Criteria × commune: met (1) or not (0) at each commune's latest date."""
    latest = data.sort_values("as_of").drop_duplicates(["commune_code", "criterion_number"],
                                                       keep="last")
    grid = latest.pivot_table(index="criterion_name", columns="commune", values="met",
                              aggfunc="max").astype(float)
    ax = _axes(ax, (max(5, 1.1 * grid.shape[1] + 3), max(3, 0.35 * grid.shape[0] + 1.5)))
    sns.heatmap(grid, ax=ax, cmap=[RATING_COLORS[DECREASING], RATING_COLORS[ACHIEVED]],
                vmin=0, vmax=1, cbar=False, linewidths=0.5, linecolor="white")
    ax.set_xlabel("")
    ax.set_ylabel(msg("col_criterion", lang=lang))
    ax.set_title(msg("chart_heatmap_title", lang=lang))
    _footer(ax, latest.source, as_of, lang)
    return ax
