"""The schemas of the processed tables are their written contract: the pages, the
workbooks and an analyst's own code read the tables by these types."""

from __future__ import annotations

import pytest

from ntm_analysis.clean import schemas

TABLES = ["TALLIES_TABLE", "FACTS_TABLE", "CRITERIA_STATUS_TABLE", "REJECTED_TABLE"]


@pytest.mark.parametrize("name", TABLES)
def test_every_column_of_a_processed_table_declares_its_type(name):
    schema = getattr(schemas, name)
    untyped = [column for column, spec in schema.columns.items() if spec.dtype is None]
    assert untyped == []
    # a table holds its columns and no other, each coerced to its declared type
    assert schema.strict and schema.coerce

