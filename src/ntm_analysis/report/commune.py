"""The report of one commune-level unit of the 2025 era, and where its predecessors stood.

From 01/07/2025 communes were merged and districts abolished; from 15/02/2026 communes are
assessed on the 10 criteria of the 2026-2030 set. A new commune's first question is "where
did its predecessors stand?". The page answers it without ever mixing the eras: the new
unit's own tallies (2025 era) are one table and chart; each predecessor's history (legacy
era) is its own row and its own panel, under its own name and district. Nothing is summed or
averaged across units; the only summary is a count ("2 of 2 xã reached NTM by
30/06/2025"). Only xã are assessed on the xã criteria: a predecessor thị trấn or phường is
shown as not assessed and left out of the count. A status implied by the recognition of
the predecessor's district (origin ``implied-by-district``) counts and says so. The notebook
``commune_report.ipynb`` only calls these methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import config, processed
from ..messages import check_language, msg
from ..method.gaps import unit_gaps
from ..method.indicators import criteria_from_indicators, indicator_gaps
from ..method.targets import set_end_targets, unit_targets
from ..processed import REPORTED
from ..reference.criteria import (
    COMMUNE_LEVELS,
    XA_NTM,
    criteria_names,
    legal_basis_text,
    period_end,
)
from ..reference.eras import ERA_2025_START, crosswalk, predecessors, province_pair
from ..reference.indicators import order_confirmed
from ..reference.units import ERA_2025, LEGACY, Unit, registry
from .display import Heading, Note, Table, chart, noted, styled
from .page import Page, source_notes

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

#: The catalogue's ``verified`` values, in the page's language.
VERIFIED_TEXT = {"yes": "verified_yes", "no": "verified_no",
                 "names yes; number inferred from order": "verified_names",
                 "name only; number inferred": "verified_names",
                 "yes (names and order; group inferred)": "verified_order"}

#: The last day of the legacy units: where each predecessor stood.
LAST_LEGACY_DAY = ERA_2025_START - pd.Timedelta(days=1)
NEW_PERIOD = "2026-2030"


@dataclass
class CommuneReport(Page):
    """The contents of one 2025-era commune's report."""

    commune: Unit  # era 2025
    tallies: pd.DataFrame  # this commune's tallies (2025 era) up to as_of
    gaps: pd.DataFrame  # unit_gaps of those, with the 2030 deadline
    predecessor_units: pd.DataFrame  # crosswalk rows of its predecessors
    history: pd.DataFrame  # the predecessors' tallies (legacy era)
    #: this commune's criterion statuses on the 2026-2030 set (a filled form), up to as_of
    statuses: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: its 2026-2030 indicator values up to as_of, and the province's thresholds
    indicator_values: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: pd.DataFrame = field(default_factory=pd.DataFrame)

    def recognition_tallies(self) -> pd.DataFrame:
        """The commune's own tallies (2025 era): its gap rows rest on them."""
        return self.tallies

    def title(self) -> Heading:
        """The page title: the commune's full name and province."""
        return self.page_title(self.t("report_title_commune", commune=self.commune.full_name,
                                      province=self.commune.parent_name))

    # headline
    def latest_new_set(self) -> pd.Series | None:
        """The latest gap row on the 2026-2030 set, or None when there is no such tally."""
        rows = self.gaps[self.gaps.period == NEW_PERIOD] if len(self.gaps) else self.gaps
        return rows.sort_values("as_of").iloc[-1] if len(rows) else None

    def coverage(self) -> Note:
        """What the page rests on: its own tallies and its predecessors'."""
        return self.coverage_note(pd.concat([self.tallies, self.history]),
                                  self.tallies.iloc[:0])

    def headline_sentence(self) -> Note:
        """One sentence on the commune's standard of the 2026-2030 set (its predecessors'
        tallies, on the old sets, are not its own)."""
        return self.sentence(self.commune.full_name, XA_NTM + "_2026_2030",
                             self.latest_new_set())

    def reached_ntm(self) -> pd.DataFrame:
        """The predecessor xã that had every criterion of a commune level by 30/06/2025
        (a recognition of theirs or of their district implies it), with the first date;
        one row per predecessor."""
        full = complete_before_merger(self.history, self.as_of)
        full = full[full.commune_code.isin(set(self.assessed_predecessors().old_code))]
        return full.sort_values("as_of").drop_duplicates("commune_code")

    def assessed_predecessors(self) -> pd.DataFrame:
        """The predecessors assessed on the xã criteria: the xã (not thị trấn, phường)."""
        return self.predecessor_units[self.predecessor_units.old_type == "Xã"]

    def headline(self) -> Table:
        """Latest 2026-2030 tally (or none yet), its deadline and rating, and the count of
        predecessors that reached NTM before the merger."""
        row = self.latest_new_set()
        if row is None:
            tally, when, rating = self.t("no_new_set_tally"), "—", "—"
            deadline = self.date(period_end(NEW_PERIOD))
        else:
            tally = f"{row.criteria_met}/{row.criteria_total}"
            when, rating = self.date(row.as_of), self.t("rating_" + row.rating)
            deadline = self.date(row.deadline)
        before = self.history[(self.history.as_of <= LAST_LEGACY_DAY)
                              & self.history.commune_code.isin(
                                  set(self.assessed_predecessors().old_code))]
        rows = [
            (self.t("headline_new_set"), tally, when, deadline, rating),
            (self.t("headline_predecessors_ntm"),
             reached_text(len(self.reached_ntm()), len(self.assessed_predecessors()),
                          before.commune_code.nunique(), self.lang),
             self.date(LAST_LEGACY_DAY), "—", "—"),
        ]
        frame = pd.DataFrame(rows, columns=[self.t("headline_item"), self.t("headline_value"),
                                            self.t("headline_as_of"), self.t("col_deadline"),
                                            self.t("col_rating")])
        return styled(frame)

    def gap_table(self) -> Table | Note:
        """The commune's own gap and pace to its deadline (2030 unless a plan says)."""
        if not len(self.gaps):
            return Note(self.t("no_new_tallies", commune=self.commune.full_name))
        return self.gap_styler(self.gaps)

    def criteria_set(self) -> Table:
        """The 10 criteria of the 2026-2030 set from the catalogue, with the commune's latest
        status of each (from a filled form, with its date; a dash when none) and the legal
        basis in the page's language; how far each name and number is verified (the
        catalogue's ``verified``) is a note under the table."""
        names = criteria_names(XA_NTM, NEW_PERIOD, self.lang)
        # the numbers, inferred from the decision's order, agree with two sources' lists
        confirmed = order_confirmed(criteria_names(XA_NTM, NEW_PERIOD, "vi").name.tolist())
        latest = (self.statuses.sort_values("as_of").drop_duplicates("criterion_number",
                                                                       keep="last")
                  .set_index("criterion_number") if len(self.statuses) else None)

        def status(number: int) -> str:
            if latest is None or number not in latest.index:
                return "—"
            row = latest.loc[number]
            word = self.t("status_met" if row.met else "status_unmet")
            return f"{word} ({self.date(row.as_of)})"

        frame = pd.DataFrame({
            self.t("col_number"): names.number, self.t("col_criterion"): names.name,
            self.t("col_status"): [status(n) for n in names.number],
            self.t("col_legal_basis"): [legal_basis_text(b, self.lang)
                                        for b in names.legal_basis],
        })
        # how far each name and number is verified: a note for the reader who checks,
        # not a column of the committee's table
        return noted(frame, self.t("col_note"), [
            self.t("verification_note", text=self.t(
                "verified_two_sources" if confirmed and v.startswith("names yes")
                else VERIFIED_TEXT.get(v, "verified_other"), text=v)) for v in names.verified])

    # the 2026-2030 indicators
    def indicator_gaps(self) -> pd.DataFrame:
        """Each indicator's latest value against its group's threshold, with its gap and
        pace (``method.indicators``)."""
        if self.indicator_values.empty or self.thresholds.empty:
            return indicator_gaps(self.indicator_values.iloc[:0], self.thresholds.iloc[:0])
        return indicator_gaps(self.indicator_values, self.thresholds, as_of=self.as_of)

    def criteria_from_indicators(self) -> Table | Note:
        """Each criterion's status derived from its indicators: met when all are given and
        met, not met with the unmet indicators named, or which are still missing."""
        gaps = self.indicator_gaps()
        if gaps.empty:
            return Note(self.t("no_indicator_values", commune=self.commune.full_name))
        derived = criteria_from_indicators(gaps, self.thresholds)
        names = criteria_names(XA_NTM, NEW_PERIOD, self.lang).set_index("number").name
        status = [self.t("status_met") if m is True else
                  self.t("status_unmet_indicators", codes=u) if m is False else
                  self.t("status_incomplete", given=g, total=n)
                  for m, u, g, n in zip(derived.met, derived.unmet, derived.given,
                                        derived.indicators, strict=True)]
        return styled(pd.DataFrame({
            self.t("col_number"): derived.criterion_number,
            self.t("col_criterion"): derived.criterion_number.map(names),
            self.t("col_indicators_given"): [f"{g}/{n}" for g, n in
                                             zip(derived.given, derived.indicators, strict=True)],
            self.t("col_status"): status}))

    def _unmet(self) -> pd.DataFrame | Note:
        """The rows of :meth:`indicator_gaps` not met, or the note saying why there are
        none (no value yet, or every value meets its threshold)."""
        gaps = self.indicator_gaps()
        unmet = gaps[~gaps.met.astype(bool)] if len(gaps) else gaps
        if unmet.empty:
            return Note(self.t("no_unmet_indicators" if len(gaps) else "no_indicator_values",
                               commune=self.commune.full_name))
        return unmet

    def unmet_indicators(self) -> Table | Note:
        """The indicators not met: value, threshold of the commune's group, gap in the
        indicator's unit, and whether the pace reaches it by the end of 2030."""
        unmet = self._unmet()
        if isinstance(unmet, Note):
            return unmet
        frame = pd.DataFrame({
            self.t("col_indicator"): unmet.indicator,
            self.t("col_indicator_name"): unmet.name.fillna("—"),
            self.t("col_group"): unmet.commune_group,
            self.t("col_value"): [self.measure(v, u) for v, u in
                                  zip(unmet.value, unmet.unit, strict=True)],
            self.t("col_threshold"): [self.threshold_text(t, u, d) for t, u, d in
                                      zip(unmet.threshold, unmet.unit, unmet.direction,
                                          strict=True)],
            self.t("col_indicator_gap"): [self.gap_text(g, u) for g, u in
                                          zip(unmet.gap, unmet.unit, strict=True)],
            self.t("col_as_of"): [self.date(d) for d in unmet.as_of],
            self.t("col_on_pace"): [self.t("on_pace_" + ("unknown" if p is None else
                                                         "yes" if p else "no"))
                                    for p in unmet.on_pace],
        })
        return noted(frame, self.t("col_source"), [
            self.t("indicator_source", document=d or "—", file=f, row=int(r))
            for d, f, r in zip(unmet.document, unmet.raw_file, unmet.raw_row, strict=True)])

    def indicator_charts(self) -> plt.Figure | Note:
        """One panel per unmet indicator: its value, its group's threshold and the gap."""
        unmet = self._unmet()
        if isinstance(unmet, Note):
            return unmet
        import matplotlib.pyplot as plt  # charts only: no matplotlib in the index

        from . import plots  # charts only: no matplotlib in the index

        fig, axes = plt.subplots(len(unmet), 1, figsize=(9, 1.3 * len(unmet) + 0.4),
                                 layout="constrained", squeeze=False)
        parts = []
        for ax, (_, row) in zip(axes[:, 0], unmet.iterrows(), strict=True):
            value = self.measure(row.value, row.unit)
            limit = self.threshold_text(row.threshold, row.unit, row.direction)
            plots.indicator_dot(data=row, ax=ax, value_text=value, threshold_text=limit,
                                lang=self.lang)
            parts.append(self.t("alt_indicator_part", indicator=row.indicator, value=value,
                                threshold=limit))
        return chart(fig, self.t("alt_indicators", commune=self.commune.full_name,
                                 n=len(unmet), parts="; ".join(parts)))

    # the predecessors
    def predecessor_table(self) -> Table:
        """One row per predecessor: name, type, old district, its latest tally of each level
        up to 30/06/2025 and the date it reached NTM (each unit on its own row)."""
        reached = self.reached_ntm().set_index("commune_code").as_of
        before = self.history[self.history.as_of <= LAST_LEGACY_DAY].sort_values("as_of")
        latest = before.drop_duplicates(["commune_code", "level"], keep="last")
        records = []
        for old in self.predecessor_units.itertuples():
            if old.old_type != "Xã":  # the xã criteria do not apply to it
                records.append((old.old_name, old.old_district_name, old.old_code,
                                self.t("not_assessed"), "—"))
                continue
            mine = latest[latest.commune_code == old.old_code]
            standing = "; ".join(
                f"{self.t('level_' + r.level)} {r.criteria_met}/{r.criteria_total} "
                f"({self.date(r.as_of)}{self._implied_text(r)})"
                for r in mine.itertuples()) or self.t("unknown")
            records.append((old.old_name, old.old_district_name, old.old_code, standing,
                            self.date(reached.get(old.old_code))))
        frame = pd.DataFrame(records, columns=[
            self.t("col_unit"), self.t("col_district"), self.t("col_code"),
            self.t("col_standing", date=self.date(LAST_LEGACY_DAY)),
            self.t("col_reached_ntm")])
        return styled(frame)

    def _implied_text(self, row) -> str:
        """, suy từ QĐ … công nhận huyện An Biên" for a status implied by a district."""
        if row.origin != "implied-by-district":
            return ""
        if isinstance(row.decision, str):
            return ", " + self.t("implied_by_district_decision", district=row.district,
                                 decision=row.decision)
        return ", " + self.t("implied_by_district", district=row.district)

    def history_table(self) -> Table | Note:
        """Every tally of every predecessor (legacy era), oldest first, with its source."""
        if self.history.empty:
            return Note(self.t("no_predecessor_tallies"))
        h = self.history.sort_values(["commune_code", "as_of", "level"])
        frame = pd.DataFrame({
            self.t("col_unit"): [f"{c} ({d})" for c, d in zip(h.commune, h.district,
                                                               strict=True)],
            self.t("col_level"): [self.t("level_" + lv) for lv in h.level],
            self.t("col_met"): [f"{m}/{t}" for m, t in zip(h.criteria_met, h.criteria_total,
                                                           strict=True)],
            self.t("col_as_of"): [self.date(d) for d in h.as_of],
            self.t("col_origin"): [self.t("origin_" + o.replace("-", "_")) for o in h.origin],
        })
        return noted(frame, self.t("col_source"), source_notes(h))

    def history_charts(self) -> plt.Figure | Note:
        """One panel per predecessor and level: its own series, never summed with another."""
        if self.history.empty:
            return Note(self.t("no_predecessor_tallies"))
        import matplotlib.pyplot as plt  # charts only: no matplotlib in the index

        from . import plots  # charts only: no matplotlib in the index

        series = list(self.history.groupby(["commune_code", "level"], sort=True))
        ncols = 2 if len(series) > 1 else 1
        nrows = -(-len(series) // ncols)
        fig, axes = plt.subplots(nrows, ncols, figsize=(6.5 * ncols, 3.6 * nrows),
                                 squeeze=False, layout="constrained")
        for ax, (_, rows) in zip(axes.flat, series, strict=False):
            plots.trend_chart(data=rows, ax=ax, as_of=self.as_of, lang=self.lang)
            ax.axvline(ERA_2025_START, color="#333333", linewidth=1, linestyle="--")
        for ax in list(axes.flat)[len(series):]:
            ax.remove()
        return chart(fig, self.t("alt_history", n=len(series),
                                 commune=self.commune.full_name))


def commune_report(commune: str, province: str | None = None,
                   as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                   processed_dir: Path | str | None = None) -> CommuneReport:
    """Build the report of one 2025-era commune (name or GSO code) of ``province`` (a
    2025-era province, name or code; default: the successor of the default province)."""
    check_language(lang)
    code = province_pair(province, config.DEFAULT_PROVINCE_CODE)[1]
    unit = registry(code, ERA_2025).resolve_commune(str(commune), code, prefer_type="Xã")
    tables = processed.load(processed_dir)
    return commune_from_tables(unit, processed.reference_date(tables, as_of), lang, tables)


def commune_from_tables(unit: Unit, ref: pd.Timestamp, lang: str,
                        tables: dict[str, pd.DataFrame]) -> CommuneReport:
    """Build one commune's report from the tables of every era (its predecessors' history is
    in the legacy rows, of whichever old province)."""
    tallies = tables["tallies"]
    facts = processed.scoped(tables, ERA_2025, unit.parent_code)["facts"]
    new = tallies[(tallies.admin_era == ERA_2025) & (tallies.commune_code == unit.code)
                  & (tallies.as_of <= ref)]
    targets = unit_targets(facts[facts.as_of <= ref], as_of=ref)
    targets = set_end_targets(new, targets, source=f"QĐ 51/2025/QĐ-TTg ({NEW_PERIOD})")
    gaps = unit_gaps(new, as_of=ref, targets=targets) if len(new) else unit_gaps(new)
    before = predecessors(unit.code)
    history = tallies[(tallies.admin_era == LEGACY)
                      & tallies.commune_code.isin(set(before.old_code))
                      & tallies.district_code.isin(set(before.old_district_code))
                      & (tallies.as_of <= ref)]
    status = tables["criteria_status"]
    statuses = status[(status.admin_era == ERA_2025) & (status.commune_code == unit.code)
                      & (status.period == NEW_PERIOD) & (status.as_of <= ref)]
    values = tables["indicator_values"]
    return CommuneReport(as_of=ref, lang=lang, commune=unit, tallies=new, gaps=gaps,
                         predecessor_units=before, history=history, statuses=statuses,
                         indicator_values=values[values.commune_code == unit.code],
                         thresholds=tables["indicator_thresholds"])


def commune_statuses(tables: dict[str, pd.DataFrame], ref: pd.Timestamp,
                     province_code: str) -> pd.DataFrame:
    """One row per 2025-era commune-level unit of a province, in code order: ``code``,
    ``name``, ``full_name``, ``unit_type``, ``status`` (:data:`UNIT_STATUSES`, from its
    own xã NTM tallies of the 2025 era), ``lat``, ``lon``, the latest tally on the 2026-2030 set
    (``criteria_met``, ``criteria_total``, ``as_of``, ``source_note``; empty when none),
    ``predecessors`` (its predecessor xã: a thị trấn or phường is not assessed),
    ``reached_ntm`` (how many of them had every criterion of a commune level by 30/06/2025,
    on their own figures or implied by their district's) and ``with_data`` (how many have
    any tally by then: "0 of 3 reached" means something only when some data exist). Counts
    only, never a figure summed across units."""
    units = registry(province_code, ERA_2025).communes(province_code=province_code)
    tallies = tables["tallies"]
    new = tallies[(tallies.admin_era == ERA_2025) & (tallies.province_code == province_code)
                  & (tallies.period == NEW_PERIOD) & (tallies.as_of <= ref)]
    latest = new.sort_values(["as_of", "criteria_met"]).drop_duplicates("commune_code",
                                                                       keep="last")
    latest = latest.set_index("commune_code")
    walk = crosswalk(province_code)
    walk = walk[(walk.new_province_code == province_code) & (walk.old_type == "Xã")]
    old = tallies[(tallies.admin_era == LEGACY) & tallies.level.isin(COMMUNE_LEVELS)
                  & (tallies.as_of <= min(ref, LAST_LEGACY_DAY))]
    full = complete_before_merger(old, ref)
    reached = walk.assign(reached=walk.old_code.isin(set(full.commune_code)),
                          with_data=walk.old_code.isin(set(old.commune_code)))
    counts = reached.groupby("new_code").agg(predecessors=("old_code", "size"),
                                             reached_ntm=("reached", "sum"),
                                             with_data=("with_data", "sum"))
    latest = latest.assign(source_note=source_notes(latest))
    status = _unit_status(units, tallies[(tallies.admin_era == ERA_2025)
                                         & (tallies.province_code == province_code)
                                         & (tallies.level == XA_NTM) & (tallies.as_of <= ref)])
    units = units.assign(status=units.code.map(status))
    out = units[["code", "name", "full_name", "unit_type", "status", "lat", "lon"]].merge(
        latest[["criteria_met", "criteria_total", "as_of", "source_note"]], left_on="code",
        right_index=True, how="left")
    out = out.merge(counts, left_on="code", right_index=True, how="left")
    return out.assign(**{c: out[c].fillna(0).astype(int) for c in
                         ("predecessors", "reached_ntm", "with_data")}).reset_index(drop=True)


#: The status of a 2025-era unit on a province page, in the order the page lists them.
UNIT_STATUSES = ("met_own", "met_implied", "not_met", "unknown", "not_assessed")


def _unit_status(units: pd.DataFrame, tallies: pd.DataFrame) -> dict[str, str]:
    """Each unit's status from its own latest xã NTM tally of the 2025 era: met on its own
    figure, met by a recognition, not met, or unknown; a phường or đặc khu is not assessed
    on the xã criteria. Nothing is inferred from its predecessors."""
    latest = tallies.sort_values(["as_of", "criteria_met"]).drop_duplicates(
        "commune_code", keep="last").set_index("commune_code")
    out = {}
    for unit in units.itertuples():
        if unit.unit_type != "Xã":
            out[unit.code] = "not_assessed"
        elif unit.code not in latest.index:
            out[unit.code] = "unknown"
        else:
            row = latest.loc[unit.code]
            out[unit.code] = ("not_met" if row.criteria_met < row.criteria_total
                              else "met_own" if row.origin == REPORTED else "met_implied")
    return out


def complete_before_merger(tallies: pd.DataFrame, ref: pd.Timestamp) -> pd.DataFrame:
    """The legacy tallies of a commune level with every criterion, dated by 30/06/2025 (and
    by ``ref``): a predecessor with one had reached NTM before the merger."""
    return tallies[(tallies.admin_era == LEGACY) & tallies.level.isin(COMMUNE_LEVELS)
                   & (tallies.criteria_met == tallies.criteria_total)
                   & (tallies.as_of <= min(ref, LAST_LEGACY_DAY))]


def reached_text(reached: int, total: int, with_data: int, lang: str) -> str:
    """"2 trên 2 xã" reached NTM, or "no data" when none of them has a tally; "not
    assessed" when no predecessor is a xã."""
    if not total:
        return msg("not_assessed", lang=lang)
    return (msg("count_of_xa", lang=lang, n=reached, total=total) if with_data
            else msg("unknown", lang=lang))
