"""Warm kernels: each report gets a new kernel process forked from a template process that
has already imported pandas, matplotlib, seaborn, pyarrow, ipykernel and the package's report
layer (``zygote.PRELOAD``), instead of a new interpreter that imports them again (≈2 s of
CPU per report).

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
- **No idle waits.** Once the kernel answers, the report starts: jupyter_client's readiness
  check ends by waiting 0.2 s for silence on IOPub, and its kill polls every 0.1 s; the
  client and provisioner here wait for the event itself instead (:class:`WarmKernelClient`,
  :meth:`WarmProvisioner.kill`). An empty notebook runs through this path in about 0.3 s,
  against about 0.55 s with those waits.
- **Never worse than before.** Anything unusual (not Linux, another kernel than ipykernel
  of this interpreter, a template that failed to import or would fork with threads) falls
  back to the ordinary launch.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

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
        self.lock = threading.Lock()  # a worker runs several jobs at once, in threads
        # (pool.py; Dask too): one fork request and its answer at a time
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

    async def kill(self, restart: bool = False) -> None:
        """SIGKILL the kernel's process group, then wait for the kernel's end in steps of
        5 ms: the manager polls a killed kernel every 0.1 s (``_async_wait``), and a kernel
        dies within a few milliseconds of SIGKILL."""
        await super().kill(restart=restart)
        if isinstance(self.process, ForkedKernel):
            deadline = time.monotonic() + 1.0  # then the manager's own wait takes over
            while self.process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.005)


class WarmKernelClient(AsyncKernelClient):
    """An ``AsyncKernelClient`` that is ready when the kernel is.

    jupyter_client's ``wait_for_ready`` sends ``kernel_info``, takes the reply, then reads
    IOPub until it has been silent for 0.2 s (jupyter_client 8, client.py, "Flush IOPub
    channel"): every kernel costs 0.2 s of nothing. Here the wait ends at the ``idle``
    status of the request that was answered, which proves the same two things (the shell
    channel answers, IOPub delivers) and leaves no message of it unread. When IOPub lost
    that status (its subscription was not in place yet), the request is sent again, as
    jupyter_client does.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" \
                    and await self._idle_after(reply["parent_header"].get("msg_id")):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle_after(self, msg_id: str | None) -> bool:
        """Read IOPub up to the ``idle`` status of request ``msg_id``; False when IOPub is
        quiet for 0.2 s before it (jupyter_client's own patience)."""
        while True:
            try:
                message = await self.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                return False
            if message["msg_type"] == "status" \
                    and message["parent_header"].get("msg_id") == msg_id \
                    and message["content"].get("execution_state") == "idle":
                return True


class WarmKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that launches through :class:`WarmProvisioner` and talks
    through :class:`WarmKernelClient`."""

    @default("client_factory")
    def _warm_client(self) -> type:  # traitlets' documented way to set a default
        return WarmKernelClient

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
