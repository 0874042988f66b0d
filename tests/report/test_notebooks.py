"""The report notebooks, executed for real with papermill and exported with nbconvert."""

from __future__ import annotations

import ast
import base64
import re
import struct

import nbformat
import papermill as pm
import pytest
from builders import tally_rows, write_csv
from conftest import TODAY
from nbconvert import HTMLExporter

from ntm_analysis import config
from ntm_analysis import processed as processed_tables
from ntm_analysis.clean import clean, write_outputs
from ntm_analysis.report import district_reports

NOTEBOOKS = config.NOTEBOOKS_DIR
HOSTILE = "<img src=x onerror=alert(1)>"
pytestmark = pytest.mark.slow



def run(notebook: str, tmp_path, **parameters):
    out = tmp_path / f"out_{notebook}"
    pm.execute_notebook(str(NOTEBOOKS / notebook), str(out), parameters=parameters,
                        kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    return nbformat.read(out, as_version=4)


def outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def text_of(nb) -> str:
    parts = []
    for o in outputs(nb):
        data = o.get("data", {})
        parts.append(data.get("text/html", "") + data.get("text/plain", "") + o.get("text", ""))
    return "\n".join(parts)


def images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(nb))


def assert_no_errors(nb) -> None:
    errors = [o for o in outputs(nb) if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""
    streams = "".join(o.get("text", "") for o in outputs(nb) if o.get("name") == "stderr")
    assert "Traceback" not in streams


def test_district_report_rich_data_in_vietnamese(processed, tmp_path):
    nb = run("district_report.ipynb", tmp_path, district="An Biên", as_of="2022-05-31",
             lang="vi", processed_dir=str(processed))
    assert_no_errors(nb)
    text = text_of(nb)
    assert "Huyện An Biên" in text and "Số liệu đến 31/05/2022" in text
    assert "cần thêm 5 tiêu chí trước 31/12/2022 (8.5 tiêu chí/năm)" in text  # the headline
    assert "Tiêu chí huyện NTM" in text and "4/9" in text and "14/19" in text  # Đông Yên
    assert "8.5" in text  # required pace to 31/12/2022
    assert "Chưa đủ dữ liệu" in text  # one tally: required pace alone
    assert "Giao thông" in text  # criteria most often unmet (province-wide report)
    assert images(nb) == 2  # gap chart, trend charts


def test_district_report_without_data_in_english(processed, tmp_path):
    nb = run("district_report.ipynb", tmp_path, district="911", lang="en",
             processed_dir=str(processed))
    assert_no_errors(nb)
    text = text_of(nb)
    assert "Thành phố Phú Quốc" in text
    assert "No criteria tallies for Thành phố Phú Quốc" in text
    assert "District NTM criteria" in text and "Tiêu chí huyện" not in text
    assert images(nb) == 0  # no empty axes


def test_province_overview(processed, tmp_path):
    nb = run("province_overview.ipynb", tmp_path, lang="vi", processed_dir=str(processed))
    assert_no_errors(nb)
    text = text_of(nb)
    for name in ("Rạch Giá", "Kiên Lương", "Giang Thành", "U Minh Thượng", "Phú Quốc"):
        assert name in text
    assert "116/116" in text and "Tỷ lệ xã đạt chuẩn NTM" in text
    assert images(nb) == 3  # province series, map, timeline
    # its districts table carries each district's headline record, through the kernel and
    # the notebook's JSON, equal to the records worked out from the tables (the index reads
    # them instead of working them out again: publish.index)
    carried = [o["data"][config.PIECE_MIME]["records"] for o in outputs(nb)
               if "records" in o.get("data", {}).get(config.PIECE_MIME, {})]
    tables = processed_tables.scoped(processed_tables.load(processed), "legacy", "91")
    worked_out = [r.headline_record() for r in district_reports(
        tables, processed_tables.reference_date(tables), "vi", "91")]
    assert carried == [worked_out] and len(worked_out) == 15
    assert {"2022-12-31 00:00:00", None} <= {r["deadline"] for r in worked_out}


def test_escaping_and_the_criteria_heatmap(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "hostile.csv", tally_rows(
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19", HOSTILE),
        ("05/2022", "An Biên", HOSTILE, "nâng cao", "14/19", "ok"),
    ))
    write_csv(raw / "tieu_chi.csv", [["Ngày", "Huyện", "Xã", "Cấp độ", "Tiêu chí", "Đánh giá"]] + [
        ["05/2022", "An Biên", commune, "nâng cao", criterion, status]
        for commune, statuses in (("Đông Yên", "x.x.x"), ("Nam Yên", "..xxx"))
        for criterion, status in zip(("TC1", "Giao thông", "3", "Tiêu chí 4", "Y tế"),
                                     ["Đạt" if c == "x" else "chưa đạt" for c in statuses],
                                     strict=True)
    ])
    out = tmp_path / "processed"
    write_outputs(clean(raw), out)
    nb = run("district_report.ipynb", tmp_path, district="An Biên", processed_dir=str(out))
    assert_no_errors(nb)
    assert images(nb) == 3  # gap chart, trend charts, criteria × commune heatmap
    unmet = next(o["data"]["text/html"] for o in outputs(nb)
                 if "Số xã chưa đạt" in o.get("data", {}).get("text/html", ""))
    assert re.search(r"Giao thông</td>\s*<td[^>]*>2<", unmet)  # unmet in both communes
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(nb)
    assert HOSTILE not in body
    assert re.search(r"&lt;img src=x onerror=alert\(1\)&gt;", body)
    assert body.count("&lt;img src=x onerror=alert(1)&gt;") >= 2  # source and commune


@pytest.fixture(scope="module")
def both_eras(tmp_path_factory):
    """The shipped data and a 2026 sheet as an office types it after the merger: new units,
    no district column, the 2026-2030 set of 10."""
    import shutil

    raw = tmp_path_factory.mktemp("raw_both")
    shutil.rmtree(raw)
    shutil.copytree(config.RAW_DIR, raw)
    write_csv(raw / "xa_2026.csv", [
        ["STT", "Kỳ báo cáo", "Tỉnh", "Xã", "Cấp độ", "Kết quả", "Nguồn"],
        [1, "03/2026", "An Giang", "Xã An Biên", "NTM", "6/10", "Báo cáo quý I/2026"],
        [2, "30/06/2026", "An Giang", "Xã An Biên", "NTM", "7/10", "Báo cáo 6 tháng 2026"],
    ])
    out = tmp_path_factory.mktemp("processed_both")
    write_outputs(clean(raw, today=TODAY), out)
    return out


def test_commune_report_shows_its_predecessors_history(both_eras, tmp_path):
    """Issue 13: xã An Biên's page shows its own 2026 tallies and, as its predecessor's
    history, Đông Yên's 14/19 of May 2022; each predecessor on its own row."""
    nb = run("commune_report.ipynb", tmp_path, commune="An Biên", lang="vi",
             processed_dir=str(both_eras))
    assert_no_errors(nb)
    text = text_of(nb)
    assert "Xã An Biên (An Giang)" in text and "7/10" in text and "31/12/2030" in text
    assert ("Xã An Biên đạt 7/10 tiêu chí xã nông thôn mới (Bộ tiêu chí 2026–2030) ngày "
            "30/06/2026; cần thêm 3 tiêu chí trước 31/12/2030") in text  # the headline
    assert re.search(r"Đông Yên \(An Biên\)</td>\s*<td[^>]*>xã NTM nâng cao</td>\s*"
                     r"<td[^>]*>14/19</td>\s*<td[^>]*>31/05/2022<", text)
    for old in ("Thị trấn Thứ Ba", "Xã Hưng Yên", "Xã Đông Yên"):  # the three predecessors
        assert old in text
    # a count of the xã (Thứ Ba is a thị trấn: not assessed), never a sum of their tallies;
    # Hưng Yên has no figure of its own but An Biên district's "8/8 xã" implies it
    assert "2 trên 2 xã" in text and "không thuộc diện đánh giá xã NTM" in text
    assert re.search(r"Xã Hưng Yên</td>\s*<td[^>]*>Huyện An Biên</td>\s*<td[^>]*>30997</td>"
                     r"\s*<td[^>]*>xã NTM 19/19 \([0-9/]+, suy từ [^<]*huyện An Biên", text)
    assert "Quy hoạch" in text and "tên và số thứ tự đã kiểm chứng (hai nguồn" in text
    assert images(nb) == 1  # the predecessors' panels


def test_province_overview_from_2025(both_eras):
    """The page's pieces in this process (the commune notebook above covers the kernel)."""
    from ntm_analysis.report import province_overview_2025

    page = province_overview_2025(lang="en", processed_dir=both_eras)
    text = "\n".join(piece._repr_html_() if hasattr(piece, "_repr_html_") else
                      piece.to_html() for piece in (page.title(), page.headline_sentence(),
                                                    page.unit_counts(),
                                                    page.province_figures(),
                                                    page.communes_table()))
    assert "An Giang province has 85 xã, 14 phường, 3 đặc khu" in text
    assert ("An Giang province: 69/85 communes at the NTM standard (2025-12-14); 1 of its "
            "102 units have a result on the 2026–2030 set.") in text
    assert re.search(r"NTM commune</td>\s*<td[^>]*>69/85</td>\s*<td[^>]*>2025-12-14<", text)
    assert re.search(r"Xã An Biên</td>\s*<td[^>]*>not at NTM</td>\s*<td[^>]*>7/10</td>\s*"
                     r"<td[^>]*>2026-06-30<", text)
    assert "Kiên Giang" not in text  # the old province's figures stay on its own pages


def test_the_2025_province_page_reconciles_its_count_with_the_units(both_eras):
    """69/85 as the province reports it, beside what the data names: Xã An Biên has a
    figure of its own (7/10: not at NTM), the other xã none; phường and đặc khu are not
    assessed; xã whose every predecessor was at NTM are shown, never counted as at NTM."""
    from ntm_analysis.report import province_overview_2025

    page = province_overview_2025(processed_dir=both_eras)
    counts = page.status_counts().set_index("status")["count"].to_dict()
    assert counts == {"met_own": 0, "met_implied": 0, "not_met": 1, "unknown": 84,
                      "not_assessed": 17}
    rows = page.reconciliation().data.iloc[:, :2].values.tolist()
    assert rows[:3] == [["Tỉnh báo cáo xã đạt chuẩn NTM", "69/85"],
                        ["Trong đó dữ liệu nêu được tên", "0"], ["Chưa nêu được tên", "69"]]
    candidates = page.reconciliation().data.iloc[3]
    assert int(candidates.iloc[1]) >= 1 and "An Biên" in candidates.iloc[3]
    table = page.communes_table().data
    assert table.iloc[0, 0] == "Xã An Biên"  # units with data first
    assert table.iloc[-1, 1].startswith("không thuộc diện đánh giá")
    assert "chưa có số liệu: 84" in page.status_chart().alt


def test_the_exploration_notebook_runs_on_the_data_api(processed, tmp_path):
    """The analyst's own notebook (not a report template): every cell runs in a real kernel
    and shows what its heading says."""
    nb = run("kham_pha.ipynb", tmp_path, processed_dir=str(processed))
    assert_no_errors(nb)
    text = text_of(nb)
    assert "Phi Thông" in text and "Vĩnh Hòa Hưng Bắc" in text  # closest to nâng cao
    assert "achieved" in text  # the province on a chosen date, by rating
    assert images(nb) == 2  # two districts side by side, one commune over time
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(len(c.source.splitlines()) <= 8 for c in code)  # a few lines each


@pytest.mark.parametrize("name", ["district_report.ipynb", "province_overview.ipynb",
                                  "commune_report.ipynb", "province_overview_2025.ipynb",
                                  "kham_pha.ipynb"])
def test_notebooks_are_thin_with_a_literal_parameters_cell(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) <= 10
    assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code)
    assert not any("HTML(" in c.source or "Markdown(" in c.source for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for node in ast.parse(params[0].source).body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)


def test_set_theme_in_a_kernel_keeps_a_bare_figure_whole(tmp_path):
    """After ``report.set_theme()`` the inline backend draws a figure at its own size: the
    charts fit their labels themselves (constrained layout), and a crop to a tight box
    would draw each figure twice. A 2 x 1 in figure at 100 dpi is 200 x 100 pixels; the
    default crop would shrink it to the small empty axes in its middle."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from ntm_analysis import report\n"
                                          "report.set_theme()"),
                nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\n"
                                          "axes = plt.figure(figsize=(2, 1))"
                                          ".add_axes([0.45, 0.4, 0.1, 0.2])\n"
                                          "axes.set(xticks=[], yticks=[])")]
    path = tmp_path / "figure.ipynb"
    nbformat.write(nb, path)
    done = pm.execute_notebook(str(path), str(path), kernel_name="python3",
                               cwd=str(tmp_path), progress_bar=False)
    [png] = [base64.b64decode(o["data"]["image/png"]) for o in outputs(done)
             if "image/png" in o.get("data", {})]
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    assert (width, height) == (200, 100)
