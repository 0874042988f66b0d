"""The district report: headline, gap table and chart, trends, unmet criteria, data quality.

The notebook ``district_report.ipynb`` only calls these methods; each returns something
Jupyter displays (an escaped heading or note, an escaped Styler, or a matplotlib Axes or
Figure) with every word from the message catalogue in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config, processed
from ..messages import check_language
from ..method.gaps import unit_gaps
from ..method.targets import unit_targets
from ..reference.criteria import HUYEN_NTM, XA_KIEU_MAU, XA_NANG_CAO, XA_NTM
from ..reference.eras import crosswalk, short_province
from ..reference.metrics import COMMUNE_COUNT_METRIC, is_text
from ..reference.units import LEGACY, Unit, registry
from .display import Heading, Note, Table, chart, json_value, rejected_table, styled
from .page import Page, source_notes

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

MAX_TREND_CHARTS = 12


@dataclass
class DistrictReport(Page):
    """The contents of one district's report."""

    district: Unit
    tallies: pd.DataFrame  # this district's tallies up to as_of
    facts: pd.DataFrame  # all facts up to as_of
    gaps: pd.DataFrame  # unit_gaps of this district
    rejected: pd.DataFrame  # rejected rows that name this district
    criteria_status: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)

    def recognition_tallies(self) -> pd.DataFrame:
        """The district's own tallies and its communes': its gap rows rest on them."""
        return self.tallies

    def title(self) -> Heading:
        """The page title: the district's full name."""
        return self.page_title(self.t("report_title_district", district=self.district.full_name))

    # headline
    def headline_figures(self) -> dict[str, object]:
        """The district's headline: district criteria, rating, communes at each level."""
        district_row = self.gaps[self.gaps.level == HUYEN_NTM]
        row = district_row.iloc[0] if len(district_row) else None
        return {
            "district_criteria": (f"{row.criteria_met}/{row.criteria_total}"
                                  if row is not None else None),
            "district_as_of": row.as_of if row is not None else None,
            "rating": row.rating if row is not None else None,
            "gap": int(row.gap) if row is not None else None,
            "source": source_notes(district_row)[0] if row is not None else None,
            "reached_on": row.reached_on if row is not None else None,
            # the day every criterion was met (a report) and the day of recognition
            "criteria_met_on": row.criteria_met_on if row is not None else None,
            "recognized_on": row.recognized_on if row is not None else None,
            "reached_text": (self.reached_phrase(row, in_table=True)
                             if row is not None and pd.notna(row.reached_on) else None),
            "deadline": row.deadline if row is not None else self._deadline(),
            "communes_ntm": self._commune_count(XA_NTM),
            "communes_nang_cao": self._commune_count(XA_NANG_CAO),
            "communes_kieu_mau": self._commune_count(XA_KIEU_MAU),
        }

    def headline_record(self, figures: dict[str, object] | None = None) -> dict[str, object]:
        """The district's code and names and its :meth:`headline_figures` (``figures`` when
        already worked out) as JSON: dates as text, pairs as lists. What the index lists for
        the district; the overview's districts table carries it (``Table.records``), so that
        the index shows the overview's figures instead of working them out again."""
        figures = self.headline_figures() if figures is None else figures
        return {"code": self.district.code, "name": self.district.name,
                "full_name": self.district.full_name,
                **{key: json_value(value) for key, value in figures.items()}}

    def _deadline(self) -> pd.Timestamp | None:
        hit = self.targets[(self.targets.level == HUYEN_NTM)
                           & (self.targets.district_code == self.district.code)] \
            if len(self.targets) else self.targets
        return hit.deadline.iloc[0] if len(hit) else None

    def _commune_count(self, level: str) -> tuple[str, pd.Timestamp] | None:
        """Communes at ``level``: the latest district count stated in the facts, else the
        communes whose tallies show every criterion met."""
        rows = self.facts[(self.facts.metric == COMMUNE_COUNT_METRIC[level])
                          & (self.facts.scope == "district")
                          & (self.facts.district_code == self.district.code)]
        if len(rows):
            latest = rows.sort_values("as_of").iloc[-1]
            return str(latest.value_text), latest.as_of
        done = self.gaps[(self.gaps.level == level) & (self.gaps.gap == 0)]
        if len(done):
            rural = registry(self.district.parent_code).communes(self.district.code)
            n_rural = int((rural.unit_type == "Xã").sum())
            return f"{len(done)}/{n_rural}", done.as_of.max()
        return None

    def coverage(self) -> Note:
        """What the page rests on: the district's and its communes' tallies and facts."""
        facts = self.facts[self.facts.district_code == self.district.code]
        return self.coverage_note(self.tallies, facts)

    def headline_sentence(self) -> Note:
        """One sentence on the district's own standard, from the gap table's row."""
        rows = self.gaps[self.gaps.level == HUYEN_NTM] if len(self.gaps) else self.gaps
        return self.sentence(self.district.full_name, HUYEN_NTM,
                             rows.iloc[0] if len(rows) else None)

    def headline(self) -> Table:
        """The headline table: district criteria against the plan, communes at each level."""
        f = self.headline_figures()
        deadline = f["deadline"]
        plan = (self.t("plan_deadline", date=self.date(deadline))
                if deadline is not None and pd.notna(deadline) else "—")

        def status(value: tuple[str, pd.Timestamp] | None) -> tuple[str, str]:
            if value is None:
                return self.t("unknown"), "—"
            return value[0], self.date(value[1])

        rows = [
            (self.t("headline_district_criteria"), f["district_criteria"] or self.t("unknown"),
             self.date(f["district_as_of"]), plan),
            (self.t("headline_communes_ntm"), *status(f["communes_ntm"]), "—"),
            (self.t("headline_communes_nang_cao"), *status(f["communes_nang_cao"]), "—"),
            (self.t("headline_communes_kieu_mau"), *status(f["communes_kieu_mau"]), "—"),
        ]
        frame = pd.DataFrame(rows, columns=[self.t("headline_item"), self.t("headline_value"),
                                            self.t("headline_as_of"), self.t("headline_plan")])
        return styled(frame)

    # gap table and charts
    def no_data(self) -> Note | None:
        """A note when the district has no tally at all, else None."""
        return None if len(self.gaps) else Note(self.t("no_tallies",
                                                        district=self.district.full_name))

    def gap_table(self) -> Table | Note:
        """One row per unit and level: met/total, gap, deadline, paces, rating, projection,
        source (file and row)."""
        if not len(self.gaps):
            return self.no_data()
        return self.gap_styler(self.gaps)

    def plan_table(self) -> Table | Note:
        """Plan against actual for every unit of the district with a deadline."""
        return self.plan_styler(self.gaps)

    def gap_chart(self) -> plt.Figure | Note:
        """The gap of every unit as a bar chart coloured by rating."""
        if not len(self.gaps):
            return self.no_data()
        if (self.gaps.gap == 0).all():  # an empty grid says nothing
            return Note(self.t("no_gap_left", district=self.district.full_name))
        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        return chart(plots.gap_chart(data=self.gaps, title_unit=self.district.full_name,
                                     as_of=self.as_of, lang=self.lang).figure,
                     self.t("alt_gap", district=self.district.full_name, n=len(self.gaps)))

    def trend_units(self) -> pd.DataFrame:
        """Units worth a trend chart: a gap left, or a series that moved (more than one
        value); a unit at total/total on every date (a recognition and the statuses it
        implies, repeated) draws a flat line that says nothing the gap table does not."""
        # the district's own rows have no commune: keyed "" (a NaN key is found by nothing)
        values = self.tallies.assign(unit=self.tallies.commune_code.astype(object).fillna("")) \
            .groupby(["level", "unit"]).criteria_met.nunique()
        keep = []
        for _, row in self.gaps.iterrows():
            unit = row.commune_code if isinstance(row.commune_code, str) else ""
            moved = values.get((row.level, unit), 0) > 1
            if row.gap > 0 or moved:
                keep.append(row)
        return pd.DataFrame(keep).head(MAX_TREND_CHARTS)

    def trend_charts(self) -> plt.Figure | Note:
        """Met criteria over time of up to MAX_TREND_CHARTS units, with deadline and
        projection."""
        units = self.trend_units()
        if units.empty:
            return self.no_data() or Note(self.t("no_trends", district=self.district.full_name))
        import matplotlib.pyplot as plt  # charts only: no matplotlib in the index

        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        ncols = 2 if len(units) > 1 else 1
        nrows = -(-len(units) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, 3.6 * nrows),
                                 squeeze=False, layout="constrained")
        for ax, (_, unit) in zip(axes.flat, units.iterrows(), strict=False):
            rows = self.tallies[(self.tallies.level == unit.level)
                                & (self.tallies.commune_code.fillna("")
                                   == (unit.commune_code if isinstance(unit.commune_code, str)
                                       else ""))]
            plots.trend_chart(data=rows, ax=ax, deadline=unit.deadline,
                              projected_on=unit.projected_on, as_of=self.as_of, lang=self.lang)
        for ax in list(axes.flat)[len(units):]:
            ax.remove()
        return chart(fig, self.t("alt_trends", n=len(units),
                                 district=self.district.full_name))

    # criteria most often unmet
    def unmet_criteria(self) -> Table | Note:
        """The criteria most often unmet: from criterion sheets when there are any, else the
        statement of the facts."""
        status = self.criteria_status
        if len(status):
            latest = status.sort_values("as_of").drop_duplicates(
                ["commune_code", "criterion_number"], keep="last")
            unmet = latest[~latest.met].groupby("criterion_name").size() \
                .sort_values(ascending=False)
            frame = pd.DataFrame({self.t("col_criterion"): unmet.index,
                                  self.t("col_count"): unmet.to_numpy()})
            return styled(frame)
        rows = self.facts[self.facts.metric.map(is_text)]
        if rows.empty:
            return Note(self.t("no_unmet"))
        latest = rows[rows.as_of == rows.as_of.max()]
        said_on = latest.as_of.iloc[0]
        sources = ", ".join(dict.fromkeys(latest.source.dropna()))
        text = self.t("unmet_from_facts", date=self.date(said_on),
                      items=", ".join(latest.value_text)) + " " + self.t("unmet_note")
        if sources:
            text += " " + self.t("statement_source", source=sources)
        if self.superseded_after(said_on):
            text += " " + self.t("statement_superseded", date=self.date(said_on))
        return Note(text)

    def superseded_after(self, day: pd.Timestamp) -> bool:
        """True when every unit of the district with a tally had all its criteria in a tally
        later than ``day``: a statement of criteria unmet on ``day`` no longer describes
        them."""
        later = self.gaps[self.gaps.as_of > day] if len(self.gaps) else self.gaps
        return bool(len(self.gaps)) and len(later) == len(self.gaps) and (later.gap == 0).all()

    def criteria_heatmap(self) -> plt.Figure | Note:
        """Met or not per commune and criterion, from the criterion sheets."""
        if self.criteria_status.empty:
            return Note(self.t("no_unmet"))
        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        return chart(plots.criteria_heatmap(data=self.criteria_status, as_of=self.as_of,
                                            lang=self.lang).figure,
                     self.t("alt_heatmap", district=self.district.full_name))

    # after 01/07/2025
    def successors(self) -> Table:
        """What became of the district's communes on 01/07/2025: each one's successor
        (the unit of the 2025 era that took it over), with a link-free name and code."""
        walk = crosswalk(self.district.parent_code)
        walk = walk[walk.old_district_code == self.district.code]
        frame = pd.DataFrame({
            self.t("col_unit"): walk.old_name, self.t("col_code"): walk.old_code,
            self.t("col_successor"): [f"{n} ({short_province(p)})" for n, p in
                                      zip(walk.new_name, walk.new_province_name,
                                          strict=True)],
            self.t("col_successor_code"): walk.new_code,
        })
        return styled(frame)

    # data quality
    def quality_notes(self) -> Table | Note:
        """The rejected rows that name this district, with their reasons."""
        return rejected_table(self.rejected, self.lang)


def district_report(district: str, as_of: str | pd.Timestamp | None = None,
                    lang: str = "vi", processed_dir: Path | str | None = None,
                    province_code: str = config.DEFAULT_PROVINCE_CODE) -> DistrictReport:
    """Build the report of one district (name or GSO code) from the processed tables."""
    check_language(lang)
    unit = registry(province_code).resolve_district(str(district), province_code)
    tables = processed.load(processed_dir)
    return district_from_tables(unit.code, processed.reference_date(tables, as_of), lang,
                                processed.scoped(tables, LEGACY, province_code), province_code)


def district_from_tables(code: str, ref: pd.Timestamp, lang: str,
                          tables: dict[str, pd.DataFrame], province_code: str,
                          targets: pd.DataFrame | None = None) -> DistrictReport:
    """Build one district's report from tables already loaded (and targets, when known)."""
    unit = registry(province_code).resolve_district(code, province_code)
    tallies, facts = tables["tallies"], tables["facts"]
    targets = unit_targets(facts, as_of=ref) if targets is None else targets
    mine = tallies[(tallies.district_code == unit.code) & (tallies.as_of <= ref)]
    gaps = unit_gaps(mine, as_of=ref, targets=targets) if len(mine) else unit_gaps(mine)
    status = tables["criteria_status"]
    return DistrictReport(
        district=unit, as_of=ref, lang=lang, tallies=mine, facts=facts[facts.as_of <= ref],
        gaps=gaps, rejected=tables["rejected"][tables["rejected"].district_code == unit.code],
        criteria_status=status[(status.district_code == unit.code) & (status.as_of <= ref)],
        targets=targets)
