"""Incremental runs publish no old numbers: a changed raw file changes every report's input
hash, re-cleans the processed tables and re-runs the report; an unchanged one is skipped."""

from __future__ import annotations

import json
import os
import shutil

import pandas as pd
import pytest

from ntm_analysis import config, processed
from ntm_analysis.publish import ReportOptions, run_report
from ntm_analysis.publish.plan import code_digest, job_hash, raw_digest

pytestmark = pytest.mark.slow
TEMPLATE = config.NOTEBOOKS_DIR / "district_report.ipynb"
PARAMS = {"district": "913", "as_of": None, "lang": "vi", "processed_dir": "/x"}


def test_the_job_hash_follows_every_input_but_not_the_processed_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.csv").write_text("1", encoding="utf-8")
    first = raw_digest(raw)
    (raw / "a.csv").write_text("2", encoding="utf-8")
    second = raw_digest(raw)
    (raw / "a.csv").rename(raw / "b.csv")
    assert len({first, second, raw_digest(raw)}) == 3  # contents and names both count
    base = job_hash(first, TEMPLATE, PARAMS)
    assert job_hash(second, TEMPLATE, PARAMS) != base
    assert job_hash(first, TEMPLATE, {**PARAMS, "as_of": "2022-05-31"}) != base
    assert job_hash(first, TEMPLATE, {**PARAMS, "processed_dir": "/y"}) == base


INPUTS = {  # each input of a report's hash, changed alone
    "a raw file's bytes": lambda w: (w.raw / "a.csv").write_text("2", encoding="utf-8"),
    "a raw file's name": lambda w: (w.raw / "a.csv").rename(w.raw / "b.csv"),
    "a new raw file": lambda w: (w.raw / "c.csv").write_text("1", encoding="utf-8"),
    "the template": lambda w: w.template.write_bytes(w.template.read_bytes() + b" "),
    "the unit": lambda w: w.params.update(district="912"),
    "the date": lambda w: w.params.update(as_of="2022-05-31"),
    "the language": lambda w: w.params.update(lang="en"),
    "the package's code": lambda w: (w.package / "report" / "page.py").write_text(
        (w.package / "report" / "page.py").read_text(encoding="utf-8") + "\n", "utf-8"),
    "the package's reference data": lambda w: (w.package / "reference" / "data" /
                                               "criteria_periods.csv").write_text("x", "utf-8"),
}


class _World:
    """A raw folder, a template, parameters and a copy of the package: a report's inputs."""

    def __init__(self, root):
        self.raw = root / "raw"
        self.raw.mkdir()
        (self.raw / "a.csv").write_text("1", encoding="utf-8")
        self.template = root / "template.ipynb"
        shutil.copy(TEMPLATE, self.template)
        self.params = dict(PARAMS)
        self.package = root / "ntm_analysis"
        shutil.copytree(config.PACKAGE_DIR, self.package,
                        ignore=shutil.ignore_patterns("__pycache__"))

    def job_hash(self) -> str:
        code_digest.cache_clear()  # the copy of the package changes within one process
        return job_hash(raw_digest(self.raw), self.template, self.params,
                        code_digest(self.package))


@pytest.mark.parametrize("change", list(INPUTS))
def test_each_input_of_a_report_alone_changes_its_hash(tmp_path, change):
    world = _World(tmp_path)
    before = world.job_hash()
    assert world.job_hash() == before  # nothing changed: the same hash, nothing re-run
    INPUTS[change](world)
    assert world.job_hash() != before, change


def test_the_processed_folder_is_not_an_input(tmp_path):
    world = _World(tmp_path)
    before = world.job_hash()
    world.params["processed_dir"] = "/elsewhere"
    assert world.job_hash() == before


def test_a_changed_raw_file_recleans_and_reruns_the_report(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    options = ReportOptions(districts=["Kiên Hải"], raw_dir=raw, out_dir=tmp_path / "out",
                            processed_dir=tmp_path / "processed", jobs=1)
    code, results = run_report(options)
    assert code == 0 and [r.status for r in results] == ["ok"]
    page = tmp_path / "out" / "kien-hai.html"
    before = page.read_bytes()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    hash_before = manifest["reports"]["kien-hai"]["input_hash"]

    code, results = run_report(options)  # nothing changed: skipped, bytes untouched
    assert [r.status for r in results] == ["up-to-date"] and page.read_bytes() == before

    tallies = raw / "bao_cao_thang_5_2022_tallies.csv"
    with tallies.open("a", encoding="utf-8") as handle:
        handle.write("11,tháng 9/2022,Kiên Hải,,huyện NTM,đạt 5/9 tiêu chí,Kiểm thử / test\n")
    newest = max(p.stat().st_mtime for p in processed.paths(tmp_path / "processed").values()
                 if p.exists())
    os.utime(tallies, (newest + 60, newest + 60))  # newer than the tables, whatever the clock
    code, results = run_report(options)
    assert code == 0 and [r.status for r in results] == ["ok"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["kien-hai"]["input_hash"] != hash_before
    cleaned = pd.read_parquet(tmp_path / "processed" / "tallies.parquet")
    new = cleaned[cleaned.source == "Kiểm thử / test"]  # re-cleaned before the report ran
    assert new[["district", "level", "criteria_met", "criteria_total"]].values.tolist() == \
        [["Kiên Hải", "huyen_ntm", 5, 9]]
    after = page.read_text(encoding="utf-8")
    assert page.read_bytes() != before and "5/9" in after and "Kiểm thử / test" in after


def test_asking_for_pdfs_re_runs_the_pages_that_link_them(processed, tmp_path):
    from ntm_analysis.publish.plan import plan, validate

    def jobs(pdf: bool):
        options = ReportOptions(districts=["An Biên"], out_dir=tmp_path,
                                processed_dir=processed, pdf=pdf)
        return plan(options, validate(options))

    [plain], [linked] = jobs(False), jobs(True)
    assert not plain.pdf and linked.pdf
    assert plain.input_hash != linked.input_hash
    assert jobs(True)[0].input_hash == linked.input_hash
