"""The 2026–2030 commune set at indicator level: what an indicator is, what is verified of it,
and how its cells are read.

QĐ 51/2025/QĐ-TTg (signed 29/12/2025, in force 15/02/2026), Phụ lục I: 10 criteria made of 47
indicators, each with a threshold for commune groups 1, 2 and 3. Group 1: xã near an existing
urban area and meant to become one, or with agriculture under 10% of its economy, or planned
as a new urban area; group 3: xã of regions II and III of the ethnic-minority and mountain
areas; group 2: the others (the decision's text as reported by the Government's portal and
the provinces' NTM offices). The July 2025 draft numbered the groups the other way round.

What is shipped here is what two public sources agree on: the criteria's names and numbers
(``criteria_sets_2021_2030.csv``), the count of indicators and the groups. The indicators'
names, units and thresholds were found in no public copy: the office enters them once from
the decision and its province's guidance in a thresholds sheet (``clean.indicators``). No
threshold is ever invented here.

Pure functions and constants; no I/O beyond the package's criteria table.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise

import pandas as pd

from ..text import fold, is_blank

CRITERIA_COUNT, INDICATOR_COUNT = 10, 47
GROUPS = (1, 2, 3)
IN_FORCE = pd.Timestamp("2026-02-15")
#: the end of the period: the deadline a commune's pace is measured against
PERIOD_END = pd.Timestamp("2030-12-31")

#: The 10 criteria in the order two public sources list them (each a different publisher of
#: the decision's summary): the catalogue's numbers, inferred from that order, are confirmed
#: when both orders agree with it (tests/reference/test_indicators.py).
CRITERIA_AS_LISTED: dict[str, tuple[str, ...]] = {
    "https://thoibaotaichinhvietnam.vn/ban-hanh-bo-tieu-chi-quoc-gia-ve-nong-thon-moi-giai-doan"
    "-2026-2030-189751.html": (
        "quy hoạch", "hạ tầng kinh tế - xã hội", "phát triển kinh tế nông thôn",
        "đào tạo nguồn nhân lực nông thôn", "văn hóa, giáo dục, y tế",
        "giảm nghèo và an sinh xã hội", "khoa học công nghệ và chuyển đổi số",
        "môi trường và cảnh quan nông thôn", "xây dựng hệ thống chính trị và hành chính công",
        "tiếp cận pháp luật và an ninh, quốc phòng"),
    "https://nongthonmoi.quangtri.gov.vn/Tieu-diem-Nong-thon-moi/ban-hanh-bo-tieu-chi-quoc-gia"
    "-ve-nong-thon-moi-giai-doan-2026-2030-2439.html": (
        "Quy hoạch", "Hạ tầng kinh tế- xã hội", "Phát triển kinh tế nông thôn",
        "Đào tạo nguồn nhân lực nông thôn", "Văn hoá, Giáo dục, Y tế",
        "Giảm nghèo và an sinh xã hội", "Khoa học công nghệ và Chuyển đổi số",
        "Môi trường và cảnh quan nông thôn", "Xây dựng hệ thống chính trị và Hành chính công",
        "Tiếp cận pháp luật và An ninh, quốc phòng"),
}


def order_confirmed(catalogue_names: list[str]) -> bool:
    """True when every source of :data:`CRITERIA_AS_LISTED` lists the catalogue's names in
    the catalogue's order (compared without case, accents or punctuation)."""
    ours = [fold(n) for n in catalogue_names]
    return len(CRITERIA_AS_LISTED) >= 2 and all(
        [fold(n) for n in listed] == ours for listed in CRITERIA_AS_LISTED.values())


#: unit code → the ways an office writes it (folded)
UNITS: dict[str, tuple[str, ...]] = {
    "percent": ("%", "phan tram", "ty le", "percent", "ty le %"),
    "million_vnd_per_person_year": ("trieu dong nguoi nam", "trieu dong nguoi", "trieu dong",
                                     "million vnd per person per year", "tr d nguoi nam"),
    "count": ("so", "so luong", "count", "cai", "diem", "nguoi"),
    "yes_no": ("co khong", "dat khong dat", "yes no", "dat chua dat"),
}
#: direction code → the ways it is written (folded); yes/no indicators need none
DIRECTIONS: dict[str, tuple[str, ...]] = {
    "higher": ("cang cao cang tot", "cao hon", "toi thieu", ">=", "higher", "at least",
               "tu tro len"),
    "lower": ("cang thap cang tot", "thap hon", "toi da", "<=", "lower", "at most",
              "khong qua", "duoi"),
}
_UNIT_OF = {alias: code for code, aliases in UNITS.items() for alias in aliases}
_DIRECTION_OF = {alias: code for code, aliases in DIRECTIONS.items() for alias in aliases}
_CODE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*$")
_YES = {"co", "dat", "yes", "x", "1", "true", "da co"}
_NO = {"khong", "chua dat", "chua", "no", "0", "false", "chua co", "khong dat"}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
#: "dự thảo": a document that is a draft, whose groups are numbered the other way round
_DRAFT = re.compile(r"\bdu thao\b|\bdraft\b")


def indicator_code(text: object) -> str | None:
    """``"6.1"`` for "6.1", " 6 . 1 ", "06.01"; None unless criterion 1–10 and a number."""
    if is_blank(text):
        return None
    found = _CODE.match(str(text))
    if not found:
        return None
    criterion, number = int(found[1]), int(found[2])
    if not 1 <= criterion <= CRITERIA_COUNT or number < 1:
        return None
    return f"{criterion}.{number}"


def criterion_of(code: str) -> int:
    """The criterion an indicator code belongs to (``"6.1"`` → 6)."""
    return int(code.split(".")[0])


def unit_code(text: object) -> str | None:
    """The unit an office wrote, as a code of :data:`UNITS`, or None."""
    return None if is_blank(text) else _UNIT_OF.get(fold(text, keep="%<>="))


def direction_code(text: object, unit: str | None) -> str | None:
    """``higher`` or ``lower``; a yes/no indicator is met by "yes" (``higher``: 1 ≥ 1)."""
    if unit == "yes_no":
        return "higher"
    return None if is_blank(text) else _DIRECTION_OF.get(fold(text, keep="<>="))


def commune_group(text: object) -> int | None:
    """1, 2 or 3 from "2", "nhóm 2", "xã nhóm 2", "Group 2"; None otherwise."""
    if is_blank(text):
        return None
    digits = re.findall(r"\d+", fold(text))
    if len(digits) != 1 or int(digits[0]) not in GROUPS:
        return None
    return int(digits[0])


def is_draft(document: object) -> bool:
    """True when the document a thresholds sheet cites is the draft ("dự thảo")."""
    return not is_blank(document) and bool(_DRAFT.search(fold(document)))


def cell_value(text: object, unit: str) -> float | None:
    """A cell as a number in ``unit``: yes/no as 1/0; "85%" or "85" for a percentage; a
    decimal comma read as a point. None when the cell is not of the unit's type."""
    if is_blank(text):
        return None
    if isinstance(text, bool):
        return float(text)
    if isinstance(text, int | float):
        return None if unit == "yes_no" or math.isnan(text) else float(text)
    raw = str(text).strip()
    if unit == "yes_no":
        folded = fold(raw)
        return 1.0 if folded in _YES else 0.0 if folded in _NO else None
    if unit == "percent":
        raw = raw.removesuffix("%").strip()
    raw = raw.replace(" ", "")
    if raw.count(".") > 1 or (raw.count(",") and raw.count(".")):  # "1.234.567", "1,234.5"
        raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") \
            else raw.replace(",", "")
    if not _NUMBER.match(raw):
        return None
    value = float(raw.replace(",", "."))
    if unit == "percent" and not 0 <= value <= 100:
        return None
    if unit == "count" and (value < 0 or value != int(value)):
        return None
    return value


def in_order(thresholds: dict[int, float], direction: str) -> bool:
    """True when the groups' thresholds follow the final text: group 1 (near urban areas)
    holds the strictest standard and group 3 (mountain and ethnic-minority areas) the most
    lenient, so "higher is better" thresholds never rise from group 1 to group 3 and "lower
    is better" ones never fall. The draft, numbered the other way, breaks this."""
    values = [thresholds[g] for g in GROUPS if g in thresholds]
    pairs = list(pairwise(values))
    if direction == "higher":
        return all(a >= b for a, b in pairs)
    return all(a <= b for a, b in pairs)


def met(value: float, threshold: float, direction: str) -> bool:
    """True when ``value`` meets ``threshold`` in ``direction``."""
    return value >= threshold if direction == "higher" else value <= threshold


def gap(value: float, threshold: float, direction: str) -> float:
    """How far ``value`` is from ``threshold`` in the indicator's unit; 0 when met."""
    short = threshold - value if direction == "higher" else value - threshold
    return max(short, 0.0)


def derived_statuses(values: pd.DataFrame, per_criterion: pd.Series) -> pd.DataFrame:
    """Each criterion's status from its indicators, per unit and date.

    ``values``: ``commune_code``, ``as_of``, ``indicator``, ``value``, ``threshold``,
    ``direction`` (one row per indicator given). ``per_criterion``: the number of indicators
    of each criterion in the catalogue. A criterion is met when every one of its indicators
    is given and met, not met as soon as one given indicator is not; otherwise (some not
    given, none unmet) it has no status. Returns ``commune_code``, ``as_of``,
    ``criterion_number``, ``met`` (True, False or None), ``unmet`` (the unmet codes, "; ").
    """
    columns = ["commune_code", "as_of", "criterion_number", "met", "unmet"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    rows = values.assign(
        criterion_number=values.indicator.map(criterion_of),
        ok=[met(v, t, d) for v, t, d in zip(values.value, values.threshold, values.direction,
                                             strict=True)])
    out = []
    for (code, day, criterion), group in rows.groupby(
            ["commune_code", "as_of", "criterion_number"], sort=True):
        unmet = sorted(group.indicator[~group.ok].unique(), key=_code_order)
        complete = group.indicator.nunique() >= per_criterion.get(criterion, math.inf)
        status = False if unmet else True if complete else None
        out.append((code, day, criterion, status, "; ".join(unmet)))
    return pd.DataFrame(out, columns=columns)


def _code_order(code: str) -> tuple[int, int]:
    criterion, number = code.split(".")
    return int(criterion), int(number)
