"""The index page of a report run: one row per district with its headline status and link.

The headline figures depend only on the processed tables, so :func:`prepare_index` can work
while the report kernels run; :func:`write_index` then adds each report's status and link.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from .. import processed
from ..config import TEMPLATES_DIR
from ..messages import msg
from ..raw.inventory import load_sources
from ..reference.units import registry
from ..report import district_reports
from ..report.style import RATING_COLORS, date_text
from ..storage import write_text
from ..text import slug
from .job import FAILED
from .plan import OVERVIEW_SLUG, ReportOptions


@dataclass
class IndexData:
    """What the index shows that does not depend on the run's results."""

    province: str
    as_of: pd.Timestamp
    districts: list[dict]
    sources: list[str]


def source_lines(raw_dir: Path) -> list[str]:
    """One line per raw file's source (URLs as text: the page fetches nothing)."""
    lines = []
    for name, entry in sorted(load_sources(raw_dir).items()):
        where = entry.get("url") or entry.get("document") or ""
        lines.append(f"{entry.get('title', name)} — {entry.get('publisher', '')} "
                     f"({entry.get('date', '')}); {where} [{name}]")
    return lines


def prepare_index(options: ReportOptions, as_of: str | None) -> IndexData:
    """Headline figures of every district of the province, from the processed tables."""
    lang = options.lang
    tables = processed.load(options.processed_dir)
    ref = processed.reference_date(tables, as_of)
    reg = registry(options.province_code)
    districts = []
    for report in district_reports(tables, ref, lang, options.province_code):
        figures = report.headline_figures()
        rating = figures["rating"]
        districts.append({
            "slug": slug(report.district.name),
            "name": report.district.full_name,
            "criteria": figures["district_criteria"] or "—",
            "rating": msg(f"rating_{rating}", lang=lang) if rating else "—",
            "color": RATING_COLORS.get(rating, "#FFFFFF"),
            "deadline": date_text(figures["deadline"], lang),
            "communes": (figures["communes_ntm"] or ("—",))[0],
        })
    return IndexData(reg.get("province", options.province_code).name, ref, districts,
                     source_lines(options.raw_dir))


def write_index(options: ReportOptions, manifest: dict, data: IndexData | None = None) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    data = data or prepare_index(options, manifest.get("as_of"))
    lang, out_dir = options.lang, Path(options.out_dir)
    reports = manifest.get("reports", {})
    rows = []
    for district in data.districts:
        status = reports.get(district["slug"], {}).get("status")
        html = out_dir / f"{district['slug']}.html"
        rows.append({**district, "href": html.name if html.exists() else None,
                     "status": msg(f"run_{(status or 'missing').replace('-', '_')}", lang=lang),
                     "failed": status == FAILED})
    overview = out_dir / f"{OVERVIEW_SLUG}.html"
    now = time.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.get_template("index.html.j2").render(
        lang=lang,
        t={"title": msg("index_title", lang=lang, province=data.province),
           "as_of": msg("report_as_of", lang=lang, date=date_text(data.as_of, lang)),
           "run": msg("index_run", lang=lang, time=now, run_id=manifest.get("run_id", "")),
           "headers": msg("index_headers", lang=lang).split("|"),
           "sources": msg("index_sources", lang=lang)},
        rows=rows,
        overview={"href": overview.name, "label": msg("index_overview", lang=lang)}
        if overview.exists() else None,
        sources=data.sources,
    )
    return write_text(out_dir / "index.html", page)
