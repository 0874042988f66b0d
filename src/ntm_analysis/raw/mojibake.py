"""Text that is UTF-8 decoded with the wrong code page ("NgÃ y" for "Ngày"), found and undone.

A spreadsheet program that opens a UTF-8 CSV without a BOM as Windows-1252 or Latin-1, and
saves it again, turns every Vietnamese letter into two or three Latin ones; doing it twice
makes it worse. The damage has one correct reading, and ``ftfy`` (the well-kept library for
exactly this) finds it: :func:`ftfy.fix_encoding` only undoes such decoding mistakes and
leaves correct text alone, so a sheet is repaired when the fix changes its text, and only
then. Pure functions; the readers decide what to do with a sheet.

LibreOffice Calc's default CSV import (Western, Windows-1252) keeps the five bytes that
Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as private-use characters
U+F100 + byte, where other programs keep the C1 control U+0080 + byte that ftfy reads back.
"Đ" (UTF-8 C4 90) arrives as "Ä" + U+F190 and "ề" (E1 BB 81) ends in U+F181: those five
characters are put back to their byte first, so that every name with Đ is repaired too.
"""

from __future__ import annotations

from collections.abc import Iterable

import ftfy

#: Cells looked at to decide whether a sheet is damaged (the header and the first rows).
SAMPLE_CELLS = 400

#: Windows-1252's undefined bytes as LibreOffice keeps them (U+F100 + byte; U+F000 + byte
#: in some builds) → the C1 control of that byte, as ftfy's "sloppy" Windows-1252 expects.
_UNDEFINED_1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_PRIVATE_USE = str.maketrans({base + byte: byte for byte in _UNDEFINED_1252
                              for base in (0xF000, 0xF100)})
_PRIVATE_USE_CHARS = frozenset(chr(c) for c in _PRIVATE_USE)


def fix(text: str) -> str:
    """``text`` with decoding mistakes undone (unchanged when there are none).

    Examples
    --------
    >>> fix("NgÃ\\xa0y, Huyá»‡n"), fix("Đông Yên")
    ('Ngày, Huyện', 'Đông Yên')
    >>> fix("Ä\\uf190Ã´ng YÃªn, Giá»“ng Riá»\\uf181ng")  # saved by LibreOffice Calc
    'Đông Yên, Giồng Riềng'
    """
    if not _PRIVATE_USE_CHARS.isdisjoint(text):
        text = text.translate(_PRIVATE_USE)
    return ftfy.fix_encoding(text)


def first_damaged(cells: Iterable[object]) -> tuple[str, str] | None:
    """(damaged text, its repair) of the first damaged cell among ``cells``, or None.

    >>> first_damaged(["STT", "Huyá»‡n", "XÃ£"]), first_damaged(["Huyện", 14])
    (('Huyá»‡n', 'Huyện'), None)
    """
    seen = 0
    for cell in cells:
        if not isinstance(cell, str) or cell.isascii():
            continue
        fixed = fix(cell)
        if fixed != cell:
            return cell, fixed
        seen += 1
        if seen >= SAMPLE_CELLS:
            break
    return None
