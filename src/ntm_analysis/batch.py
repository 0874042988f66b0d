"""Batch reports: every district through papermill in parallel, self-contained HTML, an index.

One job per report: a fresh kernel runs the template with the district's parameters
(papermill), nbconvert turns the executed notebook into one HTML file with the code hidden and
nothing fetched from the network, and both land in the output folder atomically. A failing
job never stops the others and never replaces a previous good report: its partly executed
notebook goes to ``<out>/failed/``. Jobs run in local processes, or on a Dask cluster.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import platform
import re
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from unidecode import unidecode

from . import __version__, config
from .errors import NtmError
from .messages import msg
from .storage import atomic_path, write_text

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

TEMPLATES_DIR = config.PACKAGE_DIR / "templates"
OVERVIEW_SLUG = "tong-quan"
PARAMETERS = ("district", "as_of", "lang", "processed_dir")
OVERVIEW_PARAMETERS = ("as_of", "lang", "processed_dir")
OK, FAILED, UP_TO_DATE = "ok", "failed", "up-to-date"


class BatchError(NtmError):
    """A report run that cannot start (bad arguments, template, lock); exit code 2 or 3."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def slug(name: str) -> str:
    """ASCII file name of a unit name: ``Kiên Lương`` → ``kien-luong``."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(name).lower()).strip("-")


@dataclass(frozen=True)
class Job:
    """One report to produce; picklable, so that it can run in another process or on Dask."""

    slug: str
    name: str
    template: str
    parameters: dict
    out_dir: str
    input_hash: str
    timeout: int = 600
    kernel: str = "python3"


@dataclass
class JobResult:
    """What one job did."""

    slug: str
    name: str
    status: str
    seconds: float
    input_hash: str
    html: str | None = None
    notebook: str | None = None
    failed_notebook: str | None = None
    error: str | None = None
    cell: int | None = None


# ---- one job (runs in a worker) -----------------------------------------------------------
@functools.cache
def html_exporter() -> HTMLExporter:
    """The one nbconvert exporter of this process: code hidden, images embedded, no scripts.

    Built once per worker: loading the template costs more than converting a report.
    """
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="ntm_report",
                        extra_template_basedirs=[str(TEMPLATES_DIR)],
                        exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, embed_images=True)


def export_html(notebook: NotebookNode, lang: str) -> str:
    """Self-contained HTML of an executed notebook: code hidden, nothing fetched online."""
    body, _ = html_exporter().from_notebook_node(notebook)
    return body.replace('<html lang="en">', f'<html lang="{lang}">', 1)


def run_job(job: Job) -> JobResult:
    """Execute one report; never raises for a failure of the notebook itself."""
    import papermill as pm

    out = Path(job.out_dir)
    work = out / ".work"
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{job.slug}.{uuid.uuid4().hex[:8]}.ipynb"
    start = time.perf_counter()
    try:
        notebook = pm.execute_notebook(
            job.template, str(executed), parameters=job.parameters, kernel_name=job.kernel,
            execution_timeout=job.timeout, progress_bar=False, cwd=str(work),
            request_save_on_cell_execute=False,
            # every output is in once the last cell has run: stop the kernel at once
            # instead of waiting for it to wind down
            shutdown_kernel="immediate",
            # the kernel's own log (TCP warning, shutdown interrupt) is noise in cron logs;
            # errors of the notebook are in the notebook
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
        html = export_html(notebook, job.parameters.get("lang", "vi"))
        final_nb = out / "notebooks" / f"{job.slug}.ipynb"
        final_html = out / f"{job.slug}.html"
        with atomic_path(final_nb) as tmp:
            os.replace(executed, tmp)
        write_text(final_html, html)
        (out / "failed" / f"{job.slug}.ipynb").unlink(missing_ok=True)
        return JobResult(job.slug, job.name, OK, time.perf_counter() - start, job.input_hash,
                         html=final_html.name, notebook=f"notebooks/{final_nb.name}")
    except Exception as exc:  # a failing notebook must not stop the other districts
        failed = out / "failed" / f"{job.slug}.ipynb"
        if executed.exists():
            with atomic_path(failed) as tmp:
                os.replace(executed, tmp)
        return JobResult(job.slug, job.name, FAILED, time.perf_counter() - start,
                         job.input_hash, failed_notebook=f"failed/{failed.name}"
                         if failed.exists() else None,
                         error=f"{getattr(exc, 'ename', type(exc).__name__)}: "
                               f"{getattr(exc, 'evalue', exc)}".strip()[:500],
                         cell=getattr(exc, "exec_count", None))


# ---- planning -----------------------------------------------------------------------------
def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_digest(raw_dir: Path) -> str:
    """One hash of every file under the raw folder (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(raw_dir).as_posix()}\0{file_digest(path)}\n".encode())
    return digest.hexdigest()


def job_hash(raw: str, template: Path, parameters: dict) -> str:
    """Hash of everything a report depends on: raw data, template, parameters, version."""
    public = {k: v for k, v in parameters.items() if k != "processed_dir"}
    text = json.dumps({"raw": raw, "template": file_digest(template), "parameters": public,
                       "version": __version__}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def template_parameters(template: Path) -> set[str]:
    """Names assigned in the template's ``parameters`` cell (BatchError when it has none).

    Reads the notebook as JSON and the cell with ``ast``: no kernel, no heavy imports, so an
    up-to-date re-run stays fast.
    """
    if not template.is_file():
        raise BatchError(msg("template_missing", path=template))
    try:
        cells = json.loads(template.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError) as exc:
        raise BatchError(msg("template_missing", path=template)) from exc
    for cell in cells:
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
                "tags", []):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(
                cell["source"])
            return {target.id for node in ast.parse(source).body
                    if isinstance(node, ast.Assign | ast.AnnAssign)
                    for target in (node.targets if isinstance(node, ast.Assign)
                                   else [node.target])
                    if isinstance(target, ast.Name)}
    raise BatchError(msg("template_no_parameters", path=template))


def check_template(template: Path, names: tuple[str, ...]) -> None:
    """Refuse to pass parameters the template does not declare (papermill only warns)."""
    declared = template_parameters(template)
    missing = [n for n in names if n not in declared]
    if missing:
        raise BatchError(msg("template_unknown_parameters", path=template,
                             names=", ".join(missing)))


def load_manifest(out_dir: Path) -> dict:
    """The previous run's manifest, or an empty one."""
    path = Path(out_dir) / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(job: Job, previous: dict) -> bool:
    """True when the previous run produced this report from the same inputs."""
    entry = previous.get("reports", {}).get(job.slug, {})
    return (entry.get("status") in (OK, UP_TO_DATE) and entry.get("input_hash") == job.input_hash
            and (Path(job.out_dir) / f"{job.slug}.html").exists())


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


# ---- running ------------------------------------------------------------------------------
class Progress:
    """Done / failed / left / elapsed: one updating line on a terminal, log lines otherwise."""

    def __init__(self, total: int, lang: str, stream=None):
        self.total, self.lang = total, lang
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done = self.failed = 0
        self.start = time.monotonic()
        self._draw()

    def _elapsed(self) -> str:
        seconds = int(time.monotonic() - self.start)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def _draw(self) -> None:
        if self.tty:
            line = msg("progress_line", lang=self.lang, done=self.done, failed=self.failed,
                       left=self.total - self.done - self.failed, elapsed=self._elapsed())
            self.stream.write("\r" + line + " " * 4)
            self.stream.flush()

    def update(self, result: JobResult) -> None:
        if result.status == FAILED:
            self.failed += 1
        else:
            self.done += 1
        if not self.tty:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            self.stream.write(f"{stamp} " + msg(
                "progress_log", lang=self.lang, name=result.name, seconds=result.seconds,
                status=msg(f"run_{result.status.replace('-', '_')}", lang=self.lang)) + "\n")
        self._draw()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


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
    pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))),
                               mp_context=get_context("spawn"), initializer=_init_worker)
    try:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            result = future.result()
            results.append(result)
            on_result(result)
    except BaseException:
        # interrupted (SIGTERM, Ctrl-C): stop the workers; their kernels see their parent go
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _init_worker() -> None:
    """In a local worker process: die with the parent, and skip a slow import.

    Linux ``prctl(PR_SET_PDEATHSIG)`` sends the worker SIGTERM when the parent dies, even by
    SIGKILL. And papermill → nbformat → jsonschema imports ``rfc3987_syntax``, which compiles
    its IRI grammars at import time (≈2 s of CPU per process; jsonschema issue #1428). Notebook
    schemas use no IRI format, so the worker marks the module absent and jsonschema goes on
    without that one format check.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _raise_on_sigterm() -> None:
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
    for folder in (out_dir, out_dir / "notebooks", out_dir / "failed"):
        for path in folder.glob(".*.tmp") if folder.is_dir() else []:
            path.unlink(missing_ok=True)


@dataclass
class ReportOptions:
    """The settings of one ``ntm report`` run."""

    districts: list[str] | None = None
    as_of: str | None = None
    lang: str = "vi"
    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    out_dir: Path = config.REPORTS_DIR
    jobs: int = os.cpu_count() or 1
    template: Path = config.NOTEBOOKS_DIR / "district_report.ipynb"
    overview_template: Path = config.NOTEBOOKS_DIR / "province_overview.ipynb"
    force: bool = False
    scheduler: str | None = None
    timeout: int = 600
    wait: float = 0.0
    province_code: str = config.DEFAULT_PROVINCE_CODE


def validate(options: ReportOptions) -> tuple[list, str | None]:
    """Check everything before any kernel starts; return (district units, ISO as-of)."""
    from .tallies import parse_as_of
    from .units import registry

    if options.lang not in ("vi", "en"):
        raise BatchError(f"--lang: vi | en ({options.lang!r})")
    as_of = None
    if options.as_of:
        parsed = parse_as_of(options.as_of)
        if parsed.error:
            raise BatchError(msg("bad_date_arg", value=options.as_of))
        as_of = parsed.day.strftime("%Y-%m-%d")
    reg = registry(options.province_code)
    if options.districts:
        units = [reg.resolve_district(d, options.province_code) for d in options.districts]
    else:
        units = [reg.get("district", code) for code in reg.districts(options.province_code).code]
    check_template(Path(options.template), PARAMETERS)
    if not options.districts:
        check_template(Path(options.overview_template), OVERVIEW_PARAMETERS)
    return units, as_of


def needs_cleaning(raw_dir: Path, processed_dir: Path) -> bool:
    """True when a processed table is missing or older than a raw file."""
    tables = config.processed_paths(processed_dir)
    outputs = [tables["tallies"], tables["facts"], tables["rejected"]]
    if not all(p.exists() for p in outputs):
        return True
    newest_raw = max((p.stat().st_mtime for p in Path(raw_dir).rglob("*") if p.is_file()),
                     default=0)
    return min(p.stat().st_mtime for p in outputs) < newest_raw


def plan(options: ReportOptions, units: list, as_of: str | None) -> list[Job]:
    """One job per district (and the overview when no district was named)."""
    raw = raw_digest(options.raw_dir)
    processed = str(Path(options.processed_dir).resolve())
    out = str(Path(options.out_dir).resolve())
    template = Path(options.template).resolve()
    jobs = []
    for unit in units:
        params = {"district": unit.code, "as_of": as_of, "lang": options.lang,
                  "processed_dir": processed}
        jobs.append(Job(slug(unit.name), unit.full_name, str(template), params, out,
                        job_hash(raw, template, params), options.timeout))
    if not options.districts:
        overview = Path(options.overview_template).resolve()
        params = {"as_of": as_of, "lang": options.lang, "processed_dir": processed}
        jobs.append(Job(OVERVIEW_SLUG, msg("index_overview", lang=options.lang), str(overview),
                        params, out, job_hash(raw, overview, params), options.timeout))
    return jobs


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
    units, as_of = validate(options)
    out_dir = Path(options.out_dir)
    _raise_on_sigterm()
    with run_lock(out_dir, options.wait):
        clear_leftovers(out_dir)
        if needs_cleaning(options.raw_dir, options.processed_dir):
            from .clean import clean, write_outputs

            print(msg("report_cleaning", lang=options.lang), file=stream)
            write_outputs(clean(options.raw_dir, province_code=options.province_code),
                          options.processed_dir)
        started = time.time()
        run = {"run_id": time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
               "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "versions": versions(),
               "as_of": as_of, "lang": options.lang}
        previous = load_manifest(out_dir)
        jobs = plan(options, units, as_of)
        run["inputs_hash"] = hashlib.sha256("".join(j.input_hash for j in jobs).encode()) \
            .hexdigest()
        skipped = [] if options.force else [j for j in jobs if up_to_date(j, previous)]
        # the overview is the longest job: start it first, so that no core idles at the end
        todo = sorted((j for j in jobs if j not in skipped), key=lambda j: j.slug != OVERVIEW_SLUG)
        progress = Progress(len(jobs), options.lang)
        results = []
        for job in skipped:
            result = JobResult(job.slug, job.name, UP_TO_DATE, 0.0, job.input_hash,
                               html=f"{job.slug}.html", notebook=f"notebooks/{job.slug}.ipynb")
            results.append(result)
            progress.update(result)
        write_index_page = bool(todo) or not (out_dir / "index.html").exists()
        with ThreadPoolExecutor(max_workers=1) as side:
            # the index's headline figures do not depend on the reports: compute them while
            # the kernels run, instead of after the last one
            index_data = side.submit(_prepare_index, options, as_of) if write_index_page \
                else None
            results += execute(todo, options.jobs, options.scheduler, progress.update)
            progress.close()
            run["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            run["seconds"] = round(time.time() - started, 2)
            manifest = write_manifest(out_dir, run, results, previous)
            if index_data is not None:
                from .index import write_index

                write_index(options, manifest, index_data.result())
        order = {j.slug: i for i, j in enumerate(jobs)}
        results.sort(key=lambda r: order[r.slug])
        print(summary_table(results, options.lang), file=stream)
        print(msg("report_written", lang=options.lang, path=out_dir), file=stream)
    return (1 if any(r.status == FAILED for r in results) else 0), results


def _prepare_index(options: ReportOptions, as_of: str | None):
    from .index import prepare_index

    return prepare_index(options, as_of)


def summary_table(results: list[JobResult], lang: str) -> str:
    """The end-of-run table: every report with status, duration, error and cell."""
    import pandas as pd

    from .cli import format_table

    frame = pd.DataFrame([{
        "name": r.name, "status": msg(f"run_{r.status.replace('-', '_')}", lang=lang),
        "seconds": f"{r.seconds:.1f}", "error": r.error or "",
        "cell": "" if r.cell is None else str(r.cell),
    } for r in results])
    frame.columns = msg("summary_headers", lang=lang).split("|")
    return format_table(frame)
