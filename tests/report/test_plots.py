"""report/plots.py: what a reader sees on the axes."""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

from ntm_analysis.method.ratings import ACHIEVED
from ntm_analysis.report.plots import series_chart, timeline_chart
from ntm_analysis.report.style import RATING_COLORS

matplotlib.use("agg")


def shares(*days: str) -> pd.DataFrame:
    return pd.DataFrame({"as_of": pd.to_datetime(list(days)),
                         "share": [0.5 + 0.1 * i for i in range(len(days))], "source": "Báo cáo"})


@pytest.mark.parametrize(("days", "form"), [
    (("2019-04-02", "2019-04-20", "2019-05-10"), r"\d\d/\d\d/\d{4}"),  # weeks apart: the day
    (("2016-12-31", "2019-06-30", "2022-12-31"), r"\d\d/\d{4}"),  # years apart: month/year
])
def test_each_date_tick_of_a_series_reads_differently(days, form):
    """Trend and series charts share the date axis (plots._date_axis)."""
    ax = series_chart(shares(*days))
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels
    assert all(re.fullmatch(form, label) for label in labels), labels


@pytest.mark.parametrize("last", ["2019-07-15", "2019-08-31", "2019-11-30"])
def test_a_span_of_about_three_years_draws_without_a_warning(last):
    """31 to 35 months: matplotlib's locator found no monthly step and printed a warning on
    the page (Thạnh Trị, Tân Hiệp: 31/12/2016 and 15/07/2019)."""
    import warnings

    ax = series_chart(shares("2016-12-31", last))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels


def test_recognitions_are_drawn_in_the_colour_of_achieved():
    """The timeline's marks mean "reached": the green of achieved in every table and chart,
    one mark per recognition, on the row of its level."""
    recognitions = pd.DataFrame({
        "as_of": pd.to_datetime(["2019-04-02", "2020-08-13", "2021-04-26"]),
        "level": ["xa_ntm", "xa_ntm", "huyen_ntm"], "source": "Quyết định"})
    ax = timeline_chart(recognitions)
    (marks,) = ax.collections
    assert len(marks.get_offsets()) == 3
    assert {tuple(c) for c in marks.get_facecolors()} == \
        {matplotlib.colors.to_rgba(RATING_COLORS[ACHIEVED])}
    assert [round(y) for _, y in marks.get_offsets()] == [0, 0, 1]


def test_a_series_of_a_year_is_ticked_by_quarter():
    """Offices report by quarter: a span of 12 to 15 months is ticked at the quarters'
    first months, not every fourth month."""
    ax = series_chart(shares("2019-01-31", "2019-09-30", "2020-03-31"))
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(labels) >= 3
    assert {int(label.split("/")[0]) for label in labels} <= {1, 4, 7, 10}, labels
