"""Warm kernels (publish/warm.py): each report still runs in a fresh process of its own.

One worker runs the reports one after the other, so that a report can only see another's
state if that state survived from one kernel to the next. The probe cell proves the path
under test was taken (same worker, libraries already imported when the kernel started);
the control runs the same steps in one kernel and shows that the check does see a leak.
"""

from __future__ import annotations

import asyncio
import json
import os

import nbformat
import pytest

from ntm_analysis.publish.job import FAILED, OK, Job
from ntm_analysis.publish.run import execute

pytestmark = pytest.mark.slow

PROBE = ("import json, os, sys\n"
         "print(json.dumps({'ppid': os.getppid(), 'pid': os.getpid(),\n"
         "                  'preloaded': 'pandas' in sys.modules}))")
#: One report's changes to its process: a global, an rcParam, a monkey-patch of pandas, an
#: imported module (one no library here imports).
DIRTY = ("import matplotlib, pandas, wave\n"
         "LEAKED_GLOBAL = 1\n"
         "matplotlib.rcParams['lines.linewidth'] = 9.5\n"
         "pandas.DataFrame.head = lambda self, n=5: 'patched'\n")
CHECK = ("import sys, matplotlib, pandas\n"
         "leaks = [name for name, leaked in [\n"
         "    ('global', 'LEAKED_GLOBAL' in globals()),\n"
         "    ('rcParam', matplotlib.rcParams['lines.linewidth'] == 9.5),\n"
         "    ('monkey-patch', isinstance(pandas.DataFrame({'a': [1]}).head(), str)),\n"
         "    ('module', 'wave' in sys.modules)] if leaked]\n"
         "assert not leaks, 'leaked: ' + ', '.join(leaks)\n")
KILL = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
#: A report that takes its worker process down (the kernel's parent: warm.py re-parents it).
DIE = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"
#: Two reports that wait for each other at a FIFO: the first to arrive opens it to read,
#: the second to write, and opening a FIFO returns only once its other end is open too. Run
#: one after the other, the first report waits until the job's timeout interrupts it.
MEET = ("import os\n"
        "try:\n"
        "    os.close(os.open(os.path.join(meet_dir, 'first'), os.O_CREAT | os.O_EXCL))\n"
        "    end = os.O_RDONLY\n"
        "except FileExistsError:\n"
        "    end = os.O_WRONLY\n"
        "os.close(os.open(os.path.join(meet_dir, 'fifo'), end))\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell('step = "check"\nmeet_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(PROBE)] + [
        nbformat.v4.new_code_cell(f"if {step!r} in step:\n" +
                                  "".join(f"    {line}\n" for line in code.splitlines()))
        for step, code in (("dirty", DIRTY), ("kill", KILL), ("check", CHECK), ("die", DIE),
                           ("meet", MEET))]
    path = tmp_path_factory.mktemp("warm") / "steps.ipynb"
    nbformat.write(nb, path)
    return path


def run(template, out, steps, fresh_interpreter=False, workers=1, **parameters):
    """Run one job per step, in this order, ``workers`` at a time; results in step order."""
    jobs = [Job(f"{i}-{step}", step, str(template), {"step": step, **parameters}, str(out),
                "-", timeout=60, fresh_interpreter=fresh_interpreter)
            for i, step in enumerate(steps)]
    results = {r.slug: r for r in execute(jobs, workers, None, lambda result: None)}
    return [results[job.slug] for job in jobs]


def probe(out, result) -> dict:
    notebook = nbformat.read(out / (result.notebook or result.failed_notebook), as_version=4)
    [cell] = [c for c in notebook.cells if c.source == PROBE]
    return json.loads(cell.outputs[0]["text"])


def test_no_state_of_one_report_reaches_the_next_in_the_same_worker(template, tmp_path):
    out = tmp_path / "reports"
    results = run(template, out, ["dirty", "kill", "check", "dirty", "check"])
    assert [r.status for r in results] == [OK, FAILED, OK, OK, OK], \
        [(r.status, r.error) for r in results]
    assert "DeadKernel" in results[1].error  # a killed kernel fails its own report only
    probes = [probe(out, r) for r in results if r.status == OK]
    assert len({p["ppid"] for p in probes}) == 1  # one worker ran them all ...
    assert len({p["pid"] for p in probes}) == len(probes)  # ... each in its own process
    assert all(p["preloaded"] for p in probes)  # forked from the warm template


def test_the_check_sees_state_left_in_a_shared_kernel(template, tmp_path):
    """Control: the same steps in one kernel fail the check, naming every leak."""
    [result] = run(template, tmp_path / "reports", ["dirty+check"])
    assert result.status == FAILED
    assert "leaked: global, rcParam, monkey-patch, module" in result.error


def test_fresh_interpreter_starts_a_new_python_per_report(template, tmp_path):
    out = tmp_path / "reports"
    results = run(template, out, ["dirty", "check"], fresh_interpreter=True)
    assert [r.status for r in results] == [OK, OK]
    assert not any(probe(out, r)["preloaded"] for r in results)


def test_one_worker_process_runs_reports_side_by_side_each_in_its_own_kernel(template,
                                                                            tmp_path):
    """Two reports at a time need one worker process (pool.py), not two: both meet, so they
    ran at once, under the same parent, each in a process of its own."""
    meet = tmp_path / "meet"
    meet.mkdir()
    os.mkfifo(meet / "fifo")
    out = tmp_path / "reports"
    results = run(template, out, ["meet", "meet"], workers=2, meet_dir=str(meet))
    assert [r.status for r in results] == [OK, OK], [(r.status, r.error) for r in results]
    probes = [probe(out, r) for r in results]
    assert len({p["ppid"] for p in probes}) == 1 and len({p["pid"] for p in probes}) == 2


def test_a_report_that_kills_its_worker_fails_alone_and_a_new_worker_goes_on(template,
                                                                             tmp_path):
    out = tmp_path / "reports"
    results = run(template, out, ["check", "die", "check", "check"], lang="en")
    assert [r.status for r in results] == [OK, FAILED, OK, OK], \
        [(r.status, r.error) for r in results]
    assert "ended abruptly (exit code -9)" in results[1].error  # the reason, in English
    first, *after = [probe(out, r)["ppid"] for r in results if r.status == OK]
    assert after[0] == after[1] != first  # the reports after it ran in the new worker


async def _first_execution_messages(manager, cwd):
    """Start a warm kernel in ``cwd``, wait until it is ready, run one statement: the
    parent ids of every IOPub message read for it, and the kernel's pid."""
    await manager.start_kernel(cwd=str(cwd), extra_arguments=["--IPKernelApp.log_level=50"])
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        request, parents = client.execute("x = 1"), []
        while not parents or parents[-1] != (request, "idle"):  # IOPub up to its idle
            message = await client.iopub_channel.get_msg(timeout=60)
            parents.append((message["parent_header"].get("msg_id"),
                            message["content"].get("execution_state")))
        return request, {parent for parent, _ in parents}, manager.provisioner.pid
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def test_a_warm_kernel_is_ready_with_its_iopub_read_and_is_reaped_when_stopped(tmp_path):
    """The warm client reads IOPub up to its readiness request's idle status: nothing of it
    is left to be taken for the first cell's messages. The kernel is reaped on shutdown."""
    from ntm_analysis.publish.warm import WarmKernelClient, WarmKernelManager

    manager = WarmKernelManager(kernel_name="python3")
    assert isinstance(manager.client(), WarmKernelClient)
    request, parents, pid = asyncio.run(_first_execution_messages(manager, tmp_path))
    assert parents == {request}, parents
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_a_warm_kernel_that_dies_before_answering_fails_its_start(tmp_path):
    from ntm_analysis.publish.warm import WarmKernelManager

    gone = tmp_path / "removed"  # the forked kernel cannot enter it, and exits
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(_first_execution_messages(WarmKernelManager(kernel_name="python3"), gone))
