"""The published HTML in a real headless Chromium (Debian package, driven by Playwright),
offline, with hostile names in the data."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from browser import CHROMIUM_ARGS
from builders import tally_rows, write_csv
from playwright.sync_api import sync_playwright

from ntm_analysis import config

pytestmark = pytest.mark.slow
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">x</a>'
INJECTED = ('script, img[src="x"], [onerror], a[href^="javascript:"], '
            'iframe, object, embed')


@pytest.fixture(scope="module")
def published(chromium, tmp_path_factory):
    """Shipped data plus a hostile sheet, cleaned and reported for every district, then for
    one commune of the 2025 era into the same folder (only when there is a browser to look
    at them)."""
    root = tmp_path_factory.mktemp("site")
    raw = root / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    write_csv(raw / "hostile.csv", tally_rows(
        ("05/2025", "An Biên", "Đông Yên", "nâng cao", "19/19", SCRIPT),
        ("05/2025", "An Biên", "Nam Yên", "nâng cao", "18/19", JS_LINK),
        ("05/2025", "An Biên", SCRIPT, "nâng cao", "14/19", IMG),
        ("05/2025", "An Biên", "javascript:alert(1)", "nâng cao", "14/19", "ok"),
        ("05/2025", IMG, "Đông Yên", "nâng cao", "14/19", JS_LINK),
        ("06/2026", "", "An Biên", "NTM", "7/10", SCRIPT),  # a commune of the 2025 era
    ))
    out = root / "reports"
    for narrow in (["--era", "legacy"], ["--commune", "An Biên"]):
        result = subprocess.run(
            [sys.executable, "-m", "ntm_analysis.cli", "report", "--raw", str(raw),
             "--processed", str(root / "processed"), "--out", str(out), "--jobs", "2",
             *narrow], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def browser(chromium):
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page opened from file:// with every network request blocked and recorded."""

    def __init__(self, browser, url: str):
        self.requests, self.console_errors, self.dialogs = [], [], []
        self.context = browser.new_context()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def check(self) -> None:
        assert self.requests == [], self.requests
        assert self.console_errors == [], self.console_errors
        assert self.dialogs == []
        assert self.page.locator(INJECTED).count() == 0
        sizes = self.page.eval_on_selector_all(
            "img", "els => els.map(e => e.complete ? e.naturalWidth : 0)")
        assert all(w > 0 for w in sizes), sizes
        # every chart says what it shows, not nbconvert's placeholder
        alts = self.page.eval_on_selector_all("img", "els => els.map(e => e.alt)")
        assert all(a and "No description" not in a for a in alts), alts

    def close(self) -> None:
        self.context.close()


def test_every_report_opens_offline_clean_and_complete(published, browser, tmp_path):
    pages = sorted(published.glob("*.html"))
    assert len(pages) == 18  # 15 districts, the overview, a commune, the index
    for path in pages:
        visit = Visit(browser, path.as_uri())
        visit.check()
        assert visit.page.locator("h1").count() >= 1, path.name
        if path.name == "an-bien.html":
            assert "Đông Yên" in visit.page.inner_text("body")
            assert visit.page.locator("img").count() == 2
            visit.page.screenshot(path=str(tmp_path / "an-bien.png"), full_page=True)
        if path.name == "xa-an-bien.html":  # its own tally, and its predecessor's history
            body = visit.page.inner_text("body")
            assert "7/10" in body and "Đông Yên (An Biên)" in body
        visit.close()
    assert (tmp_path / "an-bien.png").stat().st_size > 20_000


def test_the_index_links_to_every_report(published, browser):
    visit = Visit(browser, (published / "index.html").as_uri())
    visit.check()
    body = visit.page.inner_text("body")
    assert "Kiên Lương" in body and "Giang Thành" in body  # the districts, before 07/2025
    assert "Đặc khu Phú Quốc" in body  # every unit from 07/2025, linked where a page exists
    links = visit.page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    pages = [href for href in links if href.endswith(".html")]
    assert len(pages) == 17 and {"tong-quan.html", "xa-an-bien.html"} <= set(pages)
    # the one other link is the summary workbook: a download, not a page to open
    assert set(links) - set(pages) == {"bang-tong-hop.xlsx"}
    assert (published / "bang-tong-hop.xlsx").stat().st_size > 5_000
    for href in pages:
        visit.page.click(f'a[href="{href}"]')
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith("/" + href)
        assert visit.page.locator("h1").count() >= 1
        visit.page.go_back()
    visit.check()
    visit.close()


def test_hostile_names_are_shown_as_text_never_run(published, browser):
    an_bien = Visit(browser, (published / "an-bien.html").as_uri())
    an_bien.check()
    text = an_bien.page.inner_text("body")
    assert SCRIPT in text and "javascript:alert(1)" in text  # shown, as text
    an_bien.close()
    overview = Visit(browser, (published / "tong-quan.html").as_uri())
    overview.check()
    assert IMG in overview.page.inner_text("body")  # the unknown district, as text
    overview.close()
    rejected_csv = (published.parent / "processed" / "rejected.csv").read_text("utf-8-sig")
    assert IMG in rejected_csv  # kept verbatim in the data, escaped only where shown


PRINTED = {"an-bien.html", "xa-an-bien.html", "tong-quan.html", "index.html"}
A4_WIDTH = round((210 - 24) / 25.4 * 96)  # A4 less the @page side margins, in CSS pixels
OVERFLOW = """() => { const w = document.documentElement.clientWidth; const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push(el.tagName + ' ends at ' + Math.round(r.right));
    if (el.tagName === 'TD' && el.scrollWidth > el.clientWidth + 1)
      out.push('cell ' + el.textContent + ' wider than its column');
  }
  return out; }"""


def test_every_page_prints_on_a4_without_overflow(published, browser):
    """Issue 15: printed to A4, nothing is wider than the page and no cell spills over; the
    district page leads with its headline sentence and its plan against actual."""
    for path in sorted(published.glob("*.html")):
        context = browser.new_context(viewport={"width": A4_WIDTH, "height": 1000})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                      else r.abort())
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(OVERFLOW) == [], path.name
        if path.name in PRINTED:  # one page of each kind to PDF: what the checks above saw
            assert page.pdf(format="A4", prefer_css_page_size=True).startswith(b"%PDF")
        if path.name in ("an-bien.html", "kien-luong.html"):
            body = page.inner_text("body")
            assert "Đạt trễ hạn" in body and "Kế hoạch và thực tế" in body
            assert "tháng so với kế hoạch (31/12/2022)" in body  # the headline sentence
        context.close()
