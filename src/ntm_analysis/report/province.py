"""The province overview: all districts side by side, the province's series against their
targets, a map of communes by status, the recognition timeline and data quality.

The notebook ``province_overview.ipynb`` only calls these methods (see :mod:`.district` for
what they return).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config, processed
from ..method.areas import area_series, rate_area
from ..method.ratings import ACHIEVED_LATE
from ..method.targets import area_targets, unit_targets
from ..reference.criteria import HUYEN_NTM, XA_NANG_CAO, XA_NTM
from ..reference.metrics import AREA_SERIES
from ..reference.units import LEGACY, Unit, registry
from .display import (
    Heading,
    Note,
    Table,
    chart,
    noted,
    number_text,
    rejected_table,
    styled,
)
from .district import DistrictReport, district_from_tables
from .page import Page

if TYPE_CHECKING:
    import matplotlib.pyplot as plt


@dataclass
class ProvinceOverview(Page):
    """The contents of the province overview."""

    province: Unit
    tables: dict[str, pd.DataFrame]

    def title(self) -> Heading:
        """The page title: the province's name."""
        return self.page_title(self.t("report_title_province", province=self.province.name))

    def recognition_tallies(self) -> pd.DataFrame:
        """Every tally of the province's units: the district plans' rows rest on them."""
        return self.tables["tallies"]

    def district_reports(self) -> list[DistrictReport]:
        """The report of every district, in registry order."""
        return district_reports(self.tables, self.as_of, self.lang, self.province.code)

    def districts_table(self) -> Table:
        """All districts side by side: criteria, date, rating, deadline, communes; each
        district's :meth:`DistrictReport.headline_record` goes with it, for the index."""
        rows, ratings, records = [], [], []
        for report in self.district_reports():
            f = report.headline_figures()
            records.append(report.headline_record(f))
            ratings.append(f["rating"])
            rows.append({
                self.t("col_district"): report.district.full_name,
                self.t("headline_district_criteria"): f["district_criteria"] or "—",
                self.t("col_as_of"): self.date(f["district_as_of"]),
                self.t("col_rating"): self.t("rating_" + f["rating"]) if f["rating"] else "—",
                self.t("col_deadline"): self.date(f["deadline"]),
                self.t("headline_communes_ntm"): (f["communes_ntm"] or ("—",))[0],
                self.t("headline_communes_nang_cao"): (f["communes_nang_cao"] or ("—",))[0],
            })
        return styled(pd.DataFrame(rows), pd.Series(ratings), self.t("col_rating"),
                      records=records)

    def rated_series(self) -> pd.DataFrame:
        """Every province series rated against each of its plan targets (rate_area)."""
        facts = self.tables["facts"]
        frames = [rate_area(facts, series.name, as_of=self.as_of) for series in AREA_SERIES]
        # a province without facts (tallies only) has no series: an empty table, not a crash
        return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)

    def district_plans(self) -> pd.DataFrame:
        """The gap rows of every district's own standard that has a deadline."""
        reports = self.district_reports()
        gaps = pd.concat([r.gaps[r.gaps.level == HUYEN_NTM] for r in reports if len(r.gaps)]
                         or [reports[0].gaps.iloc[:0]], ignore_index=True)
        return gaps[gaps.deadline.notna()].reset_index(drop=True)

    def headline_sentence(self) -> Note:
        """One sentence from the two tables below it: the share of communes at NTM, and how
        many districts with a plan reached the standard, how many late."""
        rated = self.rated_series()
        share = rated[(rated.series == "ntm_communes") & (rated.measure == "share")]
        plans = self.district_plans()
        done = plans[plans.gap == 0]
        return Note(self.t(
            "sentence_province", province=self.province.name,
            share=number_text(share.current.iloc[0] * 100, 1) if len(share) else "—",
            as_of=self.date(share.as_of.iloc[0]) if len(share) else "—",
            done=len(done), planned=len(plans),
            late=int((done.rating == ACHIEVED_LATE).sum())))

    def plan_table(self) -> Table | Note:
        """Plan against actual for the districts' own standards."""
        return self.plan_styler(self.district_plans())

    def series_ratings(self) -> Table:
        """Each province series (communes at NTM, nâng cao, districts) rated against each
        of its plan targets, with the date a target was reached."""
        rated = self.rated_series()
        scale = rated.measure.map({"share": 100.0, "count": 1.0})
        frame = pd.DataFrame({
            self.t("col_series"): [self.t(f"series_{s}_{m}") for s, m in
                                   zip(rated.series, rated.measure, strict=True)],
            self.t("col_current"): [number_text(v, 1) for v in rated.current * scale],
            self.t("col_as_of"): [self.date(d) for d in rated.as_of],
            self.t("col_target"): rated.target_text,
            self.t("col_deadline"): [self.date(d) for d in rated.deadline],
            self.t("col_required_area"): [number_text(v, 2) for v in rated.required_pace * scale],
            self.t("col_observed_area"): [number_text(v, 2) for v in
                                          rated.observed_pace.astype(float) * scale],
            self.t("col_rating"): [self.t("rating_" + r) for r in rated.rating],
            self.t("col_reached"): [self.date(d) for d in rated.reached_on],
        })
        # the plan's source as a numbered note under the table, not a column
        return noted(frame, self.t("col_source"), rated.target_source.fillna("").tolist(),
                     rated.rating, self.t("col_rating"))

    def series_charts(self) -> plt.Figure:
        """The province series over time with their targets, one panel each."""
        import matplotlib.pyplot as plt  # charts only: no matplotlib in the index

        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        facts = self.tables["facts"]
        fig, axes = plt.subplots(1, 3, figsize=(18, 4.2), layout="constrained")
        targets = area_targets(facts)
        for ax, series in zip(axes, AREA_SERIES, strict=True):
            plots.series_chart(data=area_series(facts, series.name), ax=ax,
                               measure=series.measure,
                               targets=targets[targets.series == series.name],
                               title=self.t(f"series_{series.name}_{series.measure}"),
                               as_of=self.as_of,
                               lang=self.lang)
        latest = []  # the latest figure of each panel, for the alternative text
        for series in AREA_SERIES:
            rows = area_series(facts, series.name)
            if len(rows):
                latest.append(self.t("alt_series_part", value=rows.value_text.iloc[-1],
                                     series=self.t(f"series_{series.name}_{series.measure}"),
                                     date=self.date(rows.as_of.iloc[-1])))
        return chart(fig, self.t("alt_series", province=self.province.name,
                                 parts="; ".join(latest) or "—"))

    def commune_status(self) -> pd.DataFrame:
        """Every commune-level unit with coordinates and its status from the tallies."""
        communes = registry(self.province.code).communes(province_code=self.province.code)
        tallies = self.tables["tallies"]
        done = tallies[(tallies.criteria_met == tallies.criteria_total)]
        nang_cao = set(done[done.level == XA_NANG_CAO].commune_code.dropna())
        ntm = set(done[done.level == XA_NTM].commune_code.dropna())
        status = [
            "not_rural" if t != "Xã" else "nang_cao" if c in nang_cao else
            "ntm" if c in ntm else "unknown"
            for c, t in zip(communes.code, communes.unit_type, strict=True)
        ]
        return communes.assign(status=status, source="vietnamadminunits (GSO)")

    def commune_map(self) -> plt.Figure:
        """The communes at their coordinates, coloured by status."""
        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        districts = registry(self.province.code).districts(self.province.code)
        status = self.commune_status()
        counts = status.status.value_counts()
        parts = "; ".join(f"{self.t('status_' + s)}: {counts[s]}" for s in plots.STATUS_COLORS
                          if counts.get(s, 0))
        return chart(plots.commune_map(data=status, districts=districts,
                                       as_of=self.as_of, lang=self.lang).figure,
                     self.t("alt_map", province=self.province.name, parts=parts))

    def quality_notes(self) -> Table | Note:
        """Rejected rows that no district report shows (their district is blank or unknown)."""
        rejected = self.tables["rejected"]
        return rejected_table(rejected[rejected.district_code.isna()], self.lang)

    def timeline(self) -> plt.Figure:
        """When units reached all their criteria (reported or implied by recognition)."""
        from . import (
            plots,  # charts only: no matplotlib in the index
        )

        tallies = self.tables["tallies"]
        done = tallies[(tallies.criteria_met == tallies.criteria_total)
                       & (tallies.as_of <= self.as_of)]
        alt = (self.t("alt_timeline", province=self.province.name, n=len(done),
                      first=self.date(done.as_of.min()), last=self.date(done.as_of.max()))
               if len(done) else self.t("alt_timeline_empty", province=self.province.name))
        return chart(plots.timeline_chart(data=done, as_of=self.as_of, lang=self.lang).figure,
                     alt)


def district_reports(tables: dict[str, pd.DataFrame], ref: pd.Timestamp, lang: str,
                     province_code: str) -> list[DistrictReport]:
    """The report of every district of the province, in registry order (for the overview
    and the index); the unit targets are worked out once for all of them."""
    targets = unit_targets(tables["facts"], as_of=ref)
    return [district_from_tables(code, ref, lang, tables, province_code, targets)
            for code in registry(province_code).districts(province_code).code]


def province_overview(as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                      processed_dir: Path | str | None = None,
                      province_code: str = config.DEFAULT_PROVINCE_CODE) -> ProvinceOverview:
    """Build the province overview from the processed tables."""
    tables = processed.load(processed_dir)
    province = registry(province_code).get("province", province_code)
    return ProvinceOverview(as_of=processed.reference_date(tables, as_of), lang=lang,
                            province=province,
                            tables=processed.scoped(tables, LEGACY, province_code))
