"""A4 PDFs of the pages (``ntm report --pdf``), printed by Chromium through Playwright.

Offices file, sign and forward PDFs; a PDF a person prints from a browser is untagged and has
no bookmarks. Here Chromium prints each page with ``tagged=True`` (a structure tree: headings,
tables and images with their alternative text, for screen readers and text extraction) and
``outline=True`` (bookmarks from the page's headings), on A4 as the page's print style sets
it; the page's ``<title>`` (its unit) is the document's title, its ``lang`` the document's
language, and the print style's running header names the unit and the date the page
describes on every sheet.

Each PDF is ``pdf/<slug>.pdf`` beside the pages, written atomically, and printed again only
when its page is newer (a re-run that changed no page prints nothing). Nothing here runs
unless asked: Playwright and a Chromium are needed only for ``--pdf``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..storage import write_atomic

PDF_DIR = "pdf"
#: where to look for a Chromium or Chrome, after ``$NTM_BROWSER``
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Chromium as root on a machine without network access beyond the package registries: no
#: sandbox (root), no GPU, and none of its background connections (each would be refused)
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync"]


def browser_path() -> str | None:
    """``$NTM_BROWSER``, else a Chromium or Chrome on the PATH, else None (Playwright's own
    browser, when ``playwright install chromium`` put one in its cache)."""
    given = os.environ.get("NTM_BROWSER")
    if given and Path(given).is_file():
        return given
    return next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)


def pdf_href(slug: str) -> str:
    """The PDF of the page ``<slug>.html``, relative to the pages (their links to it)."""
    return f"{PDF_DIR}/{slug}.pdf"


def pdf_path(out_dir: Path, slug: str) -> Path:
    """Where the PDF of the page ``<slug>.html`` goes."""
    return Path(out_dir) / pdf_href(slug)


def stale(out_dir: Path, slug: str) -> bool:
    """True when the page has no PDF or its PDF is older than the page."""
    page, pdf = Path(out_dir) / f"{slug}.html", pdf_path(out_dir, slug)
    return page.exists() and (not pdf.exists() or pdf.stat().st_mtime_ns < page.stat().st_mtime_ns)


def print_pdfs(out_dir: Path, slugs: list[str]) -> list[Path]:
    """Print the PDF of every page among ``slugs`` whose PDF is missing or older than it;
    return the PDFs written."""
    todo = [slug for slug in slugs if stale(out_dir, slug)]
    if not todo:
        return []
    from playwright.sync_api import sync_playwright  # only with --pdf: a browser is needed

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path(), args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            for slug in todo:
                page.goto((Path(out_dir) / f"{slug}.html").resolve().as_uri())
                written.append(write_atomic(pdf_path(out_dir, slug), lambda tmp: page.pdf(
                    path=tmp, format="A4", tagged=True, outline=True, print_background=True,
                    prefer_css_page_size=True)))
        finally:
            browser.close()
    return written
