"""`ntm report`: real papermill kernels in parallel, nbconvert HTML, index, manifest, failures."""

from __future__ import annotations

import datetime
import fcntl
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import openpyxl
import pytest
import python_calamine

from ntm_analysis import config
from ntm_analysis.publish import ReportOptions, run_report
from ntm_analysis.publish.plan import OVERVIEW_SLUG
from ntm_analysis.text import slug

pytestmark = pytest.mark.slow
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


def ntm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm_analysis.cli", *args],
                          capture_output=True, text=True)



@pytest.fixture(scope="module")
def first_run(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = ntm("report", "--district", "An Biên", "--district", "Phú Quốc", "--district",
                 "Tân Hiệp", "--out", str(out),
                 "--processed", str(processed), "--jobs", "2")
    return out, result


def test_reports_manifest_and_index_are_written(first_run):
    out, result = first_run
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("an-bien", "phu-quoc", "tan-hiep"):
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert not EXTERNAL.search(html), EXTERNAL.search(html)
        # nothing a library printed to stderr (a warning, a traceback) reaches an official
        assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html, name
        assert "<script" not in html  # nothing to run, nothing fetched
        assert "data:image/png;base64" in html or name == "phu-quoc"
        assert (out / "notebooks" / f"{name}.ipynb").exists()
    assert "Huyện An Biên" in (out / "an-bien.html").read_text(encoding="utf-8")
    assert "ntm_analysis" not in (out / "an-bien.html").read_text(encoding="utf-8")  # no code
    # the analyst's instructions stay in the notebook, never in the page
    assert "Run All" not in (out / "an-bien.html").read_text(encoding="utf-8")
    assert "Run All" in (out / "notebooks" / "an-bien.ipynb").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="an-bien.html"' in index and 'href="phu-quoc.html"' in index
    assert "Giang Thành" in index and "Đặc khu Kiên Hải" in index
    # the index lists every unit of both eras (a header and 15 districts, a header and the
    # new An Giang's 102 units), each linked where its page exists, and the summary workbook
    assert index.count("<tr>") == 1 + 15 + 1 + 102 and index.count('href="') == 3 + 1
    assert not EXTERNAL.search(index)
    # on time or late, with when, as precisely as the data knows it
    assert "Đạt trễ hạn · 20/02/2024 (đủ tiêu chí 21/05/2023)" in index  # An Biên
    assert "Đạt trễ hạn · 20/02/2024</td>" in index  # Kiên Lương: no earlier report
    assert "Đã đạt · năm 2020 (QĐ 669/QĐ-TTg, ngày 02/06/2022)" in index
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {"run_id", "started", "finished", "versions", "inputs_hash"} <= set(manifest)
    entry = manifest["reports"]["an-bien"]
    assert entry["status"] == "ok" and entry["html"] == "an-bien.html" and entry["seconds"] > 0
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*.tmp"))


class _Tables(HTMLParser):
    """The page's report tables (class ntm-table) as rows of cell texts, header first."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "ntm-table" in (dict(attrs).get("class") or ""):
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None


def same_cell(book: object, page: str) -> bool:
    """A workbook cell shows what the page's cell says: a date its dd/mm/yyyy, a number its
    value, an empty cell a dash."""
    if book in (None, ""):
        return page in ("—", "")
    if isinstance(book, datetime.date):
        return book.strftime("%d/%m/%Y") == page
    if isinstance(book, float):
        return book == (float(page[:-1]) / 100 if page.endswith("%") else float(page))
    return book == page


def sheets_of(path) -> dict[str, list[list[object]]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_every_page_has_its_workbook_with_the_pages_tables_typed(first_run):
    out, _ = first_run
    for name, unit in (("an-bien", "Huyện An Biên"), ("phu-quoc", "Thành phố Phú Quốc")):
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="xlsx/{name}.xlsx"' in page
        parser = _Tables()
        parser.feed(page)
        sheets = sheets_of(out / "xlsx" / f"{name}.xlsx")
        sources = sheets.pop("Nguồn", [])  # the numbered sources of every table, when any
        text, *tables = sheets.values()
        title = f"Tiến độ xây dựng nông thôn mới: {unit}"
        assert text[0] == [title]
        # the unit names the browser tab and the workbook (never nbconvert's "Notebook")
        assert re.search(r"<title>(.*?)</title>", page)[1] == title
        props = openpyxl.load_workbook(out / "xlsx" / f"{name}.xlsx", read_only=True)
        assert props.properties.title == title
        assert len(tables) == len(parser.tables) >= 2, name
        for rows, shown in zip(tables, parser.tables, strict=True):
            assert rows[0] == shown[0]  # the headers, in Vietnamese
            assert len(rows) == len(shown)
            for got, want in zip(rows[1:], shown[1:], strict=True):
                assert all(same_cell(g, w) for g, w in zip(got, want, strict=True)), (got, want)
        assert name == "phu-quoc" or (sources[0] == ["Bảng", "Số", "Nguồn"]
                                      and len(sources) > 1)
    gaps = sheets_of(out / "xlsx" / "an-bien.xlsx")["Khoảng cách tới chuẩn"]
    header = gaps[0]
    first = dict(zip(header, gaps[1], strict=True))
    assert isinstance(first["Còn thiếu"], float) and isinstance(first["Thời điểm"],
                                                                 datetime.date)
    assert first["Đạt"] == "9/9"  # a tally stays text
    summary = sheets_of(out / "bang-tong-hop.xlsx")["Tổng hợp"]
    assert len(summary) == 1 + 15 + 102
    an_bien = next(dict(zip(summary[0], r, strict=True)) for r in summary
                   if r[1] == "Huyện An Biên")
    assert (an_bien["Tiêu chí đạt"], an_bien["Số tiêu chí còn thiếu"]) == ("9/9", 0.0)
    assert an_bien["Trang báo cáo"] == "an-bien.html"
    # two days, two events, both dates as dates: criteria met, then recognised
    assert (an_bien["Ngày đạt đủ tiêu chí"], an_bien["Ngày đạt chuẩn"]) == (
        datetime.date(2023, 5, 21), datetime.date(2024, 2, 20))
    assert 'href="bang-tong-hop.xlsx"' in (out / "index.html").read_text(encoding="utf-8")


class _Canonical(HTMLParser):
    """A page as its elements, attributes (sorted, classes' spacing evened) and texts."""

    def __init__(self, page: str):
        super().__init__()
        self.events = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.events.append((tag, sorted((k, " ".join(v.split()) if k == "class" else v)
                                        for k, v in attrs)))

    handle_startendtag = handle_starttag  # <meta/> as <meta>: written either way

    def handle_endtag(self, tag):
        self.events.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.events.append((data.strip(),))


def test_a_page_is_what_nbconverts_own_exporter_makes(first_run):
    """export.PageExporter leaves out HTMLExporter's second parse of the page (BeautifulSoup)
    and adds what that parse adds (alt text, focusable outputs) itself: same elements, same
    attributes, same text as the stock exporter's page, but for the unit as its title."""
    from nbconvert import HTMLExporter

    from ntm_analysis.publish.export import NO_ALT, configured, export_html, image_alts

    out, _ = first_run
    notebook = nbformat.read(out / "notebooks" / "an-bien.ipynb", as_version=4)
    stock = configured(HTMLExporter)
    page, _ = stock.from_notebook_node(notebook)
    alts = image_alts(notebook)
    for alt in alts:  # what the stock page lacks: each chart's own text for its placeholder
        page = page.replace(f'alt="{NO_ALT}"', f'alt="{alt}"', 1)
    page = page.replace('<html lang="en">', '<html lang="vi">', 1)
    page = re.sub("<title>.*?</title>", "<title>Tiến độ xây dựng nông thôn mới: Huyện An Biên"
                  "</title>", page, count=1)  # and the unit as its title
    assert len(alts) >= 1 and all(alts) and page.count('tabindex="0"') > 10
    assert _Canonical(export_html(notebook, "vi")).events == _Canonical(page).events


def test_unchanged_rerun_skips_and_force_runs_again(first_run, processed):
    out, _ = first_run
    before = (out / "an-bien.html").stat().st_mtime_ns
    again = ntm("report", "--district", "An Biên", "--out", str(out), "--processed",
                str(processed))
    assert again.returncode == 0
    assert (out / "an-bien.html").stat().st_mtime_ns == before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["an-bien"]["status"] == "up-to-date"
    forced = ntm("report", "--district", "An Biên", "--out", str(out), "--processed",
                 str(processed), "--force")
    assert forced.returncode == 0
    assert (out / "an-bien.html").stat().st_mtime_ns > before


def test_a_failing_district_does_not_stop_the_others(first_run, processed, tmp_path):
    out, _ = first_run
    good_before = (out / "an-bien.html").read_bytes()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "district_report.ipynb", as_version=4)
    boom = nbformat.v4.new_code_cell('if district == "908":\n'
                                     '    raise RuntimeError("lỗi có chủ đích / deliberate")')
    nb.cells.insert(3, boom)
    template = tmp_path / "broken.ipynb"
    nbformat.write(nb, template)
    result = ntm("report", "--district", "An Biên", "--district", "Phú Quốc", "--out",
                 str(out), "--processed", str(processed), "--template", str(template),
                 "--lang", "en")
    assert result.returncode == 1
    assert "RuntimeError: lỗi có chủ đích / deliberate" in result.stdout
    assert (out / "an-bien.html").read_bytes() == good_before  # the good report stays
    failed = nbformat.read(out / "failed" / "an-bien.ipynb", as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in failed.cells)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["an-bien"]["status"] == "failed"
    (raised,) = [c for c in failed.cells if c.cell_type == "code" and any(
        o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert "lỗi có chủ đích" in raised.source  # the cell we broke, and its number:
    assert manifest["reports"]["an-bien"]["cell"] == raised.execution_count > 0
    # the index: the failed report's row says so and still links the last good page; a
    # district never run is listed, not linked
    index = (out / "index.html").read_text(encoding="utf-8")
    districts = index.split('id="districts"')[1].split("</table>")[0]

    def row(name: str) -> re.Match:
        return re.search(rf"<tr>\s*<td>(?:<a href=\"([^\"]+)\">)?{name}\b.*?</tr>", districts,
                         re.S)

    an_bien = row("Huyện An Biên")
    assert an_bien[1] == "an-bien.html" and '<td class="failed">failed</td>' in an_bien[0]
    never = row("Huyện Kiên Lương")
    assert never[1] is None and "<td>not generated</td>" in never[0]
    assert manifest["reports"]["phu-quoc"]["status"] == "ok"


@pytest.mark.parametrize("args,needle", [
    (["--district", "Kiên Lươn"], "Kiên Lương"),
    (["--as-of", "32/13/2022"], "32/13/2022"),
])
def test_bad_arguments_exit_2_before_any_kernel(tmp_path, args, needle):
    result = ntm("report", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and needle in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_template_without_a_parameter_is_refused(tmp_path):
    nb = nbformat.read(config.NOTEBOOKS_DIR / "district_report.ipynb", as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = 'district = "An Biên"\nas_of = None\nprocessed_dir = None'
    nbformat.write(nb, tmp_path / "t.ipynb")
    result = ntm("--lang", "en", "report", "--district", "908", "--template",
                 str(tmp_path / "t.ipynb"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "lang" in result.stderr


def test_a_second_run_exits_with_a_clear_message_while_one_holds_the_lock(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".ntm-report.lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = ntm("--lang", "en", "report", "--district", "908", "--out", str(out))
    assert result.returncode == 3 and "Another report run" in result.stderr


def test_dask_scheduler_runs_the_same_jobs(processed, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        code, results = run_report(ReportOptions(
            districts=["Kiên Hải"], out_dir=tmp_path / "out", processed_dir=processed,
            scheduler=cluster.scheduler_address))
    assert code == 0 and [r.status for r in results] == ["ok"]
    assert (tmp_path / "out" / "kien-hai.html").exists()


def test_slugs_are_ascii():
    assert slug("Kiên Lương") == "kien-luong" and slug("U Minh Thượng") == "u-minh-thuong"
    assert OVERVIEW_SLUG.isascii()


def test_a_worker_still_validates_notebooks_without_the_iri_grammar():
    """Workers mark rfc3987_syntax absent (a 2 s import): nbformat must still find a broken
    notebook, and the module must really not be loaded."""
    code = (
        "import sys\n"
        "from ntm_analysis.publish.job import init_worker\n"
        "init_worker()\n"
        "import nbformat, papermill\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'nonsense'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "except nbformat.ValidationError:\n"
        "    print('invalid')\n"
        "print(sys.modules.get('rfc3987_syntax'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["invalid", "None"], out


def test_scheduler_without_the_cluster_extra_exits_2_with_the_install_command(tmp_path):
    """dask.distributed is optional: hide it from the import system, as on a machine that
    installed the project without the `cluster` extra."""
    code = (
        "import sys\n"
        "class NoDask:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'distributed':\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, NoDask())\n"
        "from ntm_analysis.cli import main\n"
        f"sys.exit(main(['--lang', 'en', 'report', '--district', '908', '--out', "
        f"{str(tmp_path / 'out')!r}, '--scheduler', 'tcp://127.0.0.1:1']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert "pip install -e '.[cluster]'" in result.stderr
    assert not (tmp_path / "out" / "manifest.json").exists()
