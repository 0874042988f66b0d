"""The index page of a report run: one row per district with its headline status and link."""

from __future__ import annotations

import time
from pathlib import Path

import jinja2
import pandas as pd

from . import plots
from .batch import FAILED, OVERVIEW_SLUG, ReportOptions, slug
from .inventory import load_sources
from .messages import msg
from .report import _district_from_tables, _reference_date
from .storage import write_text
from .tables import load_processed
from .units import registry


def _environment() -> jinja2.Environment:
    from .batch import TEMPLATES_DIR

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def source_lines(raw_dir: Path) -> list[str]:
    """One line per raw file's source (URLs as text: the page fetches nothing)."""
    lines = []
    for name, entry in sorted(load_sources(raw_dir).items()):
        where = entry.get("url") or entry.get("document") or ""
        lines.append(f"{entry.get('title', name)} — {entry.get('publisher', '')} "
                     f"({entry.get('date', '')}); {where} [{name}]")
    return lines


def index_rows(options: ReportOptions, manifest: dict, tables: dict,
               ref: pd.Timestamp) -> list[dict]:
    """Rows of the index: headline figures of every district and its report's status."""
    lang = options.lang
    reports = manifest.get("reports", {})
    out_dir = Path(options.out_dir)
    rows = []
    for code in registry(options.province_code).districts(options.province_code).code:
        report = _district_from_tables(code, ref, lang, tables, options.province_code)
        figures = report.headline_figures()
        name = report.district.full_name
        entry = reports.get(slug(report.district.name), {})
        status = entry.get("status")
        html = out_dir / f"{slug(report.district.name)}.html"
        rating = figures["rating"]
        rows.append({
            "name": name,
            "href": html.name if html.exists() else None,
            "criteria": figures["district_criteria"] or "—",
            "rating": msg(f"rating_{rating}", lang=lang) if rating else "—",
            "color": plots.RATING_COLORS.get(rating, "#FFFFFF"),
            "deadline": plots.date_text(figures["deadline"], lang),
            "communes": (figures["communes_ntm"] or ("—",))[0],
            "status": msg(f"run_{(status or 'missing').replace('-', '_')}", lang=lang),
            "failed": status == FAILED,
        })
    return rows


def write_index(options: ReportOptions, manifest: dict) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    tables = load_processed(Path(options.processed_dir))
    ref = _reference_date(tables, manifest.get("as_of"))
    lang = options.lang
    province = registry(options.province_code).get("province", options.province_code)
    overview = Path(options.out_dir) / f"{OVERVIEW_SLUG}.html"
    page = _environment().get_template("index.html.j2").render(
        lang=lang,
        t={"title": msg("index_title", lang=lang, province=province.name),
           "as_of": msg("report_as_of", lang=lang, date=plots.date_text(ref, lang)),
           "run": msg("index_run", lang=lang, time=time.strftime("%d/%m/%Y %H:%M")
                      if lang == "vi" else time.strftime("%Y-%m-%d %H:%M"),
                      run_id=manifest.get("run_id", "")),
           "headers": msg("index_headers", lang=lang).split("|"),
           "sources": msg("index_sources", lang=lang)},
        rows=index_rows(options, manifest, tables, ref),
        overview={"href": overview.name, "label": msg("index_overview", lang=lang)}
        if overview.exists() else None,
        sources=source_lines(options.raw_dir),
    )
    return write_text(Path(options.out_dir) / "index.html", page)
