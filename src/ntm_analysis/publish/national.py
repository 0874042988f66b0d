"""``ntm report --province all`` (or a list): every province of the 2025 era in one run.

Each province is an ordinary run (:func:`publish.run.run_report`) into its own folder,
``<out>/<province-slug>/``, with its own lock, manifest, index and incremental skips: one
province's pages never overwrite another's, and a province whose pages are up to date costs
a second. The processed tables are cleaned once, before the first province; each province's
pages then read its slice of them (``<processed>/provinces/<code>/``, every row its pages
can read: :func:`processed.province_slice`) and are keyed on that slice instead of the whole
raw folder, so that a province's new rows re-run its pages and no other's. Every province
describes one date, the latest in all the data, as a run of one province does. Then the
national index, ``<out>/index.html``, lists every province with its units by type, its
pages by outcome and a link to its own index; it is written atomically, like every page.

National runs are of the 2025 era: its 34 provinces partition the 3,321 commune-level units,
where the 63 provinces before 01/07/2025 would split across them (a legacy province's district
pages would be made once per successor).

The national index's figures come from the processed tables only: per province its latest
sourced count of communes at NTM (2025 era, with its date and source) and how many of its
communes have a tally of their own; for the country the series of the Central Coordination
Office's figures (scope ``national``), each with its source. Nothing is summed across
provinces that a source did not state: the provinces' counts differ in date and coverage.
"""

from __future__ import annotations

import hashlib
import io
import sys
import time
from dataclasses import replace
from pathlib import Path

import jinja2
import pandas as pd

from .. import processed
from ..config import TEMPLATES_DIR
from ..errors import BatchError
from ..messages import msg
from ..reference.eras import predecessor_provinces, province_pair
from ..reference.units import ERA_2025, LEGACY, units_2025
from ..report.national import count_text, national_series, province_rows, series_by_date
from ..report.style import date_text
from ..storage import write_atomic, write_text
from ..text import slug
from .job import FAILED, OK, UP_TO_DATE, Job, JobResult, skipped
from .plan import ReportOptions, check_template, job_hash, load_manifest, up_to_date
from .run import clear_leftovers, execute, run_lock, run_report, summary_table, write_manifest

ALL = "all"
#: under the processed folder: each province's slice of the tables, ``provinces/<code>/``
SLICES_DIR = "provinces"
#: the national page, ``<out>/tong-quan-ca-nuoc.html``, and its template's parameters
NATIONAL_SLUG = "tong-quan-ca-nuoc"
NATIONAL_PARAMETERS = ("as_of", "lang", "processed_dir")


def is_national(province: str | None) -> bool:
    """True when ``--province`` asks for several provinces ("all" or a comma-separated list)."""
    return province is not None and (province.strip().lower() == ALL or "," in province)


def provinces_of(text: str, default_legacy: str) -> list[tuple[str, str]]:
    """(2025 code, name) of each province ``text`` names, in GSO code order for "all" and in
    the order written otherwise (a province of the legacy era stands for its successor)."""
    table = units_2025().drop_duplicates("provinceCode").sort_values("provinceCode")
    names = dict(zip(table.provinceCode, table.provinceShort, strict=True))
    if text.strip().lower() == ALL:
        return list(names.items())
    codes = [province_pair(part.strip(), default_legacy)[1]
             for part in text.split(",") if part.strip()]
    return [(code, names[code]) for code in dict.fromkeys(codes)]


def run_national(options: ReportOptions, stream=None) -> tuple[int, dict[str, list]]:
    """Run every province ``options.province`` names; write the national index.

    Returns the exit code (0 all succeeded, 1 any page failed) and each province's results.
    """
    stream = stream or sys.stdout
    if options.era == LEGACY:
        raise BatchError(msg("national_era", lang=options.lang))
    if options.districts or options.communes:
        raise BatchError(msg("national_units", lang=options.lang))
    provinces = provinces_of(options.province, options.province_code)
    out_dir = Path(options.out_dir)
    with run_lock(out_dir, options.wait):
        clear_leftovers(out_dir)
        if processed.is_stale(options.raw_dir, options.processed_dir):
            print(msg("report_cleaning", lang=options.lang), file=stream)
            from ..clean import clean, write_outputs  # pandera only when data changed

            write_outputs(clean(options.raw_dir, province_code=options.province_code),
                          options.processed_dir)
        tables = processed.load(options.processed_dir)
        # one date for every province, as in a run of one province: the latest in all data
        latest = processed.reference_date(tables, options.as_of)
        as_of = None if pd.isna(latest) else latest.strftime("%Y-%m-%d")
        results: dict[str, list] = {}
        worst = 0
        for number, (code, name) in enumerate(provinces, start=1):
            print(msg("national_progress", lang=options.lang, i=number, n=len(provinces),
                      province=name), file=stream, flush=True)
            folder = Path(options.processed_dir) / SLICES_DIR / code
            key = write_slice(processed.province_slice(tables, code,
                                                       predecessor_provinces(code)), folder)
            one = replace(options, province=code, era=ERA_2025, out_dir=out_dir / slug(name),
                          processed_dir=folder, as_of=as_of, data_key=key)
            status, results[code] = run_report(one, stream)
            worst = max(worst, status)
        page = national_page(options, as_of, tables_digest(tables), stream)
        worst = max(worst, int(page.status == FAILED))
        write_national_index(options, provinces, results, tables, page)
    print(msg("national_written", lang=options.lang, n=len(provinces),
              path=out_dir / "index.html"), file=stream)
    return worst, results


def national_page(options: ReportOptions, as_of: str | None, key: str,
                  stream) -> JobResult:
    """The national page (``national_overview.ipynb``) in ``<out>/``: a job like every page
    (its own kernel, workbook, atomic writes, failure kept to itself), keyed on the whole
    processed tables (it reads every province's rows) and skipped when that key, its
    template, date, language and code are those of its last run (``<out>/manifest.json``)."""
    out_dir = Path(options.out_dir)
    template = Path(options.national_template).resolve()
    check_template(template, NATIONAL_PARAMETERS)
    parameters = {"as_of": as_of, "lang": options.lang,
                  "processed_dir": str(Path(options.processed_dir).resolve())}
    job = Job(NATIONAL_SLUG, msg("national_page_link", lang=options.lang), str(template),
              parameters, str(out_dir.resolve()), job_hash(key, template, parameters),
              options.timeout, fresh_interpreter=options.fresh_interpreter)
    previous = load_manifest(out_dir)
    if not options.force and up_to_date(job, previous):
        result = skipped(job)
    else:
        [result] = execute([job], 1, options.scheduler, lambda _: None)
    write_manifest(out_dir, {"as_of": as_of, "lang": options.lang}, [result], previous)
    print(summary_table([result], options.lang), file=stream)
    return result


def _table_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, engine="pyarrow", index=False)
    return buffer.getvalue()


def tables_digest(tables: dict[str, pd.DataFrame]) -> str:
    """One hash of the processed tables' rows (their Parquet bytes)."""
    digest = hashlib.sha256()
    for name in processed.COLUMNS:
        digest.update(f"{name}\0{hashlib.sha256(_table_bytes(tables[name])).hexdigest()}\n"
                      .encode())
    return digest.hexdigest()


def write_slice(tables: dict[str, pd.DataFrame], folder: Path) -> str:
    """Write a province's slice of the processed tables (:func:`processed.province_slice`)
    to ``folder``; return the digest of its bytes, the key of the province's pages.

    A table whose Parquet bytes are those already on disk is not written again; an optional
    table of no row is not written (``processed.load`` gives it empty).
    """
    where = processed.paths(folder)
    digest = hashlib.sha256()
    for name in processed.COLUMNS:
        path, table = where[name], tables[name]
        if name in processed.OPTIONAL and table.empty:
            path.unlink(missing_ok=True)
            digest.update(f"{name}\0\n".encode())
            continue
        data = _table_bytes(table)
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
        if not path.is_file() or path.read_bytes() != data:
            write_atomic(path, lambda tmp, data=data: tmp.write_bytes(data))
    return digest.hexdigest()


def write_national_index(options: ReportOptions, provinces: list[tuple[str, str]],
                         results: dict[str, list], tables: dict[str, pd.DataFrame],
                         page: JobResult | None = None) -> Path:
    """``<out>/index.html``: one row per province with its units by type and its pages."""
    lang, out_dir = options.lang, Path(options.out_dir)
    sources: dict[str, int] = {}
    rows = []
    for p in province_rows(tables, provinces).to_dict("records"):
        outcome = [r.status for r in results.get(p["code"], [])]
        rows.append({
            "name": p["name"], "href": f"{slug(p['name'])}/index.html",
            "xa": p["Xã"], "phuong": p["Phường"], "dac_khu": p["Đặc khu"],
            "ntm": "—" if pd.isna(p["value"]) else
            f"{count_text(p['value'], p['denominator'], lang)} "
            f"({date_text(p['as_of'], lang)}) [{_source_number(sources, p['source'])}]",
            "covered": f"{p['covered']}/{p['units']}",
            "pages": sum(s in (OK, UP_TO_DATE) for s in outcome),
            "failed": sum(s == FAILED for s in outcome)})
    series = _series_rows(national_series(tables["facts"]), lang, sources)
    totals = {k: sum(r[k] for r in rows) for k in ("xa", "phuong", "dac_khu", "pages",
                                                   "failed")}
    made = page is not None and page.status in (OK, UP_TO_DATE)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.get_template("national_index.html.j2").render(
        lang=lang, rows=rows, totals=totals, series=series,
        national_page=f"{NATIONAL_SLUG}.html" if made else None,
        sources=[{"n": n, "text": text} for text, n in sources.items()],
        t={"title": msg("national_title", lang=lang),
           "run": msg("national_run", lang=lang, n=len(rows),
                      time=time.strftime("%d/%m/%Y %H:%M" if lang == "vi"
                                         else "%Y-%m-%d %H:%M")),
           "headers": msg("national_headers", lang=lang).split("|"),
           "series": msg("national_series", lang=lang),
           "series_headers": msg("national_series_headers", lang=lang).split("|"),
           "sources": msg("index_sources", lang=lang),
           "total": msg("national_total", lang=lang),
           "national_page": msg("national_page_link", lang=lang)})
    return write_text(out_dir / "index.html", page)


def _source_number(sources: dict[str, int], source: object) -> int:
    """The note number of ``source`` on the page, numbered in order of first use."""
    return sources.setdefault(str(source), len(sources) + 1)


def _series_rows(series: pd.DataFrame, lang: str, sources: dict[str, int]) -> list[dict]:
    """One row per date of the national figures: each metric's value and its sources."""
    out = []
    for day, cells, same in series_by_date(series, lang):
        notes = sorted({_source_number(sources, source) for source in same.source})
        out.append({"date": date_text(day, lang), "cells": cells,
                    "notes": ", ".join(f"[{n}]" for n in notes)})
    return out
