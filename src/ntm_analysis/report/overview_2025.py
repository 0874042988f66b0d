"""The overview of a province from 01/07/2025: its own figures, its units by type, and every
commune-level unit with its 2026-2030 tally and its predecessors' standing.

The province's own count ("69/85 xã at NTM") is reconciled with the units: how many of
those xã the data names (their own figures, or a recognition), how many it cannot; units
are shown by status (met on their own figure, implied, not met, unknown, not assessed:
phường and đặc khu are outside the xã criteria), those with data first. A new xã whose
every predecessor was at NTM is shown as such, and never counted as at NTM itself.

The legacy overview (:mod:`.province`) and this one never share a table: GSO codes were
reused after the merger. The notebook ``province_overview_2025.ipynb`` only calls these
methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config, processed
from ..method.indicators import holding_back, indicator_gaps
from ..reference.criteria import XA_NTM
from ..reference.eras import province_pair
from ..reference.metrics import COMMUNE_COUNT_METRIC
from ..reference.units import ERA_2025, Unit, registry
from .commune import LAST_LEGACY_DAY, UNIT_STATUSES, commune_statuses, reached_text
from .display import Heading, Note, Table, chart, noted, styled
from .page import Page, source_notes

if TYPE_CHECKING:
    import matplotlib.pyplot as plt


@dataclass
class ProvinceOverview2025(Page):
    """The contents of a 2025-era province overview."""

    province: Unit  # era 2025
    facts: pd.DataFrame  # the province's 2025-era facts up to as_of
    statuses: pd.DataFrame  # commune_statuses of the province
    #: the 2026-2030 indicator values of its communes up to as_of, and the thresholds
    indicator_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: pd.DataFrame = field(default_factory=pd.DataFrame)

    def title(self) -> Heading:
        """The page title: the province and the date its units start."""
        return self.page_title(self.t("report_title_province_2025", province=self.province.name))

    def province_figures(self) -> Table | Note:
        """The latest count the province stated for each commune level, with its date and
        source (e.g. 69/85 xã NTM, 11/2025)."""
        rows = self.facts[(self.facts.scope == "province")
                          & self.facts.metric.isin(COMMUNE_COUNT_METRIC.values())]
        if rows.empty:
            return Note(self.t("no_province_figures"))
        order = list(COMMUNE_COUNT_METRIC.values())
        latest = rows.sort_values("as_of").drop_duplicates("metric", keep="last") \
            .sort_values("metric", key=lambda m: m.map(order.index))
        level_of = {metric: level for level, metric in COMMUNE_COUNT_METRIC.items()}
        frame = pd.DataFrame({
            self.t("headline_item"): [self.t("level_" + level_of[m]) for m in latest.metric],
            self.t("headline_value"): latest.value_text,
            self.t("headline_as_of"): [self.date(d) for d in latest.as_of],
        })
        return noted(frame, self.t("col_source"), source_notes(latest))

    def headline_sentence(self) -> Note:
        """One sentence from the tables below it: the province's latest count of NTM
        communes, and how many of its units have a tally on the 2026-2030 set."""
        ntm = self.facts[(self.facts.scope == "province")
                         & (self.facts.metric == COMMUNE_COUNT_METRIC[XA_NTM])]
        latest = ntm.sort_values("as_of").iloc[-1] if len(ntm) else None
        return Note(self.t(
            "sentence_province_2025", province=self.province.name,
            ntm=latest.value_text if latest is not None else self.t("unknown"),
            as_of=self.date(latest.as_of if latest is not None else None),
            tallied=int(self.statuses.criteria_met.notna().sum()),
            units=len(self.statuses)))

    def unit_counts(self) -> Note:
        """How many units of each type the province has (from the package's data)."""
        counts = self.statuses.unit_type.value_counts()
        parts = ", ".join(f"{n} {unit_type.lower()}" for unit_type, n in counts.items())
        return Note(self.t("unit_counts", province=self.province.name, counts=parts))

    def status_counts(self) -> pd.DataFrame:
        """How many units have each status, in :data:`UNIT_STATUSES` order."""
        counts = self.statuses.status.value_counts()
        return pd.DataFrame({"status": list(UNIT_STATUSES),
                             "count": [int(counts.get(k, 0)) for k in UNIT_STATUSES]})

    def _status_parts(self) -> str:
        return "; ".join(f"{self.t('unit_status_' + r.status)}: {r.count}"
                         for r in self.status_counts().itertuples() if r.count)

    def reconciliation(self) -> Table | Note:
        """The province's latest count of xã at NTM beside what the data knows of its units:
        how many of those xã it names (and which), how many it cannot name, and how many xã
        had every predecessor at NTM by 30/06/2025 (shown, not counted)."""
        ntm = self.facts[(self.facts.scope == "province")
                         & (self.facts.metric == COMMUNE_COUNT_METRIC[XA_NTM])]
        if ntm.empty:
            return Note(self.t("no_province_figures"))
        latest = ntm.sort_values("as_of").iloc[[-1]]
        s = self.statuses
        named = s[s.status.isin(["met_own", "met_implied"])]
        candidates = s[(s.unit_type == "Xã") & (s.predecessors > 0)
                       & (s.reached_ntm == s.predecessors)]
        reported = latest.value.iloc[0]
        rows = [
            (self.t("reconcile_reported"), latest.value_text.iloc[0],
             self.date(latest.as_of.iloc[0]), "—"),
            (self.t("reconcile_named"), str(len(named)), self.date(self.as_of),
             ", ".join(named.name) or "—"),
            (self.t("reconcile_unnamed"),
             str(max(int(reported) - len(named), 0)) if pd.notna(reported) else "—",
             self.date(self.as_of), "—"),
            (self.t("reconcile_candidates"), str(len(candidates)),
             self.date(LAST_LEGACY_DAY), ", ".join(candidates.name) or "—"),
        ]
        frame = pd.DataFrame(rows, columns=[self.t("headline_item"), self.t("headline_value"),
                                            self.t("headline_as_of"), self.t("col_names")])
        notes = [*source_notes(latest), "", "", ""]
        return noted(frame, self.t("col_source"), notes)

    def status_chart(self) -> plt.Figure:
        """The units in one bar by status (instead of a wall of rows)."""
        from . import plots  # charts only: no matplotlib in the index

        province_counts = self.facts[self.facts.scope == "province"]
        ax = plots.status_bar(data=self.status_counts(), as_of=self.as_of, lang=self.lang,
                              sources=province_counts.source)
        return chart(ax.figure, self.t("alt_unit_status", parts=self._status_parts()))

    def status_map(self) -> plt.Figure:
        """The units at their coordinates (the package's data), coloured by status."""
        from . import plots  # charts only: no matplotlib in the index

        ax = plots.commune_map(data=self.statuses, as_of=self.as_of, lang=self.lang,
                               palette=plots.UNIT_STATUS_COLORS, label_prefix="unit_status_")
        return chart(ax.figure, self.t("alt_map_2025", province=self.province.name,
                                       parts=self._status_parts()))

    def communes_table(self) -> Table:
        """Every commune-level unit: its NTM status, the latest 2026-2030 tally, and how many
        of its predecessors had reached NTM by 30/06/2025 (a count, never a sum of
        tallies); units with data first (their own, then their predecessors'), then by code."""
        order = {status: i for i, status in enumerate(UNIT_STATUSES)}
        s = self.statuses.assign(_order=self.statuses.status.map(order),
                                 _known=-self.statuses.with_data) \
            .sort_values(["_order", "_known", "code"], kind="stable")
        frame = pd.DataFrame({
            self.t("col_unit"): s.full_name,
            self.t("col_unit_status"): [self.t("unit_status_" + v) for v in s.status],
            self.t("headline_new_set"): [
                f"{int(m)}/{int(t)}" if pd.notna(m) else self.t("no_new_set_tally")
                for m, t in zip(s.criteria_met, s.criteria_total, strict=True)],
            self.t("col_as_of"): [self.date(d) for d in s.as_of],
            self.t("col_predecessors_ntm", date=self.date(LAST_LEGACY_DAY)): [
                reached_text(r, p, d, self.lang)
                for r, p, d in zip(s.reached_ntm, s.predecessors, s.with_data, strict=True)],
        })
        return styled(frame)


    def indicators_holding_back(self) -> Table | Note:
        """Which 2026–2030 indicators hold most of the province's communes back: how many
        communes reported each, how many do not meet it, and their median gap in its unit."""
        if self.indicator_values.empty or self.thresholds.empty:
            return Note(self.t("no_province_indicators", province=self.province.name))
        summary = holding_back(indicator_gaps(self.indicator_values, self.thresholds,
                                              as_of=self.as_of))
        if summary.empty:
            return Note(self.t("no_province_indicators", province=self.province.name))
        return styled(pd.DataFrame({
            self.t("col_indicator"): summary.indicator,
            self.t("col_indicator_name"): summary.name.fillna("—"),
            self.t("col_communes_reported"): summary.communes,
            self.t("col_communes_not_met"): summary.not_met,
            # no median where every commune meets it
            self.t("col_median_gap"): ["—" if pd.isna(g) else self.gap_text(g, u) for g, u in
                                       zip(summary.median_gap, summary.unit, strict=True)],
        }))


def province_overview_2025(province: str | None = None,
                           as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                           processed_dir: Path | str | None = None) -> ProvinceOverview2025:
    """Build the overview of a 2025-era province (default: the successor of the default
    province) from the processed tables."""
    code = province_pair(province, config.DEFAULT_PROVINCE_CODE)[1]
    tables = processed.load(processed_dir)
    ref = processed.reference_date(tables, as_of)
    facts = processed.scoped(tables, ERA_2025, code)["facts"]
    values = tables["indicator_values"]
    values = values[(values.admin_era == ERA_2025) & (values.province_code == code)]
    return ProvinceOverview2025(
        as_of=ref, lang=lang, province=registry(code, ERA_2025).get("province", code),
        facts=facts[facts.as_of <= ref], statuses=commune_statuses(tables, ref, code),
        indicator_values=values, thresholds=tables["indicator_thresholds"])
