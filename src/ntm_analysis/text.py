"""Text normalisation shared by every stage: one fold, one blank test, one slug.

Vietnamese text arrives composed (NFC) or decomposed (NFD), with or without accents, in any
case. :func:`fold` is the one comparison form (headers, levels, dates, criterion names):
lower case, no diacritics (``đ`` → ``d``), runs of anything else collapsed to one space.
Unit names have stricter rules of their own (``reference.units.name_key``), because an
accent can tell two communes apart. Pure functions; no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process
from unidecode import unidecode


def strip_accents(text: object) -> str:
    """Lower-case ``text`` and drop Vietnamese diacritics (``đ`` → ``d``); nothing else.

    Examples
    --------
    >>> strip_accents("Kiên Lương  ĐÔNG")
    'kien luong  dong'
    """
    s = unicodedata.normalize("NFD", str(text).lower()).replace("đ", "d")
    return "".join(c for c in s if unicodedata.category(c) != "Mn")


def fold(text: object, keep: str = "") -> str:
    """Lower-case, accent-free ``text`` with every run of other characters one space.

    ``keep`` lists punctuation to keep (the tally parser keeps ``/.,-``).

    Examples
    --------
    >>> fold("  Tháng 5/2022 ")
    'thang 5 2022'
    >>> fold("Đạt 14 / 19", keep="/")
    'dat 14/19'
    """
    s = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", " ", strip_accents(text))
    if "/" in keep:  # "14 / 19" and "14/19" are one spelling
        s = re.sub(r"\s*/\s*", "/", s)
    return " ".join(s.split())


def close_matches(word: str, choices: Iterable[str], n: int = 3,
                  cutoff: float = 0.7) -> list[str]:
    """Up to ``n`` of ``choices`` whose similarity to ``word`` is at least ``cutoff``, most
    similar first (ties in alphabetical order): the "did you mean" of every unknown name.

    The similarity is rapidfuzz's normalised Indel ratio, ``difflib``'s ratio measured on
    the longest common subsequence, computed in C: a 2026 sheet under old names asks for
    thousands of suggestions, each against a province's hundred or more communes.

    Examples
    --------
    >>> close_matches("dong yen", ["dong yen a", "dong thai", "vinh hoa"])
    ['dong yen a']
    """
    found = process.extract(word, list(choices), scorer=fuzz.ratio, limit=None,
                            score_cutoff=cutoff * 100)
    return [choice for choice, _, _ in sorted(found, key=lambda m: (-m[1], m[0]))[:n]]


def is_blank(value: object) -> bool:
    """True for None, NaN and strings of only spaces.

    Examples
    --------
    >>> is_blank(float("nan")), is_blank("  "), is_blank("0")
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def plain(text: str) -> str:
    """``text`` transliterated to ASCII (``Kiên`` → ``Kien``), case kept."""
    return unidecode(text)


def slug(name: str) -> str:
    """ASCII file name of a unit name.

    Examples
    --------
    >>> slug("Kiên Lương"), slug("U Minh Thượng")
    ('kien-luong', 'u-minh-thuong')
    """
    return re.sub(r"[^a-z0-9]+", "-", plain(name).lower()).strip("-")
