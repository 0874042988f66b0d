"""Local worker processes that each run several reports at once, one per thread.

A report's work happens in its kernel, a process of its own; the worker only drives the
kernel and writes the page, its notebook and workbook (about 0.3 CPU-s of a report's
1.5–2). One worker process can therefore drive several kernels, and every
worker process costs its own imports (papermill, nbconvert, openpyxl) and its own warm
template (``warm.py``: pandas, matplotlib, seaborn, ipykernel), 4–5 CPU-s together. So a run
starts one worker process per :data:`REPORTS_PER_WORKER` reports running at once, instead
of one per report as ``ProcessPoolExecutor`` would.

What stays true:

- **Isolation.** Each report still runs in a kernel process of its own (``warm.py``); the
  threads share only the worker's code, which runs no user code.
- **Every job gets a result.** A job whose worker process dies (a crash, the OOM killer)
  comes back as failed with the reason; a new worker takes over the jobs not yet handed
  out. A run never hangs on a dead worker and never loses a job.
- **Nothing outlives the run.** Workers die with the run (``init_worker``: SIGTERM on the
  parent's death), their kernels with them (ipykernel's parent poller); an interrupted run
  terminates its workers itself.
- **Fair share.** Jobs are handed out one at a time, to a worker with a free thread, in
  the order given (the planner lists the longest first), so no core idles at the end.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait

from ..messages import msg
from .job import FAILED, Job, JobResult, init_worker, run_job

#: Reports one worker process runs at once. A worker spends about 0.3 CPU-s on a report
#: whose kernel spends 1-1.5 s, so one worker keeps up with about four
#: kernels before its own thread becomes the bottleneck.
REPORTS_PER_WORKER = 4


def failed(job: Job, error: str) -> JobResult:
    """A failed result for ``job`` that never produced one of its own."""
    return JobResult(job.slug, job.name, FAILED, 0.0, job.input_hash, error=error[:500])


def died(job: Job, code: int | str | None) -> JobResult:
    """The result of ``job`` when its worker process ended with ``code`` before it."""
    return failed(job, msg("worker_died", lang=job.parameters.get("lang"), code=code))


def _run_guarded(job: Job) -> JobResult:
    try:
        return run_job(job)
    except BaseException as exc:  # run_job only raises for a bug of its own (an import,
        # a folder it cannot make): the job fails, and the worker and the run go on
        return failed(job, f"{type(exc).__name__}: {exc}")


def serve(conn: Connection, threads: int, fresh_interpreter: bool) -> None:
    """A worker process: run the jobs received on ``conn`` in ``threads`` threads, send back
    each result as it is ready; end after ``None`` (or when the run's end closes)."""
    init_worker(fresh_interpreter)
    send = threading.Lock()  # results come from several threads; one message at a time

    def done(future) -> None:
        with send, contextlib.suppress(OSError):  # the run is gone: no one to tell
            conn.send(future.result())  # _run_guarded never raises

    with ThreadPoolExecutor(max_workers=threads) as pool:
        while True:
            try:
                job = conn.recv()
            except EOFError:  # the run ended: take no more jobs
                return
            if job is None:
                break
            pool.submit(_run_guarded, job).add_done_callback(done)


class _Worker:
    def __init__(self, context, threads: int, fresh_interpreter: bool) -> None:
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=serve, args=(theirs, threads,
                                                           fresh_interpreter), daemon=True)
        self.process.start()
        theirs.close()  # ours closed too once it ends: recv() then raises EOFError
        self.threads = threads
        self.running: dict[str, Job] = {}


def run_local(jobs: list[Job], workers: int,
              on_result: Callable[[JobResult], None]) -> list[JobResult]:
    """Run ``jobs``, ``workers`` at a time, in as few spawned worker processes as that needs
    (:data:`REPORTS_PER_WORKER`); ``on_result`` is called in this thread as each ends."""
    running = max(1, min(workers, len(jobs)))
    processes = math.ceil(running / REPORTS_PER_WORKER)
    threads = math.ceil(running / processes)
    fresh = all(job.fresh_interpreter for job in jobs)
    context = get_context("spawn")  # a fork of a threaded parent could deadlock
    pool = [_Worker(context, threads, fresh) for _ in range(processes)]
    todo, results = deque(jobs), []

    def finish(result: JobResult) -> None:
        results.append(result)
        on_result(result)

    def lost(worker: _Worker) -> None:
        """The worker died: the jobs it was running fail; if it died running some, a new
        worker takes its place (one that died idle is not replaced: nothing is to blame,
        and a worker that cannot start must not be restarted for ever)."""
        pool.remove(worker)
        worker.process.join()
        for job in worker.running.values():
            finish(died(job, worker.process.exitcode))
        if worker.running and todo:
            pool.append(_Worker(context, threads, fresh))

    try:
        while pool:
            for worker in list(pool):
                try:
                    while todo and len(worker.running) < worker.threads:
                        worker.conn.send(todo[0])
                        job = todo.popleft()
                        worker.running[job.slug] = job
                except OSError:  # it died while idle: the job goes to another worker
                    lost(worker)
            busy = {worker.conn: worker for worker in pool if worker.running}
            if not busy:
                break
            for conn in wait(list(busy)):
                worker = busy[conn]
                try:
                    result = conn.recv()
                except EOFError:
                    lost(worker)
                    continue
                del worker.running[result.slug]
                finish(result)
        for job in todo:  # every worker died idle before these were handed out
            finish(died(job, "?"))
    except BaseException:
        # interrupted (SIGTERM, Ctrl-C): stop the workers; their kernels see their parent go
        for worker in pool:
            worker.process.terminate()
        raise
    for worker in pool:
        with contextlib.suppress(OSError):  # one that died idle has nothing to be told
            worker.conn.send(None)
        worker.process.join()
    return results
