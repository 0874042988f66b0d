"""clean/columnar.py: a parser runs once per distinct row; typed columns equal the typed spread."""

from __future__ import annotations

import pandas as pd

from ntm_analysis.clean.columnar import apply_unique

#: Four rows, two distinct (name, date) pairs, one of them without a date (no day: None).
ROWS = pd.DataFrame({"name": ["An Biên", "Đông Yên", "An Biên", "Đông Yên"],
                     "day": ["31/12/2022", "", "31/12/2022", ""]},
                    index=[10, 11, 12, 13])


def parse(name, day):
    calls.append((name, day))
    return name.upper(), (pd.Timestamp(f"{day[-4:]}-12-31") if day else None)


calls: list[tuple] = []


def test_each_distinct_row_is_parsed_once_and_spread_to_every_row():
    calls.clear()
    out = apply_unique(ROWS, parse, ("upper", "when"))
    assert sorted(calls, key=str) == [("An Biên", "31/12/2022"), ("Đông Yên", "")]
    assert list(out.index) == [10, 11, 12, 13]
    assert list(out.upper) == ["AN BIÊN", "ĐÔNG YÊN", "AN BIÊN", "ĐÔNG YÊN"]


def test_columns_typed_before_spreading_equal_the_spread_columns_typed_after():
    plain = apply_unique(ROWS, parse, ("upper", "when"))
    typed = apply_unique(ROWS, parse, ("upper", "when"),
                         dtypes={"when": "datetime64[ns]", "upper": "category"})
    assert typed.when.dtype == "datetime64[ns]" and typed.upper.dtype == "category"
    pd.testing.assert_series_equal(typed.when, pd.to_datetime(plain.when)
                                   .astype("datetime64[ns]"))
    pd.testing.assert_series_equal(typed.upper, plain.upper.astype("category"))
    assert typed.when.isna().tolist() == [False, True, False, True]  # None became NaT
