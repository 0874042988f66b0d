"""The ``ntm report`` engine: ``plan`` (checks, jobs, input hashes), ``job`` (one report in a
worker), ``export`` (its HTML page), ``workbooks`` (its tables as .xlsx), ``run`` (parallel
run, lock, manifest), ``pool``, ``warm`` and ``zygote`` (the local workers and their warm
kernels), ``index`` (the index page), ``templates``; ``entry_forms`` (``ntm template``).
"""

from __future__ import annotations

__all__ = ["ReportOptions", "run_report"]


def __getattr__(name: str):
    """``ReportOptions`` and ``run_report``, loaded on first use (PEP 562): a worker that
    imports ``publish.job`` to run one report must not load pandas and the planner (0.9 s
    per worker)."""
    if name == "ReportOptions":
        from .plan import ReportOptions

        return ReportOptions
    if name == "run_report":
        from .run import run_report

        return run_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
