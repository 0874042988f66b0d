"""pandera schemas: the row rules of candidate tallies, and the contracts of processed tables.

``TALLY_RULES`` runs in lazy mode on parsed candidate rows; every failure becomes a
``rejected`` row (its ``error`` is the reason code). The ``*_TABLE`` schemas check what
``ntm clean`` writes, so a bug cannot put a wrong type into data/processed; their column lists
are those of :data:`processed.COLUMNS` (a test keeps them equal).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

# the origins are re-exported: the sheet kinds take them from here with the schemas
from ..processed import IMPLIED, IMPLIED_BY_DISTRICT, ORIGINS, REPORTED  # noqa: F401
from ..reference.criteria import LEVELS
from ..reference.units import ERA_2025, ERAS, LEGACY
from .cells import PRECISIONS

TALLY_RULES = pa.DataFrameSchema(
    {
        "criteria_met": pa.Column("Int64", pa.Check.ge(0, error="negative"), nullable=False),
        "criteria_total": pa.Column("Int64", pa.Check.gt(0, error="negative"), nullable=False),
        "expected_total": pa.Column("Int64", nullable=False),
    },
    checks=[
        pa.Check(lambda d: d.criteria_met <= d.criteria_total, error="met_above_total"),
        pa.Check(lambda d: d.criteria_total == d.expected_total, error="total_mismatch"),
    ],
)

_PROVENANCE = {
    "source": pa.Column(str, nullable=True),
    "raw_file": pa.Column(str),
    "raw_sheet": pa.Column(str, nullable=True),
    "raw_row": pa.Column("int64", pa.Check.ge(1)),
    "merged_from": pa.Column(str, nullable=True),
}
_UNIT = {
    "admin_era": pa.Column(str, pa.Check.isin(ERAS), nullable=True),  # null: national facts
    "province_code": pa.Column(str, nullable=True),
    "province": pa.Column(str, nullable=True),
    "district_code": pa.Column(str, nullable=True),
    "district": pa.Column(str, nullable=True),
    "commune_code": pa.Column(str, nullable=True),
    "commune": pa.Column(str, nullable=True),
}

_WHEN_AND_LEVEL = {
    "as_of": pa.Column("datetime64[ns]"),
    "as_of_precision": pa.Column(str, pa.Check.isin(PRECISIONS)),
    "period": pa.Column(str),
    "level": pa.Column(str, pa.Check.isin(LEVELS)),
}

TALLIES_TABLE = pa.DataFrameSchema(
    {
        **_WHEN_AND_LEVEL,
        **_UNIT,
        "admin_era": pa.Column(str, pa.Check.isin(ERAS)),
        "criteria_met": pa.Column("int64", pa.Check.ge(0)),
        "criteria_total": pa.Column("int64", pa.Check.gt(0)),
        # the commune group of the 2026-2030 set (1, 2 or 3), when the sheet gives it
        "commune_group": pa.Column("Int64", pa.Check.isin([1, 2, 3]), nullable=True),
        "origin": pa.Column(str, pa.Check.isin(ORIGINS)),
        # a recognition's decision and its date (an implied tally dated by the year the
        # recognition is for keeps the decision's own date here)
        "decision": pa.Column(str, nullable=True),
        "decided_on": pa.Column("datetime64[ns]", nullable=True),
        # what the cleaner read differently from the cell, e.g. a tally stored as a date
        "repair": pa.Column(str, nullable=True),
        **_PROVENANCE,
    },
    checks=[pa.Check(lambda d: d.criteria_met <= d.criteria_total, error="met <= total"),
            pa.Check(lambda d: _district_iff_legacy(d), error="district iff legacy era")],
    strict=True,
    ordered=True,
    coerce=True,
)

FACTS_TABLE = pa.DataFrameSchema(
    {
        "as_of": pa.Column("datetime64[ns]"),
        "as_of_precision": pa.Column(str, pa.Check.isin(PRECISIONS)),
        "scope": pa.Column(str, pa.Check.isin(["national", "province", "district", "commune"])),
        **_UNIT,
        "metric": pa.Column(str),
        "metric_note": pa.Column(str, nullable=True),
        "value_text": pa.Column(str),
        "value_kind": pa.Column(str, pa.Check.isin(
            ["number", "ratio", "percent", "range", "bound", "decision", "deadline", "text"])),
        "value": pa.Column(float, nullable=True),
        "denominator": pa.Column(float, nullable=True),
        "lower": pa.Column(float, nullable=True),
        "upper": pa.Column(float, nullable=True),
        "deadline": pa.Column("datetime64[ns]", nullable=True),
        "decision": pa.Column(str, nullable=True),
        # the year a recognition is for, when decided later (facts.standard_year)
        "standard_year": pa.Column("Int64", nullable=True),
        "criteria_met": pa.Column("Int64", nullable=True),
        "criteria_total": pa.Column("Int64", nullable=True),
        "source_url": pa.Column(str, nullable=True),
        **_PROVENANCE,
    },
    strict=True,
    ordered=True,
    coerce=True,
)

CRITERIA_STATUS_TABLE = pa.DataFrameSchema(
    {
        **_WHEN_AND_LEVEL,
        **_UNIT,
        "admin_era": pa.Column(str, pa.Check.isin(ERAS)),
        "criterion_number": pa.Column("int64", pa.Check.ge(1)),
        "criterion_name": pa.Column(str),
        "met": pa.Column(bool),
        "note": pa.Column(str, nullable=True),  # what the office wrote beside it (a form)
        **_PROVENANCE,
    },
    checks=[pa.Check(lambda d: _district_iff_legacy(d), error="district iff legacy era")],
    strict=True,
    ordered=True,
    coerce=True,
)

REJECTED_TABLE = pa.DataFrameSchema(
    {
        "raw_file": pa.Column(str),
        "raw_sheet": pa.Column(str, nullable=True),
        "raw_row": pa.Column("Int64", nullable=True),
        "column": pa.Column(str, nullable=True),
        "value": pa.Column(str, nullable=True),
        "reason_code": pa.Column(str),
        "reason": pa.Column(str),
        "reason_en": pa.Column(str),
        "suggestion": pa.Column(str, nullable=True),
        "admin_era": pa.Column(str, pa.Check.isin([LEGACY]), nullable=True),
        "district_code": pa.Column(str, nullable=True),
    },
    strict=True,
    ordered=True,
    coerce=True,
)


def _district_iff_legacy(frame: pd.DataFrame) -> pd.Series:
    """A tally or status is about a district's unit exactly when it is of the legacy era:
    the 2025 era has no districts."""
    return (frame.admin_era == ERA_2025) == frame.district_code.isna()


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Return an empty frame with the columns and dtypes of ``schema``."""
    return pd.DataFrame({
        name: pd.Series(dtype=str(col.dtype) if col.dtype is not None else object)
        for name, col in schema.columns.items()
    })
