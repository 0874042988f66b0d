"""A small hierarchy of errors with structured fields.

``str(error)`` is the plain message for the user (Vietnamese first, English second),
built from :mod:`ntm_analysis.messages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .messages import msg


class NtmError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 1


@dataclass
class UnitNotFoundError(NtmError):
    """A unit name does not match any official unit (after normalisation)."""

    exit_code: ClassVar[int] = 2  # a name given on the command line: a usage error

    kind: str  # "district" or "commune"
    name: str
    parent: str | None = None
    suggestions: Sequence[str] = field(default_factory=tuple)

    def __str__(self) -> str:
        return msg("unit_not_found", kind=msg(f"kind_{self.kind}"), name=self.name,
                   parent=f" ({self.parent})" if self.parent else "",
                   hint=suggestion_text(self.suggestions))


@dataclass
class AmbiguousUnitError(NtmError):
    """A unit name matches several official units."""

    exit_code: ClassVar[int] = 2

    kind: str
    name: str
    candidates: Sequence[str] = field(default_factory=tuple)

    def __str__(self) -> str:
        return msg("unit_ambiguous", kind=msg(f"kind_{self.kind}"), name=self.name,
                   candidates="; ".join(self.candidates))


@dataclass
class RawDataError(NtmError):
    """The raw folder or a raw file cannot be used at all."""

    path: Path
    reason: str
    exit_code: int = 2

    def __str__(self) -> str:
        return self.reason if str(self.path) in self.reason else f"{self.path}: {self.reason}"


class BatchError(NtmError):
    """A report run that cannot start: bad arguments or template (exit 2), or another run
    holds the lock (exit 3)."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def suggestion_text(suggestions: Sequence[str]) -> str:
    """Return the "did you mean" sentence for ``suggestions`` (empty when none)."""
    if not suggestions:
        return msg("no_suggestion")
    return msg("did_you_mean", names=", ".join(suggestions))
