"""Text normalisation: the one fold, the one blank test, the one slug (``text``)."""

from __future__ import annotations

import unicodedata

import pytest

from ntm_analysis.text import fold, is_blank, plain, slug, strip_accents


@pytest.mark.parametrize("text,expected", [
    ("Kiên Lương", "kien luong"), ("ĐÔNG YÊN", "dong yen"), ("đạt", "dat"),
    (unicodedata.normalize("NFD", "Vĩnh Hòa Hưng"), "vinh hoa hung"), (19, "19"),
    ("a  b", "a  b"),  # spacing is fold's business, not this function's
])
def test_strip_accents_lowers_and_drops_marks_only(text, expected):
    assert strip_accents(text) == expected


@pytest.mark.parametrize("text,keep,expected", [
    ("  Tháng 5/2022 ", "", "thang 5 2022"),
    ("Đạt 14 / 19", "/", "dat 14/19"),
    ("14 /19 , 5", "/,", "14/19 , 5"),
    ("Số tiêu chí đạt (TC)", "", "so tieu chi dat tc"),
    ("a-b.c", "-.", "a-b.c"),
    ("a-b.c", "", "a b c"),
    ("x]y", "]", "x]y"),  # kept punctuation is escaped inside the pattern
    ("", "", ""),
])
def test_fold(text, keep, expected):
    assert fold(text, keep=keep) == expected


@pytest.mark.parametrize("value,expected", [
    (None, True), (float("nan"), True), ("", True), ("  \t", True), ("0", False),
    (0, False), (0.0, False), ("x", False), (False, False),
])
def test_is_blank(value, expected):
    assert is_blank(value) is expected


@pytest.mark.parametrize("name,expected", [
    ("Kiên Lương", "kien-luong"), ("U Minh Thượng", "u-minh-thuong"),
    ("Huyện An Biên", "huyen-an-bien"), ("  Hòn Đất  ", "hon-dat"), ("Phường 01", "phuong-01"),
    ("Tổng quan (tỉnh)", "tong-quan-tinh"), ("--x--", "x"),
])
def test_slug_is_ascii_lowercase_with_single_dashes(name, expected):
    assert slug(name) == expected and slug(name).isascii()


def test_plain_keeps_case():
    assert plain("Kiên Lương") == "Kien Luong"
