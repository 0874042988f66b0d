"""Raw → processed, every row accounted for: ``clean(raw_dir)`` and ``write_outputs``.

Modules: ``cells`` (cell parsers), ``schemas`` (pandera rules and table contracts), ``columnar``
(once per distinct value), ``ledger`` (accepted/merged/rejected), ``rows`` (dates and units
of any sheet), one module per sheet kind (``tallies``, ``facts``, ``criteria``), ``merge``,
and ``pipeline`` (the run).
"""

from .pipeline import CleanResult, clean, clean_files, write_outputs

__all__ = ["CleanResult", "clean", "clean_files", "write_outputs"]
