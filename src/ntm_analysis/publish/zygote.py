"""The template process of warm kernels (see ``warm.py``): imports the heavy libraries once,
then forks a fresh kernel process on each request.

It is run as a script (``python -c <this file's text> <worker pid>``), never imported by
the package, and runs no code but imports, so that a kernel forked from it starts with
what a fresh kernel has, plus the preloaded modules: the libraries, and the report layer of
``ntm_analysis`` that every report imports first (whose import reads nothing but its own
files). The template lives as long as its worker, one run, so the code it preloaded is the
code of the run; a Dask worker keeps it, like its own imports, until the worker restarts.
It never starts a thread or opens a socket (fork copies only the calling thread, and a
socket would be shared by every kernel); it checks that it has one thread before each fork
and refuses otherwise.

Protocol: one JSON request per line on stdin, ``{"argv": [...], "env": {...}, "cwd": ...}``
(the arguments of ``python -m ipykernel_launcher``); one JSON line back on the original
stdout per request, ``{"pid": N}`` or ``{"error": "..."}``, after a first line
``{"ready": true}`` or ``{"error": ...}``. End of stdin (the worker closed it or died): exit.

Each kernel is forked twice, so that it is re-parented to the worker (a child subreaper):
the worker then waits for it, signals and reaps it like a kernel it started itself.
"""

import contextlib
import json
import os
import signal
import sys

#: What a report kernel imports before its first cell can run (≈2 s of CPU).
PRELOAD = ("numpy", "pandas", "pyarrow", "pyarrow.parquet", "matplotlib", "matplotlib.pyplot",
           "seaborn", "matplotlib_inline.backend_inline", "ipykernel.kernelapp",
           "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger",
           "pandas.io.formats.style", "pyarrow.dataset",
           # a page resolves its unit's name with the package's typo fixer; importing it
           # compiles the package's address regexes and loads shapely, geopy and requests:
           # 0.5-0.8 s a kernel (cProfile of a district kernel)
           "vietnamadminunits",
           # the report layer, which every notebook imports in its first cell (0.08 s)
           "ntm_analysis.report", "ntm_analysis.report.plots")
#: What a warm kernel still imported on its way through a district page and the overview
#: (its ``sys.modules`` at the end, less the above: 0.05 s a kernel): the
#: kernel's start (psutil, sqlite3 for history, IPython's magics), the first PNG (Pillow's
#: plugins), the first Arrow-backed column, the letters of Vietnamese names (unidecode).
#: Each is optional: a library version that lacks one only loses the head start.
PRELOAD_IF_PRESENT = (
    "psutil", "sqlite3", "pdb", "faulthandler", "tornado.platform.asyncio",
    "zmq.utils.garbage", "jupyter_client.localinterfaces", "IPython.core.completerlib",
    "IPython.core.debugger", "IPython.core.logger", "IPython.core.magic_arguments",
    "IPython.core.magics.ast_mod", "IPython.core.magics.execution", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "PIL.BmpImagePlugin", "PIL.GifImagePlugin",
    "PIL.JpegImagePlugin", "PIL.PpmImagePlugin", "pandas.core.arrays.arrow.extension_types",
    "unidecode.x000", "unidecode.x001", "unidecode.x01e")


INLINE = "module://matplotlib_inline.backend_inline"


def thread_count() -> int:
    """Threads of this process, from the kernel's own list (threading sees only its own)."""
    return len(os.listdir("/proc/self/task"))


def become_kernel(request: dict, go: int) -> None:
    """In the forked kernel: wait to be re-parented, take the kernel's environment, run it.

    Returns only by raising SystemExit, so that the interpreter ends as a kernel's does.
    """
    os.read(go, 1)  # the zygote writes once the middle process is reaped: now our parent is
    os.close(go)    # the worker, which ipykernel's parent poller watches (JPY_PARENT_PID)
    os.setsid()  # its own process group, as jupyter_client's launcher gives every kernel
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the zygote's request pipe is not the kernel's business
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # interrupts are KeyboardInterrupt
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]  # sys.path lost "" in serve(), as
    # ipykernel_launcher removes it, so that the kernel's folder does not shadow modules

    import matplotlib
    import numpy as np

    np.random.seed()  # numpy's global generator was seeded once, in the zygote: reseed it
    # from the OS as a fresh interpreter does (the `random` module reseeds itself at fork)
    backend = os.environ.get("MPLBACKEND", INLINE)
    if backend == INLINE:
        # a fresh kernel hooks the inline backend into IPython when a cell first imports
        # pyplot; here pyplot is already imported, so ask the kernel to do it at start-up,
        # as `%matplotlib inline` does (matplotlib_inline, _enable_matplotlib_integration)
        sys.argv.append("--matplotlib=inline")
    elif backend != matplotlib.get_backend():
        matplotlib.use(backend)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    sys.exit(0)


def serve(worker: int) -> None:
    """Answer fork requests from ``worker`` until its end of stdin closes."""
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # kernels print to the worker's stderr, never into the reply pipe
    if os.getppid() != worker:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the run, not this helper
    if sys.path and sys.path[0] == "":  # `-c` put the worker's folder first: a file there
        del sys.path[0]                  # must not stand in for a library being preloaded
    try:
        for name in PRELOAD:
            __import__(name)
    except Exception as exc:  # a missing library: the worker starts kernels the usual way
        reply.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return
    for name in PRELOAD_IF_PRESENT:
        with contextlib.suppress(ImportError):
            __import__(name)
    reply.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        threads = thread_count()
        if threads != 1:
            reply.write(json.dumps({"error": f"{threads} threads"}) + "\n")
            continue
        go_read, go_write = os.pipe()
        pid_read, pid_write = os.pipe()
        middle = os.fork()
        if middle == 0:  # the middle process: fork the kernel, tell its pid, vanish
            os.close(go_write)
            os.close(pid_read)
            kernel = os.fork()
            if kernel == 0:
                os.close(pid_write)
                reply.close()
                become_kernel(request, go_read)
            os.write(pid_write, str(kernel).encode())
            os._exit(0)  # no atexit, no flush: this process only passes the kernel on
        os.close(go_read)
        os.close(pid_write)
        os.waitpid(middle, 0)
        with os.fdopen(pid_read, "rb") as handle:
            kernel = handle.read().decode()
        os.write(go_write, b"1")
        os.close(go_write)
        reply.write(json.dumps({"pid": int(kernel)} if kernel else
                               {"error": "the kernel could not be forked"}) + "\n")


if __name__ == "__main__":
    serve(int(sys.argv[1]))
