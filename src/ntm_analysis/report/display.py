"""Displayable pieces of a report page: escaped headings and notes, and escaped tables.

Every piece renders in Jupyter and in the exported HTML. Text from the data is escaped
everywhere (``html.escape``, pandas Styler ``escape="html"``): a commune named
``<script>`` in a raw sheet is shown as text, never run.

Each heading, note and table also carries its content as data, under :data:`PIECE_MIME` in
the cell's output (Jupyter keeps every type a ``_repr_mimebundle_`` returns, and the HTML
export shows only the types it knows): the publish stage writes a page's workbook from
exactly what the page shows, without running the page twice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.formats.style import Styler

from ..config import PIECE_MIME
from ..messages import msg
from .style import RATING_COLORS

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Heading:
    """A heading whose text is escaped in HTML; a page title also sets the header of every
    printed page (``page_header``, a CSS ``@page`` margin box)."""

    text: str
    level: int = 2
    page_header: str | None = None

    def _repr_html_(self) -> str:
        heading = f"<h{self.level}>{html.escape(self.text)}</h{self.level}>"
        if self.page_header is None:
            return heading
        return (f'<style>@page {{ @top-left {{ content: "{css_string(self.page_header)}"; '
                f"font-size: 8pt; color: #555; }} }}</style>{heading}")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {PIECE_MIME: {"kind": "heading", "level": self.level, "text": self.text}}

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Note:
    """A paragraph whose text is escaped in HTML."""

    text: str

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {PIECE_MIME: {"kind": "note", "text": self.text}}

    def __repr__(self) -> str:
        return self.text


def css_string(text: str) -> str:
    """``text`` inside a CSS string: quotes, backslashes and angle brackets escaped, so that
    no data can end the string or the ``<style>`` element it stands in."""
    return "".join(f"\\{ord(c):X} " if c in '"\\<>&\n' else c for c in text)


@dataclass
class Chart:
    """A finished chart and its alternative text, shown once as a cell's result.

    Its PNG carries ``alt`` in the output's metadata, which the exported page puts on the
    image (:func:`publish.export.export_html`), so a screen reader says what the chart shows.
    ``figure`` is the matplotlib Figure, to change or save in JupyterLab.
    """

    figure: Figure
    alt: str

    def _repr_png_(self) -> tuple[bytes, dict[str, str]]:
        from IPython.core.pylabtools import print_figure  # kernels only

        # not cropped to a tight box: the charts use constrained layout, so nothing lies
        # outside the figure, and the crop draws every figure once more to measure it
        # (0.36 s of 1.9 s for a district's five trend panels; plots.set_theme says the same)
        return print_figure(self.figure, "png", bbox_inches=None), {"alt": self.alt}


def chart(figure: Figure, alt: str) -> Chart:
    """A finished chart with its alternative text, to be shown once as the cell's result.

    The figure is closed in pyplot first: an open figure is drawn again after the cell by
    pyplot's hook for interactive mode (``_draw_all_if_interactive``) before its PNG is
    made, so every chart would cost two renderings. A closed figure is drawn once, for its
    PNG, and still saves and can be changed like any figure.
    """
    import matplotlib.pyplot as plt  # charts only: no matplotlib in the index

    plt.close(figure)
    return Chart(figure, alt)


_NUMBER_LIKE = re.compile(r"^[\d\s./,:%+—–-]*$")  # 14/19, 8.5, 31/12/2022, 100%, —


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The columns whose every cell reads as a number, a date, a tally or a dash."""
    return [c for c in frame.columns
            if frame[c].map(lambda v: bool(_NUMBER_LIKE.match(str(v)))).all()]


#: a column header as pandas' Styler writes it (it has no option for ``scope``)
_COLUMN_HEADER = re.compile(r'<th (?=[^>]*class="col_heading)')


@dataclass
class Table:
    """A table as a page shows it: escaped, no index, numbers right and text left; its long
    texts (the sources) as numbered ``notes`` under it instead of a column, so that the
    columns stay narrow enough for a printed page."""

    styler: Styler
    notes: list[str] = field(default_factory=list)
    #: the figures each row was made from, as JSON, for a reader of the notebook that needs
    #: more than the cells (the overview's districts table: the index, ``publish.index``)
    records: list[dict] = field(default_factory=list)

    @property
    def data(self) -> pd.DataFrame:
        """The table's cells, as shown."""
        return self.styler.data

    def to_html(self) -> str:
        """The table, its column headers scoped to their columns (for screen readers, WCAG
        1.3.1), then its notes in an ordered list (escaped)."""
        items = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        table = _COLUMN_HEADER.sub('<th scope="col" ', self.styler.to_html())
        return table + (f'<ol class="ntm-notes">{items}</ol>' if items else "")

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        frame = self.data
        return {"text/html": self.to_html(), PIECE_MIME: {
            "kind": "table", "columns": [str(c) for c in frame.columns],
            "numeric": [str(c) for c in numeric_columns(frame)],
            "rows": [[_json_cell(v) for v in row]
                     for row in frame.itertuples(index=False, name=None)],
            "notes": list(self.notes), **({"records": self.records} if self.records else {})}}


def json_value(value: object) -> object:
    """``value`` as JSON, the way a table's cells are (:func:`_json_cell`); a pair or a list
    element by element."""
    if isinstance(value, tuple | list):
        return [json_value(v) for v in value]
    return _json_cell(value)


def _json_cell(value: object) -> object:
    """A cell as JSON: numbers stay numbers, a missing value is null, the rest is text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    return value if isinstance(value, bool | int | float | str) else str(value)


def styled(frame: pd.DataFrame, ratings: pd.Series | None = None,
           rating_column: str | None = None, notes: list[str] | None = None,
           records: list[dict] | None = None) -> Table:
    """``frame`` as a :class:`Table`: every cell and header escaped, no index, rating colours;
    columns of numbers and dates right-aligned and never broken, text left-aligned."""
    styler = frame.style.format(escape="html", na_rep="—").format_index(escape="html", axis=1)
    styler = styler.hide(axis="index")
    numeric = numeric_columns(frame)
    text = [c for c in frame.columns if c not in numeric]
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right",
                                                          "white-space": "nowrap"})
    if text:
        styler = styler.set_properties(subset=text, **{"text-align": "left"})
    if ratings is not None and rating_column is not None:
        colors = [f"background-color: {RATING_COLORS.get(r, '#FFFFFF')}" for r in ratings]
        styler = styler.apply(lambda _: colors, subset=[rating_column])
    return Table(styler.set_table_attributes('class="ntm-table"'), list(notes or ()),
                 list(records or ()))


def noted(frame: pd.DataFrame, column: str, texts: list[str],
          ratings: pd.Series | None = None, rating_column: str | None = None) -> Table:
    """``frame`` with a ``column`` of note numbers ("[1]") for ``texts`` (one per row; equal
    texts share a number, an empty text is a dash), the texts listed under the table."""
    numbers: dict[str, int] = {}
    for text in texts:
        if text.strip():
            numbers.setdefault(text, len(numbers) + 1)
    frame = frame.assign(**{column: [f"[{numbers[t]}]" if t in numbers else "—"
                                     for t in texts]})
    return styled(frame, ratings, rating_column, list(numbers))


def number_text(value: float | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals for a table cell, "—" when missing."""
    return "—" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def rejected_table(rows: pd.DataFrame, lang: str) -> Table | Note:
    """Rejected rows with file, row, column, value, reason and suggestion (escaped)."""
    if rows.empty:
        return Note(msg("no_quality_notes", lang=lang))
    frame = pd.DataFrame({
        msg("col_file", lang=lang): rows.raw_file,
        msg("col_row", lang=lang): rows.raw_row.astype("string").fillna("—"),
        msg("col_column", lang=lang): rows.column.fillna("—"),
        msg("col_value", lang=lang): rows.value.fillna(""),
        msg("col_reason", lang=lang): rows["reason_en" if lang == "en" else "reason"],
        msg("col_suggestion", lang=lang): rows.suggestion.fillna(""),
    })
    return styled(frame)
