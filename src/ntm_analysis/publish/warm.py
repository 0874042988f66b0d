"""Warm kernels: each report gets a new kernel process forked from a template process that
has already imported pandas, matplotlib, seaborn, pyarrow and ipykernel, instead of a new
interpreter that imports them again (≈2 s of CPU per report, BENCHMARKS.md).

What stays true, and why it is shaped this way:

- **A fresh process per report.** Every kernel is its own process with its own kernel
  protocol and sockets, forked from a template that ran no user code. A global, an rcParam,
  a monkey-patch or an import made by one report dies with its process; a crash or a kill
  reaches no other report (tested in ``tests/publish/test_warm.py``).
- **Safe to fork.** The template (``zygote.py``) has one thread and no socket when it forks;
  it checks the thread count before every fork. Its BLAS and Arrow allocator are told not
  to start helper threads (OpenBLAS and jemalloc would otherwise start them at import):
  the kernels compute on one thread each, and the run already keeps every core busy with
  one kernel per core (``--jobs``).
- **The kernel is the worker's child.** The template forks twice and the worker is a
  Linux child subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``), so the kernel is re-parented to
  the worker: jupyter_client waits for it, signals its process group and reaps it as a
  kernel it launched itself, and ipykernel's parent poller stops it when the worker dies.
- **A documented extension point, nothing patched.** A kernel provisioner (jupyter_client
  ≥ 7; a ``LocalProvisioner`` whose ``launch_kernel`` differs) chosen by a kernel manager
  that nbclient takes as ``kernel_manager_class``. JupyterLab and ``--scheduler`` are
  unaffected; ``ntm report --fresh-interpreter`` goes back to a new interpreter per report.
- **The kernel's environment.** The forked kernel runs with the environment jupyter_client
  made for it. What a library read from the environment when it was imported is the
  template's, which is the worker's own plus ``TEMPLATE_ENV``; the one per-kernel value
  ipykernel reads at import (``JPY_PARENT_PID``) is passed as its option.
- **Never worse than before.** Anything unusual (not Linux, another kernel than ipykernel
  of this interpreter, a template that failed to import or would fork with threads) falls
  back to the ordinary launch.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
#: The template process's own environment: no helper threads at import (module docstring),
#: and matplotlib's backend chosen the way ipykernel chooses it before any cell runs
#: (ipykernel ``kernelapp.init_gui_pylab``), since matplotlib reads it at import.
TEMPLATE_ENV = {"OPENBLAS_NUM_THREADS": "1", "JE_ARROW_MALLOC_CONF": "background_thread:false",
                "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


class ForkedKernel:
    """The part of ``subprocess.Popen`` that jupyter_client uses, for a kernel this process
    did not start but is the parent of (re-parented to it by the subreaper setting)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:  # reaped elsewhere: it is gone all the same
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int | None:
        return self._reap(0)  # only called once poll() saw it exit (LocalProvisioner.wait)

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class Template:
    """A template process started as ``interpreter`` (the kernel's command up to ``-m``);
    ``fork`` returns a new kernel's pid, or None when it cannot."""

    def __init__(self, interpreter: tuple[str, ...]) -> None:
        self.lock = threading.Lock()  # Dask runs several jobs per worker, in threads
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
        source = (Path(__file__).parent / "zygote.py").read_text(encoding="utf-8")
        self.process = subprocess.Popen(
            [*interpreter, "-c", source, str(os.getpid())], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env={**os.environ, **TEMPLATE_ENV})
        self.ready = self._answer().get("ready", False)
        atexit.register(self.close)

    def close(self) -> None:
        """End the template with its worker: close its stdin, reap it (no orphan left)."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"error": "the template process ended"}

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int | None:
        with self.lock:
            if not self.ready or self.process.poll() is not None:
                return None
            try:
                self.process.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": cwd})
                                         + "\n")
                self.process.stdin.flush()
            except OSError:  # it died: the ordinary launch still works
                self.ready = False
                return None
            return self._answer().get("pid")


_templates: dict[tuple[str, ...], Template | None] = {}
_templates_lock = threading.Lock()


def template(interpreter: tuple[str, ...]) -> Template | None:
    """This process's template for ``interpreter``, started on first use; None where there
    can be none (not Linux, or the process could not become a subreaper)."""
    with _templates_lock:
        if interpreter not in _templates:
            _templates[interpreter] = None
            if sys.platform == "linux":
                with contextlib.suppress(OSError):
                    _templates[interpreter] = Template(interpreter)
        return _templates[interpreter]


def split_ipykernel(cmd: list[str]) -> tuple[tuple[str, ...], list[str]] | None:
    """``(interpreter, kernel arguments)`` of an ipykernel command line such as
    ``python -Xfrozen_modules=off -m ipykernel_launcher -f FILE``; None for another kernel."""
    for i in range(1, len(cmd) - 1):
        if cmd[i] == "-m":
            return (tuple(cmd[:i]), cmd[i + 2:]) if cmd[i + 1] == "ipykernel_launcher" \
                else None
    return None


def start_template(kernel_name: str = "python3") -> None:
    """Start the template of ``kernel_name`` now, in the background (a worker's initializer:
    its imports then overlap the worker's own start instead of delaying the first report)."""
    from jupyter_client.kernelspec import KernelSpecManager

    with contextlib.suppress(Exception):  # no such kernel: the job will say so itself
        split = split_ipykernel(KernelSpecManager().get_kernel_spec(kernel_name).argv)
        if split:
            threading.Thread(target=template, args=(split[0],), daemon=True).start()


class WarmProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernel is forked from the template process."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        split = split_ipykernel(cmd)
        forked = template(split[0]) if split else None
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        # ipykernel reads JPY_PARENT_PID when it is imported, which the template did before
        # this kernel's environment existed: give the parent as the option it sets instead
        argv = [*split[1], f"--IPKernelApp.parent_handle={os.getpid()}"] if split else []
        pid = forked.fork(argv, env, cwd) if forked else None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid  # the kernel leads its own process group (setsid)
        self.cwd = cwd
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that launches through :class:`WarmProvisioner`."""

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
