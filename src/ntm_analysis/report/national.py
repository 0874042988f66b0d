"""The national page: every province of the 2025 era side by side, and the country's series.

One row per province: its commune-level units by type (the package's unit list), its latest
sourced count of communes at NTM with that count's date and source, and its data coverage
(how many of its units have a tally of their own from 01/07/2025). Under it, the figures the
Central Coordination Office published for the whole country, one row per date, each with its
source, and the share of communes at NTM over those dates as a chart.

Nothing is summed or averaged across provinces: their counts differ in date and coverage,
and a national figure is only one a source stated. The national index of ``ntm report
--province all`` (publish) shows the same rows from the same functions; the notebook
``national_overview.ipynb`` only calls :func:`national_overview` and its methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .. import processed
from ..messages import check_language
from ..reference.units import ERA_2025, units_2025
from .display import Heading, Note, Table, chart, noted
from .page import Page, source_notes

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

#: the national series' columns: the metrics the Central Coordination Office reports
SERIES_METRICS = ("ntm_communes", "nang_cao_communes", "kieu_mau_communes",
                  "avg_criteria_per_commune", "ntm_districts")
#: the unit types of the 2025 era, in the order the tables show them
UNIT_TYPES = ("Xã", "Phường", "Đặc khu")


def count_text(value: float, denominator: float | None, lang: str) -> str:
    """"6.084/7.669 (79,3%)" for a count of a total, "2.567" for a count, "17,5" otherwise
    (in English "6,084/7,669 (79.3%)")."""
    def number(x: float) -> str:
        text = f"{x:,.0f}" if x == int(x) else f"{x:,.1f}"
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".") \
            if lang == "vi" else text

    if pd.notna(denominator) and denominator:
        share = f"{100 * value / denominator:.1f}%"
        return f"{number(value)}/{number(denominator)} " \
               f"({share.replace('.', ',') if lang == 'vi' else share})"
    return number(value)


def province_rows(tables: dict[str, pd.DataFrame],
                  provinces: list[tuple[str, str]] | None = None) -> pd.DataFrame:
    """One row per 2025-era province (``provinces``: (code, name) pairs; default every one,
    in GSO code order): ``code``, ``name``, a count per unit type (``Xã``, ``Phường``,
    ``Đặc khu``), ``units``, ``covered`` (units with a tally of their own from 01/07/2025) and
    its latest sourced count of communes at NTM (``value``, ``denominator``, ``as_of``,
    ``source``, ``raw_file``, ``raw_row``; missing when no source stated one)."""
    units = units_2025()
    if provinces is None:
        firsts = units.drop_duplicates("provinceCode").sort_values("provinceCode")
        provinces = list(zip(firsts.provinceCode, firsts.provinceShort, strict=True))
    facts, tallies = tables["facts"], tables["tallies"]
    counts = facts[(facts.scope == "province") & (facts.admin_era == ERA_2025)
                   & (facts.metric == "ntm_communes") & facts.value.notna()]
    latest = counts.sort_values("as_of").drop_duplicates("province_code", keep="last") \
        .set_index("province_code")
    own = tallies[(tallies.admin_era == ERA_2025) & tallies.commune_code.notna()]
    covered = own.groupby("province_code").commune_code.nunique()
    kinds = units.groupby(["provinceCode", "wardType"]).size()
    rows = []
    for code, name in provinces:
        row = {"code": code, "name": name,
               **{kind: int(kinds.get((code, kind), 0)) for kind in UNIT_TYPES}}
        row["units"] = sum(row[kind] for kind in UNIT_TYPES)
        row["covered"] = int(covered.get(code, 0))
        fact = latest.loc[code] if code in latest.index else None
        for column in ("value", "denominator", "as_of", "source", "raw_file", "raw_row"):
            row[column] = None if fact is None else fact[column]
        rows.append(row)
    return pd.DataFrame(rows).astype({"raw_row": "Int64"})


def national_series(facts: pd.DataFrame) -> pd.DataFrame:
    """The country's figures (scope ``national``, ``SERIES_METRICS``), oldest first."""
    return facts[(facts.scope == "national") & facts.metric.isin(SERIES_METRICS)
                 & facts.value.notna()].sort_values(["as_of", "metric"]).reset_index(drop=True)


def series_by_date(series: pd.DataFrame,
                   lang: str) -> list[tuple[pd.Timestamp, list[str], pd.DataFrame]]:
    """Per date of the country's figures (:func:`national_series`), oldest first: the date,
    each of ``SERIES_METRICS`` as written on a page ("—" when no source stated it that day),
    and that date's rows (for their sources)."""
    out = []
    for day, same in series.groupby("as_of", sort=True):
        cells = dict.fromkeys(SERIES_METRICS, "—")
        for fact in same.itertuples():
            cells[fact.metric] = count_text(fact.value, fact.denominator, lang)
        out.append((day, [cells[m] for m in SERIES_METRICS], same))
    return out


def grouped_notes(rows: pd.DataFrame) -> str:
    """The sources of ``rows`` as one note: each source once, with every raw file and row it
    backs ("VietNamNet, 07/2025 (national.csv:11, 12, 13)")."""
    parts = []
    for source, same in rows.groupby("source", sort=False):
        where = "; ".join(f"{f}:{', '.join(str(r) for r in sorted(g.raw_row))}"
                          for f, g in same.groupby("raw_file", sort=True))
        parts.append(f"{source} ({where})")
    return "; ".join(parts)


@dataclass
class NationalOverview(Page):
    """The contents of the national page."""

    provinces: pd.DataFrame  # province_rows
    series: pd.DataFrame  # national_series, up to as_of

    def title(self) -> Heading:
        """The page title."""
        return self.page_title(self.t("national_title"))

    def provinces_table(self) -> Table:
        """Every province with its units by type, its latest sourced count of communes at
        NTM (date and source note) and how many of its units have a tally of their own."""
        p = self.provinces
        has = p.value.notna()
        headers = self.t("national_page_headers").split("|")
        frame = pd.DataFrame({
            headers[0]: p.name,
            **{h: p[k] for h, k in zip(headers[1:4], UNIT_TYPES, strict=True)},
            headers[4]: [count_text(v, d, self.lang) if h else "—"
                         for v, d, h in zip(p.value, p.denominator, has, strict=True)],
            headers[5]: [self.date(d) if h else "—" for d, h in zip(p.as_of, has, strict=True)],
            headers[6]: [f"{c}/{u}" for c, u in zip(p.covered, p.units, strict=True)],
        })
        notes = [text if h else "" for text, h in zip(
            source_notes(p.assign(source=p.source.fillna(""))), has, strict=True)]
        return noted(frame, self.t("col_source"), notes)

    def unit_totals(self) -> Note:
        """The units of the provinces shown, by type: the one sum the unit list allows."""
        p = self.provinces
        return Note(self.t("national_unit_totals", n=len(p), xa=int(p["Xã"].sum()),
                           phuong=int(p["Phường"].sum()), dac_khu=int(p["Đặc khu"].sum())))

    def series_table(self) -> Table | Note:
        """The country's figures by date, each metric in its column, with the sources."""
        if self.series.empty:
            return Note(self.t("national_no_series"))
        headers = self.t("national_series_headers").split("|")
        by_date = series_by_date(self.series, self.lang)
        frame = pd.DataFrame([[self.date(day), *cells] for day, cells, _ in by_date],
                             columns=headers[:-1])
        notes = [grouped_notes(same) for _, _, same in by_date]
        return noted(frame, headers[-1], notes)

    def series_chart(self) -> plt.Figure | Note:
        """The share of the country's communes at NTM on each date a source stated it."""
        from . import plots  # charts only: no matplotlib in the index

        shares = self.series[(self.series.metric == "ntm_communes")
                             & self.series.denominator.gt(0)]
        if shares.empty:
            return Note(self.t("national_no_series"))
        data = shares.assign(share=shares.value / shares.denominator)
        ax = plots.series_chart(data=data, measure="share", as_of=self.as_of, lang=self.lang,
                                title=self.t("national_chart_title"))
        points = ", ".join(f"{self.date(d)}: {count_text(v, n, self.lang)}" for d, v, n in
                           zip(data.as_of, data.value, data.denominator, strict=True))
        return chart(ax.figure, self.t("alt_national_series", points=points))


def national_overview(as_of: str | pd.Timestamp | None = None, lang: str = "vi",
                      processed_dir: Path | str | None = None) -> NationalOverview:
    """Build the national page from the processed tables: every 2025-era province and the
    country's series up to ``as_of`` (default: the latest date in the data)."""
    check_language(lang)
    tables = processed.load(processed_dir)
    ref = processed.reference_date(tables, as_of)
    upto = {name: table[table.as_of <= ref] if name in ("tallies", "facts") else table
            for name, table in tables.items()}
    return NationalOverview(as_of=ref, lang=lang, provinces=province_rows(upto),
                            series=national_series(upto["facts"]))
