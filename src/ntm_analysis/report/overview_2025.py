"""The overview of a province from 01/07/2025: its own figures, its units by type, and every
commune-level unit with its 2026-2030 tally and its predecessors' standing.

The legacy overview (:mod:`.province`) and this one never share a table: GSO codes were
reused after the merger. The notebook ``province_overview_2025.ipynb`` only calls these
methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config, processed
from ..reference.criteria import XA_NTM
from ..reference.eras import province_pair
from ..reference.metrics import COMMUNE_COUNT_METRIC
from ..reference.units import ERA_2025, Unit, registry
from .commune import LAST_LEGACY_DAY, commune_statuses, reached_text
from .display import Heading, Note, Table, noted, styled
from .page import Page, source_notes
from .style import date_text


@dataclass
class ProvinceOverview2025(Page):
    """The contents of a 2025-era province overview."""

    province: Unit  # era 2025
    facts: pd.DataFrame  # the province's 2025-era facts up to as_of
    statuses: pd.DataFrame  # commune_statuses of the province

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
            self.t("headline_as_of"): [date_text(d, self.lang) for d in latest.as_of],
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
            as_of=date_text(latest.as_of if latest is not None else None, self.lang),
            tallied=int(self.statuses.criteria_met.notna().sum()),
            units=len(self.statuses)))

    def unit_counts(self) -> Note:
        """How many units of each type the province has (from the package's data)."""
        counts = self.statuses.unit_type.value_counts()
        parts = ", ".join(f"{n} {unit_type.lower()}" for unit_type, n in counts.items())
        return Note(self.t("unit_counts", province=self.province.name, counts=parts))

    def communes_table(self) -> Table:
        """Every commune-level unit: type, the latest 2026-2030 tally, and how many of its
        predecessors had reached NTM by 30/06/2025 (a count, never a sum of tallies)."""
        s = self.statuses
        frame = pd.DataFrame({
            self.t("col_unit"): s.full_name,
            self.t("headline_new_set"): [
                f"{int(m)}/{int(t)}" if pd.notna(m) else self.t("no_new_set_tally")
                for m, t in zip(s.criteria_met, s.criteria_total, strict=True)],
            self.t("col_as_of"): [date_text(d, self.lang) for d in s.as_of],
            self.t("col_predecessors_ntm", date=date_text(LAST_LEGACY_DAY, self.lang)): [
                reached_text(r, p, d, self.lang)
                for r, p, d in zip(s.reached_ntm, s.predecessors, s.with_data, strict=True)],
        })
        return styled(frame)


def province_overview_2025(province: str | None = None,
                           as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                           processed_dir: Path | str | None = None) -> ProvinceOverview2025:
    """Build the overview of a 2025-era province (default: the successor of the default
    province) from the processed tables."""
    code = province_pair(province, config.DEFAULT_PROVINCE_CODE)[1]
    tables = processed.load(processed_dir)
    ref = processed.reference_date(tables, as_of)
    facts = processed.scoped(tables, ERA_2025, code)["facts"]
    return ProvinceOverview2025(
        as_of=ref, lang=lang, province=registry(code, ERA_2025).get("province", code),
        facts=facts[facts.as_of <= ref], statuses=commune_statuses(tables, ref, code))
