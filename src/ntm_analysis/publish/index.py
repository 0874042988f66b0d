"""The index page of a report run: the district reports (units before 01/07/2025) and the
commune reports (from that day), in two separate tables, each row with its headline status
and link, and the overview of each era; beside it the same rows as a workbook
(``bang-tong-hop.xlsx``).

The headline figures depend only on the processed tables, so :func:`prepare_index` can work
while the report kernels run; :func:`write_index` then adds each report's status and link.
A district's figures are the ones the province overview shows for it: when the overview runs
in the same run, its districts table carries them (``DistrictReport.headline_record``) and
the index reads them from its notebook instead of working them out a second time (1 CPU-s of
a 16-report run); without that overview they are worked out here, by the same
function, into the same records.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd

from .. import processed
from ..config import TEMPLATES_DIR
from ..messages import msg
from ..raw.inventory import load_sources
from ..reference.units import ERA_2025, LEGACY, registry
from ..report import district_reports
from ..report.commune import LAST_LEGACY_DAY, commune_statuses, reached_text
from ..report.style import RATING_COLORS, date_text
from ..storage import write_text
from ..text import slug
from .job import FAILED, OK, UP_TO_DATE
from .pdf import pdf_href
from .plan import NEW_OVERVIEW_SLUG, OVERVIEW_SLUG, ReportOptions, Selection, page_slug
from .workbooks import SUMMARY_FILE, pieces, write_summary_workbook


@dataclass
class IndexData:
    """What the index shows that does not depend on the run's results."""

    province: str  # legacy era
    as_of: pd.Timestamp
    districts: list[dict] | None  # None: from the overview's notebook, once it has run
    sources: list[str]
    new_province: str = ""  # 2025 era
    communes: list[dict] = field(default_factory=list)
    legacy_code: str = ""  # GSO code of the legacy province


def source_lines(raw_dir: Path) -> list[str]:
    """One line per raw file's source (URLs as text: the page fetches nothing)."""
    lines = []
    for name, entry in sorted(load_sources(raw_dir).items()):
        where = entry.get("url") or entry.get("document") or ""
        lines.append(f"{entry.get('title', name)} — {entry.get('publisher', '')} "
                     f"({entry.get('date', '')}); {where} [{name}]")
    return lines


def prepare_index(options: ReportOptions, selection: Selection,
                  districts_later: bool = False) -> IndexData:
    """Headline figures of every district and commune of the run's provinces, from the
    processed tables; the districts' left for :func:`write_index` when ``districts_later``
    (the run's overview will carry them)."""
    lang = options.lang
    tables = processed.load(options.processed_dir)
    ref = processed.reference_date(tables, selection.as_of)
    legacy, new = selection.legacy_province, selection.new_province
    # the index lists every unit of the run's eras, with a link where a page exists: naming
    # a few units re-runs those, it does not shorten the index
    districts = (None if districts_later else
                 [district_row(r, lang) for r in district_records(tables, ref, lang, legacy)]
                 if options.era in (LEGACY, "all") else [])
    communes = []
    if options.era in (ERA_2025, "all"):
        statuses = commune_statuses(tables, ref, new)
        for row in statuses.itertuples():
            communes.append({
                "slug": page_slug(row.code, row.full_name, new), "name": row.full_name,
                "era": msg("era_2025", lang=lang),
                "gap": (int(row.criteria_total - row.criteria_met)
                        if pd.notna(row.criteria_met) else None),
                "source": row.source_note if pd.notna(row.criteria_met) else None,
                "criteria": (f"{int(row.criteria_met)}/{int(row.criteria_total)}"
                             if pd.notna(row.criteria_met) else "—"),
                "as_of": date_text(row.as_of, lang),
                "predecessors": reached_text(row.reached_ntm, row.predecessors,
                                             row.with_data, lang),
            })
    return IndexData(registry(legacy).get("province", legacy).name, ref, districts,
                     source_lines(options.raw_dir),
                     registry(new, ERA_2025).get("province", new).name, communes, legacy)


def district_records(tables: dict[str, pd.DataFrame], ref: pd.Timestamp, lang: str,
                     province: str) -> list[dict]:
    """Every district's ``DistrictReport.headline_record``, worked out from the tables."""
    tables = processed.scoped(tables, LEGACY, province)
    return [report.headline_record() for report in district_reports(tables, ref, lang, province)]


def overview_records(notebook: Path) -> list[dict] | None:
    """The district records an executed overview's districts table carries; None when it
    has none (an overview template of one's own, a notebook from an older version)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return next((piece["records"] for piece in pieces(cells)
                 if piece.get("kind") == "table" and piece.get("records")), None)


def district_row(record: dict, lang: str) -> dict:
    """A district's row of the index, from its headline record."""
    rating = record["rating"]
    return {
        "slug": slug(record["name"]),
        "name": record["full_name"],
        "era": msg("era_legacy", lang=lang),
        "gap": record["gap"], "source": record["source"],
        "reached_on": date_text(record["reached_on"], lang),
        "criteria_met_on": date_text(record.get("criteria_met_on"), lang),
        # "no data" and "no plan" said in words: a dash for both hid which is which
        "criteria": record["district_criteria"] or msg("unknown", lang=lang),
        "as_of": date_text(record["district_as_of"], lang),
        "rating": (msg(f"rating_{rating}", lang=lang) if rating else "—")
        + (f" · {record['reached_text']}" if rating and record["reached_text"] else "")
        + _criteria_met_text(record, lang),
        "color": RATING_COLORS.get(rating, "#FFFFFF"),
        "deadline": (date_text(record["deadline"], lang) if record["deadline"] is not None
                     else msg("no_plan", lang=lang)),
        "communes": (record["communes_ntm"] or ("—",))[0],
    }


def _criteria_met_text(record: dict, lang: str) -> str:
    """" (đủ tiêu chí 21/05/2023)" when every criterion was reported met before the day
    of recognition: two events, two dates."""
    met_on, recognized_on = record.get("criteria_met_on"), record.get("recognized_on")
    if not met_on or not recognized_on or met_on >= recognized_on:
        return ""
    return f" ({msg('criteria_met_on', lang=lang, date=date_text(met_on, lang))})"


def _districts(options: ReportOptions, manifest: dict, data: IndexData) -> list[dict]:
    """The districts' rows left for now: from the overview's notebook when it ran (or was
    up to date) in this run and carries them, else worked out from the tables."""
    entry = manifest.get("reports", {}).get(OVERVIEW_SLUG, {})
    records = (overview_records(Path(options.out_dir) / entry["notebook"])
               if entry.get("status") in (OK, UP_TO_DATE) and entry.get("notebook") else None)
    if records is None:
        records = district_records(processed.load(options.processed_dir), data.as_of,
                                   options.lang, data.legacy_code)
    return [district_row(r, options.lang) for r in records]


def write_index(options: ReportOptions, manifest: dict, data: IndexData | None = None) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    data = data or prepare_index(options, manifest.get("as_of"))
    lang, out_dir = options.lang, Path(options.out_dir)
    reports = manifest.get("reports", {})

    def linked(row: dict) -> dict:
        status = reports.get(row["slug"], {}).get("status")
        html = out_dir / f"{row['slug']}.html"
        return {**row, "href": html.name if html.exists() else None,
                # the run prints the PDF of every page it links (after this page)
                "pdf_href": pdf_href(row["slug"]) if options.pdf and html.exists() else None,
                "status": msg(f"run_{(status or 'missing').replace('-', '_')}", lang=lang),
                "failed": status == FAILED}

    if data.districts is None:
        data.districts = _districts(options, manifest, data)
    rows = [linked(d) for d in data.districts]
    communes = [linked(c) for c in data.communes]
    title = msg("index_title", lang=lang, province=data.province
                if data.districts or not data.communes else data.new_province)
    write_summary_workbook([{**r, "page": r["href"]} for r in rows + communes],
                           out_dir / SUMMARY_FILE, lang, title)
    overview = out_dir / f"{OVERVIEW_SLUG}.html"
    new_overview = out_dir / f"{NEW_OVERVIEW_SLUG}.html"
    now = time.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.get_template("index.html.j2").render(
        lang=lang,
        t={"title": title,
           "summary": msg("index_summary_link", lang=lang),
           "as_of": msg("report_as_of", lang=lang, date=date_text(data.as_of, lang)),
           "run": msg("index_run", lang=lang, time=now, run_id=manifest.get("run_id", "")),
           "headers": msg("index_headers", lang=lang).split("|"),
           "commune_headers": msg("index_commune_headers", lang=lang,
                                  date=date_text(LAST_LEGACY_DAY, lang)).split("|"),
           "legacy": msg("index_legacy", lang=lang, province=data.province),
           "new": msg("index_new", lang=lang, province=data.new_province),
           "sources": msg("index_sources", lang=lang)},
        rows=rows,
        communes=communes,
        overview={"href": overview.name, "label": msg("index_overview", lang=lang),
                  "pdf_href": pdf_href(OVERVIEW_SLUG) if options.pdf else None}
        if overview.exists() else None,
        new_overview={"href": new_overview.name, "label": msg("index_new_overview", lang=lang),
                      "pdf_href": pdf_href(NEW_OVERVIEW_SLUG) if options.pdf else None}
        if new_overview.exists() else None,
        pdf_label=msg("index_pdf", lang=lang),
        sources=data.sources,
        summary_href=SUMMARY_FILE,
    )
    return write_text(out_dir / "index.html", page)
