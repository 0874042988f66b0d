"""Text that is UTF-8 decoded with the wrong code page ("NgÃ y" for "Ngày"), found and undone.

A spreadsheet program that opens a UTF-8 CSV without a BOM as Windows-1252 or Latin-1, and
saves it again, turns every Vietnamese letter into two or three Latin ones; doing it twice
makes it worse. The damage has one correct reading, and ``ftfy`` (the well-kept library for
exactly this) finds it: :func:`ftfy.fix_encoding` only undoes such decoding mistakes and
leaves correct text alone, so a sheet is repaired when the fix changes its text, and only
then. Pure functions; the readers decide what to do with a sheet.
"""

from __future__ import annotations

from collections.abc import Iterable

import ftfy

#: Cells looked at to decide whether a sheet is damaged (the header and the first rows).
SAMPLE_CELLS = 400


def fix(text: str) -> str:
    """``text`` with decoding mistakes undone (unchanged when there are none).

    Examples
    --------
    >>> fix("NgÃ\\xa0y, Huyá»‡n"), fix("Đông Yên")
    ('Ngày, Huyện', 'Đông Yên')
    """
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
