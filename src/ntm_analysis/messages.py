"""The message catalogue: every word a user sees, Vietnamese first, English second.

Use :func:`msg` with a key; the language is ``vi`` unless :func:`set_language` or the
``NTM_LANG`` environment variable says ``en``.
"""

from __future__ import annotations

import os

LANGUAGES = ("vi", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    # units
    "kind_district": ("huyện", "district"),
    "kind_commune": ("xã", "commune"),
    "kind_province": ("tỉnh", "province"),
    "unit_not_found": (
        "Không tìm thấy {kind} “{name}”{parent}. {hint}",
        "No {kind} named “{name}”{parent}. {hint}",
    ),
    "unit_ambiguous": (
        "Tên {kind} “{name}” khớp nhiều đơn vị: {candidates}. Hãy ghi rõ hơn.",
        "The {kind} name “{name}” matches several units: {candidates}. Be more specific.",
    ),
    "did_you_mean": ("Có phải là: {names}?", "Did you mean: {names}?"),
    "no_suggestion": (
        "Hãy kiểm tra chính tả theo danh mục đơn vị hành chính.",
        "Check the spelling against the official list of units.",
    ),
    # inventory
    "inventory_title": ("Dữ liệu gốc trong {path}", "Raw data in {path}"),
    "inventory_header": ("tệp|số dòng|nguồn", "file|rows|source"),
    "inventory_unlisted": (
        "CHƯA KHAI BÁO trong sources.yml", "NOT LISTED in sources.yml"),
    "inventory_missing": (
        "{n} tệp khai báo trong sources.yml nhưng không có: {files}",
        "{n} file(s) listed in sources.yml but missing: {files}",
    ),
    "inventory_criteria": (
        "Bộ tiêu chí: {sets}", "Criteria sets: {sets}"),
    "inventory_units": (
        "Đơn vị hành chính (trước 01/07/2025) của tỉnh {province}: {districts} đơn vị cấp huyện, "
        "{communes} đơn vị cấp xã ({rural} xã)",
        "Administrative units (before 01/07/2025) of {province}: {districts} district-level, "
        "{communes} commune-level units ({rural} rural communes)",
    ),
    # errors
    "raw_dir_missing": (
        "Không có thư mục dữ liệu gốc {path}. Hãy chỉ đúng thư mục bằng --raw.",
        "The raw data folder {path} does not exist. Point --raw at the right folder.",
    ),
    "raw_dir_empty": (
        "Thư mục {path} không có tệp CSV hay XLSX đọc được.",
        "The folder {path} holds no readable CSV or XLSX file.",
    ),
}


_language = os.environ.get("NTM_LANG", "vi")


def set_language(lang: str) -> None:
    """Set the language of :func:`msg` for this process (``"vi"`` or ``"en"``)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    _language = lang


def get_language() -> str:
    """Return the current language."""
    return _language


def msg(key: str, lang: str | None = None, **fields: object) -> str:
    """Return the catalogue text of ``key`` in ``lang`` with ``fields`` filled in."""
    vi, en = CATALOGUE[key]
    text = en if (lang or _language) == "en" else vi
    return text.format(**fields) if fields else text
