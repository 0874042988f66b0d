"""A report's page: one self-contained HTML file from its executed notebook, in the worker.

Code hidden, images embedded, no scripts, nothing fetched, no analyst-only cell; every chart
with the alternative text its output carries (``report.display.Chart``) and every output
focusable, as nbconvert makes them, a link to the page's workbook under its title, and the
page's title (its unit) as the document's ``<title>``, so that a bookmark, a browser tab or
an e-mailed file says which unit it is (nbconvert writes the notebook's name, "Notebook").

nbconvert's ``HTMLExporter`` adds the alternative text and the focus by parsing the whole
page again with BeautifulSoup and writing it back out: a quarter of a worker's CPU for a
report (0.05 s a page). :class:`PageExporter` leaves that pass out and does
both on the text, where the lab template writes the tags; the rest is nbconvert's own.
"""

from __future__ import annotations

import functools
import html
import re

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbformat import NotebookNode

from ..config import TEMPLATES_DIR
from ..messages import msg
from .workbooks import page_title

#: Cells tagged so are for the analyst who opens the notebook in JupyterLab (how to run it,
#: what the parameters mean) and never reach an exported page.
ANALYST_ONLY_TAG = "analyst-only"
#: what nbconvert's own exporter writes on an image that has no alternative text
NO_ALT = "No description has been provided for this image"
_IMAGE = re.compile(r'<img src="data:image/')
_TITLE = re.compile(r"<title>[^<]*</title>")
#: an output's box as the lab template opens it (nbconvert/templates/lab/base.html.j2)
_OUTPUT = re.compile(r'(<div (?:id="[^"]*" )?class="[^"]*\bjp-OutputArea-output\b[^"]*")')


class PageExporter(HTMLExporter):
    """``HTMLExporter`` without its BeautifulSoup pass (see the module's docstring)."""

    def from_notebook_node(self, nb: NotebookNode, resources: dict | None = None,
                           **kw) -> tuple[str, dict]:
        """The page, and nbconvert's resources; alt text and focus are added by
        :func:`export_html`."""
        language = nb.metadata.get("language_info", {})
        lexer = language.get("pygments_lexer", language.get("name"))
        resources = self._init_resources(resources)
        # the two filters HTMLExporter.from_notebook_node registers before rendering
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@functools.cache
def page_exporter() -> PageExporter:
    """The one exporter of this process. Built once per worker: loading the template costs
    more than converting a report."""
    return configured(PageExporter)


def configured(kind: type[HTMLExporter]) -> HTMLExporter:
    """An exporter of ``kind`` for report pages: code hidden, images embedded, the project's
    template, no analyst-only cell."""
    exporter = kind(template_name="ntm_report", extra_template_basedirs=[str(TEMPLATES_DIR)],
                    exclude_input=True, exclude_input_prompt=True,
                    exclude_output_prompt=True, embed_images=True,
                    # validate the notebook once, after the last preprocessor, not after
                    # each of the 13 (nbconvert's documented option; 0.04 s)
                    optimistic_validation=True)
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={ANALYST_ONLY_TAG}, enabled=True), enabled=True)
    return exporter


def export_html(notebook: NotebookNode, lang: str, workbook: str | None = None,
                pdf: str | None = None) -> str:
    """Self-contained HTML of an executed notebook, with links to the page's ``workbook``
    and its ``pdf`` (relative paths) under its title (links a printed page leaves out)."""
    body, _ = page_exporter().from_notebook_node(notebook)
    links = [f'<a href="{html.escape(href)}">{html.escape(msg(key, lang=lang))}</a>'
             for href, key in ((workbook, "xlsx_link"), (pdf, "pdf_link")) if href]
    if links:
        body = body.replace("</h1>", f'</h1><p class="ntm-workbook">{" · ".join(links)}</p>', 1)
    # the images come in the order of the outputs; the lab template drops an output's alt
    alts = iter(image_alts(notebook))
    # an image without a text of its own says so in the page's language, not nbconvert's English
    missing = msg("alt_missing", lang=lang)
    body = _IMAGE.sub(lambda m: f'<img alt="{html.escape(next(alts, None) or missing)}" '
                                f'src="data:image/', body)
    body = _OUTPUT.sub(r'\1 tabindex="0"', body)  # scrollable outputs reachable by keyboard
    title = page_title(notebook)
    if title:
        body = _TITLE.sub(lambda _: f"<title>{html.escape(title)}</title>", body, count=1)
    return body.replace('<html lang="en">', f'<html lang="{lang}">', 1)


def image_alts(notebook: NotebookNode) -> list[str | None]:
    """The alternative text of every image output, in order (None where it has none)."""
    return [output.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]
