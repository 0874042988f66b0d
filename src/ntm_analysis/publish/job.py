"""One report, in a worker: papermill runs the template in a fresh kernel, nbconvert makes
one self-contained HTML file, the page's tables become a workbook (:mod:`.workbooks`), and
all three land in the output folder atomically.

A failing notebook never raises out of :func:`run_job`: its partly executed notebook goes to
``<out>/failed/`` and the result names the error and the cell. A :class:`Job` is picklable,
so that it runs in a local process or on a Dask worker alike.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import signal
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import TEMPLATES_DIR
from ..messages import msg
from ..storage import atomic_path, write_text

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

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


#: Cells tagged so are for the analyst who opens the notebook in JupyterLab (how to run it,
#: what the parameters mean) and never reach an exported page (issue 15).
ANALYST_ONLY_TAG = "analyst-only"


@functools.cache
def html_exporter() -> HTMLExporter:
    """The one nbconvert exporter of this process: code hidden, images embedded, no scripts,
    no analyst-only cell.

    Built once per worker: loading the template costs more than converting a report.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="ntm_report",
                            extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, embed_images=True,
                            # validate the notebook once, after the last preprocessor, not
                            # after each of the 13 (nbconvert's documented option; 0.04 s)
                            optimistic_validation=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={ANALYST_ONLY_TAG}, enabled=True), enabled=True)
    return exporter


#: what nbconvert writes on an image that has no alternative text of its own
_NO_ALT = 'alt="No description has been provided for this image"'


def export_html(notebook: NotebookNode, lang: str, workbook: str | None = None) -> str:
    """Self-contained HTML of an executed notebook: code hidden, nothing fetched online,
    each chart with the alternative text its output carries (``report.display.Chart``),
    and a link to the page's ``workbook`` (a relative path) under its title."""
    body, _ = html_exporter().from_notebook_node(notebook)
    if workbook:
        link = (f'<p class="ntm-workbook"><a href="{html.escape(workbook)}">'
                f'{html.escape(msg("xlsx_link", lang=lang))}</a></p>')
        body = body.replace("</h1>", "</h1>" + link, 1)
    # the lab template drops the output's "alt" and nbconvert then writes a placeholder on
    # every image; the images come in the order of the outputs
    for alt in _image_alts(notebook):
        body = body.replace(_NO_ALT, f'alt="{html.escape(alt)}"', 1) if alt else body
    return body.replace('<html lang="en">', f'<html lang="{lang}">', 1)


def _image_alts(notebook: NotebookNode) -> list[str | None]:
    return [output.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def run_job(job: Job) -> JobResult:
    """Execute one report; never raises for a failure of the notebook itself."""
    import papermill as pm  # in the worker: the parent of a run with nothing to do skips it

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
        html = export_html(notebook, lang, workbook)
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
