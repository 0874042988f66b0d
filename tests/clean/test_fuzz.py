"""Property tests (Hypothesis): parsers never raise, and the loader loses no row."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
from builders import assert_accounted, encode_cp1258
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_analysis.clean import clean_files
from ntm_analysis.clean.cells import PRECISIONS, parse_as_of, parse_level, parse_tally
from ntm_analysis.reference.criteria import LEVELS, criteria_total
from ntm_analysis.reference.units import registry

SETTINGS = settings(max_examples=200, deadline=None)
TALLY_LIKE = st.one_of(
    st.text(max_size=25),
    st.builds(lambda a, b, w: f"{w}{a}/{b}", st.integers(-30, 60), st.integers(-30, 60),
              st.sampled_from(["", "đạt ", " ", "dat "])),
    st.builds(lambda a, b: f"{a} trên {b}", st.integers(0, 40), st.integers(0, 40)),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-100, 100),
)
DATE_LIKE = st.one_of(
    st.text(max_size=20),
    st.builds(lambda d, m, y: f"{d}/{m}/{y}", st.integers(-1, 40), st.integers(-1, 14),
              st.integers(1800, 2200)),
    st.builds(lambda m, y, p: f"{p}{m}/{y}", st.integers(0, 14), st.integers(1990, 2100),
              st.sampled_from(["", "tháng ", "T", "thang "])),
    st.builds(lambda q, y: f"quý {q}/{y}", st.sampled_from(["I", "II", "III", "IV", "V", "0"]),
              st.integers(1990, 2100)),
    st.datetimes(),
    st.integers(-10_000, 10_000),
)


@SETTINGS
@given(TALLY_LIKE)
def test_parse_tally_never_raises(value):
    result = parse_tally(value)
    assert (result.error is None) == (result.met is not None)
    assert result.met is None or isinstance(result.met, int)
    assert result.total is None or isinstance(result.total, int)


@SETTINGS
@given(DATE_LIKE)
def test_parse_as_of_never_raises_and_round_trips(value):
    result = parse_as_of(value)
    if result.error is None:
        assert result.precision in PRECISIONS and isinstance(result.day, pd.Timestamp)
        again = parse_as_of(result.day.strftime("%d/%m/%Y"))
        assert again.day == result.day
    else:
        assert result.day is None


@SETTINGS
@given(st.one_of(st.text(max_size=30), st.sampled_from(
    ["NTM", "xã NTM", "nâng cao", "kiểu mẫu", "huyện NTM", "HUYEN NONG THON MOI"])))
def test_parse_level_never_raises(value):
    for text in (value, unicodedata.normalize("NFD", value)):
        result = parse_level(text)
        assert (result.code in LEVELS) != (result.error is not None)


# ---- the whole loader on generated sheets -------------------------------------------------
COMMUNES = [(r.parent_name, r.name) for r in registry("91").communes().itertuples()
            if r.unit_type == "Xã"][:40]
HEADERS = {
    "as_of": ["Thời điểm", "NGAY", "ky bao cao", "as_of"],
    "district": ["Huyện", "HUYEN", "district"],
    "commune": ["Xã", "xa", "Commune"],
    "level": ["Cấp độ", "muc", "LEVEL"],
    "tally": ["Số tiêu chí đạt", "ket qua", "tally"],
    "source": ["Nguồn", "source"],
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# what a spreadsheet program saves for the tally a/b when it took it for a date, in a
# month-first or a day-first locale; b > 12 cannot be a month, hence the guards
AS_DATE = [
    lambda a, b: f"{a}/{b}",
    lambda a, b: f"{b:02d}/{a:02d}/2026" if a <= 12 else f"{a}/{b}",
    lambda a, b: f"{a:02d}/{b:02d}/2026" if a <= 12 else f"{a}/{b}",
    lambda a, b: f"{b}-{MONTHS[a - 1]}" if 1 <= a <= 12 else f"{a}/{b}",
    lambda a, b: f"{MONTHS[a - 1]}-{b}" if 1 <= a <= 12 else f"{a}/{b}",
]
good_row = st.builds(
    lambda unit, met, month, level, form: {
        "as_of": f"{month}/2023", "district": unit[0], "commune": unit[1], "level": level,
        "tally": form(met, 19), "source": "fuzz"},
    st.sampled_from(COMMUNES), st.integers(0, 22), st.integers(1, 12),
    st.sampled_from(["xã NTM", "nâng cao", "NTM nâng cao", "", "kiểu mẫu"]),
    st.sampled_from(AS_DATE))
NEW_UNITS = [r.full_name for r in registry("91", "2025").communes(province_code="91")
             .itertuples()][:30]
# a 2026 row: a unit of the 2025 era or an old commune's name, usually without a
# district (a district then is rejected), on the 2026-2030 set of 10 or the old 19
new_row = st.builds(
    lambda name, met, total, month, district, form: {
        "as_of": f"{month}/2026", "district": district, "commune": name, "level": "NTM",
        "tally": form(met, total), "source": "fuzz"},
    st.sampled_from(NEW_UNITS + [c[1] for c in COMMUNES[:10]]), st.integers(0, 12),
    st.sampled_from([10, 10, 19]), st.integers(3, 10), st.sampled_from(["", "", "An Biên"]),
    st.sampled_from(AS_DATE))
junk_row = st.fixed_dictionaries({k: st.text(max_size=12) for k in HEADERS})
blank_row = st.just({k: "" for k in HEADERS})
sheet = st.fixed_dictionaries({
    "headers": st.fixed_dictionaries({k: st.sampled_from(v) for k, v in HEADERS.items()}),
    "rows": st.lists(st.one_of(good_row, good_row, new_row, junk_row, blank_row),
                     max_size=25),
    "title_rows": st.integers(0, 3),
    # "mojibake": UTF-8 read as Latin-1 and saved as UTF-8 again, as a spreadsheet program does
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "xlsx",
                                 "mojibake"]),
})


def write_sheet(folder: Path, spec: dict) -> Path:
    columns = list(HEADERS)
    grid = [["BÁO CÁO NÔNG THÔN MỚI"] + [""] * (len(columns) - 1)] * spec["title_rows"]
    grid += [[spec["headers"][c] for c in columns]]
    grid += [[row[c] for c in columns] for row in spec["rows"]]
    if spec["encoding"] == "xlsx":
        book = openpyxl.Workbook()
        for line in grid:
            book.active.append([_xlsx_safe(v) for v in line])
        path = folder / "sheet.xlsx"
        book.save(path)
        return path
    text = "\n".join(",".join('"' + str(v).replace('"', '""') + '"' for v in line)
                     for line in grid) + "\n"
    path = folder / "sheet.csv"
    if spec["encoding"] == "mojibake":
        path.write_bytes(text.encode("utf-8", errors="surrogatepass").decode("latin-1")
                         .encode("utf-8"))
    elif spec["encoding"] == "cp1258":
        try:
            path.write_bytes(encode_cp1258(text))
        except UnicodeEncodeError:
            path.write_bytes(text.encode("utf-8"))
    else:
        path.write_bytes(text.encode(spec["encoding"], errors="surrogatepass"))
    return path


def _xlsx_safe(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(sheet)
def test_loader_never_raises_and_loses_no_row(spec):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = write_sheet(Path(tmp), spec)
        except UnicodeEncodeError:
            return  # lone surrogates cannot be written in that encoding: not a file
        result = clean_files([path], Path(tmp), today=TODAY)
    clean_value = _xlsx_safe if spec["encoding"] == "xlsx" else str
    first = spec["title_rows"] + 2  # title rows, then the header, then the data
    written = {number for number, row in enumerate(spec["rows"], start=first)
               if any(clean_value(v).strip() for v in row.values())}
    s = result.summary.iloc[0]
    if pd.notna(s.unreadable):  # not a text file (a NUL byte...): one line names the file
        assert (s.read, s.accepted, s.merged, s.rejected) == (0, 0, 0, 0)
        assert result.rejected.reason_code.tolist() == [s.unreadable]
    elif result.rejected.raw_row.isna().any():  # refused whole: every filled line rejected
        lines = spec["title_rows"] + 1 + len(written)  # title rows, the header, the data
        assert (s.read, s.accepted, s.merged, s.rejected) == (lines, 0, 0, lines)
    else:
        assert_accounted(result, {path.name: written})
    t = result.tallies
    assert ((t.criteria_met >= 0) & (t.criteria_met <= t.criteria_total)).all()
    for row in t.itertuples():
        assert row.criteria_total == criteria_total(row.level, row.period)
    # a unit of the 2025 era has no district and a date from 01/07/2025; never the reverse
    new = t.admin_era == "2025"
    assert (new == t.district_code.isna()).all()
    assert (new == (t.as_of >= pd.Timestamp("2025-07-01"))).all()


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({
    "headers": st.fixed_dictionaries({k: st.sampled_from(v) for k, v in HEADERS.items()}),
    "rows": st.lists(st.one_of(good_row, blank_row), min_size=1, max_size=15),
    "title_rows": st.integers(0, 2),
    "encoding": st.just("utf-8"),
}))
def test_a_sheet_through_the_wrong_code_page_cleans_to_the_same_rows(spec):
    """Mojibake is undone exactly: the damaged sheet gives the original's accepted rows."""
    columns = ["as_of", "level", "district_code", "commune_code", "criteria_met",
               "criteria_total"]
    with tempfile.TemporaryDirectory() as tmp:
        original = clean_files([write_sheet(Path(tmp), spec)], Path(tmp), today=TODAY)
    with tempfile.TemporaryDirectory() as tmp:
        damaged = clean_files([write_sheet(Path(tmp), {**spec, "encoding": "mojibake"})],
                              Path(tmp), today=TODAY)
    assert damaged.tallies[columns].equals(original.tallies[columns])
    assert len(damaged.rejected) == len(original.rejected)
