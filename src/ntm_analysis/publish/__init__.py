"""The ``ntm report`` engine: ``plan`` (checks, jobs, input hashes), ``job`` (one report in a
worker), ``run`` (parallel run, lock, manifest), ``index`` (the index page), ``templates``.
"""

from .plan import ReportOptions
from .run import run_report

__all__ = ["ReportOptions", "run_report"]
