"""Raw → processed, every row accounted for: ``clean(raw_dir)`` and ``write_outputs``.

Modules: ``cells`` (cell parsers), ``schemas`` (pandera rules and table contracts), ``columnar``
(once per distinct value), ``ledger`` (accepted/merged/rejected), ``rows`` (dates and units
of any sheet), one module per sheet kind (``tallies``, ``facts``, ``criteria``), ``merge``,
and ``pipeline`` (the run).
"""

from __future__ import annotations

__all__ = ["CleanResult", "clean", "clean_files", "write_outputs"]


def __getattr__(name: str):
    """The run's names, loaded on first use (PEP 562): importing a parser (``clean.cells``,
    as ``ntm report`` does to read ``--as-of``) must not load pandera, 0.45 s of a re-run
    with nothing to do."""
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
