"""What every report page has: its date, its language and the catalogue's words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..messages import msg
from .display import Heading, Note
from .style import date_text


@dataclass
class Page:
    """What every report page has: its date, language, headings and catalogue words."""

    as_of: pd.Timestamp
    lang: str

    def t(self, key: str, **fields: object) -> str:
        """The catalogue text of ``key`` in the page's language."""
        return msg(key, lang=self.lang, **fields)

    def subtitle(self) -> Note:
        """The line under the title: the date the page describes."""
        return Note(self.t("report_as_of", date=date_text(self.as_of, self.lang)))

    def section(self, key: str) -> Heading:
        """A section heading from the catalogue key ``key``."""
        return Heading(self.t(key), 2)
