"""A page's HTML from its notebook: every image says what it shows in the page's language."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest

from ntm_analysis.publish.export import export_html

#: a 1×1 PNG
PIXEL = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def notebook(alt: str | None) -> nbformat.NotebookNode:
    output = nbformat.v4.new_output("display_data", data={"image/png": PIXEL})
    if alt is not None:
        output.metadata = {"image/png": {"alt": alt}}
    cell = nbformat.v4.new_code_cell("chart()", outputs=[output])
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Trang"), cell])


@pytest.mark.parametrize("lang,alt", [("vi", "Hình không có mô tả."),
                                      ("en", "An image without a description.")])
def test_an_image_without_its_own_text_says_so_in_the_pages_language(lang, alt):
    page = export_html(notebook(None), lang)
    assert re.findall(r'<img alt="([^"]*)"', page) == [alt]
    assert "No description has been provided" not in page


def test_an_image_keeps_its_own_text():
    page = export_html(notebook("Biểu đồ cột: 3 đơn vị"), "vi")
    assert re.findall(r'<img alt="([^"]*)"', page) == ["Biểu đồ cột: 3 đơn vị"]
