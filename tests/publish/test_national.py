"""``ntm report --province`` with several provinces: each province a run of its own in its
own folder (pages, index, manifest), the processed tables cleaned once, a national index
linking every province; a second run skips every page."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from ntm_analysis import config
from ntm_analysis.publish.national import is_national, provinces_of
from ntm_analysis.reference.units import units_2025

pytestmark = pytest.mark.slow
#: the two smallest provinces of the 2025 era (38 and 40 commune-level units)
PROVINCES = {"12": "lai-chau", "46": "hue"}


def ntm(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ntm_analysis.cli", *args],
                          capture_output=True, text=True)


class Rows(HTMLParser):
    """The national index's body rows: the link and the cells of each."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "a" and self._in_body:
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._in_body and self.rows and data.strip():
            self.rows[-1].append(data.strip())


@pytest.fixture(scope="module")
def national(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("national")
    result = ntm("report", "--province", "Lai Châu, Thành phố Huế", "--out", str(out),
                 "--processed", str(processed), "--jobs", "2")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out, result


def test_province_lists_are_read_in_order_and_all_is_every_province():
    assert is_national("all") and is_national("Lai Châu,Huế") and not is_national("Huế")
    assert [c for c, _ in provinces_of("Huế, Lai Châu, 12", "91")] == ["46", "12"]
    every = provinces_of("all", "91")
    assert len(every) == units_2025().provinceCode.nunique() == 34
    assert [c for c, _ in every] == sorted(c for c, _ in every)


def test_each_province_has_its_own_pages_index_and_manifest(national):
    out, result = national
    units = units_2025()
    for code, folder in PROVINCES.items():
        manifest = json.loads((out / folder / "manifest.json").read_text(encoding="utf-8"))
        pages = {p.stem for p in (out / folder).glob("*.html")} - {"index"}
        # every commune-level unit of the province and its province page, nothing else
        assert len(pages) == (units.provinceCode == code).sum() + 1
        assert {slug for slug, r in manifest["reports"].items() if r["status"] == "ok"} == pages
        assert (out / folder / "index.html").exists()
    assert result.stdout.count("Tỉnh 1/2") == 1 and "Tỉnh 2/2: Huế" in result.stdout


def test_the_national_index_links_every_province_with_its_counts(national):
    out, _ = national
    page = Rows()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert page.links == [f"{folder}/index.html" for folder in PROVINCES.values()]
    assert all((out / link).exists() for link in page.links)
    units = units_2025()
    for (code, folder), row in zip(PROVINCES.items(), page.rows[:len(PROVINCES)],
                                   strict=True):
        kinds = units[units.provinceCode == code].wardType.value_counts()
        made = len(list((out / folder).glob("*.html"))) - 1
        # no sourced count and no tally for these two provinces in the shipped data
        assert row[1:] == [str(kinds.get("Xã", 0)), str(kinds.get("Phường", 0)),
                           str(kinds.get("Đặc khu", 0)), "—", f"0/{kinds.sum()}", str(made),
                           "0"]


def test_the_national_index_shows_the_countrys_sourced_series(national, processed):
    out, _ = national
    page = Rows()
    html = (out / "index.html").read_text(encoding="utf-8")
    page.feed(html)
    facts = pd.read_parquet(processed / "facts.parquet")
    national = facts[facts.scope == "national"]
    series = page.rows[len(PROVINCES):]
    # one row per date of the country's figures, in order
    assert [r[0] for r in series] == [d.strftime("%d/%m/%Y")
                                      for d in sorted(national.as_of.unique())]
    assert series[-1][:5] == ["30/06/2025", "6.084/7.669 (79,3%)", "2.567", "743", "17,5"]
    # each row's note names a source listed under the table, with its title
    # self-contained: no address outside the folder, nothing to fetch when opened offline
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    sources = re.findall(r"<li>(.*?)</li>", html)
    assert "VietNamNet, 07/2025" in sources[int(series[-1][-1].strip("[]")) - 1]


def test_the_national_page_is_made_linked_and_self_contained(national):
    out, result = national
    page = out / "tong-quan-ca-nuoc.html"
    html = page.read_text(encoding="utf-8")
    assert 'href="tong-quan-ca-nuoc.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Nông thôn mới: các tỉnh, thành phố" in html
    assert "Các tỉnh, thành phố" in html and "Cả nước theo thời gian" in html
    assert "6.084/7.669 (79,3%)" in html and '<img alt="Biểu đồ: tỉ lệ xã' in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert (out / "xlsx" / "tong-quan-ca-nuoc.xlsx").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["tong-quan-ca-nuoc"]["status"] == "ok"
    assert "Trang tổng quan cả nước" in result.stdout


def test_a_second_run_skips_every_page(national, processed):
    out, _ = national
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/*.html")}
    before[out / "tong-quan-ca-nuoc.html"] = (out / "tong-quan-ca-nuoc.html").stat().st_mtime_ns
    again = ntm("report", "--province", "Lai Châu,Huế", "--out", str(out),
                "--processed", str(processed), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    after = {p: p.stat().st_mtime_ns for p in [*out.glob("*/*.html"),
                                                out / "tong-quan-ca-nuoc.html"]}
    assert after == before
    for folder in PROVINCES.values():
        manifest = json.loads((out / folder / "manifest.json").read_text(encoding="utf-8"))
        assert {r["status"] for r in manifest["reports"].values()} == {"up-to-date"}


def test_one_provinces_new_row_re_runs_its_pages_and_no_other(tmp_path):
    """A fact about Huế, dated within the data's range, added to a raw file: Huế's pages
    (each keyed on Huế's slice of the tables) are made again, Lai Châu's are not touched,
    and the national index shows the new figure."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(config.RAW_DIR, raw)
    args = ("report", "--province", "Lai Châu, Huế", "--raw", str(raw), "--processed",
            str(tmp_path / "processed"), "--out", str(out), "--jobs", "2")
    first = ntm(*args)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    before = {p: p.stat().st_mtime_ns for p in [*out.glob("*/*.html"),
                                                 out / "tong-quan-ca-nuoc.html"]}
    facts = raw / "an_giang_kien_giang_2015_2026_facts.csv"
    with facts.open("a", encoding="utf-8") as handle:
        handle.write("01/12/2025,province,Thành phố Huế,,,,,ntm_communes,30/40,,"
                     "Kiểm thử / test\n")
    newest = max(p.stat().st_mtime for p in (tmp_path / "processed").glob("*.parquet"))
    os.utime(facts, (newest + 60, newest + 60))  # newer than the tables, whatever the clock
    second = ntm(*args)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    changed = {p for p, mtime in before.items() if p.stat().st_mtime_ns != mtime}
    assert changed == {p for p in before if p.parent.name == "hue"} | {
        out / "tong-quan-ca-nuoc.html"}
    statuses = {folder: {r["status"] for r in json.loads(
        (out / folder / "manifest.json").read_text(encoding="utf-8"))["reports"].values()}
        for folder in PROVINCES.values()}
    assert statuses == {"lai-chau": {"up-to-date"}, "hue": {"ok"}}
    page = Rows()
    page.feed((out / "index.html").read_text(encoding="utf-8"))
    assert page.rows[1][4].startswith("30/40 (75,0%) (01/12/2025)")


@pytest.mark.parametrize("args", [["--era", "legacy"], ["--commune", "An Biên"]])
def test_a_national_run_refuses_legacy_pages_and_named_units(tmp_path: Path, args):
    result = ntm("report", "--province", "all", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2 and "--" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_national_run_on_a_dask_scheduler_with_two_worker_processes(processed, tmp_path):
    """The same run through ``--scheduler``: a real ``dask scheduler`` and two ``dask
    worker`` processes (1 GB each) on this machine; the pages of a province made on them."""
    distributed = pytest.importorskip("distributed")
    import socket

    with socket.socket() as probe:  # a free port for the scheduler
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    cli = [sys.executable, "-m"]
    scheduler = subprocess.Popen([*cli, "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = [subprocess.Popen([*cli, "distributed.cli.dask_worker", address, "--nthreads",
                                 "1", "--memory-limit", "1GB", "--no-dashboard"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for _ in range(2)]
    try:
        with distributed.Client(address, timeout=120) as client:
            client.wait_for_workers(2, timeout=120)  # a condition, not a sleep
            out = tmp_path / "out"
            result = ntm("report", "--province", "Lai Châu,", "--scheduler", address,
                         "--out", str(out), "--processed", str(processed))
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            # each worker's memory as the scheduler last heard it from the worker
            peaks = {w: info["metrics"]["memory"]
                     for w, info in client.scheduler_info()["workers"].items()}
        units = units_2025()
        pages = len(list((out / "lai-chau").glob("*.html")))
        assert pages == (units.provinceCode == "12").sum() + 2  # the communes, overview, index
        assert (out / "index.html").exists()
        assert len(peaks) == 2 and max(peaks.values()) < 1e9
    finally:
        for process in (*workers, scheduler):
            process.terminate()
        for process in (*workers, scheduler):
            process.wait(timeout=60)

