"""Text typed in the legacy Vietnamese font encodings: TCVN3 converted, VNI recognised.

Before Unicode, offices typed Vietnamese in 8-bit fonts: TCVN3 (the ABC fonts, ".VnTime"),
the encoding of TCVN 5712:1993, and VNI ("VNI-Times"). A workbook keeps such text as the
Windows-1252 characters of its bytes: "Kiªn Giang" is "Kiên Giang" shown without its font.

- **TCVN3** has one reading, and the C library already knows it: glibc's iconv implements
  TCVN 5712 (``TCVN5712-1``), called here through ``ctypes`` rather than a table of our own.
  A cell is converted when it holds a character that is not a Vietnamese letter but is one
  in TCVN3 ("ª" for "ê", "µ" for "à"), and the whole cell reads as Vietnamese afterwards.
- **VNI** writes a letter and then its marks ("Kieân": e, then â for the circumflex). No
  converter we trust exists in the C library or on PyPI, so VNI text is recognised and the
  sheet refused with a message naming the encoding (convert it with Unikey's converter).

Pure functions over text; the readers decide what to do with a sheet.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
#: Every letter of the Vietnamese alphabet that is not ASCII, both cases, composed (NFC).
VIETNAMESE = frozenset(
    c for base in _BASES for tone in _TONES for case in (str.lower, str.upper)
    for c in [unicodedata.normalize("NFC", case(base) + tone)] if not c.isascii()
) | {"đ", "Đ"}
TCVN3 = "TCVN3"
VNI = "VNI"
# a vowel followed by a VNI mark: circumflex "â" after a, e, o; breve "ê" after a; a tone
# (ù ø û õ ï) after any vowel; "ñ" for đ. None of these pairs occurs in Vietnamese Unicode.
_VNI_MARKS = re.compile(
    r"[aeoAEO][âÂ]|[aA][êÊ]|[aeiouyAEIOUY][ùøûõïÙØÛÕÏ]|(?:^|\s)[ñÑ][aeiouyAEIOUY]")
SAMPLE_CELLS = 400


@cache
def _iconv():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.iconv_open.restype = ctypes.c_void_p
    libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.iconv.restype = ctypes.c_size_t
    libc.iconv.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p),
                           ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_char_p),
                           ctypes.POINTER(ctypes.c_size_t)]
    libc.iconv_close.argtypes = [ctypes.c_void_p]
    return libc


def decode_tcvn3(data: bytes) -> str | None:
    """``data`` read as TCVN 5712 (glibc's iconv), NFC; None when iconv refuses it."""
    libc = _iconv()
    handle = libc.iconv_open(b"UTF-8", b"TCVN5712-1")
    if handle in (None, ctypes.c_void_p(-1).value):
        return None
    try:
        out = ctypes.create_string_buffer(len(data) * 4 + 4)
        in_ptr, out_ptr = ctypes.c_char_p(data), ctypes.cast(out, ctypes.c_char_p)
        in_left, out_left = ctypes.c_size_t(len(data)), ctypes.c_size_t(len(out))
        done = libc.iconv(handle, ctypes.byref(in_ptr), ctypes.byref(in_left),
                          ctypes.byref(out_ptr), ctypes.byref(out_left))
        if done == ctypes.c_size_t(-1).value or in_left.value:
            return None
        # the TCVN decoder holds back the last letter (a tone mark may follow): flush it
        libc.iconv(handle, None, None, ctypes.byref(out_ptr), ctypes.byref(out_left))
        text = out.raw[:len(out) - out_left.value].decode("utf-8")
    finally:
        libc.iconv_close(handle)
    return unicodedata.normalize("NFC", text)


def _markers(text: str) -> bool:
    """True when ``text`` has a Latin-1 character that no Vietnamese word holds."""
    return any("\u00a0" < c <= "\u00ff" and c not in VIETNAMESE for c in text)


def from_tcvn3(text: str) -> str | None:
    """``text`` converted from TCVN3 when it is TCVN3, else None.

    Examples
    --------
    >>> from_tcvn3("Kiªn Giang"), from_tcvn3("§«ng Yªn"), from_tcvn3("Kiên Giang")
    ('Kiên Giang', 'Đông Yên', None)
    """
    if not _markers(text):
        return None
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return None  # mixed with characters no 8-bit font has: not one encoding
    fixed = decode_tcvn3(data)
    if fixed is None or any(not c.isascii() and c not in VIETNAMESE for c in fixed):
        return None
    return fixed


def looks_vni(text: str) -> bool:
    """True when ``text`` looks typed in the VNI fonts (a vowel followed by its marks).

    >>> looks_vni("Ñoâng Yeân"), looks_vni("Kieân Giang"), looks_vni("Đông Yên")
    (True, True, False)
    """
    return bool(_VNI_MARKS.search(text))


def first_legacy(cells: Iterable[object]) -> tuple[str, str, str | None] | None:
    """(encoding, a cell, its conversion or None) when the sheet is typed in a legacy font.

    A sheet is, when at least two of its sampled non-ASCII cells, and at least half of them,
    read as that encoding: one odd cell ("aø" in a note) does not make a sheet VNI. VNI is
    checked first in each cell: its letters also read as (wrong) TCVN3 letters.

    >>> first_legacy(["STT", "Ngµy", "HuyÖn", "X·"])
    ('TCVN3', 'Ngµy', 'Ngày')
    >>> first_legacy(["Ngày", "Huyện", "aø"]) is None
    True
    """
    found: dict[str, list[tuple[str, str | None]]] = {VNI: [], TCVN3: []}
    sampled = 0
    for cell in cells:
        if not isinstance(cell, str) or cell.isascii():
            continue
        sampled += 1
        if looks_vni(cell):
            found[VNI].append((cell, None))
        elif (fixed := from_tcvn3(cell)) is not None:
            found[TCVN3].append((cell, fixed))
        if sampled >= SAMPLE_CELLS:
            break
    for encoding in (VNI, TCVN3):
        hits = found[encoding]
        if len(hits) >= 2 and 2 * len(hits) >= sampled:
            return encoding, *hits[0]
    return None
