"""Every final file is written atomically, whichever module writes it: written again, each
final file is a new file moved into place (a new inode), never the old one rewritten in
place, which a reader or a kill mid-write would see half-written. One test over a real
clean and a real report run, so that a writer added later is covered without a test of
its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
#: not outputs: the run's lock is held open, not written
NOT_OUTPUTS = {".ntm-report.lock"}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and p.name not in NOT_OUTPUTS}


def ntm(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_file_of_a_clean_and_a_report_is_replaced_never_rewritten(tmp_path):
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    clean = ("clean", "--out", str(processed))
    report = ("report", "--district", "An Biên", "--commune", "An Biên", "--out", str(reports),
              "--processed", str(processed), "--force", "--jobs", "1")
    ntm(*clean)
    ntm(*report)
    before = {**{f"processed/{k}": v for k, v in inodes(processed).items()},
              **{f"reports/{k}": v for k, v in inodes(reports).items()}}
    ntm(*clean)
    ntm(*report)
    after = {**{f"processed/{k}": v for k, v in inodes(processed).items()},
             **{f"reports/{k}": v for k, v in inodes(reports).items()}}
    assert after.keys() == before.keys()
    # a page, a notebook, a workbook, the summary, the index, the manifest, the tables
    assert {"reports/an-bien.html", "reports/notebooks/an-bien.ipynb", "reports/xlsx/an-bien.xlsx",
            "reports/bang-tong-hop.xlsx", "reports/index.html", "reports/manifest.json",
            "processed/tallies.parquet", "processed/rejected.csv"} <= after.keys()
    in_place = sorted(name for name in after if after[name] == before[name])
    assert not in_place, f"written in place: {in_place}"
