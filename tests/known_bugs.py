"""Plant each known bug in a copy of ``src`` and check that a test fails.

Usage: ``python tests/known_bugs.py [NAME ...]`` (``make mutation`` runs it first). Each bug
is one textual edit of one file; the named tests run against the copy (``PYTHONPATH`` puts
it before the editable install) and must fail. Exit 1 when a planted bug goes unnoticed or an
edit no longer applies (the code moved: update the entry).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Bug:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]
    more: tuple[tuple[str, str], ...] = ()  # further (old, new) edits of the same file


SHEETS = "tests/clean/test_indicator_sheets.py::"
BUGS = [
    Bug("atomic writer writes into the final path", "storage.py",
        "        yield Path(tmp)\n        os.replace(tmp, path)",
        "        yield path",
        ("tests/foundation/test_storage.py",)),
    Bug("raw data left out of a report's input hash", "publish/plan.py",
        'json.dumps({"raw": raw,', 'json.dumps({"raw": "",',
        ("tests/publish/test_incremental.py",)),
    Bug("stale-tables check inverted", "processed.py",
        "return min(p.stat().st_mtime for p in outputs) < newest_raw",
        "return min(p.stat().st_mtime for p in outputs) > newest_raw",
        ("tests/foundation/test_processed.py",)),
    Bug("missed on the deadline day", "method/ratings.py",
        "pd.Timestamp(deadline) < pd.Timestamp(as_of)",
        "pd.Timestamp(deadline) <= pd.Timestamp(as_of)",
        ("tests/method/test_gaps.py",)),
    Bug("reached on the deadline is not in time", "method/gaps.py",
        "bool(u.reached_on <= u.deadline)", "bool(u.reached_on < u.deadline)",
        ("tests/method/test_gaps.py",)),
    Bug("fractional numeric cell truncated", "clean/cells.py",
        'return Tally(met=int(number)) if number.is_integer() else Tally(error="fractional")',
        "return Tally(met=int(number))",
        ("tests/clean/test_clean.py",)),
    Bug("notes not escaped", "report/display.py",
        'return f"<p>{html.escape(self.text)}</p>"', 'return f"<p>{self.text}</p>"',
        ("tests/report/test_escaping.py",)),
    Bug("index autoescape off", "publish/index.py",
        "autoescape=True", "autoescape=False",
        ("tests/report/test_escaping.py",)),
    Bug("failed cell off by one", "publish/job.py",
        'cell=getattr(exc, "exec_count", None))',
        'cell=(getattr(exc, "exec_count", None) or 0) + 1)',
        ("tests/publish/test_batch.py::test_a_failing_district_does_not_stop_the_others",)),
    Bug("a merged row dropped from the ledger and its assert", "clean/ledger.py",
        '    assert lost.empty, f"rows unaccounted', '    assert True or lost.empty, f"rows',
        ("tests/clean/test_clean.py",),
        more=(('merged_counts = pd.concat([m.raw_file for m in merged if not m.empty] or',
               'merged_counts = pd.concat([m.raw_file.iloc[1:] for m in merged if not '
               'm.empty] or'),)),
    Bug("two reports of a worker share one kernel", "publish/job.py",
        'warm["kernel_manager_class"] = WarmKernelManager',
        'warm["km"] = _SHARED.setdefault("km", WarmKernelManager())',
        ("tests/publish/test_warm.py::test_no_state_of_one_report_reaches_the_next_in_the_same_"
         "worker",),
        more=(('OK, FAILED, UP_TO_DATE = "ok", "failed", "up-to-date"',
               'OK, FAILED, UP_TO_DATE = "ok", "failed", "up-to-date"\n_SHARED = {}'),)),
    Bug("01/07/2025 read in the old units", "reference/eras.py",
        "np.where(days >= ERA_2025_START, ERA_2025, LEGACY)",
        "np.where(days > ERA_2025_START, ERA_2025, LEGACY)",
        ("tests/clean/test_clean_by_date.py",)),
    Bug("an old commune's name in 2026 resolved in the old units", "clean/rows.py",
        "        if era == ERA_2025:\n", "        if era == ERA_2025 and False:\n",
        ("tests/clean/test_clean_by_date.py",)),
    Bug("a report of one era reads the other era's rows", "processed.py",
        "keep = ((table.admin_era == era) & (table.province_code == province_code))",
        "keep = ((table.province_code == province_code))",
        ("tests/foundation/test_processed.py",)),
    Bug("achieved late shown as on time", "method/ratings.py",
        "on_time = pd.Timestamp(reached_on) <= pd.Timestamp(deadline)",
        "on_time = pd.Timestamp(reached_on) <= pd.Timestamp(deadline) + pd.Timedelta(days=1)",
        ("tests/method/test_gaps.py",)),
    Bug("a status pasted over a form's dropdown read as a status", "clean/entry_form.py",
        "pasted = ~undated & ~blank & choice.isna()",
        "pasted = ~undated & ~blank & choice.isna() & False",
        ("tests/clean/test_entry_forms.py",)),
    Bug("a form's tally counted from the criteria that were accepted", "clean/entry_form.py",
        "    if missing:\n", "    if missing and False:\n",
        ("tests/clean/test_entry_forms.py",)),
    Bug("a form found by its file name instead of its properties", "raw/readers.py",
        "form = is_form(path)", 'form = "form" in path.name',
        ("tests/clean/test_entry_forms.py",)),
    Bug("a page's workbook with dates read month first", "publish/workbooks.py",
        "return datetime(int(y), int(m), int(d))", "return datetime(int(y), int(d), int(m))",
        ("tests/publish/test_batch.py::test_every_page_has_its_workbook_with_the_pages_"
         "tables_typed",)),
    Bug("a cached reference table read back different from the one built", "storage.py",
        "        return pd.read_parquet(path)\n",
        "        return pd.read_parquet(path).iloc[:-1]\n",
        ("tests/reference/test_eras.py::test_the_crosswalk_read_from_the_cache_is_the_"
         "crosswalk_built", "tests/foundation/test_storage.py")),
    Bug("a warm kernel called ready before its IOPub is read", "publish/warm.py",
        "own patience).\"\"\"\n", "own patience).\"\"\"\n        return True\n",
        ("tests/publish/test_warm.py::test_a_warm_kernel_is_ready_with_its_iopub_read_and_is_"
         "reaped_when_stopped",)),
    Bug("one worker process per report running at once", "publish/pool.py",
        "REPORTS_PER_WORKER = 4", "REPORTS_PER_WORKER = 1",
        ("tests/publish/test_warm.py::test_one_worker_process_runs_reports_side_by_side_each_"
         "in_its_own_kernel",)),
    Bug("a worker killed by a report is not replaced", "publish/pool.py",
        "        if worker.running and todo:\n", "        if False:\n",
        ("tests/publish/test_warm.py::test_a_report_that_kills_its_worker_fails_alone_and_a_"
         "new_worker_goes_on",)),
    Bug("the index shows the figures of an overview that failed", "publish/index.py",
        'entry.get("status") in (OK, UP_TO_DATE)',
        'entry.get("status") in (OK, UP_TO_DATE, FAILED)',
        ("tests/publish/test_index.py",)),
    Bug("a page's outputs not focusable without nbconvert's second parse", "publish/export.py",
        """    body = _OUTPUT.sub(r'\\1 tabindex="0"', body)""", "",
        ("tests/publish/test_batch.py::test_a_page_is_what_nbconverts_own_exporter_makes",)),
    Bug("Calc's private-use characters left in place", "raw/mojibake.py",
        "    if not _PRIVATE_USE_CHARS.isdisjoint(text):\n", "    if False:\n",
        ("tests/clean/test_repairs.py::test_a_csv_saved_by_calc_after_its_default_import_keeps_"
         "every_name",)),
    Bug("capitals with the other tone placement not folded", "reference/units.py",
        "        text = official_tones(text)\n", "        text = text\n",
        ("tests/reference/test_units.py::test_usual_spellings_of_official_names_resolve",)),
    Bug("column headers without scope", "report/display.py",
        """        table = _COLUMN_HEADER.sub('<th scope="col" ', self.styler.to_html())""",
        "        table = self.styler.to_html()",
        ("tests/publish/test_a11y.py::test_every_column_header_is_scoped_and_the_page_says_"
         "its_language",)),
    Bug("the index's grey text too light to read", "publish/templates/index.html.j2",
        "  .meta { color: #555; }", "  .meta { color: #aaa; }",
        ("tests/publish/test_a11y.py::test_axe_finds_no_violation_of_wcag_21_aa",)),
    Bug("a page does not link its PDF", "publish/job.py",
        "pdf_href(job.slug) if job.pdf else None", "None",
        ("tests/publish/test_pdf.py::test_each_page_and_the_index_link_the_pdf_that_the_run_"
         "printed",)),
    Bug("a draft's thresholds accepted", "clean/indicators.py",
        '    draft = ~pre & column_of(rows, "document").map(ind.is_draft)\n',
        '    draft = ~pre & False\n',
        (SHEETS + "test_a_wrong_thresholds_row_is_rejected_with_its_reason",)),
    Bug("groups' thresholds in the draft's order accepted", "reference/indicators.py",
        "        return all(a >= b for a, b in pairs)", "        return True",
        (SHEETS + "test_a_wrong_thresholds_row_is_rejected_with_its_reason",)),
    Bug("a typed status its indicators contradict kept", "clean/indicators.py",
        "    clash = pd.Series(clash, index=table.index)",
        "    clash = pd.Series(False, index=table.index)",
        (SHEETS + "test_a_typed_status_that_its_indicators_contradict_is_rejected_with_both",)),
    Bug("a value compared with another group's threshold", "method/indicators.py",
        '"threshold", "document"]], on=["indicator", "commune_group"])',
        '"threshold", "document"]].drop_duplicates("indicator").drop(columns="commune_group"),'
        ' on=["indicator"])',
        (SHEETS + "test_the_commune_page_lists_each_unmet_indicator_with_its_gap_in_its_unit",)),
    Bug("a criterion met with an indicator missing", "reference/indicators.py",
        "        status = False if unmet else True if complete else None",
        "        status = False if unmet else True",
        ("tests/reference/test_indicator_catalogue.py::test_a_criterion_is_met_only_when_"
         "every_indicator_is_given_and_met",)),
    Bug("the day before the merger printed as the merger's day", "report/commune.py",
        "LAST_LEGACY_DAY = ERA_2025_START - pd.Timedelta(days=1)",
        "LAST_LEGACY_DAY = ERA_2025_START",
        ("tests/report/test_sentences.py::test_pages_print_the_last_day_of_the_old_units_"
         "where_they_state_it",)),
    Bug("GSO's spellings of units not indexed", "reference/units.py",
        "        self._aliases = gso_aliases() if era == LEGACY else {}\n",
        "        self._aliases = {}\n",
        ("tests/reference/test_units.py::test_usual_spellings_of_official_names_resolve",)),
    Bug("a GSO alias indexed over another unit's name", "reference/units.py",
        "                if key not in self._exact:\n", "                if True:\n",
        ("tests/reference/test_units.py::test_a_gso_alias_never_takes_another_units_name",)),
    Bug("a thị trấn of 2026 moved to the xã of the same name", "clean/rows.py",
        "    if stated in _COMMUNE_TYPES and stated != comm.unit_type:",
        "    if False:",
        ("tests/clean/test_clean_by_date.py::test_a_written_type_that_contradicts_the_new_unit_"
         "is_rejected_naming_the_successor",)),
    Bug("a district's count implies its xã whatever its N", "clean/facts.py",
        "if not len(xa) or (not pd.isna(src.count) and int(src.count) != len(xa)):",
        "if not len(xa):",
        ("tests/clean/test_implied.py",)),
    Bug("an implied status overrides a commune's own figure", "clean/pipeline.py",
        "    fresh = [k not in known for k in", "    fresh = [True for k in",
        ("tests/clean/test_implied.py",)),
    Bug("a thị trấn predecessor counted among the xã", "report/commune.py",
        'return self.predecessor_units[self.predecessor_units.old_type == "Xã"]',
        "return self.predecessor_units",
        ("tests/report/test_sentences.py::test_a_commune_page_counts_its_xa_and_names_each_"
         "implied_status",)),
    Bug("a plan judged on the day criteria were met, not on recognition", "method/gaps.py",
        "    full = recognised if len(recognised) else days[complete]",
        "    full = days[complete]",
        ("tests/report/test_sentences.py::test_the_headline_names_the_day_criteria_were_met_"
         "and_the_day_of_recognition",)),
    Bug("the summary workbook saved in place", "publish/workbooks.py",
        "    _properties(workbook, title)\n    return write_atomic(path, workbook.save)",
        "    _properties(workbook, title)\n    workbook.save(path)\n    return path",
        ("tests/test_atomic_outputs.py",)),
    Bug("rejected.csv one line short of rejected.parquet", "storage.py",
        "pa.Table.from_pandas(frame, preserve_index=False)",
        "pa.Table.from_pandas(frame.iloc[:-1], preserve_index=False)",
        ("tests/foundation/test_twins.py",)),
    Bug("files read more than one ahead", "raw/ahead.py",
        "            self._start(self._paths.index(path) + 1)",
        "            self._start(self._paths.index(path) + 1)\n"
        "            self._start(self._paths.index(path) + 2)",
        ("tests/raw/test_ahead.py",),
        more=(("        self._start(0)\n", "        self._start(0)\n        self._start(1)\n"),)),
    Bug("a form's blank indicator value dropped, not rejected", "clean/entry_form.py",
        '        ledger.problem(indicators, blank, "value", "form_blank_indicator")\n', "",
        ("tests/clean/test_indicator_forms.py::test_a_blank_or_mistyped_value_is_rejected_"
         "with_its_reason",)),
    Bug("a form one status short taken as complete", "clean/entry_form.py",
        "    if missing:\n", "    if missing > 1:\n",
        ("tests/clean/test_entry_forms.py::test_a_form_one_status_short_of_complete_gives_no_"
         "count",)),
    Bug("a predecessor complete at two levels counted twice", "report/commune.py",
        'return full.sort_values("as_of").drop_duplicates("commune_code")',
        'return full.sort_values("as_of")',
        ("tests/report/test_sentences.py::test_a_predecessor_complete_at_two_levels_is_one_xa_"
         "that_reached_ntm",)),
    Bug("a repair on a merged row not counted", "clean/ledger.py",
        "for t in (reported, *merged)", "for t in (reported,)",
        ("tests/clean/test_repairs.py::test_a_repaired_row_merged_with_its_plain_twin_is_"
         "counted_once_as_repaired",)),
    Bug("clean text put through the mojibake repair", "raw/readers.py",
        "damaged = None if utf16 else first_damaged(c for row in head for c in row)",
        "damaged = None if utf16 else (first_damaged(c for row in head for c in row)\n"
        "                                    or ('“', '\"'))",
        ("tests/clean/test_repairs.py::test_clean_text_with_typographic_quotes_and_nfd_is_"
         "left_alone",)),
    Bug("a form of another layout version read as an ordinary sheet", "raw/readers.py",
        'if key is None and str(text).startswith(f"{KEY_PREFIX}|"):',
        'if False and str(text).startswith(f"{KEY_PREFIX}|"):',
        ("tests/clean/test_entry_forms.py::test_a_form_of_another_layout_version_is_refused_"
         "whole_with_its_reason",)),
    Bug("the index's row of a failed report not marked failed", "publish/index.py",
        '"failed": status == FAILED}', '"failed": False}',
        ("tests/publish/test_batch.py::test_a_failing_district_does_not_stop_the_others",)),
    Bug("two communes of a province with one page file", "publish/plan.py",
        'return f"{name}-{code}" if (province_code, name) in _shared_slugs() else name',
        "return name",
        ("tests/publish/test_plan.py::test_every_commune_page_of_a_province_has_its_own_file_"
         "name",)),
    Bug("an area's pace window counted back from the report date", "method/areas.py",
        "in_window(usable.as_of, latest_on, window_years)",
        "in_window(usable.as_of, ref, window_years)",
        ("tests/method/test_areas.py::test_rate_area_window_ends_at_the_latest_point_not_the_"
         "report_date",)),
    Bug("a form's count kept when one of its statuses contradicts its indicators",
        "clean/pipeline.py", "    tallies = contradicted_forms(ledger, tallies, typed, crit)\n",
        "",
        ("tests/clean/test_indicator_forms.py::test_indicator_values_are_read_in_their_unit_"
         "and_contradicted_statuses_rejected",)),
    Bug("a form's indicator value cell not checked by its unit", "publish/entry_forms.py",
        '        checks[line.unit].add(f"C{r}")\n', '        checks["percent"].add(f"C{r}")\n',
        ("tests/clean/test_indicator_forms.py::test_the_form_lists_the_offices_indicators_"
         "with_cells_typed_by_unit",)),
    Bug("a province's slice without its predecessors' rows", "processed.py",
        "                | ((era == LEGACY) & code.isin(predecessors)) | era.isna())",
        "                | era.isna())",
        ("tests/report/test_province_slice.py::test_a_commune_page_from_the_slice_is_the_"
         "page_from_the_whole_tables",)),
    Bug("a province's slice keyed on its file times, not its rows", "publish/national.py",
        '        digest.update(f"{name}\\0{hashlib.sha256(data).hexdigest()}\\n".encode())',
        '        digest.update(f"{name}\\0{path.stat().st_mtime_ns if path.is_file() else 0}"'
        '.encode())',
        ("tests/report/test_province_slice.py::test_the_slice_is_written_once_and_its_key_"
         "follows_its_rows",)),
    Bug("a national run's pages keyed on the whole raw folder", "publish/plan.py",
        "    raw = options.data_key or raw_digest(options.raw_dir)",
        "    raw = raw_digest(options.raw_dir)",
        ("tests/publish/test_national.py::test_one_provinces_new_row_re_runs_its_pages_and_no_"
         "other",)),
    Bug("the national page shows a province's oldest count", "report/national.py",
        'drop_duplicates("province_code", keep="last")',
        'drop_duplicates("province_code", keep="first")',
        ("tests/report/test_national_page.py::test_a_province_shows_its_latest_sourced_count_"
         "with_date_and_raw_row",)),
    Bug("a new commune's page takes the legacy tallies of its reused code",
        "report/commune.py",
        "    new = tallies[(tallies.admin_era == ERA_2025) & (tallies.commune_code == unit.code)",
        "    new = tallies[(tallies.commune_code == unit.code)",
        ("tests/report/test_reused_codes.py",)),
    Bug("a new province's status of a unit from the legacy tallies of its reused code",
        "report/commune.py",
        "    status = _unit_status(units, tallies[(tallies.admin_era == ERA_2025)\n"
        "                                         & (tallies.province_code == province_code)",
        "    status = _unit_status(units, tallies[(tallies.province_code == province_code)",
        ("tests/report/test_reused_codes.py",)),
    Bug("a province overview without facts fails", "method/areas.py",
        "    return pd.DataFrame(records, columns=RATED_COLUMNS)",
        "    return pd.DataFrame(records)",
        ("tests/report/test_reused_codes.py",)),
    Bug("the tone rewrite's shortcut skips oe and uy", "reference/units.py",
        '_MAYBE_OTHER_TONE = re.compile("[ou][àáảãạèéẻẽẹỳýỷỹỵ]")',
        '_MAYBE_OTHER_TONE = re.compile("[ou][àáảãạ]")',
        ("tests/reference/test_units.py::test_the_tone_rewrite_skips_no_name_that_needs_it",)),
    Bug("the national index's column headers without scope",
        "publish/templates/national_index.html.j2",
        '<thead><tr>{% for h in t.headers %}<th scope="col">',
        '<thead><tr>{% for h in t.headers %}<th>',
        ("tests/publish/test_a11y.py",)),
    Bug("the national page keyed on nothing that changes", "publish/national.py",
        "        page = national_page(options, as_of, tables_digest(tables), stream)",
        '        page = national_page(options, as_of, "", stream)',
        ("tests/publish/test_national.py::test_one_provinces_new_row_re_runs_its_pages_and_no_"
         "other",)),
    # the rules the sampled mutation run (tests/mutation_sample.py) showed untested
    Bug("the timeline of recognitions drawn in matplotlib's default colour", "report/plots.py",
        '    ax.scatter(rows.as_of, y + jitter, s=36, color="#009E73", edgecolor="#333333",',
        '    ax.scatter(rows.as_of, y + jitter, s=36, edgecolor="#333333",',
        ("tests/report/test_plots.py",)),
    Bug("a series of a year ticked every fourth month", "report/plots.py",
        "[1, 2, 3, 4, 6, 12]", "[1, 2, 4, 4, 6, 12]", ("tests/report/test_plots.py",)),
    Bug("a conflict of exactly four rows given an ellipsis", "clean/merge.py",
        "size - 1 > MAX_NAMED", "size - 1 >= MAX_NAMED",
        ("tests/clean/test_clean.py::test_a_conflict_names_three_other_rows_then_an_ellipsis",)),
    Bug("a type contradiction rejected under no column", "clean/rows.py",
        'return _UnitHit(column="commune", reason="commune_type_changed"',
        'return _UnitHit(column=None, reason="commune_type_changed"',
        ("tests/clean/test_clean_by_date.py",)),
    Bug("a status its indicators contradict rejected under no column", "clean/indicators.py",
        '_reject(ledger, table, clash, "status", "status_contradicts_indicators"',
        '_reject(ledger, table, clash, None, "status_contradicts_indicators"',
        ("tests/clean/test_indicator_sheets.py",)),
    Bug("a form of the wrong era rejected under no column", "clean/entry_form.py",
        'ledger.problem(criteria, wrong_era, "as_of", "form_era_mismatch"',
        'ledger.problem(criteria, wrong_era, None, "form_era_mismatch"',
        ("tests/clean/test_entry_forms.py",)),
    Bug("a fact without a level naming a district taken as the province's", "clean/facts.py",
        '"district", "province"))', '"province", "province"))',
        ("tests/clean/test_clean.py::test_a_fact_without_a_level_is_about_the_smallest_unit_it_names",)),
    Bug("a refused sheet's English reason in Vietnamese", "clean/ledger.py",
        '"reason_en": msg(f"reason_{problem.reason}", lang="en")',
        '"reason_en": msg(f"reason_{problem.reason}", lang="vi")',
        ("tests/clean/test_repairs.py",)),
    Bug("a column of a processed table left untyped", "clean/schemas.py",
        '"repair": pa.Column(str, nullable=True)', '"repair": pa.Column(nullable=True)',
        ("tests/clean/test_table_schemas.py",)),
    Bug("tally rules that cannot run on the candidates ignored", "clean/tallies.py",
        "        if len(whole):", "        if False:",
        ("tests/clean/test_clean.py::test_tally_rules_that_cannot_run_are_an_error_not_a_pass",)),
]


def _plant(src: Path, bug: Bug) -> None:
    path = src / "ntm_analysis" / bug.file
    text = path.read_text(encoding="utf-8")
    for old, new in ((bug.old, bug.new), *bug.more):
        if text.count(old) != 1:
            raise SystemExit(f"{bug.name}: the edit does not apply to {bug.file} any more")
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def check(bug: Bug) -> tuple[bool, float]:
    """True when at least one of the bug's tests fails against the planted copy."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
        _plant(src, bug)
        env = {**os.environ, "PYTHONPATH": str(src), "NTM_PROJECT_ROOT": str(ROOT)}
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p",
                              "no:cacheprovider", *bug.tests], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        return run.returncode == 1, time.perf_counter() - start


def main(names: list[str]) -> int:
    chosen = [b for b in BUGS if not names or b.name in names]
    missed = 0
    for bug in chosen:
        caught, seconds = check(bug)
        missed += not caught
        print(f"{'caught ' if caught else 'MISSED '} {seconds:6.1f} s  {bug.name}", flush=True)
    print(f"{len(chosen) - missed} of {len(chosen)} planted bugs caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
