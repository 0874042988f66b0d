"""Accessibility of every page kind and the index, checked by axe-core (the npm package
pinned in ``tests/a11y/package.json``, installed by ``make test``) in the real Chromium:
no violation of WCAG 2.0 and 2.1, levels A and AA; column headers scoped; every image's
alternative text in the page's language."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS, required
from playwright.sync_api import sync_playwright

from ntm_analysis.processed import load
from ntm_analysis.publish import ReportOptions, run_report
from ntm_analysis.publish.job import OK, run_job
from ntm_analysis.publish.national import national_page, write_national_index
from ntm_analysis.publish.plan import Selection, plan

pytestmark = pytest.mark.slow
AXE = Path(__file__).parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: what an image's text starts with in each language (the catalogue's chart descriptions)
CHART_WORDS = {"vi": ("Biểu đồ", "Bản đồ"), "en": ("Chart", "Line chart", "Map", "Bar chart")}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = (f"axe-core is not installed ({AXE}): the accessibility tests are SKIPPED; "
                  "`npm ci --prefix tests/a11y` installs it (make test does)")
        if required():
            pytest.fail(reason.replace("SKIPPED", "REQUIRED"))
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(chromium, processed, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """One page of each kind in Vietnamese, the district page in English, the index, the
    national page and the national index."""
    out, english = tmp_path_factory.mktemp("vi"), tmp_path_factory.mktemp("en")
    for lang, folder in (("vi", out), ("en", english)):
        options = ReportOptions(districts=["An Biên"], communes=["An Biên"], out_dir=folder,
                                processed_dir=processed, jobs=2, lang=lang)
        code, _ = run_report(options)
        assert code == 0
    overviews = ReportOptions(out_dir=out, processed_dir=processed)
    for job in plan(overviews, Selection([], [], True, True, "91", "89", None)):
        assert run_job(job).status == OK
    pages = {name: (out / f"{name}.html", "vi")
             for name in ("an-bien", "xa-an-bien", "tong-quan", "tong-quan-tu-2025", "index")}
    # the national page and the national index, in a folder of their own
    country = tmp_path_factory.mktemp("national")
    national = ReportOptions(out_dir=country, processed_dir=processed, province="all")
    made = national_page(national, None, "a11y", io.StringIO())
    assert made.status == OK
    write_national_index(national, [("91", "An Giang"), ("12", "Lai Châu")], {},
                         load(processed), made)
    return {**pages, "an-bien (en)": (english / "an-bien.html", "en"),
            "tong-quan-ca-nuoc": (country / "tong-quan-ca-nuoc.html", "vi"),
            "national index": (country / "index.html", "vi")}


@pytest.fixture(scope="module")
def checked(chromium, site, axe_source) -> dict[str, dict]:
    """axe's results and the page's headers and images, for every page of the site."""
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            for name, (path, _) in site.items():
                page.goto(path.as_uri())
                page.add_script_tag(content=axe_source)
                found[name] = {
                    "axe": page.evaluate("tags => axe.run(document, {runOnly: "
                                         "{type: 'tag', values: tags}})", WCAG_AA),
                    "lang": page.evaluate("document.documentElement.lang"),
                    "unscoped": page.locator("thead th:not([scope='col'])").count(),
                    "headers": page.locator("th").count(),
                    "alts": [page.locator("img").nth(i).get_attribute("alt")
                             for i in range(page.locator("img").count())]}
        finally:
            browser.close()
    return found


PAGES = ["an-bien", "xa-an-bien", "tong-quan", "tong-quan-tu-2025", "index", "an-bien (en)",
         "tong-quan-ca-nuoc", "national index"]


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation_of_wcag_21_aa(checked, name):
    result = checked[name]["axe"]
    assert result["testEngine"]["name"] == "axe-core"
    assert len(result["passes"]) > 10  # the rules ran: contrast, lang, alt text, headers
    assert {rule["id"] for rule in result["passes"]} >= {"html-has-lang", "document-title"}
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []


@pytest.mark.parametrize("name", PAGES)
def test_every_column_header_is_scoped_and_the_page_says_its_language(checked, site, name):
    assert checked[name]["headers"] > 0
    assert checked[name]["unscoped"] == 0
    assert checked[name]["lang"] == site[name][1]


@pytest.mark.parametrize("name", [p for p in PAGES if "index" not in p])
def test_every_image_is_described_in_the_pages_language(checked, site, name):
    alts, lang = checked[name]["alts"], site[name][1]
    assert alts
    for alt in alts:
        assert alt and alt.startswith(CHART_WORDS[lang]), alt
        other = "en" if lang == "vi" else "vi"
        assert not alt.startswith(CHART_WORDS[other]), alt
