"""One report, in a worker: papermill runs the template in a fresh kernel, nbconvert makes
one self-contained HTML file (:mod:`.export`), the page's tables become a workbook
(:mod:`.workbooks`), and all three land in the output folder atomically.

A failing notebook never raises out of :func:`run_job`: its partly executed notebook goes to
``<out>/failed/`` and the result names the error and the cell. A :class:`Job` is picklable,
so that it runs in a local process or on a Dask worker alike.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..storage import atomic_path, write_text

OK, FAILED, UP_TO_DATE = "ok", "failed", "up-to-date"
#: the folder of the pages' workbooks, under the output folder
WORKBOOK_DIR = "xlsx"


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
    #: a new interpreter per kernel instead of one forked from the warm template (warm.py)
    fresh_interpreter: bool = False
    #: the page links its PDF (``pdf/<slug>.pdf``, printed after the run: ``--pdf``)
    pdf: bool = False


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
    workbook: str | None = None
    failed_notebook: str | None = None
    error: str | None = None
    cell: int | None = None


def skipped(job: Job) -> JobResult:
    """The result of a job not run because its page, notebook and workbook are up to date."""
    return JobResult(job.slug, job.name, UP_TO_DATE, 0.0, job.input_hash,
                     html=f"{job.slug}.html", notebook=f"notebooks/{job.slug}.ipynb",
                     workbook=f"{WORKBOOK_DIR}/{job.slug}.xlsx")


def run_job(job: Job) -> JobResult:
    """Execute one report; never raises for a failure of the notebook itself."""
    import papermill as pm  # in the worker: the parent of a run with nothing to do skips it

    from .export import export_html  # nbconvert too
    from .pdf import pdf_href
    from .workbooks import write_report_workbook  # openpyxl too

    warm = {}
    if not job.fresh_interpreter:
        from .warm import WarmKernelManager

        warm["kernel_manager_class"] = WarmKernelManager  # nbclient's documented option
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
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"], **warm)
        lang = job.parameters.get("lang", "vi")
        workbook = f"{WORKBOOK_DIR}/{job.slug}.xlsx"
        html = export_html(notebook, lang, workbook, pdf_href(job.slug) if job.pdf else None)
        final_nb = out / "notebooks" / f"{job.slug}.ipynb"
        final_html = out / f"{job.slug}.html"
        write_report_workbook(notebook, out / workbook, lang)
        with atomic_path(final_nb) as tmp:
            os.replace(executed, tmp)
        write_text(final_html, html)
        (out / "failed" / f"{job.slug}.ipynb").unlink(missing_ok=True)
        return JobResult(job.slug, job.name, OK, time.perf_counter() - start, job.input_hash,
                         html=final_html.name, notebook=f"notebooks/{final_nb.name}",
                         workbook=workbook)
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


def init_worker(fresh_interpreter: bool = True) -> None:
    """In a local worker process: die with the parent, skip a slow import, and start the warm
    kernels' template process unless ``fresh_interpreter``.

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
    if not fresh_interpreter:
        from .warm import start_template

        start_template()
