"""Text from fact sheets and from ``sources.yml`` reaches pages and the index only escaped.

The browser test covers tally sheets end to end; these cover the other ways in, in process:
the criteria statement of a fact sheet (a note), a fact's source title (a table cell), and a
source's title in ``sources.yml`` (the index template's autoescape)."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import write_csv

from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.processed import load
from ntm_analysis.publish import ReportOptions
from ntm_analysis.publish.index import IndexData, source_lines, write_index
from ntm_analysis.report.district import district_from_tables

HOSTILE = '<img src=x onerror=alert(1)>'
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
FACT_HEADER = ["as_of", "level", "province", "district", "commune", "criteria_met",
               "criteria_total", "metric", "value", "source_url", "source_title"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    write_csv(raw / "facts.csv", [FACT_HEADER,
        ["05/2022", "province", "Kiên Giang", "", "", "", "19",
         "common_unmet_criterion_nang_cao", HOSTILE, "", "bài báo"],
        ["2023-05-21", "district", "Kiên Giang", "An Biên", "", "9", "9",
         "district_recognized_ntm", "1", "", HOSTILE],
    ])
    out = tmp_path_factory.mktemp("processed")
    write_outputs(clean(raw), out)
    return load(out)


def html_of(piece) -> str:
    return piece.to_html() if hasattr(piece, "to_html") else piece._repr_html_()


def test_a_criteria_statement_from_a_fact_sheet_is_escaped(tables):
    report = district_from_tables("908", pd.Timestamp("2023-12-31"), "vi", tables, "91")
    note = html_of(report.unmet_criteria())
    assert ESCAPED in note and HOSTILE not in note


def test_a_fact_source_title_is_escaped_in_the_gap_table(tables):
    report = district_from_tables("908", pd.Timestamp("2023-12-31"), "vi", tables, "91")
    table = html_of(report.gap_table())
    assert ESCAPED in table and HOSTILE not in table


def test_sources_and_names_are_escaped_in_the_index(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yml").write_text(
        "files:\n"
        f"  - file: facts.csv\n    title: '{HOSTILE}'\n    publisher: '<b>NXB</b>'\n"
        "    date: 2022-08-06\n    url: 'javascript:alert(1)'\n", encoding="utf-8")
    options = ReportOptions(raw_dir=raw, out_dir=tmp_path / "out", lang="vi")
    ref = pd.Timestamp("2023-12-31")
    districts = [{"slug": "an-bien", "name": HOSTILE, "criteria": "9/9", "as_of": "—",
                  "rating": "x", "color": "#FFFFFF", "deadline": "—", "communes": "—"}]
    page = write_index(options, {"run_id": HOSTILE, "reports": {}},
                       IndexData("Kiên Giang", ref, districts, source_lines(raw)))
    html = page.read_text(encoding="utf-8")
    assert HOSTILE not in html and "<b>NXB</b>" not in html
    assert html.count(ESCAPED) == 3  # district name, source title, run id
    assert 'href="javascript' not in html  # a source's address is text, not a link
