"""``ntm report --pdf``: every page kind as an A4 PDF that a screen reader and a search can
read (tagged, Vietnamese text extractable), with bookmarks from its headings, its unit as
title and its language; written once, again only when its page changes."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from ntm_analysis.publish import ReportOptions, run_report
from ntm_analysis.publish.pdf import pdf_path

pytestmark = pytest.mark.slow
A4 = (595, 842)  # points, within rounding


def outline_titles(items) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, list):
            out += outline_titles(item)
        else:
            out.append(item.title)
    return out


@pytest.fixture(scope="module")
def printed(chromium, processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    options = ReportOptions(districts=["An Biên"], communes=["An Biên"], out_dir=out,
                            processed_dir=processed, jobs=2, pdf=True)
    code, results = run_report(options)
    assert code == 0
    return out, options, [r.slug for r in results]


@pytest.mark.parametrize("slug,title,text", [
    ("an-bien", "Tiến độ xây dựng nông thôn mới: Huyện An Biên", "Khoảng cách tới chuẩn"),
    ("xa-an-bien", "Xã An Biên", "Các đơn vị trước 01/07/2025 (đã sáp nhập vào xã này)"),
])
def test_each_page_kind_has_a_tagged_a4_pdf_with_bookmarks(printed, slug, title, text):
    out, _, slugs = printed
    assert slug in slugs
    reader = PdfReader(pdf_path(out, slug))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged
    assert str(root.get("/Lang")) == "vi"
    assert title in reader.metadata.title
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4
    bookmarks = outline_titles(reader.outline)  # the page's headings, in order
    assert bookmarks[0].startswith("Tiến độ xây dựng nông thôn mới") and text in bookmarks
    words = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert title in words and "Huyện An Biên" in words  # Vietnamese text, extractable


def test_a_pdf_is_printed_again_only_when_its_page_changed(printed):
    out, options, slugs = printed
    before = {s: pdf_path(out, s).stat().st_mtime_ns for s in slugs}
    code, _ = run_report(options)  # nothing changed: pages and PDFs stay
    assert code == 0
    assert {s: pdf_path(out, s).stat().st_mtime_ns for s in slugs} == before
    assert not list((out / "pdf").glob(".*.tmp"))  # written atomically: no temporary left


def test_each_page_and_the_index_link_the_pdf_that_the_run_printed(printed):
    import re

    out, _, slugs = printed
    index = (out / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        page = (out / f"{slug}.html").read_text(encoding="utf-8")
        head = page[page.index("</h1>"):page.index("</h1>") + 600]
        assert f'href="pdf/{slug}.pdf"' in head and "Bản PDF khổ A4" in head
        assert f'href="pdf/{slug}.pdf"' in index
    for href in re.findall(r'href="(pdf/[^"]+)"', index):  # no link to a PDF not printed
        assert (out / href).is_file(), href


def test_every_printed_sheet_is_headed_by_its_unit_and_date(printed):
    out, _, _ = printed
    reader = PdfReader(pdf_path(out, "an-bien"))
    assert len(reader.pages) > 1
    for page in reader.pages:  # the margin box's glyphs come out spaced: compare without
        assert "HuyệnAnBiên·Sốliệuđến" in "".join(page.extract_text().split())


def test_a_run_without_pdf_links_no_pdf(processed, tmp_path):
    code, _ = run_report(ReportOptions(districts=["An Biên"], out_dir=tmp_path,
                                       processed_dir=processed, jobs=1))
    assert code == 0
    assert "pdf/" not in (tmp_path / "an-bien.html").read_text(encoding="utf-8")
    assert "pdf/" not in (tmp_path / "index.html").read_text(encoding="utf-8")
