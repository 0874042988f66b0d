"""Files read one ahead of the cleaner, on a thread.

While the cleaner imports its libraries or cleans one file, :class:`ReadAhead` reads the
next. Most of a read runs without the GIL (pandas' C parser for a CSV, python-calamine's
parse of a workbook's XML), so it takes the other core: ``ntm clean`` starts reading the
first file before it imports pandas and pandera, and the two overlap. The cleaner gets
exactly what reading the file itself would give, errors included: a read that raises
raises again when its file is taken. One file ahead, never more: a run's memory holds two
files at most.

Light on purpose (the standard library only; the reader is imported on first use).
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def read_file(path: Path, raw_dir: Path) -> tuple[list, list]:
    """:func:`.readers.read_raw_file`, imported on first use (pandas loads in the thread
    that reads ahead while the cleaner loads the rest). A workbook within the limits is
    parsed first, before pandas is imported: the parse runs without the GIL, beside the
    cleaner's own imports; one the parser refuses is left to the reader to report."""
    parsed = None
    if Path(path).suffix.lower() == ".xlsx":
        from .files import limits_exceeded, parse_worksheets  # light: no pandas

        if limits_exceeded(path) is None:
            with contextlib.suppress(Exception):  # the reader reads it again, and says why
                parsed = parse_worksheets(path)
    from .readers import read_raw_file  # lazy: see the docstring

    return read_raw_file(path, raw_dir, parsed)


class ReadAhead:
    """The files among ``paths`` read one ahead of the cleaner (see the module)."""

    def __init__(self, paths: list[Path], raw_dir: Path):
        self._paths = [Path(p) for p in paths]
        self._raw_dir = Path(raw_dir)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ntm-read-ahead")
        self._pending: dict[Path, Future] = {}
        self._start(0)

    def _start(self, index: int) -> None:
        if index < len(self._paths) and self._paths[index] not in self._pending:
            self._pending[self._paths[index]] = self._pool.submit(
                read_file, self._paths[index], self._raw_dir)

    @property
    def ahead(self) -> list[Path]:
        """The files read, or being read, and not taken yet: one at most."""
        return list(self._pending)

    def take(self, path: Path) -> tuple[list, list]:
        """The sheets and problems of the file at ``path`` (read now when it was not read
        ahead; raising what the read raised); the next file starts reading."""
        path = Path(path)
        future = self._pending.pop(path, None)
        if path in self._paths:
            self._start(self._paths.index(path) + 1)
        return future.result() if future is not None else read_file(path, self._raw_dir)

    def close(self) -> None:
        """Stop reading ahead; what was read and not taken is dropped."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
