"""Benchmark `ntm report` against the loop a user would write by hand, in one run.

Scenario "shipped": the 16 reports of the shipped data (15 districts and the overview).
The hand-written loop runs, for each report one after the other, the papermill command line
then `jupyter nbconvert --to html`. Then `ntm report --force` with warm kernels (the default)
and with `--fresh-interpreter`, interleaved with the loop so that all see the same noise,
and `ntm report` again with nothing changed.

Scenario "dates": the same 16 reports at several report dates (`--as-of`, default 7 dates:
112 reports), each date one `ntm report --force` run, against the hand-written loop over the
same 112 reports.

The floor: the same pages drawn in one warm process (the template's code cells executed
with the libraries imported and every figure rendered to PNG, second pass; the package's
caches of units and criteria emptied before each page, since every report reads its own
data), CPU seconds per page, measured beside each run and taken as the median; set against
the CPU seconds per report of `ntm report` (every process of the run, from
`getrusage(RUSAGE_CHILDREN)`). Printed beside it, not in
its place: the same floor drawn by two processes at once, as a run keeps both cores busy.

Scenario "national" (``--national all`` or a list of provinces; not run by default, it
takes a quarter of an hour): ``ntm report --province ... --era 2025`` once, its wall time and
CPU seconds per page (every process of the run), beside the hand-written loop's estimate for
the same pages (its seconds per report in the first scenario times the pages).

    make bench-report   # or: .venv/bin/python bench/bench_report.py --loops 2 --runs 3
    make bench-report BENCH_ARGS="--national all --dates 0"
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ntm_analysis import config
from ntm_analysis.reference.units import registry

BIN = Path(sys.executable).parent
DATES = ("2019-12-31", "2020-12-31", "2021-12-31", "2022-05-31", "2022-12-31", "2023-12-31",
         "2024-12-31")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of every process it ran) of one command."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start, children_cpu() - cpu


def reports(as_of: str | None = None) -> list[tuple[Path, list[str], str]]:
    """(template, papermill parameters, name) of the 16 reports."""
    date = ["-p", "as_of", as_of] if as_of else []
    districts = registry(config.DEFAULT_PROVINCE_CODE).districts().code.tolist()
    runs = [(config.NOTEBOOKS_DIR / "district_report.ipynb", ["-p", "district", c, *date], c)
            for c in districts]
    runs.append((config.NOTEBOOKS_DIR / "province_overview.ipynb", date, "overview"))
    return runs


def hand_loop(processed: Path, out: Path, dates: tuple[str | None, ...] = (None,)) -> float:
    start = time.perf_counter()
    for as_of in dates:
        for template, params, name in reports(as_of):
            executed = out / f"{name}-{as_of}.ipynb"
            subprocess.run([str(BIN / "papermill"), str(template), str(executed), *params,
                            "-p", "processed_dir", str(processed), "-k", "python3"],
                           check=True, capture_output=True)
            subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)],
                           check=True, capture_output=True)
    return time.perf_counter() - start


FLOOR = """
import ast, io, json, sys, time
import nbformat, matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
from ntm_analysis import report

def display(*objects):  # what Jupyter does with a result: its PNG, else its bundle and HTML
    for obj in objects:
        if hasattr(obj, "savefig"):
            obj.savefig(io.BytesIO(), format="png", bbox_inches="tight")
        elif hasattr(obj, "_repr_png_"):  # a chart with its alt text (report.display.Chart)
            obj._repr_png_()
        else:
            bundle = getattr(obj, "_repr_mimebundle_", lambda: {})()
            if "text/html" not in bundle:
                getattr(obj, "_repr_html_", lambda: repr(obj))()

def forget_data():  # empty the package's caches (units, criteria): each report reads its data
    for name, module in list(sys.modules.items()):
        if name.startswith("ntm_analysis"):
            for value in list(vars(module).values()):
                getattr(value, "cache_clear", lambda: None)()

def run_cell(source, namespace):  # as IPython: the last expression's value is displayed
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
        if value is not None:
            display(value)

def page(template, params):
    forget_data()
    namespace = {"display": display}
    for cell in nbformat.read(template, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        run_cell(cell.source, namespace)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(params)
        for number in plt.get_fignums():  # what the inline backend does after each cell
            plt.figure(number).savefig(io.BytesIO(), format="png", bbox_inches="tight")
        plt.close("all")

pages = json.loads(sys.argv[1])
for _ in range(2):  # the first pass warms the caches; the second is measured
    start = time.process_time()
    for template, params in pages:
        page(template, params)
print(time.process_time() - start)
"""


def floor(processed: Path, processes: int = 1) -> float:
    """CPU seconds per page, drawing the 16 pages in ``processes`` warm processes at once
    (each a share of the pages): 1 is the floor; 2 is the same work with both cores busy,
    as they are during ``ntm report --jobs 2`` (on a shared host a process is charged more
    CPU for the same work when the other core is busy too)."""
    pages = []
    for template, params, _ in reports():
        values = dict(zip(params[1::3], params[2::3], strict=True))
        pages.append((str(template), {**values, "processed_dir": str(processed)}))
    running = [subprocess.Popen([sys.executable, "-c", FLOOR, json.dumps(pages[i::processes])],
                                stdout=subprocess.PIPE, text=True) for i in range(processes)]
    seconds = 0.0
    for process in running:
        out, _ = process.communicate()
        if process.returncode:
            raise SystemExit(f"the floor script failed ({process.returncode})")
        seconds += float(out.strip().splitlines()[-1])
    return seconds / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=2, help="runs of the hand-written loop")
    parser.add_argument("--runs", type=int, default=3, help="runs of each ntm report --force")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the unchanged re-run")
    parser.add_argument("--dates", type=int, default=len(DATES),
                        help="report dates of the second scenario (0: skip it)")
    parser.add_argument("--national", default="",
                        help="also run these provinces (\"all\" or a comma-separated list) "
                             "with ntm report --province and report CPU-s per page")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ntm-bench-report-"))
    processed, loop_out = work / "processed", work / "loop"
    loop_out.mkdir()
    ntm = str(BIN / "ntm")
    subprocess.run([ntm, "clean", "--out", str(processed)], check=True, capture_output=True)

    def ntm_report(out: Path, *extra: str) -> tuple[float, float]:
        # --era legacy: the 16 pages the hand-written loop makes (the district reports and
        # the overview); the 2025-era commune reports would make it 119 against 16
        return timed([ntm, "report", "--out", str(out), "--processed", str(processed),
                      "--era", "legacy", "--force", *extra])

    n = len(reports())
    loops, warm, fresh, floors = [], [], [], []
    for _ in range(max(args.loops, args.runs)):  # interleaved: all see the same noise
        if len(loops) < args.loops:
            loops.append(hand_loop(processed, loop_out))
            print(f"hand-written loop (papermill CLI + jupyter nbconvert, {n} reports): "
                  f"{loops[-1]:.1f} s", flush=True)
        if len(warm) < args.runs:
            warm.append(ntm_report(work / "warm"))
            fresh.append(ntm_report(work / "fresh", "--fresh-interpreter"))
            # the floor beside each run, not once at the end: on this shared host it moved
            # by a fifth between runs whose own CPU stayed within 3 % (BENCHMARKS.md)
            floors.append(floor(processed))
            print(f"ntm report --force: warm kernels {warm[-1][0]:.1f} s "
                  f"({warm[-1][1]:.1f} CPU-s); --fresh-interpreter {fresh[-1][0]:.1f} s "
                  f"({fresh[-1][1]:.1f} CPU-s); floor {floors[-1]:.2f} CPU-s a page",
                  flush=True)
    reruns = [timed([ntm, "report", "--out", str(work / "warm"), "--processed",
                     str(processed), "--era", "legacy"])[0] for _ in range(args.repeat)]
    per_page = statistics.median(floors)
    busy_page = floor(processed, processes=2)
    loop = statistics.median(loops)
    w, f = statistics.median(s for s, _ in warm), statistics.median(s for s, _ in fresh)
    w_cpu = statistics.median(c for _, c in warm) / n
    f_cpu = statistics.median(c for _, c in fresh) / n

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}")
    print(f"ntm report, nothing changed: {', '.join(f'{r:.2f}' for r in reruns)} s "
          f"(median {statistics.median(reruns):.2f} s)")
    print(f"medians: hand-written loop {loop:.1f} s; ntm report {w:.1f} s warm, "
          f"{f:.1f} s --fresh-interpreter")
    print(f"speed-up over the hand-written loop: {loop / w:.1f}x warm (goal >= 10x), "
          f"{loop / f:.1f}x --fresh-interpreter")
    print(f"CPU per report: {w_cpu:.2f} s warm, {f_cpu:.2f} s --fresh-interpreter; floor "
          f"(same page in a warm process, median of {len(floors)}) {per_page:.2f} s; warm / "
          f"floor {w_cpu / per_page:.1f}x (goal <= 2x)")
    print(f"floor with both cores busy (two warm processes, half the pages each): "
          f"{busy_page:.2f} s per page; warm / that {w_cpu / busy_page:.1f}x (for reading "
          f"the goal's ratio only: a run keeps both cores busy, the floor runs alone)")

    if args.dates:
        dates = DATES[:args.dates]
        big = len(dates) * n
        start, cpu = time.perf_counter(), 0.0
        for as_of in dates:
            cpu += ntm_report(work / f"dates-{as_of}", "--as-of", as_of)[1]
        dates_wall = time.perf_counter() - start
        print(f"\nntm report --force at {len(dates)} dates ({big} reports): {dates_wall:.1f} s "
              f"({cpu / big:.2f} CPU-s per report)", flush=True)
        dates_loop = hand_loop(processed, loop_out, dates)
        print(f"hand-written loop, same {big} reports: {dates_loop:.1f} s")
        print(f"speed-up over the hand-written loop ({big} reports): "
              f"{dates_loop / dates_wall:.1f}x (goal >= 10x)")
    if args.national:
        national(ntm, processed, work / "national", args.national, loop / n)
    print(f"outputs in {work}")


def national(ntm: str, processed: Path, out: Path, provinces: str,
             loop_per_report: float) -> None:
    """One national run: wall time, CPU-s per page, and the hand-written loop's estimate."""
    province_list = provinces if provinces == "all" or "," in provinces else provinces + ","
    wall, cpu = timed([ntm, "report", "--province", province_list, "--era", "2025",
                       "--out", str(out), "--processed", str(processed)])
    pages = sum(len(json.loads(m.read_text(encoding="utf-8"))["reports"])
                for m in out.glob("*/manifest.json"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    largest_index = max(p.stat().st_size for p in out.rglob("index.html"))
    print(f"\nnational run ({provinces}): {pages} pages in {wall / 60:.1f} min, "
          f"{cpu / pages:.2f} CPU-s per page (goal <= 1.0); hand-written loop estimate "
          f"{loop_per_report * pages / 60:.0f} min ({loop_per_report:.1f} s per report); "
          f"output {size / 1e9:.2f} GB, largest index page {largest_index / 1e3:.0f} kB",
          flush=True)


if __name__ == "__main__":
    main()
