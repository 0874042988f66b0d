"""What the commands print: plain text tables and the progress of long runs.

Plain text, left-aligned, no colour codes: the same output reads well on a terminal and in
a cron log. On a terminal the progress is one updating line; elsewhere one line per item.
"""

from __future__ import annotations

import sys
import time

from .messages import msg


def format_table(frame) -> str:
    """Return ``frame`` as a plain left-aligned text table (for terminals and cron logs)."""
    cells = [list(map(str, frame.columns))] + [
        ["" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Progress:
    """Done / failed / left / elapsed: one updating line on a terminal, log lines otherwise."""

    def __init__(self, total: int, lang: str, stream=None):
        self.total, self.lang = total, lang
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.done = self.failed = 0
        self.start = time.monotonic()
        self._draw()

    def _elapsed(self) -> str:
        seconds = int(time.monotonic() - self.start)
        return f"{seconds // 60:02d}:{seconds % 60:02d}"

    def _draw(self) -> None:
        if self.tty:
            line = msg("progress_line", lang=self.lang, done=self.done, failed=self.failed,
                       left=self.total - self.done - self.failed, elapsed=self._elapsed())
            self.stream.write("\r" + line + " " * 4)
            self.stream.flush()

    def update(self, name: str, status: str, seconds: float, failed: bool = False) -> None:
        """Count one finished item (``status`` is a ``run_*`` catalogue suffix)."""
        if failed:
            self.failed += 1
        else:
            self.done += 1
        if not self.tty:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            self.stream.write(f"{stamp} " + msg(
                "progress_log", lang=self.lang, name=name, seconds=seconds,
                status=msg(f"run_{status.replace('-', '_')}", lang=self.lang)) + "\n")
        self._draw()

    def close(self) -> None:
        """End the updating line (on a terminal) and flush."""
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


