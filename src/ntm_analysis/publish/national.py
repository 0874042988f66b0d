"""``ntm report --province all`` (or a list): every province of the 2025 era in one run.

Each province is an ordinary run (:func:`publish.run.run_report`) into its own folder,
``<out>/<province-slug>/``, with its own lock, manifest, index and incremental skips: one
province's pages never overwrite another's, and a province whose pages are up to date costs
a second. The processed tables are cleaned once, before the first province. Then the
national index, ``<out>/index.html``, lists every province with its units by type, its
pages by outcome and a link to its own index; it is written atomically, like every page.

National runs are of the 2025 era: its 34 provinces partition the 3,321 commune-level units,
where the 63 provinces before 01/07/2025 would split across them (a legacy province's district
pages would be made once per successor).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import jinja2

from .. import processed
from ..config import TEMPLATES_DIR
from ..errors import BatchError
from ..messages import msg
from ..reference.eras import province_pair
from ..reference.units import ERA_2025, LEGACY, units_2025
from ..storage import write_text
from ..text import slug
from .job import FAILED, OK, UP_TO_DATE
from .plan import ReportOptions
from .run import run_report

ALL = "all"


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
    if processed.is_stale(options.raw_dir, options.processed_dir):
        print(msg("report_cleaning", lang=options.lang), file=stream)
        from ..clean import clean, write_outputs  # pandera only when data changed

        write_outputs(clean(options.raw_dir, province_code=options.province_code),
                      options.processed_dir)
    results: dict[str, list] = {}
    worst = 0
    for number, (code, name) in enumerate(provinces, start=1):
        print(msg("national_progress", lang=options.lang, i=number, n=len(provinces),
                  province=name), file=stream, flush=True)
        one = replace(options, province=code, era=ERA_2025, out_dir=out_dir / slug(name))
        status, results[code] = run_report(one, stream)
        worst = max(worst, status)
    write_national_index(options, provinces, results)
    print(msg("national_written", lang=options.lang, n=len(provinces),
              path=out_dir / "index.html"), file=stream)
    return worst, results


def write_national_index(options: ReportOptions, provinces: list[tuple[str, str]],
                         results: dict[str, list]) -> Path:
    """``<out>/index.html``: one row per province with its units by type and its pages."""
    lang, out_dir = options.lang, Path(options.out_dir)
    units = units_2025()
    rows = []
    for code, name in provinces:
        kinds = units[units.provinceCode == code].wardType.value_counts()
        outcome = [r.status for r in results.get(code, [])]
        rows.append({
            "name": name, "href": f"{slug(name)}/index.html",
            "xa": int(kinds.get("Xã", 0)), "phuong": int(kinds.get("Phường", 0)),
            "dac_khu": int(kinds.get("Đặc khu", 0)),
            "pages": sum(s in (OK, UP_TO_DATE) for s in outcome),
            "failed": sum(s == FAILED for s in outcome)})
    totals = {k: sum(r[k] for r in rows) for k in ("xa", "phuong", "dac_khu", "pages",
                                                   "failed")}
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                     autoescape=True, undefined=jinja2.StrictUndefined)
    page = environment.get_template("national_index.html.j2").render(
        lang=lang, rows=rows, totals=totals,
        t={"title": msg("national_title", lang=lang),
           "run": msg("national_run", lang=lang, n=len(rows),
                      time=time.strftime("%d/%m/%Y %H:%M" if lang == "vi"
                                         else "%Y-%m-%d %H:%M")),
           "headers": msg("national_headers", lang=lang).split("|"),
           "total": msg("national_total", lang=lang)})
    return write_text(out_dir / "index.html", page)
