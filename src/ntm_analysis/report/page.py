"""What every report page has: its date, its language and the catalogue's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..messages import msg
from ..method.pace import months_late
from ..method.ratings import ACHIEVED, ACHIEVED_LATE, ACHIEVED_ON_TIME, MISSED, NO_TARGET
from .display import Heading, Note, Table, noted, number_text
from .style import date_text, unit_label


@dataclass
class Page:
    """What every report page has: its date, language, headings and catalogue words.

    The page carries its language and date: its pieces speak through :meth:`t` (words),
    :meth:`date` (dates) instead of passing the language by
    hand to every call.
    """

    as_of: pd.Timestamp
    lang: str

    def t(self, key: str, **fields: object) -> str:
        """The catalogue text of ``key`` in the page's language."""
        return msg(key, lang=self.lang, **fields)

    def date(self, day: object) -> str:
        """A date as the page's language writes it ("31/05/2022", "2022-05-31"; "—")."""
        return date_text(day, self.lang)

    def measure(self, value: float, unit: str) -> str:
        """A value in its unit as the page writes it ("3,5%", "72,4 triệu đồng/người/năm")."""
        if unit == "yes_no":
            return self.t("yes" if value >= 1 else "no")
        text = f"{value:g}" if self.lang == "en" else f"{value:g}".replace(".", ",")
        return self.t("unit_" + unit, value=text)

    def gap_text(self, gap: float, unit: str) -> str:
        """How far a value is from its threshold, in its unit ("7,6 triệu đồng/người/năm";
        a yes/no indicator not met: "chưa có")."""
        return self.t("gap_yes_no") if unit == "yes_no" else self.measure(gap, unit)

    def threshold_text(self, threshold: float, unit: str, direction: str) -> str:
        """"≥ 80 triệu đồng/người/năm", "≤ 2%", "có"."""
        if unit == "yes_no":
            return self.measure(threshold, unit)
        return ("≥ " if direction == "higher" else "≤ ") + self.measure(threshold, unit)

    def subtitle(self) -> Note:
        """The line under the title: the date the page describes."""
        return Note(self.t("report_as_of", date=self.date(self.as_of)))

    def page_title(self, text: str) -> Heading:
        """The page's title, which also heads every printed page with the date it describes."""
        return Heading(text, 1, page_header=f"{text} · "
                       f"{self.t('report_as_of', date=self.date(self.as_of))}")

    def recognition_tallies(self) -> pd.DataFrame:
        """The tallies this page's gap rows rest on, with their precision and, for a
        recognition, its decision; each page kind says which (none here)."""
        return pd.DataFrame()

    def reached_phrase(self, row: pd.Series, in_table: bool = False) -> str:
        """When ``row`` (a gap row) reached its standard, as precisely as the data knows it:
        "ngày 20/02/2024 (QĐ 235/QĐ-TTg)", "năm 2016" for a year-precision date, and for a
        recognition decided after the year it is for, "năm 2020 (QĐ 669/QĐ-TTg, ngày
        02/06/2022)". In a table cell a day needs no "ngày"."""
        day = row.reached_on if pd.notna(row.reached_on) else row.as_of
        hit = self._reaching_tally(row, day)
        precision = hit.as_of_precision if hit is not None else "day"
        if precision == "year":
            when = self.t("reached_year", year=pd.Timestamp(day).year)
        elif precision == "month":
            when = self.t("reached_month", month=pd.Timestamp(day).strftime(
                "%m/%Y" if self.lang == "vi" else "%Y-%m"))
        else:
            when = (self.date(day) if in_table
                    else self.t("reached_day", date=self.date(day)))
        if hit is None or pd.isna(hit.get("decision")):
            return when
        if pd.Timestamp(hit.decided_on) == pd.Timestamp(day):
            return self.t("reached_decided_same_day", when=when, decision=hit.decision)
        return self.t("reached_decided", when=when, decision=hit.decision,
                      date=self.date(hit.decided_on))

    def _reaching_tally(self, row: pd.Series, day: pd.Timestamp) -> pd.Series | None:
        """The tally of ``row``'s unit and level dated ``day``, a recognition first."""
        t = self.recognition_tallies()
        if not len(t):
            return None
        same = t[(t.level == row.level) & (t.as_of == day)
                 & (t.district_code.fillna("") == (row.get("district_code") or ""))
                 & (t.commune_code.fillna("") == (row.get("commune_code") or ""))]
        if "decided_on" in same:
            same = same.sort_values("decided_on", na_position="last")
        return same.iloc[0] if len(same) else None

    def coverage_note(self, tallies: pd.DataFrame, facts: pd.DataFrame) -> Note:
        """What the page rests on: how many tallies and facts, their date range,
        how many sources; or that the sources held say nothing about the unit."""
        dates = pd.concat([tallies.as_of, facts.as_of]).dropna()
        if dates.empty:
            return Note(self.t("coverage_none"))
        sources = pd.concat([tallies.source, facts.source]).dropna().nunique()
        return Note(self.t("coverage", tallies=len(tallies), facts=len(facts),
                           first=self.date(dates.min()),
                           last=self.date(dates.max()), sources=sources))

    def section(self, key: str) -> Heading:
        """A section heading from the catalogue key ``key``."""
        return Heading(self.t(key), 2)

    def sentence(self, unit: str, standard: str, row: pd.Series | None) -> Note:
        """The page's headline sentence about ``unit`` and its ``standard`` (the catalogue
        key ``standard_<standard>`` names it), from one row of the gap table
        (:func:`method.gaps.unit_gaps`) the page shows: every number in it is a number of
        that table."""
        fields = {"unit": unit, "standard": self.t("standard_" + standard)}
        if row is None:
            return Note(self.t("sentence_no_data", **fields))
        fields |= {"met": row.criteria_met, "total": row.criteria_total, "gap": row.gap,
                   "as_of": self.date(row.as_of),
                   "deadline": self.date(row.deadline),
                   "reached": self.reached_phrase(row),
                   "required": number_text(row.required_pace)}
        key = {ACHIEVED_LATE: "achieved_late", ACHIEVED_ON_TIME: "achieved_on_time",
               ACHIEVED: "achieved", MISSED: "missed", NO_TARGET: "no_target"}.get(
                   row.rating, "progress")
        if key == "achieved_late":
            fields["months"] = months_late(row.reached_on, row.deadline)
        met_on, recognised_on = row.get("criteria_met_on"), row.get("recognized_on")
        if (key.startswith("achieved") and pd.notna(met_on) and pd.notna(recognised_on)
                and met_on < recognised_on):  # two days, two events: both are named
            fields["criteria_day"] = self.t("reached_day", date=self.date(met_on))
            return Note(self.t("sentence_both_" + key, **fields))
        return Note(self.t("sentence_" + key, **fields))

    def plan_styler(self, gaps: pd.DataFrame) -> Table | Note:
        """Plan against actual: every unit of ``gaps`` with a deadline, the date
        it reached its standard (or "not yet", its gap and projection) and the delay in
        months."""
        g = gaps[gaps.deadline.notna()] if len(gaps) else gaps
        if not len(g):
            return Note(self.t("no_plans"))

        def actual(row: pd.Series) -> str:
            if row.gap == 0:
                return self.reached_phrase(row, in_table=True)
            return self.t("not_yet", gap=row.gap,
                          projection=self.date(row.projected_on))

        frame = pd.DataFrame({
            self.t("col_unit"): [unit_label(r) for _, r in g.iterrows()],
            self.t("col_level"): [self.t("level_" + lv) for lv in g.level],
            self.t("col_planned"): [self.date(d) for d in g.deadline],
            self.t("col_actual"): [actual(r) for _, r in g.iterrows()],
            self.t("col_delay"): [
                months_late(r.reached_on, r.deadline) if r.gap == 0 and pd.notna(r.reached_on)
                else months_late(self.as_of, r.deadline) if r.rating == MISSED else 0
                for _, r in g.iterrows()],
            self.t("col_rating"): [self.t("rating_" + r) for r in g.rating],
        })
        # the plan's source as a numbered note under the table, not a column
        return noted(frame, self.t("col_plan_source"), g.target_source.fillna("").tolist(),
                     g.rating.reset_index(drop=True), self.t("col_rating"))

    def gap_styler(self, gaps: pd.DataFrame) -> Table:
        """One row per unit and level of ``gaps`` (:func:`method.gaps.unit_gaps`): met/total,
        gap, deadline, paces, rating, projection, source (file and row)."""
        g = gaps
        frame = pd.DataFrame({
            self.t("col_unit"): [unit_label(r) for _, r in g.iterrows()],
            self.t("col_level"): [self.t("level_" + lv) for lv in g.level],
            self.t("col_met"): [f"{m}/{t}" for m, t in zip(g.criteria_met, g.criteria_total,
                                                           strict=True)],
            self.t("col_gap"): g.gap.astype(int),
            self.t("col_as_of"): [self.date(d) for d in g.as_of],
            self.t("col_deadline"): [self.date(d) for d in g.deadline],
            self.t("col_required"): [number_text(v) for v in g.required_pace],
            self.t("col_observed"): [number_text(v) for v in g.observed_pace],
            self.t("col_rating"): [self.t("rating_" + r) for r in g.rating],
            self.t("col_criteria_met_on"): [self.date(d)
                                            for d in g.get("criteria_met_on", g.reached_on)],
            self.t("col_reached"): [self.date(d) for d in g.reached_on],
            self.t("col_projection"): [self.date(d) for d in g.projected_on],
        })
        return noted(frame, self.t("col_source"), source_notes(g),
                     g.rating.reset_index(drop=True), self.t("col_rating"))


def source_notes(rows: pd.DataFrame) -> list[str]:
    """Each row's source as a note: the source's title and the raw file and row it comes
    from (every figure traces back to a raw row)."""
    return [f"{s or ''} ({f}:{r})".strip() for s, f, r in
            zip(rows.source, rows.raw_file, rows.raw_row, strict=True)]
