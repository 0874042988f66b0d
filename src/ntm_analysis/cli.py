"""The ``ntm`` command line: ``inventory``, ``clean``, ``check``, ``crosswalk``, ``template``,
``report``.

Argument parsing and printing only: each command calls one stage of the library, imported
when the command runs, so that ``ntm --help`` and a report run with nothing to do stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import config
from .console import format_table
from .errors import NtmError
from .messages import LANGUAGES, get_language, msg, set_language


def _cmd_inventory(args: argparse.Namespace) -> int:
    from .raw.inventory import inventory, unlisted_missing  # each command loads its stage
    from .reference.criteria import periods_table
    from .reference.units import registry

    raw = Path(args.raw)
    if not raw.is_dir():
        print(msg("raw_dir_missing", path=raw), file=sys.stderr)
        return 2
    table = inventory(raw)
    print(msg("inventory_title", path=raw))
    headers = msg("inventory_header").split("|")
    shown = table.assign(
        rows=table.rows.map(lambda n: "?" if n is None else str(int(n))),
        source=[
            f"{r.publisher} — {r.title} ({r.date})" if r.listed else msg("inventory_unlisted")
            for r in table.itertuples()
        ],
    )[["file", "rows", "source"]]
    shown.columns = headers
    print(format_table(shown))
    _, missing = unlisted_missing(raw)
    if missing:
        print(msg("inventory_missing", n=len(missing), files=", ".join(missing)))
    sets = periods_table()
    print(msg("inventory_criteria", sets="; ".join(
        f"{r.level} {r.period}: {r.total}" for r in sets.itertuples())))
    legacy, new = _provinces(args)
    reg = registry(legacy)
    communes = reg.communes(province_code=legacy)
    print(msg("inventory_units", province=reg.get("province", legacy).name,
              districts=len(reg.districts(legacy)), communes=len(communes),
              rural=int((communes.unit_type == "Xã").sum())))
    reg = registry(new, "2025")
    counts = reg.communes(province_code=new).unit_type.value_counts()
    print(msg("inventory_units_2025", province=reg.get("province", new).name,
              counts=", ".join(f"{n} {t.lower()}" for t, n in counts.items())))
    return 0


def _provinces(args: argparse.Namespace) -> tuple[str, str]:
    """(legacy code, 2025 code) of ``--province`` (a name or code of either era)."""
    from .reference.eras import province_pair  # each command loads its stage

    return province_pair(args.province, config.DEFAULT_PROVINCE_CODE)


def _print_summary(summary) -> None:
    headers = msg("clean_header").split("|")
    # a column of text and missing values holds None or NaN depending on what else the
    # run read: only text is a reason or a repair
    shown = summary.assign(file=[
        f"{f} ({msg('clean_unreadable')}: {msg('reason_' + u)})" if isinstance(u, str) else f
        for f, u in zip(summary.file, summary.unreadable, strict=True)
    ])[["file", "read", "accepted", "merged", "rejected", "repaired"]]
    totals = shown[["read", "accepted", "merged", "rejected", "repaired"]].sum()
    shown.loc[len(shown)] = [msg("clean_total"), *map(int, totals)]
    shown.columns = headers
    print(format_table(shown))
    for file, repairs in zip(summary.file, summary.sheet_repairs, strict=True):
        if isinstance(repairs, str) and repairs:
            print(msg("clean_sheet_repaired", file=file, repairs=repairs))


def _rejected_view(rejected):
    reason = "reason_en" if get_language() == "en" else "reason"
    return rejected.assign(raw_row=rejected.raw_row.astype("string").fillna(""))[
        ["raw_file", "raw_sheet", "raw_row", "column", "value", reason, "suggestion"]
    ].fillna("")


def _cmd_clean(args: argparse.Namespace) -> int:
    from .raw.ahead import ReadAhead
    from .raw.files import raw_files

    raw = Path(args.raw)
    # the first file is read on a thread while pandas and pandera load (raw/files.py)
    with ReadAhead(raw_files(raw) if raw.is_dir() else [], raw) as ahead:
        from .clean import clean, write_outputs  # pandera loads only for the commands that clean

        result = clean(raw, province_code=_provinces(args)[0], ahead=ahead)
    paths = write_outputs(result, Path(args.out))
    _print_summary(result.summary)
    print(msg("clean_written", n=sum(p.exists() for p in paths.values()), path=args.out))
    # a refused file's rows are counted in "rejected" already; a refused file of no rows
    # (an empty sheet) has none, and is still a problem for --strict
    n_rejected = result.totals["rejected"]
    refused = int(result.summary.unreadable.map(lambda u: isinstance(u, str)).sum())
    if n_rejected or refused:
        print(msg("clean_rejected_hint", n=n_rejected, path=paths["rejected_csv"]))
    return 1 if args.strict and (n_rejected or refused) else 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .clean import clean_files  # pandera loads only for the commands that clean

    path = Path(args.file)
    if not path.is_file():
        print(msg("file_missing", path=path), file=sys.stderr)
        return 2
    result = clean_files([path], path.parent, province_code=_provinces(args)[0])
    if result.rejected.empty:
        print(msg("check_ok", file=path.name, n=result.totals["read"]))
        return 0
    _print_summary(result.summary)
    print(format_table(_rejected_view(result.rejected)))
    return 1


def _cmd_crosswalk(args: argparse.Namespace) -> int:
    from .reference.eras import crosswalk  # each command loads its stage
    from .storage import write_csv_for_excel

    table = crosswalk(args.province)
    write_csv_for_excel(Path(args.out), table)
    print(msg("crosswalk_written", n=len(table), new=table.new_code.nunique(), path=args.out))
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from .publish.entry_forms import plan_forms, write_forms  # each command loads its stage

    if args.thresholds:
        from .publish.entry_forms import write_thresholds

        print(msg("thresholds_written", path=write_thresholds(Path(args.out))))
        return 0
    legacy, new = _provinces(args)
    lines = ()
    if args.era == "2025" and (args.period or "2026-2030") == "2026-2030":
        import pandas as pd  # the thresholds table, when ntm clean wrote one

        from .processed import paths
        from .publish.entry_forms import indicator_lines

        table = paths(Path(args.processed))["indicator_thresholds"]
        lines = indicator_lines(pd.read_parquet(table) if table.exists() else None)
        if not lines:
            print(msg("template_no_thresholds", path=args.processed))
    books = plan_forms(new if args.era == "2025" else legacy, args.era, args.commune or (),
                       args.district, args.period, args.single, lines)
    paths = write_forms(books, Path(args.out))
    print(format_table(_forms_table(paths, books)))
    print(msg("template_written", files=len(paths), sheets=sum(len(b.units) for b in books),
              path=args.out))
    return 0


def _forms_table(paths, books):
    import pandas as pd  # the table printer takes a frame

    frame = pd.DataFrame({"file": [p.name for p in paths],
                          "units": [", ".join(u.unit.full_name for u in b.units)[:70]
                                    for b in books]})
    frame.columns = msg("template_header").split("|")
    return frame


def _cmd_report(args: argparse.Namespace) -> int:
    from .publish import ReportOptions, run_report  # each command loads its stage

    options = ReportOptions(
        districts=args.district, communes=args.commune, era=args.era, province=args.province,
        as_of=args.as_of, lang=args.report_lang or get_language(),
        raw_dir=Path(args.raw), processed_dir=Path(args.processed), out_dir=Path(args.out),
        jobs=args.jobs, template=Path(args.template), force=args.force,
        scheduler=args.scheduler, timeout=args.timeout, wait=args.wait,
        fresh_interpreter=args.fresh_interpreter, pdf=args.pdf,
    )
    from .publish.national import is_national, run_national

    code, _ = run_national(options) if is_national(args.province) else run_report(options)
    return code


PROVINCE_HELP = ("a province of either era, name or code; the other era's follows (default: "
                 "Kiên Giang before 01/07/2025, An Giang from that day)")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``ntm``."""
    parser = argparse.ArgumentParser(prog="ntm", description="ntm-analysis")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of messages (default vi, or NTM_LANG)")
    sub = parser.add_subparsers(dest="command", required=True)

    inv = sub.add_parser("inventory", help="list raw files with row counts and sources")
    inv.add_argument("--raw", default=str(config.RAW_DIR))
    inv.add_argument("--province", default=None, help=PROVINCE_HELP)
    inv.set_defaults(func=_cmd_inventory)

    cln = sub.add_parser("clean", help="clean raw tallies and facts into data/processed")
    cln.add_argument("--raw", default=str(config.RAW_DIR), help="raw folder (default data/raw)")
    cln.add_argument("--out", default=str(config.PROCESSED_DIR),
                     help="output folder (default data/processed)")
    cln.add_argument("--strict", action="store_true", help="exit 1 when any row is rejected")
    cln.add_argument("--province", default=None,
                     help="the province of rows without one: " + PROVINCE_HELP)
    cln.set_defaults(func=_cmd_clean)

    chk = sub.add_parser("check", help="validate one raw file and print its problems")
    chk.add_argument("file")
    chk.add_argument("--province", default=None,
                     help="the province of rows without one: " + PROVINCE_HELP)
    chk.set_defaults(func=_cmd_check)

    xwk = sub.add_parser("crosswalk", help="old communes (before 07/2025) and their successors")
    xwk.add_argument("--province", default=None,
                     help="a province of either era, name or code (default: the country)")
    xwk.add_argument("--out", default=str(config.PROCESSED_DIR / "crosswalk.csv"),
                     help="CSV file, UTF-8 with BOM (default data/processed/crosswalk.csv)")
    xwk.set_defaults(func=_cmd_crosswalk)

    tpl = sub.add_parser("template", help="write data-entry workbooks (.xlsx) to send to "
                                          "communes and read back with ntm clean")
    tpl.add_argument("--province", default=None, help=PROVINCE_HELP)
    tpl.add_argument("--era", choices=("2025", "legacy"), default="2025",
                     help="units from 01/07/2025, one workbook per commune (default), or the "
                          "units before, one workbook per district")
    tpl.add_argument("--commune", action="append", metavar="NAME_OR_CODE",
                     help="a commune (repeat for several); default: every rural commune")
    tpl.add_argument("--district", metavar="NAME_OR_CODE",
                     help="one district (legacy era only); default: every district")
    tpl.add_argument("--period", metavar="YYYY-YYYY",
                     help="criteria set (default 2026-2030 for 2025 units, 2021-2025 before)")
    tpl.add_argument("--single", action="store_true",
                     help="one workbook with a sheet per unit")
    tpl.add_argument("--thresholds", action="store_true",
                     help="the office's sheet of 2026–2030 indicator thresholds to fill once "
                          "(nguong-chi-tieu-2026-2030.xlsx), instead of the communes' forms")
    tpl.add_argument("--processed", default=str(config.PROCESSED_DIR),
                     help="where ntm clean wrote the office's indicator thresholds: the "
                          "2026-2030 forms list their indicators (default data/processed)")
    tpl.add_argument("--out", default=str(config.FORMS_DIR),
                     help="output folder (default forms/)")
    tpl.set_defaults(func=_cmd_template)

    rep = sub.add_parser("report", help="run every district's and commune's report and "
                                        "publish HTML")
    rep.add_argument("--district", action="append", metavar="NAME_OR_CODE",
                     help="a district (repeat for several); default: all and the overviews")
    rep.add_argument("--commune", action="append", metavar="NAME_OR_CODE",
                     help="a commune of the 2025 era (repeat for several); naming units "
                          "runs only those")
    rep.add_argument("--era", choices=("legacy", "2025", "all"), default="all",
                     help="district reports (legacy units), commune reports (units from "
                          "01/07/2025) or both (default)")
    rep.add_argument("--province", default=None,
                     help=PROVINCE_HELP + "; 'all' or a comma-separated list: every province "
                          "named, each in its own folder, and a national index")
    rep.add_argument("--as-of", dest="as_of", help="report date (default: latest data)")
    rep.add_argument("--lang", dest="report_lang", choices=LANGUAGES, default=None)
    rep.add_argument("--raw", default=str(config.RAW_DIR))
    rep.add_argument("--processed", default=str(config.PROCESSED_DIR))
    rep.add_argument("--out", default=str(config.REPORTS_DIR))
    rep.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    rep.add_argument("--template", default=str(config.NOTEBOOKS_DIR / "district_report.ipynb"))
    rep.add_argument("--force", action="store_true", help="run even the up-to-date reports")
    rep.add_argument("--scheduler", metavar="ADDRESS",
                     help="Dask scheduler, e.g. tcp://127.0.0.1:8786 (default: local processes)")
    rep.add_argument("--timeout", type=int, default=600, help="seconds per notebook cell")
    rep.add_argument("--wait", type=float, default=0.0,
                     help="seconds to wait for another run's lock (default: exit at once)")
    rep.add_argument("--fresh-interpreter", action="store_true",
                     help="start every kernel as a new Python instead of forking it from a "
                          "template that has the libraries imported")
    rep.add_argument("--pdf", action="store_true",
                     help="also print every page as a tagged A4 PDF with bookmarks, in pdf/ "
                          "(needs the pdf extra and a Chromium)")
    rep.set_defaults(func=_cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``ntm`` and return its exit code."""
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        return int(args.func(args))
    except NtmError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
