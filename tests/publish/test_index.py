"""The index page: the districts' figures from the overview's notebook or worked out, alike."""

from __future__ import annotations

import json

import pytest

from ntm_analysis import config, processed
from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.publish import ReportOptions
from ntm_analysis.publish.index import district_records, prepare_index, write_index
from ntm_analysis.publish.job import FAILED, OK
from ntm_analysis.publish.plan import OVERVIEW_SLUG, validate

NOTEBOOK = f"notebooks/{OVERVIEW_SLUG}.ipynb"


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    write_outputs(clean(config.RAW_DIR), out)
    return out


def overview_notebook(path, records) -> None:
    """An executed overview as the index reads it: a districts table piece with records."""
    piece = {"kind": "table", "columns": ["Huyện"], "numeric": [], "rows": [["x"]],
             "notes": [], **({"records": records} if records is not None else {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {config.PIECE_MIME: piece}}]}]}),
        encoding="utf-8")


def index_page(options, status: str, records) -> str:
    overview_notebook(options.out_dir / NOTEBOOK, records)
    data = prepare_index(options, validate(options), districts_later=True)
    manifest = {"run_id": "r", "reports": {OVERVIEW_SLUG: {"status": status,
                                                           "notebook": NOTEBOOK}}}
    return without_run_time(write_index(options, manifest, data).read_text(encoding="utf-8"))


def without_run_time(page: str) -> str:
    """The page less its run line (generated at HH:MM, run "r"): the one line that may
    differ between two writes."""
    return "\n".join(line for line in page.splitlines() if "(lần chạy r)" not in line)


def test_the_index_shows_the_overview_records_and_works_them_out_without_them(
        tables_dir, tmp_path):
    options = ReportOptions(processed_dir=tables_dir, out_dir=tmp_path / "out", era="legacy")
    tables = processed.load(tables_dir)
    records = district_records(tables, processed.reference_date(tables), "vi", "91")
    worked_out = write_index(options, {"run_id": "r", "reports": {}},
                             prepare_index(options, validate(options))).read_text("utf-8")
    # An Biên: judged on its recognition, with the day its criteria were met beside it
    assert "Đạt trễ hạn · 20/02/2024 (đủ tiêu chí 21/05/2023)" in worked_out
    assert worked_out.count("<tr>") == 1 + 15
    strip = without_run_time(worked_out)
    assert strip.count("\n") == worked_out.count("\n") - 1  # the run line, and only it
    # from the overview's records: the same page, row for row
    assert index_page(options, OK, records) == strip
    # the records are what the page shows: a changed one shows
    changed = [{**r, "district_criteria": "99/99"} if r["code"] == "899" else r for r in records]
    assert "99/99" in index_page(options, OK, changed) and "99/99" not in strip
    # an overview that failed (its notebook is an older run's), or one without records (a
    # template of one's own): worked out from the tables
    assert index_page(options, FAILED, changed) == strip
    assert index_page(options, OK, None) == strip
