"""Injected faults: a report run killed mid-way, and files that cannot be read."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys

import nbformat
import pytest
from builders import tally_rows, write_csv

from ntm_analysis import config
from ntm_analysis.clean import clean

pytestmark = pytest.mark.slow
DISTRICTS = ["--district", "Kiên Hải", "--era", "legacy"]  # the index: districts only



def report_cmd(out, processed, *extra):
    return [sys.executable, "-m", "ntm_analysis.cli", "report", *DISTRICTS, "--out", str(out),
            "--processed", str(processed), "--jobs", "2", *extra]


def final_files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and not p.name.startswith(".") and ".work" not in p.parts
            and p.name != "manifest.json"}


def barrier_template(tmp_path):
    """The district template with a cell that says it has started, then blocks until the
    test releases it: a run using it is provably mid-report, however fast the machine.

    Both signals are FIFOs, so nobody polls: the kernel's write to ``started`` wakes the
    test's ``select``, and the test's write to ``release`` wakes the kernel's. The kernel
    opens ``release`` before it says it has started, so a release always finds it; its wait
    is bounded, so that a kernel left behind by a failed test cannot wait for ever.
    """
    started, release = tmp_path / "started", tmp_path / "release"
    os.mkfifo(started)
    os.mkfifo(release)
    nb = nbformat.read(config.NOTEBOOKS_DIR / "district_report.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell(
        "import os, select\n"
        f"release = os.open({str(release)!r}, os.O_RDONLY | os.O_NONBLOCK)\n"
        f"with open({str(started)!r}, 'w') as started:\n"
        "    started.write('1')\n"
        "select.select([release], [], [], 300)\n"))
    template = tmp_path / "barrier.ipynb"
    nbformat.write(nb, template)
    return template, started, release


def release_barrier(release) -> None:
    """Wake a kernel waiting at the barrier (none may be left: then there is no reader)."""
    try:
        fd = os.open(release, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: no process holds the FIFO open any more
        return
    os.write(fd, b"1")
    os.close(fd)


@pytest.fixture(scope="module")
def previous_run(processed, tmp_path_factory):
    """A finished run's folder, made once; each test kills a run over its own copy."""
    out = tmp_path_factory.mktemp("previous") / "reports"
    assert subprocess.run(report_cmd(out, processed), capture_output=True).returncode == 0
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_the_previous_reports_intact(tmp_path, processed, previous_run,
                                                         sig):
    out = tmp_path / "reports"
    shutil.copytree(previous_run, out)
    before = final_files(out)
    assert {"kien-hai.html", "notebooks/kien-hai.ipynb", "index.html"} <= set(before)

    template, started, release = barrier_template(tmp_path)
    started_fd = os.open(started, os.O_RDONLY | os.O_NONBLOCK)
    run = subprocess.Popen(report_cmd(out, processed, "--force", "--template", str(template)),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # wakes when the kernel says it has started, or when the run ends (its stdout closes)
        ready, _, _ = select.select([started_fd, run.stdout], [], [], 300)
        assert started_fd in ready and run.poll() is None, run.communicate()
        run.send_signal(sig)  # the run is in the middle of a report
        run.wait(timeout=60)
    finally:
        release_barrier(release)  # let a kernel that outlived its run finish and exit
        os.close(started_fd)
        if run.poll() is None:
            run.kill()
    assert run.returncode != 0
    # the report being made when the run was killed never reaches a final name: every final
    # file is the old one, byte for byte
    assert final_files(out) == before

    again = subprocess.run(report_cmd(out, processed, "--force"), capture_output=True,
                           text=True)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(out.glob(".*.tmp")) and not list((out / ".work").iterdir())
    assert final_files(out)["kien-hai.html"].rstrip().endswith(b"</html>")


def test_unreadable_and_odd_files_get_clear_messages_and_the_rest_is_cleaned(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "good.csv", tally_rows(("05/2022", "An Biên", "Đông Yên", "nâng cao",
                                            "14/19")))
    (raw / "binary.xlsx").write_bytes(bytes(range(256)) * 40)
    (raw / "binary.csv").write_bytes(b"\x00\x01\x02PK" * 500)
    text = "Ngày,Huyện,Xã,Cấp độ,Kết quả,Nguồn\n05/2022,Kiên Hải,Hòn Tre,nâng cao,11/19,ok\n"
    (raw / "truncated.csv").write_text(text + '05/2022,An Minh,Đông Thạnh,nâng cao,"13/1',
                                       encoding="utf-8")
    (raw / "utf16.csv").write_bytes(text.replace("Hòn Tre", "Lại Sơn").encode("utf-16"))
    result = clean(raw)
    s = result.summary.set_index("file")
    assert s.loc["binary.xlsx", "unreadable"] == "file_not_xlsx"
    assert s.loc["binary.csv", "unreadable"] == "file_binary"
    reasons = result.rejected.set_index("raw_file")
    assert "Excel" in reasons.loc["binary.xlsx", "reason"]
    # the truncated last record is read as far as it goes and rejected with a reason
    assert s.loc["truncated.csv", "read"] == 2 and s.loc["truncated.csv", "rejected"] == 1
    assert set(result.tallies.commune) == {"Đông Yên", "Hòn Tre", "Lại Sơn"}
    assert (s.read == s.accepted + s.merged + s.rejected).all()
