"""The ntm command as a user runs it: exit codes, printed counts, files written or not."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

from builders import good_csv, tally_rows, three_million_rows, workbook_with_sheet, write_csv

from ntm_analysis.cli import main
from ntm_analysis.messages import set_language


def ntm(*args: str) -> subprocess.CompletedProcess:
    """``ntm`` with ``args`` in this process (argparse, the command, its exit code, what it
    printed), in Vietnamese as a fresh process starts: 2.5 s less a call than a new Python
    importing pandas. ``test_the_console_script_runs_as_a_program`` runs the real one."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        set_language("vi")  # --lang sets it for the process; the next call starts afresh
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_the_console_script_runs_as_a_program(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ntm_analysis.cli", "clean", "--raw",
                             str(tmp_path / "nope")], capture_output=True, text=True,
                            env={"NTM_LANG": "vi", "PATH": ""})
    assert result.returncode == 2 and "Không có thư mục" in result.stderr


def test_clean_prints_counts_that_add_up_and_exits_0_with_rejections(tmp_path):
    raw = tmp_path / "raw"
    write_csv(raw / "a.csv", tally_rows(
        ("05/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
        ("05/2022", "An Biên", "Đông Yênn", "nâng cao", "14/19"),
        ("05/2022", "An Biên", "Nam Yên", "nâng cao", "19/12/2026")))  # a tally made a date
    result = ntm("clean", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("a.csv"))
    assert line.split() == ["a.csv", "3", "2", "0", "1", "1"]  # read, ok, merged, rejected, fixed
    assert "trong đó sửa" in result.stdout
    assert "TỔNG" in result.stdout and "rejected.csv" in result.stdout
    for name in ("tallies.parquet", "facts.parquet", "rejected.parquet", "rejected.csv"):
        assert (tmp_path / "out" / name).exists()
    written = len(list((tmp_path / "out").iterdir()))  # the tables of no row are not written
    assert f"Đã ghi {written} bảng" in result.stdout
    strict = ntm("clean", "--raw", str(raw), "--out", str(tmp_path / "out"), "--strict")
    assert strict.returncode == 1


def test_clean_exits_2_on_a_missing_or_empty_raw_folder(tmp_path):
    missing = ntm("clean", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    (tmp_path / "empty").mkdir()
    empty = ntm("clean", "--raw", str(tmp_path / "empty"), "--out", str(tmp_path / "out"))
    assert empty.returncode == 2 and "CSV" in empty.stderr
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "a.xlsx").write_bytes(b"not a workbook")
    junk = ntm("clean", "--raw", str(tmp_path / "junk"), "--out", str(tmp_path / "out"))
    assert junk.returncode == 2 and len(junk.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_check_prints_problems_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path / "x.csv", tally_rows(
        ("32/13/2022", "An Biên", "Đông Yên", "nâng cao", "14/19"),
        ("05/2022", "An Minh", "Đông Yên", "nâng cao", "14/19")))
    before = sorted(p.name for p in tmp_path.iterdir())
    result = ntm("--lang", "en", "check", str(path))
    assert result.returncode == 1
    assert "This date does not exist." in result.stdout
    assert "Đông Yên (An Biên)" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    good = write_csv(tmp_path / "ok.csv", tally_rows(("05/2022", "An Biên", "Đông Yên",
                                                      "nâng cao", "14/19")))
    assert ntm("check", str(good)).returncode == 0
    assert ntm("check", str(tmp_path / "absent.csv")).returncode == 2


class _Stream:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_is_one_updating_line_on_a_terminal_and_log_lines_otherwise():
    from ntm_analysis.console import Progress

    results = [("Huyện An Biên", "ok", 3.2, False), ("Huyện An Minh", "failed", 1.0, True)]
    tty = _Stream(True)
    progress = Progress(3, "en", tty)
    for r in results:
        progress.update(*r)
    progress.close()
    assert "\r" in tty.text and "done 1 · failed 1 · left 1" in tty.text
    assert "\n" not in tty.text.rstrip("\n")  # one line, redrawn
    log = _Stream(False)
    progress = Progress(3, "vi", log)
    for r in results:
        progress.update(*r)
    lines = log.text.splitlines()
    assert len(lines) == 2 and "\r" not in log.text
    assert lines[0].endswith("đã lập: Huyện An Biên (3.2 s)")
    assert "lỗi: Huyện An Minh" in lines[1]


def test_a_province_of_either_era_on_every_command(tmp_path):
    """Issue 13: ``--province`` takes a name or code of either era; the other era follows."""
    old = ntm("inventory", "--raw", str(tmp_path), "--province", "89")
    assert old.returncode == 0, old.stderr
    assert "tỉnh An Giang: 11 đơn vị cấp huyện" in old.stdout  # the former An Giang
    assert "(từ 01/07/2025) của tỉnh An Giang: 85 xã, 14 phường, 3 đặc khu" in old.stdout
    # a sheet without a province column, checked for the former An Giang's units
    path = write_csv(tmp_path / "x.csv", tally_rows(
        ("05/2024", "Tịnh Biên", "An Nông", "NTM", "16/19"),
        ("06/2026", "", "Xã An Biên", "NTM", "7/10")))  # after the merger: the new An Giang
    good = ntm("check", str(path), "--province", "89")
    assert good.returncode == 0, good.stdout
    # "An Giang" is today's: its rows before 07/2025 default to the default province,
    # Kiên Giang, which has no Tịnh Biên
    today = ntm("check", str(path), "--province", "An Giang")
    assert today.returncode == 1 and "Tịnh Biên" in today.stdout


def test_clean_reports_an_oversized_workbook_beside_a_good_file(tmp_path):
    raw = tmp_path / "raw"
    good_csv(raw)
    workbook_with_sheet(raw / "big.xlsx", three_million_rows)
    result = ntm("clean", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert next(x for x in lines if x.startswith("good.csv")).split()[1:] == ["1", "1", "0", "0",
                                                                             "0"]
    big = next(x for x in lines if x.startswith("big.xlsx"))
    assert "không đọc được" in big and big.split()[-5:] == ["3000001", "0", "0", "3000001", "0"]
    assert "3000001 dòng bị loại" in result.stdout  # its rows, counted once
    cleaned = __import__("pandas").read_csv(tmp_path / "out" / "rejected.csv")
    assert cleaned.raw_file.tolist() == ["big.xlsx"]  # one line for the whole workbook
    strict = ntm("clean", "--raw", str(raw), "--out", str(tmp_path / "out"), "--strict")
    assert strict.returncode == 1
