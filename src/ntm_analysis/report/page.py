"""What every report page has: its date, its language and the catalogue's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from ..messages import msg
from .display import Heading, Note, number_text, styled
from .style import date_text, unit_label


@dataclass
class Page:
    """What every report page has: its date, language, headings and catalogue words."""

    as_of: pd.Timestamp
    lang: str

    def t(self, key: str, **fields: object) -> str:
        """The catalogue text of ``key`` in the page's language."""
        return msg(key, lang=self.lang, **fields)

    def subtitle(self) -> Note:
        """The line under the title: the date the page describes."""
        return Note(self.t("report_as_of", date=date_text(self.as_of, self.lang)))

    def section(self, key: str) -> Heading:
        """A section heading from the catalogue key ``key``."""
        return Heading(self.t(key), 2)

    def gap_styler(self, gaps: pd.DataFrame) -> Styler:
        """One row per unit and level of ``gaps`` (:func:`method.gaps.unit_gaps`): met/total,
        gap, deadline, paces, rating, projection, source (file and row)."""
        g = gaps
        frame = pd.DataFrame({
            self.t("col_unit"): [unit_label(r) for _, r in g.iterrows()],
            self.t("col_level"): [self.t("level_" + lv) for lv in g.level],
            self.t("col_met"): [f"{m}/{t}" for m, t in zip(g.criteria_met, g.criteria_total,
                                                           strict=True)],
            self.t("col_gap"): g.gap.astype(int),
            self.t("col_as_of"): [date_text(d, self.lang) for d in g.as_of],
            self.t("col_deadline"): [date_text(d, self.lang) for d in g.deadline],
            self.t("col_required"): [number_text(v) for v in g.required_pace],
            self.t("col_observed"): [number_text(v) for v in g.observed_pace],
            self.t("col_rating"): [self.t("rating_" + r) for r in g.rating],
            self.t("col_reached"): [date_text(d, self.lang) for d in g.reached_on],
            self.t("col_projection"): [date_text(d, self.lang) for d in g.projected_on],
            self.t("col_source"): [f"{s or ''} ({f}:{r})" for s, f, r in
                                   zip(g.source, g.raw_file, g.raw_row, strict=True)],
        })
        return styled(frame, g.rating.reset_index(drop=True), self.t("col_rating"))
