"""Benchmark `ntm report` against the loop a user would write by hand, in one run.

The hand-written loop: for each district (and the overview), one after the other, the
papermill command line, then `jupyter nbconvert --to html`. Then `ntm report --force` on the
same data, and `ntm report` again with nothing changed (median of --repeat runs).

    make bench-report   # or: .venv/bin/python bench/bench_report.py --loops 2 --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ntm_analysis import config
from ntm_analysis.reference.units import registry

BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def hand_loop(processed: Path, out: Path) -> float:
    start = time.perf_counter()
    districts = registry(config.DEFAULT_PROVINCE_CODE).districts().code.tolist()
    runs = [(config.NOTEBOOKS_DIR / "district_report.ipynb", ["-p", "district", c], c)
            for c in districts]
    runs.append((config.NOTEBOOKS_DIR / "province_overview.ipynb", [], "overview"))
    for template, params, name in runs:
        executed = out / f"{name}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(template), str(executed), *params,
                        "-p", "processed_dir", str(processed), "-k", "python3"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                       check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=2, help="runs of the hand-written loop")
    parser.add_argument("--runs", type=int, default=3, help="runs of ntm report --force")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the unchanged re-run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ntm-bench-report-"))
    processed, loop_out, ntm_out = work / "processed", work / "loop", work / "ntm"
    loop_out.mkdir()
    ntm = str(BIN / "ntm")
    subprocess.run([ntm, "clean", "--out", str(processed)], check=True, capture_output=True)

    loops, fulls = [], []
    for _ in range(max(args.loops, args.runs)):  # interleaved: both see the same noise
        if len(loops) < args.loops:
            loops.append(hand_loop(processed, loop_out))
            print(f"hand-written loop (papermill CLI + jupyter nbconvert, 16 reports): "
                  f"{loops[-1]:.1f} s", flush=True)
        if len(fulls) < args.runs:
            fulls.append(timed([ntm, "report", "--out", str(ntm_out), "--processed",
                                str(processed), "--force"]))
            print(f"ntm report --force (16 reports, --jobs {os.cpu_count()}): "
                  f"{fulls[-1]:.1f} s", flush=True)
    loop, full = statistics.median(loops), statistics.median(fulls)
    reruns = [timed([ntm, "report", "--out", str(ntm_out), "--processed", str(processed)])
              for _ in range(args.repeat)]
    rerun = statistics.median(reruns)
    print(f"ntm report, nothing changed: {', '.join(f'{r:.2f}' for r in reruns)} s "
          f"(median {rerun:.2f} s)")
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")
    print(f"medians: hand-written loop {loop:.1f} s, ntm report {full:.1f} s")
    print(f"speed-up of ntm report over the hand-written loop: {loop / full:.1f}x")
    print(f"outputs in {work}")


if __name__ == "__main__":
    main()
