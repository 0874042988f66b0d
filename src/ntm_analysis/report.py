"""What the report notebooks show: a district report and a province overview.

The notebooks only call these objects; each method returns something Jupyter displays:
an escaped heading or note, a pandas Styler (``escape="html"``: names from the data can never
inject markup), or a matplotlib Axes/Figure. Every word comes from the message catalogue in
the report's language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from . import config
from .criteria import HUYEN_NTM, XA_KIEU_MAU, XA_NANG_CAO, XA_NTM
from .gaps import rate_area, unit_gaps, unit_targets
from .messages import msg
from .style import RATING_COLORS, date_text, unit_label
from .tables import load_processed
from .units import Unit, registry

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

MAX_TREND_CHARTS = 12
AREA_SERIES = (("ntm_communes", "share"), ("nang_cao_communes", "count"),
               ("ntm_districts", "count"))


# ---- displayable pieces -------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    """A heading whose text is escaped in HTML."""

    text: str
    level: int = 2

    def _repr_html_(self) -> str:
        return f"<h{self.level}>{html.escape(self.text)}</h{self.level}>"

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Note:
    """A paragraph whose text is escaped in HTML."""

    text: str

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"

    def __repr__(self) -> str:
        return self.text


def styled(frame: pd.DataFrame, ratings: pd.Series | None = None,
           rating_column: str | None = None) -> Styler:
    """A Styler with every cell and header escaped, no index, and rating colours."""
    styler = frame.style.format(escape="html", na_rep="—").format_index(escape="html", axis=1)
    styler = styler.hide(axis="index")
    if ratings is not None and rating_column is not None:
        colors = [f"background-color: {RATING_COLORS.get(r, '#FFFFFF')}" for r in ratings]
        styler = styler.apply(lambda _: colors, subset=[rating_column])
    return styler.set_table_attributes('class="ntm-table"')


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def _date(day: pd.Timestamp | None, lang: str) -> str:
    return date_text(day, lang)


def _tables(processed_dir: Path | str | None) -> dict[str, pd.DataFrame]:
    return load_processed(Path(processed_dir) if processed_dir else config.PROCESSED_DIR)


# ---- district report ----------------------------------------------------------------------
@dataclass
class Page:
    """What every report page has: its date, language, headings and catalogue words."""

    as_of: pd.Timestamp
    lang: str

    def t(self, key: str, **fields: object) -> str:
        return msg(key, lang=self.lang, **fields)

    def subtitle(self) -> Note:
        return Note(self.t("report_as_of", date=_date(self.as_of, self.lang)))

    def section(self, key: str) -> Heading:
        return Heading(self.t(key), 2)


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

    def title(self) -> Heading:
        return Heading(self.t("report_title_district", district=self.district.full_name), 1)

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
            "deadline": row.deadline if row is not None else self._deadline(),
            "communes_ntm": self._commune_count("ntm_communes", XA_NTM),
            "communes_nang_cao": self._commune_count("nang_cao_communes", XA_NANG_CAO),
            "communes_kieu_mau": self._commune_count("kieu_mau_communes", XA_KIEU_MAU),
        }

    def _deadline(self) -> pd.Timestamp | None:
        hit = self.targets[(self.targets.level == HUYEN_NTM)
                           & (self.targets.district_code == self.district.code)] \
            if len(self.targets) else self.targets
        return hit.deadline.iloc[0] if len(hit) else None

    def _commune_count(self, metric: str, level: str) -> tuple[str, pd.Timestamp] | None:
        rows = self.facts[(self.facts.metric == metric) & (self.facts.scope == "district")
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

    def headline(self) -> Styler:
        f = self.headline_figures()
        deadline = f["deadline"]
        plan = (self.t("plan_deadline", date=_date(deadline, self.lang))
                if deadline is not None and pd.notna(deadline) else "—")

        def status(value: tuple[str, pd.Timestamp] | None) -> tuple[str, str]:
            if value is None:
                return self.t("unknown"), "—"
            return value[0], _date(value[1], self.lang)

        rows = [
            (self.t("headline_district_criteria"), f["district_criteria"] or self.t("unknown"),
             _date(f["district_as_of"], self.lang), plan),
            (self.t("headline_communes_ntm"), *status(f["communes_ntm"]), "—"),
            (self.t("headline_communes_nang_cao"), *status(f["communes_nang_cao"]), "—"),
            (self.t("headline_communes_kieu_mau"), *status(f["communes_kieu_mau"]), "—"),
        ]
        frame = pd.DataFrame(rows, columns=[self.t("headline_item"), self.t("headline_value"),
                                            self.t("headline_as_of"), self.t("headline_plan")])
        return styled(frame)

    # gap table and charts
    def no_data(self) -> Note | None:
        return None if len(self.gaps) else Note(self.t("no_tallies",
                                                        district=self.district.full_name))

    def gap_table(self) -> Styler | Note:
        if not len(self.gaps):
            return self.no_data()
        g = self.gaps
        frame = pd.DataFrame({
            self.t("col_unit"): [unit_label(r) for _, r in g.iterrows()],
            self.t("col_level"): [self.t("level_" + lv) for lv in g.level],
            self.t("col_met"): [f"{m}/{t}" for m, t in zip(g.criteria_met, g.criteria_total,
                                                           strict=True)],
            self.t("col_gap"): g.gap.astype(int),
            self.t("col_as_of"): [_date(d, self.lang) for d in g.as_of],
            self.t("col_deadline"): [_date(d, self.lang) for d in g.deadline],
            self.t("col_required"): [_num(v) for v in g.required_pace],
            self.t("col_observed"): [_num(v) for v in g.observed_pace],
            self.t("col_rating"): [self.t("rating_" + r) for r in g.rating],
            self.t("col_projection"): [_date(d, self.lang) for d in g.projected_on],
            self.t("col_source"): [f"{s or ''} ({f}:{r})" for s, f, r in
                                   zip(g.source, g.raw_file, g.raw_row, strict=True)],
        })
        return styled(frame, g.rating.reset_index(drop=True), self.t("col_rating"))

    def gap_chart(self) -> plt.Axes | Note:
        if not len(self.gaps):
            return self.no_data()
        from . import plots

        return plots.gap_chart(data=self.gaps, title_unit=self.district.full_name,
                               as_of=self.as_of, lang=self.lang)

    def trend_units(self) -> pd.DataFrame:
        """Units worth a trend chart: a gap left, or more than one observation."""
        counts = self.tallies.groupby(["level", "commune_code"], dropna=False).as_of.nunique()
        keep = []
        for _, row in self.gaps.iterrows():
            n = counts.get((row.level, row.commune_code), 0)
            if row.gap > 0 or n > 1:
                keep.append(row)
        return pd.DataFrame(keep).head(MAX_TREND_CHARTS)

    def trend_charts(self) -> plt.Figure | Note:
        units = self.trend_units()
        if units.empty:
            return self.no_data() or Note(self.t("no_tallies", district=self.district.full_name))
        import matplotlib.pyplot as plt

        from . import plots

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
        return fig

    # criteria most often unmet
    def unmet_criteria(self) -> Styler | Note:
        status = self.criteria_status
        if len(status):
            latest = status.sort_values("as_of").drop_duplicates(
                ["commune_code", "criterion_number"], keep="last")
            unmet = latest[~latest.met].groupby("criterion_name").size() \
                .sort_values(ascending=False)
            frame = pd.DataFrame({self.t("col_criterion"): unmet.index,
                                  self.t("col_count"): unmet.to_numpy()})
            return styled(frame)
        rows = self.facts[self.facts.metric.str.startswith("common_unmet_criterion")]
        if rows.empty:
            return Note(self.t("no_unmet"))
        latest = rows[rows.as_of == rows.as_of.max()]
        return Note(self.t("unmet_from_facts", date=_date(latest.as_of.iloc[0], self.lang),
                           items=", ".join(latest.value_text)) + " " + self.t("unmet_note"))

    def criteria_heatmap(self) -> plt.Axes | Note:
        if self.criteria_status.empty:
            return Note(self.t("no_unmet"))
        from . import plots

        return plots.criteria_heatmap(data=self.criteria_status, as_of=self.as_of,
                                      lang=self.lang)

    # data quality
    def quality_notes(self) -> Styler | Note:
        return rejected_table(self.rejected, self.lang)


def rejected_table(rows: pd.DataFrame, lang: str) -> Styler | Note:
    """Rejected rows with file, row, column, value, reason and suggestion (escaped)."""
    if rows.empty:
        return Note(msg("no_quality_notes", lang=lang))
    frame = pd.DataFrame({
        msg("col_file", lang=lang): rows.raw_file,
        msg("col_row", lang=lang): rows.raw_row.astype("string").fillna("—"),
        msg("col_column", lang=lang): rows.column.fillna("—"),
        msg("col_value", lang=lang): rows.value.fillna(""),
        msg("col_reason", lang=lang): rows["reason_en" if lang == "en" else "reason"],
        msg("col_suggestion", lang=lang): rows.suggestion.fillna(""),
    })
    return styled(frame)


def district_report(district: str, as_of: str | pd.Timestamp | None = None,
                    lang: str = "vi", processed_dir: Path | str | None = None,
                    province_code: str = config.DEFAULT_PROVINCE_CODE) -> DistrictReport:
    """Build the report of one district (name or GSO code) from the processed tables."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    unit = registry(province_code).resolve_district(str(district), province_code)
    tables = _tables(processed_dir)
    return _district_from_tables(unit.code, _reference_date(tables, as_of), lang, tables,
                                 province_code)


def _reference_date(tables: dict[str, pd.DataFrame],
                    as_of: str | pd.Timestamp | None) -> pd.Timestamp:
    if as_of:
        return pd.Timestamp(as_of)
    return max(tables["tallies"].as_of.max(), tables["facts"].as_of.max())


# ---- province overview --------------------------------------------------------------------
@dataclass
class ProvinceOverview(Page):
    """The contents of the province overview."""

    province: Unit
    tables: dict[str, pd.DataFrame]

    def title(self) -> Heading:
        return Heading(self.t("report_title_province", province=self.province.name), 1)

    def district_reports(self) -> list[DistrictReport]:
        return district_reports(self.tables, self.as_of, self.lang, self.province.code)

    def districts_table(self) -> Styler:
        rows, ratings = [], []
        for report in self.district_reports():
            f = report.headline_figures()
            ratings.append(f["rating"])
            rows.append({
                self.t("col_district"): report.district.full_name,
                self.t("headline_district_criteria"): f["district_criteria"] or "—",
                self.t("col_as_of"): _date(f["district_as_of"], self.lang),
                self.t("col_rating"): self.t("rating_" + f["rating"]) if f["rating"] else "—",
                self.t("col_deadline"): _date(f["deadline"], self.lang),
                self.t("headline_communes_ntm"): (f["communes_ntm"] or ("—",))[0],
                self.t("headline_communes_nang_cao"): (f["communes_nang_cao"] or ("—",))[0],
            })
        return styled(pd.DataFrame(rows), pd.Series(ratings), self.t("col_rating"))

    def series_ratings(self) -> Styler:
        facts = self.tables["facts"]
        frames = [rate_area(facts, series, as_of=self.as_of) for series, _ in AREA_SERIES]
        rated = pd.concat([f for f in frames if len(f)], ignore_index=True)
        scale = rated.measure.map({"share": 100.0, "count": 1.0})
        frame = pd.DataFrame({
            self.t("col_series"): [self.t(f"series_{s}_{m}") for s, m in
                                   zip(rated.series, rated.measure, strict=True)],
            self.t("col_current"): [_num(v, 1) for v in rated.current * scale],
            self.t("col_as_of"): [_date(d, self.lang) for d in rated.as_of],
            self.t("col_target"): rated.target_text,
            self.t("col_deadline"): [_date(d, self.lang) for d in rated.deadline],
            self.t("col_required_area"): [_num(v, 2) for v in rated.required_pace * scale],
            self.t("col_observed_area"): [_num(v, 2) for v in
                                          rated.observed_pace.astype(float) * scale],
            self.t("col_rating"): [self.t("rating_" + r) for r in rated.rating],
            self.t("col_source"): rated.target_source.fillna(""),
        })
        return styled(frame, rated.rating, self.t("col_rating"))

    def series_charts(self) -> plt.Figure:
        import matplotlib.pyplot as plt

        from . import plots
        from .gaps import area_targets
        from .trends import area_series

        facts = self.tables["facts"]
        fig, axes = plt.subplots(1, 3, figsize=(18, 4.2), layout="constrained")
        targets = area_targets(facts)
        for ax, (series, measure) in zip(axes, AREA_SERIES, strict=True):
            plots.series_chart(data=area_series(facts, series), ax=ax, measure=measure,
                               targets=targets[targets.series == series],
                               title=self.t(f"series_{series}_{measure}"), as_of=self.as_of,
                               lang=self.lang)
        return fig

    def commune_status(self) -> pd.DataFrame:
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

    def commune_map(self) -> plt.Axes:
        from . import plots

        districts = registry(self.province.code).districts(self.province.code)
        return plots.commune_map(data=self.commune_status(), districts=districts,
                                 as_of=self.as_of, lang=self.lang)

    def quality_notes(self) -> Styler | Note:
        """Rejected rows that no district report shows (their district is blank or unknown)."""
        rejected = self.tables["rejected"]
        return rejected_table(rejected[rejected.district_code.isna()], self.lang)

    def timeline(self) -> plt.Axes:
        from . import plots

        tallies = self.tables["tallies"]
        done = tallies[(tallies.criteria_met == tallies.criteria_total)
                       & (tallies.as_of <= self.as_of)]
        return plots.timeline_chart(data=done, as_of=self.as_of, lang=self.lang)


def _district_from_tables(code: str, ref: pd.Timestamp, lang: str,
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


def district_reports(tables: dict[str, pd.DataFrame], ref: pd.Timestamp, lang: str,
                     province_code: str) -> list[DistrictReport]:
    """The report of every district of the province, in registry order (for the overview
    and the index); the unit targets are worked out once for all of them."""
    targets = unit_targets(tables["facts"], as_of=ref)
    return [_district_from_tables(code, ref, lang, tables, province_code, targets)
            for code in registry(province_code).districts(province_code).code]


def province_overview(as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                      processed_dir: Path | str | None = None,
                      province_code: str = config.DEFAULT_PROVINCE_CODE) -> ProvinceOverview:
    """Build the province overview from the processed tables."""
    tables = _tables(processed_dir)
    province = registry(province_code).get("province", province_code)
    return ProvinceOverview(as_of=_reference_date(tables, as_of), lang=lang, province=province,
                            tables=tables)
