"""``ntm report``: validate, clean when the raw data changed, run the jobs in parallel, write
the manifest and the index, print the end-of-run table.

Jobs run in local worker processes (``pool.py``: spawned, several reports each, dying with
the run) or on a Dask cluster. The run holds a lock on the output folder, removes what an
interrupted run left, and turns SIGTERM into a clean exit that stops its workers.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import platform
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import pandas as pd

from .. import __version__, processed
from ..console import Progress, format_table
from ..errors import BatchError
from ..messages import msg
from ..storage import write_text
from .index import prepare_index, write_index
from .job import FAILED, OK, UP_TO_DATE, WORKBOOK_DIR, Job, JobResult, run_job
from .job import skipped as skipped_result
from .pdf import PDF_DIR
from .plan import ReportOptions, load_manifest, plan, up_to_date, validate
from .pool import run_local


@contextlib.contextmanager
def run_lock(out_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold ``<out>/.ntm-report.lock`` for the run; BatchError (exit 3) when another run has
    it for longer than ``wait_seconds``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ".ntm-report.lock"
    with path.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BatchError(msg("lock_busy", path=out_dir), exit_code=3) from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def execute(jobs: list[Job], workers: int, scheduler: str | None,
            on_result: Callable[[JobResult], None]) -> list[JobResult]:
    """Run ``jobs`` in local processes, or on the Dask cluster at ``scheduler``."""
    results: list[JobResult] = []
    if not jobs:
        return results
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler, timeout="30s") as client:
            futures = client.map(run_job, jobs, pure=False)
            for future in dask_completed(futures):
                result = future.result()
                results.append(result)
                on_result(result)
        return results
    return run_local(jobs, workers, on_result)


def raise_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit(143), so that a stopped run cleans up its workers."""
    def handler(signum, frame):
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not in the main thread
        signal.signal(signal.SIGTERM, handler)


def clear_leftovers(out_dir: Path) -> None:
    """Remove what an interrupted run left: work files and temporary files (never a final
    file: those are only ever replaced whole)."""
    work = out_dir / ".work"
    if work.is_dir():
        for path in work.iterdir():
            path.unlink(missing_ok=True)
    for folder in (out_dir, out_dir / "notebooks", out_dir / "failed", out_dir / WORKBOOK_DIR,
                   out_dir / PDF_DIR):
        for path in folder.glob(".*.tmp") if folder.is_dir() else []:
            path.unlink(missing_ok=True)


def versions() -> dict[str, str]:
    """Versions of Python and the packages that make the reports."""
    out = {"python": platform.python_version(), "ntm-analysis": __version__}
    for name in ("pandas", "papermill", "nbconvert", "matplotlib", "seaborn", "pandera",
                 "vietnamadminunits"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def write_manifest(out_dir: Path, run: dict, results: list[JobResult], previous: dict) -> dict:
    """Merge this run's results into the manifest and write it atomically."""
    reports = dict(previous.get("reports", {}))
    for result in results:
        entry = asdict(result)
        if result.status == FAILED and result.slug in reports:
            entry["previous_good"] = reports[result.slug].get("html")
        reports[result.slug] = entry
    manifest = {**run, "reports": reports}
    write_text(Path(out_dir) / "manifest.json",
               json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return manifest


def run_report(options: ReportOptions, stream=None) -> tuple[int, list[JobResult]]:
    """``ntm report``: validate, clean if needed, run the jobs, write index and manifest.

    Returns the exit code (0 all succeeded, 1 any failed) and the results.
    """
    stream = stream or sys.stdout
    selection = validate(options)
    as_of = selection.as_of
    out_dir = Path(options.out_dir)
    raise_on_sigterm()
    with run_lock(out_dir, options.wait):
        clear_leftovers(out_dir)
        if options.data_key is None and processed.is_stale(options.raw_dir,
                                                           options.processed_dir):
            print(msg("report_cleaning", lang=options.lang), file=stream)
            from ..clean import clean, write_outputs  # pandera only when data changed: a
            # re-run with nothing to do stays near one second

            write_outputs(clean(options.raw_dir, province_code=options.province_code),
                          options.processed_dir)
        started = time.time()
        run = {"run_id": time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
               "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "versions": versions(),
               "as_of": as_of, "lang": options.lang}
        previous = load_manifest(out_dir)
        jobs = plan(options, selection)
        run["inputs_hash"] = hashlib.sha256("".join(j.input_hash for j in jobs).encode()) \
            .hexdigest()
        skipped = [] if options.force else [j for j in jobs if up_to_date(j, previous)]
        # the overviews are the longest jobs: plan() lists them first, so that no core idles
        # at the end
        todo = [j for j in jobs if j not in skipped]
        progress = Progress(len(jobs), options.lang)
        results = []

        def count(result: JobResult) -> None:
            progress.update(result.name, result.status, result.seconds,
                            failed=result.status == FAILED)

        for job in skipped:
            result = skipped_result(job)
            results.append(result)
            count(result)
        write_index_page = bool(todo) or not (out_dir / "index.html").exists()
        with ThreadPoolExecutor(max_workers=1) as side:
            # the index's headline figures do not depend on the reports: compute them while
            # the kernels run, instead of after the last one; the districts' come with the
            # overview when it runs (index.py)
            index_data = side.submit(prepare_index, options, selection,
                                     districts_later=selection.overview) \
                if write_index_page else None
            results += execute(todo, options.jobs, options.scheduler, count)
            progress.close()
            run["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            run["seconds"] = round(time.time() - started, 2)
            manifest = write_manifest(out_dir, run, results, previous)
            if index_data is not None:
                write_index(options, manifest, index_data.result())
        order = {j.slug: i for i, j in enumerate(jobs)}
        results.sort(key=lambda r: order[r.slug])
        if options.pdf:
            from .pdf import print_pdfs  # Playwright only when PDFs are asked for

            printed = print_pdfs(out_dir, [r.slug for r in results
                                           if r.status in (OK, UP_TO_DATE)])
            print(msg("report_pdf_written", lang=options.lang, n=len(printed),
                      path=out_dir / PDF_DIR), file=stream)
        print(summary_table(results, options.lang), file=stream)
        print(msg("report_written", lang=options.lang, path=out_dir), file=stream)
    return (1 if any(r.status == FAILED for r in results) else 0), results


def summary_table(results: list[JobResult], lang: str) -> str:
    """The end-of-run table: every report with status, duration, error and cell."""
    frame = pd.DataFrame([{
        "name": r.name, "status": msg(f"run_{r.status.replace('-', '_')}", lang=lang),
        "seconds": f"{r.seconds:.1f}", "error": r.error or "",
        "cell": "" if r.cell is None else str(r.cell),
    } for r in results])
    frame.columns = msg("summary_headers", lang=lang).split("|")
    return format_table(frame)
